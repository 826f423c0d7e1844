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
#include "cm_rules.h"

#define GEN_LOCK 0x4e444745 /* "NDGE" */

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
gen_insert(PGconn *c, uint64_t seed, int w, int h, int64_t length_ms,
    int first, uint32_t *out)
{
	char        sseed[24], sw[16], sh[16], hsec[67], hhash[67], slen[24];
	const char *p[6] = { sseed, sw, sh, hsec, hhash, slen };
	PGresult   *r;
	int         ok;

	gen_secret(hsec, hhash);
	snprintf(sseed, sizeof(sseed), "%lld", (long long) (seed & INT64_MAX));
	snprintf(sw, sizeof(sw), "%d", w);
	snprintf(sh, sizeof(sh), "%d", h);
	snprintf(slen, sizeof(slen), "%lld", (long long) length_ms);
	ok = gen_exec(c,
	    first ? "INSERT INTO generations (id, map_seed, map_width,"
	            " map_height, ends_at, secret, secret_hash)"
	            " VALUES (1, $1, $2, $3,"
	            " NOW() + $6::BIGINT * INTERVAL '1 millisecond',"
	            " $4, $5) ON CONFLICT DO NOTHING RETURNING id"
	          : "INSERT INTO generations (id, map_seed, map_width,"
	            " map_height, ends_at, secret, secret_hash)"
	            " SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3,"
	            " NOW() + $6::BIGINT * INTERVAL '1 millisecond', $4, $5"
	            " FROM generations"
	            " RETURNING id",
	    6, p, &r);
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
cm_generation_first(PGconn *c, uint64_t seed, int w, int h,
    int64_t length_ms)
{
	char        hsec[67], hhash[67];
	const char *p[2] = { hsec, hhash };
	int         ok;

	if (!gen_insert(c, seed, w, h, length_ms, 1, NULL)) {
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

/*
 * GEN_ETCH writes the Heartbeat's final standings of the newest ended
 * generation to the chain outbox, once: a recordAchievement row (the
 * deployed TitansWitness's call, one a player) for each of its top 100 by
 * domain points, with its rank, its territories and battles won at the
 * end, and isWinner for the first.  It runs when the next generation
 * opens, so that every shard's last day tick (a game day of intermission
 * earlier) is in the points.
 */
#define GEN_ETCH \
	"INSERT INTO chain_outbox (generation_id, kind, payload)" \
	" SELECT g.id, 'recordAchievement', jsonb_build_object(" \
	"  'genId', g.id, 'player', r.address, 'captainName'," \
	"  COALESCE(r.captain_name, ''), 'race', r.race, 'score'," \
	"  r.domain_points, 'rank', r.rank, 'territories', (SELECT count(*)" \
	"  FROM territories t WHERE t.generation_id = g.id AND" \
	"  t.owner = r.address), 'battlesWon', (SELECT count(*) FROM combats" \
	"  c WHERE c.generation_id = g.id AND c.winner = r.address)," \
	"  'isWinner', r.rank = 1)" \
	" FROM (SELECT id FROM generations WHERE ended_at IS NOT NULL" \
	"  ORDER BY id DESC LIMIT 1) g" \
	" CROSS JOIN LATERAL (SELECT p.address, p.captain_name, p.race," \
	"  p.domain_points, row_number() OVER (ORDER BY p.domain_points DESC," \
	"  p.registered_at, p.address) AS rank FROM players p" \
	"  WHERE p.generation_id = g.id) r" \
	" WHERE r.rank <= 100 AND NOT EXISTS (SELECT 1 FROM chain_outbox o" \
	"  WHERE o.generation_id = g.id AND o.kind = 'recordAchievement')" \
	" ORDER BY r.rank"

/*
 * gen_open ends the open generation and opens the next, under the lock;
 * with after != 0 only while generation `after` is the newest and ended
 * (CM_ENOENT otherwise).
 */
static cm_err
gen_open(PGconn *c, uint32_t after, uint64_t seed, int w, int h,
    int64_t length_ms, uint32_t *id)
{
	char        lock[64], safter[16];
	const char *p[1] = { safter };
	uint32_t    got = 0;
	PGresult   *r;
	int         taken;

	snprintf(lock, sizeof(lock), "SELECT pg_advisory_xact_lock(%d)",
	    GEN_LOCK);
	snprintf(safter, sizeof(safter), "%u", after);
	if (!gen_exec(c, "BEGIN", 0, NULL, NULL)) {
		return (CM_EDB);
	}
	if (!gen_exec(c, lock, 0, NULL, NULL)) {
		goto fail;
	}
	if (after != 0) {
		if (!gen_exec(c,
		        "SELECT 1 FROM generations"
		        " WHERE id > $1 OR ended_at IS NULL",
		        1, p, &r)) {
			goto fail;
		}
		taken = PQntuples(r) > 0;
		PQclear(r);
		if (taken) {
			PQclear(PQexec(c, "ROLLBACK"));
			return (CM_ENOENT);
		}
	}
	if (!gen_exec(c,
	        "UPDATE generations SET ended_at = NOW()"
	        " WHERE ended_at IS NULL",
	        0, NULL, NULL) ||
	    !gen_exec(c, GEN_ETCH, 0, NULL, NULL) ||
	    !gen_insert(c, seed, w, h, length_ms, 0, &got) || got == 0 ||
	    !gen_exec(c, "COMMIT", 0, NULL, NULL)) {
		goto fail;
	}
	*id = got;
	return (CM_OK);
fail:
	PQclear(PQexec(c, "ROLLBACK"));
	return (CM_EDB);
}

cm_err
cm_generation_start(PGconn *c, uint64_t seed, int w, int h,
    int64_t length_ms, uint32_t *id)
{
	return (gen_open(c, 0, seed, w, h, length_ms, id));
}

cm_err
cm_generation_next(PGconn *c, uint32_t after, uint64_t seed, int w, int h,
    int64_t length_ms, uint32_t *id)
{
	return (gen_open(c, after == 0 ? 1 : after, seed, w, h, length_ms,
	    id));
}

cm_err
cm_generation_end_due(PGconn *c, uint32_t id)
{
	char        sid[16];
	const char *p[1] = { sid };

	snprintf(sid, sizeof(sid), "%u", id);
	return (gen_exec(c,
	            "UPDATE generations SET ended_at = ends_at"
	            " WHERE id = $1 AND ended_at IS NULL AND ends_at <= NOW()",
	            1, p, NULL)
	        ? CM_OK
	        : CM_EDB);
}

int64_t
cm_generation_length_ms(int days, int64_t time_scale)
{
	return ((int64_t) days * cm_rules_generation()->day_seconds * 1000 /
	    (time_scale > 0 ? time_scale : 1));
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
cm_generation_days(const cm_generation *g, int64_t day_ms)
{
	int64_t days;

	day_ms = day_ms > 0 ? day_ms : 1;
	/* Rounded: the database keeps times to the microsecond. */
	days = (g->end_ms - g->start_ms + day_ms / 2) / day_ms;
	return (days < 1 ? 1 : days > INT32_MAX - 1 ? INT32_MAX - 1 : (int) days);
}

int
cm_generation_day(const cm_generation *g, int64_t now_ms, int64_t day_ms,
    const char **phase, const char **status)
{
	const cm_generation_rules *r = cm_rules_generation();
	int64_t                    days, day;
	const char                *ph = NULL, *st;

	day_ms = day_ms > 0 ? day_ms : 1;
	days   = cm_generation_days(g, day_ms);
	day    = now_ms < g->start_ms ? 1 : (now_ms - g->start_ms) / day_ms + 1;
	if (day > days + 1) {
		day = days + 1;
	}
	if (g->ended_ms != 0 || now_ms >= g->end_ms) {
		ph = st = "ended";
	} else {
		for (int i = 0; i < r->nphases && ph == NULL; i++) {
			if (r->phases[i].to_day < 0 ||
			    day <= r->phases[i].to_day) {
				ph = r->phase_id[i];
			}
		}
		if (ph == NULL) { /* past the last phase: a longer generation */
			ph = r->phase_id[r->nphases - 1];
		}
		st = day < r->pvp_from_day                     ? "planning"
		    : day > days - CM_GENERATION_ENDGAME_DAYS ? "endgame"
		                                               : "active";
	}
	if (phase != NULL) {
		*phase = ph;
	}
	if (status != NULL) {
		*status = st;
	}
	return ((int) day);
}
