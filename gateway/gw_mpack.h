/*
 * gw_mpack.h: reading one member of a msgpack map that a shard wrote to
 * Redis (army:<id>, combat:<id>, the "game" field of player:<address>).
 *
 * Strict: the bytes must be exactly one msgpack map (nothing after it)
 * whose keys are all strings, the key asked for at most once, and its
 * value of the type asked for; anything else is malformed.  Pure; any
 * thread.
 */
#ifndef GW_MPACK_H
#define GW_MPACK_H

#include <stddef.h>
#include <stdint.h>

#include "cm_err.h"

/*
 * gw_mpack_int reads integer member key.  Returns CM_OK, CM_ENOENT when
 * the map has no such member (or it is nil), CM_EINVAL when the bytes are
 * malformed or the member is not an integer that fits in int64_t.
 */
cm_err gw_mpack_int(const void *buf, size_t len, const char *key,
    int64_t *out);

/*
 * gw_mpack_str reads string member key into out (cap bytes, NUL added).
 * Returns CM_OK, CM_ENOENT (absent or nil), CM_EINVAL (malformed, not a
 * string, holding a NUL, or not fitting in cap - 1 bytes).
 */
cm_err gw_mpack_str(const void *buf, size_t len, const char *key, char *out,
    size_t cap);

#endif
