/* cm_addr.c: "host:port" parsing and per-shard URL templates. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "cm_addr.h"
#include "cm_config.h"

cm_err
cm_addr_split(const char *addr, char *host, size_t hostcap, int *port)
{
	const char *colon = strrchr(addr, ':');
	size_t      hlen;
	long        p;

	if (colon == NULL) {
		return (CM_EINVAL);
	}
	hlen = (size_t) (colon - addr);
	if (hlen == 0 || hlen >= hostcap) {
		return (CM_EINVAL);
	}
	if (cm_parse_long(colon + 1, strlen(colon + 1), 1, 65535, &p) !=
	    CM_OK) {
		return (CM_EINVAL);
	}
	memcpy(host, addr, hlen);
	host[hlen] = '\0';
	*port      = (int) p;
	return (CM_OK);
}

cm_err
cm_addr_sockaddr(const char *addr, struct sockaddr_in *out)
{
	struct sockaddr_in sa;
	char               host[64];
	int                port;

	if (cm_addr_split(addr, host, sizeof(host), &port) != CM_OK) {
		return (CM_EINVAL);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port   = htons((uint16_t) port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		return (CM_EINVAL);
	}
	*out = sa;
	return (CM_OK);
}

cm_err
cm_addr_expand(const char *tmpl, int index, int base_port, char *out,
    size_t cap)
{
	size_t o = 0;
	char   num[16];
	int    n;

	for (const char *p = tmpl; *p != '\0';) {
		const char *piece;
		size_t      plen;

		if (strncmp(p, "{i}", 3) == 0) {
			n     = snprintf(num, sizeof(num), "%d", index);
			piece = num;
			plen  = (size_t) n;
			p += 3;
		} else if (strncmp(p, "{port}", 6) == 0) {
			n     = snprintf(num, sizeof(num), "%d",
                            base_port + index);
			piece = num;
			plen  = (size_t) n;
			p += 6;
		} else if (*p == '{') {
			return (CM_EINVAL);
		} else {
			piece = p;
			plen  = 1;
			p++;
		}
		if (o + plen >= cap) {
			return (CM_ENOMEM);
		}
		memcpy(out + o, piece, plen);
		o += plen;
	}
	out[o] = '\0';
	return (CM_OK);
}
