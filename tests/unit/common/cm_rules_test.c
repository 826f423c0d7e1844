/*
 * cm_rules_test.c: unit tests for common/cm_rules.c: the chain's index
 * orders, the tables' facts the placeholder rules rely on, lookups of
 * unknown names, and a stable rules hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cm_rules.h"

static void
test_orders(void **state)
{
	static const char *const races[] = { "ironveld", "vaelthir", "korrath",
		"sylvaeth", "ashborn", "breathborn" };

	(void) state;
	for (int i = 0; i < CM_RACE_COUNT; i++) {
		assert_int_equal(cm_race_index(races[i]), i);
		assert_string_equal(cm_race_name(i), races[i]);
	}
	assert_int_equal(cm_race_index("Ironveld"), -1);
	assert_string_equal(cm_race_name(6), "unknown");
	assert_int_equal(cm_class_index("merchantprince"), 4);
	assert_string_equal(cm_skill_name(4, 1), "artificer");
	assert_string_equal(cm_skill_name(5, 0), "packalpha");
	assert_string_equal(cm_skill_name(5, 2), "unknown");
}

static void
test_units_and_buildings(void **state)
{
	(void) state;
	/* Every race has exactly one Defender, of its own race. */
	for (int r = 0; r < CM_RACE_COUNT; r++) {
		const cm_unit_def *u = cm_unit(cm_race_defender(r));

		assert_non_null(u);
		assert_int_equal(u->race, r);
		assert_int_equal(u->role, CM_ROLE_DEFENDER);
	}
	assert_string_equal(cm_unit(cm_race_defender(2))->id, "warshield");
	assert_int_equal(cm_unit(cm_unit_index("magister"))->mana, 50);
	assert_int_equal(cm_unit(cm_unit_index("trebuchet"))->race, -1);
	assert_null(cm_unit(CM_UNIT_COUNT));
	assert_int_equal(cm_unit_index("wolf"), -1);
	/* Prerequisites point at real buildings: market needs a mine. */
	assert_string_equal(
	    cm_building(cm_building(cm_building_index("market"))->requires)->id,
	    "mine");
	assert_string_equal(
	    cm_building(cm_building(cm_building_index("shrine"))->requires)->id,
	    "magetower");
	for (int i = 0; i < CM_BUILDING_COUNT; i++) {
		const cm_building_def *b = cm_building(i);

		assert_true(b->requires < CM_BUILDING_COUNT);
		assert_true(b->max_per_territory >= 1);
	}
	assert_null(cm_spell("teleport"));
	assert_int_equal(cm_spell("fireball")->mana, 40);
	assert_int_equal(cm_spell("fireball")->cooldown_hours, 8);
}

static void
test_tiers_points_hash(void **state)
{
	cm_resources r;
	uint8_t      h1[32], h2[32];

	(void) state;
	assert_int_equal(cm_tier_plots(false), 2);
	assert_int_equal(cm_tier_plots(true), 10);
	cm_tier_resources(true, &r);
	assert_int_equal(r.gold, 5000);
	assert_int_equal(r.food, 1000);
	assert_int_equal(r.mana, 0);
	assert_int_equal(cm_zone_points(0), 1);
	assert_int_equal(cm_zone_points(3), 11);
	assert_int_equal(cm_zone_points(4), 0);
	cm_rules_hash(h1);
	cm_rules_hash(h2);
	assert_memory_equal(h1, h2, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_units_and_buildings),
		cmocka_unit_test(test_tiers_points_hash),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
