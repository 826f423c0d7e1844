/*
 * gw_scatter_test.c: fans of shard calls, through the simplest routes
 * that use them: one call (a tile), a call with a fallback shard (the
 * generation), a scatter (alliance members).  Outcomes arrive in any
 * order; transport failures are 503 and win over everything, a reply
 * that does not decode, has the wrong body or invalid UTF-8 is 502, a
 * refusal passes through; nothing is answered before every call ended.
 */
#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

static gw_req *
ask_tile(const char *x, const char *y)
{
	gw_req *r = fake_req(me, NULL);

	fake_param(r, 0, x);
	fake_param(r, 1, y);
	gw_game_territory(r);
	return (r);
}

static void
answer_tile(int i, bool detail, const char *owner)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__Territory  t   = ND__TERRITORY__INIT;
	Nd__Resources  res = ND__RESOURCES__INIT;
	Nd__Building   b = ND__BUILDING__INIT, *bp = &b;
	uint64_t       ids[1] = { 7 };

	t.x = 60, t.y = 20, t.owner = (char *) owner;
	t.terrain = (char *) "forest", t.zone = (char *) "middle";
	t.n_buildings = 1, t.buildings = ids;
	t.detail = detail;
	if (detail) {
		res.gold             = 5;
		t.resources          = &res;
		b.id                 = 7;
		b.type               = (char *) "farm";
		b.hp                 = 100;
		b.completion_time_ms = 1000;
		t.n_building_detail  = 1;
		t.building_detail    = &bp;
	}
	rep.body_case = ND__SHARD_REPLY__BODY_TERRITORY;
	rep.territory = &t;
	fake_answer(i, &rep);
}

static void
test_forward(void **state)
{
	gw_req           *r = ask_tile("60", "20");
	Nd__ShardRequest *q;
	json_t           *d;

	(void) state;
	assert_int_equal(fake_ncalls, 1);
	assert_int_equal(fake_calls[0].shard, 1); /* NE */
	assert_int_equal(r->status, 0);           /* not before the reply */
	q = fake_request(0);
	assert_int_equal(q->body_case, ND__SHARD_REQUEST__BODY_TERRITORY_GET);
	assert_int_equal(q->territory_get->x, 60);
	assert_string_equal(q->player, me);
	fake_request_free(q);
	answer_tile(0, true, me);
	fake_done(r, 200);
	assert_string_equal(fake_header(r, "X-Shard"), "1");
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(r->answer,
	                                         "resources"),
	                         "gold")),
	    5);
	d = json_array_get(json_object_get(r->answer, "buildingDetails"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "type")),
	    "farm");
	assert_string_equal(json_string_value(
	                        json_object_get(d, "completionTime")),
	    "1970-01-01T00:00:01.000Z");

	/* Without detail: neither resources nor building details. */
	r = ask_tile("60", "20");
	answer_tile(1, false, "");
	fake_done(r, 200);
	assert_null(json_object_get(r->answer, "resources"));
	assert_null(json_object_get(r->answer, "buildingDetails"));
	assert_true(json_is_null(json_object_get(r->answer, "owner")));
}

static void
test_forward_failures(void **state)
{
	gw_req        *r;
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__Generation g   = ND__GENERATION__INIT;

	(void) state;
	r = ask_tile("1", "1");
	fake_fail(0, CM_ETIMEDOUT);
	fake_done(r, 503);
	assert_string_equal(fake_code(r), "SHARD_UNAVAILABLE");
	assert_string_equal(fake_header(r, "Retry-After"), "1");

	r = ask_tile("1", "1");
	fake_fail(1, CM_EPROTO);
	fake_done(r, 502);
	assert_string_equal(fake_code(r), "BAD_SHARD_REPLY");

	r = ask_tile("1", "1");
	fake_refuse(2, "NOT_OWNER", 403);
	fake_done(r, 403);
	assert_string_equal(fake_code(r), "NOT_OWNER");
	assert_string_equal(fake_header(r, "X-Shard"), "0");

	r = ask_tile("1", "1");
	fake_refuse(3, "ODD", 200); /* not an error status */
	fake_done(r, 500);

	/* The wrong message. */
	r              = ask_tile("1", "1");
	g.phase        = (char *) "early";
	g.status       = (char *) "active";
	rep.body_case  = ND__SHARD_REPLY__BODY_GENERATION;
	rep.generation = &g;
	fake_answer(4, &rep);
	fake_done(r, 502);

	/* Invalid UTF-8 in a string: 502, never a crash. */
	r = ask_tile("1", "1");
	answer_tile(5, false, "0x\xff\xfe");
	fake_done(r, 502);
	assert_string_equal(fake_code(r), "BAD_SHARD_REPLY");

	/* A full queue fails at once, before any reply. */
	fake_full = 0;
	r         = ask_tile("1", "1");
	fake_done(r, 503);
	assert_string_equal(fake_code(r), "OVERLOADED");
	assert_int_equal(fake_ncalls, 6);
}

static void
answer_generation(int i)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__Generation g   = ND__GENERATION__INIT;
	uint8_t        h[32];

	memset(h, 0xab, sizeof(h));
	g.id = 3, g.phase = (char *) "early", g.status = (char *) "active";
	g.start_time_ms    = 86400000;
	g.end_time_ms      = 2 * 86400000;
	g.secret_hash.data = h;
	g.secret_hash.len  = sizeof(h);
	rep.body_case      = ND__SHARD_REPLY__BODY_GENERATION;
	rep.generation     = &g;
	fake_answer(i, &rep);
}

static void
test_fallback(void **state)
{
	gw_req *r = fake_req("", NULL);
	json_t *a;

	(void) state;
	gw_game_generation(r);
	assert_int_equal(fake_calls[0].shard, 0);
	fake_fail(0, CM_ECLOSED);
	assert_int_equal(r->status, 0);
	assert_int_equal(fake_ncalls, 2);
	assert_int_equal(fake_calls[1].shard, 1);
	answer_generation(1);
	fake_done(r, 200);
	a = r->answer;
	assert_int_equal(json_integer_value(json_object_get(a, "id")), 3);
	assert_string_equal(json_string_value(
	                        json_object_get(a, "secretHash")),
	    "0xabababababababababababababababababababababababababababababababa"
	    "b");
	assert_true(json_is_null(json_object_get(a, "secret")));
	assert_true(json_is_null(json_object_get(a, "endedAt")));
	assert_string_equal(json_string_value(json_object_get(a, "startTime")),
	    "1970-01-02T00:00:00.000Z");
	assert_string_equal(fake_header(r, "X-Shard"), "1");

	/* Both down: 503 after the second. */
	r = fake_req("", NULL);
	gw_game_generation(r);
	fake_fail(2, CM_ETIMEDOUT);
	fake_fail(3, CM_ETIMEDOUT);
	fake_done(r, 503);

	/* A refusal is an answer: no fallback. */
	r = fake_req("", NULL);
	gw_game_generation(r);
	fake_refuse(4, "STORAGE_UNAVAILABLE", 503);
	fake_done(r, 503);
	assert_int_equal(fake_ncalls, 5);
}

static void
answer_members(int i, bool known, const char *addr, int64_t joined)
{
	Nd__ShardReply      rep = ND__SHARD_REPLY__INIT;
	Nd__AllianceMembers m   = ND__ALLIANCE_MEMBERS__INIT;
	Nd__AllianceMember  a = ND__ALLIANCE_MEMBER__INIT, *ap = &a;

	m.known  = known;
	m.name   = (char *) (known ? "Iron Pact" : "");
	m.active = known;
	if (addr != NULL) {
		a.address   = (char *) addr;
		a.role      = (char *) (known ? "leader" : "member");
		a.joined_ms = joined;
		m.n_members = 1;
		m.members   = &ap;
	}
	rep.body_case        = ND__SHARD_REPLY__BODY_ALLIANCE_MEMBERS;
	rep.alliance_members = &m;
	fake_answer(i, &rep);
}

static void
test_scatter(void **state)
{
	gw_req *r = fake_req("", NULL);
	json_t *ms;

	(void) state;
	fake_param(r, 0, "9");
	gw_alliance_members(r);
	assert_int_equal(fake_ncalls, 4);
	for (int i = 0; i < 4; i++) {
		Nd__ShardRequest *q = fake_request(i);

		assert_int_equal(fake_calls[i].shard, i);
		assert_int_equal(q->alliance_members_get->alliance_id, 9);
		fake_request_free(q);
	}
	/* In any order; nothing is answered until the last. */
	answer_members(2, false, "0xbb", 500);
	answer_members(0, true, "0xcc", 100);
	answer_members(3, false, NULL, 0);
	assert_int_equal(r->status, 0);
	answer_members(1, false, "0xaa", 500);
	fake_done(r, 200);
	assert_string_equal(fake_header(r, "X-Shard"), "all");
	assert_string_equal(json_string_value(
	                        json_object_get(r->answer, "name")),
	    "Iron Pact");
	ms = json_object_get(r->answer, "members");
	assert_int_equal(json_array_size(ms), 3);
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(ms, 0),
	                            "address")),
	    "0xcc");
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(ms, 1),
	                            "address")),
	    "0xaa"); /* same time: by address */
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(ms, 2),
	                            "address")),
	    "0xbb");
}

static void
test_scatter_no_partial(void **state)
{
	gw_req *r = fake_req("", NULL);

	(void) state;
	fake_param(r, 0, "9");
	gw_alliance_members(r);
	answer_members(0, true, "0xcc", 100);
	fake_refuse(1, "STORAGE_UNAVAILABLE", 503);
	fake_fail(2, CM_ETIMEDOUT);
	answer_members(3, false, NULL, 0);
	fake_done(r, 503);
	/* The transport failure wins over the refusal. */
	assert_string_equal(fake_code(r), "SHARD_UNAVAILABLE");

	/* Nobody knows it. */
	r = fake_req("", NULL);
	fake_param(r, 0, "9");
	gw_alliance_members(r);
	for (int i = 4; i < 8; i++) {
		answer_members(i, false, NULL, 0);
	}
	fake_done(r, 404);
	assert_string_equal(fake_code(r), "ALLIANCE_NOT_FOUND");

	/* Overloaded shard 2: the others still end before the answer. */
	fake_full = 2;
	r         = fake_req("", NULL);
	fake_param(r, 0, "9");
	gw_alliance_members(r);
	assert_int_equal(fake_ncalls, 11);
	assert_int_equal(r->status, 0);
	for (int i = 8; i < 11; i++) {
		answer_members(i, false, NULL, 0);
	}
	fake_done(r, 503);
	assert_string_equal(fake_code(r), "OVERLOADED");
}

static void
test_reply_valid(void **state)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__PlayerPart p   = ND__PLAYER_PART__INIT;
	Nd__Army       a = ND__ARMY__INIT, *ap = &a;
	Nd__UnitCount  u = ND__UNIT_COUNT__INIT, *up = &u;
	Nd__Captain    c = ND__CAPTAIN__INIT;

	(void) state;
	rep.body_case   = ND__SHARD_REPLY__BODY_PLAYER_PART;
	rep.player_part = &p;
	p.n_armies      = 1;
	p.armies        = &ap;
	a.n_units       = 1;
	a.units         = &up;
	u.type          = (char *) "stoneshield";
	c.name          = (char *) "Gr\xc3\xb6m";
	p.captain       = &c;
	assert_true(gw_reply_valid(&rep.base));
	u.type = (char *) "stone\xc0\xaf"; /* overlong '/' */
	assert_false(gw_reply_valid(&rep.base));
	u.type = (char *) "\xed\xa0\x80"; /* a surrogate */
	assert_false(gw_reply_valid(&rep.base));
	u.type = (char *) "\xf0\x9f\x98\x80"; /* U+1F600 */
	assert_true(gw_reply_valid(&rep.base));
	c.name = (char *) "\xe2\x82"; /* cut short */
	assert_false(gw_reply_valid(&rep.base));
	c.name = (char *) "ok";
	/* A oneof member that is not set is not looked at. */
	rep.body_case = ND__SHARD_REPLY__BODY__NOT_SET;
	u.type        = (char *) "\xff";
	assert_true(gw_reply_valid(&rep.base));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_forward),
		T(test_forward_failures),
		T(test_fallback),
		T(test_scatter),
		T(test_scatter_no_partial),
		T(test_reply_valid),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
