/*
 * shard_test_world.h: the world the shard's unit tests stand up: shard
 * index of shards on a 100 x 100 map, without stores (reads answer,
 * actions stop at 503), generation id with map_seed, begun days_ago game
 * days before now and lasting 50.
 */
#ifndef SHARD_TEST_WORLD_H
#define SHARD_TEST_WORLD_H

#include <jansson.h>
#include <stdio.h>

#include "cm_alloc.h"
#include "cm_battle.h"
#include "cm_time.h"
#include "shard_state.h"
#include "shard_world.h"

#define TEST_DAY_MS (86400LL * 1000)

static shard_world *
test_world_new(int shards, int index, uint32_t id, uint64_t map_seed,
    int days_ago, cm_metrics **m)
{
	cm_layout     l;
	cm_generation g = { .id = id, .map_seed = map_seed, .map_w = 100,
		.map_h = 100 };
	shard_world  *w;

	cm_assert(cm_layout_init(&l, 100, 100, shards) == CM_OK);
	*m         = cm_metrics_new();
	g.start_ms = cm_time_now_ms() - days_ago * TEST_DAY_MS;
	g.end_ms   = g.start_ms + 50 * TEST_DAY_MS;
	cm_assert(shard_world_new(&l, index, &g, *m, &w) == CM_OK);
	/* A block of ids, as a shard with a store reserves (what a battle or
	 * a hand-off takes; actions still stop at the missing store). */
	w->id_next = 1u << 20;
	w->id_end  = 1u << 21;
	return (w);
}

/*
 * test_world_ask packs rq, lets the world answer and unpacks the reply
 * (free it with nd__shard_reply__free_unpacked).  Without a store nothing
 * is ever held.
 */
static inline Nd__ShardReply *
test_world_ask(shard_world *w, const Nd__ShardRequest *rq)
{
	size_t          len = nd__shard_request__get_packed_size(rq), rlen;
	uint8_t        *buf = cm_malloc(len), *rep;
	Nd__ShardReply *r;
	bool            hold;

	nd__shard_request__pack(rq, buf);
	shard_world_handle(w, buf, len, &rep, &rlen, &hold);
	cm_assert(!hold);
	r = nd__shard_reply__unpack(NULL, rlen, rep);
	cm_assert(r != NULL);
	free(buf);
	free(rep);
	return (r);
}

/*
 * test_world_cast: who casts spell on army id (id != 0) or on tile (x, y),
 * asked as the gateway asks; test_world_refused checks that the answer is
 * the refusal code (and frees it).  For tests that include cmocka first.
 */
static inline Nd__ShardReply *
test_world_cast(shard_world *w, const char *who, const char *spell,
    uint64_t id, int x, int y)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__SpellCast    c  = ND__SPELL_CAST__INIT;
	Nd__Coord        xy = ND__COORD__INIT;

	c.spell_id = (char *) spell;
	if (id != 0) {
		c.target_case = ND__SPELL_CAST__TARGET_ARMY_ID;
		c.army_id     = id;
	} else {
		xy.x          = x;
		xy.y          = y;
		c.target_case = ND__SPELL_CAST__TARGET_COORD;
		c.coord       = &xy;
	}
	rq.player     = (char *) who;
	rq.body_case  = ND__SHARD_REQUEST__BODY_SPELL_CAST;
	rq.spell_cast = &c;
	return (test_world_ask(w, &rq));
}

static inline void
test_world_refused(Nd__ShardReply *r, const char *code)
{
	assert_non_null(r->error);
	assert_string_equal(r->error->code, code);
	nd__shard_reply__free_unpacked(r, NULL);
}

/*
 * test_world_fight: army a's attack on (x, y) as combat id, revealed and
 * fought now; *in is the battle input it fought (read back from the
 * combat's record).  For tests that include cmocka first.
 */
static inline sh_combat *
test_world_fight(shard_world *w, sh_army *a, int x, int y, uint64_t id,
    cm_battle_input *in)
{
	sh_combat *c = cm_calloc(1, sizeof(*c));
	json_t    *j;
	char       err[128];

	c->id       = id;
	c->army_id  = a->id;
	c->x        = (int16_t) x;
	c->y        = (int16_t) y;
	c->has_salt = true;
	snprintf(c->attacker, sizeof(c->attacker), "%s", a->owner->address);
	snprintf(c->status, sizeof(c->status), "revealed");
	cm_table_put_u64(w->combats, c->id, c);
	shard_combat_resolve(w, c, cm_time_now_ms());
	j = json_loads(c->battle_input, 0, NULL);
	assert_int_equal(cm_battle_input_parse(j, in, err, sizeof(err)), CM_OK);
	json_decref(j);
	return (c);
}

static void
test_world_free(shard_world *w, cm_metrics *m)
{
	shard_world_free(w);
	cm_metrics_free(m);
}

#ifndef TEST_WORLD_OWN_FIXTURE
/* The plain fixture: a world and its metrics (a test with a fixture of
 * its own defines TEST_WORLD_OWN_FIXTURE first). */
typedef struct fixture {
	cm_metrics  *m;
	shard_world *w;
} fixture;

static int
fixture_setup(void **state, int shards, int index, uint32_t id,
    uint64_t map_seed, int days_ago)
{
	fixture *f = cm_calloc(1, sizeof(*f));

	f->w   = test_world_new(shards, index, id, map_seed, days_ago, &f->m);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	fixture *f = *state;

	test_world_free(f->w, f->m);
	free(f);
	return (0);
}
#endif

#endif
