/*
 * ndctl_replay.c: ndctl replay COMBAT_ID.
 *
 * Recomputes a stored battle from its recorded inputs (combats.battle_input)
 * alone, never from its stored outcome, and prints the record the engine
 * makes of it: {"combatId", "rounds", "result", "resultHash", "stored"}.
 * "stored" tells whether the recomputed record equals the one the shard
 * stored (and GET /combat/:id/result shows).  Exit 0 when it does, 1 when
 * the battle is unknown, not yet fought or replays differently, 2 on
 * usage, rules or connection errors.  The rules in force must be the
 * battle's (their hash is among the inputs): a battle fought under other
 * rules is refused rather than replayed wrongly.
 */
#include <inttypes.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cm_battle.h"
#include "cm_rules.h"
#include "ndctl_game.h"

static int
replay_row(const char *id, const char *input, const char *stored)
{
	cm_battle_input  in;
	cm_battle_result out;
	json_t          *ji, *rec, *st;
	char             err[200];
	uint8_t          rules[32];
	int              rv;

	ji = json_loads(input, JSON_REJECT_DUPLICATES, NULL);
	if (ji == NULL ||
	    cm_battle_input_parse(ji, &in, err, sizeof(err)) != CM_OK) {
		fprintf(stderr, "ndctl: combat %s: bad recorded input: %s\n",
		    id, ji == NULL ? "not JSON" : err);
		json_decref(ji);
		return (1);
	}
	json_decref(ji);
	cm_rules_hash(rules);
	if (memcmp(rules, in.rules_hash, 32) != 0) {
		fprintf(stderr, "ndctl: combat %s was fought under other rules"
		    " (their hash differs from the rules loaded)\n", id);
		return (2);
	}
	cm_battle_resolve(&in, &out);
	rec = cm_battle_result_json(&in, &out);
	st  = json_loads(stored, JSON_REJECT_DUPLICATES, NULL);
	rv  = st != NULL && json_equal(rec, st) ? 0 : 1;
	json_object_set_new(rec, "combatId",
	    json_integer((json_int_t) in.combat_id));
	json_object_set_new(rec, "stored", json_boolean(rv == 0));
	json_dumpf(rec, stdout, JSON_COMPACT | JSON_SORT_KEYS);
	fputc('\n', stdout);
	json_decref(rec);
	json_decref(st);
	return (rv);
}

int
ctl_replay(int argc, char **argv)
{
	const char *params[1];
	PGconn     *pg;
	PGresult   *r;
	char       *end;
	int         rv;

	if (argc != 3 || strtoull(argv[2], &end, 10) == 0 || *end != '\0' ||
	    strlen(argv[2]) > 19) {
		fprintf(stderr, "usage: ndctl replay COMBAT_ID\n");
		return (2);
	}
	if ((pg = ctl_pg()) == NULL) {
		return (2);
	}
	params[0] = argv[2];
	r = PQexecParams(pg,
	    "SELECT battle_input::text, battle_record::text FROM combats"
	    " WHERE id = $1::BIGINT",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "ndctl: %s", PQerrorMessage(pg));
		rv = 2;
	} else if (PQntuples(r) == 0) {
		fprintf(stderr, "ndctl: no combat %s\n", argv[2]);
		rv = 1;
	} else if (PQgetisnull(r, 0, 0)) {
		fprintf(stderr, "ndctl: combat %s has not been fought\n",
		    argv[2]);
		rv = 1;
	} else {
		rv = replay_row(argv[2], PQgetvalue(r, 0, 0),
		    PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	PQfinish(pg);
	return (rv);
}
