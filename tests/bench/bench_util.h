/*
 * bench_util.h: shared helpers of the benchmark programs (header-only, as
 * each benchmark is a single file): monotonic time, medians, percentiles
 * and the one output format every figure uses, so that tests/bench/run.sh
 * can line figures up with their baselines.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec + (double) ts.tv_nsec / 1e9);
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return ((x > y) - (x < y));
}

/* bench_pct sorts v (n values) and returns its p-th percentile (0..100). */
static inline double
bench_pct(double *v, size_t n, double p)
{
	size_t i;

	qsort(v, n, sizeof(double), bench_cmp);
	i = (size_t) (p / 100.0 * (double) (n - 1) + 0.5);
	return (v[i < n ? i : n - 1]);
}

/* bench_print writes one figure: "figure NAME VALUE UNIT". */
static inline void
bench_print(const char *name, double value, const char *unit)
{
	printf("figure %s %.3f %s\n", name, value, unit);
	fflush(stdout);
}

#endif
