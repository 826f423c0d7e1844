/* cm_config.c: strict environment parsing. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_config.h"
#include "cm_log.h"

const char *
cm_env_str(const char *name, const char *def)
{
	const char *v = getenv(name);

	return ((v != NULL && v[0] != '\0') ? v : def);
}

cm_err
cm_parse_long(const char *s, size_t len, long min, long max, long *out)
{
	size_t i   = 0;
	int    neg = 0;
	long   v   = 0;

	if (len > 0 && s[0] == '-') {
		neg = 1;
		i   = 1;
	}
	if (i == len || len - i > 18) {
		return (CM_EINVAL);
	}
	if (s[i] == '0' && (len - i > 1 || neg)) {
		return (CM_EINVAL); /* leading zeros, and "-0" */
	}
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return (CM_EINVAL);
		}
		v = v * 10 + (s[i] - '0');
	}
	if (neg) {
		v = -v;
	}
	if (v < min || v > max) {
		return (CM_ERANGE);
	}
	*out = v;
	return (CM_OK);
}

cm_err
cm_env_long(const char *name, long def, long min, long max, long *out)
{
	const char *v = getenv(name);
	long        n;

	if (v == NULL || v[0] == '\0') {
		*out = def;
		return (CM_OK);
	}
	if (cm_parse_long(v, strlen(v), min, max, &n) != CM_OK) {
		cm_log_error("invalid configuration", "{s:s,s:s,s:I,s:I}",
		    "var", name, "value", v, "min", (json_int_t) min, "max",
		    (json_int_t) max);
		return (CM_ECONFIG);
	}
	*out = n;
	return (CM_OK);
}

cm_err
cm_read_secret(const char *name, char **out)
{
	char        fname[128];
	const char *path;
	const char *v;
	FILE       *f;
	char        buf[4096];
	size_t      n;

	snprintf(fname, sizeof(fname), "%s_FILE", name);
	path = getenv(fname);
	if (path != NULL && path[0] != '\0') {
		if ((f = fopen(path, "r")) == NULL) {
			cm_log_error("cannot read secret file", "{s:s,s:s}",
			    "var", fname, "error", strerror(errno));
			return (CM_ECONFIG);
		}
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) {
			n--;
		}
		*out = cm_strndup(buf, n);
		explicit_bzero(buf, sizeof(buf));
		return (CM_OK);
	}
	v = getenv(name);
	if (v == NULL || v[0] == '\0') {
		return (CM_ENOENT);
	}
	*out = cm_strdup(v);
	return (CM_OK);
}
