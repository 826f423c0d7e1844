/*
 * cm_metrics.h: Prometheus text exposition (format 0.0.4).
 *
 * A registry holds metrics (counters, gauges, histograms) in registration
 * order; each metric holds its series, one per distinct tuple of label
 * values, in creation order, so the rendered text is deterministic.  Any
 * thread may register, update and render at any time; updates of one
 * metric serialise on that metric's mutex only.
 *
 * Label values are given as one comma-separated string in the order of
 * the metric's label names ("ARMY_NOT_FOUND,/territory" for "code,route"),
 * so a value cannot contain a comma; missing values are empty, extra ones
 * are dropped.  Values may hold any other byte: backslash, double quote
 * and newline are escaped on output.
 *
 * Cardinality is bounded: a metric has at most CM_METRICS_MAX_SERIES
 * series of its own; once it has that many, updates for new label values
 * go to one more series whose labels are all "other", so a flood of
 * distinct values (user input in a label) cannot exhaust memory.
 *
 * Metric and label names must be valid Prometheus names ([a-zA-Z_:]
 * [a-zA-Z0-9_:]* for metrics, [a-zA-Z_][a-zA-Z0-9_]* for labels, no
 * leading "__", no "le" on histograms); a bad name, a histogram's bounds
 * out of order, or an update of the wrong kind is a programming error
 * and aborts (cm_assert).  Numbers are printed in the "C" locale.
 */
#ifndef CM_METRICS_H
#define CM_METRICS_H

#include <stddef.h>

#define CM_METRICS_MAX_SERIES 1024

typedef struct cm_metrics cm_metrics;
typedef struct cm_metric  cm_metric;

/* cm_metrics_new returns an empty registry; free it with cm_metrics_free. */
cm_metrics *cm_metrics_new(void);

/*
 * cm_metrics_free frees r and all its metrics (NULL is fine).  No other
 * thread may be using r or any of its metrics.
 */
void cm_metrics_free(cm_metrics *r);

/*
 * cm_metrics_counter, cm_metrics_gauge and cm_metrics_histogram register a
 * metric named name (copied) with the help text help (copied) and the
 * label names label_names ("code,route", or NULL for none), and return
 * it; the handle belongs to r and lives as long as r.  Register each name
 * once.  A metric without labels exposes its single series (at 0) from
 * the start; a labelled one exposes a series once it is first updated.
 * Histogram bounds are the buckets' upper bounds, strictly ascending and
 * finite (copied); the "+Inf" bucket is implicit.
 */
cm_metric *cm_metrics_counter(cm_metrics *r, const char *name,
    const char *help, const char *label_names);
cm_metric *cm_metrics_gauge(cm_metrics *r, const char *name, const char *help,
    const char *label_names);
cm_metric *cm_metrics_histogram(cm_metrics *r, const char *name,
    const char *help, const char *label_names, const double *bounds,
    size_t nbounds);

/*
 * cm_metric_inc adds v to a series of a counter (v >= 0) or a gauge (any
 * v); label_values is NULL for a metric without labels.  Any thread.
 */
void cm_metric_inc(cm_metric *m, const char *label_values, double v);

/* cm_metric_set sets a series of a gauge to v.  Any thread. */
void cm_metric_set(cm_metric *m, const char *label_values, double v);

/*
 * cm_metric_observe records v in a series of a histogram: the first
 * bucket whose bound is >= v, the sum and the count.  Any thread.
 */
void cm_metric_observe(cm_metric *m, const char *label_values, double v);

/*
 * cm_metrics_render returns the exposition text of every metric of r, in
 * registration order and then series creation order: "# HELP" and
 * "# TYPE" lines, then one line per series (histograms: cumulative
 * _bucket lines with le="..." up to le="+Inf", then _sum and _count).  The
 * text is NUL-terminated and malloc'd: the caller frees it with free().
 * *len is its length without the NUL.  Any thread.
 */
char *cm_metrics_render(cm_metrics *r, size_t *len);

/*
 * cm_metrics_process sets the standard process metrics of r, registering
 * them on the first call: process_resident_memory_bytes (gauge, from
 * /proc/self/statm), process_cpu_seconds_total (counter, user + system
 * time from getrusage) and process_start_time_seconds (gauge, seconds
 * since the epoch, from /proc/self/stat and the boot time; if those cannot
 * be read, when the registry was made).  Call it before each render.
 * Any thread.
 */
void cm_metrics_process(cm_metrics *r);

#endif
