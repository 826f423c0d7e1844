/*
 * shard_world.c: generation, terrain and the shard's read requests.
 *
 * The generation row is created by whichever shard starts first (INSERT
 * ... ON CONFLICT DO NOTHING), so every shard reads the same map seed and
 * generates the same terrain.  Requests for tiles outside this shard's
 * region are refused with WRONG_SHARD: the gateway routes by the same
 * layout, so such a request means the two disagree about the shard count.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_time.h"
#include "shard.pb-c.h"
#include "shard_world.h"

#define DAY_MS (86400LL * 1000)
#define GENERATION_DAYS 50

struct shard_world {
	cm_layout   layout;
	int         index;
	cm_rect     region;
	cm_map     *map;
	uint32_t    gen_id;
	uint64_t    map_seed;
	int64_t     gen_start_ms;
	uint32_t    player_count;
	cm_metric  *m_requests;
};

/* world_generation_row reads the current generation's row. */
static cm_err
world_generation_row(PGconn *pg, const cm_layout *l, uint32_t *id,
    uint64_t *seed, int64_t *start_ms)
{
	PGresult *r = PQexec(pg,
	    "SELECT id, map_seed, map_width, map_height,"
	    " (EXTRACT(EPOCH FROM started_at) * 1000)::BIGINT"
	    " FROM generations WHERE ended_at IS NULL"
	    " ORDER BY id DESC LIMIT 1");
	cm_err rv = CM_OK;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		cm_log_error("no current generation", "{s:s}", "error",
		    PQresultErrorMessage(r));
		rv = CM_EDB;
		goto out;
	}
	if (atol(PQgetvalue(r, 0, 2)) != l->w ||
	    atol(PQgetvalue(r, 0, 3)) != l->h) {
		cm_log_error("map size differs from the generation's",
		    "{s:i,s:i,s:s,s:s}", "map_width", l->w, "map_height", l->h,
		    "gen_width", PQgetvalue(r, 0, 2), "gen_height",
		    PQgetvalue(r, 0, 3));
		rv = CM_ECONFIG;
		goto out;
	}
	*id       = (uint32_t) strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	*seed     = strtoull(PQgetvalue(r, 0, 1), NULL, 10);
	*start_ms = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
out:
	PQclear(r);
	return (rv);
}

cm_err
shard_world_new(const cm_layout *l, int index, uint32_t gen_id,
    uint64_t map_seed, int64_t gen_start_ms, cm_metrics *metrics,
    shard_world **out)
{
	shard_world *w = cm_calloc(1, sizeof(*w));
	cm_err       rv;

	w->layout       = *l;
	w->index        = index;
	w->region       = cm_layout_region(l, index);
	w->gen_id       = gen_id;
	w->map_seed     = map_seed;
	w->gen_start_ms = gen_start_ms;
	if ((rv = cm_map_generate(l->w, l->h, map_seed, &w->map)) != CM_OK) {
		free(w);
		return (rv);
	}
	w->m_requests = cm_metrics_counter(metrics,
	    "nd_shard_requests_total", "Requests answered by type and code",
	    "type,code");
	*out = w;
	return (CM_OK);
}

cm_err
shard_world_load(PGconn *pg, const cm_layout *l, int index, uint64_t seed,
    cm_metrics *metrics, shard_world **out)
{
	shard_world *w;
	char         sseed[24], sw[16], sh[16];
	const char  *params[3] = { sseed, sw, sh };
	PGresult    *r;
	uint32_t     gen_id;
	uint64_t     map_seed;
	int64_t      start_ms;
	cm_err       rv;

	snprintf(sseed, sizeof(sseed), "%lld", (long long) (seed & INT64_MAX));
	snprintf(sw, sizeof(sw), "%d", l->w);
	snprintf(sh, sizeof(sh), "%d", l->h);
	r = PQexecParams(pg,
	    "INSERT INTO generations (id, map_seed, map_width, map_height)"
	    " VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING",
	    3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		cm_log_error("cannot create generation", "{s:s}", "error",
		    PQresultErrorMessage(r));
		PQclear(r);
		return (CM_EDB);
	}
	PQclear(r);
	if ((rv = world_generation_row(pg, l, &gen_id, &map_seed,
	         &start_ms)) != CM_OK ||
	    (rv = shard_world_new(l, index, gen_id, map_seed, start_ms,
	         metrics, &w)) != CM_OK) {
		return (rv);
	}
	if ((rv = shard_world_refresh(w, pg)) != CM_OK) {
		shard_world_free(w);
		return (rv);
	}
	cm_log_info("world loaded", "{s:i,s:I,s:i,s:i,s:i,s:i}", "generation",
	    (int) w->gen_id, "map_seed", (json_int_t) w->map_seed, "x0",
	    w->region.x0, "y0", w->region.y0, "x1", w->region.x1, "y1",
	    w->region.y1);
	*out = w;
	return (CM_OK);
}

void
shard_world_free(shard_world *w)
{
	if (w == NULL) {
		return;
	}
	cm_map_free(w->map);
	free(w);
}

cm_err
shard_world_refresh(shard_world *w, PGconn *pg)
{
	char        gid[16];
	const char *params[1] = { gid };
	PGresult   *r;

	snprintf(gid, sizeof(gid), "%u", w->gen_id);
	r = PQexecParams(pg,
	    "SELECT count(*) FROM players WHERE generation_id = $1", 1, NULL,
	    params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		PQclear(r);
		return (CM_EDB);
	}
	w->player_count = (uint32_t) strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return (CM_OK);
}

/*
 * The API's phase label is by day (facts §2.2): 1-5 planning, 6-20 early,
 * 21-35 mid, 36-50 late; the status machine is planning (1-5), active
 * (6-45), endgame (46-50), ended.
 */
static void
world_generation(const shard_world *w, Nd__Generation *g)
{
	int64_t now = cm_time_now_ms();
	int64_t day = (now - w->gen_start_ms) / DAY_MS + 1;

	if (day < 1) {
		day = 1;
	}
	if (day > GENERATION_DAYS + 1) {
		day = GENERATION_DAYS + 1;
	}
	g->id            = w->gen_id;
	g->start_time_ms = w->gen_start_ms;
	g->end_time_ms   = w->gen_start_ms + GENERATION_DAYS * DAY_MS;
	g->player_count  = w->player_count;
	g->day           = (uint32_t) day;
	g->phase         = day > GENERATION_DAYS ? "ended"
	            : day <= 5                   ? "planning"
	            : day <= 20                  ? "early"
	            : day <= 35                  ? "mid"
	                                         : "late";
	g->status = day > GENERATION_DAYS ? "ended"
	    : day <= 5                    ? "planning"
	    : day <= 45                   ? "active"
	                                  : "endgame";
}

static void
world_error(Nd__ShardReply *rep, Nd__ShardError *e, const char *code,
    const char *msg, uint32_t status)
{
	e->code        = (char *) code;
	e->message     = (char *) msg;
	e->http_status = status;
	rep->error     = e;
}

void
shard_world_handle(void *arg, const uint8_t *req, size_t len,
    uint8_t **reply, size_t *rlen)
{
	shard_world       *w = arg;
	Nd__ShardRequest  *rq;
	Nd__ShardReply     rep = ND__SHARD_REPLY__INIT;
	Nd__ShardError     err = ND__SHARD_ERROR__INIT;
	Nd__Generation     gen = ND__GENERATION__INIT;
	Nd__Territory      ter = ND__TERRITORY__INIT;
	Nd__Resources      res = ND__RESOURCES__INIT;
	Nd__PingReply      pong = ND__PING_REPLY__INIT;
	const char        *type = "unknown";

	rep.shard = (uint32_t) w->index;
	rq        = nd__shard_request__unpack(NULL, len, req);
	if (rq == NULL) {
		world_error(&rep, &err, "BAD_REQUEST",
		    "request does not decode", 400);
		goto out;
	}
	rep.request_id = rq->request_id;
	switch (rq->body_case) {
	case ND__SHARD_REQUEST__BODY_PING:
		type             = "ping";
		pong.shard_count = (uint32_t) w->layout.shards;
		rep.body_case    = ND__SHARD_REPLY__BODY_PONG;
		rep.pong         = &pong;
		break;
	case ND__SHARD_REQUEST__BODY_GENERATION_GET:
		type = "generation_get";
		world_generation(w, &gen);
		rep.body_case  = ND__SHARD_REPLY__BODY_GENERATION;
		rep.generation = &gen;
		break;
	case ND__SHARD_REQUEST__BODY_TERRITORY_GET: {
		int x = rq->territory_get->x, y = rq->territory_get->y;

		type = "territory_get";
		if (!cm_layout_in_map(&w->layout, x, y)) {
			world_error(&rep, &err, "INVALID_COORD",
			    "coordinates outside the map", 400);
			break;
		}
		if (cm_layout_shard_of(&w->layout, x, y) != w->index) {
			world_error(&rep, &err, "WRONG_SHARD",
			    "tile is owned by another shard", 500);
			break;
		}
		ter.x         = x;
		ter.y         = y;
		ter.owner     = "";
		ter.terrain   = (char *) cm_terrain_name(
                    cm_map_terrain(w->map, x, y));
		ter.zone      = (char *) cm_zone_name(
                    cm_map_zone_at(w->map, x, y));
		ter.trust     = 100;
		ter.resources = &res;
		rep.body_case = ND__SHARD_REPLY__BODY_TERRITORY;
		rep.territory = &ter;
		break;
	}
	default:
		world_error(&rep, &err, "BAD_REQUEST", "unknown request",
		    400);
		break;
	}
out:
	{
		char lv[96];

		snprintf(lv, sizeof(lv), "%s,%s", type,
		    rep.error ? rep.error->code : "OK");
		cm_metric_inc(w->m_requests, lv, 1);
	}
	*rlen  = nd__shard_reply__get_packed_size(&rep);
	*reply = cm_malloc(*rlen);
	nd__shard_reply__pack(&rep, *reply);
	if (rq != NULL) {
		nd__shard_request__free_unpacked(rq, NULL);
	}
}

void
shard_world_handle_batch(void *w, const uint8_t *req, size_t len,
    uint8_t **reply, size_t *rlen)
{
	Nd__ShardBatch      *b = nd__shard_batch__unpack(NULL, len, req);
	Nd__ShardBatchReply  out = ND__SHARD_BATCH_REPLY__INIT;
	ProtobufCBinaryData *items;

	if (b == NULL) {
		/* No reply fits no batch: the gateway fails the whole batch. */
		*rlen  = 0;
		*reply = cm_malloc(1);
		return;
	}
	items = cm_calloc(b->n_requests ? b->n_requests : 1, sizeof(*items));
	for (size_t i = 0; i < b->n_requests; i++) {
		shard_world_handle(w, b->requests[i].data, b->requests[i].len,
		    &items[i].data, &items[i].len);
	}
	out.n_replies = b->n_requests;
	out.replies   = items;
	*rlen         = nd__shard_batch_reply__get_packed_size(&out);
	*reply        = cm_malloc(*rlen ? *rlen : 1);
	nd__shard_batch_reply__pack(&out, *reply);
	for (size_t i = 0; i < b->n_requests; i++) {
		free(items[i].data);
	}
	free(items);
	nd__shard_batch__free_unpacked(b, NULL);
}
