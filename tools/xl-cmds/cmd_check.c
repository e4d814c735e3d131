/*
 * check [--host-dtb F] [-j] [--boot] CFG...: validates cfg files
 * against the host memory map and against each other, and prints every
 * finding.  No side effects.
 */
#include "xl_static.h"

static int json_check(yajl_gen g, const void *arg)
{
    const struct lxs_diags *diags = arg;
    int rc;

    JSON(cli_json_diags(g, diags));
    JSON(cli_json_key(g, "errors"));
    JSON(cli_json_uint(g, diags->nr_errors));
    JSON(cli_json_key(g, "warnings"));
    JSON(cli_json_uint(g, diags->nr - diags->nr_errors));
out:
    return rc;
}

int main_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"state-dir", 1, 0, 'S'},
        {"boot", 0, 0, 'B'},
        CLI_FINDING_OPTS,
        COMMON_LONG_OPTS
    };
    struct cli_opts o = { 0 };
    struct cli_inputs in;
    int opt, ret;

    SWITCH_FOREACH_OPT(opt, "jW:", opts, "check", 1) {
    default:
        cli_opt(&o, opt);
        break;
    }

    cli_inputs_init(&in);
    ret = cli_inputs_load(&in, &o, argv + optind, argc - optind, true);
    if (!ret)
        ret = cli_inputs_check(&in, &o, "check", NULL);
    if (ret)
        goto out;

    if (o.json) {
        ret = cli_json_print(json_check, &in.diags);
        if (ret)
            goto out;
    } else {
        cli_print_diags_text(stdout, &in.diags);
        cli_print_diags_count(stdout, &in.diags, in.nr);
    }
    ret = in.diags.nr_errors ? XLS_EXIT_FINDINGS : XLS_EXIT_OK;

out:
    cli_inputs_dispose(&in);
    return ret;
}
