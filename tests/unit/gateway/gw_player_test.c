/*
 * gw_player_test.c: merging a player's parts from every shard: the home
 * part's record, territories in row order, armies by id, resources and
 * points summed (mana with the home's own), and who counts as
 * registered.
 */
#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

/* A player's parts on 3 shards: home on shard 1. */
typedef struct parts {
	Nd__ShardReply     rep[3];
	Nd__ShardReply    *reps[3];
	Nd__PlayerPart     p[3];
	Nd__TerritoryBrief t[4], *tp[3][2];
	Nd__Army           a[3], *ap[3][1];
	Nd__Resources      res[3];
	Nd__Captain        cap;
} parts;

static void
parts_init(parts *s, bool registered)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 3; i++) {
		nd__shard_reply__init(&s->rep[i]);
		nd__player_part__init(&s->p[i]);
		nd__resources__init(&s->res[i]);
		nd__army__init(&s->a[i]);
		s->rep[i].body_case   = ND__SHARD_REPLY__BODY_PLAYER_PART;
		s->rep[i].player_part = &s->p[i];
		s->reps[i]            = &s->rep[i];
		s->res[i].gold        = 10 * (i + 1);
		s->res[i].mana        = 1;
		s->p[i].resources     = &s->res[i];
		s->p[i].domain_points = 100 + i;
		s->a[i].id            = (uint64_t) (30 - i);
		s->a[i].owner         = (char *) me;
		s->a[i].status        = (char *) "idle";
		s->ap[i][0]           = &s->a[i];
		s->p[i].n_armies      = 1;
		s->p[i].armies        = s->ap[i];
	}
	for (int k = 0; k < 4; k++) {
		nd__territory_brief__init(&s->t[k]);
		s->t[k].terrain = (char *) "plains";
		s->t[k].zone    = (char *) "outer";
	}
	/* Shard 0 holds (5, 9) and (2, 3); shard 2 holds (1, 3), (70, 0). */
	s->t[0].x = 5, s->t[0].y = 9, s->t[0].garrison = 4;
	s->t[1].x = 2, s->t[1].y = 3, s->t[1].buildings = 2;
	s->t[2].x = 1, s->t[2].y = 3;
	s->t[3].x = 70, s->t[3].y = 0;
	s->tp[0][0] = &s->t[0], s->tp[0][1] = &s->t[1];
	s->tp[2][0] = &s->t[2], s->tp[2][1] = &s->t[3];
	s->p[0].n_territories = 2, s->p[0].territories = s->tp[0];
	s->p[2].n_territories = 2, s->p[2].territories = s->tp[2];
	/* Fog of war: a part lists the tiles the asker may see, and counts
	 * them all. */
	s->p[0].territory_count = 3, s->p[2].territory_count = 2;
	nd__captain__init(&s->cap);
	s->cap.name           = (char *) "Grom";
	s->cap.class_         = (char *) "warlord";
	s->cap.skill          = (char *) "vanguard";
	s->p[1].home          = true;
	s->p[1].registered    = registered;
	s->p[1].race          = (char *) "ironveld";
	s->p[1].captain       = &s->cap;
	s->p[1].premium       = true;
	s->p[1].alliance_id   = 8;
	s->p[1].mana          = 50;
	s->p[1].registered_ms = 3000;
}

static int
xy(json_t *a, size_t i, const char *k)
{
	return ((int) json_integer_value(
	    json_object_get(json_array_get(a, i), k)));
}

static void
test_state(void **state)
{
	parts       s;
	const char *code;
	json_t     *o, *t, *a, *res;

	(void) state;
	parts_init(&s, true);
	o = gw_player_state_json(me, s.reps, 3, &code);
	assert_non_null(o);
	assert_null(code);
	assert_string_equal(json_string_value(json_object_get(o, "race")),
	    "ironveld");
	assert_true(json_is_true(json_object_get(o, "premium")));
	assert_string_equal(json_string_value(
	                        json_object_get(o, "registeredAt")),
	    "1970-01-01T00:00:03.000Z");
	assert_string_equal(json_string_value(
	                        json_object_get(json_object_get(o, "captain"),
	                            "class")),
	    "warlord");
	assert_int_equal(json_integer_value(json_object_get(o, "alliance")),
	    8);
	t = json_object_get(o, "territories");
	assert_int_equal(json_array_size(t), 4);
	/* Row by row: (70,0) (1,3) (2,3) (5,9). */
	assert_int_equal(xy(t, 0, "x"), 70);
	assert_int_equal(xy(t, 1, "x"), 1);
	assert_int_equal(xy(t, 2, "x"), 2);
	assert_int_equal(xy(t, 2, "buildings"), 2);
	assert_true(
	    json_is_null(json_object_get(json_array_get(t, 2), "garrison")));
	assert_int_equal(xy(t, 3, "garrison"), 4);
	a = json_object_get(o, "armies");
	assert_int_equal(json_array_size(a), 3);
	assert_int_equal(xy(a, 0, "id"), 28);
	assert_int_equal(xy(a, 2, "id"), 30);
	res = json_object_get(o, "resources");
	assert_int_equal(json_integer_value(json_object_get(res, "gold")), 60);
	assert_int_equal(json_integer_value(json_object_get(res, "mana")), 53);
	assert_int_equal(json_integer_value(json_object_get(res, "food")), 0);
	assert_int_equal(json_integer_value(
	                     json_object_get(o, "domainPoints")),
	    303);
	json_decref(o);

	/* No captain, no alliance, a part without resources. */
	s.p[1].captain     = NULL;
	s.p[1].alliance_id = 0;
	s.p[0].resources   = NULL;
	o                  = gw_player_state_json(me, s.reps, 3, &code);
	assert_true(json_is_null(json_object_get(o, "captain")));
	assert_true(json_is_null(json_object_get(o, "alliance")));
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(o, "resources"),
	                         "gold")),
	    50);
	json_decref(o);

	/* Not registered, or no home part at all. */
	parts_init(&s, false);
	assert_null(gw_player_state_json(me, s.reps, 3, &code));
	assert_string_equal(code, "NOT_REGISTERED");
	s.p[1].home       = false;
	s.p[1].registered = true;
	assert_null(gw_player_state_json(me, s.reps, 3, &code));
	assert_string_equal(code, "NOT_REGISTERED");
}

static void
test_public(void **state)
{
	parts       s;
	const char *code;
	json_t     *o, *t;

	(void) state;
	parts_init(&s, true);
	o = gw_player_public_json(me, s.reps, 3, &code);
	assert_non_null(o);
	assert_int_equal(json_object_size(o), 6);
	t = json_object_get(o, "territories");
	assert_int_equal(json_array_size(t), 4);
	assert_int_equal(json_integer_value(
	                     json_object_get(o, "territoryCount")),
	    5);
	assert_int_equal(json_object_size(json_array_get(t, 0)), 2);
	assert_int_equal(xy(t, 0, "y"), 0);
	assert_int_equal(json_integer_value(
	                     json_object_get(o, "domainPoints")),
	    303);
	assert_null(json_object_get(o, "armies"));
	json_decref(o);
	parts_init(&s, false);
	assert_null(gw_player_public_json(me, s.reps, 3, &code));
	assert_string_equal(code, "PLAYER_NOT_FOUND");
}

static void
test_routes(void **state)
{
	gw_req           *r = fake_req(me, NULL);
	Nd__ShardRequest *q;
	parts             s;

	(void) state;
	gw_player_state(r);
	assert_int_equal(fake_ncalls, 4);
	q = fake_request(0);
	assert_string_equal(q->player_get->address, me);
	assert_true(q->player_get->full);
	fake_request_free(q);
	parts_init(&s, false);
	fake_answer(0, &s.rep[0]);
	fake_answer(1, &s.rep[1]);
	fake_answer(2, &s.rep[2]);
	fake_answer(3, &s.rep[0]);
	fake_done(r, 403);
	assert_string_equal(fake_code(r), "NOT_REGISTERED");

	r = fake_req("", NULL);
	fake_param(r, 0, "0xAB00000000000000000000000000000000000000");
	gw_player_public(r);
	q = fake_request(4);
	assert_string_equal(q->player_get->address,
	    "0xab00000000000000000000000000000000000000");
	assert_false(q->player_get->full);
	assert_string_equal(q->player, "");
	fake_request_free(q);
	parts_init(&s, true);
	for (int i = 4; i < 8; i++) {
		fake_answer(i, &s.rep[i == 5 ? 1 : 0]);
	}
	fake_done(r, 200);
	assert_string_equal(json_string_value(
	                        json_object_get(r->answer, "address")),
	    "0xab00000000000000000000000000000000000000");

	r = fake_req("", NULL);
	fake_param(r, 0, "0xAB0000000000000000000000000000000000000");
	gw_player_public(r);
	assert_string_equal(fake_code(r), "INVALID_ADDRESS");
	assert_int_equal(fake_ncalls, 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_state),
		T(test_public),
		T(test_routes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
