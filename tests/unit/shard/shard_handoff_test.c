/*
 * shard_handoff_test.c: an army whose march ends in another shard's
 * region leaves the world at its arrival (its tile, its owner's list, the
 * table) and goes with the next group commit, on its new tile, as it
 * was; an acknowledgement marks the hand-off done; hand-
 * off messages read back exactly and malformed ones are refused; a
 * revealed attack on another region's tile goes there with its army; a
 * move may now name another region's tile, and an attack there is judged
 * by the replica's owner of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_time.h"
#include "shard_handoff.h"
#include "shard_persist.h"
#include "shard_state.h"
#include "shard_world.h"
#include "shard_test_world.h"

#define OWNER "0x1111111111111111111111111111111111111110"

static int
setup(void **state)
{
	/* Shard 0 of 4: x 0-49, y 0-49. */
	return (fixture_setup(state, 4, 0, 3, 9, 0));
}

/* ids: the test world has no store; give it a block. */
static void
ids(shard_world *w)
{
	w->id_next = 1000;
	w->id_end  = 2000;
}

static void
test_codec(void **state)
{
	sh_ho_msg       m = { SH_HO_ACK, 7, 3, 1, 99, 12345 }, back;
	msgpack_sbuffer sb;
	char            ch[48];

	(void) state;
	msgpack_sbuffer_init(&sb);
	shard_handoff_encode(&m, &sb);
	assert_true(shard_handoff_decode(sb.data, sb.size, &back));
	assert_memory_equal(&m, &back, sizeof(m));
	/* Truncated, or one byte more: refused. */
	assert_false(shard_handoff_decode(sb.data, sb.size - 1, &back));
	msgpack_sbuffer_write(&sb, "\0", 1);
	assert_false(shard_handoff_decode(sb.data, sb.size, &back));
	msgpack_sbuffer_destroy(&sb);
	/* Zero ids and unknown kinds are refused. */
	m.id = 0;
	msgpack_sbuffer_init(&sb);
	shard_handoff_encode(&m, &sb);
	assert_false(shard_handoff_decode(sb.data, sb.size, &back));
	msgpack_sbuffer_destroy(&sb);
	m.id   = 5;
	m.kind = (sh_ho_kind) 7;
	msgpack_sbuffer_init(&sb);
	shard_handoff_encode(&m, &sb);
	assert_false(shard_handoff_decode(sb.data, sb.size, &back));
	msgpack_sbuffer_destroy(&sb);
	shard_handoff_channel(12, ch, sizeof(ch));
	assert_string_equal(ch, "channel:shard:12");
}

static void
test_out_and_ack(void **state)
{
	fixture   *f = *state;
	sh_player *p = shard_player_new(f->w, OWNER);
	sh_army   *a = shard_army_new(f->w, 77, p, 48, 10);
	sh_group  *g;
	sh_ho_msg  ack = { SH_HO_ACK, 3, 0, 1, 0, 77 };

	ids(f->w);
	a->units[0]   = 5;
	a->morale     = 80;
	a->status     = SH_MOVING;
	a->dx         = 52; /* shard 1's */
	a->dy         = 10;
	a->arrival_ms = cm_time_now_ms() - 1;
	/* What the arrival timer does for a march into another region. */
	shard_handoff_out(f->w, a);
	/* Gone from the world... */
	assert_null(cm_table_get_u64(f->w->armies, 77));
	assert_null(shard_tile(f->w, 48, 10)->armies);
	assert_int_equal(p->armies.n, 0);
	/* ...and held by the group, on its new tile, idle, as it was. */
	g = f->w->gathering;
	assert_non_null(g);
	assert_int_equal(g->nhandoffs, 1);
	assert_int_equal(g->handoffs[0].to, 1);
	assert_ptr_equal(g->handoffs[0].army, a);
	assert_int_equal(a->x, 52);
	assert_int_equal(a->y, 10);
	assert_int_equal(a->status, SH_IDLE);
	assert_int_equal(a->morale, 80);
	assert_int_equal(a->units[0], 5);

	/* The destination's acknowledgement ends the hand-off. */
	ack.id = g->handoffs[0].id;
	shard_handoff_receive(f->w, &ack);
	assert_int_equal(g->nhandoffs_done, 1);
	assert_int_equal(g->handoffs_done[0], ack.id);
	/* Another generation's, or another shard's, is not ours. */
	ack.generation = 4;
	shard_handoff_receive(f->w, &ack);
	ack.generation = 3;
	ack.from       = 2;
	shard_handoff_receive(f->w, &ack);
	assert_int_equal(g->nhandoffs_done, 1);
}

/* A revealed attack on another region's tile goes, army and combat, to
 * that tile's shard when the army arrives; the way home is kept. */
static void
test_battle_across(void **state)
{
	fixture   *f = *state;
	sh_player *p = shard_player_new(f->w, OWNER);
	sh_army   *a = shard_army_new(f->w, 80, p, 47, 20);
	sh_combat *c = cm_calloc(1, sizeof(*c));
	sh_group  *g;

	ids(f->w);
	a->units[0]   = 9;
	a->status     = SH_COMBAT;
	a->dx         = 55;
	a->dy         = 20;
	a->combat_id  = 900;
	c->id         = 900;
	c->army_id    = 80;
	c->x          = 55;
	c->y          = 20;
	c->arrival_ms = cm_time_now_ms() - 1;
	snprintf(c->status, sizeof(c->status), "revealed");
	cm_table_put_u64(f->w->combats, 900, c);
	shard_combat_start(f->w, c, cm_time_now_ms());
	assert_null(cm_table_get_u64(f->w->armies, 80));
	assert_null(cm_table_get_u64(f->w->combats, 900));
	g = f->w->gathering;
	assert_int_equal(g->nhandoffs, 1);
	assert_int_equal(g->handoffs[0].to, 1);
	assert_ptr_equal(g->handoffs[0].combat, c);
	assert_string_equal(c->status, "revealed"); /* fought there */
	assert_int_equal(a->status, SH_COMBAT);
	assert_int_equal(a->x, 55);
	assert_int_equal(a->dx, 47); /* home, if beaten */
	assert_int_equal(a->dy, 20);
}

static void
test_move_across(void **state)
{
	fixture           *f = *state;
	sh_player         *p = shard_player_new(f->w, OWNER);
	Nd__ShardRequest   rq = ND__SHARD_REQUEST__INIT;
	Nd__ArmyMove       mv = ND__ARMY_MOVE__INIT;
	Nd__ShardReply    *r;
	int                x = 50, y = -1;

	ids(f->w);
	p->home = true;
	/* Land on both sides of the border at x 49 | 50. */
	for (int cy = 0; cy < 50 && y < 0; cy++) {
		if (!cm_terrain_is_water(cm_map_terrain(f->w->map, 49, cy)) &&
		    !cm_terrain_is_water(cm_map_terrain(f->w->map, 50, cy))) {
			y = cy;
		}
	}
	assert_true(y >= 0);
	shard_army_new(f->w, 78, p, 49, y)->units[0] = 3;
	rq.player      = OWNER;
	rq.body_case   = ND__SHARD_REQUEST__BODY_ARMY_MOVE;
	rq.army_move   = &mv;
	mv.army_id     = 78;
	mv.x           = x;
	mv.y           = y;
	r              = test_world_ask(f->w, &rq);
	/* Without a store the action stops at 503: past every check. */
	assert_non_null(r->error);
	assert_string_equal(r->error->code, "STORAGE_UNAVAILABLE");
	nd__shard_reply__free_unpacked(r, NULL);
	/* An attack there is judged by the replica's owner of the tile:
	 * nobody's land is no target; another player's, in the planning
	 * phase, is not yet one. */
	{
		Nd__ArmyAttack at = ND__ARMY_ATTACK__INIT;

		at.army_id      = 78;
		at.x            = x;
		at.y            = y;
		rq.body_case    = ND__SHARD_REQUEST__BODY_ARMY_ATTACK;
		rq.army_attack  = &at;
		if (cm_map_forsaken(f->w->map, x, y, &(uint32_t) { 0 }) ==
		    CM_FORSAKEN_NONE) {
			r = test_world_ask(f->w, &rq);
			assert_non_null(r->error);
			assert_string_equal(r->error->code, "INVALID_TARGET");
			nd__shard_reply__free_unpacked(r, NULL);
		}
		f->w->rep_owner[y * 100 + x] = shard_player_new(f->w,
		    "0x1111111111111111111111111111111111111113");
		r = test_world_ask(f->w, &rq);
		assert_non_null(r->error);
		assert_string_equal(r->error->code, "PVP_DISABLED");
		nd__shard_reply__free_unpacked(r, NULL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec),
		cmocka_unit_test_setup_teardown(test_out_and_ack, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_battle_across, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_move_across, setup,
		    teardown),
	};
	char err[256];

	cm_assert(cm_rules_load(NULL, err, sizeof(err)) == CM_OK);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
