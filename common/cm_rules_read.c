/*
 * cm_rules_read.c: the strict JSON readers of the rules loader: field
 * tables, arrays, ids in chain order, D20 face tables, day bands, sets of
 * names, and the first error with its path (cm_rules_read.h).
 *
 * A reader called after an error returns at once, so a section reads
 * field after field and checks c->bad only where it computes with what it
 * read.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_rules_read.h"

/* cm__rfail records the first problem, at the current path plus key. */
void
cm__rfail(rctx *c, const char *key, const char *fmt, ...)
{
	char    msg[512];
	va_list ap;

	if (c->bad) {
		return;
	}
	c->bad = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->plen == 0 && key == NULL) {
		snprintf(c->err, c->errlen, "rules: %s", msg);
	} else {
		snprintf(c->err, c->errlen, "rules: %s%s%s: %s", c->path,
		    c->plen > 0 && key != NULL ? "." : "", key ? key : "",
		    msg);
	}
}

/* cm__rpush appends ".key", "key" or "[i]" to the path; cm__rpop undoes it. */
size_t
cm__rpush(rctx *c, const char *key, int idx)
{
	size_t old = c->plen;
	int    n;

	if (key != NULL) {
		n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen,
		    "%s%s", c->plen > 0 ? "." : "", key);
	} else {
		n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen,
		    "[%d]", idx);
	}
	if (n > 0) {
		c->plen += (size_t) n;
		if (c->plen >= sizeof(c->path)) {
			c->plen = sizeof(c->path) - 1;
		}
	}
	return (old);
}

void
cm__rpop(rctx *c, size_t old)
{
	c->plen       = old;
	c->path[old] = '\0';
}

void
cm__rnames(char *buf, size_t len, const char *const *names, int n)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && at < len; i++) {
		int w = snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
		    names[i]);

		at += w > 0 ? (size_t) w : 0;
	}
}

static int
rlookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i], s) == 0) {
			return (i);
		}
	}
	return (-1);
}

static bool
rid_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CM_ID_MAX) {
		return (false);
	}
	for (size_t i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		        s[i] == '/')) {
			return (false);
		}
	}
	return (true);
}

static bool
rname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CM_NAME_MAX) {
		return (false);
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 32 || s[i] > 126) {
			return (false);
		}
	}
	return (true);
}

/* rfield_read stores v, the value of field f, into base. */
static void
rfield_read(rctx *c, const rfield *f, json_t *v, char *base)
{
	char      list[400];
	long long x;
	int       i;

	switch (f->kind) {
	case RK_SKIP:
		return;
	case RK_INTN:
		if (json_is_null(v)) {
			*(int *) (base + f->off) = -1;
			return;
		}
		/* FALLTHROUGH */
	case RK_INT:
	case RK_I64:
		if (!json_is_integer(v) || json_integer_value(v) < f->lo ||
		    json_integer_value(v) > f->hi) {
			cm__rfail(c, f->key,
			    "expected %san integer in %lld..%lld",
			    f->kind == RK_INTN ? "null or " : "", f->lo,
			    f->hi);
			return;
		}
		if (f->kind == RK_I64) {
			*(int64_t *) (base + f->off) = json_integer_value(v);
		} else {
			*(int *) (base + f->off) = (int) json_integer_value(v);
		}
		return;
	case RK_BOOL:
		if (!json_is_boolean(v)) {
			cm__rfail(c, f->key, "expected true or false");
			return;
		}
		*(bool *) (base + f->off) = json_is_true(v);
		return;
	case RK_FIX10: {
		double d = json_is_number(v) ? json_number_value(v) * 10 : NAN;

		x = isfinite(d) ? llround(d) : 0;
		if (!isfinite(d) || fabs(d - (double) x) > 1e-6 || x < f->lo ||
		    x > f->hi) {
			cm__rfail(c, f->key,
			    "expected a number in %g..%g with at most one "
			    "decimal",
			    (double) f->lo / 10, (double) f->hi / 10);
			return;
		}
		*(int *) (base + f->off) = (int) x;
		return;
	}
	case RK_ID:
		if (!json_is_string(v) || !rid_ok(json_string_value(v))) {
			cm__rfail(c, f->key,
			    "expected an id (1..%d of a-z 0-9 _ /)",
			    CM_ID_MAX - 1);
			return;
		}
		snprintf(base + f->off, CM_ID_MAX, "%s", json_string_value(v));
		return;
	case RK_NAME:
		if (!json_is_string(v) || !rname_ok(json_string_value(v))) {
			cm__rfail(c, f->key,
			    "expected a name (1..%d printable ASCII "
			    "characters)",
			    CM_NAME_MAX - 1);
			return;
		}
		snprintf(base + f->off, CM_NAME_MAX, "%s",
		    json_string_value(v));
		return;
	case RK_ENUMN:
		if (json_is_null(v)) {
			*(int *) (base + f->off) = -1;
			return;
		}
		/* FALLTHROUGH */
	case RK_ENUM:
	case RK_ENUMS:
		i = json_is_string(v)
		    ? rlookup(f->names, f->nnames, json_string_value(v))
		    : -1;
		if (i < 0) {
			cm__rnames(list, sizeof(list), f->names, f->nnames);
			cm__rfail(c, f->key, "expected %sone of %s",
			    f->kind == RK_ENUMN ? "null or " : "", list);
			return;
		}
		if (f->kind == RK_ENUMS) {
			snprintf(base + f->off, CM_ID_MAX, "%s", f->names[i]);
		} else {
			*(int *) (base + f->off) = i;
		}
		return;
	}
}

/*
 * cm__rread reads object o by its field table into base: every field required,
 * no other key allowed.  Returns false when o is not an object or a field
 * is bad (RK_SKIP fields are left to the caller).
 */
bool
cm__rread(rctx *c, json_t *o, const rfield *f, size_t n, void *base)
{
	const char *k;
	json_t     *v;
	size_t      i;

	if (c->bad) {
		return (false);
	}
	if (!json_is_object(o)) {
		cm__rfail(c, NULL, "expected an object");
		return (false);
	}
	for (i = 0; i < n && !c->bad; i++) {
		if ((v = json_object_get(o, f[i].key)) == NULL) {
			cm__rfail(c, f[i].key, "missing key");
		} else {
			rfield_read(c, &f[i], v, base);
		}
	}
	json_object_foreach(o, k, v)
	{
		for (i = 0; i < n && strcmp(f[i].key, k) != 0; i++) {
		}
		if (i == n) {
			cm__rfail(c, k, "unknown key");
		}
	}
	return (!c->bad);
}

/* cm__rread_key is cm__rread of o[key], with key on the path. */
bool
cm__rread_key(rctx *c, json_t *o, const char *key, const rfield *f, size_t n,
    void *base)
{
	size_t old = cm__rpush(c, key, 0);
	bool   ok  = cm__rread(c, json_object_get(o, key), f, n, base);

	cm__rpop(c, old);
	return (ok);
}

/* cm__rarr returns o[key] when it is an array of min..max items. */
json_t *
cm__rarr(rctx *c, json_t *o, const char *key, size_t min, size_t max)
{
	json_t *a;

	if (c->bad) {
		return (NULL);
	}
	a = json_object_get(o, key);
	if (!json_is_array(a) || json_array_size(a) < min ||
	    json_array_size(a) > max) {
		if (min == max) {
			cm__rfail(c, key, "expected an array of %zu", min);
		} else {
			cm__rfail(c, key, "expected an array of %zu..%zu", min,
			    max);
		}
		return (NULL);
	}
	return (a);
}

/*
 * cm__rorder checks item i's id: unique among ids[0..i-1] (stride bytes apart)
 * and equal to want[i] when want is given; and its chain_index when
 * chain >= 0.
 */
void
cm__rorder(rctx *c, const char *ids, size_t stride, int i,
    const char *const *want, int chain, int want_chain)
{
	const char *id = ids + (size_t) i * stride;

	for (int j = 0; j < i; j++) {
		if (strcmp(ids + (size_t) j * stride, id) == 0) {
			cm__rfail(c, "id", "duplicate id \"%s\"", id);
			return;
		}
	}
	if (want != NULL && strcmp(id, want[i]) != 0) {
		cm__rfail(c, "id", "expected \"%s\" (chain order)", want[i]);
		return;
	}
	if (chain >= 0 && chain != want_chain) {
		cm__rfail(c, "chain_index", "expected %d (chain order)",
		    want_chain);
	}
}

/*
 * cm__rd20 reads the D20 table o[key]: rows {from, to, <fields>} in order,
 * covering faces 1..20 exactly once; fills v, f1, f2 (may be NULL) by face.
 */
void
cm__rd20(rctx *c, json_t *o, const char *key, const rfield *vf, size_t nvf,
    int v[21], bool f1[21], bool f2[21])
{
	rfield  f[5] = { F_INTK("from", rrow, from, 1, 20),
		 F_INTK("to", rrow, to, 1, 20) };
	json_t *a    = cm__rarr(c, o, key, 1, 20), *row;
	size_t  old, i;
	int     next = 1;

	memcpy(f + 2, vf, nvf * sizeof(*vf));
	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, key, 0);
	json_array_foreach(a, i, row)
	{
		size_t o2 = cm__rpush(c, NULL, (int) i);
		rrow   r  = { 0 };

		if (cm__rread(c, row, f, nvf + 2, &r)) {
			if (r.from != next) {
				cm__rfail(c, "from",
				    "expected %d (faces 1..20 each exactly "
				    "once)",
				    next);
			} else if (r.to < r.from) {
				cm__rfail(c, "to", "expected %d..20", r.from);
			}
		}
		for (int k = r.from; !c->bad && k <= r.to; k++) {
			v[k] = r.v;
			if (f1 != NULL) {
				f1[k] = r.f1;
			}
			if (f2 != NULL) {
				f2[k] = r.f2;
			}
		}
		next = r.to + 1;
		cm__rpop(c, o2);
	}
	if (!c->bad && next != 21) {
		cm__rfail(c, NULL,
		    "faces %d..20 missing (each face exactly once)", next);
	}
	cm__rpop(c, old);
}

/* cm__rd20_mult is cm__rd20 of rows {from, to, mult_pct} into v. */
void
cm__rd20_mult(rctx *c, json_t *o, const char *key, int v[21])
{
	static const rfield mult[] = { F_INTK("mult_pct", rrow, v, MULT) };

	cm__rd20(c, o, key, mult, 1, v, NULL, NULL);
}

/*
 * cm__rbands reads the band list o[key] of rows {<from>, <to>, values} into
 * out (a..c by the field table): in order, contiguous from first; the last
 * row ends at last, or has to = null when last is -1.
 */
int
cm__rbands(rctx *c, json_t *o, const char *key, const rfield *f, size_t nf,
    cm_day_band *out, int first, int last)
{
	json_t *a = cm__rarr(c, o, key, 1, CM_BANDS_MAX), *row;
	size_t  old, i, n = 0;
	int     next = first;

	if (a == NULL) {
		return (0);
	}
	old = cm__rpush(c, key, 0);
	json_array_foreach(a, i, row)
	{
		size_t       o2   = cm__rpush(c, NULL, (int) i);
		cm_day_band *b    = &out[i];
		bool         tail = i + 1 == json_array_size(a);

		memset(b, 0, sizeof(*b));
		if (cm__rread(c, row, f, nf, b)) {
			if (b->from_day != next) {
				cm__rfail(c, f[0].key,
				    "expected %d (bands contiguous from %d)",
				    next, first);
			} else if (b->to_day == -1 && !(tail && last == -1)) {
				cm__rfail(c, f[1].key,
				    "expected an integer >= %d", b->from_day);
			} else if (b->to_day != -1 &&
			    b->to_day < b->from_day) {
				cm__rfail(c, f[1].key,
				    "expected an integer >= %d", b->from_day);
			} else if (tail && b->to_day != last) {
				if (last == -1) {
					cm__rfail(c, f[1].key,
					    "expected null (open end)");
				} else {
					cm__rfail(c, f[1].key,
					    "expected %d (last band)", last);
				}
			}
		}
		next = b->to_day + 1;
		n++;
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
	return ((int) n);
}

/* cm__rset reads o[key], an array of distinct names, into flags by index. */
void
cm__rset(rctx *c, json_t *o, const char *key, const char *const *names, int n,
    bool *flags)
{
	json_t *a = cm__rarr(c, o, key, 0, (size_t) n), *v;
	size_t  old, i;
	char    list[400];

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, key, 0);
	json_array_foreach(a, i, v)
	{
		int k = json_is_string(v)
		    ? rlookup(names, n, json_string_value(v))
		    : -1;
		size_t o2 = cm__rpush(c, NULL, (int) i);

		if (k < 0) {
			cm__rnames(list, sizeof(list), names, n);
			cm__rfail(c, NULL, "expected one of %s", list);
		} else if (flags[k]) {
			cm__rfail(c, NULL, "duplicate \"%s\"", names[k]);
		} else {
			flags[k] = true;
		}
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}

/*
 * cm__rkeyed reads o[key], an object with exactly the keys names[0..n-1], each
 * an integer in lo..hi, into out[i] by name.
 */
void
cm__rkeyed(rctx *c, json_t *o, const char *key, const char *const *names,
    int n, long long lo, long long hi, int *out)
{
	rfield f[CM_RULES_TERRAIN_COUNT];

	cm_assert(n <= (int) NITEMS(f));
	for (int i = 0; i < n; i++) {
		f[i] = (rfield) { names[i], RK_INT, (size_t) i * sizeof(int),
			lo, hi, NULL, 0 };
	}
	cm__rread_key(c, o, key, f, (size_t) n, out);
}

/*
 * cm__rbands_n is cm__rbands into a scratch list that must hold exactly want
 * bands; returns the scratch list.
 */
const cm_day_band *
cm__rbands_n(rctx *c, json_t *o, const char *key, const rfield *f, size_t nf,
    int first, int want, cm_day_band tmp[CM_BANDS_MAX])
{
	int n = cm__rbands(c, o, key, f, nf, tmp, first, -1);

	if (!c->bad && n != want) {
		cm__rfail(c, key, "expected %d bands", want);
	}
	return (tmp);
}
