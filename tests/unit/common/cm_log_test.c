/*
 * cm_log_test.c: every line is one JSON object with ts, level, proc,
 * shard and msg first, the caller's fields escaped, and the level filter.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cm_log.h"

/* capture runs fn with stdout sent to a file and returns what it wrote. */
static char *
capture(void (*fn)(void))
{
	char  path[] = "/tmp/cm_log_testXXXXXX";
	int   fd     = mkstemp(path);
	int   saved  = dup(STDOUT_FILENO);
	FILE *f;
	char *buf = calloc(1, 65536);

	fflush(stdout);
	dup2(fd, STDOUT_FILENO);
	fn();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	if (fread(buf, 1, 65535, f) == 0) {
		buf[0] = '\0';
	}
	fclose(f);
	unlink(path);
	return (buf);
}

static void
write_lines(void)
{
	cm_log_init("shard", 3);
	cm_log_info("hello", "{s:s,s:i}", "addr", "a\"b\n", "port", 80);
	cm_log_debug("hidden", NULL);
	cm_log_error("plain", NULL);
}

static void
test_lines(void **state)
{
	char        *out = capture(write_lines);
	char        *nl  = strchr(out, '\n');
	json_t      *a, *b;
	json_error_t err;

	(void) state;
	assert_non_null(nl);
	a = json_loadb(out, (size_t) (nl - out), 0, &err);
	b = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, &err);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(json_string_value(json_object_get(a, "level")),
	    "info");
	assert_string_equal(json_string_value(json_object_get(a, "proc")),
	    "shard");
	assert_int_equal(json_integer_value(json_object_get(a, "shard")), 3);
	assert_string_equal(json_string_value(json_object_get(a, "msg")),
	    "hello");
	assert_string_equal(json_string_value(json_object_get(a, "addr")),
	    "a\"b\n");
	assert_int_equal(json_integer_value(json_object_get(a, "port")), 80);
	assert_int_equal(
	    strlen(json_string_value(json_object_get(a, "ts"))), 24);
	/* debug is below the default level: the second line is the error. */
	assert_string_equal(json_string_value(json_object_get(b, "msg")),
	    "plain");
	assert_null(strstr(out, "hidden"));
	/* Exactly two lines. */
	assert_null(strchr(strchr(nl + 1, '\n') + 1, '\n'));
	json_decref(a);
	json_decref(b);
	free(out);
}

static void
write_bad_format(void)
{
	cm_log_init("gateway", -1);
	cm_log_warn("oops", "{s:s", "k", "v");
}

static void
test_bad_format_still_logs(void **state)
{
	char   *out = capture(write_bad_format);
	json_t *a   = json_loads(out, JSON_DISABLE_EOF_CHECK, NULL);

	(void) state;
	assert_non_null(a);
	assert_null(json_object_get(a, "shard"));
	assert_non_null(json_object_get(a, "log_error"));
	json_decref(a);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_bad_format_still_logs),
	};

	unsetenv("LOG_LEVEL");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
