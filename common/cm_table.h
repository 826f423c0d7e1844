/*
 * cm_table.h: a hash table from short byte keys to pointers.
 *
 * Open addressing with linear probing and backward-shift deletion, the
 * hash stored with each slot; grows at 50% load.  Keys are copied in (at
 * most CM_TABLE_KEY_MAX bytes); values are the caller's.  Lookups cost one
 * hash and, almost always, one cache line, which is what the shard's
 * entity tables (armies, players, combats by id or address) need.
 */
#ifndef CM_TABLE_H
#define CM_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define CM_TABLE_KEY_MAX 46

typedef struct cm_table cm_table;

cm_table *cm_table_new(size_t hint);
void      cm_table_free(cm_table *t);

/* cm_table_get returns the value of key, or NULL. */
void *cm_table_get(const cm_table *t, const void *key, size_t klen);

/* cm_table_put sets key to val (replacing any value). */
void cm_table_put(cm_table *t, const void *key, size_t klen, void *val);

/* cm_table_del removes key; returns its value or NULL. */
void *cm_table_del(cm_table *t, const void *key, size_t klen);

size_t cm_table_count(const cm_table *t);

/* cm_table_each calls fn for every value (no changes to t meanwhile). */
void cm_table_each(const cm_table *t, void (*fn)(void *arg, void *val),
    void *arg);

/* Helpers for 64-bit and string keys. */
void *cm_table_get_u64(const cm_table *t, uint64_t id);
void  cm_table_put_u64(cm_table *t, uint64_t id, void *val);
void *cm_table_del_u64(cm_table *t, uint64_t id);
void *cm_table_get_str(const cm_table *t, const char *s);
void  cm_table_put_str(cm_table *t, const char *s, void *val);

/* cm_table_bytes is the memory the table itself uses. */
size_t cm_table_bytes(const cm_table *t);

#endif
