/*
 * cm_path.c: A* with landmarks over the tile grid (see cm_path.h).
 *
 * Heuristic.  Step costs depend on the tile entered, so the graph is
 * directed: d(a, b) and d(b, a) differ.  For a landmark L whose distances
 * d(L, v) to every tile are known, the triangle inequality
 * d(L, t) <= d(L, n) + d(n, t) gives d(n, t) >= d(L, t) - d(L, n).  The
 * bound is consistent (for a step n -> m of cost c, d(L, m) <= d(L, n) + c),
 * and so is the octile distance at the cheapest step costs; the largest
 * of consistent bounds is consistent, so A* closes each tile once and
 * stays optimal.  Bounds and penalties only remove steps or make them
 * dearer, so the unbounded, unpenalized distances stay lower bounds.
 * Only the bound d(L, t) - d(L, n) is used, not d(n, L) - d(t, L), which
 * needs a second table per landmark from a search on the reversed graph:
 * measured on 1000 x 1000, 8 landmarks with both tables expanded no fewer
 * tiles than 16 with forward ones, for the same memory.
 *
 * Landmarks are chosen farthest-first: the tile farthest from a land tile
 * near the middle, then repeatedly the tile whose nearest landmark is
 * farthest, which puts them on the corners, the rim, then inland.  A
 * search uses the ACTIVE landmarks giving the best bounds at its start
 * (consulting all 32 expanded 8% fewer tiles at the worst pair, for more
 * work a tile).  Their distances are stored a landmark at a time
 * (lm[i * w * h + tile]), so that a search reads only its active columns,
 * 24 bytes a tile, neighbouring tiles sharing cache lines: stored a tile
 * at a time, each new tile cost a 128-byte row, mostly unused, and the
 * rows of the tiles a search visits did not fit in L2 (p99 9.5 ms against
 * 7.2 on 1000 x 1000).  A landmark whose distances do not fit an int32 is dropped: bounds are
 * only ever taken from exact values.  (16-bit distances in units of a
 * quantum would halve the table, but the rounding breaks the exact ties
 * in f along the best path that the open set's order relies on: 20% more
 * tiles expanded, measured.)
 *
 * Open set.  Costs are integers and, the heuristic being consistent, the
 * f of the entries taken out never decreases, so the open set is a ring
 * of RING buckets, one per value of f from base on (Dial's): a push and a
 * pop cost O(1) and a few bucket steps, against a heap's log n cache
 * misses.  A bucket is a stack, so ties in f go to the entry pushed last,
 * usually the tile just reached, nearer the goal: with a tight heuristic
 * this dives along a plateau of equal f instead of expanding all of it.
 * Entries whose f lies outside the ring's window (a step made very dear
 * by a penalty) wait in a heap and move into the ring as base reaches
 * them.  Stale entries (a tile reached again more cheaply) are skipped
 * when they come out: the tile is closed by then.
 *
 * Scratch arrays are sized for the map once; a per-search stamp tells
 * which entries are current (stamp == cur: reached, g and dir valid;
 * cur + 1: closed), so a search touches only what it visits.
 *
 * What was tried and left out: a heuristic from 16 x 16 cells (the least
 * cost between each two of a cell's 8 sides, per octant of the goal, in
 * costs reduced by the octile bound; a Dijkstra over the (cell, side)
 * graph per search) raised the bound at the start from 93% to only 94%
 * of the true cost: a side contracted to one node lets the bound slide
 * along it for free, and the map's 10-30 tile seas and forest patches
 * all fit inside the slide, while that Dijkstra cost 16 ms a search and
 * 6 s of preparation.  Bidirectional A* with the average of the two
 * landmark potentials (Ikeda's) expanded 20k tiles a search on average
 * against 14.5k.  Landmarks chosen by "avoid" (Goldberg and Werneck)
 * after 4 or 16 farthest ones expanded more tiles (15.7k, 17.7k) and
 * doubled the preparation.  48 landmarks expanded 12.5k (the worst pair
 * 50k against 55k) for 1.5 times the preparation and memory.
 * Prefetching the neighbours' landmark rows made no measurable
 * difference.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_path.h"

#define NLM       32        /* landmarks: 128 bytes a tile */
#define ACTIVE    6         /* of which a search consults */
#define LM_NONE   INT32_MAX /* a tile the landmark does not reach */
#define NO_TILE   (-1)
#define RING      65536     /* buckets of the open set, one per f */

typedef struct node {
	int64_t  f;
	uint32_t h; /* tie-break: nearer the goal first */
	int32_t  tile;
} node;

/* The tiles a search may enter: the bounds clipped to the map. */
typedef struct box {
	int x0, y0, x1, y1;
} box;

/*
 * A tile's search state, together so that a step touches one cache line:
 * stamp (== cur: reached, g and h valid; == cur + 1: closed), the cost g
 * of the best path found to it, and its heuristic h, computed once.
 */
typedef struct cell {
	int64_t  g;
	uint32_t stamp;
	uint32_t h;
} cell;

/* One search's goal and the landmark bounds it uses. */
typedef struct goal {
	int     x, y;
	int     nact;
	int     act[ACTIVE];
	int64_t dt[ACTIVE]; /* d(L, goal) for act[i] */
	const int32_t *col[ACTIVE]; /* act[i]'s column of lm */
} goal;

struct cm_pather {
	const cm_map *map;
	int           w, h;
	uint8_t      *terrain; /* a copy: one load, no call, per step */
	int           entry[CM_TERRAIN_COUNT][2]; /* step cost, [diag] */
	cell         *cell;
	uint8_t      *dir; /* the step (index in steps[]) that reached it */
	uint32_t      cur;
	/*
	 * The open set: a ring of RING buckets, bucket f % RING holding the
	 * entries of cost f in [base, base + RING) as a stack (the newest
	 * first: with equal f, the tile reached last, which is nearer the
	 * goal); entries outside that window wait in a heap.
	 */
	int32_t      *bhead;       /* a bucket's first entry, -1: empty */
	int32_t      *etile;       /* an entry's tile */
	int32_t      *enext;       /* the next entry in its bucket */
	int32_t       efree;       /* the free entries' list */
	size_t        nent, capent;
	size_t        nring;       /* entries in the ring */
	int64_t       base, ftop;  /* ring entries' f: base..ftop */
	node         *heap;        /* entries outside the ring's window */
	size_t        nheap, capheap;
	long          expanded;
	int         (*penalty)(void *ctx, int x, int y);
	void         *pctx;
	int           nlm;
	int32_t      *lm; /* d(L_i, tile) at lm[i * w * h + tile] */
};

/* Speed in percent by terrain (cm_terrain order); 0: impassable. */
static const int speed[CM_TERRAIN_COUNT] = { 100, 80, 60, 0, 50, 100 };

/* The eight steps; cardinals first. */
static const struct {
	int dx, dy, diag;
} steps[8] = {
	{ 1, 0, 0 }, { -1, 0, 0 }, { 0, 1, 0 }, { 0, -1, 0 },
	{ 1, 1, 1 }, { -1, 1, 1 }, { 1, -1, 1 }, { -1, -1, 1 },
};

static void landmarks_init(cm_pather *p);

cm_pather *
cm_pather_new(const cm_map *m)
{
	cm_pather *p = cm_calloc(1, sizeof(*p));
	size_t     n;

	p->map     = m;
	p->w       = cm_map_width(m);
	p->h       = cm_map_height(m);
	n          = (size_t) p->w * (size_t) p->h;
	p->terrain = cm_malloc(n);
	p->cell    = cm_calloc(n, sizeof(*p->cell));
	p->dir     = cm_calloc(n, sizeof(*p->dir));
	p->bhead   = cm_malloc(RING * sizeof(*p->bhead));
	memset(p->bhead, 0xff, RING * sizeof(*p->bhead));
	p->efree   = -1;
	for (int y = 0; y < p->h; y++) {
		for (int x = 0; x < p->w; x++) {
			p->terrain[(size_t) y * p->w + x] =
			    (uint8_t) cm_map_terrain(m, x, y);
		}
	}
	/* What cm_path_step_cost says for entering each terrain. */
	for (int t = 0; t < CM_TERRAIN_COUNT; t++) {
		p->entry[t][0] = speed[t] ? 10 * 10000 / speed[t] : 0;
		p->entry[t][1] = speed[t] ? 14 * 10000 / speed[t] : 0;
	}
	landmarks_init(p);
	return (p);
}

void
cm_pather_free(cm_pather *p)
{
	if (p == NULL) {
		return;
	}
	free(p->terrain);
	free(p->cell);
	free(p->dir);
	free(p->heap);
	free(p->bhead);
	free(p->etile);
	free(p->enext);
	free(p->lm);
	free(p);
}

int
cm_path_step_cost(const cm_map *m, int x0, int y0, int x1, int y1)
{
	int s;

	if (x1 < 0 || y1 < 0 || x1 >= cm_map_width(m) ||
	    y1 >= cm_map_height(m)) {
		return (-1);
	}
	if ((s = speed[cm_map_terrain(m, x1, y1)]) == 0) {
		return (-1);
	}
	return ((x0 != x1 && y0 != y1 ? 14 : 10) * 10000 / s);
}

/* octile distance at the cheapest costs (1000, 1400): admissible. */
static int64_t
octile(int x0, int y0, int x1, int y1)
{
	int dx = abs(x1 - x0), dy = abs(y1 - y0);
	int lo = dx < dy ? dx : dy, hi = dx < dy ? dy : dx;

	return ((int64_t) lo * 1400 + (int64_t) (hi - lo) * 1000);
}

/* estimate: a consistent lower bound on the cost from tile to the goal. */
static inline int64_t
estimate(const cm_pather *p, const goal *gl, int32_t tile, int x, int y)
{
	int64_t h = octile(x, y, gl->x, gl->y);

	(void) p;
	for (int i = 0; i < gl->nact; i++) {
		/* LM_NONE makes the bound negative: never taken. */
		int64_t b = gl->dt[i] - gl->col[i][tile];

		h = b > h ? b : h;
	}
	return (h);
}

static inline int
node_less(const node *a, const node *b)
{
	return (a->f < b->f || (a->f == b->f && a->h < b->h));
}

static void
heap_push(cm_pather *p, int64_t f, uint32_t h, int32_t tile)
{
	node   e = { f, h, tile };
	size_t i;

	if (p->nheap == p->capheap) {
		p->capheap = p->capheap ? p->capheap * 2 : 1024;
		p->heap    = cm_realloc(p->heap, p->capheap * sizeof(node));
	}
	i = p->nheap++;
	while (i > 0 && node_less(&e, &p->heap[(i - 1) / 4])) {
		p->heap[i] = p->heap[(i - 1) / 4];
		i          = (i - 1) / 4;
	}
	p->heap[i] = e;
}

static node
heap_pop(cm_pather *p)
{
	node   top = p->heap[0], last = p->heap[--p->nheap];
	size_t i = 0, n = p->nheap;

	for (;;) {
		size_t c = 4 * i + 1, best = c;

		if (c >= n) {
			break;
		}
		for (size_t k = c + 1; k < c + 4 && k < n; k++) {
			if (node_less(&p->heap[k], &p->heap[best])) {
				best = k;
			}
		}
		if (!node_less(&p->heap[best], &last)) {
			break;
		}
		p->heap[i] = p->heap[best];
		i          = best;
	}
	if (n > 0) {
		p->heap[i] = last;
	}
	return (top);
}

/* open_push adds tile at cost f to the open set. */
static void
open_push(cm_pather *p, int64_t f, int32_t tile)
{
	int32_t e;

	if (f < p->base || f >= p->base + RING) {
		heap_push(p, f, 0, tile);
		return;
	}
	if ((e = p->efree) >= 0) {
		p->efree = p->enext[e];
	} else {
		if (p->nent == p->capent) {
			p->capent = p->capent ? p->capent * 2 : 4096;
			p->etile  = cm_realloc(p->etile, p->capent * sizeof(int32_t));
			p->enext  = cm_realloc(p->enext, p->capent * sizeof(int32_t));
		}
		e = (int32_t) p->nent++;
	}
	p->etile[e]                = tile;
	p->enext[e]                = p->bhead[f & (RING - 1)];
	p->bhead[f & (RING - 1)]   = e;
	p->nring++;
	p->ftop = f > p->ftop ? f : p->ftop;
}

/*
 * open_pop takes an entry of least f from the open set into *f and *tile;
 * false when it is empty.  Heap entries whose f comes inside the ring's
 * window move into the ring first, so the ring's entries are always
 * below the heap's, but for those below base, which the heap gives.
 */
static int
open_pop(cm_pather *p, int64_t *f, int32_t *tile)
{
	int32_t e;

	for (;;) {
		while (p->nheap > 0 && p->heap[0].f >= p->base &&
		    p->heap[0].f < p->base + RING) {
			node t = heap_pop(p);

			open_push(p, t.f, t.tile);
		}
		if (p->nheap > 0 && p->heap[0].f < p->base) {
			node t = heap_pop(p);

			*f    = t.f;
			*tile = t.tile;
			return (1);
		}
		if (p->nring > 0) {
			break;
		}
		if (p->nheap == 0) {
			return (0);
		}
		p->base = p->ftop = p->heap[0].f;
	}
	while ((e = p->bhead[p->base & (RING - 1)]) < 0) {
		p->base++;
	}
	p->bhead[p->base & (RING - 1)] = p->enext[e];
	p->enext[e] = p->efree;
	p->efree    = e;
	p->nring--;
	*f    = p->base;
	*tile = p->etile[e];
	return (1);
}

/* open_clear empties the open set, base at f. */
static void
open_clear(cm_pather *p, int64_t f)
{
	if (p->nring > 0) { /* only buckets base..ftop can hold entries */
		for (int64_t b = p->base; b <= p->ftop && b < p->base + RING;
		    b++) {
			p->bhead[b & (RING - 1)] = -1;
		}
	}
	p->nring = 0;
	p->nent  = 0;
	p->efree = -1;
	p->nheap = 0;
	p->base  = f;
	p->ftop  = f;
}

/* next_search starts a search's stamps and empties the heap. */
static void
next_search(cm_pather *p)
{
	p->cur += 2;
	if (p->cur < 2) { /* the stamps wrapped: clear them once */
		for (size_t t = 0; t < (size_t) p->w * (size_t) p->h; t++) {
			p->cell[t].stamp = 0;
		}
		p->cur = 2;
	}
	p->nheap    = 0;
	p->expanded = 0;
}

/*
 * search runs A* (Dijkstra's when gl is NULL) from start inside b until it
 * closes goal (returned) or runs out of tiles (NO_TILE; a flood with
 * goal NO_TILE leaves every reachable tile closed with its distance in g).
 * Penalties apply when penalize is set.
 */
static int32_t
search(cm_pather *p, const box *b, int32_t start, int32_t goal_tile,
    const goal *gl, int penalize)
{
	const int      w      = p->w;
	const uint32_t closed = p->cur + 1;
	int            off[8];
	int64_t        f0 = gl ? estimate(p, gl, start, start % w, start / w) : 0;
	int64_t        ft;
	node           t;

	for (int k = 0; k < 8; k++) {
		off[k] = steps[k].dy * w + steps[k].dx;
	}
	p->cell[start].stamp = p->cur;
	p->cell[start].g     = 0;
	open_clear(p, f0);
	open_push(p, f0, start);
	while (open_pop(p, &ft, &t.tile)) {
		int     x = t.tile % w, y = t.tile / w;
		int64_t gt;

		if (p->cell[t.tile].stamp == closed) {
			continue; /* a stale entry */
		}
		p->cell[t.tile].stamp = closed;
		p->expanded++;
		if (t.tile == goal_tile) {
			return (t.tile);
		}
		gt = p->cell[t.tile].g;
		for (int k = 0; k < 8; k++) {
			int     nx = x + steps[k].dx, ny = y + steps[k].dy;
			int32_t nt = t.tile + off[k];
			int64_t c, ng, h;

			/* Unsigned compares: one test for either side. */
			if ((unsigned) (nx - b->x0) > (unsigned) (b->x1 - b->x0) ||
			    (unsigned) (ny - b->y0) > (unsigned) (b->y1 - b->y0) ||
			    (c = p->entry[p->terrain[nt]][steps[k].diag]) == 0 ||
			    p->cell[nt].stamp == closed) {
				continue;
			}
			if (penalize && p->penalty != NULL) {
				/* Dearer only: the bounds stay lower bounds. */
				c += c * p->penalty(p->pctx, nx, ny) / 100;
			}
			ng = gt + c;
			if (p->cell[nt].stamp == p->cur) {
				if (p->cell[nt].g <= ng) {
					continue;
				}
				h = p->cell[nt].h;
			} else {
				h = gl ? estimate(p, gl, nt, nx, ny) : 0;
				p->cell[nt].stamp = p->cur;
				p->cell[nt].h     = (uint32_t) h;
			}
			p->cell[nt].g = ng;
			p->dir[nt]    = (uint8_t) k;
			open_push(p, ng + h, nt);
		}
	}
	return (NO_TILE);
}

/* land_near_middle: a land tile, the first at or after the middle one. */
static int32_t
land_near_middle(const cm_pather *p)
{
	int32_t n = p->w * p->h;

	for (int32_t i = 0; i < n; i++) {
		int32_t t = (n / 2 + i) % n;

		if (speed[p->terrain[t]] != 0) {
			return (t);
		}
	}
	return (NO_TILE);
}

/*
 * flood fills g with every tile's distance from src over the whole map,
 * no penalty; unreached tiles are left unstamped.
 */
static void
flood(cm_pather *p, int32_t src)
{
	box all = { 0, 0, p->w - 1, p->h - 1 };

	next_search(p);
	search(p, &all, src, NO_TILE, NULL, 0);
}

/*
 * landmark_store copies the last flood's distances into column i of lm
 * and keeps mind[] each tile's distance to its nearest landmark
 * (INT64_MAX: reached by none); false, with nothing stored, when a
 * distance overflows int32.
 */
static int
landmark_store(cm_pather *p, int i, int64_t *mind)
{
	size_t   n      = (size_t) p->w * (size_t) p->h;
	uint32_t closed = p->cur + 1;

	for (size_t t = 0; t < n; t++) {
		if (p->cell[t].stamp == closed && p->cell[t].g >= LM_NONE) {
			return (0);
		}
	}
	for (size_t t = 0; t < n; t++) {
		int32_t d = p->cell[t].stamp == closed ? (int32_t) p->cell[t].g : LM_NONE;

		p->lm[(size_t) i * n + t] = d;
		if (i == 0 || (d != LM_NONE && d < mind[t])) {
			mind[t] = d != LM_NONE ? d : INT64_MAX;
		}
	}
	return (1);
}

/*
 * farthest: the tile with the largest v[] short of INT64_MAX (reached),
 * NO_TILE if that is 0 (every reached tile is a landmark already).
 */
static int32_t
farthest(const cm_pather *p, const int64_t *v)
{
	size_t  n    = (size_t) p->w * (size_t) p->h;
	int32_t best = NO_TILE;
	int64_t bv   = 0;

	for (size_t t = 0; t < n; t++) {
		if (v[t] > bv && v[t] < INT64_MAX) {
			bv   = v[t];
			best = (int32_t) t;
		}
	}
	return (best);
}

/*
 * landmarks_init chooses up to NLM landmarks farthest-first and stores
 * their distances.  nlm stays NLM (the table's stride) when fewer are
 * found; the missing columns hold LM_NONE, which no bound uses.
 */
static void
landmarks_init(cm_pather *p)
{
	size_t   n    = (size_t) p->w * (size_t) p->h;
	int64_t *mind = cm_malloc(n * sizeof(*mind));
	int32_t  src  = land_near_middle(p);
	int      k    = 0;

	p->nlm = NLM;
	p->lm  = cm_malloc(n * NLM * sizeof(*p->lm));
	for (size_t i = 0; i < n * NLM; i++) {
		p->lm[i] = LM_NONE;
	}
	if (src == NO_TILE) {
		free(mind);
		return; /* all water: no landmark, no path */
	}
	flood(p, src);
	for (size_t t = 0; t < n; t++) {
		mind[t] = p->cell[t].stamp == p->cur + 1 ? p->cell[t].g : INT64_MAX;
	}
	src = farthest(p, mind);
	while (k < NLM && src != NO_TILE) {
		flood(p, src);
		if (!landmark_store(p, k, mind)) {
			break;
		}
		k++;
		src = farthest(p, mind);
	}
	free(mind);
}

/* landmarks_pick: the search's ACTIVE best landmarks for start -> goal. */
static void
landmarks_pick(const cm_pather *p, goal *gl, int32_t start, int32_t goal)
{
	size_t  n = (size_t) p->w * (size_t) p->h;
	int64_t bound[ACTIVE];

	gl->nact = 0;
	for (int i = 0; i < p->nlm; i++) {
		int32_t ds = p->lm[(size_t) i * n + (size_t) start];
		int32_t dg = p->lm[(size_t) i * n + (size_t) goal];
		int64_t b;
		int     j;

		if (ds == LM_NONE || dg == LM_NONE) {
			continue;
		}
		b = (int64_t) dg - ds;
		if (gl->nact == ACTIVE && b <= bound[ACTIVE - 1]) {
			continue;
		}
		/* Insertion into the list, kept sorted by bound. */
		j = gl->nact < ACTIVE ? gl->nact++ : ACTIVE - 1;
		for (; j > 0 && bound[j - 1] < b; j--) {
			bound[j]   = bound[j - 1];
			gl->act[j] = gl->act[j - 1];
			gl->dt[j]  = gl->dt[j - 1];
			gl->col[j] = gl->col[j - 1];
		}
		bound[j]   = b;
		gl->act[j] = i;
		gl->dt[j]  = dg;
		gl->col[j] = p->lm + (size_t) i * n;
	}
}

/*
 * unreachable: whether some landmark reaches one of start and goal but
 * not the other.  Steps are possible both ways between two land tiles,
 * so the two are then in different parts of the map: no path.
 */
static int
unreachable(const cm_pather *p, int32_t start, int32_t goal)
{
	size_t n = (size_t) p->w * (size_t) p->h;

	for (int i = 0; i < p->nlm; i++) {
		if ((p->lm[(size_t) i * n + (size_t) start] == LM_NONE) !=
		    (p->lm[(size_t) i * n + (size_t) goal] == LM_NONE)) {
			return (1);
		}
	}
	return (0);
}

void
cm_pather_set_penalty(cm_pather *p, int (*pct)(void *ctx, int x, int y),
    void *ctx)
{
	p->penalty = pct;
	p->pctx    = ctx;
}

/* path_out walks the steps back from goal and writes the path. */
static cm_err
path_out(const cm_pather *p, int32_t start, int32_t goal, int *xs, int *ys,
    int max, int *n, int64_t *cost)
{
	int k = 0;

	for (int32_t c = goal; c != start; k++) {
		c -= steps[p->dir[c]].dy * p->w + steps[p->dir[c]].dx;
	}
	if (k > max) {
		return (CM_ENOMEM);
	}
	*n    = k;
	*cost = p->cell[goal].g;
	for (int32_t c = goal; c != start;) {
		xs[--k] = c % p->w;
		ys[k]   = c / p->w;
		c -= steps[p->dir[c]].dy * p->w + steps[p->dir[c]].dx;
	}
	return (CM_OK);
}

cm_err
cm_path_find(cm_pather *p, const cm_rect *bounds, int x0, int y0, int x1,
    int y1, int *xs, int *ys, int max, int *n, int64_t *cost,
    int use_heuristic)
{
	box     b = { 0, 0, p->w - 1, p->h - 1 };
	goal    gl;
	int32_t start, goal;

	if (bounds != NULL) {
		b.x0 = bounds->x0 > 0 ? bounds->x0 : 0;
		b.y0 = bounds->y0 > 0 ? bounds->y0 : 0;
		b.x1 = bounds->x1 < b.x1 ? bounds->x1 : b.x1;
		b.y1 = bounds->y1 < b.y1 ? bounds->y1 : b.y1;
	}
	if (x0 < b.x0 || x0 > b.x1 || y0 < b.y0 || y0 > b.y1) {
		return (CM_EINVAL);
	}
	if (x1 < b.x0 || x1 > b.x1 || y1 < b.y0 || y1 > b.y1 ||
	    speed[p->terrain[y1 * p->w + x1]] == 0) {
		return (CM_ENOENT);
	}
	start = y0 * p->w + x0;
	goal  = y1 * p->w + x1;
	next_search(p);
	if (use_heuristic) {
		if (unreachable(p, start, goal)) {
			return (CM_ENOENT);
		}
		gl.x = x1;
		gl.y = y1;
		landmarks_pick(p, &gl, start, goal);
	}
	if (search(p, &b, start, goal, use_heuristic ? &gl : NULL, 1) ==
	    NO_TILE) {
		return (CM_ENOENT);
	}
	return (path_out(p, start, goal, xs, ys, max, n, cost));
}

long
cm_path_expanded(const cm_pather *p)
{
	return (p->expanded);
}

size_t
cm_pather_bytes(const cm_pather *p)
{
	size_t n = (size_t) p->w * (size_t) p->h;

	return (sizeof(*p) + n * (sizeof(*p->terrain) + sizeof(*p->cell) +
	                         sizeof(*p->dir) +
	                         (size_t) p->nlm * sizeof(*p->lm)) +
	    p->capheap * sizeof(*p->heap) + RING * sizeof(*p->bhead) +
	    p->capent * (sizeof(*p->etile) + sizeof(*p->enext)));
}
