/*
 * cm_pg.h: PostgreSQL connections and the schema migrations.
 *
 * The schema is a numbered sequence of SQL files (common/sql/NNNN_*.sql)
 * compiled into the library.  cm_pg_migrate applies, in order and inside one
 * transaction holding an advisory lock, every file not yet recorded in
 * schema_migrations, so any number of processes may start at once and the
 * outcome is the same: each file applied exactly once.
 */
#ifndef CM_PG_H
#define CM_PG_H

#include <libpq-fe.h>

#include "cm_err.h"

/*
 * cm_pg_connect opens a blocking connection to conninfo (a libpq URI or
 * key=value string) with a connect timeout of timeout_s seconds.  On
 * success *out is a connection the caller closes with PQfinish.
 */
cm_err cm_pg_connect(const char *conninfo, int timeout_s, PGconn **out);

/*
 * cm_pg_migrate applies pending migrations on c and sets *applied to the
 * number applied now (0 when the schema was current).  Returns CM_EDB on
 * failure, after rolling back (the schema is then unchanged).
 */
cm_err cm_pg_migrate(PGconn *c, int *applied);

/* cm_pg_schema_version returns the highest migration number compiled in. */
int cm_pg_schema_version(void);

/* cm_pg_ping returns CM_OK when c answers a trivial query. */
cm_err cm_pg_ping(PGconn *c);

#endif
