/* gw_route.c: the route table. */
#include <stdio.h>
#include <string.h>

#include "gw_auth.h"
#include "gw_game.h"
#include "gw_ops.h"
#include "gw_route.h"

static const gw_route routes[] = {
	{ "GET", "/healthz", 0, gw_ops_probe },
	{ "GET", "/readyz", 0, gw_ops_probe },
	{ "GET", "/metrics", 0, gw_ops_probe },
	{ "POST", "/auth/challenge", 0, gw_auth_challenge },
	{ "POST", "/auth/verify", 0, gw_auth_verify },
	{ "GET", "/game/generation", 0, gw_game_generation },
	{ "GET", "/territory/:x/:y", 1, gw_game_territory },
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
