/*
 * cm_generation.h: the generation (season) rows in PostgreSQL.
 *
 * A generation has an id (1, 2, ...), a map seed and size, a start, a due
 * end (start + 50 days) and, once over, the time it ended.  Each has a
 * 32-byte server secret whose Keccak-256 is public from the start and
 * which is itself published once the generation has ended.  At most one
 * generation is open (an index enforces it).  The shards read these rows;
 * the operator's tool (and later the bridge) writes them.
 */
#ifndef CM_GENERATION_H
#define CM_GENERATION_H

#include <libpq-fe.h>
#include <stdint.h>

#include "cm_err.h"

/* The contract's endgame: a generation's last 5 days (facts §2.2). */
#define CM_GENERATION_ENDGAME_DAYS 5

typedef struct cm_generation {
	uint32_t id;
	uint64_t map_seed;
	int      map_w, map_h;
	int64_t  start_ms;
	int64_t  end_ms;   /* when it is due to end */
	int64_t  ended_ms; /* when it ended; 0 while open */
	uint8_t  secret[32];
	uint8_t  secret_hash[32];
} cm_generation;

/*
 * cm_generation_first creates generation 1 with a fresh secret if no
 * generation was ever created (safe when several processes race: exactly
 * one row results).  Returns CM_EDB on failure.
 */
cm_err cm_generation_first(PGconn *c, uint64_t seed, int w, int h,
    int64_t length_ms);

/*
 * cm_generation_start ends the open generation, if any, and opens the next
 * one (id = highest + 1) with seed, size, a fresh secret and a due end
 * length_ms (wall time) from now, in one transaction.  *id is the new
 * generation's.  The same transaction writes the ended generation's final
 * standings (its top 100) to the chain outbox, once.
 */
cm_err cm_generation_start(PGconn *c, uint64_t seed, int w, int h,
    int64_t length_ms, uint32_t *id);

/*
 * cm_generation_next opens the generation after generation `after` once it
 * has ended, like cm_generation_start, unless one was opened since (by
 * another shard or the operator): then CM_ENOENT.  Every shard calls it
 * when the intermission is over; exactly one succeeds.
 */
cm_err cm_generation_next(PGconn *c, uint32_t after, uint64_t seed, int w,
    int h, int64_t length_ms, uint32_t *id);

/*
 * cm_generation_end_due ends generation id at its due end (ended_at =
 * ends_at) if that has come by the database's clock and it is still
 * open; a no-op otherwise, so every shard may call it.
 */
cm_err cm_generation_end_due(PGconn *c, uint32_t id);

/*
 * cm_generation_length_ms is the wall time of a generation of days game
 * days when game time runs time_scale times faster.
 */
int64_t cm_generation_length_ms(int days, int64_t time_scale);

/*
 * cm_generation_end ends the open generation; *id is the one ended.
 * Returns CM_ENOENT when none is open.
 */
cm_err cm_generation_end(PGconn *c, uint32_t *id);

/*
 * cm_generation_latest reads the newest generation, open or ended.
 * Returns CM_ENOENT when there is none.
 */
cm_err cm_generation_latest(PGconn *c, cm_generation *g);

/* cm_generation_days: g's length in game days of day_ms (at least 1). */
int cm_generation_days(const cm_generation *g, int64_t day_ms);

/*
 * cm_generation_day returns the game day (1-based) of g at now_ms when a
 * game day lasts day_ms of wall time, at most the generation's length + 1,
 * and writes the API's phase label (the rules' phases, or "ended") and the
 * contract's status (planning, active, endgame, ended) (facts §2.2).  A
 * generation is over once it ended or its due end has come.  phase and
 * status may be NULL.
 */
int cm_generation_day(const cm_generation *g, int64_t now_ms, int64_t day_ms,
    const char **phase, const char **status);

#endif
