/*
 * nng_bench.c: one nng request/reply hop, p50 and p99.
 *
 *   nng_echo: an in-process REP that echoes in its aio callback, over tcp
 *             loopback: the floor nng itself sets
 *   shard_ping: a protobuf PingRequest to a real shard (its owner-thread
 *             hand-off and protobuf included), when a URL is given
 *
 * Each is measured with one request in flight (_n1: pure latency) and with
 * eight clients in flight at once (_n8: the hop under a gateway's load,
 * where nng's threads stay awake).
 *
 *   nng_bench serve URL              run the echo server (pin it apart)
 *   nng_bench ECHO-URL [SHARD-URL]   measure
 */
#include <pthread.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"
#include "shard.pb-c.h"

#define WARMUP 2000
#define COUNT 20000
#define CLIENTS 8

typedef struct echo {
	nng_aio *aio;
	nng_ctx  ctx;
	int      sending;
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

typedef struct client {
	const char *url;
	const void *req;
	size_t      len;
	double     *lat;
} client;

static void *
client_run(void *arg)
{
	client    *c = arg;
	nng_socket s;

	nng_req0_open(&s);
	nng_socket_set_ms(s, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	/* The server may still be starting: retry for up to 5 s. */
	for (int i = 0; nng_dial(s, c->url, NULL, 0) != 0; i++) {
		if (i == 500) {
			fprintf(stderr, "nng_bench: cannot dial %s\n", c->url);
			exit(1);
		}
		nng_msleep(10);
	}
	hop(s, c->req, c->len, c->lat, COUNT / CLIENTS);
	nng_close(s);
	return (NULL);
}

/* measure runs n1 then n8 against url and reports both. */
static void
measure(const char *name, const char *url, const void *req, size_t len)
{
	static double lat[COUNT];
	pthread_t     t[CLIENTS];
	client        c[CLIENTS];
	char          key[64];

	c[0] = (client) { url, req, len, lat };
	client_run(&c[0]);
	snprintf(key, sizeof(key), "%s_n1", name);
	report(key, lat, COUNT / CLIENTS);
	for (int i = 0; i < CLIENTS; i++) {
		c[i] = (client) { url, req, len, lat + i * (COUNT / CLIENTS) };
		pthread_create(&t[i], NULL, client_run, &c[i]);
	}
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(t[i], NULL);
	}
	snprintf(key, sizeof(key), "%s_n8", name);
	report(key, lat, COUNT);
}

static int
serve(const char *url)
{
	echo       e[CLIENTS];
	nng_socket rep;

	memset(e, 0, sizeof(e));
	if (nng_rep0_open(&rep) != 0 || nng_listen(rep, url, NULL, 0)) {
		fprintf(stderr, "nng_bench: cannot listen on %s\n", url);
		return (1);
	}
	for (int i = 0; i < CLIENTS; i++) {
		nng_ctx_open(&e[i].ctx, rep);
		nng_aio_alloc(&e[i].aio, echo_cb, &e[i]);
		nng_ctx_recv(e[i].ctx, e[i].aio);
	}
	for (;;) {
		pause(); /* until killed */
	}
}

int
main(int argc, char **argv)
{
	uint8_t body[100];

	if (argc == 3 && strcmp(argv[1], "serve") == 0) {
		return (serve(argv[2]));
	}
	if (argc < 2) {
		fprintf(stderr, "usage: nng_bench serve URL | "
		                "nng_bench ECHO-URL [SHARD-URL]\n");
		return (2);
	}
	memset(body, 7, sizeof(body));
	measure("nng_echo", argv[1], body, sizeof(body));
	if (argc > 2) {
		Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
		Nd__PingRequest  p  = ND__PING_REQUEST__INIT;
		uint8_t          buf[64];
		size_t           len;

		Nd__ShardBatch      b = ND__SHARD_BATCH__INIT;
		ProtobufCBinaryData one;
		uint8_t             bb[96];

		rq.request_id = 1;
		rq.body_case  = ND__SHARD_REQUEST__BODY_PING;
		rq.ping       = &p;
		one.len       = nd__shard_request__pack(&rq, buf);
		one.data      = buf;
		b.n_requests  = 1;
		b.requests    = &one;
		len           = nd__shard_batch__pack(&b, bb);
		measure("shard_ping", argv[2], bb, len);
	}
	return (0);
}
