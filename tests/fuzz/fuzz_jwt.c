/*
 * fuzz_jwt.c: token verification on arbitrary bytes, with a fixed key set.
 * A token that verifies must carry a bounded, NUL-terminated subject.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cm_jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cm_jwt_keys *keys;
	cm_jwt_claims       c;

	if (keys == NULL &&
	    cm_jwt_keys_parse("k1:000102030405060708090a0b0c0d0e0f101112131415"
	                      "161718191a1b1c1d1e1f,k2:202122232425262728292a2b"
	                      "2c2d2e2f303132333435363738393a3b3c3d3e3f",
	        &keys) != CM_OK) {
		abort();
	}
	if (cm_jwt_verify(keys, (const char *) data, size, 1700000000, &c) ==
	        CM_OK &&
	    strnlen(c.sub, sizeof(c.sub)) == sizeof(c.sub)) {
		abort();
	}
	return (0);
}
