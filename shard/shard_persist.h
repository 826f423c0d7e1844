/*
 * shard_persist.h: groups of changes and the replies they hold
 * (shard_persist.c), and held batches (shard_api.c).
 */
#ifndef SHARD_PERSIST_H
#define SHARD_PERSIST_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>

#include "shard_rpc.h"
#include "shard_state.h"

typedef struct sh_row sh_row;

typedef struct sh_cooldown_ref {
	sh_player *p;
	int        slot;
} sh_cooldown_ref;

/*
 * A batch whose replies wait for a commit: the packed replies in order;
 * held[i] marks those that acknowledge an action (they become 503 if the
 * commit fails).
 */
typedef struct sh_batch {
	shard_rpc_call      *call;
	size_t               n;
	ProtobufCBinaryData *items;
	bool                *held;
	uint64_t            *ids;
} sh_batch;

/* An army leaving for another shard's region (shard_handoff.c). */
typedef struct sh_handoff {
	uint64_t   id;
	int        to;
	sh_army   *army;   /* detached: the group frees it */
	sh_combat *combat; /* the battle it goes to fight there, or NULL */
} sh_handoff;

struct sh_group {
	uint32_t         seq;
	uint64_t         token;    /* written to the commit ledger */
	uint32_t         changes;  /* marks and rows */
	uint32_t         actions;  /* acknowledged actions */
	int64_t          flushed_ns;
	sh_vec           tiles, armies, combats, alliances, timers_done;
	sh_player      **players;
	uint32_t         nplayers, capplayers;
	sh_player      **members;
	uint32_t         nmembers, capmembers;
	sh_cooldown_ref *cooldowns;
	uint32_t         ncooldowns, capcooldowns;
	sh_cooldown_ref *scouts; /* player and report slot */
	uint32_t         nscouts, capscouts;
	sh_timer        *timers_new;
	uint32_t         ntimers_new, captimers_new;
	sh_row          *events, *outbox;
	uint32_t         nevents, capevents, noutbox, capoutbox;
	sh_batch       **batches;
	uint32_t         nbatches, capbatches;
	/* Armies handed off to another shard (shard_handoff.c): detached
	 * from the world, owned by the group until it is done; the ids of
	 * acknowledged hand-offs whose rows go. */
	sh_handoff      *handoffs;
	uint32_t         nhandoffs, caphandoffs;
	uint64_t        *handoffs_done;
	uint32_t         nhandoffs_done, caphandoffs_done;
	/* Changes to players homed elsewhere (shard_player_sync.c), and
	 * the ids of those applied here whose rows go. */
	struct sh_psync *psyncs;
	uint32_t         npsyncs, cappsyncs;
	uint64_t        *psyncs_done;
	uint32_t         npsyncs_done, cappsyncs_done;
};

sh_group *shard_group_new(uint32_t seq);
void      shard_group_free(sh_group *g);
/* shard_group_hold makes b wait for the gathering group's commit. */
void shard_group_hold(shard_world *w, sh_batch *b);
void shard_group_count_action(shard_world *w);

/* shard_batch_send replies to b's requester (ok: as prepared; else the
 * held replies become 503 STORAGE_UNAVAILABLE) and frees b. */
void shard_batch_send(shard_world *w, sh_batch *b, bool ok);
void shard_batch_free(sh_batch *b);

#endif
