/*
 * xls-bench: how lxs_check (validation + planning) scales with the
 * number of reserved regions and domains, next to a naive all-pairs
 * overlap check of the same placement, plus the DTB reader on a real
 * blob of the same size.  `make bench` runs it.  It prints figures and
 * asserts nothing about time; it fails only when an input it generated
 * does not check cleanly (the figures would mean nothing).
 *
 * Generated host: one RAM bank of 64 GiB at 1 GiB.  The lower half
 * holds the reserved regions, 64 KiB each at an even stride, so that
 * with many of them no 16 MiB hole is left there.  Domains: every even
 * one has an explicit 16 MiB static_mem in the upper half; of the odd
 * ones, half are direct-mapped with automatic placement (16 MiB) and
 * half take 8 MiB as 2 MiB chunks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libfdt.h>

#include "libxlstatic.h"

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

#define RAM_BASE    (1 * GiB)
#define RAM_SIZE    (64 * GiB)
#define RESV_SIZE   (64 * KiB)
#define DOM_SIZE    (16 * MiB)
#define DOM_STRIDE  (32 * MiB)
#define CHUNK_SIZE  (2 * MiB)
#define CHUNK_MEM   (8 * MiB)

/* Seconds spent on one repetition are averaged over at least this. */
#define MIN_SECONDS 0.2
#define MAX_REPS    1000

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t resv_start(size_t i, size_t nr)
{
    uint64_t stride = (RAM_SIZE / 2 / nr) & ~(4 * KiB - 1);

    return RAM_BASE + i * stride;
}

static int make_hostmap(struct lxs_hostmap *map, size_t nr_resv)
{
    char label[48];
    size_t i;
    int rc;

    rc = lxs_hostmap_add(map, LXS_REGION_RAM, RAM_BASE, RAM_BASE + RAM_SIZE,
                         0, "/memory@40000000", NULL);
    for (i = 0; !rc && i < nr_resv; i++) {
        uint64_t s = resv_start(i, nr_resv);

        snprintf(label, sizeof(label), "/reserved-memory/r@%" PRIx64, s);
        rc = lxs_hostmap_add(map, LXS_REGION_RESERVED, s, s + RESV_SIZE,
                             LXS_RESV_NO_MAP, label, NULL);
    }
    if (!rc)
        rc = lxs_hostmap_finish(map);
    return rc;
}

/* The same host as a DTB, built with libfdt's sequential-write API. */
static int make_fdt(size_t nr_resv, void **fdt_r, size_t *len_r)
{
    size_t len = 4096 + nr_resv * 128;
    char name[48];
    fdt64_t reg[2];
    void *fdt;
    size_t i;
    int r;

    fdt = malloc(len);
    if (!fdt)
        return -ENOMEM;

#define FDT(call) do { r = (call); if (r < 0) goto fail; } while (0)
    FDT(fdt_create(fdt, len));
    FDT(fdt_finish_reservemap(fdt));
    FDT(fdt_begin_node(fdt, ""));
    FDT(fdt_property_u32(fdt, "#address-cells", 2));
    FDT(fdt_property_u32(fdt, "#size-cells", 2));

    FDT(fdt_begin_node(fdt, "memory@40000000"));
    FDT(fdt_property_string(fdt, "device_type", "memory"));
    reg[0] = cpu_to_fdt64(RAM_BASE);
    reg[1] = cpu_to_fdt64(RAM_SIZE);
    FDT(fdt_property(fdt, "reg", reg, sizeof(reg)));
    FDT(fdt_end_node(fdt));

    FDT(fdt_begin_node(fdt, "reserved-memory"));
    FDT(fdt_property_u32(fdt, "#address-cells", 2));
    FDT(fdt_property_u32(fdt, "#size-cells", 2));
    FDT(fdt_property(fdt, "ranges", NULL, 0));
    for (i = 0; i < nr_resv; i++) {
        uint64_t s = resv_start(i, nr_resv);

        snprintf(name, sizeof(name), "r@%" PRIx64, s);
        FDT(fdt_begin_node(fdt, name));
        reg[0] = cpu_to_fdt64(s);
        reg[1] = cpu_to_fdt64(RESV_SIZE);
        FDT(fdt_property(fdt, "reg", reg, sizeof(reg)));
        FDT(fdt_property(fdt, "no-map", NULL, 0));
        FDT(fdt_end_node(fdt));
    }
    FDT(fdt_end_node(fdt));

    FDT(fdt_end_node(fdt));
    FDT(fdt_finish(fdt));
#undef FDT

    *fdt_r = fdt;
    *len_r = fdt_totalsize(fdt);
    return 0;

fail:
    fprintf(stderr, "xls-bench: building the DTB: %s\n", fdt_strerror(r));
    free(fdt);
    return -EIO;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);

    if (!p) {
        perror("xls-bench");
        exit(2);
    }
    return p;
}

static void make_specs(struct lxs_spec *specs, size_t nr)
{
    char buf[64];
    size_t k;

    for (k = 0; k < nr; k++) {
        struct lxs_spec *s = &specs[k];

        lxs_spec_init(s);
        snprintf(buf, sizeof(buf), "bench-%zu.cfg", k);
        s->file = xstrdup(buf);
        snprintf(buf, sizeof(buf), "d%zu", k);
        s->name = xstrdup(buf);
        s->has_memory = true;

        if (k % 2 == 0) {
            uint64_t addr = RAM_BASE + RAM_SIZE / 2 + (k / 2) * DOM_STRIDE;

            s->memory_size = DOM_SIZE;
            s->direct_map = true;
            s->static_mem = calloc(1, sizeof(*s->static_mem));
            if (!s->static_mem) {
                perror("xls-bench");
                exit(2);
            }
            s->static_mem[0].addr = addr;
            s->static_mem[0].size = DOM_SIZE;
            snprintf(buf, sizeof(buf), "0x%" PRIx64 ":16M", addr);
            s->static_mem[0].text = xstrdup(buf);
            s->nr_static_mem = 1;
            s->has_static_mem = true;
        } else if (k % 4 == 1) {
            s->memory_size = DOM_SIZE;
            s->direct_map = true;
        } else {
            s->memory_size = CHUNK_MEM;
            s->has_mem_chunk = true;
            s->mem_chunk_size = CHUNK_SIZE;
        }
    }
}

/*
 * The naive check of the same placement: every extent against every
 * reserved region and every other extent, and inside RAM by a scan.
 * Returns the number of overlaps (0 for a valid plan).
 */
static size_t naive_check(const struct lxs_hostmap *map,
                          const struct lxs_plan *plans, size_t nr)
{
    const struct lxs_extent **ext;
    size_t nr_ext = 0, i, j, k, bad = 0;

    for (i = 0; i < nr; i++)
        nr_ext += plans[i].nr_ext;
    ext = malloc((nr_ext ? nr_ext : 1) * sizeof(*ext));
    if (!ext) {
        perror("xls-bench");
        exit(2);
    }
    for (i = 0, k = 0; i < nr; i++)
        for (j = 0; j < plans[i].nr_ext; j++)
            ext[k++] = &plans[i].ext[j];

    for (i = 0; i < nr_ext; i++) {
        uint64_t s = ext[i]->host, e = ext[i]->host + ext[i]->size;
        bool in_ram = false;

        for (j = 0; j < map->nr; j++) {
            const struct lxs_region *r = &map->v[j];

            if (r->kind == LXS_REGION_RAM) {
                if (r->start <= s && e <= r->end)
                    in_ram = true;
            } else if (r->start < e && s < r->end) {
                bad++;
            }
        }
        if (!in_ram)
            bad++;
        for (j = i + 1; j < nr_ext; j++)
            if (ext[j]->host < e && s < ext[j]->host + ext[j]->size)
                bad++;
    }
    free(ext);
    return bad;
}

struct result {
    double check_s;
    double naive_s;
    double dtb_s;
    size_t nr_ext;
    size_t nr_errors;
    size_t naive_bad;
};

static void plans_free(struct lxs_plan *plans, size_t nr)
{
    size_t i;

    for (i = 0; i < nr; i++)
        lxs_plan_dispose(&plans[i]);
    free(plans);
}

/* One lxs_check run; leaves its plans in *plans_r. */
static int run_check(const struct lxs_hostmap *map,
                     const struct lxs_spec *specs, size_t nr,
                     struct lxs_plan **plans_r, size_t *nr_errors_r)
{
    const struct lxs_check_opts opts = { .mode = LXS_MODE_RUNTIME };
    struct lxs_diags diags;
    struct lxs_plan *plans;
    size_t i;
    int rc;

    plans = calloc(nr, sizeof(*plans));
    if (!plans)
        return -ENOMEM;
    for (i = 0; i < nr; i++)
        lxs_plan_init(&plans[i]);
    lxs_diags_init(&diags);
    rc = lxs_check(map, specs, nr, &opts, &diags, plans);
    *nr_errors_r = diags.nr_errors;
    if (rc == -EINVAL && diags.nr_errors) {
        fprintf(stderr, "xls-bench: %s: %s\n", lxs_code_name(diags.v[0].code),
                diags.v[0].message);
        rc = 0;
    }
    lxs_diags_dispose(&diags);
    if (rc) {
        plans_free(plans, nr);
        return rc;
    }
    *plans_r = plans;
    return 0;
}

/* The repetitions that take about MIN_SECONDS when one took @t. */
static size_t reps_for(double t)
{
    size_t reps = t > 0 ? (size_t)(MIN_SECONDS / t) : MAX_REPS;

    if (reps < 1)
        reps = 1;
    return reps > MAX_REPS ? MAX_REPS : reps;
}

static int measure(size_t nr_resv, size_t nr_dom, double dtb_s,
                   struct result *res)
{
    struct lxs_hostmap map;
    struct lxs_spec *specs;
    struct lxs_plan *plans = NULL;
    double t0, t;
    size_t i, reps, r;
    int rc;

    memset(res, 0, sizeof(*res));
    res->dtb_s = dtb_s;
    lxs_hostmap_init(&map);
    specs = calloc(nr_dom, sizeof(*specs));
    if (!specs)
        return -ENOMEM;
    make_specs(specs, nr_dom);
    rc = make_hostmap(&map, nr_resv);
    if (rc)
        goto out;

    /* lxs_check: once to size the repetitions, then averaged. */
    t0 = now();
    rc = run_check(&map, specs, nr_dom, &plans, &res->nr_errors);
    if (rc)
        goto out;
    t = now() - t0;
    reps = reps_for(t);
    t0 = now();
    for (r = 0; r < reps; r++) {
        struct lxs_plan *p = NULL;
        size_t e;

        rc = run_check(&map, specs, nr_dom, &p, &e);
        if (rc)
            goto out;
        plans_free(p, nr_dom);
    }
    res->check_s = (now() - t0) / reps;

    for (i = 0; i < nr_dom; i++)
        res->nr_ext += plans[i].nr_ext;

    /* The naive check of the same placement. */
    t0 = now();
    res->naive_bad = naive_check(&map, plans, nr_dom);
    t = now() - t0;
    reps = reps_for(t);
    t0 = now();
    for (r = 0; r < reps; r++)
        naive_check(&map, plans, nr_dom);
    res->naive_s = (now() - t0) / reps;

out:
    if (plans)
        plans_free(plans, nr_dom);
    for (i = 0; i < nr_dom; i++)
        lxs_spec_dispose(&specs[i]);
    free(specs);
    lxs_hostmap_dispose(&map);
    return rc;
}

/* Reads the generated DTB with lxs_hostmap_from_fdt; seconds per read. */
static int time_dtb(size_t nr_resv, double *secs_r)
{
    struct lxs_hostmap map;
    void *fdt = NULL;
    size_t len, reps, r;
    char *why = NULL;
    double t0, t;
    int rc;

    rc = make_fdt(nr_resv, &fdt, &len);
    if (rc)
        return rc;
    reps = 1;
    for (;;) {
        t0 = now();
        for (r = 0; r < reps; r++) {
            lxs_hostmap_init(&map);
            rc = lxs_hostmap_from_fdt(&map, fdt, len, &why);
            if (!rc && map.reserved.nr != nr_resv)
                rc = -EPROTO;
            lxs_hostmap_dispose(&map);
            if (rc) {
                fprintf(stderr, "xls-bench: reading the DTB: %s%s%s\n",
                        strerror(-rc), why ? ": " : "", why ? why : "");
                free(why);
                goto out;
            }
        }
        t = now() - t0;
        if (t >= MIN_SECONDS || reps >= MAX_REPS)
            break;
        reps *= 4;
    }
    *secs_r = t / reps;
out:
    free(fdt);
    return rc;
}

static void usage(void)
{
    fprintf(stderr, "usage: xls-bench [--dtb-max N]\n"
            "  --dtb-max N  time the DTB reader only up to N reserved "
            "regions\n");
}

int main(int argc, char **argv)
{
    static const size_t resv_counts[] = { 10, 1000, 10000, 100000 };
    static const size_t dom_counts[] = { 1, 100, 1000 };
    size_t dtb_max = SIZE_MAX;
    size_t i, j;
    int failed = 0;

    if (argc == 3 && !strcmp(argv[1], "--dtb-max")) {
        char *end;

        errno = 0;
        dtb_max = strtoull(argv[2], &end, 10);
        if (errno || end == argv[2] || *end) {
            usage();
            return 2;
        }
    } else if (argc != 1) {
        usage();
        return 2;
    }

    printf("lxs_check (validate + plan) against a naive all-pairs overlap "
           "check of the same placement\n");
    printf("times per run, in milliseconds; ratio = naive / lxs_check\n\n");
    printf("%9s %8s %8s %12s %12s %9s %12s\n", "reserved", "domains",
           "extents", "lxs_check", "naive", "ratio", "dtb read");

    for (i = 0; i < sizeof(resv_counts) / sizeof(resv_counts[0]); i++) {
        double dtb_s = -1;
        int rc;

        if (resv_counts[i] <= dtb_max) {
            rc = time_dtb(resv_counts[i], &dtb_s);
            if (rc)
                failed = 1;
        }
        for (j = 0; j < sizeof(dom_counts) / sizeof(dom_counts[0]); j++) {
            struct result res;

            rc = measure(resv_counts[i], dom_counts[j], dtb_s, &res);
            if (rc) {
                fprintf(stderr, "xls-bench: %zu reserved, %zu domains: %s\n",
                        resv_counts[i], dom_counts[j], strerror(-rc));
                failed = 1;
                continue;
            }
            printf("%9zu %8zu %8zu %12.3f %12.3f %9.1f ",
                   resv_counts[i], dom_counts[j], res.nr_ext,
                   res.check_s * 1e3, res.naive_s * 1e3,
                   res.check_s > 0 ? res.naive_s / res.check_s : 0);
            if (res.dtb_s < 0)
                printf("%12s", "-");
            else
                printf("%12.3f", res.dtb_s * 1e3);
            printf("%s\n", res.nr_errors || res.naive_bad ?
                   "  (invalid input!)" : "");
            fflush(stdout);
            if (res.nr_errors || res.naive_bad)
                failed = 1;
        }
    }
    printf("\nlxs_check is expected to grow as (R + E) log (R + E), the "
           "naive check as E * (R + E).\n");
    return failed;
}
