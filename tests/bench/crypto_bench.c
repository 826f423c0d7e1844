/*
 * crypto_bench.c: signature recovery per second on one core.
 *
 *   raw: secp256k1_ecdsa_recoverable_signature_parse_compact +
 *        secp256k1_ecdsa_recover + pubkey serialize + Keccak-256 (the
 *        least any verifier must do)
 *   ours: cm_eth_personal_recover over a real SIWE-sized message (EIP-191
 *        prefix, Keccak of the message, the checks, the recovery)
 *
 * Each is run RUNS times for about a second; the median is printed.
 */
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <string.h>

#include "bench_util.h"
#include "cm_eth.h"
#include "cm_keccak.h"

#define RUNS 5

static const char msg[] =
    "127.0.0.1:8080 wants you to sign in with your Ethereum account:\n"
    "0x0000000000000000000000000000000000000000\n\nSign in to Nemeth's "
    "Domain.\n\nURI: http://127.0.0.1:8080\nVersion: 1\nChain ID: 31337\n"
    "Nonce: 3f1c0b6a9d2e4f5a6b7c8d9e\nIssued At: 2026-11-25T10:00:00.000Z"
    "\nExpiration Time: 2026-11-25T10:05:00.000Z";

static double
bench_raw(secp256k1_context *ctx, const uint8_t hash[32],
    const uint8_t sig[65])
{
	double t0 = bench_now(), t;
	long   n  = 0;

	do {
		for (int i = 0; i < 200; i++) {
			secp256k1_ecdsa_recoverable_signature rs;
			secp256k1_pubkey                      pk;
			uint8_t                               ser[65], h[32];
			size_t                                len = 65;

			secp256k1_ecdsa_recoverable_signature_parse_compact(
			    ctx, &rs, sig, sig[64] - 27);
			if (!secp256k1_ecdsa_recover(ctx, &pk, &rs, hash)) {
				abort();
			}
			secp256k1_ec_pubkey_serialize(ctx, ser, &len, &pk,
			    SECP256K1_EC_UNCOMPRESSED);
			cm_keccak256(ser + 1, 64, h);
			n++;
		}
		t = bench_now() - t0;
	} while (t < 1.0);
	return ((double) n / t);
}

static double
bench_ours(const uint8_t sig[65])
{
	double t0 = bench_now(), t;
	long   n  = 0;

	do {
		for (int i = 0; i < 200; i++) {
			cm_eth_addr a;

			if (cm_eth_personal_recover(msg, sizeof(msg) - 1, sig,
			        &a) != CM_OK) {
				abort();
			}
			n++;
		}
		t = bench_now() - t0;
	} while (t < 1.0);
	return ((double) n / t);
}

int
main(void)
{
	secp256k1_context *ctx = secp256k1_context_create(
	    SECP256K1_CONTEXT_NONE);
	uint8_t            key[32], sig[65], hash[32];
	double             raw[RUNS], ours[RUNS];

	memset(key, 0x42, sizeof(key));
	if (cm_eth_personal_sign(key, msg, sizeof(msg) - 1, sig) != CM_OK) {
		return (1);
	}
	cm_eth_personal_hash(msg, sizeof(msg) - 1, hash);
	for (int r = 0; r < RUNS; r++) {
		raw[r]  = bench_raw(ctx, hash, sig);
		ours[r] = bench_ours(sig);
	}
	bench_print("recover_raw", bench_pct(raw, RUNS, 50), "ops/s");
	bench_print("recover_eip191", bench_pct(ours, RUNS, 50), "ops/s");
	secp256k1_context_destroy(ctx);
	return (0);
}
