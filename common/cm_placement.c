/*
 * cm_placement.c: starting placement (see cm_placement.h).
 *
 * The search area S is *within (or the whole map) cut to the map and to
 * the edge buffer; Q is S widened by CM_PLACE_GAP and cut to the map.
 * The steps, which are the reference for anyone who recomputes a
 * placement (next is splitmix64 seeded with seed, as in cm_map.c, one
 * stream through all steps):
 *
 *  0. Quick tries, for nplots <= LAZY_MAX_PLOTS.  Up to LAZY_TRIES
 *     times: r = next, start (S.x0 + (r >> 32) % width of S, S.y0 +
 *     (r & 0xffffffff) % height of S); if that tile is clear (step 2's
 *     rule, checked on the spot with at most 49 occupied() calls), grow
 *     from it over clear tiles (step 4); the first growth that succeeds
 *     is the answer.  These cost microseconds whatever the map's size;
 *     only a crowded or unlucky region goes on to steps 1-4, which cost
 *     O(|Q|).
 *  1. Base.  A tile of S is "base" when it is in the Outer Ring, on
 *     plains or forest and not a Forsaken village.
 *  2. Occupancy.  occupied() is asked, row by row, for every tile of Q
 *     but those deep inside the rings (see place_hole), whose answer
 *     could not matter.  A base tile is "ok" when no occupied tile is
 *     within Chebyshev distance CM_PLACE_GAP, "clear" when ok and none of
 *     its 8 neighbours is a Forsaken village.
 *  3. Tiers.  First the clear tiles, then (only if that finds nothing)
 *     the ok ones.  L is the list of the tier's tiles in row-major
 *     order.  Repeat: j =
 *     next % |L|; if L[j] was seen by a failed growth, L[j] = the last
 *     entry, |L| shrinks, and draw again; else grow from L[j] (step 4);
 *     if that fails, its whole 8-connected component, now seen, is too
 *     small: drop L[j] the same way and draw again.  L empty: the tier
 *     finds nothing.  This is rejection sampling, so the start is
 *     uniform over the tiles a cluster can grow from.
 *  4. Growth.  The cluster is the start; its tier neighbours (ring order
 *     top left, top, top right, right, bottom right, bottom, bottom left,
 *     left) join a frontier list F.  While the cluster is short and F is
 *     not empty, F[i], i = next % |F|, leaves F (the last entry takes its
 *     place) and joins the cluster, and its tier neighbours not yet seen
 *     are appended in ring order.  F empties before the cluster is full
 *     only when the start's component is smaller than nplots.
 *
 * Hence no bounded random retries and no fallback scan: a place is found
 * whenever one exists, CM_ENOENT is certain otherwise, and the whole call
 * is O(|Q|) (each tile is drawn, seen or dropped a bounded number of
 * times).
 *
 * When the Forsaken leave no clear cluster (a crowded region, or a large
 * cluster in a Forsaken-dense stretch) the player still gets a place,
 * with some plot next to a Forsaken village, rather than none: the
 * design puts "no adjacent Forsaken" below "a place in the Outer Ring"
 * (§3.2 lists it as a neighbour rule, not a condition of entry).
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_placement.h"

#define PLACE_BASE  1u  // step 1
#define PLACE_OK    2u  // step 2
#define PLACE_CLEAR 4u  // step 2
#define PLACE_SEEN  8u  // steps 3-4: in a cluster or a frontier
#define LAZY_TRIES      64 // step 0
#define LAZY_MAX_PLOTS  16 // step 0
#define LAZY_SEEN (1 + 8 * LAZY_MAX_PLOTS) // tiles one growth may check
#define FZ_NO       1   // Forsaken memo: known none
#define FZ_YES      2   // Forsaken memo: known village

static const int ring[8][2] = { { -1, -1 }, { 0, -1 }, { 1, -1 },
	{ 1, 0 }, { 1, 1 }, { 0, 1 }, { -1, 1 }, { -1, 0 } };

typedef struct place {
	const cm_map *m;
	int           qx0, qy0, qw, qh; // Q
	int           sx0, sy0, sx1, sy1; // S, map coordinates
	uint8_t      *flag;  // per tile of Q: PLACE_*
	uint8_t      *v;     // per tile of Q: an occupied tile is near
	uint8_t      *fz;    // per tile of Q: Forsaken memo, 0 unknown
	int           hole;  // see place_hole
	int           cx, cy; // the map's centre
	int          *list;  // step 3's L
	int          *front; // step 4's F
	int          *cluster; // step 4's cluster, nplots entries
	uint64_t      s;     // the splitmix64 state
} place;

static uint64_t
place_next(place *p)
{
	uint64_t z = (p->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static int
imax(int a, int b)
{
	return (a > b ? a : b);
}

static int
imin(int a, int b)
{
	return (a < b ? a : b);
}

/* forsaken_at tells, memoised, whether Q's tile q is a Forsaken village. */
static bool
forsaken_at(place *p, int q)
{
	if (p->fz[q] == 0) {
		p->fz[q] = cm_map_forsaken(p->m, p->qx0 + q % p->qw,
		               p->qy0 + q / p->qw, NULL) != CM_FORSAKEN_NONE
		    ? FZ_YES
		    : FZ_NO;
	}
	return (p->fz[q] == FZ_YES);
}

/*
 * place_hole finds the square of tiles no step needs: zones are
 * Chebyshev squares round (w/2, h/2) (cm_map.h), so every tile within
 * distance R of the centre is off the Outer Ring, R being the largest
 * such distance along the centre row, and a tile within R - CM_PLACE_GAP
 * is more than CM_PLACE_GAP from any Outer Ring tile.  Returns that
 * radius, or -1 for none.
 */
static int
place_hole(const cm_map *m)
{
	int w = cm_map_width(m), h = cm_map_height(m), r = -1;

	while (w / 2 + r + 1 < w &&
	    cm_map_zone_at(m, w / 2 + r + 1, h / 2) != CM_ZONE_OUTER) {
		r++;
	}
	return (r < 0 ? -1 : r - CM_PLACE_GAP);
}

/* place_span sets [*x0, *x1] to row y's part of the hole (x1 < x0: none). */
static void
place_span(const place *p, int y, int *x0, int *x1)
{
	*x0 = 0;
	*x1 = -1;
	if (p->hole >= 0 && abs(y - p->cy) <= p->hole) {
		*x0 = p->cx - p->hole;
		*x1 = p->cx + p->hole;
	}
}

/* place_flags does steps 1 and 2. */
static void
place_flags(place *p, bool (*occupied)(void *, int, int), void *ctx)
{
	int qw = p->qw, qh = p->qh, qx1 = p->qx0 + qw - 1;

	/* v: an occupied tile is near (Q's edge cuts the squares, which
	 * is harmless: only tiles of S are read). */
	for (int y = p->qy0; occupied != NULL && y < p->qy0 + qh; y++) {
		int h0, h1;

		place_span(p, y, &h0, &h1);
		for (int x = p->qx0; x <= qx1; x++) {
			if (x >= h0 && x <= h1) {
				x = h1;
				continue;
			}
			if (!occupied(ctx, x, y)) {
				continue;
			}
			for (int by = imax(y - CM_PLACE_GAP, p->qy0);
			     by <= imin(y + CM_PLACE_GAP, p->qy0 + qh - 1);
			     by++) {
				memset(p->v + (size_t) (by - p->qy0) * qw +
				        (imax(x - CM_PLACE_GAP, p->qx0) - p->qx0),
				    1,
				    (size_t) (imin(x + CM_PLACE_GAP, qx1) -
				        imax(x - CM_PLACE_GAP, p->qx0) + 1));
			}
		}
	}
	for (int y = p->sy0; y <= p->sy1; y++) {
		int h0, h1;

		place_span(p, y, &h0, &h1);
		for (int x = p->sx0; x <= p->sx1; x++) {
			int        q = (y - p->qy0) * qw + (x - p->qx0);
			cm_terrain t;
			bool       clear = true;

			if (x >= h0 && x <= h1) {
				x = h1;
				continue;
			}
			if (p->v[q] ||
			    cm_map_zone_at(p->m, x, y) != CM_ZONE_OUTER) {
				continue;
			}
			t = cm_map_terrain(p->m, x, y);
			if ((t != CM_TERRAIN_PLAINS && t != CM_TERRAIN_FOREST) ||
			    forsaken_at(p, q)) {
				continue;
			}
			p->flag[q] = PLACE_BASE | PLACE_OK;
			/* S keeps the 8 neighbours on the map and in Q. */
			for (int k = 0; k < 8 && clear; k++) {
				clear = !forsaken_at(
				    p, q + ring[k][1] * qw + ring[k][0]);
			}
			if (clear) {
				p->flag[q] |= PLACE_CLEAR;
			}
		}
	}
}

/*
 * place_grow does step 4 from Q's tile start: true with the cluster in
 * xs, ys; false (nothing written) when start's component is too small.
 */
static bool
place_grow(place *p, unsigned bit, int start, int nplots, int *xs, int *ys)
{
	int qw = p->qw, len = 0, have = 0, t = start;

	p->flag[start] |= PLACE_SEEN;
	for (;;) {
		int x = t % qw, y = t / qw;

		p->cluster[have++] = t;
		if (have == nplots) {
			break;
		}
		for (int k = 0; k < 8; k++) {
			int nx = x + ring[k][0], ny = y + ring[k][1], u;

			if (nx < 0 || ny < 0 || nx >= qw || ny >= p->qh) {
				continue;
			}
			u = ny * qw + nx;
			if ((p->flag[u] & bit) && !(p->flag[u] & PLACE_SEEN)) {
				p->flag[u] |= PLACE_SEEN;
				p->front[len++] = u;
			}
		}
		if (len == 0) {
			return (false);
		}
		{
			int i = (int) (place_next(p) % (uint64_t) len);

			t           = p->front[i];
			p->front[i] = p->front[--len];
		}
	}
	for (int i = 0; i < nplots; i++) {
		int c = p->cluster[i];

		xs[i] = p->qx0 + c % qw;
		ys[i] = p->qy0 + c / qw;
	}
	return (true);
}

/* place_pick does steps 3 and 4 for one tier; false: nothing fits. */
static bool
place_pick(place *p, unsigned bit, int nplots, int *xs, int *ys)
{
	int n = p->qw * p->qh, len = 0;

	for (int q = 0; q < n; q++) {
		p->flag[q] &= (uint8_t) ~PLACE_SEEN;
		if (p->flag[q] & bit) {
			p->list[len++] = q;
		}
	}
	while (len > 0) {
		int j = (int) (place_next(p) % (uint64_t) len);

		if (!(p->flag[p->list[j]] & PLACE_SEEN) &&
		    place_grow(p, bit, p->list[j], nplots, xs, ys)) {
			return (true);
		}
		p->list[j] = p->list[--len];
	}
	return (false);
}

/* ---- step 0 -------------------------------------------------------- */

typedef struct lazy {
	const cm_map *m;
	int           w, h, sx0, sy0, sx1, sy1;
	bool          (*occupied)(void *, int, int);
	void         *ctx;
	int           seen[LAZY_SEEN]; // tile * 2 + clear
	int           nseen;
} lazy;

/* lazy_clear checks step 2's "clear" on the spot. */
static bool
lazy_clear(const lazy *l, int x, int y)
{
	cm_terrain t;

	if (x < l->sx0 || y < l->sy0 || x > l->sx1 || y > l->sy1 ||
	    cm_map_zone_at(l->m, x, y) != CM_ZONE_OUTER) {
		return (false);
	}
	t = cm_map_terrain(l->m, x, y);
	if ((t != CM_TERRAIN_PLAINS && t != CM_TERRAIN_FOREST) ||
	    cm_map_forsaken(l->m, x, y, NULL) != CM_FORSAKEN_NONE) {
		return (false);
	}
	for (int k = 0; k < 8; k++) { // S keeps them on the map
		if (cm_map_forsaken(l->m, x + ring[k][0], y + ring[k][1],
		        NULL) != CM_FORSAKEN_NONE) {
			return (false);
		}
	}
	for (int ny = imax(y - CM_PLACE_GAP, 0);
	     l->occupied != NULL && ny <= imin(y + CM_PLACE_GAP, l->h - 1);
	     ny++) {
		for (int nx = imax(x - CM_PLACE_GAP, 0);
		     nx <= imin(x + CM_PLACE_GAP, l->w - 1); nx++) {
			if (l->occupied(l->ctx, nx, ny)) {
				return (false);
			}
		}
	}
	return (true);
}

/* lazy_seen returns seen's entry for tile t, or -1. */
static int
lazy_seen(const lazy *l, int t)
{
	for (int i = 0; i < l->nseen; i++) {
		if (l->seen[i] >> 1 == t) {
			return (l->seen[i]);
		}
	}
	return (-1);
}

/* lazy_grow is step 4 over clear tiles checked on the spot. */
static bool
lazy_grow(lazy *l, place *p, int start, int nplots, int *xs, int *ys)
{
	int front[LAZY_SEEN], len = 0, have = 0, t = start, cl[LAZY_MAX_PLOTS];

	l->nseen     = 1;
	l->seen[0]   = start * 2 + 1;
	for (;;) {
		int x = t % l->w, y = t / l->w;

		cl[have++] = t;
		if (have == nplots) {
			break;
		}
		for (int k = 0; k < 8; k++) {
			int nx = x + ring[k][0], ny = y + ring[k][1];
			int u = ny * l->w + nx, ok;

			if (lazy_seen(l, u) >= 0) {
				continue;
			}
			ok = lazy_clear(l, nx, ny);
			cm_assert(l->nseen < LAZY_SEEN);
			l->seen[l->nseen++] = u * 2 + ok;
			if (ok) {
				front[len++] = u;
			}
		}
		if (len == 0) {
			return (false);
		}
		{
			int i = (int) (place_next(p) % (uint64_t) len);

			t        = front[i];
			front[i] = front[--len];
		}
	}
	for (int i = 0; i < nplots; i++) {
		xs[i] = cl[i] % l->w;
		ys[i] = cl[i] / l->w;
	}
	return (true);
}

/* place_lazy does step 0; false: go on to steps 1-4. */
static bool
place_lazy(place *p, bool (*occupied)(void *, int, int), void *ctx,
    int nplots, int *xs, int *ys)
{
	lazy l = { .m = p->m, .w = cm_map_width(p->m),
		.h = cm_map_height(p->m), .sx0 = p->sx0, .sy0 = p->sy0,
		.sx1 = p->sx1, .sy1 = p->sy1, .occupied = occupied,
		.ctx = ctx };

	if (nplots > LAZY_MAX_PLOTS) {
		return (false);
	}
	for (int i = 0; i < LAZY_TRIES; i++) {
		uint64_t r = place_next(p);
		int      x = p->sx0 + (int) ((r >> 32) %
		                          (uint64_t) (p->sx1 - p->sx0 + 1));
		int      y = p->sy0 + (int) ((r & 0xffffffffu) %
		                          (uint64_t) (p->sy1 - p->sy0 + 1));

		if (lazy_clear(&l, x, y) &&
		    lazy_grow(&l, p, y * l.w + x, nplots, xs, ys)) {
			return (true);
		}
	}
	return (false);
}

cm_err
cm_place_start(const cm_map *m, int nplots, uint64_t seed,
    bool (*occupied)(void *ctx, int x, int y), void *ctx,
    const cm_rect *within, int *xs, int *ys)
{
	int    w = cm_map_width(m), h = cm_map_height(m);
	place  p = { .m = m, .s = seed };
	size_t n;
	cm_err rv = CM_ENOENT;

	if (nplots < 1 ||
	    (within != NULL &&
	        (within->x0 > within->x1 || within->y0 > within->y1))) {
		return (CM_EINVAL);
	}
	p.sx0 = CM_PLACE_EDGE;
	p.sy0 = CM_PLACE_EDGE;
	p.sx1 = w - 1 - CM_PLACE_EDGE;
	p.sy1 = h - 1 - CM_PLACE_EDGE;
	if (within != NULL) {
		p.sx0 = imax(p.sx0, within->x0);
		p.sy0 = imax(p.sy0, within->y0);
		p.sx1 = imin(p.sx1, within->x1);
		p.sy1 = imin(p.sy1, within->y1);
	}
	if (p.sx0 > p.sx1 || p.sy0 > p.sy1 ||
	    (long) (p.sx1 - p.sx0 + 1) * (p.sy1 - p.sy0 + 1) < nplots) {
		return (CM_ENOENT);
	}
	if (place_lazy(&p, occupied, ctx, nplots, xs, ys)) {
		return (CM_OK);
	}
	p.qx0     = imax(p.sx0 - CM_PLACE_GAP, 0);
	p.qy0     = imax(p.sy0 - CM_PLACE_GAP, 0);
	p.qw      = imin(p.sx1 + CM_PLACE_GAP, w - 1) - p.qx0 + 1;
	p.qh      = imin(p.sy1 + CM_PLACE_GAP, h - 1) - p.qy0 + 1;
	n         = (size_t) p.qw * (size_t) p.qh;
	p.flag    = cm_calloc(n, 1);
	p.v       = cm_calloc(n, 1);
	p.fz      = cm_calloc(n, 1);
	p.hole    = place_hole(m);
	p.cx      = w / 2;
	p.cy      = h / 2;
	p.list    = cm_malloc(sizeof(int) * n);
	p.front   = cm_malloc(sizeof(int) * n);
	p.cluster = cm_malloc(sizeof(int) * (size_t) nplots);
	place_flags(&p, occupied, ctx);
	if (place_pick(&p, PLACE_CLEAR, nplots, xs, ys) ||
	    place_pick(&p, PLACE_OK, nplots, xs, ys)) {
		rv = CM_OK;
	}
	free(p.flag);
	free(p.v);
	free(p.fz);
	free(p.list);
	free(p.front);
	free(p.cluster);
	return (rv);
}
