/*
 * cm_b64.c: strict base64url (no padding) over libsodium.
 *
 * sodium_base642bin writes output as it scans, so decoding goes through a
 * scratch buffer and is copied out only once the whole input has been
 * accepted.  The expected output size is computed from slen first, which
 * also rejects lengths no unpadded encoding can have.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cm_alloc.h"
#include "cm_b64.h"

#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

size_t
cm_b64url_len(size_t n)
{
	return (n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1));
}

cm_err
cm_b64url_encode(const void *in, size_t n, char *out, size_t cap)
{
	size_t need = sodium_base64_ENCODED_LEN(n, B64_VARIANT);

	cm_assert(need == cm_b64url_len(n) + 1);
	if (cap < need) {
		return (CM_ENOMEM);
	}
	sodium_bin2base64(out, cap, in, n, B64_VARIANT);
	return (CM_OK);
}

cm_err
cm_b64url_decode(const char *s, size_t slen, uint8_t *out, size_t cap,
    size_t *outlen)
{
	size_t want, got = 0;
	uint8_t *tmp;
	cm_err rv = CM_OK;

	if (slen % 4 == 1) {
		return (CM_EINVAL);
	}
	want = slen / 4 * 3 + (slen % 4 == 0 ? 0 : slen % 4 - 1);
	if (want > cap) {
		return (CM_ENOMEM);
	}
	tmp = cm_malloc(want);
	if (sodium_base642bin(tmp, want, s, slen, NULL, &got, NULL,
	    B64_VARIANT) != 0 || got != want) {
		rv = CM_EINVAL;
		goto out;
	}
	if (want > 0) {
		memcpy(out, tmp, want);
	}
	*outlen = want;
out:
	sodium_memzero(tmp, want);
	free(tmp);
	return (rv);
}
