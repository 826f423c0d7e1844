/*
 * gw_render.c: shared pieces of JSON answers.
 *
 * Conventions of docs/api.md: times are ISO-8601 UTC strings with
 * milliseconds; "none" (an unset time, id, address or hash, which the
 * shards send as 0, "" or empty bytes) is null; ids are JSON integers
 * (all below 2^53); byte strings are "0x" + lower-case hex.
 */
#include <stdlib.h>

#include "cm_alloc.h"
#include "cm_hex.h"
#include "cm_time.h"
#include "gw_render.h"

json_t *
gw_json_time(int64_t ms)
{
	char iso[CM_TIME_ISO_LEN + 1];

	cm_time_format_iso(ms, iso);
	return (json_string(iso));
}

json_t *
gw_json_time_or_null(int64_t ms)
{
	return (ms != 0 ? gw_json_time(ms) : json_null());
}

json_t *
gw_json_hex(const ProtobufCBinaryData *b)
{
	char   *s = cm_malloc(2 * b->len + 3);
	json_t *o;

	s[0] = '0';
	s[1] = 'x';
	cm_hex_encode(b->data, b->len, s + 2);
	o = json_string(s);
	free(s);
	return (o);
}

json_t *
gw_json_hex_or_null(const ProtobufCBinaryData *b)
{
	return (b->len != 0 ? gw_json_hex(b) : json_null());
}

json_t *
gw_json_id_or_null(uint64_t id)
{
	return (id != 0 ? json_integer((json_int_t) id) : json_null());
}

json_t *
gw_json_str_or_null(const char *s)
{
	return (s != NULL && s[0] != '\0' ? json_string(s) : json_null());
}

json_t *
gw_json_coord(int x, int y)
{
	return (json_pack("{s:i,s:i}", "x", x, "y", y));
}

json_t *
gw_json_units(Nd__UnitCount *const *u, size_t n)
{
	json_t *o = json_object();

	for (size_t i = 0; i < n; i++) {
		json_t    *had = json_object_get(o, u[i]->type);
		json_int_t c   = (json_int_t) u[i]->count;

		if (had != NULL) {
			c += json_integer_value(had);
		}
		if (json_object_set_new(o, u[i]->type, json_integer(c)) != 0) {
			json_decref(o);
			return (NULL);
		}
	}
	return (o);
}

json_t *
gw_json_resources(const Nd__Resources *r)
{
	static const Nd__Resources zero = ND__RESOURCES__INIT;

	if (r == NULL) {
		r = &zero;
	}
	return (
	    json_pack("{s:I,s:I,s:I,s:I,s:I}", "gold", (json_int_t) r->gold,
	        "stone", (json_int_t) r->stone, "wood", (json_int_t) r->wood,
	        "food", (json_int_t) r->food, "mana", (json_int_t) r->mana));
}

json_t *
gw_json_army(const Nd__Army *a)
{
	return (json_pack("{s:I,s:s,s:o,s:o,s:o,s:s,s:I,s:I,s:o,s:b}", "id",
	    (json_int_t) a->id, "owner", a->owner, "location",
	    gw_json_coord(a->x, a->y), "destination",
	    a->moving ? gw_json_coord(a->dest_x, a->dest_y) : json_null(),
	    "units", gw_json_units(a->units, a->n_units), "status", a->status,
	    "morale", (json_int_t) a->morale, "foreignSoilDays",
	    (json_int_t) a->foreign_soil_days, "arrivalTime",
	    gw_json_time_or_null(a->arrival_time_ms), "garrison",
	    (int) a->garrison));
}
