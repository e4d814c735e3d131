/*
 * xl-static [-v] [-N] COMMAND [args]: global options, command dispatch,
 * usage and option parsing shared by the commands.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

int verbose;
int dryrun_only;

/* Usage asked for goes to stdout, usage after a usage error to stderr. */
static void help_to(FILE *f, const char *command)
{
    const struct cmd_spec *cmd;
    int i;

    if (!command || !strcmp(command, "help")) {
        fprintf(f, "Usage " XLS_PROG " [-v] [-N] <subcommand> [args]\n\n");
        fprintf(f, XLS_PROG " full list of subcommands:\n\n");
        for (i = 0; i < cmdtable_len; i++)
            fprintf(f, " %-19s %s\n", cmd_table[i].cmd_name,
                    cmd_table[i].cmd_desc);
        fprintf(f, "\nGlobal options:\n\n"
                "-v                     verbose: say which inputs are read\n"
                "-N                     dry run: never change anything\n"
                "--version              print the version and exit\n\n"
                "Exit status: 0 no error, 1 error findings, "
                "2 cannot run.\n");
        return;
    }

    cmd = cmdtable_lookup(command);
    if (!cmd) {
        fprintf(f, "command \"%s\" not implemented\n", command);
        return;
    }
    fprintf(f, "Usage: " XLS_PROG " [-v%s] %s %s\n\n%s.\n\n",
            cmd->can_dryrun ? "N" : "", cmd->cmd_name, cmd->cmd_usage,
            cmd->cmd_desc);
    if (cmd->cmd_option)
        fprintf(f, "Options:\n\n%s\n", cmd->cmd_option);
}

void help(const char *command)
{
    help_to(stdout, command);
}

/*
 * The message for an option getopt refused, naming it as the user typed
 * it (@arg, the word it was in), and saying whether it is unknown or
 * lacks its value.
 */
static void bad_option(const char *arg, int opt, const char *optstring,
                       const struct option *longopts, const char *helpstr)
{
    const struct option *o;
    size_t n;

    if (!strncmp(arg, "--", 2)) {
        const struct option *found = NULL, *prefix = NULL;
        int nr_prefix = 0;

        /* as getopt_long: the exact name, else the only one it begins */
        n = strcspn(arg + 2, "=");
        for (o = longopts; o->name && !found; o++) {
            if (strncmp(o->name, arg + 2, n))
                continue;
            if (strlen(o->name) == n)
                found = o;
            prefix = o;
            nr_prefix++;
        }
        if (!found && nr_prefix == 1)
            found = prefix;
        if (!found)
            cli_err("%s: unknown option '%.*s'", helpstr, (int)(n + 2), arg);
        else if (found->has_arg == no_argument)
            cli_err("%s: option '--%s' takes no value", helpstr,
                    found->name);
        else
            cli_err("%s: option '--%s' needs a value", helpstr,
                    found->name);
    } else if (opt > ' ' && opt < 127 && strchr(optstring, opt)) {
        cli_err("%s: option '-%c' needs a value", helpstr, opt);
    } else if (opt > ' ' && opt < 127) {
        cli_err("%s: unknown option '-%c'", helpstr, opt);
    } else {
        cli_err("%s: unknown option '%s'", helpstr, arg);
    }
}

int def_getopt(int argc, char *const argv[], const char *optstring,
               const struct option *longopts, const char *helpstr,
               int reqargs)
{
    static const struct option def_options[] = {
        COMMON_LONG_OPTS
    };
    int opt;

    if (!longopts)
        longopts = def_options;

    opterr = 0;
    opt = getopt_long(argc, argv, optstring, longopts, NULL);
    if (opt == '?') {
        bad_option(argv[optind - 1], optopt, optstring, longopts, helpstr);
        fprintf(stderr, "\n");
        help_to(stderr, helpstr);
        exit(XLS_EXIT_CANNOT_RUN);
    }
    if (opt == 'h') {
        help(helpstr);
        exit(XLS_EXIT_OK);
    }
    if (opt != -1)
        return opt;

    if (argc - optind < reqargs) {
        cli_err("'%s' requires at least %d argument%s", helpstr, reqargs,
                reqargs > 1 ? "s" : "");
        fprintf(stderr, "\n");
        help_to(stderr, helpstr);
        exit(XLS_EXIT_CANNOT_RUN);
    }
    return -1;
}

/* An unknown command, or a prefix of more than one: names them. */
static void unknown_command(const char *cmd)
{
    size_t len = strlen(cmd);
    char names[256] = "";
    int i, n = 0;

    for (i = 0; len && i < cmdtable_len; i++) {
        if (strncmp(cmd, cmd_table[i].cmd_name, len))
            continue;
        if (n++)
            strncat(names, ", ", sizeof(names) - strlen(names) - 1);
        strncat(names, cmd_table[i].cmd_name, sizeof(names) - strlen(names) - 1);
    }
    if (n > 1)
        cli_err("ambiguous command '%s': %s", cmd, names);
    else
        cli_err("unknown command '%s' (see '" XLS_PROG " help')", cmd);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", 0, 0, 'h'},
        {"version", 0, 0, 'V'},
        {0, 0, 0, 0}
    };
    const struct cmd_spec *cspec;
    const char *cmd;
    int opt, ret;

    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+hvN", opts, NULL)) != -1) {
        switch (opt) {
        case 'v':
            verbose++;
            break;
        case 'N':
            dryrun_only = 1;
            break;
        case 'h':
            help(NULL);
            return XLS_EXIT_OK;
        case 'V':
            printf(XLS_PROG " %s\n", PACKAGE_VERSION);
            return cli_flush_stdout() ? XLS_EXIT_CANNOT_RUN : XLS_EXIT_OK;
        default:
            cli_err("unknown global option '%s'", argv[optind - 1]);
            help_to(stderr, NULL);
            return XLS_EXIT_CANNOT_RUN;
        }
    }

    cmd = argv[optind];
    if (!cmd) {
        cli_err("no command given");
        help_to(stderr, NULL);
        return XLS_EXIT_CANNOT_RUN;
    }

    /*
     * Each command sees argv[0] = its name.  optind = 0 makes glibc start
     * a fresh scan, without the "+" (stop at the first operand) of ours:
     * a command's options may follow its operands.
     */
    argc -= optind;
    argv += optind;
    optind = 0;

    if (!strcmp(cmd, "help")) {
        if (argc > 1 && !cmdtable_lookup(argv[1])) {
            cli_err("unknown command '%s'", argv[1]);
            return XLS_EXIT_CANNOT_RUN;
        }
        help(argc > 1 ? argv[1] : NULL);
        return XLS_EXIT_OK;
    }

    cspec = cmdtable_lookup(cmd);
    if (!cspec) {
        unknown_command(cmd);
        return XLS_EXIT_CANNOT_RUN;
    }
    if (dryrun_only && !cspec->can_dryrun) {
        cli_err("command '%s' does not support dry run (-N)", cmd);
        return XLS_EXIT_CANNOT_RUN;
    }

    ret = cspec->cmd_impl(argc, argv);
    if (cli_flush_stdout())
        return XLS_EXIT_CANNOT_RUN;
    return ret;
}
