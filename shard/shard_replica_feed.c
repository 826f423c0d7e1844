/*
 * shard_replica_feed.c: the replica's subscription (shard_replica.h).
 *
 * One thread holds a hiredis connection subscribed to the replica channel
 * and to this shard's own ("channel:shard:{index}": hand-offs of armies,
 * shard_handoff.h, and changes to its players, shard_player_sync.h).
 * It waits with poll() (so that it can notice a stop within half a second
 * without dropping the connection, which a read timeout would), decodes
 * each message and queues it; an eventfd wakes the owner thread, which
 * applies the queue in order.  Every (re)subscription, a message that
 * does not decode and a full queue set "lost": messages may have gone by
 * unseen, so the owner reloads the replica from PostgreSQL, unless a load
 * began after that instant (the start-up's, for the first subscription).
 */
#include <hiredis/hiredis.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cm_addr.h"
#include "cm_alloc.h"
#include "cm_log.h"
#include "cm_time.h"
#include "shard_handoff.h"
#include "shard_player_sync.h"
#include "shard_replica.h"

#define FEED_MAX_QUEUED 4096

typedef struct feed_item {
	struct feed_item *next;
	bool              handoff; /* ho or ps (this shard's), else msg */
	bool              psync;   /* ps */
	sh_rep_msg        msg;
	sh_ho_msg         ho;
	sh_psync          ps;
} feed_item;

struct sh_rep_feed {
	char            host[256];
	char            own[48]; /* this shard's channel */
	int             port, map_w, map_h;
	int             efd;
	pthread_t       thread;
	atomic_int      stop;
	pthread_mutex_t mu;
	feed_item      *head, *tail;
	int             queued;
	bool            lost;
	int64_t         lost_ns; /* when, on the monotonic clock */
};

static void
feed_wake(sh_rep_feed *f)
{
	uint64_t one = 1;

	if (write(f->efd, &one, sizeof(one)) < 0) {
		/* the counter is full: the owner is woken anyway */
	}
}

static void
feed_lost(sh_rep_feed *f)
{
	pthread_mutex_lock(&f->mu);
	f->lost    = true;
	f->lost_ns = cm_time_mono_ns();
	pthread_mutex_unlock(&f->mu);
	feed_wake(f);
}

static void
feed_message(sh_rep_feed *f, bool handoff, const char *buf, size_t len)
{
	feed_item *it = cm_calloc(1, sizeof(*it));

	it->handoff = handoff;
	it->psync   = handoff && len >= 4 && memcmp(buf + 2, "p1", 2) == 0;
	if (it->psync ? !shard_player_sync_decode(buf, len, &it->ps)
	    : handoff ? !shard_handoff_decode(buf, len, &it->ho)
	              : !shard_replica_decode(buf, len, f->map_w, f->map_h,
	                    &it->msg)) {
		free(it);
		cm_log_warn("replica or hand-off message refused",
		    "{s:I,s:b}", "bytes", (json_int_t) len, "handoff", handoff);
		if (!handoff) {
			feed_lost(f);
		}
		return;
	}
	pthread_mutex_lock(&f->mu);
	if (f->queued >= FEED_MAX_QUEUED) {
		f->lost    = true;
		f->lost_ns = cm_time_mono_ns();
		pthread_mutex_unlock(&f->mu);
		shard_replica_msg_free(&it->msg);
		free(it);
		feed_wake(f);
		return;
	}
	if (f->tail != NULL) {
		f->tail->next = it;
	} else {
		f->head = it;
	}
	f->tail = it;
	f->queued++;
	pthread_mutex_unlock(&f->mu);
	feed_wake(f);
}

/* feed_reply handles one pushed reply: ["message", channel, payload]. */
static void
feed_reply(sh_rep_feed *f, redisReply *r)
{
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 3 &&
	    r->element[0]->type == REDIS_REPLY_STRING &&
	    strcmp(r->element[0]->str, "message") == 0 &&
	    r->element[1]->type == REDIS_REPLY_STRING &&
	    r->element[2]->type == REDIS_REPLY_STRING) {
		feed_message(f, strcmp(r->element[1]->str, f->own) == 0,
		    r->element[2]->str, r->element[2]->len);
	}
}

static redisContext *
feed_connect(sh_rep_feed *f)
{
	struct timeval tv = { 1, 0 };
	redisContext  *c  = redisConnectWithTimeout(f->host, f->port, tv);
	redisReply    *r;

	if (c == NULL || c->err) {
		redisFree(c);
		return (NULL);
	}
	redisSetTimeout(c, tv);
	for (int i = 0; i < 2; i++) {
		r = redisCommand(c, "SUBSCRIBE %s",
		    i == 0 ? SH_REPLICA_CHANNEL : f->own);
		if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
			if (r != NULL) {
				freeReplyObject(r);
			}
			redisFree(c);
			return (NULL);
		}
		freeReplyObject(r);
	}
	/* What went by before this subscription is in PostgreSQL. */
	feed_lost(f);
	return (c);
}

static void *
feed_main(void *arg)
{
	sh_rep_feed  *f = arg;
	redisContext *c = NULL;

	while (!atomic_load(&f->stop)) {
		void         *reply = NULL;
		struct pollfd pfd;

		if (c == NULL && (c = feed_connect(f)) == NULL) {
			usleep(500 * 1000);
			continue;
		}
		if (redisGetReplyFromReader(c, &reply) != REDIS_OK) {
			redisFree(c);
			c = NULL;
			continue;
		}
		if (reply != NULL) {
			feed_reply(f, reply);
			freeReplyObject(reply);
			continue;
		}
		pfd = (struct pollfd) { .fd = c->fd, .events = POLLIN };
		if (poll(&pfd, 1, 500) <= 0) {
			continue;
		}
		if (redisBufferRead(c) != REDIS_OK) {
			cm_log_warn("replica subscription lost; resubscribing",
			    NULL);
			redisFree(c);
			c = NULL;
		}
	}
	redisFree(c);
	return (NULL);
}

cm_err
sh_rep_feed_start(const char *redis_addr, int index, int map_w, int map_h,
    sh_rep_feed **out)
{
	sh_rep_feed *f = cm_calloc(1, sizeof(*f));
	int          port;

	shard_handoff_channel(index, f->own, sizeof(f->own));
	if (cm_addr_split(redis_addr, f->host, sizeof(f->host), &port) !=
	    CM_OK) {
		free(f);
		return (CM_EINVAL);
	}
	f->port  = port;
	f->map_w = map_w;
	f->map_h = map_h;
	f->efd   = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_mutex_init(&f->mu, NULL);
	if (f->efd < 0 || pthread_create(&f->thread, NULL, feed_main, f) != 0) {
		if (f->efd >= 0) {
			close(f->efd);
		}
		pthread_mutex_destroy(&f->mu);
		free(f);
		return (CM_EINVAL);
	}
	*out = f;
	return (CM_OK);
}

void
sh_rep_feed_stop(sh_rep_feed *f)
{
	if (f == NULL) {
		return;
	}
	atomic_store(&f->stop, 1);
	pthread_join(f->thread, NULL);
	while (f->head != NULL) {
		feed_item *n = f->head->next;

		if (!f->head->handoff) {
			shard_replica_msg_free(&f->head->msg);
		}
		free(f->head);
		f->head = n;
	}
	close(f->efd);
	pthread_mutex_destroy(&f->mu);
	free(f);
}

int
sh_rep_feed_fd(const sh_rep_feed *f)
{
	return (f->efd);
}

void
shard_replica_drain(shard_world *w, sh_rep_feed *f)
{
	feed_item *it;
	uint64_t   n;
	bool       lost;

	if (f != NULL) {
		if (read(f->efd, &n, sizeof(n)) < 0) {
			/* nothing to read: a retry from the housekeeping */
		}
		pthread_mutex_lock(&f->mu);
		it       = f->head;
		/* A load that began after the loss read what went by (the
		 * start-up's first subscription, usually). */
		lost     = f->lost && f->lost_ns >= w->rep_loaded_ns;
		f->head  = f->tail = NULL;
		f->queued = 0;
		f->lost  = false;
		pthread_mutex_unlock(&f->mu);
		w->rep_reload |= lost;
		while (it != NULL) {
			feed_item *next = it->next;

			if (it->psync) {
				shard_player_sync_receive(w, &it->ps);
				free(it);
				it = next;
				continue;
			}
			if (it->handoff) {
				shard_handoff_receive(w, &it->ho);
				free(it);
				it = next;
				continue;
			}
			if (!w->rep_reload && !shard_replica_apply(w, &it->msg)) {
				cm_log_warn("replica message lost; reloading",
				    "{s:i}", "from", it->msg.shard);
				w->rep_reload = true;
			}
			shard_replica_msg_free(&it->msg);
			free(it);
			it = next;
		}
	}
	/* Messages queued behind a gap are older than the reload: every
	 * committed change is in PostgreSQL, which the reload reads. */
	if (w->rep_reload && shard_replica_load(w)) {
		w->rep_reload = false;
	}
}
