/*
 * shard_ground.c: the spells that stay on a territory for a while
 * (§11.2-11.3), other than Titan's Aegis (sh_tile.aegis_until_ms):
 *
 *	ward              the next hostile spell aimed at the territory (or
 *	                  an army on it) is absorbed, then the ward is gone
 *	fortress_of_will  its structures take structure_def less of each
 *	                  siege hit (cm_battle_input.building_def)
 *	stone_wall        a wall of wall_hp hit points (value: those left)
 *	                  that the siege must break first
 *	                  (cm_battle_input.stone_wall_hp)
 *	illusion_army     scout reports of the territory show its armies
 *	                  buff_pct larger, or a made-up army when it has none
 *	ash_cloud         the territory is seen one level worse (vision)
 *	mass_reformation  the caster's Ashborn dead in its battles there
 *	                  reform buff_pct more (cm_battle_side.reform_pct)
 *	raise_dead        a mark: the caster's dead there until its cast
 *	                  have been raised (shard_spells.c)
 *
 * Few territories carry one, so they live in the world's ground table
 * (tile index -> sh_ground) rather than in every sh_tile, and a
 * territory's list is stored with its row (territories.spells, JSON, as
 * the armies' effects are).  A spell cast again on the same territory
 * replaces its own entry; at most SH_GROUND of them hold a territory (the
 * oldest gives way); Mass Reformation and Raise Dead keep one a caster.
 * Expired entries are dropped when the list changes.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "shard_state.h"

static sh_ground *
ground(shard_world *w, int x, int y, bool make)
{
	sh_ground *g;
	uint32_t   idx;

	if (shard_tile(w, x, y) == NULL) {
		return (NULL);
	}
	idx = shard_tile_index(w, x, y);
	g = cm_table_get_u64(w->ground, idx);
	if (g == NULL && make) {
		g = cm_calloc(1, sizeof(*g));
		g->idx = idx;
		cm_table_put_u64(w->ground, idx, g);
	}
	return (g);
}

/* Spells each caster keeps its own entry of (the others: one a tile). */
static bool
per_caster(const cm_spell_def *s)
{
	return (strcmp(s->id, "mass_reformation") == 0 ||
	    strcmp(s->id, "raise_dead") == 0);
}

sh_ground_spell *
shard_ground_by(shard_world *w, int x, int y, const cm_spell_def *s,
    const char *caster, int64_t now)
{
	sh_ground *g = ground(w, x, y, false);

	for (int i = 0; g != NULL && i < g->n; i++) {
		if (g->s[i].spell == s->index && g->s[i].until_ms > now &&
		    (caster == NULL || strcmp(g->s[i].caster, caster) == 0)) {
			return (&g->s[i]);
		}
	}
	return (NULL);
}

sh_ground_spell *
shard_ground_get(shard_world *w, int x, int y, const cm_spell_def *s,
    int64_t now)
{
	return (shard_ground_by(w, x, y, s, NULL, now));
}

sh_ground_spell *
shard_ground_put(shard_world *w, int x, int y, const cm_spell_def *s,
    const sh_player *caster, int32_t value, int64_t until_ms, int64_t now)
{
	sh_ground *g = ground(w, x, y, true);
	int        k = 0;

	cm_assert(g != NULL);
	/* Drop the expired and this spell's old entry (this caster's). */
	for (int i = 0; i < g->n; i++) {
		if (g->s[i].until_ms > now && (g->s[i].spell != s->index ||
		    (per_caster(s) && caster != NULL &&
		        strcmp(g->s[i].caster, caster->address) != 0))) {
			g->s[k++] = g->s[i];
		}
	}
	g->n = k;
	if (g->n == SH_GROUND) { /* full: the oldest gives way */
		memmove(&g->s[0], &g->s[1], (SH_GROUND - 1) * sizeof(g->s[0]));
		g->n--;
	}
	g->s[g->n] = (sh_ground_spell) { .spell = (uint8_t) s->index,
		.value = value, .until_ms = until_ms };
	snprintf(g->s[g->n].caster, sizeof(g->s[0].caster), "%s",
	    caster != NULL ? caster->address : "");
	shard_mark_tile(w, x, y);
	return (&g->s[g->n++]);
}

void
shard_ground_end(shard_world *w, int x, int y, sh_ground_spell *e)
{
	e->until_ms = 0; /* dropped the next time the list changes */
	shard_mark_tile(w, x, y);
}

char *
shard_ground_json(shard_world *w, uint32_t idx, int64_t now)
{
	sh_ground *g = cm_table_get_u64(w->ground, idx);
	json_t    *arr;
	char      *s;
	int        n = 0;

	for (int i = 0; g != NULL && i < g->n; i++) {
		n += g->s[i].until_ms > now;
	}
	if (n == 0) {
		return (NULL);
	}
	arr = json_array();
	for (int i = 0; i < g->n; i++) {
		const cm_spell_def *sp = cm_spell_at(g->s[i].spell);

		if (g->s[i].until_ms <= now || sp == NULL) {
			continue;
		}
		json_array_append_new(arr, json_pack("{s:s,s:s,s:i,s:I}",
		    "spell", sp->id, "caster", g->s[i].caster, "value",
		    (int) g->s[i].value, "untilMs",
		    (json_int_t) g->s[i].until_ms));
	}
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	cm_assert(s != NULL);
	return (s);
}

void
shard_ground_parse(shard_world *w, int x, int y, const char *text)
{
	json_t *arr = json_loads(text, 0, NULL);
	size_t  i;
	json_t *e;

	json_array_foreach(arr, i, e) {
		const char         *id = json_string_value(json_object_get(e,
		    "spell"));
		const char         *who = json_string_value(json_object_get(e,
		    "caster"));
		const cm_spell_def *sp = cm_spell_find(id != NULL ? id : "");
		sh_ground          *g;

		if (sp == NULL || (g = ground(w, x, y, true)) == NULL ||
		    g->n >= SH_GROUND) {
			continue;
		}
		g->s[g->n] = (sh_ground_spell) { .spell = (uint8_t) sp->index,
			.value = (int32_t) json_integer_value(
			    json_object_get(e, "value")),
			.until_ms = json_integer_value(json_object_get(e,
			    "untilMs")) };
		snprintf(g->s[g->n].caster, sizeof(g->s[0].caster), "%s",
		    who != NULL ? who : "");
		g->n++;
	}
	json_decref(arr);
}
