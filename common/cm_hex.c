/*
 * cm_hex.c: hexadecimal encoding and strict decoding.
 *
 * Decoding validates the whole input before writing a single output byte,
 * so that out-parameters stay untouched on failure.  No locale-dependent
 * classification (isxdigit) is used: the digits are matched by value.
 */
#include "cm_hex.h"

static const char hex_digits[] = "0123456789abcdef";

void
cm_hex_encode(const uint8_t *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex_digits[in[i] >> 4];
		out[2 * i + 1] = hex_digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int
cm_hex_digit(char c)
{
	if (c >= '0' && c <= '9') {
		return (c - '0');
	}
	if (c >= 'a' && c <= 'f') {
		return (c - 'a' + 10);
	}
	if (c >= 'A' && c <= 'F') {
		return (c - 'A' + 10);
	}
	return (-1);
}

cm_err
cm_hex_decode(const char *s, size_t slen, uint8_t *out, size_t outlen)
{
	if (slen >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		slen -= 2;
	}
	if (outlen > SIZE_MAX / 2 || slen != 2 * outlen) {
		return (CM_EINVAL);
	}
	for (size_t i = 0; i < slen; i++) {
		if (cm_hex_digit(s[i]) < 0) {
			return (CM_EINVAL);
		}
	}
	for (size_t i = 0; i < outlen; i++) {
		out[i] = (uint8_t) ((cm_hex_digit(s[2 * i]) << 4) |
		    cm_hex_digit(s[2 * i + 1]));
	}
	return (CM_OK);
}
