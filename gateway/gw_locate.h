/*
 * gw_locate.h: sending a request to the shard that holds an army or a
 * combat, which its id does not tell.
 *
 * The owning shard keeps a hint in Redis, key "army:<id>" (resp.
 * "combat:<id>"; no braces, unlike the leaderboard's), a msgpack map with
 * at least the integer member "shard" (docs/architecture.md, "Redis").  The request goes to that shard; when there is
 * no usable hint, or that shard answers ARMY_NOT_FOUND (COMBAT_NOT_FOUND)
 * because the army has moved on, it goes to every shard and the one
 * answer that is not *_NOT_FOUND is used; if all of them are, that is the
 * answer (404).
 */
#ifndef GW_LOCATE_H
#define GW_LOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "gw_scatter.h"

typedef enum gw_kind { GW_KIND_ARMY = 0, GW_KIND_COMBAT } gw_kind;

/* gw_locate_key writes the Redis key of the hint of (k, id) to out. */
void gw_locate_key(gw_kind k, uint64_t id, char *out, size_t cap);

/*
 * gw_locate_hint decodes a hint's bytes: the shard index, or -1 when they
 * are malformed or name no shard in 0..nshards-1.
 */
int gw_locate_hint(const void *buf, size_t len, int nshards);

/*
 * gw_locate sends rq to the shard holding (k, id) as described above and
 * answers r with render once it replies with body want.  Reads Redis on
 * the calling thread (a request thread); a Redis failure is a missing
 * hint.
 */
void gw_locate(gw_req *r, gw_kind k, uint64_t id, Nd__ShardRequest *rq,
    int want, gw_render_fn render);

/*
 * gw_locate_at is gw_locate once the hint is read: shard, or -1 for none.
 */
void gw_locate_at(gw_req *r, gw_kind k, int shard, Nd__ShardRequest *rq,
    int want, gw_render_fn render);

#endif
