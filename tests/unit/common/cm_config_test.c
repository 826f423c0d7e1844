/* cm_config_test.c: strict integers, environment defaults, secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cm_config.h"
#include "cm_log.h"

static void
test_parse_long(void **state)
{
	long v = 7;

	(void) state;
	assert_int_equal(cm_parse_long("0", 1, 0, 10, &v), CM_OK);
	assert_int_equal(v, 0);
	assert_int_equal(cm_parse_long("-12", 3, -20, 0, &v), CM_OK);
	assert_int_equal(v, -12);
	assert_int_equal(cm_parse_long("99", 2, 0, 100, &v), CM_OK);
	v = 7;
	assert_int_equal(cm_parse_long("", 0, 0, 10, &v), CM_EINVAL);
	assert_int_equal(cm_parse_long("-", 1, -10, 10, &v), CM_EINVAL);
	assert_int_equal(cm_parse_long("+1", 2, 0, 10, &v), CM_EINVAL);
	assert_int_equal(cm_parse_long("01", 2, 0, 10, &v), CM_EINVAL);
	assert_int_equal(cm_parse_long("-0", 2, -10, 10, &v), CM_EINVAL);
	assert_int_equal(cm_parse_long(" 1", 2, 0, 10, &v), CM_EINVAL);
	assert_int_equal(cm_parse_long("1.5", 3, 0, 10, &v), CM_EINVAL);
	assert_int_equal(cm_parse_long("0x10", 4, 0, 100, &v), CM_EINVAL);
	assert_int_equal(cm_parse_long("11", 2, 0, 10, &v), CM_ERANGE);
	assert_int_equal(cm_parse_long("9999999999999999999", 19, 0,
	                     100, &v), CM_EINVAL);
	assert_int_equal(v, 7); /* untouched on failure */
	/* Only len bytes count: "12" of "123". */
	assert_int_equal(cm_parse_long("123", 2, 0, 100, &v), CM_OK);
	assert_int_equal(v, 12);
}

static void
test_env(void **state)
{
	long v = 0;

	(void) state;
	unsetenv("CM_TEST_N");
	assert_int_equal(cm_env_long("CM_TEST_N", 42, 0, 100, &v), CM_OK);
	assert_int_equal(v, 42);
	setenv("CM_TEST_N", "17", 1);
	assert_int_equal(cm_env_long("CM_TEST_N", 42, 0, 100, &v), CM_OK);
	assert_int_equal(v, 17);
	setenv("CM_TEST_N", "170", 1);
	assert_int_equal(cm_env_long("CM_TEST_N", 42, 0, 100, &v),
	    CM_ECONFIG);
	setenv("CM_TEST_N", "abc", 1);
	assert_int_equal(cm_env_long("CM_TEST_N", 42, 0, 100, &v),
	    CM_ECONFIG);
	assert_int_equal(v, 17);
	unsetenv("CM_TEST_S");
	assert_string_equal(cm_env_str("CM_TEST_S", "dflt"), "dflt");
	setenv("CM_TEST_S", "", 1);
	assert_string_equal(cm_env_str("CM_TEST_S", "dflt"), "dflt");
	setenv("CM_TEST_S", "set", 1);
	assert_string_equal(cm_env_str("CM_TEST_S", "dflt"), "set");
	unsetenv("CM_TEST_N");
	unsetenv("CM_TEST_S");
}

static void
test_secret(void **state)
{
	char  path[] = "/tmp/cm_config_testXXXXXX";
	int   fd     = mkstemp(path);
	char *s      = NULL;

	(void) state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "k1:abcd\n", 8), 8);
	close(fd);
	unsetenv("CM_TEST_KEY");
	unsetenv("CM_TEST_KEY_FILE");
	assert_int_equal(cm_read_secret("CM_TEST_KEY", &s), CM_ENOENT);
	setenv("CM_TEST_KEY", "k2:ffff", 1);
	assert_int_equal(cm_read_secret("CM_TEST_KEY", &s), CM_OK);
	assert_string_equal(s, "k2:ffff");
	free(s);
	/* The file wins over the variable, and loses its newline. */
	setenv("CM_TEST_KEY_FILE", path, 1);
	assert_int_equal(cm_read_secret("CM_TEST_KEY", &s), CM_OK);
	assert_string_equal(s, "k1:abcd");
	free(s);
	unlink(path);
	assert_int_equal(cm_read_secret("CM_TEST_KEY", &s), CM_ECONFIG);
	unsetenv("CM_TEST_KEY");
	unsetenv("CM_TEST_KEY_FILE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_secret),
	};

	cm_log_init("test", -1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
