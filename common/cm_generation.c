/*
 * cm_generation.c: generation rows.
 *
 * Starting a generation takes a transaction-level advisory lock, so two
 * operators (or an operator and the bridge) starting at once open two
 * consecutive generations rather than failing half-way.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_generation.h"
#include "cm_hex.h"
#include "cm_keccak.h"
#include "cm_log.h"

#define GEN_LOCK 0x4e444745 /* "NDGE" */
#define DAY_MS (86400LL * 1000)

/* gen_exec runs one statement with text parameters; 1 when it succeeded. */
static int
gen_exec(PGconn *c, const char *sql, int n, const char *const *params,
    PGresult **out)
{
	PGresult      *r  = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		cm_log_error("generation statement failed", "{s:s}", "error",
		    PQresultErrorMessage(r));
		PQclear(r);
		return (0);
	}
	if (out != NULL) {
		*out = r;
	} else {
		PQclear(r);
	}
	return (1);
}

/*
 * gen_secret makes a fresh secret and its Keccak-256, both as bytea text
 * parameters ("\\x" + hex).  The caller wipes hsec after use.
 */
static void
gen_secret(char hsec[67], char hhash[67])
{
	uint8_t secret[32], hash[32];

	randombytes_buf(secret, sizeof(secret));
	cm_keccak256(secret, sizeof(secret), hash);
	memcpy(hsec, "\\x", 2);
	cm_hex_encode(secret, 32, hsec + 2);
	memcpy(hhash, "\\x", 2);
	cm_hex_encode(hash, 32, hhash + 2);
	sodium_memzero(secret, sizeof(secret));
}

/*
 * gen_insert inserts generation 1 if there is none (first), or the next
 * generation (highest id + 1), with a fresh secret.  *out is the new id,
 * left alone when nothing was inserted.
 */
static int
gen_insert(PGconn *c, uint64_t seed, int w, int h, int first,
    uint32_t *out)
{
	char        sseed[24], sw[16], sh[16], hsec[67], hhash[67];
	const char *p[5] = { sseed, sw, sh, hsec, hhash };
	PGresult   *r;
	int         ok;

	gen_secret(hsec, hhash);
	snprintf(sseed, sizeof(sseed), "%lld", (long long) (seed & INT64_MAX));
	snprintf(sw, sizeof(sw), "%d", w);
	snprintf(sh, sizeof(sh), "%d", h);
	ok = gen_exec(c,
	    first ? "INSERT INTO generations (id, map_seed, map_width,"
	            " map_height, ends_at, secret, secret_hash)"
	            " VALUES (1, $1, $2, $3, NOW() + INTERVAL '50 days',"
	            " $4, $5) ON CONFLICT DO NOTHING RETURNING id"
	          : "INSERT INTO generations (id, map_seed, map_width,"
	            " map_height, ends_at, secret, secret_hash)"
	            " SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3,"
	            " NOW() + INTERVAL '50 days', $4, $5 FROM generations"
	            " RETURNING id",
	    5, p, &r);
	sodium_memzero(hsec, sizeof(hsec));
	if (!ok) {
		return (0);
	}
	if (out != NULL && PQntuples(r) == 1) {
		*out = (uint32_t) strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	}
	PQclear(r);
	return (1);
}

cm_err
cm_generation_first(PGconn *c, uint64_t seed, int w, int h)
{
	char        hsec[67], hhash[67];
	const char *p[2] = { hsec, hhash };
	int         ok;

	if (!gen_insert(c, seed, w, h, 1, NULL)) {
		return (CM_EDB);
	}
	/* An open generation made before secrets existed gets one now. */
	gen_secret(hsec, hhash);
	ok = gen_exec(c,
	    "UPDATE generations SET secret = $1, secret_hash = $2"
	    " WHERE ended_at IS NULL AND secret IS NULL",
	    2, p, NULL);
	sodium_memzero(hsec, sizeof(hsec));
	return (ok ? CM_OK : CM_EDB);
}

cm_err
cm_generation_start(PGconn *c, uint64_t seed, int w, int h, uint32_t *id)
{
	char     lock[64];
	uint32_t got = 0;

	snprintf(lock, sizeof(lock), "SELECT pg_advisory_xact_lock(%d)",
	    GEN_LOCK);
	if (!gen_exec(c, "BEGIN", 0, NULL, NULL)) {
		return (CM_EDB);
	}
	if (!gen_exec(c, lock, 0, NULL, NULL) ||
	    !gen_exec(c,
	        "UPDATE generations SET ended_at = NOW()"
	        " WHERE ended_at IS NULL",
	        0, NULL, NULL) ||
	    !gen_insert(c, seed, w, h, 0, &got) || got == 0 ||
	    !gen_exec(c, "COMMIT", 0, NULL, NULL)) {
		PQclear(PQexec(c, "ROLLBACK"));
		return (CM_EDB);
	}
	*id = got;
	return (CM_OK);
}

cm_err
cm_generation_end(PGconn *c, uint32_t *id)
{
	PGresult *r;
	cm_err    rv = CM_ENOENT;

	if (!gen_exec(c,
	        "UPDATE generations SET ended_at = NOW()"
	        " WHERE ended_at IS NULL RETURNING id",
	        0, NULL, &r)) {
		return (CM_EDB);
	}
	if (PQntuples(r) == 1) {
		*id = (uint32_t) strtoul(PQgetvalue(r, 0, 0), NULL, 10);
		rv  = CM_OK;
	}
	PQclear(r);
	return (rv);
}

static void
gen_hex32(const char *s, uint8_t out[32])
{
	if (cm_hex_decode(s, strlen(s), out, 32) != CM_OK) {
		memset(out, 0, 32);
	}
}

cm_err
cm_generation_latest(PGconn *c, cm_generation *g)
{
	PGresult     *r;
	cm_generation n;

	if (!gen_exec(c,
	        "SELECT id, map_seed, map_width, map_height,"
	        " (EXTRACT(EPOCH FROM started_at) * 1000)::BIGINT,"
	        " (EXTRACT(EPOCH FROM COALESCE(ends_at,"
	        "   started_at + INTERVAL '50 days')) * 1000)::BIGINT,"
	        " COALESCE((EXTRACT(EPOCH FROM ended_at) * 1000)::BIGINT, 0),"
	        " COALESCE(encode(secret, 'hex'), ''),"
	        " COALESCE(encode(secret_hash, 'hex'), '')"
	        " FROM generations ORDER BY id DESC LIMIT 1",
	        0, NULL, &r)) {
		return (CM_EDB);
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		return (CM_ENOENT);
	}
	memset(&n, 0, sizeof(n));
	n.id       = (uint32_t) strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	n.map_seed = strtoull(PQgetvalue(r, 0, 1), NULL, 10);
	n.map_w    = (int) strtol(PQgetvalue(r, 0, 2), NULL, 10);
	n.map_h    = (int) strtol(PQgetvalue(r, 0, 3), NULL, 10);
	n.start_ms = strtoll(PQgetvalue(r, 0, 4), NULL, 10);
	n.end_ms   = strtoll(PQgetvalue(r, 0, 5), NULL, 10);
	n.ended_ms = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
	gen_hex32(PQgetvalue(r, 0, 7), n.secret);
	gen_hex32(PQgetvalue(r, 0, 8), n.secret_hash);
	PQclear(r);
	*g = n;
	sodium_memzero(&n, sizeof(n));
	return (CM_OK);
}

int
cm_generation_day(const cm_generation *g, int64_t now_ms,
    const char **phase, const char **status)
{
	int64_t day = (now_ms - g->start_ms) / DAY_MS + 1;

	if (day < 1) {
		day = 1;
	}
	if (day > CM_GENERATION_DAYS + 1) {
		day = CM_GENERATION_DAYS + 1;
	}
	if (g->ended_ms != 0 || day > CM_GENERATION_DAYS) {
		*phase  = "ended";
		*status = "ended";
		return ((int) day);
	}
	*phase  = day <= 5 ? "planning"
	     : day <= 20   ? "early"
	     : day <= 35   ? "mid"
	                   : "late";
	*status = day <= 5 ? "planning" : day <= 45 ? "active" : "endgame";
	return ((int) day);
}
