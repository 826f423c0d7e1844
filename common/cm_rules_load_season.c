/*
 * cm_rules_load_season.c: the rules file's generation (a season: its length,
 * phases, PvP and protection days), and what runs through it: the
 * economy (mana, storage, trust, foreign soil, structure decay), scoring,
 * the purchase tiers and the rate limits.
 */
#include <stdio.h>
#include <string.h>

#include "cm_rules_load_sections.h"

static const char *const phase_ids[] = { "planning", "early", "mid",
	"late" };
static const char *const tier_ids[] = { "free", "premium" };
static const char *const scope_ids[] = { "player", "ip" };

static void
rules_trust(rctx *c, json_t *o, cm_economy_rules *e)
{
	static const rfield top[]   = { F_SKIP("decay"), F_SKIP("effects"),
		  F_SKIP("recovery"),
		  F_INTK("home_decay_pct", cm_economy_rules,
		      trust_home_decay_pct, PCT),
		  F_INTK("revolt_building_hp_pct", cm_economy_rules,
		      trust_revolt_building_hp_pct, PCT),
		  F_INTK("revolt_garrison_pct", cm_economy_rules,
		      trust_revolt_garrison_pct, PCT),
		  F_INTK("revolt_garrison_per_building_pct", cm_economy_rules,
		      trust_revolt_garrison_per_building_pct, PCT) };
	static const rfield decay[] = {
		F_INTK("from_day", cm_day_band, from_day, 1, 1000),
		F_INTN("to_day", cm_day_band, to_day, 1, 1000),
		F_INTK("pct_per_day", cm_day_band, a, PCT),
	};
	static const rfield eff[] = {
		F_INTK("min_pct", cm_day_band, from_day, 1, 100),
		F_INTK("max_pct", cm_day_band, to_day, 1, 100),
		F_INTK("production_pct", cm_day_band, a, PCT_DELTA),
		F_INTK("morale", cm_day_band, b, -100, 100),
	};
	static const rfield rec[] = {
		F_INTK("garrison_reinforced", cm_economy_rules,
		    trust_garrison_reinforced, PCT),
		F_INTK("building_constructed", cm_economy_rules,
		    trust_building_constructed, PCT),
		F_INTK("successful_defence", cm_economy_rules,
		    trust_successful_defence, PCT),
		F_INTK("captain_visit", cm_economy_rules, trust_captain_visit,
		    PCT),
		F_INTK("battle_victory", cm_economy_rules,
		    trust_battle_victory, PCT),
		F_INTK("daily_cap", cm_economy_rules, trust_daily_cap, PCT),
	};
	size_t old = cm__rpush(c, "trust", 0);

	if (cm__rread(c, o, top, NITEMS(top), e)) {
		e->ntrust_decay   = cm__rbands(c, o, "decay", decay,
		      NITEMS(decay), e->trust_decay, 1, -1);
		e->ntrust_effects = cm__rbands(c, o, "effects", eff,
		    NITEMS(eff), e->trust_effects, 1, 100);
		cm__rread_key(c, o, "recovery", rec, NITEMS(rec), e);
	}
	cm__rpop(c, old);
}

void
cm__rules_load_economy(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[]   = { F_SKIP("mana"), F_SKIP("storage"),
		  F_INT(cm_economy_rules, starvation_loss_pct, PCT),
		  F_INT(cm_economy_rules, starvation_morale, -100, 0),
		  F_INT(cm_economy_rules, rest_morale, 0, 150),
		  F_INT(cm_economy_rules, rest_morale_max, 0, 150),
		  F_INT(cm_economy_rules, repair_cost_pct, PCT),
		  F_INT(cm_economy_rules, raze_refund_pct, PCT),
		  F_SKIP("reformation_table"), F_SKIP("trust"),
		  F_SKIP("foreign_soil"), F_SKIP("structure_decay") };
	static const rfield mana[]  = {
                F_INTK("base_per_day", cm_economy_rules, mana_base_per_day,
                    0, 10000),
                F_INTK("cap_base", cm_economy_rules, mana_cap_base, 0, 100000),
                F_INTK("cap_per_mage_tower", cm_economy_rules,
                    mana_cap_per_mage_tower, 0, 100000),
                F_INTK("cap_max", cm_economy_rules, mana_cap_max, 0, 100000),
	};
	static const rfield store[] = {
		F_INTN("gold", cm_economy_rules, storage_gold, 0, 1000000000),
		F_INTN("stone", cm_economy_rules, storage_stone, 0,
		    1000000000),
		F_INTN("wood", cm_economy_rules, storage_wood, 0, 1000000000),
		F_INTN("food", cm_economy_rules, storage_food, 0, 1000000000),
	};
	static const rfield ret[]   = { F_INTK("return_pct", rrow, v, PCT) };
	static const rfield fs[]    = { F_INTK("grace_days", cm_economy_rules,
					     foreign_soil_grace_days, 0, 365),
		   F_SKIP("bands") };
	static const rfield fsb[]   = {
                F_INTK("from_day", cm_day_band, from_day, 1, 1000),
                F_INTN("to_day", cm_day_band, to_day, 1, 1000),
                F_INTK("atk_def_pct", cm_day_band, a, -100, 0),
                F_INTK("morale_per_day", cm_day_band, b, -100, 0),
                F_INTK("desertion_pct", cm_day_band, c, PCT),
	};
	static const rfield sd[] = {
		F_INTK("min_hp", cm_economy_rules, structure_decay_min_hp, 0,
		    1000000),
		F_INTK("runs_per_day", cm_economy_rules,
		    structure_decay_runs_per_day, 0, 24),
	};
	cm_economy_rules *e = &r->economy;
	json_t           *o = json_object_get(root, "economy"), *x;
	size_t            old, here;

	old  = cm__rpush(c, "economy", 0);
	here = c->plen;
	if (!cm__rread(c, o, top, NITEMS(top), e)) {
		cm__rpop(c, old);
		return;
	}
	cm__rpush(c, "mana", 0);
	if (cm__rread(c, json_object_get(o, "mana"), mana, NITEMS(mana), e) &&
	    e->mana_cap_max < e->mana_cap_base) {
		cm__rfail(c, "cap_max", "expected >= %d", e->mana_cap_base);
	}
	cm__rpop(c, here);
	cm__rread_key(c, o, "storage", store, NITEMS(store), e);
	cm__rd20(c, o, "reformation_table", ret, 1, e->reformation_return_pct,
	    NULL, NULL);
	rules_trust(c, json_object_get(o, "trust"), e);
	x = json_object_get(o, "foreign_soil");
	cm__rpush(c, "foreign_soil", 0);
	if (cm__rread(c, x, fs, NITEMS(fs), e)) {
		e->nforeign_soil = cm__rbands(c, x, "bands", fsb, NITEMS(fsb),
		    e->foreign_soil, e->foreign_soil_grace_days + 1, -1);
	}
	cm__rpop(c, here);
	cm__rread_key(c, o, "structure_decay", sd, NITEMS(sd), e);
	cm__rpop(c, old);
}

void
cm__rules_load_scoring(rctx *c, json_t *root, cm__rules *r)
{
	int                 len   = r->generation.length_days;
	const rfield        top[] = {
                F_INT(cm_scoring_rules, points_per_plot, 0, 10000),
                F_BOOL(cm_scoring_rules, heart_requires_garrison),
                F_INT(cm_scoring_rules, heart_late_multiplier, 1, 100),
                F_INT(cm_scoring_rules, heart_late_from_day, 1, len),
                F_INT(cm_scoring_rules, capture_base, 0, 100000),
                F_INT(cm_scoring_rules, capture_victim_pct, PCT),
                F_SKIP("battle_won"),
	};
	static const rfield band[] = {
		F_INTK("min_strength", rrow, from, 0, 1000000000),
		F_INTK("points", rrow, v, 0, 100000),
	};
	cm_scoring_rules *s = &r->scoring;
	json_t           *o = json_object_get(root, "scoring"), *a, *b;
	size_t            old, i;

	old = cm__rpush(c, "scoring", 0);
	if (cm__rread(c, o, top, NITEMS(top), s)) {
		a = cm__rarr(c, o, "battle_won", 1, CM_BANDS_MAX);
		cm__rpush(c, "battle_won", 0);
		json_array_foreach(a, i, b)
		{
			size_t o2 = cm__rpush(c, NULL, (int) i);
			rrow   w  = { 0 };

			if (cm__rread(c, b, band, NITEMS(band), &w)) {
				if (i == 0 ? w.from != 0
				           : w.from <= s->battle_won[i - 1]
				                           .min_strength) {
					cm__rfail(c, "min_strength",
					    i == 0
					        ? "expected 0"
					        : "expected ascending values");
				}
				s->battle_won[i].min_strength = w.from;
				s->battle_won[i].points       = w.v;
				s->nbattle_won                = (int) i + 1;
			}
			cm__rpop(c, o2);
		}
	}
	cm__rpop(c, old);
}

void
cm__rules_load_generation(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[] = {
		F_INT(cm_generation_rules, length_days, 1, 365),
		F_INT(cm_generation_rules, day_seconds, 1, 86400),
		F_SKIP("phases"),
		F_INT(cm_generation_rules, pvp_from_day, 1, 365),
		F_INT(cm_generation_rules, protection_days, 0, 365),
		F_INT(cm_generation_rules, late_joiner_from_day, 1, 365),
		F_INT(cm_generation_rules, late_joiner_bonus_pct, PCT_DELTA),
		F_INT(cm_generation_rules, intermission_hours, 0, 720),
	};
	static const rfield ph[] = {
		F_INTK("from_day", cm_day_band, from_day, 1, 365),
		F_INTK("to_day", cm_day_band, to_day, 1, 365),
		F_SKIP("id"),
	};
	cm_generation_rules *g = &r->generation;
	json_t              *o = json_object_get(root, "generation"), *a, *p;
	size_t               old, i, here;
	char                 list[200];

	old  = cm__rpush(c, "generation", 0);
	here = c->plen;
	if (cm__rread(c, o, top, NITEMS(top), g)) {
		g->nphases = cm__rbands(c, o, "phases", ph, NITEMS(ph),
		    g->phases, 1, g->length_days);
		a = json_object_get(o, "phases");
		cm__rpush(c, "phases", 0);
		json_array_foreach(a, i, p)
		{
			size_t      o2 = cm__rpush(c, NULL, (int) i);
			json_t     *id = json_object_get(p, "id");
			const char *s  = json_string_value(id);

			if (c->bad) {
			} else if (i >= NITEMS(phase_ids) || s == NULL ||
			    strcmp(s, phase_ids[i]) != 0) {
				cm__rnames(list, sizeof(list), phase_ids,
				    (int) NITEMS(phase_ids));
				cm__rfail(c, "id",
				    "expected the phases %s in order", list);
			} else {
				snprintf(g->phase_id[i], CM_ID_MAX, "%s", s);
			}
			cm__rpop(c, o2);
		}
		if (!c->bad && g->nphases != (int) NITEMS(phase_ids)) {
			cm__rfail(c, NULL, "expected %zu phases",
			    NITEMS(phase_ids));
		}
		cm__rpop(c, here);
		if (!c->bad && g->pvp_from_day > g->length_days) {
			cm__rfail(c, "pvp_from_day", "expected 1..%d",
			    g->length_days);
		}
	}
	cm__rpop(c, old);
}

static const rfield tier_fields[] = {
	F_ID(cm_tier_def, id),
	F_INT(cm_tier_def, plots, 1, 100),
	{ "price_usdc_micro", RK_I64, offsetof(cm_tier_def, price_usdc_micro),
	    0, 1000000000000LL, NULL, 0 },
	F_INT(cm_tier_def, gold, BIG),
	F_INT(cm_tier_def, stone, BIG),
	F_INT(cm_tier_def, wood, BIG),
	F_INT(cm_tier_def, food, BIG),
	F_INT(cm_tier_def, mana, BIG),
};

void
cm__rules_load_tiers(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = cm__rarr(c, root, "tiers", 2, 2), *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "tiers", 0);
	json_array_foreach(a, i, o)
	{
		size_t o2 = cm__rpush(c, NULL, (int) i);

		if (cm__rread(c, o, tier_fields, NITEMS(tier_fields),
		        &r->tiers[i])) {
			cm__rorder(c, r->tiers[0].id, sizeof(r->tiers[0]),
			    (int) i, tier_ids, -1, 0);
		}
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}

static const rfield rate_fields[] = {
	F_ID(cm_rate_limit, name),
	F_INT(cm_rate_limit, limit, 1, 1000000),
	F_INT(cm_rate_limit, window_seconds, 1, 86400),
	F_ENUM("scope", cm_rate_limit, scope, scope_ids),
	F_INT(cm_rate_limit, global_limit, 0, 100000000),
};

void
cm__rules_load_rate_limits(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = cm__rarr(c, root, "rate_limits", 1, CM_RATE_LIMIT_MAX), *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "rate_limits", 0);
	json_array_foreach(a, i, o)
	{
		size_t         o2 = cm__rpush(c, NULL, (int) i);
		cm_rate_limit *l  = &r->rate_limits[i];

		if (cm__rread(c, o, rate_fields, NITEMS(rate_fields), l)) {
			if (l->global_limit != 0 && l->global_limit < l->limit) {
				cm__rfail(c, "global_limit",
				    "under the limit of one subject (%d)",
				    l->limit);
			}
			for (size_t j = 0; j < i; j++) {
				if (strcmp(r->rate_limits[j].name, l->name) ==
				    0) {
					cm__rfail(c, "name",
					    "duplicate name \"%s\"", l->name);
				}
			}
		}
		r->nrate_limits = (int) i + 1;
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}
