/*
 * cm_siwe.c: EIP-4361 message builder and strict parser.
 *
 * Design: both directions share one set of field validators, so a message
 * the builder accepts is always one the parser accepts, and a parsed
 * message rebuilds to the same bytes.  The parser splits the input on LF
 * only (a CR is just a character no field allows, so CRLF messages fail)
 * and consumes lines strictly in the ABNF order; a trailing LF leaves an
 * empty last line that nothing matches, so it is refused too.
 *
 * Character classes follow RFC 3986 (ASCII only, no locale):
 *   unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
 *   gen-delims = ":" / "/" / "?" / "#" / "[" / "]" / "@"
 *   sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / ","
 *                / ";" / "="
 *
 * The parser fills a local cm_siwe and copies it out only on success.
 */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_eth.h"
#include "cm_hex.h"
#include "cm_siwe.h"
#include "cm_time.h"

static const char siwe_title[] =
    " wants you to sign in with your Ethereum account:";

/* Character classes. */

static int
siwe_alpha(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static int
siwe_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static int
siwe_unreserved(char c)
{
	return (siwe_alpha(c) || siwe_digit(c) || c == '-' || c == '.' ||
	    c == '_' || c == '~');
}

static int
siwe_subdelim(char c)
{
	return (c != '\0' && strchr("!$&'()*+,;=", c) != NULL);
}

static int
siwe_gendelim(char c)
{
	return (c != '\0' && strchr(":/?#[]@", c) != NULL);
}

static int
siwe_authority_char(char c)
{
	return (siwe_unreserved(c) || siwe_subdelim(c) || c == ':' ||
	    c == '@' || c == '[' || c == ']');
}

static int
siwe_uri_char(char c)
{
	return (siwe_unreserved(c) || siwe_subdelim(c) || siwe_gendelim(c));
}

static int
siwe_statement_char(char c)
{
	return (siwe_uri_char(c) || c == ' ');
}

static int
siwe_pchar(char c)
{
	return (siwe_unreserved(c) || siwe_subdelim(c) || c == ':' ||
	    c == '@');
}

/*
 * Returns 1 when every char of s[0..n) is in the class ok, or (if pct) a
 * well-formed "%" HEXDIG HEXDIG escape.
 */
static int
siwe_chars(const char *s, size_t n, int (*ok)(char), int pct)
{
	for (size_t i = 0; i < n; i++) {
		if (pct && s[i] == '%') {
			if (n - i < 3 || cm_hex_digit(s[i + 1]) < 0 ||
			    cm_hex_digit(s[i + 2]) < 0) {
				return (0);
			}
			i += 2;
		} else if (!ok(s[i])) {
			return (0);
		}
	}
	return (1);
}

/* Field validators: each returns 1 when s[0..n) is acceptable. */

static int
siwe_scheme_ok(const char *s, size_t n)
{
	if (n == 0 || !siwe_alpha(s[0])) {
		return (0);
	}
	for (size_t i = 1; i < n; i++) {
		if (!siwe_alpha(s[i]) && !siwe_digit(s[i]) && s[i] != '+' &&
		    s[i] != '-' && s[i] != '.') {
			return (0);
		}
	}
	return (1);
}

static int
siwe_domain_ok(const char *s, size_t n)
{
	return (n > 0 && siwe_chars(s, n, siwe_authority_char, 1));
}

static int
siwe_address_ok(const char *s, size_t n)
{
	cm_eth_addr a;
	char sum[43];

	if (cm_eth_addr_parse(s, n, &a) != CM_OK) {
		return (0);
	}
	cm_eth_addr_checksum(&a, sum);
	return (memcmp(sum, s, CM_ETH_ADDR_STRLEN) == 0);
}

static int
siwe_statement_ok(const char *s, size_t n)
{
	return (n > 0 && siwe_chars(s, n, siwe_statement_char, 0));
}

static int
siwe_uri_ok(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);

	return (colon != NULL && siwe_scheme_ok(s, (size_t) (colon - s)) &&
	    siwe_chars(s, n, siwe_uri_char, 1));
}

static int
siwe_nonce_ok(const char *s, size_t n)
{
	if (n < 8) {
		return (0);
	}
	for (size_t i = 0; i < n; i++) {
		if (!siwe_alpha(s[i]) && !siwe_digit(s[i])) {
			return (0);
		}
	}
	return (1);
}

static int
siwe_time_ok(const char *s, size_t n)
{
	int64_t ms;

	return (cm_time_parse_rfc3339(s, n, &ms) == CM_OK);
}

static int
siwe_request_id_ok(const char *s, size_t n)
{
	return (n > 0 && siwe_chars(s, n, siwe_pchar, 1));
}

static int
siwe_chain_id_ok(uint64_t v)
{
	return (v >= 1 && v <= CM_SIWE_CHAIN_ID_MAX);
}

/* Parses a chain id: 1*DIGIT without leading zeros, in range. */
static int
siwe_chain_id_parse(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	// 2^53 has 16 digits; more cannot be in range (and could overflow).
	if (n == 0 || n > 16 || s[0] == '0') {
		return (0);
	}
	for (size_t i = 0; i < n; i++) {
		if (!siwe_digit(s[i])) {
			return (0);
		}
		v = v * 10 + (uint64_t) (s[i] - '0');
	}
	if (!siwe_chain_id_ok(v)) {
		return (0);
	}
	*out = v;
	return (1);
}

/* Parser. */

/* Splits the message on LF; the part after the last LF is a line too. */
typedef struct siwe_lines {
	const char *p;
	size_t len;
	size_t pos;
	int done;
} siwe_lines;

/* Sets *line / *n to the next line; returns 0, or -1 when none is left. */
static int
siwe_next(siwe_lines *l, const char **line, size_t *n)
{
	const char *start = l->p + l->pos;
	const char *lf;

	if (l->done) {
		return (-1);
	}
	lf = memchr(start, '\n', l->len - l->pos);
	if (lf == NULL) {
		*n = l->len - l->pos;
		l->done = 1;
	} else {
		*n = (size_t) (lf - start);
		l->pos += *n + 1;
	}
	*line = start;
	return (0);
}

/*
 * If line starts with prefix, points *val / *vn at the rest and returns 1;
 * else returns 0.
 */
static int
siwe_prefix(const char *line, size_t n, const char *prefix,
    const char **val, size_t *vn)
{
	size_t pn = strlen(prefix);

	if (n < pn || memcmp(line, prefix, pn) != 0) {
		return (0);
	}
	*val = line + pn;
	*vn = n - pn;
	return (1);
}

/* Copies s[0..n) plus a NUL into dst[size]; returns 0, or -1 if too long. */
static int
siwe_store(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size) {
		return (-1);
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	return (0);
}

/* Validates and stores a field in one step; returns 0 or -1. */
static int
siwe_field(char *dst, size_t size, const char *s, size_t n,
    int (*ok)(const char *, size_t))
{
	if (!ok(s, n)) {
		return (-1);
	}
	return (siwe_store(dst, size, s, n));
}

/* Parses the first line: [scheme "://"] domain title. */
static int
siwe_parse_title(cm_siwe *m, const char *line, size_t n)
{
	size_t tn = sizeof(siwe_title) - 1;
	const char *sep;

	if (n < tn || memcmp(line + n - tn, siwe_title, tn) != 0) {
		return (-1);
	}
	n -= tn;
	for (sep = line; sep + 3 <= line + n; sep++) {
		if (memcmp(sep, "://", 3) == 0) {
			break;
		}
	}
	if (sep + 3 <= line + n) {
		size_t sn = (size_t) (sep - line);
		if (siwe_field(m->scheme, sizeof(m->scheme), line, sn,
		    siwe_scheme_ok) != 0) {
			return (-1);
		}
		line += sn + 3;
		n -= sn + 3;
	}
	return (siwe_field(m->domain, sizeof(m->domain), line, n,
	    siwe_domain_ok));
}

/* Reads the next line, which must be prefix + a value; returns 0 or -1. */
static int
siwe_expect(siwe_lines *l, const char *prefix, const char **val, size_t *vn)
{
	const char *line;
	size_t n;

	if (siwe_next(l, &line, &n) != 0 ||
	    !siwe_prefix(line, n, prefix, val, vn)) {
		return (-1);
	}
	return (0);
}

/* Parses "Resources:" lines after the header line has been consumed. */
static int
siwe_parse_resources(cm_siwe *m, siwe_lines *l)
{
	const char *line, *v;
	size_t n, vn;

	while (siwe_next(l, &line, &n) == 0) {
		if (m->n_resources == CM_SIWE_RESOURCES_MAX ||
		    !siwe_prefix(line, n, "- ", &v, &vn) ||
		    siwe_field(m->resources[m->n_resources],
		    CM_SIWE_URI_SIZE, v, vn, siwe_uri_ok) != 0) {
			return (-1);
		}
		m->n_resources++;
	}
	return (m->n_resources > 0 ? 0 : -1);
}

/* Parses the optional lines after "Issued At"; returns 0 or -1. */
static int
siwe_parse_optional(cm_siwe *m, siwe_lines *l)
{
	const char *line, *v;
	size_t n, vn;

	if (siwe_next(l, &line, &n) != 0) {
		return (0);
	}
	if (siwe_prefix(line, n, "Expiration Time: ", &v, &vn)) {
		if (siwe_field(m->expiration_time, sizeof(m->expiration_time),
		    v, vn, siwe_time_ok) != 0) {
			return (-1);
		}
		if (siwe_next(l, &line, &n) != 0) {
			return (0);
		}
	}
	if (siwe_prefix(line, n, "Not Before: ", &v, &vn)) {
		if (siwe_field(m->not_before, sizeof(m->not_before), v, vn,
		    siwe_time_ok) != 0) {
			return (-1);
		}
		if (siwe_next(l, &line, &n) != 0) {
			return (0);
		}
	}
	if (siwe_prefix(line, n, "Request ID: ", &v, &vn)) {
		if (siwe_field(m->request_id, sizeof(m->request_id), v, vn,
		    siwe_request_id_ok) != 0) {
			return (-1);
		}
		if (siwe_next(l, &line, &n) != 0) {
			return (0);
		}
	}
	if (n == 10 && memcmp(line, "Resources:", 10) == 0) {
		return (siwe_parse_resources(m, l));
	}
	return (-1);
}

/* Parses the lines from the address to "Issued At"; returns 0 or -1. */
static int
siwe_parse_body(cm_siwe *m, siwe_lines *l)
{
	const char *line, *v;
	size_t n, vn;

	if (siwe_next(l, &line, &n) != 0 ||
	    siwe_field(m->address, sizeof(m->address), line, n,
	    siwe_address_ok) != 0 ||
	    siwe_next(l, &line, &n) != 0 || n != 0 ||
	    siwe_next(l, &line, &n) != 0) {
		return (-1);
	}
	if (n > 0) {
		if (siwe_field(m->statement, sizeof(m->statement), line, n,
		    siwe_statement_ok) != 0 ||
		    siwe_next(l, &line, &n) != 0 || n != 0) {
			return (-1);
		}
	}
	if (siwe_expect(l, "URI: ", &v, &vn) != 0 ||
	    siwe_field(m->uri, sizeof(m->uri), v, vn, siwe_uri_ok) != 0 ||
	    siwe_expect(l, "Version: ", &v, &vn) != 0 || vn != 1 ||
	    v[0] != '1' ||
	    siwe_store(m->version, sizeof(m->version), v, vn) != 0 ||
	    siwe_expect(l, "Chain ID: ", &v, &vn) != 0 ||
	    !siwe_chain_id_parse(v, vn, &m->chain_id) ||
	    siwe_expect(l, "Nonce: ", &v, &vn) != 0 ||
	    siwe_field(m->nonce, sizeof(m->nonce), v, vn,
	    siwe_nonce_ok) != 0 ||
	    siwe_expect(l, "Issued At: ", &v, &vn) != 0 ||
	    siwe_field(m->issued_at, sizeof(m->issued_at), v, vn,
	    siwe_time_ok) != 0) {
		return (-1);
	}
	return (0);
}

cm_err
cm_siwe_parse(const char *msg, size_t len, cm_siwe *out)
{
	siwe_lines l = { .p = msg, .len = len };
	cm_siwe *m = cm_calloc(1, sizeof(*m));
	const char *line;
	size_t n;
	cm_err rv = CM_EINVAL;

	if (siwe_next(&l, &line, &n) != 0 ||
	    siwe_parse_title(m, line, n) != 0 ||
	    siwe_parse_body(m, &l) != 0 || siwe_parse_optional(m, &l) != 0) {
		goto out;
	}
	*out = *m;
	rv = CM_OK;
out:
	free(m);
	return (rv);
}

/* Builder. */

/* A growable output string. */
typedef struct siwe_buf {
	char *p;
	size_t len;
	size_t cap;
} siwe_buf;

static void
siwe_put(siwe_buf *b, const char *s, size_t n)
{
	if (b->cap - b->len < n + 1) {
		while (b->cap - b->len < n + 1) {
			b->cap = b->cap ? 2 * b->cap : 1024;
		}
		b->p = cm_realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
siwe_puts(siwe_buf *b, const char *s)
{
	siwe_put(b, s, strlen(s));
}

/*
 * Checks that the field f of array size size is NUL-terminated, and, if it
 * is non-empty or required, that ok accepts it.  Returns 1 when fine.
 */
static int
siwe_check(const char *f, size_t size, int required,
    int (*ok)(const char *, size_t))
{
	size_t n = strnlen(f, size);

	if (n == size) {
		return (0);
	}
	if (n == 0 && !required) {
		return (1);
	}
	return (ok(f, n));
}

static int
siwe_version_ok(const char *s, size_t n)
{
	return (n == 1 && s[0] == '1');
}

/* Validates every field of m as the parser would; returns 1 when fine. */
static int
siwe_valid(const cm_siwe *m)
{
	if (!siwe_check(m->scheme, sizeof(m->scheme), 0, siwe_scheme_ok) ||
	    !siwe_check(m->domain, sizeof(m->domain), 1, siwe_domain_ok) ||
	    !siwe_check(m->address, sizeof(m->address), 1,
	    siwe_address_ok) ||
	    !siwe_check(m->statement, sizeof(m->statement), 0,
	    siwe_statement_ok) ||
	    !siwe_check(m->uri, sizeof(m->uri), 1, siwe_uri_ok) ||
	    !siwe_check(m->version, sizeof(m->version), 1,
	    siwe_version_ok) ||
	    !siwe_chain_id_ok(m->chain_id) ||
	    !siwe_check(m->nonce, sizeof(m->nonce), 1, siwe_nonce_ok) ||
	    !siwe_check(m->issued_at, sizeof(m->issued_at), 1,
	    siwe_time_ok) ||
	    !siwe_check(m->expiration_time, sizeof(m->expiration_time), 0,
	    siwe_time_ok) ||
	    !siwe_check(m->not_before, sizeof(m->not_before), 0,
	    siwe_time_ok) ||
	    !siwe_check(m->request_id, sizeof(m->request_id), 0,
	    siwe_request_id_ok) ||
	    m->n_resources > CM_SIWE_RESOURCES_MAX) {
		return (0);
	}
	for (size_t i = 0; i < m->n_resources; i++) {
		if (!siwe_check(m->resources[i], CM_SIWE_URI_SIZE, 1,
		    siwe_uri_ok)) {
			return (0);
		}
	}
	return (1);
}

/* Appends "\n" prefix value when value is non-empty. */
static void
siwe_put_opt(siwe_buf *b, const char *prefix, const char *value)
{
	if (value[0] != '\0') {
		siwe_puts(b, "\n");
		siwe_puts(b, prefix);
		siwe_puts(b, value);
	}
}

cm_err
cm_siwe_build(const cm_siwe *m, char *out, size_t cap, size_t *outlen)
{
	siwe_buf b = { 0 };
	char dec[24];
	size_t n = sizeof(dec);
	uint64_t v = m->chain_id;
	cm_err rv = CM_OK;

	if (!siwe_valid(m)) {
		return (CM_EINVAL);
	}
	if (m->scheme[0] != '\0') {
		siwe_puts(&b, m->scheme);
		siwe_puts(&b, "://");
	}
	siwe_puts(&b, m->domain);
	siwe_puts(&b, siwe_title);
	siwe_puts(&b, "\n");
	siwe_puts(&b, m->address);
	siwe_puts(&b, "\n\n");
	if (m->statement[0] != '\0') {
		siwe_puts(&b, m->statement);
		siwe_puts(&b, "\n");
	}
	siwe_puts(&b, "\nURI: ");
	siwe_puts(&b, m->uri);
	siwe_puts(&b, "\nVersion: ");
	siwe_puts(&b, m->version);
	siwe_puts(&b, "\nChain ID: ");
	do {
		dec[--n] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0);
	siwe_put(&b, dec + n, sizeof(dec) - n);
	siwe_puts(&b, "\nNonce: ");
	siwe_puts(&b, m->nonce);
	siwe_puts(&b, "\nIssued At: ");
	siwe_puts(&b, m->issued_at);
	siwe_put_opt(&b, "Expiration Time: ", m->expiration_time);
	siwe_put_opt(&b, "Not Before: ", m->not_before);
	siwe_put_opt(&b, "Request ID: ", m->request_id);
	if (m->n_resources > 0) {
		siwe_puts(&b, "\nResources:");
		for (size_t i = 0; i < m->n_resources; i++) {
			siwe_put_opt(&b, "- ", m->resources[i]);
		}
	}
	if (b.len + 1 > cap) {
		rv = CM_ENOMEM;
		goto out;
	}
	memcpy(out, b.p, b.len + 1);
	*outlen = b.len;
out:
	free(b.p);
	return (rv);
}
