/* cm_probe.c: /healthz, /readyz, /metrics on a libmicrohttpd thread. */
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "cm_addr.h"
#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_probe.h"

struct cm_probe {
	struct MHD_Daemon *mhd;
	cm_metrics        *metrics;
	cm_probe_ready_fn  ready;
	void              *arg;
};

static char *
probe_json(json_t *o, size_t *len)
{
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	cm_assert(s != NULL);
	*len = strlen(s);
	return (s);
}

cm_err
cm_probe_answer(const char *path, cm_metrics *metrics,
    cm_probe_ready_fn ready, void *arg, unsigned *status, char **body,
    size_t *len, const char **ctype)
{
	char why[256] = "";

	if (strcmp(path, "/healthz") == 0) {
		*status = 200;
		*body   = probe_json(json_pack("{s:s}", "status", "ok"), len);
		*ctype  = "application/json";
		return (CM_OK);
	}
	if (strcmp(path, "/readyz") == 0) {
		int ok = ready == NULL || ready(arg, why, sizeof(why));

		*status = ok ? 200 : 503;
		*body   = probe_json(ok ? json_pack("{s:s}", "status", "ready")
		                        : json_pack("{s:s,s:s}", "status",
		                              "not_ready", "reason", why),
                    len);
		*ctype  = "application/json";
		return (CM_OK);
	}
	if (strcmp(path, "/metrics") == 0) {
		cm_metrics_process(metrics);
		*status = 200;
		*body   = cm_metrics_render(metrics, len);
		*ctype  = "text/plain; version=0.0.4";
		return (CM_OK);
	}
	return (CM_ENOENT);
}

static enum MHD_Result
probe_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	cm_probe             *p = cls;
	struct MHD_Response  *resp;
	unsigned              status;
	char                 *body;
	size_t                len;
	const char           *ctype;
	enum MHD_Result       rv;
	static int            marker;

	(void) version;
	(void) upload;
	if (*con_cls == NULL) {
		/* Answering on the first call would close keep-alive. */
		*con_cls = &marker;
		return (MHD_YES);
	}
	if (*upload_size != 0) {
		*upload_size = 0; /* probes take no body: discard it */
		return (MHD_YES);
	}
	if (strcmp(method, "GET") != 0 ||
	    cm_probe_answer(url, p->metrics, p->ready, p->arg, &status, &body,
	        &len, &ctype) != CM_OK) {
		status = 404;
		body   = cm_strdup("{\"error\":{\"code\":\"NOT_FOUND\","
                                 "\"message\":\"no such probe\"}}");
		len    = strlen(body);
		ctype  = "application/json";
	}
	resp = MHD_create_response_from_buffer(
	    len, body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", ctype);
	rv = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return (rv);
}

cm_err
cm_probe_start(const char *addr, cm_metrics *metrics,
    cm_probe_ready_fn ready, void *arg, cm_probe **out)
{
	struct sockaddr_in sa;
	cm_probe          *p;

	if (cm_addr_sockaddr(addr, &sa) != CM_OK) {
		return (CM_EINVAL);
	}
	p          = cm_calloc(1, sizeof(*p));
	p->metrics = metrics;
	p->ready   = ready;
	p->arg     = arg;
	p->mhd     = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL,
            probe_handler, p, MHD_OPTION_SOCK_ADDR, &sa,
            MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (p->mhd == NULL) {
		int e = errno;

		cm_log_error("cannot start probe server", "{s:s}", "addr",
		    addr);
		free(p);
		return (CM_ESYSERR | (e ? e : EADDRINUSE));
	}
	*out = p;
	return (CM_OK);
}

void
cm_probe_stop(cm_probe *p)
{
	if (p == NULL) {
		return;
	}
	MHD_stop_daemon(p->mhd);
	free(p);
}
