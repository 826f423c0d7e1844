/*
 * cm_addr.h: network addresses from configuration.
 *
 * Addresses are "host:port" strings (host an IPv4 literal or a name) and
 * URL templates for the per-shard endpoints, where "{i}" stands for the
 * shard index and "{port}" for a base port plus the shard index, e.g.
 * "tcp://shard-{i}.shard:{port}".
 */
#ifndef CM_ADDR_H
#define CM_ADDR_H

#include <stddef.h>

#include "cm_err.h"

/*
 * cm_addr_split parses "host:port" into host (NUL-terminated, at most
 * hostcap - 1 bytes) and port (1..65535).  Returns CM_EINVAL when malformed.
 */
cm_err cm_addr_split(const char *addr, char *host, size_t hostcap, int *port);

/*
 * cm_addr_sockaddr parses "a.b.c.d:port" (a listening address: an IPv4
 * literal, 0.0.0.0 for every interface) into *out.  Returns CM_EINVAL when
 * malformed or when the host is not an IPv4 literal.
 */
struct sockaddr_in;
cm_err cm_addr_sockaddr(const char *addr, struct sockaddr_in *out);

/*
 * cm_addr_expand writes tmpl into out with "{i}" replaced by index and
 * "{port}" by base_port + index.  Returns CM_ENOMEM when out is too small,
 * CM_EINVAL for an unknown "{...}" placeholder.
 */
cm_err cm_addr_expand(const char *tmpl, int index, int base_port, char *out,
    size_t cap);

#endif
