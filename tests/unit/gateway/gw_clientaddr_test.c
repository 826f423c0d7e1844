/*
 * gw_clientaddr_test.c: whose budget a request spends.  The peer is the
 * client unless it is a trusted proxy; X-Forwarded-For is believed only
 * through trusted hops, from its right end; a malformed entry stops at
 * the last trusted hop; IPv6 clients are keyed by /64, IPv4-mapped ones
 * by their IPv4 address; the CIDR list parser is strict.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "../../../gateway/gw_clientaddr.c"

static struct sockaddr_storage peer_ss;

static const struct sockaddr *
peer(const char *a)
{
	memset(&peer_ss, 0, sizeof(peer_ss));
	if (strchr(a, ':') == NULL) {
		struct sockaddr_in *s4 = (struct sockaddr_in *) &peer_ss;

		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, a, &s4->sin_addr), 1);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) &peer_ss;

		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, a, &s6->sin6_addr), 1);
	}
	return ((const struct sockaddr *) &peer_ss);
}

static gw_cidr trusted[GW_MAX_PROXIES];
static int     ntrusted;

static const char *
client(const char *p, const char *xff)
{
	static char out[GW_CLIENTADDR_MAX];

	assert_true(gw_clientaddr(peer(p), xff, trusted, ntrusted, out));
	return (out);
}

static void
test_no_proxies(void **state)
{
	(void) state;
	ntrusted = 0;
	/* Without trusted proxies the header is anyone's: ignored. */
	assert_string_equal(client("203.0.113.7", NULL), "203.0.113.7");
	assert_string_equal(client("203.0.113.7", "1.2.3.4"), "203.0.113.7");
	assert_string_equal(client("::ffff:198.51.100.2", "1.2.3.4"),
	    "198.51.100.2");
	assert_string_equal(client("2001:db8:1:2:aaaa::1", NULL),
	    "2001:db8:1:2::/64");
	assert_string_equal(client("2001:db8:1:2:bbbb::9", NULL),
	    "2001:db8:1:2::/64");
	assert_string_equal(client("2001:db8:1:3::1", NULL),
	    "2001:db8:1:3::/64");
}

static void
test_trusted_hops(void **state)
{
	(void) state;
	assert_int_equal(gw_cidr_list_parse("10.0.0.0/8, 192.168.1.1,fd00::/8",
	                     trusted, GW_MAX_PROXIES, &ntrusted),
	    CM_OK);
	assert_int_equal(ntrusted, 3);
	/* The balancer's entry is the client. */
	assert_string_equal(client("10.1.2.3", "198.51.100.9"),
	    "198.51.100.9");
	/* A client-written entry left of it is not believed. */
	assert_string_equal(client("10.1.2.3", "6.6.6.6, 198.51.100.9"),
	    "198.51.100.9");
	/* Through two trusted hops. */
	assert_string_equal(
	    client("10.1.2.3", "6.6.6.6,198.51.100.9, 192.168.1.1"),
	    "198.51.100.9");
	assert_string_equal(client("fd00::5", "198.51.100.9,10.9.9.9"),
	    "198.51.100.9");
	/* No header: the proxy itself. */
	assert_string_equal(client("10.1.2.3", NULL), "10.1.2.3");
	/* Garbage stops at the last trusted hop. */
	assert_string_equal(client("10.1.2.3", "6.6.6.6, nonsense"),
	    "10.1.2.3");
	assert_string_equal(client("10.1.2.3", "6.6.6.6,,"), "10.1.2.3");
	assert_string_equal(client("10.1.2.3", "1.2.3.4:80"), "10.1.2.3");
	/* Every hop trusted: the leftmost. */
	assert_string_equal(client("10.1.2.3", "10.0.0.9, 192.168.1.1"),
	    "10.0.0.9");
	/* An untrusted peer's header is ignored. */
	assert_string_equal(client("198.51.100.1", "10.0.0.1"),
	    "198.51.100.1");
	/* 192.168.1.1 is a /32: its neighbour is not trusted. */
	assert_string_equal(client("192.168.1.2", "1.1.1.1"), "192.168.1.2");
	ntrusted = 0;
}

static void
test_cidr_parse(void **state)
{
	gw_cidr c[2];
	int     n = -1;

	(void) state;
	assert_int_equal(gw_cidr_list_parse("", c, 2, &n), CM_OK);
	assert_int_equal(n, 0);
	assert_int_equal(gw_cidr_list_parse("10.0.0.0/12", c, 2, &n), CM_OK);
	assert_int_equal(c[0].bits, 12);
	assert_int_equal(gw_cidr_list_parse("::1", c, 2, &n), CM_OK);
	assert_int_equal(c[0].bits, 128);
	assert_int_equal(c[0].family, AF_INET6);
	assert_int_equal(gw_cidr_list_parse("10.0.0.0/33", c, 2, &n),
	    CM_EINVAL);
	assert_int_equal(gw_cidr_list_parse("10.0.0.0/", c, 2, &n),
	    CM_EINVAL);
	assert_int_equal(gw_cidr_list_parse("10.0.0.0/-1", c, 2, &n),
	    CM_EINVAL);
	assert_int_equal(gw_cidr_list_parse("10.0.0.300", c, 2, &n),
	    CM_EINVAL);
	assert_int_equal(gw_cidr_list_parse("10.0.0.1,", c, 2, &n),
	    CM_EINVAL);
	assert_int_equal(gw_cidr_list_parse("1.1.1.1,2.2.2.2,3.3.3.3", c, 2,
	                     &n),
	    CM_EINVAL);
	assert_int_equal(gw_cidr_list_parse("localhost", c, 2, &n),
	    CM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_proxies),
		cmocka_unit_test(test_trusted_hops),
		cmocka_unit_test(test_cidr_parse),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
