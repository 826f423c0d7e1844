/*
 * br_main.c: the bridge, the only process that will talk to the chain.
 *
 * For now it starts, connects to PostgreSQL (applying the migrations, like
 * every process that may start first) and Redis, serves its probes, and
 * says whether a chain is configured (CHAIN_RPC_URL).  Its loop checks the
 * stores once a second so /readyz tells the truth.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/select.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cm_config.h"
#include "cm_log.h"
#include "cm_metrics.h"
#include "cm_probe.h"
#include "cm_rules.h"
#include "cm_stores.h"

static int
br_ready(void *arg, char *why, size_t cap)
{
	return (cm_stores_ready(arg, why, cap));
}

int
main(void)
{
	cm_stores   s;
	cm_metrics *metrics;
	cm_probe   *probe = NULL;
	sigset_t    mask;
	int         sfd, rv = 1;
	const char *rpc;

	{
		char rerr[512];

		if (cm_rules_load(NULL, rerr, sizeof(rerr)) != CM_OK) {
			fprintf(stderr, "%s\n", rerr);
			return (2);
		}
	}
	cm_log_init("bridge", -1);
	metrics = cm_metrics_new();
	if (cm_stores_init(&s,
	        cm_env_str("DATABASE_URL", "postgresql://nd@127.0.0.1:17432/nd"),
	        cm_env_str("REDIS_ADDR", "127.0.0.1:17379"), metrics) != CM_OK) {
		cm_log_error("invalid REDIS_ADDR", NULL);
		cm_metrics_free(metrics);
		return (2);
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);

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
	cm_stores_check(&s);
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
		cm_stores_check(&s);
	}
	cm_log_info("stopping", NULL);
	rv = 0;
out:
	cm_probe_stop(probe);
	cm_stores_fini(&s);
	cm_metrics_free(metrics);
	close(sfd);
	return (rv);
}
