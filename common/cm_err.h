/*
 * cm_err.h: the error codes every fallible function of the project returns.
 *
 * Fallible functions return cm_err; CM_OK is zero.  Out-parameters are
 * written only on success.  A function that takes a callback and fails
 * never invokes that callback.  Out-of-memory is not an error code: the
 * allocation helpers of cm_alloc.h abort instead.
 */
#ifndef CM_ERR_H
#define CM_ERR_H

typedef enum cm_err {
	CM_OK = 0,
	CM_ENOMEM,     /* a fixed-size buffer or table is full */
	CM_EINVAL,     /* malformed input or argument */
	CM_ERANGE,     /* a value is outside its allowed range */
	CM_ENOENT,     /* the thing asked for does not exist */
	CM_EEXIST,     /* it exists already */
	CM_EAUTH,      /* a signature, MAC or token does not check out */
	CM_EEXPIRED,   /* a token, challenge or message is past its expiry */
	CM_ENOTYET,    /* a message is not valid yet (not-before, issued-at) */
	CM_ETIMEDOUT,  /* a peer did not answer in time */
	CM_ECLOSED,    /* the object or peer has closed */
	CM_EPROTO,     /* a peer sent bytes that break the protocol */
	CM_EDB,        /* PostgreSQL failed */
	CM_EREDIS,     /* Redis failed */
	CM_ENNG,       /* nng failed */
	CM_ECONFIG,    /* configuration is missing or invalid */
	CM_ESYSERR = 0x10000000 /* CM_ESYSERR | errno */
} cm_err;

/* cm_strerror returns a static, human-readable description of err. */
const char *cm_strerror(cm_err err);

#endif
