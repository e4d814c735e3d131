/*
 * Placement planning: automatic placement, guest layout, dma-offset,
 * windows, several domains, determinism, allocation failures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"
#include "check_tests.h"

/*
 * RAM [0x10000000, 0x80000000) and [0x800000000, 0x900000000); the
 * pool [0x60000000, 0x80000000) unless a test says otherwise.
 */
static const struct hm_region ram[] = {
    { 0x10000000, 0x80000000, "/memory@10000000", NULL },
    { 0x800000000, 0x900000000, "/memory@800000000", NULL },
    { 0 },
};
static const struct hm_region pool[] = {
    { 0x60000000, 0x80000000, "/chosen/xen,static-pool", NULL },
    { 0 },
};

struct want {
    uint64_t host, guest, size;
};

static void assert_plan(const struct lxs_plan *p, const char *name,
                        const struct want *w, size_t n)
{
    size_t k;

    ck_assert_ptr_nonnull(p->name);
    ck_assert_str_eq(p->name, name);
    ck_assert_msg(p->nr_ext == n, "%s: %zu extents, want %zu", name,
                  p->nr_ext, n);
    for (k = 0; k < n; k++) {
        ck_assert_msg(p->ext[k].host == w[k].host &&
                      p->ext[k].guest == w[k].guest &&
                      p->ext[k].size == w[k].size,
                      "%s: extent %zu is (0x%llx, 0x%llx, 0x%llx), want "
                      "(0x%llx, 0x%llx, 0x%llx)", name, k,
                      (unsigned long long)p->ext[k].host,
                      (unsigned long long)p->ext[k].guest,
                      (unsigned long long)p->ext[k].size,
                      (unsigned long long)w[k].host,
                      (unsigned long long)w[k].guest,
                      (unsigned long long)w[k].size);
    }
}

static void run_clean(struct check_run *run, struct lxs_hostmap *map,
                      enum lxs_check_mode mode, const char *const *cfgs)
{
    check_texts(run, map, mode, cfgs);
    ck_assert_msg(run->rc == 0 && run->diags.nr == 0, "rc %d:%s", run->rc,
                  diags_text(&run->diags));
}

/* direct_map without placement: the lowest 2M-aligned fit in the pool. */
START_TEST(test_plan_direct_map_auto)
{
    static const struct hm_region resv[] = {
        { 0x60000000, 0x60001000, "/reserved-memory/fw@60000000", NULL },
        { 0 },
    };
    static const char *const cfgs[] = {
        "name = \"dm\"\ndirect_map = 1\nmemory = 64\n", NULL,
    };
    static const struct want w[] = { { 0x60200000, 0x60200000, 64 * MiB } };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, resv, NULL, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    assert_plan(&run.plans[0], "dm", w, 1);
    ck_assert(run.plans[0].direct_map);
    ck_assert(run.plans[0].automatic);
    ck_assert(run.plans[0].has_dma_offset);
    ck_assert_uint_eq(run.plans[0].dma_offset, 0);
    ck_assert(!run.plans[0].windows_moved);
    ck_assert_uint_eq(run.plans[0].gnttab.base, 0x38000000);
    /* a 1:1 domain's magic pages are the top 16K of its own RAM */
    ck_assert(run.plans[0].magic_in_ram);
    ck_assert_uint_eq(run.plans[0].magic.base, 0x64200000 - 0x4000);
    ck_assert_uint_eq(run.plans[0].magic.size, LXS_MAGIC_IN_RAM_SIZE);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* At boot, automatic placement goes to RAM outside the pool. */
START_TEST(test_plan_boot_outside_pool)
{
    static const struct hm_region resv[] = {
        { 0x10000000, 0x50000000, "/reserved-memory/big", NULL },
        { 0 },
    };
    static const char *const cfgs[] = {
        "name = \"b\"\ndirect_map = 1\nmemory = 256\n", NULL,
    };
    /* the 256M between the reserved region and the pool */
    static const struct want w[] = { { 0x50000000, 0x50000000, 256 * MiB } };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, resv, NULL, pool);
    run_clean(&run, &map, LXS_MODE_BOOT, cfgs);
    assert_plan(&run.plans[0], "b", w, 1);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* A direct-mapped automatic extent keeps clear of the guest windows. */
START_TEST(test_plan_direct_map_avoids_windows)
{
    static const struct hm_region low_ram[] = {
        { 0x0, 0x80000000, "/memory@0", NULL },
        { 0 },
    };
    static const struct hm_region low_pool[] = {
        { 0x2000000, 0x80000000, "/chosen/xen,static-pool", NULL },
        { 0 },
    };
    static const char *const cfgs[] = {
        /* v2 and v3 windows, redistributors of 1 vcpu: up to 0x3040000 */
        "name = \"a\"\ndirect_map = 1\nmemory = 32\n",
        /*
         * too big for the room below the grant table: above it (its
         * magic pages are in its RAM, their window is not in the way)
         */
        "name = \"b\"\ndirect_map = 1\nmemory = 832\n",
        NULL,
    };
    static const struct want wa[] = { { 0x3200000, 0x3200000, 32 * MiB } };
    static const struct want wb[] = {
        { 0x39000000, 0x39000000, 832 * MiB },
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, low_ram, NULL, NULL, low_pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    assert_plan(&run.plans[0], "a", wa, 1);
    assert_plan(&run.plans[1], "b", wb, 1);
    ck_assert(!run.plans[1].windows_moved);
    ck_assert(run.plans[1].magic_in_ram);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* rambase_pfn: one extent at GUEST_RAM0_BASE, positive dma-offset. */
START_TEST(test_plan_rambase)
{
    static const char *const cfgs[] = {
        "name = \"r\"\nmemory = 256\nrambase_pfn = 0x60000\n", NULL,
    };
    static const struct want w[] = { { 0x60000000, 0x40000000, 256 * MiB } };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, NULL, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    assert_plan(&run.plans[0], "r", w, 1);
    ck_assert(!run.plans[0].direct_map);
    ck_assert(!run.plans[0].automatic);
    ck_assert(run.plans[0].has_dma_offset);
    ck_assert_uint_eq(run.plans[0].dma_offset, 0x20000000);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* Host below the guest: the offset is negative, two's complement. */
START_TEST(test_plan_dma_offset_negative)
{
    static const char *const cfgs[] = {
        "name = \"n\"\nstatic_mem = [ \"0x20000000:16M\", "
        "\"0x21000000:16M\" ]\n", NULL,
    };
    static const struct want w[] = {
        { 0x20000000, 0x40000000, 16 * MiB },
        { 0x21000000, 0x41000000, 16 * MiB },
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, NULL, pool);
    run_clean(&run, &map, LXS_MODE_BOOT, cfgs);
    assert_plan(&run.plans[0], "n", w, 2);
    ck_assert(run.plans[0].has_dma_offset);
    ck_assert_uint_eq(run.plans[0].dma_offset, UINT64_C(0xffffffffe0000000));
    ck_assert_uint_eq(run.plans[0].ext[0].guest + run.plans[0].dma_offset,
                      0x20000000);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/*
 * static_mem with two banks apart on the host: guest RAM is contiguous
 * in cfg order, so there is no single offset.
 */
START_TEST(test_plan_static_mem_two_banks)
{
    static const char *const cfgs[] = {
        "name = \"s\"\nmemory = 48\nstatic_mem = [ \"0x68000000:32M\", "
        "\"0x60000000:16M\" ]\n", NULL,
    };
    static const struct want w[] = {
        { 0x68000000, 0x40000000, 32 * MiB },
        { 0x60000000, 0x42000000, 16 * MiB },
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, NULL, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    assert_plan(&run.plans[0], "s", w, 2);
    ck_assert(!run.plans[0].has_dma_offset);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* @GADDR puts an extent where it says; the rest fill from 0x40000000. */
START_TEST(test_plan_gaddr)
{
    static const char *const cfgs[] = {
        "name = \"g\"\nstatic_mem = [ \"0x60000000:16M@0x80000000\", "
        "\"0x61000000:16M\" ]\n", NULL,
    };
    static const struct want w[] = {
        { 0x61000000, 0x40000000, 16 * MiB },
        { 0x60000000, 0x80000000, 16 * MiB },
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, NULL, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    assert_plan(&run.plans[0], "g", w, 2);
    ck_assert(!run.plans[0].has_dma_offset);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/*
 * mem_chunk: 256M as two naturally aligned 128M chunks inside the pool,
 * stepping over the reserved holes, in ascending host order.
 */
START_TEST(test_plan_mem_chunk)
{
    static const struct hm_region resv[] = {
        { 0x64000000, 0x64001000, "/reserved-memory/a@64000000", NULL },
        { 0x70001000, 0x70002000, "/reserved-memory/b@70001000", NULL },
        { 0 },
    };
    static const char *const cfgs[] = {
        "name = \"c\"\nmemory = 256\nmem_chunk = \"128M\"\n", NULL,
    };
    static const struct want w[] = {
        { 0x68000000, 0x40000000, 128 * MiB },
        { 0x78000000, 0x48000000, 128 * MiB },
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, resv, NULL, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    assert_plan(&run.plans[0], "c", w, 2);
    ck_assert(run.plans[0].automatic);
    ck_assert(!run.plans[0].direct_map);
    ck_assert(!run.plans[0].has_dma_offset);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* Chunks that touch are one extent; direct-mapped chunks keep gfn == mfn. */
START_TEST(test_plan_mem_chunk_direct_map)
{
    static const struct hm_region resv[] = {
        { 0x60400000, 0x60401000, "/reserved-memory/a@60400000", NULL },
        { 0 },
    };
    static const char *const cfgs[] = {
        "name = \"c\"\ndirect_map = 1\nmemory = 8\nmem_chunk = 2\n", NULL,
    };
    static const struct want w[] = {
        { 0x60000000, 0x60000000, 4 * MiB },
        { 0x60600000, 0x60600000, 4 * MiB },
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, resv, NULL, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    assert_plan(&run.plans[0], "c", w, 2);
    ck_assert(run.plans[0].has_dma_offset);
    ck_assert_uint_eq(run.plans[0].dma_offset, 0);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/*
 * Several domains: the explicit one (last in the list) is taken first,
 * the automatic ones follow in cfg order around it.
 */
static const char *const several[] = {
    "name = \"a1\"\ndirect_map = 1\nmemory = 32\n",
    "name = \"a2\"\nmemory = 32\nmem_chunk = 16\n",
    "name = \"a3\"\ndirect_map = 1\nmemory = 8\n",
    "name = \"x\"\nstatic_mem = [ \"0x60000000:16M\" ]\n",
    NULL,
};

START_TEST(test_plan_several)
{
    static const struct want w1[] = { { 0x61000000, 0x61000000, 32 * MiB } };
    static const struct want w2[] = { { 0x63000000, 0x40000000, 32 * MiB } };
    static const struct want w3[] = { { 0x65000000, 0x65000000, 8 * MiB } };
    static const struct want wx[] = { { 0x60000000, 0x40000000, 16 * MiB } };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, NULL, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, several);
    assert_plan(&run.plans[0], "a1", w1, 1);
    assert_plan(&run.plans[1], "a2", w2, 1);
    assert_plan(&run.plans[2], "a3", w3, 1);
    assert_plan(&run.plans[3], "x", wx, 1);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* The same input gives the same plan. */
START_TEST(test_plan_deterministic)
{
    static const struct hm_region resv[] = {
        { 0x62100000, 0x62300000, "/reserved-memory/r", NULL },
        { 0x61010000, 0x61020000, "/reserved-memory/q", NULL },
        { 0 },
    };
    struct lxs_hostmap map;
    struct check_run a, b;
    size_t i, k;

    hostmap_build(&map, ram, resv, NULL, pool);
    check_texts(&a, &map, LXS_MODE_RUNTIME, several);
    check_texts(&b, &map, LXS_MODE_RUNTIME, several);
    ck_assert_int_eq(a.rc, 0);
    ck_assert_int_eq(b.rc, 0);
    for (i = 0; i < a.nr; i++) {
        ck_assert_str_eq(a.plans[i].name, b.plans[i].name);
        ck_assert_uint_eq(a.plans[i].nr_ext, b.plans[i].nr_ext);
        ck_assert_uint_gt(a.plans[i].nr_ext, 0);
        for (k = 0; k < a.plans[i].nr_ext; k++)
            ck_assert(!memcmp(&a.plans[i].ext[k], &b.plans[i].ext[k],
                              sizeof(a.plans[i].ext[k])));
        ck_assert_int_eq(a.plans[i].has_dma_offset,
                         b.plans[i].has_dma_offset);
        ck_assert_uint_eq(a.plans[i].dma_offset, b.plans[i].dma_offset);
    }
    check_dispose(&a);
    check_dispose(&b);
    lxs_hostmap_dispose(&map);
}
END_TEST

/*
 * Direct-mapped RAM at 0x38000000 covers the grant-table and magic
 * windows: both move to the lowest free 2M-aligned holes.
 */
START_TEST(test_plan_windows_moved)
{
    static const char *const cfgs[] = {
        "name = \"w\"\ndirect_map = 1\nstatic_mem = "
        "[ \"0x38000000:256M\" ]\n", NULL,
    };
    static const struct want w[] = { { 0x38000000, 0x38000000, 256 * MiB } };
    struct lxs_hostmap map;
    struct check_run run;
    const struct lxs_plan *p;

    hostmap_build(&map, ram, NULL, NULL, pool);
    run_clean(&run, &map, LXS_MODE_BOOT, cfgs);
    p = &run.plans[0];
    assert_plan(p, "w", w, 1);
    ck_assert(p->windows_moved);
    ck_assert_uint_eq(p->gnttab.base, 0x200000);
    ck_assert_uint_eq(p->gnttab.size, 16 * MiB);
    /* a dom0less domain: no magic pages in its RAM, the window moves */
    ck_assert(!p->magic_in_ram);
    ck_assert_uint_eq(p->magic.base, 0x1200000);
    ck_assert_uint_eq(p->magic.size, 16 * MiB);
    /* clear of the vGIC, which starts at 0x3001000 */
    ck_assert_uint_le(p->magic.base + p->magic.size, 0x3001000);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/*
 * 1 MiB of direct-mapped RAM in 128 separate 8K extents has no extent
 * that holds the 16K of magic pages: no-space.  One 16K extent among
 * them (the near miss) holds them, at its top, even below others.
 */
static char *scattered_cfg(bool one_16k)
{
    char *cfg = malloc(128 * 40 + 128), *p = cfg;
    int k, n = one_16k ? 127 : 128;

    ck_assert_ptr_nonnull(cfg);
    p += sprintf(p, "name = \"s\"\ndirect_map = 1\nmemory = 1\n"
                 "static_mem = [ ");
    for (k = 0; k < n; k++)
        p += sprintf(p, "%s\"0x%llx:%s\"", k ? ", " : "",
                     0x60000000ULL + (unsigned long long)k * 0x10000,
                     one_16k && k == 0 ? "16K" : "8K");
    sprintf(p, " ]\n");
    return cfg;
}

START_TEST(test_plan_direct_map_magic_no_room)
{
    char *cfg = scattered_cfg(_i == 1);
    const char *cfgs[] = { cfg, NULL };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, NULL, pool);
    check_texts(&run, &map, LXS_MODE_RUNTIME, cfgs);
    if (_i == 0) {
        ck_assert_int_eq(run.rc, -EINVAL);
        ck_assert_ptr_nonnull(find_diag(&run.diags, LXS_E_NO_SPACE,
                                        "magic pages", NULL));
        ck_assert_uint_eq(run.plans[0].nr_ext, 0);
    } else {
        ck_assert_msg(run.rc == 0, "%s", diags_text(&run.diags));
        ck_assert(run.plans[0].magic_in_ram);
        ck_assert_uint_eq(run.plans[0].magic.base, 0x60000000);
        ck_assert_uint_eq(run.plans[0].magic.size, 0x4000);
    }
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
    free(cfg);
}
END_TEST

/* Only the covered window moves; the hole keeps clear of the other. */
START_TEST(test_plan_one_window_moved)
{
    static const char *const cfgs[] = {
        "name = \"w\"\nstatic_mem = [ \"0x60000000:2M@0x39000000\", "
        "\"0x60200000:32M@0x200000\" ]\n", NULL,
    };
    struct lxs_hostmap map;
    struct check_run run;
    const struct lxs_plan *p;

    hostmap_build(&map, ram, NULL, NULL, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    p = &run.plans[0];
    ck_assert(p->windows_moved);
    ck_assert_uint_eq(p->gnttab.base, 0x38000000);
    /* [2M, 34M) is RAM, the vGIC is at [0x3001000, 0x3040000) */
    ck_assert_uint_eq(p->magic.base, 0x3200000);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* More than bank 0 holds: the extent is split at the bank boundary. */
START_TEST(test_plan_spill_to_bank1)
{
    static const char *const cfgs[] = {
        "name = \"big\"\nmemory = 4096\nrambase_pfn = 0x800000\n", NULL,
    };
    static const struct want w[] = {
        { 0x800000000, 0x40000000, 3 * GiB },
        { 0x8c0000000, 0x200000000, 1 * GiB },
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, NULL, pool);
    run_clean(&run, &map, LXS_MODE_BOOT, cfgs);
    assert_plan(&run.plans[0], "big", w, 2);
    ck_assert(!run.plans[0].has_dma_offset);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* A domain created again gets its own earlier memory back. */
START_TEST(test_plan_own_memory_first)
{
    static const struct hm_region own[] = {
        { 0x68000000, 0x6a000000, "registry", "again" },
        { 0 },
    };
    static const char *const cfgs[] = {
        "name = \"other\"\ndirect_map = 1\nmemory = 32\n",
        "name = \"again\"\ndirect_map = 1\nmemory = 32\n",
        NULL,
    };
    static const struct want wo[] = { { 0x60000000, 0x60000000, 32 * MiB } };
    static const struct want wa[] = { { 0x68000000, 0x68000000, 32 * MiB } };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, own, pool);
    run_clean(&run, &map, LXS_MODE_RUNTIME, cfgs);
    assert_plan(&run.plans[0], "other", wo, 1);
    assert_plan(&run.plans[1], "again", wa, 1);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* Plans only for the specs without error findings. */
START_TEST(test_plan_only_valid)
{
    static const char *const cfgs[] = {
        "name = \"ok\"\nmemory = 16\nrambase_pfn = 0x60000\n",
        "name = \"bad\"\nmemory = 16\nrambase_pfn = 0x10000\n",
        "name = \"plain\"\nmemory = 16\n",
        NULL,
    };
    static const struct want w[] = { { 0x60000000, 0x40000000, 16 * MiB } };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, NULL, NULL, pool);
    check_texts(&run, &map, LXS_MODE_RUNTIME, cfgs);
    ck_assert_int_eq(run.rc, -EINVAL);
    ck_assert_uint_eq(count_code(&run.diags, LXS_E_OUTSIDE_POOL, NULL), 1);
    assert_plan(&run.plans[0], "ok", w, 1);
    ck_assert_ptr_null(run.plans[1].name);
    ck_assert_uint_eq(run.plans[1].nr_ext, 0);
    ck_assert_str_eq(run.plans[2].name, "plain");
    ck_assert_uint_eq(run.plans[2].nr_ext, 0);
    ck_assert(!run.plans[2].has_dma_offset);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/*
 * Every allocation failure in lxs_check gives -ENOMEM and leaves the
 * diagnostics and the plans as they were.
 */
START_TEST(test_plan_enomem)
{
    static const struct hm_region resv[] = {
        { 0x64000000, 0x64001000, "/reserved-memory/a", NULL },
        { 0 },
    };
    static const struct hm_region own[] = {
        { 0x70000000, 0x72000000, "registry", "a1" },
        { 0 },
    };
    static const char *const cfgs[] = {
        "name = \"a1\"\ndirect_map = 1\nmemory = 32\n",
        "name = \"a2\"\nmemory = 256\nmem_chunk = 64\n",
        "name = \"x\"\nstatic_mem = [ \"0x60000000:16M@0x38000000\", "
        "\"0x61000000:1M\", \"0x61000000:1M\" ]\n",
        "memory = 16\nstatic_mem = [ \"0x481ff000:4K\" ]\n",
        NULL,
    };
    struct lxs_check_opts opts = { .mode = LXS_MODE_RUNTIME };
    struct lxs_hostmap map;
    struct check_run run;
    struct lxs_plan plans[4];
    struct lxs_diags d;
    unsigned long n;
    size_t i, nr_ok = 0;
    int rc = -ENOMEM;

    hostmap_build(&map, ram, resv, own, pool);
    check_texts(&run, &map, LXS_MODE_RUNTIME, cfgs);
    ck_assert_int_eq(run.rc, -EINVAL);
    ck_assert_uint_gt(run.diags.nr, 3);
    nr_ok = run.diags.nr;

    for (n = 1; rc == -ENOMEM; n++) {
        lxs_diags_init(&d);
        ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_WARNING, LXS_W_UNSAFE_DMA,
                                      NULL, NULL, NULL, "before"), 0);
        for (i = 0; i < 4; i++) {
            lxs_plan_init(&plans[i]);
            plans[i].nr_ext = 77;      /* a marker: must stay on failure */
        }
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_check(&map, run.specs, 4, &opts, &d, plans);
        lxs__alloc_fail_at = 0;
        if (rc == -ENOMEM) {
            ck_assert_uint_eq(d.nr, 1);
            for (i = 0; i < 4; i++)
                ck_assert_uint_eq(plans[i].nr_ext, 77);
        } else {
            ck_assert_int_eq(rc, -EINVAL);
            ck_assert_uint_eq(d.nr, 1 + nr_ok);
            ck_assert_uint_eq(plans[0].nr_ext, 1);
            ck_assert_uint_eq(plans[1].nr_ext, 2);
            for (i = 0; i < 4; i++)
                lxs_plan_dispose(&plans[i]);
        }
        lxs_diags_dispose(&d);
        ck_assert_uint_lt(n, 5000);
    }
    ck_assert_uint_gt(n, 10);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/*
 * Scale: 100,000 reserved pages and 1,000 domains, half of them
 * automatic and half of those with a reservation of their own, must
 * stay well inside the test timeout (no all-pairs).
 */
START_TEST(test_plan_scale)
{
    enum { NR_RESV = 100000, NR_DOM = 1000 };
    struct lxs_check_opts opts = { .mode = LXS_MODE_BOOT };
    struct lxs_hostmap map;
    struct lxs_spec *specs;
    struct lxs_plan *plans;
    struct lxs_diags d;
    char name[16];
    uint64_t a;
    size_t i;
    int rc;

    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_add(&map, LXS_REGION_RAM, 0x40000000,
                                     0x40000000 + 64 * GiB, 0, "ram", NULL),
                     0);
    /* a reserved page every 256K over the first 24G */
    for (i = 0; i < NR_RESV; i++) {
        a = 0x40000000 + i * 0x40000 + 0x3f000;
        ck_assert_int_eq(lxs_hostmap_add(&map, LXS_REGION_RESERVED, a,
                                         a + 0x1000, 0, "r", NULL), 0);
    }
    /* every fourth domain has its own 16M reservation at 40G, 32M apart */
    for (i = 0; i < NR_DOM; i += 4) {
        snprintf(name, sizeof(name), "d%zu", i);
        a = 0x40000000 + 40 * GiB + (i / 4) * 32 * MiB;
        ck_assert_int_eq(lxs_hostmap_add(&map, LXS_REGION_OWNED, a,
                                         a + 16 * MiB, 0, "registry", name),
                         0);
    }
    ck_assert_int_eq(lxs_hostmap_finish(&map), 0);

    specs = calloc(NR_DOM, sizeof(*specs));
    plans = calloc(NR_DOM, sizeof(*plans));
    ck_assert(specs && plans);
    for (i = 0; i < NR_DOM; i++) {
        lxs_spec_init(&specs[i]);
        lxs_plan_init(&plans[i]);
        snprintf(name, sizeof(name), "d%zu", i);
        specs[i].name = strdup(name);
        specs[i].file = strdup("scale");
        specs[i].has_memory = true;
        specs[i].memory_size = 16 * MiB;
        specs[i].kernel = strdup("Image");
        if (i % 2) {
            /* explicit, on the ragged part: 252K between reserved pages */
            specs[i].has_static_mem = true;
            specs[i].nr_static_mem = 1;
            specs[i].static_mem = calloc(1, sizeof(*specs[i].static_mem));
            specs[i].static_mem[0].addr = 0x40000000 + i * 0x40000;
            specs[i].static_mem[0].size = 0x3f000;
            specs[i].static_mem[0].text = strdup("scale");
            specs[i].memory_size = 0x3f000;
        } else {
            specs[i].direct_map = true;
        }
    }
    lxs_diags_init(&d);
    rc = lxs_check(&map, specs, NR_DOM, &opts, &d, plans);
    ck_assert_msg(rc == 0, "rc %d:%s", rc, diags_text(&d));
    /*
     * The automatic ones get their own reservation back, or land in
     * order above the ragged 24G.
     */
    a = 0x40000000 + (uint64_t)NR_RESV * 0x40000;
    for (i = 0; i < NR_DOM; i += 2) {
        ck_assert_uint_eq(plans[i].nr_ext, 1);
        if (i % 4 == 0)
            ck_assert_uint_eq(plans[i].ext[0].host, 0x40000000 + 40 * GiB +
                              (i / 4) * 32 * MiB);
        else
            ck_assert_uint_eq(plans[i].ext[0].host, a + (i / 4) * 16 * MiB);
    }
    for (i = 0; i < NR_DOM; i++) {
        lxs_spec_dispose(&specs[i]);
        lxs_plan_dispose(&plans[i]);
    }
    free(specs);
    free(plans);
    lxs_diags_dispose(&d);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* The board-shaped host DT of tests/fixtures/host, read by hostmap.c. */
START_TEST(test_plan_qemu_virt_dtb)
{
    static const char *const boot_cfgs[] = {
        "name = \"domU1\"\ndirect_map = 1\n"
        "static_mem = [ \"0x50000000:128M\" ]\n",
        "name = \"x\"\nstatic_mem = [ \"0x5bfff000:8K\" ]\n",
        NULL,
    };
    static const char *const run_cfgs[] = {
        "name = \"guest\"\ndirect_map = 1\nmemory = 256\n"
        "dtdev = [ \"/soc/dma\" ]\n",
        "name = \"bad\"\nstatic_mem = [ \"0x7e100000:1M\" ]\n",
        NULL,
    };
    static const struct want wg[] = { { 0x60000000, 0x60000000, 256 * MiB } };
    const char *top = getenv("top_builddir");
    struct lxs_hostmap map;
    struct check_run run;
    char path[4096];

    snprintf(path, sizeof(path), "%s/tests/fixtures/host/qemu-virt.dtb",
             top ? top : ".");
    lxs_hostmap_init(&map);
    ck_assert_msg(lxs_hostmap_from_file(&map, path, NULL) == 0,
                  "cannot read %s (is top_builddir set?)", path);
    ck_assert(map.has_iommu);

    /* boot: domU1's own memory is fine; x hits both ranges of domU2 */
    check_texts(&run, &map, LXS_MODE_BOOT, boot_cfgs);
    ck_assert_int_eq(run.rc, -EINVAL);
    ck_assert_msg(run.diags.nr == 2, "%s", diags_text(&run.diags));
    ck_assert_ptr_nonnull(find_diag(&run.diags, LXS_E_OVERLAP_DOMAIN,
                                    "'domU2'", NULL));
    ck_assert_str_eq(run.diags.v[0].domain, "x");
    ck_assert_str_eq(run.plans[0].name, "domU1");
    check_dispose(&run);

    /* run time: the pool, OP-TEE's carve-out, an IOMMU for dtdev */
    check_texts(&run, &map, LXS_MODE_RUNTIME, run_cfgs);
    ck_assert_int_eq(run.rc, -EINVAL);
    assert_plan(&run.plans[0], "guest", wg, 1);
    ck_assert_uint_eq(count_code(&run.diags, LXS_W_UNSAFE_DMA, NULL), 0);
    ck_assert_ptr_nonnull(find_diag(&run.diags, LXS_E_OUTSIDE_POOL,
                                    "[0x60000000, 0x78000000)", NULL));
    ck_assert_ptr_nonnull(find_diag(&run.diags, LXS_E_OVERLAP_RESERVED,
                                    "optee@7e000000", NULL));
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

Suite *plan_suite(void)
{
    return unit_suite("plan", UNIT_TESTS(test_plan_direct_map_auto),
                      UNIT_LOOP(test_plan_direct_map_magic_no_room, 2),
                      UNIT_TESTS(test_plan_boot_outside_pool,
                                 test_plan_direct_map_avoids_windows,
                                 test_plan_rambase,
                                 test_plan_dma_offset_negative,
                                 test_plan_static_mem_two_banks,
                                 test_plan_gaddr, test_plan_mem_chunk,
                                 test_plan_mem_chunk_direct_map,
                                 test_plan_several, test_plan_deterministic,
                                 test_plan_windows_moved,
                                 test_plan_one_window_moved,
                                 test_plan_spill_to_bank1,
                                 test_plan_own_memory_first,
                                 test_plan_only_valid, test_plan_enomem,
                                 test_plan_scale, test_plan_qemu_virt_dtb),
                      NULL);
}
