/*
 * battle_sim.h: the balance simulation of the design's section 17, shared
 * by cm_battle_balance_test.c (the targets the engine meets, asserted)
 * and tests/bench/balance_bench.c (every figure, beside its target).
 *
 * n battles between armies of equal gold (5,000: the premium stock), each
 * side of a random race with a random captain leading it, a random mix of
 * its race's three units; a random land terrain of the Outer Ring on day
 * 20; the defender at home unless away is set.  Dice from a fixed seed.
 */
#ifndef BATTLE_SIM_H
#define BATTLE_SIM_H

#include <stdint.h>
#include <string.h>

#include "cm_battle.h"
#include "cm_keccak.h"
#include "cm_rules.h"

typedef struct battle_sim {
	long n, attacker, defender, draw;
	long rolls, crits;   /* attack rolls; natural 20s among them */
	long race_battles[CM_RACE_COUNT], race_wins[CM_RACE_COUNT];
	long class_battles[CM_CLASS_COUNT], class_wins[CM_CLASS_COUNT];
} battle_sim;

static uint64_t
sim_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

static void
sim_army(cm_battle_side *sd, int race, int budget, uint64_t *s)
{
	int ids[3], n = 0, spent = 0;

	for (int i = 0; i < CM_UNIT_COUNT && n < 3; i++) {
		if (cm_unit(i)->race == race) {
			ids[n++] = i;
		}
	}
	memset(sd, 0, sizeof(*sd));
	sd->race          = race;
	sd->cls           = (int) (sim_next(s) % CM_CLASS_COUNT);
	sd->skill         = sd->cls * 2 + (int) (sim_next(s) % 2);
	sd->captain_leads = true;
	sd->morale        = 100;
	while (spent < budget) {
		int u = ids[sim_next(s) % 3];

		sd->units[u]++;
		/* What the race pays (Vaelthir +15%), as training does. */
		spent += cm_unit(u)->gold *
		    (100 + cm_race(race)->unit_cost_pct) / 100;
	}
}

static void
battle_sim_run(battle_sim *r, long n, bool away, uint64_t seed)
{
	uint64_t s = seed;

	memset(r, 0, sizeof(*r));
	for (long i = 0; i < n; i++) {
		cm_battle_input  in;
		cm_battle_result out;
		int              ra, rd;

		memset(&in, 0, sizeof(in));
		in.combat_id  = (uint64_t) i + 1;
		in.generation = 1;
		for (int k = 0; k < 4; k++) {
			uint64_t e = sim_next(&s);

			memcpy(in.entropy + 8 * k, &e, 8);
		}
		cm_rules_hash(in.rules_hash);
		do {
			in.terrain = (int) (sim_next(&s) % 6);
		} while (in.terrain == 3); /* no battle on water */
		in.day           = 20;
		in.defender_home = !away;
		ra               = (int) (sim_next(&s) % CM_RACE_COUNT);
		rd               = (int) (sim_next(&s) % CM_RACE_COUNT);
		sim_army(&in.att, ra, 5000, &s);
		sim_army(&in.def, rd, 5000, &s);
		cm_battle_resolve(&in, &out);
		r->n++;
		r->race_battles[ra]++;
		r->race_battles[rd]++;
		r->class_battles[in.att.cls]++;
		r->class_battles[in.def.cls]++;
		if (out.winner == CM_BATTLE_ATTACKER) {
			r->attacker++;
			r->race_wins[ra]++;
			r->class_wins[in.att.cls]++;
		} else if (out.winner == CM_BATTLE_DEFENDER) {
			r->defender++;
			r->race_wins[rd]++;
			r->class_wins[in.def.cls]++;
		} else {
			r->draw++;
		}
		for (int k = 0; k < out.nrounds; k++) {
			r->rolls += 2;
			r->crits += (out.round[k].att_crit != 0) +
			    (out.round[k].def_crit != 0);
		}
	}
}

#endif
