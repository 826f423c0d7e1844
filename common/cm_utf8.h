/*
 * cm_utf8.h: strict UTF-8 validation of NUL-terminated text (no overlong
 * forms, no surrogates, nothing above U+10FFFF): what JSON may carry.
 */
#ifndef CM_UTF8_H
#define CM_UTF8_H

#include <stdbool.h>

bool cm_utf8_valid(const char *s);

#endif
