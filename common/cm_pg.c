/*
 * cm_pg.c: PostgreSQL connection and migrations.
 *
 * The migrations' text comes from build/gen/cm_sql.c, generated from
 * common/sql/ by tools/embed_sql.sh, so a binary carries the exact schema it
 * was built with and needs no files at run time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_log.h"
#include "cm_pg.h"
#include "cm_sql.h"

/* Any constant works; every process that migrates uses the same one. */
#define PG_MIGRATE_LOCK 0x4e444d47 /* "NDMG" */

cm_err
cm_pg_connect(const char *conninfo, int timeout_s, PGconn **out)
{
	const char *keys[] = { "dbname", "connect_timeout",
		"application_name", "options", NULL };
	char        tmo[16], opts[512];
	const char *vals[5];
	const char *extra = getenv("PGOPTIONS");
	PGconn     *c;

	snprintf(tmo, sizeof(tmo), "%d", timeout_s);
	vals[0] = conninfo;
	vals[1] = tmo;
	vals[2] = "nemeths-domain";
	/* The seed's TIMESTAMP columns hold UTC: every session runs in UTC.
	 * PGOPTIONS (libpq's own variable, which an explicit "options"
	 * would hide) is kept: e.g. -c synchronous_commit=off. */
	snprintf(opts, sizeof(opts), "-c TimeZone=UTC %s", extra ? extra : "");
	vals[3] = opts;
	vals[4] = NULL;
	/* expand_dbname=1: dbname may be a full URI or conninfo string. */
	c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		cm_log_warn("postgres connect failed", "{s:s}", "error",
		    PQerrorMessage(c));
		PQfinish(c);
		return (CM_EDB);
	}
	*out = c;
	return (CM_OK);
}

static cm_err
pg_exec_ok(PGconn *c, const char *sql)
{
	PGresult      *r  = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	cm_err         rv = CM_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		cm_log_error("postgres statement failed", "{s:s}", "error",
		    PQresultErrorMessage(r));
		rv = CM_EDB;
	}
	PQclear(r);
	return (rv);
}

static cm_err
pg_migration_done(PGconn *c, int version, int *done)
{
	char        v[16];
	const char *params[1] = { v };
	PGresult   *r;

	snprintf(v, sizeof(v), "%d", version);
	r = PQexecParams(c,
	    "SELECT 1 FROM schema_migrations WHERE version = $1", 1, NULL,
	    params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return (CM_EDB);
	}
	*done = PQntuples(r) > 0;
	PQclear(r);
	return (CM_OK);
}

static cm_err
pg_migration_record(PGconn *c, const cm_sql_migration *m)
{
	char        v[16];
	const char *params[2] = { v, m->name };
	PGresult   *r;
	cm_err      rv = CM_OK;

	snprintf(v, sizeof(v), "%d", m->version);
	r = PQexecParams(c,
	    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
	    2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rv = CM_EDB;
	}
	PQclear(r);
	return (rv);
}

cm_err
cm_pg_migrate(PGconn *c, int *applied)
{
	char   lock[96];
	int    n = 0;
	cm_err rv;

	snprintf(lock, sizeof(lock), "SELECT pg_advisory_xact_lock(%d)",
	    PG_MIGRATE_LOCK);
	if ((rv = pg_exec_ok(c, "BEGIN")) != CM_OK) {
		return (rv);
	}
	if ((rv = pg_exec_ok(c, lock)) != CM_OK ||
	    (rv = pg_exec_ok(c,
	         "CREATE TABLE IF NOT EXISTS schema_migrations ("
	         " version INTEGER PRIMARY KEY,"
	         " name TEXT NOT NULL,"
	         " applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW())")) !=
	        CM_OK) {
		goto out;
	}
	for (size_t i = 0; i < cm_sql_migration_count; i++) {
		const cm_sql_migration *m = &cm_sql_migrations[i];
		int                     done;

		if ((rv = pg_migration_done(c, m->version, &done)) != CM_OK) {
			goto out;
		}
		if (done) {
			continue;
		}
		if ((rv = pg_exec_ok(c, m->sql)) != CM_OK ||
		    (rv = pg_migration_record(c, m)) != CM_OK) {
			cm_log_error("migration failed", "{s:i,s:s}",
			    "version", m->version, "name", m->name);
			goto out;
		}
		cm_log_info("migration applied", "{s:i,s:s}", "version",
		    m->version, "name", m->name);
		n++;
	}
	rv = pg_exec_ok(c, "COMMIT");
out:
	if (rv != CM_OK) {
		PQclear(PQexec(c, "ROLLBACK"));
		return (rv);
	}
	*applied = n;
	return (CM_OK);
}

int
cm_pg_schema_version(void)
{
	int v = 0;

	for (size_t i = 0; i < cm_sql_migration_count; i++) {
		if (cm_sql_migrations[i].version > v) {
			v = cm_sql_migrations[i].version;
		}
	}
	return (v);
}

cm_err
cm_pg_ping(PGconn *c)
{
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		return (CM_EDB);
	}
	return (pg_exec_ok(c, "SELECT 1"));
}
