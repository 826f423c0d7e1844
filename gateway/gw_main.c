/*
 * gw_main.c: the gateway process.
 *
 * Stateless: everything it must share with its replicas (challenges, and
 * later rate limits and revocations) is in Redis; the JWT keys are shared
 * configuration.  The main thread only starts the servers and waits for
 * SIGINT/SIGTERM; the REST server runs on libmicrohttpd's thread pool, the
 * WebSocket server on its own thread, and shard replies on nng's threads.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_config.h"
#include "cm_log.h"
#include "cm_rules.h"
#include "gw_app.h"
#include "gw_http.h"
#include "gw_map.h"
#include "gw_ops.h"
#include "gw_route.h"
#include "gw_shard.h"
#include "gw_ws.h"

static cm_err
gw_chain_ids(gw_config *c, const char *list)
{
	const char *p = list;

	c->nchain_ids = 0;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		long   v;

		if (c->nchain_ids == 16 ||
		    cm_parse_long(p, n, 1, 9007199254740991L, &v) != CM_OK) {
			cm_log_error("invalid SIWE_CHAIN_IDS", "{s:s}", "value",
			    list);
			return (CM_ECONFIG);
		}
		c->chain_ids[c->nchain_ids++] = (uint64_t) v;
		p += n;
		if (*p == ',') {
			p++;
		}
	}
	return (c->nchain_ids > 0 ? CM_OK : CM_ECONFIG);
}

static cm_err
gw_config_load(gw_config *c, long *shards, long *w, long *h, long *req_base,
    long *pool, long *carriers)
{
	c->http_addr   = cm_env_str("GATEWAY_HTTP_ADDR", "127.0.0.1:8080");
	c->ws_addr     = cm_env_str("GATEWAY_WS_ADDR", "127.0.0.1:8081");
	c->redis_addr  = cm_env_str("REDIS_ADDR", "127.0.0.1:17379");
	c->siwe_domain = cm_env_str("SIWE_DOMAIN", c->http_addr);
	c->siwe_uri    = cm_env_str("SIWE_URI", "http://127.0.0.1:8080");
	c->siwe_statement = cm_env_str("SIWE_STATEMENT",
	    "Sign in to Nemeth's Domain.");
	if (cm_env_long("CHAIN_ID", 31337, 1, 9007199254740991L,
	        &c->chain_id) ||
	    cm_env_long("GATEWAY_HTTP_THREADS", 2, 1, 64, &c->http_threads) ||
	    cm_env_long("GATEWAY_BODY_LIMIT", 16384, 64, 1 << 20,
	        &c->body_limit) ||
	    cm_env_long("GATEWAY_SHARD_TIMEOUT_MS", 1000, 10, 60000,
	        &c->shard_timeout_ms) ||
	    cm_env_long("CHALLENGE_TTL_S", 300, 10, 3600,
	        &c->challenge_ttl_s) ||
	    cm_env_long("CHALLENGE_MAX_PENDING", 8, 1, 64,
	        &c->max_challenges) ||
	    cm_env_long("JWT_TTL_S", 86400, 60, 30 * 86400, &c->jwt_ttl_s) ||
	    cm_env_long("SIWE_CLOCK_SKEW_S", 60, 0, 600, &c->clock_skew_s) ||
	    cm_env_long("GATEWAY_WS_MAX_MESSAGE", 65536, 128, 1 << 24,
	        &c->ws_max_message) ||
	    cm_env_long("SHARD_COUNT", 4, 1, 4096, shards) ||
	    cm_env_long("MAP_WIDTH", 100, 1, 4096, w) ||
	    cm_env_long("MAP_HEIGHT", 100, 1, 4096, h) ||
	    cm_env_long("SHARD_REQ_PORT_BASE", 17100, 1, 65535, req_base) ||
	    cm_env_long("GATEWAY_SHARD_POOL", 512, 1, 65536, pool) ||
	    cm_env_long("GATEWAY_SHARD_BATCHES", 2, 1, 256, carriers) ||
	    cm_env_long("ND_RATE_LIMIT_SCALE", 1, 1, 1000000,
	        &c->rate_scale) ||
	    gw_chain_ids(c, cm_env_str("SIWE_CHAIN_IDS", "8453,84532,31337"))) {
		return (CM_ECONFIG);
	}
	if (gw_cidr_list_parse(cm_env_str("GATEWAY_TRUSTED_PROXIES", ""),
	        c->proxies, GW_MAX_PROXIES, &c->nproxies) != CM_OK) {
		cm_log_error("invalid GATEWAY_TRUSTED_PROXIES (a comma list of "
		             "at most 32 addresses or CIDR blocks)",
		    NULL);
		return (CM_ECONFIG);
	}
	for (int i = 0; gw_rate_limit_names[i] != NULL; i++) {
		if (cm_rules_rate_limit(gw_rate_limit_names[i]) == NULL) {
			cm_log_error("the rules file has no rate limit the "
			             "gateway charges",
			    "{s:s}", "limit", gw_rate_limit_names[i]);
			return (CM_ECONFIG);
		}
	}
	return (CM_OK);
}

static void
gw_metrics_init(gw_app *app)
{
	static const double lat[] = { 0.0005, 0.001, 0.002, 0.005, 0.01,
		0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };

	app->metrics    = cm_metrics_new();
	app->m_requests = cm_metrics_counter(app->metrics,
	    "nd_http_requests_total", "HTTP requests by route and status",
	    "route,status");
	app->m_errors   = cm_metrics_counter(app->metrics,
            "nd_errors_total", "Errors answered, by error code", "code");
	app->m_latency  = cm_metrics_histogram(app->metrics,
            "nd_http_request_duration_seconds",
            "HTTP request latency by route", "route", lat,
            sizeof(lat) / sizeof(lat[0]));
	app->m_rl_unavailable = cm_metrics_counter(app->metrics,
	    "nd_rate_limit_unavailable_total",
	    "Requests let through unchecked because Redis did not answer, "
	    "by limit",
	    "limit");
	app->m_conns    = cm_metrics_gauge(app->metrics,
            "nd_active_connections", "Open client connections by kind",
            "kind");
}

int
main(void)
{
	gw_app      app;
	gw_http    *http = NULL;
	gw_ws      *ws   = NULL;
	char       *keys = NULL;
	long        shards, w, h, req_base, pool, carriers;
	sigset_t    mask;
	int         sig, rv = 1;

	{
		char rerr[512];

		if (cm_rules_load(NULL, rerr, sizeof(rerr)) != CM_OK) {
			fprintf(stderr, "%s\n", rerr);
			return (2);
		}
	}
	memset(&app, 0, sizeof(app));
	cm_log_init("gateway", -1);
	if (gw_config_load(&app.cfg, &shards, &w, &h, &req_base, &pool,
	        &carriers) !=
	        CM_OK ||
	    cm_layout_init(&app.layout, (int) w, (int) h, (int) shards) !=
	        CM_OK) {
		cm_log_error("invalid configuration", NULL);
		return (2);
	}
	if (cm_read_secret("JWT_KEYS", &keys) != CM_OK ||
	    cm_jwt_keys_parse(keys, &app.jwt) != CM_OK) {
		cm_log_error("JWT_KEYS (or JWT_KEYS_FILE) must hold "
		             "kid:hexsecret[,kid:hexsecret...] with secrets of "
		             "32 bytes or more",
		    NULL);
		free(keys);
		return (2);
	}
	explicit_bzero(keys, strlen(keys));
	free(keys);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, NULL); /* threads inherit this */
	signal(SIGPIPE, SIG_IGN);

	gw_metrics_init(&app);
	gw_ops_init(&app);
	app.maps = gw_maps_new();
	if (gw_shard_open((int) shards,
	        cm_env_str("SHARD_REQ_URL", "tcp://127.0.0.1:{port}"),
	        (int) req_base, (int) carriers, (int) pool,
	        (int) app.cfg.shard_timeout_ms,
	        &app.shards) != CM_OK ||
	    gw_http_start(&app, &http) != CM_OK ||
	    gw_ws_start(&app, &ws) != CM_OK) {
		goto out;
	}
	cm_log_info("ready", "{s:s,s:s,s:i}", "http", app.cfg.http_addr, "ws",
	    app.cfg.ws_addr, "shards", (int) shards);
	sigwait(&mask, &sig);
	cm_log_info("stopping", "{s:i}", "signal", sig);
	rv = 0;
out:
	gw_ws_stop(ws);
	/* Closing the shard client fails deferred requests at once. */
	gw_shard_close(app.shards);
	gw_http_stop(http);
	cm_jwt_keys_free(app.jwt);
	cm_metrics_free(app.metrics);
	gw_maps_free(app.maps);
	return (rv);
}
