/*
 * gw_route.h: the REST routes of the gateway and their matching.
 *
 * To add a route: write its handler (void fn(gw_req *)) in the file of its
 * area (gw_auth.c, gw_game.c, ...), declare it in that file's header, and
 * add one line to the table in gw_route.c.  Path segments ":name" capture
 * parameters, read with gw_req_param(r, i) in order.
 */
#ifndef GW_ROUTE_H
#define GW_ROUTE_H

#include "gw_http.h"

/* A route's need of a bearer token. */
enum {
	GW_AUTH_NONE = 0,     /* the header is ignored */
	GW_AUTH_REQUIRED = 1, /* 401 without a valid token */
	GW_AUTH_OPTIONAL = 2  /* anonymous without the header, else as above */
};

typedef struct gw_route {
	const char *method;
	const char *path; /* "/territory/:x/:y" */
	int         auth; /* GW_AUTH_* */
	void (*fn)(gw_req *r);
	const char *limit; /* the rules' rate limit it is charged to, or NULL */
} gw_route;

/* Every rate limit the gateway charges (NULL-terminated): each must be in
 * the rules file, which gw_main checks at start. */
extern const char *const gw_rate_limit_names[];

enum { GW_ROUTE_OK = 0, GW_ROUTE_NONE, GW_ROUTE_BAD_METHOD };

/*
 * gw_route_match finds the route of url and method.  Returns GW_ROUTE_OK
 * with *out and params filled (a parameter over 63 bytes is replaced by
 * "!", which no handler accepts), GW_ROUTE_BAD_METHOD with *out set to a
 * route of that path, or GW_ROUTE_NONE.
 */
int gw_route_match(const char *url, const char *method,
    const gw_route **out, char params[][64], int maxp);

#endif
