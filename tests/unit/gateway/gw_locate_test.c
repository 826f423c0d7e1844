/*
 * gw_locate_test.c: finding an army's or a combat's shard: the Redis key,
 * strict decoding of the msgpack hint, the hinted call, the scatter when
 * the hint is missing or stale, and the outcomes of that scatter (the one
 * answer that is not *_NOT_FOUND; 404 when all are; 503 when one failed
 * and none had it).
 */
#include <msgpack.h>

#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

/* hint packs a map of n string keys with integer values. */
static int
hint(int nkeys, const char **keys, const int64_t *vals, int nshards)
{
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	int             s;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, (size_t) nkeys);
	for (int i = 0; i < nkeys; i++) {
		msgpack_pack_str_with_body(&pk, keys[i], strlen(keys[i]));
		msgpack_pack_int64(&pk, vals[i]);
	}
	s = gw_locate_hint(sb.data, sb.size, nshards);
	msgpack_sbuffer_destroy(&sb);
	return (s);
}

static void
test_hint(void **state)
{
	const char     *k1[] = { "shard" }, *k2[] = { "owner", "shard" };
	const char     *kd[] = { "shard", "shard" };
	const int64_t   v2[] = { 1, 2 }, v7[] = { 7 }, vm[] = { -1 };
	const int64_t   v3[] = { 3 };
	char            key[48];
	msgpack_sbuffer sb;
	msgpack_packer  pk;

	(void) state;
	assert_int_equal(hint(1, k1, v3, 4), 3);
	assert_int_equal(hint(2, k2, v2, 4), 2);
	assert_int_equal(hint(1, k1, v7, 4), -1); /* no such shard */
	assert_int_equal(hint(1, k1, vm, 4), -1); /* negative */
	assert_int_equal(hint(2, kd, v2, 4), -1); /* the key twice */
	assert_int_equal(hint(1, k2, v2, 4), -1); /* no "shard" */
	assert_int_equal(gw_locate_hint("", 0, 4), -1);
	assert_int_equal(gw_locate_hint("\xc1", 1, 4), -1);

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	/* The right map followed by one more byte. */
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "shard", 5);
	msgpack_pack_int(&pk, 1);
	assert_int_equal(gw_locate_hint(sb.data, sb.size, 4), 1);
	msgpack_pack_nil(&pk);
	assert_int_equal(gw_locate_hint(sb.data, sb.size, 4), -1);
	msgpack_sbuffer_clear(&sb);
	/* The shard as a string, a float, a bool. */
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "shard", 5);
	msgpack_pack_str_with_body(&pk, "1", 1);
	assert_int_equal(gw_locate_hint(sb.data, sb.size, 4), -1);
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "shard", 5);
	msgpack_pack_double(&pk, 1.0);
	assert_int_equal(gw_locate_hint(sb.data, sb.size, 4), -1);
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "shard", 5);
	msgpack_pack_true(&pk);
	assert_int_equal(gw_locate_hint(sb.data, sb.size, 4), -1);
	msgpack_sbuffer_clear(&sb);
	/* A non-string key; an array instead of a map. */
	msgpack_pack_map(&pk, 2);
	msgpack_pack_int(&pk, 5);
	msgpack_pack_int(&pk, 5);
	msgpack_pack_str_with_body(&pk, "shard", 5);
	msgpack_pack_int(&pk, 1);
	assert_int_equal(gw_locate_hint(sb.data, sb.size, 4), -1);
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_int(&pk, 1);
	assert_int_equal(gw_locate_hint(sb.data, sb.size, 4), -1);
	msgpack_sbuffer_destroy(&sb);

	gw_locate_key(GW_KIND_ARMY, 42, key, sizeof(key));
	assert_string_equal(key, "army:42");
	gw_locate_key(GW_KIND_COMBAT, 9007199254740992ULL, key, sizeof(key));
	assert_string_equal(key, "combat:9007199254740992");
}

static void
answer_army(int i, uint64_t id)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__Army       a   = ND__ARMY__INIT;
	Nd__UnitCount  u1 = ND__UNIT_COUNT__INIT, u2 = ND__UNIT_COUNT__INIT;
	Nd__UnitCount *us[] = { &u1, &u2 };

	a.id = id, a.owner = (char *) me, a.x = 3, a.y = 4;
	a.moving = true, a.dest_x = 5, a.dest_y = 6;
	a.status = (char *) "moving", a.morale = 90;
	a.arrival_time_ms = 60000;
	u1.type = (char *) "stoneshield", u1.count = 5;
	u2.type = (char *) "stoneshield", u2.count = 2; /* summed */
	a.n_units     = 2;
	a.units       = us;
	rep.body_case = ND__SHARD_REPLY__BODY_ARMY;
	rep.army      = &a;
	fake_answer(i, &rep);
}

static void
ask_army(gw_req *r, int hinted)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__ArmyGet      g  = ND__ARMY_GET__INIT;

	g.army_id    = 12;
	rq.body_case = ND__SHARD_REQUEST__BODY_ARMY_GET;
	rq.army_get  = &g;
	gw_locate_at(r, GW_KIND_ARMY, hinted, &rq, ND__SHARD_REPLY__BODY_ARMY,
	    army_render);
}

static void
test_hinted(void **state)
{
	gw_req *r = fake_req(me, NULL);
	json_t *a;

	(void) state;
	ask_army(r, 2);
	assert_int_equal(fake_ncalls, 1);
	assert_int_equal(fake_calls[0].shard, 2);
	answer_army(0, 12);
	fake_done(r, 200);
	assert_string_equal(fake_header(r, "X-Shard"), "2");
	a = r->answer;
	assert_int_equal(json_integer_value(json_object_get(a, "id")), 12);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(a, "units"),
	                         "stoneshield")),
	    7);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(a, "destination"),
	                         "y")),
	    6);
	assert_string_equal(json_string_value(
	                        json_object_get(a, "arrivalTime")),
	    "1970-01-01T00:01:00.000Z");
	assert_true(json_is_false(json_object_get(a, "garrison")));

	/* Another refusal of the hinted shard is the answer. */
	r = fake_req(me, NULL);
	ask_army(r, 2);
	fake_refuse(1, "NOT_OWNER", 403);
	fake_done(r, 403);
	assert_int_equal(fake_ncalls, 2);
}

static void
test_stale_hint(void **state)
{
	gw_req           *r = fake_req(me, NULL);
	Nd__ShardRequest *q0, *q;

	(void) state;
	ask_army(r, 1);
	fake_refuse(0, "ARMY_NOT_FOUND", 404);
	assert_int_equal(r->status, 0);
	assert_int_equal(fake_ncalls, 5); /* then every shard */
	q0 = fake_request(0);
	for (int i = 1; i < 5; i++) {
		q = fake_request(i);
		assert_int_equal(fake_calls[i].shard, i - 1);
		/* The very same request: its id too. */
		assert_int_equal(q->request_id, q0->request_id);
		assert_int_equal(q->army_get->army_id, 12);
		fake_request_free(q);
	}
	fake_request_free(q0);
	fake_refuse(1, "ARMY_NOT_FOUND", 404);
	fake_refuse(2, "ARMY_NOT_FOUND", 404);
	answer_army(4, 12);
	fake_refuse(3, "ARMY_NOT_FOUND", 404);
	fake_done(r, 200);
	assert_string_equal(fake_header(r, "X-Shard"), "3");
}

static void
test_scatter_outcomes(void **state)
{
	gw_req *r = fake_req(me, NULL);

	(void) state;
	/* No hint: straight to every shard; nobody has it. */
	ask_army(r, -1);
	assert_int_equal(fake_ncalls, 4);
	for (int i = 0; i < 4; i++) {
		fake_refuse(i, "ARMY_NOT_FOUND", 404);
	}
	fake_done(r, 404);
	assert_string_equal(fake_code(r), "ARMY_NOT_FOUND");

	/* Nobody that answered has it, but shard 1 did not answer. */
	r = fake_req(me, NULL);
	ask_army(r, -1);
	fake_refuse(4, "ARMY_NOT_FOUND", 404);
	fake_fail(5, CM_ETIMEDOUT);
	fake_refuse(6, "ARMY_NOT_FOUND", 404);
	fake_refuse(7, "ARMY_NOT_FOUND", 404);
	fake_done(r, 503);
	assert_string_equal(fake_code(r), "SHARD_UNAVAILABLE");

	/* Shard 3 has it while shard 0 is down: the answer stands. */
	r = fake_req(me, NULL);
	ask_army(r, -1);
	fake_fail(8, CM_ECLOSED);
	fake_refuse(9, "ARMY_NOT_FOUND", 404);
	fake_refuse(10, "ARMY_NOT_FOUND", 404);
	fake_refuse(11, "NOT_OWNER", 403);
	fake_done(r, 403);
	assert_string_equal(fake_code(r), "NOT_OWNER");
}

static void
test_combat(void **state)
{
	gw_req          *r   = fake_req("", NULL);
	Nd__ShardReply   rep = ND__SHARD_REPLY__INIT;
	Nd__CombatResult c   = ND__COMBAT_RESULT__INIT;
	json_t          *a;

	(void) state;
	fake_param(r, 0, "77");
	gw_combat_result(r); /* no Redis in the fake: a scatter */
	assert_int_equal(fake_ncalls, 4);
	fake_refuse(0, "COMBAT_NOT_FOUND", 404);
	fake_refuse(1, "COMBAT_NOT_FOUND", 404);
	fake_refuse(3, "COMBAT_NOT_FOUND", 404);
	c.id = 77, c.attacker = (char *) me, c.defender = (char *) "";
	c.x = 1, c.y = 2, c.status = (char *) "pending";
	c.winner          = (char *) "";
	rep.body_case     = ND__SHARD_REPLY__BODY_COMBAT_RESULT;
	rep.combat_result = &c;
	fake_answer(2, &rep);
	fake_done(r, 200);
	a = r->answer;
	assert_true(json_is_null(json_object_get(a, "winner")));
	assert_true(json_is_null(json_object_get(a, "resultHash")));
	assert_true(json_is_null(json_object_get(a, "resolvedAt")));
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(a, "loot"),
	                         "mana")),
	    0);
	assert_int_equal(json_object_size(
	                     json_object_get(json_object_get(a, "casualties"),
	                         "attacker")),
	    0);

	/* Malformed ids never reach a shard. */
	r = fake_req("", NULL);
	fake_param(r, 0, "0");
	gw_combat_result(r);
	assert_int_equal(r->status, 400);
	assert_string_equal(fake_code(r), "INVALID_ID");
	assert_int_equal(fake_ncalls, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_hint),
		T(test_hinted),
		T(test_stale_hint),
		T(test_scatter_outcomes),
		T(test_combat),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
