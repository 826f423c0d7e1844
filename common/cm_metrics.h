/*
 * cm_metrics.h: Prometheus text exposition (format 0.0.4).
 *
 * A registry holds metrics in registration order; each metric holds its
 * series (one per distinct label-value tuple) in creation order, so the
 * rendered text is deterministic.  Any thread may update; one renders.
 * Label values are given as one comma-separated string in the order of the
 * metric's label names ("ARMY_NOT_FOUND,/territory"), so values cannot
 * contain commas.  A metric has at most CM_METRICS_MAX_SERIES series; past
 * that, updates go to one series whose labels are all "other", so a flood
 * of distinct values cannot exhaust memory.
 */
#ifndef CM_METRICS_H
#define CM_METRICS_H

#include <stddef.h>

#define CM_METRICS_MAX_SERIES 1024

typedef struct cm_metrics cm_metrics;
typedef struct cm_metric  cm_metric;

/* cm_metrics_new makes an empty registry. */
cm_metrics *cm_metrics_new(void);

/* cm_metrics_free frees r and all its metrics. */
void cm_metrics_free(cm_metrics *r);

/*
 * cm_metrics_counter, _gauge and _histogram register a metric and return
 * it; the handle lives as long as r.  label_names is "a,b" or NULL.
 * Histogram bounds are the upper bounds of the buckets, ascending
 * (copied); "+Inf" is added.
 */
cm_metric *cm_metrics_counter(cm_metrics *r, const char *name,
    const char *help, const char *label_names);
cm_metric *cm_metrics_gauge(cm_metrics *r, const char *name,
    const char *help, const char *label_names);
cm_metric *cm_metrics_histogram(cm_metrics *r, const char *name,
    const char *help, const char *label_names, const double *bounds,
    size_t nbounds);

/*
 * cm_metric_inc adds v to a counter or gauge series; cm_metric_set sets a
 * gauge series; cm_metric_observe records v in a histogram series.
 * label_values is NULL for a metric without labels.
 */
void cm_metric_inc(cm_metric *m, const char *label_values, double v);
void cm_metric_set(cm_metric *m, const char *label_values, double v);
void cm_metric_observe(cm_metric *m, const char *label_values, double v);

/*
 * cm_metrics_render returns the exposition text (malloc'd, the caller
 * frees it with free()) and its length.
 */
char *cm_metrics_render(cm_metrics *r, size_t *len);

/*
 * cm_metrics_process sets the standard process gauges
 * (process_resident_memory_bytes, process_cpu_seconds_total,
 * process_start_time_seconds), which every registry has from the start.
 */
void cm_metrics_process(cm_metrics *r);

#endif
