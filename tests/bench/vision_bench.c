/*
 * vision_bench.c: fog of war for one player over a whole region: the
 * levels of every tile of a 100 x 100 map (one shard owns it all) for a
 * premium player with 10 plots, a Watchtower and 5 armies, allied with 9
 * others of the same size (shard_vision_region), against a memset of the
 * same bytes as the baseline (the least a view of the map costs).
 *
 * prints "figure vision_region_us <microseconds per view>",
 * "figure vision_memset_us <...>" and "figure vision_tile_ns <one
 * tile's level (shard_vision_level), nanoseconds>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_time.h"
#include "shard_state.h"
#include "shard_vision.h"
#include "shard_world.h"

#define VIEWS 20000

static volatile uint8_t sink;

int
main(void)
{
	cm_layout     l;
	cm_generation g = { .id = 1, .map_seed = 1, .map_w = 100, .map_h = 100 };
	cm_metrics   *m = cm_metrics_new();
	shard_world  *w;
	sh_player    *obs = NULL;
	uint8_t      *lv;
	int64_t       t0, now = cm_time_now_ms();
	double        region, base, tile;
	int           tower = cm_building_index("watchtower");
	char          addr[43];

	cm_log_init("bench", -1);
	cm_assert(cm_layout_init(&l, 100, 100, 1) == CM_OK);
	cm_assert(shard_world_new(&l, 0, &g, m, &w) == CM_OK);
	for (int p = 0; p < 10; p++) {
		sh_player *pl;

		snprintf(addr, sizeof(addr), "0x%040d", p + 1);
		pl = shard_player_new(w, addr);
		pl->home = true;
		shard_set_alliance(w, pl, 1);
		for (int i = 0; i < 10; i++) {
			int x = 5 + (p % 5) * 18 + i % 4, y = 10 + (p / 5) * 45 + i / 4;

			shard_tile_set_owner(w, x, y, pl);
			if (i == 0) {
				sh_tile *t = shard_tile(w, x, y);

				t->b  = cm_calloc(1, sizeof(*t->b));
				t->nb = 1;
				t->b[0].type = (uint8_t) tower;
				t->b[0].hp   = 1000;
			}
		}
		for (int i = 0; i < 5; i++) {
			shard_army_new(w, (uint64_t) (p * 10 + i + 1), pl,
			    (p * 7 + i * 13) % 100, (p * 11 + i * 17) % 100);
		}
		obs = obs ? obs : pl;
	}
	lv = cm_malloc(100 * 100);
	t0 = cm_time_mono_ns();
	for (int i = 0; i < VIEWS; i++) {
		shard_vision_region(w, obs, lv, now);
		sink ^= lv[i % 10000];
	}
	region = (double) (cm_time_mono_ns() - t0) / VIEWS / 1000.0;
	t0 = cm_time_mono_ns();
	for (int i = 0; i < VIEWS; i++) {
		memset(lv, i & 1, 100 * 100);
		sink ^= lv[i % 10000];
	}
	base = (double) (cm_time_mono_ns() - t0) / VIEWS / 1000.0;
	t0 = cm_time_mono_ns();
	for (int i = 0; i < VIEWS * 10; i++) {
		sink ^= (uint8_t) shard_vision_level(w, obs, i % 100,
		    (i / 100) % 100, now);
	}
	tile = (double) (cm_time_mono_ns() - t0) / (VIEWS * 10);
	printf("figure vision_region_us %.2f microseconds per 100x100 view\n",
	    region);
	printf("figure vision_memset_us %.2f microseconds\n", base);
	printf("figure vision_tile_ns %.0f ns per tile\n", tile);
	free(lv);
	shard_world_free(w);
	cm_metrics_free(m);
	return (0);
}
