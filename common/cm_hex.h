/*
 * cm_hex.h: hexadecimal encoding and strict decoding of byte strings.
 *
 * Encoding always produces lower-case digits.  Decoding is strict: the
 * input must hold exactly the number of digits the caller expects, after an
 * optional "0x"/"0X" prefix, and nothing else (no whitespace, no sign, no
 * odd digit count).  Both functions are pure and may be called from any
 * thread.
 */
#ifndef CM_HEX_H
#define CM_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

/*
 * cm_hex_encode writes the n bytes of in as 2 * n lower-case hex digits
 * followed by a NUL to out, which must have room for 2 * n + 1 chars.
 */
void cm_hex_encode(const uint8_t *in, size_t n, char *out);

/*
 * cm_hex_decode decodes the slen chars of s (not necessarily NUL-terminated)
 * into exactly outlen bytes.  s may start with "0x" or "0X" and must then
 * hold exactly 2 * outlen hex digits of either case.  Returns CM_OK, or
 * CM_EINVAL for any other input; out is written only on success.
 */
cm_err cm_hex_decode(const char *s, size_t slen, uint8_t *out, size_t outlen);

/*
 * cm_hex_digit returns the value 0..15 of the hex digit c (either case), or
 * -1 when c is not a hex digit.
 */
int cm_hex_digit(char c);

#endif
