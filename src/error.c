/* error.c — messages for kontroll's error codes; LMDB and errno pass through. */
#include "kontroll/error.h"

#include <lmdb.h>
#include <string.h>

const char *kt_strerror(int err)
{
	switch (err) {
	case KT_OK:
		return "success";
	case KT_EINVAL:
		return "invalid argument";
	case KT_ENOMEM:
		return "out of memory";
	case KT_ETOOBIG:
		return "over the size limit";
	case KT_EMALFORMED:
		return "malformed encoding";
	case KT_EVERSION:
		return "stream version is not the expected one";
	case KT_EIDREUSED:
		return "event id already stored with other content";
	case KT_ENOTFOUND:
		return "not found";
	case KT_EFORMAT:
		return "unsupported store format version";
	case KT_ECORRUPT:
		return "store is inconsistent";
	case KT_EREADONLY:
		return "store is open read-only";
	case KT_EEXIST:
		return "already exists";
	case KT_EJSON:
		return "invalid JSON";
	case KT_EDATE:
		return "invalid date or time";
	case KT_EUUID:
		return "invalid UUID";
	case KT_ESEAL:
		return "seal does not verify";
	}
	/* LMDB's own codes lie in [MDB_KEYEXIST, MDB_LAST_ERRCODE]; mdb_strerror
	 * also covers errno values. */
	return mdb_strerror(err);
}
