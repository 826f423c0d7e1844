/*
 * gw_ws.h: the gateway's WebSocket server (libwebsockets, its own service
 * thread).  Clients authenticate at the upgrade with ?token= or an
 * Authorization: Bearer header; the upgrade is refused with 401 otherwise,
 * whatever subprotocol the client names or omits.  Messages are JSON
 * envelopes {"event": NAME, "data": {...}}.
 */
#ifndef GW_WS_H
#define GW_WS_H

#include "cm_err.h"
#include "gw_app.h"

typedef struct gw_ws gw_ws;

/* gw_ws_start listens on app->cfg.ws_addr and starts the service thread. */
cm_err gw_ws_start(gw_app *app, gw_ws **out);

/* gw_ws_stop stops the thread, closes every connection and frees w. */
void gw_ws_stop(gw_ws *w);

#endif
