/*
 * gw_parse.h: strict checks of what clients send: ids, addresses,
 * coordinates, hashes, unit lists, names.  Pure functions of their
 * arguments (any thread); none answers a request, so every route picks
 * its own error code and the checks are unit-tested alone.
 */
#ifndef GW_PARSE_H
#define GW_PARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_map.h"

/* The largest id a client may name: 2^53, the last exact JSON number. */
#define GW_ID_MAX 9007199254740992LL

/* Unit lists: at most this many types, names this long, counts this big. */
#define GW_UNITS_MAX      24
#define GW_UNIT_NAME_MAX  32
#define GW_UNIT_COUNT_MAX 100000

typedef struct gw_units {
	int      n;
	char     type[GW_UNITS_MAX][GW_UNIT_NAME_MAX + 1];
	uint32_t count[GW_UNITS_MAX];
} gw_units;

/*
 * gw_parse_body parses a request body (len bytes; body may be NULL when
 * len is 0) as a JSON object whose keys are all among fields
 * (NULL-terminated).  Returns it (the caller decrefs), or NULL with *code
 * INVALID_JSON (empty, not JSON, duplicate keys, not an object) or
 * UNKNOWN_FIELD and a message in msg (cap bytes).
 */
json_t *gw_parse_body(const char *body, size_t len, const char *const *fields,
    const char **code, char *msg, size_t cap);

/*
 * gw_parse_id reads a path segment as an id: a decimal integer in
 * 1..2^53 with no sign, no leading zero, nothing else.
 */
bool gw_parse_id(const char *s, uint64_t *out);

/* gw_parse_json_id reads a JSON integer in 1..2^53. */
bool gw_parse_json_id(const json_t *v, uint64_t *out);

/*
 * gw_parse_xy reads two JSON integers x, y naming a tile of l's map.
 * Returns NULL, or why not (a static message).
 */
const char *gw_parse_xy(const json_t *jx, const json_t *jy, const cm_layout *l,
    int *x, int *y);

/*
 * gw_parse_coord reads {"x": int, "y": int} (exactly those members) naming
 * a tile of l's map.  Returns NULL, or why not (a static message).
 */
const char *gw_parse_coord(const json_t *v, const cm_layout *l, int *x,
    int *y);

/* gw_parse_hash32 reads a JSON string "0x" + 64 hex digits (any case). */
bool gw_parse_hash32(const json_t *v, uint8_t out[32]);

/*
 * gw_parse_ident tells whether s is a game id (unit type, spell): 1..max
 * characters of [a-z0-9_-].
 */
bool gw_parse_ident(const char *s, size_t max);

/*
 * gw_parse_units reads {"type": count, ...}: 1..GW_UNITS_MAX members whose
 * names are 1..GW_UNIT_NAME_MAX characters of [a-z0-9_-] and whose counts
 * are integers in 1..GW_UNIT_COUNT_MAX.  Returns NULL, or why not.
 */
const char *gw_parse_units(const json_t *v, gw_units *out);

/*
 * gw_parse_name reads a JSON string of min..max characters (code points)
 * with no control character and no white space at either end.
 */
bool gw_parse_name(const json_t *v, size_t min, size_t max);

/*
 * gw_parse_query_long reads an optional query value: NULL (absent) gives
 * def; otherwise a decimal integer in [min, max] (cm_parse_long's rules).
 * count is how many times the parameter occurs: more than once is refused.
 */
bool gw_parse_query_long(const char *v, int count, long def, long min,
    long max, long *out);

#endif
