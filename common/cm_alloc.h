/*
 * cm_alloc.h: allocation that never returns NULL.
 *
 * Out of memory is not a condition the servers can recover from in a useful
 * way, so these abort with a message instead (as redis and h2o do); callers
 * do not check for NULL.
 */
#ifndef CM_ALLOC_H
#define CM_ALLOC_H

#include <stddef.h>

/* cm_malloc allocates n bytes (n == 0 allocates 1) or aborts. */
void *cm_malloc(size_t n);
/* cm_calloc allocates zeroed n * size bytes or aborts (overflow aborts). */
void *cm_calloc(size_t n, size_t size);
/* cm_realloc resizes p to n bytes or aborts. */
void *cm_realloc(void *p, size_t n);
/* cm_strdup copies a NUL-terminated string or aborts. */
char *cm_strdup(const char *s);
/* cm_strndup copies at most n bytes of s, adding a NUL, or aborts. */
char *cm_strndup(const char *s, size_t n);

/* cm_assert aborts with file and line when an invariant is broken. */
#define cm_assert(e) \
	((e) ? (void) 0 : cm__assert_fail(#e, __FILE__, __LINE__))
void cm__assert_fail(const char *expr, const char *file, int line);

#endif
