/*
 * gw_combat.c: revealing an attack's salt and reading a combat's result.
 *
 * The result is public (no token): combats are part of the generation's
 * verifiable record, which is also why resultHash is shown.
 */
#include "gw_combat.h"
#include "gw_locate.h"
#include "gw_parse.h"
#include "gw_render.h"
#include "gw_scatter.h"

static const char *const combat_reveal_fields[] = { "salt", NULL };

static void
combat_render_revealed(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	(void) ctx;
	gw_reply_rendered(r, 200,
	    json_pack("{s:b}", "revealed",
	        (int) rep->combat_revealed->revealed));
}

void
gw_combat_reveal(gw_req *r)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__CombatReveal cr = ND__COMBAT_REVEAL__INIT;
	uint8_t          salt[32];
	json_t          *b;
	bool             ok;

	if (!gw_req_param_id(r, 0, &cr.combat_id) ||
	    (b = gw_req_json(r, combat_reveal_fields)) == NULL) {
		return;
	}
	ok = gw_parse_hash32(json_object_get(b, "salt"), salt);
	json_decref(b);
	if (!ok) {
		gw_req_error(r, 400, "INVALID_SALT",
		    "salt is 0x and 64 hex digits");
		return;
	}
	cr.salt.data     = salt;
	cr.salt.len      = sizeof(salt);
	rq.body_case     = ND__SHARD_REQUEST__BODY_COMBAT_REVEAL;
	rq.combat_reveal = &cr;
	gw_locate(r, GW_KIND_COMBAT, cr.combat_id, &rq,
	    ND__SHARD_REPLY__BODY_COMBAT_REVEALED, combat_render_revealed);
}

/*
 * record_part returns a new reference to key of the shard's battle record
 * (cm_battle_result_json), or fallback (stolen) while there is none.
 */
static json_t *
record_part(json_t *rec, const char *key, json_t *fallback)
{
	json_t *v = rec ? json_object_get(rec, key) : NULL;

	if (v == NULL) {
		return (fallback);
	}
	json_decref(fallback);
	return (json_incref(v));
}

json_t *
gw_combat_result_json(const Nd__CombatResult *c)
{
	json_t *rec = NULL, *loot, *lg, *o;

	if (c->record_json != NULL && c->record_json[0] != '\0') {
		rec = json_loads(c->record_json, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(rec)) {
			json_decref(rec);
			rec = NULL;
		}
	}
	loot = gw_json_resources(c->loot);
	lg   = rec ? json_object_get(json_object_get(json_object_get(rec,
	                 "result"), "loot"), "gold")
	           : NULL;
	if (json_is_integer(lg)) {
		json_object_set(loot, "gold", lg);
	}
	o = json_pack("{s:I,s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:{s:o,s:o},"
	                      "s:o,s:o,s:o}",
	    "id", (json_int_t) c->id, "attacker", c->attacker, "defender",
	    c->defender, "territory", gw_json_coord(c->x, c->y), "status",
	    c->status, "winner", gw_json_str_or_null(c->winner), "rounds",
	    record_part(rec, "rounds", json_array()), "result",
	    record_part(rec, "result", json_null()), "casualties", "attacker",
	    gw_json_units(c->attacker_losses, c->n_attacker_losses),
	    "defender",
	    gw_json_units(c->defender_losses, c->n_defender_losses), "loot",
	    loot, "resultHash", gw_json_hex_or_null(&c->result_hash),
	    "resolvedAt", gw_json_time_or_null(c->resolved_at_ms));
	json_decref(rec);
	return (o);
}

static void
combat_render_result(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	(void) ctx;
	gw_reply_rendered(r, 200, gw_combat_result_json(rep->combat_result));
}

void
gw_combat_result(gw_req *r)
{
	Nd__ShardRequest    rq = ND__SHARD_REQUEST__INIT;
	Nd__CombatResultGet g  = ND__COMBAT_RESULT_GET__INIT;

	if (!gw_req_param_id(r, 0, &g.combat_id)) {
		return;
	}
	rq.body_case         = ND__SHARD_REQUEST__BODY_COMBAT_RESULT_GET;
	rq.combat_result_get = &g;
	gw_locate(r, GW_KIND_COMBAT, g.combat_id, &rq,
	    ND__SHARD_REPLY__BODY_COMBAT_RESULT, combat_render_result);
}
