/*
 * gw_route_test.c: route matching: exact paths, parameters, 405 for a known
 * path with another method, 404 for the rest (trailing slashes, extra or
 * missing segments, prefixes), over-long parameters, and every game route
 * with its handler, its parameters and its need of a token.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../gateway/gw_route.c"
#include "cm_rules.h"

/* The handlers themselves live in other files; matching never calls them. */
void gw_ops_probe(gw_req *r) { (void) r; }
void gw_auth_challenge(gw_req *r) { (void) r; }
void gw_auth_verify(gw_req *r) { (void) r; }
void gw_game_generation(gw_req *r) { (void) r; }
void gw_game_territory(gw_req *r) { (void) r; }
void gw_game_build(gw_req *r) { (void) r; }
void gw_map_get(gw_req *r) { (void) r; }
void gw_leaderboard_get(gw_req *r) { (void) r; }
void gw_player_state(gw_req *r) { (void) r; }
void gw_player_public(gw_req *r) { (void) r; }
void gw_army_get(gw_req *r) { (void) r; }
void gw_army_create(gw_req *r) { (void) r; }
void gw_army_move(gw_req *r) { (void) r; }
void gw_army_attack(gw_req *r) { (void) r; }
void gw_combat_reveal(gw_req *r) { (void) r; }
void gw_combat_result(gw_req *r) { (void) r; }
void gw_spell_cast(gw_req *r) { (void) r; }
void gw_alliance_create(gw_req *r) { (void) r; }
void gw_alliance_join(gw_req *r) { (void) r; }
void gw_alliance_leave(gw_req *r) { (void) r; }
void gw_alliance_members(gw_req *r) { (void) r; }

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

/* One row per game route: a URL, its handler, its token, its params. */
typedef struct want {
	const char *method, *url;
	void (*fn)(gw_req *);
	int         auth;
	const char *p0, *p1;
} want;

static void
test_game_routes(void **state)
{
	enum { N = GW_AUTH_NONE, A = GW_AUTH_REQUIRED, O = GW_AUTH_OPTIONAL };
	static const want w[] = {
		{ "GET", "/game/generation", gw_game_generation, N, 0, 0 },
		{ "GET", "/game/map", gw_map_get, O, 0, 0 },
		{ "GET", "/game/leaderboard", gw_leaderboard_get, N, 0, 0 },
		{ "GET", "/player/state", gw_player_state, A, 0, 0 },
		{ "GET", "/player/0xAb/public", gw_player_public, O, "0xAb",
		    0 },
		{ "GET", "/territory/3/4", gw_game_territory, A, "3", "4" },
		{ "POST", "/territory/3/4/build", gw_game_build, A, "3", "4" },
		{ "GET", "/army/17", gw_army_get, A, "17", 0 },
		{ "GET", "/army/create", gw_army_get, A, "create", 0 },
		{ "POST", "/army/create", gw_army_create, A, 0, 0 },
		{ "POST", "/army/17/move", gw_army_move, A, "17", 0 },
		{ "POST", "/army/17/attack", gw_army_attack, A, "17", 0 },
		{ "POST", "/combat/8/reveal", gw_combat_reveal, A, "8", 0 },
		{ "GET", "/combat/8/result", gw_combat_result, N, "8", 0 },
		{ "POST", "/spell/cast", gw_spell_cast, A, 0, 0 },
		{ "POST", "/alliance/create", gw_alliance_create, A, 0, 0 },
		{ "POST", "/alliance/5/join", gw_alliance_join, A, "5", 0 },
		{ "POST", "/alliance/5/leave", gw_alliance_leave, A, "5", 0 },
		{ "GET", "/alliance/5/members", gw_alliance_members, N, "5",
		    0 },
	};
	const gw_route *rt;
	char            p[4][64];

	(void) state;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		rt = NULL;
		assert_int_equal(match(w[i].url, w[i].method, &rt, p),
		    GW_ROUTE_OK);
		assert_ptr_equal(rt->fn, w[i].fn);
		assert_int_equal(rt->auth, w[i].auth);
		if (w[i].p0 != NULL) {
			assert_string_equal(p[0], w[i].p0);
		}
		if (w[i].p1 != NULL) {
			assert_string_equal(p[1], w[i].p1);
		}
	}
}

/* The seed's rate limits are charged on the routes they name, each a
 * limit of the rules file; reads and the other actions are not. */
static void
test_rate_limits(void **state)
{
	static const struct {
		const char *method, *url, *limit;
	} w[] = {
		{ "POST", "/auth/challenge", "auth/challenge" },
		{ "POST", "/territory/3/4/build", "building/start" },
		{ "POST", "/army/17/move", "army/move" },
		{ "POST", "/army/17/attack", "army/attack" },
		{ "POST", "/auth/verify", NULL },
		{ "GET", "/territory/3/4", NULL },
		{ "POST", "/spell/cast", NULL }, /* charged by gw_spell_cast */
		{ "POST", "/army/create", NULL },
	};
	const gw_route *rt;
	char            p[4][64], err[256];

	(void) state;
	assert_int_equal(cm_rules_load(NULL, err, sizeof(err)), CM_OK);
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		assert_int_equal(match(w[i].url, w[i].method, &rt, p),
		    GW_ROUTE_OK);
		if (w[i].limit == NULL) {
			assert_null(rt->limit);
		} else {
			assert_string_equal(rt->limit, w[i].limit);
		}
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		bool named = routes[i].limit == NULL;

		for (int k = 0; !named && gw_rate_limit_names[k]; k++) {
			named = strcmp(gw_rate_limit_names[k],
			            routes[i].limit) == 0;
		}
		assert_true(named);
	}
	for (int k = 0; gw_rate_limit_names[k] != NULL; k++) {
		assert_non_null(cm_rules_rate_limit(gw_rate_limit_names[k]));
	}
	assert_int_equal(cm_rules_rate_limit("auth/challenge")->scope,
	    CM_RATE_IP);
	assert_int_equal(cm_rules_rate_limit("army/move")->scope,
	    CM_RATE_PLAYER);
}

static void
test_game_refusals(void **state)
{
	const gw_route *rt = NULL;
	char            p[4][64];

	(void) state;
	/* Known paths, other methods: 405 with the route's method. */
	assert_int_equal(match("/army/17", "POST", &rt, p),
	    GW_ROUTE_BAD_METHOD);
	assert_string_equal(rt->method, "GET");
	assert_int_equal(match("/army/17/move", "GET", &rt, p),
	    GW_ROUTE_BAD_METHOD);
	assert_int_equal(match("/alliance/create", "GET", &rt, p),
	    GW_ROUTE_BAD_METHOD);
	assert_int_equal(match("/alliance/5/members", "POST", &rt, p),
	    GW_ROUTE_BAD_METHOD);
	assert_int_equal(match("/game/map", "POST", &rt, p),
	    GW_ROUTE_BAD_METHOD);
	assert_int_equal(match("/combat/8/result", "DELETE", &rt, p),
	    GW_ROUTE_BAD_METHOD);
	/* Unknown shapes: 404. */
	assert_int_equal(match("/army", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/army/", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/army/17/", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/army/17/fly", "POST", &rt, p),
	    GW_ROUTE_NONE);
	assert_int_equal(match("/player", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/player/0xab", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/player/0xab/private", "GET", &rt, p),
	    GW_ROUTE_NONE);
	assert_int_equal(match("/combat/8", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/alliance/5", "GET", &rt, p), GW_ROUTE_NONE);
	assert_int_equal(match("/spell/cast/now", "POST", &rt, p),
	    GW_ROUTE_NONE);
	assert_int_equal(match("/game/leaderboards", "GET", &rt, p),
	    GW_ROUTE_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_game_routes),
		cmocka_unit_test(test_game_refusals),
		cmocka_unit_test(test_rate_limits),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
