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
 * The first route whose path and method both match wins, so a literal
 * segment and a parameter may share a position (POST /army/create beside
 * GET /army/:id: GET /army/create is the army "create", an invalid id).
 */
static const gw_route routes[] = {
	{ "GET", "/healthz", NONE, gw_ops_probe },
	{ "GET", "/readyz", NONE, gw_ops_probe },
	{ "GET", "/metrics", NONE, gw_ops_probe },
	{ "POST", "/auth/challenge", NONE, gw_auth_challenge },
	{ "POST", "/auth/verify", NONE, gw_auth_verify },
	{ "GET", "/game/generation", NONE, gw_game_generation },
	{ "GET", "/game/map", OPTIONAL, gw_map_get },
	{ "GET", "/game/leaderboard", NONE, gw_leaderboard_get },
	{ "GET", "/player/state", AUTH, gw_player_state },
	{ "GET", "/player/:address/public", OPTIONAL, gw_player_public },
	{ "GET", "/territory/:x/:y", AUTH, gw_game_territory },
	{ "POST", "/territory/:x/:y/build", AUTH, gw_game_build },
	{ "POST", "/army/create", AUTH, gw_army_create },
	{ "GET", "/army/:id", AUTH, gw_army_get },
	{ "POST", "/army/:id/move", AUTH, gw_army_move },
	{ "POST", "/army/:id/attack", AUTH, gw_army_attack },
	{ "POST", "/combat/:id/reveal", AUTH, gw_combat_reveal },
	{ "GET", "/combat/:id/result", NONE, gw_combat_result },
	{ "POST", "/spell/cast", AUTH, gw_spell_cast },
	{ "POST", "/alliance/create", AUTH, gw_alliance_create },
	{ "POST", "/alliance/:id/join", AUTH, gw_alliance_join },
	{ "POST", "/alliance/:id/leave", AUTH, gw_alliance_leave },
	{ "GET", "/alliance/:id/members", NONE, gw_alliance_members },
};

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
