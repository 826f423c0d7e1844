/*
 * gw_leaderboard.h: GET /game/leaderboard, read from Redis.
 *
 * The shards keep the generation's ranking in the sorted set
 * "leaderboard:{<generation>}" (braces included: a Redis Cluster hash
 * tag), member the lower-case address, score the domain points; a
 * player's race is the "race" member of the msgpack map in field "game"
 * of the hash "player:<address>" (no braces there).
 */
#ifndef GW_LEADERBOARD_H
#define GW_LEADERBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gw_http.h"

/* gw_leaderboard_get answers GET /game/leaderboard?limit=&offset=. */
void gw_leaderboard_get(gw_req *r);

/*
 * gw_leaderboard_query checks limit (1..100, default 50) and offset
 * (0..1000000, default 0): the query values and their counts.
 */
bool gw_leaderboard_query(const char *limit_v, int limit_n,
    const char *offset_v, int offset_n, long *limit, long *offset);

/* gw_leaderboard_key and gw_player_key write the Redis keys. */
void gw_leaderboard_key(uint32_t gen, char *out, size_t cap);
void gw_player_key(const char *address, char *out, size_t cap);

/*
 * gw_leaderboard_points renders a sorted-set score: an integer when it is
 * one (up to 2^53), else a number; null when it is not a finite number.
 */
json_t *gw_leaderboard_points(const char *score);

/*
 * gw_leaderboard_race renders the race in a player's "game" field (len
 * bytes of msgpack): its "race" string, or null when there is none or
 * the bytes are malformed.
 */
json_t *gw_leaderboard_race(const void *buf, size_t len);

#endif
