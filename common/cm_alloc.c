/* cm_alloc.c: allocation helpers that abort on exhaustion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"

static void
alloc_oom(size_t n)
{
	fprintf(stderr, "out of memory allocating %zu bytes\n", n);
	abort();
}

void *
cm_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL) {
		alloc_oom(n);
	}
	return (p);
}

void *
cm_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL) {
		alloc_oom(n * size);
	}
	return (p);
}

void *
cm_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL) {
		alloc_oom(n);
	}
	return (q);
}

char *
cm_strdup(const char *s)
{
	return (cm_strndup(s, strlen(s)));
}

char *
cm_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = cm_malloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

void
cm__assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "assertion failed: %s (%s:%d)\n", expr, file, line);
	abort();
}
