/*
 * shard_store.c: the pipelined writer (see shard_store.h).
 *
 * Statements are prepared once per connection, before it enters pipeline
 * mode.  No BEGIN/COMMIT: the statements between two Syncs run as one
 * implicit transaction, and an error in any of them rolls back all of them
 * and skips the rest (PGRES_PIPELINE_ABORTED) up to the Sync.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_pg.h"
#include "shard_store.h"

#define MS(p) "to_timestamp(" p "::BIGINT / 1000.0)"

static const struct {
	const char *name;
	int         nparams;
	const char *sql;
} stmts[ST_COUNT] = {
	[ST_TERRITORY] = { "territory", 8,
	    "INSERT INTO territories (generation_id, x, y, terrain, zone,"
	    " owner, trust, last_activity) VALUES ($1, $2, $3, $4, $5, $6,"
	    " $7, " MS("$8") ") ON CONFLICT (generation_id, x, y) DO UPDATE"
	    " SET owner = EXCLUDED.owner, trust = EXCLUDED.trust,"
	    " last_activity = EXCLUDED.last_activity" },
	[ST_RESOURCES] = { "resources", 8,
	    "INSERT INTO resources (territory_id, generation_id, x, y, gold,"
	    " stone, wood, food, mana) SELECT id, $1, $2, $3, $4, $5, $6, $7,"
	    " $8 FROM territories WHERE generation_id = $1 AND x = $2 AND"
	    " y = $3 ON CONFLICT (territory_id) DO UPDATE SET"
	    " gold = EXCLUDED.gold, stone = EXCLUDED.stone,"
	    " wood = EXCLUDED.wood, food = EXCLUDED.food,"
	    " mana = EXCLUDED.mana" },
	[ST_BUILDING] = { "building", 7,
	    "INSERT INTO buildings (id, generation_id, territory_id, x, y,"
	    " building_type, hp, construction_end) VALUES ($1, $2,"
	    " (SELECT id FROM territories WHERE generation_id = $2 AND"
	    " x = $3 AND y = $4), $3, $4, $5, $6, " MS("$7") ")"
	    " ON CONFLICT (id) DO UPDATE SET hp = EXCLUDED.hp,"
	    " construction_end = EXCLUDED.construction_end" },
	[ST_ARMY] = { "army", 13,
	    "INSERT INTO armies (id, generation_id, owner, x, y, status,"
	    " morale, foreign_soil_days, destination_x, destination_y,"
	    " arrival_time, garrison, departure_time, territory_id) VALUES"
	    " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, " MS("$11") ", $12, "
	    MS("$13") ", (SELECT id FROM territories WHERE generation_id = $2"
	    " AND x = $4 AND y = $5)) ON CONFLICT (id) DO UPDATE SET"
	    " owner = EXCLUDED.owner, x = EXCLUDED.x, y = EXCLUDED.y,"
	    " status = EXCLUDED.status, morale = EXCLUDED.morale,"
	    " foreign_soil_days = EXCLUDED.foreign_soil_days,"
	    " destination_x = EXCLUDED.destination_x,"
	    " destination_y = EXCLUDED.destination_y,"
	    " arrival_time = EXCLUDED.arrival_time,"
	    " garrison = EXCLUDED.garrison,"
	    " departure_time = EXCLUDED.departure_time,"
	    " territory_id = EXCLUDED.territory_id" },
	[ST_ARMY_UNITS_CLEAR] = { "army_units_clear", 1,
	    "DELETE FROM army_units WHERE army_id = $1" },
	[ST_ARMY_UNIT] = { "army_unit", 3,
	    "INSERT INTO army_units (army_id, unit_type, count)"
	    " VALUES ($1, $2, $3)" },
	[ST_ARMY_DELETE] = { "army_delete", 1,
	    "DELETE FROM armies WHERE id = $1" },
	[ST_PLAYER] = { "player", 9,
	    "INSERT INTO players (address, generation_id, race, captain_name,"
	    " captain_class, captain_skill, premium, mana, registered_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " MS("$9") ")"
	    " ON CONFLICT (address, generation_id) DO UPDATE SET"
	    " mana = EXCLUDED.mana, last_active = NOW()" },
	[ST_COOLDOWN] = { "cooldown", 4,
	    "INSERT INTO spell_cooldowns (generation_id, player, spell,"
	    " ends_at) VALUES ($1, $2, $3, " MS("$4") ") ON CONFLICT"
	    " (generation_id, player, spell) DO UPDATE SET"
	    " ends_at = EXCLUDED.ends_at" },
	[ST_MEMBER_CLEAR] = { "member_clear", 2,
	    "DELETE FROM alliance_members WHERE generation_id = $1"
	    " AND player = $2" },
	[ST_MEMBER] = { "member", 5,
	    "INSERT INTO alliance_members (alliance_id, player,"
	    " generation_id, role, joined_at) VALUES ($1, $2, $3, $4, "
	    MS("$5") ")" },
	[ST_COMBAT] = { "combat", 22,
	    "INSERT INTO combats (id, generation_id, attacker, defender, x, y,"
	    " army_id, status, attack_commit_hash, reveal_deadline, salt,"
	    " army_hash, result_hash, winner, resolved_at, rounds,"
	    " attacker_units, defender_units, attacker_losses,"
	    " defender_losses, rules_hash, arrival_time, territory_id)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, " MS("$10") ", $11,"
	    " $12, $13, $14, " MS("$15") ", $16, $17, $18, $19, $20, $21, "
	    MS("$22") ", (SELECT id FROM territories WHERE generation_id = $2"
	    " AND x = $5 AND y = $6)) ON CONFLICT (id) DO UPDATE SET"
	    " status = EXCLUDED.status, salt = EXCLUDED.salt,"
	    " result_hash = EXCLUDED.result_hash, winner = EXCLUDED.winner,"
	    " resolved_at = EXCLUDED.resolved_at, rounds = EXCLUDED.rounds,"
	    " defender_units = EXCLUDED.defender_units,"
	    " attacker_losses = EXCLUDED.attacker_losses,"
	    " defender_losses = EXCLUDED.defender_losses,"
	    " attack_reveal_time = CASE WHEN EXCLUDED.salt IS NOT NULL"
	    " AND combats.salt IS NULL THEN NOW() ELSE"
	    " combats.attack_reveal_time END" },
	[ST_ALLIANCE] = { "alliance", 6,
	    "INSERT INTO alliances (id, generation_id, name, founder, active,"
	    " created_at) VALUES ($1, $2, $3, $4, $5, " MS("$6") ")"
	    " ON CONFLICT (id) DO UPDATE SET active = EXCLUDED.active" },
	[ST_TIMER] = { "timer", 7,
	    "INSERT INTO timers (id, generation_id, kind, x, y, entity_id,"
	    " due_at) VALUES ($1, $2, $3, $4, $5, $6, " MS("$7") ")" },
	[ST_TIMER_DELETE] = { "timer_delete", 1,
	    "DELETE FROM timers WHERE id = $1" },
	[ST_EVENT] = { "event", 7,
	    "INSERT INTO events (time, generation_id, event_type, player,"
	    " territory_x, territory_y, data) VALUES (" MS("$1") ", $2, $3,"
	    " $4, $5, $6, $7)" },
	[ST_OUTBOX] = { "outbox", 3,
	    "INSERT INTO chain_outbox (generation_id, kind, payload)"
	    " VALUES ($1, $2, $3)" },
	[ST_LEDGER] = { "ledger", 2,
	    "INSERT INTO shard_commits (shard, token) VALUES ($1, $2)"
	    " ON CONFLICT (shard) DO UPDATE SET token = EXCLUDED.token,"
	    " committed_at = NOW()" },
};

struct shard_store {
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
	if (done != NULL) {
		done(arg, out);
	}
}

static bool
store_connect(shard_store *s)
{
	PGconn *c;

	if (cm_pg_connect(s->db_url, 2, &c) != CM_OK) {
		return (false);
	}
	for (int i = 0; i < ST_COUNT; i++) {
		PGresult *r = PQprepare(c, stmts[i].name, stmts[i].sql,
		    stmts[i].nparams, NULL);

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

bool
shard_store_send(shard_store *s, enum sh_stmt st, int n,
    const char *const *params)
{
	cm_assert(n == stmts[st].nparams && !s->busy);
	if (s->pg == NULL) {
		return (false);
	}
	if (s->queued == 0) {
		s->failed = false; /* a new group */
	}
	if (PQsendQueryPrepared(s->pg, stmts[st].name, n, params, NULL, NULL,
	        0) != 1) {
		cm_log_warn("cannot queue statement", "{s:s,s:s}", "statement",
		    stmts[st].name, "error", PQerrorMessage(s->pg));
		return (false);
	}
	s->queued++;
	return (true);
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
