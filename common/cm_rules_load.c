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
 * "rules: <path>: <problem>", path like units[3].atk.  The "combat"
 * section fills a cm_combat_rules: every number the battle engine uses
 * (cm_combat_rules.h), grouped, D20 columns as the same face tables.
 *
 * Most objects are read by a table of fields (key, kind, offset, range):
 * the struct member has the JSON key's name wherever it can.  Errors are
 * sticky: after the first one every reader returns at once, so the section
 * readers need not check after each field.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cm_alloc.h"
#include "cm_rules_load.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The chain's orders (§1), and the fixed vocabularies. */
static const char *const race_ids[] = { "ironveld", "vaelthir", "korrath",
	"sylvaeth", "ashborn", "breathborn" };
static const char *const class_ids[] = { "warlord", "archmage",
	"highpriest", "shadowmaster", "merchantprince", "beastlord" };
static const char *const skill_ids[] = { "vanguard", "fortress",
	"destruction", "protection", "crusader", "oracle", "assassin",
	"saboteur", "profiteer", "artificer", "packalpha", "warden" };
static const char *const unit_ids[] = { "stoneshield", "hammerer",
	"siegeanvil", "bloodwarden", "crimsonblade", "magister", "warshield",
	"rageborn", "warchief", "veilguard", "fadestriker", "dreamweaver",
	"cinderguard", "ashstriker", "pyreknight", "galeguard", "zephyr",
	"stormherald", "batteringram", "catapult", "trebuchet" };
static const char *const building_ids[] = { "farm", "mine", "lumbermill",
	"market", "barracks", "warhall", "siegeworkshop", "armory", "wall",
	"watchtower", "gate", "magetower", "shrine", "warehouse" };
static const char *const terrain_ids[] = { "plains", "forest", "mountain",
	"river", "ruins", "corruption" };
static const char *const zone_ids[] = { "outer", "middle", "inner",
	"heart" };
static const char *const spell_ids[] = { "firebolt", "lightning_strike",
	"fireball", "meteor_storm", "titans_wrath", "shield", "stone_skin",
	"ward", "fortress_of_will", "titans_aegis", "scry", "true_sight",
	"foresight", "dream_walk", "titans_eye", "slow", "confusion",
	"windshear", "mass_panic", "titans_whisper", "drain_life",
	"raise_dead", "curse", "plague", "titans_grasp", "haste", "strength",
	"bloodlust", "war_cry", "titans_blessing", "stone_wall", "earthquake",
	"crystal_prison", "crimson_bolt", "blood_pact", "exsanguinate",
	"battle_rage", "war_drums", "blood_frenzy_spell", "illusion_army",
	"nightmare", "dream_sight", "ash_cloud", "pyre_burst",
	"mass_reformation", "gust", "windshear_racial", "storm_call" };
static const char *const role_ids[] = { "defender", "attacker", "elite",
	"siege" };
static const char *const category_ids[] = { "resource", "military",
	"defense", "magic", "utility" };
static const char *const school_ids[] = { "destruction", "protection",
	"divination", "manipulation", "necromancy", "enhancement" };
static const char *const target_ids[] = { "single_unit", "army",
	"territory", "building", "player", "self" };
static const char *const forsaken_ids[] = { "hamlet", "village", "town",
	"stronghold" };
static const char *const phase_ids[] = { "planning", "early", "mid",
	"late" };
static const char *const tier_ids[] = { "free", "premium" };
static const char *const scope_ids[] = { "player", "ip" };

_Static_assert(NITEMS(race_ids) == CM_RACE_COUNT, "races");
_Static_assert(NITEMS(class_ids) == CM_CLASS_COUNT, "classes");
_Static_assert(NITEMS(skill_ids) == CM_SKILL_COUNT, "skills");
_Static_assert(NITEMS(unit_ids) == CM_UNIT_COUNT, "units");
_Static_assert(NITEMS(building_ids) == CM_BUILDING_COUNT, "buildings");
_Static_assert(NITEMS(terrain_ids) == CM_RULES_TERRAIN_COUNT, "terrain");
_Static_assert(NITEMS(zone_ids) == CM_RULES_ZONE_COUNT, "zones");
_Static_assert(NITEMS(spell_ids) == CM_SPELL_COUNT, "spells");
_Static_assert(NITEMS(role_ids) == CM_ROLE_COUNT, "roles");

enum rkind {
	RK_SKIP,  /* required, read by the caller */
	RK_INT,   /* integer in lo..hi -> int */
	RK_INTN,  /* null (-> -1) or integer in lo..hi -> int */
	RK_I64,   /* integer in lo..hi -> int64_t */
	RK_BOOL,  /* true/false -> bool */
	RK_FIX10, /* number with at most one decimal, x10 in lo..hi -> int */
	RK_ID,    /* [a-z0-9_/]{1,31} -> char[CM_ID_MAX] */
	RK_NAME,  /* printable ASCII {1,47} -> char[CM_NAME_MAX] */
	RK_ENUM,  /* one of names -> int index */
	RK_ENUMN, /* null (-> -1) or one of names -> int index */
	RK_ENUMS, /* one of names -> the name, char[CM_ID_MAX] */
};

typedef struct rfield {
	const char        *key;
	enum rkind         kind;
	size_t             off;
	long long          lo, hi;
	const char *const *names;
	int                nnames;
} rfield;

#define F_SKIP(k) { k, RK_SKIP, 0, 0, 0, NULL, 0 }
#define F_INT_(s, m, lo, hi) { #m, RK_INT, offsetof(s, m), lo, hi, NULL, 0 }
#define F_INT(s, m, ...) F_INT_(s, m, __VA_ARGS__)
#define F_INTK_(k, s, m, lo, hi) { k, RK_INT, offsetof(s, m), lo, hi, NULL, 0 }
#define F_INTK(k, s, m, ...) F_INTK_(k, s, m, __VA_ARGS__)
#define F_INTN_(k, s, m, lo, hi) { k, RK_INTN, offsetof(s, m), lo, hi, NULL, 0 }
#define F_INTN(k, s, m, ...) F_INTN_(k, s, m, __VA_ARGS__)
#define F_BOOL(s, m) { #m, RK_BOOL, offsetof(s, m), 0, 0, NULL, 0 }
#define F_BOOLK(k, s, m) { k, RK_BOOL, offsetof(s, m), 0, 0, NULL, 0 }
#define F_ID(s, m) { #m, RK_ID, offsetof(s, m), 0, 0, NULL, 0 }
#define F_NAME(s, m) { #m, RK_NAME, offsetof(s, m), 0, 0, NULL, 0 }
#define F_ENUM(k, s, m, n) \
	{ k, RK_ENUM, offsetof(s, m), 0, 0, n, (int) NITEMS(n) }
#define F_ENUMN(k, s, m, n) \
	{ k, RK_ENUMN, offsetof(s, m), 0, 0, n, (int) NITEMS(n) }
#define F_ENUMS(k, s, m, n) \
	{ k, RK_ENUMS, offsetof(s, m), 0, 0, n, (int) NITEMS(n) }

#define PCT_DELTA -100, 1000 /* a signed percentage change */
#define PCT 0, 100           /* a share */
#define MULT 0, 1000         /* a factor in percent */
#define BIG 0, 1000000

typedef struct rctx {
	char   path[192];
	size_t plen;
	char  *err;
	size_t errlen;
	bool   bad;
} rctx;

/* rfail records the first problem, at the current path plus key. */
static void
rfail(rctx *c, const char *key, const char *fmt, ...)
{
	char    msg[512];
	va_list ap;

	if (c->bad) {
		return;
	}
	c->bad = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->plen == 0 && key == NULL) {
		snprintf(c->err, c->errlen, "rules: %s", msg);
	} else {
		snprintf(c->err, c->errlen, "rules: %s%s%s: %s", c->path,
		    c->plen > 0 && key != NULL ? "." : "", key ? key : "", msg);
	}
}

/* rpush appends ".key", "key" or "[i]" to the path; rpop undoes it. */
static size_t
rpush(rctx *c, const char *key, int idx)
{
	size_t old = c->plen;
	int    n;

	if (key != NULL) {
		n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen,
		    "%s%s", c->plen > 0 ? "." : "", key);
	} else {
		n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen,
		    "[%d]", idx);
	}
	if (n > 0) {
		c->plen += (size_t) n;
		if (c->plen >= sizeof(c->path)) {
			c->plen = sizeof(c->path) - 1;
		}
	}
	return (old);
}

static void
rpop(rctx *c, size_t old)
{
	c->plen       = old;
	c->path[old] = '\0';
}

static void
rnames(char *buf, size_t len, const char *const *names, int n)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && at < len; i++) {
		int w = snprintf(buf + at, len - at, "%s%s", i ? ", " : "",
		    names[i]);

		at += w > 0 ? (size_t) w : 0;
	}
}

static int
rlookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i], s) == 0) {
			return (i);
		}
	}
	return (-1);
}

static bool
rid_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CM_ID_MAX) {
		return (false);
	}
	for (size_t i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		        s[i] == '/')) {
			return (false);
		}
	}
	return (true);
}

static bool
rname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CM_NAME_MAX) {
		return (false);
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 32 || s[i] > 126) {
			return (false);
		}
	}
	return (true);
}

/* rfield_read stores v, the value of field f, into base. */
static void
rfield_read(rctx *c, const rfield *f, json_t *v, char *base)
{
	char      list[400];
	long long x;
	int       i;

	switch (f->kind) {
	case RK_SKIP:
		return;
	case RK_INTN:
		if (json_is_null(v)) {
			*(int *) (base + f->off) = -1;
			return;
		}
		/* FALLTHROUGH */
	case RK_INT:
	case RK_I64:
		if (!json_is_integer(v) || json_integer_value(v) < f->lo ||
		    json_integer_value(v) > f->hi) {
			rfail(c, f->key, "expected %san integer in %lld..%lld",
			    f->kind == RK_INTN ? "null or " : "", f->lo, f->hi);
			return;
		}
		if (f->kind == RK_I64) {
			*(int64_t *) (base + f->off) = json_integer_value(v);
		} else {
			*(int *) (base + f->off) = (int) json_integer_value(v);
		}
		return;
	case RK_BOOL:
		if (!json_is_boolean(v)) {
			rfail(c, f->key, "expected true or false");
			return;
		}
		*(bool *) (base + f->off) = json_is_true(v);
		return;
	case RK_FIX10: {
		double d = json_is_number(v) ? json_number_value(v) * 10 : NAN;

		x = isfinite(d) ? llround(d) : 0;
		if (!isfinite(d) || fabs(d - (double) x) > 1e-6 || x < f->lo ||
		    x > f->hi) {
			rfail(c, f->key,
			    "expected a number in %g..%g with at most one "
			    "decimal",
			    (double) f->lo / 10, (double) f->hi / 10);
			return;
		}
		*(int *) (base + f->off) = (int) x;
		return;
	}
	case RK_ID:
		if (!json_is_string(v) || !rid_ok(json_string_value(v))) {
			rfail(c, f->key,
			    "expected an id (1..%d of a-z 0-9 _ /)",
			    CM_ID_MAX - 1);
			return;
		}
		snprintf(base + f->off, CM_ID_MAX, "%s", json_string_value(v));
		return;
	case RK_NAME:
		if (!json_is_string(v) || !rname_ok(json_string_value(v))) {
			rfail(c, f->key,
			    "expected a name (1..%d printable ASCII characters)",
			    CM_NAME_MAX - 1);
			return;
		}
		snprintf(base + f->off, CM_NAME_MAX, "%s", json_string_value(v));
		return;
	case RK_ENUMN:
		if (json_is_null(v)) {
			*(int *) (base + f->off) = -1;
			return;
		}
		/* FALLTHROUGH */
	case RK_ENUM:
	case RK_ENUMS:
		i = json_is_string(v)
		    ? rlookup(f->names, f->nnames, json_string_value(v))
		    : -1;
		if (i < 0) {
			rnames(list, sizeof(list), f->names, f->nnames);
			rfail(c, f->key, "expected %sone of %s",
			    f->kind == RK_ENUMN ? "null or " : "", list);
			return;
		}
		if (f->kind == RK_ENUMS) {
			snprintf(base + f->off, CM_ID_MAX, "%s", f->names[i]);
		} else {
			*(int *) (base + f->off) = i;
		}
		return;
	}
}

/*
 * rread reads object o by its field table into base: every field required,
 * no other key allowed.  Returns false when o is not an object or a field
 * is bad (RK_SKIP fields are left to the caller).
 */
static bool
rread(rctx *c, json_t *o, const rfield *f, size_t n, void *base)
{
	const char *k;
	json_t     *v;
	size_t      i;

	if (c->bad) {
		return (false);
	}
	if (!json_is_object(o)) {
		rfail(c, NULL, "expected an object");
		return (false);
	}
	for (i = 0; i < n && !c->bad; i++) {
		if ((v = json_object_get(o, f[i].key)) == NULL) {
			rfail(c, f[i].key, "missing key");
		} else {
			rfield_read(c, &f[i], v, base);
		}
	}
	json_object_foreach(o, k, v)
	{
		for (i = 0; i < n && strcmp(f[i].key, k) != 0; i++) {
		}
		if (i == n) {
			rfail(c, k, "unknown key");
		}
	}
	return (!c->bad);
}

/* rarr returns o[key] when it is an array of min..max items. */
static json_t *
rarr(rctx *c, json_t *o, const char *key, size_t min, size_t max)
{
	json_t *a;

	if (c->bad) {
		return (NULL);
	}
	a = json_object_get(o, key);
	if (!json_is_array(a) || json_array_size(a) < min ||
	    json_array_size(a) > max) {
		if (min == max) {
			rfail(c, key, "expected an array of %zu", min);
		} else {
			rfail(c, key, "expected an array of %zu..%zu", min, max);
		}
		return (NULL);
	}
	return (a);
}

/*
 * rorder checks item i's id: unique among ids[0..i-1] (stride bytes apart)
 * and equal to want[i] when want is given; and its chain_index when
 * chain >= 0.
 */
static void
rorder(rctx *c, const char *ids, size_t stride, int i,
    const char *const *want, int chain, int want_chain)
{
	const char *id = ids + (size_t) i * stride;

	for (int j = 0; j < i; j++) {
		if (strcmp(ids + (size_t) j * stride, id) == 0) {
			rfail(c, "id", "duplicate id \"%s\"", id);
			return;
		}
	}
	if (want != NULL && strcmp(id, want[i]) != 0) {
		rfail(c, "id", "expected \"%s\" (chain order)", want[i]);
		return;
	}
	if (chain >= 0 && chain != want_chain) {
		rfail(c, "chain_index", "expected %d (chain order)", want_chain);
	}
}

/* A row of a D20 table or of a band list, before it is spread out. */
typedef struct rrow {
	int  from, to;
	int  v;
	bool f1, f2;
} rrow;

/*
 * rd20 reads the D20 table o[key]: rows {from, to, <fields>} in order,
 * covering faces 1..20 exactly once; fills v, f1, f2 (may be NULL) by face.
 */
static void
rd20(rctx *c, json_t *o, const char *key, const rfield *vf, size_t nvf,
    int v[21], bool f1[21], bool f2[21])
{
	rfield  f[5] = { F_INTK("from", rrow, from, 1, 20),
		 F_INTK("to", rrow, to, 1, 20) };
	json_t *a    = rarr(c, o, key, 1, 20), *row;
	size_t  old, i;
	int     next = 1;

	memcpy(f + 2, vf, nvf * sizeof(*vf));
	if (a == NULL) {
		return;
	}
	old = rpush(c, key, 0);
	json_array_foreach(a, i, row)
	{
		size_t o2 = rpush(c, NULL, (int) i);
		rrow   r  = { 0 };

		if (rread(c, row, f, nvf + 2, &r)) {
			if (r.from != next) {
				rfail(c, "from",
				    "expected %d (faces 1..20 each exactly once)",
				    next);
			} else if (r.to < r.from) {
				rfail(c, "to", "expected %d..20", r.from);
			}
		}
		for (int k = r.from; !c->bad && k <= r.to; k++) {
			v[k] = r.v;
			if (f1 != NULL) {
				f1[k] = r.f1;
			}
			if (f2 != NULL) {
				f2[k] = r.f2;
			}
		}
		next = r.to + 1;
		rpop(c, o2);
	}
	if (!c->bad && next != 21) {
		rfail(c, NULL, "faces %d..20 missing (each face exactly once)",
		    next);
	}
	rpop(c, old);
}

/*
 * rbands reads the band list o[key] of rows {<from>, <to>, values} into
 * out (a..c by the field table): in order, contiguous from first; the last
 * row ends at last, or has to = null when last is -1.
 */
static int
rbands(rctx *c, json_t *o, const char *key, const rfield *f, size_t nf,
    cm_day_band *out, int first, int last)
{
	json_t *a = rarr(c, o, key, 1, CM_BANDS_MAX), *row;
	size_t  old, i, n = 0;
	int     next = first;

	if (a == NULL) {
		return (0);
	}
	old = rpush(c, key, 0);
	json_array_foreach(a, i, row)
	{
		size_t       o2   = rpush(c, NULL, (int) i);
		cm_day_band *b    = &out[i];
		bool         tail = i + 1 == json_array_size(a);

		memset(b, 0, sizeof(*b));
		if (rread(c, row, f, nf, b)) {
			if (b->from_day != next) {
				rfail(c, f[0].key,
				    "expected %d (bands contiguous from %d)",
				    next, first);
			} else if (b->to_day == -1 && !(tail && last == -1)) {
				rfail(c, f[1].key, "expected an integer >= %d",
				    b->from_day);
			} else if (b->to_day != -1 && b->to_day < b->from_day) {
				rfail(c, f[1].key, "expected an integer >= %d",
				    b->from_day);
			} else if (tail && b->to_day != last) {
				if (last == -1) {
					rfail(c, f[1].key, "expected null (open end)");
				} else {
					rfail(c, f[1].key, "expected %d (last band)",
					    last);
				}
			}
		}
		next = b->to_day + 1;
		n++;
		rpop(c, o2);
	}
	rpop(c, old);
	return ((int) n);
}

/* --- sections --- */

static const rfield race_fields[] = {
	F_ID(cm_race_def, id),
	F_NAME(cm_race_def, name),
	F_INT(cm_race_def, chain_index, 0, CM_RACE_COUNT - 1),
	F_INT(cm_race_def, food_rate_pct, MULT),
	F_INT(cm_race_def, speed_pct, PCT_DELTA),
	F_INT(cm_race_def, production_pct, PCT_DELTA),
	F_INT(cm_race_def, atk_pct, PCT_DELTA),
	F_INT(cm_race_def, def_pct, PCT_DELTA),
	F_INT(cm_race_def, stationary_def_pct, PCT_DELTA),
	F_INT(cm_race_def, evasion_pct, PCT),
	F_INT(cm_race_def, unit_cost_pct, PCT_DELTA),
	F_INT(cm_race_def, building_cost_pct, PCT_DELTA),
	F_INT(cm_race_def, build_time_pct, PCT_DELTA),
	F_INT(cm_race_def, wall_hp_pct, PCT_DELTA),
	F_INT(cm_race_def, wall_def_pct, PCT_DELTA),
	F_INT(cm_race_def, mine_pct, PCT_DELTA),
	F_INT(cm_race_def, farm_pct, PCT_DELTA),
	F_INT(cm_race_def, armory_bonus_pct, PCT_DELTA),
	F_INT(cm_race_def, mana_regen_pct, PCT_DELTA),
	F_INT(cm_race_def, mana_cap_bonus, 0, 10000),
	F_INT(cm_race_def, spell_damage_roll_bonus, -20, 20),
	F_INT(cm_race_def, divination_min_roll, 1, 20),
	F_INT(cm_race_def, loot_pct, PCT_DELTA),
	F_INT(cm_race_def, prisoner_capture_pct, PCT),
	F_INT(cm_race_def, blood_frenzy_atk_pct, PCT_DELTA),
	F_INT(cm_race_def, blood_frenzy_hours, 0, 720),
	F_INT(cm_race_def, vision_bonus, 0, 20),
	F_INT(cm_race_def, foreign_soil_grace_days, 0, 365),
	F_INT(cm_race_def, death_save_bonus, -20, 20),
	F_BOOL(cm_race_def, reformation),
	F_INT(cm_race_def, reformation_roll_bonus, -20, 20),
	F_INT(cm_race_def, curse_pct_per_stack, PCT),
	F_INT(cm_race_def, curse_max_stacks, 0, 100),
	F_INT(cm_race_def, curse_hours, 0, 720),
	F_INT(cm_race_def, structure_decay_pct_per_day, PCT),
	F_SKIP("forbidden_buildings"),
};

/* rset reads o[key], an array of distinct names, into flags by index. */
static void
rset(rctx *c, json_t *o, const char *key, const char *const *names, int n,
    bool *flags)
{
	json_t *a = rarr(c, o, key, 0, (size_t) n), *v;
	size_t  old, i;
	char    list[400];

	if (a == NULL) {
		return;
	}
	old = rpush(c, key, 0);
	json_array_foreach(a, i, v)
	{
		int k = json_is_string(v)
		    ? rlookup(names, n, json_string_value(v))
		    : -1;
		size_t o2 = rpush(c, NULL, (int) i);

		if (k < 0) {
			rnames(list, sizeof(list), names, n);
			rfail(c, NULL, "expected one of %s", list);
		} else if (flags[k]) {
			rfail(c, NULL, "duplicate \"%s\"", names[k]);
		} else {
			flags[k] = true;
		}
		rpop(c, o2);
	}
	rpop(c, old);
}

static void
rules_races(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "races", CM_RACE_COUNT, CM_RACE_COUNT), *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "races", 0);
	json_array_foreach(a, i, o)
	{
		size_t       o2 = rpush(c, NULL, (int) i);
		cm_race_def *d  = &r->races[i];

		if (rread(c, o, race_fields, NITEMS(race_fields), d)) {
			rorder(c, r->races[0].id, sizeof(*d), (int) i, race_ids,
			    d->chain_index, (int) i);
			rset(c, o, "forbidden_buildings", building_ids,
			    CM_BUILDING_COUNT, d->forbidden_buildings);
		}
		rpop(c, o2);
	}
	rpop(c, old);
}

static const rfield class_fields[] = {
	F_ID(cm_class_def, id),
	F_NAME(cm_class_def, name),
	F_INT(cm_class_def, chain_index, 0, CM_CLASS_COUNT - 1),
	F_INT(cm_class_def, death_save_bonus, -20, 20),
	F_INT(cm_class_def, led_atk_pct, PCT_DELTA),
	F_INT(cm_class_def, led_def_pct, PCT_DELTA),
	F_INT(cm_class_def, mana_regen_pct, PCT_DELTA),
	F_INT(cm_class_def, spell_roll_bonus, -20, 20),
	F_INT(cm_class_def, stealth_radius, 0, 100),
	F_INT(cm_class_def, gold_income_pct, PCT_DELTA),
	F_INT(cm_class_def, upkeep_pct, PCT_DELTA),
	F_INT(cm_class_def, companion_stat_pct, PCT_DELTA),
	F_INT(cm_class_def, speed_pct, PCT_DELTA),
	F_INT(cm_class_def, spell_negations_per_day, 0, 100),
	F_INT(cm_class_def, debuff_removals_per_day, 0, 100),
	F_SKIP("skills"),
};

#define SKILL_HEAD                                                         \
	F_ID(cm_skill_def, id), F_NAME(cm_skill_def, name),                \
	    F_INT(cm_skill_def, chain_index, 0, CM_SKILL_COUNT - 1),       \
	    F_SKIP("effects")
#define SE(m, ...) F_INT(cm_skill_def, m, __VA_ARGS__)

/* Each skill's effects (§7.3): exactly these keys, by skill id. */
static const rfield fx_vanguard[] = { SE(round1_atk_pct, PCT_DELTA),
	SE(siege_damage_pct, PCT_DELTA) };
static const rfield fx_fortress[] = { SE(defending_def_pct, PCT_DELTA),
	SE(building_hp_pct, PCT_DELTA),
	SE(defending_death_save_bonus, -20, 20) };
static const rfield fx_destruction[] = { SE(spell_damage_pct, PCT_DELTA),
	SE(crit_dot_damage, BIG), SE(crit_dot_rounds, 0, 100) };
static const rfield fx_protection[] = { SE(magic_resist_pct, PCT),
	F_BOOL(cm_skill_def, can_ward_buildings) };
static const rfield fx_crusader[] = { SE(forsaken_atk_pct, PCT_DELTA),
	SE(sure_hits_per_battle, 0, 100) };
static const rfield fx_oracle[] = { SE(warning_hours, 0, 720),
	SE(action_reads_per_day, 0, 100) };
static const rfield fx_assassin[] = { SE(assassinate_chance_pct, PCT),
	SE(marked_damage_pct, PCT_DELTA) };
static const rfield fx_saboteur[] = { SE(building_damage_pct, PCT_DELTA),
	SE(bridge_destroy_mana, 0, 10000),
	SE(bridge_destroy_cooldown_hours, 0, 720),
	SE(trap_damage_pct, PCT) };
static const rfield fx_profiteer[] = { SE(loot_pct, PCT_DELTA),
	SE(raze_pct, PCT_DELTA), SE(gold_per_damage_pct, PCT),
	SE(prisoner_capture_pct, PCT) };
static const rfield fx_artificer[] = { SE(build_time_pct, PCT_DELTA),
	SE(train_time_pct, PCT_DELTA), SE(siege_damage_pct, PCT_DELTA) };
static const rfield fx_packalpha[] = { SE(wolves_per_day, 0, 10000),
	SE(atk_pct_per_100_units, PCT_DELTA), SE(low_hp_threshold_pct, PCT),
	SE(low_hp_atk_pct, PCT_DELTA) };
static const rfield fx_warden[] = { SE(beast_stats_pct, PCT_DELTA),
	SE(death_save_bonus, -20, 20) };

static const struct {
	const rfield *f;
	size_t        n;
} skill_fx[CM_SKILL_COUNT] = {
	{ fx_vanguard, NITEMS(fx_vanguard) },
	{ fx_fortress, NITEMS(fx_fortress) },
	{ fx_destruction, NITEMS(fx_destruction) },
	{ fx_protection, NITEMS(fx_protection) },
	{ fx_crusader, NITEMS(fx_crusader) },
	{ fx_oracle, NITEMS(fx_oracle) },
	{ fx_assassin, NITEMS(fx_assassin) },
	{ fx_saboteur, NITEMS(fx_saboteur) },
	{ fx_profiteer, NITEMS(fx_profiteer) },
	{ fx_artificer, NITEMS(fx_artificer) },
	{ fx_packalpha, NITEMS(fx_packalpha) },
	{ fx_warden, NITEMS(fx_warden) },
};

static void
rules_skills(rctx *c, json_t *o, cm_class_def *d, int cls)
{
	static const rfield head[] = { SKILL_HEAD };
	json_t             *a = rarr(c, o, "skills", 2, 2), *s;
	size_t              old, i;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "skills", 0);
	json_array_foreach(a, i, s)
	{
		size_t        o2 = rpush(c, NULL, (int) i);
		cm_skill_def *k  = &d->skills[i];
		int           si = cls * 2 + (int) i;

		if (rread(c, s, head, NITEMS(head), k)) {
			rorder(c, d->skills[0].id, sizeof(*k), (int) i,
			    skill_ids + cls * 2, k->chain_index, si);
			rpush(c, "effects", 0);
			rread(c, json_object_get(s, "effects"), skill_fx[si].f,
			    skill_fx[si].n, k);
		}
		rpop(c, o2);
	}
	rpop(c, old);
}

static void
rules_classes(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "classes", CM_CLASS_COUNT, CM_CLASS_COUNT);
	json_t *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "classes", 0);
	json_array_foreach(a, i, o)
	{
		size_t        o2 = rpush(c, NULL, (int) i);
		cm_class_def *d  = &r->classes[i];

		if (rread(c, o, class_fields, NITEMS(class_fields), d)) {
			rorder(c, r->classes[0].id, sizeof(*d), (int) i,
			    class_ids, d->chain_index, (int) i);
			rules_skills(c, o, d, (int) i);
		}
		rpop(c, o2);
	}
	rpop(c, old);
}

static const rfield unit_fields[] = {
	F_ID(cm_unit_def, id),
	F_NAME(cm_unit_def, name),
	F_ENUMN("race", cm_unit_def, race, race_ids),
	F_ENUM("role", cm_unit_def, role, role_ids),
	F_INT(cm_unit_def, atk, 0, 1000),
	F_INT(cm_unit_def, def, 0, 1000),
	{ "spd", RK_FIX10, offsetof(cm_unit_def, spd_x10), 1, 100, NULL, 0 },
	F_INT(cm_unit_def, hp, 1, 100000),
	F_INT(cm_unit_def, gold, BIG),
	F_INT(cm_unit_def, mana, 0, 10000),
	{ "food", RK_FIX10, offsetof(cm_unit_def, food_x10), 0, 1000, NULL,
	    0 },
	F_INT(cm_unit_def, train_minutes, 1, 10080),
};

static void
rules_units(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "units", CM_UNIT_COUNT, CM_UNIT_COUNT), *o;
	size_t  old, i;
	int     seen[CM_RACE_COUNT][CM_ROLE_COUNT] = { { 0 } };

	if (a == NULL) {
		return;
	}
	old = rpush(c, "units", 0);
	json_array_foreach(a, i, o)
	{
		size_t       o2 = rpush(c, NULL, (int) i);
		cm_unit_def *u  = &r->units[i];

		if (rread(c, o, unit_fields, NITEMS(unit_fields), u)) {
			rorder(c, r->units[0].id, sizeof(*u), (int) i, unit_ids,
			    -1, 0);
		}
		if (c->bad) {
		} else if ((u->race < 0) != (u->role == CM_ROLE_SIEGE)) {
			rfail(c, "race",
			    "expected null exactly for siege weapons");
		} else if (u->race >= 0 && seen[u->race][u->role]++ > 0) {
			rfail(c, "role", "race %s has two %s units",
			    race_ids[u->race], role_ids[u->role]);
		}
		rpop(c, o2);
	}
	rpop(c, old);
}

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
	F_ENUMN("requires", cm_building_def, requires, building_ids),
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

static void
rules_buildings(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "buildings", CM_BUILDING_COUNT,
	    CM_BUILDING_COUNT);
	json_t *o, *e;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "buildings", 0);
	json_array_foreach(a, i, o)
	{
		size_t           o2 = rpush(c, NULL, (int) i);
		cm_building_def *b  = &r->buildings[i];

		if (rread(c, o, building_fields, NITEMS(building_fields), b)) {
			rorder(c, r->buildings[0].id, sizeof(*b), (int) i,
			    building_ids, -1, 0);
			rset(c, o, "forbidden_zones", zone_ids, CM_RULES_ZONE_COUNT,
			    b->forbidden_zones);
			e = json_object_get(o, "effects");
			rpush(c, "effects", 0);
			if (rread(c, e, effect_fields, NITEMS(effect_fields),
			        &b->effects)) {
				rset(c, e, "trains", role_ids, CM_ROLE_COUNT,
				    b->effects.trains);
			}
		}
		rpop(c, o2);
	}
	/* Prerequisites must not form a cycle (nor point at themselves). */
	for (i = 0; i < CM_BUILDING_COUNT && !c->bad; i++) {
		int at = r->buildings[i].requires, steps = 0;

		while (at >= 0 && steps++ <= CM_BUILDING_COUNT) {
			at = r->buildings[at].requires;
		}
		if (at >= 0) {
			rpush(c, NULL, (int) i);
			rfail(c, "requires", "prerequisites form a cycle");
		}
	}
	rpop(c, old);
}

static const rfield limit_fields[] = {
	{ "max_per_territory", RK_INT, 0, CM_MAX_BUILDINGS_PER_TERRITORY,
	    CM_MAX_BUILDINGS_PER_TERRITORY, NULL, 0 },
	{ "max_concurrent_builds", RK_INT, sizeof(int), CM_MAX_CONCURRENT_BUILDS,
	    CM_MAX_CONCURRENT_BUILDS, NULL, 0 },
};

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

static void
rules_terrain(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "terrain", CM_RULES_TERRAIN_COUNT,
	    CM_RULES_TERRAIN_COUNT);
	json_t *o;
	size_t  old, i;
	int     share = 0;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "terrain", 0);
	json_array_foreach(a, i, o)
	{
		size_t          o2 = rpush(c, NULL, (int) i);
		cm_terrain_def *t  = &r->terrain[i];

		if (rread(c, o, terrain_fields, NITEMS(terrain_fields), t)) {
			rorder(c, r->terrain[0].id, sizeof(*t), (int) i,
			    terrain_ids, t->chain_index, (int) i);
			share += t->map_share_pct;
			if (share > 100) {
				rfail(c, "map_share_pct",
				    "shares add up to more than 100");
			}
		}
		rpop(c, o2);
	}
	rpop(c, old);
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

static void
rules_zones(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "zones", CM_RULES_ZONE_COUNT, CM_RULES_ZONE_COUNT), *o;
	size_t  old, i, here;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "zones", 0);
	json_array_foreach(a, i, o)
	{
		size_t       o2 = rpush(c, NULL, (int) i);
		cm_zone_def *z  = &r->zones[i];

		if (rread(c, o, zone_fields, NITEMS(zone_fields), z)) {
			rorder(c, r->zones[0].id, sizeof(*z), (int) i, zone_ids,
			    z->chain_index, (int) i);
		}
		rpop(c, o2);
	}
	/* Rings nest outward from the heart: heart starts at 0 and each
	 * ring starts right after the next inner one ends. */
	here = c->plen;
	for (i = CM_RULES_ZONE_COUNT; i-- > 0 && !c->bad;) {
		const cm_zone_def *z    = &r->zones[i];
		int                want = i + 1 == CM_RULES_ZONE_COUNT
		                   ? 0
		                   : r->zones[i + 1].max_radius + 1;

		rpush(c, NULL, (int) i);
		if (z->min_radius != want) {
			rfail(c, "min_radius", "expected %d (rings nest)", want);
		} else if (z->max_radius < z->min_radius) {
			rfail(c, "max_radius", "expected >= %d", z->min_radius);
		}
		rpop(c, here);
	}
	rpop(c, old);
}

static const rfield ftype_fields[] = {
	F_ID(cm_forsaken_type_def, id),
	F_NAME(cm_forsaken_type_def, name),
	F_INT(cm_forsaken_type_def, frequency_pct, PCT),
	F_INT(cm_forsaken_type_def, garrison_min, BIG),
	F_INT(cm_forsaken_type_def, garrison_max, BIG),
	F_INT(cm_forsaken_type_def, domain_points, 0, 100000),
};

static void
rules_forsaken(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[]  = { F_SKIP("types"),
		 F_SKIP("garrison_table"), F_SKIP("loot_table"),
		 F_SKIP("day_scaling"), F_BOOL(cm_forsaken_rules, respawn) };
	static const rfield mult[] = { F_INTK("mult_pct", rrow, v, MULT) };
	static const rfield days[] = { F_INTK("from_day", cm_day_band,
					       from_day, 1, 1000),
		F_INTK("to_day", cm_day_band, to_day, 1, 1000),
		F_INTK("strength_pct", cm_day_band, a, MULT) };
	cm_forsaken_rules *f = &r->forsaken;
	json_t            *o = json_object_get(root, "forsaken"), *a, *t;
	size_t             old, i, here;
	int                freq = 0;

	old  = rpush(c, "forsaken", 0);
	here = c->plen;
	if (!rread(c, o, top, NITEMS(top), f)) {
		rpop(c, old);
		return;
	}
	a = rarr(c, o, "types", CM_FORSAKEN_TYPE_COUNT,
	    CM_FORSAKEN_TYPE_COUNT);
	rpush(c, "types", 0);
	json_array_foreach(a, i, t)
	{
		cm_forsaken_type_def *y  = &f->types[i];
		size_t            o2 = rpush(c, NULL, (int) i);

		if (rread(c, t, ftype_fields, NITEMS(ftype_fields), y)) {
			rorder(c, f->types[0].id, sizeof(*y), (int) i,
			    forsaken_ids, -1, 0);
			if (y->garrison_max < y->garrison_min) {
				rfail(c, "garrison_max", "expected >= %d",
				    y->garrison_min);
			}
			freq += y->frequency_pct;
		}
		rpop(c, o2);
	}
	if (!c->bad && freq != 100) {
		rfail(c, NULL, "frequencies add up to %d, expected 100", freq);
	}
	rpop(c, here);
	rd20(c, o, "garrison_table", mult, 1, f->garrison_mult_pct, NULL,
	    NULL);
	rd20(c, o, "loot_table", mult, 1, f->loot_mult_pct, NULL, NULL);
	f->nday_scaling = rbands(c, o, "day_scaling", days, NITEMS(days),
	    f->day_scaling, 1, r->generation.length_days);
	rpop(c, old);
}

static const rfield spell_fields[] = {
	F_ID(cm_spell_def, id),
	F_NAME(cm_spell_def, name),
	F_ENUMS("school", cm_spell_def, school, school_ids),
	F_BOOL(cm_spell_def, racial),
	F_ENUMN("race", cm_spell_def, race, race_ids),
	F_INT(cm_spell_def, mana, 0, 10000),
	F_INT(cm_spell_def, cooldown_hours, 0, 720),
	F_ENUMS("target", cm_spell_def, target, target_ids),
	F_INT(cm_spell_def, damage_min, BIG),
	F_INT(cm_spell_def, damage_max, BIG),
	F_INT(cm_spell_def, buff_pct, MULT),
	F_INT(cm_spell_def, debuff_pct, PCT),
	F_INT(cm_spell_def, duration_hours, 0, 720),
};

static void
rules_spells(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "spells", CM_SPELL_COUNT, CM_SPELL_COUNT);
	json_t *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "spells", 0);
	json_array_foreach(a, i, o)
	{
		size_t        o2 = rpush(c, NULL, (int) i);
		cm_spell_def *s  = &r->spells[i];

		s->index = (int) i;
		if (rread(c, o, spell_fields, NITEMS(spell_fields), s)) {
			rorder(c, r->spells[0].id, sizeof(*s), (int) i,
			    spell_ids, -1, 0);
		}
		if (c->bad) {
		} else if (s->racial != (i >= CM_GENERAL_SPELL_COUNT)) {
			rfail(c, "racial", "expected %s (spells %d..%d are "
			    "racial)", s->racial ? "false" : "true",
			    CM_GENERAL_SPELL_COUNT, CM_SPELL_COUNT - 1);
		} else if (s->racial && s->race < 0) {
			rfail(c, "race", "a racial spell needs a race");
		} else if (s->damage_max < s->damage_min) {
			rfail(c, "damage_max", "expected >= %d", s->damage_min);
		}
		rpop(c, o2);
	}
	rpop(c, old);
}

static void
rules_spell_tables(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[]  = { F_SKIP("damage"), F_SKIP("duration"),
		 F_SKIP("divination") };
	static const rfield mult[] = { F_INTK("mult_pct", rrow, v, MULT) };
	static const rfield div[]  = {
                F_INTK("accuracy_pct", rrow, v, PCT),
                F_BOOLK("false_vision", rrow, f1),
                F_BOOLK("bonus_intel", rrow, f2),
	};
	cm_spell_tables *t = &r->spell_tables;
	json_t          *o = json_object_get(root, "spell_tables");
	size_t           old;

	old = rpush(c, "spell_tables", 0);
	if (rread(c, o, top, NITEMS(top), t)) {
		rd20(c, o, "damage", mult, 1, t->damage_mult_pct, NULL, NULL);
		rd20(c, o, "duration", mult, 1, t->duration_mult_pct, NULL,
		    NULL);
		rd20(c, o, "divination", div, NITEMS(div),
		    t->divination_accuracy_pct, t->divination_false_vision,
		    t->divination_bonus_intel);
	}
	rpop(c, old);
}

static void
rules_death_save(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield f[] = {
		F_INT(cm_death_save_rules, threshold, 1, 20),
		F_INT(cm_death_save_rules, modifier_cap, 0, 20),
		F_INT(cm_death_save_rules, wound_hours, 0, 720),
		F_INT(cm_death_save_rules, wounded_effect_pct, -100, 0),
	};
	size_t old = rpush(c, "death_save", 0);

	rread(c, json_object_get(root, "death_save"), f, NITEMS(f),
	    &r->death_save);
	rpop(c, old);
}

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
	size_t old = rpush(c, "trust", 0);

	if (rread(c, o, top, NITEMS(top), e)) {
		e->ntrust_decay = rbands(c, o, "decay", decay, NITEMS(decay),
		    e->trust_decay, 1, -1);
		e->ntrust_effects = rbands(c, o, "effects", eff, NITEMS(eff),
		    e->trust_effects, 1, 100);
		rpush(c, "recovery", 0);
		rread(c, json_object_get(o, "recovery"), rec, NITEMS(rec), e);
	}
	rpop(c, old);
}

static void
rules_economy(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[]   = { F_SKIP("mana"), F_SKIP("storage"),
		  F_INT(cm_economy_rules, starvation_loss_pct, PCT),
		  F_INT(cm_economy_rules, starvation_morale, -100, 0),
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
		F_INTN("stone", cm_economy_rules, storage_stone, 0, 1000000000),
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

	old  = rpush(c, "economy", 0);
	here = c->plen;
	if (!rread(c, o, top, NITEMS(top), e)) {
		rpop(c, old);
		return;
	}
	rpush(c, "mana", 0);
	if (rread(c, json_object_get(o, "mana"), mana, NITEMS(mana), e) &&
	    e->mana_cap_max < e->mana_cap_base) {
		rfail(c, "cap_max", "expected >= %d", e->mana_cap_base);
	}
	rpop(c, here);
	rpush(c, "storage", 0);
	rread(c, json_object_get(o, "storage"), store, NITEMS(store), e);
	rpop(c, here);
	rd20(c, o, "reformation_table", ret, 1, e->reformation_return_pct,
	    NULL, NULL);
	rules_trust(c, json_object_get(o, "trust"), e);
	x = json_object_get(o, "foreign_soil");
	rpush(c, "foreign_soil", 0);
	if (rread(c, x, fs, NITEMS(fs), e)) {
		e->nforeign_soil = rbands(c, x, "bands", fsb, NITEMS(fsb),
		    e->foreign_soil, e->foreign_soil_grace_days + 1, -1);
	}
	rpop(c, here);
	rpush(c, "structure_decay", 0);
	rread(c, json_object_get(o, "structure_decay"), sd, NITEMS(sd), e);
	rpop(c, old);
}

static void
rules_scoring(rctx *c, json_t *root, cm__rules *r)
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

	old = rpush(c, "scoring", 0);
	if (rread(c, o, top, NITEMS(top), s)) {
		a = rarr(c, o, "battle_won", 1, CM_BANDS_MAX);
		rpush(c, "battle_won", 0);
		json_array_foreach(a, i, b)
		{
			size_t o2 = rpush(c, NULL, (int) i);
			rrow   w  = { 0 };

			if (rread(c, b, band, NITEMS(band), &w)) {
				if (i == 0 ? w.from != 0
				           : w.from <= s->battle_won[i - 1]
				                           .min_strength) {
					rfail(c, "min_strength",
					    i == 0 ? "expected 0"
					           : "expected ascending values");
				}
				s->battle_won[i].min_strength = w.from;
				s->battle_won[i].points       = w.v;
				s->nbattle_won                = (int) i + 1;
			}
			rpop(c, o2);
		}
	}
	rpop(c, old);
}

static void
rules_generation(rctx *c, json_t *root, cm__rules *r)
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

	old  = rpush(c, "generation", 0);
	here = c->plen;
	if (rread(c, o, top, NITEMS(top), g)) {
		g->nphases = rbands(c, o, "phases", ph, NITEMS(ph), g->phases,
		    1, g->length_days);
		a = json_object_get(o, "phases");
		rpush(c, "phases", 0);
		json_array_foreach(a, i, p)
		{
			size_t      o2 = rpush(c, NULL, (int) i);
			json_t     *id = json_object_get(p, "id");
			const char *s  = json_string_value(id);

			if (c->bad) {
			} else if (i >= NITEMS(phase_ids) || s == NULL ||
			    strcmp(s, phase_ids[i]) != 0) {
				rnames(list, sizeof(list), phase_ids,
				    (int) NITEMS(phase_ids));
				rfail(c, "id", "expected the phases %s in order",
				    list);
			} else {
				snprintf(g->phase_id[i], CM_ID_MAX, "%s", s);
			}
			rpop(c, o2);
		}
		if (!c->bad && g->nphases != (int) NITEMS(phase_ids)) {
			rfail(c, NULL, "expected %zu phases", NITEMS(phase_ids));
		}
		rpop(c, here);
		if (!c->bad && g->pvp_from_day > g->length_days) {
			rfail(c, "pvp_from_day", "expected 1..%d", g->length_days);
		}
	}
	rpop(c, old);
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

static void
rules_tiers(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "tiers", 2, 2), *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "tiers", 0);
	json_array_foreach(a, i, o)
	{
		size_t o2 = rpush(c, NULL, (int) i);

		if (rread(c, o, tier_fields, NITEMS(tier_fields),
		        &r->tiers[i])) {
			rorder(c, r->tiers[0].id, sizeof(r->tiers[0]), (int) i,
			    tier_ids, -1, 0);
		}
		rpop(c, o2);
	}
	rpop(c, old);
}

static const rfield rate_fields[] = {
	F_ID(cm_rate_limit, name),
	F_INT(cm_rate_limit, limit, 1, 1000000),
	F_INT(cm_rate_limit, window_seconds, 1, 86400),
	F_ENUM("scope", cm_rate_limit, scope, scope_ids),
};

static void
rules_rate_limits(rctx *c, json_t *root, cm__rules *r)
{
	json_t *a = rarr(c, root, "rate_limits", 1, CM_RATE_LIMIT_MAX), *o;
	size_t  old, i;

	if (a == NULL) {
		return;
	}
	old = rpush(c, "rate_limits", 0);
	json_array_foreach(a, i, o)
	{
		size_t         o2 = rpush(c, NULL, (int) i);
		cm_rate_limit *l  = &r->rate_limits[i];

		if (rread(c, o, rate_fields, NITEMS(rate_fields), l)) {
			for (size_t j = 0; j < i; j++) {
				if (strcmp(r->rate_limits[j].name, l->name) == 0) {
					rfail(c, "name", "duplicate name \"%s\"",
					    l->name);
				}
			}
		}
		r->nrate_limits = (int) i + 1;
		rpop(c, o2);
	}
	rpop(c, old);
}

/* --- combat (cm_combat_rules, the battle engine's numbers) --- */

#define CB cm_combat_rules
#define SIGNED_PTS -1000, 1000 /* signed percentage points */
#define ROLL_BONUS -20, 20

/*
 * rkeyed reads o[key], an object with exactly the keys names[0..n-1], each
 * an integer in lo..hi, into out[i] by name.
 */
static void
rkeyed(rctx *c, json_t *o, const char *key, const char *const *names,
    int n, long long lo, long long hi, int *out)
{
	rfield f[CM_RULES_TERRAIN_COUNT];
	size_t old;

	cm_assert(n <= (int) NITEMS(f));
	for (int i = 0; i < n; i++) {
		f[i] = (rfield) { names[i], RK_INT, (size_t) i * sizeof(int),
			lo, hi, NULL, 0 };
	}
	old = rpush(c, key, 0);
	rread(c, json_object_get(o, key), f, (size_t) n, out);
	rpop(c, old);
}

/*
 * rbands_n is rbands into a scratch list that must hold exactly want
 * bands; returns the scratch list.
 */
static const cm_day_band *
rbands_n(rctx *c, json_t *o, const char *key, const rfield *f, size_t nf,
    int first, int want, cm_day_band tmp[CM_BANDS_MAX])
{
	int n = rbands(c, o, key, f, nf, tmp, first, -1);

	if (!c->bad && n != want) {
		rfail(c, key, "expected %d bands", want);
	}
	return (tmp);
}

static void
combat_rolls(rctx *c, json_t *root, CB *r)
{
	static const rfield top[]  = { F_SKIP("attack_table"),
		 F_SKIP("defence_table"),
		 F_INTK("chip_floor_pct", CB, chip_floor_pct, PCT) };
	static const rfield mult[] = { F_INTK("mult_pct", rrow, v, MULT) };
	json_t             *o      = json_object_get(root, "rolls");
	size_t              old    = rpush(c, "rolls", 0);

	if (rread(c, o, top, NITEMS(top), r)) {
		rd20(c, o, "attack_table", mult, 1, r->atk_face_pct, NULL, NULL);
		rd20(c, o, "defence_table", mult, 1, r->def_face_pct, NULL,
		    NULL);
	}
	rpop(c, old);
}

/* combat_sides: terrain, heart, buildings, captains, races, modifiers. */
static void
combat_sides(rctx *c, json_t *root, CB *r)
{
	static const rfield terr[] = { F_SKIP("atk_mult_pct"),
		F_SKIP("def_mult_pct") };
	static const rfield heart[] = {
		F_ENUM("zone", CB, heart_zone, zone_ids),
		F_INTK("atk_mult_pct", CB, heart_atk_pct, MULT),
		F_INTK("def_mult_pct", CB, heart_def_pct, MULT),
		F_INTK("roll_bonus", CB, heart_roll_bonus, ROLL_BONUS),
	};
	static const rfield bld[] = {
		F_INTK("wall_def_pct", CB, wall_def_pct, PCT_DELTA),
		F_INTK("wall_ironveld_def_pct", CB, wall_ironveld_def_pct,
		    PCT_DELTA),
		F_INTK("gate_def_pct", CB, gate_def_pct, PCT_DELTA),
		F_INTK("warhall_atk_pct", CB, warhall_atk_pct, PCT_DELTA),
		F_INTK("armory_pct", CB, armory_pct, PCT_DELTA),
		F_INTK("armory_korrath_pct", CB, armory_korrath_pct, PCT_DELTA),
	};
	static const rfield cap[] = {
		F_INTK("warlord_pct", CB, warlord_pct, PCT_DELTA),
		F_INTK("vanguard_atk_pct", CB, vanguard_atk_pct, PCT_DELTA),
		F_INTK("fortress_def_pct", CB, fortress_def_pct, PCT_DELTA),
		F_INTK("packalpha_step_units", CB, packalpha_step_units, 1,
		    1000000),
		F_INTK("packalpha_step_atk_pct", CB, packalpha_step_pct, 0,
		    1000),
		F_INTK("packalpha_step_max_pct", CB, packalpha_step_max_pct, 0,
		    1000),
		F_INTK("packalpha_low_hp_permille", CB,
		    packalpha_low_hp_permille, 0, 1000),
		F_INTK("packalpha_low_hp_atk_pct", CB, packalpha_low_hp_pct,
		    PCT_DELTA),
		F_INTK("crusader_forsaken_atk_pct", CB, crusader_forsaken_pct,
		    PCT_DELTA),
		F_INTK("wounded_pct", CB, wounded_pct, -100, 0),
	};
	static const rfield race[] = {
		F_INTK("blood_frenzy_atk_pct", CB, frenzy_atk_pct, PCT_DELTA),
		F_SKIP("atk_pct"), F_SKIP("def_pct"),
		F_SKIP("defending_def_pct"),
		F_INTK("vaelthir_def_ignore_pct", CB, vaelthir_def_ignore_pct,
		    PCT),
		F_INTK("evasion_max_face", CB, evasion_max_face, 0, 20),
	};
	static const rfield mod[] = {
		F_INTK("floor_mult_pct", CB, mult_floor_pct, PCT),
		F_INTK("curse_pct_per_stack", CB, curse_pct_per_stack, -100, 0),
		F_INTK("curse_max_stacks", CB, curse_max_stacks, 0, 100),
	};
	size_t  here = c->plen, old;
	json_t *o;

	old = rpush(c, "terrain", 0);
	o   = json_object_get(root, "terrain");
	if (rread(c, o, terr, NITEMS(terr), r)) {
		rkeyed(c, o, "atk_mult_pct", terrain_ids, CM_COMBAT_TERRAINS,
		    MULT, r->terrain_atk_pct);
		rkeyed(c, o, "def_mult_pct", terrain_ids, CM_COMBAT_TERRAINS,
		    MULT, r->terrain_def_pct);
	}
	rpop(c, old);
	rpush(c, "heart", 0);
	rread(c, json_object_get(root, "heart"), heart, NITEMS(heart), r);
	rpop(c, here);
	rpush(c, "buildings", 0);
	rread(c, json_object_get(root, "buildings"), bld, NITEMS(bld), r);
	rpop(c, here);
	rpush(c, "captains", 0);
	rread(c, json_object_get(root, "captains"), cap, NITEMS(cap), r);
	rpop(c, here);
	rpush(c, "races", 0);
	o = json_object_get(root, "races");
	if (rread(c, o, race, NITEMS(race), r)) {
		rkeyed(c, o, "atk_pct", race_ids, CM_RACE_COUNT, PCT_DELTA,
		    r->race_atk_pct);
		rkeyed(c, o, "def_pct", race_ids, CM_RACE_COUNT, PCT_DELTA,
		    r->race_def_pct);
		rkeyed(c, o, "defending_def_pct", race_ids, CM_RACE_COUNT,
		    PCT_DELTA, r->race_def_defending_pct);
	}
	rpop(c, here);
	rpush(c, "modifiers", 0);
	rread(c, json_object_get(root, "modifiers"), mod, NITEMS(mod), r);
	rpop(c, here);
}

/* combat_soil: foreign soil, five bands from day 0, the last open. */
static void
combat_soil(rctx *c, json_t *root, CB *r)
{
	static const rfield top[]  = { F_INTK("sylvaeth_shift_days", CB,
					      soil_sylvaeth_shift_days, 0, 365),
		 F_SKIP("bands") };
	static const rfield band[] = {
		F_INTK("from_day", cm_day_band, from_day, 0, 1000),
		F_INTN("to_day", cm_day_band, to_day, 0, 1000),
		F_INTK("atk_def_pct", cm_day_band, a, -100, 0),
	};
	cm_day_band         tmp[CM_BANDS_MAX];
	const cm_day_band  *b;
	json_t             *o   = json_object_get(root, "foreign_soil");
	size_t              old = rpush(c, "foreign_soil", 0);

	if (rread(c, o, top, NITEMS(top), r)) {
		b = rbands_n(c, o, "bands", band, NITEMS(band), 0,
		    CM_COMBAT_SOIL, tmp);
		for (int i = 0; !c->bad && i < CM_COMBAT_SOIL; i++) {
			r->soil_days[i] = b[i].from_day;
			r->soil_pct[i]  = b[i].a;
		}
	}
	rpop(c, old);
}

/*
 * combat_morale: the range, then CM_COMBAT_BANDS bands best first, each
 * applying from its min up: mins strictly falling, the last at the range's
 * min so that every morale has a band.
 */
static void
combat_morale(rctx *c, json_t *root, CB *r)
{
	static const rfield top[]  = {
                F_INTK("min", CB, morale_min, 0, 1000),
                F_INTK("max", CB, morale_max, 1, 1000),
                F_SKIP("bands"),
                F_INTK("immune_rout_permille", CB,
                    morale_immune_rout_permille, 0, 1000),
                F_INTK("low", CB, morale_low, 0, 1000),
                F_INTK("casualty_factor", CB, morale_casualty_factor, 0,
                    100000),
                F_INTK("decisive_ratio", CB, morale_decisive_ratio, 1, 1000),
                F_INTK("round_won", CB, morale_round_won, 0, 1000),
                F_INTK("round_lost", CB, morale_round_lost, -1000, 0),
                F_INTK("crit_dealt", CB, morale_crit_dealt, 0, 1000),
                F_INTK("crit_received", CB, morale_crit_received, -1000, 0),
                F_INTK("captain_died", CB, morale_captain_died, -1000, 0),
	};
	static const rfield band[] = {
		F_INTK("min", rrow, from, 0, 1000),
		F_INTK("atk_def_pct", rrow, v, -100, 0),
		F_INTK("desertion_pct", rrow, to, PCT),
	};
	json_t *o = json_object_get(root, "morale"), *a, *row;
	size_t  old = rpush(c, "morale", 0), here = c->plen, i;

	if (!rread(c, o, top, NITEMS(top), r)) {
		rpop(c, old);
		return;
	}
	if (r->morale_max <= r->morale_min) {
		rfail(c, "max", "expected > %d (min)", r->morale_min);
	} else if (r->morale_low < r->morale_min ||
	    r->morale_low > r->morale_max) {
		rfail(c, "low", "expected %d..%d", r->morale_min, r->morale_max);
	}
	a = rarr(c, o, "bands", CM_COMBAT_BANDS, CM_COMBAT_BANDS);
	rpush(c, "bands", 0);
	json_array_foreach(a, i, row)
	{
		size_t o2 = rpush(c, NULL, (int) i);
		rrow   w  = { 0 };
		bool   last = i + 1 == CM_COMBAT_BANDS;

		if (!rread(c, row, band, NITEMS(band), &w)) {
		} else if (last && w.from != r->morale_min) {
			rfail(c, "min", "expected %d (the last band starts at "
			    "morale.min)", r->morale_min);
		} else if (w.from < r->morale_min || w.from > r->morale_max ||
		    (i > 0 && w.from >= r->band_min[i - 1])) {
			rfail(c, "min", "expected %d..%d, below the band before",
			    r->morale_min, i > 0 ? r->band_min[i - 1] - 1
			    : r->morale_max);
		}
		r->band_min[i]        = w.from;
		r->band_pct[i]        = w.v;
		r->band_desert_pct[i] = w.to;
		rpop(c, o2);
	}
	rpop(c, here);
	rpop(c, old);
}

/* combat_dice: crits, fumbles, casualties, death saves, prisoners. */
static void
combat_dice(rctx *c, json_t *root, CB *r)
{
	static const rfield crit[] = {
		F_INTK("desertion_pct", CB, crit_desert_pct, PCT),
		F_INTK("loot_pct", CB, crit_loot_pct, SIGNED_PTS),
		F_INTK("wall_ignore_pct", CB, crit_wall_ignore_pct, PCT),
	};
	static const rfield fum[] = {
		F_INTK("friendly_fire_pct", CB, fumble_friendly_pct, 0, 1000),
		F_INTK("loot_pct", CB, fumble_loot_pct, SIGNED_PTS),
		F_INTK("flee_pct", CB, fumble_flee_pct, PCT),
	};
	static const rfield cas[] = { F_SKIP("line_share_pct"),
		F_INTK("prisoner_mult_pct", CB, prisoner_pct, 1, 100) };
	static const char *const lines[] = { "front", "mid", "back" };
	static const rfield save[] = {
		F_INTK("dc", CB, save_dc, 1, 40),
		F_INTK("modifier_cap", CB, save_mod_cap, 0, 20),
		F_INTK("warlord", CB, save_warlord, ROLL_BONUS),
		F_INTK("shadowmaster", CB, save_shadowmaster, ROLL_BONUS),
		F_INTK("ashborn", CB, save_ashborn, ROLL_BONUS),
		F_INTK("fortress_defending", CB, save_fortress_defending,
		    ROLL_BONUS),
		F_INTK("warden", CB, save_warden, ROLL_BONUS),
	};
	static const rfield pris[] = {
		F_INTK("capture_pct", CB, capture_pct, PCT),
		F_INTK("korrath_capture_pct", CB, capture_korrath_pct, PCT),
		F_INTK("profiteer_capture_pct", CB, capture_profiteer_pct, PCT),
	};
	size_t  here = c->plen;
	json_t *o;
	int     sum  = 0;

	_Static_assert(NITEMS(lines) == CM_COMBAT_LINES, "lines");
	rpush(c, "crits", 0);
	rread(c, json_object_get(root, "crits"), crit, NITEMS(crit), r);
	rpop(c, here);
	rpush(c, "fumbles", 0);
	rread(c, json_object_get(root, "fumbles"), fum, NITEMS(fum), r);
	rpop(c, here);
	rpush(c, "casualties", 0);
	o = json_object_get(root, "casualties");
	if (rread(c, o, cas, NITEMS(cas), r)) {
		rkeyed(c, o, "line_share_pct", lines, CM_COMBAT_LINES, PCT,
		    r->line_share_pct);
		for (int l = 0; l < CM_COMBAT_LINES; l++) {
			sum += r->line_share_pct[l];
		}
		if (!c->bad && sum != 100) {
			rfail(c, "line_share_pct",
			    "shares add up to %d, expected 100", sum);
		}
	}
	rpop(c, here);
	rpush(c, "death_saves", 0);
	rread(c, json_object_get(root, "death_saves"), save, NITEMS(save), r);
	rpop(c, here);
	rpush(c, "prisoners", 0);
	rread(c, json_object_get(root, "prisoners"), pris, NITEMS(pris), r);
	rpop(c, here);
}

/* combat_spoils: siege, loot, Ashborn. */
static void
combat_spoils(rctx *c, json_t *root, CB *r)
{
	static const rfield siege[] = {
		F_SKIP("table"),
		F_INTK("ram_wall_mult_pct", CB, ram_wall_pct, 0, 10000),
		F_INTK("ram_other_mult_pct", CB, ram_other_pct, 0, 10000),
		F_INTK("catapult_mult_pct", CB, catapult_pct, 0, 10000),
		F_INTK("trebuchet_mult_pct", CB, trebuchet_pct, 0, 10000),
		F_INTK("vanguard_pct", CB, siege_vanguard_pct, PCT_DELTA),
		F_INTK("artificer_pct", CB, siege_artificer_pct, PCT_DELTA),
		F_INTK("saboteur_pct", CB, siege_saboteur_pct, PCT_DELTA),
		F_INTK("ironveld_defender_pct", CB, siege_ironveld_pct,
		    PCT_DELTA),
	};
	static const rfield loot[] = {
		F_SKIP("table"),
		F_INTK("base_pct", CB, loot_base_pct, PCT),
		F_INTK("korrath_pct", CB, loot_korrath_pct, SIGNED_PTS),
		F_INTK("profiteer_pct", CB, loot_profiteer_pct, SIGNED_PTS),
	};
	static const rfield ash[] = {
		F_SKIP("reformation_table"),
		F_INTK("reformation_roll_bonus", CB, reform_roll_bonus,
		    ROLL_BONUS),
		F_INTK("curse_spread_stacks", CB, curse_spread_stacks, 0, 100),
	};
	static const rfield mult[] = { F_INTK("mult_pct", rrow, v, MULT) };
	static const rfield ret[]  = { F_INTK("return_pct", rrow, v, PCT) };
	size_t  here = c->plen;
	json_t *o;

	rpush(c, "siege", 0);
	o = json_object_get(root, "siege");
	if (rread(c, o, siege, NITEMS(siege), r)) {
		rd20(c, o, "table", mult, 1, r->siege_face_pct, NULL, NULL);
	}
	rpop(c, here);
	rpush(c, "loot", 0);
	o = json_object_get(root, "loot");
	if (rread(c, o, loot, NITEMS(loot), r)) {
		rd20(c, o, "table", mult, 1, r->loot_face_pct, NULL, NULL);
	}
	rpop(c, here);
	rpush(c, "ashborn", 0);
	o = json_object_get(root, "ashborn");
	if (rread(c, o, ash, NITEMS(ash), r)) {
		rd20(c, o, "reformation_table", ret, 1, r->reform_face_pct,
		    NULL, NULL);
	}
	rpop(c, here);
}

/* combat_forsaken: a garrison's D20 table, three day bands, its make-up. */
static void
combat_forsaken(rctx *c, json_t *root, CB *r)
{
	static const rfield top[]  = {
                F_SKIP("garrison_table"),
                F_SKIP("day_bands"),
                F_INTK("min_units", CB, forsaken_min_units, 0, 1000000),
                F_INTK("defender_pct", CB, forsaken_defender_pct, PCT),
                F_INTK("morale", CB, forsaken_morale, 0, 1000),
	};
	static const rfield mult[] = { F_INTK("mult_pct", rrow, v, MULT) };
	static const rfield days[] = {
		F_INTK("from_day", cm_day_band, from_day, 1, 1000),
		F_INTN("to_day", cm_day_band, to_day, 1, 1000),
		F_INTK("strength_mult_pct", cm_day_band, a, MULT),
	};
	cm_day_band        tmp[CM_BANDS_MAX];
	const cm_day_band *b;
	json_t            *o   = json_object_get(root, "forsaken");
	size_t             old = rpush(c, "forsaken", 0);

	if (rread(c, o, top, NITEMS(top), r)) {
		if (r->forsaken_morale < r->morale_min ||
		    r->forsaken_morale > r->morale_max) {
			rfail(c, "morale", "expected %d..%d (combat.morale)",
			    r->morale_min, r->morale_max);
		}
		rd20(c, o, "garrison_table", mult, 1, r->forsaken_face_pct,
		    NULL, NULL);
		b = rbands_n(c, o, "day_bands", days, NITEMS(days), 1, 3, tmp);
		for (int i = 0; !c->bad && i < 3; i++) {
			if (i < 2) {
				r->forsaken_day_max[i] = b[i].to_day;
			}
			r->forsaken_day_pct[i] = b[i].a;
		}
	}
	rpop(c, old);
}

static void
rules_combat(rctx *c, json_t *root, cm__rules *r)
{
	static const rfield top[] = {
		F_INTK("max_rounds", CB, max_rounds, 1, CM_BATTLE_MAX_ROUNDS),
		F_SKIP("rolls"), F_SKIP("terrain"), F_SKIP("heart"),
		F_SKIP("buildings"), F_SKIP("captains"), F_SKIP("races"),
		F_SKIP("modifiers"), F_SKIP("foreign_soil"), F_SKIP("morale"),
		F_SKIP("crits"), F_SKIP("fumbles"), F_SKIP("casualties"),
		F_SKIP("siege"), F_SKIP("death_saves"), F_SKIP("prisoners"),
		F_SKIP("loot"), F_SKIP("ashborn"), F_SKIP("forsaken"),
	};
	CB     *cr  = &r->combat;
	json_t *o   = json_object_get(root, "combat");
	size_t  old = rpush(c, "combat", 0);

	if (rread(c, o, top, NITEMS(top), cr)) {
		combat_rolls(c, o, cr);
		combat_sides(c, o, cr);
		combat_soil(c, o, cr);
		combat_morale(c, o, cr);
		combat_dice(c, o, cr);
		combat_spoils(c, o, cr);
		combat_forsaken(c, o, cr);
	}
	rpop(c, old);
}

#undef CB

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
		rfail(&c, NULL, "line %d column %d: %s", je.line, je.column,
		    je.text);
		return (CM_EINVAL);
	}
	if (!json_is_object(root)) {
		rfail(&c, NULL, "expected a JSON object at the top level");
		json_decref(root);
		return (CM_EINVAL);
	}
	rread(&c, root, top, NITEMS(top), &format);
	rules_generation(&c, root, out);
	rules_races(&c, root, out);
	rules_classes(&c, root, out);
	rules_units(&c, root, out);
	rules_buildings(&c, root, out);
	rpush(&c, "building_limits", 0);
	rread(&c, json_object_get(root, "building_limits"), limit_fields,
	    NITEMS(limit_fields), limits);
	rpop(&c, 0);
	rules_terrain(&c, root, out);
	rules_zones(&c, root, out);
	rules_forsaken(&c, root, out);
	rules_spells(&c, root, out);
	rules_spell_tables(&c, root, out);
	rules_death_save(&c, root, out);
	rules_combat(&c, root, out);
	rules_economy(&c, root, out);
	rules_scoring(&c, root, out);
	rules_tiers(&c, root, out);
	rules_rate_limits(&c, root, out);
	json_decref(root);
	return (c.bad ? CM_EINVAL : CM_OK);
}
