/*
 * fuzz_decode.c — libFuzzer target for everything that reads untrusted
 * bytes: the envelope decoder, msgpack → JSON, and JSON → msgpack. A decoded
 * envelope must re-encode to the same bytes. Build and run: `make fuzz`.
 */
#include "kontroll/error.h"
#include "kontroll/event.h"
#include "kontroll/json.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t len)
{
	struct kt_event ev;
	if (kt_event_decode(bytes, len, &ev) == KT_OK) {
		struct kt_buf out = KT_BUF_INIT(KT_ENVELOPE_MAX);
		/* Decoding accepts only canonical field types, but integers may be
		 * encoded wider than the packer writes them, so compare by
		 * decoding the re-encoding rather than byte for byte. */
		if (kt_event_encode(&ev, &out) == KT_OK) {
			struct kt_event again;
			if (kt_event_decode(out.data, out.len, &again) != KT_OK ||
			    again.version != ev.version || again.recorded != ev.recorded ||
			    again.effective != ev.effective || !kt_event_same_content(&again, &ev))
				abort();
		}
		kt_buf_free(&out);
		json_t *j;
		if (kt_event_to_json(&ev, &j) == KT_OK)
			json_decref(j);
	}

	json_t *j;
	if (kt_data_to_json(bytes, len, &j) == KT_OK)
		json_decref(j);

	struct kt_buf data = KT_BUF_INIT(KT_DATA_MAX);
	char why[200];
	kt_json_to_data((const char *)bytes, len, &data, why, sizeof why);
	kt_buf_free(&data);
	return 0;
}
