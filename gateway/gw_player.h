/*
 * gw_player.h: a player's own state and public profile, merged from every
 * shard's part (the home shard's record plus each region's territories,
 * armies, stock and points).
 */
#ifndef GW_PLAYER_H
#define GW_PLAYER_H

#include "gw_http.h"
#include "shard.pb-c.h"

/* gw_player_state answers GET /player/state (auth). */
void gw_player_state(gw_req *r);

/* gw_player_public answers GET /player/:address/public. */
void gw_player_public(gw_req *r);

/*
 * gw_player_state_json merges the PlayerPart replies reps[0..n-1] of a
 * full PlayerGet into the answer for address.  Returns NULL with *code
 * "NOT_REGISTERED" when no part is the home part of a registered player
 * (*code NULL: the parts cannot be shown).
 */
json_t *gw_player_state_json(const char *address, Nd__ShardReply *const *reps,
    int n, const char **code);

/* gw_player_public_json: the same for the public profile, code
 * "PLAYER_NOT_FOUND". */
json_t *gw_player_public_json(const char *address, Nd__ShardReply *const *reps,
    int n, const char **code);

#endif
