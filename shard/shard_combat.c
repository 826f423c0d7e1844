/*
 * shard_combat.c: the placeholder battle (the rules issue brings the D20
 * combat of the design).
 *
 * Deterministic and free of chance: the attacking army's strength is the
 * sum of its units' ATK, the defence the sum of DEF over the armies the
 * tile's owner has on the tile.  The attacker wins if its strength is
 * greater.  The loser's armies are destroyed; the winner loses, of each
 * unit type, floor(n * loser / (2 * winner)).  A winning attacker takes
 * the tile and garrisons it.  The result hash is Keccak-256 of the
 * result's canonical text (docs/rules.md), so anyone holding the inputs
 * can recompute it.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_hex.h"
#include "cm_keccak.h"
#include "shard_state.h"

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

static uint64_t
strength(const uint32_t *u, bool attack)
{
	uint64_t s = 0;

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		s += (uint64_t) u[i] *
		    (uint64_t) (attack ? cm_unit(i)->atk : cm_unit(i)->def);
	}
	return (s);
}

static void
apply_losses(uint32_t *units, uint32_t *loss, uint64_t lose, uint64_t win)
{
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		uint32_t l = win == 0 ? units[i]
		    : (uint32_t) ((uint64_t) units[i] * lose / (2 * win));

		loss[i] += l;
		units[i] -= l;
	}
}

static void
result_hash(const shard_world *w, sh_combat *c)
{
	cm_keccak k;
	uint8_t   rules[32];
	char      hex[65], line[512];
	int       n;

	cm_rules_hash(rules);
	cm_hex_encode(rules, 32, hex);
	hex[64] = '\0';
	cm_keccak_init(&k);
	n = snprintf(line, sizeof(line), "combat %llu gen %u at %d,%d\n"
	    "attacker %s\ndefender %s\nwinner %s\nrounds %u\nrules %s\n",
	    (unsigned long long) c->id, w->gen.id, c->x, c->y, c->attacker,
	    c->defender, c->winner, c->rounds, hex);
	cm_assert(n > 0 && (size_t) n < sizeof(line));
	cm_keccak_update(&k, line, (size_t) n);
	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		n = snprintf(line, sizeof(line), "%s %u %u %u %u\n",
		    cm_unit(i)->id, c->att_units[i], c->att_loss[i],
		    c->def_units[i], c->def_loss[i]);
		cm_keccak_update(&k, line, (size_t) n);
	}
	cm_keccak_final(&k, c->result_hash);
}

void
shard_combat_resolve(shard_world *w, sh_combat *c, int64_t now)
{
	sh_army  *a = cm_table_get_u64(w->armies, c->army_id);
	sh_tile  *t = shard_tile(w, c->x, c->y);
	sh_army  *d, *next;
	uint64_t  ap, dp;
	char      hash[67];
	sh_player *owner;

	if (a == NULL || t == NULL) {
		return;
	}
	owner = t->owner;
	memset(c->def_units, 0, sizeof(c->def_units));
	for (d = t->armies; d != NULL; d = d->next_here) {
		if (owner != NULL && d->owner == owner) {
			for (int i = 0; i < CM_UNIT_COUNT; i++) {
				c->def_units[i] += d->units[i];
			}
		}
	}
	ap        = strength(a->units, true);
	dp        = strength(c->def_units, false);
	c->rounds = 1;
	if (ap > dp) {
		snprintf(c->winner, sizeof(c->winner), "%s", c->attacker);
		apply_losses(a->units, c->att_loss, dp, ap);
		for (d = t->armies; d != NULL; d = next) {
			next = d->next_here;
			if (owner != NULL && d->owner == owner) {
				for (int i = 0; i < CM_UNIT_COUNT; i++) {
					c->def_loss[i] += d->units[i];
				}
				shard_army_free(w, d);
			}
		}
		shard_tile_set_owner(w, c->x, c->y, a->owner);
		t->last_activity_ms = now;
		a->status           = SH_IDLE;
		a->garrison         = t->garrison == 0;
		shard_army_place(w, a, c->x, c->y);
		shard_mark_army(w, a->id);
		shard_event(w, "territory_captured", a->owner->address, c->x,
		    c->y, json_pack("{s:s,s:s}", "oldOwner",
		              owner ? owner->address : "", "newOwner",
		              a->owner->address));
		shard_outbox(w, "transferPlot",
		    json_pack("{s:i,s:i,s:i,s:s}", "genId", (int) w->gen.id,
		        "x", c->x, "y", c->y, "newOwner", a->owner->address));
	} else {
		snprintf(c->winner, sizeof(c->winner), "%s", c->defender);
		for (int i = 0; i < CM_UNIT_COUNT; i++) {
			c->att_loss[i] = a->units[i];
		}
		for (d = t->armies; d != NULL; d = d->next_here) {
			if (owner != NULL && d->owner == owner) {
				apply_losses(d->units, c->def_loss, ap, dp);
				shard_mark_army(w, d->id);
			}
		}
		shard_army_free(w, a);
	}
	snprintf(c->status, sizeof(c->status), "completed");
	c->resolved_ms = now;
	result_hash(w, c);
	shard_mark_combat(w, c);
	memcpy(hash, "0x", 2);
	cm_hex_encode(c->result_hash, 32, hash + 2);
	hash[66] = '\0';
	shard_event(w, "combat_resolved", c->attacker, c->x, c->y,
	    json_pack("{s:I,s:s,s:s}", "combatId", (json_int_t) c->id,
	        "winner", c->winner, "resultHash", hash));
	shard_outbox(w, "resolveAttack",
	    json_pack("{s:i,s:s,s:I,s:s,s:s}", "genId", (int) w->gen.id,
	        "attacker", c->attacker, "attackId", (json_int_t) c->id,
	        "winner", c->winner, "resultHash", hash));
}
