/*
 * shard_actions.c: the mutating actions, as the seed's pipeline draws
 * them: validate input, check permissions, check the store takes writes,
 * execute (in memory, marking what changed).  The caller holds the reply
 * until the marks are committed.
 *
 * The rules are docs/rules.md's: travel follows the cheapest path (A*,
 * terrain speeds, hostile land dearer) over the whole map at the slowest
 * unit's speed, and an army arriving in another shard's region is handed
 * to it (shard_handoff.c); an attack stays within the army's region
 * (CROSS_REGION).
 */
#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_placement.h"
#include "cm_eth.h"
#include "cm_hex.h"
#include "cm_keccak.h"
#include "cm_path.h"
#include "cm_time.h"
#include "cm_utf8.h"
#include "shard_replica.h"
#include "shard_state.h"
#include "shard_vision.h"

#define REVEAL_WINDOW_MS (4 * SH_HOUR_MS)
#define MAX_PATH 4096

/* --- shared checks --- */

/* act_player: the signed-in, registered player, or a refusal. */
static sh_player *
act_player(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	sh_player *p;

	if (!cm_eth_addr_is_lower(q->player)) {
		sh_refuse(r, "UNAUTHORIZED", "sign in first", 401);
		return (NULL);
	}
	if ((p = shard_player(w, q->player, true)) == NULL &&
	    !shard_can_write(w)) {
		sh_refuse(r, "STORAGE_UNAVAILABLE",
		    "the game's storage is unavailable; try again shortly",
		    503);
	} else if (p == NULL) {
		sh_refuse(r, "NOT_REGISTERED",
		    "this address is not registered in the current generation",
		    403);
	}
	return (p);
}

/* act_home_player: as act_player, on the player's home shard. */
static sh_player *
act_home_player(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	if (cm_eth_addr_is_lower(q->player) && !shard_home_of(w, q->player)) {
		sh_refuse(r, "WRONG_SHARD", "player is homed on another shard",
		    500);
		return (NULL);
	}
	return (act_player(w, q, r));
}

/* The most ids an action takes (an attack: its combat and two timers). */
#define ACT_MAX_IDS 8

/*
 * act_writable_ids: the store takes writes and the ids the action may
 * need are at hand, so that nothing can fail once it executes;
 * act_writable, with an ordinary action's ACT_MAX_IDS.
 */
static bool
act_writable_ids(shard_world *w, sh_reply *r, uint64_t ids)
{
	if (!shard_can_write(w) || !shard_ids_ready(w, ids)) {
		sh_refuse(r, "STORAGE_UNAVAILABLE",
		    "the game's storage is unavailable; try again shortly",
		    503);
		return (false);
	}
	return (true);
}

static bool
act_writable(shard_world *w, sh_reply *r)
{
	return (act_writable_ids(w, r, ACT_MAX_IDS));
}

static bool
act_open_generation(shard_world *w, sh_reply *r)
{
	/* Over at its due end, before a shard has written it ended. */
	if (w->gen.ended_ms != 0 || cm_time_now_ms() >= w->gen.end_ms) {
		sh_refuse(r, "GENERATION_ENDED", "the generation has ended",
		    409);
		return (false);
	}
	return (true);
}

/* act_tile: a tile of this shard, or INVALID_COORD / WRONG_SHARD. */
static sh_tile *
act_tile(shard_world *w, int x, int y, sh_reply *r)
{
	sh_tile *t;

	if (!cm_layout_in_map(&w->layout, x, y)) {
		sh_refuse(r, "INVALID_COORD", "coordinates outside the map",
		    400);
		return (NULL);
	}
	if ((t = shard_tile(w, x, y)) == NULL) {
		sh_refuse(r, "WRONG_SHARD", "tile is owned by another shard",
		    500);
	}
	return (t);
}

static bool
afford(const cm_resources *have, const cm_resources *cost)
{
	return (have->gold >= cost->gold && have->stone >= cost->stone &&
	    have->wood >= cost->wood && have->food >= cost->food &&
	    have->mana >= cost->mana);
}

static void
spend(cm_resources *have, const cm_resources *cost)
{
	have->gold -= cost->gold;
	have->stone -= cost->stone;
	have->wood -= cost->wood;
	have->food -= cost->food;
	have->mana -= cost->mana;
}

static int
chebyshev(int x0, int y0, int x1, int y1)
{
	int dx = abs(x1 - x0), dy = abs(y1 - y0);

	return (dx > dy ? dx : dy);
}

/* --- registration --- */

/*
 * occupied: a tile of this region somebody holds, or the ruins a revolt
 * left (its buildings stand, owned by nobody: the design makes it a
 * Forsaken village), for cm_place_start.
 */
static bool
occupied(void *ctx, int x, int y)
{
	const sh_tile *t = shard_tile(ctx, x, y);

	return (t != NULL && (t->owner != NULL || t->nb > 0));
}

/*
 * place_plots picks the new player's n plots in this region by the
 * design's rules (cm_place_start: a cluster in the Outer Ring on plains
 * or forest, off Forsaken villages, at least 3 empty tiles from anyone's
 * land), seeded from the address so that a retry picks the same.
 */
static bool
place_plots(shard_world *w, const char *address, int n, int *xs, int *ys)
{
	uint64_t s = cm_fnv1a64(address, strlen(address)) ^ w->gen.map_seed;

	return (cm_place_start(w->map, n, s, occupied, w, &w->region, xs,
	            ys) == CM_OK);
}

static bool
valid_captain_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > 32 || !cm_utf8_valid(s)) {
		return (false);
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char) s[i] < 0x20 || s[i] == 0x7f) {
			return (false);
		}
	}
	return (true);
}

static void
registered_reply(shard_world *w, sh_player *p, bool created, sh_reply *r)
{
	Nd__Registered *o = sh_alloc(r, sizeof(*o));

	nd__registered__init(o);
	o->created = created;
	o->n_plots = p->tiles.n;
	o->plots   = sh_alloc(r, p->tiles.n * sizeof(void *));
	for (uint32_t i = 0; i < p->tiles.n; i++) {
		Nd__Coord *c = sh_alloc(r, sizeof(*c));
		int        x, y;

		nd__coord__init(c);
		shard_tile_xy(w, (uint32_t) p->tiles.v[i], &x, &y);
		c->x        = x;
		c->y        = y;
		o->plots[i] = c;
	}
	o->army_id           = p->armies.n ? p->armies.v[0] : 0;
	r->rep->body_case    = ND__SHARD_REPLY__BODY_REGISTERED;
	r->rep->registered   = o;
}

/*
 * protection_end: a player joining at now is protected from PvP until
 * the planning phase ends (PvP starts), or for protection_days when it
 * joins later (game-rules-facts §2.4).
 */
static int64_t
protection_end(const shard_world *w, int64_t now)
{
	const cm_generation_rules *g = cm_rules_generation();

	if (shard_game_day(w, now) < g->pvp_from_day) {
		return (w->gen.start_ms +
		    (g->pvp_from_day - 1) * shard_day_ms(w));
	}
	return (now + g->protection_days * shard_day_ms(w));
}

void
shard_act_register(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	const Nd__RegisterPlayer *g = q->register_player;
	int        n = cm_tier_plots(g->premium), xs[10], ys[10];
	int64_t    now = cm_time_now_ms();
	sh_player *p;
	sh_army   *a;
	uint64_t   army_id;
	json_t    *jx, *jy, *jz;

	if (!cm_eth_addr_is_lower(g->address)) {
		sh_refuse(r, "INVALID_ADDRESS",
		    "address must be 0x and 40 lower-case hex digits", 400);
		return;
	}
	if (g->race >= CM_RACE_COUNT || g->captain_class >= CM_CLASS_COUNT ||
	    g->captain_skill > 1) {
		sh_refuse(r, "INVALID_CAPTAIN",
		    "race 0-5, class 0-5 and skill 0-1", 400);
		return;
	}
	if (!valid_captain_name(g->captain_name)) {
		sh_refuse(r, "INVALID_NAME",
		    "captain name: 1 to 32 bytes of UTF-8, no control characters", 400);
		return;
	}
	if (!shard_home_of(w, g->address)) {
		sh_refuse(r, "WRONG_SHARD", "player is homed on another shard",
		    500);
		return;
	}
	if ((p = cm_table_get_str(w->players, g->address)) != NULL) {
		registered_reply(w, p, false, r); /* idempotent */
		return;
	}
	if (!act_open_generation(w, r)) {
		return;
	}
	if (!place_plots(w, g->address, n, xs, ys)) {
		sh_refuse(r, "NO_ROOM",
		    "no free land in this region's Outer Ring", 409);
		return;
	}
	if (!act_writable(w, r)) {
		return;
	}
	army_id          = shard_next_id(w);
	p                = shard_player_new(w, g->address);
	p->race          = (uint8_t) g->race;
	p->cls           = (uint8_t) g->captain_class;
	p->skill         = (uint8_t) g->captain_skill;
	p->premium       = g->premium;
	p->registered_ms = now;
	p->protected_until_ms = protection_end(w, now);
	snprintf(p->captain, sizeof(p->captain), "%s", g->captain_name);
	jx = json_array();
	jy = json_array();
	jz = json_array();
	for (int i = 0; i < n; i++) {
		sh_tile *t = shard_tile(w, xs[i], ys[i]);

		shard_tile_set_owner(w, xs[i], ys[i], p);
		t->last_activity_ms = now;
		t->trust            = 100;
		json_array_append_new(jx, json_integer(xs[i]));
		json_array_append_new(jy, json_integer(ys[i]));
		json_array_append_new(jz,
		    json_integer(cm_map_zone_at(w->map, xs[i], ys[i])));
	}
	cm_tier_resources(g->premium, &shard_tile(w, xs[0], ys[0])->res);
	if (shard_game_day(w, now) >=
	    cm_rules_generation()->late_joiner_from_day) {
		cm_resources *res   = &shard_tile(w, xs[0], ys[0])->res;
		int64_t       bonus = 100 +
		    cm_rules_generation()->late_joiner_bonus_pct;

		/* Late joiners: more gold, stone, wood, food (§2.4). */
		res->gold  = res->gold * bonus / 100;
		res->stone = res->stone * bonus / 100;
		res->wood  = res->wood * bonus / 100;
		res->food  = res->food * bonus / 100;
	}
	a           = shard_army_new(w, army_id, p, xs[0], ys[0]);
	p->captain_army = army_id; /* the captain leads the first garrison */
	a->garrison = true;
	a->units[cm_race_defender(p->race)] = 10;
	shard_army_place(w, a, xs[0], ys[0]);
	shard_mark_army(w, a->id);
	shard_mark_player(w, p);
	w->player_count++;
	shard_event(w, "player_registered", p->address, xs[0], ys[0],
	    json_pack("{s:s,s:s,s:s,s:s,s:b,s:i}", "race",
	        cm_race_name(p->race), "captainName", p->captain, "class",
	        cm_class_name(p->cls), "skill", cm_skill_name(p->cls, p->skill),
	        "premium", p->premium, "plots", n));
	shard_outbox(w, "assignPlots",
	    json_pack("{s:i,s:s,s:o,s:o,s:o}", "genId", (int) w->gen.id,
	        "player", p->address, "xs", jx, "ys", jy, "zones", jz));
	registered_reply(w, p, true, r);
}

/* --- buildings --- */

static int
builds_in_progress(shard_world *w, const sh_player *p, int64_t now)
{
	int n = 0;

	for (uint32_t i = 0; i < p->tiles.n; i++) {
		const sh_tile *t = &w->tiles[p->tiles.v[i]];

		for (int j = 0; j < t->nb; j++) {
			n += t->b[j].done_ms > now;
		}
	}
	return (n);
}

static int
count_type(const sh_tile *t, int type, bool complete_only, int64_t now)
{
	int n = 0;

	for (int i = 0; i < t->nb; i++) {
		n += t->b[i].type == type &&
		    (!complete_only || t->b[i].done_ms <= now);
	}
	return (n);
}

void
shard_act_build(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	const Nd__TerritoryBuild *g = q->territory_build;
	int64_t                   now = cm_time_now_ms();
	const cm_building_def    *def;
	int                       type;
	sh_player                *p;
	sh_tile                  *t;
	cm_resources              cost = { 0 };
	int64_t                   ms;
	uint64_t                  id;

	if ((t = act_tile(w, g->x, g->y, r)) == NULL ||
	    (p = act_player(w, q, r)) == NULL) {
		return;
	}
	if ((type = cm_building_index(g->building_type)) < 0) {
		sh_refuse(r, "INVALID_BUILDING", "unknown building type", 400);
		return;
	}
	def = cm_building(type);
	if (t->owner != p) {
		sh_refuse(r, "NOT_OWNER", "you do not own this territory", 403);
		return;
	}
	if (!act_open_generation(w, r)) {
		return;
	}
	if (cm_race(p->race)->forbidden_buildings[type]) {
		sh_refuse(r, "RACE_CANNOT_BUILD",
		    "your race cannot build this building", 409);
		return;
	}
	if (t->nb >= CM_MAX_BUILDINGS_PER_TERRITORY ||
	    count_type(t, type, false, now) >= def->max_per_territory) {
		sh_refuse(r, "BUILDING_LIMIT",
		    "this territory has as many of these as it may", 409);
		return;
	}
	if (strcmp(def->id, "wall") == 0 &&
	    cm_map_zone_at(w->map, g->x, g->y) == CM_ZONE_HEART) {
		sh_refuse(r, "INVALID_BUILDING", "no walls in the Heart", 409);
		return;
	}
	if (def->requires >= 0 && count_type(t, def->requires, true, now) == 0) {
		sh_refuse(r, "MISSING_PREREQUISITE",
		    "this building needs another, completed, here first", 409);
		return;
	}
	if (builds_in_progress(w, p, now) >= CM_MAX_CONCURRENT_BUILDS) {
		sh_refuse(r, "TOO_MANY_BUILDS",
		    "two buildings are under construction already", 409);
		return;
	}
	/* The race's building cost (Vaelthir +15%, §6.3), floored. */
	cost.gold  = def->gold * (100 + cm_race(p->race)->building_cost_pct) / 100;
	cost.stone = def->stone * (100 + cm_race(p->race)->building_cost_pct) / 100;
	cost.wood  = def->wood * (100 + cm_race(p->race)->building_cost_pct) / 100;
	if (!afford(&t->res, &cost)) {
		sh_refuse(r, "INSUFFICIENT_RESOURCES",
		    "this territory's stock does not cover the cost", 409);
		return;
	}
	if (!act_writable(w, r)) {
		return;
	}
	id = shard_next_id(w);
	/* Build time: the race's and the captain's skill's (Ironveld -10%,
	 * Artificer -25%: §9.2). */
	ms = def->build_hours * SH_HOUR_MS;
	ms = ms * (100 + cm_race(p->race)->build_time_pct) / 100;
	ms = ms * (100 + cm_class(p->cls)->skills[p->skill & 1].build_time_pct) /
	    100;
	ms = shard_duration_ms(w, ms);
	spend(&t->res, &cost);
	t->b = cm_realloc(t->b, (size_t) (t->nb + 1) * sizeof(*t->b));
	t->b[t->nb++] = (sh_building) { .id = id, .type = (uint8_t) type,
		.hp = def->hp, .done_ms = now + ms };
	t->last_activity_ms = now;
	shard_mark_tile(w, g->x, g->y);
	shard_timer_add(w, SH_T_BUILDING, g->x, g->y, id, now + ms);
	shard_event(w, "building_started", p->address, g->x, g->y,
	    json_pack("{s:I,s:s,s:I}", "buildingId", (json_int_t) id,
	        "buildingType", def->id, "completionTime",
	        (json_int_t) (now + ms)));
	{
		Nd__BuildStarted *o = sh_alloc(r, sizeof(*o));

		nd__build_started__init(o);
		o->building_id        = id;
		o->completion_time_ms = now + ms;
		r->rep->body_case     = ND__SHARD_REPLY__BODY_BUILD_STARTED;
		r->rep->build_started = o;
	}
}

/* --- armies --- */

/*
 * trains_here: a completed, standing building on t trains units of role
 * (the rules' Barracks, War Hall, Siege Workshop).
 */
static bool
trains_here(const sh_tile *t, cm_role role, int64_t now)
{
	for (int i = 0; i < t->nb; i++) {
		const cm_building_def *b = cm_building(t->b[i].type);

		if (b != NULL && b->effects.trains[role] &&
		    t->b[i].done_ms <= now && t->b[i].hp > 0) {
			return (true);
		}
	}
	return (false);
}

/*
 * training_ms: how long an order trains, in game time: each type in
 * batches of 10 at once (its training time per batch, [srv]), the types
 * side by side, so the slowest type decides; the Artificer trains 20%
 * faster.
 */
static int64_t
training_ms(const sh_player *p, const uint32_t *units)
{
	const cm_class_def *cl = cm_class(p->cls);
	int64_t             ms = 0;

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		int64_t t = (int64_t) cm_unit(i)->train_minutes * 60 * 1000 *
		    (((int64_t) units[i] + 9) / 10);

		ms = t > ms ? t : ms;
	}
	if (cl != NULL && !p->captain_dead) {
		ms += ms * cl->skills[p->skill & 1].train_time_pct / 100;
	}
	return (ms);
}

void
shard_act_army_create(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r)
{
	const Nd__ArmyCreate *g = q->army_create;
	uint32_t              units[CM_UNIT_COUNT] = { 0 };
	cm_resources          cost = { 0 };
	int64_t               now = cm_time_now_ms();
	sh_player            *p;
	sh_tile              *t;
	sh_army              *a;
	uint64_t              id;
	uint64_t              total = 0;

	if ((t = act_tile(w, g->x, g->y, r)) == NULL ||
	    (p = act_player(w, q, r)) == NULL) {
		return;
	}
	if (g->n_units == 0 || g->n_units > CM_UNIT_COUNT) {
		sh_refuse(r, "INVALID_UNITS", "name between 1 and 21 unit types",
		    400);
		return;
	}
	for (size_t i = 0; i < g->n_units; i++) {
		int                i_u = cm_unit_index(g->units[i]->type);
		const cm_unit_def *u   = cm_unit(i_u);
		uint32_t           c   = g->units[i]->count;

		if (u == NULL || (u->race != p->race && u->race != -1) ||
		    c == 0 || c > 100000 || units[i_u] != 0) {
			sh_refuse(r, "INVALID_UNITS",
			    "units must be your race's or siege weapons, each "
			    "named once, 1 to 100000 of each",
			    400);
			return;
		}
		units[i_u] = c;
		total += c;
		cost.gold += (int64_t) u->gold * c;
		cost.mana += (int64_t) u->mana * c;
	}
	/* The race's unit cost (Vaelthir +15%, §8.1); mana as it is. */
	cost.gold = cost.gold * (100 + cm_race(p->race)->unit_cost_pct) / 100;
	if (t->owner != p) {
		sh_refuse(r, "NOT_OWNER", "you do not own this territory", 403);
		return;
	}
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (units[i] != 0 && !trains_here(t, cm_unit(i)->role, now)) {
			sh_refuse(r, "MISSING_BUILDING",
			    "train Defenders and Attackers at a Barracks, Elites "
			    "at a War Hall, siege at a Siege Workshop, completed "
			    "on this territory",
			    409);
			return;
		}
	}
	if (!act_open_generation(w, r)) {
		return;
	}
	if (!afford(&t->res, &cost)) {
		sh_refuse(r, "INSUFFICIENT_RESOURCES",
		    "this territory's stock does not cover the training", 409);
		return;
	}
	if (!act_writable(w, r)) {
		return;
	}
	id = shard_next_id(w);
	spend(&t->res, &cost);
	t->last_activity_ms = now;
	shard_mark_tile(w, g->x, g->y);
	a = shard_army_new(w, id, p, g->x, g->y);
	memcpy(a->units, units, sizeof(units));
	/* It trains (and defends its tile) until its timer fires. */
	a->status     = SH_TRAINING;
	a->arrival_ms = now + shard_duration_ms(w, training_ms(p, units));
	shard_timer_add(w, SH_T_TRAINING, g->x, g->y, id, a->arrival_ms);
	shard_mark_army(w, id);
	shard_event(w, "army_created", p->address, g->x, g->y,
	    json_pack("{s:I,s:I}", "armyId", (json_int_t) id, "units",
	        (json_int_t) total));
	{
		Nd__ArmyCreated *o = sh_alloc(r, sizeof(*o));

		nd__army_created__init(o);
		o->army_id           = id;
		r->rep->body_case    = ND__SHARD_REPLY__BODY_ARMY_CREATED;
		r->rep->army_created = o;
	}
}

/* act_army: the player's idle army of this shard, or a refusal. */
static sh_army *
act_army(shard_world *w, const Nd__ShardRequest *q, uint64_t id,
    sh_reply *r)
{
	sh_army   *a = cm_table_get_u64(w->armies, id);
	sh_player *p;

	if (a == NULL) {
		sh_refuse(r, "ARMY_NOT_FOUND", "no such army", 404);
		return (NULL);
	}
	if ((p = act_player(w, q, r)) == NULL) {
		return (NULL);
	}
	if (a->owner != p) {
		sh_refuse(r, "NOT_OWNER", "not your army", 403);
		return (NULL);
	}
	if (a->status != SH_IDLE) {
		sh_refuse(r, "ARMY_BUSY",
		    "the army is moving, fighting or still training", 409);
		return (NULL);
	}
	if (a->garrison) {
		sh_refuse(r, "GARRISON_CANNOT_MOVE",
		    "a garrison holds its territory; raise a field army", 409);
		return (NULL);
	}
	if (shard_effect_active(a, cm_spell_find("crystal_prison"),
	        cm_time_now_ms())) {
		sh_refuse(r, "ARMY_IMPRISONED",
		    "the army is held in a Crystal Prison", 409);
		return (NULL);
	}
	return (a);
}

bool
shard_allied(const sh_player *a, const sh_player *b)
{
	/* Every shard knows every player's alliance (the replica). */
	return (a->alliance_id != 0 && a->alliance_id == b->alliance_id);
}


/*
 * Hostile land: a tile another player holds who is not an ally.  Marching
 * through it costs HOSTILE_PATH_PCT percent more (armies go around when
 * they can), and an attack whose way crossed it is fought at a
 * disadvantage (the design's "attacking through hostile land").
 */
#define HOSTILE_PATH_PCT 100

typedef struct path_ctx {
	shard_world     *w;
	const sh_player *mover;
} path_ctx;

static bool
hostile(shard_world *w, const sh_player *mover, int x, int y)
{
	const sh_tile   *t = shard_tile(w, x, y);
	const sh_player *o = t != NULL ? t->owner : shard_replica_owner(w, x, y);

	/* Beyond the region the replica tells who holds the land. */
	return (o != NULL && o != mover && !shard_allied(o, mover));
}

static int
hostile_penalty(void *ctx, int x, int y)
{
	const path_ctx *c = ctx;

	return (hostile(c->w, c->mover, x, y) ? HOSTILE_PATH_PCT : 0);
}

/* path_hostile: some of the n tiles of a path is hostile land. */
static bool
path_hostile(shard_world *w, const sh_player *mover, const int *xs,
    const int *ys, int n)
{
	for (int i = 0; i < n; i++) {
		if (hostile(w, mover, xs[i], ys[i])) {
			return (true);
		}
	}
	return (false);
}

/*
 * army_path: the cheapest path (A*, cm_path.h) for mover's army from
 * (x0,y0) to (x1,y1) over the whole map (paths cross shard borders),
 * hostile land made dearer; its tiles without the start, and its cost.
 * False when there is none.
 */
static bool
army_path(shard_world *w, const sh_player *mover, int x0, int y0, int x1,
    int y1, int *xs, int *ys, int *n, int64_t *cost)
{
	path_ctx ctx = { w, mover };
	cm_err   e;

	cm_pather_set_penalty(w->pather, hostile_penalty, &ctx);
	e = cm_path_find(w->pather, NULL, x0, y0, x1, y1, xs, ys,
	    MAX_PATH, n, cost, 1);
	cm_pather_set_penalty(w->pather, NULL, NULL);
	return (e == CM_OK);
}

/*
 * client_path checks a path the client gave: adjacent steps over land on
 * the map; *cost is its cost at the terrain's speeds.
 */
static bool
client_path(shard_world *w, const sh_army *a, Nd__Coord **c, size_t n,
    int *xs, int *ys, int *k, int64_t *cost)
{
	int px = a->x, py = a->y;
	size_t i = 0;

	*cost = 0;
	if (n > 0 && c[0]->x == a->x && c[0]->y == a->y) {
		i = 1; /* the path may start where the army stands */
	}
	for (*k = 0; i < n; i++) {
		int x = c[i]->x, y = c[i]->y;

		int step;

		if (chebyshev(px, py, x, y) != 1 ||
		    (step = cm_path_step_cost(w->map, px, py, x, y)) < 0) {
			return (false);
		}
		if (hostile(w, a->owner, x, y)) {
			step += step * HOSTILE_PATH_PCT / 100;
		}
		*cost += step;
		xs[*k]     = x;
		ys[(*k)++] = y;
		px         = x;
		py         = y;
	}
	return (*k > 0);
}

/*
 * shard_army_travel_ms: a path's cost (plains-step units, terrain speeds included)
 * at the slowest unit's speed in tiles per hour, race-adjusted (§5).
 */
int64_t
shard_army_travel_ms(shard_world *w, const sh_army *a, int64_t cost)
{
	int     spd = 0, pct;
	int64_t ms;

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (a->units[i] != 0 && (spd == 0 || cm_unit(i)->spd_x10 < spd)) {
			spd = cm_unit(i)->spd_x10;
		}
	}
	if (spd == 0) {
		spd = 10;
	}
	ms = cost * SH_HOUR_MS / CM_PATH_STEP * 10 / spd;
	/* The race's speed (Ironveld -25%, Breath-Born +15%) and the
	 * spells on the army (Haste, Slow, Stone Skin), at least a tenth. */
	pct = 100 + cm_race(a->owner->race)->speed_pct +
	    shard_effect_speed_pct(a, cm_time_now_ms());
	ms = ms * 100 / (pct < 10 ? 10 : pct);
	return (shard_duration_ms(w, ms));
}

/* check_destination: a land tile of the map (another region's too: the
 * army is handed to that shard when it arrives, shard_handoff.h). */
static bool
check_destination(shard_world *w, int x, int y, sh_reply *r)
{
	if (!cm_layout_in_map(&w->layout, x, y)) {
		sh_refuse(r, "INVALID_COORD", "coordinates outside the map",
		    400);
		return (false);
	}
	if (cm_terrain_is_water(cm_map_terrain(w->map, x, y))) {
		sh_refuse(r, "NO_PATH", "the destination is water", 422);
		return (false);
	}
	return (true);
}

static Nd__Coord **
path_out(const int *xs, const int *ys, int n, sh_reply *r)
{
	Nd__Coord **v = sh_alloc(r, (size_t) n * sizeof(*v));
	Nd__Coord  *c = sh_alloc(r, (size_t) n * sizeof(*c));

	for (int i = 0; i < n; i++) {
		nd__coord__init(&c[i]);
		c[i].x = xs[i];
		c[i].y = ys[i];
		v[i]   = &c[i];
	}
	return (v);
}

void
shard_act_army_move(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	const Nd__ArmyMove *g = q->army_move;
	int64_t             now = cm_time_now_ms(), ms, cost = 0;
	int                *xs, *ys, n = 0;
	sh_army            *a;
	bool                ok;

	if ((a = act_army(w, q, g->army_id, r)) == NULL ||
	    !check_destination(w, g->x, g->y, r)) {
		return;
	}
	if (g->x == a->x && g->y == a->y) {
		sh_refuse(r, "INVALID_COORD", "the army is there already", 400);
		return;
	}
	if (g->n_path > MAX_PATH) {
		sh_refuse(r, "INVALID_PATH", "path too long", 400);
		return;
	}
	xs = sh_alloc(r, MAX_PATH * sizeof(int));
	ys = sh_alloc(r, MAX_PATH * sizeof(int));
	if (g->n_path > 0) {
		ok = client_path(w, a, g->path, g->n_path, xs, ys, &n, &cost) &&
		    xs[n - 1] == g->x && ys[n - 1] == g->y;
		if (!ok) {
			sh_refuse(r, "INVALID_PATH",
			    "a path is adjacent steps over land from the army "
			    "to the destination",
			    400);
			return;
		}
	} else if (!army_path(w, a->owner, a->x, a->y, g->x, g->y, xs, ys,
	               &n, &cost)) {
		sh_refuse(r, "NO_PATH", "no way over land leads there", 422);
		return;
	}
	if (!act_open_generation(w, r) || !act_writable(w, r)) {
		return;
	}
	ms            = shard_army_travel_ms(w, a, cost);
	a->status     = SH_MOVING;
	a->dx         = (int16_t) g->x;
	a->dy         = (int16_t) g->y;
	a->depart_ms  = now;
	a->arrival_ms = now + ms;
	shard_mark_army(w, a->id);
	shard_timer_add(w, SH_T_ARRIVAL, a->x, a->y, a->id, a->arrival_ms);
	shard_event(w, "army_moved", a->owner->address, a->x, a->y,
	    json_pack("{s:I,s:{s:i,s:i},s:I}", "armyId", (json_int_t) a->id,
	        "destination", "x", g->x, "y", g->y, "arrivalTime",
	        (json_int_t) a->arrival_ms));
	{
		Nd__ArmyMoved *o = sh_alloc(r, sizeof(*o));

		nd__army_moved__init(o);
		o->arrival_time_ms = a->arrival_ms;
		o->n_path          = (size_t) n;
		o->path            = path_out(xs, ys, n, r);
		r->rep->body_case  = ND__SHARD_REPLY__BODY_ARMY_MOVED;
		r->rep->army_moved = o;
	}
}

/* --- combat: commit and reveal --- */

/*
 * attack_commit: keccak256(abi.encodePacked(uint8 x, uint8 y, bytes32
 * armyHash, bytes32 salt)), the design interface's commitment; on maps
 * wider than 256 the coordinates are uint16 big-endian.
 */
static void
attack_commit(const shard_world *w, int x, int y, const uint8_t army[32],
    const uint8_t salt[32], uint8_t out[32])
{
	uint8_t buf[68];
	size_t  n = 0;

	if (w->layout.w <= 256 && w->layout.h <= 256) {
		buf[n++] = (uint8_t) x;
		buf[n++] = (uint8_t) y;
	} else {
		buf[n++] = (uint8_t) (x >> 8);
		buf[n++] = (uint8_t) x;
		buf[n++] = (uint8_t) (y >> 8);
		buf[n++] = (uint8_t) y;
	}
	memcpy(buf + n, army, 32);
	memcpy(buf + n + 32, salt, 32);
	cm_keccak256(buf, n + 64, out);
}

/*
 * pvp_allowed tells whether attacker may attack defender's land now: not
 * an ally, not in the planning phase, not a protected player.  The
 * Forsaken are fair game at any time.
 */
const char *
shard_pvp_refusal(const shard_world *w, const sh_player *attacker,
    const sh_player *defender, int64_t now, const char **why)
{
	if (shard_allied(defender, attacker)) {
		*why = "that territory is an ally's";
		return ("ALLIED_TARGET");
	}
	if (shard_game_day(w, now) < cm_rules_generation()->pvp_from_day) {
		*why = "no attacks on players in the planning phase (days 1-5)";
		return ("PVP_DISABLED");
	}
	if (defender->protected_until_ms > now) {
		*why = "that player is under new-player protection";
		return ("TARGET_PROTECTED");
	}
	return (NULL);
}

static bool
pvp_allowed(const shard_world *w, const sh_player *attacker,
    const sh_player *defender, int64_t now, sh_reply *r)
{
	const char *why, *code = shard_pvp_refusal(w, attacker, defender, now,
	                     &why);

	if (code != NULL) {
		sh_refuse(r, code, why, 409);
		return (false);
	}
	return (true);
}

void
shard_act_attack(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	const Nd__ArmyAttack *g = q->army_attack;
	int64_t               now = cm_time_now_ms();
	uint8_t               salt[32];
	bool                  drawn = false;
	int                  *xs, *ys, n = 0;
	int64_t               cost = 0;
	sh_army              *a;
	sh_tile              *t;
	sh_player            *owner;
	sh_combat            *c;
	uint64_t              id;
	uint32_t              fs;
	bool                  forsaken;

	if ((a = act_army(w, q, g->army_id, r)) == NULL ||
	    !check_destination(w, g->x, g->y, r)) {
		return;
	}
	/* Another region's tile: its owner from the replica; the battle
	 * is fought by that shard when the army arrives (shard_handoff.h). */
	t     = shard_tile(w, g->x, g->y);
	owner = t != NULL ? t->owner : shard_replica_owner(w, g->x, g->y);
	forsaken = owner == NULL &&
	    cm_map_forsaken(w->map, g->x, g->y, &fs) != CM_FORSAKEN_NONE;
	if (owner == a->owner || (owner == NULL && !forsaken)) {
		sh_refuse(r, "INVALID_TARGET",
		    "attack a territory another player holds, or a Forsaken"
		    " village", 409);
		return;
	}
	if (!forsaken && !pvp_allowed(w, a->owner, owner, now, r)) {
		return;
	}
	if ((g->commit_hash.len != 0 && g->commit_hash.len != 32) ||
	    (g->salt.len != 0 && g->salt.len != 32) ||
	    (g->commit_hash.len != 0 && g->salt.len != 0)) {
		sh_refuse(r, "INVALID_COMMIT",
		    "a 32-byte commitHash, or a 32-byte salt, or neither", 400);
		return;
	}
	xs = sh_alloc(r, MAX_PATH * sizeof(int));
	ys = sh_alloc(r, MAX_PATH * sizeof(int));
	if (!army_path(w, a->owner, a->x, a->y, g->x, g->y, xs, ys, &n,
	        &cost)) {
		sh_refuse(r, "NO_PATH", "no way over land leads there", 422);
		return;
	}
	if (!act_open_generation(w, r) || !act_writable(w, r)) {
		return;
	}
	id = shard_next_id(w);
	c = cm_calloc(1, sizeof(*c));
	c->id = id;
	snprintf(c->attacker, sizeof(c->attacker), "%s", a->owner->address);
	snprintf(c->defender, sizeof(c->defender), "%s",
	    forsaken ? "" : owner->address);
	snprintf(c->status, sizeof(c->status), "pending");
	c->x          = (int16_t) g->x;
	c->y          = (int16_t) g->y;
	c->army_id    = a->id;
	c->hostile_path = path_hostile(w, a->owner, xs, ys, n - 1);
	c->committed_ms = now;
	c->arrival_ms = now + shard_army_travel_ms(w, a, cost);
	c->deadline_ms = c->arrival_ms + shard_duration_ms(w, REVEAL_WINDOW_MS);
	memcpy(c->att_units, a->units, sizeof(a->units));
	shard_army_hash(a, c->army_hash);
	if (g->commit_hash.len == 32) {
		memcpy(c->commit, g->commit_hash.data, 32);
	} else if (g->salt.len == 32) {
		/* The player's salt: the server commits with it and forgets
		 * it; the reveal must bring it again. */
		attack_commit(w, g->x, g->y, c->army_hash, g->salt.data,
		    c->commit);
	} else {
		randombytes_buf(salt, sizeof(salt));
		attack_commit(w, g->x, g->y, c->army_hash, salt, c->commit);
		drawn = true;
	}
	cm_table_put_u64(w->combats, id, c);
	if (!forsaken && a->owner->protected_until_ms > now) {
		/* Attacking a player ends one's own protection. */
		a->owner->protected_until_ms = now;
		shard_mark_player(w, a->owner);
	}
	a->status     = SH_COMBAT;
	a->dx         = (int16_t) g->x;
	a->dy         = (int16_t) g->y;
	a->depart_ms  = now;
	a->arrival_ms = c->arrival_ms;
	a->combat_id  = id;
	shard_mark_army(w, a->id);
	shard_mark_combat(w, c);
	shard_timer_add(w, SH_T_ARRIVAL, a->x, a->y, a->id, a->arrival_ms);
	/* The deadline is kept with the army (a timer is loaded with the
	 * region of its tile). */
	shard_timer_add(w, SH_T_COMBAT_DEADLINE, a->x, a->y, id,
	    c->deadline_ms);
	shard_event(w, "combat_started", c->attacker, g->x, g->y,
	    json_pack("{s:I,s:s,s:s,s:I}", "combatId", (json_int_t) id,
	        "attacker", c->attacker, "defender", c->defender,
	        "revealDeadline", (json_int_t) c->deadline_ms));
	{
		Nd__AttackCommitted *o = sh_alloc(r, sizeof(*o));

		nd__attack_committed__init(o);
		o->combat_id          = id;
		o->commit_hash.data   = sh_keep(r, cm_malloc(32));
		memcpy(o->commit_hash.data, c->commit, 32);
		o->commit_hash.len    = 32;
		o->reveal_deadline_ms = c->deadline_ms;
		if (drawn) {
			o->salt.data = sh_keep(r, cm_malloc(32));
			memcpy(o->salt.data, salt, 32);
			o->salt.len = 32;
		}
		r->rep->body_case        = ND__SHARD_REPLY__BODY_ATTACK_COMMITTED;
		r->rep->attack_committed = o;
	}
	sodium_memzero(salt, sizeof(salt));
}

void
shard_act_reveal(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	const Nd__CombatReveal *g = q->combat_reveal;
	sh_combat              *c = cm_table_get_u64(w->combats, g->combat_id);
	int64_t                 now = cm_time_now_ms();
	uint8_t                 commit[32];

	if (c == NULL) {
		sh_refuse(r, "COMBAT_NOT_FOUND", "no such combat", 404);
		return;
	}
	if (!cm_eth_addr_is_lower(q->player)) {
		sh_refuse(r, "UNAUTHORIZED", "sign in first", 401);
		return;
	}
	if (strcmp(q->player, c->attacker) != 0) {
		sh_refuse(r, "NOT_OWNER", "only the attacker reveals", 403);
		return;
	}
	if (g->salt.len != 32) {
		sh_refuse(r, "INVALID_SALT", "salt is 32 bytes", 400);
		return;
	}
	if (strcmp(c->status, "pending") != 0) {
		sh_refuse(r, "COMBAT_NOT_PENDING",
		    "this combat was revealed, resolved or expired already",
		    409);
		return;
	}
	attack_commit(w, c->x, c->y, c->army_hash, g->salt.data, commit);
	if (sodium_memcmp(commit, c->commit, 32) != 0) {
		sh_refuse(r, "INVALID_REVEAL",
		    "the salt does not open the commitment", 400);
		return;
	}
	if (!act_writable(w, r)) {
		return;
	}
	memcpy(c->salt, g->salt.data, 32);
	c->has_salt = true;
	snprintf(c->status, sizeof(c->status), "revealed");
	shard_mark_combat(w, c);
	shard_event(w, "combat_revealed", c->attacker, c->x, c->y,
	    json_pack("{s:I}", "combatId", (json_int_t) c->id));
	if (now >= c->arrival_ms) {
		shard_combat_start(w, c, now);
	}
	{
		Nd__CombatRevealed *o = sh_alloc(r, sizeof(*o));

		nd__combat_revealed__init(o);
		o->revealed             = true;
		r->rep->body_case       = ND__SHARD_REPLY__BODY_COMBAT_REVEALED;
		r->rep->combat_revealed = o;
	}
}

/* --- spells --- */

void
shard_act_spell(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	const Nd__SpellCast *g = q->spell_cast;
	const cm_spell_def  *s;
	int64_t              now = cm_time_now_ms(), end;
	sh_player           *p, *victim = NULL, *struck;
	int                  slot = -1, x = -1, y = -1;
	bool                 on_army, on_player, on_tile, fights = false;
	bool                 acted, hostile;
	sh_army             *target = NULL;
	char                 msg[160];
	const char          *why;

	if ((p = act_home_player(w, q, r)) == NULL) {
		return;
	}
	if ((s = cm_spell_find(g->spell_id)) == NULL) {
		sh_refuse(r, "INVALID_SPELL", "unknown spell", 400);
		return;
	}
	/* A racial spell (and the general Windshear, rules decision U11)
	 * is its race's only. */
	if (s->race >= 0 && s->race != p->race) {
		sh_refuse(r, "RACE_CANNOT_CAST",
		    "this spell belongs to another race", 409);
		return;
	}
	on_army   = strcmp(s->target, "army") == 0 ||
	    strcmp(s->target, "single_unit") == 0;
	on_player = strcmp(s->target, "player") == 0;
	on_tile   = !on_army && !on_player && strcmp(s->target, "self") != 0;
	if ((on_army && g->target_case != ND__SPELL_CAST__TARGET_ARMY_ID) ||
	    (on_player &&
	        (g->target_case != ND__SPELL_CAST__TARGET_TARGET_PLAYER ||
	            !cm_eth_addr_is_lower(g->target_player))) ||
	    (on_tile &&
	        (g->target_case != ND__SPELL_CAST__TARGET_COORD ||
	            !cm_layout_in_map(&w->layout, g->coord->x, g->coord->y)))) {
		sh_refuse(r, "INVALID_TARGET", "wrong target for this spell",
		    400);
		return;
	}
	if (on_tile) {
		x = (int) g->coord->x;
		y = (int) g->coord->y;
	}
	for (int i = 0; i < p->ncooldowns; i++) {
		if (strcmp(p->cooldown_spell[i], s->id) == 0) {
			slot = i;
		}
	}
	if (slot >= 0 && p->cooldown_end[slot] > now) {
		sh_refuse(r, "SPELL_COOLDOWN", "this spell is cooling down", 409);
		return;
	}
	if (on_tile && shard_spell_acts_now(s) && !shard_owns_tile(w, x, y)) {
		/* The report (the damage) must live where the tile is. */
		sh_refuse(r, "CROSS_REGION",
		    "that territory is beyond your home region", 409);
		return;
	}
	if (on_army &&
	    ((target = cm_table_get_u64(w->armies, g->army_id)) == NULL ||
	        shard_vision_level(w, p, target->x, target->y, now) ==
	            SH_VIS_DISTANT)) {
		/* The effect must live where the army is; and an army the
		 * caster cannot see answers as one that is not here, so that
		 * spells do not probe the fog. */
		sh_refuse(r, "CROSS_REGION",
		    "that army is not in your home region (or does not exist)",
		    409);
		return;
	}
	if (on_player && shard_spell_acts_now(s) &&
	    ((victim = cm_table_get_str(w->players, g->target_player)) ==
	            NULL ||
	        (victim->armies.n == 0 && victim->tiles.n == 0))) {
		sh_refuse(r, "CROSS_REGION",
		    "that player holds nothing in your home region", 409);
		return;
	}
	/* Hostile spells go to enemies the caster may strike; the others to
	 * its own or its allies' armies. */
	hostile = shard_spell_hostile(s);
	struck  = target != NULL ? target->owner : victim;
	if (hostile && struck == p) {
		sh_refuse(r, "INVALID_TARGET", "cast it on an enemy", 400);
		return;
	}
	if (target != NULL && !hostile && target->owner != p &&
	    !shard_allied(target->owner, p)) {
		sh_refuse(r, "INVALID_TARGET",
		    "cast it on your own or an ally's army", 400);
		return;
	}
	if (hostile && struck != NULL && !pvp_allowed(w, p, struck, now, r)) {
		return;
	}
	if (strcmp(s->id, "titans_aegis") == 0 &&
	    shard_tile(w, x, y)->owner != p) {
		sh_refuse(r, "INVALID_TARGET", "cast it on your own territory",
		    400);
		return;
	}
	if ((why = shard_spell_refusal(w, p, s, target, x, y, now)) != NULL) {
		sh_refuse(r, "INVALID_TARGET", why, 400);
		return;
	}
	if (hostile && (target != NULL
	                       ? shard_spell_warded(w, target->x, target->y, now)
	                       : on_tile && shard_spell_warded(w, x, y, now))) {
		sh_refuse(r, "TARGET_WARDED",
		    "that territory is under Titan's Aegis", 409);
		return;
	}
	if (shard_spell_needs_march(s) && target->status != SH_MOVING &&
	    target->status != SH_COMBAT) {
		sh_refuse(r, "INVALID_TARGET", "that army is not marching", 409);
		return;
	}
	if (!act_open_generation(w, r)) {
		return;
	}
	if (p->mana < s->mana) {
		sh_refuse(r, "INSUFFICIENT_MANA", "not enough mana", 409);
		return;
	}
	/* A sight may leave many reports, each with an id. */
	if (!act_writable_ids(w, r, SH_SPELL_MAX_IDS)) {
		return;
	}
	if (slot < 0) {
		cm_assert(p->ncooldowns < SH_SPELLS);
		slot = p->ncooldowns++;
		snprintf(p->cooldown_spell[slot], sizeof(p->cooldown_spell[0]),
		    "%s", s->id);
	}
	end = now + shard_duration_ms(w, s->cooldown_hours * SH_HOUR_MS);
	p->cooldown_end[slot] = end;
	p->mana -= s->mana;
	shard_mark_player(w, p);
	shard_mark_cooldown(w, p, slot);
	shard_event(w, "spell_cast", p->address, -1, -1,
	    json_pack("{s:s,s:i}", "spell", s->id, "mana", s->mana));
	if (hostile && struck != NULL && p->protected_until_ms > now) {
		/* Striking a player ends one's own protection. */
		p->protected_until_ms = now;
		shard_mark_player(w, p);
	}
	acted = shard_spell_cast(w, p, s, target, victim, x, y, now, msg,
	    sizeof(msg), &fights);
	{
		Nd__SpellResult *o = sh_alloc(r, sizeof(*o));

		nd__spell_result__init(o);
		o->success           = true;
		/* Every spell acts or leaves an effect now; "cast" is for a
		 * rules file that names a spell the code does not know. */
		o->effect            = acted  ? sh_keep(r, cm_strdup(msg))
		               : fights ? "the army is under the spell"
		               : "cast";
		o->mana_cost         = s->mana;
		o->cooldown_end_ms   = end;
		r->rep->body_case    = ND__SHARD_REPLY__BODY_SPELL_RESULT;
		r->rep->spell_result = o;
	}
}

/* --- alliances --- */

static bool
valid_alliance_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 32) {
		return (false);
	}
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char) s[i]) && s[i] != ' ' &&
		    s[i] != '\'' && s[i] != '-') {
			return (false);
		}
	}
	return (true);
}

/* alliance_lookup: 1 exists and active, 0 not, -1 storage failed. */
static int
alliance_lookup(shard_world *w, uint64_t id, const char *name)
{
	char        gid[16], sid[24];
	const char *params[2] = { gid, name ? name : sid };
	PGresult   *r;
	int         rv;

	if (id != 0) {
		sh_alliance *a = cm_table_get_u64(w->alliances, id);

		if (a != NULL) {
			return (a->active);
		}
	}
	if (w->pg == NULL) {
		return (-1);
	}
	snprintf(gid, sizeof(gid), "%u", w->gen.id);
	snprintf(sid, sizeof(sid), "%llu", (unsigned long long) id);
	r = PQexecParams(w->pg,
	    name ? "SELECT 1 FROM alliances WHERE generation_id = $1"
	           " AND lower(name) = lower($2)"
	         : "SELECT 1 FROM alliances WHERE generation_id = $1"
	           " AND id = $2 AND active",
	    2, NULL, params, NULL, NULL, 0);
	rv = PQresultStatus(r) != PGRES_TUPLES_OK ? -1 : PQntuples(r) > 0;
	PQclear(r);
	return (rv);
}

static void
alliance_done(sh_reply *r)
{
	Nd__AllianceDone *o = sh_alloc(r, sizeof(*o));

	nd__alliance_done__init(o);
	o->success            = true;
	r->rep->body_case     = ND__SHARD_REPLY__BODY_ALLIANCE_DONE;
	r->rep->alliance_done = o;
}

void
shard_act_alliance_create(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r)
{
	const char  *name = q->alliance_create->name;
	int64_t      now  = cm_time_now_ms();
	sh_player   *p;
	sh_alliance *a;
	uint64_t     id;
	int          taken;

	if ((p = act_home_player(w, q, r)) == NULL) {
		return;
	}
	if (!valid_alliance_name(name)) {
		sh_refuse(r, "INVALID_NAME",
		    "3 to 32 letters, digits, spaces, ' or -", 400);
		return;
	}
	if (p->alliance_id != 0) {
		sh_refuse(r, "ALREADY_IN_ALLIANCE", "leave your alliance first",
		    409);
		return;
	}
	if (!act_open_generation(w, r)) {
		return;
	}
	if ((taken = alliance_lookup(w, 0, name)) != 0) {
		if (taken > 0) {
			sh_refuse(r, "ALLIANCE_NAME_TAKEN",
			    "an alliance of that name exists", 409);
		} else {
			sh_refuse(r, "STORAGE_UNAVAILABLE",
			    "cannot check the name", 503);
		}
		return;
	}
	if (!act_writable(w, r)) {
		return;
	}
	id = shard_next_id(w);
	a             = cm_calloc(1, sizeof(*a));
	a->id         = id;
	a->active     = true;
	a->created_ms = now;
	snprintf(a->name, sizeof(a->name), "%s", name);
	snprintf(a->founder, sizeof(a->founder), "%s", p->address);
	cm_table_put_u64(w->alliances, id, a);
	shard_set_alliance(w, p, id);
	p->alliance_leader    = true;
	p->alliance_joined_ms = now;
	shard_mark_alliance(w, a);
	shard_mark_membership(w, p);
	shard_event(w, "alliance_formed", p->address, -1, -1,
	    json_pack("{s:I,s:s}", "allianceId", (json_int_t) id, "name",
	        a->name));
	shard_outbox(w, "createAlliance",
	    json_pack("{s:i,s:I,s:s,s:s}", "genId", (int) w->gen.id,
	        "allianceId", (json_int_t) id, "name", a->name, "founder",
	        p->address));
	{
		Nd__AllianceCreated *o = sh_alloc(r, sizeof(*o));

		nd__alliance_created__init(o);
		o->alliance_id           = id;
		r->rep->body_case        = ND__SHARD_REPLY__BODY_ALLIANCE_CREATED;
		r->rep->alliance_created = o;
	}
}

void
shard_act_alliance_join(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r)
{
	uint64_t   id = q->alliance_join->alliance_id;
	sh_player *p;
	int        found;

	if ((p = act_home_player(w, q, r)) == NULL) {
		return;
	}
	if (p->alliance_id != 0) {
		sh_refuse(r, "ALREADY_IN_ALLIANCE",
		    p->alliance_id == id ? "you are a member already"
		                         : "leave your alliance first",
		    409);
		return;
	}
	if ((found = alliance_lookup(w, id, NULL)) <= 0) {
		if (found == 0) {
			sh_refuse(r, "ALLIANCE_NOT_FOUND", "no such alliance",
			    404);
		} else {
			sh_refuse(r, "STORAGE_UNAVAILABLE",
			    "cannot look the alliance up", 503);
		}
		return;
	}
	if (!act_open_generation(w, r) || !act_writable(w, r)) {
		return;
	}
	shard_set_alliance(w, p, id);
	p->alliance_leader    = false;
	p->alliance_joined_ms = cm_time_now_ms();
	shard_mark_membership(w, p);
	shard_event(w, "alliance_joined", p->address, -1, -1,
	    json_pack("{s:I}", "allianceId", (json_int_t) id));
	alliance_done(r);
}

void
shard_act_alliance_leave(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r)
{
	uint64_t   id = q->alliance_leave->alliance_id;
	sh_player *p;

	if ((p = act_home_player(w, q, r)) == NULL) {
		return;
	}
	if (p->alliance_id != id || id == 0) {
		sh_refuse(r, "NOT_MEMBER", "you are not in this alliance", 403);
		return;
	}
	if (!act_writable(w, r)) {
		return;
	}
	shard_set_alliance(w, p, 0);
	p->alliance_leader    = false;
	p->alliance_joined_ms = 0;
	shard_mark_membership(w, p);
	shard_event(w, "alliance_left", p->address, -1, -1,
	    json_pack("{s:I}", "allianceId", (json_int_t) id));
	alliance_done(r);
}
