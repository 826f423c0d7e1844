/*
 * ndctl_game.c: the operator's game verbs.
 *
 *	ndctl register ADDRESS RACE CAPTAIN_NAME [--class NAME] [--skill A|B]
 *	    [--premium]
 *
 * sends RegisterPlayer to the player's home shard (over nng, as the
 * bridge will) and prints the answer as JSON: exit 0 when registered (or
 * already registered), 1 when refused, 2 on bad arguments or no answer.
 *
 *	ndctl generation start [--seed N]
 *	ndctl generation end
 *
 * end the open generation and open the next (start), or just end it, in
 * PostgreSQL (DATABASE_URL); the shards follow within a second.
 */
#include <jansson.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_addr.h"
#include "cm_config.h"
#include "cm_eth.h"
#include "cm_generation.h"
#include "cm_hex.h"
#include "cm_map.h"
#include "cm_pg.h"
#include "cm_rules.h"
#include "ndctl_game.h"
#include "shard.pb-c.h"

/* ctl_call sends one request to shard and returns its unpacked reply. */
static Nd__ShardReply *
ctl_call(int shard, Nd__ShardRequest *rq)
{
	long                 base;
	char                 url[256];
	nng_socket           s;
	Nd__ShardBatch       b = ND__SHARD_BATCH__INIT;
	ProtobufCBinaryData  item;
	uint8_t             *buf;
	size_t               len;
	void                *rep = NULL;
	size_t               rlen;
	Nd__ShardBatchReply *br;
	Nd__ShardReply      *out = NULL;

	if (cm_env_long("SHARD_REQ_PORT_BASE", 17100, 1, 65535, &base) ||
	    cm_addr_expand(cm_env_str("SHARD_REQ_URL", "tcp://127.0.0.1:{port}"),
	        shard, (int) base, url, sizeof(url)) != CM_OK) {
		fprintf(stderr, "ndctl: bad SHARD_REQ_URL or port base\n");
		return (NULL);
	}
	item.len  = nd__shard_request__get_packed_size(rq);
	item.data = malloc(item.len ? item.len : 1);
	nd__shard_request__pack(rq, item.data);
	b.n_requests = 1;
	b.requests   = &item;
	len          = nd__shard_batch__get_packed_size(&b);
	buf          = malloc(len ? len : 1);
	nd__shard_batch__pack(&b, buf);
	if (nng_req0_open(&s) != 0) {
		goto out;
	}
	nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 5000);
	nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 5000);
	nng_socket_set_ms(s, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	if (nng_dial(s, url, NULL, 0) != 0 || nng_send(s, buf, len, 0) != 0 ||
	    nng_recv(s, &rep, &rlen, NNG_FLAG_ALLOC) != 0) {
		fprintf(stderr, "ndctl: shard %d at %s did not answer\n", shard,
		    url);
		nng_close(s);
		goto out;
	}
	nng_close(s);
	br = nd__shard_batch_reply__unpack(NULL, rlen, rep);
	if (br != NULL && br->n_replies == 1) {
		out = nd__shard_reply__unpack(NULL, br->replies[0].len,
		    br->replies[0].data);
	}
	if (br != NULL) {
		nd__shard_batch_reply__free_unpacked(br, NULL);
	}
	nng_free(rep, rlen);
out:
	free(item.data);
	free(buf);
	return (out);
}

static int
ctl_register_usage(void)
{
	fprintf(stderr,
	    "usage: ndctl register ADDRESS RACE CAPTAIN_NAME [--class NAME]"
	    " [--skill A|B] [--premium]\n"
	    "  RACE: ironveld vaelthir korrath sylvaeth ashborn breathborn\n"
	    "  class: warlord archmage highpriest shadowmaster merchantprince"
	    " beastlord (default warlord)\n");
	return (2);
}

int
ctl_register(int argc, char **argv)
{
	Nd__ShardRequest rq = ND__SHARD_REQUEST__INIT;
	Nd__RegisterPlayer g = ND__REGISTER_PLAYER__INIT;
	Nd__ShardReply  *rep;
	char             addr[43];
	long             shards;
	int              race, cls = 0, skill = 0, rv;
	json_t          *o;
	char            *s;

	if (argc >= 3 && strncmp(argv[2], "0X", 2) == 0) {
		argv[2][1] = 'x'; /* operators may type the prefix in capitals */
	}
	if (argc < 5 || !cm_eth_addr_normalize(argv[2], strlen(argv[2]), addr) ||
	    (race = cm_race_index(argv[3])) < 0) {
		return (ctl_register_usage());
	}
	g.premium = false;
	for (int i = 5; i < argc; i++) {
		if (strcmp(argv[i], "--premium") == 0) {
			g.premium = true;
		} else if (strcmp(argv[i], "--class") == 0 && i + 1 < argc &&
		           (cls = cm_class_index(argv[i + 1])) >= 0) {
			i++;
		} else if (strcmp(argv[i], "--skill") == 0 && i + 1 < argc &&
		           (strcmp(argv[i + 1], "A") == 0 ||
		               strcmp(argv[i + 1], "B") == 0)) {
			skill = argv[++i][0] == 'B';
		} else {
			return (ctl_register_usage());
		}
	}
	if (cm_env_long("SHARD_COUNT", 4, 1, 4096, &shards)) {
		return (2);
	}
	g.address         = addr;
	g.captain_name    = argv[4];
	g.race            = (uint32_t) race;
	g.captain_class   = (uint32_t) cls;
	g.captain_skill   = (uint32_t) skill;
	rq.request_id     = 1;
	rq.body_case      = ND__SHARD_REQUEST__BODY_REGISTER_PLAYER;
	rq.register_player = &g;
	rep = ctl_call(cm_owner_shard_of_id(addr, 42, (int) shards), &rq);
	if (rep == NULL) {
		return (2);
	}
	if (rep->error != NULL) {
		o = json_pack("{s:{s:s,s:s}}", "error", "code", rep->error->code,
		    "message", rep->error->message);
		rv = 1;
	} else {
		json_t *plots = json_array();

		for (size_t i = 0; i < rep->registered->n_plots; i++) {
			json_array_append_new(plots,
			    json_pack("{s:i,s:i}", "x",
			        rep->registered->plots[i]->x, "y",
			        rep->registered->plots[i]->y));
		}
		o = json_pack("{s:s,s:b,s:i,s:o,s:I}", "address", addr,
		    "created", rep->registered->created, "shard",
		    (int) rep->shard, "plots", plots, "armyId",
		    (json_int_t) rep->registered->army_id);
		rv = 0;
	}
	s = json_dumps(o, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(o);
	nd__shard_reply__free_unpacked(rep, NULL);
	return (rv);
}

PGconn *
ctl_pg(void)
{
	PGconn *pg;

	if (cm_pg_connect(cm_env_str("DATABASE_URL",
	                      "postgresql://nd@127.0.0.1:17432/nd"),
	        5, &pg) != CM_OK) {
		fprintf(stderr, "ndctl: cannot connect to PostgreSQL\n");
		return (NULL);
	}
	return (pg);
}

/* ctl_generation_arg parses --seed N or --days N at argv[i]. */
static bool
ctl_generation_arg(char **argv, int i, uint64_t *seed, bool *seeded,
    long *days)
{
	long v;

	if (strcmp(argv[i], "--seed") == 0 &&
	    cm_parse_long(argv[i + 1], strlen(argv[i + 1]), 0, INT64_MAX, &v) ==
	        CM_OK) {
		*seed   = (uint64_t) v;
		*seeded = true;
		return (true);
	}
	if (strcmp(argv[i], "--days") == 0 &&
	    cm_parse_long(argv[i + 1], strlen(argv[i + 1]), 1, 100000, &v) ==
	        CM_OK) {
		*days = v;
		return (true);
	}
	return (false);
}

int
ctl_generation(int argc, char **argv)
{
	PGconn  *pg;
	long     w, h, days, scale;
	uint64_t seed = 0;
	uint32_t id;
	cm_err   rv;
	bool     start = argc >= 3 && strcmp(argv[2], "start") == 0;
	bool     seeded = false, ok = argc >= 3 &&
	    (start || (strcmp(argv[2], "end") == 0 && argc == 3));

	/* The generation's length in game days: the rules' unless the
	 * deployment (ND_GENERATION_DAYS, as the shards) or --days says. */
	if (cm_env_long("MAP_WIDTH", 100, 1, 4096, &w) ||
	    cm_env_long("MAP_HEIGHT", 100, 1, 4096, &h) ||
	    cm_env_long("ND_TIME_SCALE", 1, 1, 86400, &scale) ||
	    cm_env_long("ND_GENERATION_DAYS",
	        cm_rules_generation()->length_days, 1, 100000, &days)) {
		return (2);
	}
	for (int i = 3; ok && i < argc; i += 2) {
		ok = i + 1 < argc &&
		    ctl_generation_arg(argv, i, &seed, &seeded, &days);
	}
	if (!ok) {
		fprintf(stderr, "usage: ndctl generation start [--seed N]"
		                " [--days N] | end\n"
		                "  (--seed 0..2^63-1, --days 1..100000)\n");
		return (2);
	}
	if (!seeded) {
		randombytes_buf(&seed, sizeof(seed));
		seed &= INT64_MAX;
	}
	if ((pg = ctl_pg()) == NULL) {
		return (2);
	}
	rv = start ? cm_generation_start(pg, seed, (int) w, (int) h,
	                 cm_generation_length_ms((int) days, scale), &id)
	           : cm_generation_end(pg, &id);
	PQfinish(pg);
	if (rv == CM_ENOENT) {
		fprintf(stderr, "ndctl: no generation is open\n");
		return (1);
	}
	if (rv != CM_OK) {
		fprintf(stderr, "ndctl: the generation could not be changed\n");
		return (2);
	}
	printf("{\"generation\":%u,\"%s\":true}\n", id,
	    start ? "started" : "ended");
	return (0);
}
