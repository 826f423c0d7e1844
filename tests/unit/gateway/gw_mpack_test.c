/* gw_mpack_test.c: strict reads of msgpack maps. */
#include <msgpack.h>

#include "gateway/gw_fake.h"

static msgpack_sbuffer sb;
static msgpack_packer  pk;

static void
start(size_t n)
{
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, n);
}

static void
key(const char *k)
{
	msgpack_pack_str_with_body(&pk, k, strlen(k));
}

static void
test_int(void **state)
{
	int64_t v = 0;

	(void) state;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	start(1), key("n"), msgpack_pack_int64(&pk, -5);
	assert_int_equal(gw_mpack_int(sb.data, sb.size, "n", &v), CM_OK);
	assert_int_equal(v, -5);
	start(1), key("n"), msgpack_pack_uint64(&pk, UINT64_MAX);
	assert_int_equal(gw_mpack_int(sb.data, sb.size, "n", &v), CM_EINVAL);
	start(1), key("n"), msgpack_pack_uint64(&pk, INT64_MAX);
	assert_int_equal(gw_mpack_int(sb.data, sb.size, "n", &v), CM_OK);
	start(1), key("n"), msgpack_pack_nil(&pk);
	assert_int_equal(gw_mpack_int(sb.data, sb.size, "n", &v), CM_ENOENT);
	start(0);
	assert_int_equal(gw_mpack_int(sb.data, sb.size, "n", &v), CM_ENOENT);
	start(1), key("nn"), msgpack_pack_int(&pk, 1);
	assert_int_equal(gw_mpack_int(sb.data, sb.size, "n", &v), CM_ENOENT);
	/* A truncated map. */
	start(2), key("n"), msgpack_pack_int(&pk, 1);
	assert_int_equal(gw_mpack_int(sb.data, sb.size, "n", &v), CM_EINVAL);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_str(void **state)
{
	char out[8];

	(void) state;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	start(1), key("s"), msgpack_pack_str_with_body(&pk, "abcdefg", 7);
	assert_int_equal(gw_mpack_str(sb.data, sb.size, "s", out, 8), CM_OK);
	assert_string_equal(out, "abcdefg");
	assert_int_equal(gw_mpack_str(sb.data, sb.size, "s", out, 7),
	    CM_EINVAL);
	start(1), key("s"), msgpack_pack_str_with_body(&pk, "a\0b", 3);
	assert_int_equal(gw_mpack_str(sb.data, sb.size, "s", out, 8),
	    CM_EINVAL);
	start(1), key("s"), msgpack_pack_bin_with_body(&pk, "ab", 2);
	assert_int_equal(gw_mpack_str(sb.data, sb.size, "s", out, 8),
	    CM_EINVAL);
	start(1), key("s"), msgpack_pack_nil(&pk);
	assert_int_equal(gw_mpack_str(sb.data, sb.size, "s", out, 8),
	    CM_ENOENT);
	msgpack_sbuffer_destroy(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_str),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
