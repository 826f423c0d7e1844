/*
 * shard_player_sync_test.c: what a battle changes of a player homed on
 * another shard goes home: the change is taken against a snapshot (only
 * what grew: death, a later wound or frenzy, points won, the captain's
 * army gone), nothing for a home player or an unchanged one; the message
 * reads back exactly and malformed ones are refused; the home shard
 * applies it once (a repeat in the same run is ignored), marks the row
 * done, and ignores one for a player it does not home.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "cm_alloc.h"
#include "shard_persist.h"
#include "shard_player_sync.h"
#include "shard_state.h"
#include "shard_world.h"
#include "shard_test_world.h"

/* Homed on shard 2 of 4: not on shard 0, the fixture's. */
#define AWAY "0x1111111111111111111111111111111111111110"

static int
setup(void **state)
{
	return (fixture_setup(state, 4, 0, 3, 9, 0));
}

static void
test_after(void **state)
{
	fixture      *f = *state;
	sh_player    *p = shard_player_new(f->w, AWAY);
	sh_psync_snap before;
	sh_group     *g;

	f->w->id_next = 10;
	f->w->id_end  = 100;
	assert_false(p->home);
	p->captain_army = 42;
	p->points       = 100;
	shard_player_sync_snap(p, &before);
	shard_player_sync_after(f->w, p, &before);
	assert_true(f->w->gathering == NULL ||
	    f->w->gathering->npsyncs == 0); /* nothing changed */
	p->captain_dead    = true;
	p->captain_army    = 0;
	p->points          = 130;
	p->frenzy_until_ms = 5000;
	shard_player_sync_after(f->w, p, &before);
	g = f->w->gathering;
	assert_int_equal(g->npsyncs, 1);
	assert_string_equal(g->psyncs[0].player, AWAY);
	assert_int_equal(g->psyncs[0].to, 2);
	assert_int_equal(g->psyncs[0].from, 0);
	assert_true(g->psyncs[0].captain_dead);
	assert_int_equal(g->psyncs[0].points, 30);
	assert_int_equal(g->psyncs[0].army_gone, 42);
	assert_int_equal(g->psyncs[0].frenzy_until_ms, 5000);
	assert_int_equal(g->psyncs[0].wounded_until_ms, 0);
	/* A home player's marks carry its own changes. */
	p->home = true;
	shard_player_sync_snap(p, &before);
	p->points += 5;
	shard_player_sync_after(f->w, p, &before);
	assert_int_equal(g->npsyncs, 1);
}

static void
test_codec(void **state)
{
	sh_psync        m = { .generation = 3, .from = 1, .to = 2, .id = 77,
		       .player = AWAY, .captain_dead = true,
		       .wounded_until_ms = 9, .frenzy_until_ms = 8,
		       .points = 12, .army_gone = 5 },
	                back;
	msgpack_sbuffer sb;

	(void) state;
	msgpack_sbuffer_init(&sb);
	shard_player_sync_encode(&m, &sb);
	assert_true(shard_player_sync_decode(sb.data, sb.size, &back));
	assert_int_equal(back.generation, 3);
	assert_int_equal(back.from, 1);
	assert_int_equal(back.to, 2);
	assert_int_equal(back.id, 77);
	assert_string_equal(back.player, AWAY);
	assert_true(back.captain_dead);
	assert_int_equal(back.wounded_until_ms, 9);
	assert_int_equal(back.frenzy_until_ms, 8);
	assert_int_equal(back.points, 12);
	assert_int_equal(back.army_gone, 5);
	assert_false(shard_player_sync_decode(sb.data, sb.size - 1, &back));
	msgpack_sbuffer_destroy(&sb);
	/* An upper-case address, or a negative count, is refused. */
	memcpy(m.player + 2, "AB", 2);
	msgpack_sbuffer_init(&sb);
	shard_player_sync_encode(&m, &sb);
	assert_false(shard_player_sync_decode(sb.data, sb.size, &back));
	msgpack_sbuffer_destroy(&sb);
	memcpy(m.player + 2, "11", 2);
	m.points = -1;
	msgpack_sbuffer_init(&sb);
	shard_player_sync_encode(&m, &sb);
	assert_false(shard_player_sync_decode(sb.data, sb.size, &back));
	msgpack_sbuffer_destroy(&sb);
}

static void
test_receive(void **state)
{
	fixture   *f = *state;
	sh_player *p = shard_player_new(f->w, AWAY);
	sh_psync   m = { .generation = 3, .from = 2, .to = 0, .id = 91,
		     .player = AWAY, .wounded_until_ms = 700, .points = 20,
		     .army_gone = 42 };
	sh_group  *g;

	/* Not homed here: not ours to keep. */
	shard_player_sync_receive(f->w, &m);
	assert_int_equal(p->points, 0);
	p->home         = true;
	p->points       = 10;
	p->captain_army = 42;
	shard_player_sync_receive(f->w, &m);
	assert_int_equal(p->points, 30);
	assert_int_equal(p->captain_wounded_until_ms, 700);
	assert_int_equal(p->captain_army, 0);
	assert_false(p->captain_dead);
	g = f->w->gathering;
	assert_int_equal(g->npsyncs_done, 1);
	assert_int_equal(g->psyncs_done[0], 91);
	/* Sent again before the row went: applied once. */
	shard_player_sync_receive(f->w, &m);
	assert_int_equal(p->points, 30);
	assert_int_equal(g->npsyncs_done, 1);
	/* Another generation's is not. */
	m.id         = 92;
	m.generation = 4;
	shard_player_sync_receive(f->w, &m);
	assert_int_equal(p->points, 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_after, setup, teardown),
		cmocka_unit_test(test_codec),
		cmocka_unit_test_setup_teardown(test_receive, setup, teardown),
	};
	char err[256];

	cm_assert(cm_rules_load(NULL, err, sizeof(err)) == CM_OK);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
