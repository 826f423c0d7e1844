/*
 * cm_log.c: JSON-lines logging.
 *
 * Lines are composed in full with jansson and written with a single fwrite
 * under the stdio lock, so lines from different threads never interleave.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_log.h"
#include "cm_time.h"

static const char  *log_proc  = "?";
static int          log_shard = -1;
static cm_log_level log_min   = CM_LOG_INFO;

static const char *const log_names[] = { "debug", "info", "warn", "error" };

void
cm_log_init(const char *proc, int shard)
{
	const char *lv = getenv("LOG_LEVEL");

	log_proc  = proc;
	log_shard = shard;
	if (lv != NULL) {
		for (int i = 0; i < 4; i++) {
			if (strcmp(lv, log_names[i]) == 0) {
				log_min = (cm_log_level) i;
			}
		}
	}
}

void
cm_log(cm_log_level level, const char *msg, const char *fields, ...)
{
	json_t      *line;
	json_t      *extra = NULL;
	json_error_t jerr;
	char         ts[32];
	char        *text;
	va_list      ap;

	if (level < log_min) {
		return;
	}
	if (fields != NULL) {
		va_start(ap, fields);
		extra = json_vpack_ex(&jerr, 0, fields, ap);
		va_end(ap);
	}
	cm_time_format_iso(cm_time_now_ms(), ts);
	line = json_pack("{s:s,s:s,s:s}", "ts", ts, "level",
	    log_names[level], "proc", log_proc);
	if (log_shard >= 0) {
		json_object_set_new(line, "shard", json_integer(log_shard));
	}
	json_object_set_new(line, "msg", json_string(msg ? msg : ""));
	if (extra != NULL && json_is_object(extra)) {
		json_object_update_missing(line, extra);
	} else if (fields != NULL) {
		json_object_set_new(
		    line, "log_error", json_string(jerr.text));
	}
	json_decref(extra);
	text = json_dumps(line, JSON_COMPACT);
	json_decref(line);
	if (text == NULL) {
		return;
	}
	flockfile(stdout);
	fputs(text, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	funlockfile(stdout);
	free(text);
}
