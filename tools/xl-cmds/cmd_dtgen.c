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

/* dtgen guest's options and operands. */
struct guest_args {
    struct dtg_guest_opts gopts;
    struct lxs_check_opts copts;
    const char *host_dtb, *out;
    char *cfg;
};

/* 0, or the exit status (message printed). */
static int dtgen_guest_args(int argc, char **argv, struct guest_args *a)
{
    static const struct option opts[] = {
        {"host-dtb", 1, 0, 'H'},
        {"output", 1, 0, 'o'},
        {"gic-version", 1, 0, 'G'},
        {"ipa-bits", 1, 0, 'I'},
        {"xen-version", 1, 0, 'X'},
        COMMON_LONG_OPTS
    };
    uint64_t v;
    int opt;

    memset(a, 0, sizeof(*a));
    dtg_guest_opts_init(&a->gopts);
    a->copts.mode = LXS_MODE_RUNTIME;
    SWITCH_FOREACH_OPT(opt, "o:", opts, "dtgen", 1) {
    case 'H':
        a->host_dtb = optarg;
        break;
    case 'o':
        a->out = optarg;
        break;
    case 'G':
        if (strcmp(optarg, "2") && strcmp(optarg, "3")) {
            cli_err("dtgen guest: --gic-version '%s' is not 2 or 3", optarg);
            return XLS_EXIT_CANNOT_RUN;
        }
        a->gopts.default_gic_version = atoi(optarg);
        break;
    case 'I':
        if (lxs_parse_u64(optarg, &v) || v < 32 || v > 64) {
            cli_err("dtgen guest: --ipa-bits '%s' is not in 32..64",
                    optarg);
            return XLS_EXIT_CANNOT_RUN;
        }
        /* the check lays the guest out in the same width */
        a->gopts.ipa_bits = (unsigned int)v;
        a->copts.ipa_bits = a->gopts.ipa_bits;
        break;
    case 'X':
        if (parse_version(optarg, &a->gopts.xen_major,
                          &a->gopts.xen_minor)) {
            cli_err("dtgen guest: --xen-version '%s' is not MAJOR.MINOR",
                    optarg);
            return XLS_EXIT_CANNOT_RUN;
        }
        break;
    }
    if (!a->out || argc - optind != 1) {
        cli_err("dtgen guest: needs -o OUT.dtb and one cfg file");
        help("dtgen");
        return XLS_EXIT_CANNOT_RUN;
    }
    a->cfg = argv[optind];
    return 0;
}

/* The cfg's partial device tree, as xl reads it: the path as written. */
static int read_partial(const struct lxs_spec *spec, void **pfdt_r,
                        size_t *plen_r)
{
    int rc;

    if (!spec->device_tree)
        return 0;
    rc = read_dtb(spec->device_tree, pfdt_r, plen_r);
    if (rc) {
        cli_err("cannot read device_tree '%s': %s", spec->device_tree,
                lxs_file_strerror(rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    return 0;
}

static int dtgen_guest(int argc, char **argv)
{
    struct guest_args a;
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct lxs_spec *specs = NULL;
    struct lxs_plan plan;
    struct outputs outs = { 0 };
    void *pfdt = NULL, *fdt = NULL;
    size_t plen = 0, len = 0;
    char *why = NULL;
    int rc, ret;

    ret = dtgen_guest_args(argc, argv, &a);
    if (ret)
        return ret;

    lxs_hostmap_init(&map);
    lxs_diags_init(&diags);
    lxs_plan_init(&plan);

    ret = cli_load_hostmap(a.host_dtb, &map);
    if (ret)
        goto out;
    ret = cli_load_specs(&a.cfg, 1, &specs, &diags);
    if (ret)
        goto out;

    rc = lxs_check(&map, specs, 1, &a.copts, &diags, &plan);
    ret = check_result(rc, &diags);
    if (ret)
        goto out;
    print_findings(&diags, 1);
    if (diags.nr_errors) {
        ret = XLS_EXIT_FINDINGS;
        goto out;
    }

    ret = read_partial(&specs[0], &pfdt, &plen);
    if (ret)
        goto out;
    a.gopts.partial_fdt = pfdt;
    a.gopts.partial_len = plen;

    rc = dtg_guest_fdt(&specs[0], &plan, &a.gopts, &fdt, &len, &why);
    if (rc) {
        cli_err("cannot build the guest device tree of '%s': %s", a.cfg,
                why ? why : strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    ret = outputs_init(&outs, 1) ? XLS_EXIT_CANNOT_RUN : 0;
    if (ret)
        cli_err("dtgen failed: %s", strerror(ENOMEM));
    if (!ret)
        ret = outputs_add(&outs, a.out, fdt, len);
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

/* dtgen host's options and operands. */
struct host_args {
    struct modargs kernels, ramdisks, ptdtbs;
    struct lxs_window *pools, *area;
    size_t nr_pools, nr_area;
    const char *host_dtb, *out;
    char **cfgs;
    int nr;
};

static void host_args_dispose(struct host_args *a)
{
    free(a->pools);
    free(a->area);
    modargs_dispose(&a->kernels);
    modargs_dispose(&a->ramdisks);
    modargs_dispose(&a->ptdtbs);
}

/* Records one option; 0 or -errno (message printed but for -ENOMEM). */
static int host_opt(struct host_args *a, int opt)
{
    int rc;

    switch (opt) {
    case 'H':
        a->host_dtb = optarg;
        return 0;
    case 'o':
        a->out = optarg;
        return 0;
    case 'P':
        return parse_range("--pool", optarg, &a->pools, &a->nr_pools);
    case 'A':
        rc = parse_range("--module-area", optarg, &a->area, &a->nr_area);
        if (!rc && a->nr_area > 1) {
            cli_err("dtgen host: --module-area given twice");
            rc = -EINVAL;
        }
        return rc;
    case 'K':
        return parse_modarg("--kernel", optarg, &a->kernels);
    case 'R':
        return parse_modarg("--ramdisk", optarg, &a->ramdisks);
    case 'T':
        return parse_modarg("--passthrough-dtb", optarg, &a->ptdtbs);
    }
    return 0;
}

/* A module without NAME= with several cfgs: whose is it? */
static bool modargs_need_name(const struct modargs *m, int nr)
{
    size_t i;

    for (i = 0; i < m->nr; i++)
        if (!m->v[i].name && nr > 1)
            return true;
    return false;
}

/* 0, or the exit status (message printed). */
static int dtgen_host_args(int argc, char **argv, struct host_args *a)
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
    int opt, rc;

    SWITCH_FOREACH_OPT(opt, "o:", opts, "dtgen", 1) {
    default:
        rc = host_opt(a, opt);
        if (rc) {
            if (rc == -ENOMEM)
                cli_err("dtgen failed: %s", strerror(ENOMEM));
            return XLS_EXIT_CANNOT_RUN;
        }
        break;
    }
    a->nr = argc - optind;
    a->cfgs = argv + optind;
    if (!a->out || !a->host_dtb || a->nr < 1) {
        cli_err("dtgen host: needs --host-dtb IN.dtb, -o OUT.dtb and at "
                "least one cfg file");
        help("dtgen");
        return XLS_EXIT_CANNOT_RUN;
    }
    if (modargs_need_name(&a->kernels, a->nr) ||
        modargs_need_name(&a->ramdisks, a->nr) ||
        modargs_need_name(&a->ptdtbs, a->nr)) {
        cli_err("dtgen host: with several cfg files, say whose module it "
                "is: --kernel NAME=FILE[@ADDR]");
        return XLS_EXIT_CANNOT_RUN;
    }
    return 0;
}

/* What dtgen host reads, checks and writes. */
struct host_run {
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct lxs_spec *specs;
    struct lxs_plan *plans;
    struct dtg_domain *doms;
    struct dtg_host_opts hopts;
    const char **files;         /* each domain's NR_MODS module files */
    void **pts;                 /* each domain's passthrough module */
    void *in;                   /* the host DTB */
    size_t in_len;
    int nr;
};

static void host_run_dispose(struct host_run *r)
{
    int i;

    if (r->plans) {
        for (i = 0; i < r->nr; i++)
            lxs_plan_dispose(&r->plans[i]);
        free(r->plans);
    }
    for (i = 0; r->pts && i < r->nr; i++)
        free(r->pts[i]);
    free(r->pts);
    free(r->doms);
    free(r->files);
    free(r->in);
    cli_specs_free(r->specs, r->nr);
    lxs_diags_dispose(&r->diags);
    lxs_hostmap_dispose(&r->map);
}

/*
 * The host DTB, its map (with --pool's pools) and the cfgs: 0, or the
 * exit status (message printed).
 */
static int host_load(const struct host_args *a, struct host_run *r)
{
    char *why = NULL;
    int rc, ret, i;

    rc = read_dtb(a->host_dtb, &r->in, &r->in_len);
    if (!rc)
        rc = lxs_hostmap_from_fdt(&r->map, r->in, r->in_len, &why);
    if (rc) {
        cli_err("cannot read host dtb '%s': %s", a->host_dtb,
                rc == -EBADMSG && why ? why : lxs_file_strerror(rc));
        free(why);
        return XLS_EXIT_CANNOT_RUN;
    }
    r->nr = a->nr;
    ret = cli_load_specs(a->cfgs, a->nr, &r->specs, &r->diags);
    if (ret)
        return ret;
    if (unknown_names(&a->kernels, "--kernel", r->specs, r->nr) ||
        unknown_names(&a->ramdisks, "--ramdisk", r->specs, r->nr) ||
        unknown_names(&a->ptdtbs, "--passthrough-dtb", r->specs, r->nr))
        return XLS_EXIT_CANNOT_RUN;

    /* the domains stay out of the pool the output declares */
    if (a->nr_pools) {
        rc = dtg_hostmap_set_pools(&r->map, a->pools, a->nr_pools);
        if (rc) {
            cli_err("dtgen host: %s", strerror(-rc));
            return XLS_EXIT_CANNOT_RUN;
        }
    }
    r->plans = calloc((size_t)r->nr, sizeof(*r->plans));
    r->doms = calloc((size_t)r->nr, sizeof(*r->doms));
    r->files = calloc(NR_MODS * (size_t)r->nr, sizeof(*r->files));
    r->pts = calloc((size_t)r->nr, sizeof(*r->pts));
    if (!r->plans || !r->doms || !r->files || !r->pts) {
        cli_err("dtgen failed: %s", strerror(ENOMEM));
        return XLS_EXIT_CANNOT_RUN;
    }
    for (i = 0; i < r->nr; i++)
        lxs_plan_init(&r->plans[i]);
    return 0;
}

/*
 * lxs_check (dom0less), then what the edit needs beyond it (the
 * modules, --pool), checked even after its errors so that one run
 * reports every finding: 0, or the exit status.
 */
static int host_check(const struct host_args *a, struct host_run *r)
{
    struct lxs_check_opts copts = { .mode = LXS_MODE_BOOT };
    int i, rc, ret;

    /* --kernel gives a domain its kernel as the cfg's key would */
    if (kernels_to_specs(&a->kernels, r->specs, r->nr)) {
        cli_err("dtgen failed: %s", strerror(ENOMEM));
        return XLS_EXIT_CANNOT_RUN;
    }
    rc = lxs_check(&r->map, r->specs, (size_t)r->nr, &copts, &r->diags,
                   r->plans);
    ret = check_result(rc, &r->diags);
    if (ret)
        return ret;

    for (i = 0; i < r->nr; i++) {
        struct dtg_domain *d = &r->doms[i];

        d->spec = &r->specs[i];
        d->plan = &r->plans[i];
        if (resolve_module("kernel", &a->kernels, d->spec, d->spec->kernel,
                           &d->kernel, &r->files[NR_MODS * i]) ||
            resolve_module("ramdisk", &a->ramdisks, d->spec,
                           d->spec->ramdisk, &d->ramdisk,
                           &r->files[NR_MODS * i + 1]))
            return XLS_EXIT_CANNOT_RUN;
        if (d->spec->device_tree) {
            ret = passthrough_module(&a->ptdtbs, r->in, r->in_len, d,
                                     &r->pts[i], &r->files[NR_MODS * i + 2],
                                     &r->diags);
            if (ret)
                return ret;
        }
    }
    if (a->nr_area)
        r->hopts.module_area = a->area[0];
    r->hopts.pools = a->pools;
    r->hopts.nr_pools = a->nr_pools;
    rc = dtg_host_check(r->in, r->in_len, r->doms, (size_t)r->nr, &r->hopts,
                        &r->diags);
    if (rc == -EBADMSG) {
        cli_err("cannot edit host dtb '%s': malformed tree (check the "
                "#address-cells and #size-cells of / and /chosen)",
                a->host_dtb);
        return XLS_EXIT_CANNOT_RUN;
    }
    if (rc && rc != -EINVAL) {
        cli_err("dtgen failed: %s", strerror(-rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    print_findings(&r->diags, r->nr);
    return r->diags.nr_errors ? XLS_EXIT_FINDINGS : 0;
}

/* The host DT and the passthrough modules, whole or not at all. */
static int host_write(const struct host_args *a, struct host_run *r)
{
    struct outputs outs = { 0 };
    void *fdt = NULL;
    size_t len = 0;
    char *why = NULL;
    int rc, ret;

    rc = dtg_host_fdt(r->in, r->in_len, r->doms, (size_t)r->nr, &r->hopts,
                      &fdt, &len, &why);
    if (rc) {
        cli_err("cannot build the host device tree: %s",
                why ? why : strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    if (outputs_init(&outs, r->nr + 1)) {
        cli_err("dtgen failed: %s", strerror(ENOMEM));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    ret = write_modules(&outs, r->doms, r->files, r->nr);
    if (!ret)
        ret = outputs_add(&outs, a->out, fdt, len);
    if (!ret) {
        print_load_map(r->doms, r->files, r->nr);
        ret = outputs_commit(&outs);
    }
out:
    outputs_dispose(&outs);
    free(why);
    free(fdt);
    return ret;
}

static int dtgen_host(int argc, char **argv)
{
    struct host_args a;
    struct host_run r;
    int ret;

    memset(&a, 0, sizeof(a));
    memset(&r, 0, sizeof(r));
    lxs_hostmap_init(&r.map);
    lxs_diags_init(&r.diags);
    dtg_host_opts_init(&r.hopts);

    ret = dtgen_host_args(argc, argv, &a);
    if (!ret)
        ret = host_load(&a, &r);
    if (!ret)
        ret = host_check(&a, &r);
    if (!ret)
        ret = host_write(&a, &r);
    host_run_dispose(&r);
    host_args_dispose(&a);
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
