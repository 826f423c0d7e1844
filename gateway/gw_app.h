/*
 * gw_app.h: what every part of the gateway shares: its configuration and
 * the long-lived handles built at start.  Created once by gw_main before
 * any server thread starts and read-only afterwards (the handles inside are
 * thread-safe themselves).
 */
#ifndef GW_APP_H
#define GW_APP_H

#include <pthread.h>
#include <stdint.h>

#include "cm_jwt.h"
#include "cm_map.h"
#include "cm_metrics.h"
#include "gw_clientaddr.h"
#include "gw_shard.h"

typedef struct gw_config {
	const char *http_addr;    /* GATEWAY_HTTP_ADDR */
	const char *ws_addr;      /* GATEWAY_WS_ADDR */
	const char *redis_addr;   /* REDIS_ADDR */
	const char *siwe_domain;  /* SIWE_DOMAIN */
	const char *siwe_uri;     /* SIWE_URI */
	const char *siwe_statement;
	uint64_t    chain_ids[16]; /* SIWE_CHAIN_IDS: the allow-list */
	int         nchain_ids;
	long        chain_id;      /* CHAIN_ID: put in new challenges */
	long        http_threads;  /* GATEWAY_HTTP_THREADS */
	long        body_limit;    /* GATEWAY_BODY_LIMIT */
	long        shard_timeout_ms;
	long        challenge_ttl_s;
	long        max_challenges; /* pending challenges per address */
	long        jwt_ttl_s;
	long        clock_skew_s;
	long        ws_max_message;
	long        rate_scale;    /* ND_RATE_LIMIT_SCALE */
	gw_cidr     proxies[GW_MAX_PROXIES]; /* GATEWAY_TRUSTED_PROXIES */
	int         nproxies;
} gw_config;

struct gw_maps; /* terrain per generation, gw_map.c */

typedef struct gw_app {
	gw_config     cfg;
	cm_layout     layout;
	gw_shard     *shards;
	cm_jwt_keys  *jwt;
	cm_metrics   *metrics;
	cm_metric    *m_requests;  /* by route, status */
	cm_metric    *m_errors;    /* by code */
	cm_metric    *m_latency;   /* by route */
	cm_metric    *m_conns;     /* by kind: http, ws */
	cm_metric    *m_rl_unavailable; /* rate limits not checked, by limit */
	pthread_key_t redis_key;   /* each server thread's cm_redis */
	struct gw_maps *maps;      /* thread-safe */
} gw_app;

#endif
