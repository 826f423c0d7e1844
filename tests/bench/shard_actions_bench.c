/*
 * shard_actions_bench.c: acknowledged mutating actions per second on one
 * shard, and their latency.
 *
 * Talks nng REQ directly to a shard (SHARD-URL): registers PLAYERS + 1
 * fresh players homed on that shard (random lower-case addresses kept when
 * cm_owner_shard_of_id puts them there), the first creates an alliance, and
 * then every other player toggles AllianceJoin / AllianceLeave of it.  The
 * players are split in carriers of K (-k, default 1), as a gateway's
 * carriers are: each carrier owns one nng context on one REQ socket and
 * sends one ShardBatch of K requests, one action of each of its players;
 * when the batch's reply comes, each player toggles and the carrier sends
 * the next batch.  So every player has at most one action outstanding and
 * up to PLAYERS actions wait at once, in PLAYERS / K messages, and the
 * shard's groups can form.  K = 1 is one request per nng message, which
 * the gateways never send under load (their carriers take everything
 * queued meanwhile): it shows the per-message cost.  A reply counts when
 * it carries no error; errors (and transport failures, K per batch) are
 * counted apart, warm-up included: there should be none.  Resends are
 * off, as in the gateway.
 *
 *   closed loop (default): each carrier sends its next batch as soon as
 *     the previous one is acknowledged: the peak rate.
 *   -r RATE: open loop: actions are scheduled at RATE per second whatever
 *     the replies do, in batches of K, so RATE / K batches per second; a
 *     batch is handed to a free carrier at its scheduled time (or, if
 *     every carrier is waiting, as soon as one frees) and the latency of
 *     each of its actions counts from the scheduled time.
 *
 * Latency is per action: from its batch's send (closed loop) or scheduled
 * time (open loop) to the batch's reply.
 *
 * After WARMUP seconds, replies are counted for SECONDS seconds.  Prints
 * NAME_rate (acked actions/s), NAME_p50 and NAME_p99 (ms), NAME_errors.
 * To tell what bounds the rate, over the same window: with -m (the shard's
 * metrics URL) NAME_group, actions per commit, and NAME_commit_ms, the
 * mean time from a group's flush to its commit; with -c CPU, NAME_busy,
 * the share of that core (the servers') not idle, in %.
 *
 *   shard_actions_bench [-p PLAYERS] [-k K] [-n SHARDS] [-i INDEX]
 *                       [-w WARMUP] [-d SECONDS] [-r RATE]
 *                       [-m METRICS-URL] [-c CPU] SHARD-URL NAME
 */
#include <curl/curl.h>
#include <getopt.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "bench_util.h"
#include "cm_map.h"
#include "shard.pb-c.h"

#define MAX_PLAYERS 1024
#define MAX_K 64        /* the gateway's BATCH_MAX */
#define ITEM_MAX 512    /* one packed request, at most */
#define MAX_SAMPLES (4u << 20)
#define MAX_CODES 8

enum { PH_WARM = 0, PH_MEASURE, PH_STOP };

typedef struct player {
	char          addr[43];
	bool          member;  /* in the alliance (as far as we know) */
	uint64_t      req_id;
} player;

/* A carrier: one nng context and its K players, one batch at a time. */
typedef struct carrier {
	struct bench *b;
	nng_ctx       ctx;
	nng_aio      *aio;
	player       *pl;      /* K players */
	bool          sending;
	double        t0;      /* sent (closed loop) or scheduled (open) */
	uint8_t      *items;   /* K x ITEM_MAX: the packed requests */
} carrier;

typedef struct bench {
	nng_socket    sock;
	uint64_t      alliance;
	player       *p;
	int           np;
	int           k;            /* players (requests) per batch */
	carrier      *c;
	int           nc;
	double        rate;         /* actions/s; 0: closed loop */
	_Atomic int   phase;
	_Atomic int   outstanding;  /* batches */
	_Atomic long  acked, errors, failed; /* actions */
	double       *lat;          /* ms, measured window only */
	_Atomic unsigned nlat;
	_Atomic uint64_t next_id;
	pthread_mutex_t mu;         /* codes, and the open loop's queues */
	char          codes[MAX_CODES][32];
	long          ncode[MAX_CODES];
	carrier     **idle;         /* open loop: free carriers */
	int           nidle;
	double       *pending;      /* open loop: batches scheduled, not sent */
	size_t        phead, ptail, pcap;
} bench;

static void
die(const char *what)
{
	fprintf(stderr, "shard_actions_bench: %s\n", what);
	exit(1);
}

/* pack_batch packs the n packed requests items[] in a ShardBatch. */
static nng_msg *
pack_batch(ProtobufCBinaryData *items, int n)
{
	Nd__ShardBatch b = ND__SHARD_BATCH__INIT;
	size_t         len;
	nng_msg       *m;

	b.n_requests = (size_t) n;
	b.requests   = items;
	len          = nd__shard_batch__get_packed_size(&b);
	if (nng_msg_alloc(&m, len) != 0) {
		die("out of memory");
	}
	nd__shard_batch__pack(&b, nng_msg_body(m));
	return (m);
}

/* pack_item packs rq into buf (ITEM_MAX bytes). */
static ProtobufCBinaryData
pack_item(Nd__ShardRequest *rq, uint8_t *buf)
{
	ProtobufCBinaryData item;

	if (nd__shard_request__get_packed_size(rq) > ITEM_MAX) {
		die("request too large");
	}
	item.len  = nd__shard_request__pack(rq, buf);
	item.data = buf;
	return (item);
}

/* unpack_reply: the one ShardReply of a ShardBatchReply, or NULL. */
static Nd__ShardReply *
unpack_reply(const void *data, size_t len)
{
	Nd__ShardBatchReply *br = nd__shard_batch_reply__unpack(NULL, len, data);
	Nd__ShardReply      *r  = NULL;

	if (br != NULL && br->n_replies == 1) {
		r = nd__shard_reply__unpack(NULL, br->replies[0].len,
		    br->replies[0].data);
	}
	if (br != NULL) {
		nd__shard_batch_reply__free_unpacked(br, NULL);
	}
	return (r);
}

/* call: one synchronous request on the socket (setup only). */
static Nd__ShardReply *
call(bench *b, Nd__ShardRequest *rq)
{
	uint8_t             buf[ITEM_MAX];
	ProtobufCBinaryData item = pack_item(rq, buf);
	nng_msg            *m    = pack_batch(&item, 1);
	Nd__ShardReply     *r;

	if (nng_sendmsg(b->sock, m, 0) != 0) {
		nng_msg_free(m);
		return (NULL);
	}
	if (nng_recvmsg(b->sock, &m, 0) != 0) {
		return (NULL);
	}
	r = unpack_reply(nng_msg_body(m), nng_msg_len(m));
	nng_msg_free(m);
	return (r);
}

static void
count_code(bench *b, const char *code)
{
	pthread_mutex_lock(&b->mu);
	for (int i = 0; i < MAX_CODES; i++) {
		if (b->codes[i][0] == '\0') {
			snprintf(b->codes[i], sizeof(b->codes[i]), "%s", code);
		}
		if (strcmp(b->codes[i], code) == 0) {
			b->ncode[i]++;
			break;
		}
	}
	pthread_mutex_unlock(&b->mu);
}

/* send_batch sends the next action (join or leave) of each of c's K
 * players as one ShardBatch, scheduled at t0. */
static void
send_batch(carrier *c, double t0)
{
	bench              *b = c->b;
	ProtobufCBinaryData items[MAX_K];

	for (int i = 0; i < b->k; i++) {
		player           *p  = &c->pl[i];
		Nd__ShardRequest  rq = ND__SHARD_REQUEST__INIT;
		Nd__AllianceJoin  j  = ND__ALLIANCE_JOIN__INIT;
		Nd__AllianceLeave l  = ND__ALLIANCE_LEAVE__INIT;

		rq.request_id = p->req_id = atomic_fetch_add(&b->next_id, 1);
		rq.player     = p->addr;
		if (p->member) {
			l.alliance_id     = b->alliance;
			rq.body_case      = ND__SHARD_REQUEST__BODY_ALLIANCE_LEAVE;
			rq.alliance_leave = &l;
		} else {
			j.alliance_id    = b->alliance;
			rq.body_case     = ND__SHARD_REQUEST__BODY_ALLIANCE_JOIN;
			rq.alliance_join = &j;
		}
		items[i] = pack_item(&rq, c->items + (size_t) i * ITEM_MAX);
	}
	atomic_fetch_add(&b->outstanding, 1);
	c->t0      = t0;
	c->sending = true;
	nng_aio_set_msg(c->aio, pack_batch(items, b->k));
	nng_ctx_send(c->ctx, c->aio);
}

/* carrier_free: c has nothing outstanding; give it its next batch. */
static void
carrier_free(carrier *c)
{
	bench *b = c->b;

	atomic_fetch_sub(&b->outstanding, 1);
	if (atomic_load(&b->phase) == PH_STOP) {
		return;
	}
	if (b->rate == 0) {
		send_batch(c, bench_now());
		return;
	}
	pthread_mutex_lock(&b->mu);
	if (b->phead != b->ptail) {
		double t0 = b->pending[b->phead++ % b->pcap];

		pthread_mutex_unlock(&b->mu);
		send_batch(c, t0);
		return;
	}
	b->idle[b->nidle++] = c;
	pthread_mutex_unlock(&b->mu);
}

/* player_reply: the reply r (or NULL) to player p's action, at now. */
static void
player_reply(carrier *c, player *p, Nd__ShardReply *r, double now)
{
	bench *b = c->b;

	if (r == NULL || r->request_id != p->req_id) {
		atomic_fetch_add(&b->failed, 1);
	} else if (r->error != NULL) {
		/* Re-sync with what the shard says and count the error. */
		if (strcmp(r->error->code, "ALREADY_IN_ALLIANCE") == 0) {
			p->member = true;
		} else if (strcmp(r->error->code, "NOT_MEMBER") == 0) {
			p->member = false;
		}
		atomic_fetch_add(&b->errors, 1); /* warm-up included */
		count_code(b, r->error->code);
	} else {
		p->member = !p->member;
		if (atomic_load(&b->phase) == PH_MEASURE) {
			unsigned i = atomic_fetch_add(&b->nlat, 1);

			atomic_fetch_add(&b->acked, 1);
			if (i < MAX_SAMPLES) {
				b->lat[i] = (now - c->t0) * 1e3;
			}
		}
	}
}

static void
carrier_cb(void *arg)
{
	carrier             *c = arg;
	bench               *b = c->b;
	int                  rv = nng_aio_result(c->aio);
	double               now;
	nng_msg             *m;
	Nd__ShardBatchReply *br;

	if (c->sending) {
		c->sending = false;
		if (rv != 0) {
			nng_msg_free(nng_aio_get_msg(c->aio));
			atomic_fetch_add(&b->failed, b->k);
			carrier_free(c);
			return;
		}
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	now = bench_now();
	if (rv != 0) {
		atomic_fetch_add(&b->failed, b->k);
		carrier_free(c);
		return;
	}
	m  = nng_aio_get_msg(c->aio);
	br = nd__shard_batch_reply__unpack(NULL, nng_msg_len(m),
	    nng_msg_body(m));
	nng_msg_free(m);
	if (br == NULL || br->n_replies != (size_t) b->k) {
		atomic_fetch_add(&b->failed, b->k);
	} else {
		for (int i = 0; i < b->k; i++) {
			Nd__ShardReply *r = nd__shard_reply__unpack(NULL,
			    br->replies[i].len, br->replies[i].data);

			player_reply(c, &c->pl[i], r, now);
			if (r != NULL) {
				nd__shard_reply__free_unpacked(r, NULL);
			}
		}
	}
	if (br != NULL) {
		nd__shard_batch_reply__free_unpacked(br, NULL);
	}
	carrier_free(c);
}

/* pacer: the open loop's schedule, RATE actions per second, so RATE / K
 * batches per second. */
static void *
pacer(void *arg)
{
	bench          *b     = arg;
	double          start = bench_now();
	double          brate = b->rate / b->k;
	struct timespec ts;

	for (uint64_t k = 0; atomic_load(&b->phase) != PH_STOP; k++) {
		double   t = start + (double) k / brate;
		carrier *c = NULL;

		ts.tv_sec  = (time_t) t;
		ts.tv_nsec = (long) ((t - (double) ts.tv_sec) * 1e9);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		pthread_mutex_lock(&b->mu);
		if (b->nidle > 0) {
			c = b->idle[--b->nidle];
		} else if (b->ptail - b->phead < b->pcap) {
			b->pending[b->ptail++ % b->pcap] = t;
		}
		pthread_mutex_unlock(&b->mu);
		if (c != NULL) {
			send_batch(c, t);
		}
	}
	return (NULL);
}

/* --- what bounds the rate: the shard's metrics, the servers' core --- */

typedef struct text {
	char  *p;
	size_t n;
} text;

static size_t
text_add(char *d, size_t size, size_t n, void *arg)
{
	text  *t = arg;
	char  *p = realloc(t->p, t->n + size * n + 1);

	if (p == NULL) {
		return (0);
	}
	memcpy(p + t->n, d, size * n);
	t->p = p;
	t->n += size * n;
	t->p[t->n] = '\0';
	return (size * n);
}

/* metric: the value of the sample line starting with name, or -1. */
static double
metric(const char *body, const char *name)
{
	size_t      n = strlen(name);
	const char *l = body;

	for (; l != NULL && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, name, n) == 0 && l[n] == ' ') {
			return (strtod(l + n + 1, NULL));
		}
	}
	return (-1);
}

typedef struct snap {
	double actions, commits, commit_s; /* from the shard's metrics */
	double busy, total;                /* jiffies of the servers' core */
} snap;

static void
take_snap(const char *metrics_url, int cpu, snap *s)
{
	memset(s, 0, sizeof(*s));
	if (metrics_url != NULL) {
		CURL *c = curl_easy_init();
		text  t = { NULL, 0 };

		curl_easy_setopt(c, CURLOPT_URL, metrics_url);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, text_add);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
		if (curl_easy_perform(c) == CURLE_OK && t.p != NULL) {
			s->actions  = metric(t.p, "nd_shard_committed_actions_total");
			s->commits  = metric(t.p,
			    "nd_shard_commits_total{outcome=\"ok\"}");
			s->commit_s = metric(t.p, "nd_shard_commit_seconds_sum");
		}
		curl_easy_cleanup(c);
		free(t.p);
	}
	if (cpu >= 0) {
		FILE              *f = fopen("/proc/stat", "r");
		char               line[512], want[16];
		unsigned long long v[10] = { 0 };

		snprintf(want, sizeof(want), "cpu%d ", cpu);
		while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
			if (strncmp(line, want, strlen(want)) != 0) {
				continue;
			}
			sscanf(line + strlen(want),
			    "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
			for (int i = 0; i < 8; i++) {
				s->total += (double) v[i];
			}
			/* idle and iowait are not busy; steal counts as busy:
			 * the core was not ours to idle on. */
			s->busy = s->total - (double) v[3] - (double) v[4];
		}
		if (f != NULL) {
			fclose(f);
		}
	}
}

static void
random_address(char out[43])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t           r[20];

	if (getrandom(r, sizeof(r), 0) != (ssize_t) sizeof(r)) {
		die("getrandom failed");
	}
	out[0] = '0';
	out[1] = 'x';
	for (int i = 0; i < 20; i++) {
		out[2 + 2 * i] = hex[r[i] >> 4];
		out[3 + 2 * i] = hex[r[i] & 15];
	}
	out[42] = '\0';
}

/* home_address: a fresh address that shard index of shards owns. */
static void
home_address(int shards, int index, char out[43])
{
	do {
		random_address(out);
	} while (cm_owner_shard_of_id(out, 42, shards) != index);
}

static void
register_player(bench *b, const char *addr, int i)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__RegisterPlayer g = ND__REGISTER_PLAYER__INIT;
	Nd__ShardReply  *r;
	char             name[32];

	snprintf(name, sizeof(name), "bench captain %d", i);
	g.address       = (char *) addr;
	g.captain_name  = name;
	g.race          = (uint32_t) (i % 6);
	g.captain_class = (uint32_t) ((i / 6) % 6);
	g.captain_skill = (uint32_t) (i % 2);
	rq.request_id   = atomic_fetch_add(&b->next_id, 1);
	rq.body_case    = ND__SHARD_REQUEST__BODY_REGISTER_PLAYER;
	rq.register_player = &g;
	if ((r = call(b, &rq)) == NULL) {
		die("no answer to RegisterPlayer");
	}
	if (r->error != NULL || r->body_case !=
	    ND__SHARD_REPLY__BODY_REGISTERED) {
		fprintf(stderr, "shard_actions_bench: RegisterPlayer %s: %s %s\n",
		    addr, r->error ? r->error->code : "?",
		    r->error ? r->error->message : "");
		exit(1);
	}
	nd__shard_reply__free_unpacked(r, NULL);
}

static uint64_t
create_alliance(bench *b, const char *founder)
{
	Nd__ShardRequest   rq = ND__SHARD_REQUEST__INIT;
	Nd__AllianceCreate c  = ND__ALLIANCE_CREATE__INIT;
	Nd__ShardReply    *r;
	char               name[33];
	uint64_t           id;

	snprintf(name, sizeof(name), "bench %.12s", founder + 2);
	c.name        = name;
	rq.request_id = atomic_fetch_add(&b->next_id, 1);
	rq.player     = (char *) founder;
	rq.body_case  = ND__SHARD_REQUEST__BODY_ALLIANCE_CREATE;
	rq.alliance_create = &c;
	if ((r = call(b, &rq)) == NULL) {
		die("no answer to AllianceCreate");
	}
	if (r->error != NULL || r->body_case !=
	    ND__SHARD_REPLY__BODY_ALLIANCE_CREATED) {
		fprintf(stderr, "shard_actions_bench: AllianceCreate: %s %s\n",
		    r->error ? r->error->code : "?",
		    r->error ? r->error->message : "");
		exit(1);
	}
	id = r->alliance_created->alliance_id;
	nd__shard_reply__free_unpacked(r, NULL);
	return (id);
}

/* connect_shard dials url and waits (up to 20 s) for a ping's answer. */
static void
connect_shard(bench *b, const char *url)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__PingRequest  ping = ND__PING_REQUEST__INIT;

	if (nng_req0_open(&b->sock) != 0) {
		die("cannot open a REQ socket");
	}
	nng_socket_set_ms(b->sock, NNG_OPT_REQ_RESENDTIME,
	    NNG_DURATION_INFINITE);
	nng_socket_set_ms(b->sock, NNG_OPT_RECVTIMEO, 1000);
	nng_socket_set_ms(b->sock, NNG_OPT_SENDTIMEO, 1000);
	/* Non-blocking dial: nng keeps redialling until the shard listens. */
	if (nng_dial(b->sock, url, NULL, NNG_FLAG_NONBLOCK) != 0) {
		die("cannot dial the shard");
	}
	rq.body_case = ND__SHARD_REQUEST__BODY_PING;
	rq.ping      = &ping;
	for (int i = 0;; i++) {
		Nd__ShardReply *r;

		rq.request_id = atomic_fetch_add(&b->next_id, 1);
		if ((r = call(b, &rq)) != NULL) {
			nd__shard_reply__free_unpacked(r, NULL);
			break;
		}
		if (i == 20) {
			die("the shard does not answer");
		}
	}
	nng_socket_set_ms(b->sock, NNG_OPT_RECVTIMEO, 10000);
	nng_socket_set_ms(b->sock, NNG_OPT_SENDTIMEO, 10000);
}

static void
report_bounds(const char *name, const snap *a, const snap *z, bool metrics,
    bool cpu)
{
	char key[96];

	if (metrics && a->commits >= 0 && z->commits > a->commits) {
		snprintf(key, sizeof(key), "%s_group", name);
		bench_print(key, (z->actions - a->actions) /
		    (z->commits - a->commits), "actions/commit");
		snprintf(key, sizeof(key), "%s_commit_ms", name);
		bench_print(key, (z->commit_s - a->commit_s) * 1e3 /
		    (z->commits - a->commits), "ms");
	}
	if (cpu && z->total > a->total) {
		snprintf(key, sizeof(key), "%s_busy", name);
		bench_print(key, 100.0 * (z->busy - a->busy) /
		    (z->total - a->total), "%");
	}
}

static void
report(bench *b, const char *name, double seconds)
{
	char     key[96];
	unsigned n = atomic_load(&b->nlat);

	if (n > MAX_SAMPLES) {
		n = MAX_SAMPLES;
	}
	snprintf(key, sizeof(key), "%s_rate", name);
	bench_print(key, (double) atomic_load(&b->acked) / seconds,
	    "actions/s");
	snprintf(key, sizeof(key), "%s_p50", name);
	bench_print(key, n ? bench_pct(b->lat, n, 50) : 0, "ms");
	snprintf(key, sizeof(key), "%s_p99", name);
	bench_print(key, n ? bench_pct(b->lat, n, 99) : 0, "ms");
	if (n > 0) {
		fprintf(stderr, "shard_actions_bench: %s: %u samples, p90 %.3f "
		    "p99.9 %.3f max %.3f ms\n", name, n,
		    bench_pct(b->lat, n, 90), bench_pct(b->lat, n, 99.9),
		    b->lat[n - 1]);
	}
	snprintf(key, sizeof(key), "%s_errors", name);
	bench_print(key,
	    (double) (atomic_load(&b->errors) + atomic_load(&b->failed)),
	    "count");
	for (int i = 0; i < MAX_CODES && b->codes[i][0]; i++) {
		fprintf(stderr, "shard_actions_bench: %s: %ld x %s\n", name,
		    b->ncode[i], b->codes[i]);
	}
	if (atomic_load(&b->failed) > 0) {
		fprintf(stderr, "shard_actions_bench: %s: %ld transport failures\n",
		    name, atomic_load(&b->failed));
	}
}

int
main(int argc, char **argv)
{
	bench     b;
	int       shards = 4, index = 0, cpu = -1, opt;
	const char *metrics_url = NULL;
	snap      s1, s2;
	double    warm = 1, secs = 5, t1, t2;
	pthread_t pt;
	char      founder[43];

	memset(&b, 0, sizeof(b));
	b.np = 64;
	b.k  = 1;
	while ((opt = getopt(argc, argv, "p:k:n:i:w:d:r:m:c:")) != -1) {
		switch (opt) {
		case 'p': b.np = (int) strtol(optarg, NULL, 10); break;
		case 'k': b.k = (int) strtol(optarg, NULL, 10); break;
		case 'n': shards = (int) strtol(optarg, NULL, 10); break;
		case 'i': index = (int) strtol(optarg, NULL, 10); break;
		case 'w': warm = strtod(optarg, NULL); break;
		case 'd': secs = strtod(optarg, NULL); break;
		case 'r': b.rate = strtod(optarg, NULL); break;
		case 'm': metrics_url = optarg; break;
		case 'c': cpu = (int) strtol(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || b.np < 1 || b.np > MAX_PLAYERS ||
	    b.k < 1 || b.k > MAX_K || b.np % b.k != 0 ||
	    shards < 1 || index < 0 || index >= shards || secs <= 0 ||
	    warm < 0 || b.rate < 0) {
usage:
		fprintf(stderr, "usage: shard_actions_bench [-p PLAYERS] "
		    "[-k K] [-n SHARDS] [-i INDEX] [-w WARMUP] [-d SECONDS] "
		    "[-r RATE] [-m METRICS-URL] [-c CPU] SHARD-URL NAME\n");
		return (2);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	pthread_mutex_init(&b.mu, NULL);
	atomic_store(&b.next_id, 1);
	b.lat = malloc(MAX_SAMPLES * sizeof(double));
	b.nc  = b.np / b.k;
	b.p   = calloc((size_t) b.np, sizeof(player));
	b.c   = calloc((size_t) b.nc, sizeof(carrier));
	b.idle = calloc((size_t) b.nc, sizeof(carrier *));
	b.pcap = 1u << 20;
	b.pending = malloc(b.pcap * sizeof(double));
	if (b.lat == NULL || b.p == NULL || b.c == NULL || b.idle == NULL ||
	    b.pending == NULL) {
		die("out of memory");
	}
	connect_shard(&b, argv[optind]);

	/* Setup: PLAYERS + 1 fresh players homed there, one alliance. */
	home_address(shards, index, founder);
	register_player(&b, founder, 0);
	b.alliance = create_alliance(&b, founder);
	for (int i = 0; i < b.np; i++) {
		home_address(shards, index, b.p[i].addr);
		register_player(&b, b.p[i].addr, i + 1);
	}
	for (int i = 0; i < b.nc; i++) {
		carrier *c = &b.c[i];

		c->b     = &b;
		c->pl    = &b.p[i * b.k];
		c->items = malloc((size_t) b.k * ITEM_MAX);
		if (c->items == NULL) {
			die("out of memory");
		}
		if (nng_ctx_open(&c->ctx, b.sock) != 0 ||
		    nng_aio_alloc(&c->aio, carrier_cb, c) != 0) {
			die("cannot open a context");
		}
		nng_aio_set_timeout(c->aio, 10000);
	}

	/* Load: every carrier busy (closed loop) or idle for the pacer. */
	atomic_store(&b.phase, PH_WARM);
	if (b.rate == 0) {
		for (int i = 0; i < b.nc; i++) {
			send_batch(&b.c[i], bench_now());
		}
	} else {
		for (int i = 0; i < b.nc; i++) {
			b.idle[b.nidle++] = &b.c[i];
		}
		if (pthread_create(&pt, NULL, pacer, &b) != 0) {
			die("cannot start the pacer");
		}
	}
	nng_msleep((nng_duration) (warm * 1000));
	take_snap(metrics_url, cpu, &s1);
	t1 = bench_now();
	atomic_store(&b.phase, PH_MEASURE);
	nng_msleep((nng_duration) (secs * 1000));
	atomic_store(&b.phase, PH_STOP);
	t2 = bench_now();
	take_snap(metrics_url, cpu, &s2);
	if (b.rate > 0) {
		pthread_join(pt, NULL);
	}
	/* Let what is in flight come back (at most 10 s). */
	for (int i = 0; i < 1000 && atomic_load(&b.outstanding) > 0; i++) {
		nng_msleep(10);
	}
	if (b.rate > 0 && b.ptail - b.phead > 0) {
		fprintf(stderr, "shard_actions_bench: %s: %zu scheduled batches "
		    "of %d never sent (the rate is above what the shard "
		    "takes)\n", argv[optind + 1], b.ptail - b.phead, b.k);
	}
	report(&b, argv[optind + 1], t2 - t1);
	report_bounds(argv[optind + 1], &s1, &s2, metrics_url != NULL, cpu >= 0);
	nng_close(b.sock);
	return (0);
}
