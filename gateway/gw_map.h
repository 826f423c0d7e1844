/*
 * gw_map.h: GET /game/map, and the gateway's cache of generated terrain.
 *
 * Terrain is a pure function of (width, height, the generation's seed),
 * so the gateway computes it itself, once per generation, and asks the
 * shards only for the ownership the asker may see.
 */
#ifndef GW_MAP_H
#define GW_MAP_H

#include <stdint.h>

#include "cm_map.h"
#include "gw_http.h"
#include "shard.pb-c.h"

/* The largest window GET /game/map answers, in tiles. */
#define GW_MAP_MAX_TILES 250000

typedef struct gw_maps    gw_maps;
typedef struct gw_map_ref gw_map_ref;

/* gw_maps_new makes an empty cache; gw_maps_free frees it (NULL is fine). */
gw_maps *gw_maps_new(void);
void     gw_maps_free(gw_maps *m);

/*
 * gw_maps_get returns the w x h terrain of generation gen (map seed seed),
 * generating it on first use (callers wait meanwhile: it is generated
 * once).  *ref holds it until gw_maps_put, even if a newer generation
 * replaces it in the cache.  Any thread; may take long (cm_map_generate).
 * Returns NULL (nothing to put) if the size is invalid.
 */
const cm_map *gw_maps_get(gw_maps *m, uint32_t gen, uint64_t seed, int w,
    int h, gw_map_ref **ref);
void          gw_maps_put(gw_maps *m, gw_map_ref *ref);

/*
 * gw_map_window reads the optional query values x0 y0 x1 y1 (v[i], which
 * occur count[i] times) into an inclusive window of l's map: each one
 * absent defaults to the map's edge.  Returns NULL, or why not.
 */
const char *gw_map_window(const cm_layout *l, const char *const v[4],
    const int count[4], cm_rect *out);

/*
 * gw_map_text renders the answer as JSON text (*len bytes plus a NUL; the
 * caller frees it): the window's tiles of m, with owners from the MapPart
 * replies parts[0..n-1] where known (lower-case addresses only), and
 * the zones.  Written directly rather than through jansson, which took
 * over ten times longer for a large window (0.8 s for 250000 tiles).
 */
char *gw_map_text(const cm_map *m, uint32_t gen, const cm_rect *win,
    Nd__ShardReply *const *parts, int n, size_t *len);

/* gw_map_get answers GET /game/map (token optional). */
void gw_map_get(gw_req *r);

#endif
