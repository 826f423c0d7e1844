/*
 * cm_b64.h: base64url without padding (RFC 4648 section 5, as JWS uses).
 *
 * Built on libsodium's sodium_bin2base64 / sodium_base642bin with the
 * URLSAFE_NO_PADDING variant.  Decoding is strict: padding, whitespace,
 * characters outside [A-Za-z0-9_-], impossible lengths (len % 4 == 1) and
 * non-zero unused trailing bits are all refused, so every byte string has
 * exactly one accepted encoding.  Functions are pure and thread-safe.
 */
#ifndef CM_B64_H
#define CM_B64_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

/* cm_b64url_len returns the encoded length of n bytes, without the NUL. */
size_t cm_b64url_len(size_t n);

/*
 * cm_b64url_encode writes the encoding of n bytes of in plus a NUL to out,
 * whose size is cap.  Returns CM_OK, or CM_ENOMEM when cap is smaller than
 * cm_b64url_len(n) + 1 (out untouched).
 */
cm_err cm_b64url_encode(const void *in, size_t n, char *out, size_t cap);

/*
 * cm_b64url_decode decodes the slen chars of s into out, whose size is cap,
 * and sets *outlen to the byte count.  Returns CM_OK, CM_EINVAL for a
 * malformed encoding, or CM_ENOMEM when the result would exceed cap.  out
 * and *outlen are written only on success.
 */
cm_err cm_b64url_decode(const char *s, size_t slen, uint8_t *out, size_t cap,
    size_t *outlen);

#endif
