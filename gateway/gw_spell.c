/*
 * gw_spell.c: POST /spell/cast.
 *
 * Mana and cooldowns live on the caster's home shard, which therefore
 * decides every cast, whatever its target; the gateway checks only the
 * shape of the target ({x, y}, {armyId} or {player}).
 */
#include <string.h>

#include "cm_eth.h"
#include "gw_parse.h"
#include "gw_ratelimit.h"
#include "gw_render.h"
#include "gw_scatter.h"
#include "gw_spell.h"

static const char *const spell_cast_fields[] = { "spellId", "target", NULL };

static const char *
spell_target(const json_t *t, const cm_layout *l, gw_spell *out,
    const char **msg)
{
	const json_t *a = json_object_get(t, "armyId");
	const json_t *p = json_object_get(t, "player");

	if (t == NULL) {
		out->on = GW_SPELL_ON_NONE;
		return (NULL);
	}
	if (json_object_get(t, "x") != NULL) {
		out->on = GW_SPELL_ON_TILE;
		*msg    = gw_parse_coord(t, l, &out->x, &out->y);
		return (*msg != NULL ? "INVALID_COORD" : NULL);
	}
	if (json_object_size(t) == 1 && a != NULL) {
		out->on = GW_SPELL_ON_ARMY;
		*msg    = "armyId is an integer from 1 to 2^53";
		return (gw_parse_json_id(a, &out->army) ? NULL : "INVALID_ID");
	}
	if (json_object_size(t) == 1 && p != NULL) {
		out->on = GW_SPELL_ON_PLAYER;
		*msg    = "player is 0x and 40 hex digits";
		if (!json_is_string(p) ||
		    !cm_eth_addr_normalize(json_string_value(p),
		        json_string_length(p), out->player)) {
			return ("INVALID_ADDRESS");
		}
		return (NULL);
	}
	*msg = "target is {\"x\", \"y\"}, {\"armyId\"} or {\"player\"}";
	return ("INVALID_TARGET");
}

const char *
gw_spell_parse(const json_t *b, const cm_layout *l, gw_spell *out,
    const char **msg)
{
	const json_t *id = json_object_get(b, "spellId");

	if (!json_is_string(id) ||
	    !gw_parse_ident(json_string_value(id), 32) ||
	    strlen(json_string_value(id)) != json_string_length(id)) {
		*msg = "spellId is 1 to 32 characters of a-z 0-9 _ -";
		return ("INVALID_SPELL");
	}
	memcpy(out->id, json_string_value(id), json_string_length(id) + 1);
	return (spell_target(json_object_get(b, "target"), l, out, msg));
}

static void
spell_render_cast(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	const Nd__SpellResult *s = rep->spell_result;

	(void) ctx;
	gw_reply_rendered(r, 200,
	    json_pack("{s:b,s:s,s:I,s:o}", "success", (int) s->success,
	        "effect", s->effect, "manaCost", (json_int_t) s->mana_cost,
	        "cooldownEnd", gw_json_time_or_null(s->cooldown_end_ms)));
}

void
gw_spell_cast(gw_req *r)
{
	Nd__ShardRequest rq  = ND__SHARD_REQUEST__INIT;
	Nd__SpellCast    sc  = ND__SPELL_CAST__INIT;
	Nd__Coord        c   = ND__COORD__INIT;
	gw_app          *app = gw_req_app(r);
	const char      *me  = gw_req_player(r), *code, *msg;
	gw_spell         s;
	const cm_spell_def *def;
	json_t          *b;

	if ((b = gw_req_json(r, spell_cast_fields)) == NULL) {
		return;
	}
	code = gw_spell_parse(b, &app->layout, &s, &msg);
	json_decref(b);
	if (code != NULL) {
		gw_req_error(r, 400, code, msg);
		return;
	}
	/* Divination is the game's scouting: the seed's territory/scout. */
	def = cm_spell_find(s.id);
	if (!gw_req_limit(r,
	        def != NULL && strcmp(def->school, "divination") == 0
	            ? "territory/scout"
	            : "spell/cast")) {
		return;
	}
	sc.spell_id = s.id;
	switch (s.on) {
	case GW_SPELL_ON_TILE:
		c.x            = s.x;
		c.y            = s.y;
		sc.target_case = ND__SPELL_CAST__TARGET_COORD;
		sc.coord       = &c;
		break;
	case GW_SPELL_ON_ARMY:
		sc.target_case = ND__SPELL_CAST__TARGET_ARMY_ID;
		sc.army_id     = s.army;
		break;
	case GW_SPELL_ON_PLAYER:
		sc.target_case   = ND__SPELL_CAST__TARGET_TARGET_PLAYER;
		sc.target_player = s.player;
		break;
	default:
		break;
	}
	rq.body_case  = ND__SHARD_REQUEST__BODY_SPELL_CAST;
	rq.spell_cast = &sc;
	gw_forward(r, &rq,
	    cm_owner_shard_of_id(me, strlen(me), gw_shard_count(app->shards)),
	    ND__SHARD_REPLY__BODY_SPELL_RESULT, spell_render_cast);
}
