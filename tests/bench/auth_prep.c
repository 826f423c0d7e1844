/*
 * auth_prep.c: prepares sign-ins for the /auth/verify benchmark.
 *
 *   auth_prep GATEWAY_URL N OUT
 *
 * For N fresh keys it asks the gateway for a challenge, signs it as a
 * wallet would (EIP-191 personal_sign) and writes one verify body per line
 * to OUT, for tests/bench/verify.lua to send.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "cm_eth.h"
#include "cm_hex.h"
#include "curl_body.h"

int
main(int argc, char **argv)
{
	CURL              *c;
	FILE              *out;
	char               url[256];
	long               n;
	struct curl_slist *hdr = NULL;

	if (argc != 4 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: auth_prep GATEWAY_URL N OUT\n");
		return (2);
	}
	if (sodium_init() < 0 || (out = fopen(argv[3], "w")) == NULL) {
		return (1);
	}
	snprintf(url, sizeof(url), "%s/auth/challenge", argv[1]);
	c   = curl_easy_init();
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, curl_body_write);
	for (long i = 0; i < n; i++) {
		uint8_t     key[32], sig[65];
		cm_eth_addr a;
		char        addr[43], body[128], sighex[131];
		curl_body   r;
		json_t     *o;
		const char *ch;

		curl_body_reset(&r);
		randombytes_buf(key, sizeof(key));
		if (cm_eth_addr_from_privkey(key, &a) != CM_OK) {
			i--;
			continue;
		}
		cm_eth_addr_lower(&a, addr);
		snprintf(body, sizeof(body), "{\"address\":\"%s\"}", addr);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
		if (curl_easy_perform(c) != CURLE_OK ||
		    (o = json_loads(r.data, 0, NULL)) == NULL ||
		    (ch = json_string_value(json_object_get(o, "challenge"))) ==
		        NULL) {
			fprintf(stderr, "auth_prep: challenge failed: %s\n",
			    r.data);
			return (1);
		}
		cm_eth_personal_sign(key, ch, strlen(ch), sig);
		cm_hex_encode(sig, 65, sighex);
		fprintf(out, "{\"address\":\"%s\",\"signature\":\"0x%s\"}\n",
		    addr, sighex);
		json_decref(o);
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	fclose(out);
	return (0);
}
