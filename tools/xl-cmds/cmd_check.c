/*
 * check [--host-dtb F] [-j] [--boot] CFG...: validates cfg files
 * against the host memory map and against each other, and prints every
 * finding.  No side effects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

static int print_json(const struct lxs_diags *diags)
{
    yajl_gen g = NULL;
    int rc;

    JSON(cli_json_new(&g));
    JSON(cli_json_map_open(g));
    JSON(cli_json_diags(g, diags));
    JSON(cli_json_key(g, "errors"));
    JSON(cli_json_uint(g, diags->nr_errors));
    JSON(cli_json_key(g, "warnings"));
    JSON(cli_json_uint(g, diags->nr - diags->nr_errors));
    JSON(cli_json_map_close(g));
    rc = cli_json_finish(g, stdout);
    g = NULL;
out:
    if (g)
        yajl_gen_free(g);
    return rc;
}

int main_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"state-dir", 1, 0, 'S'},
        {"boot", 0, 0, 'B'},
        COMMON_LONG_OPTS
    };
    struct lxs_check_opts copts = { .mode = LXS_MODE_RUNTIME };
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct lxs_spec *specs = NULL;
    const char *host_dtb = NULL, *state_dir = NULL;
    bool json = false;
    int opt, nr, rc, ret;

    SWITCH_FOREACH_OPT(opt, "j", opts, "check", 1) {
    case 'j':
        json = true;
        break;
    case 'H':
        host_dtb = optarg;
        break;
    case 'S':
        state_dir = optarg;
        break;
    case 'B':
        copts.mode = LXS_MODE_BOOT;
        break;
    }

    lxs_hostmap_init(&map);
    lxs_diags_init(&diags);
    nr = argc - optind;

    ret = cli_load_hostmap(host_dtb, &map);
    if (ret)
        goto out;
    ret = cli_load_registry(state_dir, &map);
    if (ret)
        goto out;
    ret = cli_load_specs(argv + optind, nr, &specs, &diags);
    if (ret)
        goto out;

    rc = lxs_check(&map, specs, nr, &copts, &diags, NULL);
    if (rc && (rc != -EINVAL || !diags.nr_errors)) {
        cli_err("check failed: %s", strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }

    if (json) {
        rc = print_json(&diags);
        if (rc) {
            cli_err("cannot write JSON: %s", strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    } else {
        cli_print_diags_text(stdout, &diags);
        cli_print_diags_count(stdout, &diags, nr);
    }
    ret = diags.nr_errors ? XLS_EXIT_FINDINGS : XLS_EXIT_OK;

out:
    cli_specs_free(specs, nr);
    lxs_diags_dispose(&diags);
    lxs_hostmap_dispose(&map);
    return ret;
}
