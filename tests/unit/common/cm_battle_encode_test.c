/*
 * cm_battle_encode_test.c: the canonical bytes of a battle's input and
 * result (common/cm_battle.c, "canonical bytes").
 *
 * Injective and canonical are shown the direct way: a decoder written
 * here from the documented layout reads the bytes back, must land on the
 * same input (or result) and the last byte, and accepts only the
 * shortest varints, masks of the 21 units, flags in use and non-zero
 * counts.  So every input has one encoding and no two share it.  The
 * inputs are the edge cases (no units, every unit at UINT32_MAX, ints at
 * INT_MIN and INT_MAX, building counts out of range) and random ones;
 * the results are those of real battles and one filled to the brim.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cm_battle.c"

static uint64_t rs = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (rs);
}

/* ---- a decoder of the documented layout ---- */

typedef struct rd {
	const uint8_t *p, *end;
} rd;

static uint8_t
get_u8(rd *r)
{
	assert_true(r->p < r->end);
	return (*r->p++);
}

/* Shortest form only: a last byte of zero after others is refused. */
static uint64_t
get_uv(rd *r)
{
	uint64_t v = 0;
	int      n = 0;
	uint8_t  c;

	do {
		c = get_u8(r);
		assert_true(n < 10);
		assert_true(n < 9 || c <= 1); /* 64 bits at most */
		v |= (uint64_t) (c & 0x7f) << (7 * n);
		n++;
	} while (c & 0x80);
	assert_true(n == 1 || c != 0);
	return (v);
}

static uint32_t
get_u32v(rd *r)
{
	uint64_t v = get_uv(r);

	assert_true(v <= UINT32_MAX);
	return ((uint32_t) v);
}

static int
get_sv(rd *r)
{
	uint32_t u = get_u32v(r);

	return ((int) ((u >> 1) ^ (0u - (u & 1))));
}

static void
get_units(rd *r, uint32_t *u)
{
	uint32_t mask = get_u32v(r);

	assert_true(mask < 1u << NU);
	for (int i = 0; i < NU; i++) {
		u[i] = 0;
		if (mask & 1u << i) {
			u[i] = get_u32v(r);
			assert_true(u[i] != 0);
		}
	}
}

static void
get_flags(rd *r, int n, bool *f[])
{
	uint8_t c = get_u8(r);

	assert_true(c >> n == 0);
	for (int i = 0; i < n; i++) {
		*f[i] = (c >> i) & 1;
	}
}

static void
get_side(rd *r, cm_battle_side *s)
{
	bool *f[] = { &s->captain_leads, &s->captain_wounded, &s->frenzy,
		&s->armory };

	s->race = get_sv(r);
	s->cls = get_sv(r);
	s->skill = get_sv(r);
	get_flags(r, 4, f);
	get_units(r, s->units);
	get_units(r, s->prisoners);
	s->morale = get_sv(r);
	s->atk_pct = get_sv(r);
	s->def_pct = get_sv(r);
	s->curse_stacks = get_sv(r);
	s->foreign_soil_days = get_sv(r);
}

static void
get_side_spells(rd *r, cm_battle_side *s)
{
	s->round1_def_pct = get_sv(r);
	s->confusion_pct = get_sv(r);
	s->kill_atk_pct = get_sv(r);
	s->reform_pct = get_sv(r);
}

static bool
side_spelled_test(const cm_battle_side *s)
{
	return (s->round1_def_pct || s->confusion_pct || s->kill_atk_pct ||
	    s->reform_pct);
}

static void
decode_input(const uint8_t *b, size_t n, cm_battle_input *in)
{
	rd    r = { b, b + n };
	bool *f[] = { &in->defender_home, &in->surprise, &in->prepared,
		&in->hostile_path };
	uint64_t nb;

	memset(in, 0, sizeof(*in));
	in->combat_id = get_uv(&r);
	in->generation = get_u32v(&r);
	for (int i = 0; i < 32; i++) {
		in->entropy[i] = get_u8(&r);
	}
	for (int i = 0; i < 32; i++) {
		in->rules_hash[i] = get_u8(&r);
	}
	in->x = get_sv(&r);
	in->y = get_sv(&r);
	in->terrain = get_sv(&r);
	in->zone = get_sv(&r);
	in->day = get_sv(&r);
	get_flags(&r, 4, f);
	in->forsaken_strength = get_u32v(&r);
	nb = get_uv(&r);
	assert_true(nb <= CM_BATTLE_MAX_BUILDINGS);
	in->nbuildings = (int) nb;
	for (int i = 0; i < in->nbuildings; i++) {
		in->buildings[i].type = get_sv(&r);
		in->buildings[i].hp = get_u32v(&r);
	}
	get_side(&r, &in->att);
	get_side(&r, &in->def);
	/* The spells' trailer: present only when not all zero. */
	if (r.p != r.end) {
		in->building_def = get_u32v(&r);
		in->stone_wall_hp = get_u32v(&r);
		get_side_spells(&r, &in->att);
		get_side_spells(&r, &in->def);
		assert_true(in->building_def || in->stone_wall_hp ||
		    side_spelled_test(&in->att) || side_spelled_test(&in->def));
	}
	assert_true(r.p == r.end);
}

static void
decode_result(const uint8_t *b, size_t n, cm_battle_result *o)
{
	rd r = { b, b + n };

	memset(o, 0, sizeof(*o));
	o->nrounds = get_sv(&r);
	assert_true(o->nrounds >= 0 && o->nrounds <= CM_BATTLE_MAX_ROUNDS);
	for (int k = 0; k < o->nrounds; k++) {
		cm_battle_round *x = &o->round[k];
		bool            *f[] = { &x->att_evaded, &x->def_evaded,
			&x->att_confused, &x->def_confused };

		x->att_attack_roll = get_u8(&r);
		x->def_defence_roll = get_u8(&r);
		x->def_attack_roll = get_u8(&r);
		x->att_defence_roll = get_u8(&r);
		x->att_crit = get_u8(&r);
		x->def_crit = get_u8(&r);
		x->att_fumble = get_u8(&r);
		x->def_fumble = get_u8(&r);
		x->siege_roll = get_u8(&r);
		get_flags(&r, 4, f);
		x->att_damage = get_uv(&r);
		x->def_damage = get_uv(&r);
		x->siege_damage = get_u32v(&r);
		get_units(&r, x->att_loss);
		get_units(&r, x->def_loss);
		x->att_fled = get_u32v(&r);
		x->def_fled = get_u32v(&r);
		x->att_morale = get_sv(&r);
		x->def_morale = get_sv(&r);
	}
	o->winner = (cm_battle_winner) get_sv(&r);
	o->end = (cm_battle_end) get_sv(&r);
	get_units(&r, o->def_units);
	get_units(&r, o->att_loss);
	get_units(&r, o->def_loss);
	get_units(&r, o->att_prisoner_loss);
	get_units(&r, o->def_prisoner_loss);
	get_units(&r, o->att_reformed);
	get_units(&r, o->def_reformed);
	get_units(&r, o->prisoners);
	o->loot_roll = get_u8(&r);
	o->loot_pct = get_sv(&r);
	o->loot_gold = get_uv(&r);
	for (int i = 0; i < CM_BATTLE_MAX_BUILDINGS; i++) {
		o->building_hp[i] = get_u32v(&r);
	}
	o->att_captain = (cm_captain_fate) get_sv(&r);
	o->def_captain = (cm_captain_fate) get_sv(&r);
	o->att_save_roll = get_u8(&r);
	o->def_save_roll = get_u8(&r);
	o->curse_on_att = get_sv(&r);
	o->curse_on_def = get_sv(&r);
	{
		uint8_t c = get_u8(&r);

		assert_true(c <= 1);
		o->att_frenzy = c;
	}
	if (r.p != r.end) { /* the Stone Wall's trailer, never zero */
		o->stone_wall_hp = get_u32v(&r);
		assert_true(o->stone_wall_hp != 0);
	}
	assert_true(r.p == r.end);
}

/* ---- checks ---- */

/*
 * roundtrip encodes in, decodes it back and compares with in as the
 * encoding defines it (the building count clamped, slots past it out).
 * Returns the length.
 */
static size_t
roundtrip(const cm_battle_input *in)
{
	uint8_t         e[CM_BATTLE_INPUT_MAX + 1], e2[CM_BATTLE_INPUT_MAX];
	cm_battle_input want, got;
	size_t          n;

	e[CM_BATTLE_INPUT_MAX] = 0xee;
	n = cm_battle_input_encode(in, e, CM_BATTLE_INPUT_MAX);
	assert_true(n > 0 && n <= 735);
	assert_int_equal(e[CM_BATTLE_INPUT_MAX], 0xee);
	decode_input(e, n, &got);
	memcpy(&want, in, sizeof(want));
	want.nbuildings = cm_battle_nbuildings(in);
	for (int i = want.nbuildings; i < CM_BATTLE_MAX_BUILDINGS; i++) {
		want.buildings[i].type = 0;
		want.buildings[i].hp = 0;
	}
	assert_memory_equal(&want, &got, sizeof(want));
	/* A buffer too small by one byte gets nothing, and no write. */
	memset(e2, 0xee, sizeof(e2));
	assert_int_equal(cm_battle_input_encode(in, e2, n - 1), 0);
	for (size_t i = 0; i < sizeof(e2); i++) {
		assert_int_equal(e2[i], 0xee);
	}
	assert_int_equal(cm_battle_input_encode(in, e2, n), n);
	assert_memory_equal(e, e2, n);
	return (n);
}

static void
result_roundtrip(const cm_battle_result *o)
{
	uint8_t          e[RESULT_MAX];
	cm_battle_result got, want;
	size_t           n = result_encode(o, e);

	assert_true(n > 0 && n <= 1766);
	decode_result(e, n, &got);
	memcpy(&want, o, sizeof(want));
	memset(want.result_hash, 0, sizeof(want.result_hash));
	assert_memory_equal(&want, &got, sizeof(want));
}

static void
random_input(cm_battle_input *in)
{
	memset(in, 0, sizeof(*in));
	in->combat_id = rnd() >> (rnd() % 64);
	in->generation = (uint32_t) rnd() >> (rnd() % 32);
	for (int i = 0; i < 32; i++) {
		in->entropy[i] = (uint8_t) rnd();
		in->rules_hash[i] = (uint8_t) rnd();
	}
	in->x = (int) (rnd() % 801) - 400;
	in->y = (int) rnd();
	in->terrain = (int) (rnd() % 6);
	in->zone = (int) (rnd() % 4);
	in->day = (int) (rnd() % 60);
	in->defender_home = rnd() & 1;
	in->surprise = rnd() & 1;
	in->prepared = rnd() & 1;
	in->hostile_path = rnd() & 1;
	in->forsaken_strength = rnd() % 3 == 0 ? (uint32_t) rnd() : 0;
	in->nbuildings = (int) (rnd() % 9) - 1;
	for (int i = 0; i < CM_BATTLE_MAX_BUILDINGS; i++) {
		in->buildings[i].type = (int) (rnd() % 14);
		in->buildings[i].hp = (uint32_t) rnd() >> (rnd() % 32);
	}
	for (int s = 0; s < 2; s++) {
		cm_battle_side *d = s ? &in->def : &in->att;

		d->race = (int) (rnd() % 7) - 1;
		d->cls = (int) (rnd() % 7) - 1;
		d->skill = (int) (rnd() % 13) - 1;
		d->captain_leads = rnd() & 1;
		d->captain_wounded = rnd() & 1;
		d->frenzy = rnd() & 1;
		d->armory = rnd() & 1;
		for (int t = 0; t < NU; t++) {
			d->units[t] = rnd() % 3 ? 0 : (uint32_t) rnd() >>
			    (rnd() % 32);
			d->prisoners[t] = rnd() % 5 ? 0 : (uint32_t) rnd() >>
			    (rnd() % 32);
		}
		d->morale = (int) (rnd() % 151);
		d->atk_pct = (int) rnd();
		d->def_pct = (int) (rnd() % 61) - 30;
		d->curse_stacks = (int) (rnd() % 6);
		d->foreign_soil_days = (int) (rnd() % 40);
		if (rnd() % 4 == 0) {
			d->round1_def_pct = -(int) (rnd() % 60);
			d->confusion_pct = (int) (rnd() % 31);
			d->kill_atk_pct = (int) (rnd() % 11);
			d->reform_pct = (int) (rnd() % 6);
		}
	}
	if (rnd() % 4 == 0) {
		in->building_def = (uint32_t) (rnd() % 1000);
		in->stone_wall_hp = (uint32_t) (rnd() % 1000);
	}
}

/* The varint and zigzag codes, byte by byte as docs/rules.md shows. */
static void
test_codes(void **state)
{
	static const struct {
		uint64_t v;
		uint8_t  b[10];
		size_t   n;
	} uv[] = {
		{ 0, { 0x00 }, 1 },
		{ 1, { 0x01 }, 1 },
		{ 127, { 0x7f }, 1 },
		{ 128, { 0x80, 0x01 }, 2 },
		{ 300, { 0xac, 0x02 }, 2 },
		{ 16383, { 0xff, 0x7f }, 2 },
		{ 16384, { 0x80, 0x80, 0x01 }, 3 },
		{ 0x1fffff, { 0xff, 0xff, 0x7f }, 3 }, /* all 21 units */
		{ UINT32_MAX, { 0xff, 0xff, 0xff, 0xff, 0x0f }, 5 },
		{ UINT64_MAX, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0x01 }, 10 },
	};
	static const struct {
		int     v;
		uint8_t b[5];
		size_t  n;
	} sv[] = {
		{ 0, { 0x00 }, 1 },
		{ -1, { 0x01 }, 1 },
		{ 1, { 0x02 }, 1 },
		{ -2, { 0x03 }, 1 },
		{ 100, { 0xc8, 0x01 }, 2 },
		{ INT_MAX, { 0xfe, 0xff, 0xff, 0xff, 0x0f }, 5 },
		{ INT_MIN, { 0xff, 0xff, 0xff, 0xff, 0x0f }, 5 },
	};
	uint8_t b[16];
	uint32_t u[NU] = { 0 };

	(void) state;
	for (size_t i = 0; i < sizeof(uv) / sizeof(uv[0]); i++) {
		assert_int_equal(put_uv(b, uv[i].v) - b, uv[i].n);
		assert_memory_equal(b, uv[i].b, uv[i].n);
	}
	for (size_t i = 0; i < sizeof(sv) / sizeof(sv[0]); i++) {
		assert_int_equal(put_sv(b, sv[i].v) - b, sv[i].n);
		assert_memory_equal(b, sv[i].b, sv[i].n);
	}
	/* Units: empty is 00; Warshield (6) 300 and Zephyr (16) 1. */
	assert_int_equal(put_units(b, u) - b, 1);
	assert_int_equal(b[0], 0);
	u[6] = 300;
	u[16] = 1;
	assert_int_equal(put_units(b, u) - b, 6);
	assert_memory_equal(b, ((const uint8_t[]) { 0xc0, 0x80, 0x04, 0xac,
	    0x02, 0x01 }), 6);
}

static void
test_input_edges(void **state)
{
	cm_battle_input in, m;
	uint8_t         e0[CM_BATTLE_INPUT_MAX], e1[CM_BATTLE_INPUT_MAX];
	size_t          n0, n1;

	(void) state;
	/* No units anywhere, everything zero. */
	memset(&in, 0, sizeof(in));
	assert_int_equal(roundtrip(&in), 2 + 64 + 8 + 2 * 11);
	/* Every unit at its largest, every int at its extremes. */
	memset(&in, 0, sizeof(in));
	in.combat_id = UINT64_MAX;
	in.generation = UINT32_MAX;
	in.x = INT_MIN;
	in.y = INT_MAX;
	in.terrain = in.zone = in.day = INT_MIN;
	in.defender_home = in.surprise = in.prepared = in.hostile_path = true;
	in.forsaken_strength = UINT32_MAX;
	in.nbuildings = CM_BATTLE_MAX_BUILDINGS;
	for (int i = 0; i < CM_BATTLE_MAX_BUILDINGS; i++) {
		in.buildings[i].type = INT_MIN;
		in.buildings[i].hp = UINT32_MAX;
	}
	for (int s = 0; s < 2; s++) {
		cm_battle_side *d = s ? &in.def : &in.att;

		d->race = d->cls = d->skill = INT_MIN;
		d->captain_leads = d->captain_wounded = true;
		d->frenzy = d->armory = true;
		for (int t = 0; t < NU; t++) {
			d->units[t] = d->prisoners[t] = UINT32_MAX;
		}
		d->morale = d->atk_pct = d->def_pct = INT_MIN;
		d->curse_stacks = d->foreign_soil_days = INT_MAX;
	}
	assert_int_equal(roundtrip(&in), 685);
	/* Building counts out of range are clamped, as the engine reads. */
	in.nbuildings = 99;
	assert_int_equal(roundtrip(&in), 685);
	in.nbuildings = -3;
	assert_int_equal(roundtrip(&in), 685 - 6 * 10);
	/* The spells' trailer at its largest: 2 x 5 + 2 x 4 x 5 more. */
	in.nbuildings = CM_BATTLE_MAX_BUILDINGS;
	in.building_def = in.stone_wall_hp = UINT32_MAX;
	for (int s = 0; s < 2; s++) {
		cm_battle_side *d = s ? &in.def : &in.att;

		d->round1_def_pct = d->confusion_pct = INT_MIN;
		d->kill_atk_pct = d->reform_pct = INT_MIN;
	}
	assert_int_equal(roundtrip(&in), 735);
	/*
	 * Near misses a careless sparse code would confuse: the same count
	 * under the next unit, on the other side, as a prisoner, or split.
	 */
	memset(&in, 0, sizeof(in));
	in.att.units[3] = 5;
	n0 = cm_battle_input_encode(&in, e0, sizeof(e0));
#define DIFFERS(stmt)                                                    \
	do {                                                             \
		memset(&m, 0, sizeof(m));                                \
		stmt;                                                    \
		n1 = roundtrip(&m);                                      \
		assert_int_equal(cm_battle_input_encode(&m, e1,          \
		    sizeof(e1)), n1);                                    \
		assert_true(n1 != n0 || memcmp(e0, e1, n0) != 0);        \
	} while (0)
	DIFFERS(m.att.units[4] = 5);
	DIFFERS(m.def.units[3] = 5);
	DIFFERS(m.att.prisoners[3] = 5);
	DIFFERS((m.att.units[3] = 4, m.att.units[4] = 1));
	DIFFERS(m.att.units[3] = 5 + 128);
	DIFFERS((m.att.units[3] = 5, m.att.morale = -1));
	DIFFERS((m.att.units[3] = 5, m.nbuildings = 1));
	/* One spell field, each, on a side or the other. */
	DIFFERS((m.att.units[3] = 5, m.building_def = 1));
	DIFFERS((m.att.units[3] = 5, m.stone_wall_hp = 1));
	DIFFERS((m.att.units[3] = 5, m.att.round1_def_pct = 1));
	DIFFERS((m.att.units[3] = 5, m.def.round1_def_pct = 1));
	DIFFERS((m.att.units[3] = 5, m.att.confusion_pct = 1));
	DIFFERS((m.att.units[3] = 5, m.att.kill_atk_pct = 1));
	DIFFERS((m.att.units[3] = 5, m.def.reform_pct = 1));
#undef DIFFERS
}

static void
test_input_random(void **state)
{
	cm_battle_input in;

	(void) state;
	for (int i = 0; i < 5000; i++) {
		random_input(&in);
		roundtrip(&in);
	}
}

static void
test_results(void **state)
{
	cm_battle_input  in;
	cm_battle_result o;

	(void) state;
	/* Results of real battles, Forsaken and sieges among them. */
	for (int i = 0; i < 500; i++) {
		random_input(&in);
		in.terrain = (int) (rnd() % 6);
		cm_battle_resolve(&in, &o);
		result_roundtrip(&o);
	}
	/* One filled to the brim: the largest the engine's enums allow. */
	memset(&o, 0, sizeof(o));
	o.nrounds = CM_BATTLE_MAX_ROUNDS;
	for (int k = 0; k < CM_BATTLE_MAX_ROUNDS; k++) {
		cm_battle_round *x = &o.round[k];

		x->att_attack_roll = x->def_defence_roll = 255;
		x->def_attack_roll = x->att_defence_roll = 255;
		x->att_crit = x->def_crit = x->att_fumble = 255;
		x->def_fumble = x->siege_roll = 255;
		x->att_evaded = x->def_evaded = true;
		x->att_confused = x->def_confused = true;
		x->att_damage = x->def_damage = UINT64_MAX;
		x->siege_damage = x->att_fled = x->def_fled = UINT32_MAX;
		for (int t = 0; t < NU; t++) {
			x->att_loss[t] = x->def_loss[t] = UINT32_MAX;
		}
		x->att_morale = x->def_morale = INT_MIN;
	}
	o.winner = CM_BATTLE_DRAW;
	o.end = CM_BATTLE_STALEMATE;
	for (int t = 0; t < NU; t++) {
		o.def_units[t] = o.att_loss[t] = o.def_loss[t] = UINT32_MAX;
		o.att_prisoner_loss[t] = o.def_prisoner_loss[t] = UINT32_MAX;
		o.att_reformed[t] = o.def_reformed[t] = UINT32_MAX;
		o.prisoners[t] = UINT32_MAX;
	}
	o.loot_roll = 255;
	o.loot_pct = INT_MIN;
	o.loot_gold = UINT64_MAX;
	for (int i = 0; i < CM_BATTLE_MAX_BUILDINGS; i++) {
		o.building_hp[i] = UINT32_MAX;
	}
	o.att_captain = o.def_captain = CM_CAPTAIN_DIED;
	o.att_save_roll = o.def_save_roll = 255;
	o.curse_on_att = o.curse_on_def = INT_MIN;
	o.att_frenzy = true;
	o.stone_wall_hp = UINT32_MAX;
	result_roundtrip(&o);
	{
		uint8_t e[RESULT_MAX];

		/* 1,766 less 4 bytes each for nrounds and the four enums. */
		assert_int_equal(result_encode(&o, e), 1766 - 5 * 4);
	}
	/* A loss moved to the next unit, or to the next round, shows. */
	{
		cm_battle_result a, b;
		uint8_t          ea[RESULT_MAX], eb[RESULT_MAX];
		size_t           na, nb;

		memset(&a, 0, sizeof(a));
		a.nrounds = 2;
		a.round[0].att_loss[3] = 7;
		b = a;
		b.round[0].att_loss[3] = 0;
		b.round[0].att_loss[4] = 7;
		na = result_encode(&a, ea);
		nb = result_encode(&b, eb);
		assert_true(na != nb || memcmp(ea, eb, na) != 0);
		b = a;
		b.round[0].att_loss[3] = 0;
		b.round[1].att_loss[3] = 7;
		nb = result_encode(&b, eb);
		assert_true(na != nb || memcmp(ea, eb, na) != 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_input_edges),
		cmocka_unit_test(test_input_random),
		cmocka_unit_test(test_results),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
