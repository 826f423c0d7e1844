/*
 * shard_world.h: the shard's world as the main loop sees it.
 *
 * A shard_world holds the static terrain of the whole map, the current
 * generation, and the authoritative state of this shard's region and of
 * the players and alliances homed on it (shard_state.h).  It is touched
 * only by the shard's owner thread.
 *
 * Requests arrive in batches.  Reads are answered at once from memory.
 * A mutating action is validated, checked and executed in memory, and its
 * reply is held: the changes of every action gathered meanwhile are written
 * in one pipelined transaction, and the replies go out when it committed
 * (or, if it failed, as 503 STORAGE_UNAVAILABLE, and memory is reloaded
 * from PostgreSQL).
 */
#ifndef SHARD_WORLD_H
#define SHARD_WORLD_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nng/nng.h>

#include "cm_err.h"
#include "cm_generation.h"
#include "cm_map.h"
#include "cm_metrics.h"
#include "cm_redis.h"
#include "shard_rpc.h"

typedef struct shard_world shard_world;

typedef struct shard_world_cfg {
	const cm_layout *layout;
	int              index;
	uint64_t         seed;       /* map seed of a first generation */
	int64_t          time_scale; /* ND_TIME_SCALE */
	int              generation_days; /* ND_GENERATION_DAYS: the length
	                                   * of the generations it opens */
	bool             commit_each; /* SHARD_COMMIT=each (bench baseline) */
	const char      *db_url;     /* for the pipelined writer */
	PGconn          *pg;         /* blocking connection, borrowed */
	cm_redis        *redis;      /* borrowed */
	cm_metrics      *metrics;
} shard_world_cfg;

/*
 * shard_world_open creates generation 1 if none exists, loads the current
 * generation and this shard's state from PostgreSQL and opens the writer.
 * Returns CM_EDB or CM_ECONFIG (map size differs from the generation's).
 */
cm_err shard_world_open(const shard_world_cfg *cfg, shard_world **out);

/*
 * shard_world_new makes an empty world for generation g with no stores
 * (the unit tests use it: reads work, actions answer 503).
 */
cm_err shard_world_new(const cm_layout *l, int index, const cm_generation *g,
    cm_metrics *metrics, shard_world **out);

void shard_world_free(shard_world *w);

/*
 * shard_world_set_pub gives the world its PUB socket: after each commit
 * the group's events are published on it, one message each: the event
 * type, a space, and a JSON object {seq, shard, generation, type, time,
 * player, x, y, data}, seq counting this process's events from 1 (a gap
 * tells a subscriber it lost some).
 */
void shard_world_set_pub(shard_world *w, nng_socket pub);

/*
 * shard_world_handle answers one packed ShardRequest into a malloc'd
 * packed ShardReply.  *hold is set when the reply acknowledges an action
 * and must wait for the gathering group's commit (shard_world_batch does
 * that); unit tests see the reply the shard would send.
 */
void shard_world_handle(shard_world *w, const uint8_t *req, size_t len,
    uint8_t **reply, size_t *rlen, bool *hold);

/* shard_world_batch takes a ShardBatch from the RPC layer (a handler). */
void shard_world_batch(void *w, shard_rpc_call *call, const uint8_t *req,
    size_t len);

/*
 * shard_world_flush starts the commit of the gathered changes if none is
 * in flight.  Call after each round of requests.
 */
void shard_world_flush(shard_world *w);

/* The writer's socket (-1 when disconnected), and its events. */
int  shard_world_store_fd(const shard_world *w);
bool shard_world_store_wants_write(const shard_world *w);
void shard_world_store_io(shard_world *w);

/*
 * shard_world_tick: timers due, the writer's reconnection, a reload after
 * a failed commit, a new generation, the Redis cache.  Once a second;
 * pg is the (possibly reconnected) blocking connection, pg_ok and
 * redis_ok the stores' health.
 */
void shard_world_tick(shard_world *w, PGconn *pg, bool pg_ok,
    bool redis_ok);

/*
 * shard_world_commit_now commits what was gathered and waits for it
 * (blocking): the one-transaction-per-action mode.  False on failure.
 */
bool shard_world_commit_now(shard_world *w);

/* shard_world_idle: nothing is waiting to be committed. */
bool shard_world_idle(const shard_world *w);

/* shard_world_memory: bytes of game state held (an estimate). */
size_t shard_world_memory(const shard_world *w);

#endif
