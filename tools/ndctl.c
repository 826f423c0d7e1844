/*
 * ndctl.c: the operators' command-line tool.
 *
 *	ndctl status [--json]
 *	ndctl register ...; ndctl generation ... (ndctl_game.c)
 *	ndctl replay COMBAT_ID (ndctl_replay.c)
 *
 * asks every process of a cluster for /healthz and /readyz and prints one
 * line each; exits 0 when every process is ready, 1 otherwise.  It finds
 * the processes from the same environment variables the processes read
 * (SHARD_COUNT, SHARD_PROBE_ADDR and SHARD_PROBE_PORT_BASE, GATEWAY_HTTP_ADDRS
 * or GATEWAY_HTTP_ADDR, BRIDGE_PROBE_ADDR), so it works unchanged against
 * the local cluster and, given the service names, inside Kubernetes.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_addr.h"
#include "cm_config.h"
#include "cm_rules.h"
#include "curl_body.h"
#include "ndctl_game.h"

/* ctl_get fetches http://addr/path; returns the status, 0 when down. */
static long
ctl_get(const char *addr, const char *path, curl_body *b)
{
	CURL *c = curl_easy_init();
	char  url[300];
	long  code = 0;

	curl_body_reset(b);
	snprintf(url, sizeof(url), "http://%s%s", addr, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1500L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, curl_body_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	if (curl_easy_perform(c) == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	}
	curl_easy_cleanup(c);
	return (code);
}

/* ctl_one probes one process; returns 1 when it is ready. */
static int
ctl_one(const char *name, const char *addr, json_t *out)
{
	curl_body    b;
	long         h = ctl_get(addr, "/healthz", &b);
	long         r = ctl_get(addr, "/readyz", &b);
	json_t      *body = json_loads(b.data, 0, NULL);
	const char  *why = json_string_value(json_object_get(body, "reason"));
	const char  *health = h == 200 ? "up" : "down";
	const char  *ready  = r == 200 ? "ready" : "not-ready";

	if (out != NULL) {
		json_array_append_new(out,
		    json_pack("{s:s,s:s,s:s,s:s,s:s?}", "name", name, "addr",
		        addr, "health", health, "ready", ready, "reason", why));
	} else {
		printf("%-10s %-22s %-5s %-10s %s\n", name, addr, health,
		    ready, why ? why : "");
	}
	json_decref(body);
	return (r == 200);
}

static int
ctl_status(int as_json)
{
	long    shards, base;
	int     ok = 1;
	json_t *out = as_json ? json_array() : NULL;
	const char *gws;

	if (cm_env_long("SHARD_COUNT", 4, 1, 4096, &shards) ||
	    cm_env_long("SHARD_PROBE_PORT_BASE", 17300, 1, 65535, &base)) {
		return (2);
	}
	if (!as_json) {
		printf("%-10s %-22s %-5s %-10s %s\n", "PROCESS", "ADDRESS",
		    "UP", "READY", "REASON");
	}
	gws = cm_env_str("GATEWAY_HTTP_ADDRS",
	    cm_env_str("GATEWAY_HTTP_ADDR", "127.0.0.1:8080"));
	for (int i = 0; *gws != '\0'; i++) {
		char   name[32], addr[128];
		size_t n = strcspn(gws, ",");

		snprintf(name, sizeof(name), "gateway-%d", i);
		snprintf(addr, sizeof(addr), "%.*s", (int) n, gws);
		ok &= ctl_one(name, addr, out);
		gws += n + (gws[n] == ',');
	}
	for (int i = 0; i < shards; i++) {
		char name[32], addr[128];

		snprintf(name, sizeof(name), "shard-%d", i);
		if (cm_addr_expand(cm_env_str("SHARD_PROBE_ADDR",
		                       "127.0.0.1:{port}"),
		        i, (int) base, addr, sizeof(addr)) != CM_OK) {
			return (2);
		}
		ok &= ctl_one(name, addr, out);
	}
	ok &= ctl_one("bridge",
	    cm_env_str("BRIDGE_PROBE_ADDR", "127.0.0.1:17290"), out);
	if (out != NULL) {
		char *s = json_dumps(out, JSON_INDENT(2));

		puts(s);
		free(s);
		json_decref(out);
	}
	return (ok ? 0 : 1);
}

static void
ctl_usage(void)
{
	fprintf(stderr,
	    "usage: ndctl status [--json]\n"
	    "       ndctl register ADDRESS RACE CAPTAIN_NAME [--class NAME]"
	    " [--skill A|B] [--premium]\n"
	    "       ndctl generation start [--seed N] [--days N] | end\n"
	    "       ndctl replay COMBAT_ID\n");
}

int
main(int argc, char **argv)
{
	int rv;

	{
		char rerr[512];

		if (cm_rules_load(NULL, rerr, sizeof(rerr)) != CM_OK) {
			fprintf(stderr, "%s\n", rerr);
			return (2);
		}
	}
	if (argc >= 2 && strcmp(argv[1], "register") == 0) {
		return (ctl_register(argc, argv));
	}
	if (argc >= 2 && strcmp(argv[1], "generation") == 0) {
		return (ctl_generation(argc, argv));
	}
	if (argc >= 2 && strcmp(argv[1], "replay") == 0) {
		return (ctl_replay(argc, argv));
	}
	if (argc < 2 || strcmp(argv[1], "status") != 0 ||
	    (argc == 3 && strcmp(argv[2], "--json") != 0) || argc > 3) {
		ctl_usage();
		return (2);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rv = ctl_status(argc == 3);
	curl_global_cleanup();
	return (rv);
}
