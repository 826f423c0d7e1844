/*
 * cm_eth.h: Ethereum addresses, EIP-191 personal messages and secp256k1
 * signature recovery.
 *
 * Addresses are 20 raw bytes; their text forms are "0x" + 40 hex digits,
 * either all one case or EIP-55 mixed-case checksummed.  Signatures are
 * the 65-byte r || s || v form wallets return from personal_sign.
 *
 * Recovery is strict: v must be 27/28 (or 0/1), r and s must lie in
 * [1, n-1] and s must be in the lower half of the group order (EIP-2), so
 * every accepted signature has exactly one encoding.
 *
 * Threads: every function may be called from any thread concurrently.  The
 * libsecp256k1 context is created (and randomized) once, on first use,
 * under pthread_once, and is only read afterwards; libsecp256k1 documents
 * such use of a context as thread-safe.  It lives until process exit.
 */
#ifndef CM_ETH_H
#define CM_ETH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

#define CM_ETH_ADDR_STRLEN 42 /* "0x" + 40 hex digits, without the NUL */
#define CM_ETH_SIG_LEN 65

/* A 20-byte Ethereum account address. */
typedef struct cm_eth_addr {
	uint8_t b[20];
} cm_eth_addr;

/*
 * cm_eth_addr_parse parses the len chars of s: "0x" followed by exactly 40
 * hex digits.  All-lower-case and all-upper-case digits are accepted as
 * they carry no checksum; mixed case must be the exact EIP-55 checksum.
 * Returns CM_OK and fills *out, or CM_EINVAL.
 */
cm_err cm_eth_addr_parse(const char *s, size_t len, cm_eth_addr *out);

/* cm_eth_addr_checksum writes the EIP-55 form "0x..." plus a NUL to out. */
void cm_eth_addr_checksum(const cm_eth_addr *a, char out[43]);

/* cm_eth_addr_lower writes the all-lower-case form plus a NUL to out. */
void cm_eth_addr_lower(const cm_eth_addr *a, char out[43]);

/*
 * cm_eth_addr_normalize reads the len chars of s, "0x" and 40 hex digits
 * of any case (no checksum check: for addresses that name someone, not
 * for sign-in), and writes the lower-case form the services key players
 * by.  False when s is not such an address.
 */
bool cm_eth_addr_normalize(const char *s, size_t len, char out[43]);

/* cm_eth_addr_is_lower: s is "0x" and 40 lower-case hex digits. */
bool cm_eth_addr_is_lower(const char *s);

/*
 * cm_eth_personal_hash computes the EIP-191 (version 0x45) hash wallets
 * sign for personal_sign: keccak256("\x19Ethereum Signed Message:\n" ||
 * decimal(len) || msg).
 */
void cm_eth_personal_hash(const void *msg, size_t len, uint8_t out[32]);

/*
 * cm_eth_sig_parse parses "0x" followed by exactly 130 hex digits (either
 * case) into sig.  Only the encoding is checked here; cm_eth_recover checks
 * the values.  Returns CM_OK, or CM_EINVAL (sig untouched).
 */
cm_err cm_eth_sig_parse(const char *hex, size_t len, uint8_t sig[65]);

/*
 * cm_eth_recover recovers the address that signed the 32-byte hash with
 * sig = r || s || v.  Returns:
 *   CM_OK      *out is the signer;
 *   CM_EINVAL  v is not 0, 1, 27 or 28, or r or s is zero or >= n;
 *   CM_EAUTH   s > n/2 (malleable high-s form), or no public key
 *              corresponds to the signature.
 * A valid signature over a different hash recovers a different address
 * with CM_OK: callers must compare *out with the expected signer.
 */
cm_err cm_eth_recover(const uint8_t hash[32], const uint8_t sig[65],
    cm_eth_addr *out);

/*
 * cm_eth_personal_recover is cm_eth_personal_hash followed by
 * cm_eth_recover, with the same return values.
 */
cm_err cm_eth_personal_recover(const void *msg, size_t len,
    const uint8_t sig[65], cm_eth_addr *out);

/*
 * cm_eth_addr_from_privkey derives the address of the 32-byte big-endian
 * secret key.  Returns CM_OK, or CM_EINVAL when key is zero or >= n.
 * For tests, tools and benchmarks: servers other than the bridge hold no
 * keys.
 */
cm_err cm_eth_addr_from_privkey(const uint8_t key[32], cm_eth_addr *out);

/*
 * cm_eth_personal_sign signs the EIP-191 hash of msg with key, using
 * RFC 6979 deterministic nonces; the result is low-s with v = 27 or 28,
 * byte-identical to what ethers' Wallet.signMessage produces.  Returns
 * CM_OK, or CM_EINVAL when key is invalid (sig untouched).  For tests,
 * tools and benchmarks.
 */
cm_err cm_eth_personal_sign(const uint8_t key[32], const void *msg,
    size_t len, uint8_t sig[65]);

#endif
