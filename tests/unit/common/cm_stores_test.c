/*
 * cm_stores_test.c: with nothing listening, a check reports both stores
 * down (quickly, and in the gauge), and readiness says why.  Reaching real
 * servers is what every integration run's readiness wait exercises.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cm_log.h"
#include "cm_stores.h"

static void
test_stores_down(void **state)
{
	cm_metrics *m = cm_metrics_new();
	cm_stores   s;
	char        why[64] = "";
	char       *text;
	size_t      len;
	time_t      t0 = time(NULL);

	(void) state;
	assert_int_equal(cm_stores_init(&s, "postgresql://nd@127.0.0.1:1/nd",
	                     "bad address", m), CM_EINVAL);
	assert_int_equal(cm_stores_init(&s, "postgresql://nd@127.0.0.1:1/nd",
	                     "127.0.0.1:1", m), CM_OK);
	assert_int_equal(cm_stores_ready(&s, why, sizeof(why)), 0);
	cm_stores_check(&s);
	assert_true(time(NULL) - t0 <= 4);
	assert_null(s.pg);
	assert_int_equal(cm_stores_ready(&s, why, sizeof(why)), 0);
	assert_string_equal(why, "postgres unreachable");
	text = cm_metrics_render(m, &len);
	assert_non_null(strstr(text,
	    "nd_dependency_up{dependency=\"postgres\"} 0\n"));
	assert_non_null(strstr(text,
	    "nd_dependency_up{dependency=\"redis\"} 0\n"));
	free(text);
	cm_stores_fini(&s);
	cm_metrics_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stores_down),
	};

	cm_log_init("test", -1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
