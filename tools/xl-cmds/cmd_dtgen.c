/*
 * dtgen guest [--host-dtb F] -o OUT.dtb CFG
 *     the guest device tree the domain of CFG boots with (xl create);
 * dtgen host --host-dtb IN.dtb -o OUT.dtb [--pool ADDR:SIZE]...
 *            [--kernel [NAME=]FILE[@ADDR]]... [--ramdisk ...]...
 *            [--passthrough-dtb [NAME=]OUT[@ADDR]]... CFG...
 *     the host DTB with a dom0less domain node per CFG, their boot
 *     modules and the static pool; a domain whose cfg has a device_tree
 *     gets its passthrough device tree module, written to OUT.
 *
 * Both check first: with an error finding they print the findings,
 * write nothing and exit 1.  The output appears whole or not at all
 * (a temporary file in the same directory, renamed).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dtgen.h"
#include "xl_static.h"

/* ------------------------------------------------------------------ */
/* Files                                                               */

/* A device tree file a cfg or an option names (one limit for every DTB). */
static int read_dtb(const char *path, void **data_r, size_t *len_r)
{
    char *buf = NULL;
    int rc = lxs_file_read(path, LXS_DTB_MAX_SIZE, &buf, len_r);

    if (!rc)
        *data_r = buf;
    return rc;
}

/*
 * The outputs of one run: each is written aside (lxs_outfile_write) as
 * it is made, and all are committed only when everything else, standard
 * output included, has succeeded; on any failure none is left.
 */
struct outputs {
    struct lxs_outfile *v;
    const char **path;      /* the caller's, for messages */
    int nr;
};

/* Room for @max outputs; -ENOMEM. */
static int outputs_init(struct outputs *o, int max)
{
    o->nr = 0;
    o->v = calloc((size_t)max, sizeof(*o->v));
    o->path = calloc((size_t)max, sizeof(*o->path));
    return o->v && o->path ? 0 : -ENOMEM;
}

static int outputs_add(struct outputs *o, const char *path,
                       const void *data, size_t len)
{
    struct lxs_outfile *f = &o->v[o->nr];
    int rc;

    lxs_outfile_init(f);
    rc = lxs_outfile_write(f, path, data, len);
    if (rc) {
        cli_err("cannot write '%s': %s", path, lxs_file_strerror(rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    o->path[o->nr++] = path;
    return 0;
}

/* Removes what was not committed; idempotent. */
static void outputs_dispose(struct outputs *o)
{
    while (o->nr > 0)
        lxs_outfile_discard(&o->v[--o->nr]);
    free(o->v);
    free(o->path);
    o->v = NULL;
    o->path = NULL;
}

/* Standard output first, then each file; an exit status. */
static int outputs_commit(struct outputs *o)
{
    int i, rc, ret = cli_flush_stdout();

    if (ret)
        return ret;             /* outputs_dispose removes them */
    /* a committed one is discarded already: dispose leaves it */
    for (i = 0; i < o->nr && !ret; i++) {
        rc = lxs_outfile_commit(&o->v[i]);
        if (rc) {
            cli_err("cannot write '%s': %s", o->path[i],
                    lxs_file_strerror(rc));
            ret = XLS_EXIT_CANNOT_RUN;
        } else {
            cli_verbose("wrote '%s'", o->path[i]);
        }
    }
    return ret;
}

/* Findings to stderr, with the count when there are errors. */
static void print_findings(const struct lxs_diags *diags, int nr_files)
{
    cli_print_diags_text(stderr, diags);
    if (diags->nr_errors)
        cli_print_diags_count(stderr, diags, nr_files);
}

/* lxs_check's result as an exit status (0: go on). */
static int check_result(int rc, const struct lxs_diags *diags)
{
    if (rc && (rc != -EINVAL || !diags->nr_errors)) {
        cli_err("dtgen failed: %s", strerror(-rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* dtgen guest                                                         */

static int parse_version(const char *s, unsigned int *major_r,
                         unsigned int *minor_r)
{
    unsigned int major, minor;
    char end;

    if (sscanf(s, "%u.%u%c", &major, &minor, &end) != 2)
        return -EINVAL;
    *major_r = major;
    *minor_r = minor;
    return 0;
}

static int dtgen_guest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"host-dtb", 1, 0, 'H'},
        {"output", 1, 0, 'o'},
        {"gic-version", 1, 0, 'G'},
        {"ipa-bits", 1, 0, 'I'},
        {"xen-version", 1, 0, 'X'},
        COMMON_LONG_OPTS
    };
    struct lxs_check_opts copts = { .mode = LXS_MODE_RUNTIME };
    struct dtg_guest_opts gopts;
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct lxs_spec *specs = NULL;
    struct lxs_plan plan;
    struct outputs outs = { 0 };
    const char *host_dtb = NULL, *out = NULL;
    void *pfdt = NULL, *fdt = NULL;
    size_t plen = 0, len = 0;
    char *why = NULL;
    uint64_t v;
    int opt, rc, ret;

    dtg_guest_opts_init(&gopts);
    SWITCH_FOREACH_OPT(opt, "o:", opts, "dtgen", 1) {
    case 'H':
        host_dtb = optarg;
        break;
    case 'o':
        out = optarg;
        break;
    case 'G':
        if (strcmp(optarg, "2") && strcmp(optarg, "3")) {
            cli_err("dtgen guest: --gic-version '%s' is not 2 or 3", optarg);
            return XLS_EXIT_CANNOT_RUN;
        }
        gopts.default_gic_version = atoi(optarg);
        break;
    case 'I':
        if (lxs_parse_u64(optarg, &v) || v < 32 || v > 64) {
            cli_err("dtgen guest: --ipa-bits '%s' is not in 32..64",
                    optarg);
            return XLS_EXIT_CANNOT_RUN;
        }
        gopts.ipa_bits = (unsigned int)v;
        copts.ipa_bits = gopts.ipa_bits;
        break;
    case 'X':
        if (parse_version(optarg, &gopts.xen_major, &gopts.xen_minor)) {
            cli_err("dtgen guest: --xen-version '%s' is not MAJOR.MINOR",
                    optarg);
            return XLS_EXIT_CANNOT_RUN;
        }
        break;
    }
    if (!out || argc - optind != 1) {
        cli_err("dtgen guest: needs -o OUT.dtb and one cfg file");
        help("dtgen");
        return XLS_EXIT_CANNOT_RUN;
    }

    lxs_hostmap_init(&map);
    lxs_diags_init(&diags);
    lxs_plan_init(&plan);

    ret = cli_load_hostmap(host_dtb, &map);
    if (ret)
        goto out;
    ret = cli_load_specs(argv + optind, 1, &specs, &diags);
    if (ret)
        goto out;

    rc = lxs_check(&map, specs, 1, &copts, &diags, &plan);
    ret = check_result(rc, &diags);
    if (ret)
        goto out;
    print_findings(&diags, 1);
    if (diags.nr_errors) {
        ret = XLS_EXIT_FINDINGS;
        goto out;
    }

    /* the partial device tree, as xl reads it: the path as written */
    if (specs[0].device_tree) {
        rc = read_dtb(specs[0].device_tree, &pfdt, &plen);
        if (rc) {
            cli_err("cannot read device_tree '%s': %s", specs[0].device_tree,
                    lxs_file_strerror(rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
        gopts.partial_fdt = pfdt;
        gopts.partial_len = plen;
    }

    rc = dtg_guest_fdt(&specs[0], &plan, &gopts, &fdt, &len, &why);
    if (rc) {
        cli_err("cannot build the guest device tree of '%s': %s",
                argv[optind], why ? why : strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    ret = outputs_init(&outs, 1) ? XLS_EXIT_CANNOT_RUN : 0;
    if (ret)
        cli_err("dtgen failed: %s", strerror(ENOMEM));
    if (!ret)
        ret = outputs_add(&outs, out, fdt, len);
    if (!ret)
        ret = outputs_commit(&outs);

out:
    outputs_dispose(&outs);
    free(why);
    free(fdt);
    free(pfdt);
    lxs_plan_dispose(&plan);
    cli_specs_free(specs, 1);
    lxs_diags_dispose(&diags);
    lxs_hostmap_dispose(&map);
    return ret;
}

/* ------------------------------------------------------------------ */
/* dtgen host                                                          */

/* One --kernel or --ramdisk: [NAME=]FILE[@ADDR] */
struct modarg {
    const char *name;       /* NULL: the only domain */
    char *file;
    uint64_t addr;
    bool has_addr;
};

struct modargs {
    struct modarg *v;
    size_t nr;
};

static int parse_modarg(const char *opt, const char *s, struct modargs *list)
{
    struct modarg m = { 0 };
    const char *eq = strchr(s, '='), *slash = strchr(s, '/'), *at;
    char *text = NULL;
    void *nv;

    /* NAME= only when the '=' comes before any '/' */
    if (eq && (!slash || eq < slash)) {
        m.name = s;
        text = strdup(eq + 1);
    } else {
        text = strdup(s);
    }
    if (!text)
        return -ENOMEM;
    at = strrchr(text, '@');
    if (at && !lxs_parse_u64(at + 1, &m.addr)) {
        m.has_addr = true;
        text[at - text] = '\0';
    }
    if (!*text || (m.name && eq == s)) {
        cli_err("dtgen host: %s '%s' is not [NAME=]FILE[@ADDR]", opt, s);
        free(text);
        return -EINVAL;
    }
    m.file = text;
    nv = realloc(list->v, (list->nr + 1) * sizeof(*list->v));
    if (!nv) {
        free(text);
        return -ENOMEM;
    }
    list->v = nv;
    list->v[list->nr++] = m;
    return 0;
}

static void modargs_dispose(struct modargs *list)
{
    size_t i;

    for (i = 0; i < list->nr; i++)
        free(list->v[i].file);
    free(list->v);
    list->v = NULL;
    list->nr = 0;
}

static bool modarg_is_for(const struct modarg *m, const char *name)
{
    size_t n;

    if (!m->name)
        return true;
    n = (size_t)(strchr(m->name, '=') - m->name);
    return name && strlen(name) == n && !strncmp(m->name, name, n);
}

/* A NAME= that no cfg names is a typo, not something to ignore. */
static int unknown_names(const struct modargs *args, const char *opt,
                         const struct lxs_spec *specs, int nr)
{
    size_t i;
    int k;

    for (i = 0; i < args->nr; i++) {
        for (k = 0; k < nr; k++)
            if (modarg_is_for(&args->v[i], specs[k].name))
                break;
        if (k == nr) {
            cli_err("dtgen host: %s '%.*s=': no cfg names that domain", opt,
                    (int)(strchr(args->v[i].name, '=') - args->v[i].name),
                    args->v[i].name);
            return -EINVAL;
        }
    }
    return 0;
}

static int parse_range(const char *opt, const char *s,
                       struct lxs_window **v, size_t *nr)
{
    const char *colon = strchr(s, ':');
    struct lxs_window w;
    uint64_t end;
    char *addr;
    void *nv;
    int rc;

    if (!colon)
        goto bad;
    addr = strndup(s, (size_t)(colon - s));
    if (!addr)
        return -ENOMEM;
    rc = lxs_parse_u64(addr, &w.base);
    free(addr);
    if (rc || lxs_parse_size(colon + 1, &w.size) || !w.size)
        goto bad;
    if (lxs_add_overflow(w.base, w.size, &end) || end > LXS_PADDR_LIMIT) {
        cli_err("dtgen host: %s '%s' ends past the %d-bit physical "
                "address space", opt, s, LXS_PADDR_BITS);
        return -EINVAL;
    }
    nv = realloc(*v, (*nr + 1) * sizeof(**v));
    if (!nv)
        return -ENOMEM;
    *v = nv;
    (*v)[(*nr)++] = w;
    return 0;

bad:
    cli_err("dtgen host: %s '%s' is not ADDR:SIZE", opt, s);
    return -EINVAL;
}

/*
 * The module of @kind for a domain: the last --kernel/--ramdisk meant
 * for it, else the cfg's path.  The file gives the size.
 */
static int resolve_module(const char *kind, const struct modargs *args,
                          const struct lxs_spec *spec, const char *cfg_path,
                          struct dtg_module *mod_r, const char **file_r)
{
    const struct modarg *m = NULL;
    struct stat st;
    const char *file;
    size_t i;

    for (i = 0; i < args->nr; i++)
        if (modarg_is_for(&args->v[i], spec->name))
            m = &args->v[i];
    file = m ? m->file : cfg_path;
    memset(mod_r, 0, sizeof(*mod_r));
    *file_r = file;
    if (!file)
        return 0;
    if (stat(file, &st) || !S_ISREG(st.st_mode)) {
        const char *why = S_ISREG(st.st_mode) || errno != 0 ? strerror(errno)
                                                            : "not a file";

        cli_err("cannot read %s '%s' of domain '%s' for its size: %s "
                "(give --%s %s=FILE[@ADDR])", kind, file,
                spec->name ? spec->name : "", why, kind,
                spec->name ? spec->name : "NAME");
        return -ENOENT;
    }
    if (!st.st_size) {
        cli_err("%s '%s' of domain '%s' is empty", kind, file,
                spec->name ? spec->name : "");
        return -EINVAL;
    }
    mod_r->size = (uint64_t)st.st_size;
    if (m && m->has_addr) {
        mod_r->addr = m->addr;
        mod_r->placed = true;
    }
    return 0;
}

/*
 * The last --kernel meant for each domain as its spec's kernel, so that
 * lxs_check sees the kernel dtgen host will load.  0 or -ENOMEM.
 */
static int kernels_to_specs(const struct modargs *kernels,
                            struct lxs_spec *specs, int nr)
{
    size_t i;
    int k;

    for (k = 0; k < nr; k++) {
        const struct modarg *m = NULL;
        char *file;

        for (i = 0; i < kernels->nr; i++)
            if (modarg_is_for(&kernels->v[i], specs[k].name))
                m = &kernels->v[i];
        if (!m)
            continue;
        file = strdup(m->file);
        if (!file)
            return -ENOMEM;
        free(specs[k].kernel);
        specs[k].kernel = file;
    }
    return 0;
}

/* A domain's modules: kernel, ramdisk, passthrough device tree. */
#define NR_MODS 3

static void print_load_map(const struct dtg_domain *doms,
                           const char *const *files, int nr)
{
    static const char *const kind[NR_MODS] = {
        "kernel", "ramdisk", "device-tree",
    };
    int i, k;

    for (i = 0; i < nr; i++) {
        for (k = 0; k < NR_MODS; k++) {
            const struct dtg_module *m = k == 0 ? &doms[i].kernel :
                                         k == 1 ? &doms[i].ramdisk :
                                                  &doms[i].dtb;

            if (!m->size)
                continue;
            printf("%s %s 0x%" PRIx64 " 0x%" PRIx64 " %s\n",
                   doms[i].spec->name, kind[k], m->addr, m->size,
                   files[NR_MODS * i + k]);
        }
    }
}

/*
 * The passthrough device tree module of a domain whose cfg has a
 * device_tree (read from that path), for the last --passthrough-dtb
 * meant for it: made into *pt_r, its size and given address in
 * @d->dtb, its output file in *file_r.  Findings go to @diags.  0, or
 * an exit status (message printed).
 */
static int passthrough_module(const struct modargs *args, const void *in,
                              size_t in_len, struct dtg_domain *d,
                              void **pt_r, const char **file_r,
                              struct lxs_diags *diags)
{
    const struct lxs_spec *spec = d->spec;
    const char *name = spec->name ? spec->name : "";
    const struct modarg *m = NULL;
    void *pfdt = NULL;
    size_t plen = 0, len = 0, i;
    char *why = NULL;
    int rc, ret;

    for (i = 0; i < args->nr; i++)
        if (modarg_is_for(&args->v[i], spec->name))
            m = &args->v[i];
    if (!m) {
        cli_err("domain '%s' has a device_tree: say where its passthrough "
                "module goes with --passthrough-dtb %s=OUT.dtb[@ADDR]",
                name, spec->name ? spec->name : "NAME");
        return XLS_EXIT_CANNOT_RUN;
    }
    rc = read_dtb(spec->device_tree, &pfdt, &plen);
    if (rc) {
        cli_err("cannot read device_tree '%s' of domain '%s': %s",
                spec->device_tree, name, lxs_file_strerror(rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    rc = dtg_passthrough_module(in, in_len, spec, d->plan, pfdt, plen,
                                diags, pt_r, &len, &why);
    free(pfdt);
    if (rc == -EINVAL) {
        ret = 0;                /* findings, printed with the others */
    } else if (rc) {
        cli_err("cannot make the passthrough module of domain '%s' from "
                "'%s': %s", name, spec->device_tree,
                why ? why : strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
    } else {
        d->dtb.size = len;
        d->dtb.addr = m->addr;
        d->dtb.placed = m->has_addr;
        d->pt_fdt = *pt_r;
        *file_r = m->file;
        ret = 0;
    }
    free(why);
    return ret;
}

/* Writes each domain's passthrough module aside; an exit status. */
static int write_modules(struct outputs *outs, const struct dtg_domain *doms,
                         const char *const *files, int nr)
{
    int i, ret;

    for (i = 0; i < nr; i++) {
        if (!doms[i].pt_fdt)
            continue;
        ret = outputs_add(outs, files[NR_MODS * i + 2], doms[i].pt_fdt,
                          doms[i].dtb.size);
        if (ret)
            return ret;
    }
    return 0;
}

static int dtgen_host(int argc, char **argv)
{
    static const struct option opts[] = {
        {"host-dtb", 1, 0, 'H'},
        {"output", 1, 0, 'o'},
        {"pool", 1, 0, 'P'},
        {"kernel", 1, 0, 'K'},
        {"ramdisk", 1, 0, 'R'},
        {"passthrough-dtb", 1, 0, 'T'},
        {"module-area", 1, 0, 'A'},
        COMMON_LONG_OPTS
    };
    struct lxs_check_opts copts = { .mode = LXS_MODE_BOOT };
    struct dtg_host_opts hopts;
    struct modargs kernels = { 0 }, ramdisks = { 0 }, ptdtbs = { 0 };
    struct lxs_window *pools = NULL, *area = NULL;
    size_t nr_pools = 0, nr_area = 0, in_len = 0, len = 0;
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct lxs_spec *specs = NULL;
    struct lxs_plan *plans = NULL;
    struct dtg_domain *doms = NULL;
    struct outputs outs = { 0 };
    const char **files = NULL;
    void **pts = NULL;
    const char *host_dtb = NULL, *out = NULL;
    void *in = NULL, *fdt = NULL;
    char *why = NULL;
    int opt, nr = 0, i, rc, ret;

    lxs_hostmap_init(&map);
    lxs_diags_init(&diags);
    dtg_host_opts_init(&hopts);

    SWITCH_FOREACH_OPT(opt, "o:", opts, "dtgen", 1) {
    case 'H':
        host_dtb = optarg;
        break;
    case 'o':
        out = optarg;
        break;
    case 'P':
        rc = parse_range("--pool", optarg, &pools, &nr_pools);
        if (rc)
            goto usage_rc;
        break;
    case 'A':
        rc = parse_range("--module-area", optarg, &area, &nr_area);
        if (rc)
            goto usage_rc;
        if (nr_area > 1) {
            cli_err("dtgen host: --module-area given twice");
            rc = -EINVAL;
            goto usage_rc;
        }
        break;
    case 'K':
        rc = parse_modarg("--kernel", optarg, &kernels);
        if (rc)
            goto usage_rc;
        break;
    case 'R':
        rc = parse_modarg("--ramdisk", optarg, &ramdisks);
        if (rc)
            goto usage_rc;
        break;
    case 'T':
        rc = parse_modarg("--passthrough-dtb", optarg, &ptdtbs);
        if (rc)
            goto usage_rc;
        break;
    }
    nr = argc - optind;
    if (!out || !host_dtb || nr < 1) {
        cli_err("dtgen host: needs --host-dtb IN.dtb, -o OUT.dtb and at "
                "least one cfg file");
        help("dtgen");
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    for (i = 0; i < (int)kernels.nr; i++)
        if (!kernels.v[i].name && nr > 1)
            goto need_name;
    for (i = 0; i < (int)ramdisks.nr; i++)
        if (!ramdisks.v[i].name && nr > 1)
            goto need_name;
    for (i = 0; i < (int)ptdtbs.nr; i++)
        if (!ptdtbs.v[i].name && nr > 1)
            goto need_name;

    /* the host DTB: the blob to edit and its memory map */
    rc = read_dtb(host_dtb, &in, &in_len);
    if (!rc)
        rc = lxs_hostmap_from_fdt(&map, in, in_len, &why);
    if (rc) {
        cli_err("cannot read host dtb '%s': %s", host_dtb,
                rc == -EBADMSG && why ? why : lxs_file_strerror(rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    ret = cli_load_specs(argv + optind, nr, &specs, &diags);
    if (ret)
        goto out;
    if (unknown_names(&kernels, "--kernel", specs, nr) ||
        unknown_names(&ramdisks, "--ramdisk", specs, nr) ||
        unknown_names(&ptdtbs, "--passthrough-dtb", specs, nr)) {
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }

    /* the domains stay out of the pool the output declares */
    if (nr_pools) {
        rc = dtg_hostmap_set_pools(&map, pools, nr_pools);
        if (rc) {
            cli_err("dtgen host: %s", strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    }

    plans = calloc((size_t)nr, sizeof(*plans));
    doms = calloc((size_t)nr, sizeof(*doms));
    files = calloc(NR_MODS * (size_t)nr, sizeof(*files));
    pts = calloc((size_t)nr, sizeof(*pts));
    if (!plans || !doms || !files || !pts) {
        cli_err("dtgen failed: %s", strerror(ENOMEM));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    for (i = 0; i < nr; i++)
        lxs_plan_init(&plans[i]);

    /* --kernel gives a domain its kernel as the cfg's key would */
    if (kernels_to_specs(&kernels, specs, nr))
        goto nomem;
    rc = lxs_check(&map, specs, (size_t)nr, &copts, &diags, plans);
    ret = check_result(rc, &diags);
    if (ret)
        goto out;

    /*
     * What the edit needs beyond lxs_check (the modules, --pool),
     * checked even after its errors so that one run reports every
     * finding.
     */
    for (i = 0; i < nr; i++) {
        doms[i].spec = &specs[i];
        doms[i].plan = &plans[i];
        if (resolve_module("kernel", &kernels, &specs[i], specs[i].kernel,
                           &doms[i].kernel, &files[NR_MODS * i]) ||
            resolve_module("ramdisk", &ramdisks, &specs[i],
                           specs[i].ramdisk, &doms[i].ramdisk,
                           &files[NR_MODS * i + 1])) {
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
        if (specs[i].device_tree) {
            ret = passthrough_module(&ptdtbs, in, in_len, &doms[i], &pts[i],
                                     &files[NR_MODS * i + 2], &diags);
            if (ret)
                goto out;
        }
    }
    if (nr_area)
        hopts.module_area = area[0];
    hopts.pools = pools;
    hopts.nr_pools = nr_pools;
    rc = dtg_host_check(in, in_len, doms, (size_t)nr, &hopts, &diags);
    if (rc == -EBADMSG) {
        cli_err("cannot edit host dtb '%s': malformed tree (check the "
                "#address-cells and #size-cells of / and /chosen)", host_dtb);
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    if (rc && rc != -EINVAL) {
        cli_err("dtgen failed: %s", strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    print_findings(&diags, nr);
    if (diags.nr_errors) {
        ret = XLS_EXIT_FINDINGS;
        goto out;
    }

    rc = dtg_host_fdt(in, in_len, doms, (size_t)nr, &hopts, &fdt, &len,
                      &why);
    if (rc) {
        cli_err("cannot build the host device tree: %s",
                why ? why : strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    if (outputs_init(&outs, nr + 1))
        goto nomem;
    ret = write_modules(&outs, doms, files, nr);
    if (!ret)
        ret = outputs_add(&outs, out, fdt, len);
    if (!ret) {
        print_load_map(doms, files, nr);
        ret = outputs_commit(&outs);
    }
    goto out;

nomem:
    cli_err("dtgen failed: %s", strerror(ENOMEM));
    ret = XLS_EXIT_CANNOT_RUN;
    goto out;
need_name:
    cli_err("dtgen host: with several cfg files, say whose module it is: "
            "--kernel NAME=FILE[@ADDR]");
    ret = XLS_EXIT_CANNOT_RUN;
    goto out;
usage_rc:
    if (rc == -ENOMEM)
        cli_err("dtgen failed: %s", strerror(ENOMEM));
    ret = XLS_EXIT_CANNOT_RUN;

out:
    outputs_dispose(&outs);
    if (plans) {
        for (i = 0; i < nr; i++)
            lxs_plan_dispose(&plans[i]);
        free(plans);
    }
    for (i = 0; pts && i < nr; i++)
        free(pts[i]);
    free(pts);
    free(doms);
    free(files);
    free(why);
    free(fdt);
    free(in);
    free(pools);
    free(area);
    modargs_dispose(&kernels);
    modargs_dispose(&ramdisks);
    modargs_dispose(&ptdtbs);
    cli_specs_free(specs, nr);
    lxs_diags_dispose(&diags);
    lxs_hostmap_dispose(&map);
    return ret;
}

int main_dtgen(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "guest"))
        return dtgen_guest(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "host"))
        return dtgen_host(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        help("dtgen");
        return XLS_EXIT_OK;
    }
    cli_err("dtgen: say 'guest' or 'host'");
    help("dtgen");
    return XLS_EXIT_CANNOT_RUN;
}
