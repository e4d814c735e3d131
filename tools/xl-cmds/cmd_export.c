/*
 * export imagebuilder [--host-dtb F] [-o FILE] CFG...: the ImageBuilder
 * variables of dom0less domains from their cfgs and their boot-time
 * plan (docs/imagebuilder.md): what `check --boot` and `dtgen host`
 * accept is written, a domain's planned host extents as
 * DOMU_STATIC_MEM.  Nothing is written when there is an error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dtgen.h"
#include "xl_static.h"

struct export {
    struct cli_opts o;          /* --host-dtb; boot time */
    struct cli_inputs in;       /* host map, specs, findings */
    void *fdt;                  /* the host DTB, for dtgen's check */
    size_t fdt_len;
    struct lxs_plan *plans;
};

/* The host map and the cfgs (shared inputs), and the host DTB's blob. */
static int load(struct export *ex, char *const *paths, int nr)
{
    const char *path = lxs_host_dtb_path(ex->o.host_dtb);
    char *buf = NULL;
    int i, rc, ret;

    ret = cli_inputs_load(&ex->in, &ex->o, paths, nr, false);
    if (ret)
        return ret;
    rc = lxs_file_read(path, LXS_DTB_MAX_SIZE, &buf, &ex->fdt_len);
    if (rc) {
        cli_err("cannot read host dtb '%s': %s", path,
                lxs_file_strerror(rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    ex->fdt = buf;
    ex->plans = calloc(nr ? nr : 1, sizeof(*ex->plans));
    if (!ex->plans) {
        cli_err("export: %s", strerror(ENOMEM));
        return XLS_EXIT_CANNOT_RUN;
    }
    for (i = 0; i < nr; i++)
        lxs_plan_init(&ex->plans[i]);
    return 0;
}

/*
 * The library's boot-time check and plan (a dom0less domain's rules:
 * its name, memory, kernel, guest RAM where Xen's boot-time builder
 * puts it), then what the host DT edit adds (dtgen's check: a /chosen
 * node of that name that is not a domain's).
 */
static int check_plan(struct export *ex)
{
    struct lxs_diags *diags = &ex->in.diags;
    struct dtg_host_opts hopts;
    struct dtg_domain *doms;
    int i, rc, ret;

    ret = cli_inputs_check(&ex->in, &ex->o, "export", ex->plans);
    if (ret)
        return ret;
    doms = calloc(ex->in.nr ? ex->in.nr : 1, sizeof(*doms));
    if (!doms)
        goto nomem;
    rc = 0;
    if (!diags->nr_errors) {
        for (i = 0; i < ex->in.nr; i++) {
            doms[i].spec = &ex->in.specs[i];
            doms[i].plan = &ex->plans[i];
        }
        dtg_host_opts_init(&hopts);
        rc = dtg_host_check(ex->fdt, ex->fdt_len, doms, ex->in.nr, &hopts,
                            diags);
        if (rc == -EINVAL)
            rc = 0;
    }
    free(doms);
    if (!rc)
        return 0;
    if (rc != -ENOMEM) {
        cli_err("export failed: %s", strerror(-rc));
        return XLS_EXIT_CANNOT_RUN;
    }
nomem:
    cli_err("export failed: %s", strerror(ENOMEM));
    return XLS_EXIT_CANNOT_RUN;
}

static uint64_t plan_size(const struct lxs_plan *p)
{
    uint64_t sum = 0;
    size_t i;

    for (i = 0; i < p->nr_ext; i++)
        sum += p->ext[i].size;
    return sum;
}

/* "BASE SIZE ..." of @n ranges given as (start, size) pairs. */
static void put_pairs(FILE *f, const char *name, long index,
                      const struct lxs_extent *ext, size_t n)
{
    size_t i;

    if (index >= 0)
        fprintf(f, "%s[%ld]=\"", name, index);
    else
        fprintf(f, "%s=\"", name);
    for (i = 0; i < n; i++)
        fprintf(f, "%s0x%" PRIx64 " 0x%" PRIx64, i ? " " : "",
                ext[i].host, ext[i].size);
    fputs("\"\n", f);
}

/* The DOMU_*[i] variables of domain @i, in a fixed order. */
static void put_domain(FILE *f, const struct lxs_spec *s,
                       const struct lxs_plan *p, long i)
{
    uint64_t mem = p->nr_ext ? plan_size(p) : s->memory_size;
    size_t k;

    fputc('\n', f);
    cli_ib_put_string(f, "DOMU_NAME", i, p->name ? p->name : s->name);
    cli_ib_put_string(f, "DOMU_KERNEL", i, s->kernel);
    if (s->ramdisk)
        cli_ib_put_string(f, "DOMU_RAMDISK", i, s->ramdisk);
    if (s->device_tree)
        cli_ib_put_string(f, "DOMU_PASSTHROUGH_DTB", i, s->device_tree);
    if (s->nr_dtdev) {
        fprintf(f, "DOMU_PASSTHROUGH_PATHS[%ld]=\"", i);
        for (k = 0; k < s->nr_dtdev; k++)
            fprintf(f, "%s%s", k ? " " : "", s->dtdev[k]);
        fputs("\"\n", f);
    }
    if (s->cmdline)
        cli_ib_put_string(f, "DOMU_CMD", i, s->cmdline);
    /* DOMU_MEM is MiB; ImageBuilder takes the size of static banks */
    if (!(mem & ((UINT64_C(1) << 20) - 1)))
        cli_ib_put_number(f, "DOMU_MEM", i, mem >> 20);
    cli_ib_put_number(f, "DOMU_VCPUS", i, s->vcpus);
    cli_ib_put_number(f, "DOMU_VPL011", i, s->vuart_sbsa);
    if (p->nr_ext) {
        put_pairs(f, "DOMU_STATIC_MEM", i, p->ext, p->nr_ext);
        cli_ib_put_number(f, "DOMU_DIRECT_MAP", i, p->direct_map);
    }
}

/* XEN_STATIC_HEAP from the host DT's xen,static-heap, in its order. */
static int put_heap(FILE *f, const struct lxs_hostmap *map)
{
    struct lxs_extent *heap;
    size_t i, n = 0;

    heap = calloc(map->nr ? map->nr : 1, sizeof(*heap));
    if (!heap)
        return -ENOMEM;
    for (i = 0; i < map->nr; i++) {
        const struct lxs_region *r = &map->v[i];

        if (r->kind == LXS_REGION_RESERVED &&
            (r->flags & LXS_RESV_STATIC_HEAP)) {
            heap[n].host = r->start;
            heap[n++].size = r->end - r->start;
        }
    }
    if (n)
        put_pairs(f, "XEN_STATIC_HEAP", -1, heap, n);
    free(heap);
    return 0;
}

static int write_vars(const struct export *ex, const char *out)
{
    struct lxs_outfile of;
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    int i, rc, ret = XLS_EXIT_CANNOT_RUN;

    lxs_outfile_init(&of);
    f = open_memstream(&text, &len);
    if (!f)
        goto nomem;
    fprintf(f, "# ImageBuilder variables of %d dom0less domain%s, "
            "written by " XLS_PROG " export\n", ex->in.nr,
            ex->in.nr == 1 ? "" : "s");
    rc = put_heap(f, &ex->in.map);
    fprintf(f, "NUM_DOMUS=%d\n", ex->in.nr);
    for (i = 0; i < ex->in.nr; i++)
        put_domain(f, &ex->in.specs[i], &ex->plans[i], i);
    if (fclose(f) || rc)
        goto nomem;
    rc = lxs_outfile_write(&of, out ? out : "-", text, len);
    if (!rc) {
        if (cli_flush_stdout())
            goto out;
        rc = lxs_outfile_commit(&of);
    }
    if (rc) {
        cli_err("cannot write '%s': %s", out ? out : "-",
                lxs_file_strerror(rc));
        goto out;
    }
    ret = 0;
    goto out;
nomem:
    cli_err("export: %s", strerror(ENOMEM));
out:
    lxs_outfile_discard(&of);
    free(text);
    return ret;
}

static void export_dispose(struct export *ex)
{
    int i;

    for (i = 0; ex->plans && i < ex->in.nr; i++)
        lxs_plan_dispose(&ex->plans[i]);
    free(ex->plans);
    free(ex->fdt);
    cli_inputs_dispose(&ex->in);
}

static int export_imagebuilder(int argc, char **argv)
{
    static const struct option opts[] = {
        {"host-dtb", 1, 0, 'H'},
        {"output", 1, 0, 'o'},
        COMMON_LONG_OPTS
    };
    struct export ex;
    const char *out = NULL;
    int opt, ret;

    memset(&ex, 0, sizeof(ex));
    SWITCH_FOREACH_OPT(opt, "o:", opts, "export", 1) {
    case 'o':
        out = optarg;
        break;
    default:
        cli_opt(&ex.o, opt);
        break;
    }
    ex.o.boot = true;
    cli_inputs_init(&ex.in);

    ret = load(&ex, argv + optind, argc - optind);
    if (!ret)
        ret = check_plan(&ex);
    if (ret)
        goto out;
    cli_print_diags_text(stderr, &ex.in.diags);
    if (ex.in.diags.nr_errors) {
        cli_print_diags_count(stderr, &ex.in.diags, ex.in.nr);
        ret = XLS_EXIT_FINDINGS;
        goto out;
    }
    ret = write_vars(&ex, out);
out:
    export_dispose(&ex);
    return ret;
}

int main_export(int argc, char **argv)
{
    return cli_format_dispatch("export", argc, argv, export_imagebuilder);
}
