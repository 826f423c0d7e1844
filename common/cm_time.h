/*
 * cm_time.h: clocks, RFC 3339 parsing and ISO 8601 formatting.
 *
 * Wall-clock times are int64_t milliseconds since the Unix epoch (UTC,
 * leap seconds ignored, as POSIX time does).  Monotonic times are int64_t
 * nanoseconds from an arbitrary origin and are only meaningful as
 * differences.  All functions are thread-safe.
 */
#ifndef CM_TIME_H
#define CM_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

/* Length of cm_time_format_iso output without the NUL. */
#define CM_TIME_ISO_LEN 24

/* cm_time_now_ms returns the wall-clock time (CLOCK_REALTIME) in ms. */
int64_t cm_time_now_ms(void);

/* cm_time_mono_ns returns the CLOCK_MONOTONIC time in ns. */
int64_t cm_time_mono_ns(void);

/*
 * cm_time_parse_rfc3339 parses exactly the len chars of s (not necessarily
 * NUL-terminated) as an RFC 3339 date-time:
 *
 *   YYYY-MM-DDTHH:MM:SS[.F+](Z|+HH:MM|-HH:MM)
 *
 * Strictness: "T" and "Z" must be upper case; the month, the day (against
 * the month's length, Gregorian leap years), hour 00-23, minute 00-59,
 * second 00-59 and offset (00-23:00-59) are range-checked; leap second 60
 * is refused because epoch milliseconds cannot represent it.  Any number
 * of fraction digits is accepted; digits past milliseconds are truncated.
 * Nothing may precede or follow the date-time.
 *
 * Returns CM_OK and writes the UTC instant to *ms, or CM_EINVAL.
 */
cm_err cm_time_parse_rfc3339(const char *s, size_t len, int64_t *ms);

/*
 * cm_time_format_iso writes ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" plus a NUL
 * (25 bytes) to out.  Instants before 0000-01-01T00:00:00.000Z or after
 * 9999-12-31T23:59:59.999Z are clamped to those bounds.
 */
void cm_time_format_iso(int64_t ms, char out[25]);

#endif
