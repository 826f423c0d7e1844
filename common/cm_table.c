/* cm_table.c: see cm_table.h. */
#include <stdlib.h>
#include <string.h>

#include "cm_alloc.h"
#include "cm_map.h"
#include "cm_table.h"

typedef struct slot {
	uint64_t hash; /* 0: empty */
	void    *val;
	uint8_t  klen;
	uint8_t  key[CM_TABLE_KEY_MAX];
} slot;

struct cm_table {
	slot  *slots;
	size_t cap; /* a power of two */
	size_t count;
};

static uint64_t
table_hash(const void *key, size_t klen)
{
	uint64_t h = cm_fnv1a64(key, klen);

	/* Mix the high bits down (FNV's low bits are weak), never 0. */
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (h ? h : 1);
}

cm_table *
cm_table_new(size_t hint)
{
	cm_table *t   = cm_calloc(1, sizeof(*t));
	size_t    cap = 16;

	while (cap < hint * 2) {
		cap *= 2;
	}
	t->cap   = cap;
	t->slots = cm_calloc(cap, sizeof(slot));
	return (t);
}

void
cm_table_free(cm_table *t)
{
	if (t != NULL) {
		free(t->slots);
		free(t);
	}
}

static slot *
table_find(const cm_table *t, uint64_t h, const void *key, size_t klen)
{
	size_t mask = t->cap - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask) {
		slot *s = &t->slots[i];

		if (s->hash == 0) {
			return (s);
		}
		if (s->hash == h && s->klen == klen &&
		    memcmp(s->key, key, klen) == 0) {
			return (s);
		}
	}
}

static void
table_grow(cm_table *t)
{
	slot  *old = t->slots;
	size_t ocap = t->cap;

	t->cap *= 2;
	t->slots = cm_calloc(t->cap, sizeof(slot));
	for (size_t i = 0; i < ocap; i++) {
		if (old[i].hash != 0) {
			*table_find(t, old[i].hash, old[i].key, old[i].klen) =
			    old[i];
		}
	}
	free(old);
}

void *
cm_table_get(const cm_table *t, const void *key, size_t klen)
{
	slot *s;

	if (klen > CM_TABLE_KEY_MAX) {
		return (NULL);
	}
	s = table_find(t, table_hash(key, klen), key, klen);
	return (s->hash ? s->val : NULL);
}

void
cm_table_put(cm_table *t, const void *key, size_t klen, void *val)
{
	uint64_t h;
	slot    *s;

	cm_assert(klen <= CM_TABLE_KEY_MAX);
	if ((t->count + 1) * 2 > t->cap) {
		table_grow(t);
	}
	h = table_hash(key, klen);
	s = table_find(t, h, key, klen);
	if (s->hash == 0) {
		s->hash = h;
		s->klen = (uint8_t) klen;
		memcpy(s->key, key, klen);
		t->count++;
	}
	s->val = val;
}

void *
cm_table_del(cm_table *t, const void *key, size_t klen)
{
	size_t mask = t->cap - 1, i, j;
	slot  *s;
	void  *val;

	if (klen > CM_TABLE_KEY_MAX) {
		return (NULL);
	}
	s = table_find(t, table_hash(key, klen), key, klen);
	if (s->hash == 0) {
		return (NULL);
	}
	val = s->val;
	i   = (size_t) (s - t->slots);
	/* Backward-shift: move later entries of the run into the hole. */
	for (j = (i + 1) & mask; t->slots[j].hash != 0; j = (j + 1) & mask) {
		size_t home = t->slots[j].hash & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->slots[i] = t->slots[j];
			i           = j;
		}
	}
	memset(&t->slots[i], 0, sizeof(slot));
	t->count--;
	return (val);
}

size_t
cm_table_count(const cm_table *t)
{
	return (t->count);
}

void
cm_table_each(const cm_table *t, void (*fn)(void *arg, void *val), void *arg)
{
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i].hash != 0) {
			fn(arg, t->slots[i].val);
		}
	}
}

void *
cm_table_get_u64(const cm_table *t, uint64_t id)
{
	return (cm_table_get(t, &id, sizeof(id)));
}

void
cm_table_put_u64(cm_table *t, uint64_t id, void *val)
{
	cm_table_put(t, &id, sizeof(id), val);
}

void *
cm_table_del_u64(cm_table *t, uint64_t id)
{
	return (cm_table_del(t, &id, sizeof(id)));
}

void *
cm_table_get_str(const cm_table *t, const char *s)
{
	return (cm_table_get(t, s, strlen(s)));
}

void
cm_table_put_str(cm_table *t, const char *s, void *val)
{
	cm_table_put(t, s, strlen(s), val);
}

size_t
cm_table_bytes(const cm_table *t)
{
	return (sizeof(*t) + t->cap * sizeof(slot));
}
