/*
 * cm_siwe.h: Sign-In with Ethereum (EIP-4361) messages: a builder and a
 * strict parser.
 *
 * The message text is, per the EIP's ABNF (LF line ends, no trailing LF):
 *
 *   [scheme "://"] domain " wants you to sign in with your Ethereum account:"
 *   address
 *   (empty line)
 *   statement            <- this line and the empty line after it only
 *   (empty line)            when a statement is present
 *   "URI: " uri
 *   "Version: 1"
 *   "Chain ID: " chain-id
 *   "Nonce: " nonce
 *   "Issued At: " issued-at
 *   "Expiration Time: " expiration-time      optional, in this order
 *   "Not Before: " not-before                optional
 *   "Request ID: " request-id                optional
 *   "Resources:" then one "- " URI line each optional
 *
 * So without a statement the address line is followed by three LFs.
 *
 * A cm_siwe holds every field as a NUL-terminated string in a fixed array;
 * "" means an optional field is absent.  Things the ABNF allows but this
 * struct cannot represent are refused by the parser, so that every parsed
 * message rebuilds to the identical text: an empty statement (four LFs
 * after the address), an empty "Request ID: " and a "Resources:" line
 * with no resource.  Fields longer than their array are refused, never
 * truncated.
 *
 * Validation (builder and parser alike):
 *   scheme     RFC 3986 scheme: ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")
 *   domain     non-empty, RFC 3986 authority characters only (unreserved,
 *              pct-encoded, sub-delims, ":", "@", "[", "]"): no spaces,
 *              no control characters, no "/"
 *   address    "0x" + 40 hex digits in exact EIP-55 checksum form
 *   statement  RFC 3986 reserved / unreserved characters and spaces
 *   uri        RFC 3986 scheme ":" then only URI characters (reserved,
 *              unreserved, well-formed %XX); the finer URI grammar is not
 *              checked
 *   version    "1"
 *   chain_id   1 .. 2^53, decimal without leading zeros
 *   nonce      8 or more ASCII letters and digits
 *   times      RFC 3339 date-time as cm_time_parse_rfc3339 accepts it
 *   request_id one or more RFC 3986 pchar
 *   resources  0 .. CM_SIWE_RESOURCES_MAX URIs as for uri
 *
 * The parser checks form only: the caller must still check the domain,
 * URI, chain, nonce and times against its expectations and verify the
 * signature (cm_eth_personal_recover) against the address.
 *
 * Functions are pure and thread-safe.
 */
#ifndef CM_SIWE_H
#define CM_SIWE_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

/* Array sizes, NUL included: a field may hold size - 1 chars. */
#define CM_SIWE_SCHEME_SIZE 32
#define CM_SIWE_DOMAIN_SIZE 256
#define CM_SIWE_ADDRESS_SIZE 43
#define CM_SIWE_STATEMENT_SIZE 512
#define CM_SIWE_URI_SIZE 512
#define CM_SIWE_VERSION_SIZE 4
#define CM_SIWE_NONCE_SIZE 65
#define CM_SIWE_TIME_SIZE 40
#define CM_SIWE_REQUEST_ID_SIZE 128
#define CM_SIWE_RESOURCES_MAX 8

/* The largest chain id accepted: 2^53 (JavaScript's safe integer bound). */
#define CM_SIWE_CHAIN_ID_MAX 9007199254740992ULL

/* The fields of one SIWE message; "" marks an absent optional field. */
typedef struct cm_siwe {
	char scheme[CM_SIWE_SCHEME_SIZE];       // optional
	char domain[CM_SIWE_DOMAIN_SIZE];
	char address[CM_SIWE_ADDRESS_SIZE];
	char statement[CM_SIWE_STATEMENT_SIZE]; // optional
	char uri[CM_SIWE_URI_SIZE];
	char version[CM_SIWE_VERSION_SIZE];
	uint64_t chain_id;
	char nonce[CM_SIWE_NONCE_SIZE];
	char issued_at[CM_SIWE_TIME_SIZE];
	char expiration_time[CM_SIWE_TIME_SIZE]; // optional
	char not_before[CM_SIWE_TIME_SIZE];      // optional
	char request_id[CM_SIWE_REQUEST_ID_SIZE]; // optional
	size_t n_resources;
	char resources[CM_SIWE_RESOURCES_MAX][CM_SIWE_URI_SIZE];
} cm_siwe;

/*
 * cm_siwe_build writes the message text of m plus a NUL to out, whose size
 * is cap, and sets *outlen to the text length (without the NUL).  Returns
 * CM_OK; CM_EINVAL when a field of m is not NUL-terminated in its array or
 * fails the validation above (so every built message parses back); or
 * CM_ENOMEM when cap is too small.  out and *outlen are written only on
 * success.
 */
cm_err cm_siwe_build(const cm_siwe *m, char *out, size_t cap,
    size_t *outlen);

/*
 * cm_siwe_parse parses exactly the len bytes of msg (no NUL needed; an
 * embedded NUL is refused) into *out.  Returns CM_OK, or CM_EINVAL for
 * anything that is not a message of the form described above.  *out is
 * written only on success.
 */
cm_err cm_siwe_parse(const char *msg, size_t len, cm_siwe *out);

#endif
