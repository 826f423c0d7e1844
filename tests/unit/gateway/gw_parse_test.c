/*
 * gw_parse_test.c: the strict checks of client input: bodies, ids,
 * addresses, tiles, hashes, unit lists, names, query integers.
 */
#include "gateway/gw_fake.h"

static json_t *
J(const char *s)
{
	json_t *v = json_loads(s, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	assert_non_null(v);
	return (v);
}

static void
test_body(void **state)
{
	static const char *const f[] = { "a", "b", NULL };
	const char              *code;
	char                     msg[128];
	json_t                  *o;

	(void) state;
	o = gw_parse_body("{\"a\":1}", 7, f, &code, msg, sizeof(msg));
	assert_non_null(o);
	json_decref(o);
	assert_null(gw_parse_body("", 0, f, &code, msg, sizeof(msg)));
	assert_string_equal(code, "INVALID_JSON");
	assert_null(gw_parse_body("[1]", 3, f, &code, msg, sizeof(msg)));
	assert_string_equal(code, "INVALID_JSON");
	assert_null(gw_parse_body("{\"a\":1,\"a\":2}", 13, f, &code, msg,
	    sizeof(msg)));
	assert_string_equal(code, "INVALID_JSON");
	assert_null(gw_parse_body("{\"c\":1}", 7, f, &code, msg, sizeof(msg)));
	assert_string_equal(code, "UNKNOWN_FIELD");
	assert_string_equal(msg, "unknown field: c");
	assert_null(
	    gw_parse_body("{\"a\":\"\xff\"}", 9, f, &code, msg, sizeof(msg)));
	assert_string_equal(code, "INVALID_JSON");
}

static void
test_ids(void **state)
{
	uint64_t id = 0;
	json_t  *v;

	(void) state;
	assert_true(gw_parse_id("1", &id));
	assert_int_equal(id, 1);
	assert_true(gw_parse_id("9007199254740992", &id));
	assert_int_equal(id, 9007199254740992ULL);
	assert_false(gw_parse_id("9007199254740993", &id));
	assert_false(gw_parse_id("0", &id));
	assert_false(gw_parse_id("-1", &id));
	assert_false(gw_parse_id("+1", &id));
	assert_false(gw_parse_id("01", &id));
	assert_false(gw_parse_id("1.0", &id));
	assert_false(gw_parse_id("1e3", &id));
	assert_false(gw_parse_id("", &id));
	assert_false(gw_parse_id(" 1", &id));
	assert_false(gw_parse_id("!", &id)); /* an over-long segment */
	assert_false(gw_parse_id("99999999999999999999999", &id));
	v = J("5");
	assert_true(gw_parse_json_id(v, &id));
	assert_int_equal(id, 5);
	json_decref(v);
	v = J("5.0");
	assert_false(gw_parse_json_id(v, &id));
	json_decref(v);
	v = J("\"5\"");
	assert_false(gw_parse_json_id(v, &id));
	json_decref(v);
	v = J("0");
	assert_false(gw_parse_json_id(v, &id));
	json_decref(v);
	assert_false(gw_parse_json_id(NULL, &id));
}

static void
test_address(void **state)
{
	char out[43];

	(void) state;
	assert_true(
	    cm_eth_addr_normalize("0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B", 42,
	        out));
	assert_string_equal(out, "0xab5801a7d398351b8be11c439e05c5b3259aec9b");
	/* Any case is accepted (no EIP-55 check on lookups). */
	assert_true(
	    cm_eth_addr_normalize("0xAB5801A7D398351B8BE11C439E05C5B3259AEC9b", 42,
	        out));
	assert_false(
	    cm_eth_addr_normalize("0XAb5801a7D398351b8bE11C439e05C5B3259aeC9B", 42,
	        out));
	assert_false(
	    cm_eth_addr_normalize("0xAb5801a7D398351b8bE11C439e05C5B3259aeC9", 41,
	        out));
	assert_false(
	    cm_eth_addr_normalize("0xAb5801a7D398351b8bE11C439e05C5B3259aeC9G", 42,
	        out));
	assert_false(
	    cm_eth_addr_normalize("Ab5801a7D398351b8bE11C439e05C5B3259aeC9Bxx", 42,
	        out));
}

static void
test_coord(void **state)
{
	cm_layout   l;
	int         x = -1, y = -1;
	json_t     *v;
	const char *bad[] = { "{\"x\":100,\"y\":0}", "{\"x\":-1,\"y\":0}",
		"{\"x\":1.0,\"y\":0}", "{\"x\":\"1\",\"y\":0}", "{\"x\":1}",
		"{\"x\":1,\"y\":2,\"z\":3}", "{\"x\":1,\"z\":2}", "[1,2]", "1",
		"{\"x\":1,\"y\":4294967296}", "null" };

	(void) state;
	assert_int_equal(cm_layout_init(&l, 100, 80, 4), CM_OK);
	v = J("{\"x\":99,\"y\":79}");
	assert_null(gw_parse_coord(v, &l, &x, &y));
	assert_int_equal(x, 99);
	assert_int_equal(y, 79);
	json_decref(v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = J(bad[i]);
		assert_non_null(gw_parse_coord(v, &l, &x, &y));
		json_decref(v);
	}
	assert_non_null(gw_parse_coord(NULL, &l, &x, &y));
}

static void
test_hash(void **state)
{
	uint8_t h[32];
	json_t *v;

	(void) state;
	v = J("\"0x00112233445566778899AABBCCDDEEFF00112233445566778899aabbccd"
	      "deeff\"");
	assert_true(gw_parse_hash32(v, h));
	assert_int_equal(h[1], 0x11);
	assert_int_equal(h[31], 0xff);
	json_decref(v);
	v = J("\"00112233445566778899AABBCCDDEEFF00112233445566778899aabbccdde"
	      "eff\"");
	assert_false(gw_parse_hash32(v, h)); /* no 0x */
	json_decref(v);
	v = J("\"0X00112233445566778899AABBCCDDEEFF00112233445566778899aabbccd"
	      "deeff\"");
	assert_false(gw_parse_hash32(v, h));
	json_decref(v);
	v = J("\"0x00112233445566778899AABBCCDDEEFF00112233445566778899aabbccd"
	      "dee\"");
	assert_false(gw_parse_hash32(v, h)); /* 31 bytes */
	json_decref(v);
	v = J("\"0x00112233445566778899AABBCCDDEEFF00112233445566778899aabbccd"
	      "deeZZ\"");
	assert_false(gw_parse_hash32(v, h));
	json_decref(v);
	v = J("12");
	assert_false(gw_parse_hash32(v, h));
	json_decref(v);
}

static void
test_units(void **state)
{
	gw_units    u;
	json_t     *v;
	const char *bad[] = { "{}", "[]", "{\"a\":0}", "{\"a\":100001}",
		"{\"a\":1.5}", "{\"a\":\"1\"}", "{\"a\":true}", "{\"A\":1}",
		"{\"\":1}", "{\"a b\":1}",
		"{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":1}" /* 33 */ };
	char        many[1024];
	size_t      n = 0;

	(void) state;
	v = J("{\"stoneshield\":5,\"iron_guard-2\":100000}");
	assert_null(gw_parse_units(v, &u));
	assert_int_equal(u.n, 2);
	assert_string_equal(u.type[0], "stoneshield");
	assert_int_equal(u.count[0], 5);
	assert_int_equal(u.count[1], 100000);
	json_decref(v);
	v = J("{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":1}"); /* 32 */
	assert_null(gw_parse_units(v, &u));
	json_decref(v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = J(bad[i]);
		assert_non_null(gw_parse_units(v, &u));
		json_decref(v);
	}
	/* 24 types are fine, 25 are not. */
	n += (size_t) snprintf(many + n, sizeof(many) - n, "{");
	for (int i = 0; i < 25; i++) {
		n += (size_t) snprintf(many + n, sizeof(many) - n,
		    "%s\"u%d\":1", i ? "," : "", i);
		if (i == 23) {
			v = json_loadb(many, n, 0, NULL);
			assert_null(v); /* not closed yet */
		}
	}
	snprintf(many + n, sizeof(many) - n, "}");
	v = J(many);
	assert_non_null(gw_parse_units(v, &u));
	json_object_del(v, "u24");
	assert_null(gw_parse_units(v, &u));
	assert_int_equal(u.n, 24);
	json_decref(v);
}

static void
test_name(void **state)
{
	const char *good[] = { "\"abc\"", "\"Iron Pact\"",
		"\"\xc3\x89l\xc3\xa9\"", /* 3 characters, 5 bytes */
		"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"" };
	const char *l33    = "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"";
	const char *bad[]  = { "\"ab\"", "\" abc\"", "\"abc \"",
		 "\"ab\\u0000c\"", "\"ab\\nc\"", "\"ab\\u0085c\"",
		 "\"\\u3000abc\"", l33, "3", "null" };

	(void) state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		json_t *v = J(good[i]);

		assert_true(gw_parse_name(v, 3, 32));
		json_decref(v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *v = J(bad[i]);

		assert_false(gw_parse_name(v, 3, 32));
		json_decref(v);
	}
}

static void
test_query(void **state)
{
	long v = -1;

	(void) state;
	assert_true(gw_parse_query_long(NULL, 0, 50, 1, 100, &v));
	assert_int_equal(v, 50);
	assert_true(gw_parse_query_long("100", 1, 50, 1, 100, &v));
	assert_int_equal(v, 100);
	assert_false(gw_parse_query_long("101", 1, 50, 1, 100, &v));
	assert_false(gw_parse_query_long("0", 1, 50, 1, 100, &v));
	assert_false(gw_parse_query_long("", 1, 50, 1, 100, &v));
	assert_false(gw_parse_query_long("5x", 1, 50, 1, 100, &v));
	assert_false(gw_parse_query_long("05", 1, 50, 1, 100, &v));
	assert_false(gw_parse_query_long("5", 2, 50, 1, 100, &v));
	assert_false(gw_parse_query_long(NULL, 2, 50, 1, 100, &v));
	assert_true(gw_parse_ident("fireball", 32));
	assert_false(gw_parse_ident("Fireball", 32));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_coord),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_query),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
