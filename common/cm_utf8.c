/* cm_utf8.c: see cm_utf8.h. */
#include <stdint.h>

#include "cm_utf8.h"

bool
cm_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;

	while (*p != '\0') {
		uint32_t cp;
		int      n;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 1, cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2, cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3, cp = *p & 0x07;
		} else {
			return (false);
		}
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80) {
				return (false); /* also stops at the NUL */
			}
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff)) {
			return (false);
		}
		p += n + 1;
	}
	return (true);
}
