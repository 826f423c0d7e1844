/*
 * shard_ground_test.c: the spells that stay on a territory
 * (shard_ground.c): a Ward takes one hostile spell and is spent, and
 * lets the friendly ones by; Fortress of Will and the Stone Wall reach
 * the siege through the battle's input, and the wall keeps what the siege
 * left of it; Mass Reformation for its caster's side only; the Illusion
 * Army fools the adjacent view and a Scry but not True Sight; an Ash
 * Cloud blinds nearness but not the owner; the list goes through its
 * JSON and back; the friendly-land spells refuse other land, and a
 * racial spell another race.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shard_test_world.h"
#include "shard_vision.h"

#define ME "0x1111111111111111111111111111111111111111"
#define YOU "0x2222222222222222222222222222222222222222"
#define HOUR (3600 * 1000LL)

static int
setup(void **state)
{
	/* Day 11: PvP is on. */
	return (fixture_setup(state, 1, 0, 3, 5, 10));
}

static sh_player *
player(fixture *f, const char *addr, const char *race)
{
	sh_player *p = cm_table_get_str(f->w->players, addr);

	if (p == NULL) {
		p = shard_player_new(f->w, addr);
	}
	p->race = (uint8_t) cm_race_index(race);
	p->cls  = (uint8_t) cm_class_index("warlord");
	return (p);
}

static sh_army *
army(fixture *f, sh_player *p, uint64_t id, int x, int y, const char *unit,
    uint32_t n)
{
	sh_army *a = shard_army_new(f->w, id, p, x, y);

	a->units[cm_unit_index(unit)] = n;
	return (a);
}

static bool
cast(fixture *f, sh_player *p, const char *spell, sh_army *a, int x, int y,
    char *msg)
{
	bool fights = false;

	return (shard_spell_cast(f->w, p, cm_spell_find(spell), a, NULL, x, y,
	    cm_time_now_ms(), msg, 160, &fights));
}

static const cm_spell_def *
sp(const char *id)
{
	return (cm_spell_find(id));
}

/* fight: a's attack on (x, y), resolved now; *in is what it fought. */
static sh_combat *
fight(fixture *f, sh_army *a, int x, int y, uint64_t id,
    cm_battle_input *in)
{
	return (test_world_fight(f->w, a, x, y, id, in));
}

static Nd__ShardReply *
ask_cast(fixture *f, const char *who, const char *spell, int x, int y)
{
	return (test_world_cast(f->w, who, spell, 0, x, y));
}

static void
expect(Nd__ShardReply *r, const char *code)
{
	test_world_refused(r, code);
}

static Nd__ShardReply *
ask_tile(fixture *f, const char *who, int x, int y)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__TerritoryGet t  = ND__TERRITORY_GET__INIT;

	t.x              = x;
	t.y              = y;
	rq.player        = (char *) who;
	rq.body_case     = ND__SHARD_REQUEST__BODY_TERRITORY_GET;
	rq.territory_get = &t;
	return (test_world_ask(f->w, &rq));
}

static void
test_ward(void **state)
{
	fixture   *f   = *state;
	sh_player *me  = player(f, ME, "ironveld");
	sh_player *you = player(f, YOU, "korrath");
	sh_army   *a   = army(f, me, 10, 20, 20, "stoneshield", 1000);
	int64_t    now = cm_time_now_ms();
	char       msg[160];

	shard_tile_set_owner(f->w, 20, 20, me);
	shard_tile_set_owner(f->w, 25, 25, you);
	/* On one's own (or an ally's) land only. */
	me->mana = 1000;
	expect(ask_cast(f, ME, "ward", 25, 25), "INVALID_TARGET");
	expect(ask_cast(f, ME, "fortress_of_will", 25, 25), "INVALID_TARGET");
	expect(ask_cast(f, ME, "stone_wall", 25, 25), "INVALID_TARGET");
	assert_non_null(shard_spell_refusal(f->w, me, sp("illusion_army"),
	    NULL, 25, 25, cm_time_now_ms()));
	/* A racial spell is its race's only. */
	expect(ask_cast(f, ME, "illusion_army", 20, 20), "RACE_CANNOT_CAST");
	expect(ask_cast(f, ME, "ash_cloud", 20, 20), "RACE_CANNOT_CAST");
	assert_null(shard_spell_refusal(f->w, me, sp("ward"), NULL, 20, 20,
	    cm_time_now_ms()));
	assert_true(cast(f, me, "ward", NULL, 20, 20, msg));
	assert_string_equal(msg, "Ward holds the territory for 24 hours");
	assert_non_null(shard_ground_get(f->w, 20, 20, sp("ward"), now));
	/* A buff on the warded land goes through, the ward stays. */
	assert_true(cast(f, me, "war_cry", a, -1, -1, msg));
	assert_non_null(shard_ground_get(f->w, 20, 20, sp("ward"), now));
	/* The first hostile spell is absorbed: no loss, no effect. */
	assert_true(cast(f, you, "curse", a, -1, -1, msg));
	assert_string_equal(msg, "a ward on the territory absorbed the spell");
	assert_int_equal(a->neffects, 0);
	assert_int_equal(shard_army_size(a), 1000);
	assert_null(shard_ground_get(f->w, 20, 20, sp("ward"), now));
	/* The next one lands. */
	assert_true(cast(f, you, "titans_grasp", a, -1, -1, msg));
	assert_true(shard_army_size(a) <= 800);
	/* A ward on the land takes a spell cast on the land too, but not
	 * its caster's own (on an enemy standing there), and lasts 24 game
	 * hours. */
	assert_true(cast(f, me, "ward", NULL, 20, 20, msg));
	{
		sh_army *his = army(f, you, 19, 20, 20, "rageborn", 1000);

		/* (Curse is an effect only: nothing to tell at once.) */
		assert_false(cast(f, me, "curse", his, -1, -1, msg));
		assert_int_equal(his->neffects, 1);
		assert_non_null(shard_ground_get(f->w, 20, 20, sp("ward"),
		    now));
	}
	assert_true(cast(f, you, "meteor_storm", NULL, 20, 20, msg));
	assert_string_equal(msg, "a ward on the territory absorbed the spell");
	assert_true(cast(f, me, "ward", NULL, 20, 20, msg));
	assert_null(shard_ground_get(f->w, 20, 20, sp("ward"),
	    now + 25 * HOUR));
}

static void
test_fortress_and_wall(void **state)
{
	fixture         *f   = *state;
	sh_player       *me  = player(f, ME, "ironveld");
	sh_player       *you = player(f, YOU, "korrath");
	sh_army         *d   = army(f, me, 10, 30, 30, "stoneshield", 20);
	sh_army         *a   = army(f, you, 11, 29, 30, "rageborn", 5);
	int64_t          now = cm_time_now_ms();
	cm_battle_input  in;
	sh_ground_spell *g;
	sh_combat       *c;
	json_t          *rec;
	char             msg[160];

	(void) d;
	a->units[cm_unit_index("batteringram")] = 30;
	shard_tile_set_owner(f->w, 30, 30, me);
	/* Without them, nothing in the battle's input. */
	fight(f, a, 30, 30, 90, &in);
	assert_int_equal(in.building_def, 0);
	assert_int_equal(in.stone_wall_hp, 0);
	assert_true(cast(f, me, "fortress_of_will", NULL, 30, 30, msg));
	assert_true(cast(f, me, "stone_wall", NULL, 30, 30, msg));
	g = shard_ground_get(f->w, 30, 30, sp("stone_wall"), now);
	assert_int_equal(g->value, 500);
	a = army(f, you, 12, 29, 30, "rageborn", 5);
	a->units[cm_unit_index("batteringram")] = 30;
	if (cm_table_get_u64(f->w->armies, 10) == NULL) {
		army(f, me, 13, 30, 30, "stoneshield", 20);
	}
	c = fight(f, a, 30, 30, 91, &in);
	assert_int_equal(in.building_def, 500);
	assert_int_equal(in.stone_wall_hp, 500);
	/* The wall keeps what the siege left of it (broken: gone). */
	rec = json_loads(c->battle_record, 0, NULL);
	{
		json_t *hp = json_object_get(json_object_get(rec, "result"),
		    "stoneWallHp");

		assert_non_null(hp);
		g = shard_ground_get(f->w, 30, 30, sp("stone_wall"), now);
		if (json_integer_value(hp) == 0) {
			assert_null(g);
		} else {
			assert_int_equal(g->value, json_integer_value(hp));
		}
	}
	json_decref(rec);
	/* 24 game hours. */
	assert_null(shard_ground_get(f->w, 30, 30, sp("fortress_of_will"),
	    now + 25 * HOUR));
}

static void
test_mass_reformation(void **state)
{
	fixture        *f   = *state;
	sh_player      *me  = player(f, ME, "ashborn");
	sh_player      *you = player(f, YOU, "korrath");
	sh_army        *a;
	cm_battle_input in;
	char            msg[160];

	/* On any territory, for its caster's side: attacking... */
	shard_tile_set_owner(f->w, 30, 30, you);
	army(f, you, 10, 30, 30, "rageborn", 20);
	assert_true(cast(f, me, "mass_reformation", NULL, 30, 30, msg));
	a = army(f, me, 11, 29, 30, "ashstriker", 20);
	fight(f, a, 30, 30, 92, &in);
	assert_int_equal(in.att.reform_pct, 5);
	assert_int_equal(in.def.reform_pct, 0);
	/* ...or defending; not for the other side. */
	shard_tile_set_owner(f->w, 35, 30, me);
	army(f, me, 13, 35, 30, "ashstriker", 20);
	assert_true(cast(f, me, "mass_reformation", NULL, 35, 30, msg));
	a = army(f, you, 12, 36, 30, "rageborn", 5);
	fight(f, a, 35, 30, 93, &in);
	assert_int_equal(in.att.reform_pct, 0);
	assert_int_equal(in.def.reform_pct, 5);
	/* None elsewhere. */
	shard_tile_set_owner(f->w, 40, 30, you);
	army(f, you, 14, 40, 30, "rageborn", 20);
	a = army(f, me, 15, 41, 30, "ashstriker", 20);
	fight(f, a, 40, 30, 94, &in);
	assert_int_equal(in.att.reform_pct, 0);
}

static void
test_illusion_and_ash(void **state)
{
	fixture        *f   = *state;
	sh_player      *me  = player(f, ME, "sylvaeth");
	sh_player      *you = player(f, YOU, "korrath");
	int64_t         now = cm_time_now_ms();
	Nd__ShardReply *r;
	char            msg[160];

	f->w->id_next = 5000; /* ids the store would have reserved */
	f->w->id_end  = 6000;
	shard_tile_set_owner(f->w, 40, 40, me);
	shard_tile_set_owner(f->w, 42, 40, you); /* it sees (40, 40) */
	/* An empty territory shows no army, then the illusion's. */
	r = ask_tile(f, YOU, 40, 40);
	assert_string_equal(r->territory->visibility, "adjacent");
	assert_false(r->territory->has_army);
	nd__shard_reply__free_unpacked(r, NULL);
	assert_true(cast(f, me, "illusion_army", NULL, 40, 40, msg));
	r = ask_tile(f, YOU, 40, 40);
	assert_true(r->territory->has_army);
	nd__shard_reply__free_unpacked(r, NULL);
	/* The owner sees the truth. */
	r = ask_tile(f, ME, 40, 40);
	assert_false(r->territory->has_army);
	nd__shard_reply__free_unpacked(r, NULL);
	/* A Scry counts the armies half again; True Sight exactly. */
	army(f, me, 10, 40, 40, "veilguard", 100);
	shard_spell_scout(f->w, you, 40, 40, false, 48 * HOUR, now);
	you->scouts[0].noise_pct = 0;
	r = ask_tile(f, YOU, 40, 40);
	assert_string_equal(r->territory->visibility, "scouted");
	assert_int_equal(r->territory->army_estimate[0]->count, 150);
	nd__shard_reply__free_unpacked(r, NULL);
	shard_spell_scout(f->w, you, 40, 40, true, 48 * HOUR, now);
	r = ask_tile(f, YOU, 40, 40);
	assert_int_equal(r->territory->army_estimate[0]->count, 100);
	nd__shard_reply__free_unpacked(r, NULL);
	/* An Ash Cloud: nearness sees nothing, the owner all, a report
	 * holds at half its accuracy. */
	you->nscouts = 0;
	assert_int_equal(shard_vision_level(f->w, you, 40, 40, now),
	    SH_VIS_ADJACENT);
	assert_true(cast(f, me, "ash_cloud", NULL, 40, 40, msg));
	assert_int_equal(shard_vision_level(f->w, you, 40, 40, now),
	    SH_VIS_DISTANT);
	assert_int_equal(shard_vision_level(f->w, me, 40, 40, now),
	    SH_VIS_OWNED);
	assert_int_equal(shard_vision_level(f->w, you, 41, 40, now),
	    SH_VIS_ADJACENT);
	{
		uint8_t *lv = cm_calloc((size_t) f->w->rw * (size_t) f->w->rh,
		    1);

		shard_vision_region(f->w, you, lv, now);
		assert_int_equal(lv[shard_tile_index(f->w, 40, 40)],
		    SH_VIS_DISTANT);
		assert_int_equal(lv[shard_tile_index(f->w, 41, 40)],
		    SH_VIS_ADJACENT);
		free(lv);
	}
	shard_spell_scout(f->w, you, 40, 40, false, 48 * HOUR, now);
	you->scouts[0].noise_pct = 10;
	r = ask_tile(f, YOU, 40, 40);
	/* 100 x 1.5 (the illusion) = 150, off by 2 x 10%. */
	assert_int_equal(r->territory->army_estimate[0]->count, 180);
	nd__shard_reply__free_unpacked(r, NULL);
	/* 12 game hours. */
	you->nscouts = 0;
	assert_int_equal(shard_vision_level(f->w, you, 40, 40,
	    now + 13 * HOUR), SH_VIS_ADJACENT);
}

static void
test_json_and_order(void **state)
{
	fixture   *f   = *state;
	sh_player *me  = player(f, ME, "ironveld");
	int64_t    now = cm_time_now_ms();
	uint32_t   idx = shard_tile_index(f->w, 50, 50);
	char      *j, *j2;

	assert_null(shard_ground_json(f->w, idx, now));
	shard_ground_put(f->w, 50, 50, sp("stone_wall"), me, 321, now + HOUR,
	    now);
	shard_ground_put(f->w, 50, 50, sp("ward"), me, 0, now + 2 * HOUR, now);
	j = shard_ground_json(f->w, idx, now);
	assert_non_null(j);
	free(cm_table_del_u64(f->w->ground, idx));
	shard_ground_parse(f->w, 50, 50, j);
	j2 = shard_ground_json(f->w, idx, now);
	assert_string_equal(j, j2);
	assert_int_equal(shard_ground_get(f->w, 50, 50, sp("stone_wall"),
	    now)->value, 321);
	assert_string_equal(shard_ground_get(f->w, 50, 50, sp("ward"),
	    now)->caster, ME);
	free(j);
	free(j2);
	/* The same spell again replaces its entry; a full list loses its
	 * oldest; the expired are not stored. */
	shard_ground_put(f->w, 50, 50, sp("ward"), me, 0, now + 3 * HOUR, now);
	assert_int_equal(((sh_ground *) cm_table_get_u64(f->w->ground,
	    idx))->n, 2);
	for (int i = 0; i < SH_GROUND; i++) {
		shard_ground_put(f->w, 50, 50, cm_spell_at(i), me, 0,
		    now + HOUR, now);
	}
	assert_int_equal(((sh_ground *) cm_table_get_u64(f->w->ground,
	    idx))->n, SH_GROUND);
	assert_null(shard_ground_get(f->w, 50, 50, sp("stone_wall"), now));
	assert_null(shard_ground_json(f->w, idx, now + 2 * HOUR));
	shard_ground_parse(f->w, 51, 51, "not json");
	assert_null(cm_table_get_u64(f->w->ground,
	    shard_tile_index(f->w, 51, 51)));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ward),
		T(test_fortress_and_wall),
		T(test_mass_reformation),
		T(test_illusion_and_ash),
		T(test_json_and_order),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
