/*
 * gw_ratelimit.h: the rules' rate limits (rules/rules.json "rate_limits",
 * the seed's table), held in Redis so that they bind every gateway
 * replica together.
 *
 * Each limit is a GCRA (the generic cell rate algorithm, a leaky bucket
 * kept as one timestamp): a subject may send `limit` requests at once,
 * then one every window/limit; a refused request costs nothing.  One Lua
 * script checks and charges atomically, on Redis's clock, both the
 * subject's key and, for a limit with a global ceiling, the ceiling's key
 * (Redis keys "ratelimit:<name>:<subject>" and "ratelimit:<name>:*"; in a
 * Redis Cluster both would need one hash slot).  ND_RATE_LIMIT_SCALE
 * multiplies every limit and ceiling (load tests and benchmarks).
 */
#ifndef GW_RATELIMIT_H
#define GW_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "cm_redis.h"
#include "cm_rules.h"
#include "gw_http.h"

typedef enum gw_rl_verdict {
	GW_RL_ALLOW = 0,
	GW_RL_DENY,        /* *retry_ms says when to try again */
	GW_RL_UNAVAILABLE, /* Redis could not answer */
} gw_rl_verdict;

/*
 * gw_ratelimit_charge charges one request of subject to limit l, with
 * every number multiplied by scale.  On GW_RL_DENY, *retry_ms is how long
 * until the request would be allowed (at least 1).
 */
gw_rl_verdict gw_ratelimit_charge(cm_redis *rd, const cm_rate_limit *l,
    long scale, const char *subject, int64_t *retry_ms);

/*
 * gw_req_limit charges r to the limit named name, for the signed-in
 * player (scope "player") or the client's address (scope "ip",
 * gw_clientaddr.h).  Returns true when r may go on.  Otherwise it has
 * answered 429 RATE_LIMITED with Retry-After (whole seconds, rounded up).
 * When Redis cannot answer the request goes on (the limits fail open: a
 * Redis outage does not stop the game) and the miss is logged and counted
 * (nd_rate_limit_unavailable_total).
 */
bool gw_req_limit(gw_req *r, const char *name);

#endif
