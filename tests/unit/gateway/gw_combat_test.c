/*
 * gw_combat_test.c: the reveal body (a 32-byte salt) and the result's
 * JSON; the combat's lookup is covered by gw_locate_test.c.
 */
#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

static void
test_reveal(void **state)
{
	gw_req            *r;
	Nd__ShardRequest  *q;
	Nd__ShardReply     rep = ND__SHARD_REPLY__INIT;
	Nd__CombatRevealed cr  = ND__COMBAT_REVEALED__INIT;
	const char *bad[] = { "{}", "{\"salt\":\"0x12\"}", "{\"salt\":12}",
		"{\"salt\":\"1234567890123456789012"
		"345678901234567890123456789012345678"
		"9012345678\"}" };

	(void) state;
	r = fake_req(me,
	    "{\"salt\":\"0x0100000000000000000000000000000000"
	    "000000000000000000000000000002\"}");
	fake_param(r, 0, "5");
	gw_combat_reveal(r);
	q = fake_request(0);
	assert_int_equal(q->combat_reveal->combat_id, 5);
	assert_int_equal(q->combat_reveal->salt.len, 32);
	assert_int_equal(q->combat_reveal->salt.data[0], 1);
	assert_int_equal(q->combat_reveal->salt.data[31], 2);
	fake_request_free(q);
	fake_refuse(0, "COMBAT_NOT_FOUND", 404);
	fake_refuse(1, "COMBAT_NOT_FOUND", 404);
	cr.revealed         = true;
	rep.body_case       = ND__SHARD_REPLY__BODY_COMBAT_REVEALED;
	rep.combat_revealed = &cr;
	fake_answer(2, &rep);
	fake_refuse(3, "COMBAT_NOT_FOUND", 404);
	fake_done(r, 200);
	assert_true(json_is_true(json_object_get(r->answer, "revealed")));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = fake_req(me, bad[i]);
		fake_param(r, 0, "5");
		gw_combat_reveal(r);
		assert_string_equal(fake_code(r), "INVALID_SALT");
	}
	assert_int_equal(fake_ncalls, 4);
}

static void
test_result_json(void **state)
{
	Nd__CombatResult c = ND__COMBAT_RESULT__INIT;
	Nd__UnitCount    u = ND__UNIT_COUNT__INIT, *up = &u;
	Nd__Resources    loot = ND__RESOURCES__INIT;
	uint8_t          h[2] = { 0xde, 0xad };
	json_t          *o;

	(void) state;
	c.id = 9, c.attacker = (char *) me, c.defender = (char *) "0xdd";
	c.x = 3, c.y = 4, c.status = (char *) "completed";
	c.winner = (char *) me, c.rounds = 2;
	c.record_json = (char *) "{\"rounds\":[{\"round\":1},{\"round\":2}],"
	    "\"result\":{\"winner\":\"attacker\",\"loot\":{\"gold\":71}},"
	    "\"resultHash\":\"0xdead\"}";
	u.type = (char *) "hammerer", u.count = 4;
	c.n_defender_losses = 1, c.defender_losses = &up;
	loot.gold = 70, c.loot = &loot;
	c.result_hash.data = h, c.result_hash.len = 2;
	c.resolved_at_ms = 5000;
	o                = gw_combat_result_json(&c);
	assert_string_equal(json_string_value(json_object_get(o, "winner")),
	    me);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(json_object_get(o,
	                                                         "casualties"),
	                                         "defender"),
	                         "hammerer")),
	    4);
	/* The record's rounds and result; its loot gold wins. */
	assert_int_equal(json_array_size(json_object_get(o, "rounds")), 2);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(o, "result"), "winner")),
	    "attacker");
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(o, "loot"),
	                         "gold")),
	    71);
	assert_string_equal(json_string_value(
	                        json_object_get(o, "resultHash")),
	    "0xdead");
	assert_string_equal(json_string_value(
	                        json_object_get(o, "resolvedAt")),
	    "1970-01-01T00:00:05.000Z");
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(o, "territory"),
	                         "y")),
	    4);
	json_decref(o);
	/* Before the battle: no rounds, no result. */
	c.record_json = (char *) "";
	o             = gw_combat_result_json(&c);
	assert_int_equal(json_array_size(json_object_get(o, "rounds")), 0);
	assert_true(json_is_null(json_object_get(o, "result")));
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(o, "loot"),
	                         "gold")),
	    70);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reveal),
		T(test_result_json),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
