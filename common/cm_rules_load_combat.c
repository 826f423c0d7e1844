/*
 * cm_rules_load_combat.c: the rules file's death saves and its "combat"
 * section, which fills a cm_combat_rules: every number the battle engine
 * uses (cm_combat_rules.h), grouped, D20 columns as the same face tables
 * as elsewhere.
 */
#include "cm_rules_load_sections.h"

#define CB cm_combat_rules
#define SIGNED_PTS -1000, 1000 /* signed percentage points */
#define ROLL_BONUS -20, 20

void
cm__rules_load_death_save(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield f[] = {
		F_INT(cm_death_save_rules, threshold, 1, 20),
		F_INT(cm_death_save_rules, modifier_cap, 0, 20),
		F_INT(cm_death_save_rules, wound_hours, 0, 720),
		F_INT(cm_death_save_rules, wounded_effect_pct, -100, 0),
	};

	cm__rread_key(c, root, "death_save", f, NITEMS(f), &r->death_save);
}

static void
combat_rolls(rctx *c, json_t *root, CB *r)
{
	static const rfield top[]  = { F_SKIP("attack_table"),
		 F_SKIP("defence_table"),
		 F_INTK("chip_floor_pct", CB, chip_floor_pct, PCT) };
	json_t             *o      = json_object_get(root, "rolls");
	size_t              old    = cm__rpush(c, "rolls", 0);

	if (cm__rread(c, o, top, NITEMS(top), r)) {
		cm__rd20_mult(c, o, "attack_table", r->atk_face_pct);
		cm__rd20_mult(c, o, "defence_table", r->def_face_pct);
	}
	cm__rpop(c, old);
}

/* combat_sides: terrain, heart, buildings, captains, races, modifiers. */
static void
combat_sides(rctx *c, json_t *root, CB *r)
{
	static const rfield terr[] = { F_SKIP("atk_mult_pct"),
		F_SKIP("def_mult_pct") };
	static const rfield heart[] = {
		F_ENUM("zone", CB, heart_zone, cm__rules_zone_ids),
		F_INTK("atk_mult_pct", CB, heart_atk_pct, MULT),
		F_INTK("def_mult_pct", CB, heart_def_pct, MULT),
		F_INTK("roll_bonus", CB, heart_roll_bonus, ROLL_BONUS),
	};
	static const rfield bld[] = {
		F_INTK("wall_def_pct", CB, wall_def_pct, PCT_DELTA),
		F_INTK("wall_ironveld_def_pct", CB, wall_ironveld_def_pct,
		    PCT_DELTA),
		F_INTK("gate_def_pct", CB, gate_def_pct, PCT_DELTA),
		F_INTK("warhall_atk_pct", CB, warhall_atk_pct, PCT_DELTA),
		F_INTK("armory_pct", CB, armory_pct, PCT_DELTA),
		F_INTK("armory_korrath_pct", CB, armory_korrath_pct,
		    PCT_DELTA),
	};
	static const rfield cap[] = {
		F_INTK("warlord_pct", CB, warlord_pct, PCT_DELTA),
		F_INTK("vanguard_atk_pct", CB, vanguard_atk_pct, PCT_DELTA),
		F_INTK("fortress_def_pct", CB, fortress_def_pct, PCT_DELTA),
		F_INTK("packalpha_step_units", CB, packalpha_step_units, 1,
		    1000000),
		F_INTK("packalpha_step_atk_pct", CB, packalpha_step_pct, 0,
		    1000),
		F_INTK("packalpha_step_max_pct", CB, packalpha_step_max_pct, 0,
		    1000),
		F_INTK("packalpha_low_hp_permille", CB,
		    packalpha_low_hp_permille, 0, 1000),
		F_INTK("packalpha_low_hp_atk_pct", CB, packalpha_low_hp_pct,
		    PCT_DELTA),
		F_INTK("crusader_forsaken_atk_pct", CB, crusader_forsaken_pct,
		    PCT_DELTA),
		F_INTK("wounded_pct", CB, wounded_pct, -100, 0),
	};
	static const rfield race[] = {
		F_INTK("blood_frenzy_atk_pct", CB, frenzy_atk_pct, PCT_DELTA),
		F_SKIP("atk_pct"), F_SKIP("def_pct"),
		F_SKIP("defending_def_pct"),
		F_INTK("vaelthir_def_ignore_pct", CB, vaelthir_def_ignore_pct,
		    PCT),
		F_INTK("evasion_max_face", CB, evasion_max_face, 0, 20),
	};
	static const rfield mod[] = {
		F_INTK("floor_mult_pct", CB, mult_floor_pct, PCT),
		F_INTK("curse_pct_per_stack", CB, curse_pct_per_stack, -100,
		    0),
		F_INTK("curse_max_stacks", CB, curse_max_stacks, 0, 100),
	};
	size_t  here = c->plen, old;
	json_t *o;

	old = cm__rpush(c, "terrain", 0);
	o   = json_object_get(root, "terrain");
	if (cm__rread(c, o, terr, NITEMS(terr), r)) {
		cm__rkeyed(c, o, "atk_mult_pct", cm__rules_terrain_ids,
		    CM_COMBAT_TERRAINS, MULT, r->terrain_atk_pct);
		cm__rkeyed(c, o, "def_mult_pct", cm__rules_terrain_ids,
		    CM_COMBAT_TERRAINS, MULT, r->terrain_def_pct);
	}
	cm__rpop(c, old);
	cm__rread_key(c, root, "heart", heart, NITEMS(heart), r);
	cm__rread_key(c, root, "buildings", bld, NITEMS(bld), r);
	cm__rread_key(c, root, "captains", cap, NITEMS(cap), r);
	cm__rpush(c, "races", 0);
	o = json_object_get(root, "races");
	if (cm__rread(c, o, race, NITEMS(race), r)) {
		cm__rkeyed(c, o, "atk_pct", cm__rules_race_ids, CM_RACE_COUNT,
		    PCT_DELTA, r->race_atk_pct);
		cm__rkeyed(c, o, "def_pct", cm__rules_race_ids, CM_RACE_COUNT,
		    PCT_DELTA, r->race_def_pct);
		cm__rkeyed(c, o, "defending_def_pct", cm__rules_race_ids,
		    CM_RACE_COUNT, PCT_DELTA, r->race_def_defending_pct);
	}
	cm__rpop(c, here);
	cm__rread_key(c, root, "modifiers", mod, NITEMS(mod), r);
}

/* combat_soil: foreign soil, five bands from day 0, the last open. */
static void
combat_soil(rctx *c, json_t *root, CB *r)
{
	static const rfield top[]  = { F_INTK("sylvaeth_shift_days", CB,
		                           soil_sylvaeth_shift_days, 0, 365),
		 F_SKIP("bands") };
	static const rfield band[] = {
		F_INTK("from_day", cm_day_band, from_day, 0, 1000),
		F_INTN("to_day", cm_day_band, to_day, 0, 1000),
		F_INTK("atk_def_pct", cm_day_band, a, -100, 0),
	};
	cm_day_band         tmp[CM_BANDS_MAX];
	const cm_day_band  *b;
	json_t             *o   = json_object_get(root, "foreign_soil");
	size_t              old = cm__rpush(c, "foreign_soil", 0);

	if (cm__rread(c, o, top, NITEMS(top), r)) {
		b = cm__rbands_n(c, o, "bands", band, NITEMS(band), 0,
		    CM_COMBAT_SOIL, tmp);
		for (int i = 0; !c->bad && i < CM_COMBAT_SOIL; i++) {
			r->soil_days[i] = b[i].from_day;
			r->soil_pct[i]  = b[i].a;
		}
	}
	cm__rpop(c, old);
}

/*
 * combat_morale: the range, then CM_COMBAT_BANDS bands best first, each
 * applying from its min up: mins strictly falling, the last at the range's
 * min so that every morale has a band.
 */
static void
combat_morale(rctx *c, json_t *root, CB *r)
{
	static const rfield top[]  = {
                F_INTK("min", CB, morale_min, 0, 1000),
                F_INTK("max", CB, morale_max, 1, 1000),
                F_SKIP("bands"),
                F_INTK("immune_rout_permille", CB,
                    morale_immune_rout_permille, 0, 1000),
                F_INTK("low", CB, morale_low, 0, 1000),
                F_INTK("casualty_factor", CB, morale_casualty_factor, 0,
                    100000),
                F_INTK("decisive_ratio", CB, morale_decisive_ratio, 1, 1000),
                F_INTK("round_won", CB, morale_round_won, 0, 1000),
                F_INTK("round_lost", CB, morale_round_lost, -1000, 0),
                F_INTK("crit_dealt", CB, morale_crit_dealt, 0, 1000),
                F_INTK("crit_received", CB, morale_crit_received, -1000, 0),
                F_INTK("captain_died", CB, morale_captain_died, -1000, 0),
	};
	static const rfield band[] = {
		F_INTK("min", rrow, from, 0, 1000),
		F_INTK("atk_def_pct", rrow, v, -100, 0),
		F_INTK("desertion_pct", rrow, to, PCT),
	};
	json_t *o = json_object_get(root, "morale"), *a, *row;
	size_t  old = cm__rpush(c, "morale", 0), here = c->plen, i;

	if (!cm__rread(c, o, top, NITEMS(top), r)) {
		cm__rpop(c, old);
		return;
	}
	if (r->morale_max <= r->morale_min) {
		cm__rfail(c, "max", "expected > %d (min)", r->morale_min);
	} else if (r->morale_low < r->morale_min ||
	    r->morale_low > r->morale_max) {
		cm__rfail(c, "low", "expected %d..%d", r->morale_min,
		    r->morale_max);
	}
	a = cm__rarr(c, o, "bands", CM_COMBAT_BANDS, CM_COMBAT_BANDS);
	cm__rpush(c, "bands", 0);
	json_array_foreach(a, i, row)
	{
		size_t o2 = cm__rpush(c, NULL, (int) i);
		rrow   w  = { 0 };
		bool   last = i + 1 == CM_COMBAT_BANDS;

		if (!cm__rread(c, row, band, NITEMS(band), &w)) {
		} else if (last && w.from != r->morale_min) {
			cm__rfail(c, "min",
			    "expected %d (the last band starts at "
			    "morale.min)",
			    r->morale_min);
		} else if (w.from < r->morale_min || w.from > r->morale_max ||
		    (i > 0 && w.from >= r->band_min[i - 1])) {
			cm__rfail(c, "min",
			    "expected %d..%d, below the band before",
			    r->morale_min,
			    i > 0 ? r->band_min[i - 1] - 1 : r->morale_max);
		}
		r->band_min[i]        = w.from;
		r->band_pct[i]        = w.v;
		r->band_desert_pct[i] = w.to;
		cm__rpop(c, o2);
	}
	cm__rpop(c, here);
	cm__rpop(c, old);
}

/* combat_dice: crits, fumbles, casualties, death saves, prisoners. */
static void
combat_dice(rctx *c, json_t *root, CB *r)
{
	static const rfield crit[] = {
		F_INTK("desertion_pct", CB, crit_desert_pct, PCT),
		F_INTK("loot_pct", CB, crit_loot_pct, SIGNED_PTS),
		F_INTK("wall_ignore_pct", CB, crit_wall_ignore_pct, PCT),
	};
	static const rfield fum[] = {
		F_INTK("friendly_fire_pct", CB, fumble_friendly_pct, 0, 1000),
		F_INTK("loot_pct", CB, fumble_loot_pct, SIGNED_PTS),
		F_INTK("flee_pct", CB, fumble_flee_pct, PCT),
	};
	static const rfield cas[] = { F_SKIP("line_share_pct"),
		F_INTK("prisoner_mult_pct", CB, prisoner_pct, 1, 100) };
	static const char *const lines[] = { "front", "mid", "back" };
	static const rfield save[] = {
		F_INTK("dc", CB, save_dc, 1, 40),
		F_INTK("modifier_cap", CB, save_mod_cap, 0, 20),
		F_INTK("warlord", CB, save_warlord, ROLL_BONUS),
		F_INTK("shadowmaster", CB, save_shadowmaster, ROLL_BONUS),
		F_INTK("ashborn", CB, save_ashborn, ROLL_BONUS),
		F_INTK("fortress_defending", CB, save_fortress_defending,
		    ROLL_BONUS),
		F_INTK("warden", CB, save_warden, ROLL_BONUS),
	};
	static const rfield pris[] = {
		F_INTK("capture_pct", CB, capture_pct, PCT),
		F_INTK("korrath_capture_pct", CB, capture_korrath_pct, PCT),
		F_INTK("profiteer_capture_pct", CB, capture_profiteer_pct,
		    PCT),
	};
	size_t  here = c->plen;
	json_t *o;
	int     sum  = 0;

	_Static_assert(NITEMS(lines) == CM_COMBAT_LINES, "lines");
	cm__rread_key(c, root, "crits", crit, NITEMS(crit), r);
	cm__rread_key(c, root, "fumbles", fum, NITEMS(fum), r);
	cm__rpush(c, "casualties", 0);
	o = json_object_get(root, "casualties");
	if (cm__rread(c, o, cas, NITEMS(cas), r)) {
		cm__rkeyed(c, o, "line_share_pct", lines, CM_COMBAT_LINES, PCT,
		    r->line_share_pct);
		for (int l = 0; l < CM_COMBAT_LINES; l++) {
			sum += r->line_share_pct[l];
		}
		if (!c->bad && sum != 100) {
			cm__rfail(c, "line_share_pct",
			    "shares add up to %d, expected 100", sum);
		}
	}
	cm__rpop(c, here);
	cm__rread_key(c, root, "death_saves", save, NITEMS(save), r);
	cm__rread_key(c, root, "prisoners", pris, NITEMS(pris), r);
}

/* combat_spoils: siege, loot, Ashborn. */
static void
combat_spoils(rctx *c, json_t *root, CB *r)
{
	static const rfield siege[] = {
		F_SKIP("table"),
		F_INTK("ram_wall_mult_pct", CB, ram_wall_pct, 0, 10000),
		F_INTK("ram_other_mult_pct", CB, ram_other_pct, 0, 10000),
		F_INTK("catapult_mult_pct", CB, catapult_pct, 0, 10000),
		F_INTK("trebuchet_mult_pct", CB, trebuchet_pct, 0, 10000),
		F_INTK("vanguard_pct", CB, siege_vanguard_pct, PCT_DELTA),
		F_INTK("artificer_pct", CB, siege_artificer_pct, PCT_DELTA),
		F_INTK("saboteur_pct", CB, siege_saboteur_pct, PCT_DELTA),
		F_INTK("ironveld_defender_pct", CB, siege_ironveld_pct,
		    PCT_DELTA),
	};
	static const rfield loot[] = {
		F_SKIP("table"),
		F_INTK("base_pct", CB, loot_base_pct, PCT),
		F_INTK("korrath_pct", CB, loot_korrath_pct, SIGNED_PTS),
		F_INTK("profiteer_pct", CB, loot_profiteer_pct, SIGNED_PTS),
	};
	static const rfield ash[] = {
		F_SKIP("reformation_table"),
		F_INTK("reformation_roll_bonus", CB, reform_roll_bonus,
		    ROLL_BONUS),
		F_INTK("curse_spread_stacks", CB, curse_spread_stacks, 0, 100),
	};
	static const rfield ret[]  = { F_INTK("return_pct", rrow, v, PCT) };
	size_t  here = c->plen;
	json_t *o;

	cm__rpush(c, "siege", 0);
	o = json_object_get(root, "siege");
	if (cm__rread(c, o, siege, NITEMS(siege), r)) {
		cm__rd20_mult(c, o, "table", r->siege_face_pct);
	}
	cm__rpop(c, here);
	cm__rpush(c, "loot", 0);
	o = json_object_get(root, "loot");
	if (cm__rread(c, o, loot, NITEMS(loot), r)) {
		cm__rd20_mult(c, o, "table", r->loot_face_pct);
	}
	cm__rpop(c, here);
	cm__rpush(c, "ashborn", 0);
	o = json_object_get(root, "ashborn");
	if (cm__rread(c, o, ash, NITEMS(ash), r)) {
		cm__rd20(c, o, "reformation_table", ret, 1, r->reform_face_pct,
		    NULL, NULL);
	}
	cm__rpop(c, here);
}

/* combat_forsaken: a garrison's D20 table, three day bands, its make-up. */
static void
combat_forsaken(rctx *c, json_t *root, CB *r)
{
	static const rfield top[]  = {
                F_SKIP("garrison_table"),
                F_SKIP("day_bands"),
                F_INTK("min_units", CB, forsaken_min_units, 0, 1000000),
                F_INTK("defender_pct", CB, forsaken_defender_pct, PCT),
                F_INTK("morale", CB, forsaken_morale, 0, 1000),
	};
	static const rfield days[] = {
		F_INTK("from_day", cm_day_band, from_day, 1, 1000),
		F_INTN("to_day", cm_day_band, to_day, 1, 1000),
		F_INTK("strength_mult_pct", cm_day_band, a, MULT),
	};
	cm_day_band        tmp[CM_BANDS_MAX];
	const cm_day_band *b;
	json_t            *o   = json_object_get(root, "forsaken");
	size_t             old = cm__rpush(c, "forsaken", 0);

	if (cm__rread(c, o, top, NITEMS(top), r)) {
		if (r->forsaken_morale < r->morale_min ||
		    r->forsaken_morale > r->morale_max) {
			cm__rfail(c, "morale",
			    "expected %d..%d (combat.morale)", r->morale_min,
			    r->morale_max);
		}
		cm__rd20_mult(c, o, "garrison_table", r->forsaken_face_pct);
		b = cm__rbands_n(c, o, "day_bands", days, NITEMS(days), 1, 3,
		    tmp);
		for (int i = 0; !c->bad && i < 3; i++) {
			if (i < 2) {
				r->forsaken_day_max[i] = b[i].to_day;
			}
			r->forsaken_day_pct[i] = b[i].a;
		}
	}
	cm__rpop(c, old);
}

void
cm__rules_load_combat(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[] = {
		F_INTK("max_rounds", CB, max_rounds, 1, CM_BATTLE_MAX_ROUNDS),
		F_SKIP("rolls"), F_SKIP("terrain"), F_SKIP("heart"),
		F_SKIP("buildings"), F_SKIP("captains"), F_SKIP("races"),
		F_SKIP("modifiers"), F_SKIP("foreign_soil"), F_SKIP("morale"),
		F_SKIP("crits"), F_SKIP("fumbles"), F_SKIP("casualties"),
		F_SKIP("siege"), F_SKIP("death_saves"), F_SKIP("prisoners"),
		F_SKIP("loot"), F_SKIP("ashborn"), F_SKIP("forsaken"),
	};
	CB     *cr  = &r->combat;
	json_t *o   = json_object_get(root, "combat");
	size_t  old = cm__rpush(c, "combat", 0);

	if (cm__rread(c, o, top, NITEMS(top), cr)) {
		combat_rolls(c, o, cr);
		combat_sides(c, o, cr);
		combat_soil(c, o, cr);
		combat_morale(c, o, cr);
		combat_dice(c, o, cr);
		combat_spoils(c, o, cr);
		combat_forsaken(c, o, cr);
	}
	cm__rpop(c, old);
}
