/*
 * gw_alliance_test.c: founding (the name's rules), joining and leaving
 * (an empty body or {}), all at the acting player's home shard; member
 * lists are covered by gw_scatter_test.c.
 */
#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

static void
done(int i, Nd__ShardReply *rep, bool created)
{
	Nd__AllianceCreated c = ND__ALLIANCE_CREATED__INIT;
	Nd__AllianceDone    d = ND__ALLIANCE_DONE__INIT;

	if (created) {
		c.alliance_id         = 6;
		rep->body_case        = ND__SHARD_REPLY__BODY_ALLIANCE_CREATED;
		rep->alliance_created = &c;
	} else {
		d.success          = true;
		rep->body_case     = ND__SHARD_REPLY__BODY_ALLIANCE_DONE;
		rep->alliance_done = &d;
	}
	fake_answer(i, rep);
}

static void
test_create(void **state)
{
	gw_req           *r    = fake_req(me, "{\"name\":\"Iron Pact\"}");
	int               home = cm_owner_shard_of_id(me, strlen(me), 4);
	Nd__ShardRequest *q;
	Nd__ShardReply    rep   = ND__SHARD_REPLY__INIT;
	const char       *bad[] = { "{\"name\":\"ab\"}", "{\"name\":\" abc\"}",
		      "{\"name\":3}", "{}", "{\"name\":\"abc\",\"tag\":1}",
		      "{\"name\":\"a\\tbc\"}" };

	(void) state;
	gw_alliance_create(r);
	assert_int_equal(fake_calls[0].shard, home);
	q = fake_request(0);
	assert_string_equal(q->alliance_create->name, "Iron Pact");
	fake_request_free(q);
	done(0, &rep, true);
	fake_done(r, 201);
	assert_int_equal(json_integer_value(
	                     json_object_get(r->answer, "allianceId")),
	    6);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = fake_req(me, bad[i]);
		gw_alliance_create(r);
		assert_int_equal(r->status, 400);
		assert_string_equal(fake_code(r),
		    i == 4 ? "UNKNOWN_FIELD" : "INVALID_NAME");
		json_decref(r->answer);
		r->answer = NULL;
		fake_nreqs--;
		free(r);
	}
	assert_int_equal(fake_ncalls, 1);
}

static void
test_join_leave(void **state)
{
	int               home = cm_owner_shard_of_id(me, strlen(me), 4);
	gw_req           *r    = fake_req(me, NULL);
	Nd__ShardRequest *q;
	Nd__ShardReply    rep = ND__SHARD_REPLY__INIT;

	(void) state;
	fake_param(r, 0, "6");
	gw_alliance_join(r);
	assert_int_equal(fake_calls[0].shard, home);
	q = fake_request(0);
	assert_int_equal(q->alliance_join->alliance_id, 6);
	fake_request_free(q);
	done(0, &rep, false);
	fake_done(r, 200);
	assert_true(json_is_true(json_object_get(r->answer, "success")));

	r = fake_req(me, "{}");
	fake_param(r, 0, "6");
	gw_alliance_leave(r);
	q = fake_request(1);
	assert_int_equal(q->alliance_leave->alliance_id, 6);
	fake_request_free(q);
	done(1, &rep, false);
	fake_done(r, 200);

	r = fake_req(me, "{\"now\":true}");
	fake_param(r, 0, "6");
	gw_alliance_leave(r);
	assert_string_equal(fake_code(r), "UNKNOWN_FIELD");
	r = fake_req(me, "[]");
	fake_param(r, 0, "6");
	gw_alliance_join(r);
	assert_string_equal(fake_code(r), "INVALID_JSON");
	r = fake_req(me, NULL);
	fake_param(r, 0, "x6");
	gw_alliance_join(r);
	assert_string_equal(fake_code(r), "INVALID_ID");
	r = fake_req("", NULL);
	fake_param(r, 0, "0");
	gw_alliance_members(r);
	assert_string_equal(fake_code(r), "INVALID_ID");
	assert_int_equal(fake_ncalls, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create),
		T(test_join_leave),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
