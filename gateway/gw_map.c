/*
 * gw_map.c: GET /game/map.
 *
 * One fan: the generation (shard 0, or 1) and, for a signed-in asker,
 * MapGet to every shard, all at once.  Its completion runs on an HTTP
 * thread, because it may have to generate the terrain (2 ms at 100 x 100,
 * seconds at 4096 x 4096) and because the answer can be large.
 *
 * The cache holds the terrain of the newest generation asked about;
 * entries are reference-counted so that a request still rendering an old
 * generation keeps it while a newer one replaces it.  Generation happens
 * under the cache's lock: concurrent first requests wait for the one map
 * instead of each making their own.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_eth.h"
#include "cm_config.h"
#include "cm_log.h"
#include "gw_game.h"
#include "gw_map.h"
#include "gw_parse.h"
#include "gw_render.h"
#include "gw_scatter.h"

struct gw_map_ref {
	uint32_t gen;
	uint64_t seed;
	int      w, h;
	cm_map  *map;
	int      refs; /* the cache's own, plus one per gw_maps_get */
};

struct gw_maps {
	pthread_mutex_t mu;
	gw_map_ref     *cur;
};

gw_maps *
gw_maps_new(void)
{
	gw_maps *m = cm_calloc(1, sizeof(*m));

	pthread_mutex_init(&m->mu, NULL);
	return (m);
}

static void
maps_unref(gw_map_ref *e)
{
	if (e != NULL && --e->refs == 0) {
		cm_map_free(e->map);
		free(e);
	}
}

void
gw_maps_free(gw_maps *m)
{
	if (m == NULL) {
		return;
	}
	maps_unref(m->cur);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

const cm_map *
gw_maps_get(gw_maps *m, uint32_t gen, uint64_t seed, int w, int h,
    gw_map_ref **ref)
{
	gw_map_ref *e;

	pthread_mutex_lock(&m->mu);
	e = m->cur;
	if (e == NULL || e->gen != gen || e->seed != seed || e->w != w ||
	    e->h != h) {
		cm_map *map;

		if (cm_map_generate(w, h, seed, &map) != CM_OK) {
			pthread_mutex_unlock(&m->mu);
			return (NULL);
		}
		e  = cm_malloc(sizeof(*e));
		*e = (gw_map_ref) { gen, seed, w, h, map, 1 };
		maps_unref(m->cur);
		m->cur = e;
		cm_log_info("map generated", "{s:i,s:i,s:i}", "generation",
		    (int) gen, "width", w, "height", h);
	}
	e->refs++;
	pthread_mutex_unlock(&m->mu);
	*ref = e;
	return (e->map);
}

void
gw_maps_put(gw_maps *m, gw_map_ref *ref)
{
	pthread_mutex_lock(&m->mu);
	maps_unref(ref);
	pthread_mutex_unlock(&m->mu);
}

const char *
gw_map_window(const cm_layout *l, const char *const v[4], const int count[4],
    cm_rect *out)
{
	long def[4] = { 0, 0, l->w - 1, l->h - 1 };
	long c[4];

	for (int i = 0; i < 4; i++) {
		if (!gw_parse_query_long(v[i], count[i], def[i], -1000000,
		        1000000, &c[i])) {
			return ("x0, y0, x1, y1 must each be one decimal "
			        "integer");
		}
	}
	if (!cm_layout_in_map(l, c[0], c[1]) ||
	    !cm_layout_in_map(l, c[2], c[3]) || c[0] > c[2] || c[1] > c[3]) {
		return ("the window must lie on the map with x0 <= x1, "
		        "y0 <= y1");
	}
	if ((c[2] - c[0] + 1) * (c[3] - c[1] + 1) > GW_MAP_MAX_TILES) {
		return ("the window holds more than 250000 tiles");
	}
	*out = (cm_rect) { (int) c[0], (int) c[1], (int) c[2], (int) c[3] };
	return (NULL);
}

/*
 * map_zones describes the zones as cm_map_zone draws them: Chebyshev
 * distance from the centre (w/2, h/2), each zone a band of distances.
 * The bands are read off cm_map_zone along a straight line out of the
 * centre, so the one implementation stays in common/.  The outer band
 * runs to the map's edge (maxDistance null).
 */
static json_t *
map_zones(int w, int h)
{
	static const cm_zone order[] = { CM_ZONE_HEART, CM_ZONE_INNER,
		CM_ZONE_MIDDLE, CM_ZONE_OUTER };
	int                  cx = w / 2, cy = h / 2, lo[4], hi[4];
	json_t              *a = json_array();

	for (int z = 0; z < 4; z++) {
		lo[z] = hi[z] = -1;
	}
	for (int d = 0;; d++) {
		int     x = cx, y = cy;
		cm_zone z;

		if (cx + d < w) {
			x = cx + d;
		} else if (cx - d >= 0) {
			x = cx - d;
		} else if (cy + d < h) {
			y = cy + d;
		} else if (cy - d >= 0) {
			y = cy - d;
		} else {
			break; /* no tile this far from the centre */
		}
		z     = cm_map_zone(w, h, x, y);
		lo[z] = lo[z] < 0 ? d : lo[z];
		hi[z] = d;
	}
	for (int i = 0; i < 4; i++) {
		cm_zone z = order[i];

		if (lo[z] < 0) {
			continue; /* a map too small to have this zone */
		}
		json_array_append_new(a,
		    json_pack("{s:s,s:o,s:i,s:o}", "id", cm_zone_name(z),
		        "center", gw_json_coord(cx, cy), "minDistance", lo[z],
		        "maxDistance",
		        z == CM_ZONE_OUTER ? json_null()
		                           : json_integer(hi[z])));
	}
	return (a);
}

/* map_owners lays the known owners of the window's tiles out row-major. */
static const char **
map_owners(const cm_rect *win, Nd__ShardReply *const *parts, int n)
{
	int          ww = win->x1 - win->x0 + 1, wh = win->y1 - win->y0 + 1;
	const char **own = cm_calloc((size_t) ww * (size_t) wh, sizeof(*own));

	for (int i = 0; i < n; i++) {
		const Nd__MapPart *mp = parts[i]->map_part;

		for (size_t j = 0; mp != NULL && j < mp->n_tiles; j++) {
			const Nd__TileOwner *t = mp->tiles[j];

			if (t->x >= win->x0 && t->x <= win->x1 &&
			    t->y >= win->y0 && t->y <= win->y1 &&
			    cm_eth_addr_is_lower(t->owner)) {
				own[(t->y - win->y0) * ww + (t->x - win->x0)] =
				    t->owner;
			}
		}
	}
	return (own);
}

/* A growing text buffer (the tiles' JSON, written directly). */
typedef struct map_buf {
	char  *s;
	size_t len, cap;
} map_buf;

static void
map_put(map_buf *b, const char *fmt, ...)
{
	va_list ap;
	int     n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		cm_assert(n >= 0);
		if ((size_t) n < b->cap - b->len) {
			b->len += (size_t) n;
			return;
		}
		b->cap = b->cap * 2 + (size_t) n;
		b->s   = cm_realloc(b->s, b->cap);
	}
}

char *
gw_map_text(const cm_map *m, uint32_t gen, const cm_rect *win,
    Nd__ShardReply *const *parts, int n, size_t *len)
{
	int          ww  = win->x1 - win->x0 + 1;
	const char **own = map_owners(win, parts, n);
	json_t      *zj  = map_zones(cm_map_width(m), cm_map_height(m));
	char        *zs  = json_dumps(zj, JSON_COMPACT);
	map_buf      b   = { NULL, 0, 0 };

	cm_assert(zs != NULL);
	b.cap = (size_t) ww * (size_t) (win->y1 - win->y0 + 1) * 80 + 256;
	b.s   = cm_malloc(b.cap);
	map_put(&b,
	    "{\"generation\":%u,\"width\":%d,\"height\":%d,"
	    "\"territories\":[",
	    gen, cm_map_width(m), cm_map_height(m));
	for (int y = win->y0; y <= win->y1; y++) {
		for (int x = win->x0; x <= win->x1; x++) {
			const char *o =
			    own[(y - win->y0) * ww + (x - win->x0)];

			map_put(&b,
			    "%s{\"x\":%d,\"y\":%d,\"terrain\":\"%s\","
			    "\"zone\":\"%s\"%s%s%s}",
			    b.s[b.len - 1] == '[' ? "" : ",", x, y,
			    cm_terrain_name(cm_map_terrain(m, x, y)),
			    cm_zone_name(cm_map_zone_at(m, x, y)),
			    o != NULL ? ",\"owner\":\"" : "",
			    o != NULL ? o : "", o != NULL ? "\"" : "");
		}
	}
	map_put(&b, "],\"zones\":%s}", zs);
	free(zs);
	json_decref(zj);
	free(own);
	*len = b.len;
	return (b.s);
}

/* map_done runs on an HTTP thread: call 0 is the generation. */
static void
map_done(gw_req *r, gw_fan *f)
{
	gw_app               *app = gw_req_app(r);
	const cm_rect        *win = gw_fan_ctx(f);
	int                   n   = gw_fan_count(f) - 1;
	const Nd__Generation *g;
	Nd__ShardReply      **parts;
	gw_map_ref           *ref;
	const cm_map         *m;
	char                 *text;
	size_t                len;

	if (!gw_fan_check(r, f, 0, 1, ND__SHARD_REPLY__BODY_GENERATION) ||
	    !gw_fan_check(r, f, 1, n, ND__SHARD_REPLY__BODY_MAP_PART)) {
		return;
	}
	g = gw_fan_part(f, 0)->rep->generation;
	if (g->map_width != (uint32_t) app->layout.w ||
	    g->map_height != (uint32_t) app->layout.h) {
		/* The shards play another map size than this gateway routes
		 * by: MAP_WIDTH/MAP_HEIGHT differ between the processes. */
		gw_req_error(r, 500, "WRONG_SHARD",
		    "the gateway's map size differs from the generation's");
		return;
	}
	m = gw_maps_get(app->maps, g->id, g->map_seed, app->layout.w,
	    app->layout.h, &ref);
	if (m == NULL) {
		gw_req_error(r, 500, "INTERNAL", "cannot generate the map");
		return;
	}
	parts = cm_calloc((size_t) n + 1, sizeof(*parts));
	for (int i = 0; i < n; i++) {
		parts[i] = gw_fan_part(f, i + 1)->rep;
	}
	gw_fan_shard_header(r, n > 0 ? -1 : gw_fan_part(f, 0)->shard);
	text = gw_map_text(m, g->id, win, parts, n, &len);
	gw_req_reply_raw(r, 200, "application/json", text, len);
	free(text);
	free(parts);
	gw_maps_put(app->maps, ref);
}

void
gw_map_get(gw_req *r)
{
	static const char *const names[4] = { "x0", "y0", "x1", "y1" };
	gw_app                  *app      = gw_req_app(r);
	const char              *v[4];
	int                      count[4];
	cm_rect                 *win = cm_malloc(sizeof(*win));
	const char              *why;
	gw_fan                  *f;

	for (int i = 0; i < 4; i++) {
		count[i] = gw_req_query(r, names[i], &v[i]);
	}
	if ((why = gw_map_window(&app->layout, v, count, win)) != NULL) {
		free(win);
		gw_req_error(r, 400, "INVALID_COORD", why);
		return;
	}
	f = gw_fan_new(r, map_done);
	gw_fan_set_ctx(f, win, free);
	gw_game_add_generation(f);
	if (gw_req_player(r)[0] != '\0') {
		Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
		Nd__MapGet       mg = ND__MAP_GET__INIT;

		rq.body_case = ND__SHARD_REQUEST__BODY_MAP_GET;
		rq.map_get   = &mg;
		gw_fan_add_all(f, gw_fan_pack(f, &rq));
	}
	gw_fan_send(f, GW_FAN_HTTP);
}
