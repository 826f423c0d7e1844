/*
 * gw_leaderboard.c: the ranking, straight from Redis.
 *
 * The generation's id comes from a shard (shard 0, or 1); everything else
 * from Redis, on an HTTP thread (the fan's completion runs there), with
 * the thread's blocking connection as sign-in does: ZREVRANGE and ZCARD,
 * then one HGET per listed player for the race.  The reads are not one
 * snapshot: total and page may disagree by the players who joined in
 * between.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_eth.h"
#include "cm_log.h"
#include "gw_game.h"
#include "gw_leaderboard.h"
#include "gw_mpack.h"
#include "gw_ops.h"
#include "gw_parse.h"
#include "gw_render.h"
#include "gw_scatter.h"

typedef struct lb_page {
	long limit, offset;
} lb_page;

bool
gw_leaderboard_query(const char *limit_v, int limit_n, const char *offset_v,
    int offset_n, long *limit, long *offset)
{
	return (gw_parse_query_long(limit_v, limit_n, 50, 1, 100, limit) &&
	    gw_parse_query_long(offset_v, offset_n, 0, 0, 1000000, offset));
}

void
gw_leaderboard_key(uint32_t gen, char *out, size_t cap)
{
	snprintf(out, cap, "leaderboard:{%u}", gen);
}

void
gw_player_key(const char *address, char *out, size_t cap)
{
	snprintf(out, cap, "player:%s", address);
}

json_t *
gw_leaderboard_points(const char *score)
{
	char  *end;
	double v = strtod(score, &end);

	if (end == score || *end != '\0' || !isfinite(v)) {
		return (json_null());
	}
	if (v == floor(v) && fabs(v) <= 9007199254740992.0) {
		return (json_integer((json_int_t) v));
	}
	return (json_real(v));
}

json_t *
gw_leaderboard_race(const void *buf, size_t len)
{
	char    race[64];
	json_t *o = NULL;

	if (gw_mpack_str(buf, len, "race", race, sizeof(race)) == CM_OK) {
		o = json_string(race); /* NULL if not UTF-8 */
	}
	return (o != NULL ? o : json_null());
}

/*
 * lb_players renders a ZREVRANGE ... WITHSCORES reply, with each player's
 * race from its player:{address} key: one pipelined round trip for all.
 * NULL when Redis failed meanwhile.
 */
static json_t *
lb_players(cm_redis *redis, const redisReply *rows, long offset)
{
	size_t       n = rows->elements / 2, k = 0;
	char       (*addr)[43] = cm_calloc(n ? n : 1, sizeof(*addr));
	size_t      *row = cm_calloc(n ? n : 1, sizeof(*row));
	redisReply **races = cm_calloc(n ? n : 1, sizeof(*races));
	json_t      *a = NULL;

	for (size_t i = 0; i < n; i++) {
		const redisReply *m = rows->element[2 * i],
		                 *s = rows->element[2 * i + 1];
		char              key[64];
		const char       *argv[] = { "HGET", key, "game" };

		if (m->type != REDIS_REPLY_STRING ||
		    s->type != REDIS_REPLY_STRING ||
		    !cm_eth_addr_normalize(m->str, m->len, addr[k])) {
			cm_log_warn("leaderboard entry is not an address",
			    NULL);
			continue;
		}
		gw_player_key(addr[k], key, sizeof(key));
		if (cm_redis_append(redis, 3, argv, NULL) != CM_OK) {
			goto out;
		}
		row[k++] = i;
	}
	if (cm_redis_collect_replies(redis, (int) k, races) != CM_OK) {
		goto out;
	}
	a = json_array();
	for (size_t j = 0; j < k; j++) {
		const redisReply *s = rows->element[2 * row[j] + 1];

		json_array_append_new(a,
		    json_pack("{s:s,s:I,s:o,s:o}", "address", addr[j], "rank",
		        (json_int_t) (offset + (long) row[j] + 1), "points",
		        gw_leaderboard_points(s->str), "race",
		        races[j]->type == REDIS_REPLY_STRING
		            ? gw_leaderboard_race(races[j]->str, races[j]->len)
		            : json_null()));
		freeReplyObject(races[j]);
	}
out:
	free(addr);
	free(row);
	free(races);
	return (a);
}

/* lb_read runs the two sorted-set reads; NULL when Redis failed. */
static json_t *
lb_read(cm_redis *redis, uint32_t gen, const lb_page *p)
{
	char        key[48], start[24], stop[24];
	const char *range[] = { "ZREVRANGE", key, start, stop, "WITHSCORES" };
	const char *card[]  = { "ZCARD", key };
	redisReply *rows, *total;
	json_t     *o = NULL;

	gw_leaderboard_key(gen, key, sizeof(key));
	snprintf(start, sizeof(start), "%ld", p->offset);
	snprintf(stop, sizeof(stop), "%ld", p->offset + p->limit - 1);
	if (cm_redis_command(redis, 5, range, NULL, &rows) != CM_OK) {
		return (NULL);
	}
	if (cm_redis_command(redis, 2, card, NULL, &total) != CM_OK) {
		freeReplyObject(rows);
		return (NULL);
	}
	if (rows->type == REDIS_REPLY_ARRAY &&
	    total->type == REDIS_REPLY_INTEGER) {
		o = json_pack("{s:o,s:I,s:i,s:i}", "players",
		    lb_players(redis, rows, p->offset), "total",
		    (json_int_t) total->integer, "limit", (int) p->limit,
		    "offset", (int) p->offset);
	}
	freeReplyObject(rows);
	freeReplyObject(total);
	return (o);
}

/* lb_render runs on an HTTP thread once the generation is known. */
static void
lb_render(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	cm_redis *redis = gw_ops_redis(gw_req_app(r));
	json_t   *o;

	if (redis == NULL ||
	    (o = lb_read(redis, rep->generation->id, ctx)) == NULL) {
		gw_req_error(r, 503, "STORE_UNAVAILABLE",
		    "leaderboard store unreachable");
		return;
	}
	gw_req_reply(r, 200, o);
}

void
gw_leaderboard_get(gw_req *r)
{
	const char *lv, *ov;
	int         ln = gw_req_query(r, "limit", &lv);
	int         on = gw_req_query(r, "offset", &ov);
	lb_page    *p  = cm_malloc(sizeof(*p));
	gw_fan     *f;

	if (!gw_leaderboard_query(lv, ln, ov, on, &p->limit, &p->offset)) {
		free(p);
		gw_req_error(r, 400, "INVALID_QUERY",
		    "limit must be an integer 1..100 and offset 0..1000000, "
		    "each given at most once");
		return;
	}
	f = gw_fan_new(r, NULL);
	gw_fan_set_ctx(f, p, free);
	gw_game_add_generation(f);
	gw_fan_render(f, ND__SHARD_REPLY__BODY_GENERATION, lb_render);
	gw_fan_send(f, GW_FAN_HTTP);
}
