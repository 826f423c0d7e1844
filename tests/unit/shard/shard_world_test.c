/*
 * shard_world_test.c: the shard's answers, from protobuf bytes in to
 * protobuf bytes out: ping, generation phases, a tile of its own region,
 * refusals (outside the map, another shard's tile, undecodable bytes), and
 * batches answered in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../shard/shard_world.c"

#define DAY_MS_T (86400LL * 1000)

typedef struct fixture {
	cm_metrics  *m;
	shard_world *w; /* shard 2 of 4 on 100x100: x 0-49, y 50-99 */
} fixture;

static int
setup(void **state)
{
	fixture  *f = cm_calloc(1, sizeof(*f));
	cm_layout l;

	cm_assert(cm_layout_init(&l, 100, 100, 4) == CM_OK);
	f->m = cm_metrics_new();
	cm_assert(shard_world_new(&l, 2, 7, 1, cm_time_now_ms(), f->m,
	              &f->w) == CM_OK);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	fixture *f = *state;

	shard_world_free(f->w);
	cm_metrics_free(f->m);
	free(f);
	return (0);
}

/* ask packs rq, lets the world answer, and unpacks the reply. */
static Nd__ShardReply *
ask(shard_world *w, Nd__ShardRequest *rq)
{
	size_t          len = nd__shard_request__get_packed_size(rq), rlen;
	uint8_t        *buf = cm_malloc(len), *rep;
	Nd__ShardReply *r;

	nd__shard_request__pack(rq, buf);
	shard_world_handle(w, buf, len, &rep, &rlen);
	r = nd__shard_reply__unpack(NULL, rlen, rep);
	assert_non_null(r);
	free(buf);
	free(rep);
	return (r);
}

static Nd__ShardReply *
ask_tile(shard_world *w, int x, int y)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__TerritoryGet t  = ND__TERRITORY_GET__INIT;

	t.x              = x;
	t.y              = y;
	rq.request_id    = 99;
	rq.body_case     = ND__SHARD_REQUEST__BODY_TERRITORY_GET;
	rq.territory_get = &t;
	return (ask(w, &rq));
}

static void
test_ping_and_generation(void **state)
{
	fixture          *f  = *state;
	Nd__ShardRequest  rq = ND__SHARD_REQUEST__INIT;
	Nd__PingRequest   p  = ND__PING_REQUEST__INIT;
	Nd__GenerationGet g  = ND__GENERATION_GET__INIT;
	Nd__ShardReply   *r;

	rq.request_id = 5;
	rq.body_case  = ND__SHARD_REQUEST__BODY_PING;
	rq.ping       = &p;
	r             = ask(f->w, &rq);
	assert_int_equal(r->request_id, 5);
	assert_int_equal(r->shard, 2);
	assert_int_equal(r->body_case, ND__SHARD_REPLY__BODY_PONG);
	assert_int_equal(r->pong->shard_count, 4);
	nd__shard_reply__free_unpacked(r, NULL);

	rq.body_case      = ND__SHARD_REQUEST__BODY_GENERATION_GET;
	rq.generation_get = &g;
	r                 = ask(f->w, &rq);
	assert_int_equal(r->generation->id, 7);
	assert_int_equal(r->generation->day, 1);
	assert_string_equal(r->generation->phase, "planning");
	assert_string_equal(r->generation->status, "planning");
	assert_true(r->generation->end_time_ms - r->generation->start_time_ms ==
	    50 * DAY_MS_T);
	nd__shard_reply__free_unpacked(r, NULL);

	/* Day 21 is "mid" and "active"; day 47 "late" and "endgame". */
	f->w->gen_start_ms = cm_time_now_ms() - 20 * DAY_MS_T - 1000;
	r                  = ask(f->w, &rq);
	assert_int_equal(r->generation->day, 21);
	assert_string_equal(r->generation->phase, "mid");
	assert_string_equal(r->generation->status, "active");
	nd__shard_reply__free_unpacked(r, NULL);
	f->w->gen_start_ms = cm_time_now_ms() - 46 * DAY_MS_T - 1000;
	r                  = ask(f->w, &rq);
	assert_string_equal(r->generation->phase, "late");
	assert_string_equal(r->generation->status, "endgame");
	nd__shard_reply__free_unpacked(r, NULL);
	f->w->gen_start_ms = cm_time_now_ms() - 60 * DAY_MS_T;
	r                  = ask(f->w, &rq);
	assert_string_equal(r->generation->phase, "ended");
	assert_int_equal(r->generation->day, 51);
	nd__shard_reply__free_unpacked(r, NULL);
	f->w->gen_start_ms = cm_time_now_ms();
}

static void
test_own_tile(void **state)
{
	fixture        *f = *state;
	Nd__ShardReply *r = ask_tile(f->w, 10, 80);

	assert_null(r->error);
	assert_int_equal(r->request_id, 99);
	assert_int_equal(r->body_case, ND__SHARD_REPLY__BODY_TERRITORY);
	assert_int_equal(r->territory->x, 10);
	assert_int_equal(r->territory->y, 80);
	assert_string_equal(r->territory->owner, "");
	assert_string_equal(r->territory->zone, "outer");
	assert_string_equal(r->territory->terrain,
	    cm_terrain_name(cm_map_terrain(f->w->map, 10, 80)));
	assert_int_equal(r->territory->trust, 100);
	nd__shard_reply__free_unpacked(r, NULL);
	r = ask_tile(f->w, 49, 50); /* the region's corner next to the heart */
	assert_null(r->error);
	assert_string_equal(r->territory->zone, "heart");
	nd__shard_reply__free_unpacked(r, NULL);
}

static void
test_refusals(void **state)
{
	fixture        *f = *state;
	Nd__ShardReply *r;
	uint8_t        *rep;
	size_t          rlen;
	static const uint8_t junk[] = { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };

	r = ask_tile(f->w, 100, 80);
	assert_string_equal(r->error->code, "INVALID_COORD");
	assert_int_equal(r->error->http_status, 400);
	nd__shard_reply__free_unpacked(r, NULL);
	r = ask_tile(f->w, -1, 80);
	assert_string_equal(r->error->code, "INVALID_COORD");
	nd__shard_reply__free_unpacked(r, NULL);
	r = ask_tile(f->w, 60, 10); /* shard 1's */
	assert_string_equal(r->error->code, "WRONG_SHARD");
	nd__shard_reply__free_unpacked(r, NULL);

	shard_world_handle(f->w, junk, sizeof(junk), &rep, &rlen);
	r = nd__shard_reply__unpack(NULL, rlen, rep);
	assert_non_null(r);
	assert_string_equal(r->error->code, "BAD_REQUEST");
	nd__shard_reply__free_unpacked(r, NULL);
	free(rep);
}

static void
test_batch_in_order(void **state)
{
	fixture             *f = *state;
	Nd__ShardRequest     rq[3];
	Nd__TerritoryGet     t[3];
	ProtobufCBinaryData  items[3];
	Nd__ShardBatch       b = ND__SHARD_BATCH__INIT;
	Nd__ShardBatchReply *out;
	uint8_t             *buf, *rep;
	size_t               len, rlen;
	static const uint8_t junk[] = { 0x0a, 0x05, 0x01 };

	for (int i = 0; i < 3; i++) {
		nd__shard_request__init(&rq[i]);
		nd__territory_get__init(&t[i]);
		t[i].x              = i;
		t[i].y              = 60 + i;
		rq[i].request_id    = 1000 + (uint64_t) i;
		rq[i].body_case     = ND__SHARD_REQUEST__BODY_TERRITORY_GET;
		rq[i].territory_get = &t[i];
		items[i].len        = nd__shard_request__get_packed_size(&rq[i]);
		items[i].data       = cm_malloc(items[i].len);
		nd__shard_request__pack(&rq[i], items[i].data);
	}
	b.n_requests = 3;
	b.requests   = items;
	len          = nd__shard_batch__get_packed_size(&b);
	buf          = cm_malloc(len);
	nd__shard_batch__pack(&b, buf);
	shard_world_handle_batch(f->w, buf, len, &rep, &rlen);
	out = nd__shard_batch_reply__unpack(NULL, rlen, rep);
	assert_non_null(out);
	assert_int_equal(out->n_replies, 3);
	for (int i = 0; i < 3; i++) {
		Nd__ShardReply *r = nd__shard_reply__unpack(
		    NULL, out->replies[i].len, out->replies[i].data);

		assert_int_equal(r->request_id, 1000 + i);
		assert_int_equal(r->territory->y, 60 + i);
		nd__shard_reply__free_unpacked(r, NULL);
		free(items[i].data);
	}
	nd__shard_batch_reply__free_unpacked(out, NULL);
	free(buf);
	free(rep);

	/* A batch that does not decode gets an answer with no replies. */
	shard_world_handle_batch(f->w, junk, sizeof(junk), &rep, &rlen);
	assert_int_equal(rlen, 0);
	free(rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping_and_generation),
		cmocka_unit_test(test_own_tile),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_batch_in_order),
	};

	cm_log_init("test", -1);
	return (cmocka_run_group_tests(tests, setup, teardown));
}
