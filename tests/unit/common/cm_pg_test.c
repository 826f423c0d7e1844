/*
 * cm_pg_test.c: the compiled-in migrations are well formed, and a dead
 * server is reported, not waited for.  (Applying them to a real
 * PostgreSQL is covered by every integration run, which starts from an
 * empty database.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cm_log.h"
#include "cm_pg.h"
#include "cm_sql.h"

static void
test_migrations_ordered(void **state)
{
	(void) state;
	assert_true(cm_sql_migration_count >= 1);
	assert_int_equal(cm_sql_migrations[0].version, 1);
	for (size_t i = 0; i < cm_sql_migration_count; i++) {
		char prefix[8];

		snprintf(prefix, sizeof(prefix), "%04d_",
		    cm_sql_migrations[i].version);
		assert_memory_equal(cm_sql_migrations[i].name, prefix, 5);
		assert_true(strlen(cm_sql_migrations[i].sql) > 0);
		if (i > 0) {
			assert_true(cm_sql_migrations[i].version >
			    cm_sql_migrations[i - 1].version);
		}
	}
	assert_int_equal(cm_pg_schema_version(),
	    cm_sql_migrations[cm_sql_migration_count - 1].version);
	assert_non_null(strstr(cm_sql_migrations[0].sql,
	    "CREATE TABLE territories"));
}

static void
test_dead_server(void **state)
{
	PGconn *c = NULL;
	time_t  t0 = time(NULL);

	(void) state;
	/* Port 1 on loopback: nothing listens there. */
	assert_int_equal(cm_pg_connect("postgresql://nd@127.0.0.1:1/nd", 2,
	                     &c), CM_EDB);
	assert_null(c);
	assert_true(time(NULL) - t0 <= 3);
	assert_int_equal(cm_pg_ping(NULL), CM_EDB);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrations_ordered),
		cmocka_unit_test(test_dead_server),
	};

	cm_log_init("test", -1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
