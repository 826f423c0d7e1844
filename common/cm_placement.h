/*
 * cm_placement.h: where a new player's starting plots go (game-rules-facts
 * §3.2).  A pure function of the map, the seed and the occupied tiles, so
 * a retried registration with the same seed lands on the same plots.  No
 * global state; any thread, on a map no one writes.
 */
#ifndef CM_PLACEMENT_H
#define CM_PLACEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "cm_err.h"
#include "cm_map.h"

/* Starting plots keep at least this many empty tiles between themselves
 * and any occupied tile: Chebyshev distance CM_PLACE_GAP + 1 or more. */
#define CM_PLACE_GAP 3

/* No starting plot lies within this many tiles of the map's edge: x and
 * y run from CM_PLACE_EDGE to w - 1 - CM_PLACE_EDGE. */
#define CM_PLACE_EDGE 3

/*
 * cm_place_start picks nplots (>= 1) tiles for a new player and writes
 * them to xs[0..nplots-1], ys[0..nplots-1] (caller storage), the first
 * being the start tile the cluster grew from.  Every plot is
 *   - in the Outer Ring, on plains or forest (so never water), not a
 *     Forsaken village (cm_map_forsaken), CM_PLACE_EDGE tiles or more
 *     from the edge, and inside *within when within is not NULL (the
 *     shard passes its region; a rectangle partly off the map is cut);
 *   - at Chebyshev distance CM_PLACE_GAP + 1 or more from every tile
 *     for which occupied(ctx, x, y) is true;
 * and the plots form one 8-connected cluster.  If it can, it also keeps
 * every plot off the 8 neighbours of every Forsaken village; only when
 * no cluster can do that does it settle for one that cannot.
 *
 * The start tile is drawn (splitmix64 of seed) among the tiles from
 * which a cluster of nplots fits, and the cluster grows from it by random
 * 8-neighbour steps (algorithm in cm_placement.c); a place is found
 * whenever one exists, and the same map, seed and occupied set give the
 * same plots.  occupied is called synchronously, possibly more than once
 * per tile, only for tiles of the map within CM_PLACE_GAP of the search
 * area (*within or the map, cut to the edge buffer); NULL means no tile
 * is occupied.  Cost: a few microseconds while random tries succeed;
 * else linear in the search area (about 0.07 ms for a full 100 x 100,
 * 0.7 ms for a crowded 320 x 320).
 *
 * Returns CM_OK; CM_EINVAL for nplots < 1 or a within with x0 > x1 or
 * y0 > y1; CM_ENOENT when no place satisfies the rules (the region is
 * full).  xs and ys are written only on CM_OK.
 */
cm_err cm_place_start(const cm_map *m, int nplots, uint64_t seed,
    bool (*occupied)(void *ctx, int x, int y), void *ctx,
    const cm_rect *within, int *xs, int *ys);

#endif
