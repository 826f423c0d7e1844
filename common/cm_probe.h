/*
 * cm_probe.h: the operator's probe endpoint of a process without a public
 * HTTP API (shard, bridge): GET /healthz, /readyz and /metrics on a small
 * libmicrohttpd server with its own thread.
 *
 * This is the one place common/ speaks HTTP, on purpose: the probes are the
 * same in every process and know nothing of the game's API.  The gateway
 * answers the same three paths on its public port with the same bodies, by
 * calling cm_probe_answer.
 */
#ifndef CM_PROBE_H
#define CM_PROBE_H

#include <stddef.h>

#include "cm_err.h"
#include "cm_metrics.h"

typedef struct cm_probe cm_probe;

/*
 * cm_probe_ready_fn reports readiness: it returns 1 when the process can
 * serve, else 0 after writing a short reason into why (cap bytes).  It runs
 * on the probe's thread, so it must only read state that is safe to read
 * from another thread (atomics).
 */
typedef int (*cm_probe_ready_fn)(void *arg, char *why, size_t cap);

/*
 * cm_probe_answer computes the answer to GET path ("/healthz", "/readyz" or
 * "/metrics"): *status, a malloc'd *body the caller frees, *ctype.  Returns
 * CM_ENOENT for any other path.
 */
cm_err cm_probe_answer(const char *path, cm_metrics *metrics,
    cm_probe_ready_fn ready, void *arg, unsigned *status, char **body,
    size_t *len, const char **ctype);

/*
 * cm_probe_start serves the probes on addr ("host:port").  metrics and arg
 * must outlive the probe.  Returns CM_EINVAL for a bad address,
 * CM_ESYSERR|errno when the port cannot be bound.
 */
cm_err cm_probe_start(const char *addr, cm_metrics *metrics,
    cm_probe_ready_fn ready, void *arg, cm_probe **out);

/* cm_probe_stop stops the server and frees it. */
void cm_probe_stop(cm_probe *p);

#endif
