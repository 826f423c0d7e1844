/* cm_stores.c: PostgreSQL and Redis connections kept alive. */
#include <stdio.h>

#include "cm_log.h"
#include "cm_pg.h"
#include "cm_stores.h"

cm_err
cm_stores_init(cm_stores *s, const char *db_url, const char *redis_addr,
    cm_metrics *metrics)
{
	cm_redis *r;

	if (cm_redis_new(redis_addr, 1000, &r) != CM_OK) {
		return (CM_EINVAL);
	}
	s->db_url = db_url;
	s->pg     = NULL;
	s->redis  = r;
	atomic_store(&s->pg_ok, 0);
	atomic_store(&s->redis_ok, 0);
	s->m_up = cm_metrics_gauge(metrics, "nd_dependency_up",
	    "1 when the dependency answered the last check", "dependency");
	return (CM_OK);
}

void
cm_stores_fini(cm_stores *s)
{
	if (s->pg != NULL) {
		PQfinish(s->pg);
		s->pg = NULL;
	}
	cm_redis_free(s->redis);
	s->redis = NULL;
}

void
cm_stores_check(cm_stores *s)
{
	int applied;

	if (s->pg == NULL) {
		if (cm_pg_connect(s->db_url, 3, &s->pg) != CM_OK) {
			s->pg = NULL;
		} else if (cm_pg_migrate(s->pg, &applied) != CM_OK) {
			PQfinish(s->pg);
			s->pg = NULL;
		}
	} else if (cm_pg_ping(s->pg) != CM_OK) {
		cm_log_warn("postgres connection lost; resetting", NULL);
		PQreset(s->pg);
	}
	atomic_store(&s->pg_ok, s->pg != NULL && cm_pg_ping(s->pg) == CM_OK);
	atomic_store(&s->redis_ok, cm_redis_ping(s->redis) == CM_OK);
	cm_metric_set(s->m_up, "postgres", atomic_load(&s->pg_ok));
	cm_metric_set(s->m_up, "redis", atomic_load(&s->redis_ok));
}

int
cm_stores_ready(cm_stores *s, char *why, size_t cap)
{
	if (!atomic_load(&s->pg_ok)) {
		snprintf(why, cap, "postgres unreachable");
		return (0);
	}
	if (!atomic_load(&s->redis_ok)) {
		snprintf(why, cap, "redis unreachable");
		return (0);
	}
	return (1);
}
