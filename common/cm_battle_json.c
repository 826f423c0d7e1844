/*
 * cm_battle_json.c: a battle's JSON (cm_battle.h): its inputs, as stored
 * with the combat and read back strictly by `ndctl replay`, and its
 * public record (GET /combat/:id/result).  Integers only, units by id,
 * bytes as 0x-hex.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_battle.h"
#include "cm_combat_rules.h"
#include "cm_hex.h"

#define NU CM_UNIT_COUNT

const char *
cm_battle_winner_name(cm_battle_winner w)
{
	switch (w) {
	case CM_BATTLE_ATTACKER:
		return ("attacker");
	case CM_BATTLE_DEFENDER:
		return ("defender");
	default:
		return ("draw");
	}
}

static const char *
battle_end_name(cm_battle_end e)
{
	switch (e) {
	case CM_BATTLE_WIPE:
		return ("wipe");
	case CM_BATTLE_ROUT:
		return ("rout");
	default:
		return ("stalemate");
	}
}

static const char *
battle_fate_name(cm_captain_fate f)
{
	switch (f) {
	case CM_CAPTAIN_WOUNDED:
		return ("wounded");
	case CM_CAPTAIN_DIED:
		return ("died");
	default:
		return ("untouched");
	}
}

/* jint: a JSON integer of v, clamped to json_int_t. */
static json_t *
jint(uint64_t v)
{
	return (json_integer(v > (uint64_t) INT64_MAX
	    ? INT64_MAX : (json_int_t) v));
}

static json_t *
units_json(const uint32_t *u)
{
	json_t *o = json_object();

	for (int t = 0; t < NU; t++) {
		if (u[t] != 0) {
			json_object_set_new(o, cm_unit(t)->id, jint(u[t]));
		}
	}
	return (o);
}

static json_t *
hex_json(const uint8_t b[32])
{
	char s[2 + 64 + 1] = "0x";

	cm_hex_encode(b, 32, s + 2);
	return (json_string(s));
}

/* The spells' fields: only the non-zero ones, as in the bytes. */
static void
set_nonzero(json_t *o, const char *key, int64_t v)
{
	if (v != 0) {
		json_object_set_new(o, key, json_integer(v));
	}
}

static json_t *
side_core_json(const cm_battle_side *s)
{
	return (json_pack("{s:i,s:i,s:i,s:b,s:b,s:o,s:o,s:i,s:i,s:i,s:i,s:i,"
	    "s:b,s:b}", "race", s->race, "cls", s->cls, "skill", s->skill,
	    "captainLeads", s->captain_leads, "captainWounded",
	    s->captain_wounded, "units", units_json(s->units), "prisoners",
	    units_json(s->prisoners), "morale", s->morale, "atkPct",
	    s->atk_pct, "defPct", s->def_pct, "curseStacks", s->curse_stacks,
	    "foreignSoilDays", s->foreign_soil_days, "frenzy", s->frenzy,
	    "armory", s->armory));
}

static json_t *
side_json(const cm_battle_side *s)
{
	json_t *o = side_core_json(s);

	set_nonzero(o, "round1DefPct", s->round1_def_pct);
	set_nonzero(o, "confusionPct", s->confusion_pct);
	set_nonzero(o, "killAtkPct", s->kill_atk_pct);
	set_nonzero(o, "reformPct", s->reform_pct);
	return (o);
}

static const char *
building_name(int type)
{
	const cm_building_def *d = cm_building(type);

	return (d != NULL ? d->id : "unknown");
}

json_t *
cm_battle_input_json(const cm_battle_input *in)
{
	json_t *o = json_object(), *bl = json_array();
	int     nb = cm_battle_nbuildings(in);

	for (int i = 0; i < nb; i++) {
		json_array_append_new(bl, json_pack("{s:s,s:o}", "type",
		    building_name(in->buildings[i].type), "hp",
		    jint(in->buildings[i].hp)));
	}
	json_object_set_new(o, "combatId", jint(in->combat_id));
	json_object_set_new(o, "generation", jint(in->generation));
	json_object_set_new(o, "entropy", hex_json(in->entropy));
	json_object_set_new(o, "rulesHash", hex_json(in->rules_hash));
	json_object_set_new(o, "x", json_integer(in->x));
	json_object_set_new(o, "y", json_integer(in->y));
	json_object_set_new(o, "terrain", json_integer(in->terrain));
	json_object_set_new(o, "zone", json_integer(in->zone));
	json_object_set_new(o, "day", json_integer(in->day));
	json_object_set_new(o, "defenderHome",
	    json_boolean(in->defender_home));
	json_object_set_new(o, "surprise", json_boolean(in->surprise));
	json_object_set_new(o, "prepared", json_boolean(in->prepared));
	json_object_set_new(o, "hostilePath", json_boolean(in->hostile_path));
	json_object_set_new(o, "forsakenStrength",
	    jint(in->forsaken_strength));
	json_object_set_new(o, "buildings", bl);
	set_nonzero(o, "buildingDef", in->building_def);
	set_nonzero(o, "stoneWallHp", in->stone_wall_hp);
	json_object_set_new(o, "att", side_json(&in->att));
	json_object_set_new(o, "def", side_json(&in->def));
	return (o);
}

/* The strict reader: every failure names its field in err. */
typedef struct jrd {
	char  *err;
	size_t errlen;
} jrd;

static cm_err
jfail(jrd *r, const char *path, const char *key, const char *what)
{
	if (r->errlen > 0) {
		snprintf(r->err, r->errlen, "%s%s%s: %s", path,
		    *path != '\0' && *key != '\0' ? "." : "", key, what);
	}
	return (CM_EINVAL);
}

/* jkeys refuses keys of o not in the NULL-terminated list allowed. */
static cm_err
jkeys(jrd *r, const char *path, const json_t *o, const char *const *allowed)
{
	const char *k;
	json_t     *v;

	if (!json_is_object(o)) {
		return (jfail(r, path, "", "not an object"));
	}
	json_object_foreach((json_t *) o, k, v) {
		bool ok = false;

		for (int i = 0; allowed[i] != NULL && !ok; i++) {
			ok = strcmp(allowed[i], k) == 0;
		}
		if (!ok) {
			return (jfail(r, path, k, "unknown field"));
		}
	}
	return (CM_OK);
}

static cm_err
jget(jrd *r, const char *path, const json_t *o, const char *key,
    json_t **v)
{
	*v = json_object_get(o, key);
	return (*v == NULL ? jfail(r, path, key, "missing") : CM_OK);
}

static cm_err
jint_range(jrd *r, const char *path, const char *key, const json_t *v,
    int64_t lo, int64_t hi, int64_t *out)
{
	char what[96];

	if (json_is_integer(v) && json_integer_value(v) >= lo &&
	    json_integer_value(v) <= hi) {
		*out = json_integer_value(v);
		return (CM_OK);
	}
	snprintf(what, sizeof(what), "not an integer in %lld..%lld",
	    (long long) lo, (long long) hi);
	return (jfail(r, path, key, what));
}

static cm_err
jget_int(jrd *r, const char *path, const json_t *o, const char *key,
    int64_t lo, int64_t hi, int64_t *out)
{
	json_t *v;
	cm_err  e;

	if ((e = jget(r, path, o, key, &v)) != CM_OK) {
		return (e);
	}
	return (jint_range(r, path, key, v, lo, hi, out));
}

static cm_err
jget_i(jrd *r, const char *path, const json_t *o, const char *key,
    int lo, int hi, int *out)
{
	int64_t v;
	cm_err  e = jget_int(r, path, o, key, lo, hi, &v);

	if (e == CM_OK) {
		*out = (int) v;
	}
	return (e);
}

static cm_err
jget_bool(jrd *r, const char *path, const json_t *o, const char *key,
    bool *out)
{
	json_t *v;
	cm_err  e;

	if ((e = jget(r, path, o, key, &v)) != CM_OK) {
		return (e);
	}
	if (!json_is_boolean(v)) {
		return (jfail(r, path, key, "not a boolean"));
	}
	*out = json_is_true(v);
	return (CM_OK);
}

static cm_err
jget_hex32(jrd *r, const char *path, const json_t *o, const char *key,
    uint8_t out[32])
{
	json_t     *v;
	const char *s;
	cm_err      e;

	if ((e = jget(r, path, o, key, &v)) != CM_OK) {
		return (e);
	}
	s = json_string_value(v);
	if (s == NULL || strlen(s) != 66 || s[0] != '0' || s[1] != 'x') {
		return (jfail(r, path, key, "not 0x and 64 lowercase hex"));
	}
	for (int i = 2; i < 66; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f'))) {
			return (jfail(r, path, key,
			    "not 0x and 64 lowercase hex"));
		}
	}
	return (cm_hex_decode(s, 66, out, 32) == CM_OK ? CM_OK
	    : jfail(r, path, key, "not 0x and 64 lowercase hex"));
}

static cm_err
jget_units(jrd *r, const char *path, const json_t *o, const char *key,
    uint32_t *out)
{
	json_t     *u, *v;
	const char *k;
	char        p[64];
	cm_err      e;

	if ((e = jget(r, path, o, key, &u)) != CM_OK) {
		return (e);
	}
	snprintf(p, sizeof(p), "%s.%s", path, key);
	if (!json_is_object(u)) {
		return (jfail(r, p, "", "not an object"));
	}
	memset(out, 0, NU * sizeof(uint32_t));
	json_object_foreach(u, k, v) {
		int     t = cm_unit_index(k);
		int64_t n;

		if (t < 0) {
			return (jfail(r, p, k, "unknown unit"));
		}
		if ((e = jint_range(r, p, k, v, 0, UINT32_MAX, &n)) != CM_OK) {
			return (e);
		}
		out[t] = (uint32_t) n;
	}
	return (CM_OK);
}

static const char *const side_keys[] = { "race", "cls", "skill",
	"captainLeads", "captainWounded", "units", "prisoners", "morale",
	"atkPct", "defPct", "curseStacks", "foreignSoilDays", "frenzy",
	"armory", "round1DefPct", "confusionPct", "killAtkPct", "reformPct",
	NULL };

/* jopt_i: an optional integer field (the spells'), 0 when absent. */
static cm_err
jopt_i(jrd *r, const char *path, const json_t *o, const char *key, int lo,
    int hi, int *out)
{
	int64_t v;
	cm_err  e;

	*out = 0;
	if (json_object_get(o, key) == NULL) {
		return (CM_OK);
	}
	if ((e = jint_range(r, path, key, json_object_get(o, key), lo, hi,
	    &v)) != CM_OK) {
		return (e);
	}
	*out = (int) v;
	return (CM_OK);
}

static cm_err
side_parse(jrd *r, const json_t *o, const char *path, cm_battle_side *s)
{
	json_t *v;
	cm_err  e;

	if ((e = jget(r, "", o, path, &v)) != CM_OK ||
	    (e = jkeys(r, path, v, side_keys)) != CM_OK ||
	    (e = jget_i(r, path, v, "race", -1, CM_RACE_COUNT - 1,
	    &s->race)) != CM_OK ||
	    (e = jget_i(r, path, v, "cls", -1, CM_CLASS_COUNT - 1,
	    &s->cls)) != CM_OK ||
	    (e = jget_i(r, path, v, "skill", -1, CM_CLASS_COUNT * 2 - 1,
	    &s->skill)) != CM_OK ||
	    (e = jget_bool(r, path, v, "captainLeads",
	    &s->captain_leads)) != CM_OK ||
	    (e = jget_bool(r, path, v, "captainWounded",
	    &s->captain_wounded)) != CM_OK ||
	    (e = jget_units(r, path, v, "units", s->units)) != CM_OK ||
	    (e = jget_units(r, path, v, "prisoners", s->prisoners)) != CM_OK ||
	    (e = jget_i(r, path, v, "morale", 0, 150, &s->morale)) != CM_OK ||
	    (e = jget_i(r, path, v, "atkPct", -100, 1000,
	    &s->atk_pct)) != CM_OK ||
	    (e = jget_i(r, path, v, "defPct", -100, 1000,
	    &s->def_pct)) != CM_OK ||
	    (e = jget_i(r, path, v, "curseStacks", 0, 5,
	    &s->curse_stacks)) != CM_OK ||
	    (e = jget_i(r, path, v, "foreignSoilDays", 0, 100000,
	    &s->foreign_soil_days)) != CM_OK ||
	    (e = jget_bool(r, path, v, "frenzy", &s->frenzy)) != CM_OK ||
	    (e = jget_bool(r, path, v, "armory", &s->armory)) != CM_OK ||
	    (e = jopt_i(r, path, v, "round1DefPct", -100, 1000,
	    &s->round1_def_pct)) != CM_OK ||
	    (e = jopt_i(r, path, v, "confusionPct", 0, 100,
	    &s->confusion_pct)) != CM_OK ||
	    (e = jopt_i(r, path, v, "killAtkPct", -100, 1000,
	    &s->kill_atk_pct)) != CM_OK ||
	    (e = jopt_i(r, path, v, "reformPct", -100, 100,
	    &s->reform_pct)) != CM_OK) {
		return (e);
	}
	return (CM_OK);
}

static cm_err
buildings_parse(jrd *r, const json_t *o, cm_battle_input *in)
{
	static const char *const keys[] = { "type", "hp", NULL };
	json_t *a, *b, *v;
	size_t  i;
	char    p[32];
	cm_err  e;

	if ((e = jget(r, "", o, "buildings", &a)) != CM_OK) {
		return (e);
	}
	if (!json_is_array(a) || json_array_size(a) > CM_BATTLE_MAX_BUILDINGS) {
		return (jfail(r, "", "buildings", "not an array of at most 6"));
	}
	json_array_foreach(a, i, b) {
		int64_t hp;

		snprintf(p, sizeof(p), "buildings[%zu]", i);
		if ((e = jkeys(r, p, b, keys)) != CM_OK ||
		    (e = jget(r, p, b, "type", &v)) != CM_OK) {
			return (e);
		}
		if (!json_is_string(v) ||
		    cm_building_index(json_string_value(v)) < 0) {
			return (jfail(r, p, "type", "not a building id"));
		}
		in->buildings[i].type = cm_building_index(json_string_value(v));
		if ((e = jget_int(r, p, b, "hp", 0, UINT32_MAX, &hp)) != CM_OK) {
			return (e);
		}
		in->buildings[i].hp = (uint32_t) hp;
	}
	in->nbuildings = (int) json_array_size(a);
	return (CM_OK);
}

cm_err
cm_battle_input_parse(const json_t *j, cm_battle_input *out, char *err,
    size_t errlen)
{
	static const char *const keys[] = { "combatId", "generation",
		"entropy", "rulesHash", "x", "y", "terrain", "zone", "day",
		"defenderHome", "surprise", "prepared", "hostilePath",
		"forsakenStrength", "buildings", "buildingDef", "stoneWallHp",
		"att", "def", NULL };
	jrd             r = { err, errlen };
	cm_battle_input in;
	int64_t         v;
	int             vi;
	cm_err          e;

	if (errlen > 0) {
		err[0] = '\0';
	}
	memset(&in, 0, sizeof(in));
	if ((e = jkeys(&r, "", j, keys)) != CM_OK ||
	    (e = jget_int(&r, "", j, "combatId", 0, INT64_MAX, &v)) != CM_OK) {
		return (e);
	}
	in.combat_id = (uint64_t) v;
	if ((e = jget_int(&r, "", j, "generation", 0, UINT32_MAX, &v)) != CM_OK) {
		return (e);
	}
	in.generation = (uint32_t) v;
	if ((e = jget_hex32(&r, "", j, "entropy", in.entropy)) != CM_OK ||
	    (e = jget_hex32(&r, "", j, "rulesHash", in.rules_hash)) != CM_OK ||
	    (e = jget_i(&r, "", j, "x", 0, INT32_MAX, &in.x)) != CM_OK ||
	    (e = jget_i(&r, "", j, "y", 0, INT32_MAX, &in.y)) != CM_OK ||
	    (e = jget_i(&r, "", j, "terrain", 0, CM_COMBAT_TERRAINS - 1,
	    &in.terrain)) != CM_OK ||
	    (e = jget_i(&r, "", j, "zone", 0, 3, &in.zone)) != CM_OK ||
	    (e = jget_i(&r, "", j, "day", 0, 100000, &in.day)) != CM_OK ||
	    (e = jget_bool(&r, "", j, "defenderHome",
	    &in.defender_home)) != CM_OK ||
	    (e = jget_bool(&r, "", j, "surprise", &in.surprise)) != CM_OK ||
	    (e = jget_bool(&r, "", j, "prepared", &in.prepared)) != CM_OK ||
	    (e = jget_bool(&r, "", j, "hostilePath",
	    &in.hostile_path)) != CM_OK ||
	    (e = jget_int(&r, "", j, "forsakenStrength", 0, UINT32_MAX,
	    &v)) != CM_OK) {
		return (e);
	}
	in.forsaken_strength = (uint32_t) v;
	/* The spells' fields are optional: battles fought before them
	 * have none (and zero is what they were). */
	if ((e = jopt_i(&r, "", j, "buildingDef", 0, INT_MAX, &vi)) != CM_OK) {
		return (e);
	}
	in.building_def = (uint32_t) vi;
	if ((e = jopt_i(&r, "", j, "stoneWallHp", 0, INT_MAX, &vi)) != CM_OK) {
		return (e);
	}
	in.stone_wall_hp = (uint32_t) vi;
	if ((e = buildings_parse(&r, j, &in)) != CM_OK ||
	    (e = side_parse(&r, j, "att", &in.att)) != CM_OK ||
	    (e = side_parse(&r, j, "def", &in.def)) != CM_OK) {
		return (e);
	}
	*out = in;
	return (CM_OK);
}

static json_t *
round_side_json(uint8_t ar, uint8_t dr, uint64_t dmg, uint8_t crit,
    uint8_t fum, bool ev, bool confused, const uint32_t *loss,
    uint32_t fled, int morale)
{
	json_t *o = json_pack("{s:i,s:i,s:o,s:i,s:i,s:b,s:o,s:o,s:i}",
	    "attackRoll", ar, "defenceRoll", dr, "damage", jint(dmg), "crit",
	    crit, "fumble", fum, "evaded", ev, "losses", units_json(loss),
	    "fled", jint(fled), "morale", morale);

	if (confused) { /* only when Confusion sent the strike astray */
		json_object_set_new(o, "confused", json_true());
	}
	return (o);
}

json_t *
cm_battle_result_json(const cm_battle_input *in, const cm_battle_result *o)
{
	json_t *rounds = json_array(), *bl = json_array(), *res;
	char    h[2 + 64 + 1] = "0x";
	int     nb = cm_battle_nbuildings(in);

	for (int k = 0; k < o->nrounds && k < CM_BATTLE_MAX_ROUNDS; k++) {
		const cm_battle_round *r = &o->round[k];

		json_array_append_new(rounds, json_pack("{s:i,s:o,s:o,s:i,s:o}",
		    "round", k + 1, "attacker", round_side_json(
		    r->att_attack_roll, r->att_defence_roll, r->att_damage,
		    r->att_crit, r->att_fumble, r->att_evaded, r->att_confused,
		    r->att_loss,
		    r->att_fled, r->att_morale), "defender", round_side_json(
		    r->def_attack_roll, r->def_defence_roll, r->def_damage,
		    r->def_crit, r->def_fumble, r->def_evaded, r->def_confused,
		    r->def_loss,
		    r->def_fled, r->def_morale), "siegeRoll", r->siege_roll,
		    "siegeDamage", jint(r->siege_damage)));
	}
	for (int i = 0; i < nb; i++) {
		json_array_append_new(bl, json_pack("{s:s,s:o}", "type",
		    building_name(in->buildings[i].type), "hp",
		    jint(o->building_hp[i])));
	}
	res = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:{s:o,s:o},"
	    "s:{s:i,s:i,s:o},s:{s:s,s:s},s:o,s:{s:i,s:i},s:b}",
	    "winner", cm_battle_winner_name(o->winner), "end",
	    battle_end_name(o->end), "attackerLosses", units_json(o->att_loss),
	    "defenderLosses", units_json(o->def_loss), "defenderUnits",
	    units_json(o->def_units), "prisoners", units_json(o->prisoners),
	    "reformed", "attacker", units_json(o->att_reformed), "defender",
	    units_json(o->def_reformed), "loot", "roll", o->loot_roll,
	    "percent", o->loot_pct, "gold", jint(o->loot_gold), "captains",
	    "attacker", battle_fate_name(o->att_captain), "defender",
	    battle_fate_name(o->def_captain), "buildings", bl, "curse",
	    "attacker", o->curse_on_att, "defender", o->curse_on_def,
	    "frenzy", o->att_frenzy);
	if (in->stone_wall_hp != 0) {
		json_object_set_new(res, "stoneWallHp",
		    jint(o->stone_wall_hp));
	}
	cm_hex_encode(o->result_hash, 32, h + 2);
	return (json_pack("{s:o,s:o,s:s}", "rounds", rounds, "result", res,
	    "resultHash", h));
}
