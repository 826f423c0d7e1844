/*
 * shard_vision.c: fog of war, decided in the shard.
 *
 * The design's five levels (game-rules-facts §14): a player sees its own
 * tiles whole (owned), its allies' nearly whole (allied), tiles it holds
 * a live scout report on (scouted), tiles near its land or armies with
 * presence only (adjacent), and the terrain elsewhere (distant).  "Near"
 * is the implementation's rule (§14.2): Chebyshev distance 2 from an
 * owned or allied tile (4 from one with a completed Watchtower), 1 from
 * one of its armies, every radius +2 for the Sylvaeth and +1 for the
 * Breath-Born.  An Ash Cloud on a tile (shard_ground.c) keeps nearness
 * out: who would see it adjacent sees it distant.  What each level shows
 * of a tile is in shard_vision_territory; docs/rules.md has the table.
 *
 * Every read that shows another player's state goes through here, so no
 * route can show a field its level hides.  A shard holds the land and
 * armies of its own region; near a region's border, a player's and its
 * allies' land across it counts through the map-wide replica
 * (shard_replica.h: each tile's owner and sight radius; the armies
 * standing near a border), and every player's alliance is known
 * everywhere.
 */
#include <string.h>

#include "cm_time.h"
#include "shard_replica.h"
#include "shard_state.h"
#include "shard_vision.h"

/* The implementation's base radii (§14.2); the race bonuses and the
 * Watchtower's radius are the rules file's. */
#define RADIUS_LAND SH_RADIUS_LAND
#define RADIUS_ARMY 1

static const char *const level_names[] = { "distant", "adjacent",
	"scouted", "allied", "owned" };

const char *
shard_vision_name(sh_vis v)
{
	return ((unsigned) v <= SH_VIS_OWNED ? level_names[v] : "distant");
}

static int
race_bonus(const sh_player *p)
{
	const cm_race_def *r = cm_race(p->race);

	return (r != NULL ? r->vision_bonus : 0);
}

static bool
allies(const sh_player *a, const sh_player *b)
{
	return (a != NULL && b != NULL && a != b && a->alliance_id != 0 &&
	    a->alliance_id == b->alliance_id);
}

int
shard_vision_land_radius(const sh_tile *t, int64_t now)
{
	int r = RADIUS_LAND;

	for (int i = 0; i < t->nb; i++) {
		const cm_building_def *b = cm_building(t->b[i].type);

		if (b != NULL && t->b[i].done_ms <= now && t->b[i].hp > 0 &&
		    b->effects.vision_radius > r) {
			r = b->effects.vision_radius;
		}
	}
	return (r);
}

/* allies_here: the members of obs's alliance homed here, or NULL. */
static const sh_vec *
allies_here(shard_world *w, const sh_player *obs)
{
	return (obs->alliance_id != 0
	        ? cm_table_get_u64(w->members, obs->alliance_id)
	        : NULL);
}

static const sh_player *
member(const sh_vec *members, uint32_t i)
{
	return ((const sh_player *) (uintptr_t) members->v[i]);
}

static int
cheb(int x0, int y0, int x1, int y1)
{
	int dx = x0 > x1 ? x0 - x1 : x1 - x0;
	int dy = y0 > y1 ? y0 - y1 : y1 - y0;

	return (dx > dy ? dx : dy);
}

/* near_land: some tile of p's within its sight radius of (x, y). */
static bool
near_land(shard_world *w, const sh_player *p, int x, int y, int bonus,
    int64_t now)
{
	for (uint32_t i = 0; i < p->tiles.n; i++) {
		const sh_tile *t = &w->tiles[p->tiles.v[i]];
		int            tx, ty;

		shard_tile_xy(w, (uint32_t) p->tiles.v[i], &tx, &ty);
		if (cheb(tx, ty, x, y) <= shard_vision_land_radius(t, now) + bonus) {
			return (true);
		}
	}
	return (false);
}

static bool
near_army(shard_world *w, const sh_player *p, int x, int y, int bonus)
{
	for (uint32_t i = 0; i < p->armies.n; i++) {
		const sh_army *a = cm_table_get_u64(w->armies, p->armies.v[i]);

		if (a != NULL && cheb(a->x, a->y, x, y) <= RADIUS_ARMY + bonus) {
			return (true);
		}
	}
	return (false);
}

int
shard_vision_reach(void)
{
	int r = RADIUS_LAND, bonus = 0;

	for (int i = 0; i < CM_BUILDING_COUNT; i++) {
		const cm_building_def *b = cm_building(i);

		if (b != NULL && b->effects.vision_radius > r) {
			r = b->effects.vision_radius;
		}
	}
	for (int i = 0; i < CM_RACE_COUNT; i++) {
		if (cm_race(i) != NULL && cm_race(i)->vision_bonus > bonus) {
			bonus = cm_race(i)->vision_bonus;
		}
	}
	return (r + bonus);
}

/* sees_from: p is obs or its ally, so its land lets obs see. */
static bool
sees_from(const sh_player *p, const sh_player *obs)
{
	return (p != NULL && (p == obs || allies(p, obs)));
}

/*
 * near_border_land: land of obs's or an ally's across the region's border
 * (the replica) sees (x, y).
 */
static bool
near_border_land(shard_world *w, const sh_player *obs, int x, int y)
{
	int R = w->sight_reach;

	if (x - w->region.x0 >= R && w->region.x1 - x >= R &&
	    y - w->region.y0 >= R && w->region.y1 - y >= R) {
		return (false);
	}
	for (int ty = y - R; ty <= y + R; ty++) {
		for (int tx = x - R; tx <= x + R; tx++) {
			const sh_player *p = shard_replica_owner(w, tx, ty);

			if (!shard_owns_tile(w, tx, ty) && sees_from(p, obs) &&
			    cheb(tx, ty, x, y) <=
			        shard_replica_sight(w, tx, ty) + race_bonus(p)) {
				return (true);
			}
		}
	}
	return (false);
}

static void stamp(shard_world *w, uint8_t *lv, int cx, int cy, int r,
    sh_vis v);

typedef struct army_stamp {
	shard_world *w;
	uint8_t     *lv;
	int          r;
} army_stamp;

static void
stamp_army_at(void *ctx, int x, int y)
{
	army_stamp *c = ctx;

	stamp(c->w, c->lv, x, y, c->r, SH_VIS_ADJACENT);
}

/* stamp_border raises what obs's and its allies' land across the border
 * lets obs see of the region (the replica's band around it). */
static void
stamp_border(shard_world *w, uint8_t *lv, const sh_player *obs)
{
	int R = w->sight_reach;

	for (int ty = w->region.y0 - R; ty <= w->region.y1 + R; ty++) {
		for (int tx = w->region.x0 - R; tx <= w->region.x1 + R; tx++) {
			const sh_player *p;

			if (tx >= w->region.x0 && tx <= w->region.x1 &&
			    ty >= w->region.y0 && ty <= w->region.y1) {
				tx = w->region.x1; /* skip the region's row */
				continue;
			}
			p = shard_replica_owner(w, tx, ty);
			if (sees_from(p, obs)) {
				stamp(w, lv, tx, ty,
				    shard_replica_sight(w, tx, ty) + race_bonus(p),
				    SH_VIS_ADJACENT);
			}
		}
	}
}

sh_vis
shard_vision_level(shard_world *w, const sh_player *obs, int x, int y,
    int64_t now)
{
	const sh_tile *t = shard_tile(w, x, y);
	const sh_vec  *members;
	int            bonus;

	if (obs == NULL || t == NULL) {
		return (SH_VIS_DISTANT);
	}
	if (t->owner == obs) {
		return (SH_VIS_OWNED);
	}
	if (allies(t->owner, obs)) {
		return (SH_VIS_ALLIED);
	}
	if (shard_vision_scout(obs, x, y, now) != NULL) {
		return (SH_VIS_SCOUTED);
	}
	if (shard_vision_clouded(w, x, y, now)) {
		return (SH_VIS_DISTANT); /* nearness sees nothing through it */
	}
	bonus = race_bonus(obs);
	if (near_land(w, obs, x, y, bonus, now) ||
	    near_army(w, obs, x, y, bonus)) {
		return (SH_VIS_ADJACENT);
	}
	/* Allies share their sight of the land. */
	members = allies_here(w, obs);
	for (uint32_t i = 0; members != NULL && i < members->n; i++) {
		const sh_player *m = member(members, i);

		if (m != obs && near_land(w, m, x, y, race_bonus(m), now)) {
			return (SH_VIS_ADJACENT);
		}
	}
	return (near_border_land(w, obs, x, y) ||
	            shard_replica_army_near(w, obs, x, y, RADIUS_ARMY + bonus)
	        ? SH_VIS_ADJACENT
	        : SH_VIS_DISTANT);
}

bool
shard_vision_clouded(shard_world *w, int x, int y, int64_t now)
{
	return (cm_table_count(w->ground) != 0 &&
	    shard_ground_get(w, x, y, cm_spell_find("ash_cloud"),
	        now) != NULL);
}

/* An Ash Cloud turns the adjacent view of its tile into the distant. */
typedef struct cloud {
	shard_world *w;
	uint8_t     *lv;
	int64_t      now;
} cloud;

static void
cloud_tile(void *arg, void *val)
{
	cloud           *c = arg;
	const sh_ground *g = val;
	int              x, y;

	shard_tile_xy(c->w, g->idx, &x, &y);
	if (c->lv[g->idx] == SH_VIS_ADJACENT &&
	    shard_vision_clouded(c->w, x, y, c->now)) {
		c->lv[g->idx] = SH_VIS_DISTANT;
	}
}

/* stamp raises every level of the square around (cx, cy) to at least v. */
static void
stamp(shard_world *w, uint8_t *lv, int cx, int cy, int r, sh_vis v)
{
	int x0 = cx - r, x1 = cx + r, y0 = cy - r, y1 = cy + r;

	if (x0 < w->region.x0) {
		x0 = w->region.x0;
	}
	if (y0 < w->region.y0) {
		y0 = w->region.y0;
	}
	if (x1 > w->region.x1) {
		x1 = w->region.x1;
	}
	if (y1 > w->region.y1) {
		y1 = w->region.y1;
	}
	for (int y = y0; y <= y1; y++) {
		uint8_t *row = lv + (size_t) (y - w->region.y0) * (size_t) w->rw;

		for (int x = x0; x <= x1; x++) {
			if (row[x - w->region.x0] < v) {
				row[x - w->region.x0] = (uint8_t) v;
			}
		}
	}
}

static void
stamp_player(shard_world *w, uint8_t *lv, const sh_player *p, int bonus,
    sh_vis own, int64_t now)
{
	for (uint32_t i = 0; i < p->tiles.n; i++) {
		uint32_t ti = (uint32_t) p->tiles.v[i];
		int      x, y;

		shard_tile_xy(w, ti, &x, &y);
		stamp(w, lv, x, y, shard_vision_land_radius(&w->tiles[ti], now) + bonus,
		    SH_VIS_ADJACENT);
		lv[ti] = (uint8_t) own;
	}
}

void
shard_vision_region(shard_world *w, const sh_player *obs, uint8_t *lv,
    int64_t now)
{
	const sh_vec *members;
	int           bonus;

	memset(lv, SH_VIS_DISTANT, (size_t) w->rw * (size_t) w->rh);
	if (obs == NULL) {
		return;
	}
	bonus = race_bonus(obs);
	for (uint32_t i = 0; i < obs->armies.n; i++) {
		const sh_army *a = cm_table_get_u64(w->armies, obs->armies.v[i]);

		if (a != NULL) {
			stamp(w, lv, a->x, a->y, RADIUS_ARMY + bonus,
			    SH_VIS_ADJACENT);
		}
	}
	/* Allies' land is seen as allied, and their sight is shared. */
	members = allies_here(w, obs);
	for (uint32_t i = 0; members != NULL && i < members->n; i++) {
		const sh_player *m = member(members, i);

		if (m != obs) {
			stamp_player(w, lv, m, race_bonus(m), SH_VIS_ALLIED, now);
		}
	}
	stamp_border(w, lv, obs);
	{
		army_stamp c = { w, lv, RADIUS_ARMY + bonus };

		/* Its armies just across the border see in too. */
		shard_replica_armies_of(w, obs, stamp_army_at, &c);
	}
	for (int i = 0; i < obs->nscouts; i++) {
		const sh_scout *sc = &obs->scouts[i];

		if (sc->expires_ms > now && shard_owns_tile(w, sc->x, sc->y)) {
			stamp(w, lv, sc->x, sc->y, 0, SH_VIS_SCOUTED);
		}
	}
	stamp_player(w, lv, obs, bonus, SH_VIS_OWNED, now);
	{
		cloud c = { w, lv, now };

		cm_table_each(w->ground, cloud_tile, &c);
	}
}

const sh_scout *
shard_vision_scout(const sh_player *obs, int x, int y, int64_t now)
{
	for (int i = 0; i < obs->nscouts; i++) {
		const sh_scout *sc = &obs->scouts[i];

		if (sc->x == x && sc->y == y && sc->expires_ms > now) {
			return (sc);
		}
	}
	return (NULL);
}

uint64_t
shard_army_strength(const uint32_t *units)
{
	uint64_t s = 0;

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		s += (uint64_t) units[i] *
		    (uint64_t) (cm_unit(i)->atk + cm_unit(i)->def);
	}
	return (s);
}

const char *
shard_vision_army_size(const uint32_t *units)
{
	uint64_t s = shard_army_strength(units);

	if (s == 0) {
		return ("none");
	}
	return (s < 500 ? "small" : s < 2000 ? "medium" : s < 5000 ? "large"
	                                                         : "massive");
}
