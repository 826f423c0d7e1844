/*
 * cm_rules_load_factions.c: the rules file's races, classes (each with its two
 * skills, whose effects differ by skill) and units: who plays, and what
 * they field.  Ids are in chain order (§1); a unit has a race unless it
 * is a siege weapon, and each race has one unit of each other role.
 */
#include "cm_rules_load_sections.h"

static const char *const class_ids[] = { "warlord", "archmage",
	"highpriest", "shadowmaster", "merchantprince", "beastlord" };
static const char *const skill_ids[] = { "vanguard", "fortress",
	"destruction", "protection", "crusader", "oracle", "assassin",
	"saboteur", "profiteer", "artificer", "packalpha", "warden" };
static const char *const unit_ids[] = { "stoneshield", "hammerer",
	"siegeanvil", "bloodwarden", "crimsonblade", "magister", "warshield",
	"rageborn", "warchief", "veilguard", "fadestriker", "dreamweaver",
	"cinderguard", "ashstriker", "pyreknight", "galeguard", "zephyr",
	"stormherald", "batteringram", "catapult", "trebuchet" };

_Static_assert(NITEMS(class_ids) == CM_CLASS_COUNT, "classes");
_Static_assert(NITEMS(skill_ids) == CM_SKILL_COUNT, "skills");
_Static_assert(NITEMS(unit_ids) == CM_UNIT_COUNT, "units");

static const rfield race_fields[] = {
	F_ID(cm_race_def, id),
	F_NAME(cm_race_def, name),
	F_INT(cm_race_def, chain_index, 0, CM_RACE_COUNT - 1),
	F_INT(cm_race_def, food_rate_pct, MULT),
	F_INT(cm_race_def, speed_pct, PCT_DELTA),
	F_INT(cm_race_def, production_pct, PCT_DELTA),
	F_INT(cm_race_def, atk_pct, PCT_DELTA),
	F_INT(cm_race_def, def_pct, PCT_DELTA),
	F_INT(cm_race_def, stationary_def_pct, PCT_DELTA),
	F_INT(cm_race_def, evasion_pct, PCT),
	F_INT(cm_race_def, unit_cost_pct, PCT_DELTA),
	F_INT(cm_race_def, building_cost_pct, PCT_DELTA),
	F_INT(cm_race_def, build_time_pct, PCT_DELTA),
	F_INT(cm_race_def, wall_hp_pct, PCT_DELTA),
	F_INT(cm_race_def, wall_def_pct, PCT_DELTA),
	F_INT(cm_race_def, mine_pct, PCT_DELTA),
	F_INT(cm_race_def, farm_pct, PCT_DELTA),
	F_INT(cm_race_def, armory_bonus_pct, PCT_DELTA),
	F_INT(cm_race_def, mana_regen_pct, PCT_DELTA),
	F_INT(cm_race_def, mana_cap_bonus, 0, 10000),
	F_INT(cm_race_def, spell_damage_roll_bonus, -20, 20),
	F_INT(cm_race_def, divination_min_roll, 1, 20),
	F_INT(cm_race_def, loot_pct, PCT_DELTA),
	F_INT(cm_race_def, prisoner_capture_pct, PCT),
	F_INT(cm_race_def, blood_frenzy_atk_pct, PCT_DELTA),
	F_INT(cm_race_def, blood_frenzy_hours, 0, 720),
	F_INT(cm_race_def, vision_bonus, 0, 20),
	F_INT(cm_race_def, foreign_soil_grace_days, 0, 365),
	F_INT(cm_race_def, death_save_bonus, -20, 20),
	F_BOOL(cm_race_def, reformation),
	F_INT(cm_race_def, reformation_roll_bonus, -20, 20),
	F_INT(cm_race_def, curse_pct_per_stack, PCT),
	F_INT(cm_race_def, curse_max_stacks, 0, 100),
	F_INT(cm_race_def, curse_hours, 0, 720),
	F_INT(cm_race_def, structure_decay_pct_per_day, PCT),
	F_SKIP("forbidden_buildings"),
};

void
cm__rules_load_races(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = cm__rarr(c, root, "races", CM_RACE_COUNT, CM_RACE_COUNT),
	       *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "races", 0);
	json_array_foreach(a, i, o)
	{
		size_t       o2 = cm__rpush(c, NULL, (int) i);
		cm_race_def *d  = &r->races[i];

		if (cm__rread(c, o, race_fields, NITEMS(race_fields), d)) {
			cm__rorder(c, r->races[0].id, sizeof(*d), (int) i,
			    cm__rules_race_ids, d->chain_index, (int) i);
			cm__rset(c, o, "forbidden_buildings",
			    cm__rules_building_ids, CM_BUILDING_COUNT,
			    d->forbidden_buildings);
		}
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}

static const rfield class_fields[] = {
	F_ID(cm_class_def, id),
	F_NAME(cm_class_def, name),
	F_INT(cm_class_def, chain_index, 0, CM_CLASS_COUNT - 1),
	F_INT(cm_class_def, death_save_bonus, -20, 20),
	F_INT(cm_class_def, led_atk_pct, PCT_DELTA),
	F_INT(cm_class_def, led_def_pct, PCT_DELTA),
	F_INT(cm_class_def, mana_regen_pct, PCT_DELTA),
	F_INT(cm_class_def, spell_roll_bonus, -20, 20),
	F_INT(cm_class_def, stealth_radius, 0, 100),
	F_INT(cm_class_def, gold_income_pct, PCT_DELTA),
	F_INT(cm_class_def, upkeep_pct, PCT_DELTA),
	F_INT(cm_class_def, companion_stat_pct, PCT_DELTA),
	F_INT(cm_class_def, speed_pct, PCT_DELTA),
	F_INT(cm_class_def, spell_negations_per_day, 0, 100),
	F_INT(cm_class_def, debuff_removals_per_day, 0, 100),
	F_SKIP("skills"),
};

#define SKILL_HEAD                                                         \
	F_ID(cm_skill_def, id), F_NAME(cm_skill_def, name),                \
	    F_INT(cm_skill_def, chain_index, 0, CM_SKILL_COUNT - 1),       \
	    F_SKIP("effects")
#define SE(m, ...) F_INT(cm_skill_def, m, __VA_ARGS__)

/* Each skill's effects (§7.3): exactly these keys, by skill id. */
static const rfield fx_vanguard[] = { SE(round1_atk_pct, PCT_DELTA),
	SE(siege_damage_pct, PCT_DELTA) };
static const rfield fx_fortress[] = { SE(defending_def_pct, PCT_DELTA),
	SE(building_hp_pct, PCT_DELTA),
	SE(defending_death_save_bonus, -20, 20) };
static const rfield fx_destruction[] = { SE(spell_damage_pct, PCT_DELTA),
	SE(crit_dot_damage, BIG), SE(crit_dot_rounds, 0, 100) };
static const rfield fx_protection[] = { SE(magic_resist_pct, PCT),
	F_BOOL(cm_skill_def, can_ward_buildings) };
static const rfield fx_crusader[] = { SE(forsaken_atk_pct, PCT_DELTA),
	SE(sure_hits_per_battle, 0, 100) };
static const rfield fx_oracle[] = { SE(warning_hours, 0, 720),
	SE(action_reads_per_day, 0, 100) };
static const rfield fx_assassin[] = { SE(assassinate_chance_pct, PCT),
	SE(marked_damage_pct, PCT_DELTA) };
static const rfield fx_saboteur[] = { SE(building_damage_pct, PCT_DELTA),
	SE(bridge_destroy_mana, 0, 10000),
	SE(bridge_destroy_cooldown_hours, 0, 720),
	SE(trap_damage_pct, PCT) };
static const rfield fx_profiteer[] = { SE(loot_pct, PCT_DELTA),
	SE(raze_pct, PCT_DELTA), SE(gold_per_damage_pct, PCT),
	SE(prisoner_capture_pct, PCT) };
static const rfield fx_artificer[] = { SE(build_time_pct, PCT_DELTA),
	SE(train_time_pct, PCT_DELTA), SE(siege_damage_pct, PCT_DELTA) };
static const rfield fx_packalpha[] = { SE(wolves_per_day, 0, 10000),
	SE(atk_pct_per_100_units, PCT_DELTA), SE(low_hp_threshold_pct, PCT),
	SE(low_hp_atk_pct, PCT_DELTA) };
static const rfield fx_warden[] = { SE(beast_stats_pct, PCT_DELTA),
	SE(death_save_bonus, -20, 20) };

static const struct {
	const rfield *f;
	size_t        n;
} skill_fx[CM_SKILL_COUNT] = {
	{ fx_vanguard, NITEMS(fx_vanguard) },
	{ fx_fortress, NITEMS(fx_fortress) },
	{ fx_destruction, NITEMS(fx_destruction) },
	{ fx_protection, NITEMS(fx_protection) },
	{ fx_crusader, NITEMS(fx_crusader) },
	{ fx_oracle, NITEMS(fx_oracle) },
	{ fx_assassin, NITEMS(fx_assassin) },
	{ fx_saboteur, NITEMS(fx_saboteur) },
	{ fx_profiteer, NITEMS(fx_profiteer) },
	{ fx_artificer, NITEMS(fx_artificer) },
	{ fx_packalpha, NITEMS(fx_packalpha) },
	{ fx_warden, NITEMS(fx_warden) },
};

static void
rules_skills(rctx *c, json_t *o, cm_class_def *d, int cls)
{
	static const rfield head[] = { SKILL_HEAD };
	json_t             *a = cm__rarr(c, o, "skills", 2, 2), *s;
	size_t              old, i;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "skills", 0);
	json_array_foreach(a, i, s)
	{
		size_t        o2 = cm__rpush(c, NULL, (int) i);
		cm_skill_def *k  = &d->skills[i];
		int           si = cls * 2 + (int) i;

		if (cm__rread(c, s, head, NITEMS(head), k)) {
			cm__rorder(c, d->skills[0].id, sizeof(*k), (int) i,
			    skill_ids + cls * 2, k->chain_index, si);
			cm__rread_key(c, s, "effects", skill_fx[si].f,
			    skill_fx[si].n, k);
		}
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}

void
cm__rules_load_classes(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a =
	    cm__rarr(c, root, "classes", CM_CLASS_COUNT, CM_CLASS_COUNT);
	json_t *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "classes", 0);
	json_array_foreach(a, i, o)
	{
		size_t        o2 = cm__rpush(c, NULL, (int) i);
		cm_class_def *d  = &r->classes[i];

		if (cm__rread(c, o, class_fields, NITEMS(class_fields), d)) {
			cm__rorder(c, r->classes[0].id, sizeof(*d), (int) i,
			    class_ids, d->chain_index, (int) i);
			rules_skills(c, o, d, (int) i);
		}
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}

static const rfield unit_fields[] = {
	F_ID(cm_unit_def, id),
	F_NAME(cm_unit_def, name),
	F_ENUMN("race", cm_unit_def, race, cm__rules_race_ids),
	F_ENUM("role", cm_unit_def, role, cm__rules_role_ids),
	F_INT(cm_unit_def, atk, 0, 1000),
	F_INT(cm_unit_def, def, 0, 1000),
	{ "spd", RK_FIX10, offsetof(cm_unit_def, spd_x10), 1, 100, NULL, 0 },
	F_INT(cm_unit_def, hp, 1, 100000),
	F_INT(cm_unit_def, gold, BIG),
	F_INT(cm_unit_def, mana, 0, 10000),
	{ "food", RK_FIX10, offsetof(cm_unit_def, food_x10), 0, 1000, NULL,
	    0 },
	F_INT(cm_unit_def, train_minutes, 1, 10080),
};

void
cm__rules_load_units(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = cm__rarr(c, root, "units", CM_UNIT_COUNT, CM_UNIT_COUNT),
	       *o;
	size_t  old, i;
	int     seen[CM_RACE_COUNT][CM_ROLE_COUNT] = { { 0 } };

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "units", 0);
	json_array_foreach(a, i, o)
	{
		size_t       o2 = cm__rpush(c, NULL, (int) i);
		cm_unit_def *u  = &r->units[i];

		if (cm__rread(c, o, unit_fields, NITEMS(unit_fields), u)) {
			cm__rorder(c, r->units[0].id, sizeof(*u), (int) i,
			    unit_ids, -1, 0);
		}
		if (c->bad) {
		} else if ((u->race < 0) != (u->role == CM_ROLE_SIEGE)) {
			cm__rfail(c, "race",
			    "expected null exactly for siege weapons");
		} else if (u->race >= 0 && seen[u->race][u->role]++ > 0) {
			cm__rfail(c, "role", "race %s has two %s units",
			    cm__rules_race_ids[u->race],
			    cm__rules_role_ids[u->role]);
		}
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}
