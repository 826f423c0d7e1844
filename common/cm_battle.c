/*
 * cm_battle.c: the D20 battle engine (cm_battle.h), its canonical bytes
 * and its JSON.
 *
 * Design.  A battle is a pure function of its cm_battle_input and a
 * cm_combat_rules (cm_battle_resolve: the rules file's "combat" section,
 * cm_rules_combat).  The dice are bytes of a ChaCha20 stream (libsodium,
 * IETF, nonce zero) keyed by key = Keccak-256(cm_battle_input_encode(in)),
 * made lazily one 64-byte block at a time (block counter = position / 64,
 * so the stream is the same whatever the chunking).  A d20 takes bytes
 * until one is < 240 and is b % 20 + 1; a d6 likewise below 252.  All
 * arithmetic is integer: ATK and DEF are kept in hundredths ("centi") so
 * prisoners at 60% stay exact, every percentage is multiply-then-divide
 * with a floor, products saturate instead of wrapping, and the split of
 * damage over unit types uses 128-bit intermediates.
 *
 * The order of the dice within a round is part of the format:
 *   1. attacker attack roll, defender defence roll, defender attack roll,
 *      attacker defence roll (each two dice under advantage or
 *      disadvantage, one otherwise);
 *   2. attacker's crit or fumble d6, then the defender's;
 *   3. death saves those d6 call for: attacker's crit 2, attacker's fumble
 *      2, defender's crit 2, defender's fumble 2 (at most one per captain);
 *   4. the siege d20;
 *   5. evasion d20 of the attacker's strike (Breath-Born defender), then
 *      of the defender's strike (Breath-Born attacker);
 *   6. Confusion's d100 of the attacker's strike, then the defender's
 *      (drawn only for a side with a confusion_pct).
 * After the last round: death saves of wiped sides (attacker first),
 * Reformation d20 (attacker, then defender), the loot d20.  A Forsaken
 * garrison roll comes before everything.
 *
 * The modifier order (side_power) is: terrain, heart, wall (+Ironveld),
 * gate, war hall, armory, warlord, vanguard, fortress, pack alpha (size,
 * then low HP), crusader, wounded captain, frenzy, race ATK/DEF, race DEF
 * when defending (Breath-Born), spells (atk_pct/def_pct; then round 1's
 * Earthquake and the Blood Frenzy spell's kill rounds), curse, foreign
 * soil, morale band; then the floor (mult_floor_pct of the raw total).
 * The roll's column multiplier and the Vaelthir DEF-ignore come last, in
 * the strike.
 *
 * Decisions beyond the sources (docs/rules-decisions.md):
 *   - chip floor: a strike deals at least chip_floor_pct of its ATK, so a
 *     high-DEF army is never invulnerable;
 *   - morale immunity (Warchief, Siege Anvil): the band's ATK/DEF change
 *     and the band desertion spare the immune units' share; rout is
 *     stopped when immune units hold >= half of the side's HP;
 *   - the Vaelthir DEF-ignore applies to any Vaelthir side's strike, in
 *     proportion to the share of its raw ATK from Crimson Blades;
 *   - class and skill bonuses need captain_leads; a captain who makes a
 *     save mid-battle (crit or fumble 2) leaves the fight: no bonuses
 *     from the next round on, and a survivor's army is at -20% (wounded);
 *   - Pack Alpha's size bonus is capped (packalpha_step_max_pct);
 *   - the heart's +2 applies to the four combat rolls only;
 *   - the siege damages buildings only, walls and gates first with the
 *     ram's wall multiplier, the rest with what the siege has left; the
 *     wall's bonus follows the wall as it stood at the round's start;
 *   - att_evaded / def_evaded: that side's strike was evaded;
 *   - desertion takes units only (not prisoners), and rounds down per
 *     type; prisoners count for the wipe and the HP comparisons;
 *   - Reformation, prisoners and loot count the dead only (not
 *     deserters); prisoners and loot after Reformation.
 */
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_battle.h"
#include "cm_combat_rules.h"
#include "cm_hex.h"
#include "cm_keccak.h"

#define NU CM_UNIT_COUNT
#define HUNDRED 100ULL

enum { RACE_IRONVELD = 0, RACE_VAELTHIR, RACE_KORRATH, RACE_SYLVAETH,
	RACE_ASHBORN, RACE_BREATHBORN };
enum { CLS_WARLORD = 0, CLS_SHADOWMASTER = 3 };
enum { SK_VANGUARD = 0, SK_FORTRESS = 1, SK_CRUSADER = 4, SK_SABOTEUR = 7,
	SK_PROFITEER = 8, SK_ARTIFICER = 9, SK_PACKALPHA = 10, SK_WARDEN = 11 };

/* ---- canonical bytes ----
 *
 * Both encodings are hashed for every battle, and nettle's Keccak
 * permutation (one per 136 bytes) was most of a battle's cost, so they
 * are compact: every integer is a varint, and a by-unit array names its
 * non-zero entries with a bitmask.  The codes:
 *
 *   uv   an unsigned integer as LEB128: seven bits a byte, least
 *        significant group first, the top bit set on every byte but the
 *        last; always the shortest form (0 is one byte 00, 300 is ac 02).
 *   sv   a signed int zigzagged to unsigned ((v << 1) ^ (v >> 31): 0, -1,
 *        1, -2 .. become 0, 1, 2, 3 ..), then uv.
 *   u8   one byte.
 *   fl   one byte of flags, bit 0 the first named, unused bits zero.
 *   units  a by-unit array: uv of the mask whose bit i is set when entry
 *        i (cm_unit index) is non-zero, then uv of each such entry, in
 *        index order.  An empty array is the one byte 00.
 *
 * Each code is self-delimiting and the fields come in a fixed order, so
 * the bytes decode back to the one input (or result) they came from: two
 * different inputs never share an encoding, and each has exactly one.
 */

/*
 * The writers take and return a cursor and check no bounds: the callers
 * write into room for the largest encoding (CM_BATTLE_INPUT_MAX,
 * RESULT_MAX).  Counting every int at 5 bytes, every u64 at 10 and
 * every unit array full (a 3-byte mask and 21 counts of 5: 108), a
 * result takes at most 5 + 3 x 271 + 943 + 5 = 1,766 bytes and an input
 * 171 + 2 x 257 + 50 = 735 (cm_battle_encode_test fills both to the
 * brim).
 */
#define RESULT_MAX 2048
static uint8_t *
put_bytes(uint8_t *p, const void *v, size_t n)
{
	memcpy(p, v, n);
	return (p + n);
}

static uint8_t *
put_u8(uint8_t *p, uint8_t v)
{
	*p = v;
	return (p + 1);
}

static uint8_t *
put_uv(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t) v;
	return (p);
}

static uint8_t *
put_sv(uint8_t *p, int v)
{
	uint32_t u = (uint32_t) v;

	/* Zigzag with unsigned shifts: no overflow at INT_MIN or INT_MAX. */
	return (put_uv(p, (u << 1) ^ (0u - (u >> 31))));
}

static uint8_t *
put_units(uint8_t *p, const uint32_t *u)
{
	uint32_t mask = 0;

	for (int i = 0; i < NU; i++) {
		mask |= (uint32_t) (u[i] != 0) << i;
	}
	p = put_uv(p, mask);
	for (uint32_t m = mask; m != 0; m &= m - 1) {
		p = put_uv(p, u[__builtin_ctz(m)]);
	}
	return (p);
}

/* fl: up to eight booleans, the first in bit 0. */
static uint8_t
flags4(bool f0, bool f1, bool f2, bool f3)
{
	return ((uint8_t) ((unsigned) f0 | (unsigned) f1 << 1 |
	    (unsigned) f2 << 2 | (unsigned) f3 << 3));
}

/*
 * A side: race sv, cls sv, skill sv, fl (captain_leads, captain_wounded,
 * frenzy, armory), units units, prisoners units, morale sv, atk_pct sv,
 * def_pct sv, curse_stacks sv, foreign_soil_days sv.
 */
static uint8_t *
put_side(uint8_t *p, const cm_battle_side *s)
{
	p = put_sv(p, s->race);
	p = put_sv(p, s->cls);
	p = put_sv(p, s->skill);
	p = put_u8(p, flags4(s->captain_leads, s->captain_wounded, s->frenzy,
	    s->armory));
	p = put_units(p, s->units);
	p = put_units(p, s->prisoners);
	p = put_sv(p, s->morale);
	p = put_sv(p, s->atk_pct);
	p = put_sv(p, s->def_pct);
	p = put_sv(p, s->curse_stacks);
	p = put_sv(p, s->foreign_soil_days);
	return (p);
}

/*
 * The spells' fields came after the format was in use: they are a
 * trailer, written only when one of them is non-zero, so every battle
 * fought before them keeps its bytes (its dice and its hash) and
 * replays as it was.  Trailer: building_def uv, stone_wall_hp uv, then
 * for att and def: round1_def_pct sv, confusion_pct sv, kill_atk_pct
 * sv, reform_pct sv.  A trailer of zeros is never written, so each input
 * still has one encoding.
 */
static bool
side_spelled(const cm_battle_side *s)
{
	return (s->round1_def_pct != 0 || s->confusion_pct != 0 ||
	    s->kill_atk_pct != 0 || s->reform_pct != 0);
}

static uint8_t *
put_side_spells(uint8_t *p, const cm_battle_side *s)
{
	p = put_sv(p, s->round1_def_pct);
	p = put_sv(p, s->confusion_pct);
	p = put_sv(p, s->kill_atk_pct);
	p = put_sv(p, s->reform_pct);
	return (p);
}

int
cm_battle_nbuildings(const cm_battle_input *in)
{
	if (in->nbuildings < 0) {
		return (0);
	}
	return (in->nbuildings > CM_BATTLE_MAX_BUILDINGS
	    ? CM_BATTLE_MAX_BUILDINGS : in->nbuildings);
}

/*
 * Layout (docs/rules.md, "Verifiable"): combat_id uv, generation uv,
 * entropy (32 bytes), rules_hash (32 bytes), x sv, y sv, terrain sv,
 * zone sv, day sv, fl (defender_home, surprise, prepared, hostile_path),
 * forsaken_strength uv, nbuildings uv (clamped to 0..6) and that many
 * (type sv, hp uv), then att and def (put_side), then the spells'
 * trailer when any of it is non-zero (side_spelled).  Slots past
 * nbuildings are not part of the input.
 */
size_t
cm_battle_input_encode(const cm_battle_input *in, uint8_t *buf, size_t cap)
{
	uint8_t  tmp[CM_BATTLE_INPUT_MAX];
	uint8_t *p = cap >= sizeof(tmp) ? buf : tmp;
	int      nb = cm_battle_nbuildings(in);
	size_t   n;

	p = put_uv(p, in->combat_id);
	p = put_uv(p, in->generation);
	p = put_bytes(p, in->entropy, 32);
	p = put_bytes(p, in->rules_hash, 32);
	p = put_sv(p, in->x);
	p = put_sv(p, in->y);
	p = put_sv(p, in->terrain);
	p = put_sv(p, in->zone);
	p = put_sv(p, in->day);
	p = put_u8(p, flags4(in->defender_home, in->surprise, in->prepared,
	    in->hostile_path));
	p = put_uv(p, in->forsaken_strength);
	p = put_uv(p, (uint64_t) nb);
	for (int i = 0; i < nb; i++) {
		p = put_sv(p, in->buildings[i].type);
		p = put_uv(p, in->buildings[i].hp);
	}
	p = put_side(p, &in->att);
	p = put_side(p, &in->def);
	if (in->building_def != 0 || in->stone_wall_hp != 0 ||
	    side_spelled(&in->att) || side_spelled(&in->def)) {
		p = put_uv(p, in->building_def);
		p = put_uv(p, in->stone_wall_hp);
		p = put_side_spells(p, &in->att);
		p = put_side_spells(p, &in->def);
	}
	if (cap >= sizeof(tmp)) {
		return ((size_t) (p - buf));
	}
	/* A small buffer: written to tmp, copied if it fits. */
	n = (size_t) (p - tmp);
	if (n > cap) {
		return (0);
	}
	memcpy(buf, tmp, n);
	return (n);
}

/*
 * A round: the nine rolls as u8 (att_attack_roll, def_defence_roll,
 * def_attack_roll, att_defence_roll, att_crit, def_crit, att_fumble,
 * def_fumble, siege_roll), fl (att_evaded, def_evaded, att_confused,
 * def_confused), att_damage uv,
 * def_damage uv, siege_damage uv, att_loss units, def_loss units,
 * att_fled uv, def_fled uv, att_morale sv, def_morale sv.
 */
static uint8_t *
put_round(uint8_t *p, const cm_battle_round *r)
{
	const uint8_t rolls[9] = { r->att_attack_roll, r->def_defence_roll,
		r->def_attack_roll, r->att_defence_roll, r->att_crit,
		r->def_crit, r->att_fumble, r->def_fumble, r->siege_roll };

	p = put_bytes(p, rolls, sizeof(rolls));
	p = put_u8(p, flags4(r->att_evaded, r->def_evaded, r->att_confused,
	    r->def_confused));
	p = put_uv(p, r->att_damage);
	p = put_uv(p, r->def_damage);
	p = put_uv(p, r->siege_damage);
	p = put_units(p, r->att_loss);
	p = put_units(p, r->def_loss);
	p = put_uv(p, r->att_fled);
	p = put_uv(p, r->def_fled);
	p = put_sv(p, r->att_morale);
	p = put_sv(p, r->def_morale);
	return (p);
}

/*
 * Every field of the result but result_hash: nrounds sv and the rounds
 * fought (put_round; the ones after nrounds are all zero, battle_init
 * clears them), winner sv, end sv, def_units, att_loss, def_loss,
 * att_prisoner_loss, def_prisoner_loss, att_reformed, def_reformed,
 * prisoners (units each), loot_roll u8, loot_pct sv, loot_gold uv, the
 * six building_hp uv, att_captain sv, def_captain sv, att_save_roll u8,
 * def_save_roll u8, curse_on_att sv, curse_on_def sv, att_frenzy u8,
 * and stone_wall_hp uv when it is non-zero (a trailer, as the input's:
 * the results of battles without a Stone Wall keep their bytes).
 */
static size_t
result_encode(const cm_battle_result *o, uint8_t buf[RESULT_MAX])
{
	uint8_t *p = buf;
	int      nr = o->nrounds < 0 ? 0 : o->nrounds > CM_BATTLE_MAX_ROUNDS
	    ? CM_BATTLE_MAX_ROUNDS : o->nrounds;

	p = put_sv(p, o->nrounds);
	for (int k = 0; k < nr; k++) {
		p = put_round(p, &o->round[k]);
	}
	p = put_sv(p, (int) o->winner);
	p = put_sv(p, (int) o->end);
	p = put_units(p, o->def_units);
	p = put_units(p, o->att_loss);
	p = put_units(p, o->def_loss);
	p = put_units(p, o->att_prisoner_loss);
	p = put_units(p, o->def_prisoner_loss);
	p = put_units(p, o->att_reformed);
	p = put_units(p, o->def_reformed);
	p = put_units(p, o->prisoners);
	p = put_u8(p, o->loot_roll);
	p = put_sv(p, o->loot_pct);
	p = put_uv(p, o->loot_gold);
	for (int i = 0; i < CM_BATTLE_MAX_BUILDINGS; i++) {
		p = put_uv(p, o->building_hp[i]);
	}
	p = put_sv(p, (int) o->att_captain);
	p = put_sv(p, (int) o->def_captain);
	p = put_u8(p, o->att_save_roll);
	p = put_u8(p, o->def_save_roll);
	p = put_sv(p, o->curse_on_att);
	p = put_sv(p, o->curse_on_def);
	p = put_u8(p, o->att_frenzy);
	if (o->stone_wall_hp != 0) {
		p = put_uv(p, o->stone_wall_hp);
	}
	return ((size_t) (p - buf));
}

/* ---- dice ---- */

typedef struct battle_rng {
	uint8_t  key[32];
	uint8_t  block[64];
	unsigned pos;   /* next byte in block; 64: block used up */
	uint32_t ctr;   /* next block's counter */
} battle_rng;

static const uint8_t zero_nonce[crypto_stream_chacha20_ietf_NONCEBYTES];

static uint8_t
rng_byte(battle_rng *g)
{
	if (g->pos == 64) {
		/* Keystream = ChaCha20 of zeros from block ctr onwards. */
		memset(g->block, 0, 64);
		crypto_stream_chacha20_ietf_xor_ic(g->block, g->block, 64,
		    zero_nonce, g->ctr++, g->key);
		g->pos = 0;
	}
	return (g->block[g->pos++]);
}

/* rng_die: a fair die of sides faces (bytes past the last whole multiple
 * of sides are drawn again). */
static int
rng_die(battle_rng *g, int sides)
{
	int lim = 256 - 256 % sides, b;

	do {
		b = rng_byte(g);
	} while (b >= lim);
	return (b % sides + 1);
}

static int
rng_d20(battle_rng *g)
{
	return (rng_die(g, 20));
}

static int
rng_d6(battle_rng *g)
{
	return (rng_die(g, 6));
}

/* A d20 under adv: > 0 advantage, < 0 disadvantage, 0 neither. */
static int
rng_roll(battle_rng *g, int adv)
{
	int a = rng_d20(g), b;

	if (adv == 0) {
		return (a);
	}
	b = rng_d20(g);
	if (adv > 0) {
		return (a > b ? a : b);
	}
	return (a < b ? a : b);
}

/* ---- arithmetic ---- */

/* v * p / 100, p >= 0, saturating. */
static uint64_t
pct(uint64_t v, int64_t p)
{
	if (p <= 0) {
		return (0);
	}
	if (v > UINT64_MAX / (uint64_t) p) {
		return (UINT64_MAX / 100);
	}
	return (v * (uint64_t) p / HUNDRED);
}

/* floor(a * b / c), c > 0, in 128 bits, saturating. */
static uint64_t
muldiv(uint64_t a, uint64_t b, uint64_t c)
{
	unsigned __int128 x;
	uint64_t          p;

	/* The 128-bit division is slow; realistic armies never need it. */
	if (!__builtin_mul_overflow(a, b, &p)) {
		return (p / c);
	}
	x = (unsigned __int128) a * b / c;

	return (x > UINT64_MAX ? UINT64_MAX : (uint64_t) x);
}

static uint64_t
add_sat(uint64_t a, uint64_t b)
{
	return (a > UINT64_MAX - b ? UINT64_MAX : a + b);
}

static uint32_t
u32_sat(uint64_t v)
{
	return (v > UINT32_MAX ? UINT32_MAX : (uint32_t) v);
}

static int
clampi(int v, int lo, int hi)
{
	return (v < lo ? lo : v > hi ? hi : v);
}

/* A signed change as a factor, floored at the rules' minimum. */
static int64_t
factor(const cm_combat_rules *r, int change)
{
	int64_t f = 100 + (int64_t) change;

	return (f < r->mult_floor_pct ? r->mult_floor_pct : f);
}

/* ---- the battle ---- */

/* Slots: [0] the side's own units, [1] its prisoners (at prisoner_pct). */
typedef struct battle_side {
	cm_battle_side s;      /* as it entered (Forsaken made up) */
	uint32_t n[2][NU];     /* alive now */
	uint32_t wound[2][NU]; /* damage carried to the next round */
	uint32_t dead[2][NU];
	uint32_t fled[NU];
	uint32_t hp1[2][NU];   /* HP of one unit of the slot */
	/*
	 * The types it entered with (units or prisoners), ascending: the
	 * only ones a loop over its units need visit, as no count rises
	 * from zero (the rounds only take units away; Reformation returns
	 * the dead of types that fought).  Armies hold a few of the 21
	 * types, so this takes most of the work out of the per-type loops;
	 * the sums and splits are the same, as the others are all zero.
	 */
	int      ty[NU], nty;
	uint64_t hp0;          /* HP as it entered */
	int      race;         /* -1 unless 0..5 */
	int      morale;
	bool     leads;        /* class and skill bonuses apply */
	bool     wounded;
	bool     saved;        /* its captain made its save */
	bool     defending;
	bool     dealt;        /* its strike did damage at least once */
	int      adv_next;     /* inspiration / disarray: +1 next round */
	int      loot_pts;     /* banner and supply crits */
	int      kill_rounds;  /* rounds its strike killed in (Blood Frenzy) */
} battle_side;

/*
 * What a battle reads of the unit and building tables: each unit's
 * numbers (clamped) and the indices of the units and buildings the rules
 * of battle name.  They depend on the rules in force only, so
 * units_current keeps them from one battle to the next.
 */
typedef struct battle_units {
	uint8_t rules_hash[32]; /* the rules they were read from */
	bool    valid;
	int     atk[NU], def[NU], hp[NU], gold[NU], line[NU];
	bool    siege_unit[NU];
	int     ram, catapult, trebuchet, wall_b, gate_b, warhall_b, warchief,
	        siegeanvil, crimsonblade, ashstriker, warshield, rageborn;
} battle_units;

typedef struct battle {
	const cm_combat_rules *r;
	const cm_battle_input *in;
	cm_battle_result      *out;
	battle_rng             g;
	battle_side            a, d;
	uint32_t               bhp[CM_BATTLE_MAX_BUILDINGS];
	int                    nb;
	uint32_t               swhp; /* the Stone Wall's hit points */
	bool                   forsaken;
	battle_units           u;
} battle;

static bool
unit_immune(const battle *b, int t)
{
	return (t == b->u.warchief || t == b->u.siegeanvil);
}

/* Casualty lines: Defenders front, Attackers and Elites mid, Siege back. */
static int
unit_line(cm_role role)
{
	switch (role) {
	case CM_ROLE_DEFENDER:
		return (0);
	case CM_ROLE_SIEGE:
		return (2);
	default:
		return (1);
	}
}

static uint64_t
side_hp(const battle_side *s)
{
	uint64_t h = 0;

	for (int j = 0; j < s->nty; j++) {
		int t = s->ty[j];

		h += (uint64_t) s->n[0][t] * s->hp1[0][t] +
		    (uint64_t) s->n[1][t] * s->hp1[1][t];
	}
	return (h);
}

static uint64_t
side_count(const battle_side *s)
{
	uint64_t c = 0;

	for (int j = 0; j < s->nty; j++) {
		int t = s->ty[j];

		c += (uint64_t) s->n[0][t] + s->n[1][t];
	}
	return (c);
}

/* building_standing: a building of type ty with hp > 0 (round start);
 * a standing Stone Wall is a wall. */
static bool
building_standing(const battle *b, int ty)
{
	if (ty == b->u.wall_b && b->swhp > 0) {
		return (true);
	}
	for (int i = 0; i < b->nb; i++) {
		if (b->in->buildings[i].type == ty && b->bhp[i] > 0) {
			return (true);
		}
	}
	return (false);
}

static void
side_init(battle *b, battle_side *s, const cm_battle_side *in,
    bool defending)
{
	const cm_combat_rules *r = b->r;

	memset(s, 0, sizeof(*s));
	s->s = *in;
	s->race = in->race >= 0 && in->race < CM_RACE_COUNT ? in->race : -1;
	s->morale = clampi(in->morale, r->morale_min, r->morale_max);
	s->leads = in->captain_leads && in->cls >= 0 &&
	    in->cls < CM_CLASS_COUNT;
	s->wounded = in->captain_wounded;
	s->defending = defending;
	for (int t = 0; t < NU; t++) {
		int hp = b->u.hp[t];

		s->n[0][t] = in->units[t];
		s->n[1][t] = in->prisoners[t];
		s->hp1[0][t] = (uint32_t) hp;
		s->hp1[1][t] = (uint32_t) clampi(hp * r->prisoner_pct / 100, 1,
		    INT_MAX);
		if (s->n[0][t] != 0 || s->n[1][t] != 0) {
			s->ty[s->nty++] = t;
		}
	}
	s->hp0 = side_hp(s);
}

/*
 * forsaken_side makes the Forsaken village's militia: the garrison roll
 * and the day scaling of its strength, at least forsaken_min_units, a
 * Warshield share and the rest Rageborn.
 */
static void
forsaken_side(battle *b, cm_battle_side *s)
{
	const cm_combat_rules *r = b->r;
	int      face = rng_d20(&b->g), day = b->in->day, dp;
	uint64_t n;

	dp = day <= r->forsaken_day_max[0] ? r->forsaken_day_pct[0]
	    : day <= r->forsaken_day_max[1] ? r->forsaken_day_pct[1]
	    : r->forsaken_day_pct[2];
	n = (uint64_t) b->in->forsaken_strength *
	    (uint64_t) clampi(r->forsaken_face_pct[face], 0, 100000) *
	    (uint64_t) clampi(dp, 0, 100000) / 10000;
	if (n < (uint64_t) clampi(r->forsaken_min_units, 0, INT_MAX)) {
		n = (uint64_t) r->forsaken_min_units;
	}
	n = u32_sat(n);
	memset(s, 0, sizeof(*s));
	s->race = -1;
	s->cls = CM_BATTLE_NO_CAPTAIN;
	s->skill = -1;
	s->morale = r->forsaken_morale;
	s->units[b->u.warshield] = (uint32_t) (n *
	    (uint64_t) clampi(r->forsaken_defender_pct, 0, 100) / 100);
	s->units[b->u.rageborn] = (uint32_t) n - s->units[b->u.warshield];
}

/* Raw ATK and DEF in hundredths; crimsonblade ATK; immune ATK and DEF. */
typedef struct battle_raw {
	uint64_t atk, def, cb_atk, im_atk, im_def;
} battle_raw;

static void
side_raw(const battle *b, const battle_side *s, battle_raw *w)
{
	memset(w, 0, sizeof(*w));
	for (int j = 0; j < s->nty; j++) {
		int      t = s->ty[j];
		uint64_t c = (uint64_t) s->n[0][t] * HUNDRED +
		    (uint64_t) s->n[1][t] * (uint64_t) b->r->prisoner_pct;
		uint64_t a = c * (uint64_t) b->u.atk[t];
		uint64_t d = c * (uint64_t) b->u.def[t];

		w->atk += a;
		w->def += d;
		if (t == b->u.crimsonblade) {
			w->cb_atk += a;
		}
		if (unit_immune(b, t)) {
			w->im_atk += a;
			w->im_def += d;
		}
	}
}

static int
morale_band(const cm_combat_rules *r, int morale)
{
	for (int i = 0; i < CM_COMBAT_BANDS; i++) {
		if (morale >= r->band_min[i]) {
			return (i);
		}
	}
	return (CM_COMBAT_BANDS - 1);
}

static int
soil_change(const cm_combat_rules *r, const battle_side *s)
{
	int days = s->s.foreign_soil_days, c = 0;

	if (s->race == RACE_SYLVAETH) {
		days -= r->soil_sylvaeth_shift_days;
	}
	for (int i = 0; i < CM_COMBAT_SOIL; i++) {
		if (days >= r->soil_days[i]) {
			c = r->soil_pct[i];
		}
	}
	return (c);
}

/* The band's change, sparing the immune share of the raw total. */
static int64_t
band_factor(const cm_combat_rules *r, int band_pct, uint64_t raw,
    uint64_t immune)
{
	if (raw == 0) {
		return (100);
	}
	return (factor(r, (int) ((int64_t) band_pct *
	    (int64_t) muldiv(raw - immune, 1000, raw) / 1000)));
}

/*
 * side_power computes s's ATK and DEF (hundredths) for round k, the
 * modifiers in the order of the file's comment.  wall_half: the enemy's
 * Breakthrough halves the wall's bonus this round.
 */
static void
side_power(const battle *b, const battle_side *s, int k, bool wall_half,
    const battle_raw *w, uint64_t *atk, uint64_t *def)
{
	const cm_combat_rules *r = b->r;
	const cm_battle_input *in = b->in;
	uint64_t a = w->atk, d = w->def;
	int      t = in->terrain >= 0 && in->terrain < CM_COMBAT_TERRAINS
	    ? in->terrain : 0, sk = s->leads ? s->s.skill : -1;
	int      band;

	a = pct(a, r->terrain_atk_pct[t]);
	d = pct(d, r->terrain_def_pct[t]);
	if (in->zone == r->heart_zone) {
		a = pct(a, r->heart_atk_pct);
		d = pct(d, r->heart_def_pct);
	}
	if (s->defending && building_standing(b, b->u.wall_b)) {
		int64_t wb = r->wall_def_pct + (s->race == RACE_IRONVELD
		    ? r->wall_ironveld_def_pct : 0);

		if (wall_half) {
			wb = wb * (100 - r->crit_wall_ignore_pct) / 100;
		}
		d = pct(d, factor(r, (int) wb));
	}
	if (s->defending && building_standing(b, b->u.gate_b)) {
		d = pct(d, factor(r, r->gate_def_pct));
	}
	if (s->defending && building_standing(b, b->u.warhall_b)) {
		a = pct(a, factor(r, r->warhall_atk_pct));
	}
	if (s->s.armory) {
		int ap = s->race == RACE_KORRATH ? r->armory_korrath_pct
		    : r->armory_pct;

		a = pct(a, factor(r, ap));
		d = pct(d, factor(r, ap));
	}
	if (s->leads && s->s.cls == CLS_WARLORD) {
		a = pct(a, factor(r, r->warlord_pct));
		d = pct(d, factor(r, r->warlord_pct));
	}
	if (sk == SK_VANGUARD && k == 0) {
		a = pct(a, factor(r, r->vanguard_atk_pct));
	}
	if (sk == SK_FORTRESS && s->defending && in->defender_home) {
		d = pct(d, factor(r, r->fortress_def_pct));
	}
	if (sk == SK_PACKALPHA) {
		uint64_t steps = r->packalpha_step_units > 0
		    ? side_count(s) / (uint64_t) r->packalpha_step_units : 0;
		uint64_t bonus = steps * (uint64_t) clampi(r->packalpha_step_pct,
		    0, 1000);

		if (bonus > (uint64_t) clampi(r->packalpha_step_max_pct, 0,
		    100000)) {
			bonus = (uint64_t) r->packalpha_step_max_pct;
		}
		a = pct(a, factor(r, (int) bonus));
		if ((unsigned __int128) side_hp(s) * 1000 <
		    (unsigned __int128) s->hp0 * (uint64_t) clampi(
		    r->packalpha_low_hp_permille, 0, 1000)) {
			a = pct(a, factor(r, r->packalpha_low_hp_pct));
		}
	}
	if (sk == SK_CRUSADER && !s->defending && b->forsaken) {
		a = pct(a, factor(r, r->crusader_forsaken_pct));
	}
	if (s->wounded) {
		a = pct(a, factor(r, r->wounded_pct));
		d = pct(d, factor(r, r->wounded_pct));
	}
	if (s->s.frenzy) {
		a = pct(a, factor(r, r->frenzy_atk_pct));
	}
	if (s->race >= 0) {
		a = pct(a, factor(r, r->race_atk_pct[s->race]));
		d = pct(d, factor(r, r->race_def_pct[s->race]));
		if (s->defending) {
			d = pct(d, factor(r, r->race_def_defending_pct[s->race]));
		}
	}
	a = pct(a, factor(r, s->s.atk_pct));
	d = pct(d, factor(r, s->s.def_pct));
	if (k == 0 && s->s.round1_def_pct != 0) {
		d = pct(d, factor(r, s->s.round1_def_pct));
	}
	if (s->kill_rounds > 0 && s->s.kill_atk_pct != 0) {
		a = pct(a, factor(r, clampi(s->s.kill_atk_pct, -100, 1000) *
		    s->kill_rounds));
	}
	if (s->s.curse_stacks > 0) {
		int c = clampi(s->s.curse_stacks, 0, r->curse_max_stacks) *
		    r->curse_pct_per_stack;

		a = pct(a, factor(r, c));
		d = pct(d, factor(r, c));
	}
	a = pct(a, factor(r, soil_change(r, s)));
	d = pct(d, factor(r, soil_change(r, s)));
	band = morale_band(r, s->morale);
	a = pct(a, band_factor(r, r->band_pct[band], w->atk, w->im_atk));
	d = pct(d, band_factor(r, r->band_pct[band], w->def, w->im_def));
	/* Stacked penalties never take an army below the floor. */
	if (a < pct(w->atk, r->mult_floor_pct)) {
		a = pct(w->atk, r->mult_floor_pct);
	}
	if (d < pct(w->def, r->mult_floor_pct)) {
		d = pct(w->def, r->mult_floor_pct);
	}
	*atk = a;
	*def = d;
}

/* The face a natural roll reads in the tables (heart bonus, 1..20). */
static int
table_face(const battle *b, int nat)
{
	if (b->in->zone == b->r->heart_zone) {
		return (clampi(nat + b->r->heart_roll_bonus, 1, 20));
	}
	return (nat);
}

/*
 * strike is the damage (HP) of ATK atk under attack roll ar against DEF
 * def under defence roll dr: the difference, at least the chip floor.
 * ignore_pm: the per-mille of def the striker ignores (Vaelthir).
 */
static uint64_t
strike(const battle *b, uint64_t atk, int ar, uint64_t def, int dr,
    uint64_t ignore_pm)
{
	const cm_combat_rules *r = b->r;
	uint64_t A = pct(atk, r->atk_face_pct[table_face(b, ar)]);
	uint64_t D = pct(def, r->def_face_pct[table_face(b, dr)]);
	uint64_t dmg, chip = pct(A, r->chip_floor_pct);

	D = muldiv(D, 1000 - (ignore_pm > 1000 ? 1000 : ignore_pm), 1000);
	dmg = A > D ? A - D : 0;
	if (dmg < chip) {
		dmg = chip;
	}
	return (dmg / HUNDRED);
}

/*
 * take_damage spreads dmg HP over s's lines and unit types and adds the
 * units it kills to lost[][] (not yet removed from s->n).
 */
static void
take_damage(const battle *b, battle_side *s, uint64_t dmg,
    uint32_t lost[2][NU])
{
	const cm_combat_rules *r = b->r;
	uint64_t lhp[CM_COMBAT_LINES] = { 0 }, ldmg[CM_COMBAT_LINES] = { 0 };
	int      share[CM_COMBAT_LINES], nlines = 0;

	if (dmg == 0) {
		return;
	}
	for (int j = 0; j < s->nty; j++) {
		int t = s->ty[j];

		lhp[b->u.line[t]] += (uint64_t) (s->n[0][t] - lost[0][t]) *
		    s->hp1[0][t] + (uint64_t) (s->n[1][t] - lost[1][t]) *
		    s->hp1[1][t];
	}
	for (int l = 0; l < CM_COMBAT_LINES; l++) {
		share[l] = clampi(r->line_share_pct[l], 0, 100);
		nlines += lhp[l] > 0;
	}
	if (nlines == 0) {
		return;
	}
	/* A missing line's share goes to the next present one, wrapping. */
	for (int l = 0; l < CM_COMBAT_LINES; l++) {
		int m = l;

		if (lhp[l] > 0) {
			continue;
		}
		do {
			m = (m + 1) % CM_COMBAT_LINES;
		} while (lhp[m] == 0);
		share[m] += share[l];
		share[l] = 0;
	}
	for (int l = 0; l < CM_COMBAT_LINES; l++) {
		ldmg[l] = muldiv(dmg, (uint64_t) share[l], 100);
	}
	for (int p = 0; p < 2; p++) {
		for (int j = 0; j < s->nty; j++) {
			int      t = s->ty[j], l = b->u.line[t];
			uint64_t alive = s->n[p][t] - lost[p][t], hp, d, k;

			if (alive == 0) {
				continue;
			}
			hp = alive * s->hp1[p][t];
			d = add_sat(muldiv(ldmg[l], hp, lhp[l]), s->wound[p][t]);
			k = d / s->hp1[p][t];
			if (k >= alive) {
				k = alive;
				s->wound[p][t] = 0;
			} else {
				s->wound[p][t] = (uint32_t) (d % s->hp1[p][t]);
			}
			lost[p][t] += (uint32_t) k;
		}
	}
}

/* desert makes pct% of each non-immune type of units flee (rounded down). */
static uint32_t
desert(const battle *b, battle_side *s, int p, bool spare_immune,
    uint32_t fled[NU])
{
	uint32_t all = 0;

	if (p <= 0) {
		return (0);
	}
	for (int j = 0; j < s->nty; j++) {
		int      t = s->ty[j];
		uint32_t k;

		if (spare_immune && unit_immune(b, t)) {
			continue;
		}
		k = (uint32_t) ((uint64_t) s->n[0][t] * (uint64_t) p / 100);
		s->n[0][t] -= k;
		s->fled[t] += k;
		fled[t] += k;
		all += k;
	}
	return (all);
}

static int
save_modifier(const cm_combat_rules *r, const battle_side *s)
{
	int m = 0;

	if (s->s.cls == CLS_WARLORD) {
		m += r->save_warlord;
	}
	if (s->s.cls == CLS_SHADOWMASTER) {
		m += r->save_shadowmaster;
	}
	if (s->race == RACE_ASHBORN) {
		m += r->save_ashborn;
	}
	if (s->s.skill == SK_FORTRESS && s->defending) {
		m += r->save_fortress_defending;
	}
	if (s->s.skill == SK_WARDEN) {
		m += r->save_warden;
	}
	return (m > r->save_mod_cap ? r->save_mod_cap : m);
}

/*
 * death_save rolls s's captain's save (once) if it leads; returns true
 * when the captain died.  The captain leaves the fight either way.
 */
static bool
death_save(battle *b, battle_side *s)
{
	cm_battle_result *o = b->out;
	bool              att = s == &b->a;
	int               roll;
	cm_captain_fate   f;

	if (!s->leads || s->saved) {
		return (false);
	}
	roll = rng_d20(&b->g);
	f = roll + save_modifier(b->r, s) >= b->r->save_dc
	    ? CM_CAPTAIN_WOUNDED : CM_CAPTAIN_DIED;
	s->saved = true;
	s->leads = false;
	s->wounded = s->wounded || f == CM_CAPTAIN_WOUNDED;
	*(att ? &o->att_save_roll : &o->def_save_roll) = (uint8_t) roll;
	*(att ? &o->att_captain : &o->def_captain) = f;
	return (f == CM_CAPTAIN_DIED);
}

/*
 * hit_building: the siege's v hits a building of *hp hit points that
 * takes def less of it (Fortress of Will): the building absorbs up to
 * *hp + def of v and loses what passes def.  Returns the HP it lost.
 */
static uint64_t
hit_building(uint64_t *v, uint32_t *hp, uint32_t def)
{
	uint64_t k, lost;

	if (*hp == 0) {
		return (0);
	}
	k = *v < (uint64_t) *hp + def ? *v : (uint64_t) *hp + def;
	lost = k > def ? k - def : 0;
	*hp -= (uint32_t) lost;
	*v -= k;
	return (lost);
}

/*
 * siege lets the attacker's siege engines hit the tile's buildings: the
 * Stone Wall, walls and gates first (the ram at its wall rate), then the
 * others in input order with what is left.  Returns the hit points
 * taken.
 */
static uint32_t
siege(battle *b, int face)
{
	const cm_combat_rules *r = b->r;
	const battle_side     *s = &b->a;
	uint64_t wg = 0, other = 0, left_wg, taken = 0, m;
	int      sk = s->leads ? s->s.skill : -1;

	wg = (uint64_t) s->n[0][b->u.ram] * (uint64_t) b->u.atk[b->u.ram] *
	    (uint64_t) clampi(r->ram_wall_pct, 0, 100000);
	other = (uint64_t) s->n[0][b->u.ram] * (uint64_t) b->u.atk[b->u.ram] *
	    (uint64_t) clampi(r->ram_other_pct, 0, 100000);
	m = (uint64_t) s->n[0][b->u.catapult] * (uint64_t)
	    b->u.atk[b->u.catapult] * (uint64_t) clampi(r->catapult_pct, 0,
	    100000) + (uint64_t) s->n[0][b->u.trebuchet] * (uint64_t)
	    b->u.atk[b->u.trebuchet] * (uint64_t) clampi(r->trebuchet_pct, 0,
	    100000);
	wg += m;
	other += m;
	/* Both are in hundredths of HP until here; then the multipliers. */
	for (int pass = 0; pass < 2; pass++) {
		uint64_t *v = pass == 0 ? &wg : &other;

		*v = pct(*v, r->siege_face_pct[face]);
		if (sk == SK_VANGUARD) {
			*v = pct(*v, factor(r, r->siege_vanguard_pct));
		}
		if (sk == SK_ARTIFICER) {
			*v = pct(*v, factor(r, r->siege_artificer_pct));
		}
		if (sk == SK_SABOTEUR) {
			*v = pct(*v, factor(r, r->siege_saboteur_pct));
		}
		if (b->d.race == RACE_IRONVELD) {
			*v = pct(*v, factor(r, r->siege_ironveld_pct));
		}
		*v /= HUNDRED;
	}
	left_wg = wg;
	taken += hit_building(&left_wg, &b->swhp, b->in->building_def);
	for (int i = 0; i < b->nb && left_wg > 0; i++) {
		int ty = b->in->buildings[i].type;

		if (ty != b->u.wall_b && ty != b->u.gate_b) {
			continue;
		}
		taken += hit_building(&left_wg, &b->bhp[i],
		    b->in->building_def);
	}
	/* The others get the part of the siege the walls did not absorb. */
	other = wg == 0 ? 0 : muldiv(other, left_wg, wg);
	for (int i = 0; i < b->nb && other > 0; i++) {
		int ty = b->in->buildings[i].type;

		if (ty == b->u.wall_b || ty == b->u.gate_b) {
			continue;
		}
		taken += hit_building(&other, &b->bhp[i], b->in->building_def);
	}
	return (u32_sat(taken));
}

static bool
siege_possible(const battle *b)
{
	bool engines = b->a.n[0][b->u.ram] + b->a.n[0][b->u.catapult] +
	    b->a.n[0][b->u.trebuchet] > 0;

	if (!engines) {
		return (false);
	}
	if (b->swhp > 0) {
		return (true);
	}
	for (int i = 0; i < b->nb; i++) {
		if (b->bhp[i] > 0) {
			return (true);
		}
	}
	return (false);
}

/* Per-mille of the side's units of the round start lost this round. */
static uint64_t
loss_permille(const battle_side *s, uint64_t start,
    const uint32_t lost[2][NU])
{
	uint64_t l = 0;

	if (start == 0) {
		return (0);
	}
	for (int j = 0; j < s->nty; j++) {
		int t = s->ty[j];

		l += (uint64_t) lost[0][t] + lost[1][t];
	}
	return (muldiv(l, 1000, start));
}

static bool
rout_immune(const battle *b, const battle_side *s)
{
	uint64_t all = 0, im = 0;

	if (s->race == RACE_ASHBORN) {
		return (true);
	}
	for (int j = 0; j < s->nty; j++) {
		int      t = s->ty[j];
		uint64_t h = (uint64_t) s->n[0][t] * s->hp1[0][t] +
		    (uint64_t) s->n[1][t] * s->hp1[1][t];

		all += h;
		if (unit_immune(b, t)) {
			im += h;
		}
	}
	return (all > 0 && muldiv(im, 1000, all) >=
	    (uint64_t) b->r->morale_immune_rout_permille);
}

/* adv_of combines advantage and disadvantage: they cancel. */
static int
adv_of(bool adv, bool dis)
{
	return ((int) adv - (int) dis);
}

typedef struct round_ctx {
	int  a_crit, a_fum, d_crit, d_fum;
	bool a_died, d_died;
} round_ctx;

static void
round_crits(battle *b, cm_battle_round *rd, round_ctx *c)
{
	if (rd->att_attack_roll == 20) {
		c->a_crit = rng_d6(&b->g);
	} else if (rd->att_attack_roll == 1) {
		c->a_fum = rng_d6(&b->g);
	}
	if (rd->def_attack_roll == 20) {
		c->d_crit = rng_d6(&b->g);
	} else if (rd->def_attack_roll == 1) {
		c->d_fum = rng_d6(&b->g);
	}
	rd->att_crit = (uint8_t) c->a_crit;
	rd->att_fumble = (uint8_t) c->a_fum;
	rd->def_crit = (uint8_t) c->d_crit;
	rd->def_fumble = (uint8_t) c->d_fum;
	if (c->a_crit == 2) {
		c->d_died |= death_save(b, &b->d);
	}
	if (c->a_fum == 2) {
		c->a_died |= death_save(b, &b->a);
	}
	if (c->d_crit == 2) {
		c->a_died |= death_save(b, &b->a);
	}
	if (c->d_fum == 2) {
		c->d_died |= death_save(b, &b->d);
	}
	/* Next round's advantage: own Inspiration, the enemy's Disarray. */
	b->a.adv_next = c->a_crit == 6 || c->d_fum == 4;
	b->d.adv_next = c->d_crit == 6 || c->a_fum == 4;
	b->a.loot_pts += (c->a_crit == 3 ? b->r->crit_loot_pct : 0) +
	    (c->a_fum == 3 ? b->r->fumble_loot_pct : 0);
	b->d.loot_pts += (c->d_crit == 3 ? b->r->crit_loot_pct : 0) +
	    (c->d_fum == 3 ? b->r->fumble_loot_pct : 0);
}

static int
morale_after(const cm_combat_rules *r, int m, uint64_t own, uint64_t foe,
    bool crit_dealt, bool crit_taken, bool captain_died)
{
	int64_t v = m;

	v -= (int64_t) (own * (uint64_t) r->morale_casualty_factor / 1000);
	if (own < foe && foe >= own * (uint64_t) r->morale_decisive_ratio) {
		v += r->morale_round_won;
	}
	if (foe < own && own >= foe * (uint64_t) r->morale_decisive_ratio) {
		v += r->morale_round_lost;
	}
	v += crit_dealt ? r->morale_crit_dealt : 0;
	v += crit_taken ? r->morale_crit_received : 0;
	v += captain_died ? r->morale_captain_died : 0;
	return (int) (v < r->morale_min ? r->morale_min
	    : v > r->morale_max ? r->morale_max : v);
}

/* killed: lost[][] holds a unit. */
static int
killed(uint32_t lost[2][NU])
{
	for (int t = 0; t < NU; t++) {
		if (lost[0][t] != 0 || lost[1][t] != 0) {
			return (1);
		}
	}
	return (0);
}

/* fight_round plays round k; returns true when the battle is over. */
static bool
fight_round(battle *b, int k)
{
	const cm_combat_rules *r = b->r;
	const cm_battle_input *in = b->in;
	cm_battle_round       *rd = &b->out->round[k];
	battle_side           *A = &b->a, *D = &b->d;
	round_ctx              c = { 0 };
	battle_raw             wa, wd;
	uint64_t               aatk, adef, datk, ddef, sa, sd, ca, cd, ign;
	uint32_t               la[2][NU] = { { 0 } }, ld[2][NU] = { { 0 } };
	bool                   wall = building_standing(b, b->u.wall_b);
	bool                   adis, ddis;
	int                    band;

	/*
	 * §10.8 in two columns: "attack advantage" (a surprise) is on the
	 * attacker's attack roll, "defense advantage" (home, a wall, a
	 * prepared defence) on the defender's defence roll; a critical's
	 * advantage next round and every disadvantage are on both of that
	 * side's rolls.
	 */
	adis = in->hostile_path || A->morale < r->morale_low ||
	    A->s.curse_stacks > 0;
	ddis = D->morale < r->morale_low || D->s.curse_stacks > 0;
	rd->att_attack_roll = (uint8_t) rng_roll(&b->g,
	    adv_of(in->surprise || A->adv_next, adis));
	rd->def_defence_roll = (uint8_t) rng_roll(&b->g,
	    adv_of(in->defender_home || wall || in->prepared || D->adv_next,
	        ddis));
	rd->def_attack_roll = (uint8_t) rng_roll(&b->g, adv_of(D->adv_next,
	    ddis));
	rd->att_defence_roll = (uint8_t) rng_roll(&b->g, adv_of(A->adv_next,
	    adis));
	round_crits(b, rd, &c);
	if (c.a_fum != 5 && siege_possible(b)) {
		rd->siege_roll = (uint8_t) rng_d20(&b->g);
		rd->siege_damage = siege(b, rd->siege_roll);
	}
	ca = side_count(A);
	cd = side_count(D);
	side_raw(b, A, &wa);
	side_raw(b, D, &wd);
	side_power(b, A, k, false, &wa, &aatk, &adef);
	side_power(b, D, k, c.a_crit == 5, &wd, &datk, &ddef);
	ign = A->race == RACE_VAELTHIR && wa.atk > 0 ? muldiv(wa.cb_atk,
	    (uint64_t) clampi(r->vaelthir_def_ignore_pct, 0, 100) * 10,
	    wa.atk) : 0;
	sa = strike(b, aatk, rd->att_attack_roll, ddef, rd->def_defence_roll,
	    ign);
	ign = D->race == RACE_VAELTHIR && wd.atk > 0 ? muldiv(wd.cb_atk,
	    (uint64_t) clampi(r->vaelthir_def_ignore_pct, 0, 100) * 10,
	    wd.atk) : 0;
	sd = strike(b, datk, rd->def_attack_roll, adef, rd->att_defence_roll,
	    ign);
	if (D->race == RACE_BREATHBORN && rng_d20(&b->g) <=
	    r->evasion_max_face) {
		rd->att_evaded = true;
		sa = 0;
	}
	if (A->race == RACE_BREATHBORN && rng_d20(&b->g) <=
	    r->evasion_max_face) {
		rd->def_evaded = true;
		sd = 0;
	}
	/* Confusion: a d100 at or under the chance sends the strike astray
	 * (it hits nothing).  Drawn only for a confused side. */
	if (A->s.confusion_pct > 0 && rng_die(&b->g, 100) <=
	    A->s.confusion_pct) {
		rd->att_confused = true;
		sa = 0;
	}
	if (D->s.confusion_pct > 0 && rng_die(&b->g, 100) <=
	    D->s.confusion_pct) {
		rd->def_confused = true;
		sd = 0;
	}
	if (c.a_crit == 4) {
		sd = 0;
	}
	if (c.d_crit == 4) {
		sa = 0;
	}
	rd->att_damage = sa;
	rd->def_damage = sd;
	A->dealt |= sa > 0;
	D->dealt |= sd > 0;
	/* Simultaneous: both sides' losses from the state at round start. */
	take_damage(b, D, sa, ld);
	take_damage(b, A, sd, la);
	/* Blood Frenzy counts the rounds a side's strike killed in (its own
	 * fumble's dead are not the enemy's kills). */
	A->kill_rounds += killed(ld);
	D->kill_rounds += killed(la);
	if (c.a_fum == 1) {
		take_damage(b, A, pct(sa, r->fumble_friendly_pct), la);
	}
	if (c.d_fum == 1) {
		take_damage(b, D, pct(sd, r->fumble_friendly_pct), ld);
	}
	for (int p = 0; p < 2; p++) {
		for (int j = 0; j < A->nty; j++) {
			int t = A->ty[j];

			A->n[p][t] -= la[p][t];
			A->dead[p][t] += la[p][t];
		}
		for (int j = 0; j < D->nty; j++) {
			int t = D->ty[j];

			D->n[p][t] -= ld[p][t];
			D->dead[p][t] += ld[p][t];
		}
	}
	memcpy(rd->att_loss, la[0], sizeof(rd->att_loss));
	memcpy(rd->def_loss, ld[0], sizeof(rd->def_loss));
	{
		uint32_t fa[NU] = { 0 }, fd[NU] = { 0 };
		uint64_t pa = loss_permille(A, ca, la);
		uint64_t pd = loss_permille(D, cd, ld);

		rd->def_fled += desert(b, D, c.a_crit == 1 ? r->crit_desert_pct
		    : 0, false, fd);
		rd->att_fled += desert(b, A, c.d_crit == 1 ? r->crit_desert_pct
		    : 0, false, fa);
		rd->att_fled += desert(b, A, c.a_fum == 6 ? r->fumble_flee_pct
		    : 0, false, fa);
		rd->def_fled += desert(b, D, c.d_fum == 6 ? r->fumble_flee_pct
		    : 0, false, fd);
		A->morale = morale_after(r, A->morale, pa, pd, c.a_crit != 0,
		    c.d_crit != 0, c.a_died);
		D->morale = morale_after(r, D->morale, pd, pa, c.d_crit != 0,
		    c.a_crit != 0, c.d_died);
		band = morale_band(r, A->morale);
		rd->att_fled += desert(b, A, r->band_desert_pct[band], true, fa);
		band = morale_band(r, D->morale);
		rd->def_fled += desert(b, D, r->band_desert_pct[band], true, fd);
	}
	rd->att_morale = A->morale;
	rd->def_morale = D->morale;
	b->out->nrounds = k + 1;
	ca = side_count(A);
	cd = side_count(D);
	if (ca == 0 || cd == 0) {
		b->out->end = CM_BATTLE_WIPE;
		b->out->winner = ca == 0 && cd == 0 ? CM_BATTLE_DRAW
		    : ca == 0 ? CM_BATTLE_DEFENDER : CM_BATTLE_ATTACKER;
		return (true);
	}
	{
		bool ar = A->morale <= 0 && !rout_immune(b, A);
		bool dr = D->morale <= 0 && !rout_immune(b, D);

		if (ar || dr) {
			b->out->end = CM_BATTLE_ROUT;
			b->out->winner = ar ? CM_BATTLE_DEFENDER
			    : CM_BATTLE_ATTACKER;
			return (true);
		}
	}
	return (false);
}

static void
stalemate(battle *b)
{
	uint64_t pa = b->a.hp0 ? muldiv(side_hp(&b->a), 1000, b->a.hp0) : 0;
	uint64_t pd = b->d.hp0 ? muldiv(side_hp(&b->d), 1000, b->d.hp0) : 0;

	b->out->end = CM_BATTLE_STALEMATE;
	b->out->winner = pa > pd ? CM_BATTLE_ATTACKER : CM_BATTLE_DEFENDER;
}

static void
reform(battle *b, battle_side *s, uint32_t *reformed)
{
	int face;

	if (s->race != RACE_ASHBORN) {
		return;
	}
	face = clampi(rng_d20(&b->g) + b->r->reform_roll_bonus, 1, 20);
	for (int t = 0; t < NU; t++) {
		/* Mass Reformation adds its points to the face's share. */
		reformed[t] = (uint32_t) ((uint64_t) s->dead[0][t] *
		    (uint64_t) clampi(b->r->reform_face_pct[face] +
		    clampi(s->s.reform_pct, -100, 100), 0, 100) / 100);
		s->dead[0][t] -= reformed[t];
		s->n[0][t] += reformed[t];
	}
}

static void
after_battle(battle *b)
{
	const cm_combat_rules *r = b->r;
	cm_battle_result      *o = b->out;
	battle_side           *win = NULL, *lose = NULL;

	if (side_count(&b->a) == 0) {
		death_save(b, &b->a);
	}
	if (side_count(&b->d) == 0) {
		death_save(b, &b->d);
	}
	reform(b, &b->a, o->att_reformed);
	reform(b, &b->d, o->def_reformed);
	if (o->winner == CM_BATTLE_ATTACKER) {
		win = &b->a;
		lose = &b->d;
	} else if (o->winner == CM_BATTLE_DEFENDER) {
		win = &b->d;
		lose = &b->a;
	}
	if (win != NULL) {
		int rate = win->race == RACE_KORRATH ? r->capture_korrath_pct
		    : r->capture_pct;

		if (win->s.skill == SK_PROFITEER && win->s.cls >= 0) {
			rate += r->capture_profiteer_pct;
		}
		rate = clampi(rate, 0, 100);
		for (int t = 0; t < NU; t++) {
			if (!b->u.siege_unit[t]) {
				o->prisoners[t] = (uint32_t) ((uint64_t)
				    lose->dead[0][t] * (uint64_t) rate / 100);
			}
		}
	}
	if (o->winner == CM_BATTLE_ATTACKER && o->end != CM_BATTLE_STALEMATE) {
		uint64_t base = 0;
		int64_t  lp;

		o->loot_roll = (uint8_t) rng_d20(&b->g);
		lp = r->loot_face_pct[o->loot_roll] + b->a.loot_pts;
		if (b->a.race == RACE_KORRATH) {
			lp += r->loot_korrath_pct;
		}
		if (b->a.s.skill == SK_PROFITEER && b->a.s.cls >= 0) {
			lp += r->loot_profiteer_pct;
		}
		lp = lp < 0 ? 0 : lp > 100000 ? 100000 : lp;
		o->loot_pct = (int) lp;
		for (int t = 0; t < NU; t++) {
			base = add_sat(base, (uint64_t) b->d.dead[0][t] *
			    (uint64_t) b->u.gold[t]);
		}
		o->loot_gold = muldiv(base, (uint64_t) clampi(r->loot_base_pct,
		    0, 100) * (uint64_t) lp, 10000);
	}
	if (b->a.race == RACE_ASHBORN && b->a.dealt &&
	    b->in->att.units[b->u.ashstriker] > 0) {
		o->curse_on_def = r->curse_spread_stacks;
	}
	if (b->d.race == RACE_ASHBORN && b->d.dealt &&
	    b->d.s.units[b->u.ashstriker] > 0) {
		o->curse_on_att = r->curse_spread_stacks;
	}
	o->att_frenzy = b->in->att.race == RACE_KORRATH;
	for (int t = 0; t < NU; t++) {
		o->att_loss[t] = b->a.dead[0][t] + b->a.fled[t];
		o->def_loss[t] = b->d.dead[0][t] + b->d.fled[t];
		o->att_prisoner_loss[t] = b->a.dead[1][t];
		o->def_prisoner_loss[t] = b->d.dead[1][t];
	}
	memcpy(o->building_hp, b->bhp, sizeof(b->bhp));
	o->stone_wall_hp = b->swhp;
}

/*
 * units_current returns the battle_units of the rules in force.  Reading
 * them takes twelve lookups by name (string comparisons down the tables)
 * and 21 by index, a sixth of the engine's time in a battle, so
 * each thread keeps the last ones and reads them again only when the
 * rules' hash changes (cm_rules_load of another file).  Thread-local, so
 * battles on several threads need no lock.
 */
static const battle_units *
units_current(void)
{
	static _Thread_local battle_units cache;
	battle_units *u = &cache;
	uint8_t       h[32];

	cm_rules_hash(h);
	if (u->valid && memcmp(u->rules_hash, h, 32) == 0) {
		return (u);
	}
	memset(u, 0, sizeof(*u));
	for (int t = 0; t < NU; t++) {
		const cm_unit_def *d = cm_unit(t);

		u->atk[t] = clampi(d->atk, 0, 1000000);
		u->def[t] = clampi(d->def, 0, 1000000);
		u->hp[t] = clampi(d->hp, 1, 1000000);
		u->gold[t] = clampi(d->gold, 0, 1000000);
		u->line[t] = unit_line(d->role);
		u->siege_unit[t] = d->role == CM_ROLE_SIEGE;
	}
	u->ram = cm_unit_index("batteringram");
	u->catapult = cm_unit_index("catapult");
	u->trebuchet = cm_unit_index("trebuchet");
	u->warchief = cm_unit_index("warchief");
	u->siegeanvil = cm_unit_index("siegeanvil");
	u->crimsonblade = cm_unit_index("crimsonblade");
	u->ashstriker = cm_unit_index("ashstriker");
	u->warshield = cm_unit_index("warshield");
	u->rageborn = cm_unit_index("rageborn");
	u->wall_b = cm_building_index("wall");
	u->gate_b = cm_building_index("gate");
	u->warhall_b = cm_building_index("warhall");
	/* The chain fixes these ids; rules without them are broken. */
	cm_assert(u->ram >= 0 && u->catapult >= 0 && u->trebuchet >= 0 &&
	    u->warchief >= 0 && u->siegeanvil >= 0 && u->crimsonblade >= 0 &&
	    u->ashstriker >= 0 && u->warshield >= 0 && u->rageborn >= 0);
	memcpy(u->rules_hash, h, 32);
	u->valid = true;
	return (u);
}

/*
 * battle_init sets b up for in under r with the dice keyed by key (the
 * tests call it with a fixed key to compare inputs under the same dice).
 */
static void
battle_init(battle *b, const cm_combat_rules *r, const cm_battle_input *in,
    const uint8_t key[32], cm_battle_result *out)
{
	cm_battle_side fs;

	memset(out, 0, sizeof(*out));
	memset(b, 0, sizeof(*b));
	b->r = r;
	b->in = in;
	b->out = out;
	memcpy(b->g.key, key, 32);
	b->g.pos = 64;
	b->u = *units_current();
	b->nb = cm_battle_nbuildings(in);
	for (int i = 0; i < b->nb; i++) {
		b->bhp[i] = in->buildings[i].hp;
	}
	b->swhp = in->stone_wall_hp;
	b->forsaken = in->forsaken_strength > 0;
	side_init(b, &b->a, &in->att, false);
	if (b->forsaken) {
		forsaken_side(b, &fs);
		side_init(b, &b->d, &fs, true);
	} else {
		side_init(b, &b->d, &in->def, true);
	}
	memcpy(out->def_units, b->d.s.units, sizeof(out->def_units));
}

/* battle_run fights b's battle to its end and seals it with its hash. */
static void
battle_run(battle *b)
{
	uint8_t   res[RESULT_MAX];
	size_t    n;
	cm_keccak kc;
	int       rounds = clampi(b->r->max_rounds, 1, CM_BATTLE_MAX_ROUNDS);

	for (int k = 0;; k++) {
		if (fight_round(b, k)) {
			break;
		}
		if (k + 1 == rounds) {
			stalemate(b);
			break;
		}
	}
	after_battle(b);
	n = result_encode(b->out, res);
	cm_keccak_init(&kc);
	cm_keccak_update(&kc, b->g.key, 32);
	cm_keccak_update(&kc, res, n);
	cm_keccak_final(&kc, b->out->result_hash);
}

void
cm_battle_resolve_with(const cm_combat_rules *r, const cm_battle_input *in,
    cm_battle_result *out)
{
	uint8_t enc[CM_BATTLE_INPUT_MAX], key[32];
	size_t  n = cm_battle_input_encode(in, enc, sizeof(enc));
	battle  b;

	cm_assert(n > 0);
	cm_keccak256(enc, n, key);
	battle_init(&b, r, in, key, out);
	battle_run(&b);
}

void
cm_battle_resolve(const cm_battle_input *in, cm_battle_result *out)
{
	cm_battle_resolve_with(cm_rules_combat(), in, out);
}
