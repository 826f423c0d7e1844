/*
 * cm_jwt.c: HS256 JWT issue and verify over libsodium and jansson.
 *
 * Design: a token is split on its two dots, the header is decoded and
 * checked (alg, typ, crit, kid), the MAC over "header.payload" is compared
 * in constant time with crypto_verify_32, and only then is the payload
 * decoded.  Secrets may be longer than 32 bytes, so the HMAC uses the
 * init/update/final API, which accepts keys of any length.
 *
 * Invariants: a key set is never modified after parsing; secrets are
 * wiped before the set is freed.  Decoded parts never exceed
 * JWT_PART_MAX bytes because the token length is bounded first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "cm_alloc.h"
#include "cm_b64.h"
#include "cm_hex.h"
#include "cm_jwt.h"

/* Largest decoded header or payload: 3/4 of the longest token. */
#define JWT_PART_MAX (CM_JWT_MAX_LEN / 4 * 3)

typedef struct jwt_key {
	char kid[CM_JWT_KID_MAX + 1];
	size_t len;
	uint8_t secret[CM_JWT_SECRET_MAX];
} jwt_key;

struct cm_jwt_keys {
	size_t n;
	jwt_key keys[CM_JWT_MAX_KEYS];
};

static int
jwt_kid_char(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-');
}

/* Parses one "kid:hexsecret" entry of n chars into *key; 0 or -1. */
static int
jwt_parse_entry(const char *s, size_t n, jwt_key *key)
{
	const char *colon = memchr(s, ':', n);
	size_t kn, hn;

	if (colon == NULL) {
		return (-1);
	}
	kn = (size_t) (colon - s);
	if (kn == 0 || kn > CM_JWT_KID_MAX) {
		return (-1);
	}
	for (size_t i = 0; i < kn; i++) {
		if (!jwt_kid_char(s[i])) {
			return (-1);
		}
	}
	memcpy(key->kid, s, kn);
	key->kid[kn] = '\0';
	s += kn + 1;
	hn = n - kn - 1;
	if (hn >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		hn -= 2;
	}
	if (hn % 2 != 0 || hn / 2 < CM_JWT_SECRET_MIN ||
	    hn / 2 > CM_JWT_SECRET_MAX ||
	    cm_hex_decode(s, hn, key->secret, hn / 2) != CM_OK) {
		return (-1);
	}
	key->len = hn / 2;
	return (0);
}

static const jwt_key *
jwt_find(const cm_jwt_keys *k, const char *kid, size_t n)
{
	for (size_t i = 0; i < k->n; i++) {
		if (strlen(k->keys[i].kid) == n &&
		    memcmp(k->keys[i].kid, kid, n) == 0) {
			return (&k->keys[i]);
		}
	}
	return (NULL);
}

cm_err
cm_jwt_keys_parse(const char *spec, cm_jwt_keys **out)
{
	cm_jwt_keys *k;
	const char *p = spec;
	cm_err rv = CM_EINVAL;

	cm_assert(sodium_init() >= 0);
	k = cm_calloc(1, sizeof(*k));
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma != NULL ? (size_t) (comma - p) : strlen(p);
		jwt_key *key;

		if (k->n == CM_JWT_MAX_KEYS) {
			goto out;
		}
		key = &k->keys[k->n];
		if (jwt_parse_entry(p, n, key) != 0 ||
		    jwt_find(k, key->kid, strlen(key->kid)) != NULL) {
			goto out;
		}
		k->n++;
		if (comma == NULL) {
			break;
		}
		p = comma + 1;
	}
	*out = k;
	return (CM_OK);
out:
	cm_jwt_keys_free(k);
	return (rv);
}

void
cm_jwt_keys_free(cm_jwt_keys *k)
{
	if (k == NULL) {
		return;
	}
	sodium_memzero(k, sizeof(*k));
	free(k);
}

static void
jwt_mac(const jwt_key *key, const char *data, size_t n, uint8_t mac[32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key->secret, key->len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *) data, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
}

/* Appends the base64url encoding of data to buf at *len (room known). */
static void
jwt_put_b64(char *buf, size_t cap, size_t *len, const void *data, size_t n)
{
	cm_assert(cm_b64url_encode(data, n, buf + *len, cap - *len) == CM_OK);
	*len += cm_b64url_len(n);
}

cm_err
cm_jwt_issue(const cm_jwt_keys *k, const char *sub, int64_t iat_s,
    int64_t exp_s, char *out, size_t cap)
{
	const jwt_key *key = &k->keys[0];
	char hdr[96], *payload = NULL, *tok = NULL;
	size_t sublen = strnlen(sub, CM_JWT_SUB_MAX + 1), hn, pn, tcap, tn = 0;
	uint8_t mac[32];
	json_t *obj;
	cm_err rv = CM_OK;

	if (sublen == 0 || sublen > CM_JWT_SUB_MAX || iat_s < 0 ||
	    exp_s <= iat_s) {
		return (CM_EINVAL);
	}
	// json_pack refuses invalid UTF-8 in sub.
	obj = json_pack("{s:s, s:I, s:I}", "sub", sub, "iat",
	    (json_int_t) iat_s, "exp", (json_int_t) exp_s);
	if (obj == NULL) {
		return (CM_EINVAL);
	}
	payload = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	cm_assert(payload != NULL);
	hn = (size_t) snprintf(hdr, sizeof(hdr),
	    "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", key->kid);
	cm_assert(hn < sizeof(hdr));
	pn = strlen(payload);
	tcap = cm_b64url_len(hn) + cm_b64url_len(pn) + cm_b64url_len(32) + 3;
	tok = cm_malloc(tcap);
	jwt_put_b64(tok, tcap, &tn, hdr, hn);
	tok[tn++] = '.';
	jwt_put_b64(tok, tcap, &tn, payload, pn);
	jwt_mac(key, tok, tn, mac);
	tok[tn++] = '.';
	jwt_put_b64(tok, tcap, &tn, mac, sizeof(mac));
	if (tn + 1 > cap) {
		rv = CM_ENOMEM;
		goto out;
	}
	memcpy(out, tok, tn + 1);
out:
	sodium_memzero(mac, sizeof(mac));
	free(payload);
	free(tok);
	return (rv);
}

/*
 * Decodes a base64url part holding a JSON object; returns the object (a
 * new reference) or NULL when anything is malformed.
 */
static json_t *
jwt_decode_json(const char *s, size_t n)
{
	uint8_t buf[JWT_PART_MAX];
	size_t got;
	json_t *v;

	if (n == 0 || cm_b64url_decode(s, n, buf, sizeof(buf), &got) !=
	    CM_OK) {
		return (NULL);
	}
	v = json_loadb((const char *) buf, got, JSON_REJECT_DUPLICATES, NULL);
	if (v != NULL && !json_is_object(v)) {
		json_decref(v);
		v = NULL;
	}
	return (v);
}

/* Returns 1 when the JSON value v is the string lit, exactly. */
static int
jwt_str_is(const json_t *v, const char *lit)
{
	size_t n = strlen(lit);

	return (json_is_string(v) && json_string_length(v) == n &&
	    memcmp(json_string_value(v), lit, n) == 0);
}

/* Checks the header; sets *key to the key its kid names. */
static cm_err
jwt_check_header(const cm_jwt_keys *k, const char *s, size_t n,
    const jwt_key **key)
{
	json_t *h = jwt_decode_json(s, n), *typ, *kid;
	cm_err rv = CM_EAUTH;

	if (h == NULL) {
		return (CM_EINVAL);
	}
	typ = json_object_get(h, "typ");
	kid = json_object_get(h, "kid");
	if (!jwt_str_is(json_object_get(h, "alg"), "HS256") ||
	    (typ != NULL && !jwt_str_is(typ, "JWT")) ||
	    json_object_get(h, "crit") != NULL || !json_is_string(kid)) {
		goto out;
	}
	*key = jwt_find(k, json_string_value(kid), json_string_length(kid));
	if (*key != NULL) {
		rv = CM_OK;
	}
out:
	json_decref(h);
	return (rv);
}

/* Reads a non-negative integer member; returns 0 or -1. */
static int
jwt_get_time(const json_t *obj, const char *name, int64_t *v)
{
	const json_t *j = json_object_get(obj, name);

	if (!json_is_integer(j) || json_integer_value(j) < 0) {
		return (-1);
	}
	*v = (int64_t) json_integer_value(j);
	return (0);
}

/* Checks the authentic payload and fills *c. */
static cm_err
jwt_check_payload(const char *s, size_t n, int64_t now_s, cm_jwt_claims *c)
{
	json_t *p = jwt_decode_json(s, n), *sub;
	cm_err rv = CM_EINVAL;
	size_t sn;

	if (p == NULL) {
		return (CM_EINVAL);
	}
	sub = json_object_get(p, "sub");
	if (!json_is_string(sub) || jwt_get_time(p, "iat", &c->iat) != 0 ||
	    jwt_get_time(p, "exp", &c->exp) != 0) {
		goto out;
	}
	sn = json_string_length(sub);
	if (sn == 0 || sn > CM_JWT_SUB_MAX) {
		goto out;
	}
	memcpy(c->sub, json_string_value(sub), sn);
	c->sub[sn] = '\0';
	if (c->exp <= now_s) {
		rv = CM_EEXPIRED;
	} else if (c->iat - CM_JWT_IAT_SKEW_S > now_s) {
		rv = CM_EAUTH;
	} else {
		rv = CM_OK;
	}
out:
	json_decref(p);
	return (rv);
}

cm_err
cm_jwt_verify(const cm_jwt_keys *k, const char *tok, size_t len,
    int64_t now_s, cm_jwt_claims *out)
{
	const char *d1, *d2;
	const jwt_key *key = NULL;
	uint8_t sig[JWT_PART_MAX], mac[32];
	size_t sn;
	cm_jwt_claims c;
	cm_err rv;

	if (len == 0 || len > CM_JWT_MAX_LEN ||
	    (d1 = memchr(tok, '.', len)) == NULL ||
	    (d2 = memchr(d1 + 1, '.', len - (size_t) (d1 + 1 - tok))) ==
	    NULL ||
	    memchr(d2 + 1, '.', len - (size_t) (d2 + 1 - tok)) != NULL) {
		return (CM_EINVAL);
	}
	rv = jwt_check_header(k, tok, (size_t) (d1 - tok), &key);
	if (rv != CM_OK) {
		return (rv);
	}
	// Decoded into a large buffer so that bad base64 is told apart from
	// a MAC of the wrong length.
	if (cm_b64url_decode(d2 + 1, len - (size_t) (d2 + 1 - tok), sig,
	    sizeof(sig), &sn) != CM_OK) {
		return (CM_EINVAL);
	}
	if (sn != sizeof(mac)) {
		return (CM_EAUTH);
	}
	jwt_mac(key, tok, (size_t) (d2 - tok), mac);
	if (crypto_verify_32(mac, sig) != 0) {
		return (CM_EAUTH);
	}
	memset(&c, 0, sizeof(c));
	rv = jwt_check_payload(d1 + 1, (size_t) (d2 - d1 - 1), now_s, &c);
	if (rv != CM_OK) {
		return (rv);
	}
	memcpy(c.kid, key->kid, sizeof(c.kid));
	*out = c;
	return (CM_OK);
}
