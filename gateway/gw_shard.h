/*
 * gw_shard.h: the gateway's client of the shards (nng REQ, one socket per
 * shard, a pool of contexts per socket).
 *
 * A call sends one request and delivers the reply, or an error, to a
 * callback that runs on an nng thread.  Calls to one shard travel in
 * batches (see gw_shard.c).  Every call ends within the configured
 * deadline: a shard that is down, or that does not answer, yields
 * CM_ETIMEDOUT; CM_ECLOSED when its connection broke mid-call; CM_EPROTO
 * when its answer does not decode.
 */
#ifndef GW_SHARD_H
#define GW_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

typedef struct gw_shard gw_shard;

/*
 * gw_shard_cb receives the outcome of a call: err CM_OK with the reply
 * bytes (valid only during the callback), or an error with reply NULL.
 * Runs on an nng thread.
 */
typedef void (*gw_shard_cb)(void *arg, cm_err err, const uint8_t *reply,
    size_t len);

/*
 * gw_shard_open dials every shard: url_tmpl is expanded per shard index
 * with cm_addr_expand (base_port for "{port}").  Each shard gets ncarriers
 * batches in flight and at most max_queued calls waiting; timeout_ms
 * bounds every call.  Dials do not wait for the shards to be up.
 */
cm_err gw_shard_open(int nshards, const char *url_tmpl, int base_port,
    int ncarriers, int max_queued, int timeout_ms, gw_shard **out);

/* gw_shard_close closes every socket (pending calls fail) and frees s. */
void gw_shard_close(gw_shard *s);

/* gw_shard_count returns the number of shards s was opened with. */
int gw_shard_count(const gw_shard *s);

/* gw_shard_next_id returns a request id unique to this process run. */
uint64_t gw_shard_next_id(gw_shard *s);

/*
 * gw_shard_call sends req (len bytes; copied) to shard index.  On CM_OK
 * cb runs exactly once, on an nng thread or (when a batch is sent at once)
 * possibly before gw_shard_call returns.  Returns CM_ENOMEM when that
 * shard already has max_queued calls waiting (cb never runs).
 */
cm_err gw_shard_call(gw_shard *s, int index, const uint8_t *req, size_t len,
    gw_shard_cb cb, void *arg);

#endif
