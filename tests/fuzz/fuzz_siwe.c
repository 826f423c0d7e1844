/*
 * fuzz_siwe.c: the EIP-4361 parser on arbitrary bytes.  Besides not
 * crashing, a message that parses must build back to exactly the same
 * text: the parser accepts only what the builder produces.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_siwe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cm_siwe m;
	static char    out[16384];
	size_t         len;

	if (cm_siwe_parse((const char *) data, size, &m) != CM_OK) {
		return (0);
	}
	if (cm_siwe_build(&m, out, sizeof(out), &len) != CM_OK ||
	    len != size || memcmp(out, data, size) != 0) {
		abort(); /* parsed but does not round-trip */
	}
	return (0);
}
