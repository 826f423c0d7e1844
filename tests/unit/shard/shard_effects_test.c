/*
 * shard_effects_test.c: spells on armies: what each moves (the rules'
 * numbers), one-battle effects spent by a battle, lasting ones ending on
 * time, the same spell refreshing, the oldest giving way, the stored
 * JSON read back, and a battle taking the effects of the attacker and of
 * the defence's largest army.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cm_battle.h"
#include "shard_test_world.h"

#define A1 "0x1111111111111111111111111111111111111111"
#define A2 "0x2222222222222222222222222222222222222222"

static int
setup(void **state)
{
	return (fixture_setup(state, 1, 0, 2, 4, 10));
}

static sh_army *
army(fixture *f, uint64_t id)
{
	sh_player *p = cm_table_get_str(f->w->players, A1);

	if (p == NULL) {
		p = shard_player_new(f->w, A1);
	}
	return (shard_army_new(f->w, id, p, 10, 10));
}

static void
sum(const sh_army *a, int64_t now, int *atk, int *def)
{
	*atk = *def = 0;
	shard_effect_sum(a, now, atk, def);
}

static void
test_what_they_move(void **state)
{
	fixture *f = *state;
	sh_army *a = army(f, 1);
	int64_t  now = cm_time_now_ms();
	int      atk, def;

	assert_true(shard_effect_cast(f->w, a, cm_spell_find("shield"), now));
	sum(a, now, &atk, &def);
	assert_int_equal(atk, 0);
	assert_int_equal(def, 20);
	assert_true(shard_effect_cast(f->w, a, cm_spell_find("bloodlust"), now));
	sum(a, now, &atk, &def);
	assert_int_equal(atk, 40);
	assert_int_equal(def, 0); /* +20 shield, -20 bloodlust */
	assert_true(shard_effect_cast(f->w, a, cm_spell_find("curse"), now));
	sum(a, now, &atk, &def);
	assert_int_equal(atk, 25);
	assert_int_equal(def, -15);
	/* Spells with nothing lasting leave nothing. */
	assert_false(shard_effect_cast(f->w, a, cm_spell_find("fireball"), now));
	assert_int_equal(a->neffects, 3);
}

static void
test_spent_and_expired(void **state)
{
	fixture *f = *state;
	sh_army *a = army(f, 2);
	int64_t  now = cm_time_now_ms();
	int      atk, def;

	shard_effect_cast(f->w, a, cm_spell_find("strength"), now);
	shard_effect_cast(f->w, a, cm_spell_find("curse"), now);
	/* The battle spends Strength; the Curse lasts 24 game hours. */
	shard_effect_spend(a, now);
	sum(a, now, &atk, &def);
	assert_int_equal(atk, -15);
	assert_int_equal(def, -15);
	assert_int_equal(a->neffects, 1);
	sum(a, now + shard_duration_ms(f->w, 24 * 3600 * 1000LL) + 1, &atk,
	    &def);
	assert_int_equal(atk, 0);
	/* The same spell again refreshes, it does not stack. */
	shard_effect_cast(f->w, a, cm_spell_find("curse"), now);
	assert_int_equal(a->neffects, 1);
	/* Full: the oldest gives way. */
	shard_effect_cast(f->w, a, cm_spell_find("shield"), now);
	shard_effect_cast(f->w, a, cm_spell_find("strength"), now);
	shard_effect_cast(f->w, a, cm_spell_find("titans_blessing"), now);
	shard_effect_cast(f->w, a, cm_spell_find("bloodlust"), now);
	assert_int_equal(a->neffects, SH_EFFECTS);
	assert_string_equal(cm_spell_at(a->effects[0].spell)->id, "shield");
}

static void
test_json_round_trip(void **state)
{
	fixture *f = *state;
	sh_army *a = army(f, 3), *b = army(f, 4);
	int64_t  now = cm_time_now_ms();
	char    *j;

	shard_effect_cast(f->w, a, cm_spell_find("stone_skin"), now);
	shard_effect_cast(f->w, a, cm_spell_find("bloodlust"), now);
	j = shard_effect_json(a);
	shard_effect_parse(b, j);
	assert_int_equal(b->neffects, 2);
	assert_memory_equal(a->effects, b->effects, 2 * sizeof(sh_effect));
	free(j);
	shard_effect_parse(b, "[]");
	assert_int_equal(b->neffects, 0);
	shard_effect_parse(b, "not json");
	assert_int_equal(b->neffects, 0);
}

/* A battle takes the attacker's effects and the defence's largest army's,
 * and spends the one-battle ones. */
static void
test_battle_takes_them(void **state)
{
	fixture         *f = *state;
	sh_player       *me = shard_player_new(f->w, A1);
	sh_player       *you = shard_player_new(f->w, A2);
	sh_army         *a, *big, *small;
	sh_combat       *c = cm_calloc(1, sizeof(*c));
	int64_t          now = cm_time_now_ms();
	cm_battle_input  in;
	json_t          *j;
	char             err[128];

	me->race  = 2;
	you->race = 0;
	shard_tile_set_owner(f->w, 30, 30, you);
	a     = shard_army_new(f->w, 10, me, 29, 30);
	big   = shard_army_new(f->w, 11, you, 30, 30);
	small = shard_army_new(f->w, 12, you, 30, 30);
	a->units[cm_unit_index("rageborn")]      = 5;
	big->units[cm_unit_index("stoneshield")] = 50;
	small->units[cm_unit_index("hammerer")]  = 2;
	shard_effect_cast(f->w, a, cm_spell_find("strength"), now);
	shard_effect_cast(f->w, big, cm_spell_find("shield"), now);
	shard_effect_cast(f->w, small, cm_spell_find("bloodlust"), now);
	c->id      = 99;
	c->army_id = 10;
	c->x       = 30;
	c->y       = 30;
	c->has_salt = true;
	snprintf(c->attacker, sizeof(c->attacker), "%s", A1);
	snprintf(c->defender, sizeof(c->defender), "%s", A2);
	snprintf(c->status, sizeof(c->status), "revealed");
	cm_table_put_u64(f->w->combats, c->id, c);
	shard_combat_resolve(f->w, c, now);
	j = json_loads(c->battle_input, 0, NULL);
	assert_int_equal(cm_battle_input_parse(j, &in, err, sizeof(err)), CM_OK);
	json_decref(j);
	assert_int_equal(in.att.atk_pct, 20);
	assert_int_equal(in.def.def_pct, 20); /* the Shield, not Bloodlust */
	assert_int_equal(in.def.atk_pct, 0);
	/* Spent by the battle (the armies that are left). */
	if (cm_table_get_u64(f->w->armies, 11) != NULL) {
		assert_int_equal(big->neffects, 0);
	}
	if (cm_table_get_u64(f->w->armies, 10) != NULL) {
		assert_int_equal(a->neffects, 0);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_what_they_move),
		T(test_spent_and_expired),
		T(test_json_round_trip),
		T(test_battle_takes_them),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
