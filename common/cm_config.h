/*
 * cm_config.h: configuration from environment variables (12-factor).
 *
 * Every variable has a documented default (docs/architecture.md) that makes
 * a local run work with no configuration.  Values are parsed strictly: a
 * variable that is set but malformed or out of range is an error, never
 * silently replaced by the default.
 */
#ifndef CM_CONFIG_H
#define CM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "cm_err.h"

/* cm_env_str returns the value of name, or def when unset or empty. */
const char *cm_env_str(const char *name, const char *def);

/*
 * cm_env_long reads a decimal integer in [min, max] into *out, or def when
 * unset.  Returns CM_ECONFIG (and logs why) when set but invalid.
 */
cm_err cm_env_long(const char *name, long def, long min, long max, long *out);

/*
 * cm_parse_long parses all of s (len bytes) as a decimal integer in
 * [min, max].  Returns CM_EINVAL for anything else (sign rules: optional
 * leading '-', no '+', no spaces, no leading zeros except "0", no
 * "-0").
 */
cm_err cm_parse_long(const char *s, size_t len, long min, long max, long *out);

/*
 * cm_read_secret returns the secret named name: the contents of the file
 * named by name_FILE when that is set (trailing newline removed), else the
 * value of name.  The result is heap memory the caller frees; returns
 * CM_ENOENT when neither is set, CM_ECONFIG when the file cannot be read.
 */
cm_err cm_read_secret(const char *name, char **out);

#endif
