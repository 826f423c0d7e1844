/*
 * gw_scatter.h: the one way a REST request talks to shards.
 *
 * A fan is the set of shard calls made for one REST request: one call
 * (a tile's shard, a player's home shard), one per shard (a scatter), or
 * a mix (the map asks one shard for the generation and every shard for
 * ownership).  Every call carries the shard client's deadline; the fan
 * waits until each call has ended (answered, refused, timed out, broken)
 * and only then runs its completion, which sees every outcome at once:
 * merges never see partial answers.
 *
 * Usage: gw_fan_new, gw_fan_pack each distinct request, gw_fan_add (or
 * gw_fan_add_all) its calls, then gw_fan_send, which defers the REST
 * request; the completion answers it.  gw_forward and gw_scatter are the
 * two common shapes in one call.
 */
#ifndef GW_SCATTER_H
#define GW_SCATTER_H

#include <stdbool.h>

#include "gw_http.h"
#include "shard.pb-c.h"

/* The outcome of one call of a fan. */
typedef struct gw_part {
	int             shard; /* the shard asked (the last one tried) */
	cm_err          err;   /* CM_OK when rep is set */
	Nd__ShardReply *rep;   /* the decoded reply (it may be a refusal) */
} gw_part;

typedef struct gw_fan gw_fan;

/*
 * gw_fan_fn is a fan's completion: it runs once every call has ended, on
 * an nng thread (or on an HTTP thread with GW_FAN_HTTP), and answers r,
 * or (nng thread only) re-sends the fan with gw_fan_again.
 */
typedef void (*gw_fan_fn)(gw_req *r, gw_fan *f);

/*
 * gw_render_fn answers r from one good reply (no error, the expected
 * body); gw_merge_fn from n good replies, one per shard in shard order.
 * ctx is the fan's (gw_fan_set_ctx), NULL if none.
 */
typedef void (*gw_render_fn)(gw_req *r, const Nd__ShardReply *rep, void *ctx);
typedef void (
    *gw_merge_fn)(gw_req *r, Nd__ShardReply *const *reps, int n, void *ctx);

/* gw_fan_new makes an empty fan for r whose completion is done. */
gw_fan *gw_fan_new(gw_req *r, gw_fan_fn done);

/*
 * gw_fan_set_ctx gives f the route's state ctx, freed with drop (may be
 * NULL) when f ends.
 */
void gw_fan_set_ctx(gw_fan *f, void *ctx, void (*drop)(void *));

/* gw_fan_ctx returns the state given to gw_fan_set_ctx, or NULL. */
void *gw_fan_ctx(const gw_fan *f);

/* gw_fan_req returns the REST request f was made for. */
gw_req *gw_fan_req(const gw_fan *f);

/*
 * gw_fan_pack stamps rq with a fresh request id and the request's player
 * and packs it into f (rq may be freed afterwards).  Returns its index for
 * gw_fan_add (at most 2 requests per fan).
 */
int gw_fan_pack(gw_fan *f, Nd__ShardRequest *rq);

/*
 * gw_fan_add adds a call of packed request req to shard.  With tries > 1,
 * a call that fails in transport (down, silent, overloaded) is re-sent to
 * the next shard, up to tries shards in all.
 */
void gw_fan_add(gw_fan *f, int req, int shard, int tries);

/* gw_fan_add_all adds a call of req to every shard, in shard order. */
void gw_fan_add_all(gw_fan *f, int req);

/* Flags of gw_fan_send. */
#define GW_FAN_HTTP 1 /* run the completion on an HTTP thread */

/*
 * gw_fan_send defers the REST request (the first time) and makes every
 * call.  The completion may run before this returns.  f belongs to the
 * fan machinery from here on: it is freed after its completion.
 */
void gw_fan_send(gw_fan *f, int flags);

/*
 * gw_fan_again, from a completion on an nng thread, drops f's calls and
 * their outcomes (its packed requests stay) so that the completion can
 * add calls and gw_fan_send again instead of answering.
 */
void gw_fan_again(gw_fan *f);

/* gw_fan_count returns the number of calls; gw_fan_part one outcome. */
int            gw_fan_count(const gw_fan *f);
const gw_part *gw_fan_part(const gw_fan *f, int i);

/*
 * gw_fan_check checks the calls first..first+n-1: each must have been
 * answered, without refusal, with body case want (0: any).  Returns true,
 * or false after answering r: 503 SHARD_UNAVAILABLE or OVERLOADED (with
 * Retry-After: 1) when a call failed in transport, 502 BAD_SHARD_REPLY
 * when a reply did not decode or has the wrong body, else the first
 * refusal as the shard wrote it.  Transport failures take precedence.
 */
bool gw_fan_check(gw_req *r, const gw_fan *f, int first, int n, int want);

/*
 * gw_part_refused tells whether p is a shard's refusal with error code
 * code.
 */
bool gw_part_refused(const gw_part *p, const char *code);

/*
 * gw_fan_shard_header sets X-Shard: the shard's index, or "all" when
 * shard < 0 (an answer merged from every shard).
 */
void gw_fan_shard_header(gw_req *r, int shard);

/*
 * gw_forward sends rq to shard and answers with render once it replies
 * with body want; anything else is answered by gw_fan_check's rules.
 */
void gw_forward(gw_req *r, Nd__ShardRequest *rq, int shard, int want,
    gw_render_fn render);

/*
 * gw_scatter sends rq to every shard and answers with merge once all of
 * them replied with body want (no partial answers).  ctx is given to
 * merge and freed with drop (may be NULL) at the end.
 */
void gw_scatter(gw_req *r, Nd__ShardRequest *rq, int want, gw_merge_fn merge,
    void *ctx, void (*drop)(void *));

/*
 * gw_fan_render and gw_fan_merge make f's completion the one of
 * gw_forward (its first call) and gw_scatter (all its calls), for fans
 * built by hand (a fallback shard, a context, an HTTP thread).
 */
void gw_fan_render(gw_fan *f, int want, gw_render_fn render);
void gw_fan_merge(gw_fan *f, int want, gw_merge_fn merge);

/*
 * gw_reply_rendered answers r with body, or 502 BAD_SHARD_REPLY when body
 * is NULL (a reply whose content cannot be shown).
 */
void gw_reply_rendered(gw_req *r, unsigned status, json_t *body);

/*
 * gw_reply_valid tells whether every string of a decoded reply is valid
 * UTF-8, which the JSON answers need.  A reply that is not is treated as
 * one that does not decode.
 */
bool gw_reply_valid(const ProtobufCMessage *m);

#endif
