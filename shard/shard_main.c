/*
 * shard_main.c: one shard of the map.
 *
 * Start-up: configuration, logs, PostgreSQL (migrations applied), Redis,
 * the world (generation + terrain), the nng REP and PUB sockets, the probe
 * server.  Then the owner thread's loop: epoll over the RPC queue's
 * eventfd, a 1 s housekeeping timer and the termination signals.  The
 * process keeps running when PostgreSQL or Redis go away; /readyz then
 * says so, and the housekeeping timer reconnects.
 */
#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "cm_addr.h"
#include "cm_config.h"
#include "cm_log.h"
#include "cm_metrics.h"
#include "cm_pg.h"
#include "cm_probe.h"
#include "cm_rules.h"
#include "cm_stores.h"
#include "cm_time.h"
#include "shard_handoff.h"
#include "shard_replica.h"
#include "shard_rpc.h"
#include "shard_world.h"

typedef struct shard_cfg {
	long        index, count, width, height, seed, nctx, time_scale;
	long        generation_days;
	const char *db_url;
	const char *redis_addr;
	bool        commit_each;
	char        req_url[256];
	char        pub_url[256];
	char        probe_addr[128];
} shard_cfg;

typedef struct shard_state {
	shard_cfg    cfg;
	cm_stores    stores;
	shard_world *world;
	sh_rep_feed *feed; /* the map-wide replica's subscription */
	atomic_int   loaded;
} shard_state;

static cm_err
shard_config(shard_cfg *c)
{
	long req_base, pub_base, probe_base;

	if (cm_env_long("SHARD_INDEX", 0, 0, 4095, &c->index) ||
	    cm_env_long("SHARD_COUNT", 4, 1, 4096, &c->count) ||
	    cm_env_long("MAP_WIDTH", 100, 1, 4096, &c->width) ||
	    cm_env_long("MAP_HEIGHT", 100, 1, 4096, &c->height) ||
	    cm_env_long("MAP_SEED", 1, 0, INT64_MAX, &c->seed) ||
	    cm_env_long("SHARD_NNG_CONTEXTS", 64, 1, 4096, &c->nctx) ||
	    cm_env_long("ND_TIME_SCALE", 1, 1, 86400, &c->time_scale) ||
	    cm_env_long("ND_GENERATION_DAYS",
	        cm_rules_generation()->length_days, 1, 100000,
	        &c->generation_days) ||
	    cm_env_long("SHARD_REQ_PORT_BASE", 17100, 1, 65535, &req_base) ||
	    cm_env_long("SHARD_PUB_PORT_BASE", 17200, 1, 65535, &pub_base) ||
	    cm_env_long(
	        "SHARD_PROBE_PORT_BASE", 17300, 1, 65535, &probe_base)) {
		return (CM_ECONFIG);
	}
	if (c->index >= c->count) {
		cm_log_error("SHARD_INDEX must be below SHARD_COUNT", NULL);
		return (CM_ECONFIG);
	}
	c->db_url     = cm_env_str("DATABASE_URL",
            "postgresql://nd@127.0.0.1:17432/nd");
	c->redis_addr = cm_env_str("REDIS_ADDR", "127.0.0.1:17379");
	c->commit_each = strcmp(cm_env_str("SHARD_COMMIT", "group"), "each") == 0;
	if (!c->commit_each &&
	    strcmp(cm_env_str("SHARD_COMMIT", "group"), "group") != 0) {
		cm_log_error("SHARD_COMMIT is group or each", NULL);
		return (CM_ECONFIG);
	}
	if (cm_addr_expand(cm_env_str("SHARD_REQ_LISTEN",
	                       "tcp://127.0.0.1:{port}"),
	        (int) c->index, (int) req_base, c->req_url,
	        sizeof(c->req_url)) ||
	    cm_addr_expand(cm_env_str("SHARD_PUB_LISTEN",
	                       "tcp://127.0.0.1:{port}"),
	        (int) c->index, (int) pub_base, c->pub_url,
	        sizeof(c->pub_url)) ||
	    cm_addr_expand(cm_env_str("SHARD_PROBE_ADDR", "127.0.0.1:{port}"),
	        (int) c->index, (int) probe_base, c->probe_addr,
	        sizeof(c->probe_addr))) {
		cm_log_error("bad address template", NULL);
		return (CM_ECONFIG);
	}
	return (CM_OK);
}

static int
shard_ready(void *arg, char *why, size_t cap)
{
	shard_state *s = arg;

	if (!atomic_load(&s->loaded)) {
		snprintf(why, cap, "region not loaded");
		return (0);
	}
	return (cm_stores_ready(&s->stores, why, cap));
}

/* shard_housekeeping checks the stores and runs the world's tick. */
static void
shard_housekeeping(shard_state *s)
{
	cm_stores_check(&s->stores);
	if (s->world != NULL) {
		shard_world_tick(s->world, s->stores.pg,
		    atomic_load(&s->stores.pg_ok),
		    atomic_load(&s->stores.redis_ok));
		if (s->world->rep_reload) {
			shard_replica_drain(s->world, NULL); /* retry */
		}
		shard_handoff_sweep(s->world, cm_time_now_ms());
	}
}

/*
 * shard_open_stores waits for PostgreSQL (the schema applied) and loads the
 * world; a termination signal meanwhile ends the wait with CM_ECLOSED.
 */
static cm_err
shard_open_stores(shard_state *s, cm_layout *layout, cm_metrics *m,
    int sfd)
{
	for (;;) {
		struct signalfd_siginfo si;

		if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			return (CM_ECLOSED);
		}
		cm_stores_check(&s->stores);
		if (atomic_load(&s->stores.pg_ok)) {
			break;
		}
		usleep(500 * 1000);
	}
	shard_world_cfg wc = { .layout = layout, .index = (int) s->cfg.index,
		.seed = (uint64_t) s->cfg.seed, .time_scale = s->cfg.time_scale,
		.generation_days = (int) s->cfg.generation_days,
		.commit_each = s->cfg.commit_each,
		.db_url = s->cfg.db_url, .pg = s->stores.pg,
		.redis = s->stores.redis, .metrics = m };

	if (shard_world_open(&wc, &s->world) != CM_OK) {
		return (CM_ECONFIG);
	}
	atomic_store(&s->loaded, 1);
	return (CM_OK);
}

/*
 * shard_watch_store keeps the writer's socket in the epoll set, asking for
 * writability only while libpq has unsent bytes.
 */
static void
shard_watch_store(shard_state *s, int ep, int *watched)
{
	int                fd = shard_world_store_fd(s->world);
	struct epoll_event ev = { .events = EPOLLIN };

	if (*watched >= 0 && *watched != fd) {
		epoll_ctl(ep, EPOLL_CTL_DEL, *watched, NULL);
		*watched = -1;
	}
	if (fd < 0) {
		return;
	}
	if (shard_world_store_wants_write(s->world)) {
		ev.events |= EPOLLOUT;
	}
	ev.data.fd = fd;
	if (*watched == fd) {
		epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
	} else if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0) {
		*watched = fd;
	}
}

/*
 * shard_drain lets the group in flight (and the one gathered behind it)
 * commit before the process exits, so their replies go out: at most 3 s.
 */
static void
shard_drain(shard_state *s, int ep, int *watched)
{
	for (int i = 0; i < 30 && !shard_world_idle(s->world); i++) {
		struct epoll_event evs[4];

		shard_world_flush(s->world);
		shard_watch_store(s, ep, watched);
		if (epoll_wait(ep, evs, 4, 100) > 0) {
			shard_world_store_io(s->world);
		}
	}
}

static int
shard_loop(shard_state *s, shard_rpc *rpc, int sfd)
{
	int                ep  = epoll_create1(EPOLL_CLOEXEC);
	int                tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct itimerspec  its = { { 1, 0 }, { 1, 0 } };
	struct epoll_event ev  = { .events = EPOLLIN };
	int                watched = -1;

	timerfd_settime(tfd, 0, &its, NULL);
	ev.data.fd = shard_rpc_fd(rpc);
	epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev);
	ev.data.fd = tfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	ev.data.fd = sfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	ev.data.fd = sh_rep_feed_fd(s->feed);
	epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev);
	for (;;) {
		struct epoll_event evs[8];
		int                n;

		shard_watch_store(s, ep, &watched);
		n = epoll_wait(ep, evs, 8, -1);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == sfd) {
				shard_drain(s, ep, &watched);
				close(tfd);
				close(ep);
				return (0);
			}
			if (fd == tfd) {
				uint64_t ticks;

				if (read(tfd, &ticks, sizeof(ticks)) > 0) {
					shard_housekeeping(s);
				}
			} else if (fd == watched) {
				shard_world_store_io(s->world);
			} else if (fd == sh_rep_feed_fd(s->feed)) {
				shard_replica_drain(s->world, s->feed);
			} else {
				shard_rpc_drain(rpc, shard_world_batch,
				    s->world);
			}
		}
		/* Whatever this round gathered goes out now if the writer
		 * is free, else right after the group in flight. */
		shard_world_flush(s->world);
	}
}

int
main(void)
{
	shard_state s;
	cm_layout   layout;
	cm_metrics *metrics;
	cm_probe   *probe = NULL;
	shard_rpc  *rpc   = NULL;
	nng_socket  pub;
	sigset_t    mask;
	int         sfd, rv = 1;

	{
		char rerr[512];

		if (cm_rules_load(NULL, rerr, sizeof(rerr)) != CM_OK) {
			fprintf(stderr, "%s\n", rerr);
			return (2);
		}
	}
	memset(&s, 0, sizeof(s));
	cm_log_init("shard", -1);
	if (shard_config(&s.cfg) != CM_OK) {
		return (2);
	}
	cm_log_init("shard", (int) s.cfg.index);
	metrics = cm_metrics_new();
	if (cm_layout_init(&layout, (int) s.cfg.width, (int) s.cfg.height,
	        (int) s.cfg.count) != CM_OK ||
	    cm_stores_init(&s.stores, s.cfg.db_url, s.cfg.redis_addr,
	        metrics) != CM_OK) {
		cm_log_error("invalid layout or redis address", NULL);
		cm_metrics_free(metrics);
		return (2);
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);

	if (cm_probe_start(s.cfg.probe_addr, metrics, shard_ready, &s,
	        &probe) != CM_OK) {
		goto out;
	}
	cm_log_info("starting", "{s:i,s:i,s:s,s:s,s:s}", "shard_count",
	    (int) s.cfg.count, "schema_version", cm_pg_schema_version(),
	    "req_url", s.cfg.req_url, "pub_url", s.cfg.pub_url, "probe",
	    s.cfg.probe_addr);
	/* Subscribed before the first load: nothing committed after the
	 * load's queries goes by unseen. */
	if (sh_rep_feed_start(s.cfg.redis_addr, (int) s.cfg.index,
	        (int) s.cfg.width, (int) s.cfg.height, &s.feed) != CM_OK ||
	    shard_open_stores(&s, &layout, metrics, sfd) != CM_OK) {
		goto out;
	}
	if (nng_pub0_open(&pub) != 0 ||
	    nng_listen(pub, s.cfg.pub_url, NULL, 0) != 0) {
		cm_log_error("cannot listen", "{s:s}", "url", s.cfg.pub_url);
		goto out;
	}
	shard_world_set_pub(s.world, pub);
	if (shard_rpc_start(s.cfg.req_url, (int) s.cfg.nctx, &rpc) != CM_OK) {
		nng_close(pub);
		goto out;
	}
	cm_log_info("ready", NULL);
	rv = shard_loop(&s, rpc, sfd);
	cm_log_info("stopping", NULL);
	shard_rpc_stop(rpc);
	nng_close(pub);
out:
	cm_probe_stop(probe);
	sh_rep_feed_stop(s.feed);
	shard_world_free(s.world);
	cm_stores_fini(&s.stores);
	cm_metrics_free(metrics);
	close(sfd);
	return (rv);
}
