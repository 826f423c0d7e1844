/*
 * cm_map.h: map geometry, zones, the shard layout, and the static terrain.
 *
 * Coordinates start at (0, 0) top left, x to the right, y down.  The
 * layout, zones and owner hash are pure functions of their arguments, and
 * the terrain a pure function of (w, h, seed), so every process (and every
 * tool, in any language, that follows the rules written here and in
 * cm_map.c) computes the same map and the same layout.  Nothing here keeps
 * global state: any thread may call any function; a cm_map is read-only
 * once made, so threads may read one concurrently.
 */
#ifndef CM_MAP_H
#define CM_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

/* An inclusive rectangle of tiles: x0 <= x <= x1, y0 <= y <= y1. */
typedef struct cm_rect {
	int x0, y0, x1, y1;
} cm_rect;

/* The split of a w x h map among shards (see cm_layout_init). */
typedef struct cm_layout {
	int w, h, shards, rows, cols;
} cm_layout;

/*
 * cm_layout_init fills *l (caller storage; nothing to free) with the split
 * of a w x h map among shards: rows is the largest divisor of shards not
 * above sqrt(shards), cols = shards / rows; shard i owns column i % cols
 * and row i / cols; column c spans x from c*w/cols to (c+1)*w/cols - 1
 * (integer division), rows likewise in y.  With 4 shards on 100 x 100:
 * 0 NW (0-49, 0-49), 1 NE, 2 SW, 3 SE.  Returns CM_OK, or CM_ERANGE (l
 * untouched) for w or h outside 1..4096, shards < 1, or a split that
 * would leave some shard no tile (cols > w or rows > h).
 */
cm_err cm_layout_init(cm_layout *l, int w, int h, int shards);

/* cm_layout_region returns the tiles shard (0..shards-1) owns. */
cm_rect cm_layout_region(const cm_layout *l, int shard);

/*
 * cm_layout_shard_of returns the shard owning tile (x, y), which must be
 * on the map (see cm_layout_in_map).  O(1).
 */
int cm_layout_shard_of(const cm_layout *l, int x, int y);

/*
 * cm_layout_in_map tells whether (x, y) is a tile of the map; it takes
 * longs so that a caller can check untrusted input before narrowing it.
 */
bool cm_layout_in_map(const cm_layout *l, long x, long y);

/*
 * cm_owner_shard_of_id returns the shard (0..shards-1, shards >= 1) owning
 * a non-spatial entity (player, alliance): cm_fnv1a64 of the id's len
 * bytes, modulo shards.  The caller normalises the id first (addresses in
 * lower case), so every process and language agrees.
 */
int cm_owner_shard_of_id(const char *id, size_t len, int shards);

/*
 * cm_fnv1a64 returns the 64-bit FNV-1a hash of len bytes: h starts at
 * 0xcbf29ce484222325; for each byte, h ^= byte, then h *= 0x100000001b3
 * (mod 2^64).  FNV-1a 64 of "" is 0xcbf29ce484222325, of "a"
 * 0xaf63dc4c8601ec8c.
 */
uint64_t cm_fnv1a64(const void *data, size_t len);

/* Zones, ids as on chain. */
typedef enum cm_zone {
	CM_ZONE_OUTER = 0,
	CM_ZONE_MIDDLE,
	CM_ZONE_INNER,
	CM_ZONE_HEART,
} cm_zone;

/*
 * cm_map_zone returns the zone of (x, y) on a w x h map.  d is the
 * Chebyshev distance max(|x - w/2|, |y - h/2|); with m = min(w, h), the
 * tile is heart if d <= 5*m/100, else inner if d <= 20*m/100, else middle
 * if d <= 35*m/100, else outer (integer division): the game's radii 5, 20
 * and 35 on the 100 x 100 map, scaled on others.  On 100 x 100: heart 121
 * tiles, inner 1560, middle 3360, outer 4959.
 */
cm_zone cm_map_zone(int w, int h, int x, int y);

/* cm_zone_name returns "outer", "middle", "inner", "heart" (static). */
const char *cm_zone_name(cm_zone z);

/* Terrain, ids as on chain; river is water and impassable. */
typedef enum cm_terrain {
	CM_TERRAIN_PLAINS = 0,
	CM_TERRAIN_FOREST,
	CM_TERRAIN_MOUNTAIN,
	CM_TERRAIN_RIVER,
	CM_TERRAIN_RUINS,
	CM_TERRAIN_CORRUPTION,
	CM_TERRAIN_COUNT // not a terrain: the number of them
} cm_terrain;

/*
 * cm_terrain_name returns "plains", "forest", "mountain", "river",
 * "ruins" or "corruption" (static; "unknown" for anything else).
 */
const char *cm_terrain_name(cm_terrain t);

/* cm_terrain_is_water tells whether t is water (river): impassable. */
bool cm_terrain_is_water(cm_terrain t);

/* A generated map: terrain and zone of every tile. */
typedef struct cm_map cm_map;

/*
 * cm_map_generate makes the terrain of a w x h map from seed (algorithm in
 * cm_map.c): the same (w, h, seed) gives the same map on every machine
 * (integer arithmetic only).  Water (river) is about 15% of the map, in
 * seas of 10 to 30 tiles kept one land tile apart, only in the outer and
 * middle rings and more in the outer one; the heart and the inner ring
 * are never water.  Every land tile reaches every other by 8-neighbour
 * steps over land (the steps cm_path takes).  On CM_OK *out is a new map
 * the caller frees with cm_map_free; CM_ERANGE for w or h outside
 * 1..4096.  About 1.5 ms for 100 x 100.
 */
cm_err cm_map_generate(int w, int h, uint64_t seed, cm_map **out);

/* cm_map_free frees m (NULL is fine). */
void cm_map_free(cm_map *m);

/* cm_map_terrain returns the terrain of tile (x, y), which is valid. */
cm_terrain cm_map_terrain(const cm_map *m, int x, int y);

/* cm_map_zone_at returns cm_map_zone of tile (x, y), which is valid. */
cm_zone cm_map_zone_at(const cm_map *m, int x, int y);

/* cm_map_width returns the map's width in tiles. */
int cm_map_width(const cm_map *m);

/* cm_map_height returns the map's height in tiles. */
int cm_map_height(const cm_map *m);

/* The Forsaken: NPC villages, a layer of the generated map. */
typedef enum cm_forsaken_type {
	CM_FORSAKEN_NONE = 0,
	CM_FORSAKEN_HAMLET,
	CM_FORSAKEN_VILLAGE,
	CM_FORSAKEN_TOWN,
	CM_FORSAKEN_STRONGHOLD,
} cm_forsaken_type;

/*
 * cm_map_forsaken returns the Forsaken village generated on tile (x, y),
 * which is valid, or CM_FORSAKEN_NONE, and sets *strength (when strength
 * is not NULL) to its garrison strength, 0 for none.  A pure function of
 * the map's seed, size and the tile (rule in cm_map.c): land tiles only,
 * density by zone (outer 15%, middle 25%, inner 35%, heart 50%), type
 * 50/30/15/5%, garrison uniform in the type's range times the zone's
 * multiplier.  It says what the map was generated with, not whether the
 * village still stands: conquest is the shard's state.  O(1), no
 * allocation, any thread.
 */
cm_forsaken_type cm_map_forsaken(
    const cm_map *m, int x, int y, uint32_t *strength);

/*
 * cm_forsaken_type_name returns "none", "hamlet", "village", "town" or
 * "stronghold" (static; "unknown" for anything else).
 */
const char *cm_forsaken_type_name(cm_forsaken_type t);

#endif
