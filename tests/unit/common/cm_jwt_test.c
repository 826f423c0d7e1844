/*
 * cm_jwt_test.c: unit tests for common/cm_jwt.c: key-set parsing, issue /
 * verify round trips, tokens made independently with node's crypto HMAC,
 * key rotation, and refusal of tampered, expired, alg-confused, wrongly
 * keyed, malformed and oversized tokens, with the documented error codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "cm_b64.h"
#include "cm_hex.h"
#include "cm_jwt.h"

#define SECRET1 "000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"
#define SECRET2 "ffffffffffffffffffffffffffffffff" \
		"ffffffffffffffffffffffffffffffffffffffffffffffff"

#define NOW 1795600900LL  // 100 s after the vectors' iat
#define IAT 1795600800LL
#define EXP 1795604400LL

/*
 * HS256 tokens made with node v20.20.2: base64url(JSON.stringify(...))
 * and crypto.createHmac("sha256", key), independently of this code.
 */
static const char node_tok_1[] =  // kid k1, key SECRET1
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0."
    "eyJzdWIiOiJwbGF5ZXItMSIsImlhdCI6MTc5NTYwMDgwMCwiZXhwIjoxNzk1NjA0NDAwfQ."
    "biIVVrOnInnb2ruBAo_YU73xawZUZCm78_XsDAqTYcI";
static const char node_tok_2[] =  // kid rot_2-b, key SECRET2, sub h\xc3\xa9"\/
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InJvdF8yLWIifQ."
    "eyJzdWIiOiJow6lcIlxcLyIsImlhdCI6MTc5NTYwMDgwMCwiZXhwIjoxNzk1NjA0NDAwfQ."
    "KUaPH_xKiJknI_eZD7QGFJ4q_iqImGcYpqI_4y-tnXs";

static cm_jwt_keys *
keys(const char *spec)
{
	cm_jwt_keys *k = NULL;

	assert_int_equal(cm_jwt_keys_parse(spec, &k), CM_OK);
	assert_non_null(k);
	return (k);
}

enum tok_alg { TOK_EMPTY, TOK_HS256, TOK_HS512 };

/*
 * Makes a token from raw header and payload JSON, MACed with the hex
 * secret (a signature part is appended according to alg), into out.
 */
static void
make_tok(const char *hdr, const char *pl, const char *hexkey,
    enum tok_alg alg, char *out, size_t cap)
{
	uint8_t key[64], mac[64];
	size_t n = 0, kn = strlen(hexkey) / 2, macn = 0;

	assert_int_equal(cm_hex_decode(hexkey, 2 * kn, key, kn), CM_OK);
	assert_int_equal(cm_b64url_encode(hdr, strlen(hdr), out, cap), CM_OK);
	n = strlen(out);
	out[n++] = '.';
	assert_int_equal(cm_b64url_encode(pl, strlen(pl), out + n, cap - n),
	    CM_OK);
	n += strlen(out + n);
	if (alg == TOK_HS256) {
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, key, kn);
		crypto_auth_hmacsha256_update(&st, (uint8_t *) out, n);
		crypto_auth_hmacsha256_final(&st, mac);
		macn = 32;
	} else if (alg == TOK_HS512) {
		crypto_auth_hmacsha512_state st;
		crypto_auth_hmacsha512_init(&st, key, kn);
		crypto_auth_hmacsha512_update(&st, (uint8_t *) out, n);
		crypto_auth_hmacsha512_final(&st, mac);
		macn = 64;
	}
	out[n++] = '.';
	assert_int_equal(cm_b64url_encode(mac, macn, out + n, cap - n), CM_OK);
}

#define HDR_OK "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}"
#define PL_OK "{\"sub\":\"p\",\"iat\":1795600800,\"exp\":1795604400}"

/* Verifies tok against the "k1:SECRET1" set at NOW; returns the code. */
static cm_err
verify1(const char *tok)
{
	cm_jwt_keys *k = keys("k1:" SECRET1);
	cm_jwt_claims c;
	cm_err rv;

	memset(&c, 0x5a, sizeof(c));
	rv = cm_jwt_verify(k, tok, strlen(tok), NOW, &c);
	if (rv != CM_OK) {
		assert_int_equal(c.iat, 0x5a5a5a5a5a5a5a5aLL);
	}
	cm_jwt_keys_free(k);
	return (rv);
}

static cm_err
verify_made(const char *hdr, const char *pl, enum tok_alg alg)
{
	char tok[4096];

	make_tok(hdr, pl, SECRET1, alg, tok, sizeof(tok));
	return (verify1(tok));
}

static void
test_keys_parse(void **state)
{
	static const char *bad[] = {
		"",
		"k1",
		"k1:",
		":" SECRET1,
		"k1:" SECRET1 ",",
		",k1:" SECRET1,
		"k1:" SECRET1 ",k1:" SECRET2,               // duplicate kid
		"k1:00010203",                             // too short
		"k1:000102030405060708090a0b0c0d0e0f"
		"101112131415161718191a1b1c1d1e",          // 31 bytes
		"k1:" SECRET1 "0",                          // odd digits
		"k1:" SECRET1 "zz",
		"k 1:" SECRET1,
		"k1: " SECRET1,
		"k1:" SECRET1 " ",
		"k.1:" SECRET1,
		"abcdefghijabcdefghijabcdefghijabc:" SECRET1, // 33-char kid
		"a:" SECRET1 ",b:" SECRET1 ",c:" SECRET1 ",d:" SECRET1
		",e:" SECRET1 ",f:" SECRET1 ",g:" SECRET1 ",h:" SECRET1
		",i:" SECRET1,                             // 9 keys
	};
	char spec[600];
	cm_jwt_keys *k = (cm_jwt_keys *) &spec;

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cm_jwt_keys_parse(bad[i], &k) != CM_EINVAL) {
			print_error("accepted %s\n", bad[i]);
			fail();
		}
		assert_ptr_equal(k, (cm_jwt_keys *) &spec);
	}
	cm_jwt_keys_free(keys("abcdefghijabcdefghijabcdefghijab:" SECRET1));
	cm_jwt_keys_free(keys("A_-9:0x" SECRET1));
	cm_jwt_keys_free(keys("a:" SECRET1 ",b:" SECRET1 ",c:" SECRET1
	    ",d:" SECRET1 ",e:" SECRET1 ",f:" SECRET1 ",g:" SECRET1
	    ",h:" SECRET1));
	// 128-byte secrets are the longest accepted.
	memcpy(spec, "k:", 2);
	memset(spec + 2, 'a', 256);
	spec[258] = '\0';
	cm_jwt_keys_free(keys(spec));
	memset(spec + 2, 'a', 258);
	spec[260] = '\0';
	assert_int_equal(cm_jwt_keys_parse(spec, &k), CM_EINVAL);
	cm_jwt_keys_free(NULL);
}

static void
test_round_trip(void **state)
{
	cm_jwt_keys *k = keys("k1:" SECRET1 ",k2:" SECRET2);
	char tok[512];
	cm_jwt_claims c;
	static const char *subs[] = {
		"player-1", "p", "h\xc3\xa9\"\\/ \t\n",
		"1234567890123456789012345678901234567890"
		"12345678901234567890123",
	};

	(void) state;
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		assert_int_equal(cm_jwt_issue(k, subs[i], IAT, EXP, tok,
		    sizeof(tok)), CM_OK);
		memset(&c, 0, sizeof(c));
		assert_int_equal(cm_jwt_verify(k, tok, strlen(tok), NOW, &c),
		    CM_OK);
		assert_string_equal(c.sub, subs[i]);
		assert_int_equal(c.iat, IAT);
		assert_int_equal(c.exp, EXP);
		assert_string_equal(c.kid, "k1");
	}
	cm_jwt_keys_free(k);
}

/* Our tokens equal node's byte for byte, and node's verify here. */
static void
test_node_vectors(void **state)
{
	cm_jwt_keys *k1 = keys("k1:" SECRET1);
	cm_jwt_keys *k2 = keys("rot_2-b:" SECRET2 ",k1:" SECRET1);
	char tok[512];
	cm_jwt_claims c;

	(void) state;
	assert_int_equal(cm_jwt_issue(k1, "player-1", IAT, EXP, tok,
	    sizeof(tok)), CM_OK);
	assert_string_equal(tok, node_tok_1);
	assert_int_equal(cm_jwt_issue(k2, "h\xc3\xa9\"\\/", IAT, EXP, tok,
	    sizeof(tok)), CM_OK);
	assert_string_equal(tok, node_tok_2);
	assert_int_equal(cm_jwt_verify(k2, node_tok_1, strlen(node_tok_1), NOW,
	    &c), CM_OK);
	assert_string_equal(c.sub, "player-1");
	assert_string_equal(c.kid, "k1");
	assert_int_equal(cm_jwt_verify(k2, node_tok_2, strlen(node_tok_2), NOW,
	    &c), CM_OK);
	assert_string_equal(c.sub, "h\xc3\xa9\"\\/");
	assert_string_equal(c.kid, "rot_2-b");
	// k1 alone does not know rot_2-b.
	assert_int_equal(cm_jwt_verify(k1, node_tok_2, strlen(node_tok_2), NOW,
	    &c), CM_EAUTH);
	cm_jwt_keys_free(k1);
	cm_jwt_keys_free(k2);
}

/* Tokens from the old active key keep verifying after a rotation. */
static void
test_rotation(void **state)
{
	cm_jwt_keys *old = keys("k2:" SECRET2);
	cm_jwt_keys *both = keys("k1:" SECRET1 ",k2:" SECRET2);
	cm_jwt_keys *only1 = keys("k1:" SECRET1);
	char tok[512];
	cm_jwt_claims c;

	(void) state;
	assert_int_equal(cm_jwt_issue(old, "u", IAT, EXP, tok, sizeof(tok)),
	    CM_OK);
	assert_int_equal(cm_jwt_verify(both, tok, strlen(tok), NOW, &c),
	    CM_OK);
	assert_string_equal(c.kid, "k2");
	assert_int_equal(cm_jwt_verify(only1, tok, strlen(tok), NOW, &c),
	    CM_EAUTH);
	// New tokens use the first key of the set.
	assert_int_equal(cm_jwt_issue(both, "u", IAT, EXP, tok, sizeof(tok)),
	    CM_OK);
	assert_int_equal(cm_jwt_verify(only1, tok, strlen(tok), NOW, &c),
	    CM_OK);
	assert_string_equal(c.kid, "k1");
	assert_int_equal(cm_jwt_verify(old, tok, strlen(tok), NOW, &c),
	    CM_EAUTH);
	cm_jwt_keys_free(old);
	cm_jwt_keys_free(both);
	cm_jwt_keys_free(only1);
}

/* A key of the right name but another secret. */
static void
test_wrong_key(void **state)
{
	cm_jwt_keys *a = keys("k1:" SECRET1);
	cm_jwt_keys *b = keys("k1:" SECRET2);
	char tok[512];
	cm_jwt_claims c;

	(void) state;
	assert_int_equal(cm_jwt_issue(a, "u", IAT, EXP, tok, sizeof(tok)),
	    CM_OK);
	assert_int_equal(cm_jwt_verify(b, tok, strlen(tok), NOW, &c),
	    CM_EAUTH);
	cm_jwt_keys_free(a);
	cm_jwt_keys_free(b);
}

static void
test_tampered(void **state)
{
	char tok[512], other[512], mix[1024];
	char *d1, *d2, *o1, *o2;

	(void) state;
	// Any single changed character is refused.
	memcpy(tok, node_tok_1, sizeof(node_tok_1));
	for (size_t i = 0; i < strlen(tok); i++) {
		char c = tok[i];
		tok[i] = c == 'A' ? 'B' : 'A';
		assert_int_not_equal(verify1(tok), CM_OK);
		tok[i] = c;
	}
	assert_int_equal(verify1(tok), CM_OK);
	// Valid parts of two tokens of the same key, swapped.
	make_tok(HDR_OK, "{\"sub\":\"admin\",\"iat\":1795600800,"
	    "\"exp\":1795604400}", SECRET1, TOK_HS256, other, sizeof(other));
	assert_int_equal(verify1(other), CM_OK);
	d1 = strchr(tok, '.');
	d2 = strchr(d1 + 1, '.');
	o1 = strchr(other, '.');
	o2 = strchr(o1 + 1, '.');
	// Payload of other with the signature of tok.
	snprintf(mix, sizeof(mix), "%.*s%s", (int) (o2 - other), other, d2);
	assert_int_equal(verify1(mix), CM_EAUTH);
	// Signature of another token.
	snprintf(mix, sizeof(mix), "%.*s%s", (int) (d2 - tok), tok, o2);
	assert_int_equal(verify1(mix), CM_EAUTH);
	// Header re-encoded differently (a space) with the old signature.
	make_tok("{\"alg\":\"HS256\", \"typ\":\"JWT\",\"kid\":\"k1\"}",
	    PL_OK, SECRET1, TOK_EMPTY, other, sizeof(other));
	o1 = strchr(other, '.');
	snprintf(mix, sizeof(mix), "%.*s%s", (int) (o1 - other), other, d1);
	assert_int_equal(verify1(mix), CM_EAUTH);
	// Truncated or extended signature.
	snprintf(mix, sizeof(mix), "%.*s", (int) strlen(tok) - 1, tok);
	assert_int_not_equal(verify1(mix), CM_OK);
	snprintf(mix, sizeof(mix), "%.*s", (int) strlen(tok) - 3, tok);
	assert_int_equal(verify1(mix), CM_EAUTH); // 30 bytes
	snprintf(mix, sizeof(mix), "%.*s", (int) (d2 + 1 - tok), tok);
	assert_int_equal(verify1(mix), CM_EAUTH); // empty
	snprintf(mix, sizeof(mix), "%sAAAA", tok);
	assert_int_equal(verify1(mix), CM_EAUTH);
}

static void
test_times(void **state)
{
	cm_jwt_keys *k = keys("k1:" SECRET1);
	char tok[512];
	cm_jwt_claims c;

	(void) state;
	assert_int_equal(cm_jwt_issue(k, "u", IAT, EXP, tok, sizeof(tok)),
	    CM_OK);
	assert_int_equal(cm_jwt_verify(k, tok, strlen(tok), EXP - 1, &c),
	    CM_OK);
	assert_int_equal(cm_jwt_verify(k, tok, strlen(tok), EXP, &c),
	    CM_EEXPIRED);
	assert_int_equal(cm_jwt_verify(k, tok, strlen(tok), EXP + 86400, &c),
	    CM_EEXPIRED);
	// iat up to 60 s ahead of our clock is tolerated, not more.
	assert_int_equal(cm_jwt_verify(k, tok, strlen(tok), IAT - 60, &c),
	    CM_OK);
	assert_int_equal(cm_jwt_verify(k, tok, strlen(tok), IAT - 61, &c),
	    CM_EAUTH);
	cm_jwt_keys_free(k);
}

static void
test_alg(void **state)
{
	(void) state;
	// alg none, without and with a signature.
	assert_int_equal(verify_made("{\"alg\":\"none\",\"typ\":\"JWT\","
	    "\"kid\":\"k1\"}", PL_OK, TOK_EMPTY), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"none\",\"typ\":\"JWT\","
	    "\"kid\":\"k1\"}", PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"none\"}", PL_OK, TOK_EMPTY),
	    CM_EAUTH);
	// A valid HS256 header with an empty signature part.
	assert_int_equal(verify_made(HDR_OK, PL_OK, TOK_EMPTY), CM_EAUTH);
	// HS512, correctly signed with HMAC-SHA-512 or with SHA-256.
	assert_int_equal(verify_made("{\"alg\":\"HS512\",\"typ\":\"JWT\","
	    "\"kid\":\"k1\"}", PL_OK, TOK_HS512), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS512\",\"typ\":\"JWT\","
	    "\"kid\":\"k1\"}", PL_OK, TOK_HS256), CM_EAUTH);
	// HS256 header, HS512 MAC (64 bytes).
	assert_int_equal(verify_made(HDR_OK, PL_OK, TOK_HS512), CM_EAUTH);
	// Other spellings and types.
	assert_int_equal(verify_made("{\"alg\":\"hs256\",\"kid\":\"k1\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS256 \",\"kid\":\"k1\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"RS256\",\"kid\":\"k1\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":256,\"kid\":\"k1\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":null,\"kid\":\"k1\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"kid\":\"k1\"}", PL_OK, TOK_HS256),
	    CM_EAUTH);
	// typ other than JWT, crit.
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"typ\":\"JWS\","
	    "\"kid\":\"k1\"}", PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"crit\":[\"exp\"],"
	    "\"kid\":\"k1\"}", PL_OK, TOK_HS256), CM_EAUTH);
	// Without typ, and with extra members, a correct token is fine.
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"kid\":\"k1\"}",
	    PL_OK, TOK_HS256), CM_OK);
	assert_int_equal(verify_made("{\"kid\":\"k1\",\"x\":[1],"
	    "\"alg\":\"HS256\"}", PL_OK, TOK_HS256), CM_OK);
}

static void
test_kid(void **state)
{
	(void) state;
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"kid\":\"k9\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"kid\":\"K1\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"kid\":\"k1 \"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"kid\":\"k\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"kid\":\"\"}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"kid\":1}",
	    PL_OK, TOK_HS256), CM_EAUTH);
	assert_int_equal(verify_made("{\"alg\":\"HS256\"}", PL_OK, TOK_HS256),
	    CM_EAUTH);
}

static void
test_malformed(void **state)
{
	static char big[CM_JWT_MAX_LEN + 16];
	char tok[512], bad[600];
	char *d1;

	(void) state;
	make_tok(HDR_OK, PL_OK, SECRET1, TOK_HS256, tok, sizeof(tok));
	assert_int_equal(verify1(tok), CM_OK);
	d1 = strchr(tok, '.');
	// Structure.
	assert_int_equal(verify1(""), CM_EINVAL);
	assert_int_equal(verify1("."), CM_EINVAL);
	assert_int_equal(verify1(".."), CM_EINVAL);
	assert_int_equal(verify1("..."), CM_EINVAL);
	snprintf(bad, sizeof(bad), "%s.", tok);
	assert_int_equal(verify1(bad), CM_EINVAL);
	snprintf(bad, sizeof(bad), "%.*s", (int) (strrchr(tok, '.') - tok),
	    tok);
	assert_int_equal(verify1(bad), CM_EINVAL); // two parts only
	snprintf(bad, sizeof(bad), "%s", d1); // no header
	assert_int_equal(verify1(bad), CM_EINVAL);
	// Base64: padding, standard alphabet, whitespace.
	snprintf(bad, sizeof(bad), "%.*s=%s", (int) (d1 - tok), tok, d1);
	assert_int_equal(verify1(bad), CM_EINVAL);
	snprintf(bad, sizeof(bad), " %s", tok);
	assert_int_equal(verify1(bad), CM_EINVAL);
	snprintf(bad, sizeof(bad), "%s\n", tok);
	assert_int_equal(verify1(bad), CM_EINVAL);
	snprintf(bad, sizeof(bad), "%s=", tok);
	assert_int_equal(verify1(bad), CM_EINVAL);
	snprintf(bad, sizeof(bad), "%s+", tok);
	assert_int_equal(verify1(bad), CM_EINVAL);
	// Header JSON: not an object, duplicates, trailing data.
	assert_int_equal(verify_made("[\"HS256\"]", PL_OK, TOK_HS256),
	    CM_EINVAL);
	assert_int_equal(verify_made("\"HS256\"", PL_OK, TOK_HS256),
	    CM_EINVAL);
	assert_int_equal(verify_made("{\"alg\":\"HS256\",\"kid\":\"k1\","
	    "\"alg\":\"none\"}", PL_OK, TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK "x", PL_OK, TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made("{\"alg\":\"HS256\"", PL_OK, TOK_HS256),
	    CM_EINVAL);
	// Authentic but malformed payloads.
	assert_int_equal(verify_made(HDR_OK, "[]", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"p\",\"sub\":\"q\","
	    "\"iat\":1795600800,\"exp\":1795604400}", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"iat\":1795600800,"
	    "\"exp\":1795604400}", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"\","
	    "\"iat\":1795600800,\"exp\":1795604400}", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":7,\"iat\":1795600800,"
	    "\"exp\":1795604400}", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"12345678901234567890"
	    "12345678901234567890123456789012345678901234\","
	    "\"iat\":1795600800,\"exp\":1795604400}", TOK_HS256),
	    CM_EINVAL); // 64 bytes
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"a\\u0000b\","
	    "\"iat\":1795600800,\"exp\":1795604400}", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"p\","
	    "\"iat\":1795600800.0,\"exp\":1795604400}", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"p\","
	    "\"iat\":1795600800,\"exp\":\"1795604400\"}", TOK_HS256),
	    CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"p\","
	    "\"iat\":1795600800}", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"p\",\"iat\":-5,"
	    "\"exp\":1795604400}", TOK_HS256), CM_EINVAL);
	assert_int_equal(verify_made(HDR_OK, "{\"sub\":\"p\",\"iat\":1,"
	    "\"exp\":99999999999999999999999}", TOK_HS256), CM_EINVAL);
	// Too long: refused before anything else.
	memset(big, 'A', sizeof(big) - 1);
	big[10] = '.';
	big[20] = '.';
	big[CM_JWT_MAX_LEN + 1] = '\0';
	assert_int_equal(verify1(big), CM_EINVAL);
	{
		// A correct token padded out past the limit with extra
		// (ignored) header members.
		char hdr[CM_JWT_MAX_LEN];
		char tok2[2 * CM_JWT_MAX_LEN];
		int n = snprintf(hdr, sizeof(hdr),
		    "{\"alg\":\"HS256\",\"kid\":\"k1\",\"pad\":\"%.1500s\"}",
		    big);
		assert_true(n > 1500);
		make_tok(hdr, PL_OK, SECRET1, TOK_HS256, tok2, sizeof(tok2));
		assert_true(strlen(tok2) > CM_JWT_MAX_LEN);
		assert_int_equal(verify1(tok2), CM_EINVAL);
	}
}

static void
test_issue_refuses(void **state)
{
	cm_jwt_keys *k = keys("k1:" SECRET1);
	char tok[512];

	(void) state;
	memset(tok, 'Z', sizeof(tok));
	assert_int_equal(cm_jwt_issue(k, "", IAT, EXP, tok, sizeof(tok)),
	    CM_EINVAL);
	assert_int_equal(cm_jwt_issue(k, "1234567890123456789012345678901234"
	    "567890123456789012345678901234", IAT, EXP, tok, sizeof(tok)),
	    CM_EINVAL);
	assert_int_equal(cm_jwt_issue(k, "\xc3(", IAT, EXP, tok, sizeof(tok)),
	    CM_EINVAL);
	assert_int_equal(cm_jwt_issue(k, "u", IAT, IAT, tok, sizeof(tok)),
	    CM_EINVAL);
	assert_int_equal(cm_jwt_issue(k, "u", -1, EXP, tok, sizeof(tok)),
	    CM_EINVAL);
	assert_int_equal(cm_jwt_issue(k, "player-1", IAT, EXP, tok,
	    sizeof(node_tok_1) - 1), CM_ENOMEM);
	assert_int_equal(tok[0], 'Z');
	assert_int_equal(cm_jwt_issue(k, "player-1", IAT, EXP, tok,
	    sizeof(node_tok_1)), CM_OK);
	assert_string_equal(tok, node_tok_1);
	cm_jwt_keys_free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_parse),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_node_vectors),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_alg),
		cmocka_unit_test(test_kid),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_issue_refuses),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
