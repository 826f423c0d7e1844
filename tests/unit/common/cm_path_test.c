/*
 * cm_path_test.c: unit tests for common/cm_path.c: on many small
 * generated maps, A* finds a path exactly as cheap as a brute-force
 * relaxation over every tile (Bellman-Ford), a valid one (adjacent steps,
 * no water, inside the bounds, its cost the sum of its steps), and says
 * ENOENT exactly when brute force finds no path; with landmarks, bounds
 * and penalties together, A* agrees with Dijkstra's search (and that with
 * brute force) on many random pairs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cm_path.h"

#define INF INT64_MAX

/*
 * brute computes every tile's cheapest cost from (x0,y0) in bounds,
 * entering (x, y) pct(NULL, x, y) percent dearer when pct is set.
 */
static void
brute(const cm_map *m, const cm_rect *b, int x0, int y0, int64_t *d,
    int (*pct)(void *, int, int))
{
	int  w = cm_map_width(m), h = cm_map_height(m);
	bool changed = true;

	for (int i = 0; i < w * h; i++) {
		d[i] = INF;
	}
	d[y0 * w + x0] = 0;
	while (changed) {
		changed = false;
		for (int y = b->y0; y <= b->y1; y++) {
			for (int x = b->x0; x <= b->x1; x++) {
				if (d[y * w + x] == INF) {
					continue;
				}
				for (int dy = -1; dy <= 1; dy++) {
					for (int dx = -1; dx <= 1; dx++) {
						int nx = x + dx, ny = y + dy, c;

						if ((!dx && !dy) || nx < b->x0 || nx > b->x1 ||
						    ny < b->y0 || ny > b->y1 ||
						    (c = cm_path_step_cost(m, x, y, nx, ny)) < 0) {
							continue;
						}
						if (pct != NULL) {
							c += c * pct(NULL, nx, ny) / 100;
						}
						if (d[y * w + x] + c < d[ny * w + nx]) {
							d[ny * w + nx] = d[y * w + x] + c;
							changed        = true;
						}
					}
				}
			}
		}
	}
}

/* check_path: a valid path for cost, pct as in brute. */
static void
check_path(const cm_map *m, const cm_rect *b, int x0, int y0, int x1, int y1,
    const int *xs, const int *ys, int n, int64_t cost,
    int (*pct)(void *, int, int))
{
	int64_t sum = 0;
	int     px = x0, py = y0;

	assert_true(n >= 1);
	assert_int_equal(xs[n - 1], x1);
	assert_int_equal(ys[n - 1], y1);
	for (int i = 0; i < n; i++) {
		int c = cm_path_step_cost(m, px, py, xs[i], ys[i]);

		assert_true(abs(xs[i] - px) <= 1 && abs(ys[i] - py) <= 1);
		assert_true(c > 0);
		assert_true(xs[i] >= b->x0 && xs[i] <= b->x1 && ys[i] >= b->y0 &&
		    ys[i] <= b->y1);
		sum += c + (pct != NULL ? c * pct(NULL, xs[i], ys[i]) / 100 : 0);
		px = xs[i];
		py = ys[i];
	}
	assert_true(sum == cost);
}

static void
test_optimal_against_brute_force(void **state)
{
	int     xs[512], ys[512], n;
	int64_t cost, d[24 * 24];
	int     found = 0, none = 0;

	(void) state;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		cm_map    *m;
		cm_pather *p;
		cm_rect    all = { 0, 0, 23, 23 };
		cm_rect    half = { 0, 0, 11, 23 };

		assert_int_equal(cm_map_generate(24, 24, seed, &m), CM_OK);
		p = cm_pather_new(m);
		for (int k = 0; k < 12; k++) {
			const cm_rect *b = k % 3 == 0 ? &half : &all;
			int x0 = (int) ((seed * 7 + (uint64_t) k * 5) % 12);
			int y0 = (int) ((seed * 3 + (uint64_t) k * 11) % 24);
			int x1 = (int) ((seed * 13 + (uint64_t) k * 7) % (uint64_t) (b->x1 + 1));
			int y1 = (int) ((seed * 5 + (uint64_t) k * 3) % 24);
			cm_err rv;

			if (cm_terrain_is_water(cm_map_terrain(m, x0, y0)) ||
			    (x0 == x1 && y0 == y1)) {
				continue;
			}
			brute(m, b, x0, y0, d, NULL);
			rv = cm_path_find(p, b, x0, y0, x1, y1, xs, ys, 512, &n,
			    &cost, 1);
			if (d[y1 * 24 + x1] == INF) {
				assert_int_equal(rv, CM_ENOENT);
				none++;
				continue;
			}
			assert_int_equal(rv, CM_OK);
			assert_true(cost == d[y1 * 24 + x1]);
			check_path(m, b, x0, y0, x1, y1, xs, ys, n, cost, NULL);
			/* Dijkstra (no heuristic) agrees on the cost. */
			assert_int_equal(cm_path_find(p, b, x0, y0, x1, y1, xs, ys,
			                     512, &n, &cost, 0),
			    CM_OK);
			assert_true(cost == d[y1 * 24 + x1]);
			found++;
		}
		cm_pather_free(p);
		cm_map_free(m);
	}
	assert_true(found > 200);
	assert_true(none > 0); /* water targets, at least */
}

static void
test_edges(void **state)
{
	cm_map    *m;
	cm_pather *p;
	int        xs[4], ys[4], n, wx = -1, wy = -1, lx = -1, ly = -1, tx, ty;
	int64_t    cost;
	cm_rect    r = { 0, 0, 9, 9 };

	(void) state;
	assert_int_equal(cm_map_generate(100, 100, 1, &m), CM_OK);
	p = cm_pather_new(m);
	for (int y = 0; y < 100 && (wx < 0 || lx < 0); y++) {
		for (int x = 0; x < 100; x++) {
			if (cm_terrain_is_water(cm_map_terrain(m, x, y))) {
				wx = x, wy = y;
			} else if (lx < 0 && x > 20 && y > 20) {
				lx = x, ly = y;
			}
		}
	}
	assert_true(wx >= 0 && lx >= 0);
	assert_int_equal(cm_path_step_cost(m, 0, 0, -1, 0), -1);
	assert_int_equal(cm_path_step_cost(m, wx, wy - 1, wx, wy), -1);
	/* To water: no path; outside the bounds: none; start outside: EINVAL */
	assert_int_equal(cm_path_find(p, NULL, lx, ly, wx, wy, xs, ys, 4, &n,
	                     &cost, 1),
	    CM_ENOENT);
	assert_int_equal(cm_path_find(p, &r, 1, 1, 50, 50, xs, ys, 4, &n,
	                     &cost, 1),
	    CM_ENOENT);
	assert_int_equal(cm_path_find(p, &r, 50, 50, 1, 1, xs, ys, 4, &n,
	                     &cost, 1),
	    CM_EINVAL);
	/* A path longer than the caller's buffer: to a land tile 30 columns
	 * away (land is connected, so one is reachable). */
	tx = lx + 30 < 100 ? lx + 30 : lx - 30;
	ty = ly;
	while (cm_terrain_is_water(cm_map_terrain(m, tx, ty))) {
		ty = (ty + 1) % 100;
	}
	assert_int_equal(cm_path_find(p, NULL, lx, ly, tx, ty, xs, ys, 4, &n,
	                     &cost, 1),
	    CM_ENOMEM);
	cm_pather_free(p);
	cm_map_free(m);
}

/* The band of tiles the penalty test makes dear: y == band_y, x inside. */
static int band_y, band_x0, band_x1;

static int
band_penalty(void *ctx, int x, int y)
{
	(void) ctx;
	return (y == band_y && x > band_x0 && x < band_x1 ? 1000 : 0);
}

/*
 * A penalty makes tiles dearer: a straight row of land between two
 * tiles, with land rows on both sides, is left for the detour once it
 * costs eleven times as much, and the reported cost is the sum of the
 * penalized steps.
 */
static void
test_penalty(void **state)
{
	cm_map    *m;
	cm_pather *p;
	int        xs[64], ys[64], n, y = -1, x0 = -1;
	int64_t    plain, dear, sum = 0;

	(void) state;
	assert_int_equal(cm_map_generate(100, 100, 5, &m), CM_OK);
	for (int yy = 10; yy < 90 && y < 0; yy++) {
		for (int xx = 10; xx < 80 && y < 0; xx++) {
			bool land = true;

			for (int dy = -1; dy <= 1; dy++) {
				for (int dx = 0; dx <= 10; dx++) {
					land &= !cm_terrain_is_water(
					    cm_map_terrain(m, xx + dx, yy + dy));
				}
			}
			if (land) {
				y  = yy;
				x0 = xx;
			}
		}
	}
	assert_true(y >= 0);
	p = cm_pather_new(m);
	assert_int_equal(cm_path_find(p, NULL, x0, y, x0 + 10, y, xs, ys, 64,
	                     &n, &plain, 1),
	    CM_OK);
	band_y  = y;
	band_x0 = x0;
	band_x1 = x0 + 10;
	cm_pather_set_penalty(p, band_penalty, NULL);
	assert_int_equal(cm_path_find(p, NULL, x0, y, x0 + 10, y, xs, ys, 64,
	                     &n, &dear, 1),
	    CM_OK);
	assert_true(dear > plain);
	for (int i = 0, px = x0, py = y; i < n; i++) {
		int c = cm_path_step_cost(m, px, py, xs[i], ys[i]);

		sum += c + c * band_penalty(NULL, xs[i], ys[i]) / 100;
		px = xs[i];
		py = ys[i];
		assert_false(band_penalty(NULL, xs[i], ys[i]) > 0);
	}
	assert_int_equal(sum, dear);
	/* Without the penalty again: the straight, cheaper way. */
	cm_pather_set_penalty(p, NULL, NULL);
	assert_int_equal(cm_path_find(p, NULL, x0, y, x0 + 10, y, xs, ys, 64,
	                     &n, &dear, 1),
	    CM_OK);
	assert_int_equal(dear, plain);
	cm_pather_free(p);
	cm_map_free(m);
}

/* A fixed pattern of dear tiles for the landmark test: 0 to 300% more. */
static int
pattern_penalty(void *ctx, int x, int y)
{
	(void) ctx;
	return ((x * 7 + y * 13) % 5 == 0 ? 300 : (x + 2 * y) % 7 == 0 ? 50 : 0);
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (*s);
}

/*
 * The landmark heuristic keeps A* optimal: on maps of several sizes and
 * seeds, whole or inside random bounds, with and without a penalty, A*
 * (use_heuristic 1) returns Dijkstra's cost, or ENOENT exactly when
 * Dijkstra does, and a valid path; every fourth pair is checked against
 * brute force too, so a wrong Dijkstra would not go unseen.
 */
static void
test_landmarks_match_dijkstra(void **state)
{
	static const int size[][2] = { { 32, 32 }, { 48, 30 }, { 20, 44 } };
	int              xs[2048], ys[2048], n, found = 0, none = 0, dear = 0;
	int64_t          d[48 * 44];
	uint64_t         r = 0x9e3779b97f4a7c15ULL;

	(void) state;
	for (uint64_t seed = 1; seed <= 18; seed++) {
		int        w = size[seed % 3][0], h = size[seed % 3][1];
		cm_map    *m;
		cm_pather *p;

		assert_int_equal(cm_map_generate(w, h, seed * 31, &m), CM_OK);
		p = cm_pather_new(m);
		for (int k = 0; k < 80; k++) {
			cm_rect whole = { 0, 0, w - 1, h - 1 }, box, *b = NULL;
			int     x0 = (int) (xorshift(&r) % (uint64_t) w);
			int     y0 = (int) (xorshift(&r) % (uint64_t) h);
			int     x1 = (int) (xorshift(&r) % (uint64_t) w);
			int     y1 = (int) (xorshift(&r) % (uint64_t) h);
			int     (*pct)(void *, int, int) = NULL;
			int64_t ca, cd;
			cm_err  ra, rd;

			if (k % 2 == 1) { /* bounds holding both ends */
				box.x0 = (x0 < x1 ? x0 : x1) - (int) (xorshift(&r) % 4);
				box.y0 = (y0 < y1 ? y0 : y1) - (int) (xorshift(&r) % 4);
				box.x1 = (x0 > x1 ? x0 : x1) + (int) (xorshift(&r) % 4);
				box.y1 = (y0 > y1 ? y0 : y1) + (int) (xorshift(&r) % 4);
				box.x0 = box.x0 < 0 ? 0 : box.x0;
				box.y0 = box.y0 < 0 ? 0 : box.y0;
				box.x1 = box.x1 >= w ? w - 1 : box.x1;
				box.y1 = box.y1 >= h ? h - 1 : box.y1;
				b      = &box;
			}
			if (k % 4 >= 2) {
				pct = pattern_penalty;
			}
			if (cm_terrain_is_water(cm_map_terrain(m, x0, y0)) ||
			    (x0 == x1 && y0 == y1)) {
				continue;
			}
			cm_pather_set_penalty(p, pct, NULL);
			ra = cm_path_find(p, b, x0, y0, x1, y1, xs, ys, 2048, &n,
			    &ca, 1);
			if (ra == CM_OK) {
				check_path(m, b ? b : &whole, x0, y0, x1, y1, xs, ys,
				    n, ca, pct);
			}
			rd = cm_path_find(p, b, x0, y0, x1, y1, xs, ys, 2048, &n,
			    &cd, 0);
			assert_int_equal(ra, rd);
			if (k % 4 == 0 || k % 4 == 3) {
				brute(m, b ? b : &whole, x0, y0, d, pct);
				assert_true(rd == (d[y1 * w + x1] == INF ? CM_ENOENT
				                                         : CM_OK));
				if (rd == CM_OK) {
					assert_true(cd == d[y1 * w + x1]);
				}
			}
			if (ra != CM_OK) {
				assert_int_equal(ra, CM_ENOENT);
				none++;
				continue;
			}
			assert_true(ca == cd);
			check_path(m, b ? b : &whole, x0, y0, x1, y1, xs, ys, n, cd,
			    pct);
			found++;
			dear += pct != NULL;
		}
		cm_pather_free(p);
		cm_map_free(m);
	}
	assert_true(found > 800);
	assert_true(dear > 300);
	assert_true(none > 20); /* water goals, and goals walled off */
}

/* Steps dear enough to leave the open set's ring of 65536 costs. */
static int
huge_penalty(void *ctx, int x, int y)
{
	(void) ctx;
	return ((x * 3 + y * 5) % 4 == 0 ? 6000 : (x + y) % 3 == 0 ? 2500 : 0);
}

/*
 * Steps costing up to 170,000 (a ruins diagonal 61 times dearer) push
 * entries past the ring's window into its heap: A* and Dijkstra's search
 * still return brute force's cost and a valid path, inside bounds too.
 */
static void
test_dear_steps_beyond_ring(void **state)
{
	int      xs[2048], ys[2048], n, found = 0;
	int64_t  d[40 * 40], ca, cd;
	uint64_t r = 0x2545f4914f6cdd1dULL;

	(void) state;
	for (uint64_t seed = 1; seed <= 6; seed++) {
		cm_map    *m;
		cm_pather *p;
		cm_rect    whole = { 0, 0, 39, 39 }, box = { 3, 2, 30, 36 };

		assert_int_equal(cm_map_generate(40, 40, seed * 77, &m), CM_OK);
		p = cm_pather_new(m);
		cm_pather_set_penalty(p, huge_penalty, NULL);
		for (int k = 0; k < 30; k++) {
			const cm_rect *b  = k % 2 ? &box : &whole;
			int            x0 = b->x0 + (int) (xorshift(&r) % (uint64_t) (b->x1 - b->x0 + 1));
			int            y0 = b->y0 + (int) (xorshift(&r) % (uint64_t) (b->y1 - b->y0 + 1));
			int            x1 = b->x0 + (int) (xorshift(&r) % (uint64_t) (b->x1 - b->x0 + 1));
			int            y1 = b->y0 + (int) (xorshift(&r) % (uint64_t) (b->y1 - b->y0 + 1));
			cm_err         ra;

			if (cm_terrain_is_water(cm_map_terrain(m, x0, y0)) ||
			    (x0 == x1 && y0 == y1)) {
				continue;
			}
			brute(m, b, x0, y0, d, huge_penalty);
			ra = cm_path_find(p, b, x0, y0, x1, y1, xs, ys, 2048, &n,
			    &ca, 1);
			if (d[y1 * 40 + x1] == INF) {
				assert_int_equal(ra, CM_ENOENT);
				continue;
			}
			assert_int_equal(ra, CM_OK);
			assert_true(ca == d[y1 * 40 + x1]);
			check_path(m, b, x0, y0, x1, y1, xs, ys, n, ca,
			    huge_penalty);
			assert_int_equal(cm_path_find(p, b, x0, y0, x1, y1, xs, ys,
			                     2048, &n, &cd, 0),
			    CM_OK);
			assert_true(cd == ca);
			found++;
		}
		cm_pather_free(p);
		cm_map_free(m);
	}
	assert_true(found > 100);
}

/*
 * Maps with fewer land tiles than landmarks (1 x 1 to 7 x 5): the
 * missing landmarks' columns hold "unreached", which no bound uses; every
 * pair still gets brute force's answer.
 */
static void
test_tiny_maps(void **state)
{
	int     xs[64], ys[64], n, found = 0;
	int64_t d[7 * 7], cost;

	(void) state;
	for (int w = 1; w <= 7; w++) {
		for (int h = 1; h <= 5; h++) {
			cm_map    *m;
			cm_pather *p;
			cm_rect    all = { 0, 0, w - 1, h - 1 };

			assert_int_equal(cm_map_generate(w, h, (uint64_t) (w * 10 + h), &m),
			    CM_OK);
			p = cm_pather_new(m);
			for (int s = 0; s < w * h; s++) {
				if (cm_terrain_is_water(cm_map_terrain(m, s % w, s / w))) {
					continue;
				}
				brute(m, &all, s % w, s / w, d, NULL);
				for (int t = 0; t < w * h; t++) {
					cm_err rv = cm_path_find(p, NULL, s % w, s / w, t % w,
					    t / w, xs, ys, 64, &n, &cost, 1);

					if (t == s) {
						continue;
					}
					if (d[t] == INF) {
						assert_int_equal(rv, CM_ENOENT);
						continue;
					}
					assert_int_equal(rv, CM_OK);
					assert_true(cost == d[t]);
					check_path(m, &all, s % w, s / w, t % w, t / w, xs, ys,
					    n, cost, NULL);
					found++;
				}
			}
			cm_pather_free(p);
			cm_map_free(m);
		}
	}
	assert_true(found > 500);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_optimal_against_brute_force),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_penalty),
		cmocka_unit_test(test_landmarks_match_dijkstra),
		cmocka_unit_test(test_dear_steps_beyond_ring),
		cmocka_unit_test(test_tiny_maps),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
