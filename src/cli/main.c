/*
 * main.c — the kontroll command: finds the subcommand and runs it.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "diff_cli.h"
#include "goal_cli.h"
#include "incident_cli.h"
#include "inspection_cli.h"

#include <signal.h>
#include <string.h>

static const struct cli_command *const command_tables[] = {
	cli_store_commands,	cli_inspection_commands,    cli_inspection_view_commands,
	cli_incident_commands,	cli_incident_view_commands, cli_goal_commands,
	cli_goal_view_commands, cli_generate_commands,	    cli_history_commands,
	cli_diff_commands,	cli_seal_commands,	    cli_backup_commands,
	cli_export_commands,	cli_import_csv_commands,    cli_report_commands,
};

static const char main_usage[] =
    "usage: kontroll COMMAND [OPTIONS]\n"
    "\n"
    "kontroll keeps an append-only, hash-chained log of internal-control events\n"
    "(inspections, orders, incidents, goals) in an LMDB store.\n"
    "\n"
    "Every command takes --db PATH (default $KONTROLL_DB, else ./kontroll.db)\n"
    "and --help. Exit codes: 0 ok, 1 failure, 2 usage, 3 invalid input,\n"
    "4 conflict, 5 not found, 6 store damaged (see docs/cli.md).\n"
    "\n"
    "commands:\n";

static const struct cli_command *find_command(const char *name)
{
	for (size_t t = 0; t < sizeof command_tables / sizeof command_tables[0]; t++)
		for (const struct cli_command *c = command_tables[t]; c->name; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

static void print_main_usage(FILE *out)
{
	fputs(main_usage, out);
	for (size_t t = 0; t < sizeof command_tables / sizeof command_tables[0]; t++)
		for (const struct cli_command *c = command_tables[t]; c->name; c++)
			fprintf(out, "  %-14s %s\n", c->name, c->summary);
	fprintf(out, "  %-14s %s\n", "help", "this text, or `kontroll help COMMAND`");
}

static int help(int argc, char **argv)
{
	if (argc < 2) {
		print_main_usage(stdout);
		return EXIT_OK;
	}
	const struct cli_command *c = find_command(argv[1]);
	if (!c) {
		cli_error("no command '%s' (see kontroll help)", argv[1]);
		return EXIT_USAGE;
	}
	cli_print_usage(c);
	return EXIT_OK;
}

static void on_sigint(int sig)
{
	(void)sig;
	cli_interrupted = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);

	if (argc < 2) {
		print_main_usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (cli_is_help(name))
		return help(argc - 1, argv + 1);
	const struct cli_command *c = find_command(name);
	if (!c) {
		cli_error("no command '%s' (see kontroll help)", name);
		return EXIT_USAGE;
	}
	cli_command_name = c->name;
	opterr = 0;
	return c->run(argc - 1, argv + 1);
}
