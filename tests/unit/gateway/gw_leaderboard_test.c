/*
 * gw_leaderboard_test.c: the leaderboard's query, its Redis keys, scores
 * and races as Redis holds them, and the route up to Redis (which the
 * fake does not have: 503 STORE_UNAVAILABLE).
 */
#include <msgpack.h>

#include "gateway/gw_fake.h"

static void
test_query(void **state)
{
	long l = 0, o = 0;

	(void) state;
	assert_true(gw_leaderboard_query(NULL, 0, NULL, 0, &l, &o));
	assert_int_equal(l, 50);
	assert_int_equal(o, 0);
	assert_true(gw_leaderboard_query("1", 1, "1000000", 1, &l, &o));
	assert_int_equal(l, 1);
	assert_int_equal(o, 1000000);
	assert_true(gw_leaderboard_query("100", 1, NULL, 0, &l, &o));
	assert_false(gw_leaderboard_query("0", 1, NULL, 0, &l, &o));
	assert_false(gw_leaderboard_query("101", 1, NULL, 0, &l, &o));
	assert_false(gw_leaderboard_query("-1", 1, NULL, 0, &l, &o));
	assert_false(gw_leaderboard_query("ten", 1, NULL, 0, &l, &o));
	assert_false(gw_leaderboard_query("", 1, NULL, 0, &l, &o));
	assert_false(gw_leaderboard_query("5", 2, NULL, 0, &l, &o));
	assert_false(gw_leaderboard_query(NULL, 0, "1000001", 1, &l, &o));
	assert_false(gw_leaderboard_query(NULL, 0, "-1", 1, &l, &o));
	assert_false(gw_leaderboard_query(NULL, 0, "1e3", 1, &l, &o));
}

static void
test_keys_points(void **state)
{
	char    k[64];
	json_t *p;

	(void) state;
	gw_leaderboard_key(1, k, sizeof(k));
	assert_string_equal(k, "leaderboard:{1}");
	gw_player_key("0xab", k, sizeof(k));
	assert_string_equal(k, "player:0xab");
	p = gw_leaderboard_points("1500");
	assert_true(json_is_integer(p));
	assert_int_equal(json_integer_value(p), 1500);
	json_decref(p);
	p = gw_leaderboard_points("-3");
	assert_int_equal(json_integer_value(p), -3);
	json_decref(p);
	p = gw_leaderboard_points("2.5");
	assert_true(json_is_real(p));
	json_decref(p);
	p = gw_leaderboard_points("inf");
	assert_true(json_is_null(p));
	json_decref(p);
	p = gw_leaderboard_points("");
	assert_true(json_is_null(p));
	json_decref(p);
	p = gw_leaderboard_points("12abc");
	assert_true(json_is_null(p));
	json_decref(p);
}

static json_t *
race_of(const char *key, const char *val, int as_int)
{
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	json_t         *r;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "points", 6);
	msgpack_pack_int(&pk, 10);
	msgpack_pack_str_with_body(&pk, key, strlen(key));
	if (as_int) {
		msgpack_pack_int(&pk, 3);
	} else {
		msgpack_pack_str_with_body(&pk, val, strlen(val));
	}
	r = gw_leaderboard_race(sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	return (r);
}

static void
test_race(void **state)
{
	json_t *r;

	(void) state;
	r = race_of("race", "ironveld", 0);
	assert_string_equal(json_string_value(r), "ironveld");
	json_decref(r);
	r = race_of("rank", "ironveld", 0);
	assert_true(json_is_null(r));
	json_decref(r);
	r = race_of("race", "", 1);
	assert_true(json_is_null(r));
	json_decref(r);
	r = race_of("race", "\xff\xfe", 0); /* not UTF-8 */
	assert_true(json_is_null(r));
	json_decref(r);
	r = gw_leaderboard_race("garbage", 7);
	assert_true(json_is_null(r));
	json_decref(r);
}

static void
test_route(void **state)
{
	gw_req        *r   = fake_req("", NULL);
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__Generation g   = ND__GENERATION__INIT;

	(void) state;
	fake_query(r, "limit", "10");
	fake_query(r, "limit", "20");
	gw_leaderboard_get(r);
	assert_int_equal(r->status, 400);
	assert_string_equal(fake_code(r), "INVALID_QUERY");
	assert_int_equal(fake_ncalls, 0);

	r = fake_req("", NULL);
	fake_query(r, "offset", "5");
	gw_leaderboard_get(r);
	assert_int_equal(fake_ncalls, 1);
	g.id = 2, g.phase = (char *) "early", g.status = (char *) "active";
	rep.body_case  = ND__SHARD_REPLY__BODY_GENERATION;
	rep.generation = &g;
	fake_answer(0, &rep);
	fake_done(r, 503);
	assert_int_equal(r->continued, 1);
	assert_string_equal(fake_code(r), "STORE_UNAVAILABLE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_query),
		T(test_keys_points),
		T(test_race),
		T(test_route),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
