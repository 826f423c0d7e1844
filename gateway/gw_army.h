/*
 * gw_army.h: the army routes.  An army is raised on a tile (that tile's
 * shard); afterwards it is found through gw_locate.
 */
#ifndef GW_ARMY_H
#define GW_ARMY_H

#include <stdbool.h>
#include <stddef.h>

#include "cm_map.h"
#include "gw_http.h"
#include "gw_parse.h"
#include "shard.pb-c.h"

/* The longest client path POST /army/:id/move takes, in steps. */
#define GW_PATH_MAX 4096

/* gw_army_get answers GET /army/:id (auth). */
void gw_army_get(gw_req *r);

/* gw_army_create answers POST /army/create (auth). */
void gw_army_create(gw_req *r);

/* gw_army_move answers POST /army/:id/move (auth). */
void gw_army_move(gw_req *r);

/* gw_army_attack answers POST /army/:id/attack (auth). */
void gw_army_attack(gw_req *r);

/* A checked POST /army/create body. */
typedef struct gw_army_new {
	int      x, y;
	gw_units units;
} gw_army_new;

/* A checked POST /army/:id/move body; free path with free(). */
typedef struct gw_army_route {
	int        x, y;
	size_t     npath;
	Nd__Coord *path;
} gw_army_route;

/* A checked POST /army/:id/attack body. */
typedef struct gw_army_target {
	int     x, y;
	bool    committed; /* the client sent commitHash */
	uint8_t commit[32];
	bool    salted;    /* the client sent its salt instead */
	uint8_t salt[32];
} gw_army_target;

/*
 * The body checks: each returns NULL with *out filled, or the error code
 * (INVALID_COORD, INVALID_UNITS, INVALID_PATH, INVALID_COMMIT_HASH,
 * INVALID_SALT) with
 * a static *msg.  territoryId is y * width + x.
 */
const char *gw_army_parse_create(const json_t *b, const cm_layout *l,
    gw_army_new *out, const char **msg);
const char *gw_army_parse_move(const json_t *b, const cm_layout *l,
    gw_army_route *out, const char **msg);
const char *gw_army_parse_attack(const json_t *b, const cm_layout *l,
    gw_army_target *out, const char **msg);

#endif
