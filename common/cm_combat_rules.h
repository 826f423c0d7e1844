/*
 * cm_combat_rules.h: every number the D20 battle engine (cm_battle.c)
 * uses, as plain data.
 *
 * The engine reads its numbers only through a const cm_combat_rules *:
 * cm_battle_resolve takes them from the rules file's "combat" section
 * (cm_rules_combat, validated by cm_rules_load.c), so a rules change needs
 * no engine change.  The struct is deliberately flat: ints and fixed
 * arrays, no pointers, so it can be filled from JSON, copied, hashed and
 * compared with memcmp.  JSON keys are named in cm_rules_load.c
 * (combat_*) where they differ from the members.
 *
 * Conventions: a "_pct" field is a percentage, either a multiplier (100 =
 * unchanged: the D20 columns, terrain) or a signed change (+10 = ten per
 * cent more, -20 = twenty per cent less) as its comment says.  Per-face
 * tables are indexed by the natural face 1..20; index 0 is unused (0).
 * Indices by race follow cm_rules.h (0 ironveld .. 5 breathborn), by
 * terrain cm_map.h (0 plains .. 5 corruption).
 */
#ifndef CM_COMBAT_RULES_H
#define CM_COMBAT_RULES_H

#include "cm_battle.h"
#include "cm_rules.h"

#define CM_COMBAT_FACES 21   /* per-face tables: index 1..20 */
#define CM_COMBAT_TERRAINS 6 /* cm_terrain values 0..5 */
#define CM_COMBAT_LINES 3    /* front, mid, back */
#define CM_COMBAT_BANDS 4    /* morale bands, best first */
#define CM_COMBAT_SOIL 5     /* foreign soil bands */

typedef struct cm_combat_rules {
	/* Rounds (at most CM_BATTLE_MAX_ROUNDS). */
	int max_rounds;

	/* §10.4 D20 columns: multiplier percent by natural face. */
	int atk_face_pct[CM_COMBAT_FACES];
	int def_face_pct[CM_COMBAT_FACES];

	/* §4.3 terrain multipliers (percent) by cm_terrain. */
	int terrain_atk_pct[CM_COMBAT_TERRAINS];
	int terrain_def_pct[CM_COMBAT_TERRAINS];

	/* Heart zone: its cm_zone value, ATK/DEF multiplier, roll bonus. */
	int heart_zone;
	int heart_atk_pct, heart_def_pct;
	int heart_roll_bonus;

	/* Buildings on the tile (signed changes, percent). */
	int wall_def_pct;          /* defender DEF while a wall stands */
	int wall_ironveld_def_pct; /* Ironveld defender, on top */
	int gate_def_pct;
	int warhall_atk_pct;       /* defender ATK */
	int armory_pct;            /* ATK and DEF */
	int armory_korrath_pct;

	/* Captains (the class and skill bonuses need captain_leads). */
	int warlord_pct;           /* ATK and DEF */
	int vanguard_atk_pct;      /* round 1 only */
	int fortress_def_pct;      /* defending its own tile */
	int packalpha_step_units;  /* +packalpha_step_pct per full step */
	int packalpha_step_pct;
	int packalpha_step_max_pct; /* our cap on the per-step bonus */
	int packalpha_low_hp_permille; /* below this share of starting HP */
	int packalpha_low_hp_pct;
	int crusader_forsaken_pct;
	int wounded_pct;           /* wounded captain: ATK and DEF */

	/* Races (signed changes, percent). */
	int frenzy_atk_pct;        /* Korrath Blood Frenzy */
	int race_atk_pct[CM_RACE_COUNT];
	int race_def_pct[CM_RACE_COUNT];
	int race_def_defending_pct[CM_RACE_COUNT]; /* Breath-Born stationary */
	int vaelthir_def_ignore_pct; /* of the enemy DEF, x crimsonblade share */
	int evasion_max_face;      /* strike vs Breath-Born evaded on d20 <= */

	/* Spells and curse. */
	int mult_floor_pct;        /* a factor and the whole product >= this */
	int curse_pct_per_stack;   /* negative */
	int curse_max_stacks;

	/* §12.7 foreign soil: from day soil_days[i], soil_pct[i]. */
	int soil_days[CM_COMBAT_SOIL];
	int soil_pct[CM_COMBAT_SOIL];
	int soil_sylvaeth_shift_days;

	/* §10.14 morale. band i applies from morale band_min[i] up. */
	int morale_min, morale_max;
	int band_min[CM_COMBAT_BANDS];
	int band_pct[CM_COMBAT_BANDS];        /* ATK/DEF change */
	int band_desert_pct[CM_COMBAT_BANDS]; /* deserters per round */
	int morale_immune_rout_permille; /* immune HP share that stops rout */
	int morale_low;            /* below: disadvantage */
	int morale_casualty_factor; /* - casualty fraction x this */
	int morale_decisive_ratio;
	int morale_round_won;      /* decisive win */
	int morale_round_lost;     /* decisive loss (negative) */
	int morale_crit_dealt, morale_crit_received;
	int morale_captain_died;

	/* Strikes. */
	int chip_floor_pct;        /* a strike deals >= this % of its ATK */

	/* §10.9 crits and fumbles. */
	int crit_desert_pct;       /* d6 1: enemy units desert */
	int crit_loot_pct;         /* d6 3: + loot percentage points */
	int crit_wall_ignore_pct;  /* d6 5: of the wall bonus */
	int fumble_friendly_pct;   /* d6 1: of own strike, to own troops */
	int fumble_loot_pct;       /* d6 3: - loot percentage points */
	int fumble_flee_pct;       /* d6 6: own units flee */

	/* §10.6 casualties: line shares (front, mid, back) and prisoners. */
	int line_share_pct[CM_COMBAT_LINES];
	int prisoner_pct;          /* prisoners' ATK, DEF and HP */

	/* §10.10 siege. */
	int siege_face_pct[CM_COMBAT_FACES];
	int ram_wall_pct, ram_other_pct;
	int catapult_pct, trebuchet_pct;
	int siege_vanguard_pct, siege_artificer_pct, siege_saboteur_pct;
	int siege_ironveld_pct;    /* Ironveld defender: negative */

	/* §7.4 death saves. */
	int save_dc;
	int save_mod_cap;
	int save_warlord, save_shadowmaster, save_ashborn;
	int save_fortress_defending, save_warden;

	/* §8.9 prisoners. */
	int capture_pct, capture_korrath_pct, capture_profiteer_pct;

	/* §10.13 loot. */
	int loot_face_pct[CM_COMBAT_FACES];
	int loot_base_pct;         /* of the gold cost of the loser's dead */
	int loot_korrath_pct, loot_profiteer_pct; /* percentage points */

	/* §6.6 Ashborn. */
	int reform_face_pct[CM_COMBAT_FACES];
	int reform_roll_bonus;
	int curse_spread_stacks;

	/* §4.7 Forsaken. */
	int forsaken_face_pct[CM_COMBAT_FACES];
	int forsaken_day_max[2];   /* day <= [0]: pct[0]; <= [1]: pct[1] */
	int forsaken_day_pct[3];
	int forsaken_min_units;
	int forsaken_defender_pct; /* Warshield share, the rest Rageborn */
	int forsaken_morale;
} cm_combat_rules;

/*
 * cm_battle_resolve_with is cm_battle_resolve under the rules r (which
 * must stay valid during the call); cm_battle_resolve uses
 * cm_rules_combat().
 */
void cm_battle_resolve_with(const cm_combat_rules *r,
    const cm_battle_input *in, cm_battle_result *out);

#endif
