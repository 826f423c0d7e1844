/*
 * shard_player_sync.h: what a battle on one shard does to a player homed
 * on another (docs/architecture.md, "Cross-shard moves").
 *
 * A battle is fought by the shard of its tile; its attacker may be homed
 * elsewhere since armies cross borders.  What the battle changes of that
 * player's record (its captain's death or wound, the captain's army gone,
 * Korrath's Blood Frenzy, domain points won) is the home shard's to keep.
 * So the battle's shard commits, with the battle, a row of player_syncs
 * holding the change, and after the commit sends it to the home shard
 * ("channel:shard:{home}", msgpack ["p1", generation, from, to, id,
 * player, captainDead, woundedUntil, frenzyUntil, points, armyGone]).
 * The home shard applies it to its player and deletes the row in the same
 * commit, so it applies each once: a row still there after SH_HANDOFF_
 * RESEND_MS is sent again (shard_player_sync_sweep), and a message seen
 * already in this run is ignored.
 */
#ifndef SHARD_PLAYER_SYNC_H
#define SHARD_PLAYER_SYNC_H

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "shard_state.h"

typedef struct sh_psync {
	uint32_t generation;
	int      from, to;
	uint64_t id;
	char     player[SH_ADDR_LEN + 1];
	bool     captain_dead;
	int64_t  wounded_until_ms, frenzy_until_ms;
	int64_t  points;    /* won, to add */
	uint64_t army_gone; /* the captain's army, fallen; 0: none */
} sh_psync;

/* Before and after: the fields of a player a battle may change. */
typedef struct sh_psync_snap {
	bool     captain_dead;
	int64_t  wounded_until_ms, frenzy_until_ms, points;
	uint64_t captain_army;
} sh_psync_snap;

void shard_player_sync_snap(const sh_player *p, sh_psync_snap *s);

/*
 * shard_player_sync_after sends to p's home shard what changed of p since
 * snapshot before (nothing when p is homed here or nothing changed).
 */
void shard_player_sync_after(shard_world *w, sh_player *p,
    const sh_psync_snap *before);

void shard_player_sync_encode(const sh_psync *m, msgpack_sbuffer *out);
bool shard_player_sync_decode(const char *buf, size_t len, sh_psync *m);

/* shard_player_sync_publish sends group g's syncs (after it committed). */
void shard_player_sync_publish(shard_world *w, const sh_group *g);

/* shard_player_sync_receive applies a sync for a player homed here. */
void shard_player_sync_receive(shard_world *w, const sh_psync *m);

/* shard_player_sync_sweep sends again this shard's rows older than
 * SH_HANDOFF_RESEND_MS (from the hand-off sweep). */
void shard_player_sync_sweep(shard_world *w);

#endif
