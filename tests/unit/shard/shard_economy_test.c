/*
 * shard_economy_test.c: the daily tick (shard_economy.c) against the
 * rules file's numbers: production by zone, race, class and trust (and
 * nothing from buildings under construction), storage caps, mana regen
 * and cap, upkeep by race and where the food comes from, starvation, the
 * Breath-Born's decay, trust bands and a revolt, foreign soil, domain
 * points with the Heart's garrison and late rules, and two ticks giving
 * twice one tick's change.  Each test checks what the tick marked for
 * the group commit, and what it left alone.
 *
 * The world is one shard holding the whole 100 x 100 map (zones by
 * Chebyshev distance from (50, 50): heart <= 5, inner <= 20, middle <= 35,
 * outer beyond), so every player is homed here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_time.h"
#include "shard_economy.h"
#include "shard_persist.h"
#include "shard_state.h"
#include "shard_world.h"
#define TEST_WORLD_OWN_FIXTURE
#include "shard_test_world.h"

#define DAY_MS_T (86400LL * 1000)

/* Tiles of each zone (Chebyshev distance from the centre). */
#define OUTER 5, 5    /* 45 */
#define MIDDLE 50, 20 /* 30 */
#define INNER 50, 40  /* 10 */
#define HEART 50, 50  /* 0 */

enum { IRONVELD, VAELTHIR, KORRATH, SYLVAETH, ASHBORN, BREATHBORN };
enum { WARLORD, ARCHMAGE, HIGHPRIEST, SHADOWMASTER, MERCHANTPRINCE };

typedef struct fixture {
	cm_metrics  *m;
	shard_world *w;
	int64_t      now; /* day 11 of the generation */
	int          day;
	uint64_t     next_army;
	int          next_player;
} fixture;

static int
setup(void **state)
{
	fixture *f = cm_calloc(1, sizeof(*f));

	f->w         = test_world_new(1, 0, 5, 3, 10, &f->m);
	f->now       = f->w->gen.start_ms + 10 * DAY_MS_T + 1000;
	f->day       = 11;
	f->next_army = 1;
	*state       = f;
	return (0);
}

static int
teardown(void **state)
{
	fixture *f = *state;

	test_world_free(f->w, f->m);
	free(f);
	return (0);
}

static sh_player *
player(fixture *f, int race, int cls)
{
	char       addr[SH_ADDR_LEN + 1];
	sh_player *p;

	snprintf(addr, sizeof(addr), "0x%040d", ++f->next_player);
	p       = shard_player_new(f->w, addr);
	p->race = (uint8_t) race;
	p->cls  = (uint8_t) cls;
	assert_true(p->home);
	return (p);
}

/* claim gives (x, y) to p, active now, at full trust, with no stock. */
static sh_tile *
claim(fixture *f, sh_player *p, int x, int y)
{
	sh_tile *t = shard_tile(f->w, x, y);

	assert_non_null(t);
	shard_tile_set_owner(f->w, x, y, p);
	t->last_activity_ms = f->now;
	t->trust            = 100;
	memset(&t->res, 0, sizeof(t->res));
	return (t);
}

/*
 * build adds a building of id to t, done at done_ms, at full HP.  The
 * tile gets room for BUILDINGS_MAX at once, so the pointers it returns
 * stay valid while a test adds more.
 */
#define BUILDINGS_MAX 8

static sh_building *
build_at(sh_tile *t, const char *id, int64_t done_ms)
{
	int type = cm_building_index(id);

	assert_true(type >= 0);
	if (t->b == NULL) {
		t->b = cm_calloc(BUILDINGS_MAX, sizeof(*t->b));
	}
	assert_true(t->nb < BUILDINGS_MAX);
	t->b[t->nb] = (sh_building) { .id = (uint64_t) t->nb + 1,
		.type = (uint8_t) type, .hp = cm_building(type)->hp,
		.done_ms = done_ms };
	return (&t->b[t->nb++]);
}

static sh_building *
build(fixture *f, sh_tile *t, const char *id)
{
	return (build_at(t, id, f->now - 1000));
}

static sh_army *
army(fixture *f, sh_player *p, int x, int y, const char *unit, uint32_t n)
{
	sh_army *a = shard_army_new(f->w, f->next_army++, p, x, y);

	if (unit != NULL) {
		a->units[cm_unit_index(unit)] = n;
	}
	return (a);
}

static uint32_t
units(const sh_army *a, const char *unit)
{
	return (a->units[cm_unit_index(unit)]);
}

/* tick drops the set-up's marks and runs the day. */
static void
tick(fixture *f)
{
	shard_persist_fini(f->w);
	shard_economy_day(f->w, f->day, f->now);
}

static bool
tile_marked(fixture *f, int x, int y)
{
	return (f->w->gathering != NULL &&
	    shard_tile(f->w, x, y)->mark == f->w->gathering->seq);
}

static bool
army_marked(fixture *f, const sh_army *a)
{
	return (f->w->gathering != NULL && a->mark == f->w->gathering->seq);
}

static bool
player_marked(fixture *f, const sh_player *p)
{
	return (f->w->gathering != NULL && p->mark == f->w->gathering->seq);
}

static void
test_production_by_zone_and_race(void **state)
{
	fixture   *f  = *state;
	sh_player *k  = player(f, KORRATH, WARLORD);
	sh_player *a  = player(f, ASHBORN, WARLORD);
	sh_player *iv = player(f, IRONVELD, WARLORD);
	sh_player *s  = player(f, SYLVAETH, WARLORD);
	sh_player *mp = player(f, KORRATH, MERCHANTPRINCE);
	sh_player *dd = player(f, KORRATH, MERCHANTPRINCE);
	sh_tile   *to = claim(f, k, OUTER), *tm = claim(f, k, 20, 50);
	sh_tile   *ti = claim(f, k, 30, 50), *ta = claim(f, a, 5, 10);
	sh_tile   *tmine = claim(f, iv, MIDDLE), *ts = claim(f, s, HEART);
	sh_tile   *tmp = claim(f, mp, 10, 5), *tdd = claim(f, dd, 15, 5);
	sh_tile   *tower = claim(f, k, 5, 15), *empty = claim(f, k, 5, 20);

	build(f, to, "farm");
	build(f, tm, "farm");
	build(f, ti, "farm");
	build(f, ta, "farm");
	build(f, tmine, "mine");
	build(f, ts, "market");
	build(f, tmp, "mine");
	build(f, tdd, "mine");
	build(f, tower, "magetower");
	build(f, tower, "shrine");
	dd->captain_dead = true;
	tick(f);
	/* §9.4: a Farm gives 50 outer, 75 middle, 100 inner. */
	assert_int_equal(to->res.food, 50);
	assert_int_equal(tm->res.food, 75);
	assert_int_equal(ti->res.food, 100);
	/* Ashborn Farm: floor(50 x 0.85 x 0.8) = 34. */
	assert_int_equal(ta->res.food, 34);
	/* Ironveld Mine, middle: floor(40 x 1.5 x 1.15) = 69 gold and stone */
	assert_int_equal(tmine->res.gold, 69);
	assert_int_equal(tmine->res.stone, 69);
	assert_int_equal(tmine->res.food, 0);
	/* Sylvaeth Market, Heart: floor(100 x 1.1 x 3) = 330. */
	assert_int_equal(ts->res.gold, 330);
	/* Merchant Prince: +20% gold, not stone; gone with the captain. */
	assert_int_equal(tmp->res.gold, 48);
	assert_int_equal(tmp->res.stone, 40);
	assert_int_equal(tdd->res.gold, 40);
	/* Tower and Shrine mana is the player's regen, not tile stock. */
	assert_int_equal(tower->res.mana, 0);
	assert_int_equal(tower->res.gold, 0);
	assert_true(tile_marked(f, OUTER));
	assert_true(tile_marked(f, MIDDLE));
	assert_false(tile_marked(f, 5, 20));
	assert_int_equal(empty->res.food, 0);
}

static void
test_under_construction(void **state)
{
	fixture     *f = *state;
	sh_player   *k = player(f, KORRATH, WARLORD);
	sh_tile     *a = claim(f, k, 5, 5), *b = claim(f, k, 6, 5);
	sh_tile     *c = claim(f, k, 7, 5);
	sh_building *dead;

	build_at(a, "farm", f->now + 1); /* done a millisecond from now */
	dead     = build(f, b, "farm");
	dead->hp = 0; /* destroyed */
	build_at(c, "farm", f->now);     /* done right now */
	tick(f);
	assert_int_equal(a->res.food, 0);
	assert_int_equal(b->res.food, 0);
	assert_int_equal(c->res.food, 50);
	assert_false(tile_marked(f, 5, 5));
	assert_false(tile_marked(f, 6, 5));
	assert_true(tile_marked(f, 7, 5));
}

static void
test_storage_caps(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_tile   *a = claim(f, k, 5, 5), *b = claim(f, k, 6, 5);
	sh_tile   *c = claim(f, k, 7, 5), *d = claim(f, k, 8, 5);

	/* Caps: food 2,000, stone and wood 5,000, gold none. */
	build(f, a, "farm");
	build(f, a, "farm");
	build(f, a, "mine");
	build(f, a, "lumbermill");
	a->res.food  = 1990;
	a->res.stone = 4990;
	a->res.gold  = 1000000000000LL;
	a->res.wood  = 6000; /* above the cap already: kept, not cut */
	/* A Warehouse adds 2,000 to each capped resource... */
	build(f, b, "farm");
	build(f, b, "warehouse");
	b->res.food = 3990;
	/* ...once completed. */
	build(f, c, "farm");
	build_at(c, "warehouse", f->now + 1000);
	c->res.food = 1990;
	/* A full tile does not change. */
	build(f, d, "farm");
	d->res.food = 2000;
	tick(f);
	assert_int_equal(a->res.food, 2000);
	assert_int_equal(a->res.stone, 5000);
	assert_int_equal(a->res.gold, 1000000000040LL);
	assert_int_equal(a->res.wood, 6000);
	assert_int_equal(b->res.food, 4000);
	assert_int_equal(c->res.food, 2000);
	assert_int_equal(d->res.food, 2000);
	assert_false(tile_marked(f, 8, 5));
}

static void
test_trust_lowers_production(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_tile   *t[4];
	int        trust[4] = { 75, 60, 30, 10 };
	int        food[4]  = { 50, 45, 37, 25 }; /* 0, -10, -25, -50% */

	for (int i = 0; i < 4; i++) {
		t[i]        = claim(f, k, 5 + i, 5);
		t[i]->trust = (uint8_t) trust[i];
		build(f, t[i], "farm");
	}
	tick(f);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(t[i]->res.food, food[i]);
		assert_int_equal(t[i]->trust, trust[i]); /* active: no decay */
	}
}

static void
test_mana(void **state)
{
	fixture   *f  = *state;
	sh_player *k  = player(f, KORRATH, WARLORD);
	sh_player *v  = player(f, VAELTHIR, WARLORD);
	sh_player *va = player(f, VAELTHIR, ARCHMAGE);
	sh_player *u  = player(f, KORRATH, WARLORD);
	sh_player *x  = player(f, KORRATH, WARLORD);
	sh_player *o  = player(f, KORRATH, WARLORD);
	sh_tile   *t;

	/* Base 10 a day, cap 50 without a tower. */
	claim(f, k, OUTER);
	k->mana = 45;
	/* Vaelthir: (10 + 20 tower + 10 shrine + 5 middle) x 1.3 = 58; cap
	 * min(50 + 50, 200) + 100 = 200. */
	t = claim(f, v, MIDDLE);
	build(f, t, "magetower");
	build(f, t, "shrine");
	/* An Archmage too: 45 x 1.25 = 56, x 1.3 = 72. */
	t = claim(f, va, 20, 50);
	build(f, t, "magetower");
	build(f, t, "shrine");
	/* A tower under construction counts for neither. */
	t = claim(f, u, 5, 10);
	build_at(t, "magetower", f->now + 1000);
	u->mana = 40;
	/* Above the cap (a start stock): kept. */
	claim(f, x, 5, 15);
	x->mana = 300;
	/* A player homed elsewhere regenerates on its home shard. */
	claim(f, o, 5, 20);
	o->home = false;
	o->mana = 0;
	tick(f);
	assert_int_equal(k->mana, 50);
	assert_int_equal(v->mana, 58);
	assert_int_equal(va->mana, 72);
	assert_int_equal(u->mana, 50);
	assert_int_equal(x->mana, 300);
	assert_int_equal(o->mana, 0);
	assert_true(player_marked(f, v));
	for (int i = 0; i < 3; i++) {
		tick(f);
	}
	assert_int_equal(v->mana, 200); /* 58, 116, 174, then the cap */
}

static void
test_upkeep_by_race(void **state)
{
	fixture   *f  = *state;
	sh_player *iv = player(f, IRONVELD, WARLORD);
	sh_player *as = player(f, ASHBORN, WARLORD);
	sh_player *k  = player(f, KORRATH, WARLORD);
	sh_player *bb = player(f, BREATHBORN, WARLORD);
	sh_player *mp = player(f, KORRATH, MERCHANTPRINCE);
	sh_tile   *ti = claim(f, iv, 5, 5), *ta = claim(f, as, 6, 5);
	sh_tile   *tk = claim(f, k, 7, 5), *tb = claim(f, bb, 8, 5);
	sh_tile   *tm = claim(f, mp, 9, 5);
	sh_army   *ak;

	ti->res.food = ta->res.food = tk->res.food = 200;
	tb->res.food = tm->res.food = 200;
	army(f, iv, 5, 5, "stoneshield", 100); /* 100 x 1 x 50% */
	army(f, as, 6, 5, "cinderguard", 100); /* Ashborn eat nothing */
	ak = army(f, k, 7, 5, "warshield", 100); /* 100 + 10 x 3 */
	ak->units[cm_unit_index("warchief")] = 10;
	army(f, bb, 8, 5, "galeguard", 100);    /* 100 x 70% */
	army(f, mp, 9, 5, "warshield", 100);    /* Logistics: -10% */
	tick(f);
	assert_int_equal(ti->res.food, 150);
	assert_int_equal(ta->res.food, 200);
	assert_int_equal(tk->res.food, 70);
	assert_int_equal(tb->res.food, 130);
	assert_int_equal(tm->res.food, 110);
	assert_false(tile_marked(f, 6, 5));
	assert_true(tile_marked(f, 5, 5));
	assert_int_equal(units(ak, "warshield"), 100); /* fed: no losses */
	assert_int_equal(ak->morale, 100);
}

static void
test_upkeep_draw_order(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_tile   *t3, *t1, *t2;

	/* Claimed out of index order: the draw goes by index all the same. */
	t2 = claim(f, k, 6, 60);
	t3 = claim(f, k, 7, 60);
	t1 = claim(f, k, 5, 60);
	t3->res.food = 30;
	t1->res.food = 50;
	t2->res.food = 100;
	/* Eats 100: its own tile first (30), then index order (50 + 20). */
	army(f, k, 7, 60, "warshield", 100);
	/* Eats 50 on land k does not hold: from the rest of t2. */
	army(f, k, 30, 30, "warshield", 50);
	tick(f);
	assert_int_equal(t3->res.food, 0);
	assert_int_equal(t1->res.food, 0);
	assert_int_equal(t2->res.food, 30);
	assert_true(tile_marked(f, 5, 60));
	assert_true(tile_marked(f, 6, 60));
	assert_true(tile_marked(f, 7, 60));
}

static void
test_starvation(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_player *o = player(f, IRONVELD, WARLORD);
	sh_tile   *t = claim(f, k, 5, 5), *to = claim(f, o, 6, 5);
	sh_army   *a, *siege, *fed;

	t->res.food  = 100;
	to->res.food = 1000;
	a            = army(f, k, 5, 5, "warshield", 100); /* eats 100 */
	a->units[cm_unit_index("rageborn")] = 40;          /* and 80 */
	siege = army(f, k, 5, 5, "batteringram", 10);      /* eats nothing */
	fed   = army(f, o, 6, 5, "stoneshield", 100);
	tick(f);
	/* 180 wanted, 100 there: 5% of each stack (floored), morale -25. */
	assert_int_equal(t->res.food, 0);
	assert_int_equal(units(a, "warshield"), 95);
	assert_int_equal(units(a, "rageborn"), 38);
	assert_int_equal(a->morale, 75);
	assert_true(army_marked(f, a));
	assert_int_equal(units(siege, "batteringram"), 10);
	assert_int_equal(siege->morale, 100);
	assert_false(army_marked(f, siege));
	assert_int_equal(units(fed, "stoneshield"), 100);
	assert_int_equal(fed->morale, 100);
	assert_int_equal(to->res.food, 950);
	/* Another day without food: 95 -> 91, 38 -> 37, morale 50. */
	tick(f);
	assert_int_equal(units(a, "warshield"), 91);
	assert_int_equal(units(a, "rageborn"), 37);
	assert_int_equal(a->morale, 50);
}

static void
test_breathborn_decay(void **state)
{
	fixture     *f  = *state;
	sh_player   *bb = player(f, BREATHBORN, WARLORD);
	sh_player   *k  = player(f, KORRATH, WARLORD);
	sh_tile     *t  = claim(f, bb, 5, 5), *tk = claim(f, k, 6, 5);
	sh_building *full, *building, *low, *floor1, *other;

	full     = build(f, t, "barracks");
	building = build_at(t, "watchtower", f->now + 1000);
	low      = build(f, t, "wall");
	low->hp  = 5;
	floor1   = build(f, t, "armory");
	floor1->hp = 1;
	other    = build(f, tk, "barracks");
	tick(f);
	/* 1% of 1,000 once a day, never below 1 HP. */
	assert_int_equal(full->hp, 990);
	assert_int_equal(building->hp, 1000);
	assert_int_equal(low->hp, 1);
	assert_int_equal(floor1->hp, 1);
	assert_int_equal(other->hp, 1000);
	assert_true(tile_marked(f, 5, 5));
	assert_false(tile_marked(f, 6, 5));
	tick(f);
	assert_int_equal(full->hp, 980);
	assert_int_equal(low->hp, 1);
}

static void
test_trust_bands(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	int        idle[5]  = { 2, 5, 10, 20, 10 };
	int        trust[5] = { 100, 95, 90, 85, 95 };
	sh_tile   *t[5];

	/* Idle 1-3 days: 0; 4-7: -5; 8-14: -10; 15+: -15 a day.  The last
	 * tile is the most developed, the captain's home: 50% slower.  (The
	 * generation began 30 days ago: no tile is idle from before it.) */
	f->w->gen.start_ms = f->now - 30 * DAY_MS_T;
	for (int i = 0; i < 5; i++) {
		t[i] = claim(f, k, 5 + i, 5);
		t[i]->last_activity_ms = f->now - idle[i] * DAY_MS_T;
	}
	build(f, t[4], "barracks");
	build(f, t[4], "watchtower");
	tick(f);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(t[i]->trust, trust[i]);
	}
	assert_false(tile_marked(f, 5, 5));
	assert_true(tile_marked(f, 6, 5));
}

/*
 * The clock runs from the latest of the tile's activity, its owner's last
 * action anywhere and its owner's registration: an active player's idle
 * tile keeps its trust, and so does a late joiner's untouched land.
 */
static void
test_trust_owner_activity(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_player *v = player(f, VAELTHIR, WARLORD);
	sh_tile   *a = claim(f, k, 5, 5), *b = claim(f, v, 9, 9);

	a->last_activity_ms = f->now - 9 * DAY_MS_T;
	k->last_action_ms   = f->now - 1 * DAY_MS_T; /* acted elsewhere */
	b->last_activity_ms = 0;                      /* never touched */
	v->registered_ms    = f->now - 2 * DAY_MS_T; /* joined 2 days ago */
	tick(f);
	assert_int_equal(a->trust, 100);
	assert_int_equal(b->trust, 100);
	k->last_action_ms = 0;
	tick(f); /* idle 9 days: -10, halved (its only tile is its home) */
	assert_int_equal(a->trust, 95);
}

static void
test_trust_time_scale(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_tile   *a = claim(f, k, 5, 5), *b = claim(f, k, 6, 5);

	/* ND_TIME_SCALE 1440: a game day lasts a minute of wall time. */
	f->w->time_scale    = 1440;
	a->last_activity_ms = f->now - 5 * 60 * 1000;   /* 5 game days */
	b->last_activity_ms = f->now - 3 * 60 * 1000;   /* 3: grace */
	build(f, b, "barracks"); /* b is home: a decays in full */
	tick(f);
	assert_int_equal(a->trust, 95);
	assert_int_equal(b->trust, 100);
}

static void
test_trust_home_tie(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_tile   *a = claim(f, k, 9, 5), *b = claim(f, k, 5, 5);

	/* As developed as each other: the lower index is the home. */
	a->last_activity_ms = b->last_activity_ms = f->now - 10 * DAY_MS_T;
	build(f, a, "barracks");
	build(f, b, "barracks");
	tick(f);
	assert_int_equal(b->trust, 95);
	assert_int_equal(a->trust, 90);
}

static void
test_revolt(void **state)
{
	fixture     *f = *state;
	sh_player   *r = player(f, KORRATH, WARLORD);
	sh_tile     *home = claim(f, r, 5, 5), *t = claim(f, r, INNER);
	sh_building *farm, *hurt;
	sh_army     *g, *field;
	int64_t      p0, release;

	build(f, home, "barracks");
	build(f, home, "watchtower");
	build(f, home, "wall"); /* the most developed: the captain's home */
	farm       = build(f, t, "farm");
	hurt       = build(f, t, "barracks");
	hurt->hp   = 300;
	t->trust   = 10;
	t->last_activity_ms = f->now - 20 * DAY_MS_T; /* -15: 0, revolt */
	t->res.gold = 500;
	t->res.food = 1000;
	g           = army(f, r, INNER, "warshield", 20);
	g->garrison = true;
	shard_army_place(f->w, g, INNER);
	field = army(f, r, INNER, "warshield", 10);
	assert_int_equal(t->garrison, g->id);
	/* What losing an Inner plot does to the score, whatever that is. */
	claim(f, r, 52, 40);
	p0 = r->points;
	shard_tile_set_owner(f->w, 52, 40, NULL);
	release = r->points - p0;
	p0      = r->points;
	tick(f);
	/* The tile is nobody's, its stock gone, its buildings at most half
	 * their max HP, its garrison released; full trust for a new claim. */
	assert_null(t->owner);
	assert_int_equal(r->tiles.n, 1);
	assert_int_equal(r->tiles.v[0], shard_tile_index(f->w, 5, 5));
	assert_int_equal(t->res.gold, 0);
	assert_int_equal(t->res.food, 0);
	assert_int_equal(farm->hp, 500);
	assert_int_equal(hurt->hp, 300);
	assert_int_equal(t->trust, 100);
	assert_int_equal(t->garrison, 0);
	assert_false(g->garrison);
	assert_true(army_marked(f, g));
	assert_true(tile_marked(f, INNER));
	/* Same day, step 6: both armies now stand on foreign soil. */
	assert_int_equal(g->foreign_soil_days, 1);
	assert_int_equal(field->foreign_soil_days, 1);
	/* The home tile is untouched, and the revolt is an event. */
	assert_ptr_equal(home->owner, r);
	assert_int_equal(f->w->gathering->nevents, 1);
	/* The revolted plot scores nothing: the home's 1, and the loss. */
	assert_int_equal(r->points - p0, 1 + release);
	/* The next day the armies eat from the home tile; no second revolt. */
	home->res.food = 1000;
	tick(f);
	assert_null(t->owner);
	assert_int_equal(home->res.food, 970);
}

static void
test_foreign_soil(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_player *s = player(f, SYLVAETH, WARLORD);
	sh_player *o = player(f, IRONVELD, WARLORD);
	sh_tile   *a = claim(f, k, 10, 60), *ts = claim(f, s, 20, 60);
	sh_army   *away, *back, *d15, *d22, *sy, *wild;

	claim(f, o, 12, 60);
	a->res.food  = 100000;
	ts->res.food = 100000;
	away = army(f, k, 12, 60, "warshield", 100);
	back = army(f, k, 10, 60, "warshield", 100);
	back->foreign_soil_days = 5;
	d15  = army(f, k, 12, 60, "warshield", 100);
	d15->foreign_soil_days = 14;
	d22  = army(f, k, 12, 60, "warshield", 100);
	d22->foreign_soil_days = 21;
	sy   = army(f, s, 12, 60, "veilguard", 100);
	sy->foreign_soil_days = 21;
	wild = army(f, k, 30, 30, "warshield", 100); /* nobody's land */
	tick(f);
	assert_int_equal(away->foreign_soil_days, 1);
	assert_int_equal(away->morale, 100);
	assert_int_equal(back->foreign_soil_days, 0);
	assert_true(army_marked(f, back));
	/* Day 15: -5 morale a day; day 22: -10 and 2% desert. */
	assert_int_equal(d15->foreign_soil_days, 15);
	assert_int_equal(d15->morale, 95);
	assert_int_equal(units(d15, "warshield"), 100);
	assert_int_equal(d22->foreign_soil_days, 22);
	assert_int_equal(d22->morale, 90);
	assert_int_equal(units(d22, "warshield"), 98);
	/* The Sylvaeth's 10-day grace shifts the table by 7: day 22 is 15. */
	assert_int_equal(sy->foreign_soil_days, 22);
	assert_int_equal(sy->morale, 95);
	assert_int_equal(units(sy, "veilguard"), 100);
	assert_int_equal(wild->foreign_soil_days, 1);
	/* Home again: the count resets. */
	shard_army_place(f->w, d22, 10, 60);
	tick(f);
	assert_int_equal(d22->foreign_soil_days, 0);
	assert_int_equal(away->foreign_soil_days, 2);
}

static void
test_domain_points(void **state)
{
	fixture   *f = *state;
	sh_player *p = player(f, KORRATH, WARLORD);
	sh_player *h = player(f, KORRATH, WARLORD);
	sh_player *e = player(f, KORRATH, WARLORD);
	sh_army   *g;
	int64_t    p0, h0, e0;

	claim(f, p, OUTER);
	claim(f, p, MIDDLE);
	claim(f, p, INNER);
	claim(f, p, 52, 52); /* Heart, no garrison: the base point only */
	claim(f, h, HEART);
	shard_tile(f->w, HEART)->res.food = 100000;
	g           = army(f, h, HEART, "warshield", 10);
	g->garrison = true;
	shard_army_place(f->w, g, HEART);
	claim(f, e, 48, 48); /* Heart, an empty garrison */
	g           = army(f, e, 48, 48, NULL, 0);
	g->garrison = true;
	shard_army_place(f->w, g, 48, 48);
	p0 = p->points;
	h0 = h->points;
	e0 = e->points;
	tick(f);
	/* Per plot per day: outer 1, middle 3, inner 6, Heart 11 with a
	 * garrison (1 without). */
	assert_int_equal(p->points - p0, 1 + 3 + 6 + 1);
	assert_int_equal(h->points - h0, 11);
	assert_int_equal(e->points - e0, 1);
	assert_true(player_marked(f, p));
	/* From day 36 the Heart's bonus doubles: 1 + 20. */
	f->day = 36;
	tick(f);
	assert_int_equal(h->points - h0, 11 + 21);
	assert_int_equal(p->points - p0, 2 * 11);
}

static void
test_two_ticks_linear(void **state)
{
	fixture   *f = *state;
	sh_player *k = player(f, KORRATH, WARLORD);
	sh_tile   *t = claim(f, k, OUTER), *home;
	sh_army   *a;
	int64_t    food0, gold0, stone0, pts0, mana0, dfood, dgold, dstone;
	int64_t    dpts, dmana;
	int        dtrust;

	build(f, t, "farm");
	build(f, t, "mine");
	t->res.food         = 1000;
	t->last_activity_ms = f->now - 5 * DAY_MS_T; /* band 4-7: -5 a day */
	/* The captain's home (most developed) is elsewhere: t decays fully. */
	home = claim(f, k, MIDDLE);
	build(f, home, "barracks");
	build(f, home, "watchtower");
	build(f, home, "wall");
	a     = army(f, k, OUTER, "warshield", 100);
	food0 = t->res.food;
	gold0 = t->res.gold;
	stone0 = t->res.stone;
	pts0  = k->points;
	mana0 = k->mana;
	tick(f);
	dfood  = t->res.food - food0;
	dgold  = t->res.gold - gold0;
	dstone = t->res.stone - stone0;
	dpts   = k->points - pts0;
	dmana  = k->mana - mana0;
	dtrust = 100 - t->trust;
	assert_int_equal(dfood, 50 - 100);
	assert_int_equal(dgold, 40);
	assert_int_equal(dpts, 1 + 3);
	assert_int_equal(dmana, 10 + 5);
	assert_int_equal(dtrust, 5);
	f->now += DAY_MS_T;
	f->day++;
	tick(f);
	assert_int_equal(t->res.food - food0, 2 * dfood);
	assert_int_equal(t->res.gold - gold0, 2 * dgold);
	assert_int_equal(t->res.stone - stone0, 2 * dstone);
	assert_int_equal(k->points - pts0, 2 * dpts);
	assert_int_equal(k->mana - mana0, 2 * dmana);
	assert_int_equal(100 - t->trust, 2 * dtrust);
	assert_int_equal(units(a, "warshield"), 100);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_production_by_zone_and_race),
		T(test_under_construction),
		T(test_storage_caps),
		T(test_trust_lowers_production),
		T(test_mana),
		T(test_upkeep_by_race),
		T(test_upkeep_draw_order),
		T(test_starvation),
		T(test_breathborn_decay),
		T(test_trust_bands),
		T(test_trust_owner_activity),
		T(test_trust_time_scale),
		T(test_trust_home_tie),
		T(test_revolt),
		T(test_foreign_soil),
		T(test_domain_points),
		T(test_two_ticks_linear),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
