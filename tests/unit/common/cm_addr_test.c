/* cm_addr_test.c: host:port parsing and per-shard URL templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cm_addr.h"

static void
test_split(void **state)
{
	char host[16] = "untouched";
	int  port     = -1;

	(void) state;
	assert_int_equal(cm_addr_split("127.0.0.1:8080", host, sizeof(host),
	                     &port), CM_OK);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8080);
	assert_int_equal(cm_addr_split("shard-3.shard:1", host, sizeof(host),
	                     &port), CM_OK);
	assert_int_equal(port, 1);
	snprintf(host, sizeof(host), "untouched");
	port = -1;
	assert_int_equal(cm_addr_split("nocolon", host, sizeof(host), &port),
	    CM_EINVAL);
	assert_int_equal(cm_addr_split(":80", host, sizeof(host), &port),
	    CM_EINVAL);
	assert_int_equal(cm_addr_split("h:0", host, sizeof(host), &port),
	    CM_EINVAL);
	assert_int_equal(cm_addr_split("h:65536", host, sizeof(host), &port),
	    CM_EINVAL);
	assert_int_equal(cm_addr_split("h:80x", host, sizeof(host), &port),
	    CM_EINVAL);
	assert_int_equal(cm_addr_split("h:", host, sizeof(host), &port),
	    CM_EINVAL);
	assert_int_equal(cm_addr_split("a-very-long-host-name:80", host,
	                     sizeof(host), &port), CM_EINVAL);
	assert_string_equal(host, "untouched"); /* out-params only on success */
	assert_int_equal(port, -1);
}

static void
test_sockaddr(void **state)
{
	struct sockaddr_in sa;

	(void) state;
	assert_int_equal(cm_addr_sockaddr("127.0.0.1:8080", &sa), CM_OK);
	assert_int_equal(ntohs(sa.sin_port), 8080);
	assert_int_equal(ntohl(sa.sin_addr.s_addr), 0x7f000001);
	assert_int_equal(cm_addr_sockaddr("0.0.0.0:1", &sa), CM_OK);
	assert_int_equal(sa.sin_addr.s_addr, 0);
	assert_int_equal(cm_addr_sockaddr("localhost:80", &sa), CM_EINVAL);
	assert_int_equal(cm_addr_sockaddr("1.2.3:80", &sa), CM_EINVAL);
	assert_int_equal(cm_addr_sockaddr("1.2.3.4", &sa), CM_EINVAL);
}

static void
test_expand(void **state)
{
	char out[64];

	(void) state;
	assert_int_equal(cm_addr_expand("tcp://127.0.0.1:{port}", 3, 17100,
	                     out, sizeof(out)), CM_OK);
	assert_string_equal(out, "tcp://127.0.0.1:17103");
	assert_int_equal(cm_addr_expand("tcp://shard-{i}.shard:{port}", 12,
	                     7000, out, sizeof(out)), CM_OK);
	assert_string_equal(out, "tcp://shard-12.shard:7012");
	assert_int_equal(cm_addr_expand("ipc:///tmp/s", 0, 0, out,
	                     sizeof(out)), CM_OK);
	assert_string_equal(out, "ipc:///tmp/s");
	assert_int_equal(cm_addr_expand("tcp://{host}:1", 0, 0, out,
	                     sizeof(out)), CM_EINVAL);
	assert_int_equal(cm_addr_expand("tcp://127.0.0.1:{port}", 0, 17100,
	                     out, 10), CM_ENOMEM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_expand),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
