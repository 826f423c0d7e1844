/*
 * shard_replica.h: the map-wide read replica every shard keeps of what
 * other shards own (docs/architecture.md, "The map-wide replica").
 *
 * A shard owns its region's tiles and its home players' records.  Others
 * need some of that: alliances decide who is an ally on every shard, a
 * player's protection and captain decide attacks wherever they land, and
 * land across a region's border decides what a player sees near it.  So
 * after every commit a shard publishes, on the Redis channel
 * "channel:replica", the replicated fields of what the commit changed:
 *
 *   players: alliance, protection end, captain (army, dead, wounded
 *            until), Blood Frenzy and Foresight (a battle on another
 *            shard reads them), and race, class, skill and registration,
 *            so that a player registered elsewhere is known at once;
 *   tiles:   owner, garrison presence, sight radius (its Watchtower's);
 *   armies:  those standing within SH_REPLICA_ARMY_BAND of the region's
 *            edge, with their owner (an army's sight crosses borders).
 *
 * Every other shard applies them to its copies.  Pub/sub delivers at most
 * once, so each message carries its source's boot id and a sequence
 * number from 1: a receiver that sees a gap (or loses its subscription)
 * reloads the replica from PostgreSQL, which holds everything committed.
 * Messages are whole values, not increments, and one source's arrive in
 * order, so applying one twice, or one older than a reload, ends in the
 * same state.  The subscription opens before the first load, and messages
 * wait in the feed's queue until the owner thread applies them.
 */
#ifndef SHARD_REPLICA_H
#define SHARD_REPLICA_H

#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shard_state.h"

#define SH_REPLICA_CHANNEL "channel:replica"
#define SH_REPLICA_MAX_MSG (8u << 20) /* bytes; bigger ones are refused */

/* One player's replicated fields. */
typedef struct sh_rep_player {
	char     address[SH_ADDR_LEN + 1];
	uint8_t  race, cls, skill;
	int64_t  registered_ms;
	uint64_t alliance_id;
	int64_t  protected_until_ms;
	uint64_t captain_army;
	bool     captain_dead;
	int64_t  captain_wounded_until_ms;
	int64_t  frenzy_until_ms, foresight_until_ms; /* its battles' */
} sh_rep_player;

/* One tile's. */
typedef struct sh_rep_tile {
	int16_t x, y;
	char    owner[SH_ADDR_LEN + 1]; /* "" when none */
	bool    garrison;
	uint8_t sight; /* the owner's sight radius from it */
} sh_rep_tile;

/* An army standing near its region's border (where it is; owner "" when
 * it left the band, fell or was handed away). */
typedef struct sh_rep_army {
	uint64_t id;
	char     owner[SH_ADDR_LEN + 1];
	int16_t  x, y;
} sh_rep_army;

/* How near a border an army is kept by the other shards: its sight (1)
 * and the largest race bonus (2). */
#define SH_REPLICA_ARMY_BAND 3

typedef struct sh_rep_msg {
	int            shard;
	uint32_t       generation;
	uint64_t       boot, seq;
	sh_rep_player *players;
	uint32_t       nplayers;
	sh_rep_tile   *tiles;
	uint32_t       ntiles;
	sh_rep_army   *armies;
	uint32_t       narmies;
} sh_rep_msg;

/* A replicated army of another shard (w->rep_armies, by id). */
typedef struct sh_rep_army_at {
	sh_player *owner;
	int16_t    x, y;
} sh_rep_army_at;

/* sh_pack_str packs a C string, and sh_obj_uint reads an unsigned
 * integer up to max (the shard's msgpack writers and strict readers share
 * them). */
void sh_pack_str(msgpack_packer *pk, const char *s);
bool sh_obj_uint(const msgpack_object *o, uint64_t max, uint64_t *v);

/*
 * shard_replica_encode packs what group g changed of the replicated
 * fields (compared with what was last published) into out, with the next
 * sequence number, and remembers it as published.  Returns false, with
 * nothing packed and no number taken, when nothing changed.
 */
bool shard_replica_encode(shard_world *w, const sh_group *g,
    msgpack_sbuffer *out);

/*
 * shard_replica_decode parses a message strictly (sizes, lengths,
 * addresses, coordinates inside a w x h map).  On true *m holds
 * heap arrays: free them with shard_replica_msg_free.
 */
bool shard_replica_decode(const char *buf, size_t len, int w, int h,
    sh_rep_msg *m);
void shard_replica_msg_free(sh_rep_msg *m);

/*
 * shard_replica_apply applies m (another shard's) to w's copies.  Returns
 * false when m shows that an earlier message of its source was lost: the
 * caller then reloads (shard_replica_load).  Messages of another
 * generation, or of w itself, are ignored.
 */
bool shard_replica_apply(shard_world *w, const sh_rep_msg *m);

/*
 * shard_replica_load reads the replicated fields of every player and of
 * every tile outside the region from PostgreSQL (at load, after a gap).
 * Returns false when PostgreSQL could not answer.
 */
bool shard_replica_load(shard_world *w);

/* shard_replica_publish publishes what group g changed (after commit). */
void shard_replica_publish(shard_world *w, const sh_group *g);

/*
 * The replica of tiles outside the region: their owner (NULL: none, or
 * unknown), garrison presence and sight radius.  Any (x, y) on the map;
 * for the region's own tiles they are what was last published.
 */
sh_player *shard_replica_owner(const shard_world *w, int x, int y);

/*
 * shard_replica_army_near: owner has an army of another shard within r
 * (Chebyshev) of (x, y); shard_replica_armies_of calls fn for each such
 * army of owner's (near this region's border).
 */
bool shard_replica_army_near(const shard_world *w, const sh_player *owner,
    int x, int y, int r);
void shard_replica_armies_of(const shard_world *w, const sh_player *owner,
    void (*fn)(void *ctx, int x, int y), void *ctx);
bool       shard_replica_garrison(const shard_world *w, int x, int y);
int        shard_replica_sight(const shard_world *w, int x, int y);

/*
 * The feed: a thread subscribed to SH_REPLICA_CHANNEL and to shard
 * index's own channel (hand-offs, shard_handoff.h) that decodes every
 * message and queues it for the owner thread, which is woken through
 * sh_rep_feed_fd and calls shard_replica_drain.
 */
typedef struct sh_rep_feed sh_rep_feed;

cm_err sh_rep_feed_start(const char *redis_addr, int index, int map_w,
    int map_h, sh_rep_feed **out);
void   sh_rep_feed_stop(sh_rep_feed *f);
int    sh_rep_feed_fd(const sh_rep_feed *f);

/*
 * shard_replica_drain applies the queued messages to w in order (hand-off
 * messages go to shard_handoff_receive) and reloads the replica when one
 * was lost or the subscription broke.
 */
void shard_replica_drain(shard_world *w, sh_rep_feed *f);

#endif
