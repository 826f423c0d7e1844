/*
 * curl_body.h: a bounded buffer for the bodies libcurl receives, shared by
 * the programs that talk HTTP as clients (ndctl, the benchmarks, tests).
 * Header-only: each user is one file.  A body longer than the buffer is
 * cut (the transfer still succeeds); the text is always NUL-terminated.
 */
#ifndef CURL_BODY_H
#define CURL_BODY_H

#include <stddef.h>
#include <string.h>

typedef struct curl_body {
	char   data[8192];
	size_t len;
} curl_body;

/* curl_body_reset empties b before a transfer. */
static inline void
curl_body_reset(curl_body *b)
{
	b->len     = 0;
	b->data[0] = '\0';
}

/* curl_body_write is a CURLOPT_WRITEFUNCTION with a curl_body as data. */
static inline size_t
curl_body_write(char *p, size_t size, size_t n, void *arg)
{
	curl_body *b    = arg;
	size_t     take = size * n;

	if (take > sizeof(b->data) - 1 - b->len) {
		take = sizeof(b->data) - 1 - b->len;
	}
	memcpy(b->data + b->len, p, take);
	b->len += take;
	b->data[b->len] = '\0';
	return (size * n);
}

#endif
