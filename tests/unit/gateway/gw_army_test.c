/*
 * gw_army_test.c: the army bodies (create, move, attack), what reaches the
 * shard for each, and the answers built from the replies.
 */
#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

static const char *
create_code(const char *body, gw_army_new *a)
{
	json_t     *b = json_loads(body, 0, NULL);
	const char *msg, *code;

	assert_non_null(b);
	code = gw_army_parse_create(b, &fake_app.layout, a, &msg);
	json_decref(b);
	return (code);
}

static void
test_parse_create(void **state)
{
	gw_army_new a;
	const char *ce = "INVALID_COORD", *ue = "INVALID_UNITS";

	(void) state;
	/* territoryId = y * width + x, on the 100 x 100 map. */
	assert_null(
	    create_code("{\"territoryId\":2050,\"units\":{\"a\":1}}", &a));
	assert_int_equal(a.x, 50);
	assert_int_equal(a.y, 20);
	assert_null(
	    create_code("{\"territoryId\":0,\"units\":{\"a\":1}}", &a));
	assert_null(
	    create_code("{\"territoryId\":9999,\"units\":{\"a\":1}}", &a));
	assert_int_equal(a.x, 99);
	assert_int_equal(a.y, 99);
	assert_null(create_code("{\"x\":7,\"y\":8,\"units\":{\"a\":1}}", &a));
	assert_int_equal(a.x, 7);
	assert_int_equal(a.y, 8);
	assert_string_equal(create_code("{\"territoryId\":10000,\"units\":"
	                                "{\"a\":1}}",
	                        &a),
	    ce);
	assert_string_equal(create_code("{\"territoryId\":-1,\"units\":"
	                                "{\"a\":1}}",
	                        &a),
	    ce);
	assert_string_equal(create_code("{\"territoryId\":\"5\",\"units\":"
	                                "{\"a\":1}}",
	                        &a),
	    ce);
	assert_string_equal(create_code("{\"territoryId\":5.0,\"units\":"
	                                "{\"a\":1}}",
	                        &a),
	    ce);
	assert_string_equal(create_code("{\"territoryId\":5,\"x\":5,\"y\":0,"
	                                "\"units\":{\"a\":1}}",
	                        &a),
	    ce);
	assert_string_equal(create_code("{\"x\":5,\"units\":{\"a\":1}}", &a),
	    ce);
	assert_string_equal(create_code("{\"units\":{\"a\":1}}", &a), ce);
	assert_string_equal(create_code("{\"x\":100,\"y\":0,\"units\":"
	                                "{\"a\":1}}",
	                        &a),
	    ce);
	assert_string_equal(create_code("{\"territoryId\":1}", &a), ue);
	assert_string_equal(create_code("{\"territoryId\":1,\"units\":[]}",
	                        &a),
	    ue);
	assert_string_equal(create_code("{\"territoryId\":1,\"units\":"
	                                "{\"a\":0}}",
	                        &a),
	    ue);
}

static void
test_parse_move_attack(void **state)
{
	gw_army_route  m;
	gw_army_target t;
	const char    *msg;
	json_t        *b;
	char          *big;
	size_t         n = 0, cap = 4100 * 16 + 64;

	(void) state;
	b = json_loads("{\"destination\":{\"x\":3,\"y\":4},\"path\":"
	               "[{\"x\":1,\"y\":1},{\"x\":2,\"y\":1}]}",
	    0, NULL);
	assert_null(gw_army_parse_move(b, &fake_app.layout, &m, &msg));
	assert_int_equal(m.npath, 2);
	assert_int_equal(m.path[1].x, 2);
	free(m.path);
	json_decref(b);
	b = json_loads("{\"destination\":{\"x\":3,\"y\":4}}", 0, NULL);
	assert_null(gw_army_parse_move(b, &fake_app.layout, &m, &msg));
	assert_int_equal(m.npath, 0);
	free(m.path);
	json_decref(b);
	b = json_loads("{\"destination\":{\"x\":3,\"y\":400}}", 0, NULL);
	assert_string_equal(gw_army_parse_move(b, &fake_app.layout, &m, &msg),
	    "INVALID_COORD");
	json_decref(b);
	b = json_loads("{\"path\":[]}", 0, NULL);
	assert_string_equal(gw_army_parse_move(b, &fake_app.layout, &m, &msg),
	    "INVALID_COORD");
	json_decref(b);
	b = json_loads("{\"destination\":{\"x\":3,\"y\":4},\"path\":"
	               "[{\"x\":1,\"y\":-1}]}",
	    0, NULL);
	assert_string_equal(gw_army_parse_move(b, &fake_app.layout, &m, &msg),
	    "INVALID_PATH");
	json_decref(b);
	b = json_loads("{\"destination\":{\"x\":3,\"y\":4},\"path\":{}}", 0,
	    NULL);
	assert_string_equal(gw_army_parse_move(b, &fake_app.layout, &m, &msg),
	    "INVALID_PATH");
	json_decref(b);
	/* 4096 steps are fine, 4097 are not. */
	big = cm_malloc(cap);
	n += (size_t) snprintf(big + n, cap - n,
	    "{\"destination\":{\"x\":0,\"y\":0},\"path\":[");
	for (int i = 0; i < 4097; i++) {
		n += (size_t) snprintf(big + n, cap - n, "%s{\"x\":0,\"y\":0}",
		    i ? "," : "");
	}
	snprintf(big + n, cap - n, "]}");
	b = json_loads(big, 0, NULL);
	assert_string_equal(gw_army_parse_move(b, &fake_app.layout, &m, &msg),
	    "INVALID_PATH");
	json_array_remove(json_object_get(b, "path"), 0);
	assert_null(gw_army_parse_move(b, &fake_app.layout, &m, &msg));
	assert_int_equal(m.npath, 4096);
	free(m.path);
	json_decref(b);
	free(big);

	b = json_loads("{\"target\":{\"x\":3,\"y\":4}}", 0, NULL);
	assert_null(gw_army_parse_attack(b, &fake_app.layout, &t, &msg));
	assert_false(t.committed);
	json_decref(b);
	b = json_loads("{\"target\":{\"x\":3,\"y\":4},\"commitHash\":\"0x01"
	               "00000000000000000000000000000000000000000000000000000"
	               "000000000\"}",
	    0, NULL);
	assert_null(gw_army_parse_attack(b, &fake_app.layout, &t, &msg));
	assert_true(t.committed);
	assert_int_equal(t.commit[0], 1);
	json_decref(b);
	b = json_loads(
	    "{\"target\":{\"x\":3,\"y\":4},\"commitHash\":\"0x01\"}", 0, NULL);
	assert_string_equal(gw_army_parse_attack(b, &fake_app.layout, &t,
	                        &msg),
	    "INVALID_COMMIT_HASH");
	json_decref(b);
	b = json_loads("{\"commitHash\":null}", 0, NULL);
	assert_string_equal(gw_army_parse_attack(b, &fake_app.layout, &t,
	                        &msg),
	    "INVALID_COORD");
	json_decref(b);
	/* The player's salt instead of a commitment; never both. */
	b = json_loads("{\"target\":{\"x\":3,\"y\":4},\"salt\":\"0x02"
	               "00000000000000000000000000000000000000000000000000000000"
	               "000000\"}",
	    0, NULL);
	assert_null(gw_army_parse_attack(b, &fake_app.layout, &t, &msg));
	assert_true(t.salted);
	assert_false(t.committed);
	assert_int_equal(t.salt[0], 2);
	json_decref(b);
	b = json_loads("{\"target\":{\"x\":3,\"y\":4},\"salt\":\"0x12\"}",
	    0, NULL);
	assert_string_equal(gw_army_parse_attack(b, &fake_app.layout, &t,
	                        &msg),
	    "INVALID_SALT");
	json_decref(b);
}

static void
test_create(void **state)
{
	gw_req           *r = fake_req(me,
	              "{\"territoryId\":9950,\"units\":"
	                        "{\"stoneshield\":5,\"hammerer\":2}}");
	Nd__ShardRequest *q;
	Nd__ShardReply    rep = ND__SHARD_REPLY__INIT;
	Nd__ArmyCreated   c   = ND__ARMY_CREATED__INIT;

	(void) state;
	gw_army_create(r);
	assert_int_equal(fake_ncalls, 1);
	assert_int_equal(fake_calls[0].shard, 3); /* (50, 99): SE */
	q = fake_request(0);
	assert_int_equal(q->body_case, ND__SHARD_REQUEST__BODY_ARMY_CREATE);
	assert_int_equal(q->army_create->x, 50);
	assert_int_equal(q->army_create->y, 99);
	assert_int_equal(q->army_create->n_units, 2);
	assert_string_equal(q->army_create->units[0]->type, "stoneshield");
	assert_int_equal(q->army_create->units[0]->count, 5);
	assert_string_equal(q->player, me);
	fake_request_free(q);
	c.army_id        = 31;
	rep.body_case    = ND__SHARD_REPLY__BODY_ARMY_CREATED;
	rep.army_created = &c;
	fake_answer(0, &rep);
	fake_done(r, 201);
	assert_int_equal(json_integer_value(
	                     json_object_get(r->answer, "armyId")),
	    31);

	/* Refused bodies reach no shard. */
	r = fake_req(me, "{\"territoryId\":1,\"units\":{},\"extra\":1}");
	gw_army_create(r);
	assert_string_equal(fake_code(r), "UNKNOWN_FIELD");
	r = fake_req(me, "{\"territoryId\":1,\"units\":{}}");
	gw_army_create(r);
	assert_string_equal(fake_code(r), "INVALID_UNITS");
	r = fake_req(me, NULL);
	gw_army_create(r);
	assert_string_equal(fake_code(r), "INVALID_JSON");
	assert_int_equal(fake_ncalls, 1);
}

static void
test_move_attack(void **state)
{
	gw_req             *r = fake_req(me,
	                "{\"destination\":{\"x\":9,\"y\":9},"
	                            "\"path\":[{\"x\":8,\"y\":9}]}");
	Nd__ShardRequest   *q;
	Nd__ShardReply      rep = ND__SHARD_REPLY__INIT;
	Nd__ArmyMoved       m   = ND__ARMY_MOVED__INIT;
	Nd__AttackCommitted a   = ND__ATTACK_COMMITTED__INIT;
	Nd__Coord           c = ND__COORD__INIT, *cp = &c;
	uint8_t             h[32] = { 0xaa }, salt[32] = { 0x55 };

	(void) state;
	fake_param(r, 0, "12");
	gw_army_move(r);
	assert_int_equal(fake_ncalls, 4); /* no hint in the fake: scatter */
	q = fake_request(0);
	assert_int_equal(q->army_move->army_id, 12);
	assert_int_equal(q->army_move->x, 9);
	assert_int_equal(q->army_move->n_path, 1);
	assert_int_equal(q->army_move->path[0]->x, 8);
	fake_request_free(q);
	fake_refuse(0, "ARMY_NOT_FOUND", 404);
	fake_refuse(2, "ARMY_NOT_FOUND", 404);
	fake_refuse(3, "ARMY_NOT_FOUND", 404);
	c.x = 8, c.y = 9;
	m.arrival_time_ms = 1000;
	m.n_path          = 1;
	m.path            = &cp;
	rep.body_case     = ND__SHARD_REPLY__BODY_ARMY_MOVED;
	rep.army_moved    = &m;
	fake_answer(1, &rep);
	fake_done(r, 200);
	assert_string_equal(json_string_value(
	                        json_object_get(r->answer, "arrivalTime")),
	    "1970-01-01T00:00:01.000Z");
	assert_int_equal(json_array_size(json_object_get(r->answer, "path")),
	    1);

	r = fake_req(me, "{\"target\":{\"x\":9,\"y\":9}}");
	fake_param(r, 0, "12");
	gw_army_attack(r);
	q = fake_request(4);
	assert_int_equal(q->army_attack->commit_hash.len, 0);
	fake_request_free(q);
	for (int i = 4; i < 7; i++) {
		fake_refuse(i, "ARMY_NOT_FOUND", 404);
	}
	a.combat_id          = 5;
	a.commit_hash.data   = h;
	a.commit_hash.len    = 32;
	a.reveal_deadline_ms = 2000;
	a.salt.data          = salt;
	a.salt.len           = 32;
	rep.body_case        = ND__SHARD_REPLY__BODY_ATTACK_COMMITTED;
	rep.attack_committed = &a;
	fake_answer(7, &rep);
	fake_done(r, 201);
	assert_int_equal(json_integer_value(
	                     json_object_get(r->answer, "combatId")),
	    5);
	assert_string_equal(json_string_value(
	                        json_object_get(r->answer, "salt")),
	    "0x550000000000000000000000000000000000000000000000000000000000000"
	    "0");
	assert_non_null(json_object_get(r->answer, "commitHash"));

	/* The client's own hash: no salt in the answer. */
	r = fake_req(me,
	    "{\"target\":{\"x\":9,\"y\":9},\"commitHash\":"
	    "\"0xaa000000000000000000000000000000"
	    "00000000000000000000000000000000\"}");
	fake_param(r, 0, "12");
	gw_army_attack(r);
	q = fake_request(8);
	assert_int_equal(q->army_attack->commit_hash.len, 32);
	assert_int_equal(q->army_attack->commit_hash.data[0], 0xaa);
	fake_request_free(q);
	a.salt.len = 0;
	for (int i = 8; i < 11; i++) {
		fake_refuse(i, "ARMY_NOT_FOUND", 404);
	}
	fake_answer(11, &rep);
	fake_done(r, 201);
	assert_null(json_object_get(r->answer, "salt"));
}

static void
test_bad_ids(void **state)
{
	const char *ids[] = { "abc", "0", "-3", "01", "9007199254740993",
		"1.5", "!" };

	(void) state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		gw_req *r = fake_req(me, NULL);

		fake_param(r, 0, ids[i]);
		gw_army_get(r);
		assert_int_equal(r->status, 400);
		assert_string_equal(fake_code(r), "INVALID_ID");
		json_decref(r->answer);
		r->answer = NULL;
		fake_nreqs--;
		free(r);
	}
	assert_int_equal(fake_ncalls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_create),
		T(test_parse_move_attack),
		T(test_create),
		T(test_move_attack),
		T(test_bad_ids),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
