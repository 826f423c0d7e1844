/*
 * gw_game.h: the routes about the game as a whole and its tiles:
 * GET /game/generation, GET /territory/:x/:y and POST .../build, plus the
 * generation call that the map and the leaderboard make too.
 */
#ifndef GW_GAME_H
#define GW_GAME_H

#include "gw_http.h"
#include "gw_scatter.h"

/* gw_game_generation answers GET /game/generation. */
void gw_game_generation(gw_req *r);

/* gw_game_territory answers GET /territory/:x/:y (auth required). */
void gw_game_territory(gw_req *r);

/* gw_game_build answers POST /territory/:x/:y/build (auth required). */
void gw_game_build(gw_req *r);

/*
 * gw_game_add_generation adds to f a GenerationGet call: to shard 0, or
 * to shard 1 when shard 0 fails in transport.  Returns the call's index.
 */
int gw_game_add_generation(gw_fan *f);

/* gw_game_generation_json renders a Generation (docs/api.md). */
json_t *gw_game_generation_json(const Nd__Generation *g);

/* gw_game_territory_json renders a Territory (docs/api.md). */
json_t *gw_game_territory_json(const Nd__Territory *t);

#endif
