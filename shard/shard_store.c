/*
 * shard_store.c: the pipelined writer (see shard_store.h).
 *
 * Statements are prepared once per connection, before it enters pipeline
 * mode; each takes many rows at once (text arrays read with unnest), so a
 * group is a handful of statements however many actions it carries.  No BEGIN/COMMIT: the statements between two Syncs run as one
 * implicit transaction, and an error in any of them rolls back all of them
 * and skips the rest (PGRES_PIPELINE_ABORTED) up to the Sync.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_pg.h"
#include "shard_store.h"

/*
 * Every statement takes its rows as text arrays, one per column, and
 * reads them with unnest: a group sends each statement once, whatever
 * the number of rows (shard_store_row, shard_store_send_rows).
 */
#define MS(c) "to_timestamp(" c "::BIGINT / 1000.0)"
/*
 * UNNEST ends a statement's row source; store_connect writes in its place
 * "unnest($1::text[], .., $n::text[]) AS u(c1, .., cn)" for the
 * statement's n parameters, so the columns always match the count.
 */
#define UNNEST_MARK "@unnest"
#define UNNEST " FROM " UNNEST_MARK
#define TERRITORY_ID(g, x, y) \
	"(SELECT id FROM territories WHERE generation_id = " g "::INTEGER" \
	" AND x = " x "::SMALLINT AND y = " y "::SMALLINT)"

static const struct {
	const char *name;
	int         nparams;
	const char *sql;
} stmts[ST_COUNT] = {
	[ST_TERRITORY] = { "territory", 10,
	    "INSERT INTO territories (generation_id, x, y, terrain, zone,"
	    " owner, trust, last_activity, aegis_until, spells) SELECT"
	    " c1::INTEGER, c2::SMALLINT, c3::SMALLINT, c4::SMALLINT,"
	    " c5::SMALLINT, c6, c7::SMALLINT, " MS("c8") ", " MS("c9")
	    ", c10::JSONB" UNNEST
	    " ON CONFLICT (generation_id, x, y) DO UPDATE"
	    " SET owner = EXCLUDED.owner, trust = EXCLUDED.trust,"
	    " last_activity = EXCLUDED.last_activity,"
	    " aegis_until = EXCLUDED.aegis_until, spells = EXCLUDED.spells" },
	[ST_RESOURCES] = { "resources", 8,
	    "INSERT INTO resources (territory_id, generation_id, x, y, gold,"
	    " stone, wood, food, mana) SELECT " TERRITORY_ID("c1", "c2", "c3")
	    ", c1::INTEGER, c2::SMALLINT, c3::SMALLINT, c4::INTEGER,"
	    " c5::INTEGER, c6::INTEGER, c7::INTEGER, c8::INTEGER" UNNEST
	    " ON CONFLICT (territory_id) DO UPDATE SET"
	    " gold = EXCLUDED.gold, stone = EXCLUDED.stone,"
	    " wood = EXCLUDED.wood, food = EXCLUDED.food,"
	    " mana = EXCLUDED.mana" },
	[ST_BUILDING] = { "building", 7,
	    "INSERT INTO buildings (id, generation_id, territory_id, x, y,"
	    " building_type, hp, construction_end) SELECT c1::BIGINT,"
	    " c2::INTEGER, " TERRITORY_ID("c2", "c3", "c4") ", c3::SMALLINT,"
	    " c4::SMALLINT, c5::SMALLINT, c6::INTEGER, " MS("c7") UNNEST
	    " ON CONFLICT (id) DO UPDATE SET hp = EXCLUDED.hp,"
	    " construction_end = EXCLUDED.construction_end" },
	[ST_ARMY] = { "army", 14,
	    "INSERT INTO armies (id, generation_id, owner, x, y, status,"
	    " morale, foreign_soil_days, destination_x, destination_y,"
	    " arrival_time, garrison, departure_time, territory_id, effects)"
	    " SELECT c1::BIGINT, c2::INTEGER, c3, c4::SMALLINT, c5::SMALLINT,"
	    " c6, c7::SMALLINT, c8::SMALLINT, c9::SMALLINT, c10::SMALLINT, "
	    MS("c11") ", c12::BOOLEAN, " MS("c13") ", "
	    TERRITORY_ID("c2", "c4", "c5") ", c14::JSONB" UNNEST
	    " ON CONFLICT (id) DO UPDATE SET"
	    " owner = EXCLUDED.owner, x = EXCLUDED.x, y = EXCLUDED.y,"
	    " status = EXCLUDED.status, morale = EXCLUDED.morale,"
	    " foreign_soil_days = EXCLUDED.foreign_soil_days,"
	    " destination_x = EXCLUDED.destination_x,"
	    " destination_y = EXCLUDED.destination_y,"
	    " arrival_time = EXCLUDED.arrival_time, effects = EXCLUDED.effects,"
	    " garrison = EXCLUDED.garrison,"
	    " departure_time = EXCLUDED.departure_time,"
	    " territory_id = EXCLUDED.territory_id" },
	[ST_ARMY_UNITS_CLEAR] = { "army_units_clear", 1,
	    "DELETE FROM army_units WHERE army_id = ANY($1::BIGINT[])" },
	[ST_ARMY_UNIT] = { "army_unit", 3,
	    "INSERT INTO army_units (army_id, unit_type, count)"
	    " SELECT c1::BIGINT, c2::SMALLINT, c3::INTEGER" UNNEST },
	[ST_ARMY_DELETE] = { "army_delete", 1,
	    "DELETE FROM armies WHERE id = ANY($1::BIGINT[])" },
	[ST_PLAYER] = { "player", 16,
	    "INSERT INTO players (address, generation_id, race, captain_name,"
	    " captain_class, captain_skill, premium, mana, registered_at,"
	    " protected_until, captain_army, captain_dead,"
	    " captain_wounded_until, domain_points, frenzy_until,"
	    " foresight_until)"
	    " SELECT c1, c2::INTEGER, c3::SMALLINT, c4, c5::SMALLINT,"
	    " c6::SMALLINT, c7::BOOLEAN, c8::INTEGER, " MS("c9") ", "
	    MS("c10") ", c11::BIGINT, c12::BOOLEAN, " MS("c13") ","
	    " c14::BIGINT, " MS("c15") ", " MS("c16") UNNEST
	    " ON CONFLICT (address, generation_id) DO UPDATE SET"
	    " mana = EXCLUDED.mana, protected_until = EXCLUDED.protected_until,"
	    " captain_army = EXCLUDED.captain_army,"
	    " captain_dead = EXCLUDED.captain_dead,"
	    " captain_wounded_until = EXCLUDED.captain_wounded_until,"
	    " domain_points = EXCLUDED.domain_points,"
	    " frenzy_until = EXCLUDED.frenzy_until,"
	    " foresight_until = EXCLUDED.foresight_until, last_active = NOW()" },
	[ST_COOLDOWN] = { "cooldown", 4,
	    "INSERT INTO spell_cooldowns (generation_id, player, spell,"
	    " ends_at) SELECT c1::INTEGER, c2, c3, " MS("c4") UNNEST
	    " ON CONFLICT (generation_id, player, spell) DO UPDATE SET"
	    " ends_at = EXCLUDED.ends_at" },
	[ST_SCOUT] = { "scout", 7,
	    "INSERT INTO scout_reports (id, generation_id, player, x, y,"
	    " accuracy, data) SELECT c1::BIGINT, c2::INTEGER, c3,"
	    " c4::SMALLINT, c5::SMALLINT, c6::SMALLINT, c7::JSONB" UNNEST
	    " ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data" },
	[ST_MEMBER_CLEAR] = { "member_clear", 2,
	    "DELETE FROM alliance_members WHERE (generation_id, player) IN"
	    " (SELECT c1::INTEGER, c2" UNNEST ")" },
	[ST_MEMBER] = { "member", 5,
	    "INSERT INTO alliance_members (alliance_id, player,"
	    " generation_id, role, joined_at) SELECT c1::BIGINT, c2,"
	    " c3::INTEGER, c4, " MS("c5") UNNEST },
	[ST_COMBAT] = { "combat", 25,
	    "INSERT INTO combats (id, generation_id, attacker, defender, x, y,"
	    " army_id, status, attack_commit_hash, reveal_deadline, salt,"
	    " army_hash, result_hash, winner, resolved_at, rounds,"
	    " attacker_units, defender_units, attacker_losses,"
	    " defender_losses, rules_hash, arrival_time, territory_id,"
	    " battle_input, battle_record, hostile_path)"
	    " SELECT c1::BIGINT, c2::INTEGER, c3, c4, c5::SMALLINT,"
	    " c6::SMALLINT, c7::BIGINT, c8, c9::BYTEA, " MS("c10") ","
	    " c11::BYTEA, c12::BYTEA, c13::BYTEA, c14, " MS("c15") ","
	    " c16::SMALLINT, c17::JSONB, c18::JSONB, c19::JSONB, c20::JSONB,"
	    " c21::BYTEA, " MS("c22") ", " TERRITORY_ID("c2", "c5", "c6") ","
	    " c23::JSONB, c24::JSONB, c25::BOOLEAN" UNNEST
	    " ON CONFLICT (id) DO UPDATE SET"
	    " status = EXCLUDED.status, salt = EXCLUDED.salt,"
	    " result_hash = EXCLUDED.result_hash, winner = EXCLUDED.winner,"
	    " resolved_at = EXCLUDED.resolved_at, rounds = EXCLUDED.rounds,"
	    " defender_units = EXCLUDED.defender_units,"
	    " attacker_losses = EXCLUDED.attacker_losses,"
	    " defender_losses = EXCLUDED.defender_losses,"
	    " rules_hash = EXCLUDED.rules_hash,"
	    " battle_input = EXCLUDED.battle_input,"
	    " battle_record = EXCLUDED.battle_record,"
	    " attack_reveal_time = CASE WHEN EXCLUDED.salt IS NOT NULL"
	    " AND combats.salt IS NULL THEN NOW() ELSE"
	    " combats.attack_reveal_time END" },
	[ST_ALLIANCE] = { "alliance", 6,
	    "INSERT INTO alliances (id, generation_id, name, founder, active,"
	    " created_at) SELECT c1::BIGINT, c2::INTEGER, c3, c4,"
	    " c5::BOOLEAN, " MS("c6") UNNEST
	    " ON CONFLICT (id) DO UPDATE SET active = EXCLUDED.active" },
	[ST_TIMER] = { "timer", 7,
	    "INSERT INTO timers (id, generation_id, kind, x, y, entity_id,"
	    " due_at) SELECT c1::BIGINT, c2::INTEGER, c3, c4::SMALLINT,"
	    " c5::SMALLINT, c6::BIGINT, " MS("c7") UNNEST },
	[ST_TIMER_DELETE] = { "timer_delete", 1,
	    "DELETE FROM timers WHERE id = ANY($1::BIGINT[])" },
	[ST_EVENT] = { "event", 7,
	    "INSERT INTO events (time, generation_id, event_type, player,"
	    " territory_x, territory_y, data) SELECT " MS("c1") ","
	    " c2::INTEGER, c3, c4, c5::SMALLINT, c6::SMALLINT, c7::JSONB" UNNEST },
	[ST_OUTBOX] = { "outbox", 3,
	    "INSERT INTO chain_outbox (generation_id, kind, payload)"
	    " SELECT c1::INTEGER, c2, c3::JSONB" UNNEST },
	[ST_HANDOFF] = { "handoff", 5,
	    "INSERT INTO army_handoffs (id, generation_id, army_id, from_shard,"
	    " to_shard) SELECT c1::BIGINT, c2::INTEGER, c3::BIGINT,"
	    " c4::INTEGER, c5::INTEGER" UNNEST },
	[ST_HANDOFF_DONE] = { "handoff_done", 1,
	    "DELETE FROM army_handoffs WHERE id = ANY($1::BIGINT[])" },
	[ST_PSYNC] = { "psync", 6,
	    "INSERT INTO player_syncs (id, generation_id, player, from_shard,"
	    " to_shard, payload) SELECT c1::BIGINT, c2::INTEGER, c3,"
	    " c4::INTEGER, c5::INTEGER, c6::JSONB" UNNEST },
	[ST_PSYNC_DONE] = { "psync_done", 1,
	    "DELETE FROM player_syncs WHERE id = ANY($1::BIGINT[])" },
	[ST_LEDGER] = { "ledger", 2,
	    "INSERT INTO shard_commits (shard, token) SELECT c1::INTEGER,"
	    " c2::BIGINT" UNNEST " ON CONFLICT (shard) DO UPDATE SET"
	    " token = EXCLUDED.token, committed_at = NOW()" },
};

/* A column of a statement's rows, as a text[] literal being built. */
typedef struct sh_col {
	char  *buf;
	size_t len, cap;
} sh_col;

typedef struct sh_rows {
	int    nrows;
	sh_col cols[ST_MAX_COLS];
} sh_rows;

struct shard_store {
	sh_rows rows[ST_COUNT]; /* the group being built */
	char   *db_url;
	PGconn *pg;      /* NULL when down */
	bool    busy;    /* a group is in flight */
	bool    failed;  /* a statement of the group failed */
	int     queued;  /* statements in the group being built */
	void  (*done)(void *, sh_outcome);
	void   *arg;
};

static void
store_drop(shard_store *s)
{
	void (*done)(void *, sh_outcome) = s->done;
	void *arg                         = s->arg;
	/* A statement that failed rolled the group back for certain. */
	sh_outcome out = s->failed ? SH_ROLLED_BACK : SH_UNKNOWN;

	if (s->pg != NULL) {
		PQfinish(s->pg);
		s->pg = NULL;
	}
	s->busy   = false;
	s->queued = 0;
	s->done   = NULL;
	for (int i = 0; i < ST_COUNT; i++) {
		s->rows[i].nrows = 0; /* rows of a group never sent */
		for (int j = 0; j < 22; j++) {
			s->rows[i].cols[j].len = 0;
		}
	}
	if (done != NULL) {
		done(arg, out);
	}
}

/* stmt_sql: sql with its UNNEST_MARK spelled out for n columns. */
static char *
stmt_sql(const char *sql, int n)
{
	const char *m = strstr(sql, UNNEST_MARK);
	size_t      cap = strlen(sql) + (size_t) n * 32 + 32, len;
	char       *out = cm_malloc(cap);

	if (m == NULL) {
		memcpy(out, sql, strlen(sql) + 1);
		return (out);
	}
	len = (size_t) (m - sql);
	memcpy(out, sql, len);
	len += (size_t) snprintf(out + len, cap - len, "unnest(");
	for (int i = 1; i <= n; i++) {
		len += (size_t) snprintf(out + len, cap - len, "%s$%d::text[]",
		    i > 1 ? ", " : "", i);
	}
	len += (size_t) snprintf(out + len, cap - len, ") AS u(");
	for (int i = 1; i <= n; i++) {
		len += (size_t) snprintf(out + len, cap - len, "%sc%d",
		    i > 1 ? ", " : "", i);
	}
	snprintf(out + len, cap - len, ")%s", m + strlen(UNNEST_MARK));
	return (out);
}

static bool
store_connect(shard_store *s)
{
	PGconn *c;

	if (cm_pg_connect(s->db_url, 2, &c) != CM_OK) {
		return (false);
	}
	for (int i = 0; i < ST_COUNT; i++) {
		char     *sql = stmt_sql(stmts[i].sql, stmts[i].nparams);
		PGresult *r   = PQprepare(c, stmts[i].name, sql,
		      stmts[i].nparams, NULL);

		free(sql);

		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			cm_log_error("cannot prepare statement",
			    "{s:s,s:s}", "statement", stmts[i].name, "error",
			    PQresultErrorMessage(r));
			PQclear(r);
			PQfinish(c);
			return (false);
		}
		PQclear(r);
	}
	if (PQsetnonblocking(c, 1) != 0 || PQenterPipelineMode(c) != 1) {
		cm_log_error("cannot enter pipeline mode", "{s:s}", "error",
		    PQerrorMessage(c));
		PQfinish(c);
		return (false);
	}
	s->pg = c;
	return (true);
}

cm_err
shard_store_open(const char *db_url, shard_store **out)
{
	shard_store *s = cm_calloc(1, sizeof(*s));

	s->db_url = cm_strdup(db_url);
	*out      = s;
	return (store_connect(s) ? CM_OK : CM_EDB);
}

void
shard_store_close(shard_store *s)
{
	if (s == NULL) {
		return;
	}
	s->done = NULL;
	store_drop(s);
	for (int i = 0; i < ST_COUNT; i++) {
		for (int j = 0; j < 22; j++) {
			free(s->rows[i].cols[j].buf);
		}
	}
	free(s->db_url);
	free(s);
}

bool
shard_store_up(const shard_store *s)
{
	return (s != NULL && s->pg != NULL &&
	    PQstatus(s->pg) == CONNECTION_OK);
}

bool
shard_store_busy(const shard_store *s)
{
	return (s != NULL && s->busy);
}

int
shard_store_fd(const shard_store *s)
{
	return (s != NULL && s->pg != NULL ? PQsocket(s->pg) : -1);
}

bool
shard_store_wants_write(const shard_store *s)
{
	return (s != NULL && s->pg != NULL && s->busy &&
	    PQflush(s->pg) == 1);
}

static void
col_put(sh_col *c, const char *v, bool first)
{
	size_t need = c->len + (v ? strlen(v) * 2 : 0) + 8;

	if (need > c->cap) {
		c->cap = need * 2 > 256 ? need * 2 : 256;
		c->buf = cm_realloc(c->buf, c->cap);
	}
	c->buf[c->len++] = first ? '{' : ',';
	if (v == NULL) {
		memcpy(c->buf + c->len, "NULL", 4);
		c->len += 4;
		return;
	}
	c->buf[c->len++] = '"';
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\') {
			c->buf[c->len++] = '\\';
		}
		c->buf[c->len++] = *v;
	}
	c->buf[c->len++] = '"';
}

void
shard_store_row(shard_store *s, enum sh_stmt st, int n,
    const char *const *params)
{
	sh_rows *r = &s->rows[st];

	cm_assert(n == stmts[st].nparams && n <= ST_MAX_COLS && !s->busy);
	for (int i = 0; i < n; i++) {
		col_put(&r->cols[i], params[i], r->nrows == 0);
	}
	r->nrows++;
}

bool
shard_store_send_rows(shard_store *s, enum sh_stmt st)
{
	sh_rows    *r = &s->rows[st];
	const char *p[ST_MAX_COLS];
	bool        ok = true;

	if (r->nrows == 0) {
		return (true);
	}
	for (int i = 0; i < stmts[st].nparams; i++) {
		sh_col *c = &r->cols[i];

		c->buf[c->len] = '}';
		c->buf[c->len + 1] = '\0';
		p[i] = c->buf;
	}
	if (s->pg == NULL) {
		ok = false;
	} else {
		if (s->queued == 0) {
			s->failed = false; /* a new group */
		}
		if (PQsendQueryPrepared(s->pg, stmts[st].name,
		        stmts[st].nparams, p, NULL, NULL, 0) != 1) {
			cm_log_warn("cannot queue statement", "{s:s,s:s}",
			    "statement", stmts[st].name, "error",
			    PQerrorMessage(s->pg));
			ok = false;
		} else {
			s->queued++;
		}
	}
	for (int i = 0; i < stmts[st].nparams; i++) {
		r->cols[i].len = 0;
	}
	r->nrows = 0;
	return (ok);
}

bool
shard_store_commit(shard_store *s, void (*done)(void *, sh_outcome),
    void *arg)
{
	if (s->pg == NULL || PQpipelineSync(s->pg) != 1) {
		return (false);
	}
	s->busy   = true;
	s->done   = done;
	s->arg    = arg;
	if (PQflush(s->pg) < 0) {
		store_drop(s);
		return (true); /* reported through done */
	}
	return (true);
}

/* store_finish reports the group's outcome. */
static void
store_finish(shard_store *s, bool ok)
{
	void (*done)(void *, sh_outcome) = s->done;
	void *arg                         = s->arg;

	s->busy   = false;
	s->queued = 0;
	s->done   = NULL;
	if (done != NULL) {
		done(arg, ok ? SH_COMMITTED : SH_ROLLED_BACK);
	}
}

void
shard_store_io(shard_store *s)
{
	if (s == NULL || s->pg == NULL) {
		return;
	}
	if (PQflush(s->pg) < 0 || PQconsumeInput(s->pg) != 1) {
		cm_log_warn("writer connection broke", "{s:s}", "error",
		    PQerrorMessage(s->pg));
		store_drop(s);
		return;
	}
	for (int nulls = 0; s->busy && !PQisBusy(s->pg);) {
		PGresult      *r = PQgetResult(s->pg);
		ExecStatusType st;

		if (r == NULL) {
			/* The end of one statement's results; two in a row:
			 * nothing more is coming now. */
			if (++nulls == 2) {
				break;
			}
			continue;
		}
		nulls = 0;
		st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			store_finish(s, !s->failed);
			return;
		}
		if (st == PGRES_FATAL_ERROR) {
			cm_log_error("group statement failed", "{s:s}", "error",
			    PQresultErrorMessage(r));
			s->failed = true;
		} else if (st == PGRES_PIPELINE_ABORTED) {
			s->failed = true;
		}
		PQclear(r);
	}
	if (PQstatus(s->pg) != CONNECTION_OK) {
		store_drop(s);
	}
}

void
shard_store_abort(shard_store *s)
{
	if (s != NULL) {
		s->done = NULL;
		store_drop(s);
	}
}

void
shard_store_reconnect(shard_store *s)
{
	if (s == NULL || shard_store_up(s)) {
		return;
	}
	if (s->pg != NULL) {
		store_drop(s);
	}
	store_connect(s);
}
