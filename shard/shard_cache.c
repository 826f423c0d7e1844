/*
 * shard_cache.c: the Redis hot cache, written after each commit.
 *
 * Keys (values msgpack maps with string keys; docs/architecture.md):
 *   territory:{gen}:{x}:{y}  owner, garrison, buildings, trust
 *   army:{id}                shard, owner, location, destination,
 *                            arrivalTime, status
 *   combat:{id}              shard, attacker, defender, phase, x, y
 *   player:{address}         hash; field "game": shard, race, alliance,
 *                            registered
 *   timers:{gen}             sorted set: due time -> timer id
 *   timer:{id}               type, x, y, entity
 *   leaderboard:{G}:shard:{i} sorted set of this shard's domain points,
 *                            and leaderboard:{G} their union (literal
 *                            braces: a Redis Cluster hash tag)
 *   cache:{gen}:shard:{i}    present while this shard's keys are whole
 *
 * Redis is a cache: a write that fails marks the cache stale, and the
 * shard rewrites every key it owns (once Redis answers) when the cache is
 * stale or its marker key is gone (FLUSHALL, a restarted Redis).
 */
#include <jansson.h>
#include <msgpack.h>
#include <stdio.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "shard_persist.h"
#include "shard_replica.h"
#include "shard_state.h"

typedef struct cache_batch {
	shard_world *w;
	int          queued;
	bool         failed;
} cache_batch;

static void
cb_cmd(cache_batch *b, int argc, const char **argv, const size_t *lens)
{
	if (b->failed) {
		return;
	}
	if (cm_redis_append(b->w->redis, argc, argv, lens) != CM_OK) {
		b->failed = true;
		return;
	}
	b->queued++;
	if (b->queued >= 512) {
		int errors;

		if (cm_redis_collect(b->w->redis, b->queued, &errors) !=
		        CM_OK ||
		    errors != 0) {
			b->failed = true;
		}
		b->queued = 0;
	}
}

static void
cb_set(cache_batch *b, const char *key, const msgpack_sbuffer *val)
{
	const char *argv[3] = { "SET", key, val->data };
	size_t      lens[3] = { 3, strlen(key), val->size };

	cb_cmd(b, 3, argv, lens);
}

static void
cb_del(cache_batch *b, const char *key)
{
	const char *argv[2] = { "DEL", key };

	cb_cmd(b, 2, argv, NULL);
}

static void
pk_xy(msgpack_packer *pk, int x, int y)
{
	msgpack_pack_array(pk, 2);
	msgpack_pack_int(pk, x);
	msgpack_pack_int(pk, y);
}

static void
cache_tile(cache_batch *b, uint32_t idx)
{
	shard_world    *w = b->w;
	sh_tile        *t = &w->tiles[idx];
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	char            key[64];
	int             x, y;

	shard_tile_xy(w, idx, &x, &y);
	snprintf(key, sizeof(key), "territory:%u:%d:%d", w->gen.id, x, y);
	if (t->owner == NULL && t->nb == 0 && t->garrison == 0) {
		cb_del(b, key);
		return;
	}
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	sh_pack_str(&pk, "owner");
	if (t->owner) {
		sh_pack_str(&pk, t->owner->address);
	} else {
		msgpack_pack_nil(&pk);
	}
	sh_pack_str(&pk, "garrison");
	msgpack_pack_uint64(&pk, t->garrison);
	sh_pack_str(&pk, "buildings");
	msgpack_pack_array(&pk, t->nb);
	for (int i = 0; i < t->nb; i++) {
		sh_pack_str(&pk, cm_building(t->b[i].type)->id);
	}
	sh_pack_str(&pk, "trust");
	msgpack_pack_int(&pk, t->trust);
	cb_set(b, key, &sb);
	msgpack_sbuffer_destroy(&sb);
}


static void
cache_army(cache_batch *b, uint64_t id)
{
	sh_army        *a = cm_table_get_u64(b->w->armies, id);
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	char            key[48];
	bool            moving;

	snprintf(key, sizeof(key), "army:%llu", (unsigned long long) id);
	if (a == NULL) {
		cb_del(b, key);
		return;
	}
	moving = a->status == SH_MOVING || a->status == SH_COMBAT;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 6);
	sh_pack_str(&pk, "shard");
	msgpack_pack_int(&pk, b->w->index);
	sh_pack_str(&pk, "owner");
	sh_pack_str(&pk, a->owner->address);
	sh_pack_str(&pk, "location");
	pk_xy(&pk, a->x, a->y);
	sh_pack_str(&pk, "destination");
	if (moving) {
		pk_xy(&pk, a->dx, a->dy);
	} else {
		msgpack_pack_nil(&pk);
	}
	sh_pack_str(&pk, "arrivalTime");
	if (moving) {
		msgpack_pack_int64(&pk, a->arrival_ms);
	} else {
		msgpack_pack_nil(&pk);
	}
	sh_pack_str(&pk, "status");
	sh_pack_str(&pk, shard_army_status_names[a->status]);
	cb_set(b, key, &sb);
	msgpack_sbuffer_destroy(&sb);
}

static void
cache_combat(cache_batch *b, uint64_t id)
{
	sh_combat      *c = cm_table_get_u64(b->w->combats, id);
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	char            key[48];

	if (c == NULL) {
		return;
	}
	snprintf(key, sizeof(key), "combat:%llu", (unsigned long long) id);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 6);
	sh_pack_str(&pk, "shard");
	msgpack_pack_int(&pk, b->w->index);
	sh_pack_str(&pk, "attacker");
	sh_pack_str(&pk, c->attacker);
	sh_pack_str(&pk, "defender");
	sh_pack_str(&pk, c->defender);
	sh_pack_str(&pk, "phase");
	sh_pack_str(&pk, c->status);
	sh_pack_str(&pk, "x");
	msgpack_pack_int(&pk, c->x);
	sh_pack_str(&pk, "y");
	msgpack_pack_int(&pk, c->y);
	cb_set(b, key, &sb);
	msgpack_sbuffer_destroy(&sb);
}

static void
cache_player(cache_batch *b, const sh_player *p)
{
	shard_world    *w = b->w;
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	char            key[64], lb[64], pts[24];

	snprintf(lb, sizeof(lb), "leaderboard:{%u}:shard:%d", w->gen.id,
	    w->index);
	snprintf(pts, sizeof(pts), "%lld", (long long) p->points);
	{
		const char *argv[4] = { "ZADD", lb, pts, p->address };

		cb_cmd(b, 4, argv, NULL);
	}
	if (!p->home) {
		return;
	}
	snprintf(key, sizeof(key), "player:%s", p->address);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	sh_pack_str(&pk, "shard");
	msgpack_pack_int(&pk, w->index);
	sh_pack_str(&pk, "race");
	sh_pack_str(&pk, cm_race_name(p->race));
	sh_pack_str(&pk, "alliance");
	msgpack_pack_uint64(&pk, p->alliance_id);
	sh_pack_str(&pk, "registered");
	msgpack_pack_int64(&pk, p->registered_ms);
	{
		const char *argv[4] = { "HSET", key, "game", sb.data };
		size_t lens[4] = { 4, strlen(key), 4, sb.size };

		cb_cmd(b, 4, argv, lens);
	}
	msgpack_sbuffer_destroy(&sb);
}

static void
cache_timer(cache_batch *b, const sh_timer *t)
{
	static const char *const kinds[] = { "army_arrival", "building",
		"combat_deadline" };
	msgpack_sbuffer sb;
	msgpack_packer  pk;
	char            key[48], zkey[32], id[24], due[24];

	snprintf(zkey, sizeof(zkey), "timers:%u", b->w->gen.id);
	snprintf(key, sizeof(key), "timer:%llu", (unsigned long long) t->id);
	snprintf(id, sizeof(id), "%llu", (unsigned long long) t->id);
	snprintf(due, sizeof(due), "%lld", (long long) t->due_ms);
	{
		const char *argv[4] = { "ZADD", zkey, due, id };

		cb_cmd(b, 4, argv, NULL);
	}
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	sh_pack_str(&pk, "type");
	sh_pack_str(&pk, kinds[t->kind < 3 ? t->kind : 0]);
	sh_pack_str(&pk, "x");
	msgpack_pack_int(&pk, t->x);
	sh_pack_str(&pk, "y");
	msgpack_pack_int(&pk, t->y);
	sh_pack_str(&pk, "entity");
	msgpack_pack_uint64(&pk, t->entity);
	cb_set(b, key, &sb);
	msgpack_sbuffer_destroy(&sb);
}

static void
cache_timer_done(cache_batch *b, uint64_t id)
{
	char zkey[32], key[48], sid[24];

	snprintf(zkey, sizeof(zkey), "timers:%u", b->w->gen.id);
	snprintf(key, sizeof(key), "timer:%llu", (unsigned long long) id);
	snprintf(sid, sizeof(sid), "%llu", (unsigned long long) id);
	{
		const char *argv[3] = { "ZREM", zkey, sid };

		cb_cmd(b, 3, argv, NULL);
	}
	cb_del(b, key);
}

/* cache_union recomputes leaderboard:{G} from every shard's set. */
static void
cache_union(cache_batch *b)
{
	shard_world *w = b->w;
	int          n = w->layout.shards;
	const char **argv = cm_calloc((size_t) n + 3, sizeof(char *));
	char       (*keys)[64] = cm_calloc((size_t) n + 1, 64);
	char         num[16];

	snprintf(keys[n], 64, "leaderboard:{%u}", w->gen.id);
	snprintf(num, sizeof(num), "%d", n);
	argv[0] = "ZUNIONSTORE";
	argv[1] = keys[n];
	argv[2] = num;
	for (int i = 0; i < n; i++) {
		snprintf(keys[i], 64, "leaderboard:{%u}:shard:%d", w->gen.id, i);
		argv[3 + i] = keys[i];
	}
	cb_cmd(b, n + 3, argv, NULL);
	free(argv);
	free(keys);
}

static void
cache_finish(cache_batch *b)
{
	int errors = 0;

	if (!b->failed && b->queued > 0 &&
	    (cm_redis_collect(b->w->redis, b->queued, &errors) != CM_OK ||
	        errors != 0)) {
		b->failed = true;
	}
	if (b->failed && !b->w->cache_stale) {
		cm_log_warn("redis cache writes failed; will rebuild", NULL);
		b->w->cache_stale = true;
	}
}

void
shard_cache_after_commit(shard_world *w, sh_group *g)
{
	cache_batch b = { w, 0, false };

	if (w->redis == NULL || w->cache_stale) {
		return; /* the rebuild will write everything */
	}
	for (uint32_t i = 0; i < g->tiles.n; i++) {
		cache_tile(&b, (uint32_t) g->tiles.v[i]);
	}
	for (uint32_t i = 0; i < g->armies.n; i++) {
		cache_army(&b, g->armies.v[i]);
	}
	for (uint32_t i = 0; i < g->combats.n; i++) {
		cache_combat(&b, g->combats.v[i]);
	}
	for (uint32_t i = 0; i < g->nplayers; i++) {
		cache_player(&b, g->players[i]);
	}
	for (uint32_t i = 0; i < g->nmembers; i++) {
		cache_player(&b, g->members[i]);
	}
	for (uint32_t i = 0; i < g->ntimers_new; i++) {
		cache_timer(&b, &g->timers_new[i]);
	}
	for (uint32_t i = 0; i < g->timers_done.n; i++) {
		cache_timer_done(&b, g->timers_done.v[i]);
	}
	if (g->nplayers > 0) {
		cache_union(&b);
	}
	cache_finish(&b);
}

static void
each_army(void *arg, void *val)
{
	cache_army(arg, ((sh_army *) val)->id);
}

static void
each_combat(void *arg, void *val)
{
	cache_combat(arg, ((sh_combat *) val)->id);
}

static void
each_player(void *arg, void *val)
{
	cache_player(arg, val);
}

void
shard_cache_rebuild_if_needed(shard_world *w)
{
	cache_batch b = { w, 0, false };
	char        marker[64];
	const char *argv[3] = { "EXISTS", marker, "1" };
	redisReply *rep;
	bool        present = false;

	if (w->redis == NULL) {
		return;
	}
	snprintf(marker, sizeof(marker), "cache:%u:shard:%d", w->gen.id,
	    w->index);
	if (cm_redis_command(w->redis, 2, argv, NULL, &rep) != CM_OK) {
		w->cache_stale = true;
		return;
	}
	present = rep->type == REDIS_REPLY_INTEGER && rep->integer == 1;
	freeReplyObject(rep);
	if (present && !w->cache_stale) {
		return;
	}
	for (uint32_t i = 0; i < (uint32_t) (w->rw * w->rh); i++) {
		sh_tile *t = &w->tiles[i];

		if (t->owner != NULL || t->nb != 0 || t->garrison != 0) {
			cache_tile(&b, i);
		}
	}
	cm_table_each(w->armies, each_army, &b);
	cm_table_each(w->combats, each_combat, &b);
	cm_table_each(w->players, each_player, &b);
	for (size_t i = 0; i < w->ntimers; i++) {
		cache_timer(&b, &w->timers[i]);
	}
	cache_union(&b);
	{
		const char *set[3] = { "SET", marker, "1" };

		cb_cmd(&b, 3, set, NULL);
	}
	w->cache_stale = false;
	cache_finish(&b);
	if (!w->cache_stale) {
		cm_log_info("redis cache rebuilt", "{s:I,s:I}", "armies",
		    (json_int_t) cm_table_count(w->armies), "players",
		    (json_int_t) cm_table_count(w->players));
	}
}
