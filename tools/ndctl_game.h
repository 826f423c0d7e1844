/* ndctl_game.h: ndctl's verbs that change the game (ndctl_game.c). */
#ifndef NDCTL_GAME_H
#define NDCTL_GAME_H

/* ctl_register: ndctl register ADDRESS RACE CAPTAIN_NAME [options]. */
int ctl_register(int argc, char **argv);

/* ctl_generation: ndctl generation start [--seed N] | end. */
int ctl_generation(int argc, char **argv);

#include <libpq-fe.h>

/* ctl_pg connects to DATABASE_URL, or says why not and returns NULL. */
PGconn *ctl_pg(void);

/* ctl_replay: ndctl replay COMBAT_ID (ndctl_replay.c). */
int ctl_replay(int argc, char **argv);

#endif
