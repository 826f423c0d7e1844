/*
 * gw_game_test.c: building on a tile (the body, the tile's shard, the
 * answer) and the tile parameters; reading tiles and the generation is
 * covered by gw_scatter_test.c.
 */
#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

static gw_req *
build(const char *x, const char *y, const char *body)
{
	gw_req *r = fake_req(me, body);

	fake_param(r, 0, x);
	fake_param(r, 1, y);
	gw_game_build(r);
	return (r);
}

static void
test_build(void **state)
{
	gw_req           *r = build("10", "70", "{\"buildingType\":\"farm\"}");
	Nd__ShardRequest *q;
	Nd__ShardReply    rep = ND__SHARD_REPLY__INIT;
	Nd__BuildStarted  b   = ND__BUILD_STARTED__INIT;

	(void) state;
	assert_int_equal(fake_calls[0].shard, 2); /* SW */
	q = fake_request(0);
	assert_int_equal(q->body_case,
	    ND__SHARD_REQUEST__BODY_TERRITORY_BUILD);
	assert_int_equal(q->territory_build->x, 10);
	assert_int_equal(q->territory_build->y, 70);
	assert_string_equal(q->territory_build->building_type, "farm");
	fake_request_free(q);
	b.building_id        = 4;
	b.completion_time_ms = 7200000;
	rep.body_case        = ND__SHARD_REPLY__BODY_BUILD_STARTED;
	rep.build_started    = &b;
	fake_answer(0, &rep);
	fake_done(r, 201);
	assert_int_equal(json_integer_value(
	                     json_object_get(r->answer, "buildingId")),
	    4);
	assert_string_equal(json_string_value(
	                        json_object_get(r->answer, "completionTime")),
	    "1970-01-01T02:00:00.000Z");

	r = build("10", "70", "{\"buildingType\":\"Farm\"}");
	assert_string_equal(fake_code(r), "INVALID_BUILDING");
	r = build("10", "70", "{\"buildingType\":7}");
	assert_string_equal(fake_code(r), "INVALID_BUILDING");
	r = build("10", "70", "{\"type\":\"farm\"}");
	assert_string_equal(fake_code(r), "UNKNOWN_FIELD");
	r = build("10", "100", "{\"buildingType\":\"farm\"}");
	assert_string_equal(fake_code(r), "INVALID_COORD");
	r = build("1e1", "7", "{\"buildingType\":\"farm\"}");
	assert_string_equal(fake_code(r), "INVALID_COORD");
	r = build("-0", "7", "{\"buildingType\":\"farm\"}");
	assert_string_equal(fake_code(r), "INVALID_COORD");
	assert_int_equal(fake_ncalls, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_build),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
