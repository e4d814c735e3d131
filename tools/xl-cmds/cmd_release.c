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

/* What release says: of a reservation (a copy), or of none (NULL). */
struct release_output {
    const char *name;
    const struct lxs_reservation *r;
    bool released;
    bool dry;
};

static int json_release(yajl_gen g, const void *arg)
{
    const struct release_output *ro = arg;
    const struct lxs_reservation *r = ro->r;
    int rc;

    JSON(cli_json_key(g, "name"));
    JSON(cli_json_str(g, ro->name));
    JSON(cli_json_key(g, "released"));
    JSON(cli_json_bool(g, ro->released));
    JSON(cli_json_key(g, "dry_run"));
    JSON(cli_json_bool(g, ro->dry));
    JSON(cli_json_key(g, "direct_map"));
    JSON(cli_json_bool(g, r && r->direct_map));
    JSON(cli_json_extents(g, r ? r->ext : NULL, r ? r->nr_ext : 0));
out:
    return rc;
}

static void print_text(const struct release_output *ro)
{
    const struct lxs_reservation *r = ro->r;
    char size[LXS_SIZE_STRLEN];

    printf("%s domain '%s': %zu extent%s, %s%s\n",
           ro->dry ? "would release" : "released", ro->name, r->nr_ext,
           r->nr_ext == 1 ? "" : "s",
           lxs_fmt_size(cli_extents_size(r->ext, r->nr_ext), size),
           r->direct_map ? ", direct-mapped" : "");
    cli_print_extents(stdout, r->ext, r->nr_ext);
}

/*
 * Opens the registry and finds @name's reservation in it (*r_r; NULL
 * when there is none).  It looks first with a reader, which changes
 * nothing (not even the lock file) when there is nothing to release;
 * then, unless @dry, again under the exclusive lock, since the
 * reservation may have gone in between.  0 or XLS_EXIT_CANNOT_RUN.
 */
static int find_reservation(struct lxs_registry *reg, const char *state_dir,
                            const char *name, bool dry,
                            const struct lxs_reservation **r_r)
{
    int ret;

    ret = cli_open_registry(state_dir, 0, reg);
    if (ret)
        return ret;
    *r_r = lxs_registry_find(reg, name);
    if (*r_r && !dry) {
        lxs_registry_close(reg);
        ret = cli_open_registry(state_dir, LXS_REGISTRY_WRITE, reg);
        if (ret)
            return ret;
        *r_r = lxs_registry_find(reg, name);
    }
    return 0;
}

/* Removes @name's reservation and commits.  0 or XLS_EXIT_CANNOT_RUN. */
static int remove_reservation(struct lxs_registry *reg,
                              const char *state_dir, const char *name)
{
    char *why = NULL;
    int rc;

    rc = lxs_registry_remove(reg, name);
    if (!rc)
        rc = lxs_registry_commit(reg, &why);
    if (rc) {
        cli_err("release: cannot update registry '%s/%s': %s",
                lxs_registry_dir(state_dir), LXS_REGISTRY_FILE,
                why ? why : strerror(-rc));
        free(why);
        return XLS_EXIT_CANNOT_RUN;
    }
    return 0;
}

int main_release(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"state-dir", 1, 0, 'S'},
        COMMON_LONG_OPTS
    };
    struct release_output ro = { .dry = dryrun_only };
    const struct lxs_reservation *r;
    struct lxs_reservation copy = { 0 };
    struct lxs_registry reg;
    struct cli_opts o = { 0 };
    int opt, ret;

    SWITCH_FOREACH_OPT(opt, "j", opts, "release", 1) {
    default:
        cli_opt(&o, opt);
        break;
    }

    lxs_registry_init(&reg);
    if (argc - optind > 1) {
        cli_err("release: unexpected argument '%s'", argv[optind + 1]);
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    ro.name = argv[optind];

    ret = find_reservation(&reg, o.state_dir, ro.name, ro.dry, &r);
    if (ret)
        goto out;
    if (!r) {
        cli_err("release: no reservation for domain '%s' in '%s'", ro.name,
                lxs_registry_dir(o.state_dir));
        if (o.json)
            cli_json_print(json_release, &ro);
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
    ro.r = &copy;

    if (!ro.dry) {
        ret = remove_reservation(&reg, o.state_dir, ro.name);
        if (ret)
            goto out;
        ro.released = true;
    }

    if (o.json)
        ret = cli_json_print(json_release, &ro);
    else
        print_text(&ro);
out:
    free(copy.ext);
    lxs_registry_close(&reg);
    return ret;
}
