/*
 * fuzz_eth.c: address and signature parsing and recovery on arbitrary
 * bytes.  The input is split: the first bytes as an address string, the
 * rest as a signature string, and, when that parses, recovery over the
 * address bytes as the message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_eth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t      cut = size < 42 ? size : 42;
	cm_eth_addr a, b;
	uint8_t     sig[65];
	char        s[43];

	if (cm_eth_addr_parse((const char *) data, cut, &a) == CM_OK) {
		/* A parsed address prints back in a form that parses again. */
		cm_eth_addr_checksum(&a, s);
		if (cm_eth_addr_parse(s, 42, &b) != CM_OK ||
		    memcmp(a.b, b.b, 20) != 0) {
			abort();
		}
	}
	if (cm_eth_sig_parse((const char *) data + cut, size - cut, sig) ==
	    CM_OK) {
		(void) cm_eth_personal_recover(data, cut, sig, &a);
	}
	return (0);
}
