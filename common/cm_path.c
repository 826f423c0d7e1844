/*
 * cm_path.c: A* over the tile grid (see cm_path.h).
 *
 * Scratch arrays are sized for the map once; a per-search stamp marks
 * which entries are current, so a search touches only what it visits.
 * The open set is a binary heap of (f, tile) with lazy deletion.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_path.h"

typedef struct node {
	int64_t f;
	int32_t tile;
} node;

struct cm_pather {
	const cm_map *map;
	int           w, h;
	uint32_t     *stamp;  /* == cur: g and parent are this search's */
	uint32_t     *closed; /* == cur: expanded */
	int64_t      *g;
	int32_t      *parent;
	uint32_t      cur;
	node         *heap;
	size_t        nheap, capheap;
	long          expanded;
	int         (*penalty)(void *ctx, int x, int y);
	void         *pctx;
};

/* Speed in percent by terrain (cm_terrain order); 0: impassable. */
static const int speed[CM_TERRAIN_COUNT] = { 100, 80, 60, 0, 50, 100 };

cm_pather *
cm_pather_new(const cm_map *m)
{
	cm_pather *p = cm_calloc(1, sizeof(*p));
	size_t     n;

	p->map    = m;
	p->w      = cm_map_width(m);
	p->h      = cm_map_height(m);
	n         = (size_t) p->w * (size_t) p->h;
	p->stamp  = cm_calloc(n, sizeof(*p->stamp));
	p->closed = cm_calloc(n, sizeof(*p->closed));
	p->g      = cm_calloc(n, sizeof(*p->g));
	p->parent = cm_calloc(n, sizeof(*p->parent));
	return (p);
}

void
cm_pather_free(cm_pather *p)
{
	if (p == NULL) {
		return;
	}
	free(p->stamp);
	free(p->closed);
	free(p->g);
	free(p->parent);
	free(p->heap);
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
heuristic(int x0, int y0, int x1, int y1)
{
	int dx = abs(x1 - x0), dy = abs(y1 - y0);
	int lo = dx < dy ? dx : dy, hi = dx < dy ? dy : dx;

	return ((int64_t) lo * 1400 + (int64_t) (hi - lo) * 1000);
}

static void
heap_push(cm_pather *p, int64_t f, int32_t tile)
{
	size_t i;

	if (p->nheap == p->capheap) {
		p->capheap = p->capheap ? p->capheap * 2 : 1024;
		p->heap    = cm_realloc(p->heap, p->capheap * sizeof(node));
	}
	i = p->nheap++;
	while (i > 0 && p->heap[(i - 1) / 2].f > f) {
		p->heap[i] = p->heap[(i - 1) / 2];
		i          = (i - 1) / 2;
	}
	p->heap[i] = (node) { f, tile };
}

static node
heap_pop(cm_pather *p)
{
	node   top = p->heap[0], last = p->heap[--p->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= p->nheap) {
			break;
		}
		if (c + 1 < p->nheap && p->heap[c + 1].f < p->heap[c].f) {
			c++;
		}
		if (p->heap[c].f >= last.f) {
			break;
		}
		p->heap[i] = p->heap[c];
		i          = c;
	}
	if (p->nheap > 0) {
		p->heap[i] = last;
	}
	return (top);
}

static int
in_bounds(const cm_pather *p, const cm_rect *b, int x, int y)
{
	if (x < 0 || y < 0 || x >= p->w || y >= p->h) {
		return (0);
	}
	return (b == NULL ||
	    (x >= b->x0 && x <= b->x1 && y >= b->y0 && y <= b->y1));
}

void
cm_pather_set_penalty(cm_pather *p, int (*pct)(void *ctx, int x, int y),
    void *ctx)
{
	p->penalty = pct;
	p->pctx    = ctx;
}

cm_err
cm_path_find(cm_pather *p, const cm_rect *bounds, int x0, int y0, int x1,
    int y1, int *xs, int *ys, int max, int *n, int64_t *cost,
    int use_heuristic)
{
	int32_t start, goal;

	if (!in_bounds(p, bounds, x0, y0)) {
		return (CM_EINVAL);
	}
	if (!in_bounds(p, bounds, x1, y1) ||
	    speed[cm_map_terrain(p->map, x1, y1)] == 0) {
		return (CM_ENOENT);
	}
	if (++p->cur == 0) { /* the stamps wrapped: clear them once */
		memset(p->stamp, 0, (size_t) p->w * (size_t) p->h * 4);
		memset(p->closed, 0, (size_t) p->w * (size_t) p->h * 4);
		p->cur = 1;
	}
	start          = y0 * p->w + x0;
	goal           = y1 * p->w + x1;
	p->nheap       = 0;
	p->expanded    = 0;
	p->stamp[start] = p->cur;
	p->g[start]    = 0;
	p->parent[start] = -1;
	heap_push(p, use_heuristic ? heuristic(x0, y0, x1, y1) : 0, start);
	while (p->nheap > 0) {
		node t = heap_pop(p);
		int  x = t.tile % p->w, y = t.tile / p->w;

		if (p->closed[t.tile] == p->cur) {
			continue; /* a stale entry */
		}
		p->closed[t.tile] = p->cur;
		p->expanded++;
		if (t.tile == goal) {
			int k = 0;

			for (int32_t c = goal; c != start; c = p->parent[c]) {
				k++;
			}
			if (k > max) {
				return (CM_ENOMEM);
			}
			*n    = k;
			*cost = p->g[goal];
			for (int32_t c = goal; c != start; c = p->parent[c]) {
				xs[--k] = c % p->w;
				ys[k]   = c / p->w;
			}
			return (CM_OK);
		}
		for (int dy = -1; dy <= 1; dy++) {
			for (int dx = -1; dx <= 1; dx++) {
				int     nx = x + dx, ny = y + dy, c;
				int32_t nt;
				int64_t ng;

				if ((dx == 0 && dy == 0) ||
				    !in_bounds(p, bounds, nx, ny) ||
				    (c = cm_path_step_cost(p->map, x, y, nx, ny)) < 0) {
					continue;
				}
				if (p->penalty != NULL) {
					/* Dearer only: the heuristic stays a
					 * lower bound, the path optimal. */
					c += c * p->penalty(p->pctx, nx, ny) / 100;
				}
				nt = ny * p->w + nx;
				ng = p->g[t.tile] + c;
				if (p->closed[nt] == p->cur ||
				    (p->stamp[nt] == p->cur && p->g[nt] <= ng)) {
					continue;
				}
				p->stamp[nt]  = p->cur;
				p->g[nt]      = ng;
				p->parent[nt] = t.tile;
				heap_push(p, ng + (use_heuristic
				                 ? heuristic(nx, ny, x1, y1)
				                 : 0),
				    nt);
			}
		}
	}
	return (CM_ENOENT);
}

long
cm_path_expanded(const cm_pather *p)
{
	return (p->expanded);
}
