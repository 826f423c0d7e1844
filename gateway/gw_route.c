/* gw_route.c: the route table. */
#include <stdio.h>
#include <string.h>

#include "gw_alliance.h"
#include "gw_army.h"
#include "gw_auth.h"
#include "gw_combat.h"
#include "gw_game.h"
#include "gw_leaderboard.h"
#include "gw_map.h"
#include "gw_ops.h"
#include "gw_player.h"
#include "gw_route.h"
#include "gw_spell.h"

#define NONE GW_AUTH_NONE
#define AUTH GW_AUTH_REQUIRED
#define OPTIONAL GW_AUTH_OPTIONAL

/*
 * A route's last field is the rules' rate limit each request is charged
 * to (after its token is checked, before its handler); /spell/cast
 * charges its own, by the spell (gw_spell.c).
 *
 * The first route whose path and method both match wins, so a literal
 * segment and a parameter may share a position (POST /army/create beside
 * GET /army/:id: GET /army/create is the army "create", an invalid id).
 */
static const gw_route routes[] = {
	{ "GET", "/healthz", NONE, gw_ops_probe, NULL },
	{ "GET", "/readyz", NONE, gw_ops_probe, NULL },
	{ "GET", "/metrics", NONE, gw_ops_probe, NULL },
	{ "POST", "/auth/challenge", NONE, gw_auth_challenge, "auth/challenge" },
	{ "POST", "/auth/verify", NONE, gw_auth_verify, NULL },
	{ "GET", "/game/generation", NONE, gw_game_generation, NULL },
	{ "GET", "/game/map", OPTIONAL, gw_map_get, NULL },
	{ "GET", "/game/leaderboard", NONE, gw_leaderboard_get, NULL },
	{ "GET", "/player/state", AUTH, gw_player_state, NULL },
	{ "GET", "/player/:address/public", OPTIONAL, gw_player_public, NULL },
	{ "GET", "/territory/:x/:y", AUTH, gw_game_territory, NULL },
	{ "POST", "/territory/:x/:y/build", AUTH, gw_game_build,
	    "building/start" },
	{ "POST", "/army/create", AUTH, gw_army_create, NULL },
	{ "GET", "/army/:id", AUTH, gw_army_get, NULL },
	{ "POST", "/army/:id/move", AUTH, gw_army_move, "army/move" },
	{ "POST", "/army/:id/attack", AUTH, gw_army_attack, "army/attack" },
	{ "POST", "/combat/:id/reveal", AUTH, gw_combat_reveal, NULL },
	{ "GET", "/combat/:id/result", NONE, gw_combat_result, NULL },
	{ "POST", "/spell/cast", AUTH, gw_spell_cast, NULL },
	{ "POST", "/alliance/create", AUTH, gw_alliance_create, NULL },
	{ "POST", "/alliance/:id/join", AUTH, gw_alliance_join, NULL },
	{ "POST", "/alliance/:id/leave", AUTH, gw_alliance_leave, NULL },
	{ "GET", "/alliance/:id/members", NONE, gw_alliance_members, NULL },
};

const char *const gw_rate_limit_names[] = { "auth/challenge",
	"building/start", "army/move", "army/attack", "spell/cast",
	"territory/scout", NULL };

/* route_path_match compares one route pattern with a path. */
static int
route_path_match(const char *pat, const char *url, char params[][64],
    int maxp)
{
	int np = 0;

	while (*pat != '\0' && *url != '\0') {
		if (*pat != '/' || *url != '/') {
			return (0);
		}
		pat++;
		url++;
		if (*pat == ':') {
			size_t n = strcspn(url, "/");

			if (n == 0 || np >= maxp) {
				return (0);
			}
			if (n < 64) {
				memcpy(params[np], url, n);
				params[np][n] = '\0';
			} else {
				snprintf(params[np], 64, "!");
			}
			np++;
			url += n;
			pat += strcspn(pat, "/");
		} else {
			size_t n = strcspn(pat, "/");

			if (strncmp(pat, url, n) != 0 ||
			    (url[n] != '/' && url[n] != '\0')) {
				return (0);
			}
			pat += n;
			url += n;
		}
	}
	return (*pat == '\0' && *url == '\0');
}

int
gw_route_match(const char *url, const char *method, const gw_route **out,
    char params[][64], int maxp)
{
	const gw_route *path_hit = NULL;

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!route_path_match(routes[i].path, url, params, maxp)) {
			continue;
		}
		if (strcmp(routes[i].method, method) == 0) {
			*out = &routes[i];
			return (GW_ROUTE_OK);
		}
		path_hit = &routes[i];
	}
	if (path_hit != NULL) {
		*out = path_hit;
		return (GW_ROUTE_BAD_METHOD);
	}
	return (GW_ROUTE_NONE);
}
