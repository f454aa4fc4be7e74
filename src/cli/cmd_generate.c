/*
 * cmd_generate.c — `kontroll generate incidents`: realistic, deterministic
 * years of Kvaliteket incidents for demonstrations and benchmarks
 * (src/generate.c does the work; docs/generator.md explains it).
 */
#define _POSIX_C_SOURCE 200809L
#include "incident_cli.h"

#include "kontroll/error.h"
#include "kontroll/generate.h"
#include "kontroll/ktime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* More years than anyone asks for at once. */
#define YEARS_MAX 64

static const char generate_usage[] =
    "usage: kontroll generate incidents --year Y [--year Y ...] [--count N] [--seed N]\n"
    "                                   [--quiet] [--db PATH]\n"
    "\n"
    "Write whole years of realistic Kvaliteket incidents into the store, each\n"
    "with its full lifecycle (triage, handler, actions, reports to outside\n"
    "bodies, closure, some reopened). The same seed gives the same events.\n"
    "For the year generated it reproduces exactly: the incidents registered,\n"
    "those under helse og omsorg, those open at the end of the year, and the\n"
    "personvern incidents and how many went to Datatilsynet. 2025 uses the\n"
    "annual report's figures (21686; 9993; 2631; 40, 7), 2024 23752 (derived\n"
    "from -8.7 %) and 9440 with the rest by 2025's shares; other years need\n"
    "--count. See docs/generator.md.\n"
    "\n"
    "Refuses, writing nothing, when the store holds incidents of a year asked\n"
    "for already. The store must exist (kontroll init).\n"
    "\n"
    "  --year Y     a year to generate, 1971-9998; repeat for several\n"
    "  --count N    incidents per year (the other figures are scaled to it);\n"
    "               default: the year's own count (2024 and 2025)\n"
    "  --seed N     the random seed (default 1)\n"
    "  --quiet      print nothing but errors\n"
    "  --db PATH    the store file\n";

/* ---- progress --------------------------------------------------------- */

/* Progress on stderr, as cli_progress does, but counting incidents. */
struct progress {
	int year;
	int64_t start;
	int tty;
	int shown;
};

static int report(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	if (p->tty && (p->shown || kt_time_now() - p->start >= KT_US_PER_SEC)) {
		p->shown = 1;
		fprintf(stderr, "\rgenerating %d: %3d%% (%llu of %llu incidents)", p->year,
			(int)(done * 100 / total), (unsigned long long)done,
			(unsigned long long)total);
	}
	return cli_interrupted != 0;
}

static void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

/* ---- output ----------------------------------------------------------- */

static void print_year(const struct kt_generate_params *p, const struct kt_generate_result *r,
		       double seconds)
{
	char first[KT_INCIDENT_NUMBER_SIZE], last[KT_INCIDENT_NUMBER_SIZE];
	kt_incident_number_format(p->year, 1, first);
	kt_incident_number_format(p->year, p->count, last);
	printf("%d (seed %llu): %llu incidents %s … %s, %llu events at positions %llu–%llu\n",
	       p->year, (unsigned long long)p->seed, (unsigned long long)r->incidents, first, last,
	       (unsigned long long)r->events, (unsigned long long)r->first_position,
	       (unsigned long long)r->last_position);
	printf("  %-34s %8llu\n", "registered in the year", (unsigned long long)r->incidents);
	printf("  %-34s %8llu\n", "under helse og omsorg", (unsigned long long)r->helse_omsorg);
	printf("  %-34s %8llu   each closed during %d\n", "open at the end of the year",
	       (unsigned long long)r->open_at_end, p->year + 1);
	printf("  %-34s %8llu\n", "personvern (latest triage)", (unsigned long long)r->personvern);
	printf("  %-34s %8llu   %llu of them after 72 hours\n", "  reported to Datatilsynet",
	       (unsigned long long)r->datatilsynet, (unsigned long long)r->datatilsynet_late);
	printf("  %-34s %8llu\n", "improvement suggestions", (unsigned long long)r->forbedring);
	printf("  %-34s %8llu   %llu completed after their due day\n", "actions",
	       (unsigned long long)r->actions, (unsigned long long)r->actions_late);
	printf("  %-34s %8llu\n", "reported to Arbeidstilsynet",
	       (unsigned long long)r->external[KT_RECIPIENT_ARBEIDSTILSYNET]);
	printf("  %-34s %8llu\n", "reported to Statsforvalteren",
	       (unsigned long long)r->external[KT_RECIPIENT_STATSFORVALTEREN]);
	printf("  %-34s %8llu\n", "reopened and closed again", (unsigned long long)r->reopened);
	printf("  %-34s   median %.1f, 90th percentile %.1f\n", "days to close (closed in year)",
	       r->close_days_median, r->close_days_p90);
	printf("  written in %.2f s (%.0f events/s)\n", seconds,
	       seconds > 0 ? (double)r->events / seconds : 0.0);
}

/* ---- the command ------------------------------------------------------- */

/* Commits were not synced: sync the file once. */
static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fsync(fd) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		cli_error("syncing %s: %s", path, strerror(err));
		return EXIT_FAILURE_STORE;
	}
	close(fd);
	return EXIT_OK;
}

static int parse_year(const char *value, int *year)
{
	uint64_t v;
	if (cli_parse_u64(value, &v) || v < KT_GENERATE_YEAR_MIN || v > KT_GENERATE_YEAR_MAX) {
		cli_error("--year: '%s' is not a year from %d to %d", value, KT_GENERATE_YEAR_MIN,
			  KT_GENERATE_YEAR_MAX);
		return -1;
	}
	*year = (int)v;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int generate_incidents(int argc, char **argv)
{
	static const struct option opts[] = { { "year", required_argument, NULL, 'y' },
					      { "count", required_argument, NULL, 'n' },
					      { "seed", required_argument, NULL, 's' },
					      { "quiet", no_argument, NULL, 'q' },
					      CLI_COMMON_OPTIONS,
					      { 0, 0, 0, 0 } };
	struct kt_generate_params params[YEARS_MAX];
	int years[YEARS_MAX], n_years = 0, quiet = 0, c;
	uint64_t seed = 1, count = 0;
	const char *db = NULL;
	char why[256];

	optind = 1;
	while ((c = cli_getopt(argc, argv, opts, generate_usage, &db)) != -1) {
		switch (c) {
		case 'y':
			if (n_years == YEARS_MAX) {
				cli_error("--year: at most %d years at once", YEARS_MAX);
				return EXIT_INPUT;
			}
			if (parse_year(optarg, &years[n_years]))
				return EXIT_INPUT;
			for (int k = 0; k < n_years; k++)
				if (years[k] == years[n_years]) {
					cli_error("--year: %d is given twice", years[k]);
					return EXIT_INPUT;
				}
			n_years++;
			break;
		case 'n':
			if (cli_parse_u64(optarg, &count) || count < 1 ||
			    count > KT_GENERATE_COUNT_MAX) {
				cli_error("--count: '%s' is not a number from 1 to %d", optarg,
					  KT_GENERATE_COUNT_MAX);
				return EXIT_INPUT;
			}
			break;
		case 's':
			if (cli_parse_u64(optarg, &seed)) {
				cli_error("--seed: '%s' is not a non-negative integer", optarg);
				return EXIT_INPUT;
			}
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			return EXIT_OK;
		default:
			return cli_usage_error(c, argv[optind - 1]);
		}
	}
	if (cli_has_operands(argc, argv))
		return EXIT_USAGE;
	if (n_years == 0) {
		cli_error("--year is required (see kontroll generate --help)");
		return EXIT_USAGE;
	}
	/* Older years first, so the log reads in order. */
	qsort(years, (size_t)n_years, sizeof years[0], cmp_int);
	for (int k = 0; k < n_years; k++) {
		int err = kt_generate_defaults(years[k], (uint32_t)count, seed, &params[k], why,
					       sizeof why);
		if (!err)
			err = kt_generate_check(&params[k], why, sizeof why);
		if (err) {
			cli_error("%d: %s", years[k], why);
			return cli_exit_for(err);
		}
	}

	const char *path = cli_db_path(db);
	kt_store *s = NULL;
	int rc = cli_open_bulk_store(path, 0, &s);
	if (rc)
		return rc;
	for (int k = 0; k < n_years; k++) {
		char number[KT_INCIDENT_NUMBER_SIZE];
		int err = kt_generate_existing(s, years[k], params[k].count, number);
		if (err == KT_EEXIST) {
			cli_error("the store holds incidents of %d already (%s); nothing written",
				  years[k], number);
			rc = EXIT_CONFLICT;
			goto out;
		}
		if (err) {
			cli_error("reading the incidents: %s", kt_strerror(err));
			rc = cli_exit_for(err);
			goto out;
		}
	}
	for (int k = 0; k < n_years; k++) {
		struct kt_generate_result res;
		struct progress p = { years[k], kt_time_now(), isatty(STDERR_FILENO), 0 };
		int64_t t0 = kt_time_now();
		int err = kt_generate_incidents(s, &params[k], &res, report, &p, why, sizeof why);
		progress_end(&p);
		double seconds = (double)(kt_time_now() - t0) / (double)KT_US_PER_SEC;
		if (err == EINTR) {
			cli_error("interrupted: %llu incidents of %d were written and stay; "
				  "generate into a new store to start again",
				  (unsigned long long)res.incidents, years[k]);
			rc = EXIT_FAILURE_STORE;
			goto out;
		}
		if (err) {
			cli_error("%d: %s%s%s (%llu incidents were written and stay)", years[k],
				  kt_strerror(err),
				  err == KT_EINVAL || err == KT_EVERSION ? ": " : "",
				  err == KT_EINVAL || err == KT_EVERSION ? why : "",
				  (unsigned long long)res.incidents);
			rc = cli_exit_for(err);
			goto out;
		}
		if (!quiet)
			print_year(&params[k], &res, seconds);
	}
out:
	kt_store_close(s);
	if (rc == EXIT_OK)
		rc = sync_file(path);
	return rc;
}

static int cmd_generate(int argc, char **argv)
{
	if (argc < 2) {
		cli_error(
		    "which? kontroll generate incidents --year Y (see kontroll generate --help)");
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (cli_is_help(name)) {
		fputs(generate_usage, stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "incidents") == 0)
		return generate_incidents(argc - 1, argv + 1);
	cli_error("no subcommand '%s' (kontroll generate incidents is the one there is)", name);
	return EXIT_USAGE;
}

const struct cli_command cli_generate_commands[] = {
	{ "generate", "write realistic, deterministic years of incidents (benchmarks, demos)",
	  generate_usage, cmd_generate },
	{ NULL, NULL, NULL, NULL },
};
