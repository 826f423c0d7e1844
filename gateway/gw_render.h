/*
 * gw_render.h: the pieces of JSON answers that several routes share:
 * times, hex strings, ids, tiles, unit counts, resources, armies.  Each
 * returns a new reference (or NULL if its input held invalid UTF-8, which
 * a fan's replies never do); any thread.
 */
#ifndef GW_RENDER_H
#define GW_RENDER_H

#include <jansson.h>
#include <stdint.h>

#include "shard.pb-c.h"

/* gw_json_time: ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
json_t *gw_json_time(int64_t ms);

/* gw_json_time_or_null: as gw_json_time, but null for 0 (never, none). */
json_t *gw_json_time_or_null(int64_t ms);

/* gw_json_hex: "0x" + lower-case hex of b; _or_null: null when empty. */
json_t *gw_json_hex(const ProtobufCBinaryData *b);
json_t *gw_json_hex_or_null(const ProtobufCBinaryData *b);

/* gw_json_id_or_null: the id, or null for 0 (none). */
json_t *gw_json_id_or_null(uint64_t id);

/* gw_json_str_or_null: the string, or null for "" (or NULL). */
json_t *gw_json_str_or_null(const char *s);

/* gw_json_coord: {"x": x, "y": y}. */
json_t *gw_json_coord(int x, int y);

/*
 * gw_json_units: {"type": count, ...}; a type listed twice is summed.
 */
json_t *gw_json_units(Nd__UnitCount *const *u, size_t n);

/*
 * gw_json_resources: {"gold","stone","wood","food","mana"}, zeros for
 * NULL.
 */
json_t *gw_json_resources(const Nd__Resources *r);

/* gw_json_army: the army object of GET /army/:id (docs/api.md). */
json_t *gw_json_army(const Nd__Army *a);

#endif
