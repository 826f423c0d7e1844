/* shard_player_sync.c: battles' changes to players homed elsewhere
 * (shard_player_sync.h). */
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
shard_player_sync_snap(const sh_player *p, sh_psync_snap *s)
{
	s->captain_dead     = p->captain_dead;
	s->wounded_until_ms = p->captain_wounded_until_ms;
	s->frenzy_until_ms  = p->frenzy_until_ms;
	s->points           = p->points;
	s->captain_army     = p->captain_army;
}

void
shard_player_sync_after(shard_world *w, sh_player *p,
    const sh_psync_snap *before)
{
	sh_psync m;

	if (p == NULL || p->home) {
		return; /* its own marks carry it */
	}
	memset(&m, 0, sizeof(m));
	m.captain_dead = p->captain_dead && !before->captain_dead;
	m.wounded_until_ms = p->captain_wounded_until_ms >
	        before->wounded_until_ms
	    ? p->captain_wounded_until_ms
	    : 0;
	m.frenzy_until_ms = p->frenzy_until_ms > before->frenzy_until_ms
	    ? p->frenzy_until_ms
	    : 0;
	m.points    = p->points - before->points;
	m.army_gone = before->captain_army != 0 && p->captain_army == 0
	    ? before->captain_army
	    : 0;
	if (!m.captain_dead && m.wounded_until_ms == 0 &&
	    m.frenzy_until_ms == 0 && m.points == 0 && m.army_gone == 0) {
		return;
	}
	m.generation = w->gen.id;
	m.from       = w->index;
	m.to         = cm_owner_shard_of_id(p->address, strlen(p->address),
	            w->layout.shards);
	m.id         = shard_next_id(w);
	snprintf(m.player, sizeof(m.player), "%s", p->address);
	shard_mark_psync(w, &m);
}

void
shard_player_sync_encode(const sh_psync *m, msgpack_sbuffer *out)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 11);
	sh_pack_str(&pk, "p1");
	msgpack_pack_uint32(&pk, m->generation);
	msgpack_pack_int(&pk, m->from);
	msgpack_pack_int(&pk, m->to);
	msgpack_pack_uint64(&pk, m->id);
	sh_pack_str(&pk, m->player);
	if (m->captain_dead) {
		msgpack_pack_true(&pk);
	} else {
		msgpack_pack_false(&pk);
	}
	msgpack_pack_int64(&pk, m->wounded_until_ms);
	msgpack_pack_int64(&pk, m->frenzy_until_ms);
	msgpack_pack_int64(&pk, m->points);
	msgpack_pack_uint64(&pk, m->army_gone);
}

bool
shard_player_sync_decode(const char *buf, size_t len, sh_psync *m)
{
	msgpack_unpacked      u;
	const msgpack_object *f;
	size_t                off = 0;
	uint64_t              v[8] = { 0 };
	bool                  ok  = false;

	memset(m, 0, sizeof(m[0]));
	if (len > 512) {
		return (false);
	}
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, buf, len, &off) == MSGPACK_UNPACK_SUCCESS &&
	    off == len && u.data.type == MSGPACK_OBJECT_ARRAY &&
	    u.data.via.array.size == 11) {
		f  = u.data.via.array.ptr;
		ok = f[0].type == MSGPACK_OBJECT_STR && f[0].via.str.size == 2 &&
		    memcmp(f[0].via.str.ptr, "p1", 2) == 0 &&
		    sh_obj_uint(&f[1], UINT32_MAX, &v[0]) && v[0] > 0 &&
		    sh_obj_uint(&f[2], 65535, &v[1]) && sh_obj_uint(&f[3], 65535, &v[2]) &&
		    sh_obj_uint(&f[4], UINT64_MAX, &v[3]) && v[3] > 0 &&
		    f[5].type == MSGPACK_OBJECT_STR &&
		    f[5].via.str.size == SH_ADDR_LEN &&
		    f[6].type == MSGPACK_OBJECT_BOOLEAN &&
		    sh_obj_uint(&f[7], INT64_MAX, &v[4]) && sh_obj_uint(&f[8], INT64_MAX, &v[5]) &&
		    sh_obj_uint(&f[9], INT64_MAX, &v[6]) && sh_obj_uint(&f[10], UINT64_MAX, &v[7]);
		if (ok) {
			m->generation = (uint32_t) v[0];
			m->from       = (int) v[1];
			m->to         = (int) v[2];
			m->id         = v[3];
			memcpy(m->player, f[5].via.str.ptr, SH_ADDR_LEN);
			m->player[SH_ADDR_LEN] = '\0';
			m->captain_dead        = f[6].via.boolean;
			m->wounded_until_ms    = (int64_t) v[4];
			m->frenzy_until_ms     = (int64_t) v[5];
			m->points              = (int64_t) v[6];
			m->army_gone           = v[7];
			/* An address of lower-case hex only. */
			for (int i = 2; i < SH_ADDR_LEN && ok; i++) {
				char c = m->player[i];

				ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
			}
			ok = ok && memcmp(m->player, "0x", 2) == 0;
		}
	}
	msgpack_unpacked_destroy(&u);
	return (ok);
}

static void
psync_send(shard_world *w, const sh_psync *m)
{
	msgpack_sbuffer sb;

	msgpack_sbuffer_init(&sb);
	shard_player_sync_encode(m, &sb);
	shard_channel_publish(w, m->to, &sb);
	msgpack_sbuffer_destroy(&sb);
}

void
shard_player_sync_publish(shard_world *w, const sh_group *g)
{
	for (uint32_t i = 0; i < g->npsyncs; i++) {
		psync_send(w, &g->psyncs[i]);
	}
}

void
shard_player_sync_receive(shard_world *w, const sh_psync *m)
{
	sh_player *p;

	if (m->generation != w->gen.id || m->to != w->index ||
	    cm_table_get_u64(w->psync_seen, m->id) != NULL ||
	    (p = cm_table_get_str(w->players, m->player)) == NULL ||
	    !p->home) {
		return; /* not ours, or seen */
	}
	cm_table_put_u64(w->psync_seen, m->id, (void *) (uintptr_t) 1);
	if (m->captain_dead) {
		p->captain_dead = true;
		p->captain_army = 0;
	}
	if (m->army_gone != 0 && p->captain_army == m->army_gone) {
		p->captain_army = 0;
	}
	if (m->wounded_until_ms > p->captain_wounded_until_ms) {
		p->captain_wounded_until_ms = m->wounded_until_ms;
	}
	if (m->frenzy_until_ms > p->frenzy_until_ms) {
		p->frenzy_until_ms = m->frenzy_until_ms;
	}
	p->points += m->points;
	shard_mark_player(w, p);
	shard_mark_psync_done(w, m->id);
}

void
shard_player_sync_sweep(shard_world *w)
{
	PGresult *r = shard_unacked_rows(w,
	    "id, player, to_shard, coalesce((payload->>'captainDead')"
	    "::BOOLEAN, false), coalesce((payload->>'woundedUntil')::BIGINT, 0),"
	    " coalesce((payload->>'frenzyUntil')::BIGINT, 0),"
	    " coalesce((payload->>'points')::BIGINT, 0),"
	    " coalesce((payload->>'armyGone')::BIGINT, 0)",
	    "player_syncs");

	if (r != NULL) {
		for (int i = 0; i < PQntuples(r); i++) {
			sh_psync m = { .generation = w->gen.id, .from = w->index };

			m.id = strtoull(PQgetvalue(r, i, 0), NULL, 10);
			snprintf(m.player, sizeof(m.player), "%s",
			    PQgetvalue(r, i, 1));
			m.to           = (int) strtol(PQgetvalue(r, i, 2), NULL, 10);
			m.captain_dead = PQgetvalue(r, i, 3)[0] == 't';
			m.wounded_until_ms = strtoll(PQgetvalue(r, i, 4), NULL, 10);
			m.frenzy_until_ms  = strtoll(PQgetvalue(r, i, 5), NULL, 10);
			m.points           = strtoll(PQgetvalue(r, i, 6), NULL, 10);
			m.army_gone = strtoull(PQgetvalue(r, i, 7), NULL, 10);
			psync_send(w, &m);
		}
	}
	PQclear(r);
}
