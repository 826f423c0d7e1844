/*
 * gw_http.c: libmicrohttpd glue.
 *
 * MHD calls the access handler several times per request: first with no
 * body (we only attach a gw_req, since answering then would turn off
 * keep-alive), then once per body chunk, then with an empty chunk; only
 * then is the route run.  A deferred request is suspended before it is
 * handed off; its completion stores the answer and resumes the
 * connection, and MHD calls the handler once more to queue it.
 *
 * A continuation (gw_req_continue) is a resume without an answer: MHD
 * calls the handler once more, on one of its threads, and the handler
 * runs the continuation there, which answers; routes use it for work that
 * may block (Redis, generating terrain) after a shard has replied on an
 * nng thread.  A continuation that never runs (the connection ended) has
 * its argument dropped when the request is freed.
 *
 * Bodies are bounded: a Content-Length over the limit is refused at once
 * with 413; a chunked body that grows past it is discarded and refused at
 * its end.  The deferred-request path never blocks: the shard client has
 * its own deadline, which MHD's connection timeout does not cover while a
 * connection is suspended.
 */
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cm_addr.h"
#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_time.h"
#include "gw_auth.h"
#include "gw_clientaddr.h"
#include "gw_http.h"
#include "gw_parse.h"
#include "gw_ratelimit.h"
#include "gw_route.h"

#define REQ_MAX_PARAMS 4
#define REQ_MAX_HEADERS 4

enum req_state {
	REQ_READING,
	REQ_DEFERRED,
	REQ_ANSWERED,
	REQ_CONTINUE, /* resumed to run cont_fn on a server thread */
	REQ_QUEUED
};

struct gw_req {
	gw_app                *app;
	struct gw_http        *http;
	int                    was_deferred;
	struct MHD_Connection *conn;
	const char            *path;
	char                  *body;
	size_t                 body_len, body_cap;
	int                    too_large;
	_Atomic int            state;
	unsigned               status;
	char                  *resp;
	size_t                 resp_len;
	const char            *ctype;
	char                  *hdr_name[REQ_MAX_HEADERS];
	char                  *hdr_value[REQ_MAX_HEADERS];
	int                    nhdr;
	char                   params[REQ_MAX_PARAMS][64];
	char                   player[43];
	char                   client[GW_CLIENTADDR_MAX]; /* "" until asked */
	char                   route_label[48];
	int64_t                t0_ns;
	void                 (*cont_fn)(gw_req *r, void *arg);
	void                  *cont_arg;
	void                 (*cont_drop)(void *arg);
};

struct gw_http {
	gw_app            *app;
	struct MHD_Daemon *mhd;
	_Atomic int        deferred; /* suspended and not yet re-queued */
};

gw_app *
gw_req_app(gw_req *r)
{
	return (r->app);
}

const char *
gw_req_body(gw_req *r, size_t *len)
{
	*len = r->body_len;
	return (r->body != NULL ? r->body : "");
}

const char *
gw_req_header(gw_req *r, const char *name)
{
	return (MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name));
}

const char *
gw_req_path(gw_req *r)
{
	return (r->path);
}

const char *
gw_req_param(gw_req *r, int i)
{
	return (i >= 0 && i < REQ_MAX_PARAMS ? r->params[i] : "");
}

bool
gw_req_param_id(gw_req *r, int i, uint64_t *id)
{
	if (!gw_parse_id(gw_req_param(r, i), id)) {
		gw_req_error(r, 400, "INVALID_ID",
		    "an id is a decimal integer from 1 to 2^53");
		return (false);
	}
	return (true);
}

const char *
gw_req_player(gw_req *r)
{
	return (r->player);
}

const char *
gw_req_client(gw_req *r)
{
	if (r->client[0] == '\0') {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		    r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

		gw_clientaddr(ci != NULL ? ci->client_addr : NULL,
		    gw_req_header(r, "X-Forwarded-For"), r->app->cfg.proxies,
		    r->app->cfg.nproxies, r->client);
	}
	return (r->client);
}

typedef struct query_count {
	const char *name;
	const char *first;
	int         n;
} query_count;

static enum MHD_Result
http_query_visit(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	query_count *q = cls;

	(void) kind;
	if (key != NULL && strcmp(key, q->name) == 0) {
		if (q->n++ == 0) {
			q->first = value != NULL ? value : "";
		}
	}
	return (MHD_YES);
}

int
gw_req_query(gw_req *r, const char *name, const char **value)
{
	query_count q = { name, NULL, 0 };

	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
	    http_query_visit, &q);
	*value = q.first;
	return (q.n);
}

void
gw_req_reply_raw(gw_req *r, unsigned status, const char *ctype,
    const char *body, size_t len)
{
	free(r->resp);
	r->resp = cm_malloc(len + 1);
	memcpy(r->resp, body, len);
	r->resp[len] = '\0';
	r->resp_len  = len;
	r->status    = status;
	r->ctype     = ctype;
	if (atomic_load(&r->state) == REQ_READING) {
		atomic_store(&r->state, REQ_ANSWERED);
	}
}

void
gw_req_reply(gw_req *r, unsigned status, json_t *body)
{
	char *s = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;

	json_decref(body);
	if (s == NULL) {
		static const char internal[] =
		    "{\"error\":{\"code\":\"INTERNAL\",\"message\":"
		    "\"the answer could not be encoded\"}}";

		cm_log_error("answer could not be encoded", "{s:s}", "route",
		    r->route_label);
		cm_metric_inc(r->app->m_errors, "INTERNAL", 1);
		gw_req_reply_raw(r, 500, "application/json", internal,
		    sizeof(internal) - 1);
		return;
	}
	gw_req_reply_raw(r, status, "application/json", s, strlen(s));
	free(s);
}

void
gw_req_error(gw_req *r, unsigned status, const char *code,
    const char *message)
{
	cm_metric_inc(r->app->m_errors, code, 1);
	gw_req_reply(r, status,
	    json_pack("{s:{s:s,s:s}}", "error", "code", code, "message",
	        message));
}

void
gw_req_set_header(gw_req *r, const char *name, const char *value)
{
	if (r->nhdr < REQ_MAX_HEADERS) {
		r->hdr_name[r->nhdr]  = cm_strdup(name);
		r->hdr_value[r->nhdr] = cm_strdup(value);
		r->nhdr++;
	}
}

void
gw_req_defer(gw_req *r)
{
	atomic_store(&r->state, REQ_DEFERRED);
	r->was_deferred = 1;
	atomic_fetch_add(&r->http->deferred, 1);
	MHD_suspend_connection(r->conn);
}

void
gw_req_resume(gw_req *r)
{
	atomic_store(&r->state, REQ_ANSWERED);
	MHD_resume_connection(r->conn);
}

void
gw_req_continue(gw_req *r, void (*fn)(gw_req *r, void *arg), void *arg,
    void (*drop)(void *arg))
{
	r->cont_fn   = fn;
	r->cont_arg  = arg;
	r->cont_drop = drop;
	atomic_store(&r->state, REQ_CONTINUE);
	MHD_resume_connection(r->conn);
}

/* http_continue runs a continuation on this server thread. */
static void
http_continue(gw_req *r)
{
	void (*fn)(gw_req *, void *) = r->cont_fn;
	void *arg                    = r->cont_arg;

	r->cont_fn   = NULL;
	r->cont_arg  = NULL;
	r->cont_drop = NULL;
	atomic_store(&r->state, REQ_READING);
	fn(r, arg);
	cm_assert(atomic_load(&r->state) == REQ_ANSWERED);
}

json_t *
gw_req_json(gw_req *r, const char *const *fields)
{
	const char *code;
	char        msg[128];
	json_t     *o = gw_parse_body(r->body, r->body_len, fields, &code, msg,
            sizeof(msg));

	if (o == NULL) {
		gw_req_error(r, 400, code, msg);
	}
	return (o);
}

static enum MHD_Result
http_queue(gw_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result      rv;
	double               secs;

	resp = MHD_create_response_from_buffer(
	    r->resp_len, r->resp, MHD_RESPMEM_MUST_FREE);
	r->resp = NULL;
	MHD_add_response_header(resp, "Content-Type", r->ctype);
	for (int i = 0; i < r->nhdr; i++) {
		MHD_add_response_header(resp, r->hdr_name[i], r->hdr_value[i]);
	}
	rv = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	atomic_store(&r->state, REQ_QUEUED);
	if (r->was_deferred) {
		atomic_fetch_sub(&r->http->deferred, 1);
	}
	secs = (double) (cm_time_mono_ns() - r->t0_ns) / 1e9;
	{
		char lv[80];

		snprintf(lv, sizeof(lv), "%s,%u", r->route_label, r->status);
		cm_metric_inc(r->app->m_requests, lv, 1);
	}
	cm_metric_observe(r->app->m_latency, r->route_label, secs);
	return (rv);
}

static void
http_dispatch(gw_req *r, const char *method, const char *url)
{
	const gw_route *route;
	char            params[REQ_MAX_PARAMS][64];
	int             m = gw_route_match(url, method, &route, params,
                    REQ_MAX_PARAMS);

	if (m == GW_ROUTE_NONE) {
		snprintf(r->route_label, sizeof(r->route_label), "unmatched");
		gw_req_error(r, 404, "NOT_FOUND", "no such route");
		return;
	}
	snprintf(r->route_label, sizeof(r->route_label), "%s", route->path);
	if (m == GW_ROUTE_BAD_METHOD) {
		gw_req_set_header(r, "Allow", route->method);
		gw_req_error(r, 405, "METHOD_NOT_ALLOWED",
		    "method not allowed on this route");
		return;
	}
	memcpy(r->params, params, sizeof(params));
	r->path = url;
	if (r->too_large) {
		gw_req_error(r, 413, "PAYLOAD_TOO_LARGE",
		    "request body over the limit");
		return;
	}
	if ((route->auth == GW_AUTH_REQUIRED ||
	        (route->auth == GW_AUTH_OPTIONAL &&
	            gw_req_header(r, "Authorization") != NULL)) &&
	    !gw_auth_bearer(r, r->player)) {
		return; /* gw_auth_bearer answered 401 */
	}
	if (route->limit != NULL && !gw_req_limit(r, route->limit)) {
		return; /* answered 429 */
	}
	route->fn(r);
}

static gw_req *
http_req_new(gw_http *h, struct MHD_Connection *conn)
{
	gw_req *r = cm_calloc(1, sizeof(*r));

	r->http  = h;
	r->app   = h->app;
	r->conn  = conn;
	r->t0_ns = cm_time_mono_ns();
	atomic_store(&r->state, REQ_READING);
	return (r);
}

static int
http_content_length_over(struct MHD_Connection *conn, long limit)
{
	const char *cl = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	char       *end;
	unsigned long long v;

	if (cl == NULL) {
		return (0);
	}
	v = strtoull(cl, &end, 10);
	return (*end != '\0' || v > (unsigned long long) limit);
}

static enum MHD_Result
http_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	gw_http *h = cls;
	gw_req  *r = *con_cls;

	(void) version;
	if (r == NULL) {
		r        = http_req_new(h, conn);
		*con_cls = r;
		if (http_content_length_over(conn, h->app->cfg.body_limit)) {
			snprintf(r->route_label, sizeof(r->route_label),
			    "oversize");
			gw_req_error(r, 413, "PAYLOAD_TOO_LARGE",
			    "request body over the limit");
			return (http_queue(r));
		}
		return (MHD_YES);
	}
	switch (atomic_load(&r->state)) {
	case REQ_READING:
		break;
	case REQ_ANSWERED:
		return (http_queue(r));
	case REQ_CONTINUE:
		http_continue(r);
		return (http_queue(r));
	default:
		/* Deferred and not yet resumed, or answered: nothing to do. */
		*upload_size = 0;
		return (MHD_YES);
	}
	if (*upload_size != 0) {
		size_t n = *upload_size;

		if (!r->too_large &&
		    r->body_len + n <= (size_t) h->app->cfg.body_limit) {
			if (r->body_len + n + 1 > r->body_cap) {
				r->body_cap = r->body_len + n + 1;
				r->body = cm_realloc(r->body, r->body_cap);
			}
			memcpy(r->body + r->body_len, upload, n);
			r->body_len += n;
			r->body[r->body_len] = '\0';
		} else {
			r->too_large = 1;
		}
		*upload_size = 0;
		return (MHD_YES);
	}
	http_dispatch(r, method, url);
	if (r->was_deferred) {
		/*
		 * Even if the answer is in already, the connection is
		 * suspended: MHD calls us again once it has processed the
		 * resume, and the answer is queued then.
		 */
		return (MHD_YES);
	}
	return (http_queue(r));
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	gw_req *r = *con_cls;

	(void) cls;
	(void) conn;
	(void) toe;
	if (r == NULL) {
		return;
	}
	if (r->cont_drop != NULL) {
		r->cont_drop(r->cont_arg); /* resumed, but never run */
	}
	for (int i = 0; i < r->nhdr; i++) {
		free(r->hdr_name[i]);
		free(r->hdr_value[i]);
	}
	free(r->body);
	free(r->resp);
	free(r);
	*con_cls = NULL;
}

static void
http_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	gw_http *h = cls;

	(void) conn;
	(void) socket_ctx;
	cm_metric_inc(h->app->m_conns, "http",
	    toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

cm_err
gw_http_start(gw_app *app, gw_http **out)
{
	struct sockaddr_in sa;
	gw_http           *h;

	if (cm_addr_sockaddr(app->cfg.http_addr, &sa) != CM_OK) {
		return (CM_EINVAL);
	}
	h      = cm_calloc(1, sizeof(*h));
	h->app = app;
	h->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	        MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME,
	    0, NULL, NULL, http_handler, h, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned) app->cfg.http_threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_LIMIT, 20000u,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, h,
	    MHD_OPTION_NOTIFY_CONNECTION, http_conn_notify, h,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
	if (h->mhd == NULL) {
		cm_log_error("cannot start http server", "{s:s}", "addr",
		    app->cfg.http_addr);
		free(h);
		return (CM_ESYSERR);
	}
	*out = h;
	return (CM_OK);
}

void
gw_http_stop(gw_http *h)
{
	if (h == NULL) {
		return;
	}
	/*
	 * MHD aborts when stopped with a suspended connection.  Deferred
	 * requests all end within the shard deadline (gw_main closes the
	 * shard client first, which fails them at once); wait, bounded, until
	 * MHD has re-queued every one of them.
	 */
	MHD_quiesce_daemon(h->mhd);
	for (int i = 0; i < 500 && atomic_load(&h->deferred) > 0; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(h->mhd);
	free(h);
}
