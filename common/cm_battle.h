/*
 * cm_battle.h: the D20 battle of the game's design, deterministic and
 * verifiable from its recorded inputs.
 *
 * A battle is a pure function of a cm_battle_input and the rules in force
 * (their hash is among the inputs): every die comes from
 * a ChaCha20 stream (libsodium, IETF variant, nonce zero) keyed by the
 * Keccak-256 of the input's canonical bytes (cm_battle_input_encode), and
 * those bytes include the combat's 32 bytes of entropy.  Integer
 * arithmetic only (percentages and per-mille, floored), so every machine
 * computes the same rounds, outcome and result hash.  The rules, their
 * sources and the choices made where the sources disagree are in
 * docs/rules.md and docs/rules-decisions.md.
 *
 * Nothing here keeps global state (each thread keeps its own copy of the
 * unit numbers a battle reads, tied to the rules' hash): any thread may
 * resolve battles.
 */
#ifndef CM_BATTLE_H
#define CM_BATTLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"
#include "cm_rules.h"

#define CM_BATTLE_MAX_ROUNDS 3
#define CM_BATTLE_MAX_BUILDINGS CM_MAX_BUILDINGS_PER_TERRITORY
#define CM_BATTLE_NO_CAPTAIN (-1)

/* One side's army as it enters the battle. */
typedef struct cm_battle_side {
	int      race;     /* 0..5 (chain order); -1 for the Forsaken */
	int      cls;      /* captain class 0..5, or CM_BATTLE_NO_CAPTAIN */
	int      skill;    /* class*2 + 0|1 (0 vanguard .. 11 warden), or -1 */
	bool     captain_leads;   /* the (living) captain is with this army */
	bool     captain_wounded; /* wounded captain: army -20% */
	uint32_t units[CM_UNIT_COUNT];     /* by cm_unit index */
	uint32_t prisoners[CM_UNIT_COUNT]; /* captured units, at 60% */
	int      morale;   /* 0..150 as it enters (100 is normal) */
	int      atk_pct;  /* summed percentage modifiers from spells and */
	int      def_pct;  /* effects (e.g. Strength +20, Curse -15) */
	int      curse_stacks;      /* Ashborn curse stacks on it, 0..5 */
	int      foreign_soil_days; /* days away from own land (0: home) */
	bool     frenzy;   /* Korrath Blood Frenzy active (+10% ATK) */
	bool     armory;   /* trained under an Armory (+15%, Korrath +18%) */
	/*
	 * Spells that act inside the battle (docs/rules.md, "Spells in
	 * battle"); all zero for a side no such spell touched, and then
	 * they are not in the canonical bytes at all.
	 */
	int      round1_def_pct; /* DEF change in round 1 (Earthquake -50) */
	int      confusion_pct;  /* % a strike goes astray (Confusion) */
	int      kill_atk_pct;   /* ATK + this for each earlier round it
	                          * killed in (the Blood Frenzy spell) */
	int      reform_pct;     /* added to the Reformation share (Mass
	                          * Reformation, Ashborn only) */
} cm_battle_side;

/* A building on the battle's tile (the siege's targets). */
typedef struct cm_battle_building {
	int      type; /* cm_building index */
	uint32_t hp;   /* current hit points */
} cm_battle_building;

typedef struct cm_battle_input {
	uint64_t combat_id;
	uint32_t generation;
	uint8_t  entropy[32];    /* see docs/rules.md "Combat entropy" */
	uint8_t  rules_hash[32]; /* cm_rules_hash of the rules in force */
	int      x, y;
	int      terrain;        /* cm_terrain */
	int      zone;           /* cm_zone */
	int      day;            /* day of the generation, 1..51 */
	bool     defender_home;  /* the defender owns the tile */
	bool     surprise;       /* the defender had no warning */
	bool     prepared;       /* the defender had >= 4 h of warning */
	bool     hostile_path;   /* the attacker marched through hostile land */
	/*
	 * forsaken_strength > 0: the defender is a Forsaken village of that
	 * many militia (before the garrison roll and day scaling); def's
	 * units are then ignored and made by the engine.
	 */
	uint32_t forsaken_strength;
	int      nbuildings;
	cm_battle_building buildings[CM_BATTLE_MAX_BUILDINGS];
	/* Fortress of Will: each building (and the Stone Wall) takes this
	 * much less of every siege hit; 0 when none. */
	uint32_t building_def;
	/* Stone Wall: a temporary wall of these hit points, a wall for the
	 * defence while it stands and the siege's first target; 0: none. */
	uint32_t stone_wall_hp;
	cm_battle_side att, def;
} cm_battle_input;

/* What happened in one round. */
typedef struct cm_battle_round {
	/* Natural rolls (after advantage/disadvantage), 1..20. */
	uint8_t  att_attack_roll, def_defence_roll; /* the attacker's strike */
	uint8_t  def_attack_roll, att_defence_roll; /* the defender's strike */
	uint8_t  att_crit, def_crit;   /* D6 effect of a natural 20 (1..6), 0 */
	uint8_t  att_fumble, def_fumble; /* D6 effect of a natural 1, 0 */
	uint8_t  siege_roll;           /* 0 when no siege this round */
	bool     att_evaded, def_evaded; /* a strike evaded (Breath-Born) */
	bool     att_confused, def_confused; /* a strike astray (Confusion) */
	uint64_t att_damage, def_damage; /* damage dealt by each side */
	uint32_t siege_damage;         /* hit points taken from buildings */
	uint32_t att_loss[CM_UNIT_COUNT], def_loss[CM_UNIT_COUNT];
	uint32_t att_fled, def_fled;   /* deserters and panic, all types */
	int      att_morale, def_morale; /* at the round's end */
} cm_battle_round;

typedef enum cm_battle_winner {
	CM_BATTLE_ATTACKER = 0,
	CM_BATTLE_DEFENDER,
	CM_BATTLE_DRAW, /* both wiped out: the defender keeps the tile */
} cm_battle_winner;

typedef enum cm_battle_end {
	CM_BATTLE_WIPE = 0, /* a side has no units left */
	CM_BATTLE_ROUT,     /* a side's morale reached 0 */
	CM_BATTLE_STALEMATE, /* three rounds: higher remaining HP% wins */
} cm_battle_end;

/* A captain's fate: no save made, survived (wounded 24 h), or died. */
typedef enum cm_captain_fate {
	CM_CAPTAIN_UNTOUCHED = 0,
	CM_CAPTAIN_WOUNDED,
	CM_CAPTAIN_DIED,
} cm_captain_fate;

typedef struct cm_battle_result {
	int              nrounds;
	cm_battle_round  round[CM_BATTLE_MAX_ROUNDS];
	cm_battle_winner winner;
	cm_battle_end    end;
	/* The defender's units as they entered (made by the engine for a
	 * Forsaken village, else a copy of def.units). */
	uint32_t def_units[CM_UNIT_COUNT];
	/* Totals over the rounds (losses include deserters). */
	uint32_t att_loss[CM_UNIT_COUNT], def_loss[CM_UNIT_COUNT];
	uint32_t att_prisoner_loss[CM_UNIT_COUNT], def_prisoner_loss[CM_UNIT_COUNT];
	/* Ashborn Reformation: dead that return after the battle (already
	 * subtracted from the losses above). */
	uint32_t att_reformed[CM_UNIT_COUNT], def_reformed[CM_UNIT_COUNT];
	/* Prisoners the winner takes from the loser's dead, by unit. */
	uint32_t prisoners[CM_UNIT_COUNT];
	uint8_t  loot_roll;      /* 0 when no loot */
	int      loot_pct;       /* loot multiplier in percent, bonuses in */
	uint64_t loot_gold;      /* gold the winner takes */
	uint32_t building_hp[CM_BATTLE_MAX_BUILDINGS]; /* after the siege */
	uint32_t stone_wall_hp;  /* the Stone Wall's after the siege */
	cm_captain_fate att_captain, def_captain;
	uint8_t  att_save_roll, def_save_roll; /* 0 when no save was made */
	int      curse_on_att, curse_on_def;  /* curse stacks inflicted */
	bool     att_frenzy;     /* a Korrath attacker's Blood Frenzy starts */
	uint8_t  result_hash[32];
} cm_battle_result;

/*
 * cm_battle_input_encode writes in's canonical bytes (layout in
 * cm_battle.c and docs/rules.md: fixed order, varints, by-unit arrays as
 * a bitmask of the non-zero entries and their counts) into buf of cap
 * bytes and returns their length, or 0 when cap is too small
 * (CM_BATTLE_INPUT_MAX always suffices: at most 735 bytes).
 */
#define CM_BATTLE_INPUT_MAX 1024
size_t cm_battle_input_encode(const cm_battle_input *in, uint8_t *buf,
    size_t cap);

/*
 * cm_battle_resolve fights the battle of in into *out (caller storage).
 * The same input gives the same bytes of *out on every machine.
 */
void cm_battle_resolve(const cm_battle_input *in, cm_battle_result *out);

/*
 * cm_battle_input_json renders in as a JSON object (every field, units by
 * id, bytes as 0x-hex); cm_battle_input_parse reads it back, strictly:
 * CM_EINVAL with the offending field named in err for anything missing,
 * unknown, of the wrong type or out of range.  parse(json(in)) == in.
 */
json_t *cm_battle_input_json(const cm_battle_input *in);
cm_err  cm_battle_input_parse(const json_t *j, cm_battle_input *out,
    char *err, size_t errlen);

/*
 * cm_battle_result_json renders the battle's public record: the object
 * {"rounds": [...], "result": {...}, "resultHash": "0x..."} that both
 * GET /combat/:id/result and `ndctl replay` print (docs/api.md).
 */
json_t *cm_battle_result_json(const cm_battle_input *in,
    const cm_battle_result *out);

/* cm_battle_nbuildings: in's building slots in use, 0..max (clamped). */
int cm_battle_nbuildings(const cm_battle_input *in);

/* cm_battle_winner_name: "attacker", "defender", "draw" (static). */
const char *cm_battle_winner_name(cm_battle_winner w);

#endif
