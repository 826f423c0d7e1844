/*
 * gw_game.h: the routes answered by a shard: the gateway checks the input,
 * picks the owning shard by the map layout, forwards a protobuf request
 * and turns the reply into the seed's JSON.
 */
#ifndef GW_GAME_H
#define GW_GAME_H

#include "gw_http.h"

/* gw_game_generation answers GET /game/generation. */
void gw_game_generation(gw_req *r);

/* gw_game_territory answers GET /territory/:x/:y (auth required). */
void gw_game_territory(gw_req *r);

#endif
