/* gw_spell.h: casting spells (the caster's home shard decides). */
#ifndef GW_SPELL_H
#define GW_SPELL_H

#include <stdint.h>

#include "cm_map.h"
#include "gw_http.h"

/* gw_spell_cast answers POST /spell/cast (auth). */
void gw_spell_cast(gw_req *r);

/* What a spell is cast on. */
typedef enum gw_spell_on {
	GW_SPELL_ON_NONE = 0, /* no target: the caster's own spell */
	GW_SPELL_ON_TILE,
	GW_SPELL_ON_ARMY,
	GW_SPELL_ON_PLAYER,
} gw_spell_on;

/* A checked POST /spell/cast body. */
typedef struct gw_spell {
	char        id[33];
	gw_spell_on on;
	int         x, y;
	uint64_t    army;
	char        player[43];
} gw_spell;

/*
 * gw_spell_parse checks a body: NULL with *out filled, or the error code
 * (INVALID_SPELL, INVALID_TARGET, INVALID_COORD, INVALID_ID,
 * INVALID_ADDRESS) with a static *msg.
 */
const char *gw_spell_parse(const json_t *b, const cm_layout *l, gw_spell *out,
    const char **msg);

#endif
