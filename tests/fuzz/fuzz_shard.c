/*
 * fuzz_shard.c: a shard's request handling on arbitrary bytes, as a
 * gateway's ShardBatch.  Whatever comes in, the answer must decode as a
 * ShardBatchReply with one reply per request, or be empty when the batch
 * itself does not decode.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../shard/shard_world.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static shard_world  *w;
	static cm_metrics   *m;
	Nd__ShardBatch      *in;
	Nd__ShardBatchReply *out;
	uint8_t             *rep;
	size_t               rlen;
	cm_layout            l;

	if (w == NULL) {
		cm_log_init("fuzz", -1);
		m = cm_metrics_new();
		if (cm_layout_init(&l, 100, 100, 4) != CM_OK ||
		    shard_world_new(&l, 0, 1, 1, 0, m, &w) != CM_OK) {
			abort();
		}
	}
	shard_world_handle_batch(w, data, size, &rep, &rlen);
	in = nd__shard_batch__unpack(NULL, size, data);
	if (in == NULL) {
		if (rlen != 0) {
			abort();
		}
	} else {
		out = nd__shard_batch_reply__unpack(NULL, rlen, rep);
		if (out == NULL || out->n_replies != in->n_requests) {
			abort();
		}
		nd__shard_batch_reply__free_unpacked(out, NULL);
		nd__shard_batch__free_unpacked(in, NULL);
	}
	free(rep);
	return (0);
}
