/*
 * cm_siwe_test.c: unit tests for common/cm_siwe.c: the builder reproduces
 * messages made by the siwe npm package byte for byte, those messages
 * parse back to their fields, a signed one verifies end to end, and
 * malformed messages of every kind are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cm_eth.h"
#include "cm_siwe.h"

/*
 * SIWE messages made by the npm package siwe 2.3.2
 * (SiweMessage.prepareMessage(), node v20.20.2) and accepted by its own
 * parser.
 */
static const char siwe_js_1[] =
    "play.example.com wants you to sign in with your Ethereum"
    " account:\n"
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n"
    "\n"
    "Sign in to Nemeth's Domain.\n"
    "\n"
    "URI: https://play.example.com/login\n"
    "Version: 1\n"
    "Chain ID: 8453\n"
    "Nonce: k3Jd9QmZ2pX7\n"
    "Issued At: 2026-11-25T10:00:00.000Z\n"
    "Expiration Time: 2026-11-25T10:05:00.000Z\n"
    "Not Before: 2026-11-25T09:59:00Z\n"
    "Request ID: req-42\n"
    "Resources:\n"
    "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3"
    "oz3evfyavhwq/\n"
    "- https://example.com/my-web2-claim.json";

static const char siwe_js_2[] =
    "localhost:8080 wants you to sign in with your Ethereum a"
    "ccount:\n"
    "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\n"
    "\n"
    "\n"
    "URI: http://localhost:8080/\n"
    "Version: 1\n"
    "Chain ID: 84532\n"
    "Nonce: abcdefgh12345678\n"
    "Issued At: 2026-01-31T23:59:59+02:00";

static const char siwe_js_3[] =
    "https://example.com wants you to sign in with your Ether"
    "eum account:\n"
    "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\n"
    "\n"
    "I accept the ExampleOrg Terms of Service: https://exampl"
    "e.com/tos\n"
    "\n"
    "URI: https://example.com/login\n"
    "Version: 1\n"
    "Chain ID: 1\n"
    "Nonce: 32891756\n"
    "Issued At: 2021-09-30T16:25:24Z\n"
    "Resources:\n"
    "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3"
    "oz3evfyavhwq/";

/* siwe_js_1 signed by key ac0974...ff80 with ethers 6.17.0 signMessage. */
static const char siwe_js_1_sig[] =
    "0xc0d87c3d46f94789287953c06d17e1cd"
    "061f467ce8510908e24cf398d458b1c4"
    "3f419815e4fb96995d2dc3c452e3b07f"
    "84f979c39d1276ddb52ac5ac37954278"
    "1c";

/* The first example message of EIP-4361. */
static const char eip_example[] =
    "example.com wants you to sign in with your Ethereum account:\n"
    "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n"
    "\n"
    "I accept the ExampleOrg Terms of Service: https://example.com/tos\n"
    "\n"
    "URI: https://example.com/login\n"
    "Version: 1\n"
    "Chain ID: 1\n"
    "Nonce: 32891756\n"
    "Issued At: 2021-09-30T16:25:24Z\n"
    "Resources:\n"
    "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/\n"
    "- https://example.com/my-web2-claim.json";

#define SET(f, v) snprintf((f), sizeof(f), "%s", (v))

/* The fields siwe_js_1 was made from. */
static void
fields_1(cm_siwe *m)
{
	memset(m, 0, sizeof(*m));
	SET(m->domain, "play.example.com");
	SET(m->address, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
	SET(m->statement, "Sign in to Nemeth's Domain.");
	SET(m->uri, "https://play.example.com/login");
	SET(m->version, "1");
	m->chain_id = 8453;
	SET(m->nonce, "k3Jd9QmZ2pX7");
	SET(m->issued_at, "2026-11-25T10:00:00.000Z");
	SET(m->expiration_time, "2026-11-25T10:05:00.000Z");
	SET(m->not_before, "2026-11-25T09:59:00Z");
	SET(m->request_id, "req-42");
	m->n_resources = 2;
	SET(m->resources[0],
	    "ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evf"
	    "yavhwq/");
	SET(m->resources[1], "https://example.com/my-web2-claim.json");
}

/* The fields siwe_js_2 was made from (no statement, no options). */
static void
fields_2(cm_siwe *m)
{
	memset(m, 0, sizeof(*m));
	SET(m->domain, "localhost:8080");
	SET(m->address, "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
	SET(m->uri, "http://localhost:8080/");
	SET(m->version, "1");
	m->chain_id = 84532;
	SET(m->nonce, "abcdefgh12345678");
	SET(m->issued_at, "2026-01-31T23:59:59+02:00");
}

/* The fields siwe_js_3 was made from (explicit scheme). */
static void
fields_3(cm_siwe *m)
{
	memset(m, 0, sizeof(*m));
	SET(m->scheme, "https");
	SET(m->domain, "example.com");
	SET(m->address, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
	SET(m->statement,
	    "I accept the ExampleOrg Terms of Service: "
	    "https://example.com/tos");
	SET(m->uri, "https://example.com/login");
	SET(m->version, "1");
	m->chain_id = 1;
	SET(m->nonce, "32891756");
	SET(m->issued_at, "2021-09-30T16:25:24Z");
	m->n_resources = 1;
	SET(m->resources[0],
	    "ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evf"
	    "yavhwq/");
}

static void
assert_siwe_equal(const cm_siwe *a, const cm_siwe *b)
{
	assert_string_equal(a->scheme, b->scheme);
	assert_string_equal(a->domain, b->domain);
	assert_string_equal(a->address, b->address);
	assert_string_equal(a->statement, b->statement);
	assert_string_equal(a->uri, b->uri);
	assert_string_equal(a->version, b->version);
	assert_int_equal(a->chain_id, b->chain_id);
	assert_string_equal(a->nonce, b->nonce);
	assert_string_equal(a->issued_at, b->issued_at);
	assert_string_equal(a->expiration_time, b->expiration_time);
	assert_string_equal(a->not_before, b->not_before);
	assert_string_equal(a->request_id, b->request_id);
	assert_int_equal(a->n_resources, b->n_resources);
	for (size_t i = 0; i < a->n_resources; i++) {
		assert_string_equal(a->resources[i], b->resources[i]);
	}
}

/* Builds m and checks the text is want; then parses it back to m. */
static void
check_both_ways(const cm_siwe *m, const char *want)
{
	static char out[8192];
	static cm_siwe back;
	size_t n = 0;

	assert_int_equal(cm_siwe_build(m, out, sizeof(out), &n), CM_OK);
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, want);
	memset(&back, 0x55, sizeof(back));
	assert_int_equal(cm_siwe_parse(want, strlen(want), &back), CM_OK);
	assert_siwe_equal(&back, m);
}

static void
test_js_messages(void **state)
{
	static cm_siwe m;

	(void) state;
	fields_1(&m);
	check_both_ways(&m, siwe_js_1);
	fields_2(&m);
	check_both_ways(&m, siwe_js_2);
	fields_3(&m);
	check_both_ways(&m, siwe_js_3);
}

/* Without a statement the address is followed by three LFs. */
static void
test_no_statement_layout(void **state)
{
	static cm_siwe m;
	char out[2048];
	size_t n;

	(void) state;
	fields_1(&m);
	m.statement[0] = '\0';
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_OK);
	assert_non_null(strstr(out,
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\n\nURI: "));
	fields_1(&m);
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_OK);
	assert_non_null(strstr(out,
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
	    "\n\nSign in to Nemeth's Domain.\n\nURI: "));
}

static void
test_eip_example(void **state)
{
	static cm_siwe m, want;

	(void) state;
	assert_int_equal(cm_siwe_parse(eip_example, strlen(eip_example), &m),
	    CM_OK);
	fields_3(&want);
	want.scheme[0] = '\0';
	SET(want.address, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
	want.n_resources = 2;
	SET(want.resources[1], "https://example.com/my-web2-claim.json");
	assert_siwe_equal(&m, &want);
	check_both_ways(&want, eip_example);
}

/* The full flow: parse, then the signature recovers the parsed address. */
static void
test_signed_message(void **state)
{
	static cm_siwe m;
	uint8_t sig[65];
	cm_eth_addr signer, claimed;

	(void) state;
	assert_int_equal(cm_siwe_parse(siwe_js_1, strlen(siwe_js_1), &m),
	    CM_OK);
	assert_int_equal(cm_eth_sig_parse(siwe_js_1_sig,
	    strlen(siwe_js_1_sig), sig), CM_OK);
	assert_int_equal(cm_eth_personal_recover(siwe_js_1, strlen(siwe_js_1),
	    sig, &signer), CM_OK);
	assert_int_equal(cm_eth_addr_parse(m.address, strlen(m.address),
	    &claimed), CM_OK);
	assert_memory_equal(&signer, &claimed, sizeof(signer));
}

/* A full message with every field at its largest. */
static void
test_limits(void **state)
{
	static cm_siwe m, back;
	static char out[16384];
	size_t n;

	(void) state;
	fields_1(&m);
	memset(m.domain, 'd', sizeof(m.domain) - 1);
	memset(m.statement, 's', sizeof(m.statement) - 1);
	memcpy(m.uri, "https://", 8);
	memset(m.uri + 8, 'u', sizeof(m.uri) - 9);
	memset(m.nonce, 'N', sizeof(m.nonce) - 1);
	memset(m.request_id, 'r', sizeof(m.request_id) - 1);
	SET(m.issued_at, "2026-11-25T10:00:00.1234567890123+01:00");
	m.n_resources = CM_SIWE_RESOURCES_MAX;
	for (size_t i = 0; i < CM_SIWE_RESOURCES_MAX; i++) {
		memcpy(m.resources[i], "urn:", 4);
		memset(m.resources[i] + 4, (int) ('a' + i),
		    CM_SIWE_URI_SIZE - 5);
	}
	assert_int_equal(strlen(m.issued_at), CM_SIWE_TIME_SIZE - 1);
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_OK);
	assert_int_equal(cm_siwe_parse(out, n, &back), CM_OK);
	assert_siwe_equal(&back, &m);
	// One byte short of room: refused, output untouched.
	memset(out, 'Z', sizeof(out));
	assert_int_equal(cm_siwe_build(&m, out, n, &n), CM_ENOMEM);
	assert_int_equal(out[0], 'Z');
}

/*
 * Replaces the first occurrence of from in src by to, writes the result to
 * a static buffer, and checks the parser refuses it.
 */
static void
refuse_edit(const char *src, const char *from, const char *to)
{
	static char buf[16384];
	static cm_siwe m;
	const char *at = strstr(src, from);
	size_t pre, n;

	assert_non_null(at);
	pre = (size_t) (at - src);
	n = (size_t) snprintf(buf, sizeof(buf), "%.*s%s%s", (int) pre, src, to,
	    at + strlen(from));
	assert_true(n < sizeof(buf));
	memset(&m, 0x77, sizeof(m));
	if (cm_siwe_parse(buf, n, &m) != CM_EINVAL) {
		print_error("accepted: %s\n", buf);
		fail();
	}
	assert_int_equal(m.chain_id, 0x7777777777777777ULL);
}

static void
test_refuse_structure(void **state)
{
	const char *s = siwe_js_1;

	(void) state;
	// Missing lines.
	refuse_edit(s, "Version: 1\n", "");
	refuse_edit(s, "Chain ID: 8453\n", "");
	refuse_edit(s, "Nonce: k3Jd9QmZ2pX7\n", "");
	refuse_edit(s, "URI: https://play.example.com/login\n", "");
	refuse_edit(s, "Issued At: 2026-11-25T10:00:00.000Z\n", "");
	refuse_edit(s, "2266\n\n", "2266\n");
	refuse_edit(s, "Domain.\n\n", "Domain.\n");
	refuse_edit(siwe_js_2, "c23\n\n\n", "c23\n\n");
	// An empty statement line (four LFs) cannot be represented.
	refuse_edit(siwe_js_2, "c23\n\n\n", "c23\n\n\n\n");
	// Extra or trailing data.
	refuse_edit(siwe_js_2, "+02:00", "+02:00\n");
	refuse_edit(siwe_js_2, "+02:00", "+02:00 ");
	refuse_edit(siwe_js_2, "+02:00", "+02:00\nfoo");
	refuse_edit(siwe_js_2, "+02:00", "+02:00\n\n");
	refuse_edit(s, "claim.json", "claim.json\n");
	refuse_edit(s, "claim.json", "claim.json\nExtra: 1");
	// Wrong order, duplicate lines.
	refuse_edit(s, "Expiration Time: 2026-11-25T10:05:00.000Z\n"
	    "Not Before: 2026-11-25T09:59:00Z\n",
	    "Not Before: 2026-11-25T09:59:00Z\n"
	    "Expiration Time: 2026-11-25T10:05:00.000Z\n");
	refuse_edit(s, "Version: 1\nChain ID: 8453\n",
	    "Chain ID: 8453\nVersion: 1\n");
	refuse_edit(s, "Request ID: req-42\n",
	    "Request ID: req-42\nRequest ID: req-42\n");
	// Changed literals.
	refuse_edit(s, "wants you to sign in", "wants you to log in");
	refuse_edit(s, "URI: ", "URI:");
	refuse_edit(s, "URI: ", "Uri: ");
	refuse_edit(s, "Chain ID: ", "Chain Id: ");
	refuse_edit(s, "Issued At: ", "Issued At:  ");
	refuse_edit(s, "Resources:\n", "Resources: \n");
	refuse_edit(s, "- ipfs", "-ipfs");
	refuse_edit(s, "- ipfs", "* ipfs");
	// "Resources:" with no resource.
	refuse_edit(siwe_js_2, "+02:00", "+02:00\nResources:");
	// CRLF line endings.
	refuse_edit(siwe_js_2, "\n", "\r\n");
	refuse_edit(siwe_js_2, "Version: 1\n", "Version: 1\r\n");
	refuse_edit(siwe_js_2, "+02:00", "+02:00\r");
}

static void
test_refuse_nul(void **state)
{
	char buf[1024];
	cm_siwe m;
	size_t n = strlen(siwe_js_2);

	(void) state;
	memcpy(buf, siwe_js_2, n);
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];
		buf[i] = '\0';
		assert_int_equal(cm_siwe_parse(buf, n, &m), CM_EINVAL);
		buf[i] = c;
	}
	// Every cut of the message is refused too.
	for (size_t i = 0; i < n; i++) {
		if (cm_siwe_parse(buf, i, &m) == CM_OK) {
			print_error("accepted cut at %zu\n", i);
			fail();
		}
	}
}

static void
test_refuse_fields(void **state)
{
	const char *s = siwe_js_1;

	(void) state;
	// Address: not checksummed, bad checksum, wrong length.
	refuse_edit(s, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
	refuse_edit(s, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266");
	refuse_edit(s, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
	refuse_edit(s, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb9226");
	refuse_edit(s, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
	    "f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
	// Version.
	refuse_edit(s, "Version: 1", "Version: 2");
	refuse_edit(s, "Version: 1", "Version: 01");
	refuse_edit(s, "Version: 1", "Version: 1.0");
	refuse_edit(s, "Version: 1", "Version: ");
	// Chain id.
	refuse_edit(s, "Chain ID: 8453", "Chain ID: 08453");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: 0");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: 84a3");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: 0x2105");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: +8453");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: -1");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: ");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: 9007199254740993");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: 18446744073709551617");
	refuse_edit(s, "Chain ID: 8453", "Chain ID: 99999999999999999999999");
	// Nonce.
	refuse_edit(s, "Nonce: k3Jd9QmZ2pX7", "Nonce: k3Jd9Qm");
	refuse_edit(s, "Nonce: k3Jd9QmZ2pX7", "Nonce: k3Jd9QmZ-pX7");
	refuse_edit(s, "Nonce: k3Jd9QmZ2pX7", "Nonce: k3Jd9QmZ 2pX7");
	refuse_edit(s, "Nonce: k3Jd9QmZ2pX7", "Nonce: ");
	// Times.
	refuse_edit(s, "Issued At: 2026-11-25T10:00:00.000Z",
	    "Issued At: 2026-13-25T10:00:00.000Z");
	refuse_edit(s, "Issued At: 2026-11-25T10:00:00.000Z",
	    "Issued At: 2026-02-30T10:00:00.000Z");
	refuse_edit(s, "Issued At: 2026-11-25T10:00:00.000Z",
	    "Issued At: 2026-11-25T10:00:00.000");
	refuse_edit(s, "Issued At: 2026-11-25T10:00:00.000Z",
	    "Issued At: 2026-11-25 10:00:00.000Z");
	refuse_edit(s, "Expiration Time: 2026-11-25T10:05:00.000Z",
	    "Expiration Time: 2026-11-25T25:05:00.000Z");
	refuse_edit(s, "Not Before: 2026-11-25T09:59:00Z",
	    "Not Before: tomorrow");
	refuse_edit(s, "Not Before: 2026-11-25T09:59:00Z", "Not Before: ");
	// Domain and scheme.
	refuse_edit(s, "play.example.com wants", "play example.com wants");
	refuse_edit(s, "play.example.com wants", " wants");
	refuse_edit(s, "play.example.com wants", "play.example.com/x wants");
	refuse_edit(s, "play.example.com wants", "play.example.com\t wants");
	refuse_edit(s, "play.example.com wants",
	    "1http://play.example.com wants");
	refuse_edit(s, "play.example.com wants", "://play.example.com wants");
	refuse_edit(s, "play.example.com wants", "https://play.%zz wants");
	// Statement: only RFC 3986 characters and spaces.
	refuse_edit(s, "Sign in to", "Sign \"in\" to");
	refuse_edit(s, "Sign in to", "Sign\tin to");
	refuse_edit(s, "Sign in to", "Sign in to \xc3\xa9");
	// URI and resources.
	refuse_edit(s, "URI: https://play.example.com/login",
	    "URI: play.example.com/login");
	refuse_edit(s, "URI: https://play.example.com/login",
	    "URI: https://play.example.com/log in");
	refuse_edit(s, "URI: https://play.example.com/login", "URI: ");
	refuse_edit(s, "URI: https://play.example.com/login",
	    "URI: https://play.example.com/%4");
	refuse_edit(s, "- https://example.com/my-web2-claim.json",
	    "- https://example.com/<claim>");
	refuse_edit(s, "- https://example.com/my-web2-claim.json", "- ");
	// Request ID: one or more pchar.
	refuse_edit(s, "Request ID: req-42", "Request ID: ");
	refuse_edit(s, "Request ID: req-42", "Request ID: req/42");
	refuse_edit(s, "Request ID: req-42", "Request ID: req 42");
}

static void
test_refuse_overlong(void **state)
{
	static char big[1024], msg[16384];
	const char *s = siwe_js_1;

	(void) state;
	memset(big, 'a', sizeof(big) - 1);
	// Domain of 256 chars (255 fit).
	snprintf(msg, sizeof(msg), "%.256s wants", big);
	refuse_edit(s, "play.example.com wants", msg);
	snprintf(msg, sizeof(msg), "Sign %.507s", big);
	refuse_edit(s, "Sign in to Nemeth's Domain.", msg);
	snprintf(msg, sizeof(msg), "URI: urn:%.508s", big);
	refuse_edit(s, "URI: https://play.example.com/login", msg);
	snprintf(msg, sizeof(msg), "Nonce: %.65s", big);
	refuse_edit(s, "Nonce: k3Jd9QmZ2pX7", msg);
	snprintf(msg, sizeof(msg), "Request ID: %.128s", big);
	refuse_edit(s, "Request ID: req-42", msg);
	snprintf(msg, sizeof(msg), "- urn:%.508s", big);
	refuse_edit(s, "- https://example.com/my-web2-claim.json", msg);
	refuse_edit(s, "Issued At: 2026-11-25T10:00:00.000Z",
	    "Issued At: 2026-11-25T10:00:00.0000000000000000000Z");
	refuse_edit(s, "play.example.com wants",
	    "abcdefghijabcdefghijabcdefghijab://play.example.com wants");
	// Nine resources.
	refuse_edit(s, "claim.json", "claim.json\n- urn:3\n- urn:4\n- urn:5"
	    "\n- urn:6\n- urn:7\n- urn:8\n- urn:9");
}

static void
test_build_refuses(void **state)
{
	static cm_siwe m;
	char out[4096];
	size_t n = 99;

	(void) state;
	memset(out, 'Z', sizeof(out));
	fields_1(&m);
	SET(m.address, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	SET(m.version, "2");
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	m.chain_id = 0;
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	m.chain_id = CM_SIWE_CHAIN_ID_MAX + 1;
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	SET(m.nonce, "short");
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	SET(m.statement, "two\nlines");
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	SET(m.issued_at, "");
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	SET(m.not_before, "2026-02-29T00:00:00Z");
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	m.n_resources = CM_SIWE_RESOURCES_MAX + 1;
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	m.n_resources = 3; // resources[2] is empty
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	memset(m.domain, 'd', sizeof(m.domain)); // not NUL-terminated
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	fields_1(&m);
	SET(m.domain, "");
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_EINVAL);
	assert_int_equal(n, 99);
	assert_int_equal(out[0], 'Z');
	// Largest chain id is fine.
	fields_1(&m);
	m.chain_id = CM_SIWE_CHAIN_ID_MAX;
	assert_int_equal(cm_siwe_build(&m, out, sizeof(out), &n), CM_OK);
	assert_non_null(strstr(out, "\nChain ID: 9007199254740992\n"));
	assert_int_equal(cm_siwe_parse(out, n, &m), CM_OK);
	assert_int_equal(m.chain_id, CM_SIWE_CHAIN_ID_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_js_messages),
		cmocka_unit_test(test_no_statement_layout),
		cmocka_unit_test(test_eip_example),
		cmocka_unit_test(test_signed_message),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_refuse_structure),
		cmocka_unit_test(test_refuse_nul),
		cmocka_unit_test(test_refuse_fields),
		cmocka_unit_test(test_refuse_overlong),
		cmocka_unit_test(test_build_refuses),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
