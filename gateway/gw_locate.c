/*
 * gw_locate.c: the army and combat lookups (see gw_locate.h).
 *
 * The hint is only a hint: it may be missing (never written, expired,
 * Redis down), stale (the army crossed into another region) or garbage;
 * each case ends in a scatter, so the answer is always the owning
 * shard's.  The scatter sends the very same packed request (same request
 * id) to every shard, the hinted one included: only the owner acts on it,
 * the others answer *_NOT_FOUND.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "gw_locate.h"
#include "gw_mpack.h"
#include "gw_ops.h"

static const char *const kind_key[]  = { "army", "combat" };
static const char *const kind_none[] = { "ARMY_NOT_FOUND",
	"COMBAT_NOT_FOUND" };

typedef struct locate {
	const char  *none; /* the code of "not here" */
	int          want;
	gw_render_fn render;
	bool         scattered;
} locate;

void
gw_locate_key(gw_kind k, uint64_t id, char *out, size_t cap)
{
	snprintf(out, cap, "%s:%llu", kind_key[k], (unsigned long long) id);
}

int
gw_locate_hint(const void *buf, size_t len, int nshards)
{
	int64_t s;

	if (gw_mpack_int(buf, len, "shard", &s) != CM_OK || s < 0 ||
	    s >= nshards) {
		return (-1);
	}
	return ((int) s);
}

/* locate_read asks Redis for the hint of (k, id): a shard or -1. */
static int
locate_read(gw_app *app, gw_kind k, uint64_t id)
{
	cm_redis   *redis = gw_ops_redis(app);
	redisReply *rep;
	char        key[48];
	int         shard = -1;

	gw_locate_key(k, id, key, sizeof(key));
	{
		const char *argv[] = { "GET", key };

		if (redis == NULL ||
		    cm_redis_command(redis, 2, argv, NULL, &rep) != CM_OK) {
			return (-1);
		}
	}
	if (rep->type == REDIS_REPLY_STRING) {
		shard = gw_locate_hint(rep->str, rep->len,
		    gw_shard_count(app->shards));
		if (shard < 0) {
			cm_log_warn("malformed location hint", "{s:s}", "key",
			    key);
		}
	}
	freeReplyObject(rep);
	return (shard);
}

static void
locate_answer(gw_req *r, gw_fan *f, int i)
{
	locate *l = gw_fan_ctx(f);

	if (!gw_fan_check(r, f, i, 1, l->want)) {
		return;
	}
	gw_fan_shard_header(r, gw_fan_part(f, i)->shard);
	l->render(r, gw_fan_part(f, i)->rep, NULL);
}

static void
locate_done(gw_req *r, gw_fan *f)
{
	locate *l = gw_fan_ctx(f);
	int     n = gw_fan_count(f);

	if (!l->scattered) {
		if (gw_part_refused(gw_fan_part(f, 0), l->none) &&
		    gw_shard_count(gw_req_app(r)->shards) > 1) {
			l->scattered = true;
			gw_fan_again(f);
			gw_fan_add_all(f, 0);
			gw_fan_send(f, 0);
			return;
		}
		locate_answer(r, f, 0);
		return;
	}
	for (int i = 0; i < n; i++) {
		const gw_part *p = gw_fan_part(f, i);

		if (p->err == CM_OK && !gw_part_refused(p, l->none)) {
			locate_answer(r, f, i);
			return;
		}
	}
	/* Nobody has it: a failed shard makes that 503, else the 404. */
	if (gw_fan_check(r, f, 0, n, 0)) {
		gw_req_error(r, 404, l->none, "not found");
	}
}

void
gw_locate_at(gw_req *r, gw_kind k, int shard, Nd__ShardRequest *rq, int want,
    gw_render_fn render)
{
	gw_fan *f = gw_fan_new(r, locate_done);
	locate *l = cm_calloc(1, sizeof(*l));
	int     req;

	l->none   = kind_none[k];
	l->want   = want;
	l->render = render;
	gw_fan_set_ctx(f, l, free);
	req = gw_fan_pack(f, rq);
	if (shard >= 0) {
		gw_fan_add(f, req, shard, 1);
	} else {
		l->scattered = true;
		gw_fan_add_all(f, req);
	}
	gw_fan_send(f, 0);
}

void
gw_locate(gw_req *r, gw_kind k, uint64_t id, Nd__ShardRequest *rq, int want,
    gw_render_fn render)
{
	gw_locate_at(r, k, locate_read(gw_req_app(r), k, id), rq, want,
	    render);
}
