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

typedef struct shard_rpc shard_rpc;

/*
 * shard_rpc_handler answers one request: req/len is the request body; the
 * handler writes the reply body into a malloc'd buffer *reply of *rlen
 * bytes (freed by the caller).  Runs on the owner thread.
 */
typedef void (*shard_rpc_handler)(void *arg, const uint8_t *req, size_t len,
    uint8_t **reply, size_t *rlen);

/*
 * shard_rpc_start listens on url with nctx contexts.  Returns CM_ENNG when
 * the socket cannot be opened or the address cannot be bound.
 */
cm_err shard_rpc_start(const char *url, int nctx, shard_rpc **out);

/* shard_rpc_fd returns a descriptor that is readable when requests wait. */
int shard_rpc_fd(const shard_rpc *r);

/*
 * shard_rpc_drain answers every waiting request with handler.  Call on the
 * owner thread when shard_rpc_fd is readable.  Returns how many it answered.
 */
int shard_rpc_drain(shard_rpc *r, shard_rpc_handler handler, void *arg);

/* shard_rpc_stop closes the socket, waits for nng's callbacks, frees r. */
void shard_rpc_stop(shard_rpc *r);

#endif
