/*
 * gw_scatter.c: fans of shard calls (see gw_scatter.h).
 *
 * Counting: pending starts at the number of calls plus one, the one held
 * by whoever is sending; each call that ends drops one, and so does the
 * sender once every call is started.  Whoever drops the last runs the
 * completion, so it runs exactly once, after every outcome is written
 * (the atomic decrement orders those writes before it), whatever the
 * order in which nng threads and the sender finish.  A completion that
 * re-sends (gw_fan_again) holds the extra count the same way while it
 * still runs; if every new call has already ended when it returns, the
 * completion runs again on the same thread.
 *
 * The shard client copies what it sends, but a fan keeps its packed
 * requests for retries on another shard and for re-sends.  Replies are
 * decoded on the nng thread that delivers them and checked for valid
 * UTF-8 there, so that completions can build JSON from every string.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_utf8.h"
#include "cm_log.h"
#include "gw_scatter.h"

#define FAN_MAXREQ 2

typedef struct fan_call {
	gw_fan *f;
	int     i;     /* its part */
	int     req;   /* its packed request */
	int     tries; /* shards still allowed, this one included */
} fan_call;

struct gw_fan {
	gw_req   *req;
	gw_fan_fn done;
	void     *ctx;
	void (*drop)(void *);
	uint8_t     *buf[FAN_MAXREQ];
	size_t       len[FAN_MAXREQ];
	int          nreq;
	int          n, cap;
	gw_part     *parts;
	fan_call    *calls;
	_Atomic int  pending;
	int          flags;
	bool         deferred; /* the REST request is deferred */
	bool         again;    /* the completion re-sends */
	int          want;     /* gw_fan_render / gw_fan_merge */
	gw_render_fn render;
	gw_merge_fn  merge;
};

static void fan_start(fan_call *c);

gw_fan *
gw_fan_new(gw_req *r, gw_fan_fn done)
{
	gw_fan *f = cm_calloc(1, sizeof(*f));

	f->req  = r;
	f->done = done;
	return (f);
}

void
gw_fan_set_ctx(gw_fan *f, void *ctx, void (*drop)(void *))
{
	f->ctx  = ctx;
	f->drop = drop;
}

void *
gw_fan_ctx(const gw_fan *f)
{
	return (f->ctx);
}

gw_req *
gw_fan_req(const gw_fan *f)
{
	return (f->req);
}

int
gw_fan_pack(gw_fan *f, Nd__ShardRequest *rq)
{
	gw_app *app = gw_req_app(f->req);
	int     i   = f->nreq++;

	cm_assert(i < FAN_MAXREQ);
	rq->request_id = gw_shard_next_id(app->shards);
	rq->player     = (char *) gw_req_player(f->req);
	f->len[i]      = nd__shard_request__get_packed_size(rq);
	f->buf[i]      = cm_malloc(f->len[i]);
	nd__shard_request__pack(rq, f->buf[i]);
	return (i);
}

void
gw_fan_add(gw_fan *f, int req, int shard, int tries)
{
	cm_assert(req >= 0 && req < f->nreq);
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4;
		f->parts =
		    cm_realloc(f->parts, (size_t) f->cap * sizeof(gw_part));
		f->calls =
		    cm_realloc(f->calls, (size_t) f->cap * sizeof(fan_call));
	}
	memset(&f->parts[f->n], 0, sizeof(gw_part));
	f->parts[f->n].shard = shard;
	f->calls[f->n].f     = f;
	f->calls[f->n].i     = f->n;
	f->calls[f->n].req   = req;
	f->calls[f->n].tries = tries > 0 ? tries : 1;
	f->n++;
}

void
gw_fan_add_all(gw_fan *f, int req)
{
	int n = gw_shard_count(gw_req_app(f->req)->shards);

	for (int s = 0; s < n; s++) {
		gw_fan_add(f, req, s, 1);
	}
}

static void
fan_clear(gw_fan *f)
{
	for (int i = 0; i < f->n; i++) {
		if (f->parts[i].rep != NULL) {
			nd__shard_reply__free_unpacked(f->parts[i].rep, NULL);
		}
	}
	f->n = 0;
}

static void
fan_free(gw_fan *f)
{
	fan_clear(f);
	for (int i = 0; i < f->nreq; i++) {
		free(f->buf[i]);
	}
	if (f->drop != NULL) {
		f->drop(f->ctx);
	}
	free(f->parts);
	free(f->calls);
	free(f);
}

static void
fan_drop(void *arg)
{
	fan_free(arg);
}

static void
fan_http_run(gw_req *r, void *arg)
{
	gw_fan *f = arg;

	f->done(r, f);
	cm_assert(!f->again);
	fan_free(f);
}

/* fan_complete runs the completion (see the top comment). */
static void
fan_complete(gw_fan *f)
{
	gw_req *r = f->req;

	for (;;) {
		if (f->flags & GW_FAN_HTTP) {
			gw_req_continue(r, fan_http_run, f, fan_drop);
			return;
		}
		f->again = false;
		f->done(r, f);
		if (!f->again) {
			fan_free(f);
			gw_req_resume(r);
			return;
		}
		if (atomic_fetch_sub(&f->pending, 1) != 1) {
			return; /* the last call to end completes */
		}
	}
}

static void
fan_part_done(gw_fan *f)
{
	if (atomic_fetch_sub(&f->pending, 1) == 1) {
		fan_complete(f);
	}
}

/* fan_failed records a transport failure, or tries the next shard. */
static void
fan_failed(fan_call *c, cm_err err)
{
	gw_fan  *f = c->f;
	gw_part *p = &f->parts[c->i];

	p->err = err;
	if (err != CM_EPROTO && --c->tries > 0) {
		p->shard = (p->shard + 1) %
		    gw_shard_count(gw_req_app(f->req)->shards);
		fan_start(c);
		return;
	}
	fan_part_done(f);
}

static void
fan_cb(void *arg, cm_err err, const uint8_t *reply, size_t len)
{
	fan_call       *c = arg;
	gw_part        *p = &c->f->parts[c->i];
	Nd__ShardReply *rep;

	if (err != CM_OK) {
		fan_failed(c, err);
		return;
	}
	rep = nd__shard_reply__unpack(NULL, len, reply);
	if (rep == NULL || !gw_reply_valid(&rep->base)) {
		cm_log_warn("shard reply does not decode", "{s:i}", "shard",
		    p->shard);
		if (rep != NULL) {
			nd__shard_reply__free_unpacked(rep, NULL);
		}
		p->err = CM_EPROTO;
	} else {
		p->err = CM_OK;
		p->rep = rep;
	}
	fan_part_done(c->f);
}

static void
fan_start(fan_call *c)
{
	gw_fan  *f   = c->f;
	gw_app  *app = gw_req_app(f->req);
	gw_part *p   = &f->parts[c->i];

	if (gw_shard_call(app->shards, p->shard, f->buf[c->req],
	        f->len[c->req], fan_cb, c) != CM_OK) {
		fan_failed(c, CM_ENOMEM); /* that shard's queue is full */
	}
}

void
gw_fan_send(gw_fan *f, int flags)
{
	bool again = f->again;

	cm_assert(!again || !(flags & GW_FAN_HTTP));
	f->flags = flags;
	atomic_store(&f->pending, f->n + 1);
	if (!f->deferred) {
		f->deferred = true;
		gw_req_defer(f->req);
	}
	for (int i = 0; i < f->n; i++) {
		fan_start(&f->calls[i]);
	}
	if (!again) {
		fan_part_done(f); /* a re-sending completion drops it itself */
	}
}

void
gw_fan_again(gw_fan *f)
{
	cm_assert(!(f->flags & GW_FAN_HTTP));
	fan_clear(f);
	f->again = true;
}

int
gw_fan_count(const gw_fan *f)
{
	return (f->n);
}

const gw_part *
gw_fan_part(const gw_fan *f, int i)
{
	cm_assert(i >= 0 && i < f->n);
	return (&f->parts[i]);
}

void
gw_fan_shard_header(gw_req *r, int shard)
{
	char s[16];

	if (shard < 0) {
		gw_req_set_header(r, "X-Shard", "all");
		return;
	}
	snprintf(s, sizeof(s), "%d", shard);
	gw_req_set_header(r, "X-Shard", s);
}

static void
fan_transport_error(gw_req *r, const gw_part *p)
{
	char msg[96];

	gw_req_set_header(r, "Retry-After", "1");
	if (p->err == CM_ENOMEM) {
		gw_req_error(r, 503, "OVERLOADED",
		    "too many requests in flight to this shard");
		return;
	}
	snprintf(msg, sizeof(msg), "shard %d %s", p->shard,
	    p->err == CM_ETIMEDOUT ? "did not answer in time"
	                           : "connection broke");
	gw_req_error(r, 503, "SHARD_UNAVAILABLE", msg);
}

static void
fan_refusal(gw_req *r, const gw_part *p)
{
	const Nd__ShardError *e  = p->rep->error;
	unsigned              st = e->http_status;

	gw_fan_shard_header(r, p->shard);
	gw_req_error(r, st >= 400 && st <= 599 ? st : 500,
	    e->code != NULL && e->code[0] != '\0' ? e->code : "SHARD_ERROR",
	    e->message != NULL ? e->message : "");
}

bool
gw_fan_check(gw_req *r, const gw_fan *f, int first, int n, int want)
{
	const gw_part *p = f->parts + first;

	cm_assert(first >= 0 && n >= 0 && first + n <= f->n);
	for (int i = 0; i < n; i++) {
		if (p[i].err != CM_OK && p[i].err != CM_EPROTO) {
			fan_transport_error(r, &p[i]);
			return (false);
		}
	}
	for (int i = 0; i < n; i++) {
		if (p[i].err == CM_EPROTO) {
			gw_req_error(r, 502, "BAD_SHARD_REPLY",
			    "the shard's reply does not decode");
			return (false);
		}
	}
	for (int i = 0; i < n; i++) {
		if (p[i].rep->error != NULL) {
			fan_refusal(r, &p[i]);
			return (false);
		}
	}
	for (int i = 0; i < n; i++) {
		if (want != 0 && (int) p[i].rep->body_case != want) {
			gw_req_error(r, 502, "BAD_SHARD_REPLY",
			    "the shard answered with another message");
			return (false);
		}
	}
	return (true);
}

bool
gw_part_refused(const gw_part *p, const char *code)
{
	return (p->err == CM_OK && p->rep->error != NULL &&
	    p->rep->error->code != NULL &&
	    strcmp(p->rep->error->code, code) == 0);
}

static void
fan_render_done(gw_req *r, gw_fan *f)
{
	if (!gw_fan_check(r, f, 0, 1, f->want)) {
		return;
	}
	gw_fan_shard_header(r, f->parts[0].shard);
	f->render(r, f->parts[0].rep, f->ctx);
}

static void
fan_merge_done(gw_req *r, gw_fan *f)
{
	Nd__ShardReply **reps;

	if (!gw_fan_check(r, f, 0, f->n, f->want)) {
		return;
	}
	reps = cm_calloc((size_t) f->n + 1, sizeof(*reps));
	for (int i = 0; i < f->n; i++) {
		reps[i] = f->parts[i].rep;
	}
	gw_fan_shard_header(r, -1);
	f->merge(r, reps, f->n, f->ctx);
	free(reps);
}

void
gw_fan_render(gw_fan *f, int want, gw_render_fn render)
{
	f->done   = fan_render_done;
	f->want   = want;
	f->render = render;
}

void
gw_fan_merge(gw_fan *f, int want, gw_merge_fn merge)
{
	f->done  = fan_merge_done;
	f->want  = want;
	f->merge = merge;
}

void
gw_forward(gw_req *r, Nd__ShardRequest *rq, int shard, int want,
    gw_render_fn render)
{
	gw_fan *f = gw_fan_new(r, NULL);

	gw_fan_add(f, gw_fan_pack(f, rq), shard, 1);
	gw_fan_render(f, want, render);
	gw_fan_send(f, 0);
}

void
gw_scatter(gw_req *r, Nd__ShardRequest *rq, int want, gw_merge_fn merge,
    void *ctx, void (*drop)(void *))
{
	gw_fan *f = gw_fan_new(r, NULL);

	gw_fan_set_ctx(f, ctx, drop);
	gw_fan_add_all(f, gw_fan_pack(f, rq));
	gw_fan_merge(f, want, merge);
	gw_fan_send(f, 0);
}

void
gw_reply_rendered(gw_req *r, unsigned status, json_t *body)
{
	if (body == NULL) {
		gw_req_error(r, 502, "BAD_SHARD_REPLY",
		    "the shard's reply cannot be shown");
		return;
	}
	gw_req_reply(r, status, body);
}


static bool
field_valid(const ProtobufCFieldDescriptor *fd, const void *v)
{
	if (fd->type == PROTOBUF_C_TYPE_STRING) {
		return (v == NULL || cm_utf8_valid(v));
	}
	return (v == NULL || gw_reply_valid(v));
}

bool
gw_reply_valid(const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d    = m->descriptor;
	const char                       *base = (const char *) m;

	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];
		const void *const              *v;

		if (fd->type != PROTOBUF_C_TYPE_STRING &&
		    fd->type != PROTOBUF_C_TYPE_MESSAGE) {
			continue;
		}
		if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *) (base + fd->quantifier_offset) !=
		        fd->id) {
			continue;
		}
		v = (const void *const *) (base + fd->offset);
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n =
			    *(const size_t *) (base + fd->quantifier_offset);
			const void *const *a = *(const void *const *const *) v;

			for (size_t j = 0; j < n; j++) {
				if (!field_valid(fd, a[j])) {
					return (false);
				}
			}
		} else if (!field_valid(fd, *v)) {
			return (false);
		}
	}
	return (true);
}
