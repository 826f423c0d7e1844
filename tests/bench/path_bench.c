/*
 * path_bench.c: A* (cm_path_find) between random land tiles of a
 * generated map, against Dijkstra's search on the same pairs (the same
 * code without its heuristic) as the baseline.
 *
 *	path_bench W H QUERIES SEED
 *
 * prints "figure path_<W>_<astar|dijkstra>_<p50|p99|mean> <ms> ms", the
 * mean tiles expanded per search, and the time cm_pather_new takes (its
 * landmark searches: "figure path_<W>_prep <ms> ms").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_path.h"
#include "cm_time.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return ((x > y) - (x < y));
}

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (*s);
}

static void
run(cm_pather *p, const int *q, int nq, int heur, int w, const char *name)
{
	double *t = malloc((size_t) nq * sizeof(double)), sum = 0;
	int    *xs = malloc(1 << 22), *ys = malloc(1 << 22), n;
	long    expanded = 0;
	int64_t cost;

	for (int i = 0; i < nq; i++) {
		int64_t t0 = cm_time_mono_ns();

		if (cm_path_find(p, NULL, q[4 * i], q[4 * i + 1], q[4 * i + 2],
		        q[4 * i + 3], xs, ys, 1 << 20, &n, &cost,
		        heur) != CM_OK) {
			fprintf(stderr, "no path between land tiles?\n");
			exit(1);
		}
		t[i] = (double) (cm_time_mono_ns() - t0) / 1e6;
		sum += t[i];
		expanded += cm_path_expanded(p);
	}
	qsort(t, (size_t) nq, sizeof(double), cmp_double);
	printf("figure path_%d_%s_p50 %.3f ms\n", w, name, t[nq / 2]);
	printf("figure path_%d_%s_p99 %.3f ms\n", w, name,
	    t[(int) (nq * 0.99)]);
	printf("figure path_%d_%s_mean %.3f ms\n", w, name, sum / nq);
	printf("figure path_%d_%s_expanded %ld tiles\n", w, name,
	    expanded / nq);
	free(t);
	free(xs);
	free(ys);
}

int
main(int argc, char **argv)
{
	int        w, h, nq, k = 0;
	uint64_t   seed;
	cm_map    *m;
	cm_pather *p;
	int       *q;
	uint64_t   s = 88172645463325252ULL;
	int64_t    t0;

	if (argc != 5) {
		fprintf(stderr, "usage: path_bench W H QUERIES SEED\n");
		return (2);
	}
	w    = (int) strtol(argv[1], NULL, 10);
	h    = (int) strtol(argv[2], NULL, 10);
	nq   = (int) strtol(argv[3], NULL, 10);
	seed = strtoull(argv[4], NULL, 10);
	if (cm_map_generate(w, h, seed, &m) != CM_OK) {
		return (1);
	}
	t0 = cm_time_mono_ns();
	p  = cm_pather_new(m);
	printf("figure path_%d_prep %.3f ms\n", w,
	    (double) (cm_time_mono_ns() - t0) / 1e6);
	printf("figure path_%d_bytes_per_tile %.1f bytes\n", w,
	    (double) cm_pather_bytes(p) / ((double) w * (double) h));
	q = malloc((size_t) nq * 4 * sizeof(int));
	while (k < nq) {
		int x0 = (int) (rnd(&s) % (uint64_t) w),
		    y0 = (int) (rnd(&s) % (uint64_t) h),
		    x1 = (int) (rnd(&s) % (uint64_t) w),
		    y1 = (int) (rnd(&s) % (uint64_t) h);

		/* Pairs across the map: at least half its width apart. */
		if (cm_terrain_is_water(cm_map_terrain(m, x0, y0)) ||
		    cm_terrain_is_water(cm_map_terrain(m, x1, y1)) ||
		    abs(x1 - x0) + abs(y1 - y0) < w / 2) {
			continue;
		}
		q[4 * k]     = x0;
		q[4 * k + 1] = y0;
		q[4 * k + 2] = x1;
		q[4 * k + 3] = y1;
		k++;
	}
	run(p, q, nq, 1, w, "astar");
	run(p, q, nq, 0, w, "dijkstra");
	free(q);
	cm_pather_free(p);
	cm_map_free(m);
	return (0);
}
