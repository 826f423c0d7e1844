/*
 * cm_jwt.h: HS256 JSON Web Tokens for session tickets.
 *
 * Tokens are compact JWS (RFC 7515/7519) with the header exactly
 * {"alg":"HS256","typ":"JWT","kid":"<kid>"} and the payload
 * {"sub":"...","iat":N,"exp":N}.  Verification accepts only HS256 and only
 * keys of the configured key set, selected by "kid"; several keys allow
 * rotation: new tokens are signed with the first (active) key while tokens
 * signed with the others still verify.
 *
 * Error codes of cm_jwt_verify:
 *   CM_EINVAL    not a well-formed token: empty or over CM_JWT_MAX_LEN
 *                chars, not exactly three "."-separated parts, an empty
 *                header or payload part, a part that is not strict
 *                base64url, a header or payload that is not a JSON object
 *                (duplicate members refused), or claims missing or of
 *                the wrong type (sub not a 1..63-byte string, iat or exp
 *                not a non-negative integer);
 *   CM_EAUTH     well-formed but not acceptable: alg not exactly "HS256"
 *                (including "none"), "typ" present and not "JWT", a
 *                "crit" member, kid missing, not a string or unknown, a
 *                signature that is not 32 bytes (an empty one included)
 *                or does not match, iat more than CM_JWT_IAT_SKEW_S
 *                seconds after now;
 *   CM_EEXPIRED  authentic but exp <= now.
 * Precedence: the header is checked first, then the MAC, and only an
 * authentic payload is parsed, so a forged token never gets past
 * CM_EAUTH to a payload error.
 *
 * Threads: a key set is immutable after cm_jwt_keys_parse; any number of
 * threads may issue and verify with it concurrently.
 */
#ifndef CM_JWT_H
#define CM_JWT_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

#define CM_JWT_MAX_LEN 2048      /* longest token verify accepts */
#define CM_JWT_MAX_KEYS 8
#define CM_JWT_KID_MAX 32        /* [A-Za-z0-9_-]{1,32} */
#define CM_JWT_SECRET_MIN 32     /* bytes */
#define CM_JWT_SECRET_MAX 128    /* bytes */
#define CM_JWT_SUB_MAX 63        /* bytes of the sub claim */
#define CM_JWT_IAT_SKEW_S 60     /* tolerated clock skew for iat */

/* An immutable set of HMAC keys; opaque. */
typedef struct cm_jwt_keys cm_jwt_keys;

/* The claims of a verified token. */
typedef struct cm_jwt_claims {
	char sub[64];  // NUL-terminated, 1..63 bytes, valid UTF-8
	int64_t iat;
	int64_t exp;
	char kid[33];  // key that verified the token
} cm_jwt_claims;

/*
 * cm_jwt_keys_parse parses spec "kid1:hexsecret,kid2:hexsecret,...": 1 to
 * CM_JWT_MAX_KEYS entries, kid matching [A-Za-z0-9_-]{1,32} and unique,
 * secret given as hex (optional "0x") of CM_JWT_SECRET_MIN to
 * CM_JWT_SECRET_MAX bytes.  The first entry is the active signing key.
 * No spaces are allowed anywhere.  Returns CM_OK and a new key set in
 * *out, owned by the caller (free with cm_jwt_keys_free), or CM_EINVAL.
 */
cm_err cm_jwt_keys_parse(const char *spec, cm_jwt_keys **out);

/* cm_jwt_keys_free wipes and frees k; NULL is ignored. */
void cm_jwt_keys_free(cm_jwt_keys *k);

/*
 * cm_jwt_issue writes a token for sub (NUL-terminated, 1..63 bytes of
 * valid UTF-8) with the given iat and exp (seconds since the epoch,
 * 0 <= iat < exp), signed with the active key, plus a NUL to out, whose
 * size is cap.  Returns CM_OK, CM_EINVAL for bad arguments, or CM_ENOMEM
 * when cap is too small (out untouched).
 */
cm_err cm_jwt_issue(const cm_jwt_keys *k, const char *sub, int64_t iat_s,
    int64_t exp_s, char *out, size_t cap);

/*
 * cm_jwt_verify checks the len chars of tok (no NUL needed) at time now_s
 * and fills *out.  Returns CM_OK, CM_EINVAL, CM_EAUTH or CM_EEXPIRED as
 * described above; *out is written only on success.
 */
cm_err cm_jwt_verify(const cm_jwt_keys *k, const char *tok, size_t len,
    int64_t now_s, cm_jwt_claims *out);

#endif
