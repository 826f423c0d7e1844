/*
 * shard_world.h: the state a shard owns and the answers it gives.
 *
 * A shard_world holds the static terrain of the whole map (every process
 * has all of it), this shard's region, and the current generation.  It is
 * touched only by the shard's owner thread.
 */
#ifndef SHARD_WORLD_H
#define SHARD_WORLD_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"
#include "cm_map.h"
#include "cm_metrics.h"

typedef struct shard_world shard_world;

/*
 * shard_world_load makes the world of shard index of the layout l: it
 * finds (or creates, the first time any shard starts) the current
 * generation in PostgreSQL, checks the map size against the generation's,
 * and generates the terrain from the generation's map seed.  seed is used
 * only when the generation is created.  Returns CM_EDB or CM_ECONFIG.
 */
cm_err shard_world_load(PGconn *pg, const cm_layout *l, int index,
    uint64_t seed, cm_metrics *metrics, shard_world **out);

/*
 * shard_world_new makes the world of shard index of layout l for a known
 * generation (no database involved; shard_world_load uses it, and so do
 * the unit tests).  Returns CM_ERANGE for a bad map size.
 */
cm_err shard_world_new(const cm_layout *l, int index, uint32_t gen_id,
    uint64_t map_seed, int64_t gen_start_ms, cm_metrics *metrics,
    shard_world **out);

/* shard_world_free frees w. */
void shard_world_free(shard_world *w);

/*
 * shard_world_refresh re-reads the slowly changing facts (player count)
 * from PostgreSQL; called by the shard's housekeeping timer.
 */
cm_err shard_world_refresh(shard_world *w, PGconn *pg);

/*
 * shard_world_handle answers one protobuf ShardRequest (req/len) with a
 * packed ShardReply in a malloc'd *reply of *rlen bytes.  A request that
 * does not decode is answered with error BAD_REQUEST.  Owner thread only.
 */
void shard_world_handle(void *w, const uint8_t *req, size_t len,
    uint8_t **reply, size_t *rlen);

/*
 * shard_world_handle_batch answers a ShardBatch (the gateway's wire
 * format): each request as shard_world_handle would, the replies in order
 * in one ShardBatchReply.  A batch that does not decode gets an empty
 * answer, which the gateway reports as a bad reply.  Owner thread only.
 */
void shard_world_handle_batch(void *w, const uint8_t *req, size_t len,
    uint8_t **reply, size_t *rlen);

#endif
