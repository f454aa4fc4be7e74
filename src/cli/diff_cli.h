/*
 * diff_cli.h — `kontroll diff` (cmd_diff.c): what changed in the listings
 * between two moments of knowledge. It reads the rows from the listings'
 * own row makers (cli_inspection_rows, cli_order_rows, cli_incident_rows,
 * cli_goal_rows) and writes nothing.
 */
#ifndef KONTROLL_DIFF_CLI_H
#define KONTROLL_DIFF_CLI_H

#include "cli.h"

/* `kontroll diff`. */
extern const struct cli_command cli_diff_commands[];

#endif
