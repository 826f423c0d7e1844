/*
 * gw_fake.h: the gateway's route logic without its servers, for unit
 * tests.  It includes the real files of the fans, checks and routes, and
 * stands in for the three things they talk to:
 *
 *   gw_http   a request object that records its answer (status, JSON
 *             body, headers) and runs continuations at once;
 *   gw_shard  a client that records every call; the test then answers
 *             call i (fake_answer), refuses it (fake_refuse) or fails it
 *             (fake_fail), in any order, as nng threads would;
 *   gw_ops    no Redis (gw_ops_redis returns NULL: no location hints).
 *
 * One test binary includes this once.  fake_reset() frees everything, so
 * the tests run clean under ASan and valgrind.
 */
#ifndef GW_FAKE_H
#define GW_FAKE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../gateway/gw_parse.c"
#include "../../../gateway/gw_render.c"
#include "../../../gateway/gw_mpack.c"
#include "../../../gateway/gw_scatter.c"
#include "../../../gateway/gw_locate.c"
#include "../../../gateway/gw_game.c"
#include "../../../gateway/gw_map.c"
#include "../../../gateway/gw_leaderboard.c"
#include "../../../gateway/gw_player.c"
#include "../../../gateway/gw_army.c"
#include "../../../gateway/gw_combat.c"
#include "../../../gateway/gw_spell.c"
#include "../../../gateway/gw_alliance.c"

#define FAKE_MAX_CALLS 64
#define FAKE_MAX_REQS  8

struct gw_req {
	gw_app     *app;
	char        player[43];
	char        params[4][64];
	const char *body;
	const char *query[4][2];
	int         nquery;
	unsigned    status;
	json_t     *answer;
	char        hdr[4][2][64];
	int         nhdr;
	int         deferred, resumed, continued;
};

typedef struct fake_call {
	int         shard;
	uint8_t    *req;
	size_t      len;
	gw_shard_cb cb;
	void       *arg;
	int         ended;
} fake_call;

static gw_app    fake_app;
static fake_call fake_calls[FAKE_MAX_CALLS];
static int       fake_ncalls;
static int       fake_nshards = 4;
static int       fake_full    = -1; /* a shard whose queue is full */
static uint64_t  fake_id;
static gw_req   *fake_reqs[FAKE_MAX_REQS];
static int       fake_nreqs;

/* ---- gw_shard ---- */

int
gw_shard_count(const gw_shard *s)
{
	(void) s;
	return (fake_nshards);
}

uint64_t
gw_shard_next_id(gw_shard *s)
{
	(void) s;
	return (++fake_id);
}

cm_err
gw_shard_call(gw_shard *s, int index, const uint8_t *req, size_t len,
    gw_shard_cb cb, void *arg)
{
	fake_call *c;

	(void) s;
	assert_true(index >= 0 && index < fake_nshards);
	if (index == fake_full) {
		return (CM_ENOMEM);
	}
	assert_true(fake_ncalls < FAKE_MAX_CALLS);
	c        = &fake_calls[fake_ncalls++];
	c->shard = index;
	c->req   = cm_malloc(len);
	memcpy(c->req, req, len);
	c->len   = len;
	c->cb    = cb;
	c->arg   = arg;
	c->ended = 0;
	return (CM_OK);
}

/* ---- gw_ops ---- */

cm_redis *
gw_ops_redis(gw_app *app)
{
	(void) app;
	return (NULL);
}

/* ---- gw_http ---- */

gw_app *
gw_req_app(gw_req *r)
{
	return (r->app);
}

const char *
gw_req_body(gw_req *r, size_t *len)
{
	*len = r->body != NULL ? strlen(r->body) : 0;
	return (r->body != NULL ? r->body : "");
}

json_t *
gw_req_json(gw_req *r, const char *const *fields)
{
	const char *code;
	char        msg[128];
	size_t      len;
	const char *b = gw_req_body(r, &len);
	json_t     *o = gw_parse_body(b, len, fields, &code, msg, sizeof(msg));

	if (o == NULL) {
		gw_req_error(r, 400, code, msg);
	}
	return (o);
}

const char *
gw_req_header(gw_req *r, const char *name)
{
	(void) r;
	(void) name;
	return (NULL);
}

const char *
gw_req_path(gw_req *r)
{
	(void) r;
	return ("/");
}

const char *
gw_req_param(gw_req *r, int i)
{
	return (i >= 0 && i < 4 ? r->params[i] : "");
}

bool
gw_req_param_id(gw_req *r, int i, uint64_t *id)
{
	if (!gw_parse_id(gw_req_param(r, i), id)) {
		gw_req_error(r, 400, "INVALID_ID", "bad id");
		return (false);
	}
	return (true);
}

const char *
gw_req_player(gw_req *r)
{
	return (r->player);
}

/* ---- gw_ratelimit: records the limit charged; refuses when told ---- */

static char fake_limit[32];  /* the last limit charged */
static int  fake_limit_deny; /* answer 429 instead */

bool
gw_req_limit(gw_req *r, const char *name)
{
	snprintf(fake_limit, sizeof(fake_limit), "%s", name);
	if (fake_limit_deny) {
		gw_req_error(r, 429, "RATE_LIMITED", "over the limit");
		return (false);
	}
	return (true);
}

int
gw_req_query(gw_req *r, const char *name, const char **value)
{
	int n = 0;

	*value = NULL;
	for (int i = 0; i < r->nquery; i++) {
		if (strcmp(r->query[i][0], name) == 0 && n++ == 0) {
			*value = r->query[i][1];
		}
	}
	return (n);
}

void
gw_req_reply(gw_req *r, unsigned status, json_t *body)
{
	assert_int_equal(r->status, 0); /* answered once */
	r->status = body != NULL ? status : 500;
	r->answer = body;
}

void
gw_req_reply_raw(gw_req *r, unsigned status, const char *ctype,
    const char *body, size_t len)
{
	(void) ctype;
	gw_req_reply(r, status, json_loadb(body, len, 0, NULL));
}

void
gw_req_error(gw_req *r, unsigned status, const char *code, const char *message)
{
	gw_req_reply(r, status,
	    json_pack("{s:{s:s,s:s}}", "error", "code", code, "message",
	        message));
}

void
gw_req_set_header(gw_req *r, const char *name, const char *value)
{
	assert_true(r->nhdr < 4);
	snprintf(r->hdr[r->nhdr][0], 64, "%s", name);
	snprintf(r->hdr[r->nhdr][1], 64, "%s", value);
	r->nhdr++;
}

void
gw_req_defer(gw_req *r)
{
	r->deferred++;
}

void
gw_req_resume(gw_req *r)
{
	r->resumed++;
}

void
gw_req_continue(gw_req *r, void (*fn)(gw_req *r, void *arg), void *arg,
    void (*drop)(void *arg))
{
	(void) drop;
	r->continued++;
	fn(r, arg);
}

/* ---- the test's side (inline: each test uses some) ---- */

/* fake_setup makes the application: nshards shards on a w x h map. */
static inline void
fake_setup(int nshards, int w, int h)
{
	memset(&fake_app, 0, sizeof(fake_app));
	assert_int_equal(cm_layout_init(&fake_app.layout, w, h, nshards),
	    CM_OK);
	fake_nshards    = nshards;
	fake_full       = -1;
	fake_app.shards = (gw_shard *) &fake_nshards; /* never dereferenced */
	fake_app.maps   = gw_maps_new();
}

/* fake_req makes a request: signed in as player ("" for nobody). */
static inline gw_req *
fake_req(const char *player, const char *body)
{
	gw_req *r = cm_calloc(1, sizeof(*r));

	assert_true(fake_nreqs < FAKE_MAX_REQS);
	r->app  = &fake_app;
	r->body = body;
	snprintf(r->player, sizeof(r->player), "%s", player);
	fake_reqs[fake_nreqs++] = r;
	return (r);
}

static inline void
fake_param(gw_req *r, int i, const char *v)
{
	snprintf(r->params[i], sizeof(r->params[i]), "%s", v);
}

static inline void
fake_query(gw_req *r, const char *name, const char *value)
{
	r->query[r->nquery][0] = name;
	r->query[r->nquery][1] = value;
	r->nquery++;
}

/* fake_request decodes call i (free with fake_request_free). */
static inline Nd__ShardRequest *
fake_request(int i)
{
	Nd__ShardRequest *q;

	assert_true(i < fake_ncalls);
	q = nd__shard_request__unpack(NULL, fake_calls[i].len,
	    fake_calls[i].req);
	assert_non_null(q);
	return (q);
}

static inline void
fake_request_free(Nd__ShardRequest *q)
{
	nd__shard_request__free_unpacked(q, NULL);
}

static inline void
fake_end(int i, cm_err err, const uint8_t *b, size_t len)
{
	assert_true(i < fake_ncalls);
	assert_false(fake_calls[i].ended);
	fake_calls[i].ended = 1;
	fake_calls[i].cb(fake_calls[i].arg, err, b, len);
}

/* fake_answer delivers rep (its request_id and shard filled in). */
static inline void
fake_answer(int i, Nd__ShardReply *rep)
{
	Nd__ShardRequest *q = fake_request(i);
	uint8_t          *b;
	size_t            len;

	rep->request_id = q->request_id;
	rep->shard      = (uint32_t) fake_calls[i].shard;
	fake_request_free(q);
	len = nd__shard_reply__get_packed_size(rep);
	b   = cm_malloc(len + 1);
	nd__shard_reply__pack(rep, b);
	fake_end(i, CM_OK, b, len);
	free(b);
}

/* fake_refuse answers call i with an error. */
static inline void
fake_refuse(int i, const char *code, unsigned status)
{
	Nd__ShardReply rep = ND__SHARD_REPLY__INIT;
	Nd__ShardError e   = ND__SHARD_ERROR__INIT;

	e.code        = (char *) code;
	e.message     = (char *) "refused";
	e.http_status = status;
	rep.error     = &e;
	fake_answer(i, &rep);
}

/* fake_fail ends call i in transport failure. */
static inline void
fake_fail(int i, cm_err err)
{
	fake_end(i, err, NULL, 0);
}

static inline const char *
fake_code(const gw_req *r)
{
	json_t *e = json_object_get(r->answer, "error");

	return (
	    e != NULL ? json_string_value(json_object_get(e, "code")) : NULL);
}

static inline const char *
fake_header(const gw_req *r, const char *name)
{
	for (int i = 0; i < r->nhdr; i++) {
		if (strcmp(r->hdr[i][0], name) == 0) {
			return (r->hdr[i][1]);
		}
	}
	return (NULL);
}

/* fake_done asserts that r was answered with status, once resumed. */
static inline void
fake_done(const gw_req *r, unsigned status)
{
	assert_int_equal(r->status, status);
	assert_int_equal(r->deferred, 1);
	assert_int_equal(r->resumed + r->continued, 1);
}

/* fake_reset frees every request, call and the map cache. */
static inline void
fake_reset(void)
{
	for (int i = 0; i < fake_ncalls; i++) {
		free(fake_calls[i].req);
	}
	fake_ncalls     = 0;
	fake_limit[0]   = '\0';
	fake_limit_deny = 0;
	for (int i = 0; i < fake_nreqs; i++) {
		json_decref(fake_reqs[i]->answer);
		free(fake_reqs[i]);
	}
	fake_nreqs = 0;
	gw_maps_free(fake_app.maps);
	fake_app.maps = NULL;
}

static inline int
fake_test_setup(void **state)
{
	(void) state;
	fake_setup(4, 100, 100);
	return (0);
}

static inline int
fake_test_teardown(void **state)
{
	(void) state;
	fake_reset();
	return (0);
}

/* T declares a test that runs between fake_test_setup and _teardown. */
#define T(f) \
	cmocka_unit_test_setup_teardown(f, fake_test_setup, fake_test_teardown)

#endif
