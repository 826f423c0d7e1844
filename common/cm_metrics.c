/*
 * cm_metrics.c: Prometheus text exposition.
 *
 * Locking.  The registry's mutex guards its list of metrics and is held
 * for a whole render, so a registration waits for a render to finish;
 * each metric's mutex guards its series and is the only lock an update
 * takes.  Order: proc_mu (cm_metrics_process only), then the registry's,
 * then one metric's; never two metrics' at once.  A metric's name, help,
 * labels and bounds never change after registration, and a metric is
 * linked into the registry only once complete.
 *
 * Series.  The label-value string is normalised to exactly one field per
 * label and used as the series' key; keys are found through a small
 * FNV-1a hash table per metric (at most CM_METRICS_MAX_SERIES + 1 series,
 * so chains stay short) and series are kept in creation order for
 * rendering.  A metric without labels has its one series from the start.
 *
 * Numbers.  Integral values of magnitude below 2^53 print as integers;
 * other finite values with the fewest significant digits (15 to 17) that
 * read back as the same double; infinities and NaN as "+Inf", "-Inf" and
 * "NaN", as the format wants.  Histogram bounds print the same way in
 * their le label.
 */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cm_alloc.h"
#include "cm_metrics.h"

#define SERIES_BUCKETS 256

enum metric_kind {
	KIND_COUNTER,
	KIND_GAUGE,
	KIND_HISTOGRAM
};

typedef struct series {
	struct series *next;    // creation order
	struct series *hnext;   // hash chain
	char          *values;  // normalised label values, the key
	double         value;   // counter, gauge
	double         sum;     // histogram
	uint64_t       count;   // histogram
	uint64_t      *buckets; // histogram, per bound, not cumulative
} series;

struct cm_metric {
	cm_metric       *next;
	enum metric_kind kind;
	char            *name, *help;
	char           **labels;
	int              nlabels;
	double          *bounds;
	size_t           nbounds;
	pthread_mutex_t  mu;
	series          *head, *tail;
	series          *hash[SERIES_BUCKETS];
	int              nseries; // not counting the "other" series
};

struct cm_metrics {
	pthread_mutex_t mu;
	cm_metric      *head, *tail;
	pthread_mutex_t proc_mu;
	cm_metric      *proc_rss, *proc_cpu, *proc_start;
	double          created, started; // seconds since the epoch
};

/* ---- text buffer -------------------------------------------------- */

typedef struct buf {
	char  *p;
	size_t len, cap;
} buf;

static void
buf_add(buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p   = cm_realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_str(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_num(buf *b, double v)
{
	char t[40];

	if (isnan(v)) {
		buf_str(b, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_str(b, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
	    (double) (long long) v == v) {
		snprintf(t, sizeof(t), "%lld", (long long) v);
		buf_str(b, t);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(t, sizeof(t), "%.*g", prec, v);
		if (strtod(t, NULL) == v) {
			break;
		}
	}
	buf_str(b, t);
}

/* ---- registration ------------------------------------------------- */

/* name_ok: [a-zA-Z_] (and ':' if colon) then also digits; not empty. */
static bool
name_ok(const char *s, size_t n, bool colon)
{
	if (n == 0) {
		return (false);
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (colon && c == ':') ||
		    (i > 0 && c >= '0' && c <= '9')) {
			continue;
		}
		return (false);
	}
	return (true);
}

static uint32_t
key_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (uint8_t) *s;
		h *= 16777619u;
	}
	return (h % SERIES_BUCKETS);
}

/* series_add appends a series with key values; m->mu is held or m new. */
static series *
series_add(cm_metric *m, const char *values, bool counted)
{
	series  *s = cm_calloc(1, sizeof(*s));
	uint32_t h = key_hash(values);

	s->values = cm_strdup(values);
	if (m->kind == KIND_HISTOGRAM) {
		s->buckets = cm_calloc(m->nbounds, sizeof(uint64_t));
	}
	s->hnext   = m->hash[h];
	m->hash[h] = s;
	if (m->tail != NULL) {
		m->tail->next = s;
	} else {
		m->head = s;
	}
	m->tail = s;
	m->nseries += counted;
	return (s);
}

static void
metric_parse_labels(cm_metric *m, const char *label_names)
{
	const char *p = label_names;

	if (label_names == NULL || label_names[0] == '\0') {
		return;
	}
	for (;;) {
		size_t n = strcspn(p, ",");

		cm_assert(name_ok(p, n, false));
		cm_assert(n < 2 || p[0] != '_' || p[1] != '_');
		cm_assert(m->kind != KIND_HISTOGRAM || n != 2 ||
		    memcmp(p, "le", 2) != 0);
		m->labels = cm_realloc(
		    m->labels, sizeof(char *) * (size_t) (m->nlabels + 1));
		m->labels[m->nlabels++] = cm_strndup(p, n);
		if (p[n] == '\0') {
			break;
		}
		p += n + 1;
	}
}

static cm_metric *
metric_new(cm_metrics *r, enum metric_kind kind, const char *name,
    const char *help, const char *label_names, const double *bounds,
    size_t nbounds)
{
	cm_metric *m = cm_calloc(1, sizeof(*m));

	cm_assert(name_ok(name, strlen(name), true));
	m->kind = kind;
	m->name = cm_strdup(name);
	m->help = cm_strdup(help != NULL ? help : "");
	pthread_mutex_init(&m->mu, NULL);
	metric_parse_labels(m, label_names);
	if (kind == KIND_HISTOGRAM) {
		for (size_t i = 0; i < nbounds; i++) {
			cm_assert(isfinite(bounds[i]));
			cm_assert(i == 0 || bounds[i] > bounds[i - 1]);
		}
		m->bounds  = cm_calloc(nbounds, sizeof(double));
		m->nbounds = nbounds;
		if (nbounds > 0) {
			memcpy(m->bounds, bounds, nbounds * sizeof(double));
		}
	}
	if (m->nlabels == 0) {
		series_add(m, "", true);
	}
	pthread_mutex_lock(&r->mu);
	if (r->tail != NULL) {
		r->tail->next = m;
	} else {
		r->head = m;
	}
	r->tail = m;
	pthread_mutex_unlock(&r->mu);
	return (m);
}

cm_metric *
cm_metrics_counter(
    cm_metrics *r, const char *name, const char *help, const char *label_names)
{
	return (metric_new(r, KIND_COUNTER, name, help, label_names, NULL, 0));
}

cm_metric *
cm_metrics_gauge(
    cm_metrics *r, const char *name, const char *help, const char *label_names)
{
	return (metric_new(r, KIND_GAUGE, name, help, label_names, NULL, 0));
}

cm_metric *
cm_metrics_histogram(cm_metrics *r, const char *name, const char *help,
    const char *label_names, const double *bounds, size_t nbounds)
{
	return (metric_new(
	    r, KIND_HISTOGRAM, name, help, label_names, bounds, nbounds));
}

cm_metrics *
cm_metrics_new(void)
{
	cm_metrics *r = cm_calloc(1, sizeof(*r));

	pthread_mutex_init(&r->mu, NULL);
	pthread_mutex_init(&r->proc_mu, NULL);
	r->created = (double) time(NULL);
	return (r);
}

static void
metric_free(cm_metric *m)
{
	series *s = m->head;

	while (s != NULL) {
		series *n = s->next;

		free(s->values);
		free(s->buckets);
		free(s);
		s = n;
	}
	for (int i = 0; i < m->nlabels; i++) {
		free(m->labels[i]);
	}
	free(m->labels);
	free(m->bounds);
	free(m->name);
	free(m->help);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

void
cm_metrics_free(cm_metrics *r)
{
	cm_metric *m;

	if (r == NULL) {
		return;
	}
	m = r->head;
	while (m != NULL) {
		cm_metric *n = m->next;

		metric_free(m);
		m = n;
	}
	pthread_mutex_destroy(&r->mu);
	pthread_mutex_destroy(&r->proc_mu);
	free(r);
}

/* ---- updates ------------------------------------------------------ */

/*
 * key_norm returns values with exactly one field per label of m: values
 * itself when it has, else a copy made in *tmp (which the caller frees).
 */
static const char *
key_norm(const cm_metric *m, const char *values, char **tmp)
{
	const char *p;
	int         commas = 0;
	buf         b      = { NULL, 0, 0 };

	if (m->nlabels == 0) {
		return ("");
	}
	if (values == NULL) {
		values = "";
	}
	for (p = values; *p != '\0'; p++) {
		commas += *p == ',';
	}
	if (commas == m->nlabels - 1) {
		return (values);
	}
	p = values;
	for (int i = 0; i < m->nlabels; i++) {
		size_t n = strcspn(p, ",");

		buf_add(&b, ",", i > 0);
		buf_add(&b, p, n);
		p += n + (p[n] == ',');
	}
	*tmp = b.p;
	return (b.p);
}

static series *
series_find(const cm_metric *m, const char *key)
{
	series *s = m->hash[key_hash(key)];

	while (s != NULL && strcmp(s->values, key) != 0) {
		s = s->hnext;
	}
	return (s);
}

/* series_get finds or makes the series of values; m->mu is held. */
static series *
series_get(cm_metric *m, const char *values)
{
	char       *tmp = NULL;
	const char *key = key_norm(m, values, &tmp);
	series     *s   = series_find(m, key);

	if (s == NULL && m->nseries < CM_METRICS_MAX_SERIES) {
		s = series_add(m, key, true);
	} else if (s == NULL) {
		buf other = { NULL, 0, 0 };

		for (int i = 0; i < m->nlabels; i++) {
			buf_str(&other, i > 0 ? ",other" : "other");
		}
		if ((s = series_find(m, other.p)) == NULL) {
			s = series_add(m, other.p, false);
		}
		free(other.p);
	}
	free(tmp);
	return (s);
}

void
cm_metric_inc(cm_metric *m, const char *label_values, double v)
{
	cm_assert(
	    m->kind == KIND_GAUGE || (m->kind == KIND_COUNTER && v >= 0));
	pthread_mutex_lock(&m->mu);
	series_get(m, label_values)->value += v;
	pthread_mutex_unlock(&m->mu);
}

void
cm_metric_set(cm_metric *m, const char *label_values, double v)
{
	cm_assert(m->kind == KIND_GAUGE);
	pthread_mutex_lock(&m->mu);
	series_get(m, label_values)->value = v;
	pthread_mutex_unlock(&m->mu);
}

void
cm_metric_observe(cm_metric *m, const char *label_values, double v)
{
	series *s;

	cm_assert(m->kind == KIND_HISTOGRAM);
	pthread_mutex_lock(&m->mu);
	s = series_get(m, label_values);
	for (size_t i = 0; i < m->nbounds; i++) {
		if (v <= m->bounds[i]) {
			s->buckets[i]++;
			break;
		}
	}
	s->sum += v;
	s->count++;
	pthread_mutex_unlock(&m->mu);
}

/* ---- rendering ---------------------------------------------------- */

/* render_escaped writes n bytes of s with \\, \n and (if quote) \". */
static void
render_escaped(buf *b, const char *s, size_t n, bool quote)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *esc = NULL;

		if (s[i] == '\\') {
			esc = "\\\\";
		} else if (s[i] == '\n') {
			esc = "\\n";
		} else if (s[i] == '"' && quote) {
			esc = "\\\"";
		}
		if (esc != NULL) {
			buf_add(b, s + run, i - run);
			buf_str(b, esc);
			run = i + 1;
		}
	}
	buf_add(b, s + run, n - run);
}

/*
 * render_line writes name+suffix, the labels {a="x",b="y"} (with
 * le="..." last when le is not NULL; nothing when there are none), and v.
 */
static void
render_line(buf *b, const cm_metric *m, const series *s, const char *suffix,
    const double *le, double v)
{
	const char *p = s->values;

	buf_str(b, m->name);
	buf_str(b, suffix);
	if (m->nlabels > 0 || le != NULL) {
		buf_str(b, "{");
		for (int i = 0; i < m->nlabels; i++) {
			size_t n = strcspn(p, ",");

			buf_str(b, i > 0 ? "," : "");
			buf_str(b, m->labels[i]);
			buf_str(b, "=\"");
			render_escaped(b, p, n, true);
			buf_str(b, "\"");
			p += n + (p[n] == ',');
		}
		if (le != NULL) {
			buf_str(b, m->nlabels > 0 ? ",le=\"" : "le=\"");
			buf_num(b, *le);
			buf_str(b, "\"");
		}
		buf_str(b, "}");
	}
	buf_str(b, " ");
	buf_num(b, v);
	buf_str(b, "\n");
}

static void
render_metric(buf *b, cm_metric *m)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };
	static const double      inf     = INFINITY;

	buf_str(b, "# HELP ");
	buf_str(b, m->name);
	buf_str(b, " ");
	render_escaped(b, m->help, strlen(m->help), false);
	buf_str(b, "\n# TYPE ");
	buf_str(b, m->name);
	buf_str(b, " ");
	buf_str(b, types[m->kind]);
	buf_str(b, "\n");
	pthread_mutex_lock(&m->mu);
	for (series *s = m->head; s != NULL; s = s->next) {
		uint64_t cum = 0;

		if (m->kind != KIND_HISTOGRAM) {
			render_line(b, m, s, "", NULL, s->value);
			continue;
		}
		for (size_t i = 0; i < m->nbounds; i++) {
			cum += s->buckets[i];
			render_line(
			    b, m, s, "_bucket", &m->bounds[i], (double) cum);
		}
		render_line(b, m, s, "_bucket", &inf, (double) s->count);
		render_line(b, m, s, "_sum", NULL, s->sum);
		render_line(b, m, s, "_count", NULL, (double) s->count);
	}
	pthread_mutex_unlock(&m->mu);
}

char *
cm_metrics_render(cm_metrics *r, size_t *len)
{
	buf b = { NULL, 0, 0 };

	buf_add(&b, "", 0);
	pthread_mutex_lock(&r->mu);
	for (cm_metric *m = r->head; m != NULL; m = m->next) {
		render_metric(&b, m);
	}
	pthread_mutex_unlock(&r->mu);
	*len = b.len;
	return (b.p);
}

/* ---- process metrics ---------------------------------------------- */

/*
 * proc_start_time returns when this process started, in seconds since the
 * epoch: field 22 of /proc/self/stat (clock ticks after boot) plus btime
 * of /proc/stat; fallback if either cannot be read.
 */
static double
proc_start_time(double fallback)
{
	char               line[1024], *p, *end;
	size_t             n;
	unsigned long long ticks;
	long long          btime = -1;
	long               hz    = sysconf(_SC_CLK_TCK);
	FILE              *f;

	if (hz <= 0 || (f = fopen("/proc/self/stat", "r")) == NULL) {
		return (fallback);
	}
	n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[n] = '\0';
	/* The command name (field 2) may hold anything: skip past its ')'. */
	if ((p = strrchr(line, ')')) == NULL) {
		return (fallback);
	}
	p++;
	for (int field = 3; field < 22; field++) {
		p += strspn(p, " ");
		p += strcspn(p, " ");
	}
	ticks = strtoull(p, &end, 10);
	if (end == p) {
		return (fallback);
	}
	if ((f = fopen("/proc/stat", "r")) == NULL) {
		return (fallback);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "btime ", 6) == 0) {
			btime = strtoll(line + 6, NULL, 10);
			break;
		}
	}
	fclose(f);
	if (btime <= 0) {
		return (fallback);
	}
	return ((double) btime + (double) ticks / (double) hz);
}

/* proc_store sets the one series of a metric without labels to v. */
static void
proc_store(cm_metric *m, double v)
{
	pthread_mutex_lock(&m->mu);
	m->head->value = v;
	pthread_mutex_unlock(&m->mu);
}

void
cm_metrics_process(cm_metrics *r)
{
	struct rusage ru;
	long          pages = 0, rss = 0;
	FILE         *f;

	pthread_mutex_lock(&r->proc_mu);
	if (r->proc_rss == NULL) {
		r->proc_rss =
		    metric_new(r, KIND_GAUGE, "process_resident_memory_bytes",
		        "Resident memory size in bytes.", NULL, NULL, 0);
		r->proc_cpu =
		    metric_new(r, KIND_COUNTER, "process_cpu_seconds_total",
		        "Total user and system CPU time spent in seconds.",
		        NULL, NULL, 0);
		r->proc_start = metric_new(r, KIND_GAUGE,
		    "process_start_time_seconds",
		    "Start time of the process since unix epoch in seconds.",
		    NULL, NULL, 0);
		r->started    = proc_start_time(r->created);
	}
	if ((f = fopen("/proc/self/statm", "r")) != NULL) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2) {
			rss = 0;
		}
		fclose(f);
	}
	proc_store(r->proc_rss, (double) rss * (double) sysconf(_SC_PAGESIZE));
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		double user = (double) ru.ru_utime.tv_sec +
		    (double) ru.ru_utime.tv_usec / 1e6;
		double sys = (double) ru.ru_stime.tv_sec +
		    (double) ru.ru_stime.tv_usec / 1e6;

		proc_store(r->proc_cpu, user + sys);
	}
	proc_store(r->proc_start, r->started);
	pthread_mutex_unlock(&r->proc_mu);
}
