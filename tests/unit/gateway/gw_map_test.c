/*
 * gw_map_test.c: the map window, the zones as cm_map_zone draws them, the
 * terrain cache, and GET /game/map with and without a signed-in asker.
 */
#include "gateway/gw_fake.h"

static const char *const me = "0x00000000000000000000000000000000000000aa";

static const char *
window(const char *x0, const char *y0, const char *x1, const char *y1,
    cm_rect *w)
{
	const char *v[4] = { x0, y0, x1, y1 };
	int         c[4];

	for (int i = 0; i < 4; i++) {
		c[i] = v[i] != NULL;
	}
	return (gw_map_window(&fake_app.layout, v, c, w));
}

static void
test_window(void **state)
{
	cm_rect     w;
	cm_layout   big;
	int         c[4] = { 0, 0, 0, 0 };
	const char *v[4] = { NULL, NULL, NULL, NULL };

	(void) state;
	assert_null(window(NULL, NULL, NULL, NULL, &w));
	assert_int_equal(w.x1, 99);
	assert_int_equal(w.y1, 99);
	assert_null(window("10", NULL, "20", "5", &w));
	assert_int_equal(w.x0, 10);
	assert_int_equal(w.y0, 0);
	assert_int_equal(w.x1, 20);
	assert_int_equal(w.y1, 5);
	assert_null(window("7", "7", "7", "7", &w));
	assert_non_null(window("20", NULL, "10", NULL, &w)); /* x0 > x1 */
	assert_non_null(window(NULL, NULL, "100", NULL, &w));
	assert_non_null(window("-1", NULL, NULL, NULL, &w));
	assert_non_null(window("a", NULL, NULL, NULL, &w));
	assert_non_null(window("", NULL, NULL, NULL, &w));
	assert_non_null(window("1.5", NULL, NULL, NULL, &w));
	c[0] = 2;
	v[0] = "1";
	assert_non_null(gw_map_window(&fake_app.layout, v, c, &w));
	/* At most 250000 tiles: a 1000 x 1000 map needs a window. */
	assert_int_equal(cm_layout_init(&big, 1000, 1000, 4), CM_OK);
	c[0] = 0;
	v[0] = NULL;
	assert_non_null(gw_map_window(&big, v, c, &w));
	v[2] = "499", v[3] = "499", c[2] = c[3] = 1;
	assert_null(gw_map_window(&big, v, c, &w));
	v[2] = "500";
	assert_non_null(gw_map_window(&big, v, c, &w));
}

static void
check_zones(int w, int h)
{
	json_t *z = map_zones(w, h);
	size_t  i;
	json_t *e;

	json_array_foreach(z, i, e)
	{
		const char *id = json_string_value(json_object_get(e, "id"));
		json_t     *mx = json_object_get(e, "maxDistance");
		int         lo = (int) json_integer_value(
		            json_object_get(e, "minDistance"));
		int hi =
		    json_is_null(mx) ? w / 2 : (int) json_integer_value(mx);

		/* Every distance of the band is that zone, the next is not. */
		for (int d = lo; d <= hi && w / 2 + d < w; d++) {
			assert_string_equal(cm_zone_name(cm_map_zone(w, h,
			                        w / 2 + d, h / 2)),
			    id);
		}
		if (!json_is_null(mx) && w / 2 + hi + 1 < w) {
			assert_string_not_equal(cm_zone_name(cm_map_zone(w, h,
			                            w / 2 + hi + 1, h / 2)),
			    id);
		}
	}
	json_decref(z);
}

static void
test_zones(void **state)
{
	json_t *z = map_zones(100, 100), *e;

	(void) state;
	assert_int_equal(json_array_size(z), 4);
	e = json_array_get(z, 0);
	assert_string_equal(json_string_value(json_object_get(e, "id")),
	    "heart");
	assert_int_equal(json_integer_value(json_object_get(e, "minDistance")),
	    0);
	assert_int_equal(json_integer_value(json_object_get(e, "maxDistance")),
	    5);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_object_get(e, "center"),
	                         "x")),
	    50);
	e = json_array_get(z, 1);
	assert_int_equal(json_integer_value(json_object_get(e, "maxDistance")),
	    20);
	e = json_array_get(z, 2);
	assert_int_equal(json_integer_value(json_object_get(e, "minDistance")),
	    21);
	assert_int_equal(json_integer_value(json_object_get(e, "maxDistance")),
	    35);
	e = json_array_get(z, 3);
	assert_string_equal(json_string_value(json_object_get(e, "id")),
	    "outer");
	assert_int_equal(json_integer_value(json_object_get(e, "minDistance")),
	    36);
	assert_true(json_is_null(json_object_get(e, "maxDistance")));
	json_decref(z);
	check_zones(100, 100);
	check_zones(37, 20);
	check_zones(1, 1);
	check_zones(4096, 7);
}

static void
test_cache(void **state)
{
	gw_map_ref   *r1, *r2, *r3;
	const cm_map *m1, *m2, *m3;

	(void) state;
	m1 = gw_maps_get(fake_app.maps, 1, 42, 100, 100, &r1);
	m2 = gw_maps_get(fake_app.maps, 1, 42, 100, 100, &r2);
	assert_non_null(m1);
	assert_ptr_equal(m1, m2); /* generated once */
	m3 = gw_maps_get(fake_app.maps, 2, 43, 100, 100, &r3);
	assert_ptr_not_equal(m1, m3);
	/* The old map is still readable by its holders. */
	assert_int_equal(cm_map_width(m1), 100);
	gw_maps_put(fake_app.maps, r1);
	gw_maps_put(fake_app.maps, r2);
	gw_maps_put(fake_app.maps, r3);
	assert_null(gw_maps_get(fake_app.maps, 3, 1, 0, 100, &r1));
}

static void
answer_generation(int i, uint32_t id)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__Generation g   = ND__GENERATION__INIT;

	g.id = id, g.map_seed = 7;
	g.map_width  = (uint32_t) fake_app.layout.w;
	g.map_height = (uint32_t) fake_app.layout.h;
	g.phase = (char *) "planning", g.status = (char *) "planning";
	rep.body_case  = ND__SHARD_REPLY__BODY_GENERATION;
	rep.generation = &g;
	fake_answer(i, &rep);
}

static void
answer_tiles(int i, int x, int y)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__MapPart    mp  = ND__MAP_PART__INIT;
	Nd__TileOwner  t = ND__TILE_OWNER__INIT, *tp = &t;

	t.x = x, t.y = y, t.owner = (char *) me;
	mp.n_tiles    = 1;
	mp.tiles      = &tp;
	rep.body_case = ND__SHARD_REPLY__BODY_MAP_PART;
	rep.map_part  = &mp;
	fake_answer(i, &rep);
}

static void
test_route(void **state)
{
	gw_req *r = fake_req("", NULL);
	json_t *ts, *t;

	(void) state;
	fake_query(r, "x0", "0");
	fake_query(r, "y0", "0");
	fake_query(r, "x1", "9");
	fake_query(r, "y1", "4");
	gw_map_get(r);
	assert_int_equal(fake_ncalls, 1); /* anonymous: no ownership */
	answer_generation(0, 4);
	fake_done(r, 200);
	assert_int_equal(r->continued, 1); /* rendered on an HTTP thread */
	assert_int_equal(json_integer_value(
	                     json_object_get(r->answer, "generation")),
	    4);
	assert_int_equal(json_integer_value(
	                     json_object_get(r->answer, "width")),
	    100);
	ts = json_object_get(r->answer, "territories");
	assert_int_equal(json_array_size(ts), 50);
	t = json_array_get(ts, 13); /* row-major: (3, 1) */
	assert_int_equal(json_integer_value(json_object_get(t, "x")), 3);
	assert_int_equal(json_integer_value(json_object_get(t, "y")), 1);
	assert_non_null(json_object_get(t, "terrain"));
	assert_null(json_object_get(t, "owner"));
	assert_int_equal(json_array_size(json_object_get(r->answer, "zones")),
	    4);

	r = fake_req(me, NULL);
	fake_query(r, "x1", "9");
	fake_query(r, "y1", "9");
	gw_map_get(r);
	assert_int_equal(fake_ncalls, 6);
	answer_tiles(2, 3, 4);
	answer_tiles(3, 60, 4); /* outside the window */
	answer_tiles(4, 5, 99);
	answer_tiles(5, 9, 9);
	assert_int_equal(r->status, 0);
	answer_generation(1, 4);
	fake_done(r, 200);
	ts = json_object_get(r->answer, "territories");
	assert_int_equal(json_array_size(ts), 100);
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(ts, 43),
	                            "owner")),
	    me);
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(ts, 99),
	                            "owner")),
	    me);
	assert_null(json_object_get(json_array_get(ts, 44), "owner"));
	assert_string_equal(fake_header(r, "X-Shard"), "all");

	/* One region down: no partial map. */
	r = fake_req(me, NULL);
	gw_map_get(r);
	answer_generation(6, 4);
	answer_tiles(7, 1, 1);
	fake_fail(8, CM_ETIMEDOUT);
	answer_tiles(9, 1, 1);
	answer_tiles(10, 1, 1);
	fake_done(r, 503);

	r = fake_req("", NULL);
	fake_query(r, "x0", "100");
	gw_map_get(r);
	assert_string_equal(fake_code(r), "INVALID_COORD");
}

static void
test_text(void **state)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT, *reps[1] = { &rep };
	Nd__MapPart    mp = ND__MAP_PART__INIT;
	Nd__TileOwner  t[3], *tp[3] = { &t[0], &t[1], &t[2] };
	gw_map_ref    *ref;
	const cm_map  *m = gw_maps_get(fake_app.maps, 1, 9, 100, 100, &ref);
	cm_rect        w = { 0, 0, 2, 0 };
	size_t         len;
	char          *s;
	json_t        *o, *ts;

	(void) state;
	for (int i = 0; i < 3; i++) {
		nd__tile_owner__init(&t[i]);
		t[i].x = i;
	}
	t[0].owner = (char *) "0x\"},{\"x\":0000000000000000000000000000000";
	t[1].owner = (char *) "0x00000000000000000000000000000000000000AA";
	t[2].owner = (char *) me;
	mp.n_tiles = 3;
	mp.tiles   = tp;
	rep.body_case = ND__SHARD_REPLY__BODY_MAP_PART;
	rep.map_part  = &mp;
	s             = gw_map_text(m, 1, &w, reps, 1, &len);
	assert_int_equal(strlen(s), len);
	o = json_loadb(s, len, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(o);
	ts = json_object_get(o, "territories");
	assert_int_equal(json_array_size(ts), 3);
	assert_null(json_object_get(json_array_get(ts, 0), "owner"));
	assert_null(json_object_get(json_array_get(ts, 1), "owner"));
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(ts, 2),
	                            "owner")),
	    me);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_array_get(ts, 2), "x")),
	    2);
	json_decref(o);
	free(s);
	gw_maps_put(fake_app.maps, ref);
}

/* A generation of another map size than the gateway's: refused. */
static void
test_size_mismatch(void **state)
{
	gw_req        *r = fake_req("", NULL);
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__Generation g   = ND__GENERATION__INIT;

	(void) state;
	gw_map_get(r);
	g.id = 4, g.map_seed = 7, g.map_width = 200, g.map_height = 100;
	g.phase = (char *) "planning", g.status = (char *) "planning";
	rep.body_case  = ND__SHARD_REPLY__BODY_GENERATION;
	rep.generation = &g;
	fake_answer(0, &rep);
	fake_done(r, 500);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(r->answer, "error"), "code")),
	    "WRONG_SHARD");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_window),
		T(test_zones),
		T(test_cache),
		T(test_route),
		T(test_text),
		T(test_size_mismatch),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
