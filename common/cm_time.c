/*
 * cm_time.c: clocks, strict RFC 3339 parsing and ISO 8601 formatting.
 *
 * Calendar arithmetic uses the proleptic Gregorian calendar through Howard
 * Hinnant's days_from_civil / civil_from_days algorithms, which are exact
 * for every year handled here (0000-9999) and need no tables or libc time
 * functions (timegm and gmtime_r depend on TZ handling and on time_t).
 *
 * The parser walks a fixed layout with a cursor; every field is a fixed
 * count of ASCII digits, so no strtol (which would accept signs and
 * spaces) is involved.
 */
#include <time.h>

#include "cm_alloc.h"
#include "cm_time.h"

#define MS_PER_DAY 86400000LL

/* The clamping bounds of cm_time_format_iso. */
#define TIME_MIN_MS (-62167219200000LL)  // 0000-01-01T00:00:00.000Z
#define TIME_MAX_MS (253402300799999LL)  // 9999-12-31T23:59:59.999Z

int64_t
cm_time_now_ms(void)
{
	struct timespec ts;

	cm_assert(clock_gettime(CLOCK_REALTIME, &ts) == 0);
	return ((int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int64_t
cm_time_mono_ns(void)
{
	struct timespec ts;

	cm_assert(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
	return ((int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec);
}

static int
time_is_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
time_days_in_month(int64_t y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && time_is_leap(y)) {
		return (29);
	}
	return (days[m - 1]);
}

/* Days since 1970-01-01 of the civil date y-m-d (m 1..12, d 1..31). */
static int64_t
time_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* Inverse of time_days_from_civil. */
static void
time_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/*
 * Reads exactly n decimal digits at s[*pos] into *v and advances *pos.
 * Returns 0, or -1 when the input is too short or a char is not a digit.
 */
static int
time_digits(const char *s, size_t len, size_t *pos, int n, int *v)
{
	int acc = 0;

	if (len - *pos < (size_t) n) {
		return (-1);
	}
	for (int i = 0; i < n; i++) {
		char c = s[*pos + (size_t) i];
		if (c < '0' || c > '9') {
			return (-1);
		}
		acc = acc * 10 + (c - '0');
	}
	*pos += (size_t) n;
	*v = acc;
	return (0);
}

/* Consumes the char c at s[*pos]; returns 0, or -1 if it is not there. */
static int
time_lit(const char *s, size_t len, size_t *pos, char c)
{
	if (*pos >= len || s[*pos] != c) {
		return (-1);
	}
	(*pos)++;
	return (0);
}

/* Parses "Z" or "+HH:MM" / "-HH:MM" into an offset in minutes east. */
static int
time_offset(const char *s, size_t len, size_t *pos, int *off_min)
{
	int sign, oh, om;

	if (*pos < len && s[*pos] == 'Z') {
		(*pos)++;
		*off_min = 0;
		return (0);
	}
	if (*pos >= len || (s[*pos] != '+' && s[*pos] != '-')) {
		return (-1);
	}
	sign = s[*pos] == '-' ? -1 : 1;
	(*pos)++;
	if (time_digits(s, len, pos, 2, &oh) != 0 ||
	    time_lit(s, len, pos, ':') != 0 ||
	    time_digits(s, len, pos, 2, &om) != 0 || oh > 23 || om > 59) {
		return (-1);
	}
	*off_min = sign * (oh * 60 + om);
	return (0);
}

cm_err
cm_time_parse_rfc3339(const char *s, size_t len, int64_t *ms)
{
	size_t pos = 0;
	int y, mo, d, h, mi, sec, frac_ms = 0, off_min;
	int64_t days, t;

	if (time_digits(s, len, &pos, 4, &y) != 0 ||
	    time_lit(s, len, &pos, '-') != 0 ||
	    time_digits(s, len, &pos, 2, &mo) != 0 ||
	    time_lit(s, len, &pos, '-') != 0 ||
	    time_digits(s, len, &pos, 2, &d) != 0 ||
	    time_lit(s, len, &pos, 'T') != 0 ||
	    time_digits(s, len, &pos, 2, &h) != 0 ||
	    time_lit(s, len, &pos, ':') != 0 ||
	    time_digits(s, len, &pos, 2, &mi) != 0 ||
	    time_lit(s, len, &pos, ':') != 0 ||
	    time_digits(s, len, &pos, 2, &sec) != 0) {
		return (CM_EINVAL);
	}
	if (mo < 1 || mo > 12 || d < 1 || d > time_days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 59) {
		return (CM_EINVAL);
	}
	if (pos < len && s[pos] == '.') {
		int ndig = 0;
		pos++;
		while (pos < len && s[pos] >= '0' && s[pos] <= '9') {
			if (ndig < 3) {
				frac_ms = frac_ms * 10 + (s[pos] - '0');
			}
			ndig++;
			pos++;
		}
		if (ndig == 0) {
			return (CM_EINVAL);
		}
		for (; ndig < 3; ndig++) {
			frac_ms *= 10;
		}
	}
	if (time_offset(s, len, &pos, &off_min) != 0 || pos != len) {
		return (CM_EINVAL);
	}
	days = time_days_from_civil(y, mo, d);
	t = days * MS_PER_DAY + ((int64_t) h * 3600 + mi * 60 + sec) * 1000 +
	    frac_ms - (int64_t) off_min * 60000;
	*ms = t;
	return (CM_OK);
}

/* Writes v as exactly n decimal digits (v must fit). */
static void
time_put(char *out, int n, int64_t v)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char) ('0' + v % 10);
		v /= 10;
	}
}

void
cm_time_format_iso(int64_t ms, char out[25])
{
	int64_t days, rem, y;
	int m, d;

	if (ms < TIME_MIN_MS) {
		ms = TIME_MIN_MS;
	} else if (ms > TIME_MAX_MS) {
		ms = TIME_MAX_MS;
	}
	days = ms / MS_PER_DAY;
	rem = ms % MS_PER_DAY;
	if (rem < 0) {
		rem += MS_PER_DAY;
		days--;
	}
	time_civil_from_days(days, &y, &m, &d);
	time_put(out, 4, y);
	out[4] = '-';
	time_put(out + 5, 2, m);
	out[7] = '-';
	time_put(out + 8, 2, d);
	out[10] = 'T';
	time_put(out + 11, 2, rem / 3600000);
	out[13] = ':';
	time_put(out + 14, 2, rem / 60000 % 60);
	out[16] = ':';
	time_put(out + 17, 2, rem / 1000 % 60);
	out[19] = '.';
	time_put(out + 20, 3, rem % 1000);
	out[23] = 'Z';
	out[24] = '\0';
}
