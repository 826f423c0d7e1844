/*
 * cm_keccak_test.c: unit tests for common/cm_keccak.c: known vectors
 * (including the block-boundary lengths around the 136-byte rate),
 * streaming in every split, and that it is not nettle's SHA3-256.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <nettle/sha3.h>

#include "cm_hex.h"
#include "cm_keccak.h"

struct keccak_vec {
	size_t len;
	const char *hex;
};

/*
 * Keccak-256 vectors computed with js-sha3 0.13.0 keccak256 (node
 * v20.20.2), cross-checked with ethers 6.17.0 keccak256.  Input byte i is
 * (i * 31 + 7) & 0xff.
 */
static const struct keccak_vec keccak_vecs[] = {
	{ 0, "c5d2460186f7233c927e7db2dcc703c0"
	    "e500b653ca82273b7bfad8045d85a470" },
	{ 1, "ee2a4bc7db81da2b7164e56b3649b1e2"
	    "a09c58c455b15dabddd9146c7582cebc" },
	{ 3, "466f507b9ad43c3f52d200ed12e6fc4d"
	    "1cbcdf86d5145b31bd4d96c98497dd6b" },
	{ 55, "97c45d97c802da7b3a6584d91c34ee4e"
	    "a5cd8d8b052856234405bf5b76c0b043" },
	{ 135, "adee8145bb33dc0320ad44945eeeb391"
	    "e4668f0f7c69ccbbf6550a7cba245e52" },
	{ 136, "eaccfc5aa7bf6bf1941809ef7cc9ee6a"
	    "2fa306a7dd1de3f2e8504849b0a5e3c4" },
	{ 137, "ea0e0b9657469f0b4f53604f1068ab4b"
	    "d4a5e7b0a458d24a78f1fe2ec7bd4db0" },
	{ 271, "407871b419dca15e033dd9777154af21"
	    "16326a7849eacadbc46b1618055ee0a2" },
	{ 272, "c62d6a60780d4e03408834062e58004a"
	    "549cff1c7487c0b9a130810621b0fcae" },
	{ 1000, "c77d9bffcae9f0984e6dff7eea63cc14"
	    "cad5f367f791e27b08a1953f192f30a5" },
};

static void
vec_input(uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf[i] = (uint8_t) ((i * 31 + 7) & 0xff);
	}
}

static void
assert_digest(const uint8_t d[32], const char *hex)
{
	char got[65];

	cm_hex_encode(d, 32, got);
	assert_string_equal(got, hex);
}

static void
test_known(void **state)
{
	uint8_t d[32];

	(void) state;
	cm_keccak256("", 0, d);
	assert_digest(d, "c5d2460186f7233c927e7db2dcc703c0"
	    "e500b653ca82273b7bfad8045d85a470");
	cm_keccak256(NULL, 0, d);
	assert_digest(d, "c5d2460186f7233c927e7db2dcc703c0"
	    "e500b653ca82273b7bfad8045d85a470");
	cm_keccak256("abc", 3, d);
	assert_digest(d, "4e03657aea45a94fc7d47ba826c8d667"
	    "c0d1e6e33a64a036ec44f58fa12d6c45");
}

static void
test_vectors(void **state)
{
	uint8_t buf[1000], d[32];

	(void) state;
	for (size_t i = 0; i < sizeof(keccak_vecs) / sizeof(keccak_vecs[0]);
	    i++) {
		vec_input(buf, keccak_vecs[i].len);
		cm_keccak256(buf, keccak_vecs[i].len, d);
		assert_digest(d, keccak_vecs[i].hex);
	}
}

/* Every vector, fed in two pieces split at every possible point. */
static void
test_streaming_splits(void **state)
{
	uint8_t buf[1000], d[32];
	cm_keccak k;

	(void) state;
	for (size_t i = 0; i < sizeof(keccak_vecs) / sizeof(keccak_vecs[0]);
	    i++) {
		size_t n = keccak_vecs[i].len;
		vec_input(buf, n);
		for (size_t cut = 0; cut <= n; cut++) {
			cm_keccak_init(&k);
			cm_keccak_update(&k, buf, cut);
			cm_keccak_update(&k, buf + cut, n - cut);
			cm_keccak_final(&k, d);
			assert_digest(d, keccak_vecs[i].hex);
		}
	}
}

/* The 1000-byte vector fed in chunks of every size from 1 to 300. */
static void
test_streaming_chunks(void **state)
{
	uint8_t buf[1000], d[32];
	cm_keccak k;

	(void) state;
	vec_input(buf, sizeof(buf));
	for (size_t chunk = 1; chunk <= 300; chunk++) {
		cm_keccak_init(&k);
		for (size_t off = 0; off < sizeof(buf); off += chunk) {
			size_t n = sizeof(buf) - off < chunk ?
			    sizeof(buf) - off : chunk;
			cm_keccak_update(&k, buf + off, n);
			cm_keccak_update(&k, NULL, 0);
		}
		cm_keccak_final(&k, d);
		assert_digest(d, keccak_vecs[9].hex);
	}
}

/* A context is reusable after final + init. */
static void
test_reuse(void **state)
{
	uint8_t d[32];
	cm_keccak k;

	(void) state;
	cm_keccak_init(&k);
	cm_keccak_update(&k, "xyz", 3);
	cm_keccak_final(&k, d);
	cm_keccak_init(&k);
	cm_keccak_update(&k, "abc", 3);
	cm_keccak_final(&k, d);
	assert_digest(d, "4e03657aea45a94fc7d47ba826c8d667"
	    "c0d1e6e33a64a036ec44f58fa12d6c45");
}

/* Guards against using the wrong function: SHA3-256("") differs. */
static void
test_not_sha3(void **state)
{
	struct sha3_256_ctx s;
	uint8_t a[32], b[32];

	(void) state;
	sha3_256_init(&s);
	sha3_256_digest(&s, sizeof(a), a);
	assert_digest(a, "a7ffc6f8bf1ed76651c14756a061d662"
	    "f580ff4de43b49fa82d80a4b80f8434a");
	cm_keccak256("", 0, b);
	assert_memory_not_equal(a, b, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_streaming_splits),
		cmocka_unit_test(test_streaming_chunks),
		cmocka_unit_test(test_reuse),
		cmocka_unit_test(test_not_sha3),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
