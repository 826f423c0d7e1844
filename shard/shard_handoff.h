/*
 * shard_handoff.h: armies that march into another shard's region
 * (docs/architecture.md, "Cross-shard moves").
 *
 * The shard that owns the tile an army stands on owns the army.  A march
 * whose destination lies in another region is the source's until the army
 * arrives; at its arrival the source commits, in one transaction, the
 * army's row on its new tile and a row of army_handoffs, and drops the
 * army from memory.  After the commit it tells the destination over Redis
 * pub/sub ("channel:shard:{to}"); the destination loads the army from
 * PostgreSQL, takes it over and acknowledges ("channel:shard:{from}");
 * the source then deletes the row.  An attack on another region's tile is
 * handed over the same way, army and combat together, when the army
 * arrives (and its attack is revealed): the battle is fought by the
 * shard that owns the defender's tile.  Pub/sub delivers at most once: every
 * few seconds (and at start) the source sends again what has not been
 * acknowledged, and the destination answers a hand-off it already holds
 * with a second acknowledgement only.  A destination that was down finds
 * the army on its tile when it loads its region.
 */
#ifndef SHARD_HANDOFF_H
#define SHARD_HANDOFF_H

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "shard_state.h"

#define SH_HANDOFF_RESEND_MS 3000 /* unacknowledged for this long: again */

typedef enum sh_ho_kind {
	SH_HO_HANDOFF = 0, /* from -> to: take army_id over */
	SH_HO_ACK,         /* to -> from: done */
} sh_ho_kind;

typedef struct sh_ho_msg {
	sh_ho_kind kind;
	uint32_t   generation;
	int        from, to;
	uint64_t   id, army_id;
} sh_ho_msg;

/* shard_handoff_channel writes the channel of shard index's messages. */
void shard_handoff_channel(int index, char *out, size_t cap);

/* shard_channel_publish publishes sb on shard's channel (a failure is for
 * the sender's sweep to mend). */
void shard_channel_publish(shard_world *w, int shard, const msgpack_sbuffer *sb);

/* Encoding: msgpack ["h1", kind, generation, from, to, id, army_id]. */
void shard_handoff_encode(const sh_ho_msg *m, msgpack_sbuffer *out);
bool shard_handoff_decode(const char *buf, size_t len, sh_ho_msg *m);

/*
 * shard_handoff_out hands army a (arrived, its destination outside the
 * region) to the destination's shard: a is detached from the world and
 * written on its new tile in the next group commit, with the hand-off.
 */
void shard_handoff_out(shard_world *w, sh_army *a);

/*
 * shard_handoff_battle hands army a and its revealed attack c (whose
 * tile is another region's) to that tile's shard when the army arrives:
 * the battle is fought there.  Survivors of a lost battle are handed
 * back.
 */
void shard_handoff_battle(shard_world *w, sh_army *a, sh_combat *c);

/* shard_handoff_publish tells the destinations of g's hand-offs (after
 * g committed). */
void shard_handoff_publish(shard_world *w, const sh_group *g);

/* shard_handoff_receive handles a message for this shard (owner thread). */
void shard_handoff_receive(shard_world *w, const sh_ho_msg *m);

/*
 * shard_unacked_rows selects cols of table's rows (army_handoffs,
 * player_syncs: rows of a generation_id, from_shard and created_at) that
 * this shard wrote over SH_HANDOFF_RESEND_MS ago, oldest first, at most
 * 1000; NULL when PostgreSQL did not answer.
 */
PGresult *shard_unacked_rows(shard_world *w, const char *cols,
    const char *table);

/*
 * shard_handoff_sweep sends again every hand-off of this shard not
 * acknowledged for SH_HANDOFF_RESEND_MS (from PostgreSQL: those of a
 * previous run too).  Called by the housekeeping, at most every
 * SH_HANDOFF_RESEND_MS.
 */
void shard_handoff_sweep(shard_world *w, int64_t now);

#endif
