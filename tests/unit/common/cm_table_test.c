/*
 * cm_table_test.c: unit tests for common/cm_table.c: puts, gets and
 * deletes against a reference (a plain array) under growth and
 * backward-shift deletion, string and 64-bit keys, overlong keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cm_table.h"

#define N 20000

static void
test_against_reference(void **state)
{
	static int present[N];
	cm_table  *t = cm_table_new(0);
	uint64_t   s = 12345;

	(void) state;
	memset(present, 0, sizeof(present));
	for (int i = 0; i < 200000; i++) {
		uint64_t k;

		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		k = (s >> 33) % N;
		if ((s >> 20) % 3 == 0) {
			void *v = cm_table_del_u64(t, k);

			assert_true(present[k] ? v == &present[k] : v == NULL);
			present[k] = 0;
		} else {
			cm_table_put_u64(t, k, &present[k]);
			present[k] = 1;
		}
	}
	for (uint64_t k = 0; k < N; k++) {
		void *v = cm_table_get_u64(t, k);

		assert_true(present[k] ? v == &present[k] : v == NULL);
	}
	{
		size_t n = 0;

		for (int k = 0; k < N; k++) {
			n += (size_t) present[k];
		}
		assert_int_equal(cm_table_count(t), n);
	}
	cm_table_free(t);
}

static void
count_cb(void *arg, void *val)
{
	(void) val;
	(*(int *) arg)++;
}

static void
test_strings(void **state)
{
	cm_table *t = cm_table_new(4);
	char      a[] = "0x1111111111111111111111111111111111111111";
	char      b[] = "0x1111111111111111111111111111111111111112";
	int       x = 1, y = 2, n = 0;
	char      big[CM_TABLE_KEY_MAX + 8];

	(void) state;
	cm_table_put_str(t, a, &x);
	cm_table_put_str(t, b, &y);
	assert_ptr_equal(cm_table_get_str(t, a), &x);
	assert_ptr_equal(cm_table_get_str(t, b), &y);
	assert_null(cm_table_get_str(t, "0x"));
	cm_table_put_str(t, a, &y); /* replaces */
	assert_ptr_equal(cm_table_get_str(t, a), &y);
	assert_int_equal(cm_table_count(t), 2);
	cm_table_each(t, count_cb, &n);
	assert_int_equal(n, 2);
	memset(big, 'k', sizeof(big));
	assert_null(cm_table_get(t, big, sizeof(big))); /* too long: absent */
	assert_null(cm_table_del(t, big, sizeof(big)));
	assert_true(cm_table_bytes(t) > 0);
	cm_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_reference),
		cmocka_unit_test(test_strings),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
