/*
 * cm_placement_test.c: starting plots keep every rule of §3.2 (Outer Ring,
 * edge buffer, plains or forest, no Forsaken on or next to them, one
 * 8-connected cluster, 3 empty tiles from everyone else), stay inside
 * their region, follow the seed, report a full map, and are fast.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cm_placement.h"

#define MAXP 10

/* A world: who holds each tile (0 none, else player number). */
typedef struct world {
	const cm_map *m;
	int           w, h, players;
	int          *owner;
	long          calls;
} world;

static bool
occupied(void *ctx, int x, int y)
{
	world *wd = ctx;

	wd->calls++;
	assert_true(x >= 0 && y >= 0 && x < wd->w && y < wd->h);
	return (wd->owner[y * wd->w + x] != 0);
}

static void
world_init(world *wd, const cm_map *m)
{
	wd->m       = m;
	wd->w       = cm_map_width(m);
	wd->h       = cm_map_height(m);
	wd->players = 0;
	wd->calls   = 0;
	wd->owner   = calloc((size_t) (wd->w * wd->h), sizeof(int));
}

static int
cheb(int x0, int y0, int x1, int y1)
{
	int dx = abs(x1 - x0), dy = abs(y1 - y0);

	return (dx > dy ? dx : dy);
}

/*
 * check_plots: the rules every placement keeps, on the world as it was
 * before it; clear: no plot may touch a Forsaken village either.
 */
static void
check_plots(const world *wd, int n, const int *xs, const int *ys,
    const cm_rect *within, bool clear)
{
	const cm_map *m = wd->m;
	int           reached[MAXP] = { 1 }, more = 1;

	for (int i = 0; i < n; i++) {
		cm_terrain t = cm_map_terrain(m, xs[i], ys[i]);

		assert_in_range(xs[i], 3, wd->w - 4);
		assert_in_range(ys[i], 3, wd->h - 4);
		assert_int_equal(cm_map_zone_at(m, xs[i], ys[i]), CM_ZONE_OUTER);
		assert_true(t == CM_TERRAIN_PLAINS || t == CM_TERRAIN_FOREST);
		assert_int_equal(cm_map_forsaken(m, xs[i], ys[i], NULL),
		    CM_FORSAKEN_NONE);
		if (within != NULL) {
			assert_in_range(xs[i], within->x0, within->x1);
			assert_in_range(ys[i], within->y0, within->y1);
		}
		for (int j = 0; j < i; j++) {
			assert_false(xs[i] == xs[j] && ys[i] == ys[j]);
		}
		for (int y = ys[i] - 3; y <= ys[i] + 3; y++) {
			for (int x = xs[i] - 3; x <= xs[i] + 3; x++) {
				if (x >= 0 && y >= 0 && x < wd->w && y < wd->h) {
					assert_int_equal(wd->owner[y * wd->w + x], 0);
				}
			}
		}
		for (int y = ys[i] - 1; clear && y <= ys[i] + 1; y++) {
			for (int x = xs[i] - 1; x <= xs[i] + 1; x++) {
				assert_int_equal(cm_map_forsaken(m, x, y, NULL),
				    CM_FORSAKEN_NONE);
			}
		}
	}
	/* One 8-connected cluster. */
	while (more) {
		more = 0;
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n && !reached[i]; j++) {
				if (reached[j] &&
				    cheb(xs[i], ys[i], xs[j], ys[j]) == 1) {
					reached[i] = more = 1;
				}
			}
		}
	}
	for (int i = 0; i < n; i++) {
		assert_true(reached[i]);
	}
}

/* fill places players of 2 plots (every fifth of 10) until the map or
 * the region is full or max are placed; returns how many it placed. */
static int
fill(world *wd, const cm_rect *within, int max, uint64_t seed)
{
	int placed = 0;

	for (int p = 0; p < max; p++) {
		int    n = p % 5 == 4 ? 10 : 2, xs[MAXP], ys[MAXP];
		cm_err rv = cm_place_start(wd->m, n, seed + (uint64_t) p,
		    occupied, wd, within, xs, ys);

		if (rv == CM_ENOENT && n == 10) {
			continue; // a small one may still fit
		}
		if (rv == CM_ENOENT) {
			break;
		}
		assert_int_equal(rv, CM_OK);
		check_plots(wd, n, xs, ys, within, false);
		wd->players++;
		for (int i = 0; i < n; i++) {
			wd->owner[ys[i] * wd->w + xs[i]] = wd->players;
		}
		placed++;
	}
	return (placed);
}

/* check_pairs: tiles of different players are 4 or more apart. */
static void
check_pairs(const world *wd)
{
	int  n = wd->w * wd->h, k = 0;
	int *ts = malloc(sizeof(int) * (size_t) n);

	for (int t = 0; t < n; t++) {
		if (wd->owner[t] != 0) {
			ts[k++] = t;
		}
	}
	for (int i = 0; i < k; i++) {
		for (int j = 0; j < i; j++) {
			int a = ts[i], b = ts[j];

			if (wd->owner[a] != wd->owner[b]) {
				assert_true(cheb(a % wd->w, a / wd->w,
				                b % wd->w, b / wd->w) >= 4);
			}
		}
	}
	free(ts);
}

static void
test_place_rules_empty_map(void **state)
{
	(void) state;
	for (uint64_t ms = 1; ms <= 10; ms++) {
		cm_map *m;
		world   wd;

		assert_int_equal(cm_map_generate(100, 100, ms, &m), CM_OK);
		world_init(&wd, m);
		for (uint64_t s = 0; s < 50; s++) {
			int n = 1 + (int) (s % MAXP), xs[MAXP], ys[MAXP];

			assert_int_equal(cm_place_start(m, n, s, occupied, &wd,
			                     NULL, xs, ys),
			    CM_OK);
			check_plots(&wd, n, xs, ys, NULL, true);
		}
		/* Only tiles within reach of the Outer Ring are asked. */
		assert_true(wd.calls <= 50 * 100 * 100 - 50 * 65 * 65);
		free(wd.owner);
		cm_map_free(m);
	}
}

static void
test_place_200_players(void **state)
{
	cm_map *m;
	world   wd;
	int     placed, xs[MAXP], ys[MAXP];

	(void) state;
	for (uint64_t ms = 1; ms <= 3; ms++) {
		assert_int_equal(cm_map_generate(100, 100, ms, &m), CM_OK);
		world_init(&wd, m);
		placed = fill(&wd, NULL, 200, ms * 1000);
		printf("100x100 seed %llu: %d players placed before full\n",
		    (unsigned long long) ms, placed);
		/* The Outer Ring of 100 x 100 holds about 120 of them. */
		assert_true(placed >= 80);
		check_pairs(&wd);
		/* Full: nothing more fits anywhere. */
		assert_int_equal(cm_place_start(m, 2, 7, occupied, &wd, NULL,
		                     xs, ys),
		    CM_ENOENT);
		free(wd.owner);
		cm_map_free(m);
	}
}

static void
test_place_within_regions(void **state)
{
	cm_map   *m;
	cm_layout l;
	world     wd;

	(void) state;
	assert_int_equal(cm_map_generate(100, 100, 5, &m), CM_OK);
	assert_int_equal(cm_layout_init(&l, 100, 100, 4), CM_OK);
	world_init(&wd, m);
	/* Shards take turns, each in its own region; players near a
	 * border must respect the neighbours across it. */
	for (int round = 0; round < 40; round++) {
		for (int s = 0; s < 4; s++) {
			cm_rect r = cm_layout_region(&l, s);

			fill(&wd, &r, 1, (uint64_t) (round * 4 + s));
		}
	}
	check_pairs(&wd);
	for (int s = 0; s < 4; s++) {
		cm_rect r = cm_layout_region(&l, s);
		int     mine = 0;

		for (int y = r.y0; y <= r.y1; y++) {
			for (int x = r.x0; x <= r.x1; x++) {
				mine += wd.owner[y * 100 + x] != 0;
			}
		}
		assert_true(mine > 0);
	}
	free(wd.owner);
	cm_map_free(m);
}

static void
test_place_deterministic(void **state)
{
	cm_map *m;
	world   wd;
	int     xs[MAXP], ys[MAXP], xs2[MAXP], ys2[MAXP], differ = 0;

	(void) state;
	assert_int_equal(cm_map_generate(100, 100, 9, &m), CM_OK);
	world_init(&wd, m);
	fill(&wd, NULL, 30, 77);
	for (uint64_t s = 0; s < 20; s++) {
		assert_int_equal(cm_place_start(m, 10, s, occupied, &wd, NULL,
		                     xs, ys),
		    CM_OK);
		assert_int_equal(cm_place_start(m, 10, s, occupied, &wd, NULL,
		                     xs2, ys2),
		    CM_OK);
		assert_memory_equal(xs, xs2, sizeof(xs));
		assert_memory_equal(ys, ys2, sizeof(ys));
		assert_int_equal(cm_place_start(m, 10, s + 1000, occupied, &wd,
		                     NULL, xs2, ys2),
		    CM_OK);
		differ += xs[0] != xs2[0] || ys[0] != ys2[0];
	}
	assert_true(differ >= 18);
	free(wd.owner);
	cm_map_free(m);
}

static void
test_place_refusals(void **state)
{
	cm_map *m;
	world   wd;
	int     xs[MAXP] = { -7 }, ys[MAXP] = { -7 };
	cm_rect heart = { 45, 45, 55, 55 }, off = { 200, 200, 300, 300 };
	cm_rect bad = { 10, 10, 5, 20 }, edge = { 0, 0, 2, 99 };

	(void) state;
	assert_int_equal(cm_map_generate(100, 100, 2, &m), CM_OK);
	world_init(&wd, m);
	assert_int_equal(
	    cm_place_start(m, 0, 1, occupied, &wd, NULL, xs, ys), CM_EINVAL);
	assert_int_equal(
	    cm_place_start(m, 2, 1, occupied, &wd, &bad, xs, ys), CM_EINVAL);
	assert_int_equal(cm_place_start(m, 2, 1, occupied, &wd, &heart, xs,
	                     ys),
	    CM_ENOENT);
	assert_int_equal(
	    cm_place_start(m, 2, 1, occupied, &wd, &off, xs, ys), CM_ENOENT);
	assert_int_equal(
	    cm_place_start(m, 1, 1, occupied, &wd, &edge, xs, ys), CM_ENOENT);
	/* More plots than the Outer Ring holds in one piece. */
	assert_int_equal(
	    cm_place_start(m, 5000, 1, NULL, NULL, NULL, xs, ys), CM_ENOENT);
	assert_int_equal(xs[0], -7); // untouched on failure
	assert_int_equal(ys[0], -7);
	free(wd.owner);
	cm_map_free(m);
}

/*
 * A tile next to a Forsaken village is taken only when nothing clear
 * fits: boxed into a 1 x 1 region it is the answer; in a region that
 * also holds a clear tile, the clear one is.
 */
static void
test_place_forsaken_fallback(void **state)
{
	cm_map *m;
	int     tested = 0, xs[1], ys[1];

	(void) state;
	assert_int_equal(cm_map_generate(100, 100, 4, &m), CM_OK);
	for (int y = 3; y < 97 && tested < 20; y++) {
		for (int x = 3; x < 97 && tested < 20; x++) {
			cm_terrain t = cm_map_terrain(m, x, y);
			cm_rect    one = { x, y, x, y };
			bool       near = false;

			if (cm_map_zone_at(m, x, y) != CM_ZONE_OUTER ||
			    (t != CM_TERRAIN_PLAINS && t != CM_TERRAIN_FOREST)) {
				continue;
			}
			for (int k = 0; k < 9; k++) {
				near |= k != 4 &&
				    cm_map_forsaken(m, x + k % 3 - 1,
				        y + k / 3 - 1, NULL) != CM_FORSAKEN_NONE;
			}
			if (cm_map_forsaken(m, x, y, NULL) != CM_FORSAKEN_NONE) {
				assert_int_equal(cm_place_start(m, 1, 3, NULL,
				                     NULL, &one, xs, ys),
				    CM_ENOENT);
				continue;
			}
			assert_int_equal(
			    cm_place_start(m, 1, 3, NULL, NULL, &one, xs, ys),
			    CM_OK);
			assert_int_equal(xs[0], x);
			assert_int_equal(ys[0], y);
			tested += near;
		}
	}
	assert_int_equal(tested, 20);
	cm_map_free(m);
}

static double
ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((double) (b.tv_sec - a->tv_sec) * 1e3 +
	    (double) (b.tv_nsec - a->tv_nsec) / 1e6);
}

/* Timing, printed only (sanitizers and valgrind run this too). */
static void
test_place_speed(void **state)
{
	cm_map         *m;
	world           wd;
	struct timespec a;
	int             placed, xs[MAXP], ys[MAXP];
	cm_err          rv;

	(void) state;
	/* 1,000 players fit on 320 x 320; time the 1,000th. */
	assert_int_equal(cm_map_generate(320, 320, 1, &m), CM_OK);
	world_init(&wd, m);
	placed = fill(&wd, NULL, 999 * 5 / 4 + 1, 1);
	assert_true(placed >= 999);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 20; i++) {
		rv = cm_place_start(
		    m, 2, 99 + (uint64_t) i, occupied, &wd, NULL, xs, ys);
		assert_int_equal(rv, CM_OK);
	}
	printf("place one more after %d players, 320x320: %.3f ms\n", placed,
	    ms_since(&a) / 20);
	free(wd.owner);
	cm_map_free(m);
	/* On a full 100 x 100 map. */
	assert_int_equal(cm_map_generate(100, 100, 1, &m), CM_OK);
	world_init(&wd, m);
	placed = fill(&wd, NULL, 1000, 1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 100; i++) {
		(void) cm_place_start(m, 2, (uint64_t) i, occupied, &wd, NULL,
		    xs, ys);
	}
	printf("place on full 100x100 (%d players): %.3f ms\n", placed,
	    ms_since(&a) / 100);
	free(wd.owner);
	cm_map_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_place_rules_empty_map),
		cmocka_unit_test(test_place_200_players),
		cmocka_unit_test(test_place_within_regions),
		cmocka_unit_test(test_place_deterministic),
		cmocka_unit_test(test_place_refusals),
		cmocka_unit_test(test_place_forsaken_fallback),
		cmocka_unit_test(test_place_speed),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
