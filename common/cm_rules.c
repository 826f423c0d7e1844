/*
 * cm_rules.c: the tables of cm_rules.h, copied as facts from the game's
 * design (game-rules-facts.md; where sources disagree, its "Use" value).
 */
#include <stdio.h>
#include <string.h>

#include "cm_keccak.h"
#include "cm_rules.h"

static const char *const races[CM_RACE_COUNT] = { "ironveld", "vaelthir",
	"korrath", "sylvaeth", "ashborn", "breathborn" };

static const char *const classes[CM_CLASS_COUNT] = { "warlord", "archmage",
	"highpriest", "shadowmaster", "merchantprince", "beastlord" };

static const char *const skills[CM_CLASS_COUNT * 2] = { "vanguard",
	"fortress", "destruction", "protection", "crusader", "oracle",
	"assassin", "saboteur", "profiteer", "artificer", "packalpha",
	"warden" };

/* §8.1 and §8.2: id, race, role, ATK, DEF, SPD x10, HP, gold, mana,
 * food x10, training minutes. */
static const cm_unit_def units[CM_UNIT_COUNT] = {
	{ "stoneshield", 0, CM_ROLE_DEFENDER, 8, 25, 10, 60, 30, 0, 10, 60 },
	{ "hammerer", 0, CM_ROLE_ATTACKER, 20, 12, 10, 45, 45, 0, 10, 90 },
	{ "siegeanvil", 0, CM_ROLE_ELITE, 15, 35, 5, 100, 100, 0, 20, 180 },
	{ "bloodwarden", 1, CM_ROLE_DEFENDER, 10, 18, 20, 35, 40, 0, 10, 60 },
	{ "crimsonblade", 1, CM_ROLE_ATTACKER, 28, 6, 20, 25, 50, 0, 10, 90 },
	{ "magister", 1, CM_ROLE_ELITE, 40, 5, 20, 30, 120, 50, 20, 180 },
	{ "warshield", 2, CM_ROLE_DEFENDER, 12, 15, 20, 40, 25, 0, 10, 60 },
	{ "rageborn", 2, CM_ROLE_ATTACKER, 25, 5, 30, 35, 35, 0, 20, 90 },
	{ "warchief", 2, CM_ROLE_ELITE, 35, 20, 30, 70, 90, 0, 30, 180 },
	{ "veilguard", 3, CM_ROLE_DEFENDER, 8, 20, 20, 35, 35, 0, 10, 60 },
	{ "fadestriker", 3, CM_ROLE_ATTACKER, 22, 8, 40, 30, 45, 0, 10, 90 },
	{ "dreamweaver", 3, CM_ROLE_ELITE, 15, 15, 30, 40, 80, 30, 10, 180 },
	{ "cinderguard", 4, CM_ROLE_DEFENDER, 12, 18, 20, 45, 35, 0, 0, 60 },
	{ "ashstriker", 4, CM_ROLE_ATTACKER, 22, 10, 20, 35, 40, 0, 0, 90 },
	{ "pyreknight", 4, CM_ROLE_ELITE, 30, 15, 20, 50, 85, 0, 0, 180 },
	{ "galeguard", 5, CM_ROLE_DEFENDER, 10, 16, 30, 30, 30, 0, 10, 60 },
	{ "zephyr", 5, CM_ROLE_ATTACKER, 18, 8, 50, 25, 40, 0, 10, 90 },
	{ "stormherald", 5, CM_ROLE_ELITE, 25, 18, 40, 45, 95, 0, 20, 180 },
	{ "batteringram", -1, CM_ROLE_SIEGE, 5, 25, 10, 80, 100, 0, 0, 240 },
	{ "catapult", -1, CM_ROLE_SIEGE, 10, 10, 10, 50, 200, 0, 0, 240 },
	{ "trebuchet", -1, CM_ROLE_SIEGE, 15, 5, 5, 40, 400, 0, 0, 240 },
};

/* §9.1 ([BU] costs) and §9.3 (1,000 HP each). */
static const cm_building_def buildings[CM_BUILDING_COUNT] = {
	{ "farm", "resource", 100, 0, 50, 4, 2, -1, 1000 },
	{ "mine", "resource", 150, 75, 0, 6, 2, -1, 1000 },
	{ "lumbermill", "resource", 150, 0, 75, 6, 2, -1, 1000 },
	{ "market", "resource", 300, 100, 0, 8, 1, 1, 1000 },
	{ "barracks", "military", 200, 0, 100, 6, 1, -1, 1000 },
	{ "warhall", "military", 400, 200, 0, 10, 1, 4, 1000 },
	{ "siegeworkshop", "military", 500, 0, 300, 12, 1, 4, 1000 },
	{ "armory", "military", 350, 150, 0, 8, 1, 4, 1000 },
	{ "wall", "defense", 400, 500, 0, 12, 1, -1, 1000 },
	{ "watchtower", "defense", 150, 0, 100, 4, 2, -1, 1000 },
	{ "gate", "defense", 250, 200, 0, 6, 1, 8, 1000 },
	{ "magetower", "magic", 400, 200, 0, 10, 1, -1, 1000 },
	{ "shrine", "magic", 200, 150, 0, 6, 1, 11, 1000 },
	{ "warehouse", "utility", 250, 0, 150, 6, 1, 1, 1000 },
};

/* §11.2: id, school, target, mana, cooldown hours. */
static const cm_spell_def spells[] = {
	{ "firebolt", "destruction", "unit", 10, 0 },
	{ "lightning_strike", "destruction", "army", 25, 4 },
	{ "fireball", "destruction", "army", 40, 8 },
	{ "meteor_storm", "destruction", "territory", 100, 24 },
	{ "titans_wrath", "destruction", "territory", 200, 72 },
	{ "shield", "protection", "army", 15, 0 },
	{ "stone_skin", "protection", "army", 30, 6 },
	{ "ward", "protection", "building", 25, 4 },
	{ "fortress_of_will", "protection", "territory", 60, 12 },
	{ "titans_aegis", "protection", "territory", 150, 48 },
	{ "scry", "divination", "territory", 10, 0 },
	{ "true_sight", "divination", "territory", 25, 4 },
	{ "foresight", "divination", "self", 40, 8 },
	{ "dream_walk", "divination", "player", 60, 12 },
	{ "titans_eye", "divination", "territory", 120, 48 },
	{ "slow", "manipulation", "army", 15, 0 },
	{ "confusion", "manipulation", "army", 30, 6 },
	{ "windshear", "manipulation", "army", 35, 4 },
	{ "mass_panic", "manipulation", "army", 50, 12 },
	{ "titans_whisper", "manipulation", "player", 100, 24 },
	{ "drain_life", "necromancy", "army", 20, 2 },
	{ "raise_dead", "necromancy", "territory", 35, 8 },
	{ "curse", "necromancy", "army", 25, 4 },
	{ "plague", "necromancy", "territory", 60, 12 },
	{ "titans_grasp", "necromancy", "army", 150, 72 },
	{ "haste", "enhancement", "army", 20, 2 },
	{ "strength", "enhancement", "army", 25, 4 },
	{ "bloodlust", "enhancement", "army", 40, 8 },
	{ "war_cry", "enhancement", "army", 35, 6 },
	{ "titans_blessing", "enhancement", "army", 100, 24 },
};

#define NSPELLS (sizeof(spells) / sizeof(spells[0]))

static int
rules_find(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0) {
			return (i);
		}
	}
	return (-1);
}

int
cm_race_index(const char *name)
{
	return (rules_find(races, CM_RACE_COUNT, name));
}

const char *
cm_race_name(int race)
{
	return (race >= 0 && race < CM_RACE_COUNT ? races[race] : "unknown");
}

int
cm_class_index(const char *name)
{
	return (rules_find(classes, CM_CLASS_COUNT, name));
}

const char *
cm_class_name(int cls)
{
	return (cls >= 0 && cls < CM_CLASS_COUNT ? classes[cls] : "unknown");
}

const char *
cm_skill_name(int cls, int skill)
{
	if (cls < 0 || cls >= CM_CLASS_COUNT || skill < 0 || skill > 1) {
		return ("unknown");
	}
	return (skills[cls * 2 + skill]);
}

int
cm_unit_index(const char *id)
{
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (strcmp(units[i].id, id) == 0) {
			return (i);
		}
	}
	return (-1);
}

const cm_unit_def *
cm_unit(int i)
{
	return (i >= 0 && i < CM_UNIT_COUNT ? &units[i] : NULL);
}

int
cm_race_defender(int race)
{
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (units[i].race == race && units[i].role == CM_ROLE_DEFENDER) {
			return (i);
		}
	}
	return (-1);
}

int
cm_building_index(const char *id)
{
	for (int i = 0; i < CM_BUILDING_COUNT; i++) {
		if (strcmp(buildings[i].id, id) == 0) {
			return (i);
		}
	}
	return (-1);
}

const cm_building_def *
cm_building(int i)
{
	return (i >= 0 && i < CM_BUILDING_COUNT ? &buildings[i] : NULL);
}

const cm_spell_def *
cm_spell(const char *id)
{
	for (size_t i = 0; i < NSPELLS; i++) {
		if (strcmp(spells[i].id, id) == 0) {
			return (&spells[i]);
		}
	}
	return (NULL);
}

int
cm_tier_plots(bool premium)
{
	return (premium ? 10 : 2);
}

void
cm_tier_resources(bool premium, cm_resources *out)
{
	/* §3.1: free 1000/400/400/200/0, premium 5000/2000/2000/1000/0. */
	out->gold  = premium ? 5000 : 1000;
	out->stone = premium ? 2000 : 400;
	out->wood  = premium ? 2000 : 400;
	out->food  = premium ? 1000 : 200;
	out->mana  = 0;
}

int
cm_zone_points(int zone)
{
	static const int points[4] = { 1, 3, 6, 11 };

	return (zone >= 0 && zone < 4 ? points[zone] : 0);
}

void
cm_rules_hash(uint8_t out[32])
{
	cm_keccak        k;
	char             line[160];
	int              n;

	cm_keccak_init(&k);
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		const cm_unit_def *u = &units[i];

		n = snprintf(line, sizeof(line),
		    "unit %s %d %d %d %d %d %d %d %d %d %d\n", u->id, u->race,
		    (int) u->role, u->atk, u->def, u->spd_x10, u->hp, u->gold,
		    u->mana, u->food_x10, u->train_minutes);
		cm_keccak_update(&k, line, (size_t) n);
	}
	for (int i = 0; i < CM_BUILDING_COUNT; i++) {
		const cm_building_def *b = &buildings[i];

		n = snprintf(line, sizeof(line),
		    "building %s %s %d %d %d %d %d %d %d\n", b->id, b->category,
		    b->gold, b->stone, b->wood, b->build_hours,
		    b->max_per_territory, b->requires, b->hp);
		cm_keccak_update(&k, line, (size_t) n);
	}
	for (size_t i = 0; i < NSPELLS; i++) {
		n = snprintf(line, sizeof(line), "spell %s %s %s %d %d\n",
		    spells[i].id, spells[i].school, spells[i].target,
		    spells[i].mana, spells[i].cooldown_hours);
		cm_keccak_update(&k, line, (size_t) n);
	}
	cm_keccak_final(&k, out);
}
