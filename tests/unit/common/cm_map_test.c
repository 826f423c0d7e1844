/*
 * cm_map_test.c: the shard layout covers every tile exactly once and
 * matches the seed's quadrants; zones; terrain determinism, water share,
 * seas, zone mix and connectivity; the Forsaken layer; the owner hash.
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

#include "cm_map.h"

/* map_hash of the 100 x 100 map of seed 1: terrain and Forsaken. */
#define MAP_SEED1_HASH 0xe5a0f997009c21e1ULL

/* layout_check: every tile is owned by exactly one region, and that
 * region's shard is what cm_layout_shard_of says. */
static void
layout_check(int w, int h, int s)
{
	cm_layout l;
	int      *owner = calloc((size_t) (w * h), sizeof(int));

	assert_int_equal(cm_layout_init(&l, w, h, s), CM_OK);
	for (int i = 0; i < s; i++) {
		cm_rect r = cm_layout_region(&l, i);

		assert_true(r.x0 <= r.x1 && r.y0 <= r.y1);
		for (int y = r.y0; y <= r.y1; y++) {
			for (int x = r.x0; x <= r.x1; x++) {
				assert_true(
				    x >= 0 && x < w && y >= 0 && y < h);
				assert_int_equal(owner[y * w + x], 0);
				owner[y * w + x] = i + 1;
			}
		}
	}
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			assert_int_equal(owner[y * w + x] - 1,
			    cm_layout_shard_of(&l, x, y));
		}
	}
	free(owner);
}

static void
test_layout_covers_every_tile_once(void **state)
{
	static const int counts[] = { 1, 2, 3, 4, 8, 16 };

	(void) state;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		layout_check(100, 100, counts[i]);
	}
	layout_check(7, 5, 3);
	layout_check(101, 99, 6);
	layout_check(1, 1, 1);
	layout_check(13, 17, 12);
	layout_check(4096, 64, 4096);
	/* Every count the closed form of cm_layout_shard_of must get right. */
	for (int s = 1; s <= 40; s++) {
		layout_check(37, 23, s);
	}
}

static void
test_layout_seed_quadrants(void **state)
{
	cm_layout     l;
	const cm_rect want[4] = { { 0, 0, 49, 49 }, { 50, 0, 99, 49 },
		{ 0, 50, 49, 99 }, { 50, 50, 99, 99 } };

	(void) state;
	assert_int_equal(cm_layout_init(&l, 100, 100, 4), CM_OK);
	assert_int_equal(l.rows, 2);
	assert_int_equal(l.cols, 2);
	for (int i = 0; i < 4; i++) {
		cm_rect r = cm_layout_region(&l, i);

		assert_memory_equal(&r, &want[i], sizeof(r));
	}
	assert_int_equal(cm_layout_shard_of(&l, 49, 49), 0);
	assert_int_equal(cm_layout_shard_of(&l, 50, 0), 1);
	assert_int_equal(cm_layout_shard_of(&l, 0, 50), 2);
	assert_int_equal(cm_layout_shard_of(&l, 99, 99), 3);
}

static void
test_layout_shapes(void **state)
{
	cm_layout l;

	(void) state;
	assert_int_equal(cm_layout_init(&l, 100, 100, 8), CM_OK);
	assert_int_equal(l.rows, 2); /* largest divisor <= sqrt(8) */
	assert_int_equal(l.cols, 4);
	assert_int_equal(cm_layout_init(&l, 100, 100, 16), CM_OK);
	assert_int_equal(l.rows, 4);
	assert_int_equal(cm_layout_init(&l, 100, 100, 7), CM_OK);
	assert_int_equal(l.rows, 1); /* a prime: one row of columns */
	assert_int_equal(l.cols, 7);
}

static void
test_layout_refusals(void **state)
{
	cm_layout l = { 0 };

	(void) state;
	assert_int_equal(cm_layout_init(&l, 0, 100, 4), CM_ERANGE);
	assert_int_equal(cm_layout_init(&l, 100, 4097, 4), CM_ERANGE);
	assert_int_equal(cm_layout_init(&l, 100, 100, 0), CM_ERANGE);
	assert_int_equal(cm_layout_init(&l, 3, 100, 5), CM_ERANGE);
	assert_int_equal(cm_layout_init(&l, 100, 1, 4), CM_ERANGE);
	assert_int_equal(cm_layout_init(&l, 2, 2, 5), CM_ERANGE);
	assert_int_equal(cm_layout_init(&l, 10, 10, -3), CM_ERANGE);
	assert_int_equal(l.w, 0); /* untouched on failure */
	assert_int_equal(cm_layout_init(&l, 2, 2, 4), CM_OK);
	assert_int_equal(cm_layout_init(&l, 4096, 4096, 1), CM_OK);
	assert_true(cm_layout_init(&l, 100, 100, 4) == CM_OK);
	assert_true(cm_layout_in_map(&l, 0, 0));
	assert_true(cm_layout_in_map(&l, 99, 99));
	assert_false(cm_layout_in_map(&l, -1, 0));
	assert_false(cm_layout_in_map(&l, 100, 5));
	assert_false(cm_layout_in_map(&l, 5, 100));
}

static void
test_zones_chebyshev_counts(void **state)
{
	int n[4] = { 0 };

	(void) state;
	for (int y = 0; y < 100; y++) {
		for (int x = 0; x < 100; x++) {
			n[cm_map_zone(100, 100, x, y)]++;
		}
	}
	assert_int_equal(n[CM_ZONE_HEART], 121);
	assert_int_equal(n[CM_ZONE_INNER], 1560);
	assert_int_equal(n[CM_ZONE_MIDDLE], 3360);
	assert_int_equal(n[CM_ZONE_OUTER], 4959);
	assert_string_equal(cm_zone_name(CM_ZONE_HEART), "heart");
	assert_string_equal(cm_terrain_name(CM_TERRAIN_RIVER), "river");
	assert_true(cm_terrain_is_water(CM_TERRAIN_RIVER));
	assert_false(cm_terrain_is_water(CM_TERRAIN_RUINS));
}

/*
 * land_reachable_all: a breadth-first search over 8-neighbour land steps
 * (the steps cm_path takes) from the first land tile reaches all land.
 */
static int
land_reachable_all(const cm_map *m)
{
	int   w = cm_map_width(m), h = cm_map_height(m), n = w * h;
	int  *q    = malloc(sizeof(int) * (size_t) n);
	char *seen = calloc((size_t) n, 1);
	int   head = 0, tail = 0, land = 0, reached = 0;

	for (int i = 0; i < n; i++) {
		if (!cm_terrain_is_water(cm_map_terrain(m, i % w, i / w))) {
			land++;
			if (tail == 0) {
				q[tail++] = i;
				seen[i]   = 1;
			}
		}
	}
	while (head < tail) {
		int t = q[head++], x = t % w, y = t / w;

		reached++;
		for (int dy = -1; dy <= 1; dy++) {
			for (int dx = -1; dx <= 1; dx++) {
				int nx = x + dx, ny = y + dy;

				if (nx < 0 || ny < 0 || nx >= w || ny >= h ||
				    seen[ny * w + nx] ||
				    cm_terrain_is_water(
				        cm_map_terrain(m, nx, ny))) {
					continue;
				}
				seen[ny * w + nx] = 1;
				q[tail++]         = ny * w + nx;
			}
		}
	}
	free(q);
	free(seen);
	return (reached == land);
}

/*
 * sea_sizes counts the 8-connected water bodies of m by size into
 * bins[min(size, 63)]; returns how many there are.
 */
static int
sea_sizes(const cm_map *m, int bins[64])
{
	int   w = cm_map_width(m), h = cm_map_height(m), n = w * h, seas = 0;
	int  *q    = malloc(sizeof(int) * (size_t) n);
	char *seen = calloc((size_t) n, 1);

	for (int s = 0; s < n; s++) {
		int head = 0, tail = 0;

		if (seen[s] ||
		    !cm_terrain_is_water(cm_map_terrain(m, s % w, s / w))) {
			continue;
		}
		seen[s]   = 1;
		q[tail++] = s;
		while (head < tail) {
			int t = q[head++], x = t % w, y = t / w;

			for (int dy = -1; dy <= 1; dy++) {
				for (int dx = -1; dx <= 1; dx++) {
					int nx = x + dx, ny = y + dy;

					if (nx < 0 || ny < 0 || nx >= w ||
					    ny >= h || seen[ny * w + nx] ||
					    !cm_terrain_is_water(cm_map_terrain(
					        m, nx, ny))) {
						continue;
					}
					seen[ny * w + nx] = 1;
					q[tail++]         = ny * w + nx;
				}
			}
		}
		bins[tail < 63 ? tail : 63]++;
		seas++;
	}
	free(q);
	free(seen);
	return (seas);
}

/*
 * map_hash is FNV-1a 64 over the terrain ids, row by row, then over the
 * Forsaken layer (type, then strength's low and high byte), row by row.
 */
static uint64_t
map_hash(const cm_map *m)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int y = 0; y < cm_map_height(m); y++) {
		for (int x = 0; x < cm_map_width(m); x++) {
			h ^= (uint64_t) cm_map_terrain(m, x, y);
			h *= 0x100000001b3ULL;
		}
	}
	for (int y = 0; y < cm_map_height(m); y++) {
		for (int x = 0; x < cm_map_width(m); x++) {
			uint32_t s;

			h ^= (uint64_t) cm_map_forsaken(m, x, y, &s);
			h *= 0x100000001b3ULL;
			h ^= s & 0xff;
			h *= 0x100000001b3ULL;
			h ^= s >> 8;
			h *= 0x100000001b3ULL;
		}
	}
	return (h);
}

static void
test_terrain_deterministic(void **state)
{
	cm_map *a, *b, *c;
	int     diff = 0;

	(void) state;
	assert_int_equal(cm_map_generate(100, 100, 1, &a), CM_OK);
	assert_int_equal(cm_map_generate(100, 100, 1, &b), CM_OK);
	assert_int_equal(cm_map_generate(100, 100, 2, &c), CM_OK);
	assert_int_equal(cm_map_width(a), 100);
	assert_int_equal(cm_map_height(a), 100);
	for (int y = 0; y < 100; y++) {
		for (int x = 0; x < 100; x++) {
			assert_int_equal(
			    cm_map_terrain(a, x, y), cm_map_terrain(b, x, y));
			diff +=
			    cm_map_terrain(a, x, y) != cm_map_terrain(c, x, y);
			assert_int_equal(cm_map_zone_at(a, x, y),
			    cm_map_zone(100, 100, x, y));
		}
	}
	assert_true(diff > 1000); /* another seed, another map */
	/*
	 * The map of seed 1, pinned: generation is integer arithmetic, so
	 * this holds on every machine; a change here changes every world.
	 */
	printf("map hash, 100x100 seed 1: 0x%016llx\n",
	    (unsigned long long) map_hash(a));
	assert_true(map_hash(a) == MAP_SEED1_HASH);
	cm_map_free(a);
	cm_map_free(b);
	cm_map_free(c);
	a = (cm_map *) 1;
	assert_int_equal(cm_map_generate(0, 10, 1, &a), CM_ERANGE);
	assert_int_equal(cm_map_generate(10, 4097, 1, &a), CM_ERANGE);
	assert_true(a == (cm_map *) 1); /* untouched on failure */
}

static void
test_terrain_shares(void **state)
{
	long zt[4][CM_TERRAIN_COUNT] = { { 0 } }, zn[4] = { 0 };

	(void) state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		cm_map *m;
		int     n[CM_TERRAIN_COUNT] = { 0 }, zwater[4] = { 0 };

		assert_int_equal(cm_map_generate(100, 100, seed, &m), CM_OK);
		for (int y = 0; y < 100; y++) {
			for (int x = 0; x < 100; x++) {
				cm_terrain t = cm_map_terrain(m, x, y);
				cm_zone    z = cm_map_zone_at(m, x, y);

				n[t]++;
				zt[z][t]++;
				zn[z]++;
				zwater[z] += cm_terrain_is_water(t);
			}
		}
		if (seed == 1) {
			printf("terrain shares, 100x100 seed 1:");
			for (int t = 0; t < CM_TERRAIN_COUNT; t++) {
				printf(" %s %.1f%%",
				    cm_terrain_name((cm_terrain) t),
				    n[t] / 100.0);
			}
			printf("\n");
		}
		/* Water 12-18% of the map, none near the centre, more
		 * toward the edges (per tile of each ring). */
		assert_in_range(n[CM_TERRAIN_RIVER], 1200, 1800);
		assert_int_equal(zwater[CM_ZONE_HEART], 0);
		assert_int_equal(zwater[CM_ZONE_INNER], 0);
		assert_true(zwater[CM_ZONE_OUTER] * 3360L >
		    zwater[CM_ZONE_MIDDLE] * 4959L);
		assert_true(n[CM_TERRAIN_PLAINS] > n[CM_TERRAIN_RIVER]);
		assert_true(land_reachable_all(m));
		cm_map_free(m);
	}
	assert_true(zt[CM_ZONE_OUTER][CM_TERRAIN_RIVER] * 3360L >
	    zt[CM_ZONE_MIDDLE][CM_TERRAIN_RIVER] * 4959L * 3 / 2);
	/* Zone mix over the 20 maps: the heart is Titan-Touched, the
	 * inner ring Titan-Touched and mountains, the outer ring mostly
	 * plains and forest (§4.2, §4.5). */
	assert_true(zt[CM_ZONE_HEART][CM_TERRAIN_CORRUPTION] * 100 >=
	    zn[CM_ZONE_HEART] * 90);
	assert_true((zt[CM_ZONE_INNER][CM_TERRAIN_CORRUPTION] +
	                zt[CM_ZONE_INNER][CM_TERRAIN_MOUNTAIN]) *
	        100 >=
	    zn[CM_ZONE_INNER] * 60);
	assert_true(zt[CM_ZONE_INNER][CM_TERRAIN_CORRUPTION] * 100 >=
	    zn[CM_ZONE_INNER] * 25);
	assert_true((zt[CM_ZONE_OUTER][CM_TERRAIN_PLAINS] +
	                zt[CM_ZONE_OUTER][CM_TERRAIN_FOREST]) *
	        100 >=
	    zn[CM_ZONE_OUTER] * 60);
	assert_true((zt[CM_ZONE_OUTER][CM_TERRAIN_PLAINS] +
	                zt[CM_ZONE_OUTER][CM_TERRAIN_FOREST]) *
	        100 >=
	    (zn[CM_ZONE_OUTER] - zt[CM_ZONE_OUTER][CM_TERRAIN_RIVER]) * 90);
	assert_int_equal(zt[CM_ZONE_OUTER][CM_TERRAIN_CORRUPTION] +
	        zt[CM_ZONE_MIDDLE][CM_TERRAIN_CORRUPTION],
	    0);
	assert_true(zt[CM_ZONE_MIDDLE][CM_TERRAIN_MOUNTAIN] > 0);
	assert_true(zt[CM_ZONE_MIDDLE][CM_TERRAIN_RUINS] > 0);
}

static void
test_terrain_seas(void **state)
{
	int bins[64] = { 0 }, seas = 0;

	(void) state;
	for (uint64_t seed = 1; seed <= 30; seed++) {
		cm_map *m;

		assert_int_equal(cm_map_generate(100, 100, seed, &m), CM_OK);
		seas += sea_sizes(m, bins);
		cm_map_free(m);
	}
	/* Every body of water is one sea of 10 to 30 tiles. */
	for (int i = 0; i < 64; i++) {
		if (i < 10 || i > 30) {
			assert_int_equal(bins[i], 0);
		}
	}
	assert_true(seas >= 30 * 1500 / 30);
}

static void
test_terrain_connected_many_seeds(void **state)
{
	(void) state;
	for (uint64_t seed = 100; seed < 300; seed++) {
		cm_map *m;
		int     water = 0;

		assert_int_equal(cm_map_generate(100, 100, seed, &m), CM_OK);
		assert_true(land_reachable_all(m));
		for (int i = 0; i < 10000; i++) {
			water += cm_terrain_is_water(
			    cm_map_terrain(m, i % 100, i / 100));
		}
		assert_in_range(water, 1200, 1800);
		cm_map_free(m);
	}
}

static void
test_terrain_speed(void **state)
{
	struct timespec a, b;
	double          ms;
	cm_map         *m;

	(void) state;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (uint64_t seed = 1; seed <= 20; seed++) {
		assert_int_equal(cm_map_generate(100, 100, seed, &m), CM_OK);
		cm_map_free(m);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = ((double) (b.tv_sec - a.tv_sec) * 1e3 +
	         (double) (b.tv_nsec - a.tv_nsec) / 1e6) /
	    20;
	printf("cm_map_generate 100x100: %.3f ms\n", ms);
}

/* forsaken_count tallies the Forsaken layer of m; checks its rules. */
static void
forsaken_count(const cm_map *m, long land[4], long found[4], long types[5])
{
	static const uint32_t lo[5]   = { 0, 20, 50, 150, 400 };
	static const uint32_t hi[5]   = { 0, 50, 150, 400, 1000 };
	static const uint32_t mult[4] = { 80, 100, 130, 160 };

	for (int y = 0; y < cm_map_height(m); y++) {
		for (int x = 0; x < cm_map_width(m); x++) {
			uint32_t         s = 12345, s2;
			cm_forsaken_type f = cm_map_forsaken(m, x, y, &s);
			cm_zone          z = cm_map_zone_at(m, x, y);

			assert_int_equal(cm_map_forsaken(m, x, y, NULL), f);
			(void) cm_map_forsaken(m, x, y, &s2);
			assert_int_equal(s, s2);
			if (cm_terrain_is_water(cm_map_terrain(m, x, y))) {
				assert_int_equal(f, CM_FORSAKEN_NONE);
				assert_int_equal(s, 0);
				continue;
			}
			land[z]++;
			types[f]++;
			if (f == CM_FORSAKEN_NONE) {
				assert_int_equal(s, 0);
				continue;
			}
			found[z]++;
			assert_in_range(f, CM_FORSAKEN_HAMLET,
			    CM_FORSAKEN_STRONGHOLD);
			assert_in_range(s, lo[f] * mult[z] / 100,
			    hi[f] * mult[z] / 100);
		}
	}
}

static void
test_forsaken(void **state)
{
	static const int density[4] = { 15, 25, 35, 50 };
	static const int share[5]   = { 0, 50, 30, 15, 5 };
	long land[4] = { 0 }, found[4] = { 0 }, types[5] = { 0 }, all = 0;
	cm_map *a, *b;
	int     same = 0, diff = 0;

	(void) state;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		cm_map *m;

		assert_int_equal(cm_map_generate(100, 100, seed, &m), CM_OK);
		forsaken_count(m, land, found, types);
		cm_map_free(m);
	}
	for (int z = 0; z < 4; z++) {
		long pct10 = found[z] * 1000 / land[z]; // tenths of a percent

		printf("forsaken %s: %.1f%% of %ld land tiles\n",
		    cm_zone_name((cm_zone) z), pct10 / 10.0, land[z]);
		/* tolerance: about 4 standard deviations */
		assert_in_range(pct10, density[z] * 10 - (z == 3 ? 60 : 20),
		    density[z] * 10 + (z == 3 ? 60 : 20));
	}
	for (int f = 1; f < 5; f++) {
		all += types[f];
	}
	for (int f = 1; f < 5; f++) {
		long pct10 = types[f] * 1000 / all;

		printf("forsaken %s: %.1f%%\n",
		    cm_forsaken_type_name((cm_forsaken_type) f), pct10 / 10.0);
		assert_in_range(pct10, share[f] * 10 - 25, share[f] * 10 + 25);
	}
	assert_string_equal(cm_forsaken_type_name(CM_FORSAKEN_NONE), "none");
	assert_string_equal(
	    cm_forsaken_type_name(CM_FORSAKEN_STRONGHOLD), "stronghold");
	assert_string_equal(cm_forsaken_type_name(9), "unknown");
	/* The layer follows the seed. */
	assert_int_equal(cm_map_generate(100, 100, 7, &a), CM_OK);
	assert_int_equal(cm_map_generate(100, 100, 8, &b), CM_OK);
	for (int y = 0; y < 100; y++) {
		for (int x = 0; x < 100; x++) {
			cm_forsaken_type fa = cm_map_forsaken(a, x, y, NULL);

			same += fa != CM_FORSAKEN_NONE &&
			    fa == cm_map_forsaken(b, x, y, NULL);
			diff += fa != cm_map_forsaken(b, x, y, NULL);
		}
	}
	assert_true(diff > 1000);
	assert_true(same < 600);
	cm_map_free(a);
	cm_map_free(b);
}

static void
test_terrain_connected_odd_sizes(void **state)
{
	static const int sizes[][2] = { { 1, 1 }, { 2, 1 }, { 60, 40 },
		{ 7, 300 }, { 257, 131 } };

	(void) state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (uint64_t s = 3; s < 8; s++) {
			cm_map *m;

			assert_int_equal(
			    cm_map_generate(sizes[i][0], sizes[i][1], s, &m),
			    CM_OK);
			assert_true(land_reachable_all(m));
			cm_map_free(m);
		}
	}
}

static void
test_owner_hash(void **state)
{
	(void) state;
	/* FNV-1a 64 test vectors (Fowler/Noll/Vo reference). */
	assert_true(cm_fnv1a64("", 0) == 0xcbf29ce484222325ULL);
	assert_true(cm_fnv1a64("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(cm_fnv1a64("foobar", 6) == 0x85944171f73967e8ULL);
	assert_int_equal(cm_owner_shard_of_id("a", 1, 4),
	    (int) (0xaf63dc4c8601ec8cULL % 4));
	assert_int_equal(cm_owner_shard_of_id("anything", 8, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_covers_every_tile_once),
		cmocka_unit_test(test_layout_seed_quadrants),
		cmocka_unit_test(test_layout_shapes),
		cmocka_unit_test(test_layout_refusals),
		cmocka_unit_test(test_zones_chebyshev_counts),
		cmocka_unit_test(test_terrain_deterministic),
		cmocka_unit_test(test_terrain_shares),
		cmocka_unit_test(test_terrain_seas),
		cmocka_unit_test(test_terrain_connected_many_seeds),
		cmocka_unit_test(test_terrain_connected_odd_sizes),
		cmocka_unit_test(test_terrain_speed),
		cmocka_unit_test(test_forsaken),
		cmocka_unit_test(test_owner_hash),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
