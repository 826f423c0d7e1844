/*
 * shard_replica.c: the map-wide replica (shard_replica.h): what a commit
 * publishes, how a message is read and applied, and the reload from
 * PostgreSQL.
 *
 * A message is a msgpack array:
 *   ["r1", shard, generation, boot, seq,
 *    [[address, race, class, skill, registered_ms, alliance_id,
 *      protected_until_ms, captain_army, captain_dead,
 *      captain_wounded_until_ms, frenzy_until_ms, foresight_until_ms],
 *     ...],
 *    [[x, y, owner or nil, garrison, sight], ...],
 *    [[army id, owner or nil (gone from the band), x, y], ...]]
 */
#include <msgpack.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_time.h"
#include "shard_persist.h"
#include "shard_replica.h"
#include "shard_vision.h"

#define MSCOL(c) "(EXTRACT(EPOCH FROM " c ") * 1000)::BIGINT"
#define FLAG_GARRISON 1u

static size_t
map_index(const shard_world *w, int x, int y)
{
	return ((size_t) y * (size_t) w->layout.w + (size_t) x);
}

static bool
on_map(const shard_world *w, int x, int y)
{
	return (x >= 0 && y >= 0 && x < w->layout.w && y < w->layout.h);
}

sh_player *
shard_replica_owner(const shard_world *w, int x, int y)
{
	return (on_map(w, x, y) && w->rep_owner != NULL
	        ? w->rep_owner[map_index(w, x, y)]
	        : NULL);
}

bool
shard_replica_garrison(const shard_world *w, int x, int y)
{
	return (on_map(w, x, y) && w->rep_flags != NULL &&
	    (w->rep_flags[map_index(w, x, y)] & FLAG_GARRISON) != 0);
}

int
shard_replica_sight(const shard_world *w, int x, int y)
{
	return (on_map(w, x, y) && w->rep_flags != NULL
	        ? w->rep_flags[map_index(w, x, y)] >> 1
	        : 0);
}

/* --- publishing --- */

void
sh_pack_str(msgpack_packer *pk, const char *s)
{
	size_t n = strlen(s);

	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

/* player_changed: p's replicated fields differ from what was sent. */
static bool
player_changed(const sh_player *p)
{
	return (!p->rep.sent || p->rep.alliance_id != p->alliance_id ||
	    p->rep.captain_army != p->captain_army ||
	    p->rep.protected_until_ms != p->protected_until_ms ||
	    p->rep.captain_wounded_until_ms != p->captain_wounded_until_ms ||
	    p->rep.captain_dead != p->captain_dead ||
	    p->rep.frenzy_until_ms != p->frenzy_until_ms ||
	    p->rep.foresight_until_ms != p->foresight_until_ms);
}

static void
pack_player(msgpack_packer *pk, sh_player *p)
{
	msgpack_pack_array(pk, 12);
	sh_pack_str(pk, p->address);
	msgpack_pack_uint8(pk, p->race);
	msgpack_pack_uint8(pk, p->cls);
	msgpack_pack_uint8(pk, p->skill);
	msgpack_pack_int64(pk, p->registered_ms);
	msgpack_pack_uint64(pk, p->alliance_id);
	msgpack_pack_int64(pk, p->protected_until_ms);
	msgpack_pack_uint64(pk, p->captain_army);
	if (p->captain_dead) {
		msgpack_pack_true(pk);
	} else {
		msgpack_pack_false(pk);
	}
	msgpack_pack_int64(pk, p->captain_wounded_until_ms);
	msgpack_pack_int64(pk, p->frenzy_until_ms);
	msgpack_pack_int64(pk, p->foresight_until_ms);
	p->rep.sent               = true;
	p->rep.frenzy_until_ms    = p->frenzy_until_ms;
	p->rep.foresight_until_ms = p->foresight_until_ms;
	p->rep.alliance_id        = p->alliance_id;
	p->rep.captain_army       = p->captain_army;
	p->rep.protected_until_ms = p->protected_until_ms;
	p->rep.captain_wounded_until_ms = p->captain_wounded_until_ms;
	p->rep.captain_dead       = p->captain_dead;
}

/* tile_flags: what the replica keeps of one of the region's tiles. */
static uint8_t
tile_flags(const sh_tile *t, int64_t now)
{
	int sight = t->owner != NULL ? shard_vision_land_radius(t, now) : 0;

	if (sight > 127) {
		sight = 127;
	}
	return ((uint8_t) ((sight << 1) | (t->garrison != 0 ? FLAG_GARRISON
	                                                     : 0)));
}

/* The marked home players and tiles whose replicated fields changed, and
 * the armies near the border that moved, came or went. */
typedef struct changes {
	sh_player **players;
	uint32_t    nplayers;
	uint32_t   *tiles; /* region tile indices */
	uint32_t    ntiles;
	sh_army   **armies; /* NULL entry: army_gone[i] left */
	uint64_t   *army_ids;
	uint32_t    narmies;
} changes;

/* in_band: (x, y) is in the region, within SH_REPLICA_ARMY_BAND of its
 * edge (an army there may be seen from across it). */
static bool
in_band(const shard_world *w, int x, int y)
{
	const cm_rect *r = &w->region;
	int            B = SH_REPLICA_ARMY_BAND;

	return (shard_owns_tile(w, x, y) &&
	    (x - r->x0 < B || r->x1 - x < B || y - r->y0 < B ||
	        r->y1 - y < B));
}

/* add_army lists army id (a: as it stands now, NULL: gone) when the
 * others' copy must change. */
/* border_key: what rep_border keeps of a published army: where it was. */
static void *
border_key(const sh_army *a)
{
	return ((void *) (uintptr_t) ((((uint32_t) a->x << 16) |
	                                  (uint16_t) a->y) +
	    1u));
}

static void
add_army(shard_world *w, changes *c, uint64_t id, sh_army *a)
{
	void *was = cm_table_get_u64(w->rep_border, id);

	if (a != NULL && !in_band(w, a->x, a->y)) {
		a = NULL;
	}
	if ((a == NULL && was == NULL) ||
	    (a != NULL && was == border_key(a))) {
		return; /* nothing the others do not know */
	}
	for (uint32_t i = 0; i < c->narmies; i++) {
		if (c->army_ids[i] == id) {
			return;
		}
	}
	c->armies[c->narmies]     = a;
	c->army_ids[c->narmies++] = id;
}

static void
add_player(changes *c, sh_player *p)
{
	if (!p->home || !player_changed(p)) {
		return;
	}
	for (uint32_t i = 0; i < c->nplayers; i++) {
		if (c->players[i] == p) {
			return;
		}
	}
	c->players[c->nplayers++] = p;
}

static void
collect(shard_world *w, const sh_group *g, changes *c, int64_t now)
{
	c->players  = cm_calloc((size_t) g->nplayers + g->nmembers + 1,
            sizeof(*c->players));
	c->tiles    = cm_calloc((size_t) g->tiles.n + 1, sizeof(*c->tiles));
	c->armies   = cm_calloc((size_t) g->armies.n + g->nhandoffs + 1,
            sizeof(*c->armies));
	c->army_ids = cm_calloc((size_t) g->armies.n + g->nhandoffs + 1,
	    sizeof(*c->army_ids));
	c->nplayers = c->ntiles = c->narmies = 0;
	for (uint32_t i = 0; i < g->armies.n; i++) {
		add_army(w, c, g->armies.v[i],
		    cm_table_get_u64(w->armies, g->armies.v[i]));
	}
	for (uint32_t i = 0; i < g->nhandoffs; i++) {
		add_army(w, c, g->handoffs[i].army->id, NULL);
	}
	for (uint32_t i = 0; i < g->nplayers; i++) {
		add_player(c, g->players[i]);
	}
	for (uint32_t i = 0; i < g->nmembers; i++) {
		add_player(c, g->members[i]);
	}
	for (uint32_t i = 0; i < g->tiles.n; i++) {
		uint32_t idx = (uint32_t) g->tiles.v[i];
		sh_tile *t   = &w->tiles[idx];
		int      x, y;
		size_t   m;

		shard_tile_xy(w, idx, &x, &y);
		m = map_index(w, x, y);
		if (w->rep_owner[m] != t->owner ||
		    w->rep_flags[m] != tile_flags(t, now)) {
			c->tiles[c->ntiles++] = idx;
		}
	}
}

bool
shard_replica_encode(shard_world *w, const sh_group *g, msgpack_sbuffer *out)
{
	int64_t        now = cm_time_now_ms();
	changes        c;
	msgpack_packer pk;

	collect(w, g, &c, now);
	if (c.nplayers == 0 && c.ntiles == 0 && c.narmies == 0) {
		free(c.players);
		free(c.tiles);
		free(c.armies);
		free(c.army_ids);
		return (false);
	}
	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 8);
	sh_pack_str(&pk, "r1");
	msgpack_pack_int(&pk, w->index);
	msgpack_pack_uint32(&pk, w->gen.id);
	msgpack_pack_uint64(&pk, w->rep_boot);
	msgpack_pack_uint64(&pk, ++w->rep_seq);
	msgpack_pack_array(&pk, c.nplayers);
	for (uint32_t i = 0; i < c.nplayers; i++) {
		pack_player(&pk, c.players[i]);
	}
	msgpack_pack_array(&pk, c.ntiles);
	for (uint32_t i = 0; i < c.ntiles; i++) {
		sh_tile *t = &w->tiles[c.tiles[i]];
		int      x, y;
		size_t   m;

		shard_tile_xy(w, c.tiles[i], &x, &y);
		m                = map_index(w, x, y);
		w->rep_owner[m]  = t->owner;
		w->rep_flags[m]  = tile_flags(t, now);
		msgpack_pack_array(&pk, 5);
		msgpack_pack_int(&pk, x);
		msgpack_pack_int(&pk, y);
		if (t->owner != NULL) {
			sh_pack_str(&pk, t->owner->address);
		} else {
			msgpack_pack_nil(&pk);
		}
		if (t->garrison != 0) {
			msgpack_pack_true(&pk);
		} else {
			msgpack_pack_false(&pk);
		}
		msgpack_pack_uint8(&pk, (uint8_t) (w->rep_flags[m] >> 1));
	}
	msgpack_pack_array(&pk, c.narmies);
	for (uint32_t i = 0; i < c.narmies; i++) {
		const sh_army *a = c.armies[i];

		msgpack_pack_array(&pk, 4);
		msgpack_pack_uint64(&pk, c.army_ids[i]);
		if (a != NULL) {
			sh_pack_str(&pk, a->owner->address);
			msgpack_pack_int(&pk, a->x);
			msgpack_pack_int(&pk, a->y);
			cm_table_put_u64(w->rep_border, a->id, border_key(a));
		} else {
			msgpack_pack_nil(&pk);
			msgpack_pack_int(&pk, 0);
			msgpack_pack_int(&pk, 0);
			cm_table_del_u64(w->rep_border, c.army_ids[i]);
		}
	}
	free(c.players);
	free(c.tiles);
	free(c.armies);
	free(c.army_ids);
	return (true);
}

void
shard_replica_publish(shard_world *w, const sh_group *g)
{
	msgpack_sbuffer sb;
	redisReply     *rep = NULL;

	if (w->rep_owner == NULL) {
		return;
	}
	msgpack_sbuffer_init(&sb);
	if (shard_replica_encode(w, g, &sb)) {
		const char *argv[3] = { "PUBLISH", SH_REPLICA_CHANNEL, sb.data };
		size_t      lens[3] = { 7, strlen(SH_REPLICA_CHANNEL), sb.size };

		/* A message that does not go out is a gap the receivers see
		 * by its number: they reload. */
		if (w->redis == NULL ||
		    cm_redis_command(w->redis, 3, argv, lens, &rep) != CM_OK) {
			cm_metric_inc(w->m_replica, "publish_failed", 1);
		} else {
			cm_metric_inc(w->m_replica, "published", 1);
			freeReplyObject(rep);
		}
	}
	msgpack_sbuffer_destroy(&sb);
}

/* --- reading --- */

static bool
obj_int(const msgpack_object *o, int64_t lo, int64_t hi, int64_t *v)
{
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		if (o->via.u64 > (uint64_t) INT64_MAX) {
			return (false);
		}
		*v = (int64_t) o->via.u64;
	} else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		*v = o->via.i64;
	} else {
		return (false);
	}
	return (*v >= lo && *v <= hi);
}

bool
sh_obj_uint(const msgpack_object *o, uint64_t max, uint64_t *v)
{
	if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER || o->via.u64 > max) {
		return (false);
	}
	*v = o->via.u64;
	return (true);
}

static bool
obj_u64(const msgpack_object *o, uint64_t *v)
{
	return (sh_obj_uint(o, UINT64_MAX, v));
}

static bool
obj_bool(const msgpack_object *o, bool *v)
{
	if (o->type != MSGPACK_OBJECT_BOOLEAN) {
		return (false);
	}
	*v = o->via.boolean;
	return (true);
}

/* obj_addr: "0x" and 40 lower-case hex digits. */
static bool
obj_addr(const msgpack_object *o, char out[SH_ADDR_LEN + 1])
{
	if (o->type != MSGPACK_OBJECT_STR || o->via.str.size != SH_ADDR_LEN ||
	    memcmp(o->via.str.ptr, "0x", 2) != 0) {
		return (false);
	}
	for (int i = 2; i < SH_ADDR_LEN; i++) {
		char ch = o->via.str.ptr[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
			return (false);
		}
	}
	memcpy(out, o->via.str.ptr, SH_ADDR_LEN);
	out[SH_ADDR_LEN] = '\0';
	return (true);
}

static bool
read_player(const msgpack_object *o, sh_rep_player *p)
{
	const msgpack_object *f = o->via.array.ptr;
	int64_t               v[5];

	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 12) {
		return (false);
	}
	if (!obj_addr(&f[0], p->address) ||
	    !obj_int(&f[1], 0, CM_RACE_COUNT - 1, &v[0]) ||
	    !obj_int(&f[2], 0, CM_CLASS_COUNT - 1, &v[1]) ||
	    !obj_int(&f[3], 0, CM_CLASS_COUNT * 2 - 1, &v[2]) ||
	    !obj_int(&f[4], 0, INT64_MAX, &p->registered_ms) ||
	    !obj_u64(&f[5], &p->alliance_id) ||
	    !obj_int(&f[6], 0, INT64_MAX, &p->protected_until_ms) ||
	    !obj_u64(&f[7], &p->captain_army) ||
	    !obj_bool(&f[8], &p->captain_dead) ||
	    !obj_int(&f[9], 0, INT64_MAX, &p->captain_wounded_until_ms) ||
	    !obj_int(&f[10], 0, INT64_MAX, &p->frenzy_until_ms) ||
	    !obj_int(&f[11], 0, INT64_MAX, &p->foresight_until_ms)) {
		return (false);
	}
	p->race  = (uint8_t) v[0];
	p->cls   = (uint8_t) v[1];
	p->skill = (uint8_t) v[2];
	return (true);
}

static bool
read_tile(const msgpack_object *o, int w, int h, sh_rep_tile *t)
{
	const msgpack_object *f = o->via.array.ptr;
	int64_t               x, y, sight;

	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 5 ||
	    !obj_int(&f[0], 0, w - 1, &x) || !obj_int(&f[1], 0, h - 1, &y) ||
	    !obj_bool(&f[3], &t->garrison) ||
	    !obj_int(&f[4], 0, 127, &sight)) {
		return (false);
	}
	if (f[2].type == MSGPACK_OBJECT_NIL) {
		t->owner[0] = '\0';
	} else if (!obj_addr(&f[2], t->owner)) {
		return (false);
	}
	t->x     = (int16_t) x;
	t->y     = (int16_t) y;
	t->sight = (uint8_t) sight;
	return (true);
}

static bool
read_army(const msgpack_object *o, int w, int h, sh_rep_army *a)
{
	const msgpack_object *f = o->via.array.ptr;
	int64_t               x, y;

	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 4 ||
	    !sh_obj_uint(&f[0], UINT64_MAX, &a->id) || a->id == 0 ||
	    !obj_int(&f[2], 0, w - 1, &x) || !obj_int(&f[3], 0, h - 1, &y)) {
		return (false);
	}
	if (f[1].type == MSGPACK_OBJECT_NIL) {
		a->owner[0] = '\0';
	} else if (!obj_addr(&f[1], a->owner)) {
		return (false);
	}
	a->x = (int16_t) x;
	a->y = (int16_t) y;
	return (true);
}

void
shard_replica_msg_free(sh_rep_msg *m)
{
	free(m->players);
	free(m->tiles);
	free(m->armies);
	memset(m, 0, sizeof(*m));
}

bool
shard_replica_decode(const char *buf, size_t len, int w, int h,
    sh_rep_msg *m)
{
	msgpack_unpacked      u;
	const msgpack_object *f;
	size_t                off = 0;
	int64_t               shard, gen;
	bool                  ok = false;

	memset(m, 0, sizeof(*m));
	if (len > SH_REPLICA_MAX_MSG) {
		return (false);
	}
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, buf, len, &off) != MSGPACK_UNPACK_SUCCESS ||
	    off != len || u.data.type != MSGPACK_OBJECT_ARRAY ||
	    u.data.via.array.size != 8) {
		goto out;
	}
	f = u.data.via.array.ptr;
	if (f[0].type != MSGPACK_OBJECT_STR || f[0].via.str.size != 2 ||
	    memcmp(f[0].via.str.ptr, "r1", 2) != 0 ||
	    !obj_int(&f[1], 0, 65535, &shard) ||
	    !obj_int(&f[2], 1, UINT32_MAX, &gen) || !obj_u64(&f[3], &m->boot) ||
	    !obj_u64(&f[4], &m->seq) || m->seq == 0 ||
	    f[5].type != MSGPACK_OBJECT_ARRAY ||
	    f[6].type != MSGPACK_OBJECT_ARRAY ||
	    f[7].type != MSGPACK_OBJECT_ARRAY) {
		goto out;
	}
	m->shard      = (int) shard;
	m->generation = (uint32_t) gen;
	m->nplayers   = f[5].via.array.size;
	m->ntiles     = f[6].via.array.size;
	m->narmies    = f[7].via.array.size;
	m->players    = cm_calloc(m->nplayers + 1, sizeof(*m->players));
	m->tiles      = cm_calloc(m->ntiles + 1, sizeof(*m->tiles));
	m->armies     = cm_calloc(m->narmies + 1, sizeof(*m->armies));
	for (uint32_t i = 0; i < m->nplayers; i++) {
		if (!read_player(&f[5].via.array.ptr[i], &m->players[i])) {
			goto out;
		}
	}
	for (uint32_t i = 0; i < m->ntiles; i++) {
		if (!read_tile(&f[6].via.array.ptr[i], w, h, &m->tiles[i])) {
			goto out;
		}
	}
	for (uint32_t i = 0; i < m->narmies; i++) {
		if (!read_army(&f[7].via.array.ptr[i], w, h, &m->armies[i])) {
			goto out;
		}
	}
	ok = true;
out:
	msgpack_unpacked_destroy(&u);
	if (!ok) {
		shard_replica_msg_free(m);
	}
	return (ok);
}

/* --- applying --- */

static void
apply_player(shard_world *w, const sh_rep_player *r)
{
	sh_player *p = shard_player_known(w, r->address);

	if (p->home) {
		return; /* ours: this shard is its authority */
	}
	p->race                     = r->race;
	p->cls                      = r->cls;
	p->skill                    = r->skill;
	p->registered_ms            = r->registered_ms;
	p->protected_until_ms       = r->protected_until_ms;
	p->captain_army             = r->captain_army;
	p->captain_dead             = r->captain_dead;
	p->captain_wounded_until_ms = r->captain_wounded_until_ms;
	p->frenzy_until_ms          = r->frenzy_until_ms;
	p->foresight_until_ms       = r->foresight_until_ms;
	if (p->alliance_id != r->alliance_id) {
		shard_set_alliance(w, p, r->alliance_id);
	}
}

static void
apply_tile(shard_world *w, int x, int y, sh_player *owner, bool garrison,
    int sight)
{
	size_t m = map_index(w, x, y);

	if (shard_owns_tile(w, x, y)) {
		return; /* ours */
	}
	w->rep_owner[m] = owner;
	w->rep_flags[m] = (uint8_t) ((sight << 1) |
	    (garrison ? FLAG_GARRISON : 0));
}

/* apply_army keeps (or forgets, owner NULL) another shard's army near
 * the border; one in this region is this shard's own business. */
static void
apply_army(shard_world *w, uint64_t id, sh_player *owner, int x, int y)
{
	sh_rep_army_at *at = cm_table_get_u64(w->rep_armies, id);

	if (owner == NULL || shard_owns_tile(w, x, y)) {
		if (at != NULL) {
			cm_table_del_u64(w->rep_armies, id);
			free(at);
		}
		return;
	}
	if (at == NULL) {
		at = cm_calloc(1, sizeof(*at));
		cm_table_put_u64(w->rep_armies, id, at);
	}
	at->owner = owner;
	at->x     = (int16_t) x;
	at->y     = (int16_t) y;
}

typedef struct army_visit {
	const sh_player *owner;
	int              x, y, r;
	bool             hit;
} army_visit;

static void
army_near(void *arg, void *v)
{
	army_visit           *c  = arg;
	const sh_rep_army_at *at = v;
	int dx = at->x > c->x ? at->x - c->x : c->x - at->x;
	int dy = at->y > c->y ? at->y - c->y : c->y - at->y;

	c->hit |= at->owner == c->owner && (dx > dy ? dx : dy) <= c->r;
}

bool
shard_replica_army_near(const shard_world *w, const sh_player *owner, int x,
    int y, int r)
{
	army_visit c = { owner, x, y, r, false };

	if (w->rep_armies != NULL && cm_table_count(w->rep_armies) != 0) {
		cm_table_each(w->rep_armies, army_near, &c);
	}
	return (c.hit);
}

typedef struct army_each {
	const sh_player *owner;
	void (*fn)(void *ctx, int x, int y);
	void *ctx;
} army_each;

static void
army_of(void *arg, void *v)
{
	army_each            *c  = arg;
	const sh_rep_army_at *at = v;

	if (at->owner == c->owner) {
		c->fn(c->ctx, at->x, at->y);
	}
}

void
shard_replica_armies_of(const shard_world *w, const sh_player *owner,
    void (*fn)(void *ctx, int x, int y), void *ctx)
{
	army_each c = { owner, fn, ctx };

	if (w->rep_armies != NULL && cm_table_count(w->rep_armies) != 0) {
		cm_table_each(w->rep_armies, army_of, &c);
	}
}

bool
shard_replica_apply(shard_world *w, const sh_rep_msg *m)
{
	uint64_t *boot, *seq;

	if (m->generation != w->gen.id || m->shard == w->index ||
	    m->shard >= w->layout.shards || w->rep_owner == NULL) {
		return (true);
	}
	boot = &w->rep_src_boot[m->shard];
	seq  = &w->rep_src_seq[m->shard];
	/* A source we know: the next number of its run, or the first of a
	 * new run (it restarted); anything else means one was lost. */
	if (*boot != 0 && !(m->boot == *boot && m->seq == *seq + 1) &&
	    !(m->boot != *boot && m->seq == 1)) {
		if (m->boot == *boot && m->seq <= *seq) {
			return (true); /* a duplicate, or older: applied */
		}
		*boot = 0; /* the reload starts the count again */
		return (false);
	}
	*boot = m->boot;
	*seq  = m->seq;
	for (uint32_t i = 0; i < m->nplayers; i++) {
		apply_player(w, &m->players[i]);
	}
	for (uint32_t i = 0; i < m->ntiles; i++) {
		const sh_rep_tile *t = &m->tiles[i];

		apply_tile(w, t->x, t->y,
		    t->owner[0] != '\0' ? shard_player_known(w, t->owner) : NULL,
		    t->garrison, t->sight);
	}
	for (uint32_t i = 0; i < m->narmies; i++) {
		const sh_rep_army *a = &m->armies[i];

		apply_army(w, a->id,
		    a->owner[0] != '\0' ? shard_player_known(w, a->owner) : NULL,
		    a->x, a->y);
	}
	cm_metric_inc(w->m_replica, "applied", 1);
	return (true);
}

/* --- reloading --- */

static void
free_plain_at(void *arg, void *v)
{
	(void) arg;
	free(v);
}

static PGresult *
query(shard_world *w, const char *sql)
{
	char        gid[16];
	const char *pv[1] = { gid };
	PGresult   *r;

	snprintf(gid, sizeof(gid), "%u", w->gen.id);
	r = PQexecParams(w->pg, sql, 1, NULL, pv, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		cm_log_error("cannot load the replica", "{s:s}", "error",
		    PQresultErrorMessage(r));
		PQclear(r);
		return (NULL);
	}
	return (r);
}

static long long
col(PGresult *r, int i, int c)
{
	return (PQgetisnull(r, i, c) ? 0 : atoll(PQgetvalue(r, i, c)));
}

static bool
load_players(shard_world *w)
{
	PGresult *r = query(w,
	    "SELECT p.address, p.race, p.captain_class, p.captain_skill, "
	    MSCOL("p.registered_at") ", coalesce(m.alliance_id, 0), coalesce("
	    MSCOL("p.protected_until") ", 0), coalesce(p.captain_army, 0),"
	    " p.captain_dead, coalesce(" MSCOL("p.captain_wounded_until")
	    ", 0), coalesce(" MSCOL("p.frenzy_until") ", 0), coalesce("
	    MSCOL("p.foresight_until") ", 0)"
	    " FROM players p LEFT JOIN alliance_members m ON"
	    " m.generation_id = p.generation_id AND m.player = p.address"
	    " WHERE p.generation_id = $1");

	if (r == NULL) {
		return (false);
	}
	for (int i = 0; i < PQntuples(r); i++) {
		sh_rep_player p;

		if (strlen(PQgetvalue(r, i, 0)) != SH_ADDR_LEN) {
			continue;
		}
		snprintf(p.address, sizeof(p.address), "%s", PQgetvalue(r, i, 0));
		p.race                     = (uint8_t) col(r, i, 1);
		p.cls                      = (uint8_t) col(r, i, 2);
		p.skill                    = (uint8_t) col(r, i, 3);
		p.registered_ms            = col(r, i, 4);
		p.alliance_id              = (uint64_t) col(r, i, 5);
		p.protected_until_ms       = col(r, i, 6);
		p.captain_army             = (uint64_t) col(r, i, 7);
		p.captain_dead             = PQgetvalue(r, i, 8)[0] == 't';
		p.captain_wounded_until_ms = col(r, i, 9);
		p.frenzy_until_ms          = col(r, i, 10);
		p.foresight_until_ms       = col(r, i, 11);
		apply_player(w, &p);
	}
	PQclear(r);
	return (true);
}

static bool
load_tiles(shard_world *w)
{
	int64_t   now = cm_time_now_ms();
	PGresult *r;

	memset(w->rep_flags, 0, (size_t) w->layout.w * (size_t) w->layout.h);
	for (size_t i = 0; i < (size_t) w->layout.w * (size_t) w->layout.h;
	     i++) {
		w->rep_owner[i] = NULL;
	}
	r = query(w, "SELECT x, y, owner FROM territories"
	             " WHERE generation_id = $1 AND owner IS NOT NULL");
	if (r == NULL) {
		return (false);
	}
	for (int i = 0; i < PQntuples(r); i++) {
		int x = (int) col(r, i, 0), y = (int) col(r, i, 1);

		if (on_map(w, x, y) && !shard_owns_tile(w, x, y) &&
		    strlen(PQgetvalue(r, i, 2)) == SH_ADDR_LEN) {
			apply_tile(w, x, y, shard_player_known(w, PQgetvalue(r, i, 2)),
			    false, SH_RADIUS_LAND);
		}
	}
	PQclear(r);
	r = query(w, "SELECT x, y FROM armies WHERE generation_id = $1"
	             " AND garrison");
	if (r == NULL) {
		return (false);
	}
	for (int i = 0; i < PQntuples(r); i++) {
		int x = (int) col(r, i, 0), y = (int) col(r, i, 1);

		if (on_map(w, x, y) && !shard_owns_tile(w, x, y)) {
			w->rep_flags[map_index(w, x, y)] |= FLAG_GARRISON;
		}
	}
	PQclear(r);
	/* Standing buildings that see farther (the Watchtower). */
	r = query(w, "SELECT x, y, building_type, " MSCOL("construction_end")
	             " FROM buildings WHERE generation_id = $1 AND hp > 0");
	if (r == NULL) {
		return (false);
	}
	for (int i = 0; i < PQntuples(r); i++) {
		int                    x = (int) col(r, i, 0), y = (int) col(r, i, 1);
		const cm_building_def *b = cm_building((int) col(r, i, 2));
		size_t                 m;

		if (!on_map(w, x, y) || shard_owns_tile(w, x, y) || b == NULL ||
		    col(r, i, 3) > now || w->rep_owner[map_index(w, x, y)] == NULL) {
			continue;
		}
		m = map_index(w, x, y);
		if (b->effects.vision_radius > (w->rep_flags[m] >> 1)) {
			w->rep_flags[m] = (uint8_t) ((w->rep_flags[m] &
			                                 FLAG_GARRISON) |
			    (b->effects.vision_radius << 1));
		}
	}
	PQclear(r);
	return (true);
}

/* load_armies: the other shards' armies near this region. */
static bool
load_armies(shard_world *w)
{
	int         B = SH_REPLICA_ARMY_BAND;
	char        p[5][16];
	const char *pv[5];
	PGresult   *r;

	cm_table_each(w->rep_armies, free_plain_at, NULL);
	cm_table_free(w->rep_armies);
	w->rep_armies = cm_table_new(64);
	snprintf(p[0], 16, "%u", w->gen.id);
	snprintf(p[1], 16, "%d", w->region.x0 - B);
	snprintf(p[2], 16, "%d", w->region.x1 + B);
	snprintf(p[3], 16, "%d", w->region.y0 - B);
	snprintf(p[4], 16, "%d", w->region.y1 + B);
	for (int i = 0; i < 5; i++) {
		pv[i] = p[i];
	}
	r = PQexecParams(w->pg,
	    "SELECT id, owner, x, y FROM armies WHERE generation_id = $1"
	    " AND x BETWEEN $2 AND $3 AND y BETWEEN $4 AND $5",
	    5, NULL, pv, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		cm_log_error("cannot load the replica", "{s:s}", "error",
		    PQresultErrorMessage(r));
		PQclear(r);
		return (false);
	}
	for (int i = 0; i < PQntuples(r); i++) {
		int x = (int) col(r, i, 2), y = (int) col(r, i, 3);

		if (on_map(w, x, y) && strlen(PQgetvalue(r, i, 1)) == SH_ADDR_LEN) {
			apply_army(w, (uint64_t) col(r, i, 0),
			    shard_player_known(w, PQgetvalue(r, i, 1)), x, y);
		}
	}
	PQclear(r);
	return (true);
}

bool
shard_replica_load(shard_world *w)
{
	int64_t t0 = cm_time_mono_ns();

	if (w->pg == NULL || w->rep_owner == NULL) {
		return (false);
	}
	if (!load_players(w) || !load_tiles(w) || !load_armies(w)) {
		return (false);
	}
	/* Whatever comes next of each source is counted from. */
	memset(w->rep_src_boot, 0,
	    (size_t) w->layout.shards * sizeof(*w->rep_src_boot));
	w->rep_loaded_ns = t0;
	cm_metric_inc(w->m_replica, "reloaded", 1);
	return (true);
}
