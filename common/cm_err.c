/* cm_err.c: descriptions of the cm_err codes. */
#include <string.h>

#include "cm_err.h"

const char *
cm_strerror(cm_err err)
{
	if (err & CM_ESYSERR) {
		return (strerror((int) (err & ~CM_ESYSERR)));
	}
	switch (err) {
	case CM_OK:
		return ("ok");
	case CM_ENOMEM:
		return ("out of space");
	case CM_EINVAL:
		return ("invalid input");
	case CM_ERANGE:
		return ("out of range");
	case CM_ENOENT:
		return ("not found");
	case CM_EEXIST:
		return ("already exists");
	case CM_EAUTH:
		return ("authentication failed");
	case CM_EEXPIRED:
		return ("expired");
	case CM_ENOTYET:
		return ("not valid yet");
	case CM_ETIMEDOUT:
		return ("timed out");
	case CM_ECLOSED:
		return ("closed");
	case CM_EPROTO:
		return ("protocol error");
	case CM_EDB:
		return ("database error");
	case CM_EREDIS:
		return ("redis error");
	case CM_ENNG:
		return ("nng error");
	case CM_ECONFIG:
		return ("configuration error");
	default:
		return ("unknown error");
	}
}
