/*
 * economy_bench.c: the daily economic tick (shard_economy_day) of a shard
 * owning a whole 1000 x 1000 map with 10,000 players, in-process, no
 * database (the world is built as in shard_memory_bench.c).
 *
 * Each player holds 10 tiles spread over the map, each with a Farm, a
 * Mine and a third building (Mage Tower, Barracks or Lumber Mill), idle
 * for 0 to 7 days (so trust decays in every band but the last), with
 * food in stock; it has 10 armies of three unit types on its tiles, one
 * of them on its neighbour's land (foreign soil).  The six races take
 * turns, so the Breath-Born's buildings decay and the Ashborn eat
 * nothing.  That is 100,000 tiles, 300,000 buildings and 100,000 armies.
 *
 * One run is one day's tick, its marks dropped before the next run
 * (untimed: the group commit's work is not the tick's); the figure is
 * the median of RUNS days.  The baseline is a plain pass over the same
 * tiles, buildings and armies, reached the same way (players table, each
 * player's tiles and armies by id), touching each once: what visiting
 * the state costs before any rule is applied.
 *
 * prints "figure economy_tick_ms <ms>" and "figure economy_baseline_ms
 * <ms>" (medians), in the format of bench_util.h.
 */
#include <stdio.h>
#include <string.h>

#include "bench_util.h"
#include "cm_alloc.h"
#include "cm_time.h"
#include "shard_economy.h"
#include "shard_persist.h"
#include "shard_state.h"
#include "shard_world.h"

#define MAP 1000
#define PLAYERS 10000
#define TILES_EACH 10
#define ARMIES_EACH 10
#define RUNS 7
#define DAY_MS (86400LL * 1000)

typedef struct baseline {
	shard_world *w;
	uint64_t     sum;
} baseline;

/* touch visits one player's tiles, buildings and armies once. */
static void
touch(void *arg, void *val)
{
	baseline        *b = arg;
	const sh_player *p = val;

	for (uint32_t i = 0; i < p->tiles.n; i++) {
		const sh_tile *t = &b->w->tiles[p->tiles.v[i]];

		for (int j = 0; j < t->nb; j++) {
			b->sum += (uint64_t) t->b[j].hp;
		}
		b->sum += (uint64_t) t->res.food + t->trust;
	}
	for (uint32_t i = 0; i < p->armies.n; i++) {
		const sh_army *a = cm_table_get_u64(b->w->armies,
		    p->armies.v[i]);

		for (int u = 0; u < CM_UNIT_COUNT; u++) {
			b->sum += a->units[u];
		}
		b->sum += a->morale + a->foreign_soil_days;
	}
}

static void
address(char out[SH_ADDR_LEN + 1], int i)
{
	snprintf(out, SH_ADDR_LEN + 1, "0x%040x", (unsigned) i * 2654435761u);
}

static sh_building
building(int64_t now, const char *id, uint64_t bid)
{
	int type = cm_building_index(id);

	return ((sh_building) { .id = bid, .type = (uint8_t) type,
	    .hp = cm_building(type)->hp, .done_ms = now - DAY_MS });
}

/* fill makes the players, their tiles, buildings and armies. */
static void
fill(shard_world *w, int64_t now)
{
	static const char *const third[] = { "magetower", "barracks",
		"lumbermill" };
	uint64_t army_id = 1, bid = 1;

	for (int i = 0; i < PLAYERS; i++) {
		char       addr[SH_ADDR_LEN + 1];
		sh_player *p;
		int        xs[TILES_EACH], ys[TILES_EACH];

		address(addr, i);
		p       = shard_player_new(w, addr);
		p->race = (uint8_t) (i % 6);
		p->cls  = (uint8_t) ((i / 6) % 6);
		p->mana = 20;
		for (int j = 0; j < TILES_EACH; j++) {
			int      k = (i * TILES_EACH + j) * 10;
			sh_tile *t;

			xs[j] = k % MAP;
			ys[j] = k / MAP;
			shard_tile_set_owner(w, xs[j], ys[j], p);
			t                   = shard_tile(w, xs[j], ys[j]);
			t->last_activity_ms = now - (j % 8) * DAY_MS;
			t->res.food         = 500;
			t->b    = cm_calloc(3, sizeof(*t->b));
			t->b[0] = building(now, "farm", bid++);
			t->b[1] = building(now, "mine", bid++);
			t->b[2] = building(now, third[j % 3], bid++);
			t->nb   = 3;
		}
		for (int j = 0; j < ARMIES_EACH; j++) {
			/* The last one stands on the next player's land. */
			int      k = ((i + 1) % PLAYERS) * TILES_EACH * 10;
			sh_army *a = j == ARMIES_EACH - 1
			    ? shard_army_new(w, army_id, p, k % MAP, k / MAP)
			    : shard_army_new(w, army_id, p, xs[j % TILES_EACH],
			          ys[j % TILES_EACH]);

			a->units[(i + j) % CM_UNIT_COUNT]     = 10;
			a->units[(i + j + 1) % CM_UNIT_COUNT] = 20;
			a->units[(i + j + 2) % CM_UNIT_COUNT] = 5;
			army_id++;
		}
	}
}

int
main(void)
{
	cm_layout     l;
	cm_generation g;
	cm_metrics   *metrics = cm_metrics_new();
	shard_world  *w;
	double        tick[RUNS], base[RUNS], t0;
	int64_t       now, points = 0;
	baseline      b;

	memset(&g, 0, sizeof(g));
	g.id       = 1;
	g.map_seed = 1;
	g.map_w    = MAP;
	g.map_h    = MAP;
	g.start_ms = cm_time_now_ms();
	g.end_ms   = g.start_ms + 50 * DAY_MS;
	if (cm_layout_init(&l, MAP, MAP, 1) != CM_OK ||
	    shard_world_new(&l, 0, &g, metrics, &w) != CM_OK) {
		fprintf(stderr, "economy_bench: cannot make the world\n");
		return (1);
	}
	now = g.start_ms + 10 * DAY_MS;
	fill(w, now);
	b.w   = w;
	b.sum = 0;
	for (int r = 0; r < RUNS; r++) {
		shard_persist_fini(w);
		t0 = bench_now();
		shard_economy_day(w, 11 + r, now + r * DAY_MS);
		tick[r] = (bench_now() - t0) * 1e3;
		t0      = bench_now();
		cm_table_each(w->players, touch, &b);
		base[r] = (bench_now() - t0) * 1e3;
	}
	fprintf(stderr,
	    "economy_bench: %d players, %d tiles, %d buildings, %zu armies; "
	    "last tick marked %u tiles, %u armies, %u players\n",
	    PLAYERS, PLAYERS * TILES_EACH, PLAYERS * TILES_EACH * 3,
	    cm_table_count(w->armies),
	    w->gathering ? w->gathering->tiles.n : 0,
	    w->gathering ? w->gathering->armies.n : 0,
	    w->gathering ? w->gathering->nplayers : 0);
	bench_print("economy_tick_ms", bench_pct(tick, RUNS, 50), "ms");
	bench_print("economy_baseline_ms", bench_pct(base, RUNS, 50), "ms");
	/* Every plot scored every day: the tick did its work. */
	points = 0;
	for (int i = 0; i < PLAYERS; i++) {
		char addr[SH_ADDR_LEN + 1];

		address(addr, i);
		points += shard_player(w, addr, false)->points;
	}
	shard_world_free(w);
	cm_metrics_free(metrics);
	if (points < (int64_t) PLAYERS * TILES_EACH * RUNS ||
	    b.sum == 0) {
		fprintf(stderr, "economy_bench: the tick did not score\n");
		return (1);
	}
	return (0);
}
