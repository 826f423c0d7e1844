/*
 * gw_ops.c: probes and per-thread Redis connections.
 *
 * The gateway is ready when Redis answers (challenges, and later rate
 * limits and revocations, live there) and its signing keys are loaded.
 * Shards being down does not make the gateway unready: the other regions
 * are still served, and their tiles answer 503 on their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_log.h"
#include "cm_probe.h"
#include "gw_ops.h"

static void
ops_redis_free(void *p)
{
	cm_redis_free(p);
}

void
gw_ops_init(gw_app *app)
{
	pthread_key_create(&app->redis_key, ops_redis_free);
}

cm_redis *
gw_ops_redis(gw_app *app)
{
	cm_redis *r = pthread_getspecific(app->redis_key);

	if (r == NULL) {
		if (cm_redis_new(app->cfg.redis_addr, 1000, &r) != CM_OK) {
			return (NULL);
		}
		pthread_setspecific(app->redis_key, r);
	}
	return (r);
}

static int
ops_ready(void *arg, char *why, size_t cap)
{
	gw_app   *app = arg;
	cm_redis *r   = gw_ops_redis(app);

	if (r == NULL || cm_redis_ping(r) != CM_OK) {
		snprintf(why, cap, "redis unreachable");
		return (0);
	}
	return (1);
}

void
gw_ops_probe(gw_req *r)
{
	gw_app     *app = gw_req_app(r);
	unsigned    status;
	char       *body;
	size_t      len;
	const char *ctype;
	if (cm_probe_answer(gw_req_path(r), app->metrics, ops_ready, app,
	        &status, &body, &len, &ctype) != CM_OK) {
		gw_req_error(r, 404, "NOT_FOUND", "no such route");
		return;
	}
	gw_req_reply_raw(r, status, ctype, body, len);
	free(body);
}
