/*
 * gw_ops.h: the gateway's probes (/healthz, /readyz, /metrics) on its
 * public port, with the same bodies as every other process's (cm_probe).
 */
#ifndef GW_OPS_H
#define GW_OPS_H

#include "cm_redis.h"
#include "gw_http.h"

/* gw_ops_probe answers GET /healthz, /readyz or /metrics. */
void gw_ops_probe(gw_req *r);

/*
 * gw_ops_redis returns the calling thread's Redis connection, made on
 * first use and freed when the thread ends.
 */
cm_redis *gw_ops_redis(gw_app *app);

/* gw_ops_init prepares app for gw_ops_redis; call once before serving. */
void gw_ops_init(gw_app *app);

#endif
