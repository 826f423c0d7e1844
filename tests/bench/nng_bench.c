/*
 * nng_bench.c: one nng request/reply hop, p50 and p99, one request in
 * flight.
 *
 *   nng_echo: an in-process REP that echoes in its aio callback, over tcp
 *             loopback: the floor nng itself sets
 *   shard_ping: a protobuf PingRequest to a real shard (its owner-thread
 *             hand-off and protobuf included), when a URL is given
 *
 *   nng_bench [shard-url]
 */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <string.h>

#include "bench_util.h"
#include "shard.pb-c.h"

#define WARMUP 2000
#define COUNT 20000

typedef struct echo {
	nng_socket sock;
	nng_aio   *aio;
	nng_ctx    ctx;
	int        sending;
} echo;

static void
echo_cb(void *arg)
{
	echo *e = arg;

	if (nng_aio_result(e->aio) != 0) {
		return;
	}
	if (e->sending) {
		e->sending = 0;
		nng_ctx_recv(e->ctx, e->aio);
		return;
	}
	e->sending = 1;
	nng_ctx_send(e->ctx, e->aio); /* the received message, echoed */
}

static void
hop(nng_socket s, const void *req, size_t len, double *lat, int n)
{
	for (int i = -WARMUP; i < n; i++) {
		nng_msg *m;
		double   t0 = bench_now();

		nng_msg_alloc(&m, 0);
		nng_msg_append(m, req, len);
		if (nng_sendmsg(s, m, 0) != 0 || nng_recvmsg(s, &m, 0) != 0) {
			fprintf(stderr, "nng_bench: request failed\n");
			exit(1);
		}
		nng_msg_free(m);
		if (i >= 0) {
			lat[i] = (bench_now() - t0) * 1e6;
		}
	}
}

static void
report(const char *name, double *lat, int n)
{
	char key[64];

	snprintf(key, sizeof(key), "%s_p50", name);
	bench_print(key, bench_pct(lat, (size_t) n, 50), "us");
	snprintf(key, sizeof(key), "%s_p99", name);
	bench_print(key, bench_pct(lat, (size_t) n, 99), "us");
}

int
main(int argc, char **argv)
{
	static double lat[COUNT];
	echo          e;
	nng_socket    req;
	const char   *url = "tcp://127.0.0.1:17999";
	uint8_t       body[100];

	memset(&e, 0, sizeof(e));
	memset(body, 7, sizeof(body));
	if (nng_rep0_open(&e.sock) != 0 || nng_listen(e.sock, url, NULL, 0)) {
		return (1);
	}
	nng_ctx_open(&e.ctx, e.sock);
	nng_aio_alloc(&e.aio, echo_cb, &e);
	nng_ctx_recv(e.ctx, e.aio);
	nng_req0_open(&req);
	nng_socket_set_ms(req, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	nng_dial(req, url, NULL, 0);
	hop(req, body, sizeof(body), lat, COUNT);
	report("nng_echo", lat, COUNT);
	nng_close(req);

	if (argc > 1) {
		Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
		Nd__PingRequest  p  = ND__PING_REQUEST__INIT;
		uint8_t          buf[64];
		size_t           len;

		rq.request_id = 1;
		rq.body_case  = ND__SHARD_REQUEST__BODY_PING;
		rq.ping       = &p;
		len           = nd__shard_request__pack(&rq, buf);
		nng_req0_open(&req);
		nng_socket_set_ms(
		    req, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
		if (nng_dial(req, argv[1], NULL, 0) != 0) {
			fprintf(stderr, "nng_bench: cannot dial %s\n", argv[1]);
			return (1);
		}
		hop(req, buf, len, lat, COUNT);
		report("shard_ping", lat, COUNT);
		nng_close(req);
	}
	nng_close(e.sock);
	nng_aio_free(e.aio);
	return (0);
}
