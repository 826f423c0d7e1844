/*
 * shard_rpc.c: REP contexts whose requests are answered on the owner thread.
 *
 * Each context cycles RECV -> QUEUED -> SEND -> RECV.  In QUEUED the context
 * sits on the owner's queue; only the owner thread moves it on, so a
 * context's message is touched by one thread at a time.  The eventfd is
 * written only when the queue goes from empty to non-empty: the owner
 * drains the whole queue on every wake-up.
 */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "shard_rpc.h"

enum rpc_state { RPC_RECV, RPC_QUEUED, RPC_SEND };

struct shard_rpc_call {
	shard_rpc      *rpc;
	nng_ctx         ctx;
	nng_aio        *aio;
	enum rpc_state  state;
	nng_msg        *msg;
	struct shard_rpc_call *next;
};

typedef struct shard_rpc_call rpc_ctx;

struct shard_rpc {
	nng_socket      sock;
	int             efd;
	int             nctx;
	rpc_ctx        *ctxs;
	pthread_mutex_t mu;
	rpc_ctx        *head, *tail;
};

static void
rpc_push(shard_rpc *r, rpc_ctx *c)
{
	uint64_t one = 1;
	int      wake;

	pthread_mutex_lock(&r->mu);
	c->next = NULL;
	wake    = (r->head == NULL);
	if (r->tail != NULL) {
		r->tail->next = c;
	} else {
		r->head = c;
	}
	r->tail = c;
	pthread_mutex_unlock(&r->mu);
	if (wake && write(r->efd, &one, sizeof(one)) < 0) {
		cm_log_error("eventfd write failed", NULL);
	}
}

static void
rpc_cb(void *arg)
{
	rpc_ctx *c  = arg;
	int      rv = nng_aio_result(c->aio);

	switch (c->state) {
	case RPC_RECV:
		if (rv == NNG_ECLOSED || rv == NNG_ECANCELED) {
			return;
		}
		if (rv != 0) {
			nng_ctx_recv(c->ctx, c->aio);
			return;
		}
		c->msg   = nng_aio_get_msg(c->aio);
		c->state = RPC_QUEUED;
		rpc_push(c->rpc, c);
		return;
	case RPC_SEND:
		if (rv != 0) {
			nng_msg_free(nng_aio_get_msg(c->aio));
			if (rv == NNG_ECLOSED || rv == NNG_ECANCELED) {
				return;
			}
		}
		c->state = RPC_RECV;
		nng_ctx_recv(c->ctx, c->aio);
		return;
	case RPC_QUEUED:
		break;
	}
	cm_log_error("rpc callback in queued state", NULL);
}

cm_err
shard_rpc_start(const char *url, int nctx, shard_rpc **out)
{
	shard_rpc *r = cm_calloc(1, sizeof(*r));
	int        rv;

	pthread_mutex_init(&r->mu, NULL);
	r->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	cm_assert(r->efd >= 0);
	if ((rv = nng_rep0_open(&r->sock)) != 0) {
		goto fail;
	}
	if ((rv = nng_listen(r->sock, url, NULL, 0)) != 0) {
		cm_log_error("cannot listen", "{s:s,s:s}", "url", url,
		    "error", nng_strerror(rv));
		nng_close(r->sock);
		goto fail;
	}
	r->nctx = nctx;
	r->ctxs = cm_calloc((size_t) nctx, sizeof(rpc_ctx));
	for (int i = 0; i < nctx; i++) {
		rpc_ctx *c = &r->ctxs[i];

		c->rpc = r;
		cm_assert(nng_ctx_open(&c->ctx, r->sock) == 0);
		cm_assert(nng_aio_alloc(&c->aio, rpc_cb, c) == 0);
		c->state = RPC_RECV;
		nng_ctx_recv(c->ctx, c->aio);
	}
	*out = r;
	return (CM_OK);
fail:
	close(r->efd);
	pthread_mutex_destroy(&r->mu);
	free(r);
	return (CM_ENNG);
}

int
shard_rpc_fd(const shard_rpc *r)
{
	return (r->efd);
}

int
shard_rpc_drain(shard_rpc *r, shard_rpc_handler handler, void *arg)
{
	uint64_t n;
	rpc_ctx *list;
	int      count = 0;

	if (read(r->efd, &n, sizeof(n)) < 0) {
		/* EAGAIN: woken by an earlier batch; drain anyway. */
	}
	pthread_mutex_lock(&r->mu);
	list    = r->head;
	r->head = r->tail = NULL;
	pthread_mutex_unlock(&r->mu);
	while (list != NULL) {
		rpc_ctx *c = list;

		list = c->next;
		count++;
		handler(arg, c, nng_msg_body(c->msg), nng_msg_len(c->msg));
	}
	return (count);
}

void
shard_rpc_reply(shard_rpc_call *c, const uint8_t *reply, size_t rlen)
{
	nng_msg_clear(c->msg);
	if (nng_msg_append(c->msg, reply, rlen) != 0) {
		cm_log_error("reply too large", NULL);
	}
	c->state = RPC_SEND;
	nng_aio_set_msg(c->aio, c->msg);
	c->msg = NULL;
	nng_ctx_send(c->ctx, c->aio);
}

void
shard_rpc_stop(shard_rpc *r)
{
	if (r == NULL) {
		return;
	}
	nng_close(r->sock);
	for (int i = 0; i < r->nctx; i++) {
		nng_aio_stop(r->ctxs[i].aio);
	}
	for (int i = 0; i < r->nctx; i++) {
		if (r->ctxs[i].msg != NULL) {
			nng_msg_free(r->ctxs[i].msg);
		}
		nng_aio_free(r->ctxs[i].aio);
	}
	free(r->ctxs);
	close(r->efd);
	pthread_mutex_destroy(&r->mu);
	free(r);
}
