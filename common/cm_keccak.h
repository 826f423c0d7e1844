/*
 * cm_keccak.h: Keccak-256 as Ethereum uses it (original Keccak padding
 * 0x01, rate 136 bytes, 32-byte output).
 *
 * This is NOT SHA3-256 (FIPS 202 pads with 0x06): nettle's sha3_256 must
 * never be used where Ethereum expects keccak256.  The permutation comes
 * from nettle's public sha3_permute; absorption and padding are done here.
 *
 * A cm_keccak context is caller-owned storage with no resources to release;
 * one context must not be used from two threads at once.
 */
#ifndef CM_KECCAK_H
#define CM_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha3.h>

/* Bytes absorbed per permutation. */
#define CM_KECCAK_RATE 136
#define CM_KECCAK256_LEN 32

/* A streaming Keccak-256 context; the members are private. */
typedef struct cm_keccak {
	struct sha3_state st;
	uint8_t buf[CM_KECCAK_RATE];
	size_t idx; /* bytes buffered in buf, always < CM_KECCAK_RATE */
} cm_keccak;

/* cm_keccak_init resets k to hash a new message. */
void cm_keccak_init(cm_keccak *k);

/* cm_keccak_update absorbs len bytes of data (NULL is fine when len is 0). */
void cm_keccak_update(cm_keccak *k, const void *data, size_t len);

/*
 * cm_keccak_final pads, writes the 32-byte digest to out and wipes k; call
 * cm_keccak_init again before reusing k.
 */
void cm_keccak_final(cm_keccak *k, uint8_t out[32]);

/* cm_keccak256 hashes len bytes of data in one call. */
void cm_keccak256(const void *data, size_t len, uint8_t out[32]);

#endif
