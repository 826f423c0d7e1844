/*
 * shard_economy.h: the daily economic tick of a shard's region
 * (shard_economy.c; game-rules-facts §12).
 */
#ifndef SHARD_ECONOMY_H
#define SHARD_ECONOMY_H

#include <stdint.h>

#include "shard_world.h"

/*
 * shard_economy_day runs one day's tick over what this shard holds, in
 * the order of §12.2 as the design resolves it (each step once): the
 * production of every owned tile into its own stock, the mana of every
 * home player, the armies' food and starvation, the Breath-Born's
 * structure decay, trust and revolts, foreign soil, and the day's domain
 * points, which accumulate in sh_player.points.  day is the generation
 * day that just began (1..51; it decides the Heart's late bonus), now the
 * wall time of the tick (buildings completed by now produce; inactivity
 * is counted up to now in game days of w->time_scale).
 *
 * Every change is marked (shard_mark_*) for the next group commit; a
 * revolt also records a "territory_revolted" event.  The caller runs it
 * once per day: it keeps no record of the days it ran.  O(tiles held and
 * armies in the region, plus the players table); nothing is allocated
 * per player (one scratch array per tick, and the marks).  It reorders
 * each player's tiles vector by tile index.  Owner thread only.
 */
void shard_economy_day(shard_world *w, int day, int64_t now);

#endif
