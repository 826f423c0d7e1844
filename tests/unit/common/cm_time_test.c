/*
 * cm_time_test.c: unit tests for common/cm_time.c: clocks, strict RFC 3339
 * parsing (ranges, leap years, zones, garbage) and ISO formatting.
 * Expected instants were computed with JavaScript's Date.parse (node
 * v20.20.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cm_time.h"

struct time_vec {
	const char *s;
	int64_t ms;
};

static const struct time_vec good[] = {
	{ "2026-11-25T10:00:00.000Z", 1795600800000LL },
	{ "1970-01-01T00:00:00Z", 0 },
	{ "2000-02-29T23:59:59.999Z", 951868799999LL },
	{ "2021-09-30T16:25:24Z", 1633019124000LL },
	{ "2026-01-31T23:59:59+02:00", 1769896799000LL },
	{ "1969-12-31T23:59:59.999Z", -1 },
	{ "0000-01-01T00:00:00Z", -62167219200000LL },
	{ "9999-12-31T23:59:59.999Z", 253402300799999LL },
	{ "2024-03-01T00:30:00-05:30", 1709272800000LL },
	{ "1900-03-01T00:00:00Z", -2203891200000LL },
	{ "2100-02-28T12:00:00Z", 4107499200000LL },
	{ "1600-02-29T00:00:00Z", -11670998400000LL },
	{ "2026-11-25T10:00:00.123456789Z", 1795600800123LL },
	{ "2026-11-25T10:00:00.5Z", 1795600800500LL },
	{ "2026-11-25T10:00:00-00:00", 1795600800000LL },
	{ "2026-11-25T10:00:00+23:59", 1795600800000LL - 86340000LL },
};

static const char *bad[] = {
	"",
	"2026-13-01T00:00:00Z",    // month 13
	"2026-00-01T00:00:00Z",    // month 0
	"2026-02-30T00:00:00Z",    // Feb 30
	"2026-02-29T00:00:00Z",    // not a leap year
	"1900-02-29T00:00:00Z",    // century, not a leap year
	"2026-04-31T00:00:00Z",    // April has 30 days
	"2026-01-00T00:00:00Z",    // day 0
	"2026-01-32T00:00:00Z",
	"2026-01-01T24:00:00Z",    // hour 24
	"2026-01-01T00:60:00Z",
	"2026-01-01T00:00:60Z",    // leap second refused
	"2026-01-01T00:00:00",     // missing zone
	"2026-01-01T00:00:00z",    // lower-case z
	"2026-01-01t00:00:00Z",    // lower-case t
	"2026-01-01 00:00:00Z",    // space instead of T
	"2026-01-01T00:00Z",       // no seconds
	"2026-01-01",              // date only
	"2026-1-01T00:00:00Z",     // short month
	"26-01-01T00:00:00Z",
	"+2026-01-01T00:00:00Z",
	" 2026-01-01T00:00:00Z",   // leading garbage
	"2026-01-01T00:00:00Z ",   // trailing garbage
	"2026-01-01T00:00:00ZZ",
	"2026-01-01T00:00:00Z\n",
	"2026-01-01T00:00:00.Z",   // empty fraction
	"2026-01-01T00:00:00,5Z",  // comma fraction
	"2026-01-01T00:00:00+0200", // offset without colon
	"2026-01-01T00:00:00+02",
	"2026-01-01T00:00:00+24:00",
	"2026-01-01T00:00:00+02:60",
	"2026-01-01T00:00:00UTC",
	"2026-01-01T00:00:00.000+2:00",
	"2026-01-01T0a:00:00Z",
};

static void
test_parse_good(void **state)
{
	int64_t ms;

	(void) state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ms = 42;
		assert_int_equal(cm_time_parse_rfc3339(good[i].s,
		    strlen(good[i].s), &ms), CM_OK);
		assert_int_equal(ms, good[i].ms);
	}
}

static void
test_parse_bad(void **state)
{
	int64_t ms = 42;

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cm_time_parse_rfc3339(bad[i], strlen(bad[i]),
		    &ms), CM_EINVAL);
		assert_int_equal(ms, 42);
	}
	// The length bounds the input, and a cut anywhere is refused.
	for (size_t n = 0; n < 24; n++) {
		assert_int_equal(cm_time_parse_rfc3339(
		    "2026-11-25T10:00:00.000Z", n, &ms), CM_EINVAL);
	}
	assert_int_equal(cm_time_parse_rfc3339("2026-11-25T10:00:00Zjunk",
	    20, &ms), CM_OK);
	assert_int_equal(ms, 1795600800000LL);
	assert_int_equal(cm_time_parse_rfc3339("2026-11-25T10:00:00\0Z", 21,
	    &ms), CM_EINVAL);
}

/*
 * Every day of 1999..2001 and 2099..2101 parses, is one day after the one
 * before, and formats back; the day after each month's last is refused.
 */
static void
test_calendar(void **state)
{
	static const int years[] = { 1999, 2000, 2001, 2099, 2100, 2101 };
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	char s[25], f[25];
	int64_t ms, prev = 0;
	int first = 1;

	(void) state;
	for (size_t yi = 0; yi < 6; yi++) {
		int y = years[yi];
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (yi > 0 && years[yi - 1] != y - 1) {
			first = 1; // not contiguous with the previous year
		}
		for (int m = 1; m <= 12; m++) {
			int nd = mdays[m - 1] + (m == 2 && leap);
			for (int d = 1; d <= nd + 1; d++) {
				memcpy(s, "0000-00-00T12:34:56.789Z", 25);
				s[0] = (char) ('0' + y / 1000);
				s[1] = (char) ('0' + y / 100 % 10);
				s[2] = (char) ('0' + y / 10 % 10);
				s[3] = (char) ('0' + y % 10);
				s[5] = (char) ('0' + m / 10);
				s[6] = (char) ('0' + m % 10);
				s[8] = (char) ('0' + d / 10);
				s[9] = (char) ('0' + d % 10);
				if (d == nd + 1) {
					assert_int_equal(cm_time_parse_rfc3339(
					    s, 24, &ms), CM_EINVAL);
					continue;
				}
				assert_int_equal(cm_time_parse_rfc3339(s, 24,
				    &ms), CM_OK);
				if (!first) {
					assert_int_equal(ms - prev, 86400000);
				}
				first = 0;
				prev = ms;
				cm_time_format_iso(ms, f);
				assert_string_equal(f, s);
			}
		}
	}
}

static void
test_format(void **state)
{
	char out[25];

	(void) state;
	cm_time_format_iso(1795600800000LL, out);
	assert_string_equal(out, "2026-11-25T10:00:00.000Z");
	cm_time_format_iso(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00.000Z");
	cm_time_format_iso(-1, out);
	assert_string_equal(out, "1969-12-31T23:59:59.999Z");
	cm_time_format_iso(951868799999LL, out);
	assert_string_equal(out, "2000-02-29T23:59:59.999Z");
	cm_time_format_iso(-62167219200000LL, out);
	assert_string_equal(out, "0000-01-01T00:00:00.000Z");
	cm_time_format_iso(253402300799999LL, out);
	assert_string_equal(out, "9999-12-31T23:59:59.999Z");
	// Clamped.
	cm_time_format_iso(INT64_MIN, out);
	assert_string_equal(out, "0000-01-01T00:00:00.000Z");
	cm_time_format_iso(INT64_MAX, out);
	assert_string_equal(out, "9999-12-31T23:59:59.999Z");
	assert_int_equal(strlen(out), CM_TIME_ISO_LEN);
}

static void
test_clocks(void **state)
{
	int64_t a, b, now;

	(void) state;
	now = cm_time_now_ms();
	// After 2024-01-01 and before 2100-01-01.
	assert_true(now > 1704067200000LL);
	assert_true(now < 4102444800000LL);
	a = cm_time_mono_ns();
	b = cm_time_mono_ns();
	assert_true(a > 0);
	assert_true(b >= a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_clocks),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
