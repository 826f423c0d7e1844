/*
 * br_main.c: the bridge, the only process that will talk to the chain.
 *
 * For now it starts, connects to PostgreSQL (applying the migrations, like
 * every process that may start first) and Redis, serves its probes, and
 * says whether a chain is configured (CHAIN_RPC_URL).  Its loop checks the
 * stores once a second so /readyz tells the truth.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/select.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cm_config.h"
#include "cm_log.h"
#include "cm_metrics.h"
#include "cm_pg.h"
#include "cm_probe.h"
#include "cm_redis.h"

typedef struct br_state {
	PGconn    *pg;
	cm_redis  *redis;
	atomic_int pg_ok, redis_ok;
	cm_metric *m_up;
	const char *db_url;
} br_state;

static int
br_ready(void *arg, char *why, size_t cap)
{
	br_state *s = arg;

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

static void
br_check(br_state *s)
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
		PQreset(s->pg);
	}
	atomic_store(&s->pg_ok, s->pg != NULL && cm_pg_ping(s->pg) == CM_OK);
	atomic_store(&s->redis_ok, cm_redis_ping(s->redis) == CM_OK);
	cm_metric_set(s->m_up, "postgres", atomic_load(&s->pg_ok));
	cm_metric_set(s->m_up, "redis", atomic_load(&s->redis_ok));
}

int
main(void)
{
	br_state    s;
	cm_metrics *metrics;
	cm_probe   *probe = NULL;
	sigset_t    mask;
	int         sfd, rv = 1;
	const char *rpc;

	memset(&s, 0, sizeof(s));
	cm_log_init("bridge", -1);
	s.db_url = cm_env_str("DATABASE_URL",
	    "postgresql://nd@127.0.0.1:17432/nd");
	if (cm_redis_new(cm_env_str("REDIS_ADDR", "127.0.0.1:17379"), 1000,
	        &s.redis) != CM_OK) {
		cm_log_error("invalid REDIS_ADDR", NULL);
		return (2);
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);

	metrics = cm_metrics_new();
	s.m_up  = cm_metrics_gauge(metrics, "nd_dependency_up",
            "1 when the dependency answered the last check", "dependency");
	if (cm_probe_start(cm_env_str("BRIDGE_PROBE_ADDR", "127.0.0.1:17290"),
	        metrics, br_ready, &s, &probe) != CM_OK) {
		goto out;
	}
	rpc = cm_env_str("CHAIN_RPC_URL", NULL);
	if (rpc == NULL) {
		cm_log_warn("no chain configured (CHAIN_RPC_URL unset): "
		            "following no chain and sending nothing",
		    NULL);
	} else {
		/* The URL may carry a provider key: never log it. */
		cm_log_info("chain configured", NULL);
	}
	br_check(&s);
	cm_log_info("ready", NULL);
	for (;;) {
		struct signalfd_siginfo si;
		fd_set                  fds;
		struct timeval          tv = { 1, 0 };

		FD_ZERO(&fds);
		FD_SET(sfd, &fds);
		if (select(sfd + 1, &fds, NULL, NULL, &tv) > 0 &&
		    read(sfd, &si, sizeof(si)) == sizeof(si)) {
			break;
		}
		br_check(&s);
	}
	cm_log_info("stopping", NULL);
	rv = 0;
out:
	cm_probe_stop(probe);
	cm_redis_free(s.redis);
	if (s.pg != NULL) {
		PQfinish(s.pg);
	}
	cm_metrics_free(metrics);
	close(sfd);
	return (rv);
}
