/*
 * gw_game.c: forwarding to shards.
 *
 * The generation is a map-wide fact every shard loads; the gateway asks
 * shard 0 and, if it does not answer, the next one, so /game/generation
 * survives any single shard being down.  A tile is asked of the one shard
 * that owns it; if that shard is down the answer is 503 SHARD_UNAVAILABLE
 * with Retry-After, within the configured deadline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_config.h"
#include "cm_time.h"
#include "gw_game.h"
#include "shard.pb-c.h"

typedef struct fwd {
	gw_req *req;
	int     shard;     /* the shard asked */
	int     attempts;  /* shards left to try (generation only) */
	uint8_t *buf;      /* the packed request, for a retry */
	size_t  len;
	void (*render)(gw_req *r, const Nd__ShardReply *rep);
} fwd;

static void game_call(fwd *f);

static json_t *
game_time(int64_t ms)
{
	char iso[25];

	cm_time_format_iso(ms, iso);
	return (json_string(iso));
}

static void
render_generation(gw_req *r, const Nd__ShardReply *rep)
{
	const Nd__Generation *g = rep->generation;

	gw_req_reply(r, 200,
	    json_pack("{s:i,s:s,s:o,s:o,s:i,s:i,s:s}", "id", (int) g->id,
	        "phase", g->phase, "startTime", game_time(g->start_time_ms),
	        "endTime", game_time(g->end_time_ms), "playerCount",
	        (int) g->player_count, "day", (int) g->day, "status",
	        g->status));
}

static void
render_territory(gw_req *r, const Nd__ShardReply *rep)
{
	const Nd__Territory *t   = rep->territory;
	const Nd__Resources *res = t->resources;
	json_t              *b   = json_array();
	json_t              *o;

	for (size_t i = 0; i < t->n_buildings; i++) {
		json_array_append_new(
		    b, json_integer((json_int_t) t->buildings[i]));
	}
	o = json_pack("{s:{s:i,s:i},s:o,s:s,s:s,s:o,s:o,s:{s:I,s:I,s:I,s:I,"
	              "s:I},s:i,s:o}",
	    "coord", "x", t->x, "y", t->y, "owner",
	    t->owner[0] ? json_string(t->owner) : json_null(), "terrain",
	    t->terrain, "zone", t->zone, "buildings", b, "garrison",
	    t->garrison ? json_integer((json_int_t) t->garrison) : json_null(),
	    "resources", "gold", (json_int_t) (res ? res->gold : 0), "stone",
	    (json_int_t) (res ? res->stone : 0), "wood",
	    (json_int_t) (res ? res->wood : 0), "food",
	    (json_int_t) (res ? res->food : 0), "mana",
	    (json_int_t) (res ? res->mana : 0), "trust", (int) t->trust,
	    "lastActivity",
	    t->last_activity_ms ? game_time(t->last_activity_ms)
	                        : json_null());
	gw_req_reply(r, 200, o);
}

static void
fwd_free(fwd *f)
{
	free(f->buf);
	free(f);
}

static void
game_reply_cb(void *arg, cm_err err, const uint8_t *reply, size_t len)
{
	fwd            *f = arg;
	gw_req         *r = f->req;
	Nd__ShardReply *rep;
	char            shard[16];

	if (err == CM_EPROTO) {
		gw_req_error(r, 502, "BAD_SHARD_REPLY",
		    "the shard's reply does not decode");
		goto out;
	}
	if (err != CM_OK) {
		if (--f->attempts > 0) {
			f->shard = (f->shard + 1) %
			    gw_shard_count(gw_req_app(r)->shards);
			game_call(f);
			return;
		}
		gw_req_set_header(r, "Retry-After", "1");
		gw_req_error(r, 503, "SHARD_UNAVAILABLE",
		    err == CM_ETIMEDOUT ? "the owning shard did not answer in "
		                          "time"
		                        : "the owning shard's connection broke");
		goto out;
	}
	rep = nd__shard_reply__unpack(NULL, len, reply);
	if (rep == NULL) {
		gw_req_error(r, 502, "BAD_SHARD_REPLY",
		    "the shard's reply does not decode");
		goto out;
	}
	snprintf(shard, sizeof(shard), "%u", rep->shard);
	gw_req_set_header(r, "X-Shard", shard);
	if (rep->error != NULL) {
		gw_req_error(r, rep->error->http_status ? rep->error->http_status
		                                        : 500,
		    rep->error->code, rep->error->message);
	} else {
		f->render(r, rep);
	}
	nd__shard_reply__free_unpacked(rep, NULL);
out:
	fwd_free(f);
	gw_req_resume(r);
}

static void
game_call(fwd *f)
{
	gw_app *app = gw_req_app(f->req);

	if (gw_shard_call(app->shards, f->shard, f->buf, f->len,
	        game_reply_cb, f) != CM_OK) {
		gw_req_set_header(f->req, "Retry-After", "1");
		gw_req_error(f->req, 503, "OVERLOADED",
		    "too many requests in flight to this shard");
		gw_req_resume(f->req);
		fwd_free(f);
	}
}

/* game_forward packs rq, defers r and sends rq to shard. */
static void
game_forward(gw_req *r, Nd__ShardRequest *rq, int shard, int attempts,
    void (*render)(gw_req *, const Nd__ShardReply *))
{
	gw_app *app = gw_req_app(r);
	fwd    *f   = cm_calloc(1, sizeof(*f));

	rq->request_id = gw_shard_next_id(app->shards);
	rq->player     = (char *) gw_req_player(r);
	f->req         = r;
	f->shard       = shard;
	f->attempts    = attempts;
	f->render      = render;
	f->len         = nd__shard_request__get_packed_size(rq);
	f->buf         = cm_malloc(f->len);
	nd__shard_request__pack(rq, f->buf);
	gw_req_defer(r);
	game_call(f);
}

void
gw_game_generation(gw_req *r)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__GenerationGet g = ND__GENERATION_GET__INIT;
	gw_app          *app = gw_req_app(r);

	rq.body_case      = ND__SHARD_REQUEST__BODY_GENERATION_GET;
	rq.generation_get = &g;
	game_forward(r, &rq, 0, gw_shard_count(app->shards) > 1 ? 2 : 1,
	    render_generation);
}

void
gw_game_territory(gw_req *r)
{
	Nd__ShardRequest  rq = ND__SHARD_REQUEST__INIT;
	Nd__TerritoryGet  t  = ND__TERRITORY_GET__INIT;
	gw_app           *app = gw_req_app(r);
	const char       *xs = gw_req_param(r, 0), *ys = gw_req_param(r, 1);
	long              x, y;

	if (cm_parse_long(xs, strlen(xs), -1000000, 1000000, &x) != CM_OK ||
	    cm_parse_long(ys, strlen(ys), -1000000, 1000000, &y) != CM_OK) {
		gw_req_error(r, 400, "INVALID_COORD",
		    "coordinates must be integers");
		return;
	}
	if (!cm_layout_in_map(&app->layout, x, y)) {
		gw_req_error(r, 400, "INVALID_COORD",
		    "coordinates outside the map");
		return;
	}
	t.x              = (int32_t) x;
	t.y              = (int32_t) y;
	rq.body_case     = ND__SHARD_REQUEST__BODY_TERRITORY_GET;
	rq.territory_get = &t;
	game_forward(r, &rq, cm_layout_shard_of(&app->layout, (int) x,
	                         (int) y),
	    1, render_territory);
}
