/*
 * Host memory map: board-shaped fixtures (the .dts files of
 * tests/fixtures/host, compiled by the build) read region by region,
 * malformed ones refused with a reason, corrupt and truncated blobs,
 * trees built here with libfdt's sequential writer for status and
 * nesting, ENOMEM at every allocation, and the file reader's limits.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "libxlstatic.h"
#include "lxs_internal.h"
#include "core_tests.h"

#define RAM LXS_REGION_RAM
#define RESV LXS_REGION_RESERVED
#define OWNED LXS_REGION_OWNED
#define POOL LXS_REGION_POOL
#define MAXREG 16

static char *fixture(const char *name)
{
    const char *top = getenv("top_builddir");
    char *path;

    ck_assert_int_ge(asprintf(&path, "%s/tests/fixtures/host/%s.dtb",
                              top ? top : ".", name), 0);
    return path;
}

static void *load_fixture(const char *name, size_t *len_r)
{
    char *path = fixture(name);
    FILE *f = fopen(path, "rb");
    void *buf;
    long len;

    ck_assert_msg(f != NULL, "cannot open %s (is top_builddir set?)", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    ck_assert_int_gt(len, 0);
    rewind(f);
    /* room for the misaligned copy test */
    buf = malloc(len + 8);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, len, f), (size_t)len);
    fclose(f);
    free(path);
    *len_r = len;
    return buf;
}

/* ---- good fixtures ---------------------------------------------- */

struct want_region {
    enum lxs_region_kind kind;
    uint64_t start, end;
    unsigned int flags;
    const char *label;
    const char *owner;
};

struct want_range {
    uint64_t start, end;
};

static const struct good_case {
    const char *fixture;
    size_t nr;
    struct want_region r[MAXREG];   /* sorted by kind, start, end */
    size_t nr_ram;
    struct want_range ram[4];       /* merged */
    size_t nr_pool;
    struct want_range pool[4];
    bool has_iommu;
} good_cases[] = {
    { "rpi3-1cell", 4, {
        { RAM, 0, 0x3b400000, 0, "/memory@0", NULL },
        { RESV, 0, 0x1000, LXS_RESV_MEMRESERVE, "/memreserve/[0]", NULL },
        { RESV, 0x480000, 0x1c80000, LXS_RESV_MODULE, "/chosen/dom0-kernel",
          NULL },
        { RESV, 0x2000000, 0x2800000, LXS_RESV_MODULE,
          "/chosen/dom0-ramdisk", NULL },
      }, 1, { { 0, 0x3b400000 } }, 0, { { 0, 0 } }, false },
    { "qemu-virt", 12, {
        { RAM, 0x40000000, 0xc0000000, 0, "/memory@40000000", NULL },
        { RESV, 0x40000000, 0x40010000, LXS_RESV_MEMRESERVE,
          "/memreserve/[0]", NULL },
        { RESV, 0x46000000, 0x47000000, LXS_RESV_MODULE,
          "/chosen/module@46000000", NULL },
        { RESV, 0x48000000, 0x48400000, LXS_RESV_MODULE,
          "/chosen/linux,initrd", NULL },
        /* read with domU1's own 2+1 cells */
        { RESV, 0x4a000000, 0x4a800000, LXS_RESV_MODULE,
          "/chosen/domU1/module@4a000000", NULL },
        /* /reserved-memory's 1+1 cells */
        { RESV, 0x7e000000, 0x7e400000, LXS_RESV_NO_MAP,
          "/reserved-memory/optee@7e000000", NULL },
        /* the root's 2+2 cells */
        { RESV, 0x7f000000, 0x7f800000, LXS_RESV_STATIC_HEAP,
          "/chosen/xen,static-heap", NULL },
        /* /chosen's 1+1 cells, not domU1's */
        { OWNED, 0x50000000, 0x58000000, LXS_OWN_BOOT_BANK, "/chosen/domU1",
          "domU1" },
        { OWNED, 0x58000000, 0x5c000000, LXS_OWN_BOOT_BANK, "/chosen/domU2",
          "domU2" },
        { OWNED, 0x5c000000, 0x60000000, LXS_OWN_BOOT_BANK, "/chosen/domU2",
          "domU2" },
        /* the root's 2+2 cells, not /chosen's 1+1 */
        { POOL, 0x60000000, 0x70000000, 0, "/chosen/xen,static-pool", NULL },
        { POOL, 0x70000000, 0x78000000, 0, "/chosen/xen,static-pool", NULL },
      }, 1, { { 0x40000000, 0xc0000000 } },
      1, { { 0x60000000, 0x78000000 } }, true },
    { "zynqmp", 8, {
        { RAM, 0, 0x7ff00000, 0, "/memory@0", NULL },
        { RAM, 0x800000000, 0x880000000, 0, "/memory@0", NULL },
        { RESV, 0x3ed00000, 0x3ed40000, LXS_RESV_NO_MAP,
          "/reserved-memory/rproc@3ed00000", NULL },
        { RESV, 0x3ed40000, 0x3ed44000, LXS_RESV_NO_MAP,
          "/reserved-memory/rpu0vdev0vring0@3ed40000", NULL },
        { RESV, 0x3ed44000, 0x3ed48000, LXS_RESV_NO_MAP,
          "/reserved-memory/rpu0vdev0vring1@3ed44000", NULL },
        { RESV, 0x3ed48000, 0x3ee48000, LXS_RESV_NO_MAP,
          "/reserved-memory/rpu0vdev0buffer@3ed48000", NULL },
        { RESV, 0x7ff00000, 0x80000000, LXS_RESV_NO_MAP,
          "/reserved-memory/pmu@7ff00000", NULL },
        { RESV, 0x870000000, 0x880000000, LXS_RESV_REUSABLE,
          "/reserved-memory/linux,cma@870000000", NULL },
      }, 2, { { 0, 0x7ff00000 }, { 0x800000000, 0x880000000 } },
      0, { { 0, 0 } }, false },
    { "default-cells", 4, {
        { RAM, 0x80000000, 0xc0000000, 0, "/memory@80000000", NULL },
        { RAM, 0x100000000, 0x140000000, 0, "/bus/memory@100000000", NULL },
        { RESV, 0x80000000, 0x80200000, 0, "/reserved-memory/fw@80000000",
          NULL },
        { RESV, 0x90000000, 0x91000000, LXS_RESV_MODULE,
          "/chosen/module@90000000", NULL },
      }, 2, { { 0x80000000, 0xc0000000 }, { 0x100000000, 0x140000000 } },
      0, { { 0, 0 } }, false },
};

static int region_cmp(const void *pa, const void *pb)
{
    const struct lxs_region *a = *(const struct lxs_region *const *)pa;
    const struct lxs_region *b = *(const struct lxs_region *const *)pb;

    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return 0;
}

static void check_ranges(const struct lxs_hostmap *map,
                         const struct lxs_ranges *rs, enum lxs_region_kind k,
                         size_t nr, const struct want_range *want)
{
    size_t i;

    ck_assert_uint_eq(rs->nr, nr);
    for (i = 0; i < nr; i++) {
        ck_assert_uint_eq(rs->v[i].start, want[i].start);
        ck_assert_uint_eq(rs->v[i].end, want[i].end);
        ck_assert_uint_lt(rs->v[i].tag, map->nr);
        ck_assert_int_eq(map->v[rs->v[i].tag].kind, k);
    }
}

static void check_map(const struct lxs_hostmap *map, const struct good_case *c)
{
    const struct lxs_region *sorted[MAXREG];
    size_t i, nr_resv = 0, nr_owned = 0;

    ck_assert_msg(map->nr == c->nr, "%s: %zu regions, want %zu",
                  c->fixture, map->nr, c->nr);
    for (i = 0; i < map->nr; i++)
        sorted[i] = &map->v[i];
    qsort(sorted, map->nr, sizeof(sorted[0]), region_cmp);
    for (i = 0; i < map->nr; i++) {
        const struct lxs_region *r = sorted[i];
        const struct want_region *w = &c->r[i];

        ck_assert_msg(r->kind == w->kind && r->start == w->start &&
                      r->end == w->end,
                      "%s region %zu: kind %d [%#" PRIx64 ", %#" PRIx64
                      "), want kind %d [%#" PRIx64 ", %#" PRIx64 ")",
                      c->fixture, i, r->kind, r->start, r->end, w->kind,
                      w->start, w->end);
        ck_assert_uint_eq(r->flags, w->flags);
        ck_assert_str_eq(r->label, w->label);
        if (w->owner)
            ck_assert_str_eq(r->owner, w->owner);
        else
            ck_assert_ptr_null(r->owner);
        nr_resv += r->kind == RESV;
        nr_owned += r->kind == OWNED;
    }
    check_ranges(map, &map->ram, RAM, c->nr_ram, c->ram);
    check_ranges(map, &map->pool, POOL, c->nr_pool, c->pool);
    ck_assert(map->has_pool == (c->nr_pool > 0));
    ck_assert(map->has_iommu == c->has_iommu);

    /* reserved and owned: every region, sorted, tags back to v */
    ck_assert_uint_eq(map->reserved.nr, nr_resv);
    ck_assert_uint_eq(map->owned.nr, nr_owned);
    for (i = 0; i < map->reserved.nr; i++) {
        const struct lxs_range *r = &map->reserved.v[i];

        ck_assert_int_eq(map->v[r->tag].kind, RESV);
        ck_assert_uint_eq(map->v[r->tag].start, r->start);
        if (i)
            ck_assert_uint_le(map->reserved.v[i - 1].start, r->start);
    }
    for (i = 0; i < map->owned.nr; i++)
        ck_assert_int_eq(map->v[map->owned.v[i].tag].kind, OWNED);
    ck_assert_ptr_eq(map->reserved_ix.rs, &map->reserved);
    ck_assert_ptr_eq(map->owned_ix.rs, &map->owned);
}

START_TEST(test_good_fixture)
{
    const struct good_case *c = &good_cases[_i];
    struct lxs_hostmap map;
    char *path = fixture(c->fixture), *why = (char *)"unset";

    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_from_file(&map, path, &why), 0);
    ck_assert_ptr_null(why);
    check_map(&map, c);
    lxs_hostmap_dispose(&map);
    lxs_hostmap_dispose(&map);
    lxs_hostmap_dispose(NULL);
    free(path);
}
END_TEST

/* The same from a buffer, aligned and not (libfdt wants 8 bytes). */
START_TEST(test_good_buffer)
{
    const struct good_case *c = &good_cases[_i / 2];
    struct lxs_hostmap map;
    size_t len;
    char *buf = load_fixture(c->fixture, &len);
    char *blob = buf;

    if (_i % 2) {
        blob = buf + 4;
        memmove(blob, buf, len);
    }
    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, blob, len, NULL), 0);
    check_map(&map, c);
    /* reading again replaces the map, it does not add to it */
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, blob, len, NULL), 0);
    check_map(&map, c);
    lxs_hostmap_dispose(&map);
    free(buf);
}
END_TEST

struct ix_hits {
    const struct lxs_hostmap *map;
    size_t nr;
    const char *label[8];
};

static int ix_collect(const struct lxs_range *hit, void *opaque)
{
    struct ix_hits *h = opaque;

    ck_assert_uint_lt(h->nr, ARRAY_SIZE(h->label));
    h->label[h->nr++] = h->map->v[hit->tag].label;
    return 0;
}

/* The indexes find overlaps by address and lead back to the regions. */
START_TEST(test_indexes)
{
    struct lxs_hostmap map;
    struct ix_hits h = { .map = &map };
    char *path = fixture("zynqmp");

    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_from_file(&map, path, NULL), 0);
    /* a guest extent over the two vrings, touching rproc and buffer */
    ck_assert_int_eq(lxs_rindex_find(&map.reserved_ix, 0x3ed40000,
                                     0x3ed48000, ix_collect, &h), 0);
    ck_assert_uint_eq(h.nr, 2);
    ck_assert_str_eq(h.label[0], "/reserved-memory/rpu0vdev0vring0@3ed40000");
    ck_assert_str_eq(h.label[1], "/reserved-memory/rpu0vdev0vring1@3ed44000");
    /* the high bank's CMA pool */
    h.nr = 0;
    ck_assert_int_eq(lxs_rindex_find(&map.reserved_ix, 0x800000000,
                                     0x880000000, ix_collect, &h), 0);
    ck_assert_uint_eq(h.nr, 1);
    ck_assert_str_eq(h.label[0], "/reserved-memory/linux,cma@870000000");
    ck_assert(lxs_ranges_covers(&map.ram, 0x800000000, 0x870000000));
    ck_assert(!lxs_ranges_covers(&map.ram, 0x7fe00000, 0x80100000));

    /* a registry reservation added afterwards */
    ck_assert_int_eq(lxs_hostmap_add(&map, OWNED, 0x840000000, 0x850000000,
                                     0, "registry", "domU9"), 0);
    ck_assert_int_eq(lxs_hostmap_add(&map, OWNED, 0x850000000, 0x850000000,
                                     0, "registry", "domU9"), -EINVAL);
    ck_assert_int_eq(lxs_hostmap_finish(&map), 0);
    h.nr = 0;
    ck_assert_int_eq(lxs_rindex_find(&map.owned_ix, 0x84ffff000,
                                     0x860000000, ix_collect, &h), 0);
    ck_assert_uint_eq(h.nr, 1);
    ck_assert_str_eq(h.label[0], "registry");
    ck_assert_str_eq(map.v[map.owned.v[0].tag].owner, "domU9");
    lxs_hostmap_dispose(&map);
    free(path);
}
END_TEST

/* ---- malformed fixtures ------------------------------------------ */

static const struct {
    const char *fixture;
    const char *why[2];     /* substrings of the reason */
} bad_cases[] = {
    { "bad-cells-0", { "/memory@0: 'reg'", "#address-cells 0" } },
    { "bad-cells-3", { "/memory@40000000: 'reg'", "#size-cells 3" } },
    { "bad-resv-cells-3", { "/reserved-memory/fw@50000000",
                            "#address-cells 3" } },
    { "bad-reg-len", { "/memory@40000000: 'reg' is 20 bytes long",
                       "not a multiple of the 16-byte entry" } },
    { "bad-static-mem-len", { "/chosen/domU1: 'xen,static-mem' is 12 bytes",
                              "8-byte entry" } },
    { "bad-wrap", { "/memory@fffffffffffff000: 'reg' entry 0",
                    "wraps past" } },
    { "bad-wrap-top", { "top@fffffffffffff000", "wraps past" } },
    { "bad-initrd", { "linux,initrd-start without linux,initrd-end",
                      NULL } },
    { "bad-cells-len", { "#size-cells is 8 bytes long", NULL } },
};

/* A map that already holds something, to see that failure keeps it. */
static void prefill(struct lxs_hostmap *map)
{
    lxs_hostmap_init(map);
    ck_assert_int_eq(lxs_hostmap_add(map, RAM, 0x1000, 0x2000, 0, "old",
                                     NULL), 0);
    ck_assert_int_eq(lxs_hostmap_finish(map), 0);
}

static void check_prefill(const struct lxs_hostmap *map)
{
    ck_assert_uint_eq(map->nr, 1);
    ck_assert_str_eq(map->v[0].label, "old");
    ck_assert_uint_eq(map->ram.nr, 1);
    ck_assert_uint_eq(map->ram.v[0].start, 0x1000);
}

START_TEST(test_bad_fixture)
{
    struct lxs_hostmap map;
    char *path = fixture(bad_cases[_i].fixture), *why = NULL;
    size_t k;

    prefill(&map);
    ck_assert_int_eq(lxs_hostmap_from_file(&map, path, &why), -EBADMSG);
    ck_assert_ptr_nonnull(why);
    for (k = 0; k < 2; k++) {
        if (bad_cases[_i].why[k])
            ck_assert_msg(strstr(why, bad_cases[_i].why[k]),
                          "%s: \"%s\" does not say \"%s\"",
                          bad_cases[_i].fixture, why, bad_cases[_i].why[k]);
    }
    check_prefill(&map);
    free(why);
    /* no message asked for: same result */
    ck_assert_int_eq(lxs_hostmap_from_file(&map, path, NULL), -EBADMSG);
    lxs_hostmap_dispose(&map);
    free(path);
}
END_TEST

/* ---- corrupt and truncated blobs ---------------------------------- */

static void put32(void *blob, size_t off, uint32_t v)
{
    fdt32_t be = cpu_to_fdt32(v);

    memcpy((char *)blob + off, &be, sizeof(be));
}

enum damage {
    CUT_ONE, CUT_HALF, CUT_HEADER, CUT_SHORT, CUT_ALL, BAD_MAGIC,
    BAD_TOTALSIZE, BAD_TOKEN, BAD_STRINGS, BAD_STRUCT_OFF, BAD_VERSION,
    DAMAGE__COUNT
};

START_TEST(test_corrupt)
{
    struct lxs_hostmap map;
    size_t len;
    char *blob = load_fixture("qemu-virt", &len), *why = NULL;
    uint32_t off_struct = fdt_off_dt_struct(blob);

    switch ((enum damage)_i) {
    case CUT_ONE: len -= 1; break;
    case CUT_HALF: len /= 2; break;
    case CUT_HEADER: len = sizeof(struct fdt_header); break;
    case CUT_SHORT: len = sizeof(struct fdt_header) - 1; break;
    case CUT_ALL: len = 0; break;
    case BAD_MAGIC: blob[0] ^= 0xff; break;
    case BAD_TOTALSIZE: put32(blob, 4, len + 8); break;
    /* the root's FDT_BEGIN_NODE token */
    case BAD_TOKEN: put32(blob, off_struct, 0xdeadbeef); break;
    /* property names point outside an empty strings block */
    case BAD_STRINGS: put32(blob, 32, 0); break;
    case BAD_STRUCT_OFF: put32(blob, 8, len); break;
    case BAD_VERSION: put32(blob, 20, 1); break;
    default: ck_abort();
    }

    prefill(&map);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, blob, len, &why), -EBADMSG);
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, "device tree blob"), "why: %s", why);
    check_prefill(&map);
    free(why);
    lxs_hostmap_dispose(&map);
    free(blob);
}
END_TEST

/* ---- trees built here: status, depth ----------------------------- */

#define FDT_OK(x) ck_assert_int_eq((x), 0)

static void prop_reg(void *fdt, uint64_t addr, uint64_t size)
{
    fdt32_t reg[4] = {
        cpu_to_fdt32(addr >> 32), cpu_to_fdt32(addr),
        cpu_to_fdt32(size >> 32), cpu_to_fdt32(size),
    };

    FDT_OK(fdt_property(fdt, "reg", reg, sizeof(reg)));
}

static void memory_node(void *fdt, const char *name, uint64_t addr,
                        const char *status)
{
    FDT_OK(fdt_begin_node(fdt, name));
    FDT_OK(fdt_property_string(fdt, "device_type", "memory"));
    prop_reg(fdt, addr, 0x1000000);
    if (status)
        FDT_OK(fdt_property_string(fdt, "status", status));
    FDT_OK(fdt_end_node(fdt));
}

/*
 * status: "okay", "ok" and absent count; anything else hides the node
 * and everything under it, RAM and IOMMUs alike.
 */
START_TEST(test_status)
{
    static char fdt[8192];
    struct lxs_hostmap map;

    FDT_OK(fdt_create(fdt, sizeof(fdt)));
    FDT_OK(fdt_finish_reservemap(fdt));
    FDT_OK(fdt_begin_node(fdt, ""));
    FDT_OK(fdt_property_u32(fdt, "#address-cells", 2));
    FDT_OK(fdt_property_u32(fdt, "#size-cells", 2));
    memory_node(fdt, "memory@10000000", 0x10000000, NULL);
    memory_node(fdt, "memory@20000000", 0x20000000, "okay");
    memory_node(fdt, "memory@30000000", 0x30000000, "ok");
    memory_node(fdt, "memory@40000000", 0x40000000, "disabled");
    memory_node(fdt, "memory@50000000", 0x50000000, "fail");
    memory_node(fdt, "memory@60000000", 0x60000000, "okay-ish");
    FDT_OK(fdt_begin_node(fdt, "bus"));
    FDT_OK(fdt_property_string(fdt, "status", "disabled"));
    FDT_OK(fdt_property_u32(fdt, "#address-cells", 2));
    FDT_OK(fdt_property_u32(fdt, "#size-cells", 2));
    memory_node(fdt, "memory@70000000", 0x70000000, "okay");
    FDT_OK(fdt_begin_node(fdt, "iommu@0"));
    FDT_OK(fdt_property_u32(fdt, "#iommu-cells", 1));
    FDT_OK(fdt_end_node(fdt));
    FDT_OK(fdt_end_node(fdt));
    FDT_OK(fdt_end_node(fdt));
    FDT_OK(fdt_finish(fdt));

    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, fdt, fdt_totalsize(fdt),
                                          NULL), 0);
    ck_assert_uint_eq(map.nr, 3);
    ck_assert_uint_eq(map.ram.nr, 3);
    ck_assert_uint_eq(map.ram.v[0].start, 0x10000000);
    ck_assert_uint_eq(map.ram.v[1].start, 0x20000000);
    ck_assert_uint_eq(map.ram.v[2].start, 0x30000000);
    ck_assert(!map.has_iommu);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* Nesting: a memory node 60 levels down counts; 70 levels is refused. */
START_TEST(test_depth)
{
    static char fdt[65536];
    int depth = _i ? 70 : 60, d;
    struct lxs_hostmap map;
    char *why = NULL;
    int rc;

    FDT_OK(fdt_create(fdt, sizeof(fdt)));
    FDT_OK(fdt_finish_reservemap(fdt));
    FDT_OK(fdt_begin_node(fdt, ""));
    FDT_OK(fdt_property_u32(fdt, "#address-cells", 2));
    FDT_OK(fdt_property_u32(fdt, "#size-cells", 2));
    for (d = 1; d < depth; d++)
        FDT_OK(fdt_begin_node(fdt, "n"));
    memory_node(fdt, "memory@80000000", 0x80000000, NULL);
    for (d = 0; d < depth; d++)
        FDT_OK(fdt_end_node(fdt));
    FDT_OK(fdt_finish(fdt));

    lxs_hostmap_init(&map);
    rc = lxs_hostmap_from_fdt(&map, fdt, fdt_totalsize(fdt), &why);
    if (_i) {
        ck_assert_int_eq(rc, -EBADMSG);
        ck_assert_ptr_nonnull(strstr(why, "nested deeper"));
        ck_assert_uint_eq(map.nr, 0);
    } else {
        ck_assert_int_eq(rc, 0);
        ck_assert_uint_eq(map.ram.nr, 1);
        ck_assert_uint_eq(map.ram.v[0].start, 0x80000000);
        ck_assert_ptr_null(why);
    }
    free(why);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* ---- ENOMEM at every allocation ----------------------------------- */

START_TEST(test_nomem)
{
    const struct good_case *c = &good_cases[1];    /* qemu-virt */
    struct lxs_hostmap map;
    size_t len;
    void *blob = load_fixture(c->fixture, &len);
    unsigned long n;
    int rc;

    prefill(&map);
    for (n = 1; ; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_hostmap_from_fdt(&map, blob, len, NULL);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
        check_prefill(&map);
    }
    ck_assert_uint_gt(n, 20);
    check_map(&map, c);

    /* lxs_hostmap_finish keeps the old sets when it cannot build */
    ck_assert_int_eq(lxs_hostmap_add(&map, OWNED, 0x100000, 0x200000, 0,
                                     "registry", "x"), 0);
    for (n = 1; ; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_hostmap_finish(&map);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert_uint_eq(map.owned.nr, 3);
        ck_assert_ptr_eq(map.owned_ix.rs, &map.owned);
    }
    ck_assert_uint_eq(map.owned.nr, 4);
    ck_assert_uint_eq(map.owned.v[0].start, 0x100000);
    lxs_hostmap_dispose(&map);
    free(blob);
}
END_TEST

/* ---- the file reader ---------------------------------------------- */

START_TEST(test_file_errors)
{
    struct lxs_hostmap map;
    char dir[] = "/tmp/test-core-XXXXXX", *big, *empty, *why = NULL;
    int fd;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_ge(asprintf(&big, "%s/big.dtb", dir), 0);
    ck_assert_int_ge(asprintf(&empty, "%s/empty.dtb", dir), 0);

    prefill(&map);
    ck_assert_int_eq(lxs_hostmap_from_file(&map, "/nonexistent/host.dtb",
                                           &why), -ENOENT);
    ck_assert_ptr_null(why);
    ck_assert_int_eq(lxs_hostmap_from_file(&map, dir, NULL), -EISDIR);

    /* a sparse file one byte over the 64 MiB limit */
    fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (64 << 20) + 1), 0);
    close(fd);
    ck_assert_int_eq(lxs_hostmap_from_file(&map, big, NULL), -EFBIG);

    fd = open(empty, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(lxs_hostmap_from_file(&map, empty, &why), -EBADMSG);
    ck_assert_ptr_nonnull(why);
    free(why);
    check_prefill(&map);

    unlink(big);
    unlink(empty);
    rmdir(dir);
    free(big);
    free(empty);
    lxs_hostmap_dispose(&map);
}
END_TEST

Suite *hostmap_suite(void)
{
    return unit_suite("hostmap",
                      UNIT_LOOP(test_good_fixture, ARRAY_SIZE(good_cases)),
                      UNIT_LOOP(test_good_buffer, 2 * ARRAY_SIZE(good_cases)),
                      UNIT_TESTS(test_indexes),
                      UNIT_LOOP(test_bad_fixture, ARRAY_SIZE(bad_cases)),
                      UNIT_LOOP(test_corrupt, DAMAGE__COUNT),
                      UNIT_TESTS(test_status),
                      UNIT_LOOP(test_depth, 2),
                      UNIT_TESTS(test_nomem, test_file_errors),
                      NULL);
}
