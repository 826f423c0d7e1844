/*
 * cm_hex_test.c: unit tests for common/cm_hex.c (encoding, strict
 * decoding, out-parameters untouched on failure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cm_hex.h"

static void
test_encode(void **state)
{
	const uint8_t in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[2 * sizeof(in) + 1];

	(void) state;
	memset(out, 'X', sizeof(out));
	cm_hex_encode(in, sizeof(in), out);
	assert_string_equal(out, "00017f80abff");
	cm_hex_encode(in, 0, out);
	assert_string_equal(out, "");
}

static void
test_decode_ok(void **state)
{
	uint8_t out[4];
	const uint8_t want[] = { 0xde, 0xad, 0xbe, 0xef };

	(void) state;
	assert_int_equal(cm_hex_decode("deadbeef", 8, out, 4), CM_OK);
	assert_memory_equal(out, want, 4);
	memset(out, 0, sizeof(out));
	assert_int_equal(cm_hex_decode("0xDEADBEEF", 10, out, 4), CM_OK);
	assert_memory_equal(out, want, 4);
	memset(out, 0, sizeof(out));
	assert_int_equal(cm_hex_decode("0XdEaDbEeF", 10, out, 4), CM_OK);
	assert_memory_equal(out, want, 4);
	// The length bounds the input: what follows is not read.
	memset(out, 0, sizeof(out));
	assert_int_equal(cm_hex_decode("deadbeefzz", 8, out, 4), CM_OK);
	assert_memory_equal(out, want, 4);
	assert_int_equal(cm_hex_decode("", 0, out, 0), CM_OK);
	assert_int_equal(cm_hex_decode("0x", 2, out, 0), CM_OK);
}

static void
test_decode_bad(void **state)
{
	static const char *bad[] = {
		"deadbee",    // too short
		"deadbeef00", // too long
		"deadbeeg",   // not hex
		"dead beef",  // space
		" deadbeef",
		"deadbeef ",
		"0xdeadbee",
		"x0deadbeef",
		"0x0xdeadbe",
		"+deadbeef",
		"-deadbeef",
		"0x",
		"",
	};
	uint8_t out[4] = { 1, 2, 3, 4 };
	const uint8_t keep[4] = { 1, 2, 3, 4 };

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cm_hex_decode(bad[i], strlen(bad[i]), out, 4),
		    CM_EINVAL);
		assert_memory_equal(out, keep, 4);
	}
	// An embedded NUL is not a digit.
	assert_int_equal(cm_hex_decode("dead\0eef", 8, out, 4), CM_EINVAL);
	assert_memory_equal(out, keep, 4);
}

static void
test_digit(void **state)
{
	(void) state;
	assert_int_equal(cm_hex_digit('0'), 0);
	assert_int_equal(cm_hex_digit('9'), 9);
	assert_int_equal(cm_hex_digit('a'), 10);
	assert_int_equal(cm_hex_digit('F'), 15);
	assert_int_equal(cm_hex_digit('g'), -1);
	assert_int_equal(cm_hex_digit('/'), -1);
	assert_int_equal(cm_hex_digit(':'), -1);
	assert_int_equal(cm_hex_digit('@'), -1);
	assert_int_equal(cm_hex_digit('\0'), -1);
}

static void
test_round_trip(void **state)
{
	uint8_t in[256], back[256];
	char hex[513];

	(void) state;
	for (size_t i = 0; i < sizeof(in); i++) {
		in[i] = (uint8_t) i;
	}
	cm_hex_encode(in, sizeof(in), hex);
	assert_int_equal(strlen(hex), 512);
	assert_int_equal(cm_hex_decode(hex, 512, back, sizeof(back)), CM_OK);
	assert_memory_equal(in, back, sizeof(in));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_decode_ok),
		cmocka_unit_test(test_decode_bad),
		cmocka_unit_test(test_digit),
		cmocka_unit_test(test_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
