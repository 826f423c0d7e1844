/* gw_clientaddr.c: the client's address behind trusted proxies. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "cm_config.h"
#include "gw_clientaddr.h"

/* At most this many X-Forwarded-For entries are looked at. */
#define XFF_MAX_HOPS 32

typedef struct ipaddr {
	int     family;
	uint8_t b[16];
} ipaddr;

static const uint8_t v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	0xff };

/* ip_unmap turns an IPv4-mapped IPv6 address into its IPv4 address. */
static void
ip_unmap(ipaddr *a)
{
	if (a->family == AF_INET6 && memcmp(a->b, v4_mapped, 12) == 0) {
		memmove(a->b, a->b + 12, 4);
		a->family = AF_INET;
	}
}

/* ip_parse reads one address of len bytes (no port, no brackets). */
static bool
ip_parse(const char *s, size_t len, ipaddr *a)
{
	char buf[64];

	if (len == 0 || len >= sizeof(buf)) {
		return (false);
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, a->b) == 1) {
		a->family = AF_INET;
		return (true);
	}
	if (inet_pton(AF_INET6, buf, a->b) == 1) {
		a->family = AF_INET6;
		ip_unmap(a);
		return (true);
	}
	return (false);
}

static bool
ip_in(const ipaddr *a, const gw_cidr *c)
{
	int full = c->bits / 8, rest = c->bits % 8;

	if (a->family != c->family || memcmp(a->b, c->addr, (size_t) full)) {
		return (false);
	}
	return (rest == 0 ||
	    ((a->b[full] ^ c->addr[full]) & (0xff << (8 - rest))) == 0);
}

static bool
ip_trusted(const ipaddr *a, const gw_cidr *t, int n)
{
	for (int i = 0; i < n; i++) {
		if (ip_in(a, &t[i])) {
			return (true);
		}
	}
	return (false);
}

cm_err
gw_cidr_list_parse(const char *s, gw_cidr *out, int max, int *n)
{
	int k = 0;

	*n = 0;
	while (*s != '\0') {
		size_t      len = strcspn(s, ",");
		const char *e   = s + len, *slash;
		ipaddr      a;
		long        bits;

		while (s < e && *s == ' ') {
			s++;
		}
		while (e > s && e[-1] == ' ') {
			e--;
		}
		slash = memchr(s, '/', (size_t) (e - s));
		if (k == max ||
		    !ip_parse(s, (size_t) ((slash != NULL ? slash : e) - s),
		        &a)) {
			return (CM_EINVAL);
		}
		bits = a.family == AF_INET ? 32 : 128;
		if (slash != NULL &&
		    cm_parse_long(slash + 1, (size_t) (e - slash - 1), 0, bits,
		        &bits) != CM_OK) {
			return (CM_EINVAL);
		}
		out[k].family = a.family;
		memcpy(out[k].addr, a.b, sizeof(a.b));
		out[k].bits = (int) bits;
		k++;
		s += len;
		if (*s == ',') {
			if (*++s == '\0') {
				return (CM_EINVAL); /* a trailing comma */
			}
		}
	}
	*n = k;
	return (CM_OK);
}

/* ip_key writes a's rate-limit key: IPv4 dotted, IPv6 its /64. */
static void
ip_key(const ipaddr *a, char out[GW_CLIENTADDR_MAX])
{
	char    buf[INET6_ADDRSTRLEN];
	uint8_t net[16] = { 0 };

	if (a->family == AF_INET) {
		inet_ntop(AF_INET, a->b, out, GW_CLIENTADDR_MAX);
		return;
	}
	memcpy(net, a->b, 8);
	inet_ntop(AF_INET6, net, buf, sizeof(buf));
	snprintf(out, GW_CLIENTADDR_MAX, "%s/64", buf);
}

bool
gw_clientaddr(const struct sockaddr *peer, const char *xff,
    const gw_cidr *trusted, int ntrusted, char out[GW_CLIENTADDR_MAX])
{
	ipaddr      client;
	const char *end;

	memset(&client, 0, sizeof(client));
	if (peer != NULL && peer->sa_family == AF_INET) {
		client.family = AF_INET;
		memcpy(client.b,
		    &((const struct sockaddr_in *) (const void *) peer)->sin_addr,
		    4);
	} else if (peer != NULL && peer->sa_family == AF_INET6) {
		client.family = AF_INET6;
		memcpy(client.b,
		    &((const struct sockaddr_in6 *) (const void *) peer)
		         ->sin6_addr,
		    16);
		ip_unmap(&client);
	} else {
		snprintf(out, GW_CLIENTADDR_MAX, "unknown");
		return (false);
	}
	/* Walk the header right to left while the hop before is trusted. */
	end = xff != NULL ? xff + strlen(xff) : NULL;
	for (int hop = 0; end != NULL && hop < XFF_MAX_HOPS &&
	     ip_trusted(&client, trusted, ntrusted);
	     hop++) {
		const char *start = end;
		const char *s, *e = end;
		ipaddr      a;

		while (start > xff && start[-1] != ',') {
			start--;
		}
		s = start;
		while (s < e && (*s == ' ' || *s == '\t')) {
			s++;
		}
		while (e > s && (e[-1] == ' ' || e[-1] == '\t')) {
			e--;
		}
		if (!ip_parse(s, (size_t) (e - s), &a)) {
			break; /* stop at the last trusted hop */
		}
		client = a;
		end    = start > xff ? start - 1 : NULL;
	}
	ip_key(&client, out);
	return (true);
}
