/*
 * cm_metrics.c: Prometheus exposition.
 *
 * Each metric has its own mutex guarding its series list; the registry's
 * mutex guards only the list of metrics.  Rendering takes each metric's
 * lock in turn, never two at once.  Series are found by a linear scan of
 * their label-value strings: metrics here have few series (bounded by
 * CM_METRICS_MAX_SERIES), and updates are far rarer than a request's other
 * work.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cm_alloc.h"
#include "cm_metrics.h"

enum metric_kind { KIND_COUNTER, KIND_GAUGE, KIND_HISTOGRAM };

typedef struct series {
	struct series *next;
	char          *values; /* "a,b" as given */
	double         value;  /* counter, gauge */
	double         sum;    /* histogram */
	unsigned long  count;
	unsigned long *buckets; /* per bound, not cumulative */
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
	int              nseries;
};

struct cm_metrics {
	pthread_mutex_t mu;
	cm_metric      *head, *tail;
	cm_metric      *proc_rss, *proc_cpu, *proc_start;
	double          start_time;
};

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
	char t[64];

	if (v == (double) (long long) v && v < 1e15 && v > -1e15) {
		snprintf(t, sizeof(t), "%lld", (long long) v);
	} else {
		snprintf(t, sizeof(t), "%.17g", v);
	}
	buf_str(b, t);
}

cm_metrics *
cm_metrics_new(void)
{
	cm_metrics *r = cm_calloc(1, sizeof(*r));

	pthread_mutex_init(&r->mu, NULL);
	r->start_time = (double) time(NULL);
	r->proc_rss   = cm_metrics_gauge(r, "process_resident_memory_bytes",
            "Resident memory size in bytes.", NULL);
	r->proc_cpu   = cm_metrics_gauge(r, "process_cpu_seconds_total",
            "Total user and system CPU time spent in seconds.", NULL);
	r->proc_start = cm_metrics_gauge(r, "process_start_time_seconds",
	    "Start time of the process since the epoch in seconds.", NULL);
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
	free(r);
}

static cm_metric *
metric_new(cm_metrics *r, enum metric_kind kind, const char *name,
    const char *help, const char *label_names)
{
	cm_metric *m = cm_calloc(1, sizeof(*m));

	m->kind = kind;
	m->name = cm_strdup(name);
	m->help = cm_strdup(help);
	pthread_mutex_init(&m->mu, NULL);
	if (label_names != NULL && label_names[0] != '\0') {
		const char *p = label_names;

		for (;;) {
			size_t n = strcspn(p, ",");

			m->labels = cm_realloc(m->labels,
			    sizeof(char *) * (size_t) (m->nlabels + 1));
			m->labels[m->nlabels++] = cm_strndup(p, n);
			if (p[n] == '\0') {
				break;
			}
			p += n + 1;
		}
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
cm_metrics_counter(cm_metrics *r, const char *name, const char *help,
    const char *label_names)
{
	return (metric_new(r, KIND_COUNTER, name, help, label_names));
}

cm_metric *
cm_metrics_gauge(cm_metrics *r, const char *name, const char *help,
    const char *label_names)
{
	return (metric_new(r, KIND_GAUGE, name, help, label_names));
}

cm_metric *
cm_metrics_histogram(cm_metrics *r, const char *name, const char *help,
    const char *label_names, const double *bounds, size_t nbounds)
{
	cm_metric *m = metric_new(r, KIND_HISTOGRAM, name, help, label_names);

	m->bounds  = cm_calloc(nbounds ? nbounds : 1, sizeof(double));
	m->nbounds = nbounds;
	memcpy(m->bounds, bounds, nbounds * sizeof(double));
	return (m);
}

/* series_get finds or makes the series of values; m->mu is held. */
static series *
series_get(cm_metric *m, const char *values)
{
	char    other[256];
	series *s;

	if (values == NULL) {
		values = "";
	}
	for (s = m->head; s != NULL; s = s->next) {
		if (strcmp(s->values, values) == 0) {
			return (s);
		}
	}
	if (m->nseries >= CM_METRICS_MAX_SERIES) {
		size_t o = 0;

		for (int i = 0; i < m->nlabels && o + 7 < sizeof(other); i++) {
			o += (size_t) snprintf(other + o, sizeof(other) - o,
			    "%sother", i ? "," : "");
		}
		other[o] = '\0';
		values   = other;
		for (s = m->head; s != NULL; s = s->next) {
			if (strcmp(s->values, values) == 0) {
				return (s);
			}
		}
	}
	s         = cm_calloc(1, sizeof(*s));
	s->values = cm_strdup(values);
	if (m->kind == KIND_HISTOGRAM) {
		s->buckets = cm_calloc(m->nbounds ? m->nbounds : 1,
		    sizeof(unsigned long));
	}
	if (m->tail != NULL) {
		m->tail->next = s;
	} else {
		m->head = s;
	}
	m->tail = s;
	m->nseries++;
	return (s);
}

void
cm_metric_inc(cm_metric *m, const char *label_values, double v)
{
	pthread_mutex_lock(&m->mu);
	series_get(m, label_values)->value += v;
	pthread_mutex_unlock(&m->mu);
}

void
cm_metric_set(cm_metric *m, const char *label_values, double v)
{
	pthread_mutex_lock(&m->mu);
	series_get(m, label_values)->value = v;
	pthread_mutex_unlock(&m->mu);
}

void
cm_metric_observe(cm_metric *m, const char *label_values, double v)
{
	series *s;

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

/* render_escaped writes a label value with \\, \" and \n escaped. */
static void
render_escaped(buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\') {
			buf_str(b, "\\\\");
		} else if (s[i] == '"') {
			buf_str(b, "\\\"");
		} else if (s[i] == '\n') {
			buf_str(b, "\\n");
		} else {
			buf_add(b, &s[i], 1);
		}
	}
}

/*
 * render_labels writes {a="x",b="y"[,le="..."]}; nothing when there are no
 * labels and no le.
 */
static void
render_labels(buf *b, const cm_metric *m, const series *s, const char *le)
{
	const char *p = s->values;

	if (m->nlabels == 0 && le == NULL) {
		return;
	}
	buf_str(b, "{");
	for (int i = 0; i < m->nlabels; i++) {
		size_t n = strcspn(p, ",");

		buf_str(b, i ? "," : "");
		buf_str(b, m->labels[i]);
		buf_str(b, "=\"");
		render_escaped(b, p, n);
		buf_str(b, "\"");
		p += n + (p[n] == ',');
	}
	if (le != NULL) {
		buf_str(b, m->nlabels ? ",le=\"" : "le=\"");
		buf_str(b, le);
		buf_str(b, "\"");
	}
	buf_str(b, "}");
}

static void
render_metric(buf *b, cm_metric *m)
{
	static const char *const types[] = { "counter", "gauge",
		"histogram" };

	buf_str(b, "# HELP ");
	buf_str(b, m->name);
	buf_str(b, " ");
	buf_str(b, m->help);
	buf_str(b, "\n# TYPE ");
	buf_str(b, m->name);
	buf_str(b, " ");
	buf_str(b, types[m->kind]);
	buf_str(b, "\n");
	pthread_mutex_lock(&m->mu);
	for (series *s = m->head; s != NULL; s = s->next) {
		unsigned long cum = 0;

		if (m->kind != KIND_HISTOGRAM) {
			buf_str(b, m->name);
			render_labels(b, m, s, NULL);
			buf_str(b, " ");
			buf_num(b, s->value);
			buf_str(b, "\n");
			continue;
		}
		for (size_t i = 0; i <= m->nbounds; i++) {
			char le[64];

			if (i < m->nbounds) {
				cum += s->buckets[i];
				snprintf(le, sizeof(le), "%g", m->bounds[i]);
			} else {
				cum = s->count;
				snprintf(le, sizeof(le), "+Inf");
			}
			buf_str(b, m->name);
			buf_str(b, "_bucket");
			render_labels(b, m, s, le);
			buf_str(b, " ");
			buf_num(b, (double) cum);
			buf_str(b, "\n");
		}
		buf_str(b, m->name);
		buf_str(b, "_sum");
		render_labels(b, m, s, NULL);
		buf_str(b, " ");
		buf_num(b, s->sum);
		buf_str(b, "\n");
		buf_str(b, m->name);
		buf_str(b, "_count");
		render_labels(b, m, s, NULL);
		buf_str(b, " ");
		buf_num(b, (double) s->count);
		buf_str(b, "\n");
	}
	pthread_mutex_unlock(&m->mu);
}

char *
cm_metrics_render(cm_metrics *r, size_t *len)
{
	buf        b = { NULL, 0, 0 };
	cm_metric *m;

	buf_add(&b, "", 0);
	pthread_mutex_lock(&r->mu);
	m = r->head;
	pthread_mutex_unlock(&r->mu);
	/* Metrics are only appended, so the list can be walked unlocked. */
	for (; m != NULL; m = m->next) {
		render_metric(&b, m);
	}
	*len = b.len;
	return (b.p);
}

void
cm_metrics_process(cm_metrics *r)
{
	struct rusage ru;
	long          pages = 0, rss = 0;
	FILE         *f;

	if ((f = fopen("/proc/self/statm", "r")) != NULL) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2) {
			rss = 0;
		}
		fclose(f);
	}
	getrusage(RUSAGE_SELF, &ru);
	cm_metric_set(r->proc_rss, NULL, (double) rss * sysconf(_SC_PAGESIZE));
	cm_metric_set(r->proc_cpu, NULL,
	    (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	        (double) ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	cm_metric_set(r->proc_start, NULL, r->start_time);
}
