/*
 * cm_redis.h: blocking Redis connections for threads that own one.
 *
 * A cm_redis wraps a hiredis context that reconnects on demand: after an I/O
 * error the context is dropped, and the next command reconnects (with the
 * configured timeout) before it runs.  One cm_redis belongs to one thread.
 */
#ifndef CM_REDIS_H
#define CM_REDIS_H

#include <hiredis/hiredis.h>

#include "cm_err.h"

typedef struct cm_redis cm_redis;

/*
 * cm_redis_new makes a handle for "host:port" with connect and command
 * timeouts of timeout_ms.  It does not connect yet.  Returns CM_EINVAL for a
 * malformed address.
 */
cm_err cm_redis_new(const char *addr, int timeout_ms, cm_redis **out);

/* cm_redis_free closes and frees r. */
void cm_redis_free(cm_redis *r);

/*
 * cm_redis_command runs one command (hiredis redisCommandArgv style) and
 * stores the reply in *out (free with freeReplyObject).  Error replies are
 * replies, not failures.  Returns CM_EREDIS when Redis cannot be reached or
 * the connection broke (the context is dropped and rebuilt next time).
 */
cm_err cm_redis_command(cm_redis *r, int argc, const char **argv,
    const size_t *argvlen, redisReply **out);

/*
 * cm_redis_append queues one command without waiting (connecting first if
 * needed); cm_redis_collect then reads the replies of every queued command
 * (n of them) and counts error replies in *errors.  One round trip for many
 * commands.  Either returns CM_EREDIS when the connection broke; the queue
 * is then gone.
 */
cm_err cm_redis_append(cm_redis *r, int argc, const char **argv,
    const size_t *argvlen);
cm_err cm_redis_collect(cm_redis *r, int n, int *errors);

/*
 * cm_redis_collect_replies is cm_redis_collect keeping the replies: out[i]
 * is the reply of the i-th queued command (free each with
 * freeReplyObject).  On CM_EREDIS none is kept.
 */
cm_err cm_redis_collect_replies(cm_redis *r, int n, redisReply **out);

/* cm_redis_ping returns CM_OK when Redis answers PING. */
cm_err cm_redis_ping(cm_redis *r);

#endif
