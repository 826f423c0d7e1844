/*
 * shard_memory_bench.c: the memory a shard needs for a 1000 x 1000 map
 * with 10,000 players and 100,000 armies (target: under 1 GiB).
 *
 * In-process, no database: one shard owning the whole map (SHARD_COUNT 1)
 * is made with shard_world_new, then filled through shard_state.h as the
 * actions fill it: 10,000 players each owning 10 tiles (spread over the
 * map), and 10 armies per player standing on its tiles, with three unit
 * types each.  Those functions mark what they change (shard_mark_*), so
 * the gathering group then lists every entity: that is what a shard holds
 * for a moment before a commit, reported apart and then freed
 * (shard_persist_fini).
 *
 * Prints (MiB): VmRSS at start, with the empty world, full (with the
 * marks), after freeing the marks (malloc_trim), the heap the marks held
 * (mallinfo2), and shard_world_memory's own estimate.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "bench_util.h"
#include "cm_time.h"
#include "shard_persist.h"
#include "shard_state.h"
#include "shard_world.h"

#define MAP 1000
#define PLAYERS 10000
#define TILES_EACH 10
#define ARMIES_EACH 10
#define MIB (1024.0 * 1024.0)

/* rss_mib: VmRSS of this process from /proc/self/status. */
static double
rss_mib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char  line[256];
	long  kb = -1;

	if (f == NULL) {
		return (-1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) {
			break;
		}
	}
	fclose(f);
	return ((double) kb / 1024.0);
}

/* heap_bytes: bytes malloc has handed out (arenas and mmapped blocks). */
static double
heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return ((double) mi.uordblks + (double) mi.hblkhd);
}

int
main(void)
{
	cm_layout     l;
	cm_generation g;
	cm_metrics   *metrics = cm_metrics_new();
	shard_world  *w;
	double        rss_start, rss_empty, rss_full, rss_freed, heap_full;
	double        t0, t_fill;
	uint64_t      army_id = 1;
	size_t        marked_tiles, marked_armies, marked_players;

	rss_start = rss_mib();
	memset(&g, 0, sizeof(g));
	g.id       = 1;
	g.map_seed = 1;
	g.map_w    = MAP;
	g.map_h    = MAP;
	g.start_ms = cm_time_now_ms();
	if (cm_layout_init(&l, MAP, MAP, 1) != CM_OK ||
	    shard_world_new(&l, 0, &g, metrics, &w) != CM_OK) {
		fprintf(stderr, "shard_memory_bench: cannot make the world\n");
		return (1);
	}
	rss_empty = rss_mib();

	t0 = bench_now();
	for (int i = 0; i < PLAYERS; i++) {
		char       addr[SH_ADDR_LEN + 1];
		sh_player *p;
		int        xs[TILES_EACH], ys[TILES_EACH];

		snprintf(addr, sizeof(addr), "0x%040x", (unsigned) i * 2654435761u);
		p                = shard_player_new(w, addr);
		p->race          = (uint8_t) (i % 6);
		p->cls           = (uint8_t) ((i / 6) % 6);
		p->skill         = (uint8_t) (i % 2);
		p->registered_ms = g.start_ms;
		p->mana          = 100;
		snprintf(p->captain, sizeof(p->captain), "captain %d", i);
		/* Tiles spread over the whole map: every 10th tile is owned. */
		for (int j = 0; j < TILES_EACH; j++) {
			int k = (i * TILES_EACH + j) * 10;

			xs[j] = k % MAP;
			ys[j] = k / MAP;
			shard_tile_set_owner(w, xs[j], ys[j], p);
		}
		for (int j = 0; j < ARMIES_EACH; j++) {
			sh_army *a = shard_army_new(w, army_id, p,
			    xs[j % TILES_EACH], ys[j % TILES_EACH]);

			a->units[(i + j) % CM_UNIT_COUNT]     = 10;
			a->units[(i + j + 1) % CM_UNIT_COUNT] = 20;
			a->units[(i + j + 2) % CM_UNIT_COUNT] = 5;
			shard_mark_army(w, army_id);
			army_id++;
		}
		shard_mark_player(w, p);
	}
	t_fill = bench_now() - t0;
	rss_full       = rss_mib();
	heap_full      = heap_bytes();
	marked_tiles   = w->gathering ? w->gathering->tiles.n : 0;
	marked_armies  = w->gathering ? w->gathering->armies.n : 0;
	marked_players = w->gathering ? w->gathering->nplayers : 0;

	/* The marks a commit would take: what they hold, then free them. */
	shard_persist_fini(w);
	malloc_trim(0);
	rss_freed = rss_mib();

	fprintf(stderr,
	    "shard_memory_bench: %d players, %zu armies, %d tiles owned of "
	    "%d, filled in %.2f s; marks: %zu tiles, %zu armies, %zu players\n",
	    PLAYERS, (size_t) cm_table_count(w->armies),
	    PLAYERS * TILES_EACH, MAP * MAP, t_fill, marked_tiles,
	    marked_armies, marked_players);
	bench_print("mem_rss_start", rss_start, "MiB");
	bench_print("mem_rss_empty_world", rss_empty, "MiB");
	bench_print("mem_rss_full", rss_full, "MiB");
	bench_print("mem_rss_marks_freed", rss_freed, "MiB");
	bench_print("mem_marks", (heap_full - heap_bytes()) / MIB, "MiB");
	bench_print("mem_world_estimate", (double) shard_world_memory(w) / MIB,
	    "MiB");
	shard_world_free(w);
	cm_metrics_free(metrics);
	return (0);
}
