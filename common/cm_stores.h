/*
 * cm_stores.h: a process's connections to PostgreSQL and Redis, kept
 * alive.
 *
 * The owner thread calls cm_stores_check about once a second: it connects
 * (applying the migrations on the first connection), pings, reconnects
 * what broke, and publishes the outcome as atomics that the probe thread
 * reads (cm_stores_ready) and as the gauge nd_dependency_up.
 */
#ifndef CM_STORES_H
#define CM_STORES_H

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stddef.h>

#include "cm_err.h"
#include "cm_metrics.h"
#include "cm_redis.h"

typedef struct cm_stores {
	const char *db_url;
	PGconn     *pg;    /* NULL until connected; owner thread only */
	cm_redis   *redis; /* owner thread only */
	atomic_int  pg_ok, redis_ok;
	cm_metric  *m_up;
} cm_stores;

/*
 * cm_stores_init prepares s (caller storage) for db_url and redis_addr
 * without connecting, and registers nd_dependency_up in metrics.  Returns
 * CM_EINVAL for a malformed Redis address.
 */
cm_err cm_stores_init(cm_stores *s, const char *db_url,
    const char *redis_addr, cm_metrics *metrics);

/* cm_stores_fini closes both connections. */
void cm_stores_fini(cm_stores *s);

/*
 * cm_stores_check connects or reconnects and pings both stores (blocking,
 * bounded by the connect timeouts); after it, s->pg is a connection with
 * the schema applied when s->pg_ok is set.  Owner thread.
 */
void cm_stores_check(cm_stores *s);

/*
 * cm_stores_ready returns 1 when both stores answered the last check, else
 * 0 with the reason in why.  Any thread.
 */
int cm_stores_ready(cm_stores *s, char *why, size_t cap);

#endif
