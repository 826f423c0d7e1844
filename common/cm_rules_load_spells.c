/*
 * cm_rules_load_spells.c: the rules file's spells (general ones first, then
 * the racial ones) and the spell D20 tables: damage, duration and
 * divination by face.
 */
#include <stddef.h>
#include <string.h>

#include "cm_rules_load_sections.h"

static const char *const school_ids[] = { "destruction", "protection",
	"divination", "manipulation", "necromancy", "enhancement" };
static const char *const target_ids[] = { "single_unit", "army",
	"territory", "building", "player", "self" };
static const char *const spell_ids[] = { "firebolt", "lightning_strike",
	"fireball", "meteor_storm", "titans_wrath", "shield", "stone_skin",
	"ward", "fortress_of_will", "titans_aegis", "scry", "true_sight",
	"foresight", "dream_walk", "titans_eye", "slow", "confusion",
	"windshear", "mass_panic", "titans_whisper", "drain_life",
	"raise_dead", "curse", "plague", "titans_grasp", "haste", "strength",
	"bloodlust", "war_cry", "titans_blessing", "stone_wall", "earthquake",
	"crystal_prison", "crimson_bolt", "blood_pact", "exsanguinate",
	"battle_rage", "war_drums", "blood_frenzy_spell", "illusion_army",
	"nightmare", "dream_sight", "ash_cloud", "pyre_burst",
	"mass_reformation", "gust", "windshear_racial", "storm_call" };

_Static_assert(NITEMS(spell_ids) == CM_SPELL_COUNT, "spells");

static const rfield spell_fields[] = {
	F_ID(cm_spell_def, id),
	F_NAME(cm_spell_def, name),
	F_ENUMS("school", cm_spell_def, school, school_ids),
	F_BOOL(cm_spell_def, racial),
	F_ENUMN("race", cm_spell_def, race, cm__rules_race_ids),
	F_INT(cm_spell_def, mana, 0, 10000),
	F_INT(cm_spell_def, cooldown_hours, 0, 720),
	F_ENUMS("target", cm_spell_def, target, target_ids),
	F_INT(cm_spell_def, damage_min, BIG),
	F_INT(cm_spell_def, damage_max, BIG),
	F_INT(cm_spell_def, buff_pct, MULT),
	F_INT(cm_spell_def, debuff_pct, PCT),
	F_INT(cm_spell_def, duration_hours, 0, 720),
	F_INT(cm_spell_def, kill_pct_min, PCT),
	F_INT(cm_spell_def, kill_pct_max, PCT),
	F_INT(cm_spell_def, delay_hours_min, 0, 720),
	F_INT(cm_spell_def, delay_hours_max, 0, 720),
	F_INT(cm_spell_def, reveal_armies, 0, 1000),
	F_INT(cm_spell_def, warning_hours, 0, 720),
	F_INT(cm_spell_def, chance_pct_min, PCT),
	F_INT(cm_spell_def, chance_pct_max, PCT),
	F_INT(cm_spell_def, structure_def, 0, 1000000),
	F_INT(cm_spell_def, wall_hp, 0, 1000000),
	F_INT(cm_spell_def, hp_pct_min, PCT),
	F_INT(cm_spell_def, hp_pct_max, PCT),
	F_INT(cm_spell_def, raise_pct_min, PCT),
	F_INT(cm_spell_def, raise_pct_max, PCT),
	F_INT(cm_spell_def, share_pct, PCT),
};

/* The spells' min..max pairs: a max under its min is refused. */
#define RANGE(lo, hi) \
	{ #hi, offsetof(cm_spell_def, lo), offsetof(cm_spell_def, hi) }
static const struct {
	const char *max;
	size_t      lo, hi;
} spell_ranges[] = {
	RANGE(damage_min, damage_max),
	RANGE(kill_pct_min, kill_pct_max),
	RANGE(delay_hours_min, delay_hours_max),
	RANGE(chance_pct_min, chance_pct_max),
	RANGE(hp_pct_min, hp_pct_max),
	RANGE(raise_pct_min, raise_pct_max),
};
#undef RANGE

static void
spell_ranges_check(rctx *c, const cm_spell_def *s)
{
	for (size_t k = 0; k < NITEMS(spell_ranges); k++) {
		int lo, hi;

		memcpy(&lo, (const char *) s + spell_ranges[k].lo, sizeof(lo));
		memcpy(&hi, (const char *) s + spell_ranges[k].hi, sizeof(hi));
		if (hi < lo) {
			cm__rfail(c, spell_ranges[k].max, "expected >= %d", lo);
			return;
		}
	}
}

void
cm__rules_load_spells(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a =
	    cm__rarr(c, root, "spells", CM_SPELL_COUNT, CM_SPELL_COUNT);
	json_t *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "spells", 0);
	json_array_foreach(a, i, o)
	{
		size_t        o2 = cm__rpush(c, NULL, (int) i);
		cm_spell_def *s  = &r->spells[i];

		s->index = (int) i;
		if (cm__rread(c, o, spell_fields, NITEMS(spell_fields), s)) {
			cm__rorder(c, r->spells[0].id, sizeof(*s), (int) i,
			    spell_ids, -1, 0);
		}
		if (c->bad) {
		} else if (s->racial != (i >= CM_GENERAL_SPELL_COUNT)) {
			cm__rfail(c, "racial",
			    "expected %s (spells %d..%d are "
			    "racial)",
			    s->racial ? "false" : "true",
			    CM_GENERAL_SPELL_COUNT, CM_SPELL_COUNT - 1);
		} else if (s->racial && s->race < 0) {
			cm__rfail(c, "race", "a racial spell needs a race");
		} else {
			spell_ranges_check(c, s);
		}
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}

void
cm__rules_load_spell_tables(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[]  = { F_SKIP("damage"), F_SKIP("duration"),
		 F_SKIP("divination") };
	static const rfield div[]  = {
                F_INTK("accuracy_pct", rrow, v, PCT),
                F_BOOLK("false_vision", rrow, f1),
                F_BOOLK("bonus_intel", rrow, f2),
	};
	cm_spell_tables *t = &r->spell_tables;
	json_t          *o = json_object_get(root, "spell_tables");
	size_t           old;

	old = cm__rpush(c, "spell_tables", 0);
	if (cm__rread(c, o, top, NITEMS(top), t)) {
		cm__rd20_mult(c, o, "damage", t->damage_mult_pct);
		cm__rd20_mult(c, o, "duration", t->duration_mult_pct);
		cm__rd20(c, o, "divination", div, NITEMS(div),
		    t->divination_accuracy_pct, t->divination_false_vision,
		    t->divination_bonus_intel);
	}
	cm__rpop(c, old);
}
