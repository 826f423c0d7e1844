/*
 * cm_rules_load_world.c: the rules file's map: buildings (with their effects
 * and prerequisites, which must not form a cycle), terrain (map shares at
 * most 100), zones (rings nesting outward from the heart) and Forsaken
 * villages (types, D20 tables, strength by day).
 */
#include "cm_rules_load_sections.h"

static const char *const category_ids[] = { "resource", "military",
	"defense", "magic", "utility" };
static const char *const forsaken_ids[] = { "hamlet", "village", "town",
	"stronghold" };

static const rfield building_fields[] = {
	F_ID(cm_building_def, id),
	F_NAME(cm_building_def, name),
	F_ENUMS("category", cm_building_def, category, category_ids),
	F_INT(cm_building_def, gold, BIG),
	F_INT(cm_building_def, stone, BIG),
	F_INT(cm_building_def, wood, BIG),
	F_INT(cm_building_def, build_hours, 1, 720),
	F_INT(cm_building_def, max_per_territory, 1,
	    CM_MAX_BUILDINGS_PER_TERRITORY),
	F_ENUMN("requires", cm_building_def, requires, cm__rules_building_ids),
	F_INT(cm_building_def, hp, 1, 1000000),
	F_SKIP("forbidden_zones"),
	F_SKIP("effects"),
};

#define BE(m, ...) F_INT(cm_building_effects, m, __VA_ARGS__)
static const rfield effect_fields[] = {
	BE(food_per_day, BIG),
	BE(gold_per_day, BIG),
	BE(stone_per_day, BIG),
	BE(wood_per_day, BIG),
	BE(mana_per_day, BIG),
	BE(def_pct, PCT_DELTA),
	BE(garrison_atk_pct, PCT_DELTA),
	BE(trained_atk_pct, PCT_DELTA),
	BE(trained_def_pct, PCT_DELTA),
	BE(vision_radius, 0, 100),
	BE(warning_hours, 0, 720),
	BE(storage, BIG),
	BE(raid_protect_pct, PCT),
	BE(spell_power_pct, PCT_DELTA),
	F_SKIP("trains"),
	F_BOOL(cm_building_effects, enables_spells),
	F_BOOL(cm_building_effects, enables_trade),
};

void
cm__rules_load_buildings(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = cm__rarr(c, root, "buildings", CM_BUILDING_COUNT,
	    CM_BUILDING_COUNT);
	json_t *o, *e;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "buildings", 0);
	json_array_foreach(a, i, o)
	{
		size_t           o2 = cm__rpush(c, NULL, (int) i);
		cm_building_def *b  = &r->buildings[i];

		if (cm__rread(c, o, building_fields, NITEMS(building_fields),
		        b)) {
			cm__rorder(c, r->buildings[0].id, sizeof(*b), (int) i,
			    cm__rules_building_ids, -1, 0);
			cm__rset(c, o, "forbidden_zones", cm__rules_zone_ids,
			    CM_RULES_ZONE_COUNT, b->forbidden_zones);
			e = json_object_get(o, "effects");
			cm__rpush(c, "effects", 0);
			if (cm__rread(c, e, effect_fields,
			        NITEMS(effect_fields), &b->effects)) {
				cm__rset(c, e, "trains", cm__rules_role_ids,
				    CM_ROLE_COUNT, b->effects.trains);
			}
		}
		cm__rpop(c, o2);
	}
	/* Prerequisites must not form a cycle (nor point at themselves). */
	for (i = 0; i < CM_BUILDING_COUNT && !c->bad; i++) {
		int at = r->buildings[i].requires, steps = 0;

		while (at >= 0 && steps++ <= CM_BUILDING_COUNT) {
			at = r->buildings[at].requires;
		}
		if (at >= 0) {
			cm__rpush(c, NULL, (int) i);
			cm__rfail(c, "requires", "prerequisites form a cycle");
		}
	}
	cm__rpop(c, old);
}

static const rfield terrain_fields[] = {
	F_ID(cm_terrain_def, id),
	F_NAME(cm_terrain_def, name),
	F_ID(cm_terrain_def, design),
	F_INT(cm_terrain_def, chain_index, 0, CM_RULES_TERRAIN_COUNT - 1),
	F_INT(cm_terrain_def, atk_mult_pct, MULT),
	F_INT(cm_terrain_def, def_mult_pct, MULT),
	F_INT(cm_terrain_def, spd_mult_pct, MULT),
	F_INT(cm_terrain_def, map_share_pct, PCT),
	F_BOOL(cm_terrain_def, passable),
	F_BOOL(cm_terrain_def, buildable),
	F_INT(cm_terrain_def, daily_army_loss_pct, PCT),
	F_INT(cm_terrain_def, spell_power_pct, PCT_DELTA),
	F_INT(cm_terrain_def, mana_per_day, 0, 10000),
};

void
cm__rules_load_terrain(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = cm__rarr(c, root, "terrain", CM_RULES_TERRAIN_COUNT,
	    CM_RULES_TERRAIN_COUNT);
	json_t *o;
	size_t  old, i;
	int     share = 0;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "terrain", 0);
	json_array_foreach(a, i, o)
	{
		size_t          o2 = cm__rpush(c, NULL, (int) i);
		cm_terrain_def *t  = &r->terrain[i];

		if (cm__rread(c, o, terrain_fields, NITEMS(terrain_fields),
		        t)) {
			cm__rorder(c, r->terrain[0].id, sizeof(*t), (int) i,
			    cm__rules_terrain_ids, t->chain_index, (int) i);
			share += t->map_share_pct;
			if (share > 100) {
				cm__rfail(c, "map_share_pct",
				    "shares add up to more than 100");
			}
		}
		cm__rpop(c, o2);
	}
	cm__rpop(c, old);
}

static const rfield zone_fields[] = {
	F_ID(cm_zone_def, id),
	F_NAME(cm_zone_def, name),
	F_INT(cm_zone_def, chain_index, 0, CM_RULES_ZONE_COUNT - 1),
	F_INT(cm_zone_def, min_radius, 0, 1000),
	F_INT(cm_zone_def, max_radius, 0, 1000),
	F_INT(cm_zone_def, resource_mult_pct, MULT),
	F_INT(cm_zone_def, mana_per_territory, 0, 10000),
	F_INT(cm_zone_def, forsaken_density_pct, PCT),
	F_INT(cm_zone_def, forsaken_strength_mult_pct, MULT),
	F_INT(cm_zone_def, domain_points_bonus, 0, 10000),
	F_INT(cm_zone_def, spell_power_pct, PCT_DELTA),
};

void
cm__rules_load_zones(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = cm__rarr(c, root, "zones", CM_RULES_ZONE_COUNT,
	    CM_RULES_ZONE_COUNT);
	json_t *o;
	size_t  old, i, here;

	if (a == NULL) {
		return;
	}
	old = cm__rpush(c, "zones", 0);
	json_array_foreach(a, i, o)
	{
		size_t       o2 = cm__rpush(c, NULL, (int) i);
		cm_zone_def *z  = &r->zones[i];

		if (cm__rread(c, o, zone_fields, NITEMS(zone_fields), z)) {
			cm__rorder(c, r->zones[0].id, sizeof(*z), (int) i,
			    cm__rules_zone_ids, z->chain_index, (int) i);
		}
		cm__rpop(c, o2);
	}
	/* Rings nest outward from the heart: heart starts at 0 and each
	 * ring starts right after the next inner one ends. */
	here = c->plen;
	for (i = CM_RULES_ZONE_COUNT; i-- > 0 && !c->bad;) {
		const cm_zone_def *z    = &r->zones[i];
		int                want = i + 1 == CM_RULES_ZONE_COUNT
		                   ? 0
		                   : r->zones[i + 1].max_radius + 1;

		cm__rpush(c, NULL, (int) i);
		if (z->min_radius != want) {
			cm__rfail(c, "min_radius", "expected %d (rings nest)",
			    want);
		} else if (z->max_radius < z->min_radius) {
			cm__rfail(c, "max_radius", "expected >= %d",
			    z->min_radius);
		}
		cm__rpop(c, here);
	}
	cm__rpop(c, old);
}

static const rfield ftype_fields[] = {
	F_ID(cm_forsaken_type_def, id),
	F_NAME(cm_forsaken_type_def, name),
	F_INT(cm_forsaken_type_def, frequency_pct, PCT),
	F_INT(cm_forsaken_type_def, garrison_min, BIG),
	F_INT(cm_forsaken_type_def, garrison_max, BIG),
	F_INT(cm_forsaken_type_def, domain_points, 0, 100000),
};

void
cm__rules_load_forsaken(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[]  = { F_SKIP("types"),
		 F_SKIP("garrison_table"), F_SKIP("loot_table"),
		 F_SKIP("day_scaling"), F_BOOL(cm_forsaken_rules, respawn) };
	static const rfield days[] = { F_INTK("from_day", cm_day_band,
					       from_day, 1, 1000),
		F_INTK("to_day", cm_day_band, to_day, 1, 1000),
		F_INTK("strength_pct", cm_day_band, a, MULT) };
	cm_forsaken_rules *f = &r->forsaken;
	json_t            *o = json_object_get(root, "forsaken"), *a, *t;
	size_t             old, i, here;
	int                freq = 0;

	old  = cm__rpush(c, "forsaken", 0);
	here = c->plen;
	if (!cm__rread(c, o, top, NITEMS(top), f)) {
		cm__rpop(c, old);
		return;
	}
	a = cm__rarr(c, o, "types", CM_FORSAKEN_TYPE_COUNT,
	    CM_FORSAKEN_TYPE_COUNT);
	cm__rpush(c, "types", 0);
	json_array_foreach(a, i, t)
	{
		cm_forsaken_type_def *y  = &f->types[i];
		size_t            o2 = cm__rpush(c, NULL, (int) i);

		if (cm__rread(c, t, ftype_fields, NITEMS(ftype_fields), y)) {
			cm__rorder(c, f->types[0].id, sizeof(*y), (int) i,
			    forsaken_ids, -1, 0);
			if (y->garrison_max < y->garrison_min) {
				cm__rfail(c, "garrison_max", "expected >= %d",
				    y->garrison_min);
			}
			freq += y->frequency_pct;
		}
		cm__rpop(c, o2);
	}
	if (!c->bad && freq != 100) {
		cm__rfail(c, NULL, "frequencies add up to %d, expected 100",
		    freq);
	}
	cm__rpop(c, here);
	cm__rd20_mult(c, o, "garrison_table", f->garrison_mult_pct);
	cm__rd20_mult(c, o, "loot_table", f->loot_mult_pct);
	f->nday_scaling = cm__rbands(c, o, "day_scaling", days, NITEMS(days),
	    f->day_scaling, 1, r->generation.length_days);
	cm__rpop(c, old);
}
