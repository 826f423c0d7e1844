/*
 * shard_world.c: the world's life (open, new generation, free), its
 * lookups, and the dispatch of requests to their answers.
 *
 * The generation row is created by whichever process starts first
 * (cm_generation_first), so every shard reads the same map seed and
 * generates the same terrain.  Requests for tiles outside this shard's
 * region are refused with WRONG_SHARD: the gateway routes by the same
 * layout, so such a request means the two disagree about the shard count.
 */
#include <jansson.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_path.h"
#include "cm_time.h"
#include "shard_persist.h"
#include "shard_state.h"
#include "shard_store.h"
#include "shard_vision.h"
#include "shard_world.h"

const char *const shard_army_status_names[SH_STATUS_COUNT] = { "idle",
	"moving", "combat", "sieging", "training" };

#define ID_BLOCK 4096

void
sh_vec_push(sh_vec *s, uint64_t x)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->v   = cm_realloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = x;
}

bool
sh_vec_remove(sh_vec *s, uint64_t x)
{
	for (uint32_t i = 0; i < s->n; i++) {
		if (s->v[i] == x) {
			s->v[i] = s->v[--s->n];
			return (true);
		}
	}
	return (false);
}

void
sh_vec_free(sh_vec *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static const double commit_bounds[] = { 0.0005, 0.001, 0.002, 0.005, 0.01,
	0.025, 0.05, 0.1, 0.25, 0.5, 1 };

static void
world_metrics(shard_world *w, cm_metrics *m)
{
	w->m_requests = cm_metrics_counter(m, "nd_shard_requests_total",
	    "Requests answered by type and code", "type,code");
	w->m_commits = cm_metrics_counter(m, "nd_shard_commits_total",
	    "Group commits by outcome", "outcome");
	w->m_commit_actions = cm_metrics_counter(m,
	    "nd_shard_committed_actions_total",
	    "Actions acknowledged after their group committed", NULL);
	w->m_commit_ms = cm_metrics_histogram(m, "nd_shard_commit_seconds",
	    "Time from a group's flush to its commit", NULL, commit_bounds,
	    sizeof(commit_bounds) / sizeof(commit_bounds[0]));
	w->m_timers = cm_metrics_counter(m, "nd_shard_timers_fired_total",
	    "Timers fired by kind", "kind");
	w->m_replica = cm_metrics_counter(m, "nd_shard_replica_total",
	    "Map-wide replica messages published, failed to publish, applied, "
	    "and reloads from PostgreSQL",
	    "event");
}

static void
world_alloc_state(shard_world *w)
{
	w->tiles     = cm_calloc((size_t) w->rw * (size_t) w->rh,
            sizeof(sh_tile));
	for (size_t i = 0; i < (size_t) w->rw * (size_t) w->rh; i++) {
		w->tiles[i].trust = 100;
	}
	w->players   = cm_table_new(1024);
	w->armies    = cm_table_new(1024);
	w->combats   = cm_table_new(256);
	w->alliances = cm_table_new(64);
	w->members   = cm_table_new(64);
	w->ground    = cm_table_new(64);
	w->psync_seen = cm_table_new(16);
	w->rep_owner = cm_calloc((size_t) w->layout.w * (size_t) w->layout.h,
	    sizeof(*w->rep_owner));
	w->rep_flags = cm_calloc((size_t) w->layout.w * (size_t) w->layout.h, 1);
	w->rep_armies = cm_table_new(64);
	w->rep_border = cm_table_new(64);
	if (w->rep_src_boot != NULL) {
		memset(w->rep_src_boot, 0,
		    (size_t) w->layout.shards * sizeof(*w->rep_src_boot));
	}
}

static cm_err world_use_generation(shard_world *w, const cm_generation *g);

/* world_alloc makes a world of shard index of l, with no generation. */
static shard_world *
world_alloc(const cm_layout *l, int index, cm_metrics *metrics)
{
	shard_world *w = cm_calloc(1, sizeof(*w));

	w->layout     = *l;
	w->index      = index;
	w->region     = cm_layout_region(l, index);
	w->rw         = w->region.x1 - w->region.x0 + 1;
	w->rh         = w->region.y1 - w->region.y0 + 1;
	w->time_scale = 1;
	w->generation_days = cm_rules_generation()->length_days;
	/* Tokens of this run: its start (ms) above the group numbers. */
	w->token_base = (uint64_t) cm_time_now_ms() << 20;
	/* The replica's run id (never 0: 0 is "no run known"). */
	do {
		randombytes_buf(&w->rep_boot, sizeof(w->rep_boot));
	} while (w->rep_boot == 0);
	w->sight_reach  = shard_vision_reach();
	w->rep_src_boot = cm_calloc((size_t) l->shards, sizeof(uint64_t));
	w->rep_src_seq  = cm_calloc((size_t) l->shards, sizeof(uint64_t));
	world_metrics(w, metrics);
	return (w);
}

cm_err
shard_world_new(const cm_layout *l, int index, const cm_generation *g,
    cm_metrics *metrics, shard_world **out)
{
	shard_world *w = world_alloc(l, index, metrics);
	cm_err       rv;

	if ((rv = world_use_generation(w, g)) != CM_OK) {
		shard_world_free(w);
		return (rv);
	}
	*out = w;
	return (CM_OK);
}

static void
free_player(void *arg, void *v)
{
	sh_player *p = v;

	(void) arg;
	sh_vec_free(&p->tiles);
	sh_vec_free(&p->armies);
	free(p);
}

static void
free_members(void *arg, void *v)
{
	(void) arg;
	sh_vec_free(v);
	free(v);
}

static void
free_plain(void *arg, void *v)
{
	(void) arg;
	free(v);
}

static void
free_combat(void *arg, void *v)
{
	(void) arg;
	shard_combat_free(v);
}

/* shard_state_free_tables frees the state without making it anew. */
void
shard_state_free_tables(shard_world *w)
{
	if (w->tiles != NULL) {
		for (size_t i = 0; i < (size_t) w->rw * (size_t) w->rh; i++) {
			free(w->tiles[i].b);
		}
		free(w->tiles);
		w->tiles = NULL;
	}
	if (w->players != NULL) {
		cm_table_each(w->players, free_player, NULL);
		cm_table_free(w->players);
	}
	if (w->armies != NULL) {
		cm_table_each(w->armies, free_plain, NULL);
		cm_table_free(w->armies);
	}
	if (w->combats != NULL) {
		cm_table_each(w->combats, free_combat, NULL);
		cm_table_free(w->combats);
	}
	if (w->alliances != NULL) {
		cm_table_each(w->alliances, free_plain, NULL);
		cm_table_free(w->alliances);
	}
	if (w->members != NULL) {
		cm_table_each(w->members, free_members, NULL);
		cm_table_free(w->members);
	}
	if (w->psync_seen != NULL) {
		cm_table_free(w->psync_seen);
		w->psync_seen = NULL;
	}
	if (w->ground != NULL) {
		cm_table_each(w->ground, free_plain, NULL);
		cm_table_free(w->ground);
		w->ground = NULL;
	}
	w->players = w->armies = w->combats = w->alliances = NULL;
	w->members = NULL;
	free(w->rep_owner);
	free(w->rep_flags);
	w->rep_owner = NULL;
	w->rep_flags = NULL;
	if (w->rep_armies != NULL) {
		cm_table_each(w->rep_armies, free_plain, NULL);
		cm_table_free(w->rep_armies);
		cm_table_free(w->rep_border);
		w->rep_armies = w->rep_border = NULL;
	}
	free(w->timers);
	w->timers   = NULL;
	w->ntimers  = w->captimers = 0;
	w->id_next  = w->id_end = 0;
}

void
shard_state_clear(shard_world *w)
{
	shard_state_free_tables(w);
	world_alloc_state(w);
	w->day_timer = false; /* the load finds it again */
}

void
shard_world_free(shard_world *w)
{
	if (w == NULL) {
		return;
	}
	shard_persist_fini(w);
	shard_state_clear(w);
	shard_state_free_tables(w);
	shard_store_close(w->store);
	free(w->rep_src_boot);
	free(w->rep_src_seq);
	sh_vec_free(&w->due);
	cm_pather_free(w->pather);
	cm_map_free(w->map);
	free(w);
}

void
shard_world_set_pub(shard_world *w, nng_socket pub)
{
	w->pub     = pub;
	w->has_pub = true;
}

/*
 * world_use_generation makes w hold generation g, empty: its map (made
 * anew when the seed changed) and no state.
 */
static cm_err
world_use_generation(shard_world *w, const cm_generation *g)
{
	cm_map *m;
	cm_err  rv;

	if (g->map_w != w->layout.w || g->map_h != w->layout.h) {
		cm_log_error("map size differs from the generation's",
		    "{s:i,s:i,s:i,s:i}", "map_width", w->layout.w,
		    "map_height", w->layout.h, "gen_width", g->map_w,
		    "gen_height", g->map_h);
		return (CM_ECONFIG);
	}
	if (w->map == NULL || g->map_seed != w->gen.map_seed) {
		if ((rv = cm_map_generate(g->map_w, g->map_h, g->map_seed,
		         &m)) != CM_OK) {
			return (rv);
		}
		cm_pather_free(w->pather);
		cm_map_free(w->map);
		w->map    = m;
		w->pather = cm_pather_new(m);
	}
	w->gen = *g;
	shard_state_clear(w);
	return (CM_OK);
}

/* world_switch_generation makes w hold generation g, loaded. */
static cm_err
world_switch_generation(shard_world *w, const cm_generation *g)
{
	cm_err rv;

	if ((rv = world_use_generation(w, g)) != CM_OK) {
		return (rv);
	}
	return (shard_load_state(w));
}

cm_err
shard_world_open(const shard_world_cfg *cfg, shard_world **out)
{
	shard_world  *w = world_alloc(cfg->layout, cfg->index, cfg->metrics);
	cm_generation g;
	cm_err        rv;

	w->time_scale  = cfg->time_scale > 0 ? cfg->time_scale : 1;
	w->generation_days = cfg->generation_days > 0
	    ? cfg->generation_days
	    : cm_rules_generation()->length_days;
	w->commit_each = cfg->commit_each;
	w->pg          = cfg->pg;
	w->redis       = cfg->redis;
	if ((rv = cm_generation_first(cfg->pg, cfg->seed, cfg->layout->w,
	         cfg->layout->h,
	         cm_generation_length_ms(w->generation_days, w->time_scale))) !=
	        CM_OK ||
	    (rv = cm_generation_latest(cfg->pg, &g)) != CM_OK ||
	    (rv = world_switch_generation(w, &g)) != CM_OK) {
		shard_world_free(w);
		return (rv == CM_ENOENT ? CM_EDB : rv);
	}
	if ((rv = shard_store_open(cfg->db_url, &w->store)) != CM_OK) {
		cm_log_warn("writer not connected yet", NULL);
	}
	w->cache_stale = true;
	cm_log_info("world loaded", "{s:i,s:I,s:i,s:i,s:i,s:i,s:I,s:I}",
	    "generation", (int) w->gen.id, "map_seed",
	    (json_int_t) w->gen.map_seed, "x0", w->region.x0, "y0",
	    w->region.y0, "x1", w->region.x1, "y1", w->region.y1, "armies",
	    (json_int_t) cm_table_count(w->armies), "players",
	    (json_int_t) cm_table_count(w->players));
	*out = w;
	return (CM_OK);
}

/* --- lookups --- */

bool
shard_owns_tile(const shard_world *w, int x, int y)
{
	return (x >= w->region.x0 && x <= w->region.x1 &&
	    y >= w->region.y0 && y <= w->region.y1);
}

uint32_t
shard_tile_index(const shard_world *w, int x, int y)
{
	return ((uint32_t) ((y - w->region.y0) * w->rw + (x - w->region.x0)));
}

void
shard_tile_xy(const shard_world *w, uint32_t idx, int *x, int *y)
{
	*x = w->region.x0 + (int) (idx % (uint32_t) w->rw);
	*y = w->region.y0 + (int) (idx / (uint32_t) w->rw);
}

sh_tile *
shard_tile(shard_world *w, int x, int y)
{
	if (!shard_owns_tile(w, x, y)) {
		return (NULL);
	}
	return (&w->tiles[shard_tile_index(w, x, y)]);
}

bool
shard_home_of(const shard_world *w, const char *address)
{
	return (cm_owner_shard_of_id(address, strlen(address),
	            w->layout.shards) == w->index);
}

sh_player *
shard_player_new(shard_world *w, const char *address)
{
	sh_player *p = cm_calloc(1, sizeof(*p));

	snprintf(p->address, sizeof(p->address), "%s", address);
	p->home = shard_home_of(w, address);
	cm_table_put_str(w->players, p->address, p);
	return (p);
}

/*
 * shard_player finds a registered player.  Players homed elsewhere are
 * known here once they own something here; with lookup set, an unknown
 * address is looked up in PostgreSQL (players never leave a generation,
 * so what is found stays true).
 */
sh_player *
shard_player(shard_world *w, const char *address, bool lookup)
{
	sh_player  *p = cm_table_get_str(w->players, address);
	char        gid[16];
	const char *params[2] = { address, gid };
	PGresult   *r;

	if (p != NULL || !lookup || w->pg == NULL ||
	    strlen(address) != SH_ADDR_LEN) {
		return (p);
	}
	snprintf(gid, sizeof(gid), "%u", w->gen.id);
	r = PQexecParams(w->pg,
	    "SELECT race, captain_class, captain_skill,"
	    " (EXTRACT(EPOCH FROM registered_at) * 1000)::BIGINT,"
	    " coalesce((EXTRACT(EPOCH FROM protected_until) * 1000)::BIGINT,"
	    " 0), coalesce(captain_army, 0), captain_dead,"
	    " coalesce((EXTRACT(EPOCH FROM captain_wounded_until) * 1000)"
	    "::BIGINT, 0) FROM players WHERE address = $1 AND"
	    " generation_id = $2",
	    2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    !shard_home_of(w, address)) {
		p        = shard_player_new(w, address);
		p->race  = (uint8_t) strtol(PQgetvalue(r, 0, 0), NULL, 10);
		p->cls   = (uint8_t) strtol(PQgetvalue(r, 0, 1), NULL, 10);
		p->skill = (uint8_t) strtol(PQgetvalue(r, 0, 2), NULL, 10);
		p->registered_ms      = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
		p->protected_until_ms = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
		p->captain_army = strtoull(PQgetvalue(r, 0, 5), NULL, 10);
		p->captain_dead = PQgetvalue(r, 0, 6)[0] == 't';
		p->captain_wounded_until_ms =
		    strtoll(PQgetvalue(r, 0, 7), NULL, 10);
	}
	PQclear(r);
	return (p);
}

sh_player *
shard_player_known(shard_world *w, const char *address)
{
	sh_player *p = cm_table_get_str(w->players, address);

	return (p != NULL ? p : shard_player_new(w, address));
}

void
shard_set_alliance(shard_world *w, sh_player *p, uint64_t id)
{
	sh_vec *v;

	if (p->alliance_id != 0 &&
	    (v = cm_table_get_u64(w->members, p->alliance_id)) != NULL) {
		sh_vec_remove(v, (uint64_t) (uintptr_t) p);
	}
	p->alliance_id = id;
	if (id == 0) {
		return;
	}
	if ((v = cm_table_get_u64(w->members, id)) == NULL) {
		v = cm_calloc(1, sizeof(*v));
		cm_table_put_u64(w->members, id, v);
	}
	sh_vec_push(v, (uint64_t) (uintptr_t) p);
}

sh_army *
shard_army_new(shard_world *w, uint64_t id, sh_player *owner, int x, int y)
{
	sh_army *a = cm_calloc(1, sizeof(*a));

	a->id     = id;
	a->owner  = owner;
	a->morale = 100;
	a->x = a->dx = (int16_t) x;
	a->y = a->dy = (int16_t) y;
	cm_table_put_u64(w->armies, id, a);
	sh_vec_push(&owner->armies, id);
	shard_army_place(w, a, x, y);
	return (a);
}

static void
army_unlink(shard_world *w, sh_army *a)
{
	sh_tile  *t = shard_tile(w, a->x, a->y);
	sh_army **pp;

	if (t == NULL) {
		return;
	}
	for (pp = &t->armies; *pp != NULL; pp = &(*pp)->next_here) {
		if (*pp == a) {
			*pp = a->next_here;
			break;
		}
	}
	if (t->garrison == a->id) {
		t->garrison = 0;
		shard_mark_tile(w, a->x, a->y);
	}
	a->next_here = NULL;
}

void
shard_army_place(shard_world *w, sh_army *a, int x, int y)
{
	sh_tile *t;

	army_unlink(w, a);
	a->x = (int16_t) x;
	a->y = (int16_t) y;
	if ((t = shard_tile(w, x, y)) != NULL) {
		a->next_here = t->armies;
		t->armies    = a;
		if (a->garrison) {
			t->garrison = a->id;
			shard_mark_tile(w, x, y);
		}
	}
}

void
shard_army_free(shard_world *w, sh_army *a)
{
	army_unlink(w, a);
	sh_vec_remove(&a->owner->armies, a->id);
	cm_table_del_u64(w->armies, a->id);
	shard_mark_army(w, a->id);
	free(a);
}

void
shard_tile_set_owner(shard_world *w, int x, int y, sh_player *p)
{
	sh_tile *t   = shard_tile(w, x, y);
	uint32_t idx = shard_tile_index(w, x, y);

	if (t->owner == p) {
		return;
	}
	if (t->owner != NULL) {
		sh_vec_remove(&t->owner->tiles, idx);
		shard_mark_player(w, t->owner);
	}
	t->owner = p;
	if (p != NULL) {
		sh_vec_push(&p->tiles, idx);
		shard_mark_player(w, p);
	}
	shard_mark_tile(w, x, y);
}

bool
shard_ids_ready(shard_world *w, uint64_t need)
{
	PGresult *r;

	if (w->id_end - w->id_next >= need) {
		return (true);
	}
	if (w->pg == NULL) {
		return (false);
	}
	/* The rest of the block is abandoned: ids may have gaps. */
	r = PQexec(w->pg, "SELECT nextval('nd_id_blocks')");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		cm_log_error("cannot reserve ids", "{s:s}", "error",
		    PQresultErrorMessage(r));
		PQclear(r);
		return (false);
	}
	w->id_next = strtoull(PQgetvalue(r, 0, 0), NULL, 10) * ID_BLOCK;
	w->id_end  = w->id_next + ID_BLOCK;
	PQclear(r);
	if (w->id_next == 0) {
		w->id_next = 1;
	}
	return (true);
}

uint64_t
shard_next_id(shard_world *w)
{
	cm_assert(w->id_next < w->id_end); /* shard_ids_ready came first */
	return (w->id_next++);
}

int64_t
shard_day_ms(const shard_world *w)
{
	return (shard_duration_ms(w,
	    (int64_t) cm_rules_generation()->day_seconds * 1000));
}

int64_t
shard_duration_ms(const shard_world *w, int64_t ms)
{
	int64_t d = ms / w->time_scale;

	return (d > 0 ? d : 1);
}

/* --- timers heap --- */

static void
heap_swap(sh_timer *a, sh_timer *b)
{
	sh_timer t = *a;

	*a = *b;
	*b = t;
}

void
shard_timer_push(shard_world *w, const sh_timer *t)
{
	size_t i;

	if (w->ntimers == w->captimers) {
		w->captimers = w->captimers ? w->captimers * 2 : 64;
		w->timers    = cm_realloc(w->timers,
                    w->captimers * sizeof(sh_timer));
	}
	i            = w->ntimers++;
	w->timers[i] = *t;
	while (i > 0 && w->timers[(i - 1) / 2].due_ms > w->timers[i].due_ms) {
		heap_swap(&w->timers[(i - 1) / 2], &w->timers[i]);
		i = (i - 1) / 2;
	}
}

void
shard_timer_add(shard_world *w, uint8_t kind, int x, int y, uint64_t entity,
    int64_t due_ms)
{
	sh_timer t = { .id = shard_next_id(w), .due_ms = due_ms, .kind = kind,
		.x = (int16_t) x, .y = (int16_t) y, .entity = entity };

	shard_timer_push(w, &t);
	shard_mark_timer_new(w, &t);
}

/* shard_timer_pop removes the earliest timer if due by now. */
bool
shard_timer_pop(shard_world *w, int64_t now, sh_timer *out)
{
	size_t i = 0;

	if (w->ntimers == 0 || w->timers[0].due_ms > now) {
		return (false);
	}
	*out         = w->timers[0];
	w->timers[0] = w->timers[--w->ntimers];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < w->ntimers && w->timers[l].due_ms < w->timers[m].due_ms) {
			m = l;
		}
		if (r < w->ntimers && w->timers[r].due_ms < w->timers[m].due_ms) {
			m = r;
		}
		if (m == i) {
			break;
		}
		heap_swap(&w->timers[m], &w->timers[i]);
		i = m;
	}
	return (true);
}

/* --- the main loop's view --- */

int
shard_world_store_fd(const shard_world *w)
{
	return (shard_store_fd(w->store));
}

bool
shard_world_store_wants_write(const shard_world *w)
{
	return (shard_store_wants_write(w->store));
}

void
shard_world_store_io(shard_world *w)
{
	shard_store_io(w->store);
}

bool
shard_world_commit_now(shard_world *w)
{
	shard_world_flush(w);
	while (w->inflight != NULL) {
		struct pollfd p = { .fd = shard_store_fd(w->store),
			.events = POLLIN };

		if (p.fd < 0) {
			shard_store_io(w->store);
			break;
		}
		if (shard_store_wants_write(w->store)) {
			p.events |= POLLOUT;
		}
		if (poll(&p, 1, 1000) >= 0) {
			shard_store_io(w->store);
		}
	}
	return (!w->stale);
}

bool
shard_world_idle(const shard_world *w)
{
	return (w->inflight == NULL && w->uncertain == NULL &&
	    !shard_group_dirty(w));
}

/* world_check_generation follows the newest generation row. */
static void
world_check_generation(shard_world *w)
{
	cm_generation g;

	if (cm_generation_latest(w->pg, &g) != CM_OK) {
		return;
	}
	if (g.id == w->gen.id) {
		w->gen.ended_ms = g.ended_ms;
		memcpy(w->gen.secret, g.secret, sizeof(g.secret));
		return;
	}
	if (!shard_world_idle(w)) {
		return; /* switch once the old generation's writes are in */
	}
	cm_log_info("new generation", "{s:i,s:i}", "from", (int) w->gen.id,
	    "to", (int) g.id);
	if (world_switch_generation(w, &g) != CM_OK) {
		w->stale = true;
	}
	w->cache_stale = true;
}

/*
 * world_end_or_next: a generation ends at its due end and, once the
 * intermission is over, the next one opens with a fresh map seed (facts
 * §2.5).  Every shard tries both, after its own last day's points are
 * committed; the database makes each happen once.  A generation the
 * operator ended early waits for the operator (ndctl generation start).
 */
static void
world_end_or_next(shard_world *w, int64_t now)
{
	int64_t  pause = shard_duration_ms(w,
            (int64_t) cm_rules_generation()->intermission_hours * 3600 * 1000);
	uint64_t seed;
	uint32_t id;

	if (now - w->next_gen_try_ms < 1000 || !shard_world_idle(w)) {
		return;
	}
	if (w->gen.ended_ms == 0) {
		if (now >= w->gen.end_ms) {
			w->next_gen_try_ms = now;
			(void) cm_generation_end_due(w->pg, w->gen.id);
		}
		return;
	}
	if (w->gen.ended_ms < w->gen.end_ms || now < w->gen.ended_ms + pause) {
		return;
	}
	w->next_gen_try_ms = now;
	randombytes_buf(&seed, sizeof(seed));
	if (cm_generation_next(w->pg, w->gen.id, seed & INT64_MAX, w->layout.w,
	        w->layout.h,
	        cm_generation_length_ms(w->generation_days, w->time_scale),
	        &id) == CM_OK) {
		cm_log_info("opened the next generation", "{s:i}", "generation",
		    (int) id);
	}
}

static void
world_count_players(shard_world *w)
{
	char        gid[16];
	const char *params[1] = { gid };
	PGresult   *r;

	snprintf(gid, sizeof(gid), "%u", w->gen.id);
	r = PQexecParams(w->pg,
	    "SELECT count(*) FROM players WHERE generation_id = $1", 1, NULL,
	    params, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		w->player_count = (uint32_t) strtoul(PQgetvalue(r, 0, 0),
		    NULL, 10);
	}
	PQclear(r);
}

void
shard_world_tick(shard_world *w, PGconn *pg, bool pg_ok, bool redis_ok)
{
	int64_t now = cm_time_now_ms();

	w->pg = pg;
	if (pg_ok && w->pg != NULL) {
		shard_store_reconnect(w->store);
		if (w->stale && w->inflight == NULL &&
		    shard_persist_resolve(w)) {
			shard_persist_reset(w);
			shard_state_clear(w);
			if (shard_load_state(w) == CM_OK) {
				w->stale       = false;
				w->cache_stale = true;
				cm_log_info("state reloaded from postgres", NULL);
			}
		}
		world_check_generation(w);
		world_count_players(w);
		if (now - w->last_maintain_ms > 3600 * 1000) {
			PGresult *r = PQexec(w->pg, "SELECT nd_events_maintain()");

			PQclear(r);
			w->last_maintain_ms = now;
		}
	}
	if (!w->stale) {
		shard_timers_fire(w, now);
		shard_day_timer_ensure(w, now);
		if (pg_ok && w->pg != NULL) {
			world_end_or_next(w, now);
		}
	}
	if (redis_ok && !w->stale) {
		shard_cache_rebuild_if_needed(w);
	}
	shard_world_flush(w);
}

size_t
shard_world_memory(const shard_world *w)
{
	size_t n = sizeof(*w) + (size_t) w->rw * (size_t) w->rh * sizeof(sh_tile);

	n += cm_table_bytes(w->players) + cm_table_count(w->players) *
	    sizeof(sh_player);
	n += cm_table_bytes(w->armies) + cm_table_count(w->armies) *
	    sizeof(sh_army);
	n += cm_table_bytes(w->combats) + cm_table_count(w->combats) *
	    sizeof(sh_combat);
	n += w->captimers * sizeof(sh_timer);
	n += w->pather != NULL ? cm_pather_bytes(w->pather) : 0;
	/* The map-wide replica: an owner and a flags byte a tile. */
	n += (size_t) w->layout.w * (size_t) w->layout.h *
	    (sizeof(*w->rep_owner) + sizeof(*w->rep_flags));
	return (n);
}
