/* cm_redis.c: blocking hiredis context with reconnect on demand. */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "cm_addr.h"
#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_redis.h"

struct cm_redis {
	char          host[256];
	int           port;
	struct timeval tmo;
	redisContext *ctx;
};

cm_err
cm_redis_new(const char *addr, int timeout_ms, cm_redis **out)
{
	cm_redis *r = cm_calloc(1, sizeof(*r));

	if (cm_addr_split(addr, r->host, sizeof(r->host), &r->port) !=
	    CM_OK) {
		free(r);
		return (CM_EINVAL);
	}
	r->tmo.tv_sec  = timeout_ms / 1000;
	r->tmo.tv_usec = (timeout_ms % 1000) * 1000;
	*out           = r;
	return (CM_OK);
}

void
cm_redis_free(cm_redis *r)
{
	if (r == NULL) {
		return;
	}
	if (r->ctx != NULL) {
		redisFree(r->ctx);
	}
	free(r);
}

static cm_err
redis_connect(cm_redis *r)
{
	redisContext *c = redisConnectWithTimeout(r->host, r->port, r->tmo);

	if (c == NULL || c->err != 0) {
		if (c != NULL) {
			cm_log_warn("redis connect failed", "{s:s,s:i,s:s}",
			    "host", r->host, "port", r->port, "error",
			    c->errstr);
			redisFree(c);
		}
		return (CM_EREDIS);
	}
	redisSetTimeout(c, r->tmo);
	r->ctx = c;
	return (CM_OK);
}

cm_err
cm_redis_command(cm_redis *r, int argc, const char **argv,
    const size_t *argvlen, redisReply **out)
{
	redisReply *rep;

	if (r->ctx == NULL && redis_connect(r) != CM_OK) {
		return (CM_EREDIS);
	}
	rep = redisCommandArgv(r->ctx, argc, argv, argvlen);
	if (rep == NULL) {
		cm_log_warn("redis command failed", "{s:s}", "error",
		    r->ctx->errstr);
		redisFree(r->ctx);
		r->ctx = NULL;
		return (CM_EREDIS);
	}
	*out = rep;
	return (CM_OK);
}

cm_err
cm_redis_ping(cm_redis *r)
{
	const char *argv[] = { "PING" };
	redisReply *rep;
	cm_err      rv;

	if ((rv = cm_redis_command(r, 1, argv, NULL, &rep)) != CM_OK) {
		return (rv);
	}
	rv = (rep->type == REDIS_REPLY_STATUS) ? CM_OK : CM_EREDIS;
	freeReplyObject(rep);
	return (rv);
}

cm_err
cm_redis_append(cm_redis *r, int argc, const char **argv,
    const size_t *argvlen)
{
	if (r->ctx == NULL && redis_connect(r) != CM_OK) {
		return (CM_EREDIS);
	}
	if (redisAppendCommandArgv(r->ctx, argc, argv, argvlen) != REDIS_OK) {
		redisFree(r->ctx);
		r->ctx = NULL;
		return (CM_EREDIS);
	}
	return (CM_OK);
}

cm_err
cm_redis_collect_replies(cm_redis *r, int n, redisReply **out)
{
	for (int i = 0; i < n; i++) {
		void *rep = NULL;

		if (r->ctx == NULL || redisGetReply(r->ctx, &rep) != REDIS_OK ||
		    rep == NULL) {
			if (r->ctx != NULL) {
				cm_log_warn("redis pipeline failed", "{s:s}",
				    "error", r->ctx->errstr);
				redisFree(r->ctx);
				r->ctx = NULL;
			}
			for (int j = 0; j < i; j++) {
				freeReplyObject(out[j]);
				out[j] = NULL;
			}
			return (CM_EREDIS);
		}
		out[i] = rep;
	}
	return (CM_OK);
}

cm_err
cm_redis_collect(cm_redis *r, int n, int *errors)
{
	*errors = 0;
	for (int i = 0; i < n; i++) {
		redisReply *rep;

		if (cm_redis_collect_replies(r, 1, &rep) != CM_OK) {
			return (CM_EREDIS);
		}
		*errors += rep->type == REDIS_REPLY_ERROR;
		freeReplyObject(rep);
	}
	return (CM_OK);
}
