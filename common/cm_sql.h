/*
 * cm_sql.h: the schema migrations compiled into the library.  The table is
 * generated (build/gen/cm_sql.c) from common/sql/NNNN_name.sql, sorted by
 * version; never edit the generated file.
 */
#ifndef CM_SQL_H
#define CM_SQL_H

#include <stddef.h>

typedef struct cm_sql_migration {
	int         version; /* NNNN of the file name */
	const char *name;    /* the file name without directory */
	const char *sql;     /* the file's text */
} cm_sql_migration;

extern const cm_sql_migration cm_sql_migrations[];
extern const size_t           cm_sql_migration_count;

#endif
