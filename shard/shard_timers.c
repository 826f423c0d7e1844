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
#include "shard_economy.h"
#include "shard_handoff.h"
#include "shard_state.h"


const char *const shard_timer_kinds[SH_T_COUNT] = { "army_arrival",
	"building", "combat_deadline", "day", "training" };

/*
 * The daily tick is a timer like the others: SH_T_DAY for day d is due
 * when day d begins (start + (d - 1) game days) and runs the economy of
 * the day (shard_economy.c); firing it schedules day d + 1.  A shard that
 * was down over several boundaries fires each missed day once, in order,
 * at start (the next one is due already).  The last tick is the one that
 * ends the generation's last day (day 50 of 50: its due end): the
 * generation's last points.  A generation the operator ended early has
 * no days after its end.
 */
static void
schedule_day(shard_world *w, int day)
{
	int64_t len = shard_day_ms(w),
	        due = w->gen.start_ms + (int64_t) (day - 1) * len;

	if (day > cm_generation_days(&w->gen, len) + 1 ||
	    (w->gen.ended_ms != 0 && w->gen.ended_ms < w->gen.end_ms &&
	        due > w->gen.ended_ms)) {
		return; /* the generation is over: no more days */
	}
	shard_timer_add(w, SH_T_DAY, w->region.x0, w->region.y0,
	    (uint64_t) day, due);
	w->day_timer = true;
}

void
shard_day_timer_ensure(shard_world *w, int64_t now)
{
	int64_t len = shard_day_ms(w);

	if (w->day_timer || !shard_can_write(w) || !shard_ids_ready(w, 1) ||
	    len <= 0) {
		return;
	}
	/* The next boundary after now: day k + 1 begins k days in. */
	schedule_day(w, (int) ((now > w->gen.start_ms ? now - w->gen.start_ms
	                                              : 0) / len) + 2);
	w->day_timer = true; /* also when the generation is over */
}

/* fire_training: the army's units are trained; it may march. */
static void
fire_training(shard_world *w, const sh_timer *t)
{
	sh_army *a = cm_table_get_u64(w->armies, t->entity);

	if (a == NULL || a->status != SH_TRAINING) {
		return;
	}
	a->status = SH_IDLE;
	shard_mark_army(w, a->id);
	shard_event(w, "army_trained", a->owner->address, a->x, a->y,
	    json_pack("{s:I}", "armyId", (json_int_t) a->id));
}

static void
fire_day(shard_world *w, const sh_timer *t, int64_t now)
{
	w->day_timer = false;
	shard_economy_day(w, (int) t->entity, now);
	schedule_day(w, (int) t->entity + 1);
}

static void
fire_arrival(shard_world *w, const sh_timer *t, int64_t now)
{
	sh_army   *a = cm_table_get_u64(w->armies, t->entity);
	sh_combat *c;

	if (a == NULL || a->arrival_ms > t->due_ms) {
		return; /* gone, or delayed (Windshear): a later timer fires */
	}
	if (a->status == SH_MOVING && !shard_owns_tile(w, a->dx, a->dy)) {
		/* Arrived in another shard's region: the army is its now. */
		shard_event(w, "army_arrived", a->owner->address, a->dx, a->dy,
		    json_pack("{s:I}", "armyId", (json_int_t) a->id));
		shard_handoff_out(w, a);
	} else if (a->status == SH_MOVING) {
		a->status = SH_IDLE;
		shard_army_place(w, a, a->dx, a->dy);
		shard_mark_army(w, a->id);
		shard_event(w, "army_arrived", a->owner->address, a->x, a->y,
		    json_pack("{s:I}", "armyId", (json_int_t) a->id));
	} else if (a->status == SH_COMBAT &&
	           (c = cm_table_get_u64(w->combats, a->combat_id)) != NULL &&
	           strcmp(c->status, "revealed") == 0) {
		shard_combat_start(w, c, now);
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

bool
shard_timer_frozen(const shard_world *w, const sh_timer *t)
{
	int64_t end = w->gen.end_ms;

	if (w->gen.ended_ms != 0 && w->gen.ended_ms < end) {
		end = w->gen.ended_ms; /* the operator ended it early */
	}
	return (t->kind != SH_T_DAY && t->due_ms > end);
}

void
shard_timers_fire(shard_world *w, int64_t now)
{
	sh_timer t;

	/* Firing may schedule a timer (the next day): ids at hand first. */
	if (!shard_can_write(w) || !shard_ids_ready(w, 8)) {
		return; /* they wait for the store: nothing is lost */
	}
	/* Each timer may take ids (a hand-off, the next day): a block is
	 * made sure of before each. */
	while (shard_ids_ready(w, 8) && shard_timer_pop(w, now, &t)) {
		if (shard_timer_frozen(w, &t)) {
			/* The Heartbeat froze the world: nothing arrives,
			 * completes or fights after the generation's end. */
			shard_mark_timer_done(w, t.id);
			continue;
		}
		switch (t.kind) {
		case SH_T_ARRIVAL:
			fire_arrival(w, &t, now);
			break;
		case SH_T_BUILDING: {
			sh_tile *tile = shard_tile(w, t.x, t.y);

			/* What the building does from now (a Watchtower's
			 * sight) goes out with the tile (the replica). */
			shard_mark_tile(w, t.x, t.y);
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
		case SH_T_DAY:
			fire_day(w, &t, now);
			break;
		case SH_T_TRAINING:
			fire_training(w, &t);
			break;
		default:
			cm_log_warn("unknown timer kind", "{s:i}", "kind",
			    (int) t.kind);
		}
		shard_mark_timer_done(w, t.id);
		cm_metric_inc(w->m_timers,
		    shard_timer_kinds[t.kind < SH_T_COUNT ? t.kind : 0], 1);
	}
}
