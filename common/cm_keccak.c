/*
 * cm_keccak.c: Keccak-256 on top of nettle's Keccak-f[1600] permutation.
 *
 * Design: bytes are collected in k->buf until a whole 136-byte block is
 * available, then XORed into the state as 17 little-endian 64-bit lanes and
 * the state is permuted.  Full blocks in the input bypass the buffer.
 *
 * Invariants: k->idx < CM_KECCAK_RATE between calls.  Padding is the
 * original Keccak "pad10*1" with domain byte 0x01: buf[idx] ^= 0x01 and
 * buf[135] ^= 0x80 (the same byte, 0x81, when idx == 135).  The digest is
 * the first 32 bytes of the state in little-endian lane order.  Byte order
 * is handled with shifts, so the code does not depend on host endianness.
 */
#include <string.h>

#include "cm_keccak.h"

/*
 * load_le64 reads a little-endian lane.  Written as one expression of
 * eight shifted bytes, the compiler turns it into a single load on a
 * little-endian host; the loop of shifts it replaces was compiled byte by
 * byte and cost a fifth of the permutation it feeds.
 */
static uint64_t
load_le64(const uint8_t *p)
{
	return ((uint64_t) p[0] | (uint64_t) p[1] << 8 |
	    (uint64_t) p[2] << 16 | (uint64_t) p[3] << 24 |
	    (uint64_t) p[4] << 32 | (uint64_t) p[5] << 40 |
	    (uint64_t) p[6] << 48 | (uint64_t) p[7] << 56);
}

static void
keccak_absorb(cm_keccak *k, const uint8_t *block)
{
	for (size_t i = 0; i < CM_KECCAK_RATE / 8; i++) {
		k->st.a[i] ^= load_le64(block + 8 * i);
	}
	sha3_permute(&k->st);
}

void
cm_keccak_init(cm_keccak *k)
{
	memset(k, 0, sizeof(*k));
}

void
cm_keccak_update(cm_keccak *k, const void *data, size_t len)
{
	const uint8_t *p = data;

	if (len == 0) {
		return;
	}
	if (k->idx > 0) {
		size_t take = CM_KECCAK_RATE - k->idx;
		if (take > len) {
			take = len;
		}
		memcpy(k->buf + k->idx, p, take);
		k->idx += take;
		p += take;
		len -= take;
		if (k->idx < CM_KECCAK_RATE) {
			return;
		}
		keccak_absorb(k, k->buf);
		k->idx = 0;
	}
	while (len >= CM_KECCAK_RATE) {
		keccak_absorb(k, p);
		p += CM_KECCAK_RATE;
		len -= CM_KECCAK_RATE;
	}
	if (len > 0) {
		memcpy(k->buf, p, len);
		k->idx = len;
	}
}

void
cm_keccak_final(cm_keccak *k, uint8_t out[32])
{
	memset(k->buf + k->idx, 0, CM_KECCAK_RATE - k->idx);
	k->buf[k->idx] ^= 0x01;
	k->buf[CM_KECCAK_RATE - 1] ^= 0x80;
	keccak_absorb(k, k->buf);
	for (size_t i = 0; i < CM_KECCAK256_LEN; i++) {
		out[i] = (uint8_t) (k->st.a[i / 8] >> (8 * (i % 8)));
	}
	memset(k, 0, sizeof(*k));
}

void
cm_keccak256(const void *data, size_t len, uint8_t out[32])
{
	cm_keccak k;

	cm_keccak_init(&k);
	cm_keccak_update(&k, data, len);
	cm_keccak_final(&k, out);
}
