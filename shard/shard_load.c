/*
 * shard_load.c: (re)building a shard's memory from PostgreSQL, at start,
 * after a failed commit, and when a new generation opens.  Every player
 * of the generation is read (the home shard keeps its full record, others
 * its race); everything spatial only for this region.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_hex.h"
#include "cm_log.h"
#include "shard_replica.h"
#include "shard_state.h"

#define MSCOL(c) "(EXTRACT(EPOCH FROM " c ") * 1000)::BIGINT"

typedef struct q {
	PGresult *r;
	int       n;
} q;

/* load_query runs sql with params (gen, x0, x1, y0, y1, one id) as
 * needed. */
static bool
load_query(shard_world *w, const char *sql, int nparams, q *out)
{
	char        p[6][24];
	const char *pv[6];

	snprintf(p[0], 24, "%u", w->gen.id);
	snprintf(p[1], 24, "%d", w->region.x0);
	snprintf(p[2], 24, "%d", w->region.x1);
	snprintf(p[3], 24, "%d", w->region.y0);
	snprintf(p[4], 24, "%d", w->region.y1);
	snprintf(p[5], 24, "%llu", (unsigned long long) w->load_one);
	for (int i = 0; i < 6; i++) {
		pv[i] = p[i];
	}
	out->r = PQexecParams(w->pg, sql, nparams, NULL, pv, NULL, NULL, 0);
	if (PQresultStatus(out->r) != PGRES_TUPLES_OK) {
		cm_log_error("cannot load state", "{s:s,s:s}", "query", sql,
		    "error", PQresultErrorMessage(out->r));
		PQclear(out->r);
		return (false);
	}
	out->n = PQntuples(out->r);
	return (true);
}

static const char *
v(const q *r, int row, int col)
{
	return (PQgetvalue(r->r, row, col));
}

static long long
vi(const q *r, int row, int col)
{
	return (PQgetisnull(r->r, row, col) ? 0 : atoll(v(r, row, col)));
}

static void
vbytes(const q *r, int row, int col, uint8_t out[32])
{
	const char *s = v(r, row, col);
	size_t      n = strlen(s);

	memset(out, 0, 32);
	if (n == 66 && s[0] == '\\' && s[1] == 'x') {
		cm_hex_decode(s + 2, 64, out, 32);
	}
}

static void
units_from_json(const char *s, uint32_t *u)
{
	json_error_t e;
	json_t      *o = json_loads(s, 0, &e);
	const char  *k;
	json_t      *val;

	if (o == NULL) {
		return;
	}
	json_object_foreach(o, k, val)
	{
		int i = cm_unit_index(k);

		if (i >= 0 && json_is_integer(val)) {
			u[i] = (uint32_t) json_integer_value(val);
		}
	}
	json_decref(o);
}

static bool
load_players(shard_world *w)
{
	q r;

	if (!load_query(w,
	        "SELECT address, race, coalesce(captain_name, ''),"
	        " captain_class, captain_skill, premium, mana, "
	        MSCOL("registered_at") ", coalesce(" MSCOL("protected_until")
	        ", 0), coalesce(captain_army, 0), captain_dead, coalesce("
	        MSCOL("captain_wounded_until") ", 0), domain_points, coalesce("
	        MSCOL("frenzy_until") ", 0), coalesce("
	        MSCOL("foresight_until") ", 0)"
	        " FROM players"
	        " WHERE generation_id = $1",
	        1, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_player *p = shard_player_new(w, v(&r, i, 0));

		/* What battles and PvP checks need, of every player. */
		p->race          = (uint8_t) vi(&r, i, 1);
		p->cls           = (uint8_t) vi(&r, i, 3);
		p->skill         = (uint8_t) vi(&r, i, 4);
		p->registered_ms = vi(&r, i, 7);
		p->protected_until_ms = vi(&r, i, 8);
		p->captain_army       = (uint64_t) vi(&r, i, 9);
		p->captain_dead       = v(&r, i, 10)[0] == 't';
		p->captain_wounded_until_ms = vi(&r, i, 11);
		if (!p->home) {
			continue;
		}
		snprintf(p->captain, sizeof(p->captain), "%s", v(&r, i, 2));
		/* Only the home shard scores a player (the leaderboard sums
		 * every shard's set). */
		p->points        = vi(&r, i, 12);
		p->frenzy_until_ms = vi(&r, i, 13);
		p->foresight_until_ms = vi(&r, i, 14);
		p->premium       = v(&r, i, 5)[0] == 't';
		p->mana          = vi(&r, i, 6);
	}
	w->player_count = (uint32_t) r.n;
	PQclear(r.r);
	if (!load_query(w,
	        "SELECT player, alliance_id, role, " MSCOL("joined_at")
	        " FROM alliance_members WHERE generation_id = $1",
	        1, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_player *p = cm_table_get_str(w->players, v(&r, i, 0));

		if (p != NULL && p->home) {
			shard_set_alliance(w, p, (uint64_t) vi(&r, i, 1));
			p->alliance_leader    = strcmp(v(&r, i, 2), "leader") == 0;
			p->alliance_joined_ms = vi(&r, i, 3);
		}
	}
	PQclear(r.r);
	if (!load_query(w,
	        "SELECT player, spell, " MSCOL("ends_at")
	        " FROM spell_cooldowns WHERE generation_id = $1",
	        1, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_player *p = cm_table_get_str(w->players, v(&r, i, 0));

		if (p != NULL && p->home && p->ncooldowns < SH_SPELLS) {
			int s = p->ncooldowns++;

			snprintf(p->cooldown_spell[s], sizeof(p->cooldown_spell[0]),
			    "%s", v(&r, i, 1));
			p->cooldown_end[s] = vi(&r, i, 2);
		}
	}
	PQclear(r.r);
	/* Live scout reports (expired ones no longer count). */
	if (!load_query(w,
	        "SELECT player, id, x, y, accuracy, data->>'noisePct',"
	        " data->>'exact', data->>'expiresMs' FROM scout_reports"
	        " WHERE generation_id = $1 AND (data->>'expiresMs')::BIGINT >"
	        " (EXTRACT(EPOCH FROM NOW()) * 1000)::BIGINT ORDER BY id",
	        1, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_player *p = cm_table_get_str(w->players, v(&r, i, 0));
		sh_scout  *sc;

		if (p == NULL || !p->home) {
			continue;
		}
		/* The newest SH_SCOUTS win: older ones are overwritten. */
		sc = &p->scouts[p->nscouts < SH_SCOUTS ? p->nscouts++
		                                      : (int) (i % SH_SCOUTS)];
		sc->id         = (uint64_t) vi(&r, i, 1);
		sc->x          = (int16_t) vi(&r, i, 2);
		sc->y          = (int16_t) vi(&r, i, 3);
		sc->accuracy   = (uint8_t) vi(&r, i, 4);
		sc->noise_pct  = (int8_t) vi(&r, i, 5);
		sc->exact      = strcmp(v(&r, i, 6), "true") == 0;
		sc->expires_ms = vi(&r, i, 7);
	}
	PQclear(r.r);
	return (true);
}

static bool
load_alliances(shard_world *w)
{
	q r;

	if (!load_query(w,
	        "SELECT id, name, founder, active, " MSCOL("created_at")
	        " FROM alliances WHERE generation_id = $1",
	        1, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_alliance *a;

		if (!shard_home_of(w, v(&r, i, 2))) {
			continue;
		}
		a             = cm_calloc(1, sizeof(*a));
		a->id         = (uint64_t) vi(&r, i, 0);
		a->active     = v(&r, i, 3)[0] == 't';
		a->created_ms = vi(&r, i, 4);
		snprintf(a->name, sizeof(a->name), "%s", v(&r, i, 1));
		snprintf(a->founder, sizeof(a->founder), "%s", v(&r, i, 2));
		cm_table_put_u64(w->alliances, a->id, a);
	}
	PQclear(r.r);
	return (true);
}

#define IN_REGION " AND x BETWEEN $2 AND $3 AND y BETWEEN $4 AND $5"

static bool
load_tiles(shard_world *w)
{
	q r;

	if (!load_query(w,
	        "SELECT t.x, t.y, t.owner, t.trust, " MSCOL("t.last_activity")
	        ", r.gold, r.stone, r.wood, r.food, r.mana, coalesce("
	        MSCOL("t.aegis_until") ", 0), t.spells::text"
	        " FROM territories t"
	        " LEFT JOIN resources r ON r.territory_id = t.id"
	        " WHERE t.generation_id = $1 AND t.x BETWEEN $2 AND $3"
	        " AND t.y BETWEEN $4 AND $5",
	        5, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		int      x = (int) vi(&r, i, 0), y = (int) vi(&r, i, 1);
		sh_tile *t = shard_tile(w, x, y);

		if (t == NULL) {
			continue;
		}
		if (!PQgetisnull(r.r, i, 2)) {
			sh_player *p = shard_player_known(w, v(&r, i, 2));

			t->owner = p;
			sh_vec_push(&p->tiles, shard_tile_index(w, x, y));
		}
		t->trust            = (uint8_t) vi(&r, i, 3);
		t->last_activity_ms = vi(&r, i, 4);
		t->res.gold         = vi(&r, i, 5);
		t->res.stone        = vi(&r, i, 6);
		t->res.wood         = vi(&r, i, 7);
		t->res.food         = vi(&r, i, 8);
		t->res.mana         = vi(&r, i, 9);
		t->aegis_until_ms   = vi(&r, i, 10);
		if (!PQgetisnull(r.r, i, 11)) {
			shard_ground_parse(w, x, y, v(&r, i, 11));
		}
	}
	PQclear(r.r);
	if (!load_query(w,
	        "SELECT x, y, id, building_type, hp, "
	        MSCOL("construction_end") " FROM buildings"
	        " WHERE generation_id = $1" IN_REGION " ORDER BY id",
	        5, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_tile *t = shard_tile(w, (int) vi(&r, i, 0), (int) vi(&r, i, 1));

		if (t == NULL || t->nb >= 255) {
			continue;
		}
		t->b = cm_realloc(t->b, (size_t) (t->nb + 1) * sizeof(*t->b));
		t->b[t->nb++] = (sh_building) { .id = (uint64_t) vi(&r, i, 2),
			.type = (uint8_t) vi(&r, i, 3), .hp = (int32_t) vi(&r, i, 4),
			.done_ms = vi(&r, i, 5) };
	}
	PQclear(r.r);
	return (true);
}


/*
 * load_armies_where reads the region's armies, or (one > 0) that one army
 * if it stands in the region.
 */
static bool
load_armies_where(shard_world *w, uint64_t one)
{
	q r;

	w->load_one = one;
	if (!load_query(w,
	        "SELECT id, owner, x, y, status, morale, foreign_soil_days,"
	        " coalesce(destination_x, x), coalesce(destination_y, y), "
	        MSCOL("arrival_time") ", garrison, " MSCOL("departure_time")
	        ", effects::text FROM armies WHERE generation_id = $1" IN_REGION
	        " AND ($6::BIGINT = 0 OR id = $6::BIGINT) ORDER BY id",
	        6, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_player *p = shard_player_known(w, v(&r, i, 1));
		sh_army   *a;

		a = shard_army_new(w, (uint64_t) vi(&r, i, 0), p,
		    (int) vi(&r, i, 2), (int) vi(&r, i, 3));
		for (int s = 0; s < SH_STATUS_COUNT; s++) {
			if (strcmp(v(&r, i, 4), shard_army_status_names[s]) == 0) {
				a->status = (uint8_t) s;
			}
		}
		a->morale            = (uint8_t) vi(&r, i, 5);
		a->foreign_soil_days = (uint8_t) vi(&r, i, 6);
		a->dx                = (int16_t) vi(&r, i, 7);
		a->dy                = (int16_t) vi(&r, i, 8);
		a->arrival_ms        = vi(&r, i, 9);
		a->garrison          = v(&r, i, 10)[0] == 't';
		a->depart_ms         = vi(&r, i, 11);
		shard_effect_parse(a, v(&r, i, 12));
		if (a->garrison && shard_tile(w, a->x, a->y) != NULL) {
			shard_tile(w, a->x, a->y)->garrison = a->id;
		}
	}
	PQclear(r.r);
	if (!load_query(w,
	        "SELECT u.army_id, u.unit_type, u.count FROM army_units u"
	        " JOIN armies a ON a.id = u.army_id WHERE a.generation_id = $1"
	        " AND a.x BETWEEN $2 AND $3 AND a.y BETWEEN $4 AND $5"
	        " AND ($6::BIGINT = 0 OR a.id = $6::BIGINT)",
	        6, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_army *a = cm_table_get_u64(w->armies, (uint64_t) vi(&r, i, 0));
		long long t = vi(&r, i, 1);

		if (a != NULL && t >= 0 && t < CM_UNIT_COUNT) {
			a->units[t] = (uint32_t) vi(&r, i, 2);
		}
	}
	PQclear(r.r);
	return (true);
}

static bool
load_armies(shard_world *w)
{
	return (load_armies_where(w, 0));
}

sh_army *
shard_load_army(shard_world *w, uint64_t id)
{
	if (w->pg == NULL || id == 0 || cm_table_get_u64(w->armies, id) != NULL ||
	    !load_armies_where(w, id)) {
		return (NULL);
	}
	return (cm_table_get_u64(w->armies, id));
}

/*
 * load_combats_where reads the combats this shard holds, or (one > 0)
 * those of army one: a battle to come is held with its army (its tile may be another
 * region's until the army arrives, shard_handoff.h), a battle fought with
 * its tile.
 */
static bool
load_combats_where(shard_world *w, uint64_t one)
{
	q r;

	w->load_one = one;
	if (!load_query(w,
	        "SELECT id, attacker, coalesce(defender, ''),"
	        " coalesce(winner, ''), x, y, army_id, status,"
	        " attack_commit_hash, coalesce(salt, ''::bytea),"
	        " army_hash, coalesce(result_hash, ''::bytea), "
	        MSCOL("arrival_time") ", " MSCOL("reveal_deadline") ", "
	        MSCOL("resolved_at") ", rounds,"
	        " attacker_units, defender_units, attacker_losses,"
	        " defender_losses, battle_input::text, battle_record::text,"
	        " hostile_path, " MSCOL("created_at")
	        " FROM combats c WHERE generation_id = $1"
	        " AND ($6::BIGINT = 0 OR army_id = $6::BIGINT) AND CASE WHEN"
	        " status IN ('pending', 'revealed') THEN EXISTS (SELECT 1"
	        " FROM armies a WHERE a.id = c.army_id"
	        " AND a.x BETWEEN $2 AND $3 AND a.y BETWEEN $4 AND $5)"
	        " ELSE c.x BETWEEN $2 AND $3 AND c.y BETWEEN $4 AND $5 END",
	        6, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_combat *c = cm_calloc(1, sizeof(*c));
		sh_army   *a;

		c->id = (uint64_t) vi(&r, i, 0);
		snprintf(c->attacker, sizeof(c->attacker), "%s", v(&r, i, 1));
		snprintf(c->defender, sizeof(c->defender), "%s", v(&r, i, 2));
		snprintf(c->winner, sizeof(c->winner), "%s", v(&r, i, 3));
		c->x       = (int16_t) vi(&r, i, 4);
		c->y       = (int16_t) vi(&r, i, 5);
		c->army_id = (uint64_t) vi(&r, i, 6);
		snprintf(c->status, sizeof(c->status), "%s", v(&r, i, 7));
		vbytes(&r, i, 8, c->commit);
		vbytes(&r, i, 9, c->salt);
		c->has_salt = strlen(v(&r, i, 9)) == 66;
		vbytes(&r, i, 10, c->army_hash);
		vbytes(&r, i, 11, c->result_hash);
		c->arrival_ms  = vi(&r, i, 12);
		c->deadline_ms = vi(&r, i, 13);
		c->resolved_ms = vi(&r, i, 14);
		c->rounds      = (uint32_t) vi(&r, i, 15);
		units_from_json(v(&r, i, 16), c->att_units);
		units_from_json(v(&r, i, 17), c->def_units);
		units_from_json(v(&r, i, 18), c->att_loss);
		units_from_json(v(&r, i, 19), c->def_loss);
		c->hostile_path = v(&r, i, 22)[0] == 't';
		c->committed_ms = vi(&r, i, 23);
		if (!PQgetisnull(r.r, i, 20)) {
			c->battle_input  = cm_strdup(v(&r, i, 20));
			c->battle_record = cm_strdup(v(&r, i, 21));
		}
		cm_table_put_u64(w->combats, c->id, c);
		if ((strcmp(c->status, "pending") == 0 ||
		        strcmp(c->status, "revealed") == 0) &&
		    (a = cm_table_get_u64(w->armies, c->army_id)) != NULL) {
			a->combat_id = c->id;
		}
	}
	PQclear(r.r);
	return (true);
}

static bool
load_combats(shard_world *w)
{
	return (load_combats_where(w, 0));
}

sh_combat *
shard_load_combat_of(shard_world *w, sh_army *a)
{
	if (w->pg == NULL || a->combat_id != 0 ||
	    !load_combats_where(w, a->id)) {
		return (NULL);
	}
	return (cm_table_get_u64(w->combats, a->combat_id));
}

static bool
load_timers(shard_world *w)
{
	q r;

	if (!load_query(w,
	        "SELECT id, kind, x, y, entity_id, " MSCOL("due_at")
	        " FROM timers WHERE generation_id = $1" IN_REGION,
	        5, &r)) {
		return (false);
	}
	for (int i = 0; i < r.n; i++) {
		sh_timer t = { .id = (uint64_t) vi(&r, i, 0),
			.x = (int16_t) vi(&r, i, 2), .y = (int16_t) vi(&r, i, 3),
			.entity = (uint64_t) vi(&r, i, 4), .due_ms = vi(&r, i, 5) };

		for (uint8_t k = 0; k < SH_T_COUNT; k++) {
			if (strcmp(v(&r, i, 1), shard_timer_kinds[k]) == 0) {
				t.kind = k;
			}
		}
		w->day_timer |= t.kind == SH_T_DAY;
		shard_timer_push(w, &t);
	}
	PQclear(r.r);
	return (true);
}

cm_err
shard_load_state(shard_world *w)
{
	if (w->pg == NULL) {
		return (CM_EDB);
	}
	if (!load_players(w) || !load_alliances(w) || !load_tiles(w) ||
	    !load_armies(w) || !load_combats(w) || !load_timers(w) ||
	    !shard_replica_load(w)) {
		shard_state_clear(w);
		return (CM_EDB);
	}
	w->battles_unchecked = true; /* shard_handoff_sweep looks once */
	return (CM_OK);
}
