/*
 * cm_generation_test.c: a generation's day, phase and status follow game
 * time (facts §2.2): the rules' phases by day, the contract's statuses
 * (planning before PvP, endgame in the last five days), over once it
 * ended or its due end has come, whatever its length and time scale.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cm_generation.h"

#define DAY_MS (86400LL * 1000)

static cm_generation
gen(int days, int64_t scale)
{
	cm_generation g;

	memset(&g, 0, sizeof(g));
	g.start_ms = 1700000000000LL;
	g.end_ms   = g.start_ms + cm_generation_length_ms(days, scale);
	return (g);
}

/* The day at the middle of game day d. */
static int
day_of(const cm_generation *g, int64_t day_ms, int d, const char **ph,
    const char **st)
{
	return (cm_generation_day(g, g->start_ms + (d - 1) * day_ms +
	                              day_ms / 2,
	    day_ms, ph, st));
}

static void
test_fifty_days(void **state)
{
	static const struct {
		int         day;
		const char *phase, *status;
	} want[] = {
		{ 1, "planning", "planning" }, { 5, "planning", "planning" },
		{ 6, "early", "active" }, { 20, "early", "active" },
		{ 21, "mid", "active" }, { 35, "mid", "active" },
		{ 36, "late", "active" }, { 45, "late", "active" },
		{ 46, "late", "endgame" }, { 50, "late", "endgame" },
		{ 51, "ended", "ended" }, { 90, "ended", "ended" },
	};
	cm_generation g = gen(50, 1);
	const char   *ph, *st;

	(void) state;
	assert_int_equal(cm_generation_days(&g, DAY_MS), 50);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int d = day_of(&g, DAY_MS, want[i].day, &ph, &st);

		assert_int_equal(d, want[i].day > 51 ? 51 : want[i].day);
		assert_string_equal(ph, want[i].phase);
		assert_string_equal(st, want[i].status);
	}
	/* Before its start it is day 1; its due end ends it to the ms. */
	assert_int_equal(cm_generation_day(&g, g.start_ms - 5, DAY_MS, &ph,
	                     &st),
	    1);
	cm_generation_day(&g, g.end_ms - 1, DAY_MS, &ph, &st);
	assert_string_equal(st, "endgame");
	assert_int_equal(cm_generation_day(&g, g.end_ms, DAY_MS, &ph, &st), 51);
	assert_string_equal(st, "ended");
}

static void
test_game_time_and_length(void **state)
{
	const int64_t scale = 36000, day_ms = DAY_MS / scale;
	cm_generation g     = gen(50, scale);
	cm_generation s     = gen(3, scale);
	const char   *ph, *st;

	(void) state;
	/* At 36000x a day is 2.4 s of wall time: day 7 after 15 s. */
	assert_int_equal(cm_generation_day(&g, g.start_ms + 15000, day_ms, &ph,
	                     &st),
	    7);
	assert_string_equal(ph, "early");
	/* A 3-day generation: planning throughout, endgame by its length,
	 * over after 7.2 s. */
	assert_int_equal(cm_generation_days(&s, day_ms), 3);
	assert_int_equal(day_of(&s, day_ms, 2, &ph, &st), 2);
	assert_string_equal(ph, "planning");
	assert_string_equal(st, "planning");
	assert_int_equal(day_of(&s, day_ms, 9, &ph, &st), 4);
	assert_string_equal(st, "ended");
	/* A long one goes on in the last phase; endgame in its last 5. */
	g = gen(200, 1);
	day_of(&g, DAY_MS, 150, &ph, &st);
	assert_string_equal(ph, "late");
	assert_string_equal(st, "active");
	day_of(&g, DAY_MS, 196, &ph, &st);
	assert_string_equal(st, "endgame");
	/* The database's microseconds do not shift the length. */
	g.end_ms -= 1;
	assert_int_equal(cm_generation_days(&g, DAY_MS), 200);
}

static void
test_ended_early(void **state)
{
	cm_generation g = gen(50, 1);
	const char   *ph, *st;

	(void) state;
	g.ended_ms = g.start_ms + 10 * DAY_MS;
	assert_int_equal(day_of(&g, DAY_MS, 8, &ph, &st), 8);
	assert_string_equal(ph, "ended");
	assert_string_equal(st, "ended");
	/* NULL outputs are allowed. */
	assert_int_equal(day_of(&g, DAY_MS, 3, NULL, NULL), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifty_days),
		cmocka_unit_test(test_game_time_and_length),
		cmocka_unit_test(test_ended_early),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
