/*
 * shard_state.h: the in-memory game state a shard owns, shared by the
 * shard's modules (load, answers, actions, timers, persistence, cache).
 *
 * One thread (the owner thread) touches all of it, so nothing here locks.
 * Sizes are for a 1000 x 1000 map: tiles of the region are a dense array;
 * players, armies, combats and alliances are hash tables by address or
 * id; a tile keeps the armies standing on it and a player the tiles and
 * armies it has in this region, so no request scans a whole table.
 *
 * Every change goes through a mark (shard_mark_*): the persistence layer
 * writes the marked entities' current rows in the next group commit and
 * refreshes their Redis keys after it committed.
 */
#ifndef SHARD_STATE_H
#define SHARD_STATE_H

#include <libpq-fe.h>
#include <nng/nng.h>
#include <stdbool.h>
#include <stdint.h>

#include "cm_battle.h"
#include "cm_generation.h"
#include "cm_map.h"
#include "cm_metrics.h"
#include "cm_redis.h"
#include "cm_rules.h"
#include "cm_table.h"
#include "shard.pb-c.h"

#define SH_ADDR_LEN 42 /* "0x" + 40 hex */
#define SH_SPELLS 32   /* spell cooldown slots per player */
#define SH_SCOUTS 16   /* live scout reports per player */
/* Scout reports last two days of game time (the sources give no expiry:
 * docs/rules-decisions.md). */
#define SH_SCOUT_REPORT_MS (48LL * 3600 * 1000)

typedef struct sh_vec {
	uint64_t *v;
	uint32_t  n, cap;
} sh_vec;

void sh_vec_push(sh_vec *s, uint64_t x);
bool sh_vec_remove(sh_vec *s, uint64_t x); /* swap-delete */
void sh_vec_free(sh_vec *s);

/*
 * A scout report (a divination spell's): the tile shows its owner and
 * presence at the "scouted" level until expires_ms; counts are shown
 * off by noise_pct (fixed when cast, from the accuracy roll), exact for
 * True Sight.
 */
typedef struct sh_scout {
	uint64_t id;
	int16_t  x, y;
	uint8_t  accuracy; /* percent */
	int8_t   noise_pct;
	bool     exact;
	int64_t  expires_ms;
} sh_scout;

typedef struct sh_player {
	char     address[SH_ADDR_LEN + 1];
	bool     home;       /* this shard owns the player's record */
	uint8_t  race, cls, skill;
	bool     premium;
	char     captain[64];
	int64_t  registered_ms;
	int64_t  last_action_ms;     /* its last action (memory only) */
	int64_t  protected_until_ms; /* no PvP attack on it before (0: none) */
	uint64_t captain_army;       /* the army the captain leads, 0: none */
	bool     captain_dead;       /* for the rest of the generation */
	int64_t  captain_wounded_until_ms;
	int64_t  frenzy_until_ms;    /* Korrath Blood Frenzy (home only) */
	int64_t  foresight_until_ms; /* Foresight: attacks known earlier */
	int64_t  mana;
	uint64_t alliance_id; /* 0: none (others' from the replica) */
	int64_t  alliance_joined_ms;
	bool     alliance_leader;
	char     cooldown_spell[SH_SPELLS][24];
	int64_t  cooldown_end[SH_SPELLS];
	int      ncooldowns;
	sh_scout scouts[SH_SCOUTS];
	int      nscouts;
	sh_vec   tiles;       /* tile indices of this region it owns */
	sh_vec   armies;      /* ids of its armies in this region */
	int64_t  points;      /* accumulated domain points (home only) */
	uint32_t mark;        /* the group it was last marked in */
	/* Home players: the replicated fields as last published
	 * (shard_replica.c), to publish only what changed. */
	struct {
		bool     sent;
		uint64_t alliance_id, captain_army;
		int64_t  protected_until_ms, captain_wounded_until_ms;
		int64_t  frenzy_until_ms, foresight_until_ms;
		bool     captain_dead;
	} rep;
} sh_player;

typedef struct sh_building {
	uint64_t id;
	uint8_t  type;
	int32_t  hp;
	int64_t  done_ms;
} sh_building;

typedef struct sh_army sh_army;

typedef struct sh_tile {
	sh_player   *owner;
	sh_army     *armies;   /* standing here, linked by next_here */
	uint64_t     garrison; /* army id, 0 when none */
	int64_t      last_activity_ms;
	int64_t      aegis_until_ms; /* Titan's Aegis: no hostile spell */
	cm_resources res;
	sh_building *b;
	uint8_t      nb;
	uint8_t      trust;
	uint32_t     mark;
} sh_tile;

/*
 * A spell that stays on a territory (shard_ground.c): Ward, Fortress of
 * Will, Stone Wall, Illusion Army, Ash Cloud, Mass Reformation, Raise
 * Dead's mark.  The
 * world's ground table holds the territories that have any.
 */
#define SH_GROUND 6
typedef struct sh_ground_spell {
	uint8_t spell;    /* cm_spell_at index */
	int32_t value;    /* the Stone Wall's hit points left; else 0 */
	int64_t until_ms;
	char    caster[SH_ADDR_LEN + 1];
} sh_ground_spell;

typedef struct sh_ground {
	uint32_t        idx; /* its tile */
	int             n;
	sh_ground_spell s[SH_GROUND];
} sh_ground;

/*
 * A spell's lasting effect on an army (shard_effects.c): percentages on
 * its ATK and DEF in battle and on its marching speed, until until_ms, or
 * for its next battle only (until_ms 0).
 */
#define SH_EFFECTS 4
typedef struct sh_effect {
	uint8_t  spell;   /* cm_spell_at index */
	int8_t   atk_pct, def_pct, spd_pct;
	int64_t  until_ms; /* 0: the next battle */
	uint64_t partner;  /* Blood Pact: the linked army's id; else 0 */
} sh_effect;

enum sh_army_status {
	SH_IDLE = 0,
	SH_MOVING,
	SH_COMBAT,
	SH_SIEGING,
	SH_TRAINING, /* its units train until a training timer fires */
	SH_STATUS_COUNT
};
/* shard_army_status_names: "idle" .. "training" (shard_world.c). */
extern const char *const shard_army_status_names[SH_STATUS_COUNT];

struct sh_army {
	uint64_t    id;
	sh_player  *owner;
	int16_t     x, y;       /* where it stands */
	int16_t     dx, dy;     /* destination while moving */
	uint8_t     status;
	bool        garrison;
	uint8_t     morale;
	uint8_t     foreign_soil_days;
	int64_t     depart_ms, arrival_ms;
	uint64_t    combat_id;  /* the combat it marches to */
	uint32_t    units[CM_UNIT_COUNT];
	sh_effect   effects[SH_EFFECTS];
	uint8_t     neffects;
	sh_army    *next_here;
	uint32_t    mark;
};

typedef struct sh_combat {
	uint64_t id;
	char     attacker[SH_ADDR_LEN + 1];
	char     defender[SH_ADDR_LEN + 1];
	char     winner[SH_ADDR_LEN + 1];
	int16_t  x, y;
	uint64_t army_id;
	char     status[12];    /* pending, revealed, completed, expired */
	uint8_t  commit[32];
	uint8_t  salt[32];
	bool     has_salt;
	uint8_t  army_hash[32];
	uint8_t  result_hash[32];
	bool     hostile_path; /* the march crossed hostile land */
	int64_t  arrival_ms, deadline_ms, resolved_ms;
	int64_t  committed_ms; /* when the attack was ordered */
	uint32_t rounds;
	uint32_t att_units[CM_UNIT_COUNT], def_units[CM_UNIT_COUNT];
	uint32_t att_loss[CM_UNIT_COUNT], def_loss[CM_UNIT_COUNT];
	char    *battle_input;  /* cm_battle_input_json, NULL until fought */
	char    *battle_record; /* cm_battle_result_json, likewise */
	uint32_t mark;
} sh_combat;

typedef struct sh_alliance {
	uint64_t id;
	char     name[33];
	char     founder[SH_ADDR_LEN + 1];
	bool     active;
	int64_t  created_ms;
	uint32_t mark;
} sh_alliance;

/* Timer kinds; shard_timer_kinds names them in the timers table. */
enum sh_timer_kind {
	SH_T_ARRIVAL = 0,
	SH_T_BUILDING,
	SH_T_COMBAT_DEADLINE,
	SH_T_DAY, /* a generation day begins: the daily tick (entity: the day) */
	SH_T_TRAINING, /* an army's units are trained (entity: the army) */
	SH_T_COUNT
};
extern const char *const shard_timer_kinds[SH_T_COUNT];

typedef struct sh_timer {
	uint64_t id;
	int64_t  due_ms;
	uint8_t  kind;
	int16_t  x, y;
	uint64_t entity; /* army, building or combat id */
} sh_timer;

typedef struct shard_store shard_store;
typedef struct sh_group    sh_group;

typedef struct shard_world {
	cm_layout     layout;
	int           index;
	cm_rect       region;
	int           rw, rh;   /* region size */
	cm_map       *map;
	struct cm_pather *pather; /* A* scratch on map */
	cm_generation gen;
	uint32_t      player_count;
	int64_t       time_scale; /* ND_TIME_SCALE: durations divided */
	int           generation_days; /* of the generations it opens */
	int64_t       next_gen_try_ms; /* the last try to open the next */

	sh_tile  *tiles;        /* rw * rh */
	cm_table *players;      /* address -> sh_player (home + seen) */
	cm_table *armies;       /* id -> sh_army */
	cm_table *combats;      /* id -> sh_combat */
	cm_table *alliances;    /* id -> sh_alliance (founded here) */
	cm_table *members;      /* alliance id -> sh_vec of its members known
	                         * here (sh_player pointers; p->home marks
	                         * those homed here) */
	cm_table *ground;       /* tile index -> sh_ground (shard_ground.c) */
	sh_timer *timers;       /* min-heap by due_ms */
	size_t    ntimers, captimers;

	uint64_t  id_next, id_end; /* the current block of entity ids */

	PGconn      *pg;        /* blocking connection (loads, lookups) */
	cm_redis    *redis;     /* hot cache */
	shard_store *store;     /* pipelined writer */
	sh_group    *gathering; /* marks since the last flush */
	sh_group    *inflight;  /* the group being committed */
	sh_group    *uncertain; /* in flight when the connection broke */
	uint64_t     token_base; /* start time: ledger tokens differ per run */
	uint32_t     group_seq;
	bool         stale;     /* memory may differ from PostgreSQL */
	bool         cache_stale; /* Redis missed writes: rebuild */
	int64_t      last_maintain_ms;
	bool         day_timer; /* the next SH_T_DAY timer is pending */
	bool         commit_each; /* SHARD_COMMIT=each: no grouping */
	bool         has_pub;
	nng_socket   pub;
	uint64_t     pub_seq;

	/* The map-wide replica (shard_replica.c): per tile of the whole map
	 * (y * W + x), its owner and flags (bit 0 garrison, bits 1-7 the
	 * sight radius); this shard's publishing boot id and sequence; per
	 * source shard the last boot and sequence applied. */
	sh_player  **rep_owner;
	uint8_t     *rep_flags;
	cm_table    *rep_armies; /* id -> sh_rep_army_at: others' near the
	                          * border */
	cm_table    *rep_border; /* id -> where ours was published near it
	                          * (shard_replica.c's border_key) */
	uint64_t     rep_boot, rep_seq;
	uint64_t    *rep_src_boot, *rep_src_seq;
	bool         rep_reload; /* a message was lost: reload */
	int64_t      rep_loaded_ns; /* when the last replica load began */
	int64_t      handoff_sweep_ms; /* the last sweep (shard_handoff.c) */
	sh_vec       due;        /* the sweep's scratch: army ids */
	bool         battles_unchecked; /* loaded: battles taken over and
	                                 * not fought may be here */
	cm_table    *psync_seen; /* player syncs applied in this run */
	uint64_t     load_one;   /* shard_load.c's one-army query */
	cm_metric   *m_replica;
	int          sight_reach; /* shard_vision_reach() of its rules */

	cm_metric *m_requests, *m_commits, *m_commit_actions, *m_commit_ms;
	cm_metric *m_timers;
} shard_world;

/* --- shard_world.c: lookups and bookkeeping --- */
sh_tile   *shard_tile(shard_world *w, int x, int y); /* NULL: not ours */
uint32_t   shard_tile_index(const shard_world *w, int x, int y);
void       shard_tile_xy(const shard_world *w, uint32_t idx, int *x, int *y);
bool       shard_owns_tile(const shard_world *w, int x, int y);
sh_player *shard_player(shard_world *w, const char *address, bool lookup);
sh_player *shard_player_new(shard_world *w, const char *address);
/* shard_player_known: the record of address here, made (empty) when this
 * shard has not met it yet; its fields come from a load or the replica. */
sh_player *shard_player_known(shard_world *w, const char *address);
sh_army   *shard_army_new(shard_world *w, uint64_t id, sh_player *owner,
      int x, int y);
void       shard_army_place(shard_world *w, sh_army *a, int x, int y);
void       shard_army_free(shard_world *w, sh_army *a);
void       shard_tile_set_owner(shard_world *w, int x, int y, sh_player *p);
/*
 * Entity ids come from blocks of nd_id_blocks.  shard_ids_ready makes sure
 * at least need ids are at hand (reserving a block, one blocking round
 * trip, when fewer are); false when PostgreSQL failed.  Every action
 * passes it (act_writable) before it executes, so shard_next_id, called
 * while executing, never fails.
 */
bool       shard_ids_ready(shard_world *w, uint64_t need);
uint64_t   shard_next_id(shard_world *w);
/*
 * Game time: shard_duration_ms is the wall time of ms of game time (the
 * rules' durations run ND_TIME_SCALE times faster), at least 1 ms;
 * shard_day_ms is a game day's (the rules' day_seconds).
 */
#define SH_HOUR_MS (3600LL * 1000)
int64_t    shard_duration_ms(const shard_world *w, int64_t ms);
int64_t    shard_day_ms(const shard_world *w);
bool       shard_home_of(const shard_world *w, const char *address);
/* shard_set_alliance moves home player p into alliance id (0: none),
 * keeping the member index. */
void       shard_set_alliance(shard_world *w, sh_player *p, uint64_t id);
/* shard_timer_add makes a timer (an id, persisted with the group). */
void       shard_timer_add(shard_world *w, uint8_t kind, int x, int y,
      uint64_t entity, int64_t due_ms);
void       shard_timer_push(shard_world *w, const sh_timer *t);
bool       shard_timer_pop(shard_world *w, int64_t now, sh_timer *out);
void       shard_state_free_tables(shard_world *w);

/* --- shard_persist.c: marks, group commit, acknowledgements --- */
void shard_mark_tile(shard_world *w, int x, int y);
void shard_mark_army(shard_world *w, uint64_t id);
void shard_mark_player(shard_world *w, sh_player *p);
void shard_mark_combat(shard_world *w, sh_combat *c);
void shard_mark_alliance(shard_world *w, sh_alliance *a);
void shard_mark_timer_new(shard_world *w, const sh_timer *t);
void shard_mark_timer_done(shard_world *w, uint64_t id);
void shard_mark_cooldown(shard_world *w, sh_player *p, int slot);
void shard_mark_scout(shard_world *w, sh_player *p, int slot);
void shard_mark_membership(shard_world *w, sh_player *p);
/* An army detached from the world leaves for shard `to` (hand-off id),
 * with the combat it goes to fight there (or NULL); a hand-off
 * acknowledged by its destination is done. */
void shard_mark_handoff(shard_world *w, sh_army *a, sh_combat *c,
    uint64_t id, int to);
void shard_mark_handoff_done(shard_world *w, uint64_t id);
/* A change to a player homed elsewhere goes with the group
 * (shard_player_sync.c); one applied here has its row deleted. */
struct sh_psync;
void shard_mark_psync(shard_world *w, const struct sh_psync *m);
void shard_mark_psync_done(shard_world *w, uint64_t id);
/* data: a JSON object (stolen) */
void shard_event(shard_world *w, const char *type, const char *player, int x,
    int y, void *data);
void shard_outbox(shard_world *w, const char *kind, void *payload);
/* shard_can_write: the store is up and memory matches PostgreSQL. */
bool shard_can_write(const shard_world *w);
/* shard_group_dirty: the gathering group has changes. */
bool shard_group_dirty(const shard_world *w);
/* shard_persist_fini drops the groups (shutdown: no replies); reset
 * answers their held replies with 503 first. */
void shard_persist_fini(shard_world *w);
void shard_persist_reset(shard_world *w);
/*
 * shard_persist_resolve answers the replies of a group whose commit's
 * outcome was unknown, after reading the commit ledger: acknowledged if
 * its token is there, else 503.  False when PostgreSQL did not answer.
 */
bool shard_persist_resolve(shard_world *w);

/* --- shard_cache.c --- */
void shard_cache_after_commit(shard_world *w, sh_group *g);
void shard_cache_rebuild_if_needed(shard_world *w);

/* --- shard_actions.c, shard_reads.c: one function per request --- */
typedef struct sh_reply {
	Nd__ShardReply *rep;
	Nd__ShardError *err;
	void          **scratch; /* freed after packing */
	int             nscratch, capscratch;
} sh_reply;

void  sh_refuse(sh_reply *r, const char *code, const char *msg,
     uint32_t status);
void *sh_keep(sh_reply *r, void *p);   /* freed after packing */
void *sh_alloc(sh_reply *r, size_t n); /* zeroed, freed after packing */

void shard_read_territory(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_read_player(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_read_map(shard_world *w, const Nd__ShardRequest *q, sh_reply *r);
void shard_read_army(shard_world *w, const Nd__ShardRequest *q, sh_reply *r);
void shard_read_combat(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_read_alliance(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_fill_army(shard_world *w, const sh_army *a, Nd__Army *o,
    sh_reply *r);

void shard_act_register(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_act_build(shard_world *w, const Nd__ShardRequest *q, sh_reply *r);
void shard_act_army_create(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_act_army_move(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_act_attack(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_act_reveal(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_act_spell(shard_world *w, const Nd__ShardRequest *q, sh_reply *r);
void shard_act_alliance_create(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_act_alliance_join(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
void shard_act_alliance_leave(shard_world *w, const Nd__ShardRequest *q,
    sh_reply *r);
/* shard_allied: a and b are members of one alliance. */
bool shard_allied(const sh_player *a, const sh_player *b);
/*
 * shard_pvp_refusal: why attacker may not strike defender now (an ally,
 * the planning phase, new-player protection) as an error code, with
 * *why; NULL when it may.
 */
const char *shard_pvp_refusal(const shard_world *w, const sh_player *attacker,
    const sh_player *defender, int64_t now, const char **why);

/* --- shard_combat.c --- */
void shard_combat_resolve(shard_world *w, sh_combat *c, int64_t now);
/* shard_combat_start fights the battle of revealed attack c whose army
 * has arrived: here, or on the shard of its tile (shard_handoff_battle). */
void shard_combat_start(shard_world *w, sh_combat *c, int64_t now);
void shard_combat_free(sh_combat *c);
/* shard_game_day: the generation's day at now, in game time (1 to its
 * length + 1; cm_generation_day). */
int  shard_game_day(const shard_world *w, int64_t now);
void shard_army_hash(const sh_army *a, uint8_t out[32]);
/* shard_army_size: how many units a has. */
uint64_t shard_army_size(const sh_army *a);

/*
 * shard_army_travel_ms: the game time a's march over a path of cost
 * (cm_path units) takes, scaled: its slowest unit, its race, its spells.
 */
int64_t shard_army_travel_ms(shard_world *w, const sh_army *a, int64_t cost);

/* --- shard_spells.c --- */
/* The most ids a spell takes: the Titan's Eye's reports (at most 64),
 * and a timer and a report besides. */
#define SH_SPELL_MAX_IDS 72
/*
 * shard_spell_hostile: s is cast on an enemy (damage, a debuff, a delay).
 * shard_spell_now plays what s does at once, cast by p on army a (NULL
 * for a territory spell) standing at, or on the tile, (x, y): damage,
 * deaths, morale, a delayed arrival, a player's armies cursed; it writes
 * a sentence for the caster into msg and returns false when s does
 * nothing at once.  The caller checked the target (shard_act_spell).
 */
bool shard_spell_hostile(const cm_spell_def *s);
bool shard_spell_now(shard_world *w, sh_player *p, const cm_spell_def *s,
    sh_army *a, sh_player *victim, int x, int y, int64_t now, char *msg,
    size_t cap);
/*
 * shard_spell_scout leaves p a report on (x, y) for ttl_ms (Scry, or True
 * Sight and the other exact sights when exact).
 */
void shard_spell_scout(shard_world *w, sh_player *p, int x, int y,
    bool exact, int64_t ttl_ms, int64_t now);
/* shard_spell_warded: Titan's Aegis holds on (x, y) at now. */
bool shard_spell_warded(shard_world *w, int x, int y, int64_t now);
/*
 * shard_spell_refusal: why p may not cast s on army a (or NULL) or on
 * (x, y), beyond the rules every spell keeps: a territory spell for
 * friendly land elsewhere, Pyre Burst with no Ashborn army near; NULL
 * when it may.
 */
const char *shard_spell_refusal(shard_world *w, const sh_player *p,
    const cm_spell_def *s, const sh_army *a, int x, int y, int64_t now);
/*
 * shard_spell_ward_absorbs: a Ward of another than p or p's allies holds
 * on (x, y) at now; it takes p's hostile spell cast there and is spent.
 */
bool shard_spell_ward_absorbs(shard_world *w, const sh_player *p, int x,
    int y, int64_t now);
/*
 * shard_spell_cast plays p's cast of s (its mana spent, the rules
 * checked): a Ward on the target's territory absorbs a hostile spell;
 * else the army's effect (*fights set when s has one) and
 * shard_spell_now.  Returns true when msg tells what happened.
 */
bool shard_spell_cast(shard_world *w, sh_player *p, const cm_spell_def *s,
    sh_army *a, sh_player *victim, int x, int y, int64_t now, char *msg,
    size_t cap, bool *fights);
/* shard_spell_acts_now: s does something at once (shard_spell_now). */
bool shard_spell_acts_now(const cm_spell_def *s);
/* shard_spell_needs_march: s (Windshear) needs an army on the march. */
bool shard_spell_needs_march(const cm_spell_def *s);

/* --- shard_ground.c --- */
/*
 * shard_ground_get: s's entry on (x, y) while it holds at now, or NULL.
 * shard_ground_put sets s on (x, y) (ours) until until_ms, replacing its
 * old entry, and marks the tile; shard_ground_end ends entry e of (x, y)
 * at once (a ward spent, a wall broken).  shard_ground_json is the list
 * of tile idx as stored (NULL when none holds; the caller frees it);
 * shard_ground_parse reads it back (shard_load).
 */
sh_ground_spell *shard_ground_get(shard_world *w, int x, int y,
    const cm_spell_def *s, int64_t now);
/* shard_ground_by: as shard_ground_get, caster's entry (NULL: any). */
sh_ground_spell *shard_ground_by(shard_world *w, int x, int y,
    const cm_spell_def *s, const char *caster, int64_t now);
sh_ground_spell *shard_ground_put(shard_world *w, int x, int y,
    const cm_spell_def *s, const sh_player *caster, int32_t value,
    int64_t until_ms, int64_t now);
void  shard_ground_end(shard_world *w, int x, int y, sh_ground_spell *e);
char *shard_ground_json(shard_world *w, uint32_t idx, int64_t now);
void  shard_ground_parse(shard_world *w, int x, int y, const char *text);

/* --- shard_effects.c --- */
/*
 * shard_effect_cast puts spell s's combat effect on army a (refreshing
 * the same spell's); false when s has none.  shard_effect_sum adds a's
 * active effects into *atk_pct and *def_pct; shard_effect_spend drops the
 * one-battle ones after a battle.  shard_effect_json / _parse store them
 * (armies.effects).
 */
bool  shard_effect_cast(shard_world *w, sh_army *a, const cm_spell_def *s,
    int64_t now);
void  shard_effect_sum(const sh_army *a, int64_t now, int *atk_pct,
    int *def_pct);
void  shard_effect_spend(sh_army *a, int64_t now);
/* shard_effect_active: s's lasting effect holds on a at now. */
bool  shard_effect_active(const sh_army *a, const cm_spell_def *s,
    int64_t now);
/*
 * shard_effect_battle sets what a's effects do inside a battle on side:
 * Earthquake's round-1 DEF, Confusion's chance (drawn now, for this
 * battle), the Blood Frenzy spell's ATK per killing round.
 */
void  shard_effect_battle(const sh_army *a, int64_t now,
    cm_battle_side *side);
/* shard_effect_partner: the army a's Blood Pact links it to at now
 * (its id), or 0; shard_effect_link sets it on a's pact effect. */
uint64_t shard_effect_partner(const sh_army *a, int64_t now);
void     shard_effect_link(sh_army *a, uint64_t partner);
/* shard_effect_speed_pct: the sum of a's active speed effects. */
int   shard_effect_speed_pct(const sh_army *a, int64_t now);
char *shard_effect_json(const sh_army *a);
void  shard_effect_parse(sh_army *a, const char *json);

/* --- shard_timers.c --- */
void shard_timers_fire(shard_world *w, int64_t now);
/*
 * shard_timer_frozen: t comes due after the generation's end (its due
 * end, or an operator's earlier end), so it does nothing when it fires;
 * the day ticks, whose last one scores the last day, never are.
 */
bool shard_timer_frozen(const shard_world *w, const sh_timer *t);
/* shard_day_timer_ensure schedules the next daily tick if none is
 * pending (the timers table keeps it across restarts). */
void shard_day_timer_ensure(shard_world *w, int64_t now);

/* --- shard_load.c --- */
cm_err shard_load_state(shard_world *w);
/* shard_load_army reads army id from PostgreSQL into w if it stands in the
 * region and w does not hold it yet; NULL otherwise. */
sh_army *shard_load_army(shard_world *w, uint64_t id);
/* shard_load_combat_of reads the battle to come of army a (standing
 * here) from PostgreSQL when w does not hold it yet; NULL if none. */
sh_combat *shard_load_combat_of(shard_world *w, sh_army *a);
void   shard_state_clear(shard_world *w);

#endif
