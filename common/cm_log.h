/*
 * cm_log.h: structured logs, one JSON object per line on stdout.
 *
 * Every line carries ts (RFC 3339, UTC, milliseconds), level, proc, shard
 * (when the process is a shard) and msg, then the caller's fields.  Fields
 * are given as a jansson json_pack() format for an object and its
 * arguments, e.g.
 *
 *	cm_log_info("listening", "{s:s,s:i}", "addr", addr, "port", port);
 *
 * so values are always escaped correctly.  Safe to call from any thread:
 * a line is written with one locked fwrite and flushed.  Secrets must never
 * be passed as fields.
 */
#ifndef CM_LOG_H
#define CM_LOG_H

#include <stdarg.h>

typedef enum cm_log_level {
	CM_LOG_DEBUG = 0,
	CM_LOG_INFO,
	CM_LOG_WARN,
	CM_LOG_ERROR,
} cm_log_level;

/*
 * cm_log_init names the process in every later line.  shard is the shard
 * index, or -1 for processes that are not shards.  The level comes from
 * LOG_LEVEL (debug, info, warn, error; default info).  Call once, before
 * any thread logs.
 */
void cm_log_init(const char *proc, int shard);

/*
 * cm_log writes one line at level with message msg.  fields is a
 * json_pack() object format (or NULL for no fields) followed by its
 * arguments.  A bad format is reported in the line instead of the fields.
 */
void cm_log(cm_log_level level, const char *msg, const char *fields, ...);

#define cm_log_debug(...) cm_log(CM_LOG_DEBUG, __VA_ARGS__)
#define cm_log_info(...) cm_log(CM_LOG_INFO, __VA_ARGS__)
#define cm_log_warn(...) cm_log(CM_LOG_WARN, __VA_ARGS__)
#define cm_log_error(...) cm_log(CM_LOG_ERROR, __VA_ARGS__)

#endif
