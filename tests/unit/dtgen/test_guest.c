/*
 * The guest device tree: golden trees for the four kinds of domain,
 * then the values that matter one by one (memory nodes, grant-table
 * window, extended regions, dma-offset, dma-ranges translation), the
 * libxl nodes, the errors, and allocation failures on every path.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"
#include "dtgen_tests.h"

#define GNTTAB_BASE UINT64_C(0x38000000)
#define GNTTAB_SIZE MIB(16)
#define MAGIC_BASE UINT64_C(0x39000000)
#define RAM0_BASE UINT64_C(0x40000000)
#define RAM0_END UINT64_C(0x100000000)
#define RAM1_BASE UINT64_C(0x200000000)
#define IPA40 (UINT64_C(1) << 40)

/* dtc -Wall warnings a libxl-shaped guest tree has, and why they stay */
static const char *const justified[] = {
    /*
     * /hypervisor has a reg but no unit address: libxl and Xen name it
     * so and software looks it up by that path.
     */
    "/hypervisor: node has a reg or ranges property, but no unit name",
    /*
     * cpu_off and cpu_on are the function-id properties of the PSCI 0.1
     * binding (arm,psci), which libxl writes for guests that know only
     * that version.
     */
    "/psci:cpu_off: Character '_' not recommended in property name",
    "/psci:cpu_on: Character '_' not recommended in property name",
    NULL,
};

/* ------------------------------------------------------------------ */
/* Building specs and plans by hand                                    */

struct tcase {
    const char *name;
    bool direct_map;
    size_t nr;
    struct lxs_extent ext[4];
    bool has_off;
    uint64_t off;
    struct lxs_window gnttab;       /* size 0: the default */
};

static void mk_plan(struct lxs_plan *p, const struct tcase *t)
{
    memset(p, 0, sizeof(*p));
    p->name = (char *)t->name;
    p->direct_map = t->direct_map;
    p->ext = (struct lxs_extent *)t->ext;
    p->nr_ext = t->nr;
    p->has_dma_offset = t->has_off;
    p->dma_offset = t->off;
    if (t->gnttab.size) {
        p->gnttab = t->gnttab;
        p->windows_moved = t->gnttab.base != GNTTAB_BASE;
    } else {
        p->gnttab = (struct lxs_window){ GNTTAB_BASE, GNTTAB_SIZE };
    }
    p->magic = (struct lxs_window){ MAGIC_BASE, MIB(16) };
}

static void mk_spec(struct lxs_spec *s, const char *name)
{
    memset(s, 0, sizeof(*s));
    s->name = (char *)name;
    s->file = (char *)"test.cfg";
    s->vcpus = 1;
    s->cmdline = (char *)"console=hvc0";
}

static void *gen(const struct lxs_spec *s, const struct lxs_plan *p,
                 const struct dtg_guest_opts *o, size_t *len_r)
{
    void *fdt = NULL;
    char *why = NULL;
    int rc;

    rc = dtg_guest_fdt(s, p, o, &fdt, len_r, &why);
    ck_assert_msg(rc == 0, "dtg_guest_fdt: %d (%s)", rc, why ? why : "");
    ck_assert_ptr_null(why);
    return fdt;
}

/*
 * What a test generates from: options (reset by the fixture), a spec and
 * a plan (mk_spec, mk_plan), and the tree it gets (freed by the
 * fixture).
 */
static struct dtg_guest_opts o;
static struct lxs_spec s;
static struct lxs_plan p;
static void *fdt;
static size_t len;

static void setup(void)
{
    dtg_guest_opts_init(&o);
    memset(&s, 0, sizeof(s));
    memset(&p, 0, sizeof(p));
    fdt = NULL;
    len = 0;
}

static void teardown(void)
{
    free(fdt);
    fdt = NULL;
}

/* The four domains of the golden files. */
static const struct tcase directmap = {
    "directmap", true, 1,
    { { 0x60000000, 0x60000000, MIB(256) } }, true, 0, { 0, 0 },
};
static const struct tcase offset = {
    "offset", false, 1,
    { { UINT64_C(0x800000000), RAM0_BASE, MIB(512) } },
    true, UINT64_C(0x7c0000000), { 0, 0 },
};
static const struct tcase twobank = {
    "twobank", false, 2,
    { { 0x80000000, RAM0_BASE, MIB(256) },
      { UINT64_C(0x880000000), RAM1_BASE, MIB(256) } },
    false, 0, { 0, 0 },
};
static const struct tcase partial = {
    "partial", false, 1,
    { { 0x60000000, RAM0_BASE, MIB(256) } }, true, 0x20000000, { 0, 0 },
};

/* ------------------------------------------------------------------ */
/* Golden trees                                                        */

START_TEST(test_golden_directmap)
{
    uint64_t a, sz;

    mk_spec(&s, "netdrv");
    s.vuart_sbsa = true;
    mk_plan(&p, &directmap);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "directmap", justified);
    t_golden("directmap");

    /* the required facts, independent of the golden file */
    t_reg(fdt, "/memory@60000000", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(a, 0x60000000);
    ck_assert_uint_eq(sz, MIB(256));
    ck_assert_int_eq(t_nreg(fdt, "/memory@60000000", "reg", 2, 2), 1);
    t_reg(fdt, "/hypervisor", "reg", 2, 2, 0, &a, &sz);
    ck_assert(a + sz <= 0x60000000 || a >= 0x70000000);
    ck_assert_uint_eq(a, GNTTAB_BASE);
    ck_assert_uint_eq(t_u64(fdt, "/hypervisor", "dma-offset"), 0);
}
END_TEST

START_TEST(test_golden_offset)
{
    uint64_t a, sz;

    mk_spec(&s, "offset");
    s.vcpus = 2;
    s.gic_version = 2;
    s.ramdisk = (char *)"/boot/initrd";
    mk_plan(&p, &offset);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "offset", justified);
    t_golden("offset");

    ck_assert(!t_has_node(fdt, "/memory@800000000"));
    t_reg(fdt, "/memory@40000000", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(a, 0x40000000);
    ck_assert_uint_eq(sz, MIB(512));
    ck_assert_uint_eq(t_u64(fdt, "/hypervisor", "dma-offset"),
                      UINT64_C(0x7c0000000));
}
END_TEST

START_TEST(test_golden_twobank)
{
    uint64_t a, sz;

    mk_spec(&s, "twobank");
    mk_plan(&p, &twobank);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "twobank", justified);
    t_golden("twobank");

    t_reg(fdt, "/memory@40000000", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(sz, MIB(256));
    t_reg(fdt, "/memory@200000000", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(a, RAM1_BASE);
    ck_assert_uint_eq(sz, MIB(256));
    /* two different host offsets: no dma-offset */
    ck_assert(!t_has_prop(fdt, "/hypervisor", "dma-offset"));
}
END_TEST

START_TEST(test_golden_partial)
{
    size_t plen;
    void *pfdt;
    int n;
    const fdt32_t *dr;

    pfdt = t_fixture("partial.dtb", &plen);
    o.partial_fdt = pfdt;
    o.partial_len = plen;
    mk_spec(&s, "passthru");
    s.device_tree = (char *)"partial.dtb";
    s.has_passthrough = true;
    mk_plan(&p, &partial);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "partial", justified);
    t_golden("partial");

    ck_assert(t_has_node(fdt, "/passthrough/ethernet@9100000"));
    ck_assert_str_eq(t_prop(fdt, "/aliases", "ethernet0", &n),
                     "/passthrough/ethernet@9100000");
    /* <bus=host cpu=guest size> in 2 + 2 + 2 cells */
    dr = t_prop(fdt, "/passthrough", "dma-ranges", &n);
    ck_assert_int_eq(n, 24);
    ck_assert_uint_eq(fdt32_to_cpu(dr[1]), 0x60000000);
    ck_assert_uint_eq(fdt32_to_cpu(dr[3]), 0x40000000);
    ck_assert_uint_eq(fdt32_to_cpu(dr[5]), 0x10000000);
    free(pfdt);
}
END_TEST

/* ------------------------------------------------------------------ */
/* dma-offset and the dma-ranges translation                           */

static const struct tcase offsets[] = {
    /* positive: host above guest */
    { "pos", false, 1, { { UINT64_C(0x800000000), RAM0_BASE, MIB(512) } },
      true, UINT64_C(0x7c0000000), { 0, 0 } },
    /* negative: host below guest, two's complement */
    { "neg", false, 1, { { 0x20000000, RAM0_BASE, MIB(256) } },
      true, (uint64_t)-(int64_t)0x20000000, { 0, 0 } },
    /* zero: direct-mapped */
    { "zero", true, 1, { { 0x60000000, 0x60000000, MIB(256) } },
      true, 0, { 0, 0 } },
    /* one offset over two guest banks */
    { "banks", false, 2,
      { { UINT64_C(0x840000000), RAM0_BASE, GIB(1) },
        { UINT64_C(0xa00000000), RAM1_BASE, GIB(1) } },
      true, UINT64_C(0x800000000), { 0, 0 } },
    /* negative, high guest */
    { "neghigh", false, 1, { { 0x80000000, RAM1_BASE, MIB(64) } },
      true, (uint64_t)0x80000000 - RAM1_BASE, { 0, 0 } },
};

START_TEST(test_dma_offset_value)
{
    const struct tcase *t = &offsets[_i];
    int n;
    const fdt32_t *v;

    mk_spec(&s, t->name);
    mk_plan(&p, t);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, t->name, justified);

    v = t_prop(fdt, "/hypervisor", "dma-offset", &n);
    ck_assert_int_eq(n, 8);
    /* two cells, big-endian, host - guest of every extent */
    ck_assert_uint_eq(fdt32_to_cpu(v[0]), (uint32_t)(t->off >> 32));
    ck_assert_uint_eq(fdt32_to_cpu(v[1]), (uint32_t)t->off);
    ck_assert_uint_eq(t->ext[0].guest + t->off, t->ext[0].host);
}
END_TEST

/*
 * What Linux does with /passthrough's dma-ranges <bus cpu size>
 * (of_dma_get_range, dma_direct): a CPU-physical address phys in
 * [cpu, cpu + size) is given to the device as phys - cpu + bus.  For
 * every guest RAM page tested that must be its host address.
 */
START_TEST(test_dma_ranges_translate)
{
    const struct tcase *t = &offsets[_i];
    size_t plen, i, k;
    void *pfdt;
    uint64_t bus, cpu, size;
    const fdt32_t *dr;
    int n;

    pfdt = t_fixture("partial.dtb", &plen);
    o.partial_fdt = pfdt;
    o.partial_len = plen;
    mk_spec(&s, t->name);
    mk_plan(&p, t);
    fdt = gen(&s, &p, &o, &len);

    /* /passthrough: 2 address cells, 2 size cells; root: 2 cells */
    ck_assert_uint_eq(t_u32(fdt, "/passthrough", "#address-cells"), 2);
    ck_assert_uint_eq(t_u32(fdt, "/passthrough", "#size-cells"), 2);
    dr = t_prop(fdt, "/passthrough", "dma-ranges", &n);
    ck_assert_int_eq(n, 24);
    bus = ((uint64_t)fdt32_to_cpu(dr[0]) << 32) | fdt32_to_cpu(dr[1]);
    cpu = ((uint64_t)fdt32_to_cpu(dr[2]) << 32) | fdt32_to_cpu(dr[3]);
    size = ((uint64_t)fdt32_to_cpu(dr[4]) << 32) | fdt32_to_cpu(dr[5]);

    for (i = 0; i < t->nr; i++) {
        const struct lxs_extent *e = &t->ext[i];
        const uint64_t offs[] = { 0, LXS_PAGE_SIZE, e->size / 2,
                                  e->size - LXS_PAGE_SIZE, e->size - 1 };

        for (k = 0; k < ARRAY_SIZE(offs); k++) {
            uint64_t phys = e->guest + offs[k];

            ck_assert_msg(phys >= cpu && phys - cpu < size,
                          "guest 0x%" PRIx64 " outside dma-ranges", phys);
            ck_assert_uint_eq(phys - cpu + bus, e->host + offs[k]);
        }
    }
    free(pfdt);
}
END_TEST

START_TEST(test_dma_ranges_replaces_partial)
{
    size_t plen;
    void *pfdt;
    int n, node, count = 0, off;

    pfdt = t_fixture("partial-highmmio.dtb", &plen);
    o.partial_fdt = pfdt;
    o.partial_len = plen;
    mk_spec(&s, "hm");
    mk_plan(&p, &partial);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "highmmio", justified);

    /* one dma-ranges, ours, instead of the partial DT's empty one */
    node = fdt_path_offset(fdt, "/passthrough");
    fdt_for_each_property_offset(off, fdt, node) {
        const char *name;

        fdt_getprop_by_offset(fdt, off, &name, NULL);
        if (!strcmp(name, "dma-ranges"))
            count++;
    }
    ck_assert_int_eq(count, 1);
    t_prop(fdt, "/passthrough", "dma-ranges", &n);
    ck_assert_int_eq(n, 24);
    free(pfdt);
}
END_TEST

/* /passthrough without cells: the guest root's 2/2 */
START_TEST(test_dma_ranges_inherited_cells)
{
    size_t plen;
    void *pfdt;
    const fdt32_t *dr;
    int n;

    pfdt = t_fixture("partial-nocells.dtb", &plen);
    o.partial_fdt = pfdt;
    o.partial_len = plen;
    mk_spec(&s, "nc");
    mk_plan(&p, &offset);
    fdt = gen(&s, &p, &o, &len);
    dr = t_prop(fdt, "/passthrough", "dma-ranges", &n);
    ck_assert_int_eq(n, 24);
    ck_assert_uint_eq(fdt32_to_cpu(dr[0]), 0x8);        /* host 0x8_0000_0000 */
    ck_assert_uint_eq(fdt32_to_cpu(dr[3]), 0x40000000); /* guest */
    ck_assert_uint_eq(fdt32_to_cpu(dr[5]), MIB(512));
    free(pfdt);
}
END_TEST

START_TEST(test_no_dma_ranges_without_offset)
{
    size_t plen;
    void *pfdt;

    pfdt = t_fixture("partial.dtb", &plen);
    o.partial_fdt = pfdt;
    o.partial_len = plen;
    mk_spec(&s, "tb");
    mk_plan(&p, &twobank);
    fdt = gen(&s, &p, &o, &len);
    ck_assert(t_has_node(fdt, "/passthrough/ethernet@9100000"));
    ck_assert(!t_has_prop(fdt, "/passthrough", "dma-ranges"));
    ck_assert(!t_has_prop(fdt, "/hypervisor", "dma-offset"));
    free(pfdt);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Memory nodes, windows, extended regions                             */

START_TEST(test_merge_guest_adjacent)
{
    /* examples/twobank.cfg: two host extents back to back in the guest */
    static const struct tcase t = {
        "merged", false, 2,
        { { 0x78000000, RAM0_BASE, MIB(128) },
          { UINT64_C(0x880000000), RAM0_BASE + MIB(128), MIB(256) } },
        false, 0, { 0, 0 },
    };
    uint64_t a, sz;
    int node, nr_mem = 0;

    mk_spec(&s, "merged");
    mk_plan(&p, &t);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "merged", justified);

    fdt_for_each_subnode(node, fdt, 0)
        if (!strncmp(fdt_get_name(fdt, node, NULL), "memory@", 7))
            nr_mem++;
    ck_assert_int_eq(nr_mem, 1);
    t_reg(fdt, "/memory@40000000", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(sz, MIB(384));
}
END_TEST

/* layouts whose extended regions are checked against the rules */
static const struct tcase layouts[] = {
    { "default", false, 1, { { 0x80000000, RAM0_BASE, MIB(256) } },
      true, 0x40000000, { 0, 0 } },
    { "dm-low", true, 1, { { 0x60000000, 0x60000000, MIB(256) } },
      true, 0, { 0, 0 } },
    { "dm-high", true, 2,
      { { 0x50000000, 0x50000000, MIB(128) },
        { UINT64_C(0x880000000), UINT64_C(0x880000000), MIB(512) } },
      false, 0, { 0, 0 } },
    { "full-bank0", false, 2,
      { { UINT64_C(0x800000000), RAM0_BASE, GIB(3) },
        { UINT64_C(0xb00000000), RAM1_BASE, GIB(1) } },
      false, 0, { 0, 0 } },
    /* RAM covering the default grant-table window: the planner moved it */
    { "moved-gnttab", true, 1, { { 0x30000000, 0x30000000, MIB(512) } },
      true, 0, { UINT64_C(0x90000000), MIB(16) } },
    { "odd-align", false, 1,
      { { UINT64_C(0x800001000), RAM0_BASE + 0x1000, MIB(100) } },
      true, UINT64_C(0x7c0000000), { 0, 0 } },
};

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

START_TEST(test_ext_regions_rules)
{
    const struct tcase *t = &layouts[_i];
    struct dtg_guest_layout lay;
    char *why = NULL;
    size_t i, j;

    dtg_guest_layout_init(&lay);
    mk_plan(&p, t);
    ck_assert_int_eq(dtg_guest_layout(&p, &o, &lay, &why), 0);

    ck_assert_uint_ge(lay.g.nr_ext, 1);
    ck_assert_uint_le(lay.g.nr_ext, DTG_MAX_EXT_REGIONS);
    ck_assert_uint_eq(lay.g.gnttab.base, p.gnttab.base);
    for (i = 0; i < lay.g.nr_ext; i++) {
        const struct lxs_window *x = &lay.g.ext[i];

        ck_assert_uint_eq(x->base % MIB(2), 0);
        ck_assert_uint_eq(x->size % MIB(2), 0);
        ck_assert_uint_ge(x->size, MIB(64));
        ck_assert_uint_le(x->base + x->size, IPA40);
        ck_assert(!overlap(x->base, x->size, lay.g.gnttab.base,
                           lay.g.gnttab.size));
        ck_assert(!overlap(x->base, x->size, p.magic.base, p.magic.size));
        /* the GIC, the vPL011, the vPCI windows */
        ck_assert(!overlap(x->base, x->size, 0x03000000, MIB(16) + 0x20000));
        ck_assert(!overlap(x->base, x->size, 0x22000000, 0x1000));
        ck_assert(!overlap(x->base, x->size, UINT64_C(0x100000000),
                           UINT64_C(0x100000000)));
        for (j = 0; j < t->nr; j++)
            ck_assert(!overlap(x->base, x->size, t->ext[j].guest,
                               t->ext[j].size));
        if (i)
            ck_assert_uint_gt(x->base, lay.g.ext[i - 1].base);
    }
    /* the grant-table window is never on RAM */
    for (j = 0; j < t->nr; j++)
        ck_assert(!overlap(lay.g.gnttab.base, lay.g.gnttab.size,
                           t->ext[j].guest, t->ext[j].size));
    dtg_guest_layout_dispose(&lay);
}
END_TEST

/*
 * With RAM where libxl puts it, the regions are libxl's
 * (finalize_hypervisor_node): from the 2 MiB-aligned end of each bank's
 * RAM to the end of the bank space or the IPA limit.
 */
START_TEST(test_ext_regions_as_libxl)
{
    static const struct tcase t = {
        "libxl", false, 1, { { 0x80000000, RAM0_BASE, MIB(100) } },
        true, 0x40000000, { 0, 0 },
    };
    const unsigned int bits[] = { 32, 36, 40, 42, 48 };
    struct dtg_guest_layout lay;
    size_t k;

    for (k = 0; k < ARRAY_SIZE(bits); k++) {
        uint64_t lim = UINT64_C(1) << bits[k];
        uint64_t b0 = RAM0_BASE + MIB(100);       /* 2M aligned already */
        uint64_t e0 = lim < RAM0_END ? lim : RAM0_END;
        uint64_t e1 = lim < RAM1_BASE + UINT64_C(0xfe00000000) ? lim
            : RAM1_BASE + UINT64_C(0xfe00000000);
        size_t n = 0;

            o.ipa_bits = bits[k];
        dtg_guest_layout_init(&lay);
        mk_plan(&p, &t);
        ck_assert_int_eq(dtg_guest_layout(&p, &o, &lay, NULL), 0);
        if (e0 > b0) {
            ck_assert_uint_eq(lay.g.ext[n].base, b0);
            ck_assert_uint_eq(lay.g.ext[n].size, e0 - b0);
            n++;
        }
        if (e1 > RAM1_BASE) {
            ck_assert_uint_eq(lay.g.ext[n].base, RAM1_BASE);
            ck_assert_uint_eq(lay.g.ext[n].size, e1 - RAM1_BASE);
            n++;
        }
        ck_assert_uint_eq(lay.g.nr_ext, n);
        dtg_guest_layout_dispose(&lay);
    }
}
END_TEST

START_TEST(test_ext_regions_avoid_passthrough)
{
    struct dtg_guest_layout lay;
    size_t plen, i;
    void *pfdt;

    pfdt = t_fixture("partial-highmmio.dtb", &plen);
    o.partial_fdt = pfdt;
    o.partial_len = plen;
    dtg_guest_layout_init(&lay);
    mk_plan(&p, &partial);
    ck_assert_int_eq(dtg_guest_layout(&p, &o, &lay, NULL), 0);
    ck_assert_uint_eq(lay.g.nr_ext, 2);
    for (i = 0; i < lay.g.nr_ext; i++) {
        ck_assert(!overlap(lay.g.ext[i].base, lay.g.ext[i].size, 0x80000000,
                           MIB(2)));
        ck_assert(!overlap(lay.g.ext[i].base, lay.g.ext[i].size,
                           UINT64_C(0x300000000), 0x1000));
    }
    /* bank 0: the larger side of the device, 0x80200000-0x100000000 */
    ck_assert_uint_eq(lay.g.ext[0].base, 0x80200000);
    ck_assert_uint_eq(lay.g.ext[0].size, RAM0_END - 0x80200000);
    /* bank 1: above the device, 2 MiB aligned */
    ck_assert_uint_eq(lay.g.ext[1].base, UINT64_C(0x300200000));
    dtg_guest_layout_dispose(&lay);
    free(pfdt);
}
END_TEST

START_TEST(test_moved_gnttab_in_tree)
{
    const struct tcase *t = &layouts[4];
    uint64_t a, sz;

    mk_spec(&s, "moved");
    mk_plan(&p, t);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "moved", justified);
    t_reg(fdt, "/hypervisor", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(a, 0x90000000);
    ck_assert_uint_eq(sz, MIB(16));
    ck_assert(t_has_node(fdt, "/memory@30000000"));
}
END_TEST

/* No static placement: Xen's heap, libxl's layout, no dma-offset. */
START_TEST(test_heap_domain)
{
    static const struct tcase none = { "heap", false, 0, { { 0, 0, 0 } },
                                       false, 0, { 0, 0 } };
    uint64_t a, sz;

    mk_spec(&s, "heap");
    s.has_memory = true;
    s.memory_size = GIB(4);
    mk_plan(&p, &none);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "heap", justified);
    t_reg(fdt, "/memory@40000000", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(sz, GIB(3));
    t_reg(fdt, "/memory@200000000", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(sz, GIB(1));
    ck_assert(!t_has_prop(fdt, "/hypervisor", "dma-offset"));
    /* the extended regions start after the RAM, as libxl's */
    t_reg(fdt, "/hypervisor", "reg", 2, 2, 1, &a, &sz);
    ck_assert_uint_eq(a, RAM1_BASE + GIB(1));
    ck_assert_int_eq(t_nreg(fdt, "/hypervisor", "reg", 2, 2), 2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The libxl nodes                                                     */

static const unsigned int vcpu_counts[] = { 1, 2, 15, 16, 17, 128 };

START_TEST(test_cpus)
{
    unsigned int n = vcpu_counts[_i], i;
    int node, count = 0;

    mk_spec(&s, "cpus");
    s.vcpus = n;
    mk_plan(&p, &offset);
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "cpus", justified);
    if (n == 128)   /* outgrew the first 4 KiB buffer: retried */
        ck_assert_uint_gt(len, 4096);

    node = fdt_path_offset(fdt, "/cpus");
    fdt_for_each_subnode(node, fdt, node)
        count++;
    ck_assert_int_eq(count, (int)n);
    for (i = 0; i < n; i++) {
        /* libxl__compute_mpdir: AFF0 = i % 16, AFF1 = i / 16 */
        uint32_t mpidr = (i & 0xf) | ((i >> 4) << 8);
        char path[32];

        snprintf(path, sizeof(path), "/cpus/cpu@%x", mpidr);
        ck_assert_uint_eq(t_u32(fdt, path, "reg"), mpidr);
        ck_assert_str_eq(t_prop(fdt, path, "enable-method", NULL), "psci");
    }
}
END_TEST

static const struct {
    int spec_gic, dflt, want;
} gics[] = {
    { 0, 3, 3 }, { 0, 2, 2 }, { 2, 3, 2 }, { 3, 2, 3 },
};

START_TEST(test_gic_version)
{
    const char *path = "/interrupt-controller@3001000";
    uint64_t a, sz;

    o.default_gic_version = gics[_i].dflt;
    mk_spec(&s, "gic");
    s.gic_version = gics[_i].spec_gic;
    mk_plan(&p, &offset);
    fdt = gen(&s, &p, &o, &len);
    ck_assert_uint_eq(t_u32(fdt, path, "phandle"), 65000);
    ck_assert_uint_eq(t_u32(fdt, "/", "interrupt-parent"), 65000);
    t_reg(fdt, path, "reg", 2, 2, 1, &a, &sz);
    if (gics[_i].want == 3) {
        ck_assert_str_eq(t_prop(fdt, path, "compatible", NULL), "arm,gic-v3");
        ck_assert_uint_eq(a, 0x03020000);       /* GICR0 */
    } else {
        ck_assert_str_eq(t_prop(fdt, path, "compatible", NULL),
                         "arm,cortex-a15-gic");
        ck_assert_uint_eq(a, 0x03002000);       /* GICC */
    }
}
END_TEST

START_TEST(test_chosen_and_uart)
{
    o.xen_major = 4;
    o.xen_minor = 19;
    mk_spec(&s, "plain");
    s.cmdline = NULL;
    mk_plan(&p, &offset);
    fdt = gen(&s, &p, &o, &len);
    ck_assert(!t_has_prop(fdt, "/chosen", "bootargs"));
    ck_assert(!t_has_prop(fdt, "/chosen", "linux,initrd-start"));
    ck_assert(!t_has_node(fdt, "/sbsa-uart@22000000"));
    ck_assert_str_eq(t_prop(fdt, "/hypervisor", "compatible", NULL),
                     "xen,xen-4.19");
    ck_assert_str_eq(t_prop(fdt, "/", "model", NULL), "XENVM-4.19");
    free(fdt);

    s.cmdline = (char *)"root=/dev/xvda ro";
    s.ramdisk = (char *)"/boot/initrd";
    s.vuart_sbsa = true;
    fdt = gen(&s, &p, &o, &len);
    ck_assert_str_eq(t_prop(fdt, "/chosen", "bootargs", NULL),
                     "root=/dev/xvda ro");
    ck_assert_uint_eq(t_u64(fdt, "/chosen", "linux,initrd-start"), 0);
    ck_assert_uint_eq(t_u64(fdt, "/chosen", "linux,initrd-end"), 0);
    ck_assert_str_eq(t_prop(fdt, "/sbsa-uart@22000000", "compatible", NULL),
                     "arm,sbsa-uart");
}
END_TEST

START_TEST(test_default_version_from_build)
{
    char want[32];

    ck_assert_uint_eq(o.xen_major, XENLIGHT_VERSION_MAJOR);
    ck_assert_uint_eq(o.xen_minor, XENLIGHT_VERSION_MINOR);
    mk_spec(&s, "v");
    mk_plan(&p, &offset);
    fdt = gen(&s, &p, &o, &len);
    snprintf(want, sizeof(want), "xen,xen-%d.%d", XENLIGHT_VERSION_MAJOR,
             XENLIGHT_VERSION_MINOR);
    ck_assert_str_eq(t_prop(fdt, "/hypervisor", "compatible", NULL), want);
}
END_TEST

/*
 * A 1:1 domain's magic pages in its RAM: a /reserved-memory child keeps
 * the kernel off them, mapped (no no-map), and the memory node still
 * covers the whole extent, so that the guest's RAM is the planned range.
 */
START_TEST(test_magic_in_ram)
{
    const char *node = "/reserved-memory/" DTG_MAGIC_RESV_NODE "@6fffc000";
    uint64_t a, sz;

    mk_spec(&s, "netdrv");
    mk_plan(&p, &directmap);
    fdt = gen(&s, &p, &o, &len);
    ck_assert(!t_has_node(fdt, "/reserved-memory"));
    free(fdt);

    p.magic_in_ram = true;
    p.magic = (struct lxs_window){ 0x6fffc000, LXS_MAGIC_IN_RAM_SIZE };
    fdt = gen(&s, &p, &o, &len);
    t_check_blob(fdt, len, "magic-in-ram", justified);
    ck_assert_uint_eq(t_u32(fdt, "/reserved-memory", "#address-cells"), 2);
    ck_assert_uint_eq(t_u32(fdt, "/reserved-memory", "#size-cells"), 2);
    ck_assert(t_has_prop(fdt, "/reserved-memory", "ranges"));
    ck_assert(t_has_node(fdt, node));
    t_reg(fdt, node, "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(a, 0x6fffc000);
    ck_assert_uint_eq(sz, 0x4000);
    ck_assert(!t_has_prop(fdt, node, "no-map"));
    t_reg(fdt, "/memory@60000000", "reg", 2, 2, 0, &a, &sz);
    ck_assert_uint_eq(a, 0x60000000);
    ck_assert_uint_eq(sz, MIB(256));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Errors                                                              */

enum bad_kind {
    BAD_GIC, BAD_NO_EXT, BAD_OFFSET, BAD_GNTTAB, BAD_OVERLAP, BAD_ALIGN,
    BAD_IPA, BAD_IPA_BITS, BAD_NOPT, BAD_CORRUPT, BAD_CELLS, BAD_MAGIC,
    BAD_MAGIC_SPAN,
};

static const struct {
    enum bad_kind kind;
    int want;
    const char *why;    /* a substring of the message */
} bads[] = {
    { BAD_GIC, -EINVAL, "gic_version 4" },
    { BAD_NO_EXT, -EINVAL, "does not fit the guest ram banks" },
    { BAD_OFFSET, -EINVAL, "does not hold" },
    { BAD_GNTTAB, -EINVAL, "grant-table window" },
    { BAD_OVERLAP, -EINVAL, "overlap in guest space" },
    { BAD_ALIGN, -EINVAL, "page-aligned" },
    { BAD_IPA, -EINVAL, "above the guest ipa limit" },
    { BAD_IPA_BITS, -EINVAL, "ipa width" },
    { BAD_NOPT, -EBADMSG, "no /passthrough" },
    { BAD_CORRUPT, -EBADMSG, "malformed" },
    { BAD_CELLS, -EBADMSG, "does not fit /passthrough" },
    { BAD_MAGIC, -EINVAL, "said to be in guest ram" },
    { BAD_MAGIC_SPAN, -EINVAL, "said to be in guest ram" },
};

START_TEST(test_errors)
{
    struct tcase t = offset;
    void *out = (void *)&t, *pfdt = NULL;
    size_t out_len = 12345, plen;
    char *why = NULL;
    int rc;

    mk_spec(&s, "bad");
    switch (bads[_i].kind) {
    case BAD_GIC:
        s.gic_version = 4;
        break;
    case BAD_NO_EXT:
        /* heap RAM (no extents) that libxl's two banks cannot hold */
        t.nr = 0;
        s.has_memory = true;
        s.memory_size = GIB(2048);
        break;
    case BAD_OFFSET:
        t.off += LXS_PAGE_SIZE;
        break;
    case BAD_GNTTAB:
        t.gnttab = (struct lxs_window){ RAM0_BASE + MIB(100), MIB(16) };
        break;
    case BAD_OVERLAP:
        t = twobank;
        t.ext[1].guest = RAM0_BASE + MIB(128);
        break;
    case BAD_ALIGN:
        t.ext[0].size += 0x800;
        break;
    case BAD_IPA:
        t = twobank;
        t.ext[1].guest = IPA40 - MIB(128);
        break;
    case BAD_IPA_BITS:
        o.ipa_bits = 31;
        break;
    case BAD_NOPT:
        pfdt = t_fixture("partial-nopt.dtb", &plen);
        break;
    case BAD_CORRUPT:
        pfdt = t_fixture("partial.dtb", &plen);
        plen -= 8;      /* truncated */
        break;
    case BAD_CELLS:
        pfdt = t_fixture("partial-cells1.dtb", &plen);
        break;
    case BAD_MAGIC:
    case BAD_MAGIC_SPAN:
        break;          /* set on the plan below */
    }
    if (pfdt) {
        o.partial_fdt = pfdt;
        o.partial_len = plen;
    }
    mk_plan(&p, &t);
    if (bads[_i].kind == BAD_MAGIC) {
        /* in ram by the flag, outside it by the address */
        p.magic_in_ram = true;
        p.magic = (struct lxs_window){ MAGIC_BASE, 0x4000 };
    } else if (bads[_i].kind == BAD_MAGIC_SPAN) {
        /* starts in ram, ends past it */
        p.magic_in_ram = true;
        p.magic = (struct lxs_window){ RAM0_BASE + MIB(512) - 0x2000,
                                       0x4000 };
    }
    rc = dtg_guest_fdt(&s, &p, &o, &out, &out_len, &why);
    ck_assert_int_eq(rc, bads[_i].want);
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, bads[_i].why), "message '%s' lacks '%s'", why,
                  bads[_i].why);
    /* outputs untouched */
    ck_assert_ptr_eq(out, (void *)&t);
    ck_assert_uint_eq(out_len, 12345);
    free(why);
    free(pfdt);
}
END_TEST

/* Every allocation failing in turn: -ENOMEM each time, then success. */
START_TEST(test_alloc_failures)
{
    size_t plen;
    void *pfdt;
    unsigned long n;
    char *why;
    int rc;

    pfdt = t_fixture("partial.dtb", &plen);
    o.partial_fdt = pfdt;
    o.partial_len = plen;
    mk_spec(&s, "nomem");
    s.vcpus = 128;      /* takes the resize path too */
    mk_plan(&p, &twobank);
    for (n = 1; n < 1000; n++) {
        fdt = NULL;
        why = NULL;
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = dtg_guest_fdt(&s, &p, &o, &fdt, &len, &why);
        lxs__alloc_fail_at = 0;
        if (rc == 0 && lxs__alloc_count < n) {
            ck_assert_int_eq(fdt_check_full(fdt, len), 0);
            break;             /* the fixture frees it */
        }
        /* a failed shrink at the end is no failure */
        if (rc == 0) {
            free(fdt);
            continue;
        }
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert_ptr_null(fdt);
        free(why);
    }
    ck_assert_uint_gt(n, 3);
    ck_assert_uint_lt(n, 1000);
    free(pfdt);
}
END_TEST

Suite *guest_suite(void)
{
    return unit_suite("guest", UNIT_TCASE("golden"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_TESTS(test_golden_directmap, test_golden_offset,
                                 test_golden_twobank, test_golden_partial),
                      UNIT_TCASE("dma"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_LOOP(test_dma_offset_value, ARRAY_SIZE(offsets)),
                      UNIT_LOOP(test_dma_ranges_translate, ARRAY_SIZE(offsets)),
                      UNIT_TESTS(test_dma_ranges_replaces_partial,
                                 test_dma_ranges_inherited_cells,
                                 test_no_dma_ranges_without_offset),
                      UNIT_TCASE("layout"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_TESTS(test_merge_guest_adjacent),
                      UNIT_LOOP(test_ext_regions_rules, ARRAY_SIZE(layouts)),
                      UNIT_TESTS(test_ext_regions_as_libxl,
                                 test_ext_regions_avoid_passthrough,
                                 test_moved_gnttab_in_tree, test_heap_domain,
                                 test_magic_in_ram),
                      UNIT_TCASE("nodes"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_LOOP(test_cpus, ARRAY_SIZE(vcpu_counts)),
                      UNIT_LOOP(test_gic_version, ARRAY_SIZE(gics)),
                      UNIT_TESTS(test_chosen_and_uart,
                                 test_default_version_from_build),
                      UNIT_TCASE("errors"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_LOOP(test_errors, ARRAY_SIZE(bads)),
                      UNIT_TESTS(test_alloc_failures),
                      NULL);
}
