/*
 * shard_world_test.c: the shard's answers, from protobuf bytes in to
 * protobuf bytes out: ping, generation phases, a tile of its own region,
 * refusals (outside the map, another shard's tile, undecodable bytes);
 * the actions' checks in their order (without a store, every action that
 * passes them is refused with 503); a battle of the D20 engine and its
 * replay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_battle.h"
#include "cm_log.h"
#include "cm_time.h"
#include "shard_state.h"
#include "shard_world.h"
#include "shard_test_world.h"

#define DAY_MS_T TEST_DAY_MS

static int
setup(void **state)
{
	return (fixture_setup(state, 4, 2, 7, 1, 0));
}

static Nd__ShardReply *
ask_tile(shard_world *w, int x, int y)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__TerritoryGet t  = ND__TERRITORY_GET__INIT;

	t.x              = x;
	t.y              = y;
	rq.request_id    = 99;
	rq.body_case     = ND__SHARD_REQUEST__BODY_TERRITORY_GET;
	rq.territory_get = &t;
	return (test_world_ask(w, &rq));
}

static void
set_start(shard_world *w, int64_t ms)
{
	w->gen.start_ms = ms;
	w->gen.end_ms   = ms + 50 * DAY_MS_T;
}

static void
test_ping_and_generation(void **state)
{
	fixture          *f  = *state;
	Nd__ShardRequest  rq = ND__SHARD_REQUEST__INIT;
	Nd__PingRequest   p  = ND__PING_REQUEST__INIT;
	Nd__GenerationGet g  = ND__GENERATION_GET__INIT;
	Nd__ShardReply   *r;

	rq.request_id = 5;
	rq.body_case  = ND__SHARD_REQUEST__BODY_PING;
	rq.ping       = &p;
	r             = test_world_ask(f->w, &rq);
	assert_int_equal(r->request_id, 5);
	assert_int_equal(r->shard, 2);
	assert_int_equal(r->body_case, ND__SHARD_REPLY__BODY_PONG);
	assert_int_equal(r->pong->shard_count, 4);
	nd__shard_reply__free_unpacked(r, NULL);

	rq.body_case      = ND__SHARD_REQUEST__BODY_GENERATION_GET;
	rq.generation_get = &g;
	r                 = test_world_ask(f->w, &rq);
	assert_int_equal(r->generation->id, 7);
	assert_int_equal(r->generation->day, 1);
	assert_string_equal(r->generation->phase, "planning");
	assert_string_equal(r->generation->status, "planning");
	assert_true(r->generation->end_time_ms - r->generation->start_time_ms ==
	    50 * DAY_MS_T);
	nd__shard_reply__free_unpacked(r, NULL);

	/* Day 21 is "mid" and "active"; day 47 "late" and "endgame". */
	set_start(f->w, cm_time_now_ms() - 20 * DAY_MS_T - 1000);
	r                  = test_world_ask(f->w, &rq);
	assert_int_equal(r->generation->day, 21);
	assert_string_equal(r->generation->phase, "mid");
	assert_string_equal(r->generation->status, "active");
	nd__shard_reply__free_unpacked(r, NULL);
	set_start(f->w, cm_time_now_ms() - 46 * DAY_MS_T - 1000);
	r                  = test_world_ask(f->w, &rq);
	assert_string_equal(r->generation->phase, "late");
	assert_string_equal(r->generation->status, "endgame");
	nd__shard_reply__free_unpacked(r, NULL);
	set_start(f->w, cm_time_now_ms() - 60 * DAY_MS_T);
	r                  = test_world_ask(f->w, &rq);
	assert_string_equal(r->generation->phase, "ended");
	assert_int_equal(r->generation->day, 51);
	nd__shard_reply__free_unpacked(r, NULL);
	set_start(f->w, cm_time_now_ms());
}

static void
test_own_tile(void **state)
{
	fixture        *f = *state;
	Nd__ShardReply *r = ask_tile(f->w, 10, 80);

	assert_null(r->error);
	assert_int_equal(r->request_id, 99);
	assert_int_equal(r->body_case, ND__SHARD_REPLY__BODY_TERRITORY);
	assert_int_equal(r->territory->x, 10);
	assert_int_equal(r->territory->y, 80);
	assert_string_equal(r->territory->owner, "");
	assert_string_equal(r->territory->zone, "outer");
	assert_string_equal(r->territory->terrain,
	    cm_terrain_name(cm_map_terrain(f->w->map, 10, 80)));
	assert_string_equal(r->territory->visibility, "distant");
	nd__shard_reply__free_unpacked(r, NULL);
	r = ask_tile(f->w, 49, 50); /* the region's corner next to the heart */
	assert_null(r->error);
	assert_string_equal(r->territory->zone, "heart");
	nd__shard_reply__free_unpacked(r, NULL);
}

static void
test_refusals(void **state)
{
	fixture        *f = *state;
	Nd__ShardReply *r;
	uint8_t        *rep;
	size_t          rlen;
	bool            hold;
	static const uint8_t junk[] = { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };

	r = ask_tile(f->w, 100, 80);
	assert_string_equal(r->error->code, "INVALID_COORD");
	assert_int_equal(r->error->http_status, 400);
	nd__shard_reply__free_unpacked(r, NULL);
	r = ask_tile(f->w, -1, 80);
	assert_string_equal(r->error->code, "INVALID_COORD");
	nd__shard_reply__free_unpacked(r, NULL);
	r = ask_tile(f->w, 60, 10); /* shard 1's */
	assert_string_equal(r->error->code, "WRONG_SHARD");
	nd__shard_reply__free_unpacked(r, NULL);

	shard_world_handle(f->w, junk, sizeof(junk), &rep, &rlen, &hold);
	r = nd__shard_reply__unpack(NULL, rlen, rep);
	assert_non_null(r);
	assert_string_equal(r->error->code, "BAD_REQUEST");
	nd__shard_reply__free_unpacked(r, NULL);
	free(rep);
}

#define ME "0x1111111111111111111111111111111111111111"
#define YOU "0x2222222222222222222222222222222222222222"
#define THIRD "0x3333333333333333333333333333333333333333"

/* give makes p own (x, y) with a stock, as a registration would. */
static sh_player *
give(shard_world *w, const char *addr, int race, int x, int y)
{
	sh_player *p = cm_table_get_str(w->players, addr);

	if (p == NULL) {
		p       = shard_player_new(w, addr);
		p->race = (uint8_t) race;
	}
	shard_tile_set_owner(w, x, y, p);
	cm_tier_resources(false, &shard_tile(w, x, y)->res);
	return (p);
}

static Nd__ShardReply *
ask_build(shard_world *w, const char *who, int x, int y, const char *type)
{
	Nd__ShardRequest   rq = ND__SHARD_REQUEST__INIT;
	Nd__TerritoryBuild b  = ND__TERRITORY_BUILD__INIT;

	b.x                = x;
	b.y                = y;
	b.building_type    = (char *) type;
	rq.player          = (char *) who;
	rq.body_case       = ND__SHARD_REQUEST__BODY_TERRITORY_BUILD;
	rq.territory_build = &b;
	return (test_world_ask(w, &rq));
}

static void
expect(Nd__ShardReply *r, const char *code, uint32_t status)
{
	assert_non_null(r->error);
	assert_string_equal(r->error->code, code);
	assert_int_equal(r->error->http_status, status);
	nd__shard_reply__free_unpacked(r, NULL);
}

/* Each check answers before the next; the last one standing is the store. */
static void
test_build_refusals(void **state)
{
	fixture *f = *state;

	expect(ask_build(f->w, "", 10, 60, "farm"), "UNAUTHORIZED", 401);
	/* An unknown address cannot be looked up without PostgreSQL. */
	expect(ask_build(f->w, YOU, 10, 60, "farm"), "STORAGE_UNAVAILABLE",
	    503);
	give(f->w, ME, 0, 10, 60);
	give(f->w, YOU, 1, 11, 60);
	expect(ask_build(f->w, ME, 10, 600, "farm"), "INVALID_COORD", 400);
	expect(ask_build(f->w, ME, 60, 10, "farm"), "WRONG_SHARD", 500);
	expect(ask_build(f->w, ME, 10, 60, "castle"), "INVALID_BUILDING", 400);
	expect(ask_build(f->w, ME, 11, 60, "farm"), "NOT_OWNER", 403);
	expect(ask_build(f->w, ME, 10, 60, "market"), "MISSING_PREREQUISITE",
	    409);
	expect(ask_build(f->w, ME, 10, 60, "siegeworkshop"),
	    "MISSING_PREREQUISITE", 409);
	/* Past its due end the generation is over, before any shard has
	 * written it ended. */
	set_start(f->w, cm_time_now_ms() - 50 * DAY_MS_T);
	assert_int_equal(f->w->gen.ended_ms, 0);
	expect(ask_build(f->w, ME, 10, 60, "farm"), "GENERATION_ENDED", 409);
	{
		/* Timers due after the end do nothing; the last day's tick
		 * (due at the end) and earlier ones act; an operator's early
		 * end freezes from then. */
		sh_timer t = { .kind = SH_T_ARRIVAL,
			.due_ms = f->w->gen.end_ms + 1 };

		assert_true(shard_timer_frozen(f->w, &t));
		t.due_ms = f->w->gen.end_ms;
		assert_false(shard_timer_frozen(f->w, &t));
		t.kind   = SH_T_DAY;
		t.due_ms = f->w->gen.end_ms + 1;
		assert_false(shard_timer_frozen(f->w, &t));
		t.kind           = SH_T_BUILDING;
		t.due_ms         = f->w->gen.end_ms - DAY_MS_T;
		f->w->gen.ended_ms = f->w->gen.end_ms - 2 * DAY_MS_T;
		assert_true(shard_timer_frozen(f->w, &t));
		f->w->gen.ended_ms = 0;
	}
	set_start(f->w, cm_time_now_ms());
	shard_tile(f->w, 10, 60)->res.gold = 50;
	expect(ask_build(f->w, ME, 10, 60, "farm"), "INSUFFICIENT_RESOURCES",
	    409);
	shard_tile(f->w, 10, 60)->res.gold = 1000;
	expect(ask_build(f->w, ME, 10, 60, "farm"), "STORAGE_UNAVAILABLE",
	    503);
	/* Refused actions spend nothing. */
	assert_int_equal(shard_tile(f->w, 10, 60)->res.gold, 1000);
	assert_int_equal(shard_tile(f->w, 10, 60)->nb, 0);
	/* A farm is 100 gold: the Vaelthir (race 1) pay 15% more (§6.3). */
	shard_tile(f->w, 10, 60)->res.gold = 100;
	expect(ask_build(f->w, ME, 10, 60, "farm"), "STORAGE_UNAVAILABLE",
	    503);
	shard_tile(f->w, 11, 60)->res.gold = 114;
	expect(ask_build(f->w, YOU, 11, 60, "farm"), "INSUFFICIENT_RESOURCES",
	    409);
	shard_tile(f->w, 11, 60)->res.gold = 115;
	expect(ask_build(f->w, YOU, 11, 60, "farm"), "STORAGE_UNAVAILABLE",
	    503);
	/* The Sylvaeth (race 3) build no siege workshop (§6.5). */
	give(f->w, THIRD, 3, 12, 60);
	expect(ask_build(f->w, THIRD, 12, 60, "siegeworkshop"),
	    "RACE_CANNOT_BUILD", 409);
}

static Nd__ShardReply *
ask_move(shard_world *w, const char *who, uint64_t id, int x, int y)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__ArmyMove     m  = ND__ARMY_MOVE__INIT;

	m.army_id    = id;
	m.x          = x;
	m.y          = y;
	rq.player    = (char *) who;
	rq.body_case = ND__SHARD_REQUEST__BODY_ARMY_MOVE;
	rq.army_move = &m;
	return (test_world_ask(w, &rq));
}

static Nd__ShardReply *
ask_create(shard_world *w, const char *who, int x, int y, const char *type,
    uint32_t n)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__ArmyCreate   c  = ND__ARMY_CREATE__INIT;
	Nd__UnitCount    u  = ND__UNIT_COUNT__INIT;
	Nd__UnitCount   *up = &u;

	u.type         = (char *) type;
	u.count        = n;
	c.x            = x;
	c.y            = y;
	c.n_units      = 1;
	c.units        = &up;
	rq.player      = (char *) who;
	rq.body_case   = ND__SHARD_REQUEST__BODY_ARMY_CREATE;
	rq.army_create = &c;
	return (test_world_ask(w, &rq));
}

static void
test_army_refusals(void **state)
{
	fixture   *f = *state;
	sh_player *me = give(f->w, ME, 0, 10, 60);
	sh_army   *a;
	int        wx = -1, wy = -1, sx = -1, sy = -1;

	give(f->w, YOU, 1, 12, 60);
	expect(ask_create(f->w, ME, 10, 60, "zephyr", 5), "INVALID_UNITS", 400);
	expect(ask_create(f->w, ME, 10, 60, "stoneshield", 0), "INVALID_UNITS",
	    400);
	expect(ask_create(f->w, ME, 12, 60, "stoneshield", 5), "NOT_OWNER",
	    403);
	/* Training needs the role's building, completed, on the tile. */
	expect(ask_create(f->w, ME, 10, 60, "stoneshield", 5),
	    "MISSING_BUILDING", 409);
	{
		sh_tile *t = shard_tile(f->w, 10, 60);

		t->b  = cm_calloc(2, sizeof(*t->b));
		t->nb = 2;
		t->b[0].type    = (uint8_t) cm_building_index("barracks");
		t->b[0].hp      = 1000;
		t->b[0].done_ms = 1;
		t->b[1].type    = (uint8_t) cm_building_index("warhall");
		t->b[1].hp      = 1000;
		t->b[1].done_ms = cm_time_now_ms() + DAY_MS_T; /* building */
	}
	expect(ask_create(f->w, ME, 10, 60, "siegeanvil", 1),
	    "MISSING_BUILDING", 409); /* the War Hall is not finished */
	shard_tile(f->w, 10, 60)->b[1].done_ms = 1;
	expect(ask_create(f->w, ME, 10, 60, "siegeanvil", 11),
	    "INSUFFICIENT_RESOURCES", 409);
	expect(ask_create(f->w, ME, 10, 60, "stoneshield", 5),
	    "STORAGE_UNAVAILABLE", 503);

	/* The army stands on land with land diagonally next to it. */
	for (int y = 55; y < 95 && sx < 0; y++) {
		for (int x = 2; x < 45 && sx < 0; x++) {
			if (!cm_terrain_is_water(cm_map_terrain(f->w->map, x, y)) &&
			    !cm_terrain_is_water(
			        cm_map_terrain(f->w->map, x + 1, y + 1))) {
				sx = x;
				sy = y;
			}
		}
	}
	assert_true(sx >= 0);
	a = shard_army_new(f->w, 42, me, sx, sy);
	a->units[cm_unit_index("hammerer")] = 5;
	expect(ask_move(f->w, ME, 43, sx + 1, sy), "ARMY_NOT_FOUND", 404);
	expect(ask_move(f->w, YOU, 42, sx + 1, sy), "NOT_OWNER", 403);
	expect(ask_move(f->w, ME, 42, 10, 200), "INVALID_COORD", 400);
	/* Another region's land is a destination (the hand-off's): past
	 * every check, the store's turn. */
	for (int x = 70; x < 100; x++) {
		if (!cm_terrain_is_water(cm_map_terrain(f->w->map, x, 60))) {
			assert_false(shard_owns_tile(f->w, x, 60));
			expect(ask_move(f->w, ME, 42, x, 60),
			    "STORAGE_UNAVAILABLE", 503);
			break;
		}
	}
	expect(ask_move(f->w, ME, 42, sx, sy), "INVALID_COORD", 400);
	for (int y = 50; y < 100 && wx < 0; y++) {
		for (int x = 0; x < 50 && wx < 0; x++) {
			if (cm_terrain_is_water(cm_map_terrain(f->w->map, x, y))) {
				wx = x;
				wy = y;
			}
		}
	}
	assert_true(wx >= 0);
	expect(ask_move(f->w, ME, 42, wx, wy), "NO_PATH", 422);
	expect(ask_move(f->w, ME, 42, sx + 1, sy + 1), "STORAGE_UNAVAILABLE",
	    503);
	a->status = SH_MOVING;
	expect(ask_move(f->w, ME, 42, 11, 61), "ARMY_BUSY", 409);
	a->status   = SH_IDLE;
	a->garrison = true;
	expect(ask_move(f->w, ME, 42, 11, 61), "GARRISON_CANNOT_MOVE", 409);
	/* A Crystal Prison holds it for 12 game hours. */
	a->garrison = false;
	shard_effect_cast(f->w, a, cm_spell_find("crystal_prison"),
	    cm_time_now_ms());
	expect(ask_move(f->w, ME, 42, sx + 1, sy + 1), "ARMY_IMPRISONED",
	    409);
	a->effects[0].until_ms = cm_time_now_ms() - 1;
	expect(ask_move(f->w, ME, 42, sx + 1, sy + 1), "STORAGE_UNAVAILABLE",
	    503);
}

/*
 * A battle of the D20 engine, from the shard's state: an overwhelming
 * attacker wipes the garrison in round 1 whatever the dice (its weakest
 * strike, 1,000 ATK x 50%, beats the strongest defence, 100 DEF x 140% x
 * the wall-less modifiers, by more than the 240 HP of four Stoneshields),
 * takes the tile and garrisons it; the recorded inputs replay to the same
 * record and result hash.
 */
static void
test_battle(void **state)
{
	fixture         *f = *state;
	sh_player       *me = give(f->w, ME, 2, 10, 60);
	sh_player       *you = give(f->w, YOU, 0, 12, 60);
	sh_army         *a = shard_army_new(f->w, 100, me, 10, 60);
	sh_army         *d = shard_army_new(f->w, 101, you, 12, 60);
	sh_combat       *c = cm_calloc(1, sizeof(*c));
	int              ham = cm_unit_index("hammerer"), sto = cm_unit_index(
                                                     "stoneshield");
	cm_battle_input  in;
	cm_battle_result out;
	json_t          *j, *rec, *stored;
	char             err[128];

	a->units[ham] = 50;
	a->morale     = 100;
	me->captain_army = 100; /* the captain marches with the attack */
	d->units[sto] = 4;
	d->morale     = 100;
	d->garrison   = true;
	shard_army_place(f->w, d, 12, 60);
	{
		sh_tile *dt = shard_tile(f->w, 12, 60); /* an Armory arms it */

		dt->b  = cm_calloc(1, sizeof(*dt->b));
		dt->nb = 1;
		dt->b[0].type    = (uint8_t) cm_building_index("armory");
		dt->b[0].hp      = 1000;
		dt->b[0].done_ms = 1;
	}
	c->id      = 7;
	c->army_id = 100;
	/* Ordered a second before it lands: the defender is surprised. */
	c->committed_ms = f->w->gen.start_ms;
	c->arrival_ms   = f->w->gen.start_ms + 1000;
	c->x       = 12;
	c->y       = 60;
	c->has_salt = true;
	memset(c->salt, 0x5a, sizeof(c->salt));
	snprintf(c->attacker, sizeof(c->attacker), "%s", ME);
	snprintf(c->defender, sizeof(c->defender), "%s", YOU);
	snprintf(c->status, sizeof(c->status), "revealed");
	cm_table_put_u64(f->w->combats, c->id, c);
	shard_combat_resolve(f->w, c, f->w->gen.start_ms + 1000);
	assert_string_equal(c->winner, ME);
	assert_string_equal(c->status, "completed");
	assert_int_equal(c->rounds, 1);
	assert_int_equal(c->def_loss[sto], 4);
	assert_true(c->att_loss[ham] < 50);
	assert_null(cm_table_get_u64(f->w->armies, 101));
	assert_ptr_equal(shard_tile(f->w, 12, 60)->owner, me);
	assert_int_equal(shard_tile(f->w, 12, 60)->garrison, 100);
	assert_int_equal(a->x, 12);
	assert_int_equal(a->units[ham], 50 - c->att_loss[ham]);
	assert_int_equal(me->tiles.n, 2);
	assert_int_equal(you->tiles.n, 0);
	assert_int_equal(you->points, 0);
	/* Scored: 25 for the territory taken (the victim had no points)
	 * and 5 for beating an army of strength 132 (the rules' bands). */
	assert_int_equal(me->points, 25 + 5);
	/* A Korrath who attacked is in Blood Frenzy for the next battles. */
	assert_true(me->frenzy_until_ms > f->w->gen.start_ms + 1000);
	/* Replay: the recorded inputs alone give the same record. */
	assert_non_null(c->battle_input);
	assert_non_null(c->battle_record);
	j = json_loads(c->battle_input, 0, NULL);
	assert_non_null(j);
	assert_int_equal(cm_battle_input_parse(j, &in, err, sizeof(err)),
	    CM_OK);
	json_decref(j);
	assert_int_equal(in.att.race, 2);
	assert_true(in.att.captain_leads);
	assert_false(in.att.frenzy); /* its first attack */
	assert_true(in.surprise);
	assert_true(in.def.armory);
	assert_false(in.att.armory);
	assert_false(in.prepared);
	assert_false(in.def.captain_leads); /* YOU's captain leads no army */
	assert_int_equal(in.def.units[sto], 4);
	cm_battle_resolve(&in, &out);
	assert_memory_equal(out.result_hash, c->result_hash, 32);
	rec    = cm_battle_result_json(&in, &out);
	stored = json_loads(c->battle_record, 0, NULL);
	assert_true(json_equal(rec, stored));
	json_decref(rec);
	json_decref(stored);
}

/*
 * A captain whose army is wiped out makes a death save (§7.4): whatever
 * the die says, the player's record follows the battle's record, and the
 * captain leads no army afterwards.
 */
static void
test_captain_fate(void **state)
{
	fixture    *f = *state;
	sh_player  *me = give(f->w, ME, 0, 10, 60);
	sh_player  *you = give(f->w, YOU, 0, 12, 60);
	sh_army    *a = shard_army_new(f->w, 200, me, 10, 60);
	sh_army    *d = shard_army_new(f->w, 201, you, 12, 60);
	sh_combat  *c = cm_calloc(1, sizeof(*c));
	int64_t     now = f->w->gen.start_ms + 1000;
	json_t     *rec;
	const char *fate;

	a->units[cm_unit_index("hammerer")] = 1;
	d->units[cm_unit_index("stoneshield")] = 200;
	d->garrison = true;
	shard_army_place(f->w, d, 12, 60);
	me->captain_army = 200;
	c->id            = 8;
	c->army_id       = 200;
	c->x             = 12;
	c->y             = 60;
	c->has_salt      = true;
	snprintf(c->attacker, sizeof(c->attacker), "%s", ME);
	snprintf(c->defender, sizeof(c->defender), "%s", YOU);
	snprintf(c->status, sizeof(c->status), "revealed");
	cm_table_put_u64(f->w->combats, c->id, c);
	shard_combat_resolve(f->w, c, now);
	assert_string_equal(c->winner, YOU);
	assert_null(cm_table_get_u64(f->w->armies, 200));
	rec = json_loads(c->battle_record, 0, NULL);
	fate = json_string_value(json_object_get(json_object_get(
	    json_object_get(rec, "result"), "captains"), "attacker"));
	assert_non_null(fate);
	if (strcmp(fate, "died") == 0) {
		assert_true(me->captain_dead);
	} else {
		assert_string_equal(fate, "wounded");
		assert_false(me->captain_dead);
		assert_true(me->captain_wounded_until_ms > now);
	}
	assert_int_equal(me->captain_army, 0);
	json_decref(rec);
}

static void
test_owner_detail(void **state)
{
	fixture        *f = *state;
	Nd__ShardReply *r;

	give(f->w, ME, 0, 10, 60);
	r = ask_tile(f->w, 10, 60);
	/* Asked by nobody: the fog shows the terrain only. */
	assert_string_equal(r->territory->visibility, "distant");
	assert_string_equal(r->territory->owner, "");
	assert_false(r->territory->has_owner);
	assert_false(r->territory->detail);
	assert_null(r->territory->resources);
	nd__shard_reply__free_unpacked(r, NULL);
	{
		Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
		Nd__TerritoryGet t  = ND__TERRITORY_GET__INIT;

		t.x              = 10;
		t.y              = 60;
		rq.player        = ME;
		rq.body_case     = ND__SHARD_REQUEST__BODY_TERRITORY_GET;
		rq.territory_get = &t;
		r                = test_world_ask(f->w, &rq);
	}
	assert_true(r->territory->detail);
	assert_string_equal(r->territory->visibility, "owned");
	assert_string_equal(r->territory->owner, ME);
	assert_int_equal(r->territory->resources->gold, 1000);
	nd__shard_reply__free_unpacked(r, NULL);
}

/* The member index follows joins and leaves; the shard answers for the
 * members homed on it, not for those the replica told it of. */
static void
test_alliance_members(void **state)
{
	fixture             *f = *state;
	sh_player           *a = shard_player_new(f->w, ME);
	sh_player           *b = shard_player_new(f->w, YOU);
	sh_player           *c = shard_player_new(f->w,
	              "0x5555555555555555555555555555555555555555");
	Nd__ShardRequest     rq = ND__SHARD_REQUEST__INIT;
	Nd__AllianceMembersGet g = ND__ALLIANCE_MEMBERS_GET__INIT;
	Nd__ShardReply      *r;

	a->home = b->home = true;
	c->home = false;
	g.alliance_id           = 77;
	rq.body_case            = ND__SHARD_REQUEST__BODY_ALLIANCE_MEMBERS_GET;
	rq.alliance_members_get = &g;
	shard_set_alliance(f->w, a, 77);
	shard_set_alliance(f->w, b, 77);
	shard_set_alliance(f->w, c, 77);
	r = test_world_ask(f->w, &rq);
	assert_int_equal(r->alliance_members->n_members, 2);
	assert_false(r->alliance_members->known); /* founded elsewhere */
	nd__shard_reply__free_unpacked(r, NULL);
	shard_set_alliance(f->w, a, 0);
	shard_set_alliance(f->w, b, 78);
	r = test_world_ask(f->w, &rq);
	assert_int_equal(r->alliance_members->n_members, 0);
	nd__shard_reply__free_unpacked(r, NULL);
	g.alliance_id = 78;
	r             = test_world_ask(f->w, &rq);
	assert_int_equal(r->alliance_members->n_members, 1);
	assert_string_equal(r->alliance_members->members[0]->address, YOU);
	nd__shard_reply__free_unpacked(r, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping_and_generation),
		cmocka_unit_test(test_own_tile),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test_setup_teardown(test_build_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_army_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_battle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_captain_fate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_owner_detail, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_alliance_members, setup,
		    teardown),
	};

	cm_log_init("test", -1);
	return (cmocka_run_group_tests(tests, setup, teardown));
}
