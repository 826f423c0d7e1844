/*
 * gw_route_test.c: route matching: exact paths, parameters, 405 for a known
 * path with another method, 404 for the rest (trailing slashes, extra or
 * missing segments, prefixes), and over-long parameters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../gateway/gw_route.c"

/* The handlers themselves live in other files; matching never calls them. */
void gw_ops_probe(gw_req *r) { (void) r; }
void gw_auth_challenge(gw_req *r) { (void) r; }
void gw_auth_verify(gw_req *r) { (void) r; }
void gw_game_generation(gw_req *r) { (void) r; }
void gw_game_territory(gw_req *r) { (void) r; }

static int
match(const char *url, const char *method, const gw_route **rt,
    char p[][64])
{
	return (gw_route_match(url, method, rt, p, 4));
}

static void
test_matches(void **state)
{
	const gw_route *rt = NULL;
	char            p[4][64];

	(void) state;
	assert_int_equal(match("/territory/10/20", "GET", &rt, p), GW_ROUTE_OK);
	assert_ptr_equal(rt->fn, gw_game_territory);
	assert_int_equal(rt->auth, 1);
	assert_string_equal(p[0], "10");
	assert_string_equal(p[1], "20");
	assert_int_equal(match("/auth/challenge", "POST", &rt, p), GW_ROUTE_OK);
	assert_ptr_equal(rt->fn, gw_auth_challenge);
	assert_int_equal(rt->auth, 0);
	assert_int_equal(match("/game/generation", "GET", &rt, p),
	    GW_ROUTE_OK);
	assert_int_equal(match("/healthz", "GET", &rt, p), GW_ROUTE_OK);
	/* Parameters are raw segments; the handler checks them. */
	assert_int_equal(match("/territory/abc/-1", "GET", &rt, p),
	    GW_ROUTE_OK);
	assert_string_equal(p[0], "abc");
}

static void
test_refusals(void **state)
{
	const gw_route *rt = NULL;
	char            p[4][64];
	char            url[256];

	(void) state;
	assert_int_equal(match("/auth/challenge", "GET", &rt, p),
	    GW_ROUTE_BAD_METHOD);
	assert_string_equal(rt->method, "POST");
	assert_int_equal(match("/territory/1/2", "POST", &rt, p),
	    GW_ROUTE_BAD_METHOD);
	assert_int_equal(match("/territory/1", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/territory/1/2/3", "GET", &rt, p),
	    GW_ROUTE_NONE);
	assert_int_equal(match("/territory//2", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/healthz/", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/health", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/healthzz", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("healthz", "GET", &rt, p), GW_ROUTE_NONE);
	/* A parameter too long to hold is replaced by "!" (refused later). */
	memset(url, 0, sizeof(url));
	memcpy(url, "/territory/", 11);
	memset(url + 11, '1', 100);
	memcpy(url + 111, "/2", 2);
	assert_int_equal(match(url, "GET", &rt, p), GW_ROUTE_OK);
	assert_string_equal(p[0], "!");
	assert_string_equal(p[1], "2");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_refusals),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
