/*
 * shard_economy.c: the daily economic tick (game-rules-facts §12.2).
 *
 * Once a day, over the region this shard owns, in the order of §12.2 with
 * the design's resolutions (§18 #31: every step once, not twice):
 *
 *   1. Production (§9.4, §12.3): every completed, standing building of an
 *      owned tile yields its daily food, gold, stone and wood times the
 *      zone's resource multiplier, the owner's race production factor,
 *      the race's factor for that building (Ironveld Mine, Ashborn Farm),
 *      the tile's trust effect (§12.8) and, for gold, the captain class's
 *      gold income (Merchant Prince), floored per building.  The Mine
 *      gives gold and stone (§18 #15).  Stock goes to the tile itself
 *      (resources belong to a territory), up to the storage caps plus the
 *      tile's Warehouse storage; gold has no cap; a stock already above
 *      its cap is kept, not cut.  Mage Tower and Shrine mana is not
 *      produced here: it is part of step 2 (rules decision D3).
 *   2. Mana (§11.1): each home player gains cm_mana_regen of the towers,
 *      shrines and zone (and terrain) mana of its tiles here, up to
 *      cm_mana_cap.
 *   3. Food (§8.4, §12.4): each army eats sum(count x food x the unit's
 *      race rate) x the class's upkeep factor, floored per army, first
 *      from the tile it stands on if its owner holds it, then from the
 *      owner's tiles in index order.  When an owner's food runs out
 *      (some army's meal is short), each of its armies that eats loses
 *      starvation_loss_pct of every stack (floored) and starvation_morale.
 *   4. Structure decay (§12.9): buildings of a race with
 *      structure_decay_pct_per_day lose that share of their max HP (the
 *      rules' hp) per run, runs_per_day times, never below min_hp.
 *   5. Trust (§12.8): each owned tile loses the band's points for the game
 *      days since its last activity; the owner's most developed tile here
 *      (most standing buildings, the lowest index on a tie) stands for the
 *      captain's home and loses home_decay_pct less.  Trust 0 is a revolt
 *      (tile_revolt).
 *   6. Foreign soil (§12.7): an army standing on a tile its owner does
 *      not hold counts one more day away, else its count resets; the band
 *      of that day (shifted by a race's longer grace) costs morale and
 *      deserters.  Its ATK/DEF penalty is the battle engine's.  An army
 *      under Plague (§11.2) loses the spell's kill_pct_min..max (1-3%)
 *      of every stack (floored).  An idle army on its owner's land that
 *      did not starve rests: +rest_morale, up to rest_morale_max (§10.14),
 *      unless under Nightmare.
 *   7. Domain points (§13.1): every owner gains, per plot held here,
 *      points_per_plot plus the zone's bonus; a Heart plot's bonus needs a
 *      garrison and is multiplied from heart_late_from_day.  All owners
 *      score, not only home players: each shard's leaderboard set counts
 *      the plots of its own region and leaderboard:{G} sums them.
 *
 * Every step reads and changes one player's tiles and armies only, so the
 * tick runs player by player (each player's steps in the order above) and
 * the order of the players table does not matter.  Every number is the
 * rules file's except the few named below.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_map.h"
#include "cm_rules.h"
#include "shard_economy.h"
#include "shard_state.h"

/* §12.8: trust runs 0..100%; a tile that revolted starts its next claim
 * at full trust (registration's value) rather than revolting again. */
#define TRUST_FULL 100
/* sh_army.morale and foreign_soil_days are bytes. */
#define MORALE_MAX UINT8_MAX
#define SOIL_DAYS_MAX UINT8_MAX


enum { RES_FOOD = 0, RES_GOLD, RES_STONE, RES_WOOD, RES_N };

typedef struct econ {
	shard_world            *w;
	int                     day;
	int64_t                 now, day_ms;
	const cm_economy_rules *e;
	const cm_scoring_rules *s;
	const cm_spell_def     *plague, *nightmare;
	int farm, mine, magetower, shrine; /* building indices */
	sh_army **armies; /* scratch: the player's armies, looked up once */
	uint32_t  cap;
} econ;

/* What step 1 learns of a player's tiles here, for steps 2 and 5. */
typedef struct econ_land {
	int      towers, shrines, zone_mana;
	int      home_nb; /* standing buildings of the home tile, -1: none */
	uint32_t home;    /* the most developed tile's index */
} econ_land;

static bool
standing(const sh_building *b, int64_t now)
{
	return (b->done_ms <= now && b->hp > 0);
}

/* player_class: the captain's class, none once the captain died (§7.4). */
static int
player_class(const sh_player *p)
{
	return (p->captain_dead ? -1 : p->cls);
}

static int
class_pct(const sh_player *p, bool upkeep)
{
	const cm_class_def *k = cm_class(player_class(p));

	if (k == NULL) {
		return (0);
	}
	return (upkeep ? k->upkeep_pct : k->gold_income_pct);
}

/* band_of: the band holding v (to_day -1: open-ended), or NULL. */
static const cm_day_band *
band_of(const cm_day_band *b, int n, int64_t v)
{
	for (int i = 0; i < n; i++) {
		if (v >= b[i].from_day &&
		    (b[i].to_day < 0 || v <= b[i].to_day)) {
			return (&b[i]);
		}
	}
	return (NULL);
}

/*
 * scaled is floor(base x f[0] x ... x f[n-1] / 100^n), the factors in
 * percent (100 = x1), exact (no rounding between factors); 0 when a
 * factor is not positive.
 */
static int64_t
scaled(int64_t base, const int *f, int n)
{
	__int128 v = base, d = 1;

	for (int i = 0; i < n; i++) {
		if (f[i] <= 0) {
			return (0);
		}
		v *= f[i];
		d *= 100;
	}
	return (v > 0 ? (int64_t) (v / d) : 0);
}

/* add_capped adds add (> 0) to *v up to cap (< 0: none); true if changed. */
static bool
add_capped(int64_t *v, int64_t add, int64_t cap)
{
	int64_t n = *v + add;

	if (add <= 0 || (cap >= 0 && *v >= cap)) {
		return (false);
	}
	*v = cap >= 0 && n > cap ? cap : n;
	return (true);
}

static int64_t
cap_of(int base, int64_t storage)
{
	return (base < 0 ? -1 : base + storage);
}

static void
mark_idx(shard_world *w, uint32_t idx)
{
	int x, y;

	shard_tile_xy(w, idx, &x, &y);
	shard_mark_tile(w, x, y);
}

static int
zone_of(shard_world *w, uint32_t idx)
{
	int x, y;

	shard_tile_xy(w, idx, &x, &y);
	return ((int) cm_map_zone_at(w->map, x, y));
}

/* building_yield adds one standing building's day to add[] (step 1). */
static void
building_yield(const econ *c, const sh_player *p, int type, int zone_mult,
    int trust_pct, int64_t add[RES_N])
{
	const cm_building_effects *e = &cm_building(type)->effects;
	const cm_race_def         *r = cm_race(p->race);
	int                        f[5];

	f[0] = zone_mult;
	f[1] = 100 + (r != NULL ? r->production_pct : 0);
	f[2] = 100;
	if (r != NULL && type == c->mine) {
		f[2] += r->mine_pct;
	} else if (r != NULL && type == c->farm) {
		f[2] += r->farm_pct;
	}
	f[3] = 100 + trust_pct;
	f[4] = 100 + class_pct(p, false);
	add[RES_FOOD] += scaled(e->food_per_day, f, 4);
	add[RES_STONE] += scaled(e->stone_per_day, f, 4);
	add[RES_WOOD] += scaled(e->wood_per_day, f, 4);
	add[RES_GOLD] += scaled(e->gold_per_day, f, 5);
}

/* tile_produce is step 1 for one tile; it also fills land. */
static void
tile_produce(const econ *c, const sh_player *p, uint32_t idx,
    econ_land *land)
{
	sh_tile              *t = &c->w->tiles[idx];
	int                   x, y, n = 0;
	const cm_zone_def    *z;
	const cm_terrain_def *tr;
	const cm_day_band    *tb;
	int64_t               add[RES_N] = { 0 }, storage = 0;
	bool                  changed;

	shard_tile_xy(c->w, idx, &x, &y);
	z  = cm_zone_rules((int) cm_map_zone_at(c->w->map, x, y));
	tr = cm_terrain_rules(cm_map_terrain(c->w->map, x, y));
	tb = band_of(c->e->trust_effects, c->e->ntrust_effects, t->trust);
	land->zone_mana += (z != NULL ? z->mana_per_territory : 0) +
	    (tr != NULL ? tr->mana_per_day : 0);
	for (int i = 0; i < t->nb; i++) {
		const cm_building_def *d = cm_building(t->b[i].type);

		if (d == NULL || !standing(&t->b[i], c->now)) {
			continue;
		}
		n++;
		storage += d->effects.storage;
		land->towers += t->b[i].type == c->magetower;
		land->shrines += t->b[i].type == c->shrine;
		building_yield(c, p, t->b[i].type,
		    z != NULL ? z->resource_mult_pct : 100,
		    tb != NULL ? tb->a : 0, add);
	}
	if (n > land->home_nb) {
		land->home_nb = n;
		land->home    = idx;
	}
	changed = add_capped(&t->res.food, add[RES_FOOD],
	    cap_of(c->e->storage_food, storage));
	changed |= add_capped(&t->res.gold, add[RES_GOLD],
	    cap_of(c->e->storage_gold, storage));
	changed |= add_capped(&t->res.stone, add[RES_STONE],
	    cap_of(c->e->storage_stone, storage));
	changed |= add_capped(&t->res.wood, add[RES_WOOD],
	    cap_of(c->e->storage_wood, storage));
	if (changed) {
		shard_mark_tile(c->w, x, y);
	}
}

/* player_mana is step 2 (home players: their record is here). */
static void
player_mana(const econ *c, sh_player *p, const econ_land *land)
{
	int64_t cap = cm_mana_cap(p->race, land->towers);
	int64_t regen = cm_mana_regen(p->race, player_class(p), land->towers,
	    land->shrines, land->zone_mana);

	if (!p->home || regen <= 0 || p->mana >= cap) {
		return;
	}
	p->mana = p->mana + regen > cap ? cap : p->mana + regen;
	shard_mark_player(c->w, p);
}

/*
 * army_upkeep: the food a's units eat a day, each at its own race's rate
 * (prisoners keep theirs, §8.4; siege weapons the owner's), times the
 * owner's class upkeep factor, floored.
 */
static int64_t
army_upkeep(const sh_army *a, const sh_player *p)
{
	const cm_race_def *own = cm_race(p->race);
	__int128           sum = 0;

	for (int u = 0; u < CM_UNIT_COUNT; u++) {
		const cm_unit_def *d = cm_unit(u);
		const cm_race_def *r;

		if (a->units[u] == 0 || d == NULL) {
			continue;
		}
		r = d->race >= 0 ? cm_race(d->race) : own;
		sum += (__int128) a->units[u] * d->food_x10 *
		    (r != NULL ? r->food_rate_pct : 100);
	}
	sum *= 100 + class_pct(p, true);
	return (sum > 0 ? (int64_t) (sum / (10 * 100 * 100)) : 0);
}

/* take_food takes up to need from tile idx's food; returns what it took. */
static int64_t
take_food(const econ *c, uint32_t idx, int64_t need)
{
	sh_tile *t    = &c->w->tiles[idx];
	int64_t  take = t->res.food < need ? t->res.food : need;

	if (take <= 0) {
		return (0);
	}
	t->res.food -= take;
	mark_idx(c->w, idx);
	return (take);
}

/* army_lose takes pct% (floored) off every stack; true if any fell. */
static bool
army_lose(sh_army *a, int pct)
{
	bool lost = false;

	for (int u = 0; pct > 0 && u < CM_UNIT_COUNT; u++) {
		uint32_t n = (uint32_t) ((uint64_t) a->units[u] *
		    (uint64_t) pct / 100);

		a->units[u] -= n;
		lost |= n > 0;
	}
	return (lost);
}

static bool
army_morale(sh_army *a, int delta)
{
	int m = a->morale + delta;

	m = m < 0 ? 0 : m > MORALE_MAX ? MORALE_MAX : m;
	if (m == a->morale) {
		return (false);
	}
	a->morale = (uint8_t) m;
	return (true);
}

/*
 * player_upkeep is step 3 for p's n armies of c->armies; true when they
 * starved.  p->tiles is sorted by index, so a cursor past the tiles
 * already emptied keeps the draw O(tiles + armies).
 */
static bool
player_upkeep(const econ *c, sh_player *p, uint32_t n)
{
	uint32_t cur      = 0;
	bool     starving = false;

	for (uint32_t i = 0; i < n; i++) {
		sh_army *a = c->armies[i];
		sh_tile *t;
		int64_t  need;

		if ((need = army_upkeep(a, p)) == 0) {
			continue;
		}
		t = shard_tile(c->w, a->x, a->y);
		if (t != NULL && t->owner == p) {
			uint32_t own = shard_tile_index(c->w, a->x, a->y);

			need -= take_food(c, own, need);
		}
		while (need > 0 && cur < p->tiles.n) {
			uint32_t idx = (uint32_t) p->tiles.v[cur];

			need -= take_food(c, idx, need);
			if (c->w->tiles[idx].res.food <= 0) {
				cur++;
			}
		}
		starving |= need > 0;
	}
	for (uint32_t i = 0; starving && i < n; i++) {
		sh_army *a = c->armies[i];
		bool     ch;

		if (army_upkeep(a, p) == 0) {
			continue;
		}
		ch = army_lose(a, c->e->starvation_loss_pct);
		ch |= army_morale(a, c->e->starvation_morale);
		if (ch) {
			shard_mark_army(c->w, a->id);
		}
	}
	return (starving);
}

/* tile_decay is step 4 for one tile: completed buildings decay. */
static void
tile_decay(const econ *c, const sh_player *p, uint32_t idx)
{
	const cm_race_def *r    = cm_race(p->race);
	sh_tile           *t    = &c->w->tiles[idx];
	int                runs = c->e->structure_decay_runs_per_day;
	int                min  = c->e->structure_decay_min_hp;
	int                pct  = 0;
	bool               ch   = false;

	if (r != NULL) {
		pct = r->structure_decay_pct_per_day;
	}

	for (int i = 0; pct > 0 && runs > 0 && i < t->nb; i++) {
		const cm_building_def *d = cm_building(t->b[i].type);
		int64_t                loss, hp;

		if (d == NULL || t->b[i].done_ms > c->now ||
		    t->b[i].hp <= min) {
			continue;
		}
		loss = (int64_t) d->hp * pct / 100 * runs;
		hp   = t->b[i].hp - loss;
		t->b[i].hp = (int32_t) (hp < min ? min : hp);
		ch |= loss > 0;
	}
	if (ch) {
		mark_idx(c->w, idx);
	}
}

/*
 * tile_revolt: trust reached 0 (§12.8).  The design makes the tile a
 * Forsaken village whose militia is the old garrison; the map's Forsaken
 * are a pure function of its seed (cm_map_forsaken), so this port cannot
 * add one.  What it does: the owner loses the tile (no owner), its stock
 * is lost, its buildings stay at most revolt_building_hp_pct of their
 * max HP, the garrison is released as a field army of its owner (it now
 * stands on foreign soil), and trust is full again for the next claim.
 */
static void
tile_revolt(const econ *c, sh_player *p, uint32_t idx)
{
	sh_tile *t = &c->w->tiles[idx];
	sh_army *g;
	int      x, y;

	shard_tile_xy(c->w, idx, &x, &y);
	memset(&t->res, 0, sizeof(t->res));
	for (int i = 0; i < t->nb; i++) {
		const cm_building_def *d = cm_building(t->b[i].type);
		int64_t                hp;

		if (d == NULL) {
			continue;
		}
		hp = (int64_t) d->hp * c->e->trust_revolt_building_hp_pct;
		hp /= 100;
		if (t->b[i].hp > hp) {
			t->b[i].hp = (int32_t) hp;
		}
	}
	if (t->garrison != 0 &&
	    (g = cm_table_get_u64(c->w->armies, t->garrison)) != NULL) {
		g->garrison = false;
		shard_mark_army(c->w, g->id);
	}
	t->garrison = 0;
	t->trust    = TRUST_FULL;
	shard_tile_set_owner(c->w, x, y, NULL);
	shard_mark_tile(c->w, x, y);
	shard_event(c->w, "territory_revolted", p->address, x, y,
	    json_pack("{s:s,s:i}", "oldOwner", p->address, "day", c->day));
}

static int64_t
latest(int64_t a, int64_t b)
{
	return (a > b ? a : b);
}

/*
 * tile_trust is step 5 for one tile (it may revolt).  The inactivity
 * clock runs from the latest of the tile's own activity, its owner's
 * last action anywhere ("attacking anywhere" counts, §12.8) and the
 * owner's registration.
 */
static void
tile_trust(const econ *c, sh_player *p, uint32_t idx, bool home)
{
	sh_tile           *t    = &c->w->tiles[idx];
	int64_t            last = latest(latest(t->last_activity_ms,
	                                            p->last_action_ms),
	               latest(p->registered_ms, c->w->gen.start_ms));
	int64_t            days = c->now > last ? (c->now - last) / c->day_ms
	                                        : 0;
	const cm_day_band *b = band_of(c->e->trust_decay, c->e->ntrust_decay,
	    days);
	int                pct = b != NULL ? b->a : 0;

	if (home) {
		pct = pct * (100 - c->e->trust_home_decay_pct) / 100;
	}
	if (pct > 0 && t->trust > 0) {
		t->trust = (uint8_t) (t->trust > pct ? t->trust - pct : 0);
		mark_idx(c->w, idx);
	}
	if (t->trust == 0) {
		tile_revolt(c, p, idx);
	}
}

/*
 * army_rest: an idle army on its owner's land that ate its fill rests
 * (§10.14): its morale comes back rest_morale a day, up to
 * rest_morale_max, unless Nightmare keeps it from sleeping.
 */
static void
army_rest(const econ *c, sh_army *a, bool starved)
{
	const sh_tile *t = shard_tile(c->w, a->x, a->y);
	int            m;

	if (t == NULL || t->owner != a->owner || a->status != SH_IDLE ||
	    starved || a->morale >= c->e->rest_morale_max ||
	    shard_effect_active(a, c->nightmare, c->now)) {
		return;
	}
	m = a->morale + c->e->rest_morale;
	if (m > c->e->rest_morale_max) {
		m = c->e->rest_morale_max;
	}
	a->morale = (uint8_t) m;
	shard_mark_army(c->w, a->id);
}

/* army_soil is step 6 for one army. */
static void
army_soil(const econ *c, sh_army *a)
{
	const sh_tile     *t = shard_tile(c->w, a->x, a->y);
	const cm_race_def *r;
	const cm_day_band *b;
	int                shift;

	if (t == NULL) {
		return;
	}
	if (t->owner == a->owner) {
		if (a->foreign_soil_days != 0) {
			a->foreign_soil_days = 0;
			shard_mark_army(c->w, a->id);
		}
		return;
	}
	if (a->foreign_soil_days < SOIL_DAYS_MAX) {
		a->foreign_soil_days++;
	}
	r     = cm_race(a->owner->race);
	shift = r != NULL ? r->foreign_soil_grace_days -
	        c->e->foreign_soil_grace_days
	                  : 0;
	b = band_of(c->e->foreign_soil, c->e->nforeign_soil,
	    (int64_t) a->foreign_soil_days - shift);
	if (b != NULL) {
		army_morale(a, b->b);
		army_lose(a, b->c);
	}
	shard_mark_army(c->w, a->id);
}

/* garrisoned: t (p's) has a garrison of p's with troops in it. */
static bool
garrisoned(const econ *c, const sh_tile *t, const sh_player *p)
{
	const sh_army *a;

	if (t->garrison == 0 ||
	    (a = cm_table_get_u64(c->w->armies, t->garrison)) == NULL ||
	    a->owner != p) {
		return (false);
	}
	for (int u = 0; u < CM_UNIT_COUNT; u++) {
		if (a->units[u] > 0) {
			return (true);
		}
	}
	return (false);
}

/* tile_points is step 7 for one tile p still holds. */
static int64_t
tile_points(const econ *c, const sh_player *p, uint32_t idx)
{
	int                z     = zone_of(c->w, idx);
	const cm_zone_def *zd    = cm_zone_rules(z);
	int64_t            bonus = zd != NULL ? zd->domain_points_bonus : 0;

	if (z == CM_ZONE_HEART) {
		if (c->s->heart_requires_garrison &&
		    !garrisoned(c, &c->w->tiles[idx], p)) {
			bonus = 0;
		} else if (c->day >= c->s->heart_late_from_day) {
			bonus *= c->s->heart_late_multiplier;
		}
	}
	return (c->s->points_per_plot + bonus);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

	return ((x > y) - (x < y));
}

/* tiles_sort puts p->tiles in index order (its order means nothing else:
 * removals swap), sorting only when some removal or claim broke it. */
static void
tiles_sort(sh_player *p)
{
	for (uint32_t i = 1; i < p->tiles.n; i++) {
		if (p->tiles.v[i - 1] > p->tiles.v[i]) {
			qsort(p->tiles.v, p->tiles.n, sizeof(*p->tiles.v),
			    cmp_u64);
			return;
		}
	}
}

/* econ_player runs the day's steps for one player (cm_table_each). */
static void
econ_player(void *arg, void *val)
{
	econ      *c      = arg;
	sh_player *p      = val;
	econ_land  land   = { .home_nb = -1 };
	int64_t    points = 0;
	uint32_t   n      = 0;
	bool       starved;

	if (p->armies.n > c->cap) {
		c->cap    = p->armies.n * 2;
		c->armies = cm_realloc(c->armies, c->cap * sizeof(*c->armies));
	}
	for (uint32_t i = 0; i < p->armies.n; i++) {
		sh_army *a = cm_table_get_u64(c->w->armies, p->armies.v[i]);

		if (a != NULL) {
			c->armies[n++] = a;
		}
	}
	tiles_sort(p);
	for (uint32_t i = 0; i < p->tiles.n; i++) {
		tile_produce(c, p, (uint32_t) p->tiles.v[i], &land);
	}
	player_mana(c, p, &land);
	starved = player_upkeep(c, p, n);
	/*
	 * Steps 4 and 5, and 7's points of the tiles that did not revolt
	 * (step 6 changes no tile).  Backwards: a revolt swap-removes the
	 * tile from p->tiles.
	 */
	for (uint32_t i = p->tiles.n; i-- > 0;) {
		uint32_t idx = (uint32_t) p->tiles.v[i];

		tile_decay(c, p, idx);
		tile_trust(c, p, idx, land.home_nb >= 0 && idx == land.home);
		if (c->w->tiles[idx].owner == p) {
			points += tile_points(c, p, idx);
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		army_soil(c, c->armies[i]);
		army_rest(c, c->armies[i], starved &&
		    army_upkeep(c->armies[i], p) > 0);
		if (shard_effect_active(c->armies[i], c->plague, c->now) &&
		    army_lose(c->armies[i], c->plague->kill_pct_min +
		        (int) randombytes_uniform((uint32_t) (c->plague->kill_pct_max -
		            c->plague->kill_pct_min + 1)))) {
			shard_mark_army(c->w, c->armies[i]->id);
		}
	}
	if (points != 0) {
		p->points += points;
		shard_mark_player(c->w, p);
	}
}

void
shard_economy_day(shard_world *w, int day, int64_t now)
{
	econ c = {
		.w         = w,
		.day       = day,
		.now       = now,
		.e         = cm_rules_economy(),
		.s         = cm_rules_scoring(),
		.plague    = cm_spell_find("plague"),
		.nightmare = cm_spell_find("nightmare"),
		.farm      = cm_building_index("farm"),
		.mine      = cm_building_index("mine"),
		.magetower = cm_building_index("magetower"),
		.shrine    = cm_building_index("shrine"),
	};

	c.day_ms = shard_day_ms(w);
	cm_table_each(w->players, econ_player, &c);
	free(c.armies);
}
