/*
 * shard_combat.c: a revealed attack becomes a battle of the D20 engine
 * (common/cm_battle), and its outcome becomes the world's.
 *
 * The shard gathers the battle's inputs from its state (the armies, the
 * tile, its buildings, the players' races and captains, the day), draws
 * the combat's entropy, lets cm_battle_resolve fight, and applies the
 * result: losses, the capture of the tile, loot, the siege's damage.  The
 * inputs are stored with the combat (combats.battle_input) and the public
 * record (combats.battle_record), so `ndctl replay` recomputes the battle
 * from the inputs alone and anyone can compare its result hash.
 *
 * Entropy: Keccak-256("nd-combat-entropy" || generation secret || combat
 * id, 8 bytes big-endian || the revealed salt).  The attacker fixed the
 * salt before the server's secret could be known, and the secret is
 * published when the generation ends (its hash from the start), so after
 * the end anyone can check that the dice were not chosen.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_battle.h"
#include "cm_hex.h"
#include "cm_keccak.h"
#include "shard_handoff.h"
#include "shard_player_sync.h"
#include "shard_state.h"
#include "shard_vision.h"


void
shard_army_hash(const sh_army *a, uint8_t out[32])
{
	cm_keccak k;
	char      line[64];
	int       n;

	cm_keccak_init(&k);
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		if (a->units[i] != 0) {
			n = snprintf(line, sizeof(line), "%s=%u;", cm_unit(i)->id,
			    a->units[i]);
			cm_keccak_update(&k, line, (size_t) n);
		}
	}
	cm_keccak_final(&k, out);
}

static void
combat_entropy(const shard_world *w, const sh_combat *c, uint8_t out[32])
{
	static const char tag[] = "nd-combat-entropy";
	cm_keccak         k;
	uint8_t           id[8];

	for (int i = 0; i < 8; i++) {
		id[i] = (uint8_t) (c->id >> (56 - 8 * i));
	}
	cm_keccak_init(&k);
	cm_keccak_update(&k, tag, sizeof(tag) - 1);
	cm_keccak_update(&k, w->gen.secret, 32);
	cm_keccak_update(&k, id, sizeof(id));
	cm_keccak_update(&k, c->has_salt ? c->salt : c->commit, 32);
	cm_keccak_final(&k, out);
}

int
shard_game_day(const shard_world *w, int64_t now)
{
	return (cm_generation_day(&w->gen, now, shard_day_ms(w), NULL, NULL));
}

/*
 * side_of_player fills a side's race and captain.  A dead captain's
 * class and skill are gone (§7.4); a wounded one leads nobody and its
 * player's armies fight at -20%; a living one leads the army it is with
 * (the player's first garrison until that army falls).
 */
static void
side_of_player(cm_battle_side *s, const sh_player *p, bool with_captain,
    int64_t now)
{
	bool wounded = !p->captain_dead && p->captain_wounded_until_ms > now;

	s->race   = p->race;
	s->morale = 100;
	if (p->captain_dead) {
		s->cls   = CM_BATTLE_NO_CAPTAIN;
		s->skill = -1;
		return;
	}
	s->cls             = p->cls;
	s->skill           = p->cls * 2 + p->skill;
	s->captain_wounded = wounded;
	s->captain_leads   = with_captain && !wounded;
}

uint64_t
shard_army_size(const sh_army *a)
{
	uint64_t n = 0;

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		n += a->units[i];
	}
	return (n);
}

/*
 * defender_warning sets the battle's surprise and prepared flags (§10.8,
 * §14.4): the defender's warning is the march's game time (the attack is
 * known when it is ordered) plus what its tile's Watchtower, its
 * captain's Oracle skill and its Foresight spell add; under an hour is a
 * surprise (the attacker's advantage), four hours or more a prepared
 * defence (the defender's).
 */
static void
defender_warning(const shard_world *w, const sh_combat *c, const sh_tile *t,
    int64_t now, cm_battle_input *in)
{
	int64_t hours = 0, march;

	if (t->owner == NULL || c->committed_ms <= 0) {
		return; /* the Forsaken are always ready */
	}
	march = (c->arrival_ms - c->committed_ms) * w->time_scale;
	for (int i = 0; i < t->nb; i++) {
		const cm_building_def *b = cm_building(t->b[i].type);

		if (b != NULL && t->b[i].done_ms <= now && t->b[i].hp > 0) {
			hours += b->effects.warning_hours;
		}
	}
	if (!t->owner->captain_dead && cm_class(t->owner->cls) != NULL) {
		hours += cm_class(t->owner->cls)->skills[t->owner->skill & 1]
		             .warning_hours;
	}
	if (t->owner->foresight_until_ms > now) {
		hours += cm_spell_find("foresight")->warning_hours;
	}
	march += hours * 3600 * 1000;
	in->surprise = march < 3600LL * 1000;
	in->prepared = march >= 4 * 3600LL * 1000;
}

/*
 * ground_input: the territory's spells in the battle (shard_ground.c):
 * Fortress of Will's defence of its structures, the Stone Wall, and Mass
 * Reformation for the side of its caster.
 */
static void
ground_input(shard_world *w, const sh_combat *c, const sh_army *a,
    const sh_tile *t, int64_t now, cm_battle_input *in)
{
	const cm_spell_def    *fw = cm_spell_find("fortress_of_will");
	const cm_spell_def    *sw = cm_spell_find("stone_wall");
	const cm_spell_def    *mr = cm_spell_find("mass_reformation");
	const sh_ground_spell *g;

	if (shard_ground_get(w, c->x, c->y, fw, now) != NULL) {
		in->building_def = (uint32_t) fw->structure_def;
	}
	if ((g = shard_ground_get(w, c->x, c->y, sw, now)) != NULL &&
	    g->value > 0) {
		in->stone_wall_hp = (uint32_t) g->value;
	}
	if (shard_ground_by(w, c->x, c->y, mr, a->owner->address,
	        now) != NULL) {
		in->att.reform_pct = mr->buff_pct;
	}
	if (t->owner != NULL && shard_ground_by(w, c->x, c->y, mr,
	                            t->owner->address, now) != NULL) {
		in->def.reform_pct = mr->buff_pct;
	}
}

/*
 * battle_input gathers the battle at c's tile: the attacking army a
 * against the armies the tile's owner keeps there (or the Forsaken).
 */
static void
battle_input(shard_world *w, const sh_combat *c, const sh_army *a,
    const sh_tile *t, int64_t now, cm_battle_input *in)
{
	const sh_army *d, *largest = NULL;
	uint32_t       morale_sum = 0, morale_n = 0, fs;
	bool           captain = false;

	memset(in, 0, sizeof(*in));
	in->combat_id  = c->id;
	in->generation = w->gen.id;
	combat_entropy(w, c, in->entropy);
	cm_rules_hash(in->rules_hash);
	in->x       = c->x;
	in->y       = c->y;
	in->terrain = (int) cm_map_terrain(w->map, c->x, c->y);
	in->zone    = (int) cm_map_zone_at(w->map, c->x, c->y);
	in->day     = shard_game_day(w, now);
	in->defender_home = t->owner != NULL;
	in->hostile_path  = c->hostile_path;
	defender_warning(w, c, t, now, in);
	for (int i = 0; i < t->nb && i < CM_BATTLE_MAX_BUILDINGS; i++) {
		if (t->b[i].done_ms > now || t->b[i].hp <= 0) {
			continue; /* not standing: under construction or razed */
		}
		in->buildings[in->nbuildings].type = t->b[i].type;
		in->buildings[in->nbuildings].hp   = (uint32_t) t->b[i].hp;
		in->nbuildings++;
	}
	side_of_player(&in->att, a->owner, a->id == a->owner->captain_army,
	    now);
	in->att.frenzy = a->owner->frenzy_until_ms > now;
	shard_effect_sum(a, now, &in->att.atk_pct, &in->att.def_pct);
	shard_effect_battle(a, now, &in->att);
	memcpy(in->att.units, a->units, sizeof(a->units));
	in->att.morale            = a->morale;
	in->att.foreign_soil_days = a->foreign_soil_days;
	in->def.race  = -1;
	in->def.cls   = CM_BATTLE_NO_CAPTAIN;
	in->def.skill = -1;
	in->def.morale = 100;
	ground_input(w, c, a, t, now, in);
	if (t->owner == NULL) {
		in->forsaken_strength =
		    cm_map_forsaken(w->map, c->x, c->y, &fs) != CM_FORSAKEN_NONE
		    ? fs : 0;
		return;
	}
	for (d = t->armies; d != NULL; d = d->next_here) {
		captain |= d->owner == t->owner &&
		    d->id == t->owner->captain_army;
	}
	side_of_player(&in->def, t->owner, captain, now);
	for (d = t->armies; d != NULL; d = d->next_here) {
		if (d->owner != t->owner) {
			continue;
		}
		for (int i = 0; i < CM_UNIT_COUNT; i++) {
			in->def.units[i] += d->units[i];
		}
		morale_sum += d->morale;
		morale_n++;
	}
	if (morale_n > 0) {
		in->def.morale = (int) (morale_sum / morale_n);
	}
	/* The spells on the defence are those of its largest army. */
	for (d = t->armies; d != NULL; d = d->next_here) {
		if (d->owner == t->owner &&
		    (largest == NULL || shard_army_size(d) > shard_army_size(largest))) {
			largest = d;
		}
	}
	if (largest != NULL) {
		shard_effect_sum(largest, now, &in->def.atk_pct, &in->def.def_pct);
		shard_effect_battle(largest, now, &in->def);
	}
	/* Troops train where they stand: a completed Armory on the tile
	 * arms its defence (+15%, Korrath +18%). */
	for (int i = 0; i < t->nb; i++) {
		const cm_building_def *b = cm_building(t->b[i].type);

		in->def.armory |= b != NULL && b->effects.trained_atk_pct > 0 &&
		    t->b[i].done_ms <= now && t->b[i].hp > 0;
	}
}

/* take_losses removes loss[] from the armies in order, type by type. */
static void
take_losses(shard_world *w, sh_tile *t, const sh_player *owner,
    const uint32_t *loss)
{
	uint32_t left[CM_UNIT_COUNT];

	memcpy(left, loss, sizeof(left));
	for (sh_army *d = t->armies; d != NULL; d = d->next_here) {
		if (d->owner != owner) {
			continue;
		}
		for (int i = 0; i < CM_UNIT_COUNT; i++) {
			uint32_t k = left[i] < d->units[i] ? left[i]
			                                   : d->units[i];

			d->units[i] -= k;
			left[i] -= k;
		}
		shard_mark_army(w, d->id);
	}
}

static char *
dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(j);
	cm_assert(s != NULL);
	return (s);
}

void
shard_combat_free(sh_combat *c)
{
	if (c != NULL) {
		free(c->battle_input);
		free(c->battle_record);
		free(c);
	}
}

/*
 * apply_result makes the battle's outcome the world's: the defender's
 * losses come off its armies on the tile (emptied armies disband), the
 * attacker's off its army; a winning attacker takes the tile (a Forsaken
 * village is conquered), garrisons it and carries the loot into the
 * tile's stock; the siege's damage stays on the buildings.
 */
static void
apply_result(shard_world *w, sh_combat *c, sh_army *a, sh_tile *t,
    const cm_battle_input *in, const cm_battle_result *o, int64_t now)
{
	sh_player *owner = t->owner;
	sh_army   *d, *next;
	int        bi = 0;

	/* One-battle spells are spent by the battle. */
	shard_effect_spend(a, now);
	for (sh_army *e = t->armies; owner != NULL && e != NULL;
	     e = e->next_here) {
		if (e->owner == owner) {
			shard_effect_spend(e, now);
		}
	}
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		a->units[i] -= o->att_loss[i] < a->units[i] ? o->att_loss[i]
		                                            : a->units[i];
		if (o->winner == CM_BATTLE_ATTACKER) {
			a->units[i] += o->prisoners[i];
		}
	}
	if (owner != NULL) {
		take_losses(w, t, owner, o->def_loss);
		if (o->winner == CM_BATTLE_DEFENDER) {
			for (d = t->armies; d != NULL; d = d->next_here) {
				if (d->owner == owner && d->id == t->garrison) {
					break;
				}
			}
			if (d == NULL) {
				d = t->armies;
				while (d != NULL && d->owner != owner) {
					d = d->next_here;
				}
			}
			for (int i = 0; d != NULL && i < CM_UNIT_COUNT; i++) {
				d->units[i] += o->prisoners[i];
			}
		}
	}
	for (int i = 0; i < t->nb; i++) {
		if (t->b[i].done_ms > now || t->b[i].hp <= 0) {
			continue;
		}
		if (bi < in->nbuildings) {
			t->b[i].hp = (int32_t) o->building_hp[bi++];
		}
	}
	if (in->stone_wall_hp > 0) {
		sh_ground_spell *g = shard_ground_get(w, c->x, c->y,
		    cm_spell_find("stone_wall"), now);

		if (g != NULL && o->stone_wall_hp == 0) {
			shard_ground_end(w, c->x, c->y, g); /* broken */
		} else if (g != NULL) {
			g->value = (int32_t) o->stone_wall_hp;
		}
	}
	shard_mark_tile(w, c->x, c->y);
	if (o->winner == CM_BATTLE_ATTACKER && shard_army_size(a) != 0) {
		for (d = t->armies; d != NULL; d = next) {
			next = d->next_here;
			if (owner != NULL && d->owner == owner) {
				shard_army_free(w, d);
			}
		}
		shard_tile_set_owner(w, c->x, c->y, a->owner);
		t->last_activity_ms = now;
		t->res.gold += (int64_t) o->loot_gold;
		a->status   = SH_IDLE;
		a->garrison = t->garrison == 0;
		shard_army_place(w, a, c->x, c->y);
		shard_mark_army(w, a->id);
		shard_event(w, "territory_captured", a->owner->address, c->x,
		    c->y, json_pack("{s:s,s:s}", "oldOwner",
		              owner ? owner->address : "", "newOwner",
		              a->owner->address));
		shard_outbox(w, "transferPlot",
		    json_pack("{s:i,s:i,s:i,s:s}", "genId", (int) w->gen.id,
		        "x", c->x, "y", c->y, "newOwner", a->owner->address));
	} else if (shard_army_size(a) == 0) {
		shard_army_free(w, a);
	} else {
		/* Beaten or drawn: the survivors stay where they marched
		 * from, idle. */
		a->status = SH_IDLE;
		shard_mark_army(w, a->id);
	}
	if (owner != NULL) {
		for (d = t->armies; d != NULL; d = next) {
			next = d->next_here;
			if (d->owner == owner && shard_army_size(d) == 0) {
				shard_army_free(w, d);
			}
		}
	}
}

/*
 * captain_fate makes a death save's outcome the player's: wounded for 24
 * hours of game time, or dead for the rest of the generation; a captain
 * whose army is gone leads nothing until given another.
 */
static void
captain_fate(shard_world *w, sh_player *p, bool led, cm_captain_fate f,
    int64_t now)
{
	bool changed = false;

	if (p == NULL) {
		return;
	}
	if (f == CM_CAPTAIN_WOUNDED) {
		p->captain_wounded_until_ms = now + shard_duration_ms(w,
		    cm_rules_death_save()->wound_hours * SH_HOUR_MS);
		changed                     = true;
	} else if (f == CM_CAPTAIN_DIED) {
		p->captain_dead = true;
		p->captain_army = 0;
		changed         = true;
	}
	/* Only an army of this battle: the captain's may stand on another
	 * shard's land, which this one does not hold. */
	if (led && p->captain_army != 0 &&
	    cm_table_get_u64(w->armies, p->captain_army) == NULL) {
		p->captain_army = 0;
		changed         = true;
	}
	if (changed && p->home) {
		shard_mark_player(w, p);
	}
}

static void
score(shard_world *w, sh_player *p, int64_t pts)
{
	if (p != NULL && pts > 0) {
		p->points += pts;
		if (p->home) {
			shard_mark_player(w, p);
		}
	}
}

/*
 * battle_points scores a battle (§13.1): the winner gains the battle-won
 * points of the band of the beaten army's strength; a winning attacker
 * gains a Forsaken village's points, or 25 + 5% of the victim's
 * accumulated points for a player's territory (the rules' numbers).
 */
static void
battle_points(shard_world *w, sh_player *attacker, sh_player *defender,
    const cm_battle_input *in, const cm_battle_result *o)
{
	const cm_scoring_rules *sr = cm_rules_scoring();
	const uint32_t         *beaten;
	uint64_t                st;
	int64_t                 won = 0;

	if (o->winner == CM_BATTLE_DRAW) {
		return;
	}
	beaten = o->winner == CM_BATTLE_ATTACKER ? o->def_units : in->att.units;
	st     = shard_army_strength(beaten);
	for (int i = 0; i < sr->nbattle_won; i++) {
		if (st >= (uint64_t) sr->battle_won[i].min_strength) {
			won = sr->battle_won[i].points;
		}
	}
	if (o->winner == CM_BATTLE_DEFENDER) {
		score(w, defender, won);
		return;
	}
	if (defender != NULL) {
		won += sr->capture_base +
		    defender->points * sr->capture_victim_pct / 100;
	} else {
		cm_forsaken_type ft = cm_map_forsaken(w->map, in->x, in->y, NULL);

		if (ft != CM_FORSAKEN_NONE) {
			won += cm_rules_forsaken()->types[ft - 1].domain_points;
		}
	}
	score(w, attacker, won);
}

void
shard_combat_start(shard_world *w, sh_combat *c, int64_t now)
{
	sh_army *a = cm_table_get_u64(w->armies, c->army_id);

	if (a != NULL && !shard_owns_tile(w, c->x, c->y)) {
		shard_handoff_battle(w, a, c); /* the tile's shard fights it */
	} else {
		shard_combat_resolve(w, c, now);
	}
}

void
shard_combat_resolve(shard_world *w, sh_combat *c, int64_t now)
{
	sh_army         *a = cm_table_get_u64(w->armies, c->army_id);
	sh_tile         *t = shard_tile(w, c->x, c->y);
	cm_battle_input  in;
	cm_battle_result o;
	json_t          *rec;
	char             hash[67];
	sh_player       *attacker, *defender;
	sh_psync_snap    att_before, def_before;

	if (a == NULL || t == NULL) {
		return;
	}
	battle_input(w, c, a, t, now, &in);
	cm_battle_resolve(&in, &o);
	memcpy(c->def_units, o.def_units, sizeof(c->def_units));
	memcpy(c->att_loss, o.att_loss, sizeof(c->att_loss));
	memcpy(c->def_loss, o.def_loss, sizeof(c->def_loss));
	memcpy(c->result_hash, o.result_hash, 32);
	c->rounds = (uint32_t) o.nrounds;
	switch (o.winner) {
	case CM_BATTLE_ATTACKER:
		snprintf(c->winner, sizeof(c->winner), "%s", c->attacker);
		break;
	case CM_BATTLE_DEFENDER:
		snprintf(c->winner, sizeof(c->winner), "%s",
		    c->defender[0] ? c->defender : "forsaken");
		break;
	default:
		c->winner[0] = '\0';
		break;
	}
	free(c->battle_input);
	free(c->battle_record);
	c->battle_input  = dump(cm_battle_input_json(&in));
	rec              = cm_battle_result_json(&in, &o);
	c->battle_record = dump(rec);
	attacker = a->owner;
	defender = t->owner;
	/* What changes of a player homed elsewhere goes to its home. */
	shard_player_sync_snap(attacker, &att_before);
	if (defender != NULL) {
		shard_player_sync_snap(defender, &def_before);
	}
	battle_points(w, attacker, defender, &in, &o);
	apply_result(w, c, a, t, &in, &o, now);
	captain_fate(w, attacker, in.att.captain_leads, o.att_captain, now);
	if (o.att_frenzy && cm_race(attacker->race) != NULL) {
		/* Blood Frenzy: the Korrath's ATK for a while after attacking. */
		attacker->frenzy_until_ms = now + shard_duration_ms(w,
		    (int64_t) cm_race(attacker->race)->blood_frenzy_hours *
		        3600 * 1000);
		if (attacker->home) {
			shard_mark_player(w, attacker);
		}
	}
	captain_fate(w, defender, in.def.captain_leads, o.def_captain, now);
	shard_player_sync_after(w, attacker, &att_before);
	if (defender != NULL) {
		shard_player_sync_after(w, defender, &def_before);
	}
	snprintf(c->status, sizeof(c->status), "completed");
	c->resolved_ms = now;
	shard_mark_combat(w, c);
	memcpy(hash, "0x", 2);
	cm_hex_encode(c->result_hash, 32, hash + 2);
	hash[66] = '\0';
	shard_event(w, "combat_resolved", c->attacker, c->x, c->y,
	    json_pack("{s:I,s:s,s:s,s:s}", "combatId", (json_int_t) c->id,
	        "winner", cm_battle_winner_name(o.winner), "winnerAddress",
	        c->winner, "resultHash", hash));
	shard_outbox(w, "resolveAttack",
	    json_pack("{s:i,s:s,s:I,s:s,s:s}", "genId", (int) w->gen.id,
	        "attacker", c->attacker, "attackId", (json_int_t) c->id,
	        "winner", c->winner, "resultHash", hash));
}
