/*
 * shard_effects.c: spells that change an army for a while: how it
 * fights and how fast it marches (§11.2-11.3).
 *
 * The rules file gives each spell its numbers (buff_pct, debuff_pct,
 * duration_hours); which of the army's stats they move is the design's
 * wording, kept here in one table:
 *
 *	shield              DEF +buff              the next battle
 *	stone_skin          DEF +buff, SPD -debuff duration
 *	strength            ATK +buff              the next battle
 *	bloodlust           ATK +buff, DEF -debuff the next battle
 *	battle_rage         ATK +buff              the next battle
 *	titans_blessing     ATK and DEF +buff      duration
 *	curse               ATK and DEF -debuff    duration
 *	titans_whisper      ATK -debuff            duration (each army of
 *	                                           the player: shard_spells.c)
 *	haste               SPD +buff              duration
 *	slow                SPD -debuff            duration
 *	storm_call          SPD -debuff            duration
 *	plague              1-3% die each day      duration (shard_economy.c)
 *	crystal_prison      may not march or       duration (shard_actions.c)
 *	                    attack
 *	earthquake          DEF -debuff in round 1 the next battle
 *	confusion           its strikes may go     duration
 *	                    astray (chance_pct)
 *	nightmare           no rest: morale does   duration (shard_economy.c)
 *	                    not come back
 *	blood_frenzy_spell  ATK +buff for each     the next battle
 *	                    round it killed in
 *	blood_pact          spell losses shared    duration (shard_spells.c)
 *	                    with its partner
 *
 * The last four act inside the battle engine or the daily tick, not as
 * percentages here: shard_effect_battle reads them into the battle's
 * side (shard_combat.c).
 *
 * An army holds at most SH_EFFECTS of them (the oldest gives way); the
 * same spell again refreshes it.  The battle engine takes their sum as
 * the side's atk_pct and def_pct (its multiplier floor keeps stacked
 * debuffs from zeroing an army); a march started while a speed effect
 * holds is that much faster or slower.  What a spell does at once
 * (damage, morale, delays) is shard_spells.c.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "shard_state.h"


enum { ATK = 1, DEF = 2, BOTH = 3, ATK_DEF_DOWN = 4, SPD_UP = 8,
	SPD_DOWN = 16 };

static const struct {
	const char *id;
	int         stats;   /* which stats the buff (or debuff) moves */
	bool        debuff;  /* a debuff: minus */
	bool        lasting; /* for duration_hours, else the next battle */
} table[] = {
	{ "shield", DEF, false, false },
	{ "stone_skin", DEF | SPD_DOWN, false, true },
	{ "strength", ATK, false, false },
	{ "bloodlust", ATK_DEF_DOWN, false, false },
	{ "battle_rage", ATK, false, false },
	{ "titans_blessing", BOTH, false, true },
	{ "curse", BOTH, true, true },
	{ "titans_whisper", ATK, true, true },
	{ "haste", SPD_UP, false, true },
	{ "slow", SPD_DOWN, true, true },
	{ "storm_call", SPD_DOWN, true, true },
	{ "plague", 0, true, true }, /* deaths in the daily tick */
	{ "crystal_prison", 0, true, true }, /* no march, no attack */
	{ "earthquake", 0, true, false },     /* round 1 DEF, in battle */
	{ "confusion", 0, true, true },       /* astray strikes, in battle */
	{ "nightmare", 0, true, true },       /* no rest (daily tick) */
	{ "blood_frenzy_spell", 0, false, false }, /* ATK per kill round */
	{ "blood_pact", 0, false, true },     /* spell losses shared */
};

static int
find(const char *id)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(table[i].id, id) == 0) {
			return ((int) i);
		}
	}
	return (-1);
}

static bool
active(const sh_effect *e, int64_t now)
{
	return (e->until_ms == 0 || e->until_ms > now);
}

bool
shard_effect_cast(shard_world *w, sh_army *a, const cm_spell_def *s,
    int64_t now)
{
	int       k = find(s->id), slot = -1, pct;
	sh_effect e = { .spell = (uint8_t) s->index };

	if (k < 0) {
		return (false);
	}
	pct = table[k].debuff ? -s->debuff_pct : s->buff_pct;
	if (table[k].stats & (ATK | ATK_DEF_DOWN)) {
		e.atk_pct = (int8_t) pct;
	}
	if (table[k].stats & DEF) {
		e.def_pct = (int8_t) pct;
	}
	if (table[k].stats == ATK_DEF_DOWN) {
		e.def_pct = (int8_t) -s->debuff_pct;
	}
	e.spd_pct = (int8_t) (table[k].stats & SPD_UP ? s->buff_pct
	        : table[k].stats & SPD_DOWN          ? -s->debuff_pct
	                                             : 0);
	e.until_ms = table[k].lasting
	    ? now + shard_duration_ms(w, (int64_t) s->duration_hours * SH_HOUR_MS)
	    : 0;
	for (int i = 0; i < a->neffects; i++) {
		if (a->effects[i].spell == e.spell || !active(&a->effects[i], now)) {
			slot = i;
			break;
		}
	}
	if (slot < 0 && a->neffects < SH_EFFECTS) {
		slot = a->neffects++;
	}
	if (slot < 0) { /* full: the oldest gives way */
		memmove(&a->effects[0], &a->effects[1],
		    (SH_EFFECTS - 1) * sizeof(a->effects[0]));
		slot = SH_EFFECTS - 1;
	}
	a->effects[slot] = e;
	return (true);
}

void
shard_effect_sum(const sh_army *a, int64_t now, int *atk_pct, int *def_pct)
{
	for (int i = 0; i < a->neffects; i++) {
		if (active(&a->effects[i], now)) {
			*atk_pct += a->effects[i].atk_pct;
			*def_pct += a->effects[i].def_pct;
		}
	}
}

bool
shard_effect_active(const sh_army *a, const cm_spell_def *s, int64_t now)
{
	for (int i = 0; i < a->neffects; i++) {
		if (a->effects[i].spell == s->index && a->effects[i].until_ms != 0 &&
		    active(&a->effects[i], now)) {
			return (true);
		}
	}
	return (false);
}

/* has: s's effect holds on a at now (a one-battle one included). */
static bool
has(const sh_army *a, const char *id, int64_t now)
{
	const cm_spell_def *s = cm_spell_find(id);

	for (int i = 0; s != NULL && i < a->neffects; i++) {
		if (a->effects[i].spell == s->index &&
		    active(&a->effects[i], now)) {
			return (true);
		}
	}
	return (false);
}

void
shard_effect_battle(const sh_army *a, int64_t now, cm_battle_side *side)
{
	const cm_spell_def *s;

	if (has(a, "earthquake", now)) {
		s = cm_spell_find("earthquake");
		side->round1_def_pct = -s->debuff_pct;
	}
	if (has(a, "confusion", now)) {
		/* The chance is drawn for each battle and recorded in its
		 * input, so a replay needs no other dice. */
		s = cm_spell_find("confusion");
		side->confusion_pct = s->chance_pct_min +
		    (int) randombytes_uniform((uint32_t) (s->chance_pct_max -
		        s->chance_pct_min + 1));
	}
	if (has(a, "blood_frenzy_spell", now)) {
		s = cm_spell_find("blood_frenzy_spell");
		side->kill_atk_pct = s->buff_pct;
	}
}

uint64_t
shard_effect_partner(const sh_army *a, int64_t now)
{
	const cm_spell_def *s = cm_spell_find("blood_pact");

	for (int i = 0; s != NULL && i < a->neffects; i++) {
		if (a->effects[i].spell == s->index &&
		    active(&a->effects[i], now)) {
			return (a->effects[i].partner);
		}
	}
	return (0);
}

void
shard_effect_link(sh_army *a, uint64_t partner)
{
	const cm_spell_def *s = cm_spell_find("blood_pact");

	for (int i = 0; s != NULL && i < a->neffects; i++) {
		if (a->effects[i].spell == s->index) {
			a->effects[i].partner = partner;
		}
	}
}

int
shard_effect_speed_pct(const sh_army *a, int64_t now)
{
	int pct = 0;

	for (int i = 0; i < a->neffects; i++) {
		if (active(&a->effects[i], now)) {
			pct += a->effects[i].spd_pct;
		}
	}
	return (pct);
}

void
shard_effect_spend(sh_army *a, int64_t now)
{
	int k = 0;

	for (int i = 0; i < a->neffects; i++) {
		if (a->effects[i].until_ms != 0 && a->effects[i].until_ms > now) {
			a->effects[k++] = a->effects[i];
		}
	}
	a->neffects = (uint8_t) k;
}

char *
shard_effect_json(const sh_army *a)
{
	json_t *arr = json_array();
	char   *s;

	for (int i = 0; i < a->neffects; i++) {
		const cm_spell_def *sp = cm_spell_at(a->effects[i].spell);

		json_t *o = json_pack("{s:s,s:i,s:i,s:i,s:I}",
		    "spell", sp != NULL ? sp->id : "", "atkPct",
		    a->effects[i].atk_pct, "defPct", a->effects[i].def_pct,
		    "spdPct", a->effects[i].spd_pct, "untilMs",
		    (json_int_t) a->effects[i].until_ms);

		if (a->effects[i].partner != 0) {
			json_object_set_new(o, "partner",
			    json_integer((json_int_t) a->effects[i].partner));
		}
		json_array_append_new(arr, o);
	}
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	cm_assert(s != NULL);
	return (s);
}

void
shard_effect_parse(sh_army *a, const char *text)
{
	json_t *arr = json_loads(text, 0, NULL);
	size_t  i;
	json_t *e;

	a->neffects = 0;
	json_array_foreach(arr, i, e) {
		const cm_spell_def *sp =
		    cm_spell_find(json_string_value(json_object_get(e, "spell")) ?
		            json_string_value(json_object_get(e, "spell")) : "");

		if (sp == NULL || a->neffects >= SH_EFFECTS) {
			continue;
		}
		a->effects[a->neffects++] = (sh_effect) {
			.spell    = (uint8_t) sp->index,
			.atk_pct  = (int8_t) json_integer_value(
                            json_object_get(e, "atkPct")),
			.def_pct  = (int8_t) json_integer_value(
                            json_object_get(e, "defPct")),
			.spd_pct  = (int8_t) json_integer_value(
                            json_object_get(e, "spdPct")),
			.until_ms = json_integer_value(json_object_get(e, "untilMs")),
			.partner  = (uint64_t) json_integer_value(
                            json_object_get(e, "partner")),
		};
	}
	json_decref(arr);
}
