/*
 * error.h — the one error enum of kontroll and its messages.
 *
 * Every public function returns an int: 0 (KT_OK) on success, a negative
 * KT_E* code for kontroll's own errors, or a positive errno / LMDB code passed
 * through unchanged so nothing is lost. kt_strerror() turns any of them into
 * a short English sentence. Messages that must name a field or a file line are
 * built by the caller around that sentence; the code is what programs test.
 */
#ifndef KONTROLL_ERROR_H
#define KONTROLL_ERROR_H

enum kt_err {
	KT_OK = 0,
	KT_EINVAL = -30001,	/* an argument or input field is invalid */
	KT_ENOMEM = -30002,	/* out of memory */
	KT_ETOOBIG = -30003,	/* an event or payload is over its size limit */
	KT_EMALFORMED = -30004, /* bytes do not decode as the expected format */
	KT_EVERSION = -30005,	/* the stream's version is not the expected one */
	KT_EIDREUSED = -30006,	/* an event id is stored already with other content */
	KT_ENOTFOUND = -30007,	/* no such event, stream or record */
	KT_EFORMAT = -30008,	/* the store's format version is not supported */
	KT_ECORRUPT = -30009,	/* the store contradicts itself (see verify) */
	KT_EREADONLY = -30010,	/* a write on a store opened read-only */
	KT_EEXIST = -30011,	/* the thing to create exists already */
	KT_EJSON = -30012,	/* text is not valid JSON, or not of the needed shape */
	KT_EDATE = -30013,	/* a date or time does not exist or is not understood */
	KT_EUUID = -30014,	/* text is not a UUID */
	KT_ESEAL = -30015,	/* a seal's signature or sealed hash does not hold */
};

/*
 * Return a static, never-NULL message for any code this library returns:
 * kontroll's own codes, LMDB's MDB_* codes and errno values. The string is
 * owned by the library and stays valid for the life of the process.
 */
const char *kt_strerror(int err);

#endif
