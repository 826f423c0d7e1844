/* gw_mpack.c: strict reads of msgpack maps (msgpack-c's object API). */
#include <msgpack.h>
#include <string.h>

#include "gw_mpack.h"

/*
 * mpack_find decodes buf into u and finds member key.  On CM_OK *val is
 * the member (NULL when absent); u must be destroyed by the caller in
 * every case.
 */
static cm_err
mpack_find(const void *buf, size_t len, const char *key, msgpack_unpacked *u,
    const msgpack_object **val)
{
	size_t                    off = 0, klen = strlen(key);
	const msgpack_object_map *m;

	*val = NULL;
	if (msgpack_unpack_next(u, buf, len, &off) != MSGPACK_UNPACK_SUCCESS ||
	    off != len || u->data.type != MSGPACK_OBJECT_MAP) {
		return (CM_EINVAL);
	}
	m = &u->data.via.map;
	for (uint32_t i = 0; i < m->size; i++) {
		const msgpack_object *k = &m->ptr[i].key;

		if (k->type != MSGPACK_OBJECT_STR) {
			return (CM_EINVAL);
		}
		if (k->via.str.size == klen &&
		    memcmp(k->via.str.ptr, key, klen) == 0) {
			if (*val != NULL) {
				return (CM_EINVAL); /* the key twice */
			}
			*val = &m->ptr[i].val;
		}
	}
	return (CM_OK);
}

cm_err
gw_mpack_int(const void *buf, size_t len, const char *key, int64_t *out)
{
	msgpack_unpacked      u;
	const msgpack_object *v;
	cm_err                rv;

	msgpack_unpacked_init(&u);
	rv = mpack_find(buf, len, key, &u, &v);
	if (rv == CM_OK && (v == NULL || v->type == MSGPACK_OBJECT_NIL)) {
		rv = CM_ENOENT;
	} else if (rv == CM_OK && v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		*out = v->via.i64;
	} else if (rv == CM_OK && v->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    v->via.u64 <= (uint64_t) INT64_MAX) {
		*out = (int64_t) v->via.u64;
	} else {
		rv = CM_EINVAL;
	}
	msgpack_unpacked_destroy(&u);
	return (rv);
}

cm_err
gw_mpack_str(const void *buf, size_t len, const char *key, char *out,
    size_t cap)
{
	msgpack_unpacked      u;
	const msgpack_object *v;
	cm_err                rv;

	msgpack_unpacked_init(&u);
	rv = mpack_find(buf, len, key, &u, &v);
	if (rv == CM_OK && (v == NULL || v->type == MSGPACK_OBJECT_NIL)) {
		rv = CM_ENOENT;
	} else if (rv == CM_OK && v->type == MSGPACK_OBJECT_STR &&
	    v->via.str.size < cap &&
	    memchr(v->via.str.ptr, '\0', v->via.str.size) == NULL) {
		memcpy(out, v->via.str.ptr, v->via.str.size);
		out[v->via.str.size] = '\0';
	} else {
		rv = CM_EINVAL;
	}
	msgpack_unpacked_destroy(&u);
	return (rv);
}
