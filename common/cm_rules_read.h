/*
 * cm_rules_read.h: common-internal, for the rules loader only
 * (cm_rules_load.c and cm_rules_load_<section>.c): the strict JSON readers
 * and the error they report.
 *
 * Most objects are read by a table of fields (key, kind, offset, range):
 * the struct member has the JSON key's name wherever it can.  Every key of
 * a table is required and no other key is allowed.  The reader keeps the
 * path of the value being read (rctx.path, like units[3]) and the first
 * problem found, as "rules: <path>.<key>: <problem>".  Errors are sticky:
 * after the first one every reader returns at once, so the section
 * readers need not check after each field.
 *
 * All of it runs on the thread that loads the rules; nothing here is
 * shared between threads.
 */
#ifndef CM_RULES_READ_H
#define CM_RULES_READ_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "cm_rules.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

enum rkind {
	RK_SKIP,  /* required, read by the caller */
	RK_INT,   /* integer in lo..hi -> int */
	RK_INTN,  /* null (-> -1) or integer in lo..hi -> int */
	RK_I64,   /* integer in lo..hi -> int64_t */
	RK_BOOL,  /* true/false -> bool */
	RK_FIX10, /* number with at most one decimal, x10 in lo..hi -> int */
	RK_ID,    /* [a-z0-9_/]{1,31} -> char[CM_ID_MAX] */
	RK_NAME,  /* printable ASCII {1,47} -> char[CM_NAME_MAX] */
	RK_ENUM,  /* one of names -> int index */
	RK_ENUMN, /* null (-> -1) or one of names -> int index */
	RK_ENUMS, /* one of names -> the name, char[CM_ID_MAX] */
};

typedef struct rfield {
	const char        *key;
	enum rkind         kind;
	size_t             off;
	long long          lo, hi;
	const char *const *names;
	int                nnames;
} rfield;

#define F_SKIP(k) { k, RK_SKIP, 0, 0, 0, NULL, 0 }
#define F_INT_(s, m, lo, hi) { #m, RK_INT, offsetof(s, m), lo, hi, NULL, 0 }
#define F_INT(s, m, ...) F_INT_(s, m, __VA_ARGS__)
#define F_INTK_(k, s, m, lo, hi) { k, RK_INT, offsetof(s, m), lo, hi, NULL, 0 }
#define F_INTK(k, s, m, ...) F_INTK_(k, s, m, __VA_ARGS__)
#define F_INTN_(k, s, m, lo, hi)                            \
	{                                                   \
		k, RK_INTN, offsetof(s, m), lo, hi, NULL, 0 \
	}
#define F_INTN(k, s, m, ...) F_INTN_(k, s, m, __VA_ARGS__)
#define F_BOOL(s, m) { #m, RK_BOOL, offsetof(s, m), 0, 0, NULL, 0 }
#define F_BOOLK(k, s, m) { k, RK_BOOL, offsetof(s, m), 0, 0, NULL, 0 }
#define F_ID(s, m) { #m, RK_ID, offsetof(s, m), 0, 0, NULL, 0 }
#define F_NAME(s, m) { #m, RK_NAME, offsetof(s, m), 0, 0, NULL, 0 }
#define F_ENUM(k, s, m, n) \
	{ k, RK_ENUM, offsetof(s, m), 0, 0, n, (int) NITEMS(n) }
#define F_ENUMN(k, s, m, n) \
	{ k, RK_ENUMN, offsetof(s, m), 0, 0, n, (int) NITEMS(n) }
#define F_ENUMS(k, s, m, n) \
	{ k, RK_ENUMS, offsetof(s, m), 0, 0, n, (int) NITEMS(n) }

#define PCT_DELTA -100, 1000 /* a signed percentage change */
#define PCT 0, 100           /* a share */
#define MULT 0, 1000         /* a factor in percent */
#define BIG 0, 1000000

typedef struct rctx {
	char   path[192];
	size_t plen;
	char  *err;
	size_t errlen;
	bool   bad;
} rctx;

/* A row of a D20 table or of a band list, before it is spread out. */
typedef struct rrow {
	int  from, to;
	int  v;
	bool f1, f2;
} rrow;

/*
 * cm__rfail records the first problem, "rules: <path>.<key>: <fmt...>"
 * (key may be NULL: then just the path), into c->err; later calls do
 * nothing.  Sets c->bad.
 */
void cm__rfail(rctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * cm__rpush appends ".key" (or "key" at the top), or "[idx]" when key is
 * NULL, to the path; returns the old length for cm__rpop, which cuts the
 * path back to it.
 */
size_t cm__rpush(rctx *c, const char *key, int idx);
void   cm__rpop(rctx *c, size_t old);

/* cm__rnames writes names[0..n-1] as "a, b, c" into buf (len bytes). */
void cm__rnames(char *buf, size_t len, const char *const *names, int n);

/*
 * cm__rread reads object o by its field table f[0..n-1] into base: every
 * field required, no other key allowed.  Returns false when o is not an
 * object, a field is bad, or an error was already recorded (RK_SKIP
 * fields are left to the caller).
 */
bool cm__rread(rctx *c, json_t *o, const rfield *f, size_t n, void *base);

/*
 * cm__rread_key is cm__rread of o[key] with ".key" on the path while it
 * reads (o may be NULL: then o[key] is missing).  Returns cm__rread's
 * answer.
 */
bool cm__rread_key(rctx *c, json_t *o, const char *key, const rfield *f,
    size_t n, void *base);

/*
 * cm__rarr returns o[key] when it is an array of min..max items (borrowed
 * from o), else NULL with the error recorded.
 */
json_t *cm__rarr(rctx *c, json_t *o, const char *key, size_t min,
    size_t max);

/*
 * cm__rorder checks item i's id, the string at ids + i * stride: unique
 * among items 0..i-1 and equal to want[i] when want is not NULL; and
 * chain == want_chain when chain >= 0.
 */
void cm__rorder(rctx *c, const char *ids, size_t stride, int i,
    const char *const *want, int chain, int want_chain);

/*
 * cm__rd20 reads the D20 table o[key]: rows {from, to, <vf fields into an
 * rrow>} in order, covering faces 1..20 exactly once; fills v[face] and
 * f1[face], f2[face] (either may be NULL) from the rows.  nvf <= 3.
 */
void cm__rd20(rctx *c, json_t *o, const char *key, const rfield *vf,
    size_t nvf, int v[21], bool f1[21], bool f2[21]);

/*
 * cm__rd20_mult reads the D20 table o[key] of multipliers, rows {from, to,
 * mult_pct (a factor in percent, 0..1000)}, into v[face].
 */
void cm__rd20_mult(rctx *c, json_t *o, const char *key, int v[21]);

/*
 * cm__rbands reads the band list o[key] of rows {<from>, <to>, values}
 * into out[0..CM_BANDS_MAX-1] by the field table f (f[0] and f[1] are the
 * from and to keys): in order, contiguous from first; the last row ends at
 * last, or has to = null when last is -1.  Returns the number of rows
 * read.
 */
int cm__rbands(rctx *c, json_t *o, const char *key, const rfield *f,
    size_t nf, cm_day_band *out, int first, int last);

/*
 * cm__rbands_n is cm__rbands into tmp, with an open end, that must hold
 * exactly want bands; returns tmp.
 */
const cm_day_band *cm__rbands_n(rctx *c, json_t *o, const char *key,
    const rfield *f, size_t nf, int first, int want,
    cm_day_band tmp[CM_BANDS_MAX]);

/*
 * cm__rset reads o[key], an array of distinct names out of names[0..n-1],
 * setting flags[index] for each.
 */
void cm__rset(rctx *c, json_t *o, const char *key,
    const char *const *names, int n, bool *flags);

/*
 * cm__rkeyed reads o[key], an object with exactly the keys names[0..n-1]
 * (n <= CM_RULES_TERRAIN_COUNT), each an integer in lo..hi, into out[i]
 * by name.
 */
void cm__rkeyed(rctx *c, json_t *o, const char *key,
    const char *const *names, int n, long long lo, long long hi, int *out);

#endif
