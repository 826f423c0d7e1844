/*
 * timer_bench.c: the shard's timer heap with 1,000,000 pending timers:
 * schedule them (shard_timer_push) and fire them in due order
 * (shard_timer_pop), in-process, against qsort of the same due times as
 * the baseline (what ordering a million deadlines costs at least).
 *
 * prints "figure timer_<schedule|fire|qsort> <per second>" and
 * "figure timer_bytes <bytes per pending timer>".
 */
#include <stdio.h>
#include <stdlib.h>

#include "cm_log.h"
#include "cm_time.h"
#include "shard_state.h"
#include "shard_world.h"

#define N 1000000

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;

	return ((x > y) - (x < y));
}

int
main(void)
{
	cm_layout     l;
	cm_generation g = { .id = 1, .map_seed = 1, .map_w = 100, .map_h = 100 };
	cm_metrics   *m;
	shard_world  *w;
	int64_t      *due = malloc(N * sizeof(int64_t)), t0, last = -1;
	uint64_t      s = 88172645463325252ULL;
	sh_timer      t;
	double        sched, fire, sorted;
	long          fired = 0;

	cm_log_init("bench", -1);
	m = cm_metrics_new();
	if (cm_layout_init(&l, 100, 100, 1) != CM_OK ||
	    shard_world_new(&l, 0, &g, m, &w) != CM_OK) {
		return (1);
	}
	for (int i = 0; i < N; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		due[i] = (int64_t) (s % (50LL * 86400 * 1000));
	}
	t0 = cm_time_mono_ns();
	for (int i = 0; i < N; i++) {
		sh_timer x = { .id = (uint64_t) i + 1, .due_ms = due[i],
			.kind = SH_T_ARRIVAL, .entity = (uint64_t) i };

		shard_timer_push(w, &x);
	}
	sched = N / ((double) (cm_time_mono_ns() - t0) / 1e9);
	printf("figure timer_bytes %.1f bytes\n",
	    (double) (w->captimers * sizeof(sh_timer)) / (double) w->ntimers);
	t0 = cm_time_mono_ns();
	while (shard_timer_pop(w, INT64_MAX, &t)) {
		if (t.due_ms < last) {
			fprintf(stderr, "timers out of order\n");
			return (1);
		}
		last = t.due_ms;
		fired++;
	}
	fire = (double) fired / ((double) (cm_time_mono_ns() - t0) / 1e9);
	t0 = cm_time_mono_ns();
	qsort(due, N, sizeof(int64_t), cmp_i64);
	sorted = N / ((double) (cm_time_mono_ns() - t0) / 1e9);
	printf("figure timer_schedule %.0f per_s\n", sched);
	printf("figure timer_fire %.0f per_s\n", fire);
	printf("figure timer_qsort %.0f per_s\n", sorted);
	printf("figure timer_fired %ld count\n", fired);
	shard_world_free(w);
	cm_metrics_free(m);
	free(due);
	return (fired == N ? 0 : 1);
}
