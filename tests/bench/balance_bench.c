/*
 * balance_bench.c: the design's balance targets (section 17) by
 * simulation (tests/unit/common/battle_sim.h): 200,000 battles between
 * armies of equal cost.  Prints the defender's and attacker's win rates,
 * the natural-20 rate with and without the defender's home advantage,
 * each race's and each captain class's share of its battles won, and
 * the largest deviation of a race and of a class from 50% (its battles
 * are one-against-one).
 */
#include <stdio.h>

#include "../unit/common/battle_sim.h"

#define N 200000

int
main(void)
{
	static const char *const races[CM_RACE_COUNT] = { "ironveld",
		"vaelthir", "korrath", "sylvaeth", "ashborn", "breathborn" };
	battle_sim home, away;
	double     worst = 0;

	battle_sim_run(&home, N, false, 11);
	battle_sim_run(&away, N / 4, true, 12);
	printf("figure balance_defender_pct %.1f percent\n",
	    100.0 * (double) home.defender / (double) home.n);
	printf("figure balance_attacker_pct %.1f percent\n",
	    100.0 * (double) home.attacker / (double) home.n);
	printf("figure balance_crit_home_pct %.2f percent\n",
	    100.0 * (double) home.crits / (double) home.rolls);
	printf("figure balance_crit_away_pct %.2f percent\n",
	    100.0 * (double) away.crits / (double) away.rolls);
	for (int i = 0; i < CM_RACE_COUNT; i++) {
		double p = 100.0 * (double) home.race_wins[i] /
		    (double) home.race_battles[i];
		double d = p > 50 ? p - 50 : 50 - p;

		printf("figure balance_race_%s_pct %.1f percent\n", races[i], p);
		worst = d > worst ? d : worst;
	}
	printf("figure balance_race_worst_dev %.1f points\n", worst);
	worst = 0;
	for (int i = 0; i < CM_CLASS_COUNT; i++) {
		double p = 100.0 * (double) home.class_wins[i] /
		    (double) home.class_battles[i];
		double d = p > 50 ? p - 50 : 50 - p;

		printf("figure balance_class_%s_pct %.1f percent\n",
		    cm_class_name(i), p);
		worst = d > worst ? d : worst;
	}
	printf("figure balance_class_worst_dev %.1f points\n", worst);
	return (0);
}
