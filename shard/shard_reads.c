/*
 * shard_reads.c: the answers that only read memory.
 *
 * Fog of war applies to every answer that shows another player's state
 * (shard_vision.c decides the level): a tile shows its owner, garrison,
 * buildings and activity from "scouted" up, its building details to the
 * owner and allies, its stock to the owner only, and below "scouted" only
 * presence; a public profile lists only the land whose owner the asker
 * may see; an army is shown to its owner and to members of the owner's
 * alliance (checked on the owner's record when it is homed here, else
 * owner only); the map part of a signed-in asker holds its own land and
 * its allies'.  Below the owner's and allies' levels an Illusion Army
 * makes a tile's armies look larger (all but an exact report), and an
 * Ash Cloud doubles a scout report's error (shard_ground.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_time.h"
#include "shard_state.h"
#include "shard_vision.h"

static char *
addr_or_empty(const sh_player *p)
{
	return ((char *) (p ? p->address : ""));
}

/* tile_units: the units of every army standing on t. */
static void
tile_units(const sh_tile *t, uint32_t units[CM_UNIT_COUNT])
{
	memset(units, 0, CM_UNIT_COUNT * sizeof(units[0]));
	for (const sh_army *a = t->armies; a != NULL; a = a->next_here) {
		for (int i = 0; i < CM_UNIT_COUNT; i++) {
			units[i] += a->units[i];
		}
	}
}

static bool
units_any(const uint32_t *units)
{
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (units[i] != 0) {
			return (true);
		}
	}
	return (false);
}

/*
 * illusion: an Illusion Army on the tile fools every view below the
 * owner's and allies' but an exact report: the armies there look
 * buff_pct larger, and an empty territory shows buff_pct units of the
 * caster race's first unit (rules order).
 */
static void
illusion(shard_world *w, int x, int y, int64_t now, uint32_t *units)
{
	const cm_spell_def    *s = cm_spell_find("illusion_army");
	const sh_ground_spell *g = cm_table_count(w->ground) != 0
	    ? shard_ground_get(w, x, y, s, now) : NULL;
	const sh_player       *c;

	if (g == NULL) {
		return;
	}
	if (units_any(units)) {
		for (int i = 0; i < CM_UNIT_COUNT; i++) {
			units[i] += (uint32_t) ((uint64_t) units[i] *
			    (uint64_t) s->buff_pct / 100);
		}
		return;
	}
	c = cm_table_get_str(w->players, g->caster);
	for (int i = 0; c != NULL && i < CM_UNIT_COUNT; i++) {
		if (cm_unit(i)->race == c->race) {
			units[i] = (uint32_t) s->buff_pct;
			break;
		}
	}
}

/* tile_presence fills what the fog lets through below "scouted". */
static void
tile_presence(shard_world *w, const sh_tile *t, int x, int y,
    const uint32_t *units, Nd__Territory *o)
{
	uint32_t         fs;
	cm_forsaken_type ft;

	o->has_owner     = t->owner != NULL;
	o->has_buildings = t->nb > 0;
	o->has_army      = t->armies != NULL || units_any(units);
	o->army_size     = (char *) shard_vision_army_size(units);
	if (t->owner == NULL &&
	    (ft = cm_map_forsaken(w->map, x, y, &fs)) != CM_FORSAKEN_NONE) {
		o->forsaken = (char *) cm_forsaken_type_name(ft);
	}
}

/*
 * scout_estimate: the armies' units as the report sc tells them, each
 * count off by the report's noise (fixed when it was cast, so reading it
 * again tells nothing more), exact for True Sight.
 */
static void
scout_estimate(const uint32_t *units, const sh_scout *sc, bool clouded,
    Nd__Territory *o, sh_reply *r)
{
	size_t k = 0;

	o->army_estimate = sh_alloc(r, CM_UNIT_COUNT * sizeof(void *));
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		Nd__UnitCount *u;
		int64_t        n = units[i];

		if (n == 0) {
			continue;
		}
		if (sc != NULL && !sc->exact) {
			/* Through an Ash Cloud, at half the accuracy. */
			n += n * sc->noise_pct * (clouded ? 2 : 1) / 100;
		}
		u = sh_alloc(r, sizeof(*u));
		nd__unit_count__init(u);
		u->type  = (char *) cm_unit(i)->id;
		u->count = (uint32_t) (n < 0 ? 0 : n);
		o->army_estimate[k++] = u;
	}
	o->n_army_estimate = k;
}

void
shard_read_territory(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	int              x = q->territory_get->x, y = q->territory_get->y;
	int64_t          now = cm_time_now_ms();
	sh_tile         *t;
	Nd__Territory   *o;
	Nd__Resources   *res;
	sh_vis           vis;
	const sh_player *obs;
	uint32_t         units[CM_UNIT_COUNT];

	if (!cm_layout_in_map(&w->layout, x, y)) {
		sh_refuse(r, "INVALID_COORD", "coordinates outside the map",
		    400);
		return;
	}
	if ((t = shard_tile(w, x, y)) == NULL) {
		sh_refuse(r, "WRONG_SHARD", "tile is owned by another shard",
		    500);
		return;
	}
	o = sh_alloc(r, sizeof(*o));
	nd__territory__init(o);
	obs = q->player && q->player[0] ? cm_table_get_str(w->players, q->player)
	                                : NULL;
	vis = shard_vision_level(w, obs, x, y, now);
	o->x          = x;
	o->y          = y;
	o->terrain    = (char *) cm_terrain_name(cm_map_terrain(w->map, x, y));
	o->zone       = (char *) cm_zone_name(cm_map_zone_at(w->map, x, y));
	o->visibility = (char *) shard_vision_name(vis);
	o->owner      = (char *) "";
	o->army_size  = (char *) "";
	o->forsaken   = (char *) "";
	tile_units(t, units);
	if ((vis == SH_VIS_ADJACENT || vis == SH_VIS_SCOUTED) &&
	    (vis == SH_VIS_ADJACENT || !shard_vision_scout(obs, x, y,
	        now)->exact)) {
		illusion(w, x, y, now, units);
	}
	if (vis >= SH_VIS_ADJACENT) {
		tile_presence(w, t, x, y, units, o);
	}
	if (vis < SH_VIS_SCOUTED) {
		r->rep->body_case = ND__SHARD_REPLY__BODY_TERRITORY;
		r->rep->territory = o;
		return;
	}
	if (vis == SH_VIS_SCOUTED) {
		scout_estimate(units, shard_vision_scout(obs, x, y, now),
		    shard_vision_clouded(w, x, y, now), o, r);
	}
	o->owner      = addr_or_empty(t->owner);
	o->trust      = t->trust;
	o->garrison   = t->garrison;
	o->last_activity_ms = t->last_activity_ms;
	o->n_buildings = t->nb;
	o->buildings   = sh_alloc(r, t->nb * sizeof(uint64_t));
	for (int i = 0; i < t->nb; i++) {
		o->buildings[i] = t->b[i].id;
	}
	if (vis >= SH_VIS_ALLIED) {
		o->n_building_detail = t->nb;
		o->building_detail   = sh_alloc(r, t->nb * sizeof(void *));
		for (int i = 0; i < t->nb; i++) {
			Nd__Building *b = sh_alloc(r, sizeof(*b));

			nd__building__init(b);
			b->id                 = t->b[i].id;
			b->type = (char *) cm_building(t->b[i].type)->id;
			b->hp                 = t->b[i].hp;
			b->completion_time_ms = t->b[i].done_ms;
			b->complete           = t->b[i].done_ms <= now;
			o->building_detail[i] = b;
		}
	}
	o->detail = vis == SH_VIS_OWNED;
	if (o->detail) {
		res = sh_alloc(r, sizeof(*res));
		nd__resources__init(res);
		res->gold  = t->res.gold;
		res->stone = t->res.stone;
		res->wood  = t->res.wood;
		res->food  = t->res.food;
		res->mana  = t->res.mana;
		o->resources = res;
	}
	r->rep->body_case = ND__SHARD_REPLY__BODY_TERRITORY;
	r->rep->territory = o;
}

static Nd__UnitCount **
units_out(const uint32_t *u, size_t *n, sh_reply *r)
{
	Nd__UnitCount **v;
	size_t          k = 0;

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		k += u[i] != 0;
	}
	v  = sh_alloc(r, k * sizeof(*v));
	*n = k;
	k  = 0;
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (u[i] != 0) {
			Nd__UnitCount *c = sh_alloc(r, sizeof(*c));

			nd__unit_count__init(c);
			c->type = (char *) cm_unit(i)->id;
			c->count = u[i];
			v[k++]   = c;
		}
	}
	return (v);
}


void
shard_fill_army(shard_world *w, const sh_army *a, Nd__Army *o, sh_reply *r)
{
	(void) w;
	nd__army__init(o);
	o->id     = a->id;
	o->owner  = (char *) a->owner->address;
	o->x      = a->x;
	o->y      = a->y;
	o->moving = a->status == SH_MOVING || a->status == SH_COMBAT;
	if (o->moving) {
		o->dest_x          = a->dx;
		o->dest_y          = a->dy;
		o->arrival_time_ms = a->arrival_ms;
	} else if (a->status == SH_TRAINING) {
		o->arrival_time_ms = a->arrival_ms; /* when it is trained */
	}
	o->status            = (char *) shard_army_status_names[a->status];
	o->morale            = a->morale;
	o->foreign_soil_days = a->foreign_soil_days;
	o->garrison          = a->garrison;
	o->units             = units_out(a->units, &o->n_units, r);
}

/* may_see_army: the owner, or a member of the owner's alliance. */
static bool
may_see_army(shard_world *w, const sh_army *a, const char *who)
{
	sh_player *me;

	if (who == NULL || who[0] == '\0') {
		return (false);
	}
	if (strcmp(a->owner->address, who) == 0) {
		return (true);
	}
	me = cm_table_get_str(w->players, who);
	return (me != NULL && shard_allied(me, a->owner));
}

void
shard_read_army(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	sh_army  *a = cm_table_get_u64(w->armies, q->army_get->army_id);
	Nd__Army *o;

	if (a == NULL) {
		sh_refuse(r, "ARMY_NOT_FOUND", "no such army", 404);
		return;
	}
	if (!may_see_army(w, a, q->player)) {
		sh_refuse(r, "NOT_OWNER", "not your army", 403);
		return;
	}
	o = sh_alloc(r, sizeof(*o));
	shard_fill_army(w, a, o, r);
	r->rep->body_case = ND__SHARD_REPLY__BODY_ARMY;
	r->rep->army      = o;
}

void
shard_read_player(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	const Nd__PlayerGet *g = q->player_get;
	Nd__PlayerPart      *o = sh_alloc(r, sizeof(*o));
	sh_player           *p, *asker;
	Nd__Resources       *res;
	int64_t              now = cm_time_now_ms();

	nd__player_part__init(o);
	r->rep->body_case   = ND__SHARD_REPLY__BODY_PLAYER_PART;
	r->rep->player_part = o;
	o->home             = shard_home_of(w, g->address);
	if ((p = cm_table_get_str(w->players, g->address)) == NULL) {
		return;
	}
	if (p->home) {
		o->registered    = true;
		o->race          = (char *) cm_race_name(p->race);
		o->premium       = p->premium;
		o->alliance_id   = p->alliance_id;
		o->registered_ms = p->registered_ms;
		if (g->full) {
			Nd__Captain *c = sh_alloc(r, sizeof(*c));

			nd__captain__init(c);
			c->name    = p->captain;
			c->class_  = (char *) cm_class_name(p->cls);
			c->skill   = (char *) cm_skill_name(p->cls, p->skill);
			o->captain = c;
			o->mana    = p->mana;
		}
	}
	o->domain_points   = p->points;
	o->territory_count = p->tiles.n;
	o->territories     = sh_alloc(r, p->tiles.n * sizeof(void *));
	res                = sh_alloc(r, sizeof(*res));
	nd__resources__init(res);
	asker = q->player && q->player[0]
	    ? cm_table_get_str(w->players, q->player)
	    : NULL;
	for (uint32_t i = 0; i < p->tiles.n; i++) {
		Nd__TerritoryBrief *b;
		sh_tile            *t = &w->tiles[p->tiles.v[i]];
		int                 x, y;

		res->gold  += t->res.gold;
		res->stone += t->res.stone;
		res->wood  += t->res.wood;
		res->food  += t->res.food;
		res->mana  += t->res.mana;
		shard_tile_xy(w, (uint32_t) p->tiles.v[i], &x, &y);
		/* The public profile lists the land the asker may see the
		 * owner of; the full (own) view lists it all. */
		if (!g->full &&
		    shard_vision_level(w, asker, x, y, now) < SH_VIS_SCOUTED) {
			continue;
		}
		b = sh_alloc(r, sizeof(*b));
		nd__territory_brief__init(b);
		b->x         = x;
		b->y         = y;
		b->terrain   = (char *) cm_terrain_name(
                    cm_map_terrain(w->map, x, y));
		b->zone      = (char *) cm_zone_name(cm_map_zone_at(w->map, x, y));
		b->buildings = t->nb;
		b->garrison  = t->garrison;
		o->territories[o->n_territories++] = b;
	}
	if (!g->full) {
		return;
	}
	o->resources = res;
	o->n_armies  = p->armies.n;
	o->armies    = sh_alloc(r, p->armies.n * sizeof(void *));
	for (uint32_t i = 0; i < p->armies.n; i++) {
		Nd__Army *a = sh_alloc(r, sizeof(*a));

		shard_fill_army(w, cm_table_get_u64(w->armies, p->armies.v[i]),
		    a, r);
		o->armies[i] = a;
	}
}

static void
map_tiles_of(shard_world *w, const sh_player *p, Nd__MapPart *o,
    sh_reply *r)
{
	for (uint32_t i = 0; i < p->tiles.n; i++) {
		Nd__TileOwner *t = sh_alloc(r, sizeof(*t));
		int            x, y;

		nd__tile_owner__init(t);
		shard_tile_xy(w, (uint32_t) p->tiles.v[i], &x, &y);
		t->x        = x;
		t->y        = y;
		t->owner    = (char *) p->address;
		t->garrison = w->tiles[p->tiles.v[i]].garrison;
		o->tiles[o->n_tiles++] = t;
	}
}

/*
 * shard_read_map answers the asker's land and its allies' in this region
 * (owner and garrison: what "allied" and "owned" show); the map's terrain
 * is public and made by the gateway.
 */
void
shard_read_map(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	Nd__MapPart  *o = sh_alloc(r, sizeof(*o));
	sh_player    *p = q->player && q->player[0]
	      ? cm_table_get_str(w->players, q->player)
	      : NULL;
	const sh_vec *m = NULL;
	size_t        n;

	nd__map_part__init(o);
	r->rep->body_case = ND__SHARD_REPLY__BODY_MAP_PART;
	r->rep->map_part  = o;
	if (p == NULL) {
		return;
	}
	n = p->tiles.n;
	if (p->alliance_id != 0 &&
	    (m = cm_table_get_u64(w->members, p->alliance_id)) != NULL) {
		for (uint32_t i = 0; i < m->n; i++) {
			const sh_player *a = (const sh_player *) (uintptr_t) m->v[i];

			n += a != p ? a->tiles.n : 0;
		}
	}
	o->tiles = sh_alloc(r, n * sizeof(void *));
	map_tiles_of(w, p, o, r);
	for (uint32_t i = 0; m != NULL && i < m->n; i++) {
		const sh_player *a = (const sh_player *) (uintptr_t) m->v[i];

		if (a != p) {
			map_tiles_of(w, a, o, r);
		}
	}
}

void
shard_read_combat(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	sh_combat         *c = cm_table_get_u64(w->combats,
                q->combat_result_get->combat_id);
	Nd__CombatResult  *o;
	Nd__Resources     *loot;

	if (c == NULL) {
		sh_refuse(r, "COMBAT_NOT_FOUND", "no such combat", 404);
		return;
	}
	o = sh_alloc(r, sizeof(*o));
	nd__combat_result__init(o);
	loot = sh_alloc(r, sizeof(*loot));
	nd__resources__init(loot);
	o->id       = c->id;
	o->attacker = c->attacker;
	o->defender = c->defender;
	o->x        = c->x;
	o->y        = c->y;
	o->status   = c->status;
	o->winner   = c->winner;
	o->rounds   = c->rounds;
	o->loot     = loot;
	o->resolved_at_ms = c->resolved_ms;
	if (c->resolved_ms > 0) {
		o->result_hash.data = c->result_hash;
		o->result_hash.len  = 32;
		o->attacker_losses  = units_out(c->att_loss,
                    &o->n_attacker_losses, r);
		o->defender_losses  = units_out(c->def_loss,
                    &o->n_defender_losses, r);
		if (c->battle_record != NULL) {
			o->record_json = c->battle_record;
		}
	}
	r->rep->body_case     = ND__SHARD_REPLY__BODY_COMBAT_RESULT;
	r->rep->combat_result = o;
}

void
shard_read_alliance(shard_world *w, const Nd__ShardRequest *q, sh_reply *r)
{
	uint64_t             id = q->alliance_members_get->alliance_id;
	sh_alliance         *a  = cm_table_get_u64(w->alliances, id);
	Nd__AllianceMembers *o  = sh_alloc(r, sizeof(*o));
	const sh_vec        *v  = cm_table_get_u64(w->members, id);

	nd__alliance_members__init(o);
	if (a != NULL) {
		o->known  = true;
		o->name   = a->name;
		o->active = a->active;
	}
	/* Members homed here, from the shard's member index (which also
	 * holds the replica's members homed elsewhere: their shards answer
	 * for them). */
	o->members   = sh_alloc(r, (v ? v->n : 0) * sizeof(void *));
	for (size_t i = 0; v != NULL && i < v->n; i++) {
		const sh_player    *p = (const sh_player *) (uintptr_t) v->v[i];
		Nd__AllianceMember *e;

		if (!p->home) {
			continue;
		}
		e = sh_alloc(r, sizeof(*e));
		nd__alliance_member__init(e);
		e->address   = (char *) p->address;
		e->role      = p->alliance_leader ? "leader" : "member";
		e->joined_ms = p->alliance_joined_ms;
		o->members[o->n_members++] = e;
	}
	r->rep->body_case        = ND__SHARD_REPLY__BODY_ALLIANCE_MEMBERS;
	r->rep->alliance_members = o;
}
