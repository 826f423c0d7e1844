/*
 * cm_rules.h: the game's content, loaded from one validated rules file.
 *
 * rules/rules.json holds the races, captain classes and skills, units,
 * buildings, terrain, zones, the Forsaken, spells and their D20 tables,
 * the battle engine's numbers (combat), the economy, scoring, the
 * generation's calendar, the entry tiers and the rate limits (facts: ../shared/notes/game-rules-facts.md; choices:
 * docs/rules-decisions.md).  The file is embedded in every binary at build
 * time; ND_RULES_FILE names a file to load instead.
 *
 * Life cycle: a process calls cm_rules_load() once at start, before it
 * starts threads; a bad file is refused with an error naming the field.
 * Code that never calls it (unit tests) gets the embedded file, loaded on
 * first use of any accessor (thread-safe; aborts if the embedded file is
 * invalid, which a unit test proves it is not).  After that the rules are
 * read-only and every accessor may be called from any thread.  Pointers
 * returned by accessors stay valid until the next successful
 * cm_rules_load() (tests only reload).
 *
 * Ids are lower-case and exact (case-sensitive lookups).  Index orders of
 * races, classes, skills, units, buildings, terrain, zones and spells are
 * the chain's (§1) and are checked at load.  Percentages named *_pct are
 * signed deltas (-25 = 25% less) unless named *mult_pct or *rate_pct,
 * which are factors (150 = x1.5).
 */
#ifndef CM_RULES_H
#define CM_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

/* Counts the file must match (checked at load). */
#define CM_RACE_COUNT 6
#define CM_CLASS_COUNT 6
#define CM_SKILL_COUNT 12
#define CM_UNIT_COUNT 21
#define CM_BUILDING_COUNT 14
#define CM_RULES_TERRAIN_COUNT 6 /* = cm_map.h CM_TERRAIN_COUNT */
#define CM_RULES_ZONE_COUNT 4
#define CM_SPELL_COUNT 48         /* 30 general + 18 racial */
#define CM_GENERAL_SPELL_COUNT 30 /* spells 0..29; racial are 30..47 */
#define CM_FORSAKEN_TYPE_COUNT 4
#define CM_ROLE_COUNT 4
#define CM_MAX_BUILDINGS_PER_TERRITORY 6
#define CM_MAX_CONCURRENT_BUILDS 2
#define CM_RATE_LIMIT_MAX 32
#define CM_BANDS_MAX 8 /* day and trust bands */
#define CM_ID_MAX 24 /* fits the shard's char[24] spell slots */
#define CM_NAME_MAX 48

typedef enum cm_role {
	CM_ROLE_DEFENDER = 0,
	CM_ROLE_ATTACKER,
	CM_ROLE_ELITE,
	CM_ROLE_SIEGE,
} cm_role;

/* §6: a race's numbers; 0 where the race has no such trait. */
typedef struct cm_race_def {
	char id[CM_ID_MAX];
	char name[CM_NAME_MAX]; /* display name: "Breath-Born" */
	int  chain_index;
	int  food_rate_pct;      /* upkeep factor: 50 = half of base food */
	int  speed_pct;          /* army movement delta */
	int  production_pct;     /* all building output */
	int  atk_pct, def_pct;   /* unit ATK / physical DEF deltas */
	int  stationary_def_pct; /* DEF delta of armies that did not move */
	int  evasion_pct;        /* chance an attack misses */
	int  unit_cost_pct, building_cost_pct, build_time_pct;
	int  wall_hp_pct;  /* Wall max HP delta */
	int  wall_def_pct; /* DEF delta when defending a territory with a Wall */
	int  mine_pct, farm_pct; /* building-specific output deltas */
	int  armory_bonus_pct;   /* Armory's bonus made this much stronger */
	int  mana_regen_pct, mana_cap_bonus;
	int  spell_damage_roll_bonus; /* added to destruction damage rolls */
	int  divination_min_roll;     /* natural rolls below are rerolled */
	int  loot_pct;
	int  prisoner_capture_pct; /* share of defeated enemies captured */
	int  blood_frenzy_atk_pct, blood_frenzy_hours;
	int  vision_bonus; /* tiles added to every vision radius */
	int  foreign_soil_grace_days;
	int  death_save_bonus;
	bool reformation; /* dead units roll economy.reformation_table */
	int  reformation_roll_bonus;
	int  curse_pct_per_stack, curse_max_stacks, curse_hours;
	int  structure_decay_pct_per_day; /* of max HP, every building */
	bool forbidden_buildings[CM_BUILDING_COUNT]; /* by building index */
} cm_race_def;

/* §7.3: a skill's numbers, 0 for effects the skill does not have. */
typedef struct cm_skill_def {
	char id[CM_ID_MAX];
	char name[CM_NAME_MAX];
	int  chain_index; /* class * 2 + 0|1 */
	int  round1_atk_pct, siege_damage_pct;                      /* vanguard */
	int  defending_def_pct, building_hp_pct;                    /* fortress */
	int  defending_death_save_bonus;                            /* fortress */
	int  spell_damage_pct, crit_dot_damage, crit_dot_rounds;    /* destr. */
	int  magic_resist_pct;                                      /* protect. */
	bool can_ward_buildings;                                    /* protect. */
	int  forsaken_atk_pct, sure_hits_per_battle;                /* crusader */
	int  warning_hours, action_reads_per_day;                   /* oracle */
	int  assassinate_chance_pct, marked_damage_pct;             /* assassin */
	int  building_damage_pct, bridge_destroy_mana;              /* saboteur */
	int  bridge_destroy_cooldown_hours, trap_damage_pct;        /* saboteur */
	int  loot_pct, raze_pct, gold_per_damage_pct;               /* profiteer */
	int  prisoner_capture_pct;                                  /* profiteer */
	int  build_time_pct, train_time_pct;                        /* artificer */
	int  wolves_per_day, atk_pct_per_100_units;                 /* packalpha */
	int  low_hp_threshold_pct, low_hp_atk_pct;                  /* packalpha */
	int  beast_stats_pct, death_save_bonus;                     /* warden */
} cm_skill_def;

/* §7.2: a captain class, its base abilities and its two skills. */
typedef struct cm_class_def {
	char         id[CM_ID_MAX];
	char         name[CM_NAME_MAX];
	int          chain_index;
	int          death_save_bonus;
	int          led_atk_pct, led_def_pct; /* army the captain leads */
	int          mana_regen_pct;
	int          spell_roll_bonus;
	int          stealth_radius; /* armies hidden beyond this, 0 = none */
	int          gold_income_pct, upkeep_pct;
	int          companion_stat_pct, speed_pct;
	int          spell_negations_per_day, debuff_removals_per_day;
	cm_skill_def skills[2];
} cm_class_def;

typedef struct cm_unit_def {
	char    id[CM_ID_MAX];
	char    name[CM_NAME_MAX];
	int     race; /* 0..5, or -1 for siege weapons */
	cm_role role;
	int     atk, def;
	int     spd_x10; /* tiles per hour, times 10 */
	int     hp;
	int     gold, mana;
	int     food_x10; /* base upkeep per unit per day, times 10 */
	int     train_minutes;
} cm_unit_def;

/* §9: what a completed building does (0 / false when it does not). */
typedef struct cm_building_effects {
	int  food_per_day, gold_per_day, stone_per_day, wood_per_day;
	int  mana_per_day; /* before zone and race factors */
	int  def_pct;      /* DEF of the territory's defenders */
	int  garrison_atk_pct;
	int  trained_atk_pct, trained_def_pct; /* troops trained there */
	int  vision_radius;                    /* 0 = the default radius */
	int  warning_hours;
	int  storage; /* added to each capped resource */
	int  raid_protect_pct;
	int  spell_power_pct;
	bool trains[CM_ROLE_COUNT]; /* by cm_role */
	bool enables_spells, enables_trade;
} cm_building_effects;

typedef struct cm_building_def {
	char                id[CM_ID_MAX];
	char                name[CM_NAME_MAX];
	char                category[CM_ID_MAX];
	int                 gold, stone, wood;
	int                 build_hours;
	int                 max_per_territory;
	int                 requires; /* building index, or -1 */
	int                 hp;
	bool                forbidden_zones[CM_RULES_ZONE_COUNT];
	cm_building_effects effects;
} cm_building_def;

typedef struct cm_spell_def {
	char id[CM_ID_MAX];
	char name[CM_NAME_MAX];
	char school[CM_ID_MAX];
	/* single_unit, army, territory, building, player, self (§1) */
	char target[CM_ID_MAX];
	int  index;  /* 0..CM_SPELL_COUNT-1 */
	bool racial; /* one of the 18 racial spells of §11.3 */
	int  race;   /* the only race that may cast it, or -1 */
	int  mana;
	int  cooldown_hours;
	int  damage_min, damage_max; /* 0 when it deals no damage */
	int  buff_pct, debuff_pct;
	int  duration_hours; /* 0: instant or "one battle" */
	/* Numbers the design gives in prose (§11.2-11.3), 0 where none:
	 * the share of an army that dies (Titan's Grasp, Exsanguinate; Mass
	 * Panic's deserters; Plague's daily deaths), the hours a march is
	 * delayed (Windshear), the armies revealed (Titan's Eye), the hours
	 * of warning added (Foresight). */
	int  kill_pct_min, kill_pct_max;
	int  delay_hours_min, delay_hours_max;
	int  reveal_armies;
	int  warning_hours;
	/* More of them, for the spells played later (0 where none): the
	 * chance an army's strike goes astray (Confusion), the defence the
	 * territory's structures gain (Fortress of Will), the hit points of
	 * a temporary wall (Stone Wall), the share of each unit's HP dealt
	 * as death damage (Pyre Burst), the share of the recent dead raised
	 * (Raise Dead), the share of spell losses passed to the linked army
	 * (Blood Pact). */
	int  chance_pct_min, chance_pct_max;
	int  structure_def;
	int  wall_hp;
	int  hp_pct_min, hp_pct_max;
	int  raise_pct_min, raise_pct_max;
	int  share_pct;
} cm_spell_def;

/* The implemented terrain ids (§4.4) with their design numbers (§4.3). */
typedef struct cm_terrain_def {
	char id[CM_ID_MAX];     /* chain id: plains .. corruption */
	char name[CM_NAME_MAX]; /* display name */
	char design[CM_ID_MAX]; /* the design terrain it stands for */
	int  chain_index;
	int  atk_mult_pct, def_mult_pct, spd_mult_pct;
	int  map_share_pct;
	bool passable, buildable;
	int  daily_army_loss_pct;
	int  spell_power_pct;
	int  mana_per_day;
} cm_terrain_def;

typedef struct cm_zone_def {
	char id[CM_ID_MAX];
	char name[CM_NAME_MAX];
	int  chain_index;
	int  min_radius, max_radius; /* Chebyshev distance from the centre */
	int  resource_mult_pct;
	int  mana_per_territory;
	int  forsaken_density_pct;
	int  forsaken_strength_mult_pct;
	int  domain_points_bonus; /* added to scoring.points_per_plot */
	int  spell_power_pct;
} cm_zone_def;

typedef struct cm_forsaken_type_def {
	char id[CM_ID_MAX];
	char name[CM_NAME_MAX];
	int  frequency_pct;
	int  garrison_min, garrison_max;
	int  domain_points; /* on conquest */
} cm_forsaken_type_def;

/* A band of days; to_day == -1 means "and after". */
typedef struct cm_day_band {
	int from_day, to_day;
	int a, b, c; /* the band's values, named where the band is used */
} cm_day_band;

typedef struct cm_forsaken_rules {
	cm_forsaken_type_def types[CM_FORSAKEN_TYPE_COUNT];
	int              garrison_mult_pct[21]; /* by D20 face 1..20 */
	int              loot_mult_pct[21];
	int              nday_scaling;
	cm_day_band      day_scaling[CM_BANDS_MAX]; /* a = strength_pct */
	bool             respawn;
} cm_forsaken_rules;

/* §11.5, by D20 face 1..20 (index 0 unused). */
typedef struct cm_spell_tables {
	int  damage_mult_pct[21];
	int  duration_mult_pct[21];
	int  divination_accuracy_pct[21];
	bool divination_false_vision[21];
	bool divination_bonus_intel[21];
} cm_spell_tables;

typedef struct cm_death_save_rules {
	int threshold, modifier_cap;
	int wound_hours, wounded_effect_pct;
} cm_death_save_rules;

typedef struct cm_economy_rules {
	/* §11.1 single rule: regen = (base + towers, shrines, zones) x class
	 * x race; cap = cap_base + cap_per_mage_tower x towers, at most
	 * cap_max, + the race's mana_cap_bonus. */
	int mana_base_per_day, mana_cap_base, mana_cap_per_mage_tower;
	int mana_cap_max;
	/* Storage caps, -1 = unlimited. */
	int storage_gold, storage_stone, storage_wood, storage_food;
	int starvation_loss_pct, starvation_morale;
	/* §10.14 "daily recovery at rest": an idle, fed army on its owner's
	 * land regains rest_morale a day, up to rest_morale_max (Nightmare
	 * stops it). */
	int rest_morale, rest_morale_max;
	int repair_cost_pct, raze_refund_pct;
	int reformation_return_pct[21]; /* by D20 face */
	/* Trust (§12.8): decay a = pct lost per day by days inactive;
	 * effects: from_day/to_day are the trust range, a = production_pct,
	 * b = morale. */
	int         ntrust_decay, ntrust_effects;
	cm_day_band trust_decay[CM_BANDS_MAX];
	cm_day_band trust_effects[CM_BANDS_MAX];
	int trust_garrison_reinforced, trust_building_constructed;
	int trust_successful_defence, trust_captain_visit;
	int trust_battle_victory, trust_daily_cap;
	int trust_home_decay_pct, trust_revolt_building_hp_pct;
	int trust_revolt_garrison_pct, trust_revolt_garrison_per_building_pct;
	/* Foreign soil (§12.7): a = atk_def_pct, b = morale_per_day,
	 * c = desertion_pct; shifted for races with a longer grace. */
	int         foreign_soil_grace_days, nforeign_soil;
	cm_day_band foreign_soil[CM_BANDS_MAX];
	int         structure_decay_min_hp, structure_decay_runs_per_day;
} cm_economy_rules;

typedef struct cm_scoring_rules {
	int  points_per_plot;
	bool heart_requires_garrison;
	int  heart_late_multiplier, heart_late_from_day;
	int  capture_base, capture_victim_pct;
	int  nbattle_won;
	struct {
		int min_strength, points;
	} battle_won[CM_BANDS_MAX]; /* ascending min_strength */
} cm_scoring_rules;

typedef struct cm_generation_rules {
	int         length_days, day_seconds;
	int         nphases;
	char        phase_id[CM_BANDS_MAX][CM_ID_MAX];
	cm_day_band phases[CM_BANDS_MAX];
	int         pvp_from_day, protection_days;
	int         late_joiner_from_day, late_joiner_bonus_pct;
	int         intermission_hours;
} cm_generation_rules;

typedef struct cm_tier_def {
	char    id[CM_ID_MAX];
	int     plots;
	int64_t price_usdc_micro;
	int     gold, stone, wood, food, mana;
} cm_tier_def;

typedef enum cm_rate_scope {
	CM_RATE_PLAYER = 0, /* per signed-in player */
	CM_RATE_IP,         /* per client address */
} cm_rate_scope;

typedef struct cm_rate_limit {
	char          name[CM_ID_MAX]; /* "army/move" */
	int           limit;           /* requests per window */
	int           window_seconds;
	cm_rate_scope scope;
	int           global_limit; /* a ceiling over every subject, per
	                             * window; 0: none */
} cm_rate_limit;

typedef struct cm_resources {
	int64_t gold, stone, wood, food, mana;
} cm_resources;

/*
 * cm_rules_load loads and validates the rules: path_or_null, else the file
 * ND_RULES_FILE names, else the embedded file.  On success they replace the
 * rules in force.  On failure the rules in force are kept and err (errlen
 * bytes, may be NULL) holds one line naming the field, e.g.
 * "rules: units[3].atk: expected an integer in 0..1000".  Returns CM_OK,
 * CM_ENOENT (file unreadable) or CM_EINVAL.  Call at process start, before
 * threads; not concurrently with the accessors.
 */
cm_err cm_rules_load(const char *path_or_null, char *err, size_t errlen);

/*
 * cm_rules_check validates text (len bytes) without putting it in force:
 * for tools and tests.  Same errors as cm_rules_load.
 */
cm_err cm_rules_check(const char *text, size_t len, char *err, size_t errlen);

/* cm_rules_source: "embedded" or the path of the file in force. */
const char *cm_rules_source(void);

/*
 * cm_rules_hash writes the Keccak-256 of the exact bytes of the rules file
 * in force (embedded or ND_RULES_FILE), stored with every combat so a
 * replay can tell which rules it ran under.  cm_rules_hash_hex writes the
 * same as "0x" + 64 lower-case hex digits and a NUL.
 */
void cm_rules_hash(uint8_t out[32]);
void cm_rules_hash_hex(char out[67]);

/* Races: "ironveld" .. "breathborn" (chain order); -1 when unknown. */
int                cm_race_index(const char *name);
const char        *cm_race_name(int race); /* "unknown" when out of range */
const cm_race_def *cm_race(int race);      /* NULL when out of range */

/* Captain classes (0 warlord .. 5 beastlord) and skills (class*2 + 0|1). */
int                 cm_class_index(const char *name);
const char         *cm_class_name(int cls);
const char         *cm_skill_name(int cls, int skill);
const cm_class_def *cm_class(int cls);               /* NULL if unknown */
const cm_skill_def *cm_skill(int cls, int skill);    /* NULL if unknown */

/* Units: index 0..CM_UNIT_COUNT-1 or -1; cm_unit_def of an index. */
int                cm_unit_index(const char *id);
const cm_unit_def *cm_unit(int i);
/* cm_race_defender is the index of race's Defender unit. */
int cm_race_defender(int race);

/* Buildings. */
int                    cm_building_index(const char *id);
const cm_building_def *cm_building(int i);

/*
 * cm_spell finds a general spell (§11.2, the 30 any race may name; note
 * windshear is restricted to breathborn); NULL for racial and unknown ids.
 * cm_spell_find finds any of the 48; cm_spell_at(i) is spell i of the
 * chain order, i in 0..CM_SPELL_COUNT-1 (else NULL).
 */
const cm_spell_def *cm_spell(const char *id);
const cm_spell_def *cm_spell_find(const char *id);
const cm_spell_def *cm_spell_at(int i);
const cm_spell_tables *cm_rules_spell_tables(void);

/* Terrain t (0 plains .. 5 corruption) and zone z (0 outer .. 3 heart);
 * NULL when out of range. */
const cm_terrain_def *cm_terrain_rules(int t);
const cm_zone_def    *cm_zone_rules(int z);

const cm_forsaken_rules   *cm_rules_forsaken(void);
const cm_death_save_rules *cm_rules_death_save(void);
const cm_economy_rules    *cm_rules_economy(void);
const cm_scoring_rules    *cm_rules_scoring(void);
const cm_generation_rules *cm_rules_generation(void);

/*
 * cm_rules_combat: the battle engine's numbers, the file's "combat"
 * section (struct in cm_combat_rules.h; declared here by its tag because
 * cm_combat_rules.h includes this header).  Never NULL.
 */
struct cm_combat_rules;
const struct cm_combat_rules *cm_rules_combat(void);

/* cm_rules_rate_limit: the limit named name ("army/move"), NULL when
 * none; _count and _at list them in file order. */
const cm_rate_limit *cm_rules_rate_limit(const char *name);
int                  cm_rules_rate_limit_count(void);
const cm_rate_limit *cm_rules_rate_limit_at(int i);

/* cm_tier_start: the starting plots and stock of a free or premium entry. */
const cm_tier_def *cm_tier(bool premium);
int                cm_tier_plots(bool premium);
void               cm_tier_resources(bool premium, cm_resources *out);

/*
 * cm_zone_points is the domain points a held plot of zone z (0 outer ..
 * 3 heart) earns per day: scoring.points_per_plot plus the zone's bonus
 * (1, 3, 6, 11); 0 for an unknown zone.
 */
int cm_zone_points(int zone);

/*
 * cm_mana_cap and cm_mana_regen apply the single mana rule of §11.1:
 * cap = min(cap_base + cap_per_mage_tower x towers, cap_max) + race bonus;
 * regen = (base + sum of towers' and shrines' mana_per_day + zone mana)
 * x (100 + class mana_regen_pct)% x (100 + race mana_regen_pct)%, floored.
 * race/cls out of range count as no bonus; zone_mana is the sum of the
 * held territories' mana_per_territory.
 */
int cm_mana_cap(int race, int mage_towers);
int cm_mana_regen(int race, int cls, int mage_towers, int shrines,
    int zone_mana);

#endif
