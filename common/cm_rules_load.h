/*
 * cm_rules_load.h: common-internal: the rules in force as one block, and
 * the parser that fills it from the text of a rules file.
 */
#ifndef CM_RULES_LOAD_H
#define CM_RULES_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "cm_combat_rules.h"
#include "cm_rules.h"

/* Everything cm_rules.h hands out; one heap block, freed wholesale. */
typedef struct cm__rules {
	cm_race_def         races[CM_RACE_COUNT];
	cm_class_def        classes[CM_CLASS_COUNT];
	cm_unit_def         units[CM_UNIT_COUNT];
	cm_building_def     buildings[CM_BUILDING_COUNT];
	cm_terrain_def      terrain[CM_RULES_TERRAIN_COUNT];
	cm_zone_def         zones[CM_RULES_ZONE_COUNT];
	cm_spell_def        spells[CM_SPELL_COUNT];
	cm_spell_tables     spell_tables;
	cm_forsaken_rules   forsaken;
	cm_death_save_rules death_save;
	cm_combat_rules     combat;
	cm_economy_rules    economy;
	cm_scoring_rules    scoring;
	cm_generation_rules generation;
	cm_tier_def         tiers[2]; /* free, premium */
	int                 nrate_limits;
	cm_rate_limit       rate_limits[CM_RATE_LIMIT_MAX];
	uint8_t             hash[32]; /* keccak256 of the file's bytes */
	char                source[256];
} cm__rules;

/*
 * cm__rules_parse validates text (len bytes, need not be NUL-terminated)
 * and fills *out (caller storage; any contents on failure).  On failure
 * err holds "rules: <field path>: <problem>".  Returns CM_OK or CM_EINVAL.
 */
cm_err cm__rules_parse(const char *text, size_t len, cm__rules *out,
    char *err, size_t errlen);

/* The embedded rules/rules.json (generated into build/gen). */
extern const unsigned char cm_rules_json[];
extern const size_t        cm_rules_json_len;

#endif
