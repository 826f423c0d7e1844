/*
 * shard_timers.c: what happens later.  Timers live in PostgreSQL (a row
 * each, written with the action that set them) and in a min-heap here;
 * the shard fires the due ones once a second, each in the group commit
 * that deletes its row, so a restarted shard fires what came due while it
 * was down, and a timer fires exactly once.
 */
#include <jansson.h>
#include <string.h>

#include "cm_log.h"
#include "shard_state.h"

static void
fire_arrival(shard_world *w, const sh_timer *t, int64_t now)
{
	sh_army   *a = cm_table_get_u64(w->armies, t->entity);
	sh_combat *c;

	if (a == NULL) {
		return;
	}
	if (a->status == SH_MOVING) {
		a->status = SH_IDLE;
		shard_army_place(w, a, a->dx, a->dy);
		shard_mark_army(w, a->id);
		shard_event(w, "army_arrived", a->owner->address, a->x, a->y,
		    json_pack("{s:I}", "armyId", (json_int_t) a->id));
	} else if (a->status == SH_COMBAT &&
	           (c = cm_table_get_u64(w->combats, a->combat_id)) != NULL &&
	           strcmp(c->status, "revealed") == 0) {
		shard_combat_resolve(w, c, now);
	}
}

static void
fire_deadline(shard_world *w, const sh_timer *t)
{
	sh_combat *c = cm_table_get_u64(w->combats, t->entity);
	sh_army   *a;

	if (c == NULL || strcmp(c->status, "pending") != 0) {
		return;
	}
	/* Never revealed: the attacker forfeits; the army stays home. */
	snprintf(c->status, sizeof(c->status), "expired");
	shard_mark_combat(w, c);
	if ((a = cm_table_get_u64(w->armies, c->army_id)) != NULL &&
	    a->status == SH_COMBAT) {
		a->status    = SH_IDLE;
		a->combat_id = 0;
		shard_mark_army(w, a->id);
	}
	shard_event(w, "combat_expired", c->attacker, c->x, c->y,
	    json_pack("{s:I}", "combatId", (json_int_t) c->id));
}

void
shard_timers_fire(shard_world *w, int64_t now)
{
	static const char *const kinds[] = { "army_arrival", "building",
		"combat_deadline" };
	sh_timer t;

	if (!shard_can_write(w)) {
		return; /* they wait for the store: nothing is lost */
	}
	while (shard_timer_pop(w, now, &t)) {
		switch (t.kind) {
		case SH_T_ARRIVAL:
			fire_arrival(w, &t, now);
			break;
		case SH_T_BUILDING: {
			sh_tile *tile = shard_tile(w, t.x, t.y);

			shard_event(w, "building_completed",
			    tile && tile->owner ? tile->owner->address : NULL,
			    t.x, t.y,
			    json_pack("{s:I}", "buildingId",
			        (json_int_t) t.entity));
			break;
		}
		case SH_T_COMBAT_DEADLINE:
			fire_deadline(w, &t);
			break;
		default:
			cm_log_warn("unknown timer kind", "{s:i}", "kind",
			    (int) t.kind);
		}
		shard_mark_timer_done(w, t.id);
		cm_metric_inc(w->m_timers, kinds[t.kind < 3 ? t.kind : 0], 1);
	}
}
