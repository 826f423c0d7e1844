/*
 * cm_map.h: map geometry, zones, the shard layout, and the static terrain.
 *
 * Coordinates start at (0,0) top left, x to the right, y down.  Everything
 * here is a pure function of its arguments (the terrain of the seed), so
 * every process computes the same map and the same layout.
 */
#ifndef CM_MAP_H
#define CM_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

/* An inclusive rectangle of tiles. */
typedef struct cm_rect {
	int x0, y0, x1, y1;
} cm_rect;

/* The split of a w x h map among shards (see cm_layout_init). */
typedef struct cm_layout {
	int w, h, shards, rows, cols;
} cm_layout;

/*
 * cm_layout_init splits a w x h map among shards: rows is the largest
 * divisor of shards not above sqrt(shards), cols = shards / rows; shard i
 * owns column i % cols and row i / cols; column c spans x from c*w/cols to
 * (c+1)*w/cols - 1 (integer division), rows likewise in y.  Returns
 * CM_ERANGE for sizes outside 1..4096, shards < 1, or a split that leaves
 * some shard no tile (cols > w or rows > h).
 */
cm_err cm_layout_init(cm_layout *l, int w, int h, int shards);

/* cm_layout_region returns the tiles shard owns (0 <= shard < shards). */
cm_rect cm_layout_region(const cm_layout *l, int shard);

/* cm_layout_shard_of returns the shard owning tile (x, y), which is valid. */
int cm_layout_shard_of(const cm_layout *l, int x, int y);

/* cm_layout_in_map tells whether (x, y) is a tile of the map. */
bool cm_layout_in_map(const cm_layout *l, long x, long y);

/*
 * cm_owner_shard_of_id returns the shard owning a non-spatial entity: the
 * 64-bit FNV-1a hash of its id bytes modulo shards.  Callers normalise the
 * id first (addresses lower-case).
 */
int cm_owner_shard_of_id(const char *id, size_t len, int shards);

/* cm_fnv1a64 is the 64-bit FNV-1a hash of len bytes. */
uint64_t cm_fnv1a64(const void *data, size_t len);

/* Zones, by Chebyshev distance from the centre; ids are the game's. */
typedef enum cm_zone {
	CM_ZONE_OUTER = 0,
	CM_ZONE_MIDDLE,
	CM_ZONE_INNER,
	CM_ZONE_HEART,
} cm_zone;

/*
 * cm_map_zone returns the zone of (x, y) on a w x h map: d = Chebyshev
 * distance from (w/2, h/2); heart d <= 5k, inner <= 20k, middle <= 35k,
 * else outer, where the radii are those of the 100 x 100 map scaled by
 * min(w, h) / 100 (integer arithmetic: r * min(w, h) / 100).
 */
cm_zone cm_map_zone(int w, int h, int x, int y);

/* cm_zone_name returns "outer", "middle", "inner" or "heart". */
const char *cm_zone_name(cm_zone z);

/* Terrain, ids as on chain; river is water and impassable. */
typedef enum cm_terrain {
	CM_TERRAIN_PLAINS = 0,
	CM_TERRAIN_FOREST,
	CM_TERRAIN_MOUNTAIN,
	CM_TERRAIN_RIVER,
	CM_TERRAIN_RUINS,
	CM_TERRAIN_CORRUPTION,
	CM_TERRAIN_COUNT
} cm_terrain;

/* cm_terrain_name returns "plains", "forest", ..., "corruption". */
const char *cm_terrain_name(cm_terrain t);

/* cm_terrain_is_water tells whether t is water (river). */
bool cm_terrain_is_water(cm_terrain t);

typedef struct cm_map cm_map;

/*
 * cm_map_generate makes the terrain of a w x h map from seed: the same
 * seed gives the same map on every machine.  Every land tile can reach
 * every other by 4-neighbour steps over land.  Returns CM_ERANGE for sizes
 * outside 1..4096.
 */
cm_err cm_map_generate(int w, int h, uint64_t seed, cm_map **out);

/* cm_map_free frees m. */
void cm_map_free(cm_map *m);

/* cm_map_terrain and cm_map_zone_at read tile (x, y), which is valid. */
cm_terrain cm_map_terrain(const cm_map *m, int x, int y);
cm_zone    cm_map_zone_at(const cm_map *m, int x, int y);

/* cm_map_width and cm_map_height return the map's size. */
int cm_map_width(const cm_map *m);
int cm_map_height(const cm_map *m);

#endif
