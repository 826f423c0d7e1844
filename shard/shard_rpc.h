/*
 * shard_rpc.h: the shard's nng REP endpoint.
 *
 * nng completes receives on its own threads.  Each received request is
 * handed, through a locked queue and an eventfd, to the shard's owner
 * thread, which alone touches game state: it calls the handler and sends
 * the reply.  Many contexts are open at once so requests from many gateways
 * are in flight together.
 */
#ifndef SHARD_RPC_H
#define SHARD_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

typedef struct shard_rpc      shard_rpc;
typedef struct shard_rpc_call shard_rpc_call;

/*
 * shard_rpc_handler takes one request: req/len is the request body (valid
 * during the call only).  The handler answers it with shard_rpc_reply, at
 * once or later (after the request's actions committed); until then the
 * call holds one of the socket's contexts.  Runs on the owner thread.
 */
typedef void (*shard_rpc_handler)(void *arg, shard_rpc_call *call,
    const uint8_t *req, size_t len);

/*
 * shard_rpc_reply sends rlen bytes of reply to call's requester and
 * returns the context to receiving.  Owner thread; exactly once per call.
 */
void shard_rpc_reply(shard_rpc_call *call, const uint8_t *reply,
    size_t rlen);

/*
 * shard_rpc_start listens on url with nctx contexts.  Returns CM_ENNG when
 * the socket cannot be opened or the address cannot be bound.
 */
cm_err shard_rpc_start(const char *url, int nctx, shard_rpc **out);

/* shard_rpc_fd returns a descriptor that is readable when requests wait. */
int shard_rpc_fd(const shard_rpc *r);

/*
 * shard_rpc_drain hands every waiting request to handler.  Call on the
 * owner thread when shard_rpc_fd is readable.  Returns how many it handed over.
 */
int shard_rpc_drain(shard_rpc *r, shard_rpc_handler handler, void *arg);

/* shard_rpc_stop closes the socket, waits for nng's callbacks, frees r. */
void shard_rpc_stop(shard_rpc *r);

#endif
