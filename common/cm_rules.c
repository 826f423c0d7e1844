/*
 * cm_rules.c: the rules in force and the accessors of cm_rules.h.
 *
 * The rules live in one heap block (cm__rules, filled by
 * cm_rules_load.c).  The embedded file is loaded on first use through
 * pthread_once, so unit tests that never call cm_rules_load still see the
 * game's content; cm_rules_load replaces the block (at process start,
 * before threads) and frees the old one.  The block in force at exit is
 * kept on purpose (still reachable, not a leak).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_keccak.h"
#include "cm_hex.h"
#include "cm_rules.h"
#include "cm_rules_load.h"

static pthread_once_t rules_once = PTHREAD_ONCE_INIT;
static cm__rules     *rules_cur;

static void
rules_hash_bytes(const void *p, size_t n, uint8_t out[32])
{
	cm_keccak k;

	cm_keccak_init(&k);
	cm_keccak_update(&k, p, n);
	cm_keccak_final(&k, out);
}

static void
rules_init(void)
{
	cm__rules *r = cm_malloc(sizeof(*r));
	char       err[512];

	if (cm__rules_parse((const char *) cm_rules_json, cm_rules_json_len,
	        r, err, sizeof(err)) != CM_OK) {
		fprintf(stderr, "%s (embedded rules/rules.json)\n", err);
		abort();
	}
	rules_hash_bytes(cm_rules_json, cm_rules_json_len, r->hash);
	snprintf(r->source, sizeof(r->source), "embedded");
	rules_cur = r;
}

static const cm__rules *
rules(void)
{
	pthread_once(&rules_once, rules_init);
	return (rules_cur);
}

/* rules_read_file reads path whole into a fresh buffer (*lenp bytes). */
static cm_err
rules_read_file(const char *path, char **bufp, size_t *lenp, char *err,
    size_t errlen)
{
	FILE  *f = fopen(path, "rb");
	char  *buf;
	size_t len = 0, cap = 65536, n;

	if (f == NULL) {
		snprintf(err, errlen, "rules: %s: cannot open", path);
		return (CM_ENOENT);
	}
	buf = cm_malloc(cap);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = cm_realloc(buf, cap);
		}
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		snprintf(err, errlen, "rules: %s: read error", path);
		return (CM_ENOENT);
	}
	fclose(f);
	*bufp = buf;
	*lenp = len;
	return (CM_OK);
}

cm_err
cm_rules_load(const char *path_or_null, char *err, size_t errlen)
{
	const char *path = path_or_null;
	char        local[8], *buf = NULL;
	size_t      len;
	cm__rules  *r, *old;
	cm_err      rv;

	if (err == NULL || errlen == 0) {
		err    = local;
		errlen = sizeof(local);
	}
	if (path == NULL) {
		path = getenv("ND_RULES_FILE");
		if (path != NULL && path[0] == '\0') {
			path = NULL;
		}
	}
	if (path != NULL &&
	    (rv = rules_read_file(path, &buf, &len, err, errlen)) != CM_OK) {
		return (rv);
	}
	r = cm_malloc(sizeof(*r));
	if (path == NULL) {
		rv = cm__rules_parse((const char *) cm_rules_json,
		    cm_rules_json_len, r, err, errlen);
		rules_hash_bytes(cm_rules_json, cm_rules_json_len, r->hash);
		snprintf(r->source, sizeof(r->source), "embedded");
	} else {
		rv = cm__rules_parse(buf, len, r, err, errlen);
		rules_hash_bytes(buf, len, r->hash);
		snprintf(r->source, sizeof(r->source), "%s", path);
	}
	free(buf);
	if (rv != CM_OK) {
		free(r);
		return (rv);
	}
	/* Make sure the lazy default never runs after us, then swap. */
	pthread_once(&rules_once, rules_init);
	old       = rules_cur;
	rules_cur = r;
	free(old);
	return (CM_OK);
}

cm_err
cm_rules_check(const char *text, size_t len, char *err, size_t errlen)
{
	cm__rules *r = cm_malloc(sizeof(*r));
	cm_err     rv;

	rv = cm__rules_parse(text, len, r, err, errlen);
	free(r);
	return (rv);
}

const char *
cm_rules_source(void)
{
	return (rules()->source);
}

void
cm_rules_hash(uint8_t out[32])
{
	memcpy(out, rules()->hash, 32);
}

void
cm_rules_hash_hex(char out[67])
{
	out[0] = '0';
	out[1] = 'x';
	cm_hex_encode(rules()->hash, 32, out + 2);
	out[66] = '\0';
}

/* --- races, classes, skills --- */

int
cm_race_index(const char *name)
{
	const cm__rules *r = rules();

	for (int i = 0; i < CM_RACE_COUNT; i++) {
		if (strcmp(r->races[i].id, name) == 0) {
			return (i);
		}
	}
	return (-1);
}

const char *
cm_race_name(int race)
{
	return (race >= 0 && race < CM_RACE_COUNT ? rules()->races[race].id
	                                          : "unknown");
}

const cm_race_def *
cm_race(int race)
{
	return (race >= 0 && race < CM_RACE_COUNT ? &rules()->races[race]
	                                          : NULL);
}

int
cm_class_index(const char *name)
{
	const cm__rules *r = rules();

	for (int i = 0; i < CM_CLASS_COUNT; i++) {
		if (strcmp(r->classes[i].id, name) == 0) {
			return (i);
		}
	}
	return (-1);
}

const char *
cm_class_name(int cls)
{
	return (cls >= 0 && cls < CM_CLASS_COUNT ? rules()->classes[cls].id
	                                         : "unknown");
}

const cm_class_def *
cm_class(int cls)
{
	return (cls >= 0 && cls < CM_CLASS_COUNT ? &rules()->classes[cls]
	                                         : NULL);
}

const cm_skill_def *
cm_skill(int cls, int skill)
{
	if (cls < 0 || cls >= CM_CLASS_COUNT || skill < 0 || skill > 1) {
		return (NULL);
	}
	return (&rules()->classes[cls].skills[skill]);
}

const char *
cm_skill_name(int cls, int skill)
{
	const cm_skill_def *s = cm_skill(cls, skill);

	return (s != NULL ? s->id : "unknown");
}

/* --- units, buildings, spells --- */

int
cm_unit_index(const char *id)
{
	const cm__rules *r = rules();

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (strcmp(r->units[i].id, id) == 0) {
			return (i);
		}
	}
	return (-1);
}

const cm_unit_def *
cm_unit(int i)
{
	return (i >= 0 && i < CM_UNIT_COUNT ? &rules()->units[i] : NULL);
}

int
cm_race_defender(int race)
{
	const cm__rules *r = rules();

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (r->units[i].race == race &&
		    r->units[i].role == CM_ROLE_DEFENDER) {
			return (i);
		}
	}
	return (-1);
}

int
cm_building_index(const char *id)
{
	const cm__rules *r = rules();

	for (int i = 0; i < CM_BUILDING_COUNT; i++) {
		if (strcmp(r->buildings[i].id, id) == 0) {
			return (i);
		}
	}
	return (-1);
}

const cm_building_def *
cm_building(int i)
{
	return (i >= 0 && i < CM_BUILDING_COUNT ? &rules()->buildings[i]
	                                        : NULL);
}

const cm_spell_def *
cm_spell_find(const char *id)
{
	const cm__rules *r = rules();

	for (int i = 0; i < CM_SPELL_COUNT; i++) {
		if (strcmp(r->spells[i].id, id) == 0) {
			return (&r->spells[i]);
		}
	}
	return (NULL);
}

const cm_spell_def *
cm_spell(const char *id)
{
	const cm_spell_def *s = cm_spell_find(id);

	return (s != NULL && !s->racial ? s : NULL);
}

const cm_spell_def *
cm_spell_at(int i)
{
	return (i >= 0 && i < CM_SPELL_COUNT ? &rules()->spells[i] : NULL);
}

const cm_spell_tables *
cm_rules_spell_tables(void)
{
	return (&rules()->spell_tables);
}

/* --- map, Forsaken, economy, scoring, calendar --- */

const cm_terrain_def *
cm_terrain_rules(int t)
{
	return (t >= 0 && t < CM_RULES_TERRAIN_COUNT ? &rules()->terrain[t] : NULL);
}

const cm_zone_def *
cm_zone_rules(int z)
{
	return (z >= 0 && z < CM_RULES_ZONE_COUNT ? &rules()->zones[z] : NULL);
}

const cm_forsaken_rules *
cm_rules_forsaken(void)
{
	return (&rules()->forsaken);
}

const cm_death_save_rules *
cm_rules_death_save(void)
{
	return (&rules()->death_save);
}

const cm_economy_rules *
cm_rules_economy(void)
{
	return (&rules()->economy);
}

const cm_scoring_rules *
cm_rules_scoring(void)
{
	return (&rules()->scoring);
}

const cm_generation_rules *
cm_rules_generation(void)
{
	return (&rules()->generation);
}

const cm_combat_rules *
cm_rules_combat(void)
{
	return (&rules()->combat);
}

const cm_rate_limit *
cm_rules_rate_limit(const char *name)
{
	const cm__rules *r = rules();

	for (int i = 0; i < r->nrate_limits; i++) {
		if (strcmp(r->rate_limits[i].name, name) == 0) {
			return (&r->rate_limits[i]);
		}
	}
	return (NULL);
}

int
cm_rules_rate_limit_count(void)
{
	return (rules()->nrate_limits);
}

const cm_rate_limit *
cm_rules_rate_limit_at(int i)
{
	const cm__rules *r = rules();

	return (i >= 0 && i < r->nrate_limits ? &r->rate_limits[i] : NULL);
}

const cm_tier_def *
cm_tier(bool premium)
{
	return (&rules()->tiers[premium ? 1 : 0]);
}

int
cm_tier_plots(bool premium)
{
	return (cm_tier(premium)->plots);
}

void
cm_tier_resources(bool premium, cm_resources *out)
{
	const cm_tier_def *t = cm_tier(premium);

	out->gold  = t->gold;
	out->stone = t->stone;
	out->wood  = t->wood;
	out->food  = t->food;
	out->mana  = t->mana;
}

int
cm_zone_points(int zone)
{
	const cm__rules *r = rules();

	if (zone < 0 || zone >= CM_RULES_ZONE_COUNT) {
		return (0);
	}
	return (r->scoring.points_per_plot + r->zones[zone].domain_points_bonus);
}

int
cm_mana_cap(int race, int mage_towers)
{
	const cm_economy_rules *e   = cm_rules_economy();
	const cm_race_def      *d   = cm_race(race);
	long                    cap = e->mana_cap_base +
	    (long) e->mana_cap_per_mage_tower * (mage_towers > 0 ? mage_towers
	                                                         : 0);

	if (cap > e->mana_cap_max) {
		cap = e->mana_cap_max;
	}
	return ((int) cap + (d != NULL ? d->mana_cap_bonus : 0));
}

int
cm_mana_regen(int race, int cls, int mage_towers, int shrines, int zone_mana)
{
	const cm__rules    *r = rules();
	const cm_race_def  *d = cm_race(race);
	const cm_class_def *c = cm_class(cls);
	long long           m = r->economy.mana_base_per_day;

	m += (long long) r->buildings[cm_building_index("magetower")]
	         .effects.mana_per_day *
	    mage_towers;
	m += (long long) r->buildings[cm_building_index("shrine")]
	         .effects.mana_per_day *
	    shrines;
	m += zone_mana;
	m = m * (100 + (c != NULL ? c->mana_regen_pct : 0)) / 100;
	m = m * (100 + (d != NULL ? d->mana_regen_pct : 0)) / 100;
	return (m > 0 ? (int) m : 0);
}
