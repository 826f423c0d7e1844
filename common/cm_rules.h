/*
 * cm_rules.h: the game's content as data, compiled in.
 *
 * The names, index orders and numbers of the game's public design
 * (../shared/notes/game-rules-facts.md: races §1, captains §7, units §8,
 * buildings §9, spells §11, tiers §3, domain points §13).  This is the
 * subset the state issue's placeholder rules need; the rules issue moves
 * it into a validated rules file with the rest.  Lookups by name are
 * exact and case-sensitive (the API's ids are lower-case).
 */
#ifndef CM_RULES_H
#define CM_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CM_RACE_COUNT 6
#define CM_CLASS_COUNT 6
#define CM_UNIT_COUNT 21
#define CM_BUILDING_COUNT 14
#define CM_MAX_BUILDINGS_PER_TERRITORY 6
#define CM_MAX_CONCURRENT_BUILDS 2

typedef enum cm_role {
	CM_ROLE_DEFENDER = 0,
	CM_ROLE_ATTACKER,
	CM_ROLE_ELITE,
	CM_ROLE_SIEGE,
} cm_role;

typedef struct cm_unit_def {
	const char *id;
	int         race;    /* 0..5, or -1 for siege weapons */
	cm_role     role;
	int         atk, def;
	int         spd_x10; /* tiles per hour, times 10 */
	int         hp;
	int         gold, mana;
	int         food_x10; /* upkeep per unit per day, times 10 */
	int         train_minutes;
} cm_unit_def;

typedef struct cm_building_def {
	const char *id;
	const char *category;
	int         gold, stone, wood;
	int         build_hours;
	int         max_per_territory;
	int         requires; /* building index, or -1 */
	int         hp;
} cm_building_def;

typedef struct cm_spell_def {
	const char *id;
	const char *school;
	const char *target; /* army, territory, player, self, unit, building */
	int         mana;
	int         cooldown_hours;
} cm_spell_def;

typedef struct cm_resources {
	int64_t gold, stone, wood, food, mana;
} cm_resources;

/* Races: "ironveld" .. "breathborn" (chain order); -1 when unknown. */
int         cm_race_index(const char *name);
const char *cm_race_name(int race);

/* Captain classes (0 warlord .. 5 beastlord) and skills (class*2 + 0|1). */
int         cm_class_index(const char *name);
const char *cm_class_name(int cls);
const char *cm_skill_name(int cls, int skill);

/* Units: index 0..CM_UNIT_COUNT-1 or -1; cm_unit_def of an index. */
int                cm_unit_index(const char *id);
const cm_unit_def *cm_unit(int i);
/* cm_race_defender is the index of race's Defender unit. */
int cm_race_defender(int race);

/* Buildings. */
int                    cm_building_index(const char *id);
const cm_building_def *cm_building(int i);

/* Spells (the general spells of §11.2); NULL when unknown. */
const cm_spell_def *cm_spell(const char *id);

/* cm_tier_start: the starting plots and stock of a free or premium entry. */
int  cm_tier_plots(bool premium);
void cm_tier_resources(bool premium, cm_resources *out);

/*
 * cm_zone_points is the domain points a held plot of zone z (0 outer ..
 * 3 heart) earns per day: base 1 plus the zone's bonus (§13.1: 1, 3, 6,
 * 11).
 */
int cm_zone_points(int zone);

/*
 * cm_rules_hash writes the Keccak-256 of the rules' canonical text form,
 * stored with every combat so a replay can tell which rules it ran under.
 */
void cm_rules_hash(uint8_t out[32]);

#endif
