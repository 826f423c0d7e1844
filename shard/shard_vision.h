/*
 * shard_vision.h: fog of war (shard_vision.c): what a player may see of a
 * tile of this shard's region.
 */
#ifndef SHARD_VISION_H
#define SHARD_VISION_H

#include <stdint.h>

#include "shard_state.h"

/* The design's levels, from least to most seen. */
typedef enum sh_vis {
	SH_VIS_DISTANT = 0, /* terrain only */
	SH_VIS_ADJACENT,    /* presence: owned?, army?, its size, buildings? */
	SH_VIS_SCOUTED,     /* a live scout report (Scry, True Sight) */
	SH_VIS_ALLIED,      /* an ally's: all but the stock */
	SH_VIS_OWNED,       /* one's own: everything */
} sh_vis;

/* The implementation's base sight radius of land (§14.2). */
#define SH_RADIUS_LAND 2

/*
 * shard_vision_land_radius: how far tile t lets its owner see at now: the
 * widest vision radius of its standing buildings (the Watchtower's), else
 * SH_RADIUS_LAND; the race's bonus comes on top.
 */
int shard_vision_land_radius(const sh_tile *t, int64_t now);

/*
 * shard_vision_reach: the farthest any land sees (the widest building
 * radius and the largest race bonus): how deep the replica's band around
 * a region counts.  From the rules: a world keeps it (w->sight_reach).
 */
int shard_vision_reach(void);

/* shard_vision_name: "distant" .. "owned" (static). */
const char *shard_vision_name(sh_vis v);

/*
 * shard_vision_level is what obs (NULL: an anonymous asker) sees of tile
 * (x, y) of this region at now.  O(tiles and armies obs and its allies
 * have here).
 */
sh_vis shard_vision_level(shard_world *w, const sh_player *obs, int x, int y,
    int64_t now);

/*
 * shard_vision_region fills lv (w->rw * w->rh bytes, row-major from the
 * region's top left, as tile indices) with obs's level of every tile of
 * the region: the map view.  O(region + obs's sight).
 */
void shard_vision_region(shard_world *w, const sh_player *obs, uint8_t *lv,
    int64_t now);

/*
 * shard_vision_clouded: an Ash Cloud holds (x, y) at now: the tile is
 * seen at the distant level by those who would see it adjacent, and a
 * scout report of it tells counts at half its accuracy (shard_reads.c).
 */
bool shard_vision_clouded(shard_world *w, int x, int y, int64_t now);
/* shard_vision_scout: obs's live scout report on (x, y), or NULL. */
const sh_scout *shard_vision_scout(const sh_player *obs, int x, int y,
    int64_t now);

/* shard_army_strength: sum of (ATK + DEF) x count (§8.5). */
uint64_t shard_army_strength(const uint32_t *units);

/*
 * shard_vision_army_size is the design's size category of an army seen
 * from afar: strength = sum of (ATK + DEF) x count; "none" (0), "small"
 * (< 500), "medium" (< 2,000), "large" (< 5,000), "massive".
 */
const char *shard_vision_army_size(const uint32_t *units);

#endif
