/*
 * shard_persist.c: group commit.
 *
 * Actions mark what they changed; the marks of every action handled while
 * the previous group was committing form the next group.  Flushing a group
 * writes the current rows of its marked entities (an entity changed by
 * ten actions is written once) and its appended rows (events, outbox,
 * timers) as one pipelined transaction.  When it commits, the held replies
 * of its actions are sent and the Redis keys of its entities refreshed;
 * when it fails, every held reply (of this group and of the one gathering
 * behind it, whose actions saw its changes) becomes 503
 * STORAGE_UNAVAILABLE, and the shard reloads its state from PostgreSQL
 * before it takes another action.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_hex.h"
#include "cm_log.h"
#include "cm_time.h"
#include "shard_handoff.h"
#include "shard_persist.h"
#include "shard_player_sync.h"
#include "shard_replica.h"
#include "shard_state.h"
#include "shard_store.h"
#include "shard_world.h"

typedef struct sh_row {
	char    *type;     /* event type or outbox kind */
	char     player[SH_ADDR_LEN + 1];
	int      x, y;     /* -1: none */
	int64_t  ms;
	char    *json;
} sh_row;

sh_group *
shard_group_new(uint32_t seq)
{
	sh_group *g = cm_calloc(1, sizeof(*g));

	g->seq = seq;
	return (g);
}

static void
rows_free(sh_row *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		free(r[i].type);
		free(r[i].json);
	}
	free(r);
}

void
shard_group_free(sh_group *g)
{
	if (g == NULL) {
		return;
	}
	sh_vec_free(&g->tiles);
	sh_vec_free(&g->armies);
	sh_vec_free(&g->combats);
	sh_vec_free(&g->alliances);
	sh_vec_free(&g->timers_done);
	free(g->players);
	free(g->members);
	free(g->cooldowns);
	free(g->scouts);
	free(g->timers_new);
	rows_free(g->events, g->nevents);
	rows_free(g->outbox, g->noutbox);
	for (uint32_t i = 0; i < g->nbatches; i++) {
		shard_batch_free(g->batches[i]);
	}
	free(g->batches);
	for (uint32_t i = 0; i < g->nhandoffs; i++) {
		free(g->handoffs[i].army);
		if (g->handoffs[i].combat != NULL) {
			shard_combat_free(g->handoffs[i].combat);
		}
	}
	free(g->handoffs);
	free(g->handoffs_done);
	free(g->psyncs);
	free(g->psyncs_done);
	free(g);
}

static sh_group *
gathering(shard_world *w)
{
	if (w->gathering == NULL) {
		w->gathering = shard_group_new(++w->group_seq);
	}
	return (w->gathering);
}

#define PUSH(arr, n, cap, val)                                      \
	do {                                                        \
		if ((n) == (cap)) {                                 \
			(cap) = (cap) ? (cap) * 2 : 8;              \
			(arr) = cm_realloc((arr), (cap) * sizeof(*(arr))); \
		}                                                   \
		(arr)[(n)++] = (val);                               \
	} while (0)

void
shard_mark_handoff(shard_world *w, sh_army *a, sh_combat *c, uint64_t id,
    int to)
{
	sh_group  *g = gathering(w);
	sh_handoff h = { id, to, a, c };

	PUSH(g->handoffs, g->nhandoffs, g->caphandoffs, h);
	g->changes++;
}

void
shard_mark_psync(shard_world *w, const sh_psync *m)
{
	sh_group *g = gathering(w);

	PUSH(g->psyncs, g->npsyncs, g->cappsyncs, *m);
	g->changes++;
}

void
shard_mark_psync_done(shard_world *w, uint64_t id)
{
	sh_group *g = gathering(w);

	PUSH(g->psyncs_done, g->npsyncs_done, g->cappsyncs_done, id);
	g->changes++;
}

void
shard_mark_handoff_done(shard_world *w, uint64_t id)
{
	sh_group *g = gathering(w);

	PUSH(g->handoffs_done, g->nhandoffs_done, g->caphandoffs_done, id);
	g->changes++;
}

void
shard_mark_tile(shard_world *w, int x, int y)
{
	sh_group *g = gathering(w);
	sh_tile  *t = shard_tile(w, x, y);

	if (t != NULL && t->mark != g->seq) {
		t->mark = g->seq;
		sh_vec_push(&g->tiles, shard_tile_index(w, x, y));
	}
	g->changes++;
}

void
shard_mark_army(shard_world *w, uint64_t id)
{
	sh_group *g = gathering(w);
	sh_army  *a = cm_table_get_u64(w->armies, id);

	if (a == NULL || a->mark != g->seq) {
		if (a != NULL) {
			a->mark = g->seq;
		}
		sh_vec_push(&g->armies, id);
	}
	g->changes++;
}

void
shard_mark_player(shard_world *w, sh_player *p)
{
	sh_group *g = gathering(w);

	if (p->mark != g->seq) {
		p->mark = g->seq;
		PUSH(g->players, g->nplayers, g->capplayers, p);
	}
	g->changes++;
}

void
shard_mark_combat(shard_world *w, sh_combat *c)
{
	sh_group *g = gathering(w);

	if (c->mark != g->seq) {
		c->mark = g->seq;
		sh_vec_push(&g->combats, c->id);
	}
	g->changes++;
}

void
shard_mark_alliance(shard_world *w, sh_alliance *a)
{
	sh_group *g = gathering(w);

	if (a->mark != g->seq) {
		a->mark = g->seq;
		sh_vec_push(&g->alliances, a->id);
	}
	g->changes++;
}

void
shard_mark_timer_new(shard_world *w, const sh_timer *t)
{
	sh_group *g = gathering(w);

	PUSH(g->timers_new, g->ntimers_new, g->captimers_new, *t);
	g->changes++;
}

void
shard_mark_timer_done(shard_world *w, uint64_t id)
{
	sh_group *g = gathering(w);

	sh_vec_push(&g->timers_done, id);
	g->changes++;
}

void
shard_mark_cooldown(shard_world *w, sh_player *p, int slot)
{
	sh_group      *g = gathering(w);
	sh_cooldown_ref c = { p, slot };

	PUSH(g->cooldowns, g->ncooldowns, g->capcooldowns, c);
	g->changes++;
}

void
shard_mark_scout(shard_world *w, sh_player *p, int slot)
{
	sh_group       *g = gathering(w);
	sh_cooldown_ref c = { p, slot };

	PUSH(g->scouts, g->nscouts, g->capscouts, c);
	g->changes++;
}

void
shard_mark_membership(shard_world *w, sh_player *p)
{
	sh_group *g = gathering(w);

	PUSH(g->members, g->nmembers, g->capmembers, p);
	g->changes++;
}

static void
row_add(sh_row **rows, uint32_t *n, uint32_t *cap, const char *type,
    const char *player, int x, int y, json_t *data)
{
	sh_row r = { 0 };

	r.type = cm_strdup(type);
	snprintf(r.player, sizeof(r.player), "%s", player ? player : "");
	r.x    = x;
	r.y    = y;
	r.ms   = cm_time_now_ms();
	r.json = json_dumps(data ? data : json_object(),
	    JSON_COMPACT | JSON_SORT_KEYS);
	cm_assert(r.json != NULL);
	json_decref(data);
	PUSH(*rows, *n, *cap, r);
}

void
shard_event(shard_world *w, const char *type, const char *player, int x,
    int y, void *data)
{
	sh_group *g = gathering(w);

	row_add(&g->events, &g->nevents, &g->capevents, type, player, x, y,
	    data);
	g->changes++;
}

void
shard_outbox(shard_world *w, const char *kind, void *payload)
{
	sh_group *g = gathering(w);

	row_add(&g->outbox, &g->noutbox, &g->capoutbox, kind, NULL, -1, -1,
	    payload);
	g->changes++;
}

bool
shard_can_write(const shard_world *w)
{
	return (shard_store_up(w->store) && !w->stale);
}

bool
shard_group_dirty(const shard_world *w)
{
	return (w->gathering != NULL && w->gathering->changes > 0);
}

/* --- serialization of a group into statements --- */

typedef struct args {
	char        buf[ST_MAX_COLS][80];
	const char *p[ST_MAX_COLS];
} args;

static const char *
a_int(args *a, int i, long long v)
{
	snprintf(a->buf[i], sizeof(a->buf[i]), "%lld", v);
	return (a->p[i] = a->buf[i]);
}

static const char *
a_ms(args *a, int i, int64_t ms)
{
	return (ms > 0 ? a_int(a, i, ms) : (a->p[i] = NULL));
}

static const char *
a_str(args *a, int i, const char *s)
{
	return (a->p[i] = s);
}

static const char *
a_bytea(args *a, int i, const uint8_t *b, size_t n)
{
	if (b == NULL) {
		return (a->p[i] = NULL);
	}
	cm_assert(n * 2 + 3 <= sizeof(a->buf[i]));
	memcpy(a->buf[i], "\\x", 2);
	cm_hex_encode(b, n, a->buf[i] + 2);
	return (a->p[i] = a->buf[i]);
}

/* store_row adds a row to its statement of the group (sent at the end). */
static bool
store_row(shard_store *s, enum sh_stmt st, int n, const char *const *p)
{
	shard_store_row(s, st, n, p);
	return (true);
}

static bool
send_tile(shard_world *w, shard_store *s, uint32_t idx)
{
	sh_tile *t = &w->tiles[idx];
	args     a;
	int      x, y;
	bool     ok;
	char    *spells = shard_ground_json(w, idx, cm_time_now_ms());

	shard_tile_xy(w, idx, &x, &y);
	a_int(&a, 0, w->gen.id);
	a_int(&a, 1, x);
	a_int(&a, 2, y);
	a_int(&a, 3, cm_map_terrain(w->map, x, y));
	a_int(&a, 4, cm_map_zone_at(w->map, x, y));
	a_str(&a, 5, t->owner ? t->owner->address : NULL);
	a_int(&a, 6, t->trust);
	a_ms(&a, 7, t->last_activity_ms);
	a_ms(&a, 8, t->aegis_until_ms);
	a_str(&a, 9, spells);
	ok = store_row(s, ST_TERRITORY, 10, a.p);
	free(spells); /* store_row copied it */
	a_int(&a, 3, t->res.gold);
	a_int(&a, 4, t->res.stone);
	a_int(&a, 5, t->res.wood);
	a_int(&a, 6, t->res.food);
	a_int(&a, 7, t->res.mana);
	ok = ok && store_row(s, ST_RESOURCES, 8, a.p);
	for (int i = 0; ok && i < t->nb; i++) {
		args b;

		a_int(&b, 0, (long long) t->b[i].id);
		a_int(&b, 1, w->gen.id);
		a_int(&b, 2, x);
		a_int(&b, 3, y);
		a_int(&b, 4, t->b[i].type);
		a_int(&b, 5, t->b[i].hp);
		a_ms(&b, 6, t->b[i].done_ms);
		ok = store_row(s, ST_BUILDING, 7, b.p);
	}
	return (ok);
}


static bool send_army_row(shard_world *w, shard_store *s, const sh_army *ar);
static bool send_combat_row(shard_world *w, shard_store *s,
    const sh_combat *c);

static bool
send_army(shard_world *w, shard_store *s, const sh_group *g, uint64_t id)
{
	sh_army *ar = cm_table_get_u64(w->armies, id);
	args     a;

	for (uint32_t i = 0; i < g->nhandoffs; i++) {
		if (g->handoffs[i].army->id == id) {
			return (true); /* its row is the hand-off's */
		}
	}
	a_int(&a, 0, (long long) id);
	if (ar == NULL) {
		return (store_row(s, ST_ARMY_DELETE, 1, a.p));
	}
	return (send_army_row(w, s, ar));
}

/* send_handoff writes a leaving army's row (on its new tile) and the
 * hand-off's. */
static bool
send_handoff(shard_world *w, shard_store *s, const sh_handoff *h)
{
	args a;

	a_int(&a, 0, (long long) h->id);
	a_int(&a, 1, w->gen.id);
	a_int(&a, 2, (long long) h->army->id);
	a_int(&a, 3, w->index);
	a_int(&a, 4, h->to);
	return (send_army_row(w, s, h->army) &&
	    (h->combat == NULL || send_combat_row(w, s, h->combat)) &&
	    store_row(s, ST_HANDOFF, 5, a.p));
}

/* send_psync writes a change to a player homed elsewhere. */
static bool
send_psync(shard_world *w, shard_store *s, const sh_psync *m)
{
	args  a;
	char *payload = NULL;
	bool  ok;

	a_int(&a, 0, (long long) m->id);
	a_int(&a, 1, w->gen.id);
	a_str(&a, 2, m->player);
	a_int(&a, 3, m->from);
	a_int(&a, 4, m->to);
	if (asprintf(&payload,
	        "{\"captainDead\":%s,\"woundedUntil\":%lld,"
	        "\"frenzyUntil\":%lld,\"points\":%lld,\"armyGone\":%llu}",
	        m->captain_dead ? "true" : "false",
	        (long long) m->wounded_until_ms,
	        (long long) m->frenzy_until_ms, (long long) m->points,
	        (unsigned long long) m->army_gone) < 0) {
		return (false);
	}
	a_str(&a, 5, payload);
	ok = store_row(s, ST_PSYNC, 6, a.p);
	free(payload);
	return (ok);
}

static bool
send_army_row(shard_world *w, shard_store *s, const sh_army *ar)
{
	uint64_t id = ar->id;
	args     a;
	bool     ok;
	char    *effects;

	a_int(&a, 0, (long long) id);
	a_int(&a, 1, w->gen.id);
	a_str(&a, 2, ar->owner->address);
	a_int(&a, 3, ar->x);
	a_int(&a, 4, ar->y);
	a_str(&a, 5, shard_army_status_names[ar->status]);
	a_int(&a, 6, ar->morale);
	a_int(&a, 7, ar->foreign_soil_days);
	if (ar->status == SH_MOVING || ar->status == SH_COMBAT) {
		a_int(&a, 8, ar->dx);
		a_int(&a, 9, ar->dy);
		a_ms(&a, 10, ar->arrival_ms);
		a_ms(&a, 12, ar->depart_ms);
	} else {
		a.p[8] = a.p[9] = a.p[12] = NULL;
		/* A training army: when it is trained. */
		a_ms(&a, 10, ar->status == SH_TRAINING ? ar->arrival_ms : 0);
	}
	a_str(&a, 11, ar->garrison ? "t" : "f");
	effects = shard_effect_json(ar);
	a_str(&a, 13, effects);
	ok = store_row(s, ST_ARMY, 14, a.p) &&
	    store_row(s, ST_ARMY_UNITS_CLEAR, 1, a.p);
	free(effects);
	for (int u = 0; ok && u < CM_UNIT_COUNT; u++) {
		args b;

		if (ar->units[u] == 0) {
			continue;
		}
		a_int(&b, 0, (long long) id);
		a_int(&b, 1, u);
		a_int(&b, 2, ar->units[u]);
		ok = store_row(s, ST_ARMY_UNIT, 3, b.p);
	}
	return (ok);
}

static bool
send_player(shard_world *w, shard_store *s, const sh_player *p)
{
	args a;

	if (!p->home) {
		return (true); /* only its points changed: Redis only */
	}
	a_str(&a, 0, p->address);
	a_int(&a, 1, w->gen.id);
	a_int(&a, 2, p->race);
	a_str(&a, 3, p->captain);
	a_int(&a, 4, p->cls);
	a_int(&a, 5, p->skill);
	a_str(&a, 6, p->premium ? "t" : "f");
	a_int(&a, 7, p->mana);
	a_ms(&a, 8, p->registered_ms);
	a_ms(&a, 9, p->protected_until_ms);
	if (p->captain_army != 0) {
		a_int(&a, 10, (long long) p->captain_army);
	} else {
		a.p[10] = NULL;
	}
	a_str(&a, 11, p->captain_dead ? "t" : "f");
	a_ms(&a, 12, p->captain_wounded_until_ms);
	a_int(&a, 13, p->points);
	a_ms(&a, 14, p->frenzy_until_ms);
	a_ms(&a, 15, p->foresight_until_ms);
	return (store_row(s, ST_PLAYER, 16, a.p));
}

static bool
send_member(shard_world *w, shard_store *s, const sh_player *p)
{
	args a;

	a_int(&a, 0, w->gen.id);
	a_str(&a, 1, p->address);
	if (!store_row(s, ST_MEMBER_CLEAR, 2, a.p)) {
		return (false);
	}
	if (p->alliance_id == 0) {
		return (true);
	}
	a_int(&a, 0, (long long) p->alliance_id);
	a_str(&a, 1, p->address);
	a_int(&a, 2, w->gen.id);
	a_str(&a, 3, p->alliance_leader ? "leader" : "member");
	a_ms(&a, 4, p->alliance_joined_ms);
	return (store_row(s, ST_MEMBER, 5, a.p));
}

static char *
units_json(const uint32_t *u)
{
	json_t *o = json_object();
	char   *s;

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (u[i] != 0) {
			json_object_set_new(o, cm_unit(i)->id,
			    json_integer(u[i]));
		}
	}
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return (s);
}

static bool
send_combat(shard_world *w, shard_store *s, uint64_t id)
{
	sh_combat *c = cm_table_get_u64(w->combats, id);

	/* Not here: resolved away, or handed off (the hand-off writes it). */
	return (c == NULL || send_combat_row(w, s, c));
}

static bool
send_combat_row(shard_world *w, shard_store *s, const sh_combat *c)
{
	uint64_t id = c->id;
	uint8_t  rules[32];
	char    *j[4];
	args     a;
	bool     ok, done;

	done = c->resolved_ms > 0;
	cm_rules_hash(rules);
	a_int(&a, 0, (long long) id);
	a_int(&a, 1, w->gen.id);
	a_str(&a, 2, c->attacker);
	a_str(&a, 3, c->defender[0] ? c->defender : NULL);
	a_int(&a, 4, c->x);
	a_int(&a, 5, c->y);
	a_int(&a, 6, (long long) c->army_id);
	a_str(&a, 7, c->status);
	a_bytea(&a, 8, c->commit, 32);
	a_ms(&a, 9, c->deadline_ms);
	a_bytea(&a, 10, c->has_salt ? c->salt : NULL, 32);
	a_bytea(&a, 11, c->army_hash, 32);
	a_bytea(&a, 12, done ? c->result_hash : NULL, 32);
	a_str(&a, 13, c->winner[0] ? c->winner : NULL);
	a_ms(&a, 14, c->resolved_ms);
	a_int(&a, 15, c->rounds);
	j[0] = units_json(c->att_units);
	j[1] = units_json(c->def_units);
	j[2] = units_json(c->att_loss);
	j[3] = units_json(c->def_loss);
	a_str(&a, 16, j[0]);
	a_str(&a, 17, j[1]);
	a_str(&a, 18, j[2]);
	a_str(&a, 19, j[3]);
	a_bytea(&a, 20, rules, 32);
	a_ms(&a, 21, c->arrival_ms);
	a_str(&a, 22, c->battle_input);
	a_str(&a, 23, c->battle_record);
	a_str(&a, 24, c->hostile_path ? "t" : "f");
	ok = store_row(s, ST_COMBAT, 25, a.p);
	for (int i = 0; i < 4; i++) {
		free(j[i]);
	}
	return (ok);
}

static bool
send_alliance(shard_world *w, shard_store *s, uint64_t id)
{
	sh_alliance *al = cm_table_get_u64(w->alliances, id);
	args         a;

	if (al == NULL) {
		return (true);
	}
	a_int(&a, 0, (long long) id);
	a_int(&a, 1, w->gen.id);
	a_str(&a, 2, al->name);
	a_str(&a, 3, al->founder);
	a_str(&a, 4, al->active ? "t" : "f");
	a_ms(&a, 5, al->created_ms);
	return (store_row(s, ST_ALLIANCE, 6, a.p));
}

static bool
send_rows(shard_world *w, shard_store *s, const sh_group *g)
{
	bool ok = true;

	for (uint32_t i = 0; ok && i < g->ncooldowns; i++) {
		const sh_player *p = g->cooldowns[i].p;
		args             a;
		bool             later = false;

		/* One row per (player, spell): the last write carries the
		 * current value anyway. */
		for (uint32_t j = i + 1; j < g->ncooldowns; j++) {
			later |= g->cooldowns[j].p == p &&
			    g->cooldowns[j].slot == g->cooldowns[i].slot;
		}
		if (later) {
			continue;
		}
		a_int(&a, 0, w->gen.id);
		a_str(&a, 1, p->address);
		a_str(&a, 2, p->cooldown_spell[g->cooldowns[i].slot]);
		a_ms(&a, 3, p->cooldown_end[g->cooldowns[i].slot]);
		ok = store_row(s, ST_COOLDOWN, 4, a.p);
	}
	for (uint32_t i = 0; ok && i < g->nscouts; i++) {
		const sh_scout *sc = &g->scouts[i].p->scouts[g->scouts[i].slot];
		args            a;
		json_t         *j;
		char           *data;

		j = json_pack("{s:i,s:b,s:I}", "noisePct", sc->noise_pct,
		    "exact", (int) sc->exact, "expiresMs",
		    (json_int_t) sc->expires_ms);
		data = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		cm_assert(data != NULL);
		a_int(&a, 0, (long long) sc->id);
		a_int(&a, 1, w->gen.id);
		a_str(&a, 2, g->scouts[i].p->address);
		a_int(&a, 3, sc->x);
		a_int(&a, 4, sc->y);
		a_int(&a, 5, sc->accuracy);
		a_str(&a, 6, data);
		ok = store_row(s, ST_SCOUT, 7, a.p);
		free(data);
	}
	for (uint32_t i = 0; ok && i < g->ntimers_new; i++) {
		const sh_timer *t = &g->timers_new[i];
		args            a;

		a_int(&a, 0, (long long) t->id);
		a_int(&a, 1, w->gen.id);
		a_str(&a, 2, shard_timer_kinds[t->kind]);
		a_int(&a, 3, t->x);
		a_int(&a, 4, t->y);
		a_int(&a, 5, (long long) t->entity);
		a_ms(&a, 6, t->due_ms);
		ok = store_row(s, ST_TIMER, 7, a.p);
	}
	for (uint32_t i = 0; ok && i < g->timers_done.n; i++) {
		args a;

		a_int(&a, 0, (long long) g->timers_done.v[i]);
		ok = store_row(s, ST_TIMER_DELETE, 1, a.p);
	}
	for (uint32_t i = 0; ok && i < g->nevents; i++) {
		const sh_row *r = &g->events[i];
		args          a;

		a_ms(&a, 0, r->ms);
		a_int(&a, 1, w->gen.id);
		a_str(&a, 2, r->type);
		a_str(&a, 3, r->player[0] ? r->player : NULL);
		if (r->x >= 0) {
			a_int(&a, 4, r->x);
			a_int(&a, 5, r->y);
		} else {
			a.p[4] = a.p[5] = NULL;
		}
		a_str(&a, 6, r->json);
		ok = store_row(s, ST_EVENT, 7, a.p);
	}
	for (uint32_t i = 0; ok && i < g->noutbox; i++) {
		args a;

		a_int(&a, 0, w->gen.id);
		a_str(&a, 1, g->outbox[i].type);
		a_str(&a, 2, g->outbox[i].json);
		ok = store_row(s, ST_OUTBOX, 3, a.p);
	}
	return (ok);
}

static const enum sh_stmt send_order[] = { ST_TERRITORY, ST_RESOURCES,
	ST_BUILDING, ST_PLAYER, ST_ALLIANCE, ST_MEMBER_CLEAR, ST_MEMBER,
	ST_ARMY, ST_ARMY_UNITS_CLEAR, ST_ARMY_UNIT, ST_ARMY_DELETE, ST_COMBAT,
	ST_COOLDOWN, ST_SCOUT, ST_TIMER, ST_TIMER_DELETE, ST_EVENT, ST_OUTBOX,
	ST_HANDOFF, ST_HANDOFF_DONE, ST_PSYNC, ST_PSYNC_DONE, ST_LEDGER };

static bool
send_group(shard_world *w, shard_store *s, const sh_group *g)
{
	bool ok = true;
	args a;

	for (uint32_t i = 0; ok && i < g->tiles.n; i++) {
		ok = send_tile(w, s, (uint32_t) g->tiles.v[i]);
	}
	for (uint32_t i = 0; ok && i < g->nplayers; i++) {
		ok = send_player(w, s, g->players[i]);
	}
	for (uint32_t i = 0; ok && i < g->alliances.n; i++) {
		ok = send_alliance(w, s, g->alliances.v[i]);
	}
	for (uint32_t i = 0; ok && i < g->nmembers; i++) {
		bool later = false;

		for (uint32_t j = i + 1; j < g->nmembers; j++) {
			later |= g->members[j] == g->members[i];
		}
		ok = later || send_member(w, s, g->members[i]);
	}
	for (uint32_t i = 0; ok && i < g->armies.n; i++) {
		ok = send_army(w, s, g, g->armies.v[i]);
	}
	for (uint32_t i = 0; ok && i < g->nhandoffs; i++) {
		ok = send_handoff(w, s, &g->handoffs[i]);
	}
	for (uint32_t i = 0; ok && i < g->nhandoffs_done; i++) {
		a_int(&a, 0, (long long) g->handoffs_done[i]);
		ok = store_row(s, ST_HANDOFF_DONE, 1, a.p);
	}
	for (uint32_t i = 0; ok && i < g->npsyncs; i++) {
		ok = send_psync(w, s, &g->psyncs[i]);
	}
	for (uint32_t i = 0; ok && i < g->npsyncs_done; i++) {
		a_int(&a, 0, (long long) g->psyncs_done[i]);
		ok = store_row(s, ST_PSYNC_DONE, 1, a.p);
	}
	for (uint32_t i = 0; ok && i < g->combats.n; i++) {
		ok = send_combat(w, s, g->combats.v[i]);
	}
	a_int(&a, 0, w->index);
	a_int(&a, 1, (long long) g->token);
	ok = ok && send_rows(w, s, g) && store_row(s, ST_LEDGER, 2, a.p);
	/* Each statement once, in an order that respects references. */
	for (size_t i = 0; ok && i < sizeof(send_order) / sizeof(send_order[0]);
	     i++) {
		ok = shard_store_send_rows(s, send_order[i]);
	}
	return (ok);
}

/* --- commit outcome --- */

/* publish_events broadcasts the committed group's events (never blocks:
 * nng's PUB drops what a slow subscriber cannot take). */
static void
publish_events(shard_world *w, const sh_group *g)
{
	for (uint32_t i = 0; w->has_pub && i < g->nevents; i++) {
		const sh_row *r = &g->events[i];
		char         *msg, xs[16] = "null", ys[16] = "null";
		int           n;

		if (r->x >= 0) {
			snprintf(xs, sizeof(xs), "%d", r->x);
			snprintf(ys, sizeof(ys), "%d", r->y);
		}
		n = asprintf(&msg,
		    "%s {\"seq\":%llu,\"shard\":%d,\"generation\":%u,"
		    "\"type\":\"%s\",\"time\":%lld,\"player\":%s%s%s,"
		    "\"x\":%s,\"y\":%s,\"data\":%s}",
		    r->type, (unsigned long long) ++w->pub_seq, w->index,
		    w->gen.id, r->type, (long long) r->ms,
		    r->player[0] ? "\"" : "", r->player[0] ? r->player : "null",
		    r->player[0] ? "\"" : "", xs, ys, r->json);
		if (n > 0) {
			nng_send(w->pub, msg, (size_t) n, NNG_FLAG_NONBLOCK);
			free(msg);
		}
	}
}


static void
group_fail(shard_world *w, sh_group *g)
{
	for (uint32_t i = 0; g != NULL && i < g->nbatches; i++) {
		shard_batch_send(w, g->batches[i], false);
	}
	if (g != NULL) {
		g->nbatches = 0;
	}
}

static void
persist_done(void *arg, sh_outcome outcome)
{
	shard_world *w  = arg;
	sh_group    *g  = w->inflight;
	bool         ok = outcome == SH_COMMITTED;
	char         out[16];

	w->inflight = NULL;
	if (g == NULL) {
		return;
	}
	snprintf(out, sizeof(out), "%s",
	    ok ? "ok" : outcome == SH_UNKNOWN ? "unknown" : "failed");
	cm_metric_inc(w->m_commits, out, 1);
	cm_metric_observe(w->m_commit_ms, "",
	    (double) (cm_time_mono_ns() - g->flushed_ns) / 1e9);
	if (ok) {
		cm_metric_inc(w->m_commit_actions, "", (double) g->actions);
		for (uint32_t i = 0; i < g->nbatches; i++) {
			shard_batch_send(w, g->batches[i], true);
		}
		g->nbatches = 0;
		publish_events(w, g);
		shard_cache_after_commit(w, g);
		shard_replica_publish(w, g);
		shard_handoff_publish(w, g);
		shard_player_sync_publish(w, g);
	} else if (outcome == SH_UNKNOWN) {
		/* It may have committed: its replies wait until the ledger
		 * tells (shard_persist_resolve), the group behind it fails. */
		cm_log_error("connection lost with a group in flight",
		    "{s:i}", "actions", (int) g->actions);
		group_fail(w, w->gathering);
		shard_group_free(w->gathering);
		w->gathering = NULL;
		w->uncertain = g;
		w->stale     = true;
		return;
	} else {
		cm_log_error("group commit failed; reloading state",
		    "{s:i}", "actions", (int) g->actions);
		group_fail(w, g);
		group_fail(w, w->gathering);
		shard_group_free(w->gathering);
		w->gathering = NULL;
		w->stale     = true;
	}
	shard_group_free(g);
}

bool
shard_persist_resolve(shard_world *w)
{
	char        shard[16];
	const char *params[1] = { shard };
	PGresult   *r;
	bool        committed;

	if (w->uncertain == NULL) {
		return (true);
	}
	snprintf(shard, sizeof(shard), "%d", w->index);
	r = PQexecParams(w->pg,
	    "SELECT token FROM shard_commits WHERE shard = $1", 1, NULL, params,
	    NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return (false); /* ask again next time */
	}
	committed = PQntuples(r) == 1 &&
	    strtoull(PQgetvalue(r, 0, 0), NULL, 10) == w->uncertain->token;
	PQclear(r);
	cm_log_info("in-flight group resolved", "{s:b,s:i}", "committed",
	    committed, "actions", (int) w->uncertain->actions);
	for (uint32_t i = 0; i < w->uncertain->nbatches; i++) {
		shard_batch_send(w, w->uncertain->batches[i], committed);
	}
	w->uncertain->nbatches = 0;
	shard_group_free(w->uncertain);
	w->uncertain = NULL;
	return (true);
}

void
shard_world_flush(shard_world *w)
{
	sh_group *g = w->gathering;

	if (g == NULL || g->changes == 0 || w->inflight != NULL ||
	    shard_store_busy(w->store)) {
		return;
	}
	w->gathering  = NULL;
	w->inflight   = g;
	g->flushed_ns = cm_time_mono_ns();
	g->token      = w->token_base + g->seq;
	if (w->stale || !shard_store_up(w->store)) {
		persist_done(w, SH_ROLLED_BACK);
	} else if (!send_group(w, w->store, g) ||
	           !shard_store_commit(w->store, persist_done, w)) {
		/* Half a group is queued without its Sync: drop it.  Nothing
		 * was sent with a Sync, so nothing of it can commit. */
		shard_store_abort(w->store);
		persist_done(w, SH_ROLLED_BACK);
	}
}

void
shard_group_hold(shard_world *w, sh_batch *b)
{
	sh_group *g = gathering(w);

	PUSH(g->batches, g->nbatches, g->capbatches, b);
}

void
shard_group_count_action(shard_world *w)
{
	gathering(w)->actions++;
}

void
shard_persist_reset(shard_world *w)
{
	group_fail(w, w->inflight);
	group_fail(w, w->gathering);
	shard_persist_fini(w);
}

void
shard_persist_fini(shard_world *w)
{
	shard_group_free(w->inflight);
	shard_group_free(w->gathering);
	shard_group_free(w->uncertain);
	w->inflight = w->gathering = w->uncertain = NULL;
}
