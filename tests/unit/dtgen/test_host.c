/*
 * The dom0less host device tree: the domain node and its modules, what
 * the edit keeps and replaces, /chosen cells, the pool, module
 * placement, the findings of dtg_host_check, the round trip through
 * the host-map reader and lxs_check, and allocation failures.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"
#include "dtgen_tests.h"

static const char *const justified[] = {
    /*
     * Xen 4.17 reads xen,static-mem with /chosen's cells, so /chosen has
     * them even when no child of it has a reg (only domain nodes).
     */
    "/chosen: unnecessary #address-cells/#size-cells",
    NULL,
};

struct hdom {
    const char *name;
    bool direct_map;
    bool vuart;
    unsigned int vcpus;
    size_t nr;
    struct lxs_extent ext[3];
    struct dtg_module kernel, ramdisk;
};

struct hset {
    struct lxs_spec spec[4];
    struct lxs_plan plan[4];
    struct dtg_domain dom[4];
    size_t nr;
};

static void hset_load(struct hset *h, const struct hdom *d, size_t nr)
{
    size_t i;

    memset(h, 0, sizeof(*h));
    for (i = 0; i < nr; i++) {
        struct lxs_spec *s = &h->spec[i];
        struct lxs_plan *p = &h->plan[i];

        s->name = (char *)d[i].name;
        s->file = (char *)"test.cfg";
        s->vcpus = d[i].vcpus;
        s->vuart_sbsa = d[i].vuart;
        s->cmdline = (char *)"console=ttyAMA0";
        p->direct_map = d[i].direct_map;
        p->ext = (struct lxs_extent *)d[i].ext;
        p->nr_ext = d[i].nr;
        h->dom[i].spec = s;
        h->dom[i].plan = p;
        h->dom[i].kernel = d[i].kernel;
        h->dom[i].ramdisk = d[i].ramdisk;
    }
    h->nr = nr;
}

static void *edit_ok(const void *in, size_t in_len, struct hset *h,
                     const struct dtg_host_opts *o, size_t *len_r)
{
    struct lxs_diags diags;
    void *out = NULL;
    char *why = NULL;
    size_t i;
    int rc;

    lxs_diags_init(&diags);
    rc = dtg_host_check(in, in_len, h->dom, h->nr, o, &diags);
    for (i = 0; i < diags.nr; i++)
        fprintf(stderr, "finding: %s: %s\n",
                lxs_code_name(diags.v[i].code), diags.v[i].message);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(diags.nr, 0);
    lxs_diags_dispose(&diags);

    rc = dtg_host_fdt(in, in_len, h->dom, h->nr, o, &out, len_r, &why);
    ck_assert_msg(rc == 0, "dtg_host_fdt: %d (%s)", rc, why ? why : "");
    return out;
}

static const struct hdom netdrv = {
    "netdrv", true, true, 2, 1,
    { { 0x60000000, 0x60000000, MIB(256) } },
    /* the dom0 kernel module, shared */
    { MIB(32), 0x42000000, true },
    { 0xf1020, 0, false },
};

START_TEST(test_domain_node)
{
    const struct lxs_window pool = { 0x80000000, MIB(512) };
    struct dtg_host_opts o;
    struct hset h;
    size_t in_len, len;
    void *in, *out;
    uint64_t a, s;
    int n;
    const char *c;

    in = t_fixture("host.dtb", &in_len);
    dtg_host_opts_init(&o);
    o.pools = &pool;
    o.nr_pools = 1;
    hset_load(&h, &netdrv, 1);
    out = edit_ok(in, in_len, &h, &o, &len);
    t_check_blob(out, len, "host-netdrv", justified);
    t_golden("host-netdrv");

    c = t_prop(out, "/chosen/netdrv", "compatible", &n);
    ck_assert_int_eq(n, (int)sizeof("xen,domain"));
    ck_assert_str_eq(c, "xen,domain");
    ck_assert_uint_eq(t_u32(out, "/chosen", "#address-cells"), 2);
    ck_assert_uint_eq(t_u32(out, "/chosen", "#size-cells"), 2);
    ck_assert_uint_eq(t_u32(out, "/chosen/netdrv", "#address-cells"), 2);
    ck_assert_uint_eq(t_u32(out, "/chosen/netdrv", "#size-cells"), 2);
    ck_assert_uint_eq(t_u64(out, "/chosen/netdrv", "memory"), 256 * 1024);
    ck_assert_uint_eq(t_u32(out, "/chosen/netdrv", "cpus"), 2);
    t_reg(out, "/chosen/netdrv", "xen,static-mem", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x60000000);
    ck_assert_uint_eq(s, MIB(256));
    t_prop(out, "/chosen/netdrv", "direct-map", &n);
    ck_assert_int_eq(n, 0);
    t_prop(out, "/chosen/netdrv", "vpl011", &n);
    ck_assert_int_eq(n, 0);

    /* the kernel at its given address, with the bootargs */
    c = t_prop(out, "/chosen/netdrv/module@42000000", "compatible", &n);
    ck_assert_str_eq(c, "multiboot,kernel");
    ck_assert_str_eq(c + strlen(c) + 1, "multiboot,module");
    t_reg(out, "/chosen/netdrv/module@42000000", "reg", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x42000000);
    ck_assert_uint_eq(s, MIB(32));
    ck_assert_str_eq(t_prop(out, "/chosen/netdrv/module@42000000",
                            "bootargs", NULL), "console=ttyAMA0");
    /*
     * the ramdisk placed top-down in free RAM: above the pool
     * (0x80000000-0xa0000000) the top of RAM is free, 0xc0000000 minus
     * its 4 KiB-rounded size, 2 MiB aligned down
     */
    ck_assert(h.dom[0].ramdisk.placed);
    ck_assert_uint_eq(h.dom[0].ramdisk.addr, 0xbfe00000);
    c = t_prop(out, "/chosen/netdrv/module@bfe00000", "compatible", NULL);
    ck_assert_str_eq(c, "multiboot,ramdisk");
    t_reg(out, "/chosen/netdrv/module@bfe00000", "reg", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(s, 0xf1020);
    ck_assert(!t_has_prop(out, "/chosen/netdrv/module@bfe00000",
                          "bootargs"));

    /* the pool */
    t_reg(out, "/chosen", "xen,static-pool", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x80000000);
    ck_assert_uint_eq(s, MIB(512));

    /* everything else kept */
    ck_assert_int_eq(fdt_num_mem_rsv(out), 1);
    ck_assert(t_has_node(out, "/reserved-memory/optee@4e000000"));
    ck_assert(t_has_node(out, "/chosen/module@42000000"));
    ck_assert(t_has_node(out, "/chosen/xen-config"));
    ck_assert(t_has_node(out, "/chosen/old/module@4b000000"));
    ck_assert_str_eq(t_prop(out, "/chosen", "xen,xen-bootargs", NULL),
                     "console=dtuart dom0_mem=512M bootscrub=0");
    free(out);
    free(in);
}
END_TEST

START_TEST(test_replace_existing)
{
    static const struct hdom d = {
        "old", false, false, 1, 2,
        { { 0x70000000, 0x40000000, MIB(64) },
          { 0x78000000, 0x44000000, MIB(64) } },
        { MIB(8), 0x4b000000, true },
        { 0, 0, false },
    };
    struct dtg_host_opts o;
    struct hset h;
    size_t in_len, len;
    void *in, *out;
    uint64_t a, s;
    int node, count = 0;

    in = t_fixture("host.dtb", &in_len);
    dtg_host_opts_init(&o);
    hset_load(&h, &d, 1);
    out = edit_ok(in, in_len, &h, &o, &len);
    t_check_blob(out, len, "host-replace", justified);

    /* one node of that name, the new one: no vpl011, two banks */
    node = fdt_path_offset(out, "/chosen");
    fdt_for_each_subnode(node, out, node)
        if (!strcmp(fdt_get_name(out, node, NULL), "old"))
            count++;
    ck_assert_int_eq(count, 1);
    ck_assert(!t_has_prop(out, "/chosen/old", "vpl011"));
    ck_assert(!t_has_prop(out, "/chosen/old", "direct-map"));
    ck_assert_int_eq(t_nreg(out, "/chosen/old", "xen,static-mem", 2, 2), 2);
    t_reg(out, "/chosen/old", "xen,static-mem", 2, 2, 1, &a, &s);
    ck_assert_uint_eq(a, 0x78000000);
    ck_assert_uint_eq(t_u64(out, "/chosen/old", "memory"), 128 * 1024);
    /* the old kernel module's address is its own again */
    ck_assert(t_has_node(out, "/chosen/old/module@4b000000"));
    /* no pool given: none written */
    ck_assert(!t_has_prop(out, "/chosen", "xen,static-pool"));
    free(out);
    free(in);
}
END_TEST

START_TEST(test_domain_order)
{
    static const struct hdom d[] = {
        { "alpha", true, false, 1, 1, { { 0x60000000, 0x60000000, MIB(64) } },
          { MIB(4), 0, false }, { 0, 0, false } },
        { "beta", false, false, 1, 1, { { 0x64000000, 0x40000000, MIB(64) } },
          { MIB(4), 0, false }, { MIB(1), 0, false } },
    };
    struct dtg_host_opts o;
    struct hset h;
    size_t in_len, len;
    void *in, *out;
    int chosen, node, ia = -1, ib = -1, i = 0;

    in = t_fixture("host.dtb", &in_len);
    dtg_host_opts_init(&o);
    hset_load(&h, d, 2);
    out = edit_ok(in, in_len, &h, &o, &len);

    /* Xen builds dom0less domains in /chosen order: the cfg order */
    chosen = fdt_path_offset(out, "/chosen");
    fdt_for_each_subnode(node, out, chosen) {
        const char *name = fdt_get_name(out, node, NULL);

        if (!strcmp(name, "alpha"))
            ia = i;
        if (!strcmp(name, "beta"))
            ib = i;
        i++;
    }
    ck_assert_int_ge(ia, 0);
    ck_assert_int_eq(ib, ia + 1);

    /* three modules placed top-down, one below the other, no overlap */
    ck_assert_uint_eq(h.dom[0].kernel.addr, 0xbfc00000);
    ck_assert_uint_eq(h.dom[1].kernel.addr, 0xbf800000);
    ck_assert_uint_eq(h.dom[1].ramdisk.addr, 0xbf600000);
    free(out);
    free(in);
}
END_TEST

/* The host map of two trees, compared region by region. */
static void same_map(const void *a, size_t alen, const void *b, size_t blen,
                     bool ignore_owner_of)
{
    struct lxs_hostmap ma, mb;
    const struct lxs_ranges *sa[] = { &ma.ram, &ma.reserved, &ma.owned,
                                      &ma.pool };
    const struct lxs_ranges *sb[] = { &mb.ram, &mb.reserved, &mb.owned,
                                      &mb.pool };
    size_t i, j;

    (void)ignore_owner_of;
    lxs_hostmap_init(&ma);
    lxs_hostmap_init(&mb);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&ma, a, alen, NULL), 0);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&mb, b, blen, NULL), 0);
    for (i = 0; i < ARRAY_SIZE(sa); i++) {
        ck_assert_uint_eq(sa[i]->nr, sb[i]->nr);
        for (j = 0; j < sa[i]->nr; j++) {
            ck_assert_uint_eq(sa[i]->v[j].start, sb[i]->v[j].start);
            ck_assert_uint_eq(sa[i]->v[j].end, sb[i]->v[j].end);
        }
    }
    lxs_hostmap_dispose(&ma);
    lxs_hostmap_dispose(&mb);
}

START_TEST(test_chosen_cells_rewritten)
{
    static const struct hdom d = {
        "fresh", true, false, 1, 1, { { 0x60000000, 0x60000000, MIB(64) } },
        { 0, 0, false }, { 0, 0, false },
    };
    struct dtg_host_opts o;
    struct hset h;
    size_t in_len, len, mid_len;
    void *in, *out, *mid;
    uint64_t a, s;

    in = t_fixture("host-cells11.dtb", &in_len);
    dtg_host_opts_init(&o);

    /* no domain: only the cells change, and the map must not */
    hset_load(&h, &d, 0);
    mid = edit_ok(in, in_len, &h, &o, &mid_len);
    t_check_blob(mid, mid_len, "host-cells", justified);
    t_golden("host-cells");
    same_map(in, in_len, mid, mid_len, false);
    ck_assert_uint_eq(t_u32(mid, "/chosen", "#address-cells"), 2);
    ck_assert_uint_eq(t_u32(mid, "/chosen", "#size-cells"), 2);
    t_reg(mid, "/chosen/module@42000000", "reg", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x42000000);
    ck_assert_uint_eq(s, MIB(32));
    t_reg(mid, "/chosen/keep", "xen,static-mem", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x78000000);
    ck_assert_uint_eq(s, MIB(128));
    /* the pool in the root's 2/2 both before and after */
    t_reg(mid, "/chosen", "xen,static-pool", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x90000000);
    ck_assert_uint_eq(s, MIB(256));
    /* the kept domain's own module keeps its own 2/2 cells */
    t_reg(mid, "/chosen/keep/module@4c000000", "reg", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x4c000000);

    /* with a domain: it is read back as owned, the rest unchanged */
    hset_load(&h, &d, 1);
    out = edit_ok(in, in_len, &h, &o, &len);
    t_check_blob(out, len, "host-cells-dom", justified);
    t_reg(out, "/chosen/fresh", "xen,static-mem", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x60000000);
    free(out);
    free(mid);
    free(in);
}
END_TEST

/*
 * /chosen without cells reads the root's (1/1): its module keeps its
 * meaning in 2/2; the pool stays in the root's 1/1
 */
START_TEST(test_chosen_inherits_root_cells)
{
    struct dtg_host_opts o;
    struct hset h;
    size_t in_len, len;
    void *in, *out;
    uint64_t a, s;

    in = t_fixture("host-root11.dtb", &in_len);
    dtg_host_opts_init(&o);
    hset_load(&h, NULL, 0);
    out = edit_ok(in, in_len, &h, &o, &len);
    t_check_blob(out, len, "host-root11", justified);
    same_map(in, in_len, out, len, false);
    ck_assert_uint_eq(t_u32(out, "/chosen", "#address-cells"), 2);
    t_reg(out, "/chosen/module@42000000", "reg", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x42000000);
    ck_assert_uint_eq(s, MIB(32));
    ck_assert_int_eq(t_nreg(out, "/chosen", "xen,static-pool", 1, 1), 1);
    t_reg(out, "/chosen", "xen,static-pool", 1, 1, 0, &a, &s);
    ck_assert_uint_eq(a, 0x90000000);
    ck_assert_uint_eq(s, MIB(256));
    free(out);
    free(in);
}
END_TEST

/*
 * A --pool is written in the root's cells (1/1) although /chosen gets
 * 2/2, and read back from there; one that the root's single address
 * cell cannot hold is the check's finding, not the edit's.
 */
START_TEST(test_pool_in_root_cells)
{
    const struct lxs_window pool = { 0xa0000000, MIB(256) };
    const struct lxs_window high = { 0x100000000, MIB(256) };
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct dtg_host_opts o;
    struct hset h;
    size_t in_len, len;
    void *in, *out;
    uint64_t a, s;

    in = t_fixture("host-root11.dtb", &in_len);
    dtg_host_opts_init(&o);
    o.pools = &pool;
    o.nr_pools = 1;
    hset_load(&h, NULL, 0);
    out = edit_ok(in, in_len, &h, &o, &len);
    ck_assert_uint_eq(t_u32(out, "/chosen", "#address-cells"), 2);
    ck_assert_uint_eq(t_u32(out, "/chosen", "#size-cells"), 2);
    ck_assert_int_eq(t_nreg(out, "/chosen", "xen,static-pool", 1, 1), 1);
    t_reg(out, "/chosen", "xen,static-pool", 1, 1, 0, &a, &s);
    ck_assert_uint_eq(a, 0xa0000000);
    ck_assert_uint_eq(s, MIB(256));
    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, out, len, NULL), 0);
    ck_assert_uint_eq(map.pool.nr, 1);
    ck_assert_uint_eq(map.pool.v[0].start, 0xa0000000);
    ck_assert_uint_eq(map.pool.v[0].end, 0xb0000000);
    lxs_hostmap_dispose(&map);
    free(out);

    /* above 4 GiB: inside RAM, but not in one address cell */
    o.pools = &high;
    lxs_diags_init(&diags);
    ck_assert_int_eq(dtg_host_check(in, in_len, h.dom, h.nr, &o, &diags),
                     -EINVAL);
    ck_assert_uint_eq(diags.nr, 1);
    ck_assert_int_eq(diags.v[0].code, LXS_E_OVERFLOW);
    ck_assert_str_eq(diags.v[0].key, "--pool");
    ck_assert_ptr_nonnull(strstr(diags.v[0].message, "root's 1 address"));
    lxs_diags_dispose(&diags);
    free(in);
}
END_TEST

START_TEST(test_no_chosen)
{
    static const struct hdom d = {
        "only", false, false, 1, 1, { { 0x60000000, 0x40000000, MIB(64) } },
        { MIB(2), 0, false }, { 0, 0, false },
    };
    const struct lxs_window pools[] = {
        { 0x70000000, MIB(64) }, { 0x72000000, MIB(64) },   /* overlap */
    };
    struct dtg_host_opts o;
    struct hset h;
    size_t in_len, len;
    void *in, *out;
    uint64_t a, s;

    in = t_fixture("host-nochosen.dtb", &in_len);
    dtg_host_opts_init(&o);
    o.pools = pools;
    o.nr_pools = 2;
    hset_load(&h, &d, 1);
    out = edit_ok(in, in_len, &h, &o, &len);
    t_check_blob(out, len, "host-nochosen", justified);
    ck_assert(t_has_node(out, "/chosen/only"));
    /* overlapping pools are written merged */
    ck_assert_int_eq(t_nreg(out, "/chosen", "xen,static-pool", 2, 2), 1);
    t_reg(out, "/chosen", "xen,static-pool", 2, 2, 0, &a, &s);
    ck_assert_uint_eq(a, 0x70000000);
    ck_assert_uint_eq(s, MIB(96));
    /* the module is placed at the top of the 1 GiB of RAM */
    ck_assert_uint_eq(h.dom[0].kernel.addr, 0x7fe00000);
    free(out);
    free(in);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Findings of dtg_host_check                                          */

/* One 64 MiB extent; direct-mapped when guest == host. */
#define DOM1(n, host, guest, ...)                                       \
    { .name = (n), .direct_map = (host) == (guest), .vcpus = 1, .nr = 1, \
      .ext = { { (host), (guest), MIB(64) } }, __VA_ARGS__ }
#define MOD(size, addr) { (size), (addr), true }
#define AUTO(size) { (size), 0, false }

static const struct {
    const char *label;
    struct hdom d[2];
    size_t nr;
    struct lxs_window pool;
    struct lxs_window area;
    enum lxs_code code;         /* LXS_CODE__COUNT: no finding */
    const char *key;
} findings[] = {
    { "not-a-domain", { DOM1("xen-config", 0x60000000, 0x60000000) }, 1,
      { 0, 0 }, { 0, 0 }, LXS_E_CONFLICT, "name" },
    { "pool-outside", { DOM1("p", 0x60000000, 0x60000000) }, 1,
      { 0xb0000000, MIB(512) }, { 0, 0 }, LXS_E_OUTSIDE_RAM, "--pool" },
    { "pool-optee", { DOM1("p", 0x60000000, 0x60000000) }, 1,
      { 0x4c000000, MIB(64) }, { 0, 0 }, LXS_E_OVERLAP_RESERVED, "--pool" },
    { "pool-owned", { DOM1("p", 0x60000000, 0x60000000) }, 1,
      { 0x70000000, MIB(64) }, { 0, 0 }, LXS_E_OVERLAP_DOMAIN, "--pool" },
    { "pool-unaligned", { DOM1("p", 0x60000000, 0x60000000) }, 1,
      { 0x80000800, MIB(64) }, { 0, 0 }, LXS_E_MISALIGNED, "--pool" },
    { "kernel-optee", { DOM1("k", 0x60000000, 0x60000000,
                             .kernel = MOD(MIB(4), 0x4f000000)) }, 1,
      { 0, 0 }, { 0, 0 }, LXS_E_OVERLAP_RESERVED, "kernel" },
    { "kernel-owned", { DOM1("k", 0x60000000, 0x60000000,
                             .kernel = MOD(MIB(4), 0x71000000)) }, 1,
      { 0, 0 }, { 0, 0 }, LXS_E_OVERLAP_DOMAIN, "kernel" },
    { "kernel-own-ram", { DOM1("k", 0x60000000, 0x60000000,
                               .kernel = MOD(MIB(4), 0x61000000)) }, 1,
      { 0, 0 }, { 0, 0 }, LXS_E_OVERLAP_DOMAIN, "kernel" },
    { "kernel-pool", { DOM1("k", 0x60000000, 0x60000000,
                            .kernel = MOD(MIB(4), 0x81000000)) }, 1,
      { 0x80000000, MIB(64) }, { 0, 0 }, LXS_E_OVERLAP_RESERVED, "kernel" },
    { "kernel-outside", { DOM1("k", 0x60000000, 0x60000000,
                               .kernel = MOD(MIB(4), 0xbfe00000)) }, 1,
      { 0, 0 }, { 0, 0 }, LXS_E_OUTSIDE_RAM, "kernel" },
    { "kernel-dom0-part", { DOM1("k", 0x60000000, 0x60000000,
                                 .kernel = MOD(MIB(4), 0x42000000)) }, 1,
      { 0, 0 }, { 0, 0 }, LXS_E_OVERLAP_RESERVED, "kernel" },
    { "ramdisk-on-kernel", { DOM1("k", 0x60000000, 0x60000000,
                                  .kernel = MOD(MIB(4), 0x80000000),
                                  .ramdisk = MOD(MIB(4), 0x80200000)) }, 1,
      { 0, 0 }, { 0, 0 }, LXS_E_OVERLAP_RESERVED, "ramdisk" },
    { "too-big", { DOM1("k", 0x60000000, 0x60000000,
                        .kernel = AUTO(GIB(2))) }, 1,
      { 0, 0 }, { 0, 0 }, LXS_E_NO_SPACE, "kernel" },
    { "area-full", { DOM1("k", 0x60000000, 0x60000000,
                          .kernel = AUTO(MIB(4))) }, 1,
      { 0, 0 }, { 0x4e000000, MIB(32) }, LXS_E_NO_SPACE, "kernel" },
    /* no findings */
    { "shared-kernel", { DOM1("a", 0x60000000, 0x60000000,
                              .kernel = MOD(MIB(4), 0x80000000)),
                         DOM1("b", 0x64000000, 0x64000000,
                              .kernel = MOD(MIB(4), 0x80000000)) }, 2,
      { 0, 0 }, { 0, 0 }, LXS_CODE__COUNT, NULL },
    { "area", { DOM1("k", 0x60000000, 0x60000000,
                     .kernel = AUTO(MIB(4))) }, 1,
      { 0, 0 }, { 0x50000000, MIB(64) }, LXS_CODE__COUNT, NULL },
    { "boot-layout-2banks", { { .name = "g", .vcpus = 1, .nr = 2,
        .ext = { { 0x50000000, 0x40000000, MIB(64) },
                 { 0x60000000, 0x44000000, MIB(64) } } } }, 1,
      { 0, 0 }, { 0, 0 }, LXS_CODE__COUNT, NULL },
};

START_TEST(test_findings)
{
    const typeof(findings[0]) *f = &findings[_i];
    struct dtg_host_opts o;
    struct lxs_diags diags;
    struct hset h;
    size_t in_len, i;
    void *in;
    int rc;

    in = t_fixture("host.dtb", &in_len);
    dtg_host_opts_init(&o);
    if (f->pool.size) {
        o.pools = &f->pool;
        o.nr_pools = 1;
    }
    o.module_area = f->area;
    hset_load(&h, f->d, f->nr);
    lxs_diags_init(&diags);
    rc = dtg_host_check(in, in_len, h.dom, h.nr, &o, &diags);
    if (diags.nr != (f->code == LXS_CODE__COUNT ? 0u : 1u))
        for (i = 0; i < diags.nr; i++)
            fprintf(stderr, "%s: finding %s: %s: %s\n", f->label,
                    lxs_code_name(diags.v[i].code), diags.v[i].key,
                    diags.v[i].message);
    if (f->code == LXS_CODE__COUNT) {
        ck_assert_int_eq(rc, 0);
        ck_assert_uint_eq(diags.nr, 0);
        if (f->area.size) {
            ck_assert_uint_ge(h.dom[0].kernel.addr, f->area.base);
            ck_assert_uint_le(h.dom[0].kernel.addr + MIB(4),
                              f->area.base + f->area.size);
        }
    } else {
        ck_assert_int_eq(rc, -EINVAL);
        ck_assert_uint_eq(diags.nr, 1);
        ck_assert_int_eq(diags.v[0].code, f->code);
        ck_assert_str_eq(diags.v[0].key, f->key);
        ck_assert_int_eq(diags.v[0].severity, LXS_SEV_ERROR);
        /* nothing placed on failure */
        for (i = 0; i < h.nr; i++) {
            ck_assert_int_eq(h.dom[i].kernel.placed, f->d[i].kernel.placed);
            ck_assert_int_eq(h.dom[i].ramdisk.placed,
                             f->d[i].ramdisk.placed);
        }
    }
    lxs_diags_dispose(&diags);
    free(in);
}
END_TEST

START_TEST(test_malformed_input)
{
    struct dtg_host_opts o;
    struct lxs_diags diags;
    struct hset h;
    size_t in_len, len = 7;
    void *in, *out = (void *)&h;
    char *why = NULL;

    in = t_fixture("host.dtb", &in_len);
    dtg_host_opts_init(&o);
    hset_load(&h, &netdrv, 1);
    lxs_diags_init(&diags);
    ck_assert_int_eq(dtg_host_check(in, in_len - 16, h.dom, 1, &o, &diags),
                     -EBADMSG);
    ck_assert(!h.dom[0].ramdisk.placed);
    h.dom[0].ramdisk.placed = true;
    h.dom[0].ramdisk.addr = 0xb0000000;
    ck_assert_int_eq(dtg_host_fdt(in, in_len - 16, h.dom, 1, &o, &out, &len,
                                  &why), -EBADMSG);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_eq(out, (void *)&h);
    ck_assert_uint_eq(len, 7);
    free(why);

    /* an unplaced module is the caller's error */
    why = NULL;
    h.dom[0].ramdisk.placed = false;
    ck_assert_int_eq(dtg_host_fdt(in, in_len, h.dom, 1, &o, &out, &len, &why),
                     -EINVAL);
    free(why);

    /* a /chosen node that is not a domain is never replaced */
    why = NULL;
    h.dom[0].ramdisk.placed = true;
    h.spec[0].name = (char *)"xen-config";
    ck_assert_int_eq(dtg_host_fdt(in, in_len, h.dom, 1, &o, &out, &len, &why),
                     -EEXIST);
    free(why);
    h.spec[0].name = (char *)"netdrv";

    /* so are two domains of one name (lxs_check's finding) */
    why = NULL;
    h.dom[0].ramdisk.placed = true;
    h.dom[1] = h.dom[0];
    ck_assert_int_eq(dtg_host_check(in, in_len, h.dom, 2, &o, &diags), 0);
    ck_assert_int_eq(dtg_host_fdt(in, in_len, h.dom, 2, &o, &out, &len, &why),
                     -EINVAL);
    ck_assert(strstr(why, "twice"));
    ck_assert_ptr_eq(out, (void *)&h);
    free(why);
    lxs_diags_dispose(&diags);
    free(in);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The round trip: cfg -> check -> host DT -> host map -> check        */

static const struct {
    const char *label;
    const char *cfg[2];
    size_t nr;
} trips[] = {
    { "direct", { "name = \"dm\"\nkernel = \"Image\"\nmemory = 256\ndirect_map = 1\n"
                  "vuart = \"sbsa_uart\"\n"
                  "static_mem = [ \"0x60000000:256M\" ]\n" }, 1 },
    { "static", { "name = \"st\"\nkernel = \"Image\"\nvcpus = 2\nstatic_mem = "
                  "[ \"0x58000000:64M\", \"0x60000000:128M\" ]\n" }, 1 },
    { "auto-dm", { "name = \"auto\"\nkernel = \"Image\"\nmemory = 128\ndirect_map = 1\n" }, 1 },
    { "two", { "name = \"one\"\nkernel = \"Image\"\nstatic_mem = [ \"0x60000000:64M\" ]\n",
               "name = \"two\"\nkernel = \"Image\"\ndirect_map = 1\n"
               "static_mem = [ \"0x64000000:64M\" ]\n" }, 2 },
    { "replace-old", { "name = \"old\"\nkernel = \"Image\"\nstatic_mem = [ \"0x70000000:128M\" ]\n"
                     }, 1 },
    /* no static memory: Xen allocates it, the node says how much */
    { "heap", { "name = \"heap\"\nkernel = \"Image\"\nmemory = 96\n" }, 1 },
};

static void check_all(const void *fdt, size_t len, struct lxs_spec *specs,
                      size_t nr, struct lxs_plan *plans)
{
    struct lxs_check_opts co = { .mode = LXS_MODE_BOOT };
    struct lxs_hostmap map;
    struct lxs_diags diags;
    size_t i;
    int rc;

    lxs_hostmap_init(&map);
    lxs_diags_init(&diags);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, fdt, len, NULL), 0);
    for (i = 0; i < nr; i++)
        lxs_plan_init(&plans[i]);
    rc = lxs_check(&map, specs, nr, &co, &diags, plans);
    for (i = 0; i < diags.nr; i++)
        fprintf(stderr, "finding %s: %s\n", lxs_code_name(diags.v[i].code),
                diags.v[i].message);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(diags.nr_errors, 0);
    lxs_diags_dispose(&diags);
    lxs_hostmap_dispose(&map);
}

START_TEST(test_round_trip)
{
    struct lxs_spec specs[2];
    struct lxs_plan plans[2], again[2];
    struct dtg_domain doms[2];
    struct dtg_host_opts o;
    struct lxs_diags diags;
    struct lxs_hostmap map;
    size_t in_len, len, i, j, k;
    void *in, *out = NULL;
    char *why = NULL;

    in = t_fixture("host.dtb", &in_len);
    dtg_host_opts_init(&o);
    lxs_diags_init(&diags);
    memset(doms, 0, sizeof(doms));
    for (i = 0; i < trips[_i].nr; i++) {
        lxs_spec_init(&specs[i]);
        ck_assert_int_eq(lxs_cfg_parse_data("trip.cfg", trips[_i].cfg[i],
                                            strlen(trips[_i].cfg[i]),
                                            &specs[i], &diags), 0);
        ck_assert_uint_eq(diags.nr, 0);
    }
    check_all(in, in_len, specs, trips[_i].nr, plans);
    for (i = 0; i < trips[_i].nr; i++) {
        doms[i].spec = &specs[i];
        doms[i].plan = &plans[i];
        doms[i].kernel.size = MIB(8) + 123;
    }
    ck_assert_int_eq(dtg_host_check(in, in_len, doms, trips[_i].nr, &o,
                                    &diags), 0);
    ck_assert_int_eq(dtg_host_fdt(in, in_len, doms, trips[_i].nr, &o, &out,
                                  &len, &why), 0);
    t_check_blob(out, len, trips[_i].label, justified);

    for (i = 0; i < trips[_i].nr; i++) {
        char path[64];
        uint64_t total = 0;

        snprintf(path, sizeof(path), "/chosen/%s", specs[i].name);
        for (j = 0; j < plans[i].nr_ext; j++)
            total += plans[i].ext[j].size;
        if (!plans[i].nr_ext)
            total = specs[i].memory_size;
        ck_assert_uint_eq(t_u64(out, path, "memory"), total >> 10);
        ck_assert_int_eq(t_has_prop(out, path, "xen,static-mem"),
                         plans[i].nr_ext > 0);
    }

    /* read back: each domain's memory is owned by its name */
    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, out, len, NULL), 0);
    for (i = 0; i < trips[_i].nr; i++) {
        for (j = 0; j < plans[i].nr_ext; j++) {
            const struct lxs_extent *e = &plans[i].ext[j];
            bool found = false;

            for (k = 0; k < map.nr; k++)
                if (map.v[k].kind == LXS_REGION_OWNED &&
                    map.v[k].start == e->host &&
                    map.v[k].end == e->host + e->size &&
                    !strcmp(map.v[k].owner, specs[i].name))
                    found = true;
            ck_assert_msg(found, "extent 0x%" PRIx64 " not owned by %s",
                          e->host, specs[i].name);
        }
        /* and its kernel is a reserved boot module */
        ck_assert(lxs_ranges_covers(&map.reserved, doms[i].kernel.addr,
                                    doms[i].kernel.addr +
                                    doms[i].kernel.size));
    }
    lxs_hostmap_dispose(&map);

    /* the project's own check passes on it, with the same plans */
    check_all(out, len, specs, trips[_i].nr, again);
    for (i = 0; i < trips[_i].nr; i++) {
        ck_assert_uint_eq(again[i].nr_ext, plans[i].nr_ext);
        for (j = 0; j < plans[i].nr_ext; j++) {
            ck_assert_uint_eq(again[i].ext[j].host, plans[i].ext[j].host);
            ck_assert_uint_eq(again[i].ext[j].guest, plans[i].ext[j].guest);
            ck_assert_uint_eq(again[i].ext[j].size, plans[i].ext[j].size);
        }
        ck_assert_int_eq(again[i].direct_map, plans[i].direct_map);
        ck_assert_int_eq(again[i].has_dma_offset, plans[i].has_dma_offset);
        ck_assert_uint_eq(again[i].dma_offset, plans[i].dma_offset);
        lxs_plan_dispose(&again[i]);
        lxs_plan_dispose(&plans[i]);
        lxs_spec_dispose(&specs[i]);
    }
    lxs_diags_dispose(&diags);
    free(out);
    free(in);
}
END_TEST

static int count_hit(const struct lxs_range *hit, void *opaque)
{
    (void)hit;
    ++*(int *)opaque;
    return 0;
}

START_TEST(test_set_pools)
{
    int hits = 0;
    const struct lxs_window pools[] = {
        { 0x80000000, MIB(256) }, { 0x90000000, MIB(256) },
    };
    struct lxs_hostmap map;
    size_t in_len;
    void *in;

    in = t_fixture("host-cells11.dtb", &in_len);
    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, in, in_len, NULL), 0);
    ck_assert_uint_eq(map.pool.nr, 1);
    ck_assert_uint_eq(map.pool.v[0].start, 0x90000000);
    ck_assert_int_eq(dtg_hostmap_set_pools(&map, pools, 2), 0);
    /* replaced, merged */
    ck_assert(map.has_pool);
    ck_assert_uint_eq(map.pool.nr, 1);
    ck_assert_uint_eq(map.pool.v[0].start, 0x80000000);
    ck_assert_uint_eq(map.pool.v[0].end, 0xa0000000);
    /* the rest is still there, and its indexes work */
    ck_assert_uint_eq(map.owned.nr, 1);
    ck_assert_uint_eq(map.ram.nr, 1);
    ck_assert_int_eq(lxs_rindex_find(&map.owned_ix, 0x78000000, 0x78001000,
                                     count_hit, &hits), 0);
    ck_assert_int_eq(lxs_rindex_find(&map.reserved_ix, 0x42000000,
                                     0x42001000, count_hit, &hits), 0);
    ck_assert_int_eq(hits, 2);
    ck_assert_int_eq(dtg_hostmap_set_pools(&map, pools, 0), 0);
    ck_assert(!map.has_pool);
    lxs_hostmap_dispose(&map);
    free(in);
}
END_TEST

/* Every allocation failing in turn, in the check and in the edit. */
START_TEST(test_alloc_failures)
{
    static const struct hdom d[] = {
        { "a", true, true, 1, 1, { { 0x60000000, 0x60000000, MIB(64) } },
          { MIB(4), 0, false }, { MIB(1), 0, false } },
        { "old", false, false, 1, 2,
          { { 0x70000000, 0x40000000, MIB(64) },
            { 0x78000000, 0x44000000, MIB(64) } },
          { MIB(4), 0, false }, { 0, 0, false } },
    };
    const struct lxs_window pool = { 0x80000000, MIB(64) };
    struct dtg_host_opts o;
    struct lxs_diags diags;
    struct hset h;
    size_t in_len, len;
    void *in, *out;
    unsigned long n;
    char *why;
    int rc;
    bool check_done = false;

    in = t_fixture("host-cells11.dtb", &in_len);
    dtg_host_opts_init(&o);
    o.pools = &pool;
    o.nr_pools = 1;
    for (n = 1; n < 5000; n++) {
        hset_load(&h, d, 2);
        lxs_diags_init(&diags);
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = dtg_host_check(in, in_len, h.dom, h.nr, &o, &diags);
        lxs__alloc_fail_at = 0;
        lxs_diags_dispose(&diags);
        if (rc == 0 && lxs__alloc_count < n) {
            check_done = true;
            break;
        }
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert(!h.dom[0].kernel.placed);
    }
    ck_assert(check_done);

    for (n = 1; n < 5000; n++) {
        out = NULL;
        why = NULL;
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = dtg_host_fdt(in, in_len, h.dom, h.nr, &o, &out, &len, &why);
        lxs__alloc_fail_at = 0;
        if (rc == 0) {
            ck_assert_int_eq(fdt_check_full(out, len), 0);
            free(out);
            if (lxs__alloc_count < n)
                break;
            continue;
        }
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert_ptr_null(out);
        free(why);
    }
    ck_assert_uint_lt(n, 5000);
    free(in);
}
END_TEST

Suite *host_suite(void)
{
    return unit_suite("host", UNIT_TCASE("edit"),
                      UNIT_TESTS(test_domain_node, test_replace_existing,
                                 test_domain_order, test_chosen_cells_rewritten,
                                 test_chosen_inherits_root_cells,
                                 test_pool_in_root_cells, test_no_chosen,
                                 test_set_pools),
                      UNIT_TCASE("check"),
                      UNIT_LOOP(test_findings, ARRAY_SIZE(findings)),
                      UNIT_TESTS(test_malformed_input),
                      UNIT_TCASE("round-trip"),
                      UNIT_LOOP(test_round_trip, ARRAY_SIZE(trips)),
                      UNIT_TCASE("alloc"),
                      UNIT_TESTS(test_alloc_failures),
                      NULL);
}
