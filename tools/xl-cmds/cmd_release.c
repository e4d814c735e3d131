/*
 * release [-j] [--state-dir DIR] NAME: ends the registry reservation of
 * domain NAME, so that its memory can go to other domains.  Exit 1 when
 * there is no such reservation.  With -N (dry run) it says what it would
 * release and changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

static int print_json(const char *name, const struct lxs_reservation *r,
                      bool released, bool dry)
{
    yajl_gen g = NULL;
    int rc;

    JSON(cli_json_new(&g));
    JSON(cli_json_map_open(g));
    JSON(cli_json_key(g, "name"));
    JSON(cli_json_str(g, name));
    JSON(cli_json_key(g, "released"));
    JSON(cli_json_bool(g, released));
    JSON(cli_json_key(g, "dry_run"));
    JSON(cli_json_bool(g, dry));
    JSON(cli_json_key(g, "direct_map"));
    JSON(cli_json_bool(g, r && r->direct_map));
    JSON(cli_json_extents(g, r ? r->ext : NULL, r ? r->nr_ext : 0));
    JSON(cli_json_map_close(g));
    rc = cli_json_finish(g, stdout);
    g = NULL;
out:
    if (g)
        yajl_gen_free(g);
    return rc;
}

int main_release(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"state-dir", 1, 0, 'S'},
        COMMON_LONG_OPTS
    };
    const struct lxs_reservation *r;
    struct lxs_reservation copy = { 0 };
    struct lxs_registry reg;
    const char *state_dir = NULL, *name;
    char size[LXS_SIZE_STRLEN], *why = NULL;
    bool json = false, dry = dryrun_only;
    int opt, rc, ret;

    SWITCH_FOREACH_OPT(opt, "j", opts, "release", 1) {
    case 'j':
        json = true;
        break;
    case 'S':
        state_dir = optarg;
        break;
    }

    lxs_registry_init(&reg);
    if (argc - optind > 1) {
        cli_err("release: unexpected argument '%s'", argv[optind + 1]);
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    name = argv[optind];

    /*
     * Look first with a reader, which changes nothing (not even the lock
     * file) when there is nothing to release; then look again under the
     * exclusive lock, since the reservation may have gone in between.
     */
    ret = cli_open_registry(state_dir, 0, &reg);
    if (ret)
        goto out;
    r = lxs_registry_find(&reg, name);
    if (r && !dry) {
        lxs_registry_close(&reg);
        ret = cli_open_registry(state_dir, LXS_REGISTRY_WRITE, &reg);
        if (ret)
            goto out;
        r = lxs_registry_find(&reg, name);
    }
    if (!r) {
        cli_err("release: no reservation for domain '%s' in '%s'", name,
                lxs_registry_dir(state_dir));
        if (json && print_json(name, NULL, false, dry))
            cli_err("cannot write JSON");
        ret = XLS_EXIT_FINDINGS;
        goto out;
    }
    /* what is printed outlives the removal */
    copy = *r;
    copy.name = NULL;
    copy.ext = malloc(r->nr_ext * sizeof(*r->ext));
    if (!copy.ext) {
        cli_err("release: %s", strerror(ENOMEM));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    memcpy(copy.ext, r->ext, r->nr_ext * sizeof(*r->ext));

    if (!dry) {
        rc = lxs_registry_remove(&reg, name);
        if (!rc)
            rc = lxs_registry_commit(&reg, &why);
        if (rc) {
            cli_err("release: cannot update registry '%s/%s': %s",
                    lxs_registry_dir(state_dir), LXS_REGISTRY_FILE,
                    why ? why : strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    }

    if (json) {
        rc = print_json(name, &copy, !dry, dry);
        if (rc) {
            cli_err("cannot write JSON: %s", strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    } else {
        printf("%s domain '%s': %zu extent%s, %s%s\n",
               dry ? "would release" : "released", name, copy.nr_ext,
               copy.nr_ext == 1 ? "" : "s",
               lxs_fmt_size(cli_extents_size(copy.ext, copy.nr_ext), size),
               copy.direct_map ? ", direct-mapped" : "");
        cli_print_extents(stdout, copy.ext, copy.nr_ext);
    }
    ret = XLS_EXIT_OK;
out:
    free(why);
    free(copy.ext);
    lxs_registry_close(&reg);
    return ret;
}
