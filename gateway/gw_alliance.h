/*
 * gw_alliance.h: alliances.  Founding, joining and leaving go to the
 * acting player's home shard (which keeps the player's membership); the
 * alliance's record lives on its founder's home shard, and its members
 * are listed by asking every shard.
 */
#ifndef GW_ALLIANCE_H
#define GW_ALLIANCE_H

#include <stdint.h>

#include "gw_http.h"
#include "shard.pb-c.h"

/* gw_alliance_create answers POST /alliance/create (auth). */
void gw_alliance_create(gw_req *r);

/* gw_alliance_join answers POST /alliance/:id/join (auth). */
void gw_alliance_join(gw_req *r);

/* gw_alliance_leave answers POST /alliance/:id/leave (auth). */
void gw_alliance_leave(gw_req *r);

/* gw_alliance_members answers GET /alliance/:id/members. */
void gw_alliance_members(gw_req *r);

/*
 * gw_alliance_members_json merges the AllianceMembers replies
 * reps[0..n-1] for alliance id: NULL when no part knows it.
 */
json_t *gw_alliance_members_json(uint64_t id, Nd__ShardReply *const *reps,
    int n);

#endif
