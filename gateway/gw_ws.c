/*
 * gw_ws.c: WebSocket connections.
 *
 * The token is checked in LWS_CALLBACK_HTTP_CONFIRM_UPGRADE, which lws
 * delivers to protocols[0] for every upgrade: a check in a named
 * subprotocol's callback would be skipped by a client that names none.
 * Both table entries share one callback, so a connection behaves the same
 * whichever protocol it is bound to.
 *
 * Each connection keeps its own queue of outgoing frames, written one per
 * WRITEABLE callback; a client that lets more than WS_MAX_QUEUE frames pile
 * up is disconnected rather than buffered without bound.  Incoming
 * messages are reassembled from fragments up to ws_max_message bytes;
 * bigger ones close the connection with 1009.  Everything here runs on
 * the service thread.
 */
#include <libwebsockets.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cm_addr.h"
#include "cm_alloc.h"
#include "cm_log.h"
#include "gw_auth.h"
#include "gw_ws.h"

#define WS_MAX_QUEUE 256
#define WS_TOKEN_MAX 2048

typedef struct ws_frame {
	struct ws_frame *next;
	size_t           len;
	unsigned char    buf[]; /* LWS_PRE bytes, then the text */
} ws_frame;

typedef struct ws_conn {
	char      player[43];
	int       counted;
	char     *rx;
	size_t    rx_len;
	ws_frame *head, *tail;
	int       queued;
} ws_conn;

struct gw_ws {
	gw_app             *app;
	struct lws_context *ctx;
	pthread_t           thread;
	atomic_int          stop;
	char                iface[64];
};

static gw_app *ws_app_of(struct lws *wsi)
{
	gw_ws *w = lws_context_user(lws_get_context(wsi));

	return (w->app);
}

/* ws_token finds and checks the token of an upgrade request. */
static const char *
ws_token(struct lws *wsi, char player[43], const char **msg)
{
	char        buf[WS_TOKEN_MAX + 16];
	const char *tok = NULL;
	int         n;

	if ((tok = lws_get_urlarg_by_name(wsi, "token=", buf,
	         (int) sizeof(buf))) == NULL) {
		n = lws_hdr_copy(wsi, buf, (int) sizeof(buf),
		    WSI_TOKEN_HTTP_AUTHORIZATION);
		if (n > 7 && strncasecmp(buf, "Bearer ", 7) == 0) {
			tok = buf + 7;
		}
	}
	return (gw_auth_token(ws_app_of(wsi), tok, tok ? strlen(tok) : 0,
	    player, msg));
}

static void
ws_send(struct lws *wsi, ws_conn *c, json_t *o)
{
	char     *s = json_dumps(o, JSON_COMPACT);
	size_t    n;
	ws_frame *f;

	json_decref(o);
	cm_assert(s != NULL);
	n = strlen(s);
	if (c->queued >= WS_MAX_QUEUE) {
		free(s);
		lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION,
		    (unsigned char *) "slow consumer", 13);
		lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		return;
	}
	f       = cm_malloc(sizeof(*f) + LWS_PRE + n);
	f->next = NULL;
	f->len  = n;
	memcpy(f->buf + LWS_PRE, s, n);
	free(s);
	if (c->tail != NULL) {
		c->tail->next = f;
	} else {
		c->head = f;
	}
	c->tail = f;
	c->queued++;
	lws_callback_on_writable(wsi);
}

static void
ws_error(struct lws *wsi, ws_conn *c, const char *code, const char *msg)
{
	cm_metric_inc(ws_app_of(wsi)->m_errors, code, 1);
	ws_send(wsi, c,
	    json_pack("{s:s,s:{s:s,s:s}}", "event", "error", "data", "code",
	        code, "message", msg));
}

/* ws_message handles one complete text message. */
static void
ws_message(struct lws *wsi, ws_conn *c, const char *text, size_t len)
{
	json_error_t err;
	json_t      *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	json_t      *ev, *data;
	const char  *key;
	json_t      *v;
	const char  *name;

	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		ws_error(wsi, c, "INVALID_JSON",
		    "a message is a JSON object {event, data}");
		return;
	}
	json_object_foreach(o, key, v)
	{
		if (strcmp(key, "event") != 0 && strcmp(key, "data") != 0) {
			json_decref(o);
			ws_error(wsi, c, "UNKNOWN_FIELD",
			    "a message has only event and data");
			return;
		}
	}
	ev   = json_object_get(o, "event");
	data = json_object_get(o, "data");
	if (!json_is_string(ev) || (data != NULL && !json_is_object(data))) {
		json_decref(o);
		ws_error(wsi, c, "INVALID_MESSAGE",
		    "event must be a string and data an object");
		return;
	}
	name = json_string_value(ev);
	if (strcmp(name, "ping") == 0) {
		ws_send(wsi, c,
		    json_pack("{s:s,s:{}}", "event", "pong", "data"));
	} else {
		ws_error(wsi, c, "UNKNOWN_EVENT",
		    "this server does not handle that event");
	}
	json_decref(o);
}

static int
ws_receive(struct lws *wsi, ws_conn *c, const void *in, size_t len)
{
	gw_app *app = ws_app_of(wsi);

	if (lws_frame_is_binary(wsi)) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE,
		    (unsigned char *) "text only", 9);
		return (-1);
	}
	if (c->rx_len + len > (size_t) app->cfg.ws_max_message) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		    (unsigned char *) "message too large", 17);
		return (-1);
	}
	c->rx = cm_realloc(c->rx, c->rx_len + len + 1);
	memcpy(c->rx + c->rx_len, in, len);
	c->rx_len += len;
	if (lws_is_final_fragment(wsi) &&
	    lws_remaining_packet_payload(wsi) == 0) {
		ws_message(wsi, c, c->rx, c->rx_len);
		c->rx_len = 0;
	}
	return (0);
}

static int
ws_writeable(struct lws *wsi, ws_conn *c)
{
	ws_frame *f = c->head;

	if (f == NULL) {
		return (0);
	}
	if (lws_write(wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT) <
	    (int) f->len) {
		return (-1);
	}
	c->head = f->next;
	if (c->head == NULL) {
		c->tail = NULL;
	}
	c->queued--;
	free(f);
	if (c->head != NULL) {
		lws_callback_on_writable(wsi);
	}
	return (0);
}

static void
ws_closed(struct lws *wsi, ws_conn *c)
{
	while (c->head != NULL) {
		ws_frame *f = c->head;

		c->head = f->next;
		free(f);
	}
	c->tail = NULL;
	free(c->rx);
	c->rx = NULL;
	if (c->counted) {
		cm_metric_inc(ws_app_of(wsi)->m_conns, "ws", -1);
		c->counted = 0;
	}
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	ws_conn    *c = user;
	const char *code, *msg;
	char        player[43];

	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		if ((code = ws_token(wsi, player, &msg)) != NULL) {
			cm_metric_inc(ws_app_of(wsi)->m_errors, code, 1);
			lws_return_http_status(
			    wsi, HTTP_STATUS_UNAUTHORIZED, msg);
			return (1);
		}
		return (0);
	case LWS_CALLBACK_ESTABLISHED:
		memset(c, 0, sizeof(*c));
		if (ws_token(wsi, c->player, &msg) != NULL) {
			return (-1);
		}
		c->counted = 1;
		cm_metric_inc(ws_app_of(wsi)->m_conns, "ws", 1);
		return (0);
	case LWS_CALLBACK_RECEIVE:
		return (ws_receive(wsi, c, in, len));
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return (ws_writeable(wsi, c));
	case LWS_CALLBACK_CLOSED:
		ws_closed(wsi, c);
		return (0);
	case LWS_CALLBACK_HTTP:
		/* Plain HTTP on the WebSocket port: nothing to serve. */
		lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
		return (-1);
	default:
		return (lws_callback_http_dummy(wsi, reason, user, in, len));
	}
}

static const struct lws_protocols ws_protocols[] = {
	{ "http", ws_callback, sizeof(ws_conn), 4096, 0, NULL, 0 },
	{ "nd.v1", ws_callback, sizeof(ws_conn), 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void *
ws_thread(void *arg)
{
	gw_ws *w = arg;

	while (!atomic_load(&w->stop)) {
		if (lws_service(w->ctx, 0) < 0) {
			break;
		}
	}
	return (NULL);
}

static void
ws_lws_log(int level, const char *line)
{
	cm_log(level == LLL_ERR ? CM_LOG_ERROR : CM_LOG_WARN, "lws",
	    "{s:s}", "line", line);
}

cm_err
gw_ws_start(gw_app *app, gw_ws **out)
{
	struct lws_context_creation_info info;
	gw_ws                           *w = cm_calloc(1, sizeof(*w));
	int                              port;

	if (cm_addr_split(app->cfg.ws_addr, w->iface, sizeof(w->iface),
	        &port) != CM_OK) {
		free(w);
		return (CM_EINVAL);
	}
	lws_set_log_level(LLL_ERR | LLL_WARN, ws_lws_log);
	memset(&info, 0, sizeof(info));
	info.port      = port;
	info.iface     = w->iface;
	info.protocols = ws_protocols;
	info.user      = w;
	info.options   = LWS_SERVER_OPTION_VALIDATE_UTF8 |
	    LWS_SERVER_OPTION_DISABLE_IPV6;
	info.timeout_secs = 30;
	w->app            = app;
	w->ctx            = lws_create_context(&info);
	if (w->ctx == NULL) {
		cm_log_error("cannot start websocket server", "{s:s}", "addr",
		    app->cfg.ws_addr);
		free(w);
		return (CM_ESYSERR);
	}
	if (pthread_create(&w->thread, NULL, ws_thread, w) != 0) {
		lws_context_destroy(w->ctx);
		free(w);
		return (CM_ESYSERR);
	}
	*out = w;
	return (CM_OK);
}

void
gw_ws_stop(gw_ws *w)
{
	if (w == NULL) {
		return;
	}
	atomic_store(&w->stop, 1);
	lws_cancel_service(w->ctx);
	pthread_join(w->thread, NULL);
	lws_context_destroy(w->ctx);
	free(w);
}
