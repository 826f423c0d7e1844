/*
 * gw_player.c: the player routes.
 *
 * Both ask every shard (PlayerGet) and merge, so a player whose lands
 * span regions is shown whole, or not at all (503) when a shard is down.
 * The home shard's part (home = true) says whether the address is
 * registered and carries the record (race, captain, alliance, mana); the
 * other parts add what the player has in their regions.  Territories are
 * listed row by row (y, then x) and armies by id, whichever shard holds
 * them.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_eth.h"
#include "gw_parse.h"
#include "gw_player.h"
#include "gw_render.h"
#include "gw_scatter.h"

static const Nd__PlayerPart *
player_home(Nd__ShardReply *const *reps, int n)
{
	for (int i = 0; i < n; i++) {
		if (reps[i]->player_part->home) {
			return (reps[i]->player_part->registered
			        ? reps[i]->player_part
			        : NULL);
		}
	}
	return (NULL);
}

static int
player_tile_cmp(const void *a, const void *b)
{
	const Nd__TerritoryBrief *x = *(Nd__TerritoryBrief *const *) a;
	const Nd__TerritoryBrief *y = *(Nd__TerritoryBrief *const *) b;

	if (x->y != y->y) {
		return (x->y < y->y ? -1 : 1);
	}
	return (x->x < y->x ? -1 : x->x > y->x);
}

static int
player_army_cmp(const void *a, const void *b)
{
	const Nd__Army *x = *(Nd__Army *const *) a;
	const Nd__Army *y = *(Nd__Army *const *) b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/* player_tiles gathers every part's territories, sorted; *len of them. */
static Nd__TerritoryBrief **
player_tiles(Nd__ShardReply *const *reps, int n, size_t *len)
{
	Nd__TerritoryBrief **t;
	size_t               k = 0;

	for (int i = 0; i < n; i++) {
		k += reps[i]->player_part->n_territories;
	}
	t = cm_calloc(k + 1, sizeof(*t));
	k = 0;
	for (int i = 0; i < n; i++) {
		const Nd__PlayerPart *p = reps[i]->player_part;

		if (p->n_territories > 0) { /* an empty list may be NULL */
			memcpy(t + k, p->territories,
			    p->n_territories * sizeof(*t));
		}
		k += p->n_territories;
	}
	qsort(t, k, sizeof(*t), player_tile_cmp);
	*len = k;
	return (t);
}

static json_t *
player_armies(Nd__ShardReply *const *reps, int n)
{
	Nd__Army **a;
	size_t     k = 0;
	json_t    *o = json_array();

	for (int i = 0; i < n; i++) {
		k += reps[i]->player_part->n_armies;
	}
	a = cm_calloc(k + 1, sizeof(*a));
	k = 0;
	for (int i = 0; i < n; i++) {
		const Nd__PlayerPart *p = reps[i]->player_part;

		if (p->n_armies > 0) { /* an empty list may be NULL */
			memcpy(a + k, p->armies, p->n_armies * sizeof(*a));
		}
		k += p->n_armies;
	}
	qsort(a, k, sizeof(*a), player_army_cmp);
	for (size_t i = 0; i < k; i++) {
		json_array_append_new(o, gw_json_army(a[i]));
	}
	free(a);
	return (o);
}

static json_t *
player_resources(Nd__ShardReply *const *reps, int n, int64_t mana)
{
	Nd__Resources sum = ND__RESOURCES__INIT;

	for (int i = 0; i < n; i++) {
		const Nd__Resources *r = reps[i]->player_part->resources;

		if (r != NULL) {
			sum.gold += r->gold;
			sum.stone += r->stone;
			sum.wood += r->wood;
			sum.food += r->food;
			sum.mana += r->mana;
		}
	}
	sum.mana += mana;
	return (gw_json_resources(&sum));
}

static json_int_t
player_points(Nd__ShardReply *const *reps, int n)
{
	json_int_t sum = 0;

	for (int i = 0; i < n; i++) {
		sum += (json_int_t) reps[i]->player_part->domain_points;
	}
	return (sum);
}

static json_t *
player_state_tiles(Nd__ShardReply *const *reps, int n)
{
	size_t               k;
	Nd__TerritoryBrief **t = player_tiles(reps, n, &k);
	json_t              *o = json_array();

	for (size_t i = 0; i < k; i++) {
		json_array_append_new(o,
		    json_pack("{s:i,s:i,s:s,s:s,s:I,s:o}", "x", t[i]->x, "y",
		        t[i]->y, "terrain", t[i]->terrain, "zone", t[i]->zone,
		        "buildings", (json_int_t) t[i]->buildings, "garrison",
		        gw_json_id_or_null(t[i]->garrison)));
	}
	free(t);
	return (o);
}

static json_t *
player_captain(const Nd__Captain *c)
{
	if (c == NULL) {
		return (json_null());
	}
	return (json_pack("{s:s,s:s,s:s}", "name", c->name, "class", c->class_,
	    "skill", c->skill));
}

json_t *
gw_player_state_json(const char *address, Nd__ShardReply *const *reps, int n,
    const char **code)
{
	const Nd__PlayerPart *h = player_home(reps, n);

	*code = NULL;
	if (h == NULL) {
		*code = "NOT_REGISTERED";
		return (NULL);
	}
	return (json_pack("{s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:I}",
	    "address", address, "race", h->race, "premium", (int) h->premium,
	    "registeredAt", gw_json_time_or_null(h->registered_ms), "captain",
	    player_captain(h->captain), "alliance",
	    gw_json_id_or_null(h->alliance_id), "territories",
	    player_state_tiles(reps, n), "armies", player_armies(reps, n),
	    "resources", player_resources(reps, n, h->mana), "domainPoints",
	    player_points(reps, n)));
}

json_t *
gw_player_public_json(const char *address, Nd__ShardReply *const *reps, int n,
    const char **code)
{
	const Nd__PlayerPart *h = player_home(reps, n);
	size_t                k;
	Nd__TerritoryBrief  **t;
	json_t               *ts;
	json_int_t            count = 0;

	*code = NULL;
	if (h == NULL) {
		*code = "PLAYER_NOT_FOUND";
		return (NULL);
	}
	t  = player_tiles(reps, n, &k);
	ts = json_array();
	for (size_t i = 0; i < k; i++) {
		json_array_append_new(ts, gw_json_coord(t[i]->x, t[i]->y));
	}
	free(t);
	for (int i = 0; i < n; i++) {
		count += (json_int_t) reps[i]->player_part->territory_count;
	}
	/* territories: the land whose owner the asker may see (fog of
	 * war); territoryCount: all of it, as the leaderboard's points
	 * already tell. */
	return (json_pack("{s:s,s:s,s:o,s:I,s:o,s:I}", "address", address,
	    "race", h->race, "territories", ts, "territoryCount", count,
	    "alliance", gw_json_id_or_null(h->alliance_id), "domainPoints",
	    player_points(reps, n)));
}

static void
player_merge_state(gw_req *r, Nd__ShardReply *const *reps, int n, void *ctx)
{
	const char *code;
	json_t     *o = gw_player_state_json(gw_req_player(r), reps, n, &code);

	(void) ctx;
	if (code != NULL) {
		gw_req_error(r, 403, code,
		    "this address has not registered in this generation");
		return;
	}
	gw_reply_rendered(r, 200, o);
}

static void
player_merge_public(gw_req *r, Nd__ShardReply *const *reps, int n, void *ctx)
{
	const char *code;
	json_t     *o = gw_player_public_json(ctx, reps, n, &code);

	if (code != NULL) {
		gw_req_error(r, 404, code,
		    "no such player in this generation");
		return;
	}
	gw_reply_rendered(r, 200, o);
}

/* player_ask scatters PlayerGet{address, full}. */
static void
player_ask(gw_req *r, const char *address, bool full, gw_merge_fn merge,
    void *ctx)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__PlayerGet    pg = ND__PLAYER_GET__INIT;

	pg.address    = (char *) address;
	pg.full       = full;
	rq.body_case  = ND__SHARD_REQUEST__BODY_PLAYER_GET;
	rq.player_get = &pg;
	gw_scatter(r, &rq, ND__SHARD_REPLY__BODY_PLAYER_PART, merge, ctx,
	    free);
}

void
gw_player_state(gw_req *r)
{
	player_ask(r, gw_req_player(r), true, player_merge_state, NULL);
}

void
gw_player_public(gw_req *r)
{
	const char *a    = gw_req_param(r, 0);
	char       *addr = cm_malloc(43);

	if (!cm_eth_addr_normalize(a, strlen(a), addr)) {
		free(addr);
		gw_req_error(r, 400, "INVALID_ADDRESS",
		    "address must be 0x and 40 hex digits");
		return;
	}
	player_ask(r, addr, false, player_merge_public, addr);
}
