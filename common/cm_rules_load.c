/*
 * cm_rules_load.c: parse and validate a rules file (rules/rules.json).
 *
 * Validation is strict so that a typo cannot silently change the game:
 * every key is required, unknown keys are refused, duplicate JSON keys are
 * refused (JSON_REJECT_DUPLICATES), every number has a type and a range,
 * ids are unique and in the chain's order (§1), references (unit race,
 * building requires, forbidden buildings and zones, trained roles) resolve,
 * D20 tables cover faces 1..20 exactly once and day bands cover their days
 * exactly once.  The first problem found is reported as
 * "rules: <path>: <problem>", path like units[3].atk.
 *
 * This file reads the top level and calls the section readers in order
 * (cm_rules_load_sections.h): factions (cm_rules_load_factions.c), the
 * map (cm_rules_load_world.c), spells (cm_rules_load_spells.c), combat
 * (cm_rules_load_combat.c), the season and its economy
 * (cm_rules_load_season.c).
 * All of them read through the strict field readers of cm_rules_read.c,
 * whose errors are sticky, so the sections need not check after each
 * field.  The rules' hash and the rules in force are in cm_rules.c.
 */
#include <string.h>

#include <jansson.h>

#include "cm_rules_load.h"
#include "cm_rules_read.h"

/* The chain's orders (§1) that several sections use. */
const char *const cm__rules_race_ids[] = { "ironveld", "vaelthir", "korrath",
	"sylvaeth", "ashborn", "breathborn" };
const char *const cm__rules_building_ids[] = { "farm", "mine", "lumbermill",
	"market", "barracks", "warhall", "siegeworkshop", "armory", "wall",
	"watchtower", "gate", "magetower", "shrine", "warehouse" };
const char *const cm__rules_terrain_ids[] = { "plains", "forest", "mountain",
	"river", "ruins", "corruption" };
const char *const cm__rules_zone_ids[] = { "outer", "middle", "inner",
	"heart" };
const char *const cm__rules_role_ids[] = { "defender", "attacker", "elite",
	"siege" };

_Static_assert(NITEMS(cm__rules_race_ids) == CM_RACE_COUNT, "races");
_Static_assert(NITEMS(cm__rules_building_ids) == CM_BUILDING_COUNT,
    "buildings");
_Static_assert(NITEMS(cm__rules_terrain_ids) == CM_RULES_TERRAIN_COUNT,
    "terrain");
_Static_assert(NITEMS(cm__rules_zone_ids) == CM_RULES_ZONE_COUNT, "zones");
_Static_assert(NITEMS(cm__rules_role_ids) == CM_ROLE_COUNT, "roles");

/*
 * Declared after the lists above so that a list whose length differs from
 * its count in cm_rules.h is a compile error (conflicting types), not a
 * short list padded with NULL.
 */
#include "cm_rules_load_sections.h"

static const rfield limit_fields[] = {
	{ "max_per_territory", RK_INT, 0, CM_MAX_BUILDINGS_PER_TERRITORY,
	    CM_MAX_BUILDINGS_PER_TERRITORY, NULL, 0 },
	{ "max_concurrent_builds", RK_INT, sizeof(int),
	    CM_MAX_CONCURRENT_BUILDS, CM_MAX_CONCURRENT_BUILDS, NULL, 0 },
};

cm_err
cm__rules_parse(const char *text, size_t len, cm__rules *out, char *err,
    size_t errlen)
{
	static const rfield top[] = {
		{ "format", RK_INT, 0, 1, 1, NULL, 0 },
		F_SKIP("races"),
		F_SKIP("classes"),
		F_SKIP("units"),
		F_SKIP("buildings"),
		F_SKIP("building_limits"),
		F_SKIP("terrain"),
		F_SKIP("zones"),
		F_SKIP("forsaken"),
		F_SKIP("spells"),
		F_SKIP("spell_tables"),
		F_SKIP("death_save"),
		F_SKIP("combat"),
		F_SKIP("economy"),
		F_SKIP("scoring"),
		F_SKIP("generation"),
		F_SKIP("tiers"),
		F_SKIP("rate_limits"),
	};
	char         local[8];
	int          format = 0, limits[2];
	json_error_t je;
	json_t      *root;
	rctx         c = { .err = err, .errlen = errlen };

	if (err == NULL || errlen == 0) {
		c.err    = local;
		c.errlen = sizeof(local);
	}
	memset(out, 0, sizeof(*out));
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		cm__rfail(&c, NULL, "line %d column %d: %s", je.line,
		    je.column, je.text);
		return (CM_EINVAL);
	}
	if (!json_is_object(root)) {
		cm__rfail(&c, NULL, "expected a JSON object at the top level");
		json_decref(root);
		return (CM_EINVAL);
	}
	cm__rread(&c, root, top, NITEMS(top), &format);
	cm__rules_load_generation(&c, root, out);
	cm__rules_load_races(&c, root, out);
	cm__rules_load_classes(&c, root, out);
	cm__rules_load_units(&c, root, out);
	cm__rules_load_buildings(&c, root, out);
	cm__rread_key(&c, root, "building_limits", limit_fields,
	    NITEMS(limit_fields), limits);
	cm__rules_load_terrain(&c, root, out);
	cm__rules_load_zones(&c, root, out);
	cm__rules_load_forsaken(&c, root, out);
	cm__rules_load_spells(&c, root, out);
	cm__rules_load_spell_tables(&c, root, out);
	cm__rules_load_death_save(&c, root, out);
	cm__rules_load_combat(&c, root, out);
	cm__rules_load_economy(&c, root, out);
	cm__rules_load_scoring(&c, root, out);
	cm__rules_load_tiers(&c, root, out);
	cm__rules_load_rate_limits(&c, root, out);
	json_decref(root);
	return (c.bad ? CM_EINVAL : CM_OK);
}
