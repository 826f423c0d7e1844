/*
 * gw_auth.h: wallet sign-in (EIP-4361 challenge, EIP-191 signature) and
 * bearer tokens (JWT HS256).
 */
#ifndef GW_AUTH_H
#define GW_AUTH_H

#include <stddef.h>

#include "gw_app.h"
#include "gw_http.h"

/* gw_auth_challenge answers POST /auth/challenge {address}. */
void gw_auth_challenge(gw_req *r);

/* gw_auth_verify answers POST /auth/verify {address, signature}. */
void gw_auth_verify(gw_req *r);

/*
 * gw_auth_token checks a bearer token.  On success it writes the player's
 * lower-case address into player and returns NULL; otherwise it returns
 * the error code (UNAUTHORIZED, TOKEN_EXPIRED, INVALID_TOKEN) and a message
 * in *msg.  Any thread.
 */
const char *gw_auth_token(gw_app *app, const char *tok, size_t len,
    char player[43], const char **msg);

/*
 * gw_auth_bearer checks the request's "Authorization: Bearer" header.
 * Returns 1 with player filled, or 0 after answering 401.
 */
int gw_auth_bearer(gw_req *r, char player[43]);

#endif
