/*
 * The glue's spec and cfg.c's spec agree (issue 14): for every cfg
 * fixture of the tree, the spec that the patched libxl plans with
 * (xlsg_spec_from_config, from the libxl config that the patched xl
 * makes of the cfg) and the spec of xl-static (lxs_cfg_parse_data)
 * have the same keys and give lxs_check the same findings and plans.
 *
 * What is real: the glue (xl_glue/xlsg_xl.c, xlsg_libxl.c, compiled as
 * tools patches 0004 and 0005 compile them, with the objects xl links),
 * libxlstatic, dtgen, libxlutil.  What stands in: libxl's types
 * (standin/libxl.h: the patched build info of tools patch 0002, which
 * Debian's libxenlight lacks), and xl_parse.c's reading of xl's own keys
 * (name, memory, maxmem, vcpus, maxvcpus, vuart, gic_version, on_*,
 * dtdev, iomem, irqs, device_tree), which xl_keys.c does as
 * Xen 4.17's xl_parse.c does; the static keys go through the glue's own
 * xlsg_parse_config, as the patched xl_parse.c calls it.
 *
 * Arguments: the directories whose *.cfg files to compare; the
 * environment's top_srcdir: the source tree (tools patch 0002).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xlsg.h"
#include "xl_keys.h"

/* xl's context (xl.c); the glue's listing uses it, this test does not. */
libxl_ctx *ctx;

static unsigned int failures, compared, refused;

#define FAIL(file, ...) do {                                            \
        fprintf(stderr, "%s: ", (file));                                \
        fprintf(stderr, __VA_ARGS__);                                   \
        fputc('\n', stderr);                                            \
        failures++;                                                     \
    } while (0)

/* The stand-in's libxl functions the glue calls. */
void libxl_static_mem_extent_init(libxl_static_mem_extent *p)
{
    memset(p, 0, sizeof(*p));
    p->guest_addr = LIBXL_STATIC_MEM_NO_GUEST_ADDR;
}

char *libxl_domid_to_name(libxl_ctx *c, uint32_t domid)
{
    (void)c;
    (void)domid;
    return NULL;
}

/* libxl_domain_config_init() with libxl's defaults the glue reads. */
static void config_init(libxl_domain_config *d)
{
    memset(d, 0, sizeof(*d));
    d->b_info.max_memkb = LIBXL_MEMKB_DEFAULT;
    d->b_info.target_memkb = LIBXL_MEMKB_DEFAULT;
    d->b_info.arch_arm.static_rambase_pfn = LIBXL_STATIC_RAMBASE_PFN_NONE;
    d->on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    d->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    d->on_watchdog = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    d->on_crash = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    d->on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
}

static void config_dispose(libxl_domain_config *d)
{
    free(d->c_info.name);
    free(d->b_info.device_tree);
    free(d->b_info.arch_arm.static_mem);
}

/* The stand-in config of what xl read (@k), as xl_parse.c fills it. */
static void config_from_xl(libxl_domain_config *d, struct xlk *k)
{
    libxl_action_on_shutdown *on[XLK_NR_ON] = {
        &d->on_poweroff, &d->on_reboot, &d->on_watchdog, &d->on_crash,
        &d->on_soft_reset,
    };
    int i;

    d->c_info.name = k->name;
    k->name = NULL;
    d->b_info.target_memkb = k->target_memkb;
    d->b_info.max_memkb = k->max_memkb;
    d->b_info.max_vcpus = k->max_vcpus;
    d->b_info.arch_arm.vuart = (libxl_vuart_type)k->vuart;
    d->b_info.arch_arm.gic_version = (libxl_gic_version)k->gic_version;
    for (i = 0; i < XLK_NR_ON; i++)
        *on[i] = (libxl_action_on_shutdown)k->on[i];
    d->num_dtdevs = k->num_dtdevs;
    d->b_info.num_irqs = k->num_irqs;
    d->b_info.num_iomem = k->num_iomem;
    d->b_info.device_tree = k->device_tree;
    k->device_tree = NULL;
}

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The guest RAM a spec asks for: 'memory', else the static_mem sum. */
static uint64_t memory_of(const struct lxs_spec *s)
{
    uint64_t sum = 0;
    size_t i;

    if (s->has_memory)
        return s->memory_size;
    for (i = 0; i < s->nr_static_mem; i++)
        sum += s->static_mem[i].size;
    return sum;
}

static void compare_keys(const char *file, const struct lxs_spec *x,
                         const struct lxs_spec *g)
{
    size_t i;

#define SAME(what, cond) do {                                           \
        if (!(cond))                                                    \
            FAIL(file, "cfg.c and the glue differ in %s", what);        \
    } while (0)
    SAME("name", str_eq(x->name, g->name));
    SAME("memory", memory_of(x) == memory_of(g));
    SAME("direct_map", x->direct_map == g->direct_map);
    SAME("rambase_pfn", x->has_rambase == g->has_rambase &&
         (!x->has_rambase || x->rambase_pfn == g->rambase_pfn));
    SAME("mem_chunk", x->has_mem_chunk == g->has_mem_chunk &&
         (!x->has_mem_chunk || x->mem_chunk_size == g->mem_chunk_size));
    /* an empty list is no list for libxl (num_static_mem 0) */
    SAME("static_mem", x->nr_static_mem == g->nr_static_mem &&
         (x->has_static_mem && x->nr_static_mem) == g->has_static_mem);
    for (i = 0; i < x->nr_static_mem && i < g->nr_static_mem; i++) {
        const struct lxs_mem_spec *a = &x->static_mem[i];
        const struct lxs_mem_spec *b = &g->static_mem[i];

        SAME("a static_mem item", a->addr == b->addr && a->size == b->size &&
             a->has_gaddr == b->has_gaddr &&
             (!a->has_gaddr || a->gaddr == b->gaddr));
    }
    SAME("vcpus", x->vcpus == g->vcpus);
    SAME("gic_version", x->gic_version == g->gic_version);
    SAME("vuart", x->vuart_sbsa == g->vuart_sbsa);
    SAME("passthrough", x->has_passthrough == g->has_passthrough &&
         x->has_dtdev == g->has_dtdev);
    SAME("device_tree", str_eq(x->device_tree, g->device_tree));
    SAME("on_* rename-restart", x->rename_restart == g->rename_restart);
#undef SAME
}

/*
 * The host of tests/cli/fixtures/host.dts, as regions: what lxs_check
 * needs to place every fixture.
 */
static void host_map(struct lxs_hostmap *map)
{
    lxs_hostmap_init(map);
    if (lxs_hostmap_add(map, LXS_REGION_RAM, 0x40000000, 0x80000000, 0,
                        "/memory@40000000", NULL) ||
        lxs_hostmap_add(map, LXS_REGION_RAM, 0x100000000, 0x140000000, 0,
                        "/memory@100000000", NULL) ||
        lxs_hostmap_add(map, LXS_REGION_RESERVED, 0x48000000, 0x49000000, 0,
                        "/reserved-memory/firmware@48000000", NULL) ||
        lxs_hostmap_add(map, LXS_REGION_OWNED, 0x4a000000, 0x4c000000,
                        LXS_OWN_BOOT_BANK, "/chosen/domU1", "domU1") ||
        lxs_hostmap_add(map, LXS_REGION_POOL, 0x50000000, 0x70000000, 0,
                        "/chosen/xen,static-pool", NULL) ||
        lxs_hostmap_add(map, LXS_REGION_POOL, 0x100000000, 0x120000000, 0,
                        "/chosen/xen,static-pool", NULL) ||
        lxs_hostmap_finish(map)) {
        fprintf(stderr, "cannot build the host map\n");
        exit(99);
    }
}

/* Both specs through lxs_check: the same findings and the same plan. */
static void compare_check(const char *file, const struct lxs_hostmap *map,
                          const struct lxs_spec *x, const struct lxs_spec *g)
{
    struct lxs_diags dx, dg;
    struct lxs_plan px, pg;
    int rx, rg;
    size_t i;

    lxs_diags_init(&dx);
    lxs_diags_init(&dg);
    lxs_plan_init(&px);
    lxs_plan_init(&pg);
    rx = lxs_check(map, x, 1, NULL, &dx, &px);
    rg = xlsg_plan(map, g, &pg, &dg);
    /*
     * xl_static_accept is xl-static's: xl ignores the key and libxl logs
     * the warnings it acknowledges (good/accepted.cfg says so), so the
     * glue's spec has no acknowledgements.  Compare the rest.
     */
    lxs_diags_accept(&dg, x->accept, false);
    if (rx != rg || dx.nr != dg.nr)
        FAIL(file, "lxs_check: cfg.c's spec %d with %zu findings, the "
             "glue's %d with %zu", rx, dx.nr, rg, dg.nr);
    for (i = 0; i < dx.nr && i < dg.nr; i++)
        if (dx.v[i].code != dg.v[i].code ||
            !str_eq(dx.v[i].key, dg.v[i].key))
            FAIL(file, "finding %zu: cfg.c's spec %s: %s, the glue's %s: %s",
                 i, lxs_code_name(dx.v[i].code), dx.v[i].message,
                 lxs_code_name(dg.v[i].code), dg.v[i].message);
    if (px.nr_ext != pg.nr_ext || px.direct_map != pg.direct_map ||
        px.has_dma_offset != pg.has_dma_offset ||
        px.dma_offset != pg.dma_offset ||
        (px.nr_ext && memcmp(px.ext, pg.ext, px.nr_ext * sizeof(*px.ext))))
        FAIL(file, "the plans differ (%zu and %zu extents)", px.nr_ext,
             pg.nr_ext);
    lxs_plan_dispose(&px);
    lxs_plan_dispose(&pg);
    lxs_diags_dispose(&dx);
    lxs_diags_dispose(&dg);
}

static char *read_text(const char *path, size_t *len_r)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 &&
        !fseek(f, 0, SEEK_SET) && (buf = malloc((size_t)n + 1)) &&
        fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
        *len_r = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static void compare_file(const char *path, const struct lxs_hostmap *map)
{
    libxl_domain_config d;
    struct lxs_spec x, g;
    struct lxs_diags diags;
    struct xlk k;
    size_t len = 0;
    char *text = read_text(path, &len);
    int rc;

    config_init(&d);
    lxs_spec_init(&x);
    lxs_spec_init(&g);
    lxs_diags_init(&diags);
    memset(&k, 0, sizeof(k));
    if (!text) {
        FAIL(path, "cannot read it");
        goto out;
    }
    rc = lxs_cfg_parse_data(path, text, len, &x, &diags);
    if (rc) {
        FAIL(path, "lxs_cfg_parse_data: %s", strerror(-rc));
        goto out;
    }
    /* a text libxlutil must not see (NUL) or cannot read (CRLF) */
    if (x.bad_keys & LXS_KEY_FILE) {
        refused++;
        goto out;
    }
    /* what xl reads: libxlutil, its own keys, then the glue's */
    rc = xlk_read(path, text, len, &k);
    if (rc < 0) {
        FAIL(path, "reading xl's keys: %s", strerror(-rc));
        goto out;
    }
    if (rc) {
        /* xl refuses the cfg: so must xl-static */
        if (!x.bad)
            FAIL(path, "xl refuses it, cfg.c's spec has no syntax error");
        refused++;
        goto out;
    }
    config_from_xl(&d, &k);
    rc = xlsg_parse_config(path, text, len, &d);
    if (rc != (x.bad ? 1 : 0)) {
        FAIL(path, "xlsg_parse_config returned %d, cfg.c's spec is %s", rc,
             x.bad ? "bad" : "good");
        goto out;
    }
    if (x.bad) {
        refused++;
        goto out;
    }
    rc = xlsg_spec_from_config(&d, &g);
    if (rc) {
        FAIL(path, "xlsg_spec_from_config: %s", strerror(-rc));
        goto out;
    }
    compare_keys(path, &x, &g);
    compare_check(path, map, &x, &g);
    compared++;
out:
    xlk_dispose(&k);
    free(text);
    config_dispose(&d);
    lxs_spec_dispose(&x);
    lxs_spec_dispose(&g);
    lxs_diags_dispose(&diags);
}

/* The stand-in's constants are the real libxl's. */
static void check_consts(void)
{
    struct xlk_consts c;

    xlk_real_consts(&c);
    if (c.memkb_default != LIBXL_MEMKB_DEFAULT ||
        c.gic_default != LIBXL_GIC_VERSION_DEFAULT ||
        c.gic_v2 != LIBXL_GIC_VERSION_V2 || c.gic_v3 != LIBXL_GIC_VERSION_V3 ||
        c.vuart_sbsa != LIBXL_VUART_TYPE_SBSA_UART ||
        c.on_destroy != LIBXL_ACTION_ON_SHUTDOWN_DESTROY ||
        c.on_restart != LIBXL_ACTION_ON_SHUTDOWN_RESTART ||
        c.on_rename_restart != LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME ||
        c.on_soft_reset != LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET)
        FAIL("standin/libxl.h", "a constant differs from the real libxl's");
}

/*
 * The stand-in's tools patch 0002 names are the patch's: every one of
 * them is in the patch (@dir/hypervisor-hooks/patches-tools/0002-*).
 */
static void check_patch_names(const char *top)
{
    static const char *const names[] = {
        "(\"static_direct_map\", bool)", "(\"static_rambase_pfn\", StaticAddr)",
        "(\"static_mem\", Array(libxl_static_mem_extent",
        "\"num_static_mem\")", "(\"static_mem_chunk_kb\", uint64)",
        "(\"host_addr\",  uint64)", "(\"size\",       uint64)",
        "(\"guest_addr\", StaticAddr)",
        "#define LIBXL_STATIC_ADDR_NONE (~(uint64_t)0)",
        "#define LIBXL_STATIC_RAMBASE_PFN_NONE LIBXL_STATIC_ADDR_NONE",
        "#define LIBXL_STATIC_MEM_NO_GUEST_ADDR LIBXL_STATIC_ADDR_NONE",
    };
    char dir[4096], path[4096 + 256];
    struct dirent **v;
    char *text = NULL;
    size_t len, i;
    int n, k;

    snprintf(dir, sizeof(dir), "%s/hypervisor-hooks/patches-tools", top);
    n = scandir(dir, &v, NULL, alphasort);
    for (k = 0; k < n; k++) {
        if (!text && !strncmp(v[k]->d_name, "0002-", 5)) {
            snprintf(path, sizeof(path), "%s/%s", dir, v[k]->d_name);
            text = read_text(path, &len);
        }
        free(v[k]);
    }
    if (n >= 0)
        free(v);
    if (!text) {
        FAIL(dir, "no readable 0002-* patch");
        return;
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strstr(text, names[i]))
            FAIL("standin/libxl.h", "'%s' is not in tools patch 0002",
                 names[i]);
    free(text);
}

static int cfg_filter(const struct dirent *e)
{
    size_t n = strlen(e->d_name);

    return n > 4 && !strcmp(e->d_name + n - 4, ".cfg");
}

int main(int argc, char **argv)
{
    struct lxs_hostmap map;
    char path[4096];
    int i, n, k;

    host_map(&map);
    for (i = 1; i < argc; i++) {
        struct dirent **v;

        n = scandir(argv[i], &v, cfg_filter, alphasort);
        if (n < 0) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            return 99;
        }
        for (k = 0; k < n; k++) {
            snprintf(path, sizeof(path), "%s/%s", argv[i], v[k]->d_name);
            compare_file(path, &map);
            free(v[k]);
        }
        free(v);
    }
    lxs_hostmap_dispose(&map);
    check_consts();
    check_patch_names(getenv("top_srcdir") ? getenv("top_srcdir") : ".");
    printf("glue spec: %u cfgs compared, %u refused by both, %u failures\n",
           compared, refused, failures);
    /* the fixtures hold both kinds */
    if (compared < 10 || refused < 5) {
        fprintf(stderr, "too few cfgs reached both sides\n");
        return 1;
    }
    return failures ? 1 : 0;
}
