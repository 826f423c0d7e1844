/*
 * cm_b64_test.c: unit tests for common/cm_b64.c: RFC 4648 vectors in the
 * URL alphabet, strict decoding (padding, whitespace, alphabet, length,
 * non-canonical trailing bits), buffer bounds and round trips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cm_b64.h"

struct b64_vec {
	const char *bin;
	size_t n;
	const char *enc;
};

/* RFC 4648 section 10, without padding, plus URL-alphabet cases. */
static const struct b64_vec vecs[] = {
	{ "", 0, "" },
	{ "f", 1, "Zg" },
	{ "fo", 2, "Zm8" },
	{ "foo", 3, "Zm9v" },
	{ "foob", 4, "Zm9vYg" },
	{ "fooba", 5, "Zm9vYmE" },
	{ "foobar", 6, "Zm9vYmFy" },
	{ "\xfb\xff", 2, "-_8" },
	{ "\xff\xff\xfe", 3, "___-" },
	{ "\0\0\0", 3, "AAAA" },
};

static void
test_vectors(void **state)
{
	char enc[16];
	uint8_t bin[16];
	size_t n;

	(void) state;
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		assert_int_equal(cm_b64url_len(vecs[i].n),
		    strlen(vecs[i].enc));
		assert_int_equal(cm_b64url_encode(vecs[i].bin, vecs[i].n, enc,
		    sizeof(enc)), CM_OK);
		assert_string_equal(enc, vecs[i].enc);
		n = 99;
		assert_int_equal(cm_b64url_decode(vecs[i].enc,
		    strlen(vecs[i].enc), bin, sizeof(bin), &n), CM_OK);
		assert_int_equal(n, vecs[i].n);
		assert_memory_equal(bin, vecs[i].bin, n);
	}
}

static void
test_decode_strict(void **state)
{
	static const char *bad[] = {
		"Zg==",   // padding
		"Zg=",
		"Zm9v=",
		"Zm9v\n", // whitespace
		" Zm9v",
		"Zm 9v",
		"Z",      // impossible length
		"Zm9vY",
		"Zh",     // non-zero unused bits ("Zg" is canonical)
		"Zm9",    // ("Zm8" is canonical)
		"+/8",    // standard alphabet
		"Zm9v+w",
		"Zm.v",
		"Zm9v\xc3\xa9",
	};
	uint8_t bin[16], keep[16];
	size_t n = 77;

	(void) state;
	memset(keep, 0xa5, sizeof(keep));
	memcpy(bin, keep, sizeof(bin));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cm_b64url_decode(bad[i], strlen(bad[i]), bin,
		    sizeof(bin), &n), CM_EINVAL);
	}
	assert_int_equal(cm_b64url_decode("Zm\0v", 4, bin, sizeof(bin), &n),
	    CM_EINVAL);
	assert_int_equal(n, 77);
	assert_memory_equal(bin, keep, sizeof(bin));
}

static void
test_bounds(void **state)
{
	char enc[9];
	uint8_t bin[6];
	size_t n = 77;

	(void) state;
	// "foobar" needs 8 chars + NUL.
	assert_int_equal(cm_b64url_encode("foobar", 6, enc, 8), CM_ENOMEM);
	assert_int_equal(cm_b64url_encode("foobar", 6, enc, 9), CM_OK);
	assert_string_equal(enc, "Zm9vYmFy");
	assert_int_equal(cm_b64url_decode("Zm9vYmFy", 8, bin, 5, &n),
	    CM_ENOMEM);
	assert_int_equal(n, 77);
	assert_int_equal(cm_b64url_decode("Zm9vYmFy", 8, bin, 6, &n), CM_OK);
	assert_int_equal(n, 6);
	// The length bounds the input.
	assert_int_equal(cm_b64url_decode("Zm9vYmFy!!", 4, bin, 6, &n),
	    CM_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(bin, "foo", 3);
}

static void
test_round_trip(void **state)
{
	uint8_t in[100], back[100];
	char enc[140];
	size_t n;

	(void) state;
	for (size_t i = 0; i < sizeof(in); i++) {
		in[i] = (uint8_t) (i * 37 + 11);
	}
	for (size_t len = 0; len <= sizeof(in); len++) {
		assert_int_equal(cm_b64url_encode(in, len, enc, sizeof(enc)),
		    CM_OK);
		assert_int_equal(strlen(enc), cm_b64url_len(len));
		assert_int_equal(cm_b64url_decode(enc, strlen(enc), back,
		    sizeof(back), &n), CM_OK);
		assert_int_equal(n, len);
		assert_memory_equal(in, back, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_decode_strict),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
