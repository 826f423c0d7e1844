/* gw_ratelimit.c: the rules' rate limits, one GCRA in Redis per subject. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "cm_log.h"
#include "cm_time.h"
#include "gw_app.h"
#include "gw_ops.h"
#include "gw_ratelimit.h"

/*
 * KEYS[1] the subject's key, KEYS[2] the ceiling's (optional); ARGV[1]
 * the window in microseconds, ARGV[2] the subject's interval (window /
 * limit), ARGV[3] the ceiling's.  A key holds its theoretical arrival
 * time (TAT) in microseconds of Redis's clock.  A request is allowed when
 * max(TAT, now) + interval - now <= window on every key; it then stores
 * the new TATs, which expire when they would be in the past.  Returns 0
 * (allowed) or the microseconds to wait.
 */
static const char script[] =
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
    "local win = tonumber(ARGV[1])\n"
    "local tats, wait = {}, 0\n"
    "for i = 1, #KEYS do\n"
    "  local v = tonumber(redis.call('GET', KEYS[i]) or '0') or 0\n"
    "  if v < now then v = now end\n"
    "  tats[i] = v + tonumber(ARGV[i + 1])\n"
    "  local w = tats[i] - now - win\n"
    "  if w > wait then wait = w end\n"
    "end\n"
    "if wait > 0 then return math.ceil(wait) end\n"
    "for i = 1, #KEYS do\n"
    "  redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX',\n"
    "    math.ceil((tats[i] - now) / 1000) + 1)\n"
    "end\n"
    "return 0\n";

/* interval_us: the GCRA's emission interval of limit per window. */
static int64_t
interval_us(int window_seconds, int64_t limit)
{
	int64_t us = (int64_t) window_seconds * 1000000 / (limit > 0 ? limit : 1);

	return (us > 0 ? us : 1);
}

gw_rl_verdict
gw_ratelimit_charge(cm_redis *rd, const cm_rate_limit *l, long scale,
    const char *subject, int64_t *retry_ms)
{
	char        key[160], gkey[96], win[24], iv[24], giv[24];
	const char *argv[8];
	size_t      lens[8];
	int         argc = 0;
	redisReply *rep  = NULL;
	gw_rl_verdict v  = GW_RL_UNAVAILABLE;

	*retry_ms = 0;
	snprintf(key, sizeof(key), "ratelimit:%s:%s", l->name, subject);
	snprintf(gkey, sizeof(gkey), "ratelimit:%s:*", l->name);
	snprintf(win, sizeof(win), "%" PRId64,
	    (int64_t) l->window_seconds * 1000000);
	snprintf(iv, sizeof(iv), "%" PRId64,
	    interval_us(l->window_seconds, (int64_t) l->limit * scale));
	snprintf(giv, sizeof(giv), "%" PRId64,
	    interval_us(l->window_seconds, (int64_t) l->global_limit * scale));
	argv[argc++] = "EVAL";
	argv[argc++] = script;
	argv[argc++] = l->global_limit > 0 ? "2" : "1";
	argv[argc++] = key;
	if (l->global_limit > 0) {
		argv[argc++] = gkey;
	}
	argv[argc++] = win;
	argv[argc++] = iv;
	argv[argc++] = giv;
	for (int i = 0; i < argc; i++) {
		lens[i] = strlen(argv[i]);
	}
	if (cm_redis_command(rd, argc, argv, lens, &rep) != CM_OK) {
		return (GW_RL_UNAVAILABLE);
	}
	if (rep->type == REDIS_REPLY_INTEGER) {
		if (rep->integer <= 0) {
			v = GW_RL_ALLOW;
		} else {
			v         = GW_RL_DENY;
			*retry_ms = (rep->integer + 999) / 1000;
		}
	} else {
		cm_log_warn("rate limit script failed", "{s:s,s:s}", "limit",
		    l->name, "reply",
		    rep->type == REDIS_REPLY_ERROR ? rep->str : "not an integer");
	}
	freeReplyObject(rep);
	return (v);
}

bool
gw_req_limit(gw_req *r, const char *name)
{
	gw_app              *app = gw_req_app(r);
	const cm_rate_limit *l   = cm_rules_rate_limit(name);
	cm_redis            *rd  = gw_ops_redis(app);
	const char          *subject;
	int64_t              retry_ms;
	gw_rl_verdict        v;
	char                 secs[24], msg[160];

	if (l == NULL) {
		/* gw_ratelimit names are checked at start (gw_main). */
		return (true);
	}
	subject = l->scope == CM_RATE_IP ? gw_req_client(r) : gw_req_player(r);
	v = rd != NULL ? gw_ratelimit_charge(rd, l, app->cfg.rate_scale,
	                     subject, &retry_ms)
	               : GW_RL_UNAVAILABLE;
	if (v == GW_RL_ALLOW) {
		return (true);
	}
	if (v == GW_RL_UNAVAILABLE) {
		static _Atomic int64_t last_log;
		int64_t                now = cm_time_mono_ns(), prev;

		cm_metric_inc(app->m_rl_unavailable, name, 1);
		prev = atomic_load(&last_log);
		/* One line per 10 s, not one per request of an outage. */
		if (now - prev > 10 * INT64_C(1000000000) &&
		    atomic_compare_exchange_strong(&last_log, &prev, now)) {
			cm_log_warn("rate limits not checked: Redis unavailable",
			    "{s:s}", "limit", name);
		}
		return (true);
	}
	snprintf(secs, sizeof(secs), "%" PRId64, (retry_ms + 999) / 1000);
	snprintf(msg, sizeof(msg),
	    "over the limit of %s (%ld a %d s window): retry in %s s", name,
	    (long) l->limit * app->cfg.rate_scale, l->window_seconds, secs);
	gw_req_set_header(r, "Retry-After", secs);
	gw_req_error(r, 429, "RATE_LIMITED", msg);
	return (false);
}
