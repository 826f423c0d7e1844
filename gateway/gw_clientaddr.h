/*
 * gw_clientaddr.h: the address a request comes from, for the per-address
 * rate limits.
 *
 * Behind a load balancer the connection's peer is the balancer, and the
 * client's address is in X-Forwarded-For, which anyone can also write.
 * Only proxies the operator names (GATEWAY_TRUSTED_PROXIES, a list of
 * CIDR blocks) are believed: when the peer is one of them, the header is
 * read from its right end (the entry the nearest proxy appended) leftward,
 * past every trusted address, and the first address that is not trusted
 * is the client.  A malformed entry stops the walk at the last trusted
 * hop, so a forged header can at worst name a trusted proxy.
 *
 * IPv6 clients are keyed by their /64 (an ISP hands a household a whole
 * /64, so one address each would give one client 2^64 budgets).
 */
#ifndef GW_CLIENTADDR_H
#define GW_CLIENTADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "cm_err.h"

#define GW_MAX_PROXIES 32
#define GW_CLIENTADDR_MAX 56 /* an IPv6 /64 ("...::/64") or an IPv4 address */

typedef struct gw_cidr {
	int     family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int     bits;
} gw_cidr;

/*
 * gw_cidr_list_parse parses "10.0.0.0/8, 2001:db8::/32, 127.0.0.1" (a
 * bare address is its own /32 or /128) into out (at most max).  Returns
 * CM_EINVAL for anything malformed, with nothing kept.
 */
cm_err gw_cidr_list_parse(const char *s, gw_cidr *out, int max, int *n);

/*
 * gw_clientaddr finds the client of a request from peer (the connection's
 * address) and xff (the X-Forwarded-For header, NULL when absent) and
 * writes its key into out: a dotted IPv4 address, or an IPv6 /64 written
 * "2001:db8:1:2::/64" (IPv4-mapped IPv6 addresses are their IPv4 one).
 * Returns false when the peer is neither IPv4 nor IPv6 (out is then
 * "unknown").
 */
bool gw_clientaddr(const struct sockaddr *peer, const char *xff,
    const gw_cidr *trusted, int ntrusted, char out[GW_CLIENTADDR_MAX]);

#endif
