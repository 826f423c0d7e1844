/*
 * gw_auth.c: Sign-In with Ethereum, failing closed.
 *
 * Pending challenges live in Redis, in one hash per address,
 * "challenge:{address}" (lower-case), field = nonce, value =
 * "<expiry ms>|<message>".  Keeping several per address (at most
 * max_challenges, expired ones pruned on insert) means that nobody can
 * burn another player's pending challenge by asking for a new one in his
 * name.  Verification tries the address's unexpired messages, keeps the
 * one whose signature recovers to the address, re-parses it strictly and
 * checks every field against our configuration, and only then consumes it
 * with HDEL: HDEL returns 1 to exactly one caller, so a challenge is used
 * once even when two gateways race.  Failed attempts consume nothing.
 *
 * Any gateway replica can verify what another issued, because all the
 * state is in Redis and the JWT keys are shared configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "cm_eth.h"
#include "cm_hex.h"
#include "cm_jwt.h"
#include "cm_log.h"
#include "cm_siwe.h"
#include "cm_time.h"
#include "gw_auth.h"
#include "gw_ops.h"

/*
 * KEYS[1] challenge hash; ARGV: nonce, value, now ms, max, ttl ms.
 * Prunes expired entries, refuses when max are pending, else stores.
 */
static const char add_script[] =
    "local all = redis.call('HGETALL', KEYS[1])\n"
    "local now = tonumber(ARGV[3])\n"
    "local live = 0\n"
    "for i = 1, #all, 2 do\n"
    "  local exp = tonumber(string.match(all[i+1], '^(%d+)|'))\n"
    "  if exp == nil or exp <= now then\n"
    "    redis.call('HDEL', KEYS[1], all[i])\n"
    "  else live = live + 1 end\n"
    "end\n"
    "if live >= tonumber(ARGV[4]) then return 0 end\n"
    "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
    "redis.call('PEXPIRE', KEYS[1], ARGV[5])\n"
    "return 1\n";

static const char *const challenge_fields[] = { "address", NULL };
static const char *const verify_fields[]    = { "address", "signature",
	   NULL };

/* auth_address reads and checks the "address" member of o. */
static int
auth_address(gw_req *r, json_t *o, cm_eth_addr *a)
{
	json_t *v = json_object_get(o, "address");

	if (!json_is_string(v)) {
		gw_req_error(r, 400, "INVALID_ADDRESS",
		    "address must be a string");
		return (0);
	}
	if (cm_eth_addr_parse(json_string_value(v), json_string_length(v),
	        a) != CM_OK) {
		gw_req_error(r, 400, "INVALID_ADDRESS",
		    "address must be 0x and 20 hex bytes (EIP-55 if mixed "
		    "case)");
		return (0);
	}
	return (1);
}

static void
auth_key(const cm_eth_addr *a, char *key, size_t cap)
{
	char lower[43];

	cm_eth_addr_lower(a, lower);
	snprintf(key, cap, "challenge:%s", lower);
}

void
gw_auth_challenge(gw_req *r)
{
	gw_app     *app = gw_req_app(r);
	cm_redis   *redis;
	json_t     *o;
	cm_eth_addr a;
	cm_siwe     m;
	uint8_t     nb[12];
	char        msg[4096], key[64], value[4200], now_s[24], max_s[24],
	    ttl_s[24], exp_iso[25];
	size_t      mlen;
	int64_t     now = cm_time_now_ms();
	int64_t     exp = now + app->cfg.challenge_ttl_s * 1000;
	redisReply *rep;

	if ((o = gw_req_json(r, challenge_fields)) == NULL) {
		return;
	}
	if (!auth_address(r, o, &a)) {
		json_decref(o);
		return;
	}
	json_decref(o);
	memset(&m, 0, sizeof(m));
	snprintf(m.domain, sizeof(m.domain), "%s", app->cfg.siwe_domain);
	cm_eth_addr_checksum(&a, m.address);
	snprintf(m.statement, sizeof(m.statement), "%s",
	    app->cfg.siwe_statement);
	snprintf(m.uri, sizeof(m.uri), "%s", app->cfg.siwe_uri);
	snprintf(m.version, sizeof(m.version), "1");
	m.chain_id = (uint64_t) app->cfg.chain_id;
	randombytes_buf(nb, sizeof(nb));
	cm_hex_encode(nb, sizeof(nb), m.nonce);
	cm_time_format_iso(now, m.issued_at);
	cm_time_format_iso(exp, m.expiration_time);
	memcpy(exp_iso, m.expiration_time, sizeof(exp_iso));
	if (cm_siwe_build(&m, msg, sizeof(msg), &mlen) != CM_OK) {
		gw_req_error(r, 500, "INTERNAL", "cannot build challenge");
		return;
	}
	auth_key(&a, key, sizeof(key));
	snprintf(value, sizeof(value), "%lld|%s", (long long) exp, msg);
	snprintf(now_s, sizeof(now_s), "%lld", (long long) now);
	snprintf(max_s, sizeof(max_s), "%ld", app->cfg.max_challenges);
	snprintf(ttl_s, sizeof(ttl_s), "%ld", app->cfg.challenge_ttl_s * 1000);
	{
		const char *argv[] = { "EVAL", add_script, "1", key, m.nonce,
			value, now_s, max_s, ttl_s };

		redis = gw_ops_redis(app);
		if (redis == NULL ||
		    cm_redis_command(redis, 9, argv, NULL, &rep) != CM_OK) {
			gw_req_error(r, 503, "STORE_UNAVAILABLE",
			    "challenge store unreachable");
			return;
		}
	}
	if (rep->type != REDIS_REPLY_INTEGER) {
		cm_log_error("challenge script failed", "{s:s}", "error",
		    rep->type == REDIS_REPLY_ERROR ? rep->str : "?");
		freeReplyObject(rep);
		gw_req_error(r, 503, "STORE_UNAVAILABLE",
		    "challenge store failed");
		return;
	}
	if (rep->integer != 1) {
		freeReplyObject(rep);
		gw_req_error(r, 429, "TOO_MANY_CHALLENGES",
		    "too many pending challenges for this address");
		return;
	}
	freeReplyObject(rep);
	gw_req_reply(r, 200,
	    json_pack("{s:s#,s:s}", "challenge", msg, (int) mlen, "expiresAt",
	        exp_iso));
}

/*
 * auth_check_message re-reads an issued message strictly and checks it as
 * EIP-4361's verifier steps say.  Returns NULL when good, else an error
 * code with *why set.
 */
static const char *
auth_check_message(gw_app *app, const char *msg, size_t len,
    const cm_eth_addr *a, const char **why)
{
	cm_siwe     m;
	cm_eth_addr ma;
	int64_t     now = cm_time_now_ms(), t;
	int64_t     skew = app->cfg.clock_skew_s * 1000;
	int         chain_ok = 0;

	if (cm_siwe_parse(msg, len, &m) != CM_OK ||
	    cm_eth_addr_parse(m.address, strlen(m.address), &ma) != CM_OK ||
	    memcmp(ma.b, a->b, 20) != 0) {
		*why = "challenge does not parse or names another address";
		return ("INVALID_CHALLENGE");
	}
	if (strcmp(m.domain, app->cfg.siwe_domain) != 0 ||
	    strcmp(m.uri, app->cfg.siwe_uri) != 0 ||
	    strcmp(m.version, "1") != 0 || m.scheme[0] != '\0') {
		*why = "challenge domain, URI or version is not ours";
		return ("INVALID_CHALLENGE");
	}
	for (int i = 0; i < app->cfg.nchain_ids; i++) {
		chain_ok |= app->cfg.chain_ids[i] == m.chain_id;
	}
	if (!chain_ok) {
		*why = "chain id not allowed";
		return ("INVALID_CHALLENGE");
	}
	if (cm_time_parse_rfc3339(m.issued_at, strlen(m.issued_at), &t) !=
	        CM_OK ||
	    t > now + skew) {
		*why = "issued-at is in the future";
		return ("INVALID_CHALLENGE");
	}
	if (t < now - app->cfg.challenge_ttl_s * 1000 - skew) {
		*why = "issued-at is older than a challenge lives";
		return ("CHALLENGE_EXPIRED");
	}
	if (m.expiration_time[0] == '\0' ||
	    cm_time_parse_rfc3339(m.expiration_time,
	        strlen(m.expiration_time), &t) != CM_OK) {
		*why = "a challenge must carry an expiration time";
		return ("INVALID_CHALLENGE");
	}
	if (t <= now) {
		*why = "challenge expired";
		return ("CHALLENGE_EXPIRED");
	}
	if (m.not_before[0] != '\0' &&
	    (cm_time_parse_rfc3339(m.not_before, strlen(m.not_before), &t) !=
	            CM_OK ||
	        t > now + skew)) {
		*why = "challenge not valid yet";
		return ("INVALID_CHALLENGE");
	}
	return (NULL);
}

/*
 * auth_find picks, among the pending challenges in rep (HGETALL), the one
 * whose message the signature recovers to address a.  Returns its index
 * (field at i, value at i + 1) or -1; *live counts unexpired entries.
 */
static int
auth_find(const redisReply *rep, const uint8_t sig[65], const cm_eth_addr *a,
    int *live)
{
	int64_t now = cm_time_now_ms();

	*live = 0;
	for (size_t i = 0; i + 1 < rep->elements; i += 2) {
		const redisReply *v = rep->element[i + 1];
		char             *bar;
		cm_eth_addr       got;
		long long         exp;

		if (v->type != REDIS_REPLY_STRING ||
		    (bar = memchr(v->str, '|', v->len)) == NULL) {
			continue;
		}
		exp = strtoll(v->str, NULL, 10);
		if (exp <= now) {
			continue;
		}
		(*live)++;
		if (cm_eth_personal_recover(bar + 1,
		        v->len - (size_t) (bar + 1 - v->str), sig,
		        &got) == CM_OK &&
		    memcmp(got.b, a->b, 20) == 0) {
			return ((int) i);
		}
	}
	return (-1);
}

static void
auth_issue(gw_req *r, const cm_eth_addr *a)
{
	gw_app *app = gw_req_app(r);
	char    tok[1024], lower[43], exp_iso[25];
	int64_t now = cm_time_now_ms() / 1000;
	int64_t exp = now + app->cfg.jwt_ttl_s;

	cm_eth_addr_lower(a, lower);
	if (cm_jwt_issue(app->jwt, lower, now, exp, tok, sizeof(tok)) !=
	    CM_OK) {
		gw_req_error(r, 500, "INTERNAL", "cannot issue token");
		return;
	}
	cm_time_format_iso(exp * 1000, exp_iso);
	cm_log_info("signed in", "{s:s}", "address", lower);
	gw_req_reply(r, 200,
	    json_pack("{s:s,s:s}", "token", tok, "expiresAt", exp_iso));
}

void
gw_auth_verify(gw_req *r)
{
	gw_app     *app = gw_req_app(r);
	cm_redis   *redis = gw_ops_redis(app);
	json_t     *o, *sv;
	cm_eth_addr a;
	uint8_t     sig[65];
	char        key[64];
	redisReply *rep, *del;
	int         idx, live, ok;
	const char *code, *why;

	if ((o = gw_req_json(r, verify_fields)) == NULL) {
		return;
	}
	if (!auth_address(r, o, &a)) {
		json_decref(o);
		return;
	}
	sv = json_object_get(o, "signature");
	ok = json_is_string(sv) &&
	    cm_eth_sig_parse(json_string_value(sv), json_string_length(sv),
	        sig) == CM_OK;
	json_decref(o);
	if (!ok) {
		gw_req_error(r, 400, "INVALID_SIGNATURE",
		    "signature must be 0x and 65 hex bytes");
		return;
	}
	auth_key(&a, key, sizeof(key));
	{
		const char *argv[] = { "HGETALL", key };

		if (redis == NULL ||
		    cm_redis_command(redis, 2, argv, NULL, &rep) != CM_OK) {
			gw_req_error(r, 503, "STORE_UNAVAILABLE",
			    "challenge store unreachable");
			return;
		}
	}
	if (rep->type != REDIS_REPLY_ARRAY) {
		freeReplyObject(rep);
		gw_req_error(r, 503, "STORE_UNAVAILABLE",
		    "challenge store failed");
		return;
	}
	idx = auth_find(rep, sig, &a, &live);
	if (idx < 0) {
		freeReplyObject(rep);
		if (live == 0) {
			gw_req_error(r, 401, "CHALLENGE_NOT_FOUND",
			    "no pending challenge: expired or already used");
		} else {
			gw_req_error(r, 401, "INVALID_SIGNATURE",
			    "signature does not match a pending challenge");
		}
		return;
	}
	{
		const redisReply *v   = rep->element[idx + 1];
		const char       *bar = memchr(v->str, '|', v->len);

		code = auth_check_message(app, bar + 1,
		    v->len - (size_t) (bar + 1 - v->str), &a, &why);
	}
	if (code != NULL) {
		freeReplyObject(rep);
		gw_req_error(r, 401, code, why);
		return;
	}
	{
		const char *argv[] = { "HDEL", key, rep->element[idx]->str };
		size_t      lens[] = { 4, strlen(key), rep->element[idx]->len };

		if (cm_redis_command(redis, 3, argv, lens, &del) != CM_OK) {
			freeReplyObject(rep);
			gw_req_error(r, 503, "STORE_UNAVAILABLE",
			    "challenge store unreachable");
			return;
		}
	}
	freeReplyObject(rep);
	ok = del->type == REDIS_REPLY_INTEGER && del->integer == 1;
	freeReplyObject(del);
	if (!ok) {
		gw_req_error(r, 401, "CHALLENGE_USED",
		    "challenge was already used");
		return;
	}
	auth_issue(r, &a);
}

const char *
gw_auth_token(gw_app *app, const char *tok, size_t len, char player[43],
    const char **msg)
{
	cm_jwt_claims c;
	cm_eth_addr   a;
	cm_err        rv;

	if (tok == NULL || len == 0) {
		*msg = "a bearer token is required";
		return ("UNAUTHORIZED");
	}
	rv = cm_jwt_verify(app->jwt, tok, len, cm_time_now_ms() / 1000, &c);
	if (rv == CM_EEXPIRED) {
		*msg = "token expired";
		return ("TOKEN_EXPIRED");
	}
	if (rv != CM_OK ||
	    cm_eth_addr_parse(c.sub, strlen(c.sub), &a) != CM_OK) {
		*msg = "token is not valid";
		return ("INVALID_TOKEN");
	}
	cm_eth_addr_lower(&a, player);
	return (NULL);
}

int
gw_auth_bearer(gw_req *r, char player[43])
{
	const char *h = gw_req_header(r, "Authorization");
	const char *tok = NULL, *code, *msg;
	size_t      len = 0;

	/* The scheme is case-insensitive (RFC 7235 section 2.1). */
	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0) {
		tok = h + 7;
		len = strlen(tok);
	}
	code = gw_auth_token(gw_req_app(r), tok, len, player, &msg);
	if (code != NULL) {
		gw_req_set_header(r, "WWW-Authenticate", "Bearer");
		gw_req_error(r, 401, code, msg);
		return (0);
	}
	return (1);
}
