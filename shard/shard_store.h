/*
 * shard_store.h: the shard's writer, one PostgreSQL connection in libpq
 * pipeline mode.
 *
 * A group is a sequence of prepared statements sent back to back and
 * closed by one Sync, so PostgreSQL runs them as one implicit transaction:
 * either all of them commit or none does.  The connection is non-blocking
 * and its socket joins the shard's epoll loop; one group is in flight at
 * a time, and the outcome is reported to the callback when the Sync's
 * answer arrives (the commit is then durable, synchronous_commit being
 * PostgreSQL's default).
 */
#ifndef SHARD_STORE_H
#define SHARD_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "cm_err.h"

typedef struct shard_store shard_store;

/* The outcome of a group. */
typedef enum sh_outcome {
	SH_COMMITTED,   /* the Sync answered and nothing failed */
	SH_ROLLED_BACK, /* a statement failed: nothing of the group stands */
	SH_UNKNOWN,     /* the connection broke first: it may have committed */
} sh_outcome;

/* The prepared statements (shard_store.c holds their SQL). */
/* The most columns a statement has (combats: 25). */
#define ST_MAX_COLS 25

enum sh_stmt {
	ST_TERRITORY = 0,
	ST_RESOURCES,
	ST_BUILDING,
	ST_ARMY,
	ST_ARMY_UNITS_CLEAR,
	ST_ARMY_UNIT,
	ST_ARMY_DELETE,
	ST_PLAYER,
	ST_COOLDOWN,
	ST_SCOUT,
	ST_MEMBER_CLEAR,
	ST_MEMBER,
	ST_COMBAT,
	ST_ALLIANCE,
	ST_TIMER,
	ST_TIMER_DELETE,
	ST_EVENT,
	ST_OUTBOX,
	ST_HANDOFF,
	ST_HANDOFF_DONE,
	ST_PSYNC,
	ST_PSYNC_DONE,
	ST_LEDGER,
	ST_COUNT
};

/*
 * shard_store_open connects to db_url and prepares the statements.  Also
 * used to reconnect.  CM_EDB when PostgreSQL cannot be reached.
 */
cm_err shard_store_open(const char *db_url, shard_store **out);
void   shard_store_close(shard_store *s);

/* shard_store_up: connected and usable. */
bool shard_store_up(const shard_store *s);
/* shard_store_busy: a group is in flight. */
bool shard_store_busy(const shard_store *s);
int  shard_store_fd(const shard_store *s);
bool shard_store_wants_write(const shard_store *s);

/*
 * shard_store_row adds one row to statement st of the group being built
 * (text parameters; NULL is SQL NULL); shard_store_send_rows queues st
 * with every row added (nothing when none), false when the connection
 * broke.  shard_store_commit closes the group and
 * starts sending it; done(arg, outcome) is called from shard_store_io
 * when its outcome is known (or, SH_UNKNOWN, when the connection broke
 * while it was in flight).  Returns false when the connection broke.
 */
void shard_store_row(shard_store *s, enum sh_stmt st, int n,
    const char *const *params);
bool shard_store_send_rows(shard_store *s, enum sh_stmt st);
bool shard_store_commit(shard_store *s, void (*done)(void *, sh_outcome),
    void *arg);

/*
 * shard_store_abort drops the connection (no callback): used when a group
 * could not be queued whole; the next tick reconnects.
 */
void shard_store_abort(shard_store *s);

/* shard_store_io handles the socket's readiness (read and write). */
void shard_store_io(shard_store *s);

/*
 * shard_store_reconnect reopens a broken connection (blocking, bounded by
 * the connect timeout).  A group in flight has been failed already.
 */
void shard_store_reconnect(shard_store *s);

#endif
