/*
 * cm_eth.c: Ethereum addresses, EIP-191 hashing, secp256k1 recovery.
 *
 * Design: one process-wide secp256k1 context, created on first use under
 * pthread_once with SECP256K1_CONTEXT_NONE (in libsecp256k1 0.2.0 such a
 * context supports every operation) and randomized once with getrandom()
 * as side-channel blinding for signing.  After that it is only passed as
 * a const pointer, which libsecp256k1 documents as safe to share between
 * threads (only context_randomize and destroy mutate it).  It is never
 * destroyed: it must outlive every thread that may recover.
 *
 * Invariants: values are checked in the order v, r/s range, s half-order,
 * then recovery, so the error code tells malformed (CM_EINVAL) from
 * non-canonical or bogus (CM_EAUTH) signatures.  libsecp256k1 itself also
 * refuses r or s >= n when parsing, but the explicit checks do not depend
 * on that and also refuse zero.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "cm_alloc.h"
#include "cm_eth.h"
#include "cm_hex.h"
#include "cm_keccak.h"

/* The secp256k1 group order n, and n / 2 (rounded down), big-endian. */
static const uint8_t eth_n[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
	0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41
};
static const uint8_t eth_half_n[32] = {
	0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
	0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0
};

static const char eth_prefix[] = "\x19" "Ethereum Signed Message:\n";

static pthread_once_t eth_ctx_once = PTHREAD_ONCE_INIT;
static secp256k1_context *eth_ctx;

static void
eth_ctx_create(void)
{
	uint8_t seed[32];
	size_t got = 0;

	eth_ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
	cm_assert(eth_ctx != NULL);
	while (got < sizeof(seed)) {
		ssize_t n = getrandom(seed + got, sizeof(seed) - got, 0);
		if (n < 0) {
			cm_assert(errno == EINTR);
			continue;
		}
		got += (size_t) n;
	}
	cm_assert(secp256k1_context_randomize(eth_ctx, seed) == 1);
	memset(seed, 0, sizeof(seed));
}

static const secp256k1_context *
eth_ctx_get(void)
{
	cm_assert(pthread_once(&eth_ctx_once, eth_ctx_create) == 0);
	return (eth_ctx);
}

/* Compares two 32-byte big-endian numbers like memcmp. */
static int
eth_cmp32(const uint8_t *a, const uint8_t *b)
{
	return (memcmp(a, b, 32));
}

static int
eth_is_zero32(const uint8_t *a)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < 32; i++) {
		acc |= a[i];
	}
	return (acc == 0);
}

/*
 * EIP-55: hex digit i of the address is upper-cased when nibble i of
 * keccak256(the 40 lower-case hex digits) is 8 or more.
 */
static int
eth_digit_upper(const uint8_t hash[32], size_t i)
{
	uint8_t nib = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;

	return (nib >= 8);
}

void
cm_eth_addr_lower(const cm_eth_addr *a, char out[43])
{
	out[0] = '0';
	out[1] = 'x';
	cm_hex_encode(a->b, sizeof(a->b), out + 2);
}

bool
cm_eth_addr_normalize(const char *s, size_t len, char out[43])
{
	if (len != 42 || s[0] != '0' || s[1] != 'x') {
		return (false);
	}
	for (size_t i = 2; i < 42; i++) {
		if (cm_hex_digit(s[i]) < 0) {
			return (false);
		}
	}
	out[0] = '0';
	out[1] = 'x';
	for (size_t i = 2; i < 42; i++) {
		out[i] = (char) (s[i] >= 'A' && s[i] <= 'F' ? s[i] + 32 : s[i]);
	}
	out[42] = '\0';
	return (true);
}

bool
cm_eth_addr_is_lower(const char *s)
{
	char lower[43];

	return (s != NULL && cm_eth_addr_normalize(s, strlen(s), lower) &&
	    strcmp(s, lower) == 0);
}

void
cm_eth_addr_checksum(const cm_eth_addr *a, char out[43])
{
	uint8_t hash[32];

	cm_eth_addr_lower(a, out);
	cm_keccak256(out + 2, 40, hash);
	for (size_t i = 0; i < 40; i++) {
		char c = out[2 + i];
		if (c >= 'a' && c <= 'f' && eth_digit_upper(hash, i)) {
			out[2 + i] = (char) (c - 'a' + 'A');
		}
	}
}

cm_err
cm_eth_addr_parse(const char *s, size_t len, cm_eth_addr *out)
{
	cm_eth_addr a;
	int lower = 0, upper = 0;
	char sum[43];

	if (len != CM_ETH_ADDR_STRLEN || s[0] != '0' || s[1] != 'x' ||
	    cm_hex_decode(s + 2, 40, a.b, sizeof(a.b)) != CM_OK) {
		return (CM_EINVAL);
	}
	for (size_t i = 2; i < len; i++) {
		lower |= s[i] >= 'a' && s[i] <= 'f';
		upper |= s[i] >= 'A' && s[i] <= 'F';
	}
	if (lower && upper) {
		cm_eth_addr_checksum(&a, sum);
		if (memcmp(sum, s, CM_ETH_ADDR_STRLEN) != 0) {
			return (CM_EINVAL);
		}
	}
	*out = a;
	return (CM_OK);
}

void
cm_eth_personal_hash(const void *msg, size_t len, uint8_t out[32])
{
	char dec[24];
	size_t n = sizeof(dec), v = len;
	cm_keccak k;

	do {
		dec[--n] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0);
	cm_keccak_init(&k);
	cm_keccak_update(&k, eth_prefix, sizeof(eth_prefix) - 1);
	cm_keccak_update(&k, dec + n, sizeof(dec) - n);
	cm_keccak_update(&k, msg, len);
	cm_keccak_final(&k, out);
}

cm_err
cm_eth_sig_parse(const char *hex, size_t len, uint8_t sig[65])
{
	if (len != 2 + 2 * CM_ETH_SIG_LEN || hex[0] != '0' || hex[1] != 'x') {
		return (CM_EINVAL);
	}
	return (cm_hex_decode(hex + 2, len - 2, sig, CM_ETH_SIG_LEN));
}

/* Address of a public key: last 20 bytes of keccak256(X || Y). */
static void
eth_addr_of_pubkey(const secp256k1_context *ctx, const secp256k1_pubkey *pk,
    cm_eth_addr *out)
{
	uint8_t ser[65], hash[32];
	size_t serlen = sizeof(ser);

	cm_assert(secp256k1_ec_pubkey_serialize(ctx, ser, &serlen, pk,
	    SECP256K1_EC_UNCOMPRESSED) == 1);
	cm_assert(serlen == 65 && ser[0] == 0x04);
	cm_keccak256(ser + 1, 64, hash);
	memcpy(out->b, hash + 12, sizeof(out->b));
}

cm_err
cm_eth_recover(const uint8_t hash[32], const uint8_t sig[65],
    cm_eth_addr *out)
{
	const secp256k1_context *ctx = eth_ctx_get();
	secp256k1_ecdsa_recoverable_signature rsig;
	secp256k1_pubkey pk;
	int recid;

	switch (sig[64]) {
	case 0:
	case 1:
		recid = sig[64];
		break;
	case 27:
	case 28:
		recid = sig[64] - 27;
		break;
	default:
		return (CM_EINVAL);
	}
	if (eth_is_zero32(sig) || eth_cmp32(sig, eth_n) >= 0 ||
	    eth_is_zero32(sig + 32) || eth_cmp32(sig + 32, eth_n) >= 0) {
		return (CM_EINVAL);
	}
	if (eth_cmp32(sig + 32, eth_half_n) > 0) {
		return (CM_EAUTH);
	}
	if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig,
	    sig, recid) != 1 ||
	    secp256k1_ecdsa_recover(ctx, &pk, &rsig, hash) != 1) {
		return (CM_EAUTH);
	}
	eth_addr_of_pubkey(ctx, &pk, out);
	return (CM_OK);
}

cm_err
cm_eth_personal_recover(const void *msg, size_t len, const uint8_t sig[65],
    cm_eth_addr *out)
{
	uint8_t hash[32];

	cm_eth_personal_hash(msg, len, hash);
	return (cm_eth_recover(hash, sig, out));
}

cm_err
cm_eth_addr_from_privkey(const uint8_t key[32], cm_eth_addr *out)
{
	const secp256k1_context *ctx = eth_ctx_get();
	secp256k1_pubkey pk;

	if (secp256k1_ec_seckey_verify(ctx, key) != 1 ||
	    secp256k1_ec_pubkey_create(ctx, &pk, key) != 1) {
		return (CM_EINVAL);
	}
	eth_addr_of_pubkey(ctx, &pk, out);
	return (CM_OK);
}

cm_err
cm_eth_personal_sign(const uint8_t key[32], const void *msg, size_t len,
    uint8_t sig[65])
{
	const secp256k1_context *ctx = eth_ctx_get();
	secp256k1_ecdsa_recoverable_signature rsig;
	uint8_t hash[32], rs[64];
	int recid;

	if (secp256k1_ec_seckey_verify(ctx, key) != 1) {
		return (CM_EINVAL);
	}
	cm_eth_personal_hash(msg, len, hash);
	// A NULL nonce function selects RFC 6979; the result is low-s.
	if (secp256k1_ecdsa_sign_recoverable(ctx, &rsig, hash, key, NULL,
	    NULL) != 1) {
		return (CM_EINVAL);
	}
	cm_assert(secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx,
	    rs, &recid, &rsig) == 1);
	cm_assert(recid == 0 || recid == 1);
	memcpy(sig, rs, sizeof(rs));
	sig[64] = (uint8_t) (27 + recid);
	return (CM_OK);
}
