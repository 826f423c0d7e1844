/*
 * gw_shard.c: batched REQ contexts to the shards.
 *
 * Each shard has a queue of calls and a few carriers (an nng context and
 * aio each).  A call joins the queue; a free carrier takes everything
 * queued (up to BATCH_MAX calls) as one ShardBatch message.  With one
 * request at a time a batch holds one call and costs what a plain request
 * would; under load, calls pile up while the carriers are busy and each
 * nng message then carries many, which is what lets one gateway core feed
 * several shards.
 *
 * Deadlines: every call has one (now + timeout).  A carrier's send and
 * receive get the time left of the earliest deadline in its batch, so no
 * call outlives its own; a call that waited in the queue past its deadline
 * fails when the next carrier frees, which is at most one timeout later.
 * Resends are disabled: a batch whose connection breaks fails at once (the
 * callers answer 503) instead of reaching a shard twice.
 */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cm_addr.h"
#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_time.h"
#include "gw_shard.h"
#include "shard.pb-c.h"

#define BATCH_MAX 64

typedef struct call {
	struct call *next;
	uint8_t     *req;
	size_t       len;
	int64_t      deadline_ns;
	gw_shard_cb  cb;
	void        *arg;
} call;

typedef struct carrier {
	struct pool *pool;
	nng_ctx      ctx;
	nng_aio     *aio;
	int          sending;
	call        *batch[BATCH_MAX];
	int          n;
	int64_t      deadline_ns;
} carrier;

typedef struct pool {
	nng_socket      sock;
	pthread_mutex_t mu;
	call           *head, *tail; /* queued calls */
	int             queued, max_queued;
	carrier        *carriers;
	carrier       **idle; /* stack of idle carriers */
	int             nidle, ncarriers;
	int             timeout_ms;
} pool;

struct gw_shard {
	int              n;
	pool            *pools;
	_Atomic uint64_t next_id;
};

static void
call_finish(call *c, cm_err err, const uint8_t *reply, size_t len)
{
	c->cb(c->arg, err, reply, len);
	free(c->req);
	free(c);
}

static cm_err
nng_to_err(int rv)
{
	return (rv == NNG_ETIMEDOUT ? CM_ETIMEDOUT : CM_ECLOSED);
}

/*
 * carrier_fill takes queued calls into k (p->mu held); calls already past
 * their deadline are moved to *expired instead.  Returns the batch size.
 */
static int
carrier_fill(pool *p, carrier *k, call **expired, int64_t now)
{
	k->n           = 0;
	k->deadline_ns = INT64_MAX;
	while (p->head != NULL && k->n < BATCH_MAX) {
		call *c = p->head;

		p->head = c->next;
		if (p->head == NULL) {
			p->tail = NULL;
		}
		p->queued--;
		if (c->deadline_ns <= now) {
			c->next  = *expired;
			*expired = c;
			continue;
		}
		k->batch[k->n++] = c;
		if (c->deadline_ns < k->deadline_ns) {
			k->deadline_ns = c->deadline_ns;
		}
	}
	return (k->n);
}

static void
carrier_send(carrier *k)
{
	Nd__ShardBatch      b = ND__SHARD_BATCH__INIT;
	ProtobufCBinaryData items[BATCH_MAX];
	nng_msg            *m;
	size_t              len;
	int64_t             left_ms;

	for (int i = 0; i < k->n; i++) {
		items[i].data = k->batch[i]->req;
		items[i].len  = k->batch[i]->len;
	}
	b.n_requests = (size_t) k->n;
	b.requests   = items;
	len          = nd__shard_batch__get_packed_size(&b);
	cm_assert(nng_msg_alloc(&m, len) == 0);
	nd__shard_batch__pack(&b, nng_msg_body(m));
	left_ms = (k->deadline_ns - cm_time_mono_ns()) / 1000000;
	k->sending = 1;
	nng_aio_set_timeout(k->aio,
	    left_ms > 0 ? (nng_duration) left_ms : NNG_DURATION_ZERO);
	nng_aio_set_msg(k->aio, m);
	nng_ctx_send(k->ctx, k->aio);
}

/*
 * carrier_next gives k the next batch and sends it, or parks k; then fails
 * the calls found expired.  Called without p->mu.
 */
static void
carrier_next(carrier *k)
{
	pool *p       = k->pool;
	call *expired = NULL;
	int   n;

	pthread_mutex_lock(&p->mu);
	n = carrier_fill(p, k, &expired, cm_time_mono_ns());
	if (n == 0) {
		p->idle[p->nidle++] = k;
	}
	pthread_mutex_unlock(&p->mu);
	if (n > 0) {
		carrier_send(k);
	}
	while (expired != NULL) {
		call *c = expired;

		expired = c->next;
		call_finish(c, CM_ETIMEDOUT, NULL, 0);
	}
}

static void
carrier_fail(carrier *k, cm_err err)
{
	for (int i = 0; i < k->n; i++) {
		call_finish(k->batch[i], err, NULL, 0);
	}
	k->n = 0;
}

static void
carrier_deliver(carrier *k, nng_msg *m)
{
	Nd__ShardBatchReply *r = nd__shard_batch_reply__unpack(
	    NULL, nng_msg_len(m), nng_msg_body(m));

	if (r == NULL || r->n_replies != (size_t) k->n) {
		cm_log_error("shard batch reply does not match its batch",
		    NULL);
		carrier_fail(k, CM_EPROTO);
	} else {
		for (int i = 0; i < k->n; i++) {
			call_finish(k->batch[i], CM_OK, r->replies[i].data,
			    r->replies[i].len);
		}
		k->n = 0;
	}
	if (r != NULL) {
		nd__shard_batch_reply__free_unpacked(r, NULL);
	}
}

static void
carrier_cb(void *arg)
{
	carrier *k  = arg;
	int      rv = nng_aio_result(k->aio);
	int64_t  left_ms;
	nng_msg *m;

	if (k->sending) {
		if (rv != 0) {
			nng_msg_free(nng_aio_get_msg(k->aio));
			carrier_fail(k, nng_to_err(rv));
			if (rv != NNG_ECLOSED) {
				carrier_next(k);
			}
			return;
		}
		k->sending = 0;
		left_ms    = (k->deadline_ns - cm_time_mono_ns()) / 1000000;
		nng_aio_set_timeout(k->aio, left_ms > 0 ? (nng_duration) left_ms
		                                        : NNG_DURATION_ZERO);
		nng_ctx_recv(k->ctx, k->aio);
		return;
	}
	if (rv != 0) {
		carrier_fail(k, nng_to_err(rv));
		if (rv != NNG_ECLOSED) {
			carrier_next(k);
		}
		return;
	}
	m = nng_aio_get_msg(k->aio);
	carrier_deliver(k, m);
	nng_msg_free(m);
	carrier_next(k);
}

static cm_err
pool_open(pool *p, const char *url, int ncarriers, int max_queued,
    int timeout_ms)
{
	int rv;

	if ((rv = nng_req0_open(&p->sock)) != 0) {
		return (CM_ENNG);
	}
	nng_socket_set_ms(p->sock, NNG_OPT_REQ_RESENDTIME,
	    NNG_DURATION_INFINITE);
	nng_socket_set_ms(p->sock, NNG_OPT_RECONNMINT, 50);
	nng_socket_set_ms(p->sock, NNG_OPT_RECONNMAXT, 500);
	if ((rv = nng_dial(p->sock, url, NULL, NNG_FLAG_NONBLOCK)) != 0) {
		cm_log_error("cannot dial shard", "{s:s,s:s}", "url", url,
		    "error", nng_strerror(rv));
		nng_close(p->sock);
		return (CM_ENNG);
	}
	pthread_mutex_init(&p->mu, NULL);
	p->timeout_ms = timeout_ms;
	p->max_queued = max_queued;
	p->ncarriers  = ncarriers;
	p->carriers   = cm_calloc((size_t) ncarriers, sizeof(carrier));
	p->idle       = cm_calloc((size_t) ncarriers, sizeof(carrier *));
	for (int i = 0; i < ncarriers; i++) {
		carrier *k = &p->carriers[i];

		k->pool = p;
		cm_assert(nng_ctx_open(&k->ctx, p->sock) == 0);
		cm_assert(nng_aio_alloc(&k->aio, carrier_cb, k) == 0);
		p->idle[p->nidle++] = k;
	}
	return (CM_OK);
}

cm_err
gw_shard_open(int nshards, const char *url_tmpl, int base_port,
    int ncarriers, int max_queued, int timeout_ms, gw_shard **out)
{
	gw_shard *s = cm_calloc(1, sizeof(*s));
	uint32_t  salt;

	s->pools = cm_calloc((size_t) nshards, sizeof(pool));
	for (int i = 0; i < nshards; i++) {
		char url[256];

		if (cm_addr_expand(url_tmpl, i, base_port, url, sizeof(url)) !=
		        CM_OK ||
		    pool_open(&s->pools[i], url, ncarriers, max_queued,
		        timeout_ms) != CM_OK) {
			s->n = i;
			gw_shard_close(s);
			return (CM_ENNG);
		}
		cm_log_info("shard dialled", "{s:i,s:s}", "shard", i, "url",
		    url);
	}
	s->n = nshards;
	/* Ids from different gateway runs must not collide at a shard. */
	randombytes_buf(&salt, sizeof(salt));
	atomic_store(&s->next_id, (uint64_t) salt << 32);
	*out = s;
	return (CM_OK);
}

void
gw_shard_close(gw_shard *s)
{
	if (s == NULL) {
		return;
	}
	for (int i = 0; i < s->n; i++) {
		pool *p = &s->pools[i];

		/* Closing fails every batch in flight (NNG_ECLOSED). */
		nng_close(p->sock);
		for (int j = 0; j < p->ncarriers; j++) {
			nng_aio_stop(p->carriers[j].aio);
		}
		for (int j = 0; j < p->ncarriers; j++) {
			nng_aio_free(p->carriers[j].aio);
		}
		while (p->head != NULL) {
			call *c = p->head;

			p->head = c->next;
			call_finish(c, CM_ECLOSED, NULL, 0);
		}
		free(p->carriers);
		free(p->idle);
		pthread_mutex_destroy(&p->mu);
	}
	free(s->pools);
	free(s);
}

int
gw_shard_count(const gw_shard *s)
{
	return (s->n);
}

uint64_t
gw_shard_next_id(gw_shard *s)
{
	return (atomic_fetch_add(&s->next_id, 1));
}

cm_err
gw_shard_call(gw_shard *s, int index, const uint8_t *req, size_t len,
    gw_shard_cb cb, void *arg)
{
	pool    *p = &s->pools[index];
	call    *c;
	carrier *k = NULL;

	pthread_mutex_lock(&p->mu);
	if (p->queued >= p->max_queued) {
		pthread_mutex_unlock(&p->mu);
		return (CM_ENOMEM);
	}
	c              = cm_malloc(sizeof(*c));
	c->next        = NULL;
	c->req         = cm_malloc(len);
	c->len         = len;
	c->cb          = cb;
	c->arg         = arg;
	c->deadline_ns = cm_time_mono_ns() + (int64_t) p->timeout_ms * 1000000;
	memcpy(c->req, req, len);
	if (p->tail != NULL) {
		p->tail->next = c;
	} else {
		p->head = c;
	}
	p->tail = c;
	p->queued++;
	if (p->nidle > 0) {
		k = p->idle[--p->nidle];
	}
	pthread_mutex_unlock(&p->mu);
	if (k != NULL) {
		carrier_next(k); /* takes the queue, with this call */
	}
	return (CM_OK);
}
