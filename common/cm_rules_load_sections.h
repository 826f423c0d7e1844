/*
 * cm_rules_load_sections.h: common-internal, for the rules loader only: the
 * readers of the rules file's top-level sections, which cm__rules_parse
 * (cm_rules_load.c) calls in a fixed order, and the id lists that more
 * than one section refers to.
 *
 * Each reader reads root[<section>] into its part of *r, with the path
 * and first error in c (cm_rules_read.h); after an error it does nothing.
 * Some sections check their numbers against generation.length_days
 * (Forsaken day scaling, scoring), so generation is read first; the order
 * of the calls also decides which error is reported first.
 */
#ifndef CM_RULES_LOAD_SECTIONS_H
#define CM_RULES_LOAD_SECTIONS_H

#include <jansson.h>

#include "cm_rules_load.h"
#include "cm_rules_read.h"

/*
 * The chain's orders (§1) that several sections use, defined in
 * cm_rules_load.c: ids in chain order, index = the cm_rules.h value.
 */
extern const char *const cm__rules_race_ids[CM_RACE_COUNT];
extern const char *const cm__rules_building_ids[CM_BUILDING_COUNT];
extern const char *const cm__rules_terrain_ids[CM_RULES_TERRAIN_COUNT];
extern const char *const cm__rules_zone_ids[CM_RULES_ZONE_COUNT];
extern const char *const cm__rules_role_ids[CM_ROLE_COUNT];

/* cm_rules_load_factions.c: races, classes with their skills, units. */
void cm__rules_load_races(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_classes(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_units(rctx *c, json_t *root, cm__rules *r);

/*
 * cm_rules_load_world.c: buildings, terrain, zones, Forsaken villages (whose
 * day scaling ends on generation.length_days: read generation first).
 */
void cm__rules_load_buildings(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_terrain(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_zones(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_forsaken(rctx *c, json_t *root, cm__rules *r);

/* cm_rules_load_spells.c: spells and the spell D20 tables. */
void cm__rules_load_spells(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_spell_tables(rctx *c, json_t *root, cm__rules *r);

/* cm_rules_load_combat.c: death saves and the battle engine's numbers. */
void cm__rules_load_death_save(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_combat(rctx *c, json_t *root, cm__rules *r);

/*
 * cm_rules_load_season.c: the generation (season) and what runs through it:
 * economy, scoring (needs generation read first), tiers, rate limits.
 */
void cm__rules_load_generation(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_economy(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_scoring(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_tiers(rctx *c, json_t *root, cm__rules *r);
void cm__rules_load_rate_limits(rctx *c, json_t *root, cm__rules *r);

#endif
