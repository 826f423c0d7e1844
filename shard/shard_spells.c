/*
 * shard_spells.c: what a spell does the moment it is cast (§11.2-11.3,
 * §11.5); the effects that last are shard_effects.c.
 *
 *	firebolt, lightning_strike, fireball,  damage to the target army
 *	crimson_bolt, drain_life
 *	meteor_storm, titans_wrath             damage to every army on the
 *	                                       tile the caster may strike
 *	titans_grasp                           20-40% of the army dies
 *	exsanguinate                           30% of the army dies
 *	                                       (the rules' kill_pct_min..max)
 *	war_cry                                morale +buff
 *	war_drums                              morale -debuff
 *	mass_panic                             morale -debuff, 5-15% desert
 *	windshear, windshear_racial            a marching army arrives 1-4
 *	                                       hours later
 *	gust                                   a marching army arrives one
 *	                                       tile's march later (pushed
 *	                                       back a territory)
 *	titans_whisper                         every army of the player here
 *	                                       takes the lasting ATK debuff
 *	storm_call, plague                     every army on the tile the
 *	                                       caster may strike takes the
 *	                                       lasting effect (speed; the
 *	                                       daily tick's deaths)
 *	scry, true_sight                       a 48-hour scout report on the
 *	                                       tile (True Sight's exact)
 *	titans_eye                             exact reports on the tiles of
 *	                                       up to 10 enemy armies here
 *	dream_walk, dream_sight                exact reports on the target
 *	                                       player's land here, 1 hour
 *	foresight                              the caster's attackers are
 *	                                       known 2 hours earlier, 24 h
 *	titans_aegis                           no hostile spell reaches the
 *	                                       caster's territory, 24 h
 *	                                       (shard_spell_warded)
 *	ward, fortress_of_will, stone_wall,    a spell on the territory for
 *	illusion_army, ash_cloud,              its duration (shard_ground.c;
 *	mass_reformation                       the first four on one's own or
 *	                                       an ally's land)
 *	earthquake                             every army on the tile the
 *	                                       caster may strike: -50% DEF in
 *	                                       round 1 of its next battle
 *	confusion, nightmare,                  the lasting effect on the army
 *	blood_frenzy_spell                     (shard_effects.c: the battle
 *	                                       and the daily tick read it)
 *	pyre_burst                             each Ashborn unit of the
 *	                                       caster's armies within a tile
 *	                                       of the target deals 1-2% of
 *	                                       its HP to it
 *	blood_pact                             the caster's army and its
 *	                                       largest other army on the tile
 *	                                       share spell losses (half each)
 *	                                       for 24 h (damage_army)
 *	raise_dead                             5-15% of the caster's losses
 *	                                       in the battles on the tile of
 *	                                       the last 24 hours (not raised
 *	                                       yet) join its largest army
 *	                                       there
 *
 * Damage (§11.5, "use midpoint x multiplier"): the midpoint of the
 * spell's range times the spell D20 table's multiplier for a d20 plus
 * the caster's bonuses (the race's on destruction spells, Vaelthir +2;
 * the captain's spell roll bonus, High Priest +2), clamped to 1..20; a
 * natural 1 fizzles.  The Destruction skill adds its percentage.  Damage
 * kills whole units, stack by stack in the rules' unit order, each unit
 * taking its HP; what is left below a unit's HP is lost.  An army left
 * with no units is gone; if it was marching to a battle, that attack is
 * over (expired).  The design's heals and burns (Drain Life, Crimson
 * Bolt) need wounds the armies do not carry: not played
 * (docs/rules-decisions.md).  Every number is the rules
 * file's: the design's prose numbers are the spells' kill_pct_min/max,
 * delay_hours_min/max, reveal_armies and warning_hours.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_path.h"
#include "shard_state.h"

/* At most this many armies for the Titan's Eye (the rules say 10); within
 * SH_SPELL_MAX_IDS. */
#define EYE_MAX 64

typedef enum kind {
	K_DAMAGE = 1, /* the target army */
	K_AREA,       /* every army the caster may strike on the tile */
	K_DEATH,      /* a share of the army dies */
	K_MORALE,     /* morale +buff or -debuff, maybe desertion */
	K_DELAY,      /* a marching army arrives later */
	K_PLAYER,     /* the lasting effect on each army of the player */
	K_TILE,       /* the lasting effect on each army the caster may
	               * strike on the tile */
	K_SCRY,       /* a scout report on the tile */
	K_EYE,        /* exact reports on enemy armies' tiles */
	K_DREAM,      /* exact reports on the player's land, for a while */
	K_FORESIGHT,  /* the caster's warning of attacks */
	K_HOLD,       /* the army may not march or attack for a while */
	K_AEGIS,      /* the territory is closed to hostile spells */
	K_GROUND,     /* a spell on the territory (shard_ground.c) */
	K_LASTING,    /* the army's effect is all (shard_effects.c) */
	K_PYRE,       /* the caster's Ashborn units' death damage */
	K_RAISE,      /* the caster's recent dead rise */
	K_PACT,       /* two of the caster's armies share spell losses */
} kind;

static const struct {
	const char *id;
	kind        k;
	bool        hostile;
} table[] = {
	{ "firebolt", K_DAMAGE, true },
	{ "lightning_strike", K_DAMAGE, true },
	{ "fireball", K_DAMAGE, true },
	{ "crimson_bolt", K_DAMAGE, true },
	{ "drain_life", K_DAMAGE, true },
	{ "meteor_storm", K_AREA, true },
	{ "titans_wrath", K_AREA, true },
	{ "titans_grasp", K_DEATH, true },
	{ "exsanguinate", K_DEATH, true },
	{ "war_cry", K_MORALE, false },
	{ "war_drums", K_MORALE, true },
	{ "mass_panic", K_MORALE, true },
	{ "windshear", K_DELAY, true },
	{ "windshear_racial", K_DELAY, true },
	{ "gust", K_DELAY, true },
	{ "crystal_prison", K_HOLD, true },
	{ "titans_whisper", K_PLAYER, true },
	{ "storm_call", K_TILE, true },
	{ "plague", K_TILE, true },
	{ "scry", K_SCRY, false },
	{ "true_sight", K_SCRY, false },
	{ "titans_eye", K_EYE, false },
	{ "dream_walk", K_DREAM, false },
	{ "dream_sight", K_DREAM, false },
	{ "foresight", K_FORESIGHT, false },
	{ "titans_aegis", K_AEGIS, false },
	{ "ward", K_GROUND, false },
	{ "fortress_of_will", K_GROUND, false },
	{ "stone_wall", K_GROUND, false },
	{ "illusion_army", K_GROUND, false },
	{ "ash_cloud", K_GROUND, false },
	{ "mass_reformation", K_GROUND, false },
	{ "earthquake", K_TILE, true },
	{ "confusion", K_LASTING, true },
	{ "nightmare", K_LASTING, true },
	{ "blood_frenzy_spell", K_LASTING, false },
	{ "pyre_burst", K_PYRE, true },
	{ "raise_dead", K_RAISE, false },
	{ "blood_pact", K_PACT, false },
};

/* The territory spells cast on one's own or an ally's land only. */
static const char *const on_friendly_land[] = { "ward",
	"fortress_of_will", "stone_wall", "illusion_army" };

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

bool
shard_spell_hostile(const cm_spell_def *s)
{
	int k = find(s->id);

	/* The lasting debuffs (Curse, Slow) are hostile too. */
	return (k >= 0 ? table[k].hostile
	               : s->debuff_pct > 0 && s->buff_pct == 0);
}

bool
shard_spell_warded(shard_world *w, int x, int y, int64_t now)
{
	const sh_tile *t = shard_tile(w, x, y);

	return (t != NULL && t->aegis_until_ms > now);
}

/*
 * pyre_hp: the hit points of the Ashborn units of p's armies standing
 * within one tile (Chebyshev) of a: what Pyre Burst burns.
 */
static int64_t
pyre_hp(shard_world *w, const sh_player *p, const sh_army *a)
{
	int64_t hp = 0;
	int     ashborn = cm_race_index("ashborn");

	for (uint32_t i = 0; i < p->armies.n; i++) {
		const sh_army *m = cm_table_get_u64(w->armies, p->armies.v[i]);

		if (m == NULL || abs(m->x - a->x) > 1 ||
		    abs(m->y - a->y) > 1) {
			continue;
		}
		for (int u = 0; u < CM_UNIT_COUNT; u++) {
			if (cm_unit(u)->race == ashborn) {
				hp += (int64_t) m->units[u] * cm_unit(u)->hp;
			}
		}
	}
	return (hp);
}

/* The dead Raise Dead may raise: a reservoir over the combats. */
typedef struct raise {
	const sh_player *p;
	int              x, y;
	int64_t          since;
	uint64_t         n;
	uint32_t         dead[CM_UNIT_COUNT];
} raise;

static void
raise_consider(void *arg, void *val)
{
	raise           *r = arg;
	const sh_combat *c = val;
	const uint32_t  *lost;

	if (c->x != r->x || c->y != r->y || c->resolved_ms <= r->since ||
	    strcmp(c->status, "completed") != 0) {
		return;
	}
	lost = strcmp(c->attacker, r->p->address) == 0 ? c->att_loss
	    : strcmp(c->defender, r->p->address) == 0 ? c->def_loss : NULL;
	for (int i = 0; lost != NULL && i < CM_UNIT_COUNT; i++) {
		r->dead[i] += lost[i];
		r->n += lost[i];
	}
}

/*
 * raise_dead_of: p's losses in the battles on (x, y) resolved in the
 * spell's window (24 game hours) and after p's last Raise Dead there
 * (its mark), so no dead rise twice.
 */
static void
raise_dead_of(shard_world *w, const sh_player *p, int x, int y,
    int64_t now, raise *r)
{
	const cm_spell_def    *s = cm_spell_find("raise_dead");
	int64_t                win = shard_duration_ms(w,
	    (int64_t) s->duration_hours * SH_HOUR_MS);
	const sh_ground_spell *g = shard_ground_by(w, x, y, s, p->address,
	    now);

	memset(r, 0, sizeof(*r));
	r->p = p;
	r->x = x;
	r->y = y;
	r->since = now - win;
	if (g != NULL && g->until_ms - win > r->since) {
		r->since = g->until_ms - win;
	}
	cm_table_each(w->combats, raise_consider, r);
}

/* largest_own: p's largest army on (x, y), or NULL. */
static sh_army *
largest_own(shard_world *w, const sh_player *p, int x, int y)
{
	sh_tile *t = shard_tile(w, x, y);
	sh_army *best = NULL;

	for (sh_army *a = t != NULL ? t->armies : NULL; a != NULL;
	     a = a->next_here) {
		if (a->owner == p &&
		    (best == NULL ||
		        shard_army_size(a) > shard_army_size(best))) {
			best = a;
		}
	}
	return (best);
}

const char *
shard_spell_refusal(shard_world *w, const sh_player *p,
    const cm_spell_def *s, const sh_army *a, int x, int y, int64_t now)
{
	const sh_tile *t;

	for (size_t i = 0; i < sizeof(on_friendly_land) /
	     sizeof(on_friendly_land[0]); i++) {
		if (strcmp(s->id, on_friendly_land[i]) == 0 &&
		    ((t = shard_tile(w, x, y)) == NULL ||
		        (t->owner != p && (t->owner == NULL ||
		            !shard_allied(t->owner, p))))) {
			return ("cast it on your own or an ally's territory");
		}
	}
	if (strcmp(s->id, "pyre_burst") == 0 && a != NULL &&
	    pyre_hp(w, p, a) == 0) {
		return ("no Ashborn army of yours stands within a "
		        "territory of it");
	}
	if (strcmp(s->id, "blood_pact") == 0 && a != NULL) {
		const sh_tile *at = shard_tile(w, a->x, a->y);
		bool           other = false;

		if (a->owner != p) {
			return ("cast it on one of your own armies");
		}
		for (const sh_army *m = at != NULL ? at->armies : NULL;
		     m != NULL && !other; m = m->next_here) {
			other = m != a && m->owner == p;
		}
		if (!other) {
			return ("no other army of yours stands with it to "
			        "link");
		}
	}
	if (strcmp(s->id, "raise_dead") == 0) {
		raise r;

		if (largest_own(w, p, x, y) == NULL) {
			return ("no army of yours stands there for the dead "
			        "to join");
		}
		raise_dead_of(w, p, x, y, now, &r);
		if (r.n == 0) {
			return ("none of your dead of the last day lie there");
		}
	}
	return (NULL);
}

bool
shard_spell_ward_absorbs(shard_world *w, const sh_player *p, int x, int y,
    int64_t now)
{
	sh_ground_spell *g = shard_ground_get(w, x, y, cm_spell_find("ward"),
	    now);
	const sh_player *by;

	if (g == NULL) {
		return (false);
	}
	/* Its caster's (and allies') own strikes on the enemies standing
	 * on the warded land pass. */
	by = cm_table_get_str(w->players, g->caster);
	if (by == p || (by != NULL && shard_allied(by, p))) {
		return (false);
	}
	shard_ground_end(w, x, y, g);
	return (true);
}

bool
shard_spell_cast(shard_world *w, sh_player *p, const cm_spell_def *s,
    sh_army *a, sh_player *victim, int x, int y, int64_t now, char *msg,
    size_t cap, bool *fights)
{
	/* A Ward takes the first hostile spell aimed at its territory (or
	 * an army on it) and is spent; the mana and the cooldown are too. */
	if (shard_spell_hostile(s) && (a != NULL || x >= 0) &&
	    shard_spell_ward_absorbs(w, p, a != NULL ? a->x : x,
	        a != NULL ? a->y : y, now)) {
		snprintf(msg, cap, "a ward on the territory absorbed the "
		                   "spell");
		return (true);
	}
	if (a != NULL && shard_effect_cast(w, a, s, now)) {
		*fights = true;
		shard_mark_army(w, a->id);
	}
	return (shard_spell_now(w, p, s, a, victim, x, y, now, msg, cap));
}

bool
shard_spell_acts_now(const cm_spell_def *s)
{
	return (find(s->id) >= 0);
}

bool
shard_spell_needs_march(const cm_spell_def *s)
{
	int k = find(s->id);

	return (k >= 0 && table[k].k == K_DELAY);
}

/*
 * shard_spell_scout: the divination roll (a d20, the Sylvaeth rerolling
 * below their floor, the High Priest's bonus) gives the accuracy of the
 * spell D20 table, and the counts the report shows are off by up to 100 -
 * accuracy percent, drawn once; a natural 1 is a false vision, off by
 * half.  An exact report (True Sight and the other sights) is right.  The
 * newest SH_SCOUTS reports are kept.
 */
void
shard_spell_scout(shard_world *w, sh_player *p, int x, int y, bool exact,
    int64_t ttl_ms, int64_t now)
{
	const cm_spell_tables *tb = cm_rules_spell_tables();
	const cm_race_def     *rc = cm_race(p->race);
	const cm_class_def    *cl = cm_class(p->cls);
	int                    roll, face, slot, spread;
	sh_scout              *sc;

	do {
		roll = (int) randombytes_uniform(20) + 1;
	} while (rc != NULL && roll < rc->divination_min_roll);
	face = roll + (cl != NULL && !p->captain_dead ? cl->spell_roll_bonus
	                                                : 0);
	face = face > 20 ? 20 : face;
	slot = -1;
	for (int i = 0; i < p->nscouts; i++) {
		if (p->scouts[i].x == x && p->scouts[i].y == y) {
			slot = i;
		}
	}
	if (slot < 0) {
		slot = p->nscouts < SH_SCOUTS ? p->nscouts++
		                              : (int) randombytes_uniform(SH_SCOUTS);
	}
	sc             = &p->scouts[slot];
	sc->id         = shard_next_id(w);
	sc->x          = (int16_t) x;
	sc->y          = (int16_t) y;
	sc->exact      = exact;
	sc->expires_ms = now + ttl_ms;
	sc->accuracy   = (uint8_t) (exact ? 100 : tb->divination_accuracy_pct[face]);
	spread         = exact ? 0 : tb->divination_false_vision[roll] ? 50
	                                                 : 100 - sc->accuracy;
	sc->noise_pct  = (int8_t) (spread == 0 ? 0
	        : (int) randombytes_uniform((uint32_t) (2 * spread + 1)) - spread);
	if (!exact && tb->divination_false_vision[roll] && sc->noise_pct == 0) {
		sc->noise_pct = 50;
	}
	shard_mark_scout(w, p, slot);
}

/* between: a uniform draw in lo..hi. */
static int
between(int lo, int hi)
{
	return (lo + (int) randombytes_uniform((uint32_t) (hi - lo + 1)));
}

/* spell_damage: the damage p's cast of s deals (0: fizzled). */
static int64_t
spell_damage(const sh_player *p, const cm_spell_def *s)
{
	const cm_spell_tables *tb = cm_rules_spell_tables();
	const cm_class_def    *cl = cm_class(p->cls);
	int                    roll = between(1, 20), face = roll;
	int64_t                d;

	if (roll == 1) {
		return (0); /* a fizzle: the mana is gone all the same */
	}
	if (strcmp(s->school, "destruction") == 0) {
		face += cm_race(p->race)->spell_damage_roll_bonus;
	}
	if (cl != NULL && !p->captain_dead) {
		face += cl->spell_roll_bonus;
	}
	face = face > 20 ? 20 : face;
	d    = (int64_t) (s->damage_min + s->damage_max) / 2 *
	    tb->damage_mult_pct[face] / 100;
	if (cl != NULL && !p->captain_dead) {
		d = d * (100 + cl->skills[p->skill & 1].spell_damage_pct) / 100;
	}
	return (d);
}

/* kill_hp: damage kills whole units, stack by stack; returns the dead. */
static uint64_t
kill_hp(sh_army *a, int64_t damage)
{
	uint64_t dead = 0;

	for (int i = 0; i < CM_UNIT_COUNT && damage > 0; i++) {
		int64_t  hp = cm_unit(i)->hp > 0 ? cm_unit(i)->hp : 1;
		uint64_t n  = (uint64_t) (damage / hp);

		if (a->units[i] == 0) {
			continue;
		}
		n = n > a->units[i] ? a->units[i] : n;
		a->units[i] -= (uint32_t) n;
		damage -= (int64_t) n * hp;
		dead += n;
	}
	return (dead);
}

/* kill_pct: pct percent of each stack dies (floored). */
static uint64_t
kill_pct(sh_army *a, int pct)
{
	uint64_t dead = 0;

	for (int i = 0; i < CM_UNIT_COUNT; i++) {
		uint32_t n = (uint32_t) ((uint64_t) a->units[i] * (uint64_t) pct /
		    100);

		a->units[i] -= n;
		dead += n;
	}
	return (dead);
}

/*
 * after_losses stores a's losses and tells its owner; an army with no
 * units left is gone, and the attack it marched to is over.
 */
static void
after_losses(shard_world *w, sh_army *a, const cm_spell_def *s,
    const sh_player *p, uint64_t dead, int64_t damage)
{
	sh_combat *c;

	shard_event(w, "spell_effect", a->owner->address, a->x, a->y,
	    json_pack("{s:s,s:s,s:I,s:I,s:I}", "spell", s->id, "caster",
	        p->address, "armyId", (json_int_t) a->id, "damage",
	        (json_int_t) damage, "killed", (json_int_t) dead));
	if (shard_army_size(a) != 0) {
		shard_mark_army(w, a->id);
		return;
	}
	if (a->status == SH_COMBAT &&
	    (c = cm_table_get_u64(w->combats, a->combat_id)) != NULL &&
	    (strcmp(c->status, "pending") == 0 ||
	        strcmp(c->status, "revealed") == 0)) {
		snprintf(c->status, sizeof(c->status), "expired");
		shard_mark_combat(w, c);
		shard_event(w, "combat_expired", c->attacker, c->x, c->y,
		    json_pack("{s:I}", "combatId", (json_int_t) c->id));
	}
	shard_army_free(w, a);
}

/* pact_of: a's Blood Pact partner at now (here, its owner's), or NULL. */
static sh_army *
pact_of(shard_world *w, const sh_army *a, int64_t now)
{
	uint64_t id = shard_effect_partner(a, now);
	sh_army *b  = id != 0 ? cm_table_get_u64(w->armies, id) : NULL;

	return (b != NULL && b != a && b->owner == a->owner ? b : NULL);
}

/*
 * damage_army deals dmg of s to a; under a Blood Pact, share_pct of it
 * falls on the partner instead.  Returns the dead of both; either army
 * may be gone afterwards.
 */
static uint64_t
damage_army(shard_world *w, sh_army *a, const cm_spell_def *s,
    const sh_player *p, int64_t dmg, int64_t now)
{
	sh_army *b  = pact_of(w, a, now);
	int64_t  db = b != NULL
	     ? dmg * cm_spell_find("blood_pact")->share_pct / 100 : 0;
	uint64_t n  = kill_hp(a, dmg - db), m = 0;

	after_losses(w, a, s, p, n, dmg - db);
	if (db > 0) {
		m = kill_hp(b, db);
		after_losses(w, b, s, p, m, db);
	}
	return (n + m);
}

/* death_army: pct percent of a dies, shared likewise. */
static uint64_t
death_army(shard_world *w, sh_army *a, const cm_spell_def *s,
    const sh_player *p, int pct, int64_t now)
{
	sh_army *b  = pact_of(w, a, now);
	int      pb = b != NULL
	     ? pct * cm_spell_find("blood_pact")->share_pct / 100 : 0;
	uint64_t n  = kill_pct(a, pct - pb), m = 0;

	after_losses(w, a, s, p, n, 0);
	if (pb > 0) {
		m = kill_pct(b, pb);
		after_losses(w, b, s, p, m, 0);
	}
	return (n + m);
}

/*
 * pact: the caster's army a is linked with its largest other army on
 * the same tile (shard_spell_refusal made sure there is one), both ways.
 */
static void
pact(shard_world *w, sh_army *a, const cm_spell_def *s, int64_t now,
    char *msg, size_t cap)
{
	sh_tile *t = shard_tile(w, a->x, a->y);
	sh_army *b = NULL;

	for (sh_army *m = t != NULL ? t->armies : NULL; m != NULL;
	     m = m->next_here) {
		if (m != a && m->owner == a->owner &&
		    (b == NULL || shard_army_size(m) > shard_army_size(b))) {
			b = m;
		}
	}
	if (b == NULL) {
		snprintf(msg, cap, "no other army of yours stands there");
		return;
	}
	shard_effect_cast(w, b, s, now);
	shard_effect_link(a, b->id);
	shard_effect_link(b, a->id);
	shard_mark_army(w, a->id);
	shard_mark_army(w, b->id);
	snprintf(msg, cap, "armies %llu and %llu share their spell losses "
	                   "for %d hours",
	    (unsigned long long) a->id, (unsigned long long) b->id,
	    s->duration_hours);
}

static void
morale(shard_world *w, sh_army *a, const cm_spell_def *s,
    const sh_player *p, char *msg, size_t cap)
{
	int      m = a->morale + (s->buff_pct > 0 ? s->buff_pct : -s->debuff_pct);
	uint64_t dead = 0;
	int      pct  = 0;

	a->morale = (uint8_t) (m < 0 ? 0 : m > 100 ? 100 : m);
	if (s->kill_pct_max > 0) { /* Mass Panic's deserters */
		pct  = between(s->kill_pct_min, s->kill_pct_max);
		dead = kill_pct(a, pct);
	}
	snprintf(msg, cap, "the army's morale is now %d%s", a->morale,
	    pct > 0 ? "; some of it deserted" : "");
	after_losses(w, a, s, p, dead, 0);
}

/*
 * delay: the army arrives between 1 and 4 game hours later, and so does
 * the battle it marches to.  The arrival timer already set fires first
 * and finds the army not there yet (fire_arrival); a new one is set.
 */
static void
delay(shard_world *w, sh_army *a, const cm_spell_def *s, const sh_player *p,
    char *msg, size_t cap)
{
	bool       gust = strcmp(s->id, "gust") == 0;
	int        h = between(s->delay_hours_min, s->delay_hours_max);
	int64_t    d = gust ? shard_army_travel_ms(w, a, CM_PATH_STEP)
	                    : shard_duration_ms(w, h * SH_HOUR_MS);
	sh_combat *c;

	a->arrival_ms += d;
	shard_timer_add(w, SH_T_ARRIVAL, a->x, a->y, a->id, a->arrival_ms);
	if (a->status == SH_COMBAT &&
	    (c = cm_table_get_u64(w->combats, a->combat_id)) != NULL) {
		c->arrival_ms += d;
		shard_mark_combat(w, c);
	}
	if (gust) {
		snprintf(msg, cap, "the army is pushed back a territory");
	} else {
		snprintf(msg, cap, "the army arrives %d hour%s later", h,
		    h == 1 ? "" : "s");
	}
	after_losses(w, a, s, p, 0, 0);
}

/* The armies the Titan's Eye may reveal: a reservoir of enemies. */
typedef struct eye {
	const sh_player *p;
	const sh_army   *pick[EYE_MAX];
	uint32_t         want, seen;
} eye;

static void
eye_consider(void *arg, void *val)
{
	eye           *e = arg;
	const sh_army *a = val;
	uint32_t       k;

	if (a->owner == e->p || shard_allied(a->owner, e->p)) {
		return;
	}
	k = e->seen++;
	if (k < e->want) {
		e->pick[k] = a;
	} else if ((k = randombytes_uniform(e->seen)) < e->want) {
		e->pick[k] = a;
	}
}

/* tile_effect: the lasting effect of s on each army on (x, y) that p may
 * strike; returns how many. */
static int
tile_effect(shard_world *w, const sh_player *p, const cm_spell_def *s, int x,
    int y, int64_t now)
{
	sh_tile    *t = shard_tile(w, x, y);
	const char *why;
	int         hit = 0;

	for (sh_army *a = t != NULL ? t->armies : NULL; a != NULL;
	     a = a->next_here) {
		if (a->owner != p &&
		    shard_pvp_refusal(w, p, a->owner, now, &why) == NULL &&
		    shard_effect_cast(w, a, s, now)) {
			shard_mark_army(w, a->id);
			shard_event(w, "spell_effect", a->owner->address, a->x,
			    a->y, json_pack("{s:s,s:s,s:I}", "spell", s->id,
			              "caster", p->address, "armyId",
			              (json_int_t) a->id));
			hit++;
		}
	}
	return (hit);
}

bool
shard_spell_now(shard_world *w, sh_player *p, const cm_spell_def *s,
    sh_army *a, sh_player *victim, int x, int y, int64_t now, char *msg,
    size_t cap)
{
	int      k = find(s->id), hit = 0;
	int64_t  dmg;
	uint64_t dead = 0;
	sh_tile *t;
	sh_vec   ids;

	if (k < 0) {
		return (false);
	}
	switch (table[k].k) {
	case K_DAMAGE:
		dmg  = spell_damage(p, s);
		dead = damage_army(w, a, s, p, dmg, now);
		snprintf(msg, cap, dmg == 0 ? "the spell fizzled"
		                            : "%lld damage: %llu units died",
		    (long long) dmg, (unsigned long long) dead);
		return (true);
	case K_AREA:
		/* Every army there the caster may strike takes it whole. */
		dmg = spell_damage(p, s);
		t   = shard_tile(w, x, y);
		/* The ids first: a Blood Pact may empty (free) another
		 * army of the tile. */
		memset(&ids, 0, sizeof(ids));
		for (a = t != NULL ? t->armies : NULL; a != NULL;
		     a = a->next_here) {
			const char *why;

			if (a->owner != p && dmg != 0 &&
			    shard_pvp_refusal(w, p, a->owner, now,
			        &why) == NULL) {
				sh_vec_push(&ids, a->id);
			}
		}
		for (size_t i = 0; i < ids.n; i++) {
			a = cm_table_get_u64(w->armies, ids.v[i]);
			if (a != NULL) {
				hit++;
				dead += damage_army(w, a, s, p, dmg, now);
			}
		}
		sh_vec_free(&ids);
		snprintf(msg, cap, dmg == 0 ? "the spell fizzled"
		                            : "%lld damage to each of %d armies: "
		                              "%llu units died",
		    (long long) dmg, hit, (unsigned long long) dead);
		return (true);
	case K_DEATH:
		dead = death_army(w, a, s, p, between(s->kill_pct_min,
		    s->kill_pct_max), now);
		snprintf(msg, cap, "%llu units died", (unsigned long long) dead);
		return (true);
	case K_MORALE:
		morale(w, a, s, p, msg, cap);
		return (true);
	case K_DELAY:
		delay(w, a, s, p, msg, cap);
		return (true);
	case K_PLAYER:
		/* A copy: the effect marks armies, the list stays put. */
		ids = victim->armies;
		for (size_t i = 0; i < ids.n; i++) {
			sh_army *v = cm_table_get_u64(w->armies, ids.v[i]);

			if (v != NULL && !shard_spell_warded(w, v->x, v->y, now) &&
			    shard_effect_cast(w, v, s, now)) {
				shard_mark_army(w, v->id);
				hit++;
			}
		}
		snprintf(msg, cap, "%d of the player's armies here weakened",
		    hit);
		return (true);
	case K_TILE:
		hit = tile_effect(w, p, s, x, y, now);
		snprintf(msg, cap, "%d arm%s on the territory under the spell",
		    hit, hit == 1 ? "y" : "ies");
		return (true);
	case K_SCRY:
		shard_spell_scout(w, p, x, y, strcmp(s->id, "true_sight") == 0,
		    shard_duration_ms(w, SH_SCOUT_REPORT_MS), now);
		snprintf(msg, cap, "scouted: the territory shows at the scouted "
		                   "level for 48 hours");
		return (true);
	case K_EYE: {
		eye e = { .p = p, .want = (uint32_t) (s->reveal_armies < EYE_MAX
		                                          ? s->reveal_armies
		                                          : EYE_MAX) };

		cm_table_each(w->armies, eye_consider, &e);
		hit = (int) (e.seen < e.want ? e.seen : e.want);
		for (int i = 0; i < hit; i++) {
			shard_spell_scout(w, p, e.pick[i]->x, e.pick[i]->y, true,
			    shard_duration_ms(w, SH_SCOUT_REPORT_MS), now);
		}
		snprintf(msg, cap, "%d enemy arm%s revealed for 48 hours", hit,
		    hit == 1 ? "y" : "ies");
		return (true);
	}
	case K_DREAM:
		for (uint32_t i = 0; i < victim->tiles.n && hit < SH_SCOUTS; i++) {
			int tx, ty;

			shard_tile_xy(w, (uint32_t) victim->tiles.v[i], &tx, &ty);
			shard_spell_scout(w, p, tx, ty, true,
			    shard_duration_ms(w, (int64_t) s->duration_hours * SH_HOUR_MS),
			    now);
			hit++;
		}
		snprintf(msg, cap, "%d of the player's territories seen for %d "
		                   "hour%s",
		    hit, s->duration_hours, s->duration_hours == 1 ? "" : "s");
		return (true);
	case K_HOLD:
		/* The lasting effect (shard_effects.c) holds it; the caller
		 * cast it already. */
		snprintf(msg, cap, "the army is held for %d hours",
		    s->duration_hours);
		return (true);
	case K_AEGIS:
		t = shard_tile(w, x, y);
		t->aegis_until_ms = now +
		    shard_duration_ms(w, (int64_t) s->duration_hours * SH_HOUR_MS);
		shard_mark_tile(w, x, y);
		snprintf(msg, cap, "no hostile spell reaches the territory for "
		                   "%d hours",
		    s->duration_hours);
		return (true);
	case K_GROUND: {
		int64_t until = now + shard_duration_ms(w,
		    (int64_t) s->duration_hours * SH_HOUR_MS);

		shard_ground_put(w, x, y, s, p,
		    strcmp(s->id, "stone_wall") == 0 ? s->wall_hp : 0, until,
		    now);
		snprintf(msg, cap, "%s holds the territory for %d hours",
		    s->name, s->duration_hours);
		return (true);
	}
	case K_LASTING:
		/* The effect (shard_effects.c) is all; the caller cast it. */
		if (s->duration_hours > 0) {
			snprintf(msg, cap, "the army is under %s for %d hours",
			    s->name, s->duration_hours);
		} else {
			snprintf(msg, cap, "the army is under %s for its next "
			                   "battle",
			    s->name);
		}
		return (true);
	case K_PYRE:
		dmg = pyre_hp(w, p, a) *
		    between(s->hp_pct_min, s->hp_pct_max) / 100;
		dead = damage_army(w, a, s, p, dmg, now);
		snprintf(msg, cap, "%lld damage: %llu units died",
		    (long long) dmg, (unsigned long long) dead);
		return (true);
	case K_RAISE: {
		raise    r;
		int      pct = between(s->raise_pct_min, s->raise_pct_max);
		uint64_t risen = 0;

		raise_dead_of(w, p, x, y, now, &r);
		a = largest_own(w, p, x, y);
		for (int i = 0; a != NULL && i < CM_UNIT_COUNT; i++) {
			uint32_t n = (uint32_t) ((uint64_t) r.dead[i] *
			    (uint64_t) pct / 100);

			a->units[i] += n;
			risen += n;
		}
		if (a != NULL) {
			shard_mark_army(w, a->id);
		}
		/* The mark: these dead have had their chance. */
		shard_ground_put(w, x, y, s, p, 0, now + shard_duration_ms(w,
		    (int64_t) s->duration_hours * SH_HOUR_MS), now);
		snprintf(msg, cap, "%llu of your dead rise and join your army",
		    (unsigned long long) risen);
		return (true);
	}
	case K_PACT:
		pact(w, a, s, now, msg, cap);
		return (true);
	case K_FORESIGHT:
		p->foresight_until_ms = now +
		    shard_duration_ms(w, (int64_t) s->duration_hours * SH_HOUR_MS);
		shard_mark_player(w, p);
		snprintf(msg, cap, "attacks on your land are known %d hours "
		                   "earlier for %d hours",
		    s->warning_hours, s->duration_hours);
		return (true);
	}
	return (false);
}
