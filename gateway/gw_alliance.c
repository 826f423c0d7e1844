/*
 * gw_alliance.c: the alliance routes.
 *
 * A member list is the union of what every shard holds (members are
 * recorded on their own home shards), sorted by joining time and then
 * address so that the order does not depend on the sharding.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "gw_alliance.h"
#include "gw_parse.h"
#include "gw_render.h"
#include "gw_scatter.h"

static const char *const alliance_create_fields[] = { "name", NULL };
static const char *const alliance_no_fields[]     = { NULL };

/* alliance_home is the signed-in player's home shard. */
static int
alliance_home(gw_req *r)
{
	const char *me = gw_req_player(r);

	return (cm_owner_shard_of_id(me, strlen(me),
	    gw_shard_count(gw_req_app(r)->shards)));
}

static void
alliance_render_created(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	(void) ctx;
	gw_reply_rendered(r, 201,
	    json_pack("{s:I}", "allianceId",
	        (json_int_t) rep->alliance_created->alliance_id));
}

void
gw_alliance_create(gw_req *r)
{
	Nd__ShardRequest   rq = ND__SHARD_REQUEST__INIT;
	Nd__AllianceCreate ac = ND__ALLIANCE_CREATE__INIT;
	json_t            *b, *name;

	if ((b = gw_req_json(r, alliance_create_fields)) == NULL) {
		return;
	}
	name = json_object_get(b, "name");
	if (!gw_parse_name(name, 3, 32)) {
		json_decref(b);
		gw_req_error(r, 400, "INVALID_NAME",
		    "name is 3 to 32 characters, no control characters, no "
		    "space at either end");
		return;
	}
	ac.name            = (char *) json_string_value(name);
	rq.body_case       = ND__SHARD_REQUEST__BODY_ALLIANCE_CREATE;
	rq.alliance_create = &ac;
	gw_forward(r, &rq, alliance_home(r),
	    ND__SHARD_REPLY__BODY_ALLIANCE_CREATED, alliance_render_created);
	json_decref(b); /* the request was packed */
}

static void
alliance_render_done(gw_req *r, const Nd__ShardReply *rep, void *ctx)
{
	(void) ctx;
	gw_reply_rendered(r, 200,
	    json_pack("{s:b}", "success", (int) rep->alliance_done->success));
}

/*
 * alliance_empty_body accepts no body, or a JSON object with no member;
 * otherwise it answers 400.
 */
static bool
alliance_empty_body(gw_req *r)
{
	size_t  len;
	json_t *b;

	gw_req_body(r, &len);
	if (len == 0) {
		return (true);
	}
	if ((b = gw_req_json(r, alliance_no_fields)) == NULL) {
		return (false);
	}
	json_decref(b);
	return (true);
}

void
gw_alliance_join(gw_req *r)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__AllianceJoin j  = ND__ALLIANCE_JOIN__INIT;

	if (!gw_req_param_id(r, 0, &j.alliance_id) ||
	    !alliance_empty_body(r)) {
		return;
	}
	rq.body_case     = ND__SHARD_REQUEST__BODY_ALLIANCE_JOIN;
	rq.alliance_join = &j;
	gw_forward(r, &rq, alliance_home(r),
	    ND__SHARD_REPLY__BODY_ALLIANCE_DONE, alliance_render_done);
}

void
gw_alliance_leave(gw_req *r)
{
	Nd__ShardRequest  rq = ND__SHARD_REQUEST__INIT;
	Nd__AllianceLeave l  = ND__ALLIANCE_LEAVE__INIT;

	if (!gw_req_param_id(r, 0, &l.alliance_id) ||
	    !alliance_empty_body(r)) {
		return;
	}
	rq.body_case      = ND__SHARD_REQUEST__BODY_ALLIANCE_LEAVE;
	rq.alliance_leave = &l;
	gw_forward(r, &rq, alliance_home(r),
	    ND__SHARD_REPLY__BODY_ALLIANCE_DONE, alliance_render_done);
}

static int
alliance_member_cmp(const void *a, const void *b)
{
	const Nd__AllianceMember *x = *(Nd__AllianceMember *const *) a;
	const Nd__AllianceMember *y = *(Nd__AllianceMember *const *) b;

	if (x->joined_ms != y->joined_ms) {
		return (x->joined_ms < y->joined_ms ? -1 : 1);
	}
	return (strcmp(x->address, y->address));
}

static json_t *
alliance_member_list(Nd__ShardReply *const *reps, int n)
{
	Nd__AllianceMember **m;
	size_t               k = 0;
	json_t              *a = json_array();

	for (int i = 0; i < n; i++) {
		k += reps[i]->alliance_members->n_members;
	}
	m = cm_calloc(k + 1, sizeof(*m));
	k = 0;
	for (int i = 0; i < n; i++) {
		const Nd__AllianceMembers *p = reps[i]->alliance_members;

		if (p->n_members > 0) { /* an empty list may be NULL */
			memcpy(m + k, p->members, p->n_members * sizeof(*m));
		}
		k += p->n_members;
	}
	qsort(m, k, sizeof(*m), alliance_member_cmp);
	for (size_t i = 0; i < k; i++) {
		json_array_append_new(a,
		    json_pack("{s:s,s:s,s:o}", "address", m[i]->address,
		        "role", m[i]->role, "joinedAt",
		        gw_json_time(m[i]->joined_ms)));
	}
	free(m);
	return (a);
}

json_t *
gw_alliance_members_json(uint64_t id, Nd__ShardReply *const *reps, int n)
{
	const Nd__AllianceMembers *known = NULL;

	for (int i = 0; i < n && known == NULL; i++) {
		if (reps[i]->alliance_members->known) {
			known = reps[i]->alliance_members;
		}
	}
	if (known == NULL) {
		return (NULL);
	}
	return (json_pack("{s:I,s:s,s:b,s:o}", "allianceId", (json_int_t) id,
	    "name", known->name, "active", (int) known->active, "members",
	    alliance_member_list(reps, n)));
}

static void
alliance_merge_members(gw_req *r, Nd__ShardReply *const *reps, int n,
    void *ctx)
{
	json_t *o = gw_alliance_members_json(*(uint64_t *) ctx, reps, n);

	if (o == NULL) {
		gw_req_error(r, 404, "ALLIANCE_NOT_FOUND", "no such alliance");
		return;
	}
	gw_req_reply(r, 200, o);
}

void
gw_alliance_members(gw_req *r)
{
	Nd__ShardRequest       rq = ND__SHARD_REQUEST__INIT;
	Nd__AllianceMembersGet g  = ND__ALLIANCE_MEMBERS_GET__INIT;
	uint64_t              *id;

	if (!gw_req_param_id(r, 0, &g.alliance_id)) {
		return;
	}
	id                      = cm_malloc(sizeof(*id));
	*id                     = g.alliance_id;
	rq.body_case            = ND__SHARD_REQUEST__BODY_ALLIANCE_MEMBERS_GET;
	rq.alliance_members_get = &g;
	gw_scatter(r, &rq, ND__SHARD_REPLY__BODY_ALLIANCE_MEMBERS,
	    alliance_merge_members, id, free);
}
