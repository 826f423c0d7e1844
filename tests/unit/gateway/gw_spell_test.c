/*
 * gw_spell_test.c: spell bodies (the id and the three target shapes) and
 * the cast going to the caster's home shard.
 */
#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

static const char *
parse(const char *body, gw_spell *s)
{
	json_t     *b = json_loads(body, 0, NULL);
	const char *msg, *code;

	assert_non_null(b);
	code = gw_spell_parse(b, &fake_app.layout, s, &msg);
	json_decref(b);
	return (code);
}

static void
test_parse(void **state)
{
	gw_spell s;

	(void) state;
	assert_null(parse("{\"spellId\":\"haste\"}", &s));
	assert_string_equal(s.id, "haste");
	assert_int_equal(s.on, GW_SPELL_ON_NONE);
	assert_null(parse("{\"spellId\":\"blight\",\"target\":{\"x\":4,"
	                  "\"y\":5}}",
	    &s));
	assert_int_equal(s.on, GW_SPELL_ON_TILE);
	assert_int_equal(s.y, 5);
	assert_null(
	    parse("{\"spellId\":\"curse\",\"target\":{\"armyId\":9}}", &s));
	assert_int_equal(s.on, GW_SPELL_ON_ARMY);
	assert_int_equal(s.army, 9);
	assert_null(parse("{\"spellId\":\"scry\",\"target\":{\"player\":"
	                  "\"0xABCDEF0000000000000000000000000000000000\"}}",
	    &s));
	assert_int_equal(s.on, GW_SPELL_ON_PLAYER);
	assert_string_equal(s.player,
	    "0xabcdef0000000000000000000000000000000000");

	assert_string_equal(parse("{}", &s), "INVALID_SPELL");
	assert_string_equal(parse("{\"spellId\":5}", &s), "INVALID_SPELL");
	assert_string_equal(parse("{\"spellId\":\"\"}", &s), "INVALID_SPELL");
	assert_string_equal(parse("{\"spellId\":\"Haste\"}", &s),
	    "INVALID_SPELL");
	assert_string_equal(
	    parse("{\"spellId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", &s),
	    "INVALID_SPELL");
	assert_string_equal(parse("{\"spellId\":\"a\",\"target\":{\"x\":4}}",
	                        &s),
	    "INVALID_COORD");
	assert_string_equal(parse("{\"spellId\":\"a\",\"target\":{\"x\":4,"
	                          "\"y\":500}}",
	                        &s),
	    "INVALID_COORD");
	assert_string_equal(parse("{\"spellId\":\"a\",\"target\":"
	                          "{\"armyId\":0}}",
	                        &s),
	    "INVALID_ID");
	assert_string_equal(parse("{\"spellId\":\"a\",\"target\":"
	                          "{\"player\":\"0x12\"}}",
	                        &s),
	    "INVALID_ADDRESS");
	assert_string_equal(parse("{\"spellId\":\"a\",\"target\":"
	                          "{\"armyId\":1,\"player\":\"0x12\"}}",
	                        &s),
	    "INVALID_TARGET");
	assert_string_equal(parse("{\"spellId\":\"a\",\"target\":{}}", &s),
	    "INVALID_TARGET");
	assert_string_equal(parse("{\"spellId\":\"a\",\"target\":5}", &s),
	    "INVALID_TARGET");
	assert_string_equal(parse("{\"spellId\":\"a\",\"target\":null}", &s),
	    "INVALID_TARGET");
}

static void
test_cast(void **state)
{
	gw_req           *r = fake_req(me,
	              "{\"spellId\":\"curse\",\"target\":"
	                        "{\"armyId\":9}}");
	Nd__ShardRequest *q;
	Nd__ShardReply    rep = ND__SHARD_REPLY__INIT;
	Nd__SpellResult   s   = ND__SPELL_RESULT__INIT;

	(void) state;
	gw_spell_cast(r);
	assert_int_equal(fake_ncalls, 1);
	assert_int_equal(fake_calls[0].shard,
	    cm_owner_shard_of_id(me, strlen(me), 4));
	q = fake_request(0);
	assert_string_equal(q->spell_cast->spell_id, "curse");
	assert_int_equal(q->spell_cast->target_case,
	    ND__SPELL_CAST__TARGET_ARMY_ID);
	assert_int_equal(q->spell_cast->army_id, 9);
	fake_request_free(q);
	s.success = true, s.effect = (char *) "cursed", s.mana_cost = 40;
	s.cooldown_end_ms = 3600000;
	rep.body_case     = ND__SHARD_REPLY__BODY_SPELL_RESULT;
	rep.spell_result  = &s;
	fake_answer(0, &rep);
	fake_done(r, 200);
	assert_true(json_is_true(json_object_get(r->answer, "success")));
	assert_int_equal(json_integer_value(
	                     json_object_get(r->answer, "manaCost")),
	    40);
	assert_string_equal(json_string_value(
	                        json_object_get(r->answer, "cooldownEnd")),
	    "1970-01-01T01:00:00.000Z");

	r = fake_req(me, "{\"spellId\":\"x\",\"target\":{\"x\":1,\"y\":2}}");
	gw_spell_cast(r);
	q = fake_request(1);
	assert_int_equal(q->spell_cast->target_case,
	    ND__SPELL_CAST__TARGET_COORD);
	assert_int_equal(q->spell_cast->coord->y, 2);
	fake_request_free(q);
	fake_refuse(1, "NOT_ENOUGH_MANA", 409);
	fake_done(r, 409);
	assert_string_equal(fake_code(r), "NOT_ENOUGH_MANA");
}

/* A cast is charged to spell/cast, a divination (scouting) to the seed's
 * territory/scout; a refused one reaches no shard; a malformed one costs
 * nothing. */
static void
test_cast_limits(void **state)
{
	gw_req *r;

	(void) state;
	r = fake_req(me, "{\"spellId\":\"curse\",\"target\":{\"armyId\":9}}");
	gw_spell_cast(r);
	assert_string_equal(fake_limit, "spell/cast");
	r = fake_req(me, "{\"spellId\":\"scry\",\"target\":{\"x\":1,\"y\":2}}");
	gw_spell_cast(r);
	assert_string_equal(fake_limit, "territory/scout");
	r = fake_req(me, "{\"spellId\":\"nosuch\",\"target\":{\"x\":1,\"y\":2}}");
	gw_spell_cast(r);
	assert_string_equal(fake_limit, "spell/cast");
	assert_int_equal(fake_ncalls, 3);

	fake_limit[0] = '\0';
	r = fake_req(me, "{\"spellId\":\"Bad!\",\"target\":{\"armyId\":9}}");
	gw_spell_cast(r);
	assert_int_equal(r->status, 400);
	assert_string_equal(fake_limit, "");

	fake_limit_deny = 1;
	r = fake_req(me, "{\"spellId\":\"curse\",\"target\":{\"armyId\":9}}");
	gw_spell_cast(r);
	assert_int_equal(r->status, 429);
	assert_string_equal(fake_code(r), "RATE_LIMITED");
	assert_int_equal(fake_ncalls, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse),
		T(test_cast),
		T(test_cast_limits),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
