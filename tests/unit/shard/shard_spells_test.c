/*
 * shard_spells_test.c: what spells do at once (shard_spells.c): damage
 * by the spell D20 table (its fizzles, its mean, the Vaelthir's +2),
 * whole units killed by their HP, area damage only on the armies the
 * caster may strike, deaths by share, morale and desertion in range, a
 * delayed march, a player's armies weakened, an emptied army gone with
 * its attack; haste and slow on the march; Storm Call and Plague on a
 * territory's enemies (Plague's deaths in the daily tick); the Titan's
 * Eye, the Dream Walk and Foresight; Earthquake, Confusion and the Blood
 * Frenzy spell in the battle's input; Nightmare against rest; Pyre
 * Burst; Raise Dead; Blood Pact.  (The territory spells:
 * shard_ground_test.)
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

#include "cm_path.h"
#include "shard_economy.h"
#include "shard_test_world.h"

#define CASTER "0x1111111111111111111111111111111111111111"
#define ENEMY "0x2222222222222222222222222222222222222222"
#define YOUNG "0x3333333333333333333333333333333333333333"

static int
setup(void **state)
{
	/* Day 11: PvP is on. */
	return (fixture_setup(state, 1, 0, 3, 5, 10));
}

static sh_player *
player(fixture *f, const char *addr, const char *race, const char *cls)
{
	sh_player *p = cm_table_get_str(f->w->players, addr);

	if (p == NULL) {
		p = shard_player_new(f->w, addr);
	}
	p->race  = (uint8_t) cm_race_index(race);
	p->cls   = (uint8_t) cm_class_index(cls);
	p->skill = (uint8_t) (p->cls * 2);
	return (p);
}

static sh_army *
army(fixture *f, sh_player *p, uint64_t id, const char *unit, uint32_t n)
{
	sh_army *a = shard_army_new(f->w, id, p, 20, 20);

	a->units[cm_unit_index(unit)] = n;
	a->morale                     = 80;
	return (a);
}

static bool
cast(fixture *f, sh_player *p, const char *spell, sh_army *a,
    sh_player *victim, char *msg)
{
	return (shard_spell_now(f->w, p, cm_spell_find(spell), a, victim, 20,
	    20, cm_time_now_ms(), msg, 160));
}

/* mean_fireball: the mean damage of n Fireballs by p; *fizzles counted. */
static double
mean_fireball(fixture *f, sh_player *p, int n, int *fizzles)
{
	sh_army *a = army(f, cm_table_get_str(f->w->players, ENEMY), 900,
	    "stoneshield", 4000000000u);
	char     msg[160];
	double   sum = 0;

	*fizzles = 0;
	for (int i = 0; i < n; i++) {
		long long          d;
		unsigned long long dead;
		uint64_t           before = shard_army_size(a);

		assert_true(cast(f, p, "fireball", a, NULL, msg));
		if (strcmp(msg, "the spell fizzled") == 0) {
			(*fizzles)++;
			assert_int_equal(shard_army_size(a), before);
			continue;
		}
		assert_int_equal(sscanf(msg, "%lld damage: %llu units died", &d,
		                     &dead),
		    2);
		/* Whole units of 60 HP: the damage's floor, no more. */
		assert_int_equal(dead, (unsigned long long) d / 60);
		assert_int_equal(before - shard_army_size(a), dead);
		/* The table's multipliers of the 600 midpoint: 50%..200%. */
		assert_true(d >= 300 && d <= 1200);
		sum += (double) d;
	}
	shard_army_free(f->w, a);
	return (sum / n);
}

static void
test_damage_by_the_table(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, CASTER, "korrath", "warlord");
	int        fz;
	double     mk, mv;

	player(f, ENEMY, "ironveld", "warlord");
	mk = mean_fireball(f, k, 4000, &fz);
	/* A natural 1 fizzles: 5% of casts; the table's EV is x1.00. */
	assert_true(fz >= 120 && fz <= 290);
	assert_true(mk > 560 && mk < 640);
	/* The Vaelthir add 2 to destruction rolls: more damage. */
	player(f, CASTER, "vaelthir", "warlord");
	mv = mean_fireball(f, k, 4000, &fz);
	assert_true(fz >= 120 && fz <= 290);
	assert_true(mv > mk + 40);
}

static void
test_area_hits_whom_it_may(void **state)
{
	fixture   *f  = *state;
	sh_player *me = player(f, CASTER, "korrath", "warlord");
	sh_player *en = player(f, ENEMY, "ironveld", "warlord");
	sh_player *yo = player(f, YOUNG, "sylvaeth", "warlord");
	sh_army   *mine = army(f, me, 11, "rageborn", 1000);
	sh_army   *his  = army(f, en, 12, "stoneshield", 1000);
	sh_army   *kid  = army(f, yo, 13, "veilguard", 1000);
	char       msg[160];

	yo->protected_until_ms = cm_time_now_ms() + 3600 * 1000;
	for (int i = 0; i < 40 && shard_army_size(his) == 1000; i++) {
		assert_true(cast(f, me, "meteor_storm", NULL, NULL, msg));
	}
	/* The enemy's army took it; the caster's own and a protected
	 * player's did not. */
	assert_true(shard_army_size(his) < 1000);
	assert_int_equal(shard_army_size(mine), 1000);
	assert_int_equal(shard_army_size(kid), 1000);
}

static void
test_deaths_and_morale(void **state)
{
	fixture   *f  = *state;
	sh_player *me = player(f, CASTER, "korrath", "warlord");
	sh_player *en = player(f, ENEMY, "ironveld", "warlord");
	char       msg[160];

	for (int i = 0; i < 50; i++) {
		sh_army *a = army(f, en, 100 + (uint64_t) i, "stoneshield", 1000);

		cast(f, me, "titans_grasp", a, NULL, msg);
		/* 20-40% die. */
		assert_true(shard_army_size(a) >= 600 && shard_army_size(a) <= 800);
		cast(f, me, "mass_panic", a, NULL, msg);
		/* Morale 80 - 25; 5-15% more desert. */
		assert_int_equal(a->morale, 55);
		shard_army_free(f->w, a);
	}
	{
		sh_army *a = army(f, en, 200, "stoneshield", 1000);
		sh_army *b = army(f, me, 201, "rageborn", 100);

		cast(f, me, "exsanguinate", a, NULL, msg);
		assert_int_equal(shard_army_size(a), 700);
		cast(f, me, "war_drums", a, NULL, msg);
		assert_int_equal(a->morale, 65);
		cast(f, me, "war_cry", b, NULL, msg);
		assert_int_equal(b->morale, 100); /* 80 + 30, at most 100 */
	}
}

static void
test_emptied_army_is_gone(void **state)
{
	fixture   *f  = *state;
	sh_player *me = player(f, CASTER, "korrath", "warlord");
	sh_player *en = player(f, ENEMY, "ironveld", "warlord");
	sh_army   *a  = army(f, en, 300, "stoneshield", 1);
	sh_combat *c  = cm_calloc(1, sizeof(*c));
	char       msg[160];

	c->id = 301;
	snprintf(c->status, sizeof(c->status), "revealed");
	cm_table_put_u64(f->w->combats, c->id, c);
	a->status    = SH_COMBAT;
	a->combat_id = c->id;
	/* A Firebolt (50-150, midpoint 100) kills the one 60-HP unit
	 * unless it fizzles or rolls low (x0.5: 50). */
	for (int i = 0; i < 100 && cm_table_get_u64(f->w->armies, 300); i++) {
		cast(f, me, "firebolt", a, NULL, msg);
	}
	assert_null(cm_table_get_u64(f->w->armies, 300));
	assert_string_equal(c->status, "expired");
}

static void
test_delay_and_speed(void **state)
{
	fixture   *f   = *state;
	sh_player *me  = player(f, CASTER, "breathborn", "warlord");
	sh_player *en  = player(f, ENEMY, "ironveld", "warlord");
	sh_army   *a   = army(f, en, 400, "stoneshield", 10);
	int64_t    now = cm_time_now_ms(), hour = 3600 * 1000;
	size_t     timers;
	char       msg[160];

	a->status     = SH_MOVING;
	a->arrival_ms = now + hour;
	f->w->id_next = 1000; /* ids the store would have reserved */
	f->w->id_end  = 2000;
	timers        = f->w->ntimers;
	assert_true(cast(f, me, "windshear_racial", a, NULL, msg));
	/* 1-4 hours later, with a timer of its own. */
	assert_true(a->arrival_ms >= now + 2 * hour &&
	    a->arrival_ms <= now + 5 * hour);
	assert_int_equal(f->w->ntimers, timers + 1);
	/* A Gust pushes it back one tile's march: 10 Stoneshields (1
	 * tile an hour, less the Ironveld's 25%) lose 80 game minutes. */
	{
		int64_t before = a->arrival_ms;

		assert_true(cast(f, me, "gust", a, NULL, msg));
		assert_string_equal(msg, "the army is pushed back a territory");
		assert_int_equal(a->arrival_ms - before,
		    shard_army_travel_ms(f->w, a, CM_PATH_STEP));
		assert_true(a->arrival_ms - before >= hour);
	}
	assert_true(shard_spell_needs_march(cm_spell_find("windshear")));
	assert_false(shard_spell_needs_march(cm_spell_find("fireball")));
	/* Haste +30%, Slow -30%: the march's speed. */
	shard_effect_cast(f->w, a, cm_spell_find("haste"), now);
	assert_int_equal(shard_effect_speed_pct(a, now), 30);
	shard_effect_cast(f->w, a, cm_spell_find("slow"), now);
	assert_int_equal(shard_effect_speed_pct(a, now), 0);
	shard_effect_cast(f->w, a, cm_spell_find("stone_skin"), now);
	assert_int_equal(shard_effect_speed_pct(a, now), -20);
	/* Slow lasts 6 game hours, Haste 12. */
	assert_int_equal(shard_effect_speed_pct(a, now + 7 * hour), 10);
	(void) me;
}

static void
test_player_and_hostility(void **state)
{
	fixture   *f  = *state;
	sh_player *me = player(f, CASTER, "korrath", "warlord");
	sh_player *en = player(f, ENEMY, "ironveld", "warlord");
	sh_army   *a  = army(f, en, 500, "stoneshield", 10);
	sh_army   *b  = army(f, en, 501, "hammerer", 10);
	int        atk = 0, def = 0;
	char       msg[160];

	assert_true(cast(f, me, "titans_whisper", NULL, en, msg));
	shard_effect_sum(a, cm_time_now_ms(), &atk, &def);
	assert_int_equal(atk, -20);
	atk = 0;
	shard_effect_sum(b, cm_time_now_ms(), &atk, &def);
	assert_int_equal(atk, -20);
	/* Which spells go to enemies. */
	assert_true(shard_spell_hostile(cm_spell_find("fireball")));
	assert_true(shard_spell_hostile(cm_spell_find("curse")));
	assert_true(shard_spell_hostile(cm_spell_find("slow")));
	assert_false(shard_spell_hostile(cm_spell_find("shield")));
	assert_false(shard_spell_hostile(cm_spell_find("bloodlust")));
	assert_false(shard_spell_hostile(cm_spell_find("war_cry")));
	/* A spell with nothing to do at once says so. */
	assert_false(cast(f, me, "shield", NULL, NULL, msg));
}

static void
test_territory_effects(void **state)
{
	fixture   *f   = *state;
	sh_player *me  = player(f, CASTER, "korrath", "warlord");
	sh_player *en  = player(f, ENEMY, "ironveld", "warlord");
	sh_army   *mine = army(f, me, 600, "rageborn", 1000);
	sh_army   *his  = army(f, en, 601, "stoneshield", 1000);
	int64_t    now = cm_time_now_ms(), hour = 3600 * 1000;
	char       msg[160];

	/* The enemy holds the tile and feeds its army: no hunger, no
	 * foreign soil, so the day's losses are the Plague's alone. */
	shard_tile_set_owner(f->w, 20, 20, en);
	shard_tile(f->w, 20, 20)->res.food = 1000000;
	assert_true(cast(f, me, "storm_call", NULL, NULL, msg));
	assert_string_equal(msg, "1 army on the territory under the spell");
	assert_int_equal(shard_effect_speed_pct(his, now), -30);
	assert_int_equal(shard_effect_speed_pct(mine, now), 0);
	assert_true(cast(f, me, "plague", NULL, NULL, msg));
	assert_true(shard_effect_active(his, cm_spell_find("plague"), now));
	assert_false(shard_effect_active(mine, cm_spell_find("plague"), now));
	shard_economy_day(f->w, 12, now);
	/* 1-3% of the stack died. */
	assert_true(his->units[cm_unit_index("stoneshield")] >= 970 &&
	    his->units[cm_unit_index("stoneshield")] <= 990);
	/* Three game days, then no more. */
	assert_false(shard_effect_active(his, cm_spell_find("plague"),
	    now + 73 * hour));
}

static void
test_sights(void **state)
{
	fixture   *f   = *state;
	sh_player *me  = player(f, CASTER, "sylvaeth", "warlord");
	sh_player *en  = player(f, ENEMY, "ironveld", "warlord");
	int64_t    now = cm_time_now_ms(), hour = 3600 * 1000;
	char       msg[160];

	f->w->id_next = 5000; /* ids the store would have reserved */
	f->w->id_end  = 6000;
	/* The Titan's Eye: 10 of the 12 enemy armies, none of the caster's. */
	for (int i = 0; i < 12; i++) {
		shard_army_new(f->w, 700 + (uint64_t) i, en, 30 + i, 40)
		    ->units[0] = 5;
	}
	shard_army_new(f->w, 720, me, 60, 60)->units[0] = 5;
	me->nscouts = 0;
	assert_true(cast(f, me, "titans_eye", NULL, NULL, msg));
	assert_string_equal(msg, "10 enemy armies revealed for 48 hours");
	assert_int_equal(me->nscouts, 10);
	for (int i = 0; i < me->nscouts; i++) {
		assert_true(me->scouts[i].exact);
		assert_int_equal(me->scouts[i].y, 40);
		assert_true(me->scouts[i].x >= 30 && me->scouts[i].x < 42);
	}
	/* The Dream Walk: the target's land, exact, for one hour. */
	me->nscouts = 0;
	for (int i = 0; i < 3; i++) {
		shard_tile_set_owner(f->w, 70 + i, 70, en);
	}
	assert_true(cast(f, me, "dream_walk", NULL, en, msg));
	assert_int_equal(me->nscouts, 3);
	for (int i = 0; i < 3; i++) {
		assert_true(me->scouts[i].exact);
		assert_int_equal(me->scouts[i].y, 70);
		assert_true(me->scouts[i].expires_ms <= now + hour + 1000 &&
		    me->scouts[i].expires_ms >= now + hour);
	}
	/* Foresight: 24 game hours of earlier warning. */
	assert_true(cast(f, me, "foresight", NULL, NULL, msg));
	assert_true(me->foresight_until_ms >= now + 24 * hour);
}

/* ask_cast: p casts spell on an army (id != 0) or a tile. */
static Nd__ShardReply *
ask_cast(fixture *f, const char *who, const char *spell, uint64_t id, int x,
    int y)
{
	return (test_world_cast(f->w, who, spell, id, x, y));
}

static void
expect(Nd__ShardReply *r, const char *code)
{
	test_world_refused(r, code);
}

static void
test_aegis(void **state)
{
	fixture   *f   = *state;
	sh_player *me  = player(f, CASTER, "korrath", "warlord");
	sh_player *en  = player(f, ENEMY, "ironveld", "warlord");
	sh_army   *his = army(f, en, 800, "stoneshield", 100);
	int64_t    now = cm_time_now_ms();
	char       msg[160];

	shard_tile_set_owner(f->w, 20, 20, en);
	shard_tile_set_owner(f->w, 21, 20, me); /* it sees (20, 20) */
	/* An army the caster cannot see answers as one that is not here. */
	{
		sh_army *far = army(f, en, 801, "stoneshield", 5);

		shard_army_place(f->w, far, 70, 70);
		expect(ask_cast(f, CASTER, "fireball", far->id, 0, 0),
		    "CROSS_REGION");
		expect(ask_cast(f, CASTER, "fireball", 987654, 0, 0),
		    "CROSS_REGION");
	}
	/* On one's own territory only. */
	expect(ask_cast(f, CASTER, "titans_aegis", 0, 20, 20), "INVALID_TARGET");
	/* The enemy's Aegis keeps the caster's hostile spells off its
	 * army and its tile, and off that army in a player-wide spell;
	 * for 24 game hours. */
	assert_true(cast(f, en, "titans_aegis", NULL, NULL, msg));
	assert_true(shard_spell_warded(f->w, 20, 20, now));
	assert_false(shard_spell_warded(f->w, 21, 20, now));
	expect(ask_cast(f, CASTER, "fireball", his->id, 0, 0), "TARGET_WARDED");
	expect(ask_cast(f, CASTER, "meteor_storm", 0, 20, 20),
	    "TARGET_WARDED");
	/* Titan's Whisper weakens the far army, not the warded one. */
	assert_true(cast(f, me, "titans_whisper", NULL, en, msg));
	assert_string_equal(msg, "1 of the player's armies here weakened");
	assert_int_equal(his->neffects, 0);
	assert_false(shard_spell_warded(f->w, 20, 20,
	    now + 25 * 3600 * 1000LL));
	/* A buff on one's own army is no hostile spell: not warded. */
	expect(ask_cast(f, ENEMY, "shield", his->id, 0, 0),
	    "INSUFFICIENT_MANA");
}

/* fight_at: a's attack on (x, y), resolved now; *in is what it fought. */
static void
fight_at(fixture *f, sh_army *a, int x, int y, uint64_t id,
    cm_battle_input *in)
{
	test_world_fight(f->w, a, x, y, id, in);
}

/*
 * Earthquake: every enemy army on the tile, -50% DEF in round 1 of its
 * next battle (the caster's own untouched), spent by that battle.
 * Confusion: its strikes go astray at 10-30% for 12 hours.  The Blood
 * Frenzy spell: +10% ATK per killing round, its next battle.
 */
static void
test_battle_spells(void **state)
{
	fixture        *f   = *state;
	sh_player      *me  = player(f, CASTER, "ironveld", "warlord");
	sh_player      *en  = player(f, ENEMY, "korrath", "warlord");
	sh_army        *mine = army(f, me, 11, "stoneshield", 100);
	sh_army        *his  = army(f, en, 12, "rageborn", 100);
	sh_army        *att;
	int64_t         now = cm_time_now_ms(), hour = 3600 * 1000;
	cm_battle_input in;
	char            msg[160];
	int             atk = 0, def = 0;

	shard_tile_set_owner(f->w, 20, 20, en);
	assert_true(shard_spell_hostile(cm_spell_find("earthquake")));
	assert_true(cast(f, me, "earthquake", NULL, NULL, msg));
	assert_string_equal(msg, "1 army on the territory under the spell");
	assert_int_equal(his->neffects, 1);
	assert_int_equal(mine->neffects, 0);
	/* Nothing outside the battle engine. */
	shard_effect_sum(his, now, &atk, &def);
	assert_int_equal(atk, 0);
	assert_int_equal(def, 0);
	assert_int_equal(shard_effect_speed_pct(his, now), 0);
	shard_army_free(f->w, mine);
	att = shard_army_new(f->w, 13, me, 21, 20);
	att->units[cm_unit_index("stoneshield")] = 50;
	fight_at(f, att, 20, 20, 900, &in);
	assert_int_equal(in.def.round1_def_pct, -50);
	assert_int_equal(in.att.round1_def_pct, 0);
	assert_int_equal(in.def.confusion_pct, 0);
	assert_int_equal(in.def.def_pct, 0);
	if (cm_table_get_u64(f->w->armies, 12) != NULL) {
		assert_int_equal(his->neffects, 0); /* spent */
	}
	/* Confusion on an attacker; the Blood Frenzy spell on the enemy
	 * side's own army (a buff: not hostile). */
	shard_tile_set_owner(f->w, 30, 30, me);
	shard_army_place(f->w, shard_army_new(f->w, 14, me, 30, 30), 30, 30);
	((sh_army *) cm_table_get_u64(f->w->armies, 14))
	    ->units[cm_unit_index("stoneshield")] = 100;
	att = shard_army_new(f->w, 15, en, 31, 30);
	att->units[cm_unit_index("rageborn")] = 50;
	assert_true(shard_spell_hostile(cm_spell_find("confusion")));
	assert_false(shard_spell_hostile(cm_spell_find("blood_frenzy_spell")));
	assert_true(shard_effect_cast(f->w, att, cm_spell_find("confusion"),
	    now));
	assert_true(cast(f, me, "confusion", att, NULL, msg));
	assert_string_equal(msg, "the army is under Confusion for 12 hours");
	assert_true(shard_effect_cast(f->w, att,
	    cm_spell_find("blood_frenzy_spell"), now));
	assert_true(cast(f, en, "blood_frenzy_spell", att, NULL, msg));
	assert_string_equal(msg,
	    "the army is under Blood Frenzy for its next battle");
	fight_at(f, att, 30, 30, 901, &in);
	assert_true(in.att.confusion_pct >= 10 && in.att.confusion_pct <= 30);
	assert_int_equal(in.att.kill_atk_pct, 10);
	assert_int_equal(in.att.atk_pct, 0);
	assert_int_equal(in.def.confusion_pct, 0);
	assert_int_equal(in.def.kill_atk_pct, 0);
	if (cm_table_get_u64(f->w->armies, 15) != NULL) {
		/* The frenzy is spent, the confusion holds its 12 hours. */
		assert_true(shard_effect_active(att, cm_spell_find("confusion"),
		    now));
		assert_int_equal(att->neffects, 1);
		assert_false(shard_effect_active(att,
		    cm_spell_find("confusion"), now + 13 * hour));
	}
}

/* Nightmare: no rest for 48 hours; rest is +10 morale a day for an idle,
 * fed army on its own land, up to 100. */
static void
test_nightmare_and_rest(void **state)
{
	fixture   *f   = *state;
	sh_player *me  = player(f, CASTER, "sylvaeth", "warlord");
	sh_player *en  = player(f, ENEMY, "ironveld", "warlord");
	sh_army   *a   = army(f, en, 20, "stoneshield", 10);
	sh_army   *b   = shard_army_new(f->w, 21, en, 22, 22);
	sh_army   *c   = shard_army_new(f->w, 22, en, 40, 40);
	int64_t    now = cm_time_now_ms(), hour = 3600 * 1000;
	char       msg[160];

	b->units[cm_unit_index("stoneshield")] = 10;
	c->units[cm_unit_index("stoneshield")] = 10;
	shard_tile_set_owner(f->w, 20, 20, en);
	shard_tile_set_owner(f->w, 22, 22, en);
	shard_tile(f->w, 20, 20)->res.food = 1000000;
	a->morale = 50;
	b->morale = 95;
	c->morale = 50; /* away from its land: no rest */
	assert_true(shard_spell_hostile(cm_spell_find("nightmare")));
	assert_true(shard_effect_cast(f->w, b, cm_spell_find("nightmare"), now));
	assert_true(cast(f, me, "nightmare", b, NULL, msg));
	shard_economy_day(f->w, 12, now);
	assert_int_equal(a->morale, 60);
	assert_int_equal(b->morale, 95);
	assert_true(c->morale <= 50);
	shard_economy_day(f->w, 13, now + 49 * hour);
	assert_int_equal(a->morale, 70);
	assert_int_equal(b->morale, 100); /* rests again, up to 100 */
	/* A marching army does not rest. */
	a->status = SH_MOVING;
	shard_economy_day(f->w, 14, now + 50 * hour);
	assert_int_equal(a->morale, 70);
}

/* Pyre Burst: 1-2% of the HP of the caster's Ashborn units within a tile
 * of the target; none near, refused. */
static void
test_pyre_burst(void **state)
{
	fixture   *f  = *state;
	sh_player *me = player(f, CASTER, "ashborn", "warlord");
	sh_player *en = player(f, ENEMY, "ironveld", "warlord");
	sh_army   *his = army(f, en, 30, "stoneshield", 100000);
	sh_army   *far = shard_army_new(f->w, 31, me, 25, 25);
	sh_army   *mine;
	int        u = cm_unit_index("ashstriker");
	int64_t    hp = (int64_t) cm_unit(u)->hp * 1000;
	char       msg[160];

	far->units[u] = 1000;
	assert_non_null(shard_spell_refusal(f->w, me, cm_spell_find(
	    "pyre_burst"), his, -1, -1, cm_time_now_ms()));
	mine = shard_army_new(f->w, 32, me, 21, 19);
	mine->units[u] = 1000;
	mine->units[cm_unit_index("stoneshield")] = 1000; /* not Ashborn */
	assert_null(shard_spell_refusal(f->w, me, cm_spell_find("pyre_burst"),
	    his, -1, -1, cm_time_now_ms()));
	for (int i = 0; i < 20; i++) {
		long long          d;
		unsigned long long dead;
		uint64_t           before = shard_army_size(his);

		assert_true(cast(f, me, "pyre_burst", his, NULL, msg));
		assert_int_equal(sscanf(msg, "%lld damage: %llu units died", &d,
		    &dead), 2);
		assert_true(d == hp / 100 || d == hp * 2 / 100);
		assert_int_equal(before - shard_army_size(his), dead);
	}
	/* The caster's armies are untouched. */
	assert_int_equal(mine->units[u], 1000);
	assert_int_equal(far->units[u], 1000);
}

/* add_combat: a completed battle on (x, y) resolved at when. */
static sh_combat *
add_combat(fixture *f, uint64_t id, int x, int y, const char *att,
    const char *def, int64_t when)
{
	sh_combat *c = cm_calloc(1, sizeof(*c));

	c->id = id;
	c->x  = (int16_t) x;
	c->y  = (int16_t) y;
	snprintf(c->attacker, sizeof(c->attacker), "%s", att);
	snprintf(c->defender, sizeof(c->defender), "%s", def);
	snprintf(c->status, sizeof(c->status), "completed");
	c->resolved_ms = when;
	cm_table_put_u64(f->w->combats, c->id, c);
	return (c);
}

/* Raise Dead: 5-15% of the caster's losses on the tile in the last 24
 * hours join its largest army there, once. */
static void
test_raise_dead(void **state)
{
	fixture   *f  = *state;
	sh_player *me = player(f, CASTER, "ashborn", "warlord");
	sh_player *en = player(f, ENEMY, "ironveld", "warlord");
	int64_t    now = cm_time_now_ms(), hour = 3600 * 1000;
	int        ss = cm_unit_index("stoneshield"), hm = cm_unit_index(
	    "hammerer"), rb = cm_unit_index("rageborn");
	const cm_spell_def *s = cm_spell_find("raise_dead");
	sh_army   *small, *big;
	char       msg[160];
	uint32_t   got;

	add_combat(f, 50, 20, 20, CASTER, ENEMY, now - hour)->att_loss[ss] =
	    1000;
	add_combat(f, 51, 20, 20, ENEMY, CASTER, now - 2 * hour)->def_loss[rb] =
	    500;
	add_combat(f, 52, 20, 20, CASTER, ENEMY, now - 25 * hour)
	    ->att_loss[hm] = 1000; /* too old */
	add_combat(f, 53, 21, 20, CASTER, ENEMY, now - hour)->att_loss[hm] =
	    1000; /* elsewhere */
	add_combat(f, 54, 20, 20, CASTER, ENEMY, now - hour)->def_loss[hm] =
	    1000; /* the enemy's dead */
	snprintf(add_combat(f, 55, 20, 20, CASTER, ENEMY, now - hour)->status,
	    12, "pending"); /* not fought */
	assert_false(shard_spell_hostile(s));
	/* No army of the caster there: nothing to join. */
	assert_non_null(shard_spell_refusal(f->w, me, s, NULL, 20, 20, now));
	small = army(f, me, 60, "rageborn", 10);
	big   = army(f, me, 61, "rageborn", 100);
	assert_null(shard_spell_refusal(f->w, me, s, NULL, 20, 20, now));
	/* The enemy's dead are the enemy's; a third player has none. */
	army(f, en, 62, "stoneshield", 10);
	assert_null(shard_spell_refusal(f->w, en, s, NULL, 20, 20, now));
	army(f, player(f, YOUNG, "korrath", "warlord"), 63, "rageborn", 10);
	assert_non_null(shard_spell_refusal(f->w, cm_table_get_str(
	    f->w->players, YOUNG), s, NULL, 20, 20, now));
	assert_true(cast(f, me, "raise_dead", NULL, NULL, msg));
	got = big->units[ss];
	assert_true(got >= 50 && got <= 150);
	assert_true(big->units[rb] - 100 >= 25 && big->units[rb] - 100 <= 75);
	assert_int_equal(big->units[hm], 0);
	assert_int_equal(shard_army_size(small), 10);
	/* Once: the same dead do not rise again... */
	assert_non_null(shard_spell_refusal(f->w, me, s, NULL, 20, 20, now));
	/* ...but those of a later battle do. */
	add_combat(f, 56, 20, 20, CASTER, ENEMY, now + hour)->att_loss[ss] =
	    100;
	assert_null(shard_spell_refusal(f->w, me, s, NULL, 20, 20,
	    now + 2 * hour));
	shard_spell_now(f->w, me, s, NULL, NULL, 20, 20, now + 2 * hour, msg,
	    sizeof(msg));
	assert_true(big->units[ss] - got >= 5 && big->units[ss] - got <= 15);
}

/* Blood Pact: two of the caster's armies on a tile share the losses of
 * spells, half each, for 24 hours. */
static void
test_blood_pact(void **state)
{
	fixture            *f  = *state;
	sh_player          *me = player(f, CASTER, "vaelthir", "warlord");
	sh_player          *en = player(f, ENEMY, "ironveld", "warlord");
	const cm_spell_def *s = cm_spell_find("blood_pact");
	sh_army            *a = army(f, me, 70, "stoneshield", 1000);
	sh_army            *b, *his = army(f, en, 72, "stoneshield", 1000);
	int64_t             now = cm_time_now_ms(), hour = 3600 * 1000;
	int                 ss = cm_unit_index("stoneshield");
	bool                fights = false;
	char                msg[160], *j;

	assert_false(shard_spell_hostile(s));
	/* Alone on its tile: nothing to link; on an enemy: refused. */
	assert_non_null(shard_spell_refusal(f->w, me, s, a, -1, -1, now));
	b = army(f, me, 71, "stoneshield", 1000);
	assert_null(shard_spell_refusal(f->w, me, s, a, -1, -1, now));
	assert_non_null(shard_spell_refusal(f->w, me, s, his, -1, -1, now));
	assert_true(shard_spell_cast(f->w, me, s, a, NULL, -1, -1, now, msg,
	    sizeof(msg), &fights));
	assert_int_equal(shard_effect_partner(a, now), 71);
	assert_int_equal(shard_effect_partner(b, now), 70);
	assert_int_equal(shard_effect_partner(his, now), 0);
	/* Exsanguinate's 30% on one: 15% each. */
	shard_spell_now(f->w, en, cm_spell_find("exsanguinate"), a, NULL, -1,
	    -1, now, msg, sizeof(msg));
	assert_string_equal(msg, "300 units died");
	assert_int_equal(a->units[ss], 850);
	assert_int_equal(b->units[ss], 850);
	/* Damage likewise: what the partner takes is half of it. */
	shard_spell_now(f->w, en, cm_spell_find("fireball"), b, NULL, -1, -1,
	    now, msg, sizeof(msg));
	assert_true(a->units[ss] <= 850 && b->units[ss] <= 850);
	assert_true(850 - a->units[ss] <= 850 - b->units[ss] + 1);
	/* The pact goes through the effects' JSON. */
	j = shard_effect_json(a);
	a->neffects = 0;
	shard_effect_parse(a, j);
	free(j);
	assert_int_equal(shard_effect_partner(a, now), 71);
	/* 24 game hours, then each bears its own. */
	{
		uint32_t before = b->units[ss];

		shard_spell_now(f->w, en, cm_spell_find("exsanguinate"), a,
		    NULL, -1, -1, now + 25 * hour, msg, sizeof(msg));
		assert_int_equal(b->units[ss], before);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_damage_by_the_table, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_area_hits_whom_it_may,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_deaths_and_morale, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_emptied_army_is_gone, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delay_and_speed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_player_and_hostility, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_territory_effects, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aegis, setup, teardown),
		cmocka_unit_test_setup_teardown(test_battle_spells, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nightmare_and_rest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pyre_burst, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_raise_dead, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_blood_pact, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
