/*
 * gw_combat.h: the commit-reveal step of an attack and a combat's
 * result.  A combat is found through gw_locate.
 */
#ifndef GW_COMBAT_H
#define GW_COMBAT_H

#include "gw_http.h"
#include "shard.pb-c.h"

/* gw_combat_reveal answers POST /combat/:id/reveal (auth). */
void gw_combat_reveal(gw_req *r);

/* gw_combat_result answers GET /combat/:id/result. */
void gw_combat_result(gw_req *r);

/* gw_combat_result_json renders a CombatResult (docs/api.md). */
json_t *gw_combat_result_json(const Nd__CombatResult *c);

#endif
