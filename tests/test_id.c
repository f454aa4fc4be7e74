/*
 * test_id.c — UUIDv7 generation (layout, time, order, uniqueness) and the
 * canonical text form (parse, format, rejection of anything else).
 */
#define _DEFAULT_SOURCE /* syscall() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kontroll/error.h"
#include "kontroll/id.h"

#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MANY 100000

/*
 * The wall clock as id.c sees it: this definition of clock_gettime takes the
 * place of libc's at link time, so a test can step the clock back. It asks
 * the kernel directly and adds clock_offset_ms to CLOCK_REALTIME.
 */
static int64_t clock_offset_ms;

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	int rc = (int)syscall(SYS_clock_gettime, clk, ts);
	if (rc == 0 && clk == CLOCK_REALTIME && clock_offset_ms != 0) {
		int64_t ns =
		    (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec + clock_offset_ms * 1000000;
		ts->tv_sec = (time_t)(ns / 1000000000);
		ts->tv_nsec = (long)(ns % 1000000000);
	}
	return rc;
}

static uint64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t id_ms(const uint8_t id[16])
{
	uint64_t ms = 0;
	for (int k = 0; k < 6; k++)
		ms = ms << 8 | id[k];
	return ms;
}

static int cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* Runs first: later tests draw ids fast enough to push the generator's
 * timestamp a little ahead of the wall clock (by design, on overflow). */
static void test_id_generate_embeds_the_unix_time_in_milliseconds(void **state)
{
	(void)state;
	uint8_t id[16];
	uint64_t before = wall_ms();
	assert_int_equal(kt_id_generate(id), KT_OK);
	uint64_t after = wall_ms();
	assert_true(id_ms(id) >= before);
	assert_true(id_ms(id) <= after);
}

static void test_id_generate_sets_version_7_and_rfc_variant(void **state)
{
	(void)state;
	for (int k = 0; k < 1000; k++) {
		uint8_t id[16];
		assert_int_equal(kt_id_generate(id), KT_OK);
		assert_int_equal(id[6] >> 4, 7);
		assert_int_equal(id[8] & 0xc0, 0x80);
		assert_false(kt_id_is_nil(id));
		char text[KT_ID_TEXT_LEN + 1];
		kt_id_format(id, text);
		assert_int_equal(text[14], '7');
		assert_non_null(strchr("89ab", text[19]));
	}
}

static void test_id_generate_is_strictly_increasing_and_unique(void **state)
{
	(void)state;
	uint8_t(*ids)[16] = malloc((size_t)MANY * 16);
	assert_non_null(ids);
	uint64_t start = wall_ms();
	for (int k = 0; k < MANY; k++)
		assert_int_equal(kt_id_generate(ids[k]), KT_OK);
	uint64_t end = wall_ms();
	int same_ms = 0;
	for (int k = 1; k < MANY; k++) {
		if (memcmp(ids[k - 1], ids[k], 16) >= 0)
			fail_msg("id %d does not sort after id %d", k, k - 1);
		same_ms += id_ms(ids[k - 1]) == id_ms(ids[k]);
	}
	/* Many ids shared a millisecond, so the counter did the ordering. */
	assert_true(same_ms > MANY / 2);
	/* The counter's overflow borrows from the future, but not much: each
	 * millisecond holds at least 2048 ids. */
	assert_true(id_ms(ids[0]) >= start);
	assert_true(id_ms(ids[MANY - 1]) <= end + MANY / 2048 + 5);

	qsort(ids, MANY, 16, cmp_id);
	for (int k = 1; k < MANY; k++)
		assert_true(memcmp(ids[k - 1], ids[k], 16) != 0);
	free(ids);
}

static void test_id_parse_and_format_round_trip(void **state)
{
	(void)state;
	static const char text[] = "0193b8a4-7c3e-7d2a-9f00-123456789abc";
	static const uint8_t bytes[16] = { 0x01, 0x93, 0xb8, 0xa4, 0x7c, 0x3e, 0x7d, 0x2a,
					   0x9f, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc };
	uint8_t id[16];
	char out[KT_ID_TEXT_LEN + 1];
	assert_int_equal(kt_id_parse(text, id), KT_OK);
	assert_memory_equal(id, bytes, 16);
	kt_id_format(id, out);
	assert_string_equal(out, text);

	/* Upper case parses to the same id; formatting is lower case. */
	assert_int_equal(kt_id_parse("0193B8A4-7C3E-7D2A-9F00-123456789ABC", id), KT_OK);
	assert_memory_equal(id, bytes, 16);
	kt_id_format(id, out);
	assert_string_equal(out, text);

	for (int k = 0; k < 1000; k++) {
		uint8_t gen[16], back[16];
		assert_int_equal(kt_id_generate(gen), KT_OK);
		kt_id_format(gen, out);
		assert_int_equal(strlen(out), KT_ID_TEXT_LEN);
		assert_int_equal(kt_id_parse(out, back), KT_OK);
		assert_memory_equal(gen, back, 16);
	}
}

static void test_id_parse_rejects_bad_text_and_leaves_output_untouched(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"",
		"0193b8a4-7c3e-7d2a-9f00-123456789ab",	 /* 35 characters */
		"0193b8a4-7c3e-7d2a-9f00-123456789abcd", /* 37 characters */
		"0193b8a4-7c3e-7d2a-9f00-123456789abc\n",
		" 0193b8a4-7c3e-7d2a-9f00-123456789abc",
		"0193b8a4-7c3e-7d2a-9f00-123456789abg", /* not hex */
		"0193b8a4-7c3e-7d2a-9f00-12345678 abc",
		"0x93b8a4-7c3e-7d2a-9f00-123456789abc",
		"0193b8a4+7c3e-7d2a-9f00-123456789abc", /* wrong separator */
		"0193b8a47c3e7d2a9f00123456789abc",	/* no dashes */
		"0193b8a47-c3e-7d2a-9f00-123456789abc", /* dash moved */
		"0193b8a4-7c3e-7d2a-9f0012-3456789abc",
		"0193b8a4-7c3e-7d2a-9f00-123456789abc-",
		"{0193b8a4-7c3e-7d2a-9f00-123456789ab}",
		"urn:uuid:0193b8a4-7c3e-7d2a-9f00-1234",
		"------------------------------------",
	};
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		uint8_t id[16];
		memset(id, 0x5a, sizeof id);
		int rc = kt_id_parse(texts[k], id);
		if (rc != KT_EUUID)
			fail_msg("kt_id_parse(\"%s\") = %d, want KT_EUUID", texts[k], rc);
		for (int b = 0; b < 16; b++)
			assert_int_equal(id[b], 0x5a);
	}
}

static void test_id_is_nil_only_for_all_zero_bytes(void **state)
{
	(void)state;
	uint8_t id[16] = { 0 };
	assert_true(kt_id_is_nil(id));
	for (int k = 0; k < 16; k++) {
		id[k] = 1;
		assert_false(kt_id_is_nil(id));
		id[k] = 0;
	}
	uint8_t parsed[16];
	memset(parsed, 1, sizeof parsed);
	assert_int_equal(kt_id_parse("00000000-0000-0000-0000-000000000000", parsed), KT_OK);
	assert_true(kt_id_is_nil(parsed));
}

/* Last: it moves the clock. */
static void test_id_generate_stays_increasing_when_the_clock_steps_back(void **state)
{
	(void)state;
	uint8_t prev[16], id[16];
	assert_int_equal(kt_id_generate(prev), KT_OK);
	uint64_t before = id_ms(prev);

	clock_offset_ms = -10000; /* ten seconds back */
	assert_true(wall_ms() + 9000 < before);
	for (int k = 0; k < 20000; k++) {
		assert_int_equal(kt_id_generate(id), KT_OK);
		if (memcmp(prev, id, 16) >= 0)
			fail_msg("id %d after the clock stepped back does not sort last", k);
		assert_int_equal(id[6] >> 4, 7);
		memcpy(prev, id, 16);
	}
	/* 20000 ids overflow the 12-bit counter a few times: the timestamp moves
	 * on from the last one used, not from the clock. */
	assert_true(id_ms(prev) > before);
	assert_true(id_ms(prev) <= before + 20000 / 2048 + 1);

	clock_offset_ms = 60000; /* and a minute forward */
	assert_int_equal(kt_id_generate(id), KT_OK);
	assert_true(memcmp(prev, id, 16) < 0);
	assert_true(id_ms(id) >= before + 59000);
	clock_offset_ms = 0;
}

/*
 * With the clock held behind the generator's last timestamp, parent and child
 * both continue from the same copied state; only the fork handler's reset
 * keeps the child from drawing the parent's very next ids.
 */
static void test_id_generate_in_a_forked_child_never_repeats_the_parent(void **state)
{
	(void)state;
	enum { N = 500 };
	uint8_t parent[N][16], child[N][16];
	int fds[2];
	assert_int_equal(kt_id_generate(parent[0]), KT_OK); /* fill the pool */
	clock_offset_ms = -3600 * 1000;
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (int k = 0; k < N; k++)
			if (kt_id_generate(child[k]) != KT_OK)
				_exit(2);
		_exit(write(fds[1], child, sizeof child) == (ssize_t)sizeof child ? 0 : 3);
	}
	for (int k = 0; k < N; k++)
		assert_int_equal(kt_id_generate(parent[k]), KT_OK);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	clock_offset_ms = 0;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(read(fds[0], child, sizeof child), (ssize_t)sizeof child);
	close(fds[0]);
	close(fds[1]);
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			if (memcmp(parent[i], child[j], 16) == 0)
				fail_msg("parent id %d equals child id %d", i, j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_generate_embeds_the_unix_time_in_milliseconds),
		cmocka_unit_test(test_id_generate_sets_version_7_and_rfc_variant),
		cmocka_unit_test(test_id_generate_is_strictly_increasing_and_unique),
		cmocka_unit_test(test_id_parse_and_format_round_trip),
		cmocka_unit_test(test_id_parse_rejects_bad_text_and_leaves_output_untouched),
		cmocka_unit_test(test_id_is_nil_only_for_all_zero_bytes),
		cmocka_unit_test(test_id_generate_stays_increasing_when_the_clock_steps_back),
		cmocka_unit_test(test_id_generate_in_a_forked_child_never_repeats_the_parent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
