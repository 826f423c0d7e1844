/*
 * gw_http.h: the gateway's REST server (libmicrohttpd, epoll, a small
 * thread pool) and the request object its handlers answer.
 *
 * A handler either answers at once (gw_req_reply*) or defers: it calls
 * gw_req_defer, hands the request to another thread, and that thread later
 * calls gw_req_reply* and then gw_req_resume.  Every request is answered
 * exactly once.  Errors are always {"error":{"code","message"}}.
 */
#ifndef GW_HTTP_H
#define GW_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"
#include "gw_app.h"

typedef struct gw_req  gw_req;
typedef struct gw_http gw_http;

/* gw_http_start serves app's routes on app->cfg.http_addr. */
cm_err gw_http_start(gw_app *app, gw_http **out);

/*
 * gw_http_stop stops accepting, answers deferred requests still in flight
 * and frees h.
 */
void gw_http_stop(gw_http *h);

/* gw_req_app returns the application the request belongs to. */
gw_app *gw_req_app(gw_req *r);

/* gw_req_body returns the request body (NUL-terminated) and its length. */
const char *gw_req_body(gw_req *r, size_t *len);

/*
 * gw_req_json parses the body as a JSON object whose keys are all among
 * fields (NULL-terminated) and returns it (the caller decrefs).  On
 * failure it answers 400 (INVALID_JSON or UNKNOWN_FIELD) and returns NULL.
 */
json_t *gw_req_json(gw_req *r, const char *const *fields);

/* gw_req_header returns the value of request header name, or NULL. */
const char *gw_req_header(gw_req *r, const char *name);

/* gw_req_path returns the request's path (no query string). */
const char *gw_req_path(gw_req *r);

/* gw_req_param returns path parameter i (":x" in the route), or "". */
const char *gw_req_param(gw_req *r, int i);

/*
 * gw_req_param_id reads path parameter i as an id (a decimal integer in
 * 1..2^53).  Returns false after answering 400 INVALID_ID.
 */
bool gw_req_param_id(gw_req *r, int i, uint64_t *id);

/* gw_req_player returns the authenticated address (lower-case) or "". */
const char *gw_req_player(gw_req *r);

/*
 * gw_req_client returns the key of the address the request comes from,
 * behind the trusted proxies (gw_clientaddr.h): the per-address rate
 * limits' subject.
 */
const char *gw_req_client(gw_req *r);

/*
 * gw_req_query counts the occurrences of query parameter name and points
 * *value at the first one's value (percent-decoded; "" for "?name" with no
 * '='), or sets it to NULL when there is none.  Request threads only.
 */
int gw_req_query(gw_req *r, const char *name, const char **value);

/*
 * gw_req_reply answers with status and the JSON value body (the reference
 * is stolen; a NULL body, a value that failed to build, answers 500
 * INTERNAL).  gw_req_reply_raw answers with a body of type ctype
 * (copied).  gw_req_error answers {"error":{"code","message"}}.
 */
void gw_req_reply(gw_req *r, unsigned status, json_t *body);
void gw_req_reply_raw(gw_req *r, unsigned status, const char *ctype,
    const char *body, size_t len);
void gw_req_error(gw_req *r, unsigned status, const char *code,
    const char *message);

/* gw_req_set_header adds a response header (copied; at most 4). */
void gw_req_set_header(gw_req *r, const char *name, const char *value);

/*
 * gw_req_defer marks r as answered later.  Call before handing r to
 * another thread.  That thread calls gw_req_reply* then gw_req_resume.
 */
void gw_req_defer(gw_req *r);
void gw_req_resume(gw_req *r);

/*
 * gw_req_continue, called instead of gw_req_resume by the thread that
 * holds a deferred r, resumes r without answering it: fn(r, arg) then runs
 * on one of the server's threads, where it may block (Redis, heavy work)
 * and must answer r (it may not defer it again).  Should the connection
 * end before, fn never runs and drop(arg) runs instead.
 */
void gw_req_continue(gw_req *r, void (*fn)(gw_req *r, void *arg),
    void *arg, void (*drop)(void *arg));

#endif
