/*
 * cm_path.h: shortest paths on the tile grid (A*).
 *
 * Moves are 8-directional (facts §4.6): a cardinal step costs 10, a
 * diagonal 14 (the design's 1.0 and 1.4), divided by the speed of the
 * terrain entered (§4.3: plains and corruption 1.0, forest 0.8, mountain
 * 0.6, ruins (the design's swamp) 0.5); water is impassable.  Costs are
 * integers: a step's cost is base * 100 / speed%, so a plains step is
 * 1000 and a path's cost divided by 1000 is its length in plains-tile
 * equivalents.
 *
 * The search is A* with landmarks (ALT): cm_pather_new picks 32 land
 * tiles farthest-first (they end up on the map's rim and corners, then
 * inland) and runs one Dijkstra from each over the whole map.  A search's
 * heuristic is the largest of the octile distance at the cheapest step
 * costs and, for the 6 landmarks L best at its start,
 * d(L, goal) - d(L, tile) (the triangle inequality).  Both are admissible
 * and consistent, also inside bounds and under penalties (those only
 * lengthen paths), so A* returns an optimal path, exactly the cheapest
 * cost.  The landmarks also answer CM_ENOENT without a search when a
 * landmark reaches one of start and goal but not the other.  The open set
 * is a ring of buckets, one per cost (costs are integers).
 *
 * Memory: about 146 bytes a tile (128 of landmark distances, 18 of
 * scratch) and 256 kB for the ring, so 1.7 MB for a 100 x 100 map and
 * 146 MB for 1000 x 1000.  cm_pather_new costs 33 searches over the whole
 * map: about 35 ms on 100 x 100 and 3.5 s on 1000 x 1000
 * (docs/bench.md).  A cm_pather is reused for searches on one map, one
 * thread at a time; the map must outlive it.
 */
#ifndef CM_PATH_H
#define CM_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"
#include "cm_map.h"

#define CM_PATH_STEP 1000 /* the cost of a cardinal step on plains */

typedef struct cm_pather cm_pather;

/*
 * cm_pather_new makes a pather for m, its landmarks computed (the costly
 * part, see above: a shard makes one when it loads a map).  Free it with
 * cm_pather_free (NULL is fine).
 */
cm_pather *cm_pather_new(const cm_map *m);
void       cm_pather_free(cm_pather *p);

/* cm_path_step_cost: the cost of stepping from (x0,y0) to the adjacent
 * (x1,y1), or -1 when (x1,y1) is water or outside the map. */
int cm_path_step_cost(const cm_map *m, int x0, int y0, int x1, int y1);

/*
 * cm_pather_set_penalty makes entering tile (x, y) cost pct(ctx, x, y)
 * percent more (pct >= 0; e.g. 100 doubles it) in p's later searches, or
 * nothing more when pct is NULL: the shard makes hostile land dearer.
 * Searches stay optimal for the penalized costs.
 */
void cm_pather_set_penalty(cm_pather *p, int (*pct)(void *ctx, int x, int y),
    void *ctx);

/*
 * cm_path_find finds a cheapest path from (x0,y0) to (x1,y1) staying
 * inside bounds (NULL: the whole map).  On CM_OK the path's tiles, the
 * start excluded, are xs/ys[0..*n-1] (at most max; CM_ENOMEM if longer)
 * and *cost its cost.  CM_ENOENT when no path exists (the end is water,
 * walled off, or outside bounds); CM_EINVAL for a start outside bounds.
 * When use_heuristic is 0 the search is Dijkstra's (the bench's
 * baseline).
 */
cm_err cm_path_find(cm_pather *p, const cm_rect *bounds, int x0, int y0,
    int x1, int y1, int *xs, int *ys, int max, int *n, int64_t *cost,
    int use_heuristic);

/* cm_pather_bytes: the memory p holds (its scratch and landmarks). */
size_t cm_pather_bytes(const cm_pather *p);

/*
 * cm_path_expanded: tiles the last search expanded (for the bench); 0
 * when it ended before searching (ENOENT found from the landmarks).
 */
long cm_path_expanded(const cm_pather *p);

#endif
