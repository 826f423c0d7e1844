/* shard_handoff.c: armies handed between shards (shard_handoff.h). */
#include <jansson.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_log.h"
#include "cm_time.h"
#include "shard_handoff.h"
#include "shard_persist.h"
#include "shard_player_sync.h"
#include "shard_replica.h"

void
shard_handoff_channel(int index, char *out, size_t cap)
{
	snprintf(out, cap, "channel:shard:%d", index);
}

void
shard_handoff_encode(const sh_ho_msg *m, msgpack_sbuffer *out)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 7);
	sh_pack_str(&pk, "h1");
	msgpack_pack_int(&pk, (int) m->kind);
	msgpack_pack_uint32(&pk, m->generation);
	msgpack_pack_int(&pk, m->from);
	msgpack_pack_int(&pk, m->to);
	msgpack_pack_uint64(&pk, m->id);
	msgpack_pack_uint64(&pk, m->army_id);
}

bool
shard_handoff_decode(const char *buf, size_t len, sh_ho_msg *m)
{
	msgpack_unpacked      u;
	const msgpack_object *f;
	size_t                off = 0;
	uint64_t              kind = 0, gen = 0, from = 0, to = 0;
	bool                  ok = false;

	memset(m, 0, sizeof(*m));
	if (len > 256) {
		return (false);
	}
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, buf, len, &off) == MSGPACK_UNPACK_SUCCESS &&
	    off == len && u.data.type == MSGPACK_OBJECT_ARRAY &&
	    u.data.via.array.size == 7) {
		f  = u.data.via.array.ptr;
		ok = f[0].type == MSGPACK_OBJECT_STR && f[0].via.str.size == 2 &&
		    memcmp(f[0].via.str.ptr, "h1", 2) == 0 &&
		    sh_obj_uint(&f[1], SH_HO_ACK, &kind) &&
		    sh_obj_uint(&f[2], UINT32_MAX, &gen) && gen > 0 &&
		    sh_obj_uint(&f[3], 65535, &from) && sh_obj_uint(&f[4], 65535, &to) &&
		    sh_obj_uint(&f[5], UINT64_MAX, &m->id) && m->id > 0 &&
		    sh_obj_uint(&f[6], UINT64_MAX, &m->army_id) && m->army_id > 0;
		m->kind       = (sh_ho_kind) kind;
		m->generation = (uint32_t) gen;
		m->from       = (int) from;
		m->to         = (int) to;
	}
	msgpack_unpacked_destroy(&u);
	return (ok);
}

void
shard_channel_publish(shard_world *w, int shard, const msgpack_sbuffer *sb)
{
	char        ch[48];
	redisReply *rep = NULL;

	shard_handoff_channel(shard, ch, sizeof(ch));
	{
		const char *argv[3] = { "PUBLISH", ch, sb->data };
		size_t      lens[3] = { 7, strlen(ch), sb->size };

		if (w->redis != NULL &&
		    cm_redis_command(w->redis, 3, argv, lens, &rep) == CM_OK) {
			freeReplyObject(rep);
		}
	}
}

/* ho_send publishes m on its recipient's channel; a failure is the sweep's
 * (a hand-off) or the next re-send's (an acknowledgement) to mend. */
static void
ho_send(shard_world *w, const sh_ho_msg *m)
{
	msgpack_sbuffer sb;

	msgpack_sbuffer_init(&sb);
	shard_handoff_encode(m, &sb);
	shard_channel_publish(w, m->kind == SH_HO_HANDOFF ? m->to : m->from,
	    &sb);
	msgpack_sbuffer_destroy(&sb);
}

/* detach takes a out of the world (its tile, its owner's list, the
 * table), standing at (x, y). */
static void
detach(shard_world *w, sh_army *a, int x, int y)
{
	shard_army_place(w, a, x, y);
	sh_vec_remove(&a->owner->armies, a->id);
	cm_table_del_u64(w->armies, a->id);
	a->garrison = false;
}

void
shard_handoff_out(shard_world *w, sh_army *a)
{
	int to = cm_layout_shard_of(&w->layout, a->dx, a->dy);

	detach(w, a, a->dx, a->dy);
	a->status     = SH_IDLE;
	a->combat_id  = 0;
	a->arrival_ms = 0;
	shard_mark_handoff(w, a, NULL, shard_next_id(w), to);
}

void
shard_handoff_battle(shard_world *w, sh_army *a, sh_combat *c)
{
	int to = cm_layout_shard_of(&w->layout, c->x, c->y);
	int ox = a->x, oy = a->y;

	/* It stands on the tile it attacks, its way home kept as its
	 * destination (the row's), and fights when it is taken over. */
	detach(w, a, c->x, c->y);
	cm_table_del_u64(w->combats, c->id);
	a->dx = (int16_t) ox;
	a->dy = (int16_t) oy;
	shard_mark_handoff(w, a, c, shard_next_id(w), to);
}

/*
 * fight resolves the battle of army a that was handed here (its arrival
 * passed, its attack revealed), and sends the survivors of a lost battle
 * home: they march back from where they came (the design's "stay where
 * they marched from").
 */
static void
fight(shard_world *w, sh_army *a, int64_t now)
{
	sh_combat *c = cm_table_get_u64(w->combats, a->combat_id);
	sh_tile   *t;
	uint64_t   id = a->id;

	if (c == NULL || strcmp(c->status, "revealed") != 0 ||
	    now < c->arrival_ms || !shard_owns_tile(w, c->x, c->y)) {
		return;
	}
	shard_combat_resolve(w, c, now);
	if ((a = cm_table_get_u64(w->armies, id)) == NULL ||
	    a->status != SH_IDLE || (t = shard_tile(w, a->x, a->y)) == NULL ||
	    t->owner == a->owner || shard_owns_tile(w, a->dx, a->dy)) {
		return;
	}
	shard_event(w, "army_arrived", a->owner->address, a->dx, a->dy,
	    json_pack("{s:I}", "armyId", (json_int_t) a->id));
	shard_handoff_out(w, a);
}

void
shard_handoff_publish(shard_world *w, const sh_group *g)
{
	for (uint32_t i = 0; i < g->nhandoffs; i++) {
		sh_ho_msg m = { SH_HO_HANDOFF, w->gen.id, w->index,
			g->handoffs[i].to, g->handoffs[i].id,
			g->handoffs[i].army->id };

		ho_send(w, &m);
	}
}

void
shard_handoff_receive(shard_world *w, const sh_ho_msg *m)
{
	sh_army *a;

	if (m->generation != w->gen.id) {
		return;
	}
	if (m->kind == SH_HO_ACK) {
		if (m->from == w->index) {
			shard_mark_handoff_done(w, m->id);
		}
		return;
	}
	if (m->to != w->index) {
		return;
	}
	if ((a = cm_table_get_u64(w->armies, m->army_id)) == NULL &&
	    (a = shard_load_army(w, m->army_id)) != NULL) {
		/* Taken over: its Redis hint names this shard after the next
		 * commit (the row itself is already right). */
		shard_mark_army(w, a->id);
		cm_log_info("army taken over", "{s:I,s:i}", "army",
		    (json_int_t) a->id, "from", m->from);
	}
	if (a == NULL) {
		/* Not on this region's land (it was, and marched on, or the
		 * row is not there yet): the sweep asks again. */
		return;
	}
	if (a->status == SH_COMBAT) {
		shard_load_combat_of(w, a);
		fight(w, a, cm_time_now_ms());
	}
	{
		sh_ho_msg ack = *m;

		ack.kind = SH_HO_ACK;
		ho_send(w, &ack);
	}
}

static void
collect_due(void *arg, void *v)
{
	shard_world *w = arg;
	sh_army     *a = v;

	if (a->status == SH_COMBAT && a->combat_id != 0) {
		sh_vec_push(&w->due, a->id);
	}
}

PGresult *
shard_unacked_rows(shard_world *w, const char *cols, const char *table)
{
	char        sql[512], gid[16], me[16], age[16];
	const char *pv[3] = { gid, me, age };
	PGresult   *r;

	snprintf(sql, sizeof(sql),
	    "SELECT %s FROM %s WHERE generation_id = $1 AND from_shard = $2"
	    " AND created_at < NOW() - $3::INTEGER * INTERVAL '1 millisecond'"
	    " ORDER BY id LIMIT 1000",
	    cols, table);
	snprintf(gid, sizeof(gid), "%u", w->gen.id);
	snprintf(me, sizeof(me), "%d", w->index);
	snprintf(age, sizeof(age), "%d", SH_HANDOFF_RESEND_MS);
	r = PQexecParams(w->pg, sql, 3, NULL, pv, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		PQclear(r);
		return (NULL);
	}
	return (r);
}

void
shard_handoff_sweep(shard_world *w, int64_t now)
{
	PGresult *r;

	if (w->pg == NULL || now - w->handoff_sweep_ms < SH_HANDOFF_RESEND_MS) {
		return;
	}
	w->handoff_sweep_ms = now;
	/* Battles handed here whose take-over did not fight them (this shard
	 * stopped first): once after a load, every army here bound to a
	 * revealed, overdue battle on this region's tile fights it now (a
	 * live take-over fights at once). */
	if (w->battles_unchecked && shard_can_write(w) &&
	    shard_ids_ready(w, 8)) {
		w->battles_unchecked = false;
		cm_table_each(w->armies, collect_due, w);
		for (uint32_t i = 0; i < w->due.n; i++) {
			sh_army *a = cm_table_get_u64(w->armies, w->due.v[i]);

			if (a != NULL && shard_ids_ready(w, 8)) {
				fight(w, a, now);
			}
		}
		w->due.n = 0;
	}
	shard_player_sync_sweep(w);
	if ((r = shard_unacked_rows(w, "id, army_id, to_shard",
	         "army_handoffs")) != NULL) {
		for (int i = 0; i < PQntuples(r); i++) {
			sh_ho_msg m = { SH_HO_HANDOFF, w->gen.id, w->index,
				(int) strtol(PQgetvalue(r, i, 2), NULL, 10),
				strtoull(PQgetvalue(r, i, 0), NULL, 10),
				strtoull(PQgetvalue(r, i, 1), NULL, 10) };

			ho_send(w, &m);
		}
	}
	PQclear(r);
}
