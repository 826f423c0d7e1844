/*
 * shard_replica_test.c: the map-wide replica.  A commit's changed player
 * and tile fields are packed once (and not again while unchanged), read
 * back exactly, and refused when malformed; another shard applies them
 * (its own tiles and home players untouched, other generations and its
 * own messages ignored), counts each source's messages and reports a lost
 * one; allies homed on different shards are allies everywhere; and land
 * across a region's border shows the tiles near it as adjacent, in the
 * per-tile level and the region view alike, as does an army standing
 * near the border (forgotten when it leaves the band).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_time.h"
#include "shard_persist.h"
#include "shard_replica.h"
#include "shard_state.h"
#include "shard_vision.h"
#include "shard_world.h"
#define TEST_WORLD_OWN_FIXTURE
#include "shard_test_world.h"

/* Homed on shards 2, 0 and 3 of 4: never on shard 1, the receiver. */
#define P1 "0x1111111111111111111111111111111111111110"
#define P2 "0x1111111111111111111111111111111111111112"
#define P3 "0x1111111111111111111111111111111111111113"

typedef struct fixture {
	cm_metrics  *m0, *m1;
	shard_world *w0, *w1; /* shards 0 (x 0-49, y 0-49) and 1 (x 50-99) */
} fixture;

static int
setup(void **state)
{
	fixture *f = cm_calloc(1, sizeof(*f));

	f->w0  = test_world_new(4, 0, 7, 9, 0, &f->m0);
	f->w1  = test_world_new(4, 1, 7, 9, 0, &f->m1);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	fixture *f = *state;

	test_world_free(f->w0, f->m0);
	test_world_free(f->w1, f->m1);
	free(f);
	return (0);
}

static sh_player *
home_player(shard_world *w, const char *addr, int race)
{
	sh_player *p = shard_player_new(w, addr);

	p->home          = true;
	p->race          = (uint8_t) race;
	p->cls           = 2;
	p->skill         = 5;
	p->registered_ms = 1000;
	return (p);
}

/* roundtrip encodes what g changed on w and decodes it. */
static bool
roundtrip(shard_world *w, sh_group *g, sh_rep_msg *m)
{
	msgpack_sbuffer sb;
	bool            ok;

	msgpack_sbuffer_init(&sb);
	if (!shard_replica_encode(w, g, &sb)) {
		msgpack_sbuffer_destroy(&sb);
		return (false);
	}
	ok = shard_replica_decode(sb.data, sb.size, 100, 100, m);
	msgpack_sbuffer_destroy(&sb);
	assert_true(ok);
	return (true);
}

static void
group_of(sh_group *g, sh_player **players, uint32_t n, sh_player **members,
    uint32_t nm)
{
	memset(g, 0, sizeof(*g));
	g->players  = players;
	g->nplayers = n;
	g->members  = members;
	g->nmembers = nm;
}

static void
test_encode_changes_once(void **state)
{
	fixture   *f = *state;
	sh_player *p = home_player(f->w0, P1, 3);
	sh_player *ps[1] = { p };
	sh_group   g;
	sh_rep_msg m;

	shard_tile_set_owner(f->w0, 10, 12, p);
	shard_tile(f->w0, 10, 12)->garrison = 77;
	p->alliance_id        = 5;
	p->protected_until_ms = 123456;
	p->captain_army       = 77;
	p->frenzy_until_ms    = 4444;
	p->foresight_until_ms = 5555;
	group_of(&g, ps, 1, NULL, 0);
	sh_vec_push(&g.tiles, shard_tile_index(f->w0, 10, 12));
	assert_true(roundtrip(f->w0, &g, &m));
	assert_int_equal(m.shard, 0);
	assert_int_equal(m.generation, 7);
	assert_int_equal(m.seq, 1);
	assert_int_equal(m.boot, f->w0->rep_boot);
	assert_int_equal(m.nplayers, 1);
	assert_string_equal(m.players[0].address, P1);
	assert_int_equal(m.players[0].race, 3);
	assert_int_equal(m.players[0].cls, 2);
	assert_int_equal(m.players[0].skill, 5);
	assert_int_equal(m.players[0].registered_ms, 1000);
	assert_int_equal(m.players[0].alliance_id, 5);
	assert_int_equal(m.players[0].protected_until_ms, 123456);
	assert_int_equal(m.players[0].captain_army, 77);
	assert_false(m.players[0].captain_dead);
	assert_int_equal(m.players[0].frenzy_until_ms, 4444);
	assert_int_equal(m.players[0].foresight_until_ms, 5555);
	assert_int_equal(m.ntiles, 1);
	assert_int_equal(m.tiles[0].x, 10);
	assert_int_equal(m.tiles[0].y, 12);
	assert_string_equal(m.tiles[0].owner, P1);
	assert_true(m.tiles[0].garrison);
	assert_int_equal(m.tiles[0].sight, SH_RADIUS_LAND);
	shard_replica_msg_free(&m);

	/* Nothing changed: nothing sent, no number taken. */
	assert_false(roundtrip(f->w0, &g, &m));
	assert_int_equal(f->w0->rep_seq, 1);
	/* A change of a replicated field goes out alone. */
	p->captain_dead = true;
	assert_true(roundtrip(f->w0, &g, &m));
	assert_int_equal(m.seq, 2);
	assert_int_equal(m.nplayers, 1);
	assert_true(m.players[0].captain_dead);
	assert_int_equal(m.ntiles, 0);
	shard_replica_msg_free(&m);
	/* Mana is not replicated; a tile losing its owner is. */
	p->mana = 99;
	shard_tile_set_owner(f->w0, 10, 12, NULL);
	shard_tile(f->w0, 10, 12)->garrison = 0;
	assert_true(roundtrip(f->w0, &g, &m));
	assert_int_equal(m.nplayers, 0);
	assert_int_equal(m.ntiles, 1);
	assert_string_equal(m.tiles[0].owner, "");
	assert_false(m.tiles[0].garrison);
	assert_int_equal(m.tiles[0].sight, 0);
	shard_replica_msg_free(&m);
	/* Players homed elsewhere are never published by this shard. */
	sh_vec_free(&g.tiles);
	{
		sh_player *o    = shard_player_new(f->w0, P3);
		sh_player *os[1] = { o };

		o->alliance_id = 9;
		group_of(&g, NULL, 0, os, 1);
		assert_false(roundtrip(f->w0, &g, &m));
	}
}

/* msg builds a message of shard src for the tests of apply. */
static sh_rep_msg
msg(int src, uint64_t boot, uint64_t seq, sh_rep_player *p, uint32_t np,
    sh_rep_tile *t, uint32_t nt)
{
	return ((sh_rep_msg) { .shard = src, .generation = 7, .boot = boot,
	    .seq = seq, .players = p, .nplayers = np, .tiles = t,
	    .ntiles = nt });
}

static void
test_apply(void **state)
{
	fixture      *f     = *state;
	sh_rep_player rp    = { .address = P1, .race = 4, .cls = 1,
		   .skill = 3, .registered_ms = 55, .alliance_id = 8,
		   .protected_until_ms = 999, .captain_army = 4,
		   .foresight_until_ms = 31 };
	sh_rep_tile   rt[2] = { { .x = 10, .y = 12, .owner = P1,
		                    .garrison = true, .sight = 4 },
		  { .x = 60, .y = 12, .owner = P1, .garrison = true,
		      .sight = 2 } };
	sh_rep_msg    m     = msg(0, 42, 5, &rp, 1, rt, 2);
	sh_player    *p, *h;

	assert_true(shard_replica_apply(f->w1, &m));
	p = cm_table_get_str(f->w1->players, P1);
	assert_non_null(p);
	assert_false(p->home);
	assert_int_equal(p->race, 4);
	assert_int_equal(p->alliance_id, 8);
	assert_int_equal(p->protected_until_ms, 999);
	assert_int_equal(p->captain_army, 4);
	assert_int_equal(p->foresight_until_ms, 31);
	assert_ptr_equal(shard_replica_owner(f->w1, 10, 12), p);
	assert_true(shard_replica_garrison(f->w1, 10, 12));
	assert_int_equal(shard_replica_sight(f->w1, 10, 12), 4);
	/* (60, 12) is shard 1's own: the replica does not touch it. */
	assert_null(shard_replica_owner(f->w1, 60, 12));
	assert_null(shard_tile(f->w1, 60, 12)->owner);

	/* The next number applies; a gap is reported; older ones are
	 * ignored as already applied. */
	rp.alliance_id = 0;
	m              = msg(0, 42, 6, &rp, 1, NULL, 0);
	assert_true(shard_replica_apply(f->w1, &m));
	assert_int_equal(p->alliance_id, 0);
	rp.alliance_id = 8;
	m              = msg(0, 42, 6, &rp, 1, NULL, 0);
	assert_true(shard_replica_apply(f->w1, &m));
	assert_int_equal(p->alliance_id, 0);
	m = msg(0, 42, 8, &rp, 1, NULL, 0);
	assert_false(shard_replica_apply(f->w1, &m));
	assert_int_equal(p->alliance_id, 0);
	/* After the reload (which forgets the counts) any number starts. */
	m = msg(0, 42, 8, &rp, 1, NULL, 0);
	assert_true(shard_replica_apply(f->w1, &m));
	assert_int_equal(p->alliance_id, 8);
	/* A restarted source starts at 1; a later first number is a gap. */
	m = msg(0, 43, 1, &rp, 1, NULL, 0);
	assert_true(shard_replica_apply(f->w1, &m));
	m = msg(0, 44, 2, &rp, 1, NULL, 0);
	assert_false(shard_replica_apply(f->w1, &m));

	/* A home player is this shard's own; other generations and this
	 * shard's own messages are ignored. */
	h = home_player(f->w1, P2, 1);
	h->alliance_id = 3;
	{
		sh_rep_player hp = { .address = P2, .alliance_id = 99 };

		m = msg(2, 1, 1, &hp, 1, NULL, 0);
		assert_true(shard_replica_apply(f->w1, &m));
		assert_int_equal(h->alliance_id, 3);
	}
	rt[0].owner[0] = '\0';
	rt[0].garrison = false;
	m              = msg(2, 1, 2, NULL, 0, rt, 1);
	m.generation   = 8;
	assert_true(shard_replica_apply(f->w1, &m));
	assert_non_null(shard_replica_owner(f->w1, 10, 12));
	m = msg(1, 1, 1, NULL, 0, rt, 1);
	assert_true(shard_replica_apply(f->w1, &m));
	assert_non_null(shard_replica_owner(f->w1, 10, 12));
	m = msg(2, 1, 2, NULL, 0, rt, 1);
	assert_true(shard_replica_apply(f->w1, &m));
	assert_null(shard_replica_owner(f->w1, 10, 12));
	assert_false(shard_replica_garrison(f->w1, 10, 12));
}

static void
test_decode_strict(void **state)
{
	static const struct {
		const char *what;
		const char *hex;
	} bad[] = {
		{ "empty", "" },
		{ "not an array", "a27231" },
		{ "seven fields", "97a2723100070101" "90" "90" "90" },
		{ "wrong tag", "98a27232000701019090 90" },
		{ "seq 0", "98a2723100070100909090" },
		{ "trailing bytes", "98a272310007010190909000" },
		{ "x outside the map",
		    "98a2723100070101" "90" "91" "9564" "00" "c0" "c2" "00" "90" },
		{ "upper-case owner",
		    "98a2723100070101" "90" "91" "95" "00" "00" "d92a"
		    "30784141414141414141414141414141414141414141414141414141"
		    "4141414141414141414141414141"
		    "c2" "00" "90" },
		{ "sight over 127",
		    "98a2723100070101" "90" "91" "95" "00" "00" "c0" "c2" "cc80"
		    "90" },
		{ "player of 11 fields", "98a2723100070101" "91" "9b" "90" },
		{ "army id 0", "98a2723100070101" "90" "90" "91" "94" "00" "c0"
		    "00" "00" },
		{ "army of 3 fields", "98a2723100070101" "90" "90" "91" "93" "05"
		    "c0" "00" },
	};
	sh_rep_msg m;
	uint8_t    buf[256];

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t      n = 0;
		const char *h = bad[i].hex;

		while (*h != '\0') {
			unsigned v;

			if (*h == ' ') {
				h++;
				continue;
			}
			assert_int_equal(sscanf(h, "%2x", &v), 1);
			buf[n++] = (uint8_t) v;
			h += 2;
		}
		if (shard_replica_decode((const char *) buf, n, 100, 100, &m)) {
			fail_msg("decoded: %s", bad[i].what);
		}
	}
	/* The smallest good one: no players, one ownerless tile. */
	{
		static const uint8_t good[] = { 0x98, 0xa2, 0x72, 0x31, 0x00,
			0x07, 0x01, 0x01, 0x90, 0x91, 0x95, 0x63, 0x63, 0xc0,
			0xc3, 0x04, 0x91, 0x94, 0x05, 0xc0, 0x01, 0x02 };

		assert_true(shard_replica_decode((const char *) good,
		    sizeof(good), 100, 100, &m));
		assert_int_equal(m.ntiles, 1);
		assert_int_equal(m.tiles[0].x, 99);
		assert_true(m.tiles[0].garrison);
		assert_int_equal(m.narmies, 1);
		assert_int_equal(m.armies[0].id, 5);
		assert_string_equal(m.armies[0].owner, "");
		assert_int_equal(m.armies[0].y, 2);
		shard_replica_msg_free(&m);
	}
}

static void
test_allies_across_homes(void **state)
{
	fixture      *f  = *state;
	sh_rep_player a  = { .address = P1, .alliance_id = 12 };
	sh_rep_player b  = { .address = P2, .alliance_id = 12 };
	sh_rep_player c  = { .address = P3, .alliance_id = 13 };
	sh_rep_player all[3];
	sh_rep_msg    m;

	all[0] = a, all[1] = b, all[2] = c;
	m      = msg(3, 5, 1, all, 3, NULL, 0);
	assert_true(shard_replica_apply(f->w1, &m));
	assert_true(shard_allied(cm_table_get_str(f->w1->players, P1),
	    cm_table_get_str(f->w1->players, P2)));
	assert_false(shard_allied(cm_table_get_str(f->w1->players, P1),
	    cm_table_get_str(f->w1->players, P3)));
	/* The member index knows them, but answers only for its home. */
	assert_non_null(cm_table_get_u64(f->w1->members, 12));
	assert_int_equal(
	    ((sh_vec *) cm_table_get_u64(f->w1->members, 12))->n, 2);
}

static void
test_vision_across_border(void **state)
{
	fixture      *f  = *state;
	int64_t       now = cm_time_now_ms();
	sh_rep_player ps[3] = { { .address = P1, .race = 0, .alliance_id = 4 },
		{ .address = P2, .race = 3 /* sylvaeth, +2 */, .alliance_id = 4 },
		{ .address = P3, .race = 0 } };
	sh_rep_tile   ts[2] = { { .x = 49, .y = 10, .owner = P1, .sight = 2 },
		  { .x = 49, .y = 30, .owner = P2, .sight = 2 } };
	sh_rep_msg    m  = msg(0, 9, 1, ps, 3, ts, 2);
	sh_player    *o, *ally, *stranger;
	uint8_t      *lv = cm_calloc((size_t) f->w1->rw * (size_t) f->w1->rh, 1);

	assert_true(shard_replica_apply(f->w1, &m));
	o        = cm_table_get_str(f->w1->players, P1);
	ally     = cm_table_get_str(f->w1->players, P2);
	stranger = cm_table_get_str(f->w1->players, P3);
	/* P1's own land at (49, 10), sight 2, across the border. */
	assert_int_equal(shard_vision_level(f->w1, o, 50, 10, now),
	    SH_VIS_ADJACENT);
	assert_int_equal(shard_vision_level(f->w1, o, 51, 12, now),
	    SH_VIS_ADJACENT);
	assert_int_equal(shard_vision_level(f->w1, o, 52, 10, now),
	    SH_VIS_DISTANT);
	/* The ally's land at (49, 30), sight 2 + the Sylvaeth's 2: shared. */
	assert_int_equal(shard_vision_level(f->w1, o, 53, 30, now),
	    SH_VIS_ADJACENT);
	assert_int_equal(shard_vision_level(f->w1, ally, 53, 30, now),
	    SH_VIS_ADJACENT);
	assert_int_equal(shard_vision_level(f->w1, o, 54, 30, now),
	    SH_VIS_DISTANT);
	/* A stranger sees none of it. */
	assert_int_equal(shard_vision_level(f->w1, stranger, 50, 10, now),
	    SH_VIS_DISTANT);
	/* The region view agrees tile by tile. */
	shard_vision_region(f->w1, o, lv, now);
	for (int y = f->w1->region.y0; y <= f->w1->region.y1; y++) {
		for (int x = f->w1->region.x0; x <= f->w1->region.x1; x++) {
			uint8_t got = lv[(size_t) (y - f->w1->region.y0) *
			        (size_t) f->w1->rw + (size_t) (x - f->w1->region.x0)];

			if (got != (uint8_t) shard_vision_level(f->w1, o, x, y,
			               now)) {
				fail_msg("tile %d,%d: view %d", x, y, got);
			}
		}
	}
	free(lv);
}

/* An army near a border is told to the other shards, and its sight
 * crosses it; when it leaves the band the others forget it. */
static void
test_border_armies(void **state)
{
	fixture   *f = *state;
	sh_player *p = home_player(f->w0, P1, 0);
	sh_army   *a = shard_army_new(f->w0, 31, p, 49, 40);
	sh_group   g;
	sh_rep_msg m;
	int64_t    now = cm_time_now_ms();
	sh_player *o;
	uint8_t   *lv = cm_calloc((size_t) f->w1->rw * (size_t) f->w1->rh, 1);

	memset(&g, 0, sizeof(g));
	sh_vec_push(&g.armies, 31);
	assert_true(roundtrip(f->w0, &g, &m));
	assert_int_equal(m.narmies, 1);
	assert_int_equal(m.armies[0].id, 31);
	assert_string_equal(m.armies[0].owner, P1);
	assert_int_equal(m.armies[0].x, 49);
	assert_true(shard_replica_apply(f->w1, &m));
	shard_replica_msg_free(&m);
	o = cm_table_get_str(f->w1->players, P1);
	assert_non_null(o);
	assert_int_equal(shard_vision_level(f->w1, o, 50, 40, now),
	    SH_VIS_ADJACENT);
	assert_int_equal(shard_vision_level(f->w1, o, 51, 40, now),
	    SH_VIS_DISTANT);
	shard_vision_region(f->w1, o, lv, now);
	assert_int_equal(lv[(40 - f->w1->region.y0) * f->w1->rw + 0],
	    SH_VIS_ADJACENT);
	assert_int_equal(lv[(40 - f->w1->region.y0) * f->w1->rw + 1],
	    SH_VIS_DISTANT);
	/* Unchanged: not sent again.  Out of the band: forgotten. */
	assert_false(roundtrip(f->w0, &g, &m));
	shard_army_place(f->w0, a, 20, 20);
	assert_true(roundtrip(f->w0, &g, &m));
	assert_int_equal(m.narmies, 1);
	assert_string_equal(m.armies[0].owner, "");
	assert_true(shard_replica_apply(f->w1, &m));
	shard_replica_msg_free(&m);
	assert_int_equal(shard_vision_level(f->w1, o, 50, 40, now),
	    SH_VIS_DISTANT);
	/* An army deep in the region is nobody else's business. */
	assert_false(roundtrip(f->w0, &g, &m));
	sh_vec_free(&g.armies);
	free(lv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_encode_changes_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
		cmocka_unit_test(test_decode_strict),
		cmocka_unit_test_setup_teardown(test_allies_across_homes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vision_across_border,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_border_armies, setup,
		    teardown),
	};
	char err[256];

	cm_assert(cm_rules_load(NULL, err, sizeof(err)) == CM_OK);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
