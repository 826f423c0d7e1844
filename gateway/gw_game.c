/*
 * gw_game.c: the generation and the territory routes (reading a tile,
 * building on it).
 *
 * The generation is a map-wide fact every shard loads; the gateway asks
 * shard 0 and, if it does not answer, shard 1, so /game/generation (and
 * the map and leaderboard, which need the generation's id) survives any
 * single shard being down.  A tile is asked of the one shard that owns
 * it; if that shard is down the answer is 503 SHARD_UNAVAILABLE with
 * Retry-After, within the configured deadline.
 */
#include <string.h>

#include "cm_config.h"
#include "gw_game.h"
#include "gw_parse.h"
#include "gw_render.h"

json_t *
gw_game_generation_json(const Nd__Generation *g)
{
	return (json_pack("{s:I,s:s,s:o,s:o,s:I,s:I,s:s,s:o,s:o,s:o}", "id",
	    (json_int_t) g->id, "phase", g->phase, "startTime",
	    gw_json_time(g->start_time_ms), "endTime",
	    gw_json_time(g->end_time_ms), "playerCount",
	    (json_int_t) g->player_count, "day", (json_int_t) g->day, "status",
	    g->status, "secretHash", gw_json_hex_or_null(&g->secret_hash),
	    "secret", gw_json_hex_or_null(&g->secret), "endedAt",
	    gw_json_time_or_null(g->ended_time_ms)));
}

static void
game_render_generation(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	(void) ctx;
	gw_reply_rendered(r, 200, gw_game_generation_json(rep->generation));
}

int
gw_game_add_generation(gw_fan *f)
{
	Nd__ShardRequest  rq = ND__SHARD_REQUEST__INIT;
	Nd__GenerationGet g  = ND__GENERATION_GET__INIT;

	rq.body_case      = ND__SHARD_REQUEST__BODY_GENERATION_GET;
	rq.generation_get = &g;
	gw_fan_add(f, gw_fan_pack(f, &rq), 0,
	    gw_shard_count(gw_req_app(gw_fan_req(f))->shards) > 1 ? 2 : 1);
	return (gw_fan_count(f) - 1);
}

void
gw_game_generation(gw_req *r)
{
	gw_fan *f = gw_fan_new(r, NULL);

	gw_game_add_generation(f);
	gw_fan_render(f, ND__SHARD_REPLY__BODY_GENERATION,
	    game_render_generation);
	gw_fan_send(f, 0);
}

static json_t *
game_building_details(const Nd__Territory *t)
{
	json_t *a = json_array();

	for (size_t i = 0; i < t->n_building_detail; i++) {
		const Nd__Building *b = t->building_detail[i];
		json_t *o = json_pack("{s:I,s:s,s:I,s:b,s:o}", "id",
		    (json_int_t) b->id, "type", b->type, "hp",
		    (json_int_t) b->hp, "complete", (int) b->complete,
		    "completionTime",
		    gw_json_time_or_null(b->completion_time_ms));

		if (json_array_append_new(a, o) != 0) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}

/*
 * gw_game_territory_json renders a tile as the shard let the asker see it
 * (fog of war: the shard leaves hidden fields empty; "visibility" says
 * which level applied, docs/api.md).
 */
json_t *
gw_game_territory_json(const Nd__Territory *t)
{
	const char *vis  = t->visibility && t->visibility[0] ? t->visibility
	                                                     : "distant";
	bool        seen = strcmp(vis, "owned") == 0 ||
	    strcmp(vis, "allied") == 0 || strcmp(vis, "scouted") == 0;
	json_t     *b    = json_array();
	json_t     *o;
	int         rc = 0;

	for (size_t i = 0; i < t->n_buildings; i++) {
		json_array_append_new(b,
		    json_integer((json_int_t) t->buildings[i]));
	}
	o = json_pack("{s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "coord",
	    gw_json_coord(t->x, t->y), "owner", gw_json_str_or_null(t->owner),
	    "terrain", t->terrain, "zone", t->zone, "buildings", b, "garrison",
	    gw_json_id_or_null(t->garrison), "trust",
	    seen ? json_integer((json_int_t) t->trust) : json_null(),
	    "lastActivity", gw_json_time_or_null(t->last_activity_ms),
	    "visibility", vis);
	if (o == NULL) {
		return (NULL);
	}
	if (strcmp(vis, "distant") != 0) {
		rc |= json_object_set_new(o, "hasOwner",
		    json_boolean(t->has_owner));
		rc |= json_object_set_new(o, "hasArmy", json_boolean(t->has_army));
		rc |= json_object_set_new(o, "armySize",
		    json_string(t->army_size ? t->army_size : "none"));
		rc |= json_object_set_new(o, "hasBuildings",
		    json_boolean(t->has_buildings));
		rc |= json_object_set_new(o, "forsaken",
		    gw_json_str_or_null(t->forsaken));
	}
	if (strcmp(vis, "scouted") == 0) {
		rc |= json_object_set_new(o, "armyEstimate",
		    gw_json_units(t->army_estimate, t->n_army_estimate));
	}
	if (t->n_building_detail > 0 || strcmp(vis, "allied") == 0 ||
	    t->detail) {
		rc |= json_object_set_new(o, "buildingDetails",
		    game_building_details(t));
	}
	if (t->detail) {
		rc |= json_object_set_new(o, "resources",
		    gw_json_resources(t->resources));
	}
	if (rc != 0) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

static void
game_render_territory(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	(void) ctx;
	gw_reply_rendered(r, 200, gw_game_territory_json(rep->territory));
}

/* game_tile reads the :x/:y path parameters, or answers 400. */
static bool
game_tile(gw_req *r, int *x, int *y)
{
	const char *xs = gw_req_param(r, 0), *ys = gw_req_param(r, 1);
	long        lx, ly;

	if (cm_parse_long(xs, strlen(xs), -1000000, 1000000, &lx) != CM_OK ||
	    cm_parse_long(ys, strlen(ys), -1000000, 1000000, &ly) != CM_OK) {
		gw_req_error(r, 400, "INVALID_COORD",
		    "coordinates must be integers");
		return (false);
	}
	if (!cm_layout_in_map(&gw_req_app(r)->layout, lx, ly)) {
		gw_req_error(r, 400, "INVALID_COORD",
		    "coordinates outside the map");
		return (false);
	}
	*x = (int) lx;
	*y = (int) ly;
	return (true);
}

void
gw_game_territory(gw_req *r)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__TerritoryGet t  = ND__TERRITORY_GET__INIT;

	if (!game_tile(r, &t.x, &t.y)) {
		return;
	}
	rq.body_case     = ND__SHARD_REQUEST__BODY_TERRITORY_GET;
	rq.territory_get = &t;
	gw_forward(r, &rq,
	    cm_layout_shard_of(&gw_req_app(r)->layout, t.x, t.y),
	    ND__SHARD_REPLY__BODY_TERRITORY, game_render_territory);
}

static void
game_render_build(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	const Nd__BuildStarted *b = rep->build_started;

	(void) ctx;
	gw_reply_rendered(r, 201,
	    json_pack("{s:I,s:o}", "buildingId", (json_int_t) b->building_id,
	        "completionTime",
	        gw_json_time_or_null(b->completion_time_ms)));
}

void
gw_game_build(gw_req *r)
{
	static const char *const fields[] = { "buildingType", NULL };
	Nd__ShardRequest         rq       = ND__SHARD_REQUEST__INIT;
	Nd__TerritoryBuild       tb       = ND__TERRITORY_BUILD__INIT;
	json_t                  *b, *type;

	if (!game_tile(r, &tb.x, &tb.y) ||
	    (b = gw_req_json(r, fields)) == NULL) {
		return;
	}
	type = json_object_get(b, "buildingType");
	if (!json_is_string(type) ||
	    strlen(json_string_value(type)) != json_string_length(type) ||
	    !gw_parse_ident(json_string_value(type), 32)) {
		json_decref(b);
		gw_req_error(r, 400, "INVALID_BUILDING",
		    "buildingType is 1 to 32 characters of a-z 0-9 _ -");
		return;
	}
	tb.building_type   = (char *) json_string_value(type);
	rq.body_case       = ND__SHARD_REQUEST__BODY_TERRITORY_BUILD;
	rq.territory_build = &tb;
	gw_forward(r, &rq,
	    cm_layout_shard_of(&gw_req_app(r)->layout, tb.x, tb.y),
	    ND__SHARD_REPLY__BODY_BUILD_STARTED, game_render_build);
	json_decref(b); /* the request was packed */
}
