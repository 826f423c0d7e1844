/*
 * shard_vision_test.c: fog of war for the owner, an ally, a neighbour
 * (land radius 2, Watchtower 4, army radius 1, the Sylvaeth's and
 * Breath-Born's bonus) and a stranger; the region view agrees with the
 * per-tile level everywhere; and what a territory read shows at each
 * level (no hidden field through the protobuf answer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_time.h"
#include "shard_state.h"
#include "shard_vision.h"
#include "shard_world.h"
#include "shard_test_world.h"

#define OWNER "0x1111111111111111111111111111111111111111"
#define ALLY "0x2222222222222222222222222222222222222222"
#define NEAR "0x3333333333333333333333333333333333333333"
#define FAR "0x4444444444444444444444444444444444444444"

static int
setup(void **state)
{
	return (fixture_setup(state, 4, 2, 3, 9, 0));
}

static sh_player *
player(shard_world *w, const char *addr, int race)
{
	sh_player *p = shard_player_new(w, addr);

	p->race = (uint8_t) race;
	return (p);
}

static sh_vis
level(fixture *f, const sh_player *p, int x, int y)
{
	return (shard_vision_level(f->w, p, x, y, cm_time_now_ms()));
}

static void
test_levels(void **state)
{
	fixture   *f = *state;
	sh_player *o = player(f->w, OWNER, 0);
	sh_player *a = player(f->w, ALLY, 0);
	sh_player *s = player(f->w, FAR, 0);

	shard_tile_set_owner(f->w, 20, 70, o);
	shard_tile_set_owner(f->w, 40, 90, s);
	assert_int_equal(level(f, o, 20, 70), SH_VIS_OWNED);
	assert_int_equal(level(f, NULL, 20, 70), SH_VIS_DISTANT);
	/* A stranger far away sees terrain only. */
	assert_int_equal(level(f, s, 20, 70), SH_VIS_DISTANT);
	/* Land radius 2 (Chebyshev), not 3. */
	assert_int_equal(level(f, o, 22, 72), SH_VIS_ADJACENT);
	assert_int_equal(level(f, o, 23, 70), SH_VIS_DISTANT);
	/* Allies: the tile is seen as allied, and their sight is shared. */
	shard_set_alliance(f->w, o, 5);
	shard_set_alliance(f->w, a, 5);
	o->home = a->home = true;
	assert_int_equal(level(f, a, 20, 70), SH_VIS_ALLIED);
	assert_int_equal(level(f, a, 21, 71), SH_VIS_ADJACENT);
	assert_int_equal(level(f, s, 20, 70), SH_VIS_DISTANT);
	shard_set_alliance(f->w, a, 0);
	assert_int_equal(level(f, a, 20, 70), SH_VIS_DISTANT);
}

static void
test_radius_bonuses(void **state)
{
	fixture   *f = *state;
	sh_player *n = player(f->w, NEAR, 0);
	sh_player *o = player(f->w, OWNER, 0);
	sh_army   *a;

	shard_tile_set_owner(f->w, 30, 60, o);
	shard_tile_set_owner(f->w, 10, 80, n);
	assert_int_equal(level(f, n, 30, 60), SH_VIS_DISTANT);
	/* An army sees 1 tile around it. */
	a = shard_army_new(f->w, 77, n, 29, 61);
	assert_int_equal(level(f, n, 30, 60), SH_VIS_ADJACENT);
	assert_int_equal(level(f, n, 31, 60), SH_VIS_DISTANT);
	/* The Breath-Born see 1 tile farther, the Sylvaeth 2. */
	n->race = 5;
	assert_int_equal(level(f, n, 31, 60), SH_VIS_ADJACENT);
	assert_int_equal(level(f, n, 32, 60), SH_VIS_DISTANT);
	n->race = 3;
	assert_int_equal(level(f, n, 32, 60), SH_VIS_ADJACENT);
	assert_int_equal(level(f, n, 33, 60), SH_VIS_DISTANT);
	shard_army_free(f->w, a);
	/* Land: radius 2 (+2 Sylvaeth) = 4; a Watchtower makes it 4 (+2). */
	assert_int_equal(level(f, n, 14, 80), SH_VIS_ADJACENT);
	assert_int_equal(level(f, n, 15, 80), SH_VIS_DISTANT);
	{
		sh_tile *t = shard_tile(f->w, 10, 80);

		t->b  = cm_calloc(1, sizeof(*t->b));
		t->nb = 1;
		t->b[0].type    = (uint8_t) cm_building_index("watchtower");
		t->b[0].hp      = 1000;
		t->b[0].done_ms = 1;
	}
	assert_int_equal(level(f, n, 16, 80), SH_VIS_ADJACENT);
	assert_int_equal(level(f, n, 17, 80), SH_VIS_DISTANT);
}

/* The map view agrees with the per-tile level on every tile. */
static void
test_region_matches(void **state)
{
	fixture   *f = *state;
	sh_player *o = player(f->w, OWNER, 5);
	sh_player *a = player(f->w, ALLY, 3);
	uint8_t   *lv = cm_malloc((size_t) f->w->rw * (size_t) f->w->rh);
	int64_t    now = cm_time_now_ms();

	shard_tile_set_owner(f->w, 0, 50, o);
	shard_tile_set_owner(f->w, 25, 75, o);
	shard_tile_set_owner(f->w, 44, 96, a);
	shard_army_new(f->w, 5, o, 40, 60);
	o->home = a->home = true;
	shard_set_alliance(f->w, o, 9);
	shard_set_alliance(f->w, a, 9);
	o->scouts[0] = (sh_scout) { .id = 1, .x = 12, .y = 88, .accuracy = 75,
		.expires_ms = now + 60000 };
	o->scouts[1] = (sh_scout) { .id = 2, .x = 30, .y = 55, .accuracy = 75,
		.expires_ms = now - 1 }; /* expired */
	o->nscouts = 2;
	shard_vision_region(f->w, o, lv, now);
	assert_int_equal(lv[shard_tile_index(f->w, 12, 88)], SH_VIS_SCOUTED);
	for (int y = f->w->region.y0; y <= f->w->region.y1; y++) {
		for (int x = f->w->region.x0; x <= f->w->region.x1; x++) {
			uint32_t i = shard_tile_index(f->w, x, y);

			if (lv[i] != shard_vision_level(f->w, o, x, y, now)) {
				fail_msg("tile %d,%d: region %d, level %d", x, y,
				    lv[i],
				    shard_vision_level(f->w, o, x, y, now));
			}
		}
	}
	shard_vision_region(f->w, NULL, lv, now);
	for (int i = 0; i < f->w->rw * f->w->rh; i++) {
		assert_int_equal(lv[i], SH_VIS_DISTANT);
	}
	free(lv);
}

static Nd__ShardReply *
ask_tile(shard_world *w, const char *who, int x, int y)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__TerritoryGet t  = ND__TERRITORY_GET__INIT;

	t.x              = x;
	t.y              = y;
	rq.player        = (char *) who;
	rq.body_case     = ND__SHARD_REQUEST__BODY_TERRITORY_GET;
	rq.territory_get = &t;
	return (test_world_ask(w, &rq));
}

/* A territory read shows each level's fields and nothing more. */
static void
test_territory_fields(void **state)
{
	fixture        *f = *state;
	sh_player      *o = player(f->w, OWNER, 0);
	sh_player      *n = player(f->w, NEAR, 0);
	sh_army        *g;
	Nd__ShardReply *r;

	player(f->w, FAR, 0);
	shard_tile_set_owner(f->w, 20, 70, o);
	shard_tile_set_owner(f->w, 21, 72, n);
	shard_tile(f->w, 20, 70)->res.gold = 999;
	g = shard_army_new(f->w, 31, o, 20, 70);
	g->units[cm_unit_index("stoneshield")] = 30; /* (8+25)*30 = 990 */
	g->garrison                    = true;
	shard_tile(f->w, 20, 70)->garrison = 31;
	/* The stranger: terrain only. */
	r = ask_tile(f->w, FAR, 20, 70);
	assert_string_equal(r->territory->visibility, "distant");
	assert_string_equal(r->territory->owner, "");
	assert_int_equal(r->territory->garrison, 0);
	assert_false(r->territory->has_owner);
	assert_false(r->territory->has_army);
	assert_null(r->territory->resources);
	assert_int_equal(r->territory->n_buildings, 0);
	nd__shard_reply__free_unpacked(r, NULL);
	/* The neighbour: presence and the army's size, not who or what. */
	r = ask_tile(f->w, NEAR, 20, 70);
	assert_string_equal(r->territory->visibility, "adjacent");
	assert_string_equal(r->territory->owner, "");
	assert_int_equal(r->territory->garrison, 0);
	assert_true(r->territory->has_owner);
	assert_true(r->territory->has_army);
	assert_string_equal(r->territory->army_size, "medium");
	assert_int_equal(r->territory->trust, 0);
	assert_null(r->territory->resources);
	assert_int_equal(r->territory->n_building_detail, 0);
	nd__shard_reply__free_unpacked(r, NULL);
	/* The owner: everything. */
	r = ask_tile(f->w, OWNER, 20, 70);
	assert_string_equal(r->territory->visibility, "owned");
	assert_string_equal(r->territory->owner, OWNER);
	assert_int_equal(r->territory->garrison, 31);
	assert_int_equal(r->territory->resources->gold, 999);
	nd__shard_reply__free_unpacked(r, NULL);
}

/* A scout report shows the tile at the scouted level until it expires,
 * with the owner and the armies off by the report's noise. */
static void
test_scouted(void **state)
{
	fixture        *f = *state;
	sh_player      *o = player(f->w, OWNER, 0);
	sh_player      *s = player(f->w, FAR, 3);
	sh_army        *g;
	Nd__ShardReply *r;
	int64_t         now = cm_time_now_ms();
	int             sto = cm_unit_index("stoneshield");

	shard_tile_set_owner(f->w, 30, 80, o);
	g = shard_army_new(f->w, 9, o, 30, 80);
	g->units[sto] = 100;
	s->scouts[0] = (sh_scout) { .id = 1, .x = 30, .y = 80, .accuracy = 90,
		.noise_pct = -10, .expires_ms = now + 60000 };
	s->nscouts   = 1;
	assert_int_equal(level(f, s, 30, 80), SH_VIS_SCOUTED);
	assert_int_equal(level(f, s, 31, 80), SH_VIS_DISTANT);
	r = ask_tile(f->w, FAR, 30, 80);
	assert_string_equal(r->territory->visibility, "scouted");
	assert_string_equal(r->territory->owner, OWNER);
	assert_null(r->territory->resources);
	assert_int_equal(r->territory->n_building_detail, 0);
	assert_int_equal(r->territory->n_army_estimate, 1);
	assert_int_equal(r->territory->army_estimate[0]->count, 90);
	nd__shard_reply__free_unpacked(r, NULL);
	/* True Sight: exact. */
	s->scouts[0].exact = true;
	r = ask_tile(f->w, FAR, 30, 80);
	assert_int_equal(r->territory->army_estimate[0]->count, 100);
	nd__shard_reply__free_unpacked(r, NULL);
	/* Expired: the fog is back. */
	s->scouts[0].expires_ms = now - 1;
	assert_int_equal(level(f, s, 30, 80), SH_VIS_DISTANT);
	r = ask_tile(f->w, FAR, 30, 80);
	assert_string_equal(r->territory->owner, "");
	nd__shard_reply__free_unpacked(r, NULL);
}

static void
test_army_size(void **state)
{
	uint32_t u[CM_UNIT_COUNT] = { 0 };
	int      s = cm_unit_index("stoneshield"); /* ATK 8 + DEF 25 = 33 */

	(void) state;
	assert_string_equal(shard_vision_army_size(u), "none");
	u[s] = 15; /* 495 */
	assert_string_equal(shard_vision_army_size(u), "small");
	u[s] = 16; /* 528 */
	assert_string_equal(shard_vision_army_size(u), "medium");
	u[s] = 61; /* 2013 */
	assert_string_equal(shard_vision_army_size(u), "large");
	u[s] = 152; /* 5016 */
	assert_string_equal(shard_vision_army_size(u), "massive");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_levels),
		T(test_radius_bonuses),
		T(test_region_matches),
		T(test_territory_fields),
		T(test_scouted),
		cmocka_unit_test(test_army_size),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
