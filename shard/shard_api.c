/*
 * shard_api.c: decoding requests, dispatching them to their answers, and
 * sending (or holding) the replies.
 *
 * A request's handler fills a ShardReply (or refuses it).  A mutating
 * handler that succeeded has marked changes; its reply is held until the
 * gathering group commits.  Each action is checked in this order:
 * validate input, check permissions, check that the store can take
 * writes (else 503 STORAGE_UNAVAILABLE), execute.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_time.h"
#include "shard_persist.h"
#include "shard_state.h"
#include "shard_world.h"

void
sh_refuse(sh_reply *r, const char *code, const char *msg, uint32_t status)
{
	r->err->code        = (char *) code;
	r->err->message     = (char *) msg;
	r->err->http_status = status;
	r->rep->error       = r->err;
	r->rep->body_case   = ND__SHARD_REPLY__BODY__NOT_SET;
}

void *
sh_keep(sh_reply *r, void *p)
{
	if (r->nscratch == r->capscratch) {
		r->capscratch = r->capscratch ? r->capscratch * 2 : 16;
		r->scratch    = cm_realloc(r->scratch,
                    (size_t) r->capscratch * sizeof(void *));
	}
	r->scratch[r->nscratch++] = p;
	return (p);
}

void *
sh_alloc(sh_reply *r, size_t n)
{
	return (sh_keep(r, cm_calloc(1, n ? n : 1)));
}

/* The generation as the API shows it (facts §2.2). */
static void
read_generation(shard_world *w, sh_reply *r)
{
	Nd__Generation *g = sh_alloc(r, sizeof(*g));
	const char     *phase, *status;
	int             day = cm_generation_day(&w->gen, cm_time_now_ms(),
                    shard_day_ms(w), &phase, &status);

	nd__generation__init(g);
	g->id            = w->gen.id;
	g->start_time_ms = w->gen.start_ms;
	g->end_time_ms   = w->gen.end_ms;
	g->ended_time_ms = w->gen.ended_ms;
	g->player_count  = w->player_count;
	g->day           = (uint32_t) day;
	g->phase         = (char *) phase;
	g->status        = (char *) status;
	g->map_seed      = w->gen.map_seed;
	g->map_width     = (uint32_t) w->gen.map_w;
	g->map_height    = (uint32_t) w->gen.map_h;
	g->secret_hash.data = w->gen.secret_hash;
	g->secret_hash.len  = 32;
	if (w->gen.ended_ms != 0) {
		g->secret.data = w->gen.secret;
		g->secret.len  = 32;
	}
	r->rep->body_case  = ND__SHARD_REPLY__BODY_GENERATION;
	r->rep->generation = g;
}

typedef void (*sh_handler)(shard_world *, const Nd__ShardRequest *,
    sh_reply *);

static const struct {
	const char *type;
	sh_handler  fn;
	bool        mutates;
} handlers[] = {
	[ND__SHARD_REQUEST__BODY_TERRITORY_GET] = { "territory_get",
	    shard_read_territory, false },
	[ND__SHARD_REQUEST__BODY_REGISTER_PLAYER] = { "register_player",
	    shard_act_register, true },
	[ND__SHARD_REQUEST__BODY_PLAYER_GET] = { "player_get",
	    shard_read_player, false },
	[ND__SHARD_REQUEST__BODY_MAP_GET] = { "map_get", shard_read_map,
	    false },
	[ND__SHARD_REQUEST__BODY_TERRITORY_BUILD] = { "territory_build",
	    shard_act_build, true },
	[ND__SHARD_REQUEST__BODY_ARMY_GET] = { "army_get", shard_read_army,
	    false },
	[ND__SHARD_REQUEST__BODY_ARMY_CREATE] = { "army_create",
	    shard_act_army_create, true },
	[ND__SHARD_REQUEST__BODY_ARMY_MOVE] = { "army_move",
	    shard_act_army_move, true },
	[ND__SHARD_REQUEST__BODY_ARMY_ATTACK] = { "army_attack",
	    shard_act_attack, true },
	[ND__SHARD_REQUEST__BODY_COMBAT_REVEAL] = { "combat_reveal",
	    shard_act_reveal, true },
	[ND__SHARD_REQUEST__BODY_COMBAT_RESULT_GET] = { "combat_result_get",
	    shard_read_combat, false },
	[ND__SHARD_REQUEST__BODY_SPELL_CAST] = { "spell_cast",
	    shard_act_spell, true },
	[ND__SHARD_REQUEST__BODY_ALLIANCE_CREATE] = { "alliance_create",
	    shard_act_alliance_create, true },
	[ND__SHARD_REQUEST__BODY_ALLIANCE_JOIN] = { "alliance_join",
	    shard_act_alliance_join, true },
	[ND__SHARD_REQUEST__BODY_ALLIANCE_LEAVE] = { "alliance_leave",
	    shard_act_alliance_leave, true },
	[ND__SHARD_REQUEST__BODY_ALLIANCE_MEMBERS_GET] = {
	    "alliance_members_get", shard_read_alliance, false },
};

#define NHANDLERS (sizeof(handlers) / sizeof(handlers[0]))

static void
pack_reply(Nd__ShardReply *rep, uint8_t **out, size_t *len)
{
	*len = nd__shard_reply__get_packed_size(rep);
	*out = cm_malloc(*len ? *len : 1);
	nd__shard_reply__pack(rep, *out);
}

/*
 * note_activity: the player acted (an action that changed something): the
 * inactivity clock of its land's trust restarts (§12.8: "moving troops,
 * building, casting, attacking anywhere").  Memory only; a reload starts
 * from the land's own activity.
 */
static void
note_activity(shard_world *w, const char *player)
{
	sh_player *p = player && player[0] ? cm_table_get_str(w->players, player)
	                                   : NULL;

	if (p != NULL) {
		p->last_action_ms = cm_time_now_ms();
	}
}


/* api_handle is shard_world_handle that also reports the request's id. */
static void
api_handle(shard_world *w, const uint8_t *req, size_t len, uint8_t **reply,
    size_t *rlen, bool *hold, uint64_t *id)
{
	Nd__ShardRequest *rq;
	Nd__ShardReply    rep = ND__SHARD_REPLY__INIT;
	Nd__ShardError    err = ND__SHARD_ERROR__INIT;
	Nd__PingReply     pong = ND__PING_REPLY__INIT;
	sh_reply          r = { .rep = &rep, .err = &err };
	const char       *type = "unknown";
	uint32_t          changes_before;
	char              lv[96];

	*hold     = false;
	*id       = 0;
	rep.shard = (uint32_t) w->index;
	rq        = nd__shard_request__unpack(NULL, len, req);
	if (rq == NULL) {
		sh_refuse(&r, "BAD_REQUEST", "request does not decode", 400);
		goto out;
	}
	rep.request_id = rq->request_id;
	*id            = rq->request_id;
	if (rq->body_case == ND__SHARD_REQUEST__BODY_PING) {
		type             = "ping";
		pong.shard_count = (uint32_t) w->layout.shards;
		rep.body_case    = ND__SHARD_REPLY__BODY_PONG;
		rep.pong         = &pong;
	} else if (rq->body_case == ND__SHARD_REQUEST__BODY_GENERATION_GET) {
		type = "generation_get";
		read_generation(w, &r);
	} else if ((size_t) rq->body_case < NHANDLERS &&
	           handlers[rq->body_case].fn != NULL) {
		type           = handlers[rq->body_case].type;
		changes_before = w->gathering ? w->gathering->changes : 0;
		handlers[rq->body_case].fn(w, rq, &r);
		if (handlers[rq->body_case].mutates && rep.error == NULL &&
		    w->gathering != NULL &&
		    w->gathering->changes != changes_before) {
			*hold = true;
			shard_group_count_action(w);
			note_activity(w, rq->player);
		}
	} else {
		sh_refuse(&r, "BAD_REQUEST", "unknown request", 400);
	}
out:
	snprintf(lv, sizeof(lv), "%s,%s", type,
	    rep.error ? rep.error->code : "OK");
	cm_metric_inc(w->m_requests, lv, 1);
	pack_reply(&rep, reply, rlen);
	for (int i = 0; i < r.nscratch; i++) {
		free(r.scratch[i]);
	}
	free(r.scratch);
	if (rq != NULL) {
		nd__shard_request__free_unpacked(rq, NULL);
	}
}

void
shard_world_handle(shard_world *w, const uint8_t *req, size_t len,
    uint8_t **reply, size_t *rlen, bool *hold)
{
	uint64_t id;

	api_handle(w, req, len, reply, rlen, hold, &id);
}

void
shard_batch_free(sh_batch *b)
{
	if (b == NULL) {
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].data);
	}
	free(b->items);
	free(b->held);
	free(b->ids);
	free(b);
}

/* batch_fail_item turns item i's reply into 503 STORAGE_UNAVAILABLE. */
static void
batch_fail_item(shard_world *w, sh_batch *b, size_t i)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__ShardError err = ND__SHARD_ERROR__INIT;

	rep.request_id  = b->ids[i];
	rep.shard       = (uint32_t) w->index;
	err.code        = "STORAGE_UNAVAILABLE";
	err.message     = "the action could not be stored; it did not happen";
	err.http_status = 503;
	rep.error       = &err;
	free(b->items[i].data);
	pack_reply(&rep, &b->items[i].data, &b->items[i].len);
}

void
shard_batch_send(shard_world *w, sh_batch *b, bool ok)
{
	Nd__ShardBatchReply out = ND__SHARD_BATCH_REPLY__INIT;
	uint8_t            *buf;
	size_t              len;

	for (size_t i = 0; !ok && i < b->n; i++) {
		if (b->held[i]) {
			batch_fail_item(w, b, i);
		}
	}
	out.n_replies = b->n;
	out.replies   = b->items;
	len           = nd__shard_batch_reply__get_packed_size(&out);
	buf           = cm_malloc(len ? len : 1);
	nd__shard_batch_reply__pack(&out, buf);
	if (b->call != NULL) {
		shard_rpc_reply(b->call, buf, len);
	}
	free(buf);
	shard_batch_free(b);
}

void
shard_world_batch(void *arg, shard_rpc_call *call, const uint8_t *req,
    size_t len)
{
	shard_world    *w = arg;
	Nd__ShardBatch *in = nd__shard_batch__unpack(NULL, len, req);
	sh_batch       *b;
	bool            any = false;

	if (in == NULL) {
		/* No reply fits no batch: the gateway fails the whole batch. */
		shard_rpc_reply(call, NULL, 0);
		return;
	}
	b        = cm_calloc(1, sizeof(*b));
	b->call  = call;
	b->n     = in->n_requests;
	b->items = cm_calloc(b->n ? b->n : 1, sizeof(*b->items));
	b->held  = cm_calloc(b->n ? b->n : 1, sizeof(*b->held));
	b->ids   = cm_calloc(b->n ? b->n : 1, sizeof(*b->ids));
	for (size_t i = 0; i < b->n; i++) {
		api_handle(w, in->requests[i].data, in->requests[i].len,
		    &b->items[i].data, &b->items[i].len, &b->held[i],
		    &b->ids[i]);
		if (!b->held[i]) {
			continue;
		}
		if (w->commit_each) {
			/* The one-transaction-per-action baseline: commit
			 * this action alone and wait for it. */
			if (!shard_world_commit_now(w)) {
				batch_fail_item(w, b, i);
			}
			b->held[i] = false;
			continue;
		}
		any = true;
	}
	nd__shard_batch__free_unpacked(in, NULL);
	if (any) {
		shard_group_hold(w, b);
	} else {
		shard_batch_send(w, b, true);
	}
}
