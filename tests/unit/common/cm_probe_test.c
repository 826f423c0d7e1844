/*
 * cm_probe_test.c: the probe endpoint over a real socket: /healthz,
 * /readyz (ready and not ready, with the reason), /metrics, 404 otherwise.
 */
#include <curl/curl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cm_probe.h"
#include "curl_body.h"

static long
get(int port, const char *path, curl_body *g)
{
	CURL *c = curl_easy_init();
	char  url[128];
	long  code = 0;

	curl_body_reset(g);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 3000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, curl_body_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, g);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	return (code);
}

static int ready_flag;

static int
ready(void *arg, char *why, size_t cap)
{
	(void) arg;
	if (!ready_flag) {
		snprintf(why, cap, "postgres unreachable");
	}
	return (ready_flag);
}

static void
test_probe_paths(void **state)
{
	cm_metrics *m = cm_metrics_new();
	cm_metric  *c = cm_metrics_counter(m, "nd_test_total", "T", NULL);
	cm_probe   *p = NULL;
	curl_body   g;
	char        addr[32];
	int         port = 0;

	(void) state;
	cm_metric_inc(c, NULL, 5);
	/* Find a free port: try a few in a range unlikely to be used. */
	for (int i = 0; i < 50 && p == NULL; i++) {
		port = 41000 + (getpid() + i * 37) % 20000;
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
		if (cm_probe_start(addr, m, ready, NULL, &p) != CM_OK) {
			p = NULL;
		}
	}
	assert_non_null(p);
	assert_int_equal(get(port, "/healthz", &g), 200);
	assert_string_equal(g.data, "{\"status\":\"ok\"}");
	ready_flag = 1;
	assert_int_equal(get(port, "/readyz", &g), 200);
	assert_string_equal(g.data, "{\"status\":\"ready\"}");
	ready_flag = 0;
	assert_int_equal(get(port, "/readyz", &g), 503);
	assert_string_equal(g.data, "{\"status\":\"not_ready\",\"reason\":"
	                            "\"postgres unreachable\"}");
	assert_int_equal(get(port, "/metrics", &g), 200);
	assert_non_null(strstr(g.data, "nd_test_total 5\n"));
	assert_non_null(strstr(g.data, "process_resident_memory_bytes "));
	assert_int_equal(get(port, "/nope", &g), 404);
	assert_non_null(strstr(g.data, "\"code\":\"NOT_FOUND\""));
	cm_probe_stop(p);
	cm_metrics_free(m);
}

static void
test_probe_bad_address(void **state)
{
	cm_probe *p = NULL;

	(void) state;
	assert_int_equal(cm_probe_start("nonsense", NULL, NULL, NULL, &p),
	    CM_EINVAL);
	assert_int_equal(cm_probe_start("no.such.host:80", NULL, NULL, NULL,
	                     &p), CM_EINVAL);
	assert_null(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_paths),
		cmocka_unit_test(test_probe_bad_address),
	};
	int rv;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rv = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return (rv);
}
