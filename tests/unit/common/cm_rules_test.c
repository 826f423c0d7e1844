/*
 * cm_rules_test.c: unit tests for common/cm_rules.c and cm_rules_load.c:
 * the embedded rules file loads; ids and index orders are the chain's;
 * numbers match the facts; broken files are refused with an error naming
 * the field; the rules hash is keccak256 of the file's exact bytes; the
 * "combat" section equals the battle engine's reference numbers.
 *
 * Broken files are made from the embedded one, either by editing its
 * parsed JSON (jansson) or its text, written with mkstemp to TMPDIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "cm_combat_rules.h"
#include "cm_keccak.h"
#include "cm_rules.h"
#include "cm_rules_load.h"

/*
 * The battle engine's numbers as they were compiled into cm_battle.c
 * before they moved to the rules file (the values of
 * docs/rules-decisions.md).  The file's "combat" section must equal them,
 * so that changing a combat number is a deliberate change of this test
 * too.
 */
static const cm_combat_rules combat_reference = {
	.max_rounds = 3,
	.atk_face_pct = { 0, 50, 70, 70, 70, 85, 85, 85, 85, 100, 100, 100,
	    100, 110, 110, 110, 110, 125, 125, 125, 150 },
	.def_face_pct = { 0, 50, 75, 75, 75, 90, 90, 90, 90, 100, 100, 100,
	    100, 110, 110, 110, 110, 120, 120, 120, 140 },
	/* plains, forest, mountain, river (never fought on), ruins, corr. */
	.terrain_atk_pct = { 100, 90, 80, 100, 85, 110 },
	.terrain_def_pct = { 100, 115, 130, 100, 100, 110 },
	.heart_zone = 3,
	.heart_atk_pct = 125,
	.heart_def_pct = 125,
	.heart_roll_bonus = 2,
	.wall_def_pct = 30,
	.wall_ironveld_def_pct = 10,
	.gate_def_pct = 10,
	.warhall_atk_pct = 10,
	.armory_pct = 15,
	.armory_korrath_pct = 18,
	.warlord_pct = 5,
	.vanguard_atk_pct = 20,
	.fortress_def_pct = 25,
	.packalpha_step_units = 100,
	.packalpha_step_pct = 5,
	.packalpha_step_max_pct = 100,
	.packalpha_low_hp_permille = 500,
	.packalpha_low_hp_pct = 25,
	.crusader_forsaken_pct = 20,
	.wounded_pct = -20,
	.frenzy_atk_pct = 10,
	.race_atk_pct = { 0, 0, 0, -30, 0, 0 },
	.race_def_pct = { 0, -20, 0, 0, 0, 0 },
	.race_def_defending_pct = { 0, 0, 0, 0, 0, -15 },
	.vaelthir_def_ignore_pct = 50,
	.evasion_max_face = 4,
	.mult_floor_pct = 10,
	.curse_pct_per_stack = -5,
	.curse_max_stacks = 5,
	.soil_days = { 0, 4, 8, 15, 22 },
	.soil_pct = { 0, -5, -15, -25, -35 },
	.soil_sylvaeth_shift_days = 7,
	.morale_min = 0,
	.morale_max = 150,
	.band_min = { 75, 50, 25, 0 },
	.band_pct = { 0, -10, -25, -50 },
	.band_desert_pct = { 0, 0, 5, 15 },
	.morale_immune_rout_permille = 500,
	.morale_low = 50,
	.morale_casualty_factor = 50,
	.morale_decisive_ratio = 2,
	.morale_round_won = 10,
	.morale_round_lost = -15,
	.morale_crit_dealt = 10,
	.morale_crit_received = -10,
	.morale_captain_died = -30,
	.chip_floor_pct = 10,
	.crit_desert_pct = 10,
	.crit_loot_pct = 25,
	.crit_wall_ignore_pct = 50,
	.fumble_friendly_pct = 10,
	.fumble_loot_pct = -20,
	.fumble_flee_pct = 5,
	.line_share_pct = { 50, 35, 15 },
	.prisoner_pct = 60,
	.siege_face_pct = { 0, 0, 0, 0, 50, 50, 50, 50, 100, 100, 100, 100,
	    100, 100, 125, 125, 125, 125, 150, 150, 200 },
	.ram_wall_pct = 500,
	.ram_other_pct = 100,
	.catapult_pct = 350,
	.trebuchet_pct = 500,
	.siege_vanguard_pct = 25,
	.siege_artificer_pct = 20,
	.siege_saboteur_pct = 50,
	.siege_ironveld_pct = -30,
	.save_dc = 10,
	.save_mod_cap = 5,
	.save_warlord = 2,
	.save_shadowmaster = 3,
	.save_ashborn = 2,
	.save_fortress_defending = 2,
	.save_warden = 2,
	.capture_pct = 5,
	.capture_korrath_pct = 10,
	.capture_profiteer_pct = 2,
	.loot_face_pct = { 0, 50, 50, 50, 75, 75, 75, 75, 100, 100, 100, 100,
	    100, 100, 125, 125, 125, 125, 150, 150, 200 },
	.loot_base_pct = 10,
	.loot_korrath_pct = 30,
	.loot_profiteer_pct = 30,
	.reform_face_pct = { 0, 10, 10, 10, 12, 12, 12, 12, 15, 15, 15, 15,
	    15, 15, 17, 17, 17, 17, 20, 20, 20 },
	.reform_roll_bonus = 2,
	.curse_spread_stacks = 1,
	.forsaken_face_pct = { 0, 70, 70, 70, 70, 70, 85, 85, 85, 85, 85,
	    100, 100, 100, 100, 100, 115, 115, 115, 130, 130 },
	.forsaken_day_max = { 20, 35 },
	.forsaken_day_pct = { 60, 100, 140 },
	.forsaken_min_units = 5,
	.forsaken_defender_pct = 60,
	.forsaken_morale = 100,
};

/* Every member of cm_combat_rules, checked one by one. */
#define COMBAT_FIELDS(X) X(max_rounds) X(atk_face_pct) X(def_face_pct) \
	X(terrain_atk_pct) X(terrain_def_pct) X(heart_zone) X(heart_atk_pct) \
	X(heart_def_pct) X(heart_roll_bonus) X(wall_def_pct) \
	X(wall_ironveld_def_pct) X(gate_def_pct) X(warhall_atk_pct) \
	X(armory_pct) X(armory_korrath_pct) X(warlord_pct) \
	X(vanguard_atk_pct) X(fortress_def_pct) X(packalpha_step_units) \
	X(packalpha_step_pct) X(packalpha_step_max_pct) \
	X(packalpha_low_hp_permille) X(packalpha_low_hp_pct) \
	X(crusader_forsaken_pct) X(wounded_pct) X(frenzy_atk_pct) \
	X(race_atk_pct) X(race_def_pct) X(race_def_defending_pct) \
	X(vaelthir_def_ignore_pct) X(evasion_max_face) X(mult_floor_pct) \
	X(curse_pct_per_stack) X(curse_max_stacks) X(soil_days) X(soil_pct) \
	X(soil_sylvaeth_shift_days) X(morale_min) X(morale_max) X(band_min) \
	X(band_pct) X(band_desert_pct) X(morale_immune_rout_permille) \
	X(morale_low) X(morale_casualty_factor) X(morale_decisive_ratio) \
	X(morale_round_won) X(morale_round_lost) X(morale_crit_dealt) \
	X(morale_crit_received) X(morale_captain_died) X(chip_floor_pct) \
	X(crit_desert_pct) X(crit_loot_pct) X(crit_wall_ignore_pct) \
	X(fumble_friendly_pct) X(fumble_loot_pct) X(fumble_flee_pct) \
	X(line_share_pct) X(prisoner_pct) X(siege_face_pct) X(ram_wall_pct) \
	X(ram_other_pct) X(catapult_pct) X(trebuchet_pct) \
	X(siege_vanguard_pct) X(siege_artificer_pct) X(siege_saboteur_pct) \
	X(siege_ironveld_pct) X(save_dc) X(save_mod_cap) X(save_warlord) \
	X(save_shadowmaster) X(save_ashborn) X(save_fortress_defending) \
	X(save_warden) X(capture_pct) X(capture_korrath_pct) \
	X(capture_profiteer_pct) X(loot_face_pct) X(loot_base_pct) \
	X(loot_korrath_pct) X(loot_profiteer_pct) X(reform_face_pct) \
	X(reform_roll_bonus) X(curse_spread_stacks) X(forsaken_face_pct) \
	X(forsaken_day_max) X(forsaken_day_pct) X(forsaken_min_units) \
	X(forsaken_defender_pct) X(forsaken_morale)

#define COMBAT_SIZE(m) +sizeof(((cm_combat_rules *) 0)->m)
_Static_assert(0 COMBAT_FIELDS(COMBAT_SIZE) == sizeof(cm_combat_rules),
    "COMBAT_FIELDS misses a member of cm_combat_rules");

/* write_temp writes len bytes to a new temp file; its path into path. */
static void
write_temp(const void *p, size_t len, char path[64])
{
	const char *dir = getenv("TMPDIR");
	int         fd;

	snprintf(path, 64, "%s/cm_rules_testXXXXXX", dir ? dir : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, len), (ssize_t) len);
	close(fd);
}

/* load_bytes loads len bytes as a rules file; returns the error. */
static cm_err
load_bytes(const void *p, size_t len, char *err, size_t errlen)
{
	char   path[64];
	cm_err rv;

	write_temp(p, len, path);
	rv = cm_rules_load(path, err, errlen);
	unlink(path);
	return (rv);
}

static json_t *
embedded_json(void)
{
	json_error_t je;
	json_t      *j = json_loadb((const char *) cm_rules_json,
             cm_rules_json_len, 0, &je);

	assert_non_null(j);
	return (j);
}

/* refuse_json loads j (taking it) and expects an error starting with want. */
static void
refuse_json(json_t *j, const char *want)
{
	char  *s = json_dumps(j, JSON_PRESERVE_ORDER | JSON_INDENT(1));
	char   err[512] = "";
	cm_err rv;

	json_decref(j);
	rv = load_bytes(s, strlen(s), err, sizeof(err));
	free(s);
	if (rv == CM_OK || strncmp(err, want, strlen(want)) != 0) {
		fail_msg("want \"%s...\", got rv %d \"%s\"", want, (int) rv, err);
	}
}

/* refuse_text replaces the first from by to in the embedded text. */
static void
refuse_text(const char *from, const char *to, const char *want)
{
	const char *t   = (const char *) cm_rules_json;
	const char *at  = strstr(t, from);
	size_t      pre, len;
	char       *buf, err[512] = "";
	cm_err      rv;

	assert_non_null(at);
	pre = (size_t) (at - t);
	len = cm_rules_json_len - strlen(from) + strlen(to);
	buf = malloc(len);
	memcpy(buf, t, pre);
	memcpy(buf + pre, to, strlen(to));
	memcpy(buf + pre + strlen(to), at + strlen(from),
	    cm_rules_json_len - pre - strlen(from));
	rv = load_bytes(buf, len, err, sizeof(err));
	free(buf);
	if (rv == CM_OK || strstr(err, want) == NULL) {
		fail_msg("want \"%s\", got rv %d \"%s\"", want, (int) rv, err);
	}
}

static json_t *
at(json_t *j, const char *key, int i)
{
	json_t *v = json_object_get(j, key);

	return (i >= 0 ? json_array_get(v, (size_t) i) : v);
}

/*
 * node walks j by a dotted path whose numeric parts index arrays:
 * "combat.morale.bands.2" (borrowed; fails the test when absent).
 */
static json_t *
node(json_t *j, const char *path)
{
	char  buf[128], *p = buf, *dot;

	snprintf(buf, sizeof(buf), "%s", path);
	while (j != NULL && p != NULL) {
		if ((dot = strchr(p, '.')) != NULL) {
			*dot = '\0';
		}
		j = p[0] >= '0' && p[0] <= '9'
		    ? json_array_get(j, strtoul(p, NULL, 10))
		    : json_object_get(j, p);
		p = dot != NULL ? dot + 1 : NULL;
	}
	if (j == NULL) {
		fail_msg("no %s in the rules file", path);
	}
	return (j);
}

/* combat_set sets key of the object at path to v (taking v). */
static json_t *
combat_set(const char *path, const char *key, json_t *v)
{
	json_t *j = embedded_json();

	assert_int_equal(json_object_set_new(node(j, path), key, v), 0);
	return (j);
}

/* combat_del deletes key of the object at path. */
static json_t *
combat_del(const char *path, const char *key)
{
	json_t *j = embedded_json();

	assert_int_equal(json_object_del(node(j, path), key), 0);
	return (j);
}

static void
test_embedded_loads(void **state)
{
	char err[512] = "";

	(void) state;
	assert_int_equal(cm_rules_check((const char *) cm_rules_json,
	                     cm_rules_json_len, err, sizeof(err)),
	    CM_OK);
	unsetenv("ND_RULES_FILE");
	assert_int_equal(cm_rules_load(NULL, err, sizeof(err)), CM_OK);
	assert_string_equal(cm_rules_source(), "embedded");
}

static void
test_orders(void **state)
{
	static const char *const races[] = { "ironveld", "vaelthir", "korrath",
		"sylvaeth", "ashborn", "breathborn" };
	static const char *const classes[] = { "warlord", "archmage",
		"highpriest", "shadowmaster", "merchantprince", "beastlord" };
	static const char *const skills[] = { "vanguard", "fortress",
		"destruction", "protection", "crusader", "oracle", "assassin",
		"saboteur", "profiteer", "artificer", "packalpha", "warden" };
	static const char *const units[] = { "stoneshield", "hammerer",
		"siegeanvil", "bloodwarden", "crimsonblade", "magister",
		"warshield", "rageborn", "warchief", "veilguard", "fadestriker",
		"dreamweaver", "cinderguard", "ashstriker", "pyreknight",
		"galeguard", "zephyr", "stormherald", "batteringram", "catapult",
		"trebuchet" };
	static const char *const buildings[] = { "farm", "mine", "lumbermill",
		"market", "barracks", "warhall", "siegeworkshop", "armory",
		"wall", "watchtower", "gate", "magetower", "shrine",
		"warehouse" };
	static const char *const terrain[] = { "plains", "forest", "mountain",
		"river", "ruins", "corruption" };
	static const char *const zones[] = { "outer", "middle", "inner",
		"heart" };

	(void) state;
	for (int i = 0; i < CM_RACE_COUNT; i++) {
		assert_int_equal(cm_race_index(races[i]), i);
		assert_string_equal(cm_race_name(i), races[i]);
		assert_int_equal(cm_race(i)->chain_index, i);
	}
	assert_string_equal(cm_race(5)->name, "Breath-Born");
	assert_int_equal(cm_race_index("Ironveld"), -1);
	assert_string_equal(cm_race_name(6), "unknown");
	assert_null(cm_race(-1));
	for (int i = 0; i < CM_CLASS_COUNT; i++) {
		assert_int_equal(cm_class_index(classes[i]), i);
		for (int k = 0; k < 2; k++) {
			assert_string_equal(cm_skill_name(i, k), skills[i * 2 + k]);
			assert_int_equal(cm_skill(i, k)->chain_index, i * 2 + k);
		}
	}
	assert_string_equal(cm_skill_name(5, 2), "unknown");
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		assert_int_equal(cm_unit_index(units[i]), i);
	}
	for (int i = 0; i < CM_BUILDING_COUNT; i++) {
		assert_int_equal(cm_building_index(buildings[i]), i);
	}
	for (int i = 0; i < CM_RULES_TERRAIN_COUNT; i++) {
		assert_string_equal(cm_terrain_rules(i)->id, terrain[i]);
	}
	for (int i = 0; i < CM_RULES_ZONE_COUNT; i++) {
		assert_string_equal(cm_zone_rules(i)->id, zones[i]);
	}
	assert_null(cm_terrain_rules(6));
	assert_null(cm_zone_rules(4));
	for (int i = 0; i < CM_SPELL_COUNT; i++) {
		assert_int_equal(cm_spell_at(i)->index, i);
		assert_int_equal(cm_spell_at(i)->racial,
		    i >= CM_GENERAL_SPELL_COUNT);
	}
	assert_string_equal(cm_spell_at(0)->id, "firebolt");
	assert_string_equal(cm_spell_at(47)->id, "storm_call");
}

static void
test_facts(void **state)
{
	const cm_unit_def     *u;
	const cm_building_def *b;
	const cm_spell_def    *s;
	const cm_zone_def     *z;
	cm_resources           r;

	(void) state;
	for (int i = 0; i < CM_RACE_COUNT; i++) {
		u = cm_unit(cm_race_defender(i));
		assert_non_null(u);
		assert_int_equal(u->race, i);
		assert_int_equal(u->role, CM_ROLE_DEFENDER);
	}
	u = cm_unit(cm_unit_index("magister"));
	assert_int_equal(u->atk, 40);
	assert_int_equal(u->def, 5);
	assert_int_equal(u->mana, 50);
	assert_int_equal(u->spd_x10, 20);
	assert_int_equal(u->train_minutes, 180);
	assert_int_equal(cm_unit(cm_unit_index("siegeanvil"))->spd_x10, 5);
	assert_int_equal(cm_unit(cm_unit_index("trebuchet"))->race, -1);
	assert_int_equal(cm_unit(cm_unit_index("trebuchet"))->train_minutes,
	    240);
	assert_null(cm_unit(CM_UNIT_COUNT));
	b = cm_building(cm_building_index("wall"));
	assert_int_equal(b->gold, 400);
	assert_int_equal(b->stone, 500);
	assert_int_equal(b->build_hours, 12);
	assert_int_equal(b->effects.def_pct, 30);
	assert_true(b->forbidden_zones[3]);
	assert_false(b->forbidden_zones[0]);
	assert_string_equal(
	    cm_building(cm_building(cm_building_index("market"))->requires)->id,
	    "mine");
	assert_int_equal(cm_building(cm_building_index("mine"))
	                     ->effects.stone_per_day,
	    40);
	assert_true(cm_building(cm_building_index("barracks"))
	                ->effects.trains[CM_ROLE_ATTACKER]);
	assert_true(cm_race(3)->forbidden_buildings[cm_building_index(
	    "siegeworkshop")]);
	s = cm_spell("fireball");
	assert_int_equal(s->mana, 40);
	assert_int_equal(s->cooldown_hours, 8);
	assert_int_equal(s->damage_min, 300);
	assert_int_equal(s->damage_max, 900);
	/* The design's prose numbers (§11.2-11.3). */
	assert_int_equal(cm_spell_find("titans_grasp")->kill_pct_min, 20);
	assert_int_equal(cm_spell_find("titans_grasp")->kill_pct_max, 40);
	assert_int_equal(cm_spell_find("windshear_racial")->delay_hours_max, 4);
	assert_int_equal(cm_spell_find("titans_eye")->reveal_armies, 10);
	assert_int_equal(cm_spell_find("foresight")->warning_hours, 2);
	assert_int_equal(cm_spell_find("fireball")->kill_pct_max, 0);
	assert_int_equal(cm_spell_find("confusion")->chance_pct_min, 10);
	assert_int_equal(cm_spell_find("confusion")->chance_pct_max, 30);
	assert_int_equal(cm_spell_find("fortress_of_will")->structure_def, 500);
	assert_int_equal(cm_spell_find("stone_wall")->wall_hp, 500);
	assert_int_equal(cm_spell_find("pyre_burst")->hp_pct_max, 2);
	assert_int_equal(cm_spell_find("raise_dead")->raise_pct_max, 15);
	assert_int_equal(cm_spell_find("blood_pact")->share_pct, 50);
	assert_int_equal(cm_spell_find("mass_reformation")->buff_pct, 5);
	assert_int_equal(cm_spell_find("blood_frenzy_spell")->buff_pct, 10);
	assert_string_equal(cm_spell("firebolt")->target, "single_unit");
	assert_int_equal(cm_spell("windshear")->race, 5);
	assert_null(cm_spell("storm_call")); /* racial: not a general spell */
	assert_null(cm_spell("teleport"));
	s = cm_spell_find("storm_call");
	assert_int_equal(s->race, 5);
	assert_int_equal(s->mana, 70);
	z = cm_zone_rules(3);
	assert_int_equal(z->min_radius, 0);
	assert_int_equal(z->max_radius, 5);
	assert_int_equal(z->resource_mult_pct, 300);
	assert_int_equal(z->mana_per_territory, 25);
	assert_int_equal(cm_zone_rules(1)->max_radius, 35);
	assert_int_equal(cm_zone_points(0), 1);
	assert_int_equal(cm_zone_points(2), 6);
	assert_int_equal(cm_zone_points(3), 11);
	assert_int_equal(cm_zone_points(4), 0);
	assert_int_equal(cm_tier_plots(false), 2);
	assert_int_equal(cm_tier_plots(true), 10);
	cm_tier_resources(true, &r);
	assert_int_equal(r.gold, 5000);
	assert_int_equal(r.food, 1000);
	assert_int_equal(r.mana, 0);
	assert_int_equal(cm_tier(true)->price_usdc_micro, 10000000);
	assert_int_equal(cm_race(0)->food_rate_pct, 50);
	assert_int_equal(cm_race(0)->speed_pct, -25);
	assert_int_equal(cm_race(2)->blood_frenzy_atk_pct, 10);
	assert_int_equal(cm_race(4)->reformation_roll_bonus, 2);
	assert_int_equal(cm_class(3)->death_save_bonus, 3);
	assert_int_equal(cm_skill(4, 1)->build_time_pct, -25);
	assert_int_equal(cm_rules_spell_tables()->damage_mult_pct[1], 0);
	assert_int_equal(cm_rules_spell_tables()->damage_mult_pct[20], 200);
	assert_true(cm_rules_spell_tables()->divination_false_vision[1]);
	assert_int_equal(cm_rules_forsaken()->garrison_mult_pct[20], 130);
	assert_int_equal(cm_rules_forsaken()->types[3].domain_points, 100);
	assert_int_equal(cm_rules_economy()->reformation_return_pct[18], 20);
	assert_int_equal(cm_rules_death_save()->threshold, 10);
	assert_int_equal(cm_rules_generation()->length_days, 50);
	assert_int_equal(cm_rules_generation()->pvp_from_day, 6);
	assert_int_equal(cm_rules_scoring()->capture_base, 25);
	assert_int_equal(cm_rules_rate_limit("army/attack")->limit, 5);
	assert_int_equal(cm_rules_rate_limit("army/attack")->scope,
	    CM_RATE_PLAYER);
	assert_null(cm_rules_rate_limit("nope"));
	assert_int_equal(cm_mana_cap(0, 0), 50);
	assert_int_equal(cm_mana_cap(0, 5), 200);
	assert_int_equal(cm_mana_cap(1, 5), 300);
	/* (10 + 20 + 10) x 1.25 Archmage x 1.3 Vaelthir = 65 */
	assert_int_equal(cm_mana_regen(1, 1, 1, 1, 0), 65);
	assert_int_equal(cm_mana_regen(0, 0, 0, 0, 25), 35);
}

static void
test_refused_json(void **state)
{
	json_t *j;

	(void) state;
	j = embedded_json();
	json_object_del(at(j, "units", 0), "atk");
	refuse_json(j, "rules: units[0].atk: missing key");
	j = embedded_json();
	json_object_set_new(at(j, "units", 2), "armor", json_integer(1));
	refuse_json(j, "rules: units[2].armor: unknown key");
	j = embedded_json();
	json_object_set_new(at(j, "units", 3), "atk", json_string("10"));
	refuse_json(j, "rules: units[3].atk: expected an integer in 0..1000");
	j = embedded_json();
	json_object_set_new(at(j, "units", 3), "atk", json_integer(1001));
	refuse_json(j, "rules: units[3].atk: expected an integer in 0..1000");
	j = embedded_json();
	json_object_set_new(at(j, "units", 0), "spd", json_real(0.55));
	refuse_json(j, "rules: units[0].spd: expected a number");
	j = embedded_json();
	json_object_set_new(at(j, "units", 1), "id", json_string("stoneshield"));
	refuse_json(j, "rules: units[1].id: duplicate id \"stoneshield\"");
	j = embedded_json();
	json_object_set_new(at(j, "races", 0), "id", json_string("dwarf"));
	refuse_json(j, "rules: races[0].id: expected \"ironveld\" (chain order)");
	j = embedded_json();
	json_object_set_new(at(j, "races", 1), "chain_index", json_integer(2));
	refuse_json(j, "rules: races[1].chain_index: expected 1");
	j = embedded_json();
	json_object_set_new(at(j, "buildings", 3), "requires",
	    json_string("mines"));
	refuse_json(j, "rules: buildings[3].requires: expected null or one of");
	j = embedded_json();
	json_object_set_new(at(j, "buildings", 1), "requires",
	    json_string("market"));
	refuse_json(j, "rules: buildings[");
	j = embedded_json();
	json_object_set_new(at(j, "units", 0), "race", json_string("dwarf"));
	refuse_json(j, "rules: units[0].race: expected null or one of");
	j = embedded_json();
	json_array_remove(at(j, "units", -1), 20);
	refuse_json(j, "rules: units: expected an array of 21");
	j = embedded_json();
	json_array_remove(at(j, "spells", -1), 47);
	refuse_json(j, "rules: spells: expected an array of 48");
	/* Confusion (16): a chance of 10-30%, strictly. */
	j = embedded_json();
	json_object_set_new(at(j, "spells", 16), "chance_pct_max",
	    json_integer(5));
	refuse_json(j, "rules: spells[16].chance_pct_max: expected >= 10");
	j = embedded_json();
	json_object_del(at(j, "spells", 16), "wall_hp");
	refuse_json(j, "rules: spells[16].wall_hp");
	/* The prose numbers' ranges: Titan's Grasp (24) kills 20-40%. */
	j = embedded_json();
	json_object_set_new(at(j, "spells", 24), "kill_pct_max",
	    json_integer(10));
	refuse_json(j, "rules: spells[24].kill_pct_max: expected >= 20");
	j = embedded_json();
	json_object_set_new(at(j, "spells", 24), "kill_pct_min",
	    json_integer(101));
	refuse_json(j, "rules: spells[24].kill_pct_min: expected an integer "
	               "in 0..100");
	j = embedded_json();
	json_object_set_new(at(j, "spells", 17), "delay_hours_min",
	    json_integer(5));
	refuse_json(j, "rules: spells[17].delay_hours_max: expected >= 5");
	j = embedded_json();
	json_object_set_new(json_array_get(at(at(j, "spell_tables", -1),
	                                       "damage", -1),
	                        1),
	    "from", json_integer(3));
	refuse_json(j, "rules: spell_tables.damage[1].from: expected 2");
	j = embedded_json();
	json_array_remove(at(at(j, "forsaken", -1), "loot_table", -1), 5);
	refuse_json(j, "rules: forsaken.loot_table: faces 20..20 missing");
	j = embedded_json();
	json_object_set_new(json_array_get(at(at(j, "generation", -1),
	                                       "phases", -1),
	                        3),
	    "to_day", json_integer(49));
	refuse_json(j, "rules: generation.phases[3].to_day: expected 50");
	j = embedded_json();
	json_object_set_new(at(at(j, "classes", 0), "skills", 0), "effects",
	    json_object());
	refuse_json(j,
	    "rules: classes[0].skills[0].effects.round1_atk_pct: missing key");
	j = embedded_json();
	json_object_set_new(at(j, "building_limits", -1), "max_per_territory",
	    json_integer(7));
	refuse_json(j, "rules: building_limits.max_per_territory: expected an "
	               "integer in 6..6");
	j = embedded_json();
	json_object_set_new(j, "combat2", json_object());
	refuse_json(j, "rules: combat2: unknown key");
	j = embedded_json();
	json_object_del(j, "economy");
	refuse_json(j, "rules: economy: missing key");
}

static void
test_refused_text(void **state)
{
	char   err[512] = "";
	cm_err rv;

	(void) state;
	refuse_text("\"atk\": 8,", "\"atk\": 8, \"atk\": 9,",
	    "duplicate object key");
	refuse_text("\"format\": 1", "\"format\": 2",
	    "rules: format: expected an integer in 1..1");
	rv = load_bytes(cm_rules_json, cm_rules_json_len / 2, err,
	    sizeof(err));
	assert_int_equal(rv, CM_EINVAL);
	assert_non_null(strstr(err, "rules: line "));
	rv = load_bytes("", 0, err, sizeof(err));
	assert_int_equal(rv, CM_EINVAL);
	assert_non_null(strstr(err, "rules: line "));
	rv = load_bytes("[1, 2]", 6, err, sizeof(err));
	assert_int_equal(rv, CM_EINVAL);
	assert_string_equal(err,
	    "rules: expected a JSON object at the top level");
	rv = cm_rules_load("/nonexistent/rules.json", err, sizeof(err));
	assert_int_equal(rv, CM_ENOENT);
	assert_string_equal(err, "rules: /nonexistent/rules.json: cannot open");
	/* A refused file leaves the rules in force alone. */
	assert_string_equal(cm_rules_source(), "embedded");
	assert_int_equal(cm_unit(1)->atk, 20);
}

static void
test_hash(void **state)
{
	uint8_t   h0[32], h1[32], want[32];
	char      hex[67], path[64], err[512] = "";
	char     *copy = malloc(cm_rules_json_len);
	cm_keccak k;

	(void) state;
	unsetenv("ND_RULES_FILE");
	assert_int_equal(cm_rules_load(NULL, err, sizeof(err)), CM_OK);
	cm_rules_hash(h0);
	cm_keccak_init(&k);
	cm_keccak_update(&k, cm_rules_json, cm_rules_json_len);
	cm_keccak_final(&k, want);
	assert_memory_equal(h0, want, 32);
	cm_rules_hash_hex(hex);
	assert_int_equal(strlen(hex), 66);
	assert_memory_equal(hex, "0x", 2);
	/* One byte changed (the final newline becomes a space), loaded
	 * through ND_RULES_FILE: still valid, another hash, keccak of it. */
	memcpy(copy, cm_rules_json, cm_rules_json_len);
	assert_int_equal(copy[cm_rules_json_len - 1], '\n');
	copy[cm_rules_json_len - 1] = ' ';
	write_temp(copy, cm_rules_json_len, path);
	setenv("ND_RULES_FILE", path, 1);
	assert_int_equal(cm_rules_load(NULL, err, sizeof(err)), CM_OK);
	unsetenv("ND_RULES_FILE");
	unlink(path);
	assert_string_equal(cm_rules_source(), path);
	cm_rules_hash(h1);
	assert_memory_not_equal(h0, h1, 32);
	cm_keccak_init(&k);
	cm_keccak_update(&k, copy, cm_rules_json_len);
	cm_keccak_final(&k, want);
	assert_memory_equal(h1, want, 32);
	free(copy);
	assert_int_equal(cm_rules_load(NULL, err, sizeof(err)), CM_OK);
	cm_rules_hash(h1);
	assert_memory_equal(h0, h1, 32);
}

static void
test_combat_reference(void **state)
{
	const cm_combat_rules *got;
	char                   err[512] = "";

	(void) state;
	unsetenv("ND_RULES_FILE");
	assert_int_equal(cm_rules_load(NULL, err, sizeof(err)), CM_OK);
	got = cm_rules_combat();
	assert_non_null(got);
#define COMBAT_CHECK(m) \
	if (memcmp(&got->m, &combat_reference.m, sizeof(got->m)) != 0) { \
		fail_msg("combat: %s differs from the reference", #m); \
	}
	COMBAT_FIELDS(COMBAT_CHECK)
#undef COMBAT_CHECK
	assert_memory_equal(got, &combat_reference, sizeof(*got));
	/* Spot checks of the file's shapes: bands spread over the faces,
	 * keyed arrays in index order, open-ended day bands. */
	assert_int_equal(got->atk_face_pct[1], 50);
	assert_int_equal(got->atk_face_pct[4], 70);
	assert_int_equal(got->def_face_pct[20], 140);
	assert_int_equal(got->atk_face_pct[0], 0);
	assert_int_equal(got->terrain_def_pct[2], 130);
	assert_int_equal(got->race_atk_pct[3], -30);
	assert_int_equal(got->heart_zone, 3);
	assert_int_equal(got->soil_days[4], 22);
	assert_int_equal(got->band_min[3], 0);
	assert_int_equal(got->forsaken_day_max[1], 35);
	assert_int_equal(got->line_share_pct[2], 15);
}

static void
test_combat_refused(void **state)
{
	json_t *j;

	(void) state;
	j = embedded_json();
	json_object_del(j, "combat");
	refuse_json(j, "rules: combat: missing key");
	refuse_json(combat_set("combat", "morale_max", json_integer(1)),
	    "rules: combat.morale_max: unknown key");
	refuse_json(combat_set("combat.morale", "maximum", json_integer(1)),
	    "rules: combat.morale.maximum: unknown key");
	refuse_json(combat_set("combat.morale.bands.2", "atk_pct",
	                json_integer(1)),
	    "rules: combat.morale.bands[2].atk_pct: unknown key");
	refuse_json(combat_set("combat.races.atk_pct", "elves", json_integer(1)),
	    "rules: combat.races.atk_pct.elves: unknown key");
	refuse_json(combat_del("combat.siege", "catapult_mult_pct"),
	    "rules: combat.siege.catapult_mult_pct: missing key");
	refuse_json(combat_del("combat.terrain.def_mult_pct", "ruins"),
	    "rules: combat.terrain.def_mult_pct.ruins: missing key");
	/* D20 tables: a gap, an overlap, a missing end. */
	refuse_json(combat_set("combat.rolls.attack_table.1", "from",
	                json_integer(3)),
	    "rules: combat.rolls.attack_table[1].from: expected 2 (faces "
	    "1..20 each exactly once)");
	refuse_json(combat_set("combat.loot.table.2", "from", json_integer(7)),
	    "rules: combat.loot.table[2].from: expected 8");
	j = embedded_json();
	assert_int_equal(json_array_remove(node(j, "combat.siege.table"), 5),
	    0);
	refuse_json(j, "rules: combat.siege.table: faces 20..20 missing");
	/* Ranges. */
	refuse_json(combat_set("combat.morale.bands.2", "desertion_pct",
	                json_integer(101)),
	    "rules: combat.morale.bands[2].desertion_pct: expected an integer "
	    "in 0..100");
	refuse_json(combat_set("combat.rolls.defence_table.0", "mult_pct",
	                json_integer(-1)),
	    "rules: combat.rolls.defence_table[0].mult_pct: expected an "
	    "integer in 0..1000");
	refuse_json(combat_set("combat.terrain.atk_mult_pct", "forest",
	                json_integer(1001)),
	    "rules: combat.terrain.atk_mult_pct.forest: expected an integer "
	    "in 0..1000");
	refuse_json(combat_set("combat", "max_rounds", json_integer(4)),
	    "rules: combat.max_rounds: expected an integer in 1..3");
	/* Types. */
	refuse_json(combat_set("combat.heart", "roll_bonus", json_string("2")),
	    "rules: combat.heart.roll_bonus: expected an integer in -20..20");
	refuse_json(combat_set("combat.heart", "zone", json_string("centre")),
	    "rules: combat.heart.zone: expected one of outer, middle, inner, "
	    "heart");
	refuse_json(combat_set("combat", "crits", json_array()),
	    "rules: combat.crits: expected an object");
	refuse_json(combat_set("combat.casualties", "prisoner_mult_pct",
	                json_real(60.5)),
	    "rules: combat.casualties.prisoner_mult_pct: expected an integer");
	/* Cross-field rules. */
	refuse_json(combat_set("combat.morale.bands.1", "min",
	                json_integer(80)),
	    "rules: combat.morale.bands[1].min: expected 0..74");
	refuse_json(combat_set("combat.morale.bands.3", "min",
	                json_integer(10)),
	    "rules: combat.morale.bands[3].min: expected 0 (the last band");
	refuse_json(combat_set("combat.morale", "low", json_integer(151)),
	    "rules: combat.morale.low: expected 0..150");
	refuse_json(combat_set("combat.casualties.line_share_pct", "back",
	                json_integer(20)),
	    "rules: combat.casualties.line_share_pct: shares add up to 105");
	j = embedded_json();
	assert_int_equal(json_array_remove(node(j, "combat.morale.bands"), 3),
	    0);
	refuse_json(j, "rules: combat.morale.bands: expected an array of 4");
	j = embedded_json();
	assert_int_equal(
	    json_array_remove(node(j, "combat.foreign_soil.bands"), 4), 0);
	json_object_set_new(node(j, "combat.foreign_soil.bands.3"), "to_day",
	    json_null());
	refuse_json(j, "rules: combat.foreign_soil.bands: expected 5 bands");
	refuse_json(combat_set("combat.foreign_soil.bands.0", "from_day",
	                json_integer(1)),
	    "rules: combat.foreign_soil.bands[0].from_day: expected 0");
	refuse_json(combat_set("combat.forsaken.day_bands.2", "to_day",
	                json_integer(50)),
	    "rules: combat.forsaken.day_bands[2].to_day: expected null");
	refuse_json(combat_set("combat.forsaken", "morale", json_integer(151)),
	    "rules: combat.forsaken.morale: expected 0..150");
}

/* A combat number changed: still valid, in force, another rules hash. */
static void
test_combat_hash(void **state)
{
	json_t *j = combat_set("combat.loot", "base_pct", json_integer(11));
	char   *s = json_dumps(j, JSON_PRESERVE_ORDER | JSON_INDENT(1));
	char    path[64], err[512] = "";
	uint8_t h0[32], h1[32], want[32];
	cm_keccak k;

	(void) state;
	json_decref(j);
	unsetenv("ND_RULES_FILE");
	assert_int_equal(cm_rules_load(NULL, err, sizeof(err)), CM_OK);
	cm_rules_hash(h0);
	write_temp(s, strlen(s), path);
	assert_int_equal(cm_rules_load(path, err, sizeof(err)), CM_OK);
	unlink(path);
	assert_int_equal(cm_rules_combat()->loot_base_pct, 11);
	assert_memory_not_equal(cm_rules_combat(), &combat_reference,
	    sizeof(combat_reference));
	cm_rules_hash(h1);
	assert_memory_not_equal(h0, h1, 32);
	cm_keccak_init(&k);
	cm_keccak_update(&k, s, strlen(s));
	cm_keccak_final(&k, want);
	assert_memory_equal(h1, want, 32);
	free(s);
	assert_int_equal(cm_rules_load(NULL, err, sizeof(err)), CM_OK);
	assert_int_equal(cm_rules_combat()->loot_base_pct, 10);
	cm_rules_hash(h1);
	assert_memory_equal(h0, h1, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders), /* first: lazy default */
		cmocka_unit_test(test_embedded_loads),
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_refused_json),
		cmocka_unit_test(test_refused_text),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_combat_reference),
		cmocka_unit_test(test_combat_refused),
		cmocka_unit_test(test_combat_hash),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
