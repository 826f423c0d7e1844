/*
 * cm_redis_test.c: address checks, and a dead server reported as
 * CM_EREDIS on every call (the handle reconnects on demand).  Commands
 * against a real Redis are covered by the integration tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cm_log.h"
#include "cm_redis.h"

static void
test_redis(void **state)
{
	cm_redis   *r = NULL;
	const char *argv[] = { "PING" };
	redisReply *rep    = NULL;

	(void) state;
	assert_int_equal(cm_redis_new("nonsense", 100, &r), CM_EINVAL);
	assert_null(r);
	assert_int_equal(cm_redis_new("127.0.0.1:1", 200, &r), CM_OK);
	assert_int_equal(cm_redis_ping(r), CM_EREDIS);
	assert_int_equal(cm_redis_command(r, 1, argv, NULL, &rep), CM_EREDIS);
	assert_null(rep);
	assert_int_equal(cm_redis_ping(r), CM_EREDIS);
	cm_redis_free(r);
	cm_redis_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redis),
	};

	cm_log_init("test", -1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
