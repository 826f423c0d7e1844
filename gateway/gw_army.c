/*
 * gw_army.c: showing, raising, moving and attacking with armies.
 *
 * The gateway checks a body's shape and ranges (a tile on the map, unit
 * counts, path length); whether the move or the attack is allowed is the
 * owning shard's business, and its refusals come back as they are.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "gw_army.h"
#include "gw_locate.h"
#include "gw_render.h"
#include "gw_scatter.h"

static const char *const army_create_fields[] = { "territoryId", "x", "y",
	"units", NULL };
static const char *const army_move_fields[] = { "destination", "path", NULL };
static const char *const army_attack_fields[] = { "target", "commitHash",
	"salt", NULL };

static const char *
army_create_tile(const json_t *b, const cm_layout *l, int *x, int *y,
    const char **msg)
{
	const json_t *tid = json_object_get(b, "territoryId");
	const json_t *jx  = json_object_get(b, "x"),
	             *jy  = json_object_get(b, "y");
	json_int_t t;

	if (tid == NULL) {
		*msg = jx != NULL || jy != NULL
		    ? gw_parse_xy(jx, jy, l, x, y)
		    : "territoryId, or x and y, is required";
		return (*msg != NULL ? "INVALID_COORD" : NULL);
	}
	t = json_is_integer(tid) ? json_integer_value(tid) : -1;
	if (jx != NULL || jy != NULL) {
		*msg = "territoryId and x, y are alternatives";
		return ("INVALID_COORD");
	}
	if (t < 0 || t >= (json_int_t) l->w * l->h) {
		*msg = "territoryId is an integer from 0 to width*height-1";
		return ("INVALID_COORD");
	}
	*x = (int) (t % l->w);
	*y = (int) (t / l->w);
	return (NULL);
}

const char *
gw_army_parse_create(const json_t *b, const cm_layout *l, gw_army_new *out,
    const char **msg)
{
	const char *code = army_create_tile(b, l, &out->x, &out->y, msg);

	if (code != NULL) {
		return (code);
	}
	if ((*msg = gw_parse_units(json_object_get(b, "units"),
	         &out->units)) != NULL) {
		return ("INVALID_UNITS");
	}
	return (NULL);
}

const char *
gw_army_parse_move(const json_t *b, const cm_layout *l, gw_army_route *out,
    const char **msg)
{
	const json_t *p = json_object_get(b, "path");
	size_t        n = json_array_size(p);

	if ((*msg = gw_parse_coord(json_object_get(b, "destination"), l,
	         &out->x, &out->y)) != NULL) {
		return ("INVALID_COORD");
	}
	out->npath = 0;
	out->path  = NULL;
	if (p != NULL && (!json_is_array(p) || n > GW_PATH_MAX)) {
		*msg = "path is an array of at most 4096 tiles";
		return ("INVALID_PATH");
	}
	out->path = cm_calloc(n + 1, sizeof(*out->path));
	for (size_t i = 0; i < n; i++) {
		Nd__Coord *c = &out->path[i];

		nd__coord__init(c);
		if ((*msg = gw_parse_coord(json_array_get(p, i), l, &c->x,
		         &c->y)) != NULL) {
			free(out->path);
			out->path = NULL;
			return ("INVALID_PATH");
		}
	}
	out->npath = n;
	return (NULL);
}

const char *
gw_army_parse_attack(const json_t *b, const cm_layout *l, gw_army_target *out,
    const char **msg)
{
	const json_t *h = json_object_get(b, "commitHash");
	const json_t *s = json_object_get(b, "salt");

	if ((*msg = gw_parse_coord(json_object_get(b, "target"), l, &out->x,
	         &out->y)) != NULL) {
		return ("INVALID_COORD");
	}
	out->committed = h != NULL;
	out->salted    = s != NULL;
	if (h != NULL && !gw_parse_hash32(h, out->commit)) {
		*msg = "commitHash is 0x and 64 hex digits";
		return ("INVALID_COMMIT_HASH");
	}
	if (s != NULL && !gw_parse_hash32(s, out->salt)) {
		*msg = "salt is 0x and 64 hex digits";
		return ("INVALID_SALT");
	}
	if (h != NULL && s != NULL) {
		*msg = "send commitHash or salt, not both";
		return ("INVALID_SALT");
	}
	return (NULL);
}

static void
army_render(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	(void) ctx;
	gw_reply_rendered(r, 200, gw_json_army(rep->army));
}

void
gw_army_get(gw_req *r)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__ArmyGet      g  = ND__ARMY_GET__INIT;

	if (!gw_req_param_id(r, 0, &g.army_id)) {
		return;
	}
	rq.body_case = ND__SHARD_REQUEST__BODY_ARMY_GET;
	rq.army_get  = &g;
	gw_locate(r, GW_KIND_ARMY, g.army_id, &rq, ND__SHARD_REPLY__BODY_ARMY,
	    army_render);
}

static void
army_render_created(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	(void) ctx;
	gw_reply_rendered(r, 201,
	    json_pack("{s:I}", "armyId",
	        (json_int_t) rep->army_created->army_id));
}

void
gw_army_create(gw_req *r)
{
	Nd__ShardRequest rq  = ND__SHARD_REQUEST__INIT;
	Nd__ArmyCreate   ac  = ND__ARMY_CREATE__INIT;
	gw_app          *app = gw_req_app(r);
	Nd__UnitCount    uc[GW_UNITS_MAX], *up[GW_UNITS_MAX];
	gw_army_new      a;
	const char      *code, *msg;
	json_t          *b;

	if ((b = gw_req_json(r, army_create_fields)) == NULL) {
		return;
	}
	code = gw_army_parse_create(b, &app->layout, &a, &msg);
	json_decref(b);
	if (code != NULL) {
		gw_req_error(r, 400, code, msg);
		return;
	}
	for (int i = 0; i < a.units.n; i++) {
		nd__unit_count__init(&uc[i]);
		uc[i].type  = a.units.type[i];
		uc[i].count = a.units.count[i];
		up[i]       = &uc[i];
	}
	ac.x           = a.x;
	ac.y           = a.y;
	ac.n_units     = (size_t) a.units.n;
	ac.units       = up;
	rq.body_case   = ND__SHARD_REQUEST__BODY_ARMY_CREATE;
	rq.army_create = &ac;
	gw_forward(r, &rq, cm_layout_shard_of(&app->layout, a.x, a.y),
	    ND__SHARD_REPLY__BODY_ARMY_CREATED, army_render_created);
}

static void
army_render_moved(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	const Nd__ArmyMoved *m = rep->army_moved;
	json_t              *p = json_array();

	(void) ctx;
	for (size_t i = 0; i < m->n_path; i++) {
		json_array_append_new(p,
		    gw_json_coord(m->path[i]->x, m->path[i]->y));
	}
	gw_reply_rendered(r, 200,
	    json_pack("{s:o,s:o}", "arrivalTime",
	        gw_json_time_or_null(m->arrival_time_ms), "path", p));
}

void
gw_army_move(gw_req *r)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__ArmyMove     am = ND__ARMY_MOVE__INIT;
	gw_army_route    m;
	Nd__Coord      **pp;
	const char      *code, *msg;
	json_t          *b;

	if (!gw_req_param_id(r, 0, &am.army_id) ||
	    (b = gw_req_json(r, army_move_fields)) == NULL) {
		return;
	}
	code = gw_army_parse_move(b, &gw_req_app(r)->layout, &m, &msg);
	json_decref(b);
	if (code != NULL) {
		gw_req_error(r, 400, code, msg);
		return;
	}
	pp = cm_calloc(m.npath + 1, sizeof(*pp));
	for (size_t i = 0; i < m.npath; i++) {
		pp[i] = &m.path[i];
	}
	am.x         = m.x;
	am.y         = m.y;
	am.n_path    = m.npath;
	am.path      = pp;
	rq.body_case = ND__SHARD_REQUEST__BODY_ARMY_MOVE;
	rq.army_move = &am;
	gw_locate(r, GW_KIND_ARMY, am.army_id, &rq,
	    ND__SHARD_REPLY__BODY_ARMY_MOVED, army_render_moved);
	free(pp);
	free(m.path);
}

static void
army_render_attack(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	const Nd__AttackCommitted *a = rep->attack_committed;
	json_t                    *o;

	(void) ctx;
	o = json_pack("{s:I,s:o,s:o}", "combatId", (json_int_t) a->combat_id,
	    "commitHash", gw_json_hex(&a->commit_hash), "revealDeadline",
	    gw_json_time_or_null(a->reveal_deadline_ms));
	if (o != NULL && a->salt.len > 0) {
		json_object_set_new(o, "salt", gw_json_hex(&a->salt));
	}
	gw_reply_rendered(r, 201, o);
}

void
gw_army_attack(gw_req *r)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__ArmyAttack   aa = ND__ARMY_ATTACK__INIT;
	gw_army_target   t;
	const char      *code, *msg;
	json_t          *b;

	if (!gw_req_param_id(r, 0, &aa.army_id) ||
	    (b = gw_req_json(r, army_attack_fields)) == NULL) {
		return;
	}
	code = gw_army_parse_attack(b, &gw_req_app(r)->layout, &t, &msg);
	json_decref(b);
	if (code != NULL) {
		gw_req_error(r, 400, code, msg);
		return;
	}
	aa.x = t.x;
	aa.y = t.y;
	if (t.committed) {
		aa.commit_hash.data = t.commit;
		aa.commit_hash.len  = sizeof(t.commit);
	}
	if (t.salted) {
		aa.salt.data = t.salt;
		aa.salt.len  = sizeof(t.salt);
	}
	rq.body_case   = ND__SHARD_REQUEST__BODY_ARMY_ATTACK;
	rq.army_attack = &aa;
	gw_locate(r, GW_KIND_ARMY, aa.army_id, &rq,
	    ND__SHARD_REPLY__BODY_ATTACK_COMMITTED, army_render_attack);
}
