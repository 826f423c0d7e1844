/*
 * gw_parse.c: strict checks of client input.
 *
 * JSON arrives through gw_req_json, which has already refused invalid
 * UTF-8, duplicate keys and unknown top-level members; these checks deal
 * with types, ranges and the shape of nested values.  Nothing coerces: a
 * number where a string is due, 5.0 where an integer is, a member too
 * many, are all refusals.
 */
#include <stdio.h>
#include <string.h>

#include "cm_config.h"
#include "cm_hex.h"
#include "gw_parse.h"

_Static_assert(sizeof(long) >= sizeof(json_int_t),
    "coordinates are range-checked as longs");

json_t *
gw_parse_body(const char *body, size_t len, const char *const *fields,
    const char **code, char *msg, size_t cap)
{
	json_error_t err;
	json_t      *o, *v;
	const char  *key;

	*code = "INVALID_JSON";
	if (len == 0) {
		snprintf(msg, cap, "a JSON body is required");
		return (NULL);
	}
	if ((o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err)) ==
	    NULL) {
		snprintf(msg, cap, "%s", err.text);
		return (NULL);
	}
	if (!json_is_object(o)) {
		json_decref(o);
		snprintf(msg, cap, "body must be an object");
		return (NULL);
	}
	json_object_foreach(o, key, v)
	{
		int known = 0;

		for (int i = 0; fields[i] != NULL; i++) {
			known |= strcmp(fields[i], key) == 0;
		}
		if (!known) {
			snprintf(msg, cap, "unknown field: %.64s", key);
			json_decref(o);
			*code = "UNKNOWN_FIELD";
			return (NULL);
		}
	}
	return (o);
}

bool
gw_parse_id(const char *s, uint64_t *out)
{
	long v;

	if (cm_parse_long(s, strlen(s), 1, GW_ID_MAX, &v) != CM_OK) {
		return (false);
	}
	*out = (uint64_t) v;
	return (true);
}

bool
gw_parse_json_id(const json_t *v, uint64_t *out)
{
	json_int_t i;

	if (!json_is_integer(v)) {
		return (false);
	}
	i = json_integer_value(v);
	if (i < 1 || i > GW_ID_MAX) {
		return (false);
	}
	*out = (uint64_t) i;
	return (true);
}

const char *
gw_parse_xy(const json_t *jx, const json_t *jy, const cm_layout *l, int *x,
    int *y)
{
	if (!json_is_integer(jx) || !json_is_integer(jy)) {
		return ("coordinates must be integers");
	}
	/* json_int_t and long are both 64 bits here: no narrowing yet. */
	if (!cm_layout_in_map(l, (long) json_integer_value(jx),
	        (long) json_integer_value(jy))) {
		return ("coordinates outside the map");
	}
	*x = (int) json_integer_value(jx);
	*y = (int) json_integer_value(jy);
	return (NULL);
}

const char *
gw_parse_coord(const json_t *v, const cm_layout *l, int *x, int *y)
{
	if (!json_is_object(v) || json_object_size(v) != 2) {
		return ("a tile is {\"x\": integer, \"y\": integer}");
	}
	return (gw_parse_xy(json_object_get(v, "x"), json_object_get(v, "y"),
	    l, x, y));
}

bool
gw_parse_hash32(const json_t *v, uint8_t out[32])
{
	const char *s;

	if (!json_is_string(v) || json_string_length(v) != 66) {
		return (false);
	}
	s = json_string_value(v);
	return (s[0] == '0' && s[1] == 'x' &&
	    cm_hex_decode(s + 2, 64, out, 32) == CM_OK);
}

bool
gw_parse_ident(const char *k, size_t max)
{
	size_t n = strlen(k);

	if (n == 0 || n > max) {
		return (false);
	}
	for (size_t i = 0; i < n; i++) {
		char c = k[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		        c == '_' || c == '-')) {
			return (false);
		}
	}
	return (true);
}

const char *
gw_parse_units(const json_t *v, gw_units *out)
{
	const char *k;
	json_t     *c;
	gw_units    u;

	if (!json_is_object(v) || json_object_size(v) < 1 ||
	    json_object_size(v) > GW_UNITS_MAX) {
		return ("units must be an object of 1 to 24 unit types");
	}
	u.n = 0;
	json_object_foreach((json_t *) v, k, c)
	{
		if (!gw_parse_ident(k, GW_UNIT_NAME_MAX)) {
			return ("a unit type is 1 to 32 characters of "
			        "a-z 0-9 _ -");
		}
		if (!json_is_integer(c) || json_integer_value(c) < 1 ||
		    json_integer_value(c) > GW_UNIT_COUNT_MAX) {
			return ("a unit count is an integer from 1 to 100000");
		}
		memcpy(u.type[u.n], k, strlen(k) + 1);
		u.count[u.n++] = (uint32_t) json_integer_value(c);
	}
	*out = u;
	return (NULL);
}

static bool
is_space(uint32_t c)
{
	return (c == ' ' || c == 0xa0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff);
}

/* name_next decodes one code point of valid UTF-8 (jansson checked). */
static uint32_t
name_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t             c;
	int                  n;

	if (s[0] < 0x80) {
		c = s[0], n = 0;
	} else if (s[0] < 0xe0) {
		c = s[0] & 0x1f, n = 1;
	} else if (s[0] < 0xf0) {
		c = s[0] & 0x0f, n = 2;
	} else {
		c = s[0] & 0x07, n = 3;
	}
	for (int i = 1; i <= n; i++) {
		c = c << 6 | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return (c);
}

bool
gw_parse_name(const json_t *v, size_t min, size_t max)
{
	const unsigned char *p, *end;
	size_t               n = 0;
	uint32_t             c = 0;

	if (!json_is_string(v)) {
		return (false);
	}
	p   = (const unsigned char *) json_string_value(v);
	end = p + json_string_length(v);
	while (p < end) {
		c = name_next(&p);
		if (c < 0x20 || (c >= 0x7f && c < 0xa0) ||
		    (n == 0 && is_space(c))) {
			return (false);
		}
		n++;
	}
	return (n >= min && n <= max && !is_space(c));
}

bool
gw_parse_query_long(const char *v, int count, long def, long min, long max,
    long *out)
{
	if (count > 1) {
		return (false);
	}
	if (v == NULL) {
		*out = def;
		return (true);
	}
	return (cm_parse_long(v, strlen(v), min, max, out) == CM_OK);
}
