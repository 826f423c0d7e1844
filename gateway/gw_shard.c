/*
 * gw_shard.c: REQ contexts to the shards.
 *
 * A call takes a free context of its shard's pool, sends, then receives on
 * the same aio.  The send and the receive each get the time left of one
 * deadline, so a call never outlives it.  Resends are disabled: a request
 * whose connection breaks fails at once (the caller answers 503) instead of
 * reaching the shard twice.
 */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "cm_addr.h"
#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_time.h"
#include "gw_shard.h"

typedef struct call {
	struct pool *pool;
	nng_ctx      ctx;
	nng_aio     *aio;
	int          sending;
	int64_t      deadline_ns;
	gw_shard_cb  cb;
	void        *arg;
	struct call *next;
} call;

typedef struct pool {
	nng_socket      sock;
	pthread_mutex_t mu;
	call           *calls;
	call           *free;
	int             n;
	int             timeout_ms;
} pool;

struct gw_shard {
	int              n;
	pool            *pools;
	_Atomic uint64_t next_id;
};

static void
call_release(call *c)
{
	pool *p = c->pool;

	pthread_mutex_lock(&p->mu);
	c->next = p->free;
	p->free = c;
	pthread_mutex_unlock(&p->mu);
}

static cm_err
call_err(int rv)
{
	return (rv == NNG_ETIMEDOUT ? CM_ETIMEDOUT : CM_ECLOSED);
}

static void
call_cb(void *arg)
{
	call       *c  = arg;
	int         rv = nng_aio_result(c->aio);
	gw_shard_cb cb = c->cb;
	void       *a  = c->arg;
	nng_msg    *m;
	int64_t     left_ms;

	if (c->sending) {
		if (rv != 0) {
			nng_msg_free(nng_aio_get_msg(c->aio));
			call_release(c);
			cb(a, call_err(rv), NULL, 0);
			return;
		}
		c->sending = 0;
		left_ms    = (c->deadline_ns - cm_time_mono_ns()) / 1000000;
		nng_aio_set_timeout(c->aio, left_ms > 0 ? (nng_duration) left_ms
		                                        : NNG_DURATION_ZERO);
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	if (rv != 0) {
		call_release(c);
		cb(a, call_err(rv), NULL, 0);
		return;
	}
	m = nng_aio_get_msg(c->aio);
	call_release(c);
	cb(a, CM_OK, nng_msg_body(m), nng_msg_len(m));
	nng_msg_free(m);
}

static cm_err
pool_open(pool *p, const char *url, int size, int timeout_ms)
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
	p->n          = size;
	p->timeout_ms = timeout_ms;
	p->calls      = cm_calloc((size_t) size, sizeof(call));
	for (int i = 0; i < size; i++) {
		call *c = &p->calls[i];

		c->pool = p;
		cm_assert(nng_ctx_open(&c->ctx, p->sock) == 0);
		cm_assert(nng_aio_alloc(&c->aio, call_cb, c) == 0);
		c->next = p->free;
		p->free = c;
	}
	return (CM_OK);
}

cm_err
gw_shard_open(int nshards, const char *url_tmpl, int base_port, int pool_sz,
    int timeout_ms, gw_shard **out)
{
	gw_shard *s = cm_calloc(1, sizeof(*s));
	uint32_t  salt;

	s->pools = cm_calloc((size_t) nshards, sizeof(pool));
	for (int i = 0; i < nshards; i++) {
		char url[256];

		if (cm_addr_expand(url_tmpl, i, base_port, url, sizeof(url)) !=
		        CM_OK ||
		    pool_open(&s->pools[i], url, pool_sz, timeout_ms) !=
		        CM_OK) {
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

		nng_close(p->sock);
		for (int j = 0; j < p->n; j++) {
			nng_aio_stop(p->calls[j].aio);
		}
		for (int j = 0; j < p->n; j++) {
			nng_aio_free(p->calls[j].aio);
		}
		free(p->calls);
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
	nng_msg *m;

	pthread_mutex_lock(&p->mu);
	c = p->free;
	if (c != NULL) {
		p->free = c->next;
	}
	pthread_mutex_unlock(&p->mu);
	if (c == NULL) {
		return (CM_ENOMEM);
	}
	cm_assert(nng_msg_alloc(&m, 0) == 0);
	cm_assert(nng_msg_append(m, req, len) == 0);
	c->cb          = cb;
	c->arg         = arg;
	c->sending     = 1;
	c->deadline_ns = cm_time_mono_ns() + (int64_t) p->timeout_ms * 1000000;
	nng_aio_set_timeout(c->aio, p->timeout_ms);
	nng_aio_set_msg(c->aio, m);
	nng_ctx_send(c->ctx, c->aio);
	return (CM_OK);
}
