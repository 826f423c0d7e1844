/*
 * cm_metrics_test.c: the exact exposition text of counters, gauges and
 * histograms, number formatting, label and help escaping, label-value
 * normalisation, the series cap, concurrent updates, process metrics.
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cm_metrics.h"

/* render returns the exposition text, checking its length. */
static char *
render(cm_metrics *r)
{
	size_t len = 0;
	char  *s   = cm_metrics_render(r, &len);

	assert_non_null(s);
	assert_int_equal(strlen(s), len);
	return (s);
}

/* expect renders r and compares it with want. */
static void
expect(cm_metrics *r, const char *want)
{
	char *s = render(r);

	assert_string_equal(s, want);
	free(s);
}

static void
test_empty(void **state)
{
	cm_metrics *r = cm_metrics_new();

	(void) state;
	expect(r, "");
	cm_metrics_free(r);
	cm_metrics_free(NULL);
}

static void
test_counter_gauge_text(void **state)
{
	cm_metrics *r = cm_metrics_new();
	cm_metric  *c, *g;

	(void) state;
	c = cm_metrics_counter(
	    r, "nd_errors_total", "Errors by code", "code,route");
	g = cm_metrics_gauge(r, "nd_up", "Up", NULL);
	cm_metrics_counter(r, "nd_zero_total", "Zero", NULL);
	/* Labelled metrics have no series yet; unlabelled ones sit at 0. */
	expect(r,
	    "# HELP nd_errors_total Errors by code\n"
	    "# TYPE nd_errors_total counter\n"
	    "# HELP nd_up Up\n"
	    "# TYPE nd_up gauge\n"
	    "nd_up 0\n"
	    "# HELP nd_zero_total Zero\n"
	    "# TYPE nd_zero_total counter\n"
	    "nd_zero_total 0\n");
	cm_metric_inc(c, "NOT_OWNER,/army", 1);
	cm_metric_inc(c, "ARMY_NOT_FOUND,/territory", 1);
	cm_metric_inc(c, "ARMY_NOT_FOUND,/territory", 2);
	cm_metric_inc(c, "NOT_OWNER,/army", 0.25);
	cm_metric_set(g, NULL, 0.5);
	cm_metric_inc(g, NULL, -2);
	expect(r,
	    "# HELP nd_errors_total Errors by code\n"
	    "# TYPE nd_errors_total counter\n"
	    "nd_errors_total{code=\"NOT_OWNER\",route=\"/army\"} 1.25\n"
	    "nd_errors_total{code=\"ARMY_NOT_FOUND\",route=\"/territory\"} "
	    "3\n"
	    "# HELP nd_up Up\n"
	    "# TYPE nd_up gauge\n"
	    "nd_up -1.5\n"
	    "# HELP nd_zero_total Zero\n"
	    "# TYPE nd_zero_total counter\n"
	    "nd_zero_total 0\n");
	cm_metrics_free(r);
}

static void
test_numbers(void **state)
{
	cm_metrics *r = cm_metrics_new();
	cm_metric  *g = cm_metrics_gauge(r, "g", "G", "k");

	(void) state;
	cm_metric_set(g, "int", 1e15);
	cm_metric_set(g, "big", 1e300);
	cm_metric_set(g, "tenth", 0.1);
	cm_metric_set(g, "third", 1.0 / 3);
	cm_metric_set(g, "pinf", INFINITY);
	cm_metric_set(g, "ninf", -INFINITY);
	cm_metric_set(g, "nan", NAN);
	cm_metric_set(g, "neg", -7);
	expect(r,
	    "# HELP g G\n"
	    "# TYPE g gauge\n"
	    "g{k=\"int\"} 1000000000000000\n"
	    "g{k=\"big\"} 1e+300\n"
	    "g{k=\"tenth\"} 0.1\n"
	    "g{k=\"third\"} 0.3333333333333333\n"
	    "g{k=\"pinf\"} +Inf\n"
	    "g{k=\"ninf\"} -Inf\n"
	    "g{k=\"nan\"} NaN\n"
	    "g{k=\"neg\"} -7\n");
	cm_metrics_free(r);
}

static void
test_histogram_text(void **state)
{
	cm_metrics  *r   = cm_metrics_new();
	const double b[] = { 0.1, 1, 2.5 };
	cm_metric   *h, *u;

	(void) state;
	h = cm_metrics_histogram(
	    r, "nd_lat_seconds", "Latency", "route", b, 3);
	u = cm_metrics_histogram(r, "u", "U", NULL, b, 1);
	cm_metric_observe(h, "/x", 0.0625);
	cm_metric_observe(h, "/x", 0.5);
	cm_metric_observe(h, "/x", 1); // a bound is inclusive
	cm_metric_observe(h, "/x", 3);
	cm_metric_observe(h, "/y", 0.5);
	cm_metric_observe(u, NULL, 7);
	expect(r,
	    "# HELP nd_lat_seconds Latency\n"
	    "# TYPE nd_lat_seconds histogram\n"
	    "nd_lat_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"
	    "nd_lat_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
	    "nd_lat_seconds_bucket{route=\"/x\",le=\"2.5\"} 3\n"
	    "nd_lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
	    "nd_lat_seconds_sum{route=\"/x\"} 4.5625\n"
	    "nd_lat_seconds_count{route=\"/x\"} 4\n"
	    "nd_lat_seconds_bucket{route=\"/y\",le=\"0.1\"} 0\n"
	    "nd_lat_seconds_bucket{route=\"/y\",le=\"1\"} 1\n"
	    "nd_lat_seconds_bucket{route=\"/y\",le=\"2.5\"} 1\n"
	    "nd_lat_seconds_bucket{route=\"/y\",le=\"+Inf\"} 1\n"
	    "nd_lat_seconds_sum{route=\"/y\"} 0.5\n"
	    "nd_lat_seconds_count{route=\"/y\"} 1\n"
	    "# HELP u U\n"
	    "# TYPE u histogram\n"
	    "u_bucket{le=\"0.1\"} 0\n"
	    "u_bucket{le=\"+Inf\"} 1\n"
	    "u_sum 7\n"
	    "u_count 1\n");
	cm_metrics_free(r);
}

static void
test_escaping_and_normalising(void **state)
{
	cm_metrics *r = cm_metrics_new();
	cm_metric  *c;

	(void) state;
	c = cm_metrics_counter(
	    r, "c_total", "Help with \\ and\nnewline \"quoted\"", "a,b");
	cm_metric_inc(c, "q\"u\\o\nte,plain", 1);
	cm_metric_inc(c, "only", 1);      // b is empty
	cm_metric_inc(c, "x,y,extra", 1); // extra is dropped...
	cm_metric_inc(c, "x,y", 1);       // ...so this is the same series
	cm_metric_inc(c, NULL, 1);        // both empty
	expect(r,
	    "# HELP c_total Help with \\\\ and\\nnewline \"quoted\"\n"
	    "# TYPE c_total counter\n"
	    "c_total{a=\"q\\\"u\\\\o\\nte\",b=\"plain\"} 1\n"
	    "c_total{a=\"only\",b=\"\"} 1\n"
	    "c_total{a=\"x\",b=\"y\"} 2\n"
	    "c_total{a=\"\",b=\"\"} 1\n");
	cm_metrics_free(r);
}

static void
test_series_cap(void **state)
{
	cm_metrics *r = cm_metrics_new();
	cm_metric  *c = cm_metrics_counter(r, "c_total", "C", "k,v");
	char        v[32], *s, *p;
	int         lines = 0;

	(void) state;
	for (int i = 0; i < CM_METRICS_MAX_SERIES + 10; i++) {
		snprintf(v, sizeof(v), "k,v%d", i);
		cm_metric_inc(c, v, 1);
	}
	cm_metric_inc(c, "k,v0", 1); // an existing series still counts
	cm_metric_inc(c, "k,v1023", 5);
	s = render(r);
	for (p = s; (p = strstr(p, "\nc_total{")) != NULL; p++) {
		lines++;
	}
	assert_int_equal(lines, CM_METRICS_MAX_SERIES + 1);
	assert_non_null(strstr(s, "c_total{k=\"k\",v=\"v0\"} 2\n"));
	assert_non_null(strstr(s, "c_total{k=\"k\",v=\"v1023\"} 6\n"));
	assert_null(strstr(s, "v1024"));
	/* The last line: 10 values past the cap went to "other". */
	assert_non_null(strstr(s, "c_total{k=\"other\",v=\"other\"} 10\n"));
	assert_int_equal(
	    strcmp(s + strlen(s) - strlen("other\"} 10\n"), "other\"} 10\n"),
	    0);
	free(s);
	cm_metrics_free(r);
}

typedef struct worker {
	cm_metric *c, *h;
	int        id;
} worker;

#define BUMPS 20000

static void *
bump(void *arg)
{
	worker *w = arg;
	char    mine[16];

	snprintf(mine, sizeof(mine), "t%d", w->id);
	for (int i = 0; i < BUMPS; i++) {
		cm_metric_inc(w->c, "shared", 1);
		cm_metric_inc(w->c, mine, 0.5);
		cm_metric_observe(w->h, NULL, 1);
	}
	return (NULL);
}

static void
test_concurrent_increments(void **state)
{
	cm_metrics  *r   = cm_metrics_new();
	const double b[] = { 1 };
	worker       w[4];
	pthread_t    t[4];
	char        *s, want[64];

	(void) state;
	w[0].c = cm_metrics_counter(r, "c", "C", "k");
	w[0].h = cm_metrics_histogram(r, "h", "H", NULL, b, 1);
	for (int i = 0; i < 4; i++) {
		w[i].c  = w[0].c;
		w[i].h  = w[0].h;
		w[i].id = i;
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_create(&t[i], NULL, bump, &w[i]), 0);
	}
	/* Render and register while the workers run. */
	for (int i = 0; i < 20; i++) {
		char name[16];

		snprintf(name, sizeof(name), "late%d", i);
		cm_metrics_gauge(r, name, "L", NULL);
		free(render(r));
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
	}
	s = render(r);
	snprintf(want, sizeof(want), "c{k=\"shared\"} %d\n", 4 * BUMPS);
	assert_non_null(strstr(s, want));
	for (int i = 0; i < 4; i++) {
		snprintf(
		    want, sizeof(want), "c{k=\"t%d\"} %d\n", i, BUMPS / 2);
		assert_non_null(strstr(s, want));
	}
	snprintf(want, sizeof(want), "h_bucket{le=\"1\"} %d\n", 4 * BUMPS);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof(want), "h_count %d\n", 4 * BUMPS);
	assert_non_null(strstr(s, want));
	free(s);
	cm_metrics_free(r);
}

/* value_of returns the number after "name " at the start of a line. */
static double
value_of(const char *s, const char *name)
{
	char        key[128];
	const char *p;

	snprintf(key, sizeof(key), "\n%s ", name);
	p = strstr(s, key);
	assert_non_null(p);
	return (strtod(p + strlen(key), NULL));
}

static void
test_process_metrics(void **state)
{
	cm_metrics *r   = cm_metrics_new();
	double      now = (double) time(NULL), start;
	char       *s;

	(void) state;
	expect(r, ""); // nothing until the first cm_metrics_process
	cm_metrics_process(r);
	cm_metrics_process(r); // registers once
	s = render(r);
	assert_non_null(
	    strstr(s, "# TYPE process_resident_memory_bytes gauge\n"));
	assert_non_null(
	    strstr(s, "# TYPE process_cpu_seconds_total counter\n"));
	assert_non_null(
	    strstr(s, "# TYPE process_start_time_seconds gauge\n"));
	assert_true(value_of(s, "process_resident_memory_bytes") > 4096);
	assert_true(value_of(s, "process_cpu_seconds_total") >= 0);
	start = value_of(s, "process_start_time_seconds");
	/* Boot time drifts from the wall clock: allow a minute either way. */
	assert_true(start > now - 3600 && start <= now + 60);
	free(s);
	cm_metrics_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_counter_gauge_text),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_histogram_text),
		cmocka_unit_test(test_escaping_and_normalising),
		cmocka_unit_test(test_series_cap),
		cmocka_unit_test(test_concurrent_increments),
		cmocka_unit_test(test_process_metrics),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
