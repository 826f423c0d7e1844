/*
 * fuzz_shard.c: a shard's request handling on arbitrary bytes, as a
 * gateway's ShardBatch.  Every request of a batch that decodes is handed
 * to the shard's request handler; each answer must decode as a ShardReply
 * carrying the request's id (or BAD_REQUEST when the request itself does
 * not decode).  The world has no store, so no reply is ever held.
 */
#include <stdint.h>
#include <stdlib.h>

#include "cm_log.h"
#include "shard_world.h"
#include "shard.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_one(shard_world *w, const uint8_t *req, size_t len)
{
	Nd__ShardRequest *rq = nd__shard_request__unpack(NULL, len, req);
	Nd__ShardReply   *r;
	uint8_t          *rep;
	size_t            rlen;
	bool              hold;

	shard_world_handle(w, req, len, &rep, &rlen, &hold);
	r = nd__shard_reply__unpack(NULL, rlen, rep);
	if (r == NULL || hold || (rq == NULL && r->error == NULL) ||
	    (rq != NULL && r->request_id != rq->request_id)) {
		abort();
	}
	nd__shard_reply__free_unpacked(r, NULL);
	if (rq != NULL) {
		nd__shard_request__free_unpacked(rq, NULL);
	}
	free(rep);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static shard_world *w;
	static cm_metrics  *m;
	Nd__ShardBatch     *in;
	cm_layout           l;

	if (w == NULL) {
		cm_generation g = { .id = 1, .map_seed = 1, .map_w = 100,
			.map_h = 100 };

		cm_log_init("fuzz", -1);
		m = cm_metrics_new();
		if (cm_layout_init(&l, 100, 100, 4) != CM_OK ||
		    shard_world_new(&l, 0, &g, m, &w) != CM_OK) {
			abort();
		}
	}
	in = nd__shard_batch__unpack(NULL, size, data);
	if (in == NULL) {
		fuzz_one(w, data, size);
		return (0);
	}
	for (size_t i = 0; i < in->n_requests; i++) {
		fuzz_one(w, in->requests[i].data, in->requests[i].len);
	}
	nd__shard_batch__free_unpacked(in, NULL);
	return (0);
}
