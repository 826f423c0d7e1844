/*
 * gw_game_test.c: building on a tile (the body, the tile's shard, the
 * answer) and the tile parameters; how a tile renders at each level of
 * the fog (no field a level hides); reading tiles and the generation is
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

static json_t *
tile(const char *vis, bool detail)
{
	Nd__Territory  t  = ND__TERRITORY__INIT;
	Nd__UnitCount  u  = ND__UNIT_COUNT__INIT, *up = &u;
	Nd__Resources  rs = ND__RESOURCES__INIT;
	uint64_t       b[1] = { 7 };

	t.x = 3, t.y = 4, t.terrain = (char *) "plains";
	t.zone = (char *) "outer", t.visibility = (char *) vis;
	t.has_owner = true, t.has_army = true, t.army_size = (char *) "small";
	t.forsaken  = (char *) "";
	if (strcmp(vis, "distant") != 0 && strcmp(vis, "adjacent") != 0) {
		t.owner = (char *) me, t.garrison = 9, t.trust = 80;
		t.n_buildings = 1, t.buildings = b;
	}
	u.type = (char *) "hammerer", u.count = 12;
	t.n_army_estimate = 1, t.army_estimate = &up;
	t.detail = detail, t.resources = detail ? &rs : NULL;
	return (gw_game_territory_json(&t));
}

/* Each level shows its fields and not one more. */
static void
test_fog_render(void **state)
{
	json_t *o;

	(void) state;
	o = tile("distant", false);
	assert_true(json_is_null(json_object_get(o, "owner")));
	assert_true(json_is_null(json_object_get(o, "trust")));
	assert_null(json_object_get(o, "hasOwner"));
	assert_null(json_object_get(o, "armyEstimate"));
	assert_null(json_object_get(o, "resources"));
	json_decref(o);
	o = tile("adjacent", false);
	assert_true(json_is_true(json_object_get(o, "hasOwner")));
	assert_string_equal(json_string_value(json_object_get(o, "armySize")),
	    "small");
	assert_true(json_is_null(json_object_get(o, "owner")));
	assert_true(json_is_null(json_object_get(o, "forsaken")));
	assert_null(json_object_get(o, "armyEstimate"));
	assert_null(json_object_get(o, "buildingDetails"));
	json_decref(o);
	o = tile("scouted", false);
	assert_string_equal(json_string_value(json_object_get(o, "owner")), me);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(o, "armyEstimate"), "hammerer")),
	    12);
	assert_null(json_object_get(o, "resources"));
	json_decref(o);
	o = tile("owned", true);
	assert_non_null(json_object_get(o, "resources"));
	assert_non_null(json_object_get(o, "buildingDetails"));
	assert_null(json_object_get(o, "armyEstimate"));
	assert_int_equal(json_integer_value(json_object_get(o, "trust")), 80);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_build),
		cmocka_unit_test(test_fog_render),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
