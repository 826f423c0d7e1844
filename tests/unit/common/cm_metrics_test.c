/*
 * cm_metrics_test.c: the exposition text of counters, gauges and
 * histograms, label escaping, the series cap, concurrent updates.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cm_metrics.h"

/* render returns the exposition text (checking its length). */
static char *
render(cm_metrics *r)
{
	size_t len;
	char  *s = cm_metrics_render(r, &len);

	assert_int_equal(strlen(s), len);
	return (s);
}

/* after_process skips the process gauges every registry starts with. */
static const char *
after_process(const char *s)
{
	const char *p = strstr(s, "# TYPE process_start_time_seconds gauge\n");

	assert_non_null(p);
	return (p + strlen("# TYPE process_start_time_seconds gauge\n"));
}

static void
test_counter_gauge_text(void **state)
{
	cm_metrics *r = cm_metrics_new();
	cm_metric  *c = cm_metrics_counter(r, "nd_errors_total",
            "Errors by code", "code,route");
	cm_metric  *g = cm_metrics_gauge(r, "nd_up", "Up", NULL);
	char       *s;

	(void) state;
	cm_metric_inc(c, "ARMY_NOT_FOUND,/army", 1);
	cm_metric_inc(c, "ARMY_NOT_FOUND,/army", 2);
	cm_metric_inc(c, "NOT_OWNER,/army", 1);
	cm_metric_set(g, NULL, 0.5);
	s = render(r);
	assert_string_equal(after_process(s),
	    "# HELP nd_errors_total Errors by code\n"
	    "# TYPE nd_errors_total counter\n"
	    "nd_errors_total{code=\"ARMY_NOT_FOUND\",route=\"/army\"} 3\n"
	    "nd_errors_total{code=\"NOT_OWNER\",route=\"/army\"} 1\n"
	    "# HELP nd_up Up\n"
	    "# TYPE nd_up gauge\n"
	    "nd_up 0.5\n");
	free(s);
	cm_metrics_free(r);
}

static void
test_histogram_text(void **state)
{
	cm_metrics  *r = cm_metrics_new();
	const double b[] = { 0.1, 1 };
	cm_metric   *h = cm_metrics_histogram(r, "lat", "Latency", "route",
            b, 2);
	char        *s;

	(void) state;
	cm_metric_observe(h, "/x", 0.05);
	cm_metric_observe(h, "/x", 0.5);
	cm_metric_observe(h, "/x", 0.5);
	cm_metric_observe(h, "/x", 3);
	s = render(r);
	assert_string_equal(after_process(s),
	    "# HELP lat Latency\n"
	    "# TYPE lat histogram\n"
	    "lat_bucket{route=\"/x\",le=\"0.1\"} 1\n"
	    "lat_bucket{route=\"/x\",le=\"1\"} 3\n"
	    "lat_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
	    "lat_sum{route=\"/x\"} 4.0499999999999998\n"
	    "lat_count{route=\"/x\"} 4\n");
	free(s);
	cm_metrics_free(r);
}

static void
test_escaping_and_cap(void **state)
{
	cm_metrics *r = cm_metrics_new();
	cm_metric  *c = cm_metrics_counter(r, "c", "C", "v");
	char       *s;
	char        v[32];

	(void) state;
	cm_metric_inc(c, "a\"b\\c\nd", 1);
	s = render(r);
	assert_non_null(strstr(s, "c{v=\"a\\\"b\\\\c\\nd\"} 1\n"));
	free(s);
	for (int i = 0; i < CM_METRICS_MAX_SERIES + 10; i++) {
		snprintf(v, sizeof(v), "v%d", i);
		cm_metric_inc(c, v, 1);
	}
	s = render(r);
	/* The first 1023 new values got series, the other 11 went to one. */
	assert_non_null(strstr(s, "c{v=\"other\"} 11\n"));
	assert_null(strstr(s, "v1030"));
	free(s);
	cm_metrics_free(r);
}

static void *
bump(void *arg)
{
	for (int i = 0; i < 10000; i++) {
		cm_metric_inc(arg, "x", 1);
	}
	return (NULL);
}

static void
test_concurrent_increments(void **state)
{
	cm_metrics *r = cm_metrics_new();
	cm_metric  *c = cm_metrics_counter(r, "c", "C", "k");
	pthread_t   t[4];
	char       *s;

	(void) state;
	for (int i = 0; i < 4; i++) {
		pthread_create(&t[i], NULL, bump, c);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
	}
	s = render(r);
	assert_non_null(strstr(s, "c{k=\"x\"} 40000\n"));
	free(s);
	cm_metrics_free(r);
}

static void
test_process_gauges(void **state)
{
	cm_metrics *r = cm_metrics_new();
	char       *s;

	(void) state;
	cm_metrics_process(r);
	s = render(r);
	assert_non_null(strstr(s, "# TYPE process_resident_memory_bytes "
	                          "gauge\n"));
	assert_null(strstr(s, "process_resident_memory_bytes 0\n"));
	assert_non_null(strstr(s, "process_cpu_seconds_total "));
	free(s);
	cm_metrics_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counter_gauge_text),
		cmocka_unit_test(test_histogram_text),
		cmocka_unit_test(test_escaping_and_cap),
		cmocka_unit_test(test_concurrent_increments),
		cmocka_unit_test(test_process_gauges),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
