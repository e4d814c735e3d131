/*
 * create [-n] [-j] [--host-dtb F] [--state-dir DIR] CFG: checks the cfg
 * against the host map and the registry, plans it, records the
 * reservation and builds the domain, all under the registry's exclusive
 * lock so that two creators never get the same memory.
 *
 *   lock -> check + plan -> reserve (commit) -> build -> unlock
 *
 * A failed build undoes the reservation (the registry is as before).
 * -n (or the global -N) stops after the plan: it takes only the shared
 * lock and changes nothing, not even the state directory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

/* What the create does to the domain's reservation. */
enum resv_change {
    RESV_NONE,          /* no static placement: nothing to reserve */
    RESV_NEW,
    RESV_SAME,          /* re-created: the extents it had */
    RESV_REPLACED,      /* other extents than it had */
};

static const char *const resv_change_name[] = {
    [RESV_NONE] = "none",
    [RESV_NEW] = "new",
    [RESV_SAME] = "same",
    [RESV_REPLACED] = "replaced",
};

static bool same_extents(const struct lxs_reservation *r,
                         const struct lxs_plan *p)
{
    return r->direct_map == p->direct_map && r->nr_ext == p->nr_ext &&
           !memcmp(r->ext, p->ext, p->nr_ext * sizeof(*p->ext));
}

/*
 * Builds the domain from its plan: claims the extents from the static
 * pool (the static-extent memory op) and has libxl build the domain
 * there.  This build has no hypervisor interface yet: -EOPNOTSUPP.
 */
static int build_domain(const struct lxs_spec *spec,
                        const struct lxs_plan *plan, int *domid_r,
                        const char **why_r)
{
    (void)spec;
    (void)plan;
    (void)domid_r;
    *why_r = "this xl-static has no hypervisor interface to claim the "
             "extents and build domains with";
    return -EOPNOTSUPP;
}

/* A copy of @r as a plan (extents only), for undoing a replacement. */
static int plan_of_reservation(const struct lxs_reservation *r,
                               struct lxs_plan *p)
{
    p->ext = malloc(r->nr_ext * sizeof(*r->ext));
    if (!p->ext)
        return -ENOMEM;
    memcpy(p->ext, r->ext, r->nr_ext * sizeof(*r->ext));
    p->nr_ext = r->nr_ext;
    p->direct_map = r->direct_map;
    return 0;
}

static void print_text(const struct lxs_spec *spec,
                       const struct lxs_plan *plan, enum resv_change change,
                       bool dry, int domid)
{
    char size[LXS_SIZE_STRLEN];
    static const char *const what[] = {
        [RESV_NONE] = "none (no static placement: Xen allocates the RAM)",
        [RESV_NEW] = "new",
        [RESV_SAME] = "the one it had",
        [RESV_REPLACED] = "replaces the one it had",
    };

    printf("%s (%s): ", spec->name, spec->file ? spec->file : "-");
    if (dry)
        printf("dry run, nothing changed\n");
    else
        printf("created, domid %d\n", domid);
    printf("  %-12s %s\n", "reservation", what[change]);
    if (!plan->nr_ext)
        return;
    printf("  %-12s %zu extent%s, %s, %s\n", "memory", plan->nr_ext,
           plan->nr_ext == 1 ? "" : "s",
           lxs_fmt_size(xls_extents_size(plan->ext, plan->nr_ext), size),
           plan->direct_map ? "direct-mapped" : "guest layout");
    xls_print_extents(stdout, plan->ext, plan->nr_ext);
    if (!plan->has_dma_offset)
        printf("  %-12s none\n", "dma-offset");
    else
        printf("  %-12s 0x%" PRIx64 "\n", "dma-offset", plan->dma_offset);
}

/* With errors: no plan, "extents" empty and the findings. */
static int print_json(const struct lxs_spec *spec,
                      const struct lxs_plan *plan, enum resv_change change,
                      bool dry, int domid, const struct lxs_diags *diags)
{
    bool ok = !diags->nr_errors;
    yajl_gen g = NULL;
    int rc;

    JSON(xls_json_new(&g));
    JSON(xls_json_map_open(g));
    JSON(xls_json_key(g, "name"));
    JSON(xls_json_str(g, spec ? spec->name : NULL));
    JSON(xls_json_key(g, "file"));
    JSON(xls_json_str(g, spec ? spec->file : NULL));
    JSON(xls_json_key(g, "domid"));
    if (ok && !dry)
        JSON(xls_json_uint(g, (uint64_t)domid));
    else
        JSON(xls_json_null(g));
    JSON(xls_json_key(g, "dry_run"));
    JSON(xls_json_bool(g, dry));
    JSON(xls_json_key(g, "reservation"));
    JSON(xls_json_str(g, ok ? resv_change_name[change] : NULL));
    JSON(xls_json_key(g, "direct_map"));
    JSON(xls_json_bool(g, ok && plan->direct_map));
    JSON(xls_json_extents(g, plan->ext, ok ? plan->nr_ext : 0));
    JSON(xls_json_key(g, "dma_offset"));
    if (ok && plan->has_dma_offset)
        JSON(xls_json_hex(g, plan->dma_offset));
    else
        JSON(xls_json_null(g));
    JSON(xls_json_diags(g, diags));
    JSON(xls_json_map_close(g));
    rc = xls_json_finish(g, stdout);
    g = NULL;
out:
    if (g)
        yajl_gen_free(g);
    return rc;
}

/*
 * Puts the registry back as it was before the reservation of @name:
 * its old reservation (@old, when it had one) or none.
 */
static int undo_reservation(struct lxs_registry *reg, const char *name,
                            const struct lxs_plan *old, char **why_r)
{
    int rc;

    if (old)
        rc = lxs_registry_set(reg, name, old);
    else
        rc = lxs_registry_remove(reg, name);
    if (!rc)
        rc = lxs_registry_commit(reg, why_r);
    return rc;
}

int main_create(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dryrun", 0, 0, 'n'},
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"state-dir", 1, 0, 'S'},
        COMMON_LONG_OPTS
    };
    struct lxs_check_opts copts = { .mode = LXS_MODE_RUNTIME };
    const struct lxs_reservation *had;
    enum resv_change change = RESV_NONE;
    struct lxs_hostmap map;
    struct lxs_registry reg;
    struct lxs_diags diags;
    struct lxs_plan plan, old;
    struct lxs_spec *spec = NULL;
    const char *host_dtb = NULL, *state_dir = NULL, *build_why = NULL;
    char *why = NULL;
    bool json = false, dry = dryrun_only, reserved = false, had_old = false;
    int opt, rc, ret, domid = -1;

    SWITCH_FOREACH_OPT(opt, "nj", opts, "create", 1) {
    case 'n':
        dry = true;
        break;
    case 'j':
        json = true;
        break;
    case 'H':
        host_dtb = optarg;
        break;
    case 'S':
        state_dir = optarg;
        break;
    }

    lxs_hostmap_init(&map);
    lxs_registry_init(&reg);
    lxs_diags_init(&diags);
    lxs_plan_init(&plan);
    lxs_plan_init(&old);

    if (argc - optind > 1) {
        xls_err("create: one cfg file, not %d", argc - optind);
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }

    ret = xls_load_hostmap(host_dtb, &map);
    if (ret)
        goto out;
    ret = xls_load_specs(argv + optind, 1, &spec, &diags);
    if (ret)
        goto out;
    /* from here to the end the registry is locked */
    ret = xls_open_registry(state_dir, dry ? 0 : LXS_REGISTRY_WRITE, &reg);
    if (ret)
        goto out;
    ret = xls_registry_to_hostmap(&reg, &map);
    if (ret)
        goto out;

    rc = lxs_check(&map, spec, 1, &copts, &diags, &plan);
    if (rc && (rc != -EINVAL || !diags.nr_errors)) {
        xls_err("create: check failed: %s", strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    if (diags.nr_errors) {
        if (json) {
            if (print_json(spec, &plan, change, dry, domid, &diags))
                xls_err("cannot write JSON");
        } else {
            xls_print_diags_text(stderr, &diags);
            xls_print_diags_count(stderr, &diags, 1);
        }
        ret = XLS_EXIT_FINDINGS;
        goto out;
    }

    had = lxs_registry_find(&reg, spec->name);
    if (plan.nr_ext)
        change = !had ? RESV_NEW : same_extents(had, &plan) ? RESV_SAME :
                 RESV_REPLACED;
    if (had && plan.nr_ext) {
        rc = plan_of_reservation(had, &old);
        if (rc) {
            xls_err("create: %s", strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
        had_old = true;
    }

    if (!dry) {
        if (plan.nr_ext) {
            rc = lxs_registry_set(&reg, spec->name, &plan);
            if (!rc)
                rc = lxs_registry_commit(&reg, &why);
            if (rc) {
                xls_err("create: cannot reserve the memory of '%s' in "
                        "'%s/%s': %s", spec->name, xls_state_dir(state_dir),
                        LXS_REGISTRY_FILE, why ? why :
                        rc == -EINVAL ? "the name cannot be recorded" :
                        strerror(-rc));
                ret = XLS_EXIT_CANNOT_RUN;
                goto out;
            }
            reserved = true;
        }

        rc = build_domain(spec, &plan, &domid, &build_why);
        if (rc) {
            if (reserved) {
                rc = undo_reservation(&reg, spec->name,
                                      had_old ? &old : NULL, &why);
                if (rc) {
                    xls_err("create: cannot build domain '%s': %s; and its "
                            "reservation could not be undone: %s (see "
                            "'" XLS_PROG " release')", spec->name,
                            build_why, why ? why : strerror(-rc));
                    ret = XLS_EXIT_CANNOT_RUN;
                    goto out;
                }
            }
            xls_err("create: cannot build domain '%s': %s (nothing "
                    "changed)", spec->name, build_why);
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    }

    if (json) {
        rc = print_json(spec, &plan, change, dry, domid, &diags);
        if (rc) {
            xls_err("cannot write JSON: %s", strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    } else {
        xls_print_diags_text(stderr, &diags);
        print_text(spec, &plan, change, dry, domid);
    }
    ret = XLS_EXIT_OK;

out:
    free(why);
    lxs_plan_dispose(&old);
    lxs_plan_dispose(&plan);
    xls_specs_free(spec, 1);
    lxs_diags_dispose(&diags);
    lxs_registry_close(&reg);       /* drops the lock */
    lxs_hostmap_dispose(&map);
    return ret;
}
