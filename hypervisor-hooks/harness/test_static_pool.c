/*
 * Unit tests of the static pool bookkeeping (common/static_pool.c), built
 * in userspace through the harness headers.
 */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/static_pool.h>

#include "harness.h"
#include "static_extent_abi.h"
#include "unit.h"

#define NO_OWNER XEN_STATIC_EXTENT_NO_OWNER
#define NO_GFN (~(uint64_t)0)

/*
 * The host of most tests: RAM [0x40000, 0xc0000) in two touching banks,
 * a reserved range, and the pool [0x60000, 0x70000) (256 MiB at
 * 0x60000000).
 */
#define RAM0_START  0x40000ULL
#define RAM0_NR     0x40000ULL
#define RAM1_START  0x80000ULL
#define RAM1_NR     0x40000ULL
#define RESV_START  0x48000ULL
#define RESV_NR     0x10ULL
#define POOL_START  0x60000ULL
#define POOL_NR     0x10000ULL
#define POOL_END    (POOL_START + POOL_NR)

static struct static_pool pool;

/*
 * The host of setup_host(), not sealed yet; @resv_flags are its reserved
 * range's.
 */
static void add_host(unsigned int resv_flags)
{
    ck_assert_int_eq(static_pool_init(&pool, 16, 16), 0);
    ck_assert_int_eq(static_pool_add_region(&pool, XEN_STATIC_EXTENT_TYPE_ram,
                                            RAM0_START, RAM0_NR, 0), 0);
    ck_assert_int_eq(static_pool_add_region(&pool, XEN_STATIC_EXTENT_TYPE_ram,
                                            RAM1_START, RAM1_NR, 0), 0);
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_reserved,
                                            RESV_START, RESV_NR, resv_flags),
                     0);
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            POOL_START, POOL_NR, 0), 0);
}

/* RAM0 and the pool, not sealed: room for @max_extents extents. */
static void add_ram0_pool(unsigned int max_extents)
{
    ck_assert_int_eq(static_pool_init(&pool, 16, max_extents), 0);
    ck_assert_int_eq(static_pool_add_region(&pool, XEN_STATIC_EXTENT_TYPE_ram,
                                            RAM0_START, RAM0_NR, 0), 0);
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            POOL_START, POOL_NR, 0), 0);
}

static void setup_host(void)
{
    add_host(XEN_STATIC_EXTENT_F_memreserve);
    static_pool_seal(&pool);
}

/*
 * A small sealed host: RAM [0, 0x1000), the pool [0x100, 0x100 + pool_nr),
 * room for @max_extents extents to start with.
 */
static void setup_small_host(unsigned int max_extents, uint64_t pool_nr)
{
    ck_assert_int_eq(static_pool_init(&pool, 4, max_extents), 0);
    ck_assert_int_eq(static_pool_add_region(&pool, XEN_STATIC_EXTENT_TYPE_ram,
                                            0, 0x1000, 0), 0);
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            0x100, pool_nr, 0), 0);
    static_pool_seal(&pool);
}

static void teardown_host(void)
{
    static_pool_destroy(&pool);
    ck_assert_int_eq(harness_alloc_live(), 0);
}

/* Claims and commits, asserting success. */
static void claim_ok(uint64_t start, uint64_t nr, uint16_t owner)
{
    ck_assert_int_eq(static_pool_claim(&pool, start, nr, start, owner), 0);
    ck_assert_int_eq(static_pool_commit(&pool, start, owner), 0);
}

/* The whole query list, in one call. */
static unsigned int query_all(struct xen_static_extent_entry *v,
                              unsigned int max)
{
    unsigned int nr;
    uint32_t next, total;
    uint64_t gen;

    ck_assert_int_eq(static_pool_query(&pool, 0, v, max, &nr, &next, &total,
                                       &gen), 0);
    ck_assert_uint_eq(nr, total);
    ck_assert_uint_eq(next, XEN_STATIC_EXTENT_QUERY_DONE);
    return nr;
}

/*
 * The pool part of the list must tile the pool exactly, in address
 * order; returns the frames it shows as owned by @owner.
 */
static uint64_t pool_owned_by(uint16_t owner)
{
    struct xen_static_extent_entry v[256];
    unsigned int i, nr = query_all(v, 256);
    uint64_t cur = POOL_START, owned = 0;

    for (i = 0; i < nr; i++) {
        ck_assert_uint_gt(v[i].nr_mfns, 0);
        if (v[i].type != XEN_STATIC_EXTENT_TYPE_pool_free &&
            !(v[i].type == XEN_STATIC_EXTENT_TYPE_owned &&
              (v[i].flags & XEN_STATIC_EXTENT_F_pool)))
            continue;
        ck_assert_uint_eq(v[i].start_mfn, cur);
        cur += v[i].nr_mfns;
        if (v[i].type == XEN_STATIC_EXTENT_TYPE_owned &&
            v[i].owner == owner)
            owned += v[i].nr_mfns;
    }
    ck_assert_uint_eq(cur, POOL_END);
    return owned;
}

/* ------------------------------------------------------------------ */
/* init and boot-time regions                                          */

START_TEST(test_init_bad_sizes)
{
    ck_assert_int_eq(static_pool_init(&pool, 0, 4), -EINVAL);
    ck_assert_int_eq(static_pool_init(&pool, 4, 0), -EINVAL);
    static_pool_destroy(&pool);
    ck_assert_int_eq(harness_alloc_live(), 0);
}
END_TEST

/* Each of the four allocations of init fails in turn: -ENOMEM, no leak. */
START_TEST(test_init_enomem)
{
    harness_alloc_fail_at = _i + 1;
    ck_assert_int_eq(static_pool_init(&pool, 4, 4), -ENOMEM);
    harness_alloc_fail_at = 0;
    ck_assert_int_eq(harness_alloc_live(), 0);
    ck_assert_ptr_null(pool.extents);
    static_pool_destroy(&pool);
}
END_TEST

struct region_case {
    const char *what;
    uint32_t type;
    uint64_t start, nr;
    uint32_t flags;
    int rc;
};

/* Regions added to the host of setup_host() before it is sealed. */
static const struct region_case region_cases[] = {
    { "pool inside ram0", XEN_STATIC_EXTENT_TYPE_pool_free,
      0x50000, 0x100, 0, 0 },
    { "pool across the ram0/ram1 seam", XEN_STATIC_EXTENT_TYPE_pool_free,
      0x7ff00, 0x200, 0, 0 },
    { "pool below ram", XEN_STATIC_EXTENT_TYPE_pool_free,
      0x3ff00, 0x200, 0, -ENOENT },
    { "pool past ram", XEN_STATIC_EXTENT_TYPE_pool_free,
      0xbff00, 0x200, 0, -ENOENT },
    { "pool on the reserved range", XEN_STATIC_EXTENT_TYPE_pool_free,
      RESV_START + RESV_NR - 1, 1, 0, -EBUSY },
    { "pool overlapping the pool", XEN_STATIC_EXTENT_TYPE_pool_free,
      POOL_END - 1, 2, 0, -EEXIST },
    { "reserved on the pool", XEN_STATIC_EXTENT_TYPE_reserved,
      POOL_START, 1, XEN_STATIC_EXTENT_F_reserved_mem, -EBUSY },
    { "reserved beside the pool", XEN_STATIC_EXTENT_TYPE_reserved,
      POOL_END, 1, XEN_STATIC_EXTENT_F_static_heap, 0 },
    { "empty", XEN_STATIC_EXTENT_TYPE_ram, 0x1000, 0, 0, -EINVAL },
    { "wraps", XEN_STATIC_EXTENT_TYPE_ram, ~0ULL, 1, 0, -EINVAL },
    { "ends at 2^64", XEN_STATIC_EXTENT_TYPE_ram, ~0ULL - 1, 2, 0, -EINVAL },
    { "unknown type", 9, 0x1000, 1, 0, -EINVAL },
    { "owned is not a region", XEN_STATIC_EXTENT_TYPE_owned,
      0x1000, 1, 0, -EINVAL },
    { "flags on ram", XEN_STATIC_EXTENT_TYPE_ram, 0x1000, 1,
      XEN_STATIC_EXTENT_F_xen, -EINVAL },
    { "pool flag on reserved", XEN_STATIC_EXTENT_TYPE_reserved, 0x1000, 1,
      XEN_STATIC_EXTENT_F_pool, -EINVAL },
};

START_TEST(test_add_region)
{
    const struct region_case *c = &region_cases[_i];

    add_host(0);
    ck_assert_msg(static_pool_add_region(&pool, c->type, c->start, c->nr,
                                         c->flags) == c->rc,
                  "%s: expected %d", c->what, c->rc);
    /* A refused pool range left the pool as it was. */
    if (c->rc && c->type == XEN_STATIC_EXTENT_TYPE_pool_free) {
        ck_assert_uint_eq(pool.nr_ranges, 1);
        ck_assert_uint_eq(pool.ranges[0].nr, POOL_NR);
    }
    teardown_host();
}
END_TEST

START_TEST(test_pool_ranges_merge)
{
    ck_assert_int_eq(static_pool_init(&pool, 4, 4), 0);
    ck_assert_int_eq(static_pool_add_region(&pool, XEN_STATIC_EXTENT_TYPE_ram,
                                            0, 0x1000, 0), 0);
    /* [0x300, 0x400), then [0x100, 0x200), then the gap between them. */
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            0x300, 0x100, 0), 0);
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            0x100, 0x100, 0), 0);
    ck_assert_uint_eq(pool.nr_ranges, 2);
    ck_assert_uint_eq(pool.ranges[0].start, 0x100);
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            0x200, 0x100, 0), 0);
    ck_assert_uint_eq(pool.nr_ranges, 1);
    ck_assert_uint_eq(pool.ranges[0].start, 0x100);
    ck_assert_uint_eq(pool.ranges[0].nr, 0x300);
    /* So a claim across the old seams is inside the pool. */
    static_pool_seal(&pool);
    ck_assert(static_pool_contains(&pool, 0x100, 0x300));
    ck_assert_int_eq(static_pool_claim(&pool, 0x1ff, 0x102, 0x1ff, 1), 0);
    teardown_host();
}
END_TEST

START_TEST(test_table_full)
{
    unsigned int i;

    ck_assert_int_eq(static_pool_init(&pool, 2, 4), 0);
    ck_assert_int_eq(static_pool_add_region(&pool, XEN_STATIC_EXTENT_TYPE_ram,
                                            0, 0x100, 0), 0);
    ck_assert_int_eq(static_pool_add_region(&pool, XEN_STATIC_EXTENT_TYPE_ram,
                                            0x100, 0x100, 0), 0);
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_reserved,
                                            0x10, 1, 0), -ENOSPC);
    /* Pool ranges and boot banks have tables of their own. */
    for (i = 0; i < 2; i++)
        ck_assert_int_eq(static_pool_add_region(
                             &pool, XEN_STATIC_EXTENT_TYPE_pool_free,
                             0x20 + 0x20 * i, 0x10, 0), 0);
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            0x80, 0x10, 0), -ENOSPC);
    /* Touching an existing range needs no new slot. */
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            0x30, 0x8, 0), 0);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, 0x100, 0x10), 0);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, 0x180, 0x10), 0);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, 0x1c0, 0x10), -ENOSPC);
    teardown_host();
}
END_TEST

START_TEST(test_sealed)
{
    setup_host();
    ck_assert_int_eq(static_pool_add_region(&pool, XEN_STATIC_EXTENT_TYPE_ram,
                                            0x100000, 1, 0), -EPERM);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, 0x50000, 1), -EPERM);
    teardown_host();
}
END_TEST

START_TEST(test_boot_banks)
{
    struct xen_static_extent_entry v[16];
    unsigned int nr;
    uint64_t gen;

    add_ram0_pool(16);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, POOL_END - 1, 2),
                     -EBUSY);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, 0x50000, 0x100), 0);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, 0x500ff, 1), -EEXIST);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, 0x48000, 0x100), 0);
    /* A pool range on a boot bank is refused too. */
    ck_assert_int_eq(static_pool_add_region(&pool,
                                            XEN_STATIC_EXTENT_TYPE_pool_free,
                                            0x50080, 0x1000, 0), -EBUSY);
    static_pool_seal(&pool);

    /* Banks are listed by address, reserved until a domain uses them. */
    nr = query_all(v, 16);
    ck_assert_uint_eq(nr, 4);
    ck_assert_uint_eq(v[2].start_mfn, 0x48000);
    ck_assert_uint_eq(v[2].type, XEN_STATIC_EXTENT_TYPE_reserved);
    ck_assert_uint_eq(v[2].flags, XEN_STATIC_EXTENT_F_boot);
    ck_assert_uint_eq(v[3].start_mfn, 0x50000);

    gen = pool.generation;
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, 0x50000, 0x100, 1), 0);
    ck_assert_uint_eq(pool.generation, gen + 1);
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, 0x50000, 0x100, 1), 0);
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, 0x50000, 0x100, 2),
                     -EBUSY);
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, 0x50000, 0xff, 2),
                     -ENOENT);
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, 0x48000, 0x100,
                                                NO_OWNER), -EINVAL);
    nr = query_all(v, 16);
    ck_assert_uint_eq(v[3].type, XEN_STATIC_EXTENT_TYPE_owned);
    ck_assert_uint_eq(v[3].owner, 1);
    ck_assert_uint_eq(v[3].flags, XEN_STATIC_EXTENT_F_boot);
    ck_assert_uint_eq(v[2].owner, NO_OWNER);

    /* A boot bank is not a pool extent: it cannot be released. */
    ck_assert_int_eq(static_pool_release(&pool, 0x50000, 0x100, 1, NULL),
                     -ENOENT);

    /*
     * Its domain dies: the bank stays its own until the domain is
     * destroyed (a dying domain may still hold frames of it).
     */
    ck_assert_uint_eq(static_pool_owner_gone(&pool, 1), 0);
    nr = query_all(v, 16);
    ck_assert_uint_eq(v[3].type, XEN_STATIC_EXTENT_TYPE_owned);
    ck_assert_uint_eq(v[3].owner, 1);

    /* Destroyed: reserved again, not given to the pool. */
    gen = pool.generation;
    ck_assert_uint_eq(static_pool_boot_owner_gone(&pool, 1), 1);
    ck_assert_uint_eq(pool.generation, gen + 1);
    ck_assert_uint_eq(static_pool_boot_owner_gone(&pool, 1), 0);
    ck_assert_uint_eq(static_pool_boot_owner_gone(&pool, NO_OWNER), 0);
    ck_assert_uint_eq(pool.generation, gen + 1);
    nr = query_all(v, 16);
    ck_assert_uint_eq(v[3].type, XEN_STATIC_EXTENT_TYPE_reserved);
    ck_assert_uint_eq(v[3].owner, NO_OWNER);
    /* Never mapped at boot: no gfn, it cannot be claimed. */
    ck_assert_uint_eq(v[3].gfn, NO_GFN);
    ck_assert(!static_pool_contains(&pool, 0x50000, 1));
    ck_assert_int_eq(static_pool_claim(&pool, 0x50000, 0x100, 0x50000, 2), -EINVAL);
    teardown_host();
}
END_TEST

/*
 * Boot banks of the reclaim tests, on the host of setup_host(): B is
 * mapped at a guest address of its own, D 1:1 (a direct-mapped domain),
 * S is never mapped (static shared memory is not), X in two pieces that
 * are not contiguous in guest space.
 */
#define B_START     0x50000ULL
#define B_NR        0x100ULL
#define B_GFN       0x40000ULL
#define D_START     0x58000ULL
#define D_NR        0x100ULL
#define S_START     0x5a000ULL
#define X_START     0x5c000ULL
#define X_NR        0x100ULL

static void setup_boot_host(void)
{
    add_host(XEN_STATIC_EXTENT_F_memreserve);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, B_START, B_NR), 0);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, D_START, D_NR), 0);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, S_START, 0x10), 0);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, X_START, X_NR), 0);
    static_pool_seal(&pool);

    /* As domain_build.c does: owner, then the mapping piece by piece. */
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, B_START, B_NR, 1), 0);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, B_START, 0x80, B_GFN, 1,
                                             false), 0);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, B_START + 0x80, 0x80,
                                             B_GFN + 0x80, 1, false), 0);
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, D_START, D_NR, 2), 0);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, D_START, D_NR, D_START,
                                             2, true), 0);
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, X_START, X_NR, 3), 0);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, X_START, 0x80, 0x7ff80,
                                             3, false), 0);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, X_START + 0x80, 0x80,
                                             0x200000, 3, false), 0);
}

/* The query entry of the boot bank at @start. */
static struct xen_static_extent_entry boot_entry(uint64_t start)
{
    struct xen_static_extent_entry v[32];
    unsigned int i, nr = query_all(v, 32);

    for (i = 0; i < nr; i++)
        if ((v[i].flags & XEN_STATIC_EXTENT_F_boot) &&
            v[i].start_mfn == start)
            return v[i];
    ck_abort_msg("no boot bank at %#llx", (unsigned long long)start);
    return v[0];
}

/* A boot bank's mapping at boot: bad pieces are refused or spoil it. */
START_TEST(test_boot_mapped)
{
    struct xen_static_extent_entry e;

    setup_boot_host();
    /* Not a bank of that domain, not inside one, bad ranges. */
    ck_assert_int_eq(static_pool_boot_mapped(&pool, B_START, 1, B_GFN, 2,
                                             false), -ENOENT);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, B_START - 1, 2, B_GFN, 1,
                                             false), -ENOENT);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, POOL_START, 1, B_GFN, 1,
                                             false), -ENOENT);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, B_START, 0, B_GFN, 1,
                                             false), -EINVAL);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, B_START, 2, ~0ULL, 1,
                                             false), -EINVAL);

    /* Two pieces that follow each other in guest space: one gfn. */
    e = boot_entry(B_START);
    ck_assert_uint_eq(e.type, XEN_STATIC_EXTENT_TYPE_owned);
    ck_assert_uint_eq(e.owner, 1);
    ck_assert_uint_eq(e.gfn, B_GFN);
    ck_assert_uint_eq(e.flags, XEN_STATIC_EXTENT_F_boot);
    e = boot_entry(D_START);
    ck_assert_uint_eq(e.gfn, D_START);
    ck_assert_uint_eq(e.flags,
                      XEN_STATIC_EXTENT_F_boot | XEN_STATIC_EXTENT_F_directmap);
    /* Split in guest space, or never mapped: no gfn. */
    ck_assert_uint_eq(boot_entry(X_START).gfn, NO_GFN);
    ck_assert_uint_eq(boot_entry(S_START).gfn, NO_GFN);
    ck_assert_uint_eq(boot_entry(S_START).type,
                      XEN_STATIC_EXTENT_TYPE_reserved);

    /* Mapped only in part: no gfn either. */
    teardown_host();
    ck_assert_int_eq(static_pool_init(&pool, 16, 16), 0);
    ck_assert_int_eq(static_pool_add_boot_bank(&pool, B_START, B_NR), 0);
    static_pool_seal(&pool);
    ck_assert_int_eq(static_pool_set_boot_owner(&pool, B_START, B_NR, 1), 0);
    ck_assert_int_eq(static_pool_boot_mapped(&pool, B_START, 0x80, B_GFN, 1,
                                             false), 0);
    ck_assert_uint_eq(boot_entry(B_START).gfn, NO_GFN);
    /* Out of order: the second piece first. */
    ck_assert_int_eq(static_pool_boot_mapped(&pool, B_START + 0x80, 0x80,
                                             B_GFN + 0x80, 1, false), 0);
    ck_assert_uint_eq(boot_entry(B_START).gfn, B_GFN);
    teardown_host();
}
END_TEST

/*
 * The bank of a dom0less domain: claimable only once that domain is
 * destroyed, only whole, at its boot gfn, by the same kind of domain;
 * listed with the boot banks while claimed; reserved again (never pool)
 * when its new owner releases it or dies.
 */
START_TEST(test_boot_reclaim)
{
    struct xen_static_extent_entry e;
    struct static_extent x;
    uint64_t gen;

    setup_boot_host();

    /* Its domain exists (alive or dying): busy. */
    ck_assert(!static_pool_runtime_frame(&pool, B_START));
    ck_assert(static_pool_runtime_frame(&pool, POOL_START));
    ck_assert(static_pool_runtime_frame(&pool, POOL_END - 1));
    ck_assert(!static_pool_runtime_frame(&pool, POOL_END));
    ck_assert(static_pool_may_map(&pool, B_START, B_NR, 1));
    ck_assert(!static_pool_may_map(&pool, B_START, B_NR, 5));
    ck_assert(!static_pool_may_map(&pool, B_START, B_NR + 1, 1));
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR, B_GFN, 5),
                     -EBUSY);
    ck_assert_uint_eq(static_pool_owner_gone(&pool, 1), 0);
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR, B_GFN, 5),
                     -EBUSY);

    /* Destroyed. */
    ck_assert_uint_eq(static_pool_boot_owner_gone(&pool, 1), 1);
    ck_assert(!static_pool_runtime_frame(&pool, B_START));
    ck_assert(!static_pool_may_map(&pool, B_START, 1, 1));
    e = boot_entry(B_START);
    ck_assert_uint_eq(e.type, XEN_STATIC_EXTENT_TYPE_reserved);
    ck_assert_uint_eq(e.owner, NO_OWNER);
    ck_assert_uint_eq(e.gfn, B_GFN);

    /* Only whole, at its gfn, by the same kind of domain. */
    ck_assert_int_eq(static_pool_boot_owner_gone(&pool, 3), 1);
    gen = pool.generation;
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR - 1, B_GFN, 5), -EINVAL);
    ck_assert_int_eq(static_pool_claim(&pool, B_START + 1, 1, B_GFN, 5), -EINVAL);
    ck_assert_int_eq(static_pool_claim(&pool, B_START - 1, B_NR + 1, B_GFN, 5), -EINVAL);
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR + 1, B_GFN, 5), -EINVAL);
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR, B_GFN + 1, 5), -EINVAL);
    ck_assert_int_eq(static_pool_claim_as(&pool, B_START, B_NR, B_START, 5,
                                          true), -EINVAL);
    ck_assert_int_eq(static_pool_claim_as(&pool, B_START, B_NR, B_GFN, 5,
                                          true),
                     -EINVAL);
    /* A pool claim reaching into a bank, a bank never mapped or split. */
    ck_assert_int_eq(static_pool_claim(&pool, S_START, 0x10, S_START, 5), -EINVAL);
    ck_assert_int_eq(static_pool_claim(&pool, X_START, X_NR, 0x7ff80, 5), -EINVAL);
    /* Outside RAM, pool and banks alike. */
    ck_assert_int_eq(static_pool_claim(&pool, B_START + B_NR, 1, B_GFN, 5), -ENOENT);
    ck_assert_uint_eq(pool.generation, gen);
    ck_assert_uint_eq(pool.nr_extents, 0);

    /* A direct-mapped bank for a direct-mapped domain only. */
    ck_assert_uint_eq(static_pool_boot_owner_gone(&pool, 2), 1);
    ck_assert_int_eq(static_pool_claim(&pool, D_START, D_NR, D_START, 6), -EINVAL);
    ck_assert_int_eq(static_pool_claim_as(&pool, D_START, D_NR, D_START, 6,
                                          true), 0);
    ck_assert_int_eq(static_pool_commit(&pool, D_START, 6), 0);
    e = boot_entry(D_START);
    ck_assert_uint_eq(e.flags,
                      XEN_STATIC_EXTENT_F_boot | XEN_STATIC_EXTENT_F_directmap);
    ck_assert_uint_eq(e.owner, 6);

    /* The claim: pending, then owned by the new domain, at its gfn. */
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR, B_GFN, 5),
                     0);
    e = boot_entry(B_START);
    ck_assert_uint_eq(e.type, XEN_STATIC_EXTENT_TYPE_owned);
    ck_assert_uint_eq(e.flags,
                      XEN_STATIC_EXTENT_F_boot | XEN_STATIC_EXTENT_F_pending);
    ck_assert_uint_eq(e.owner, 5);
    ck_assert(!static_pool_may_map(&pool, B_START, 1, 5));
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR, B_GFN, 7),
                     -EBUSY);
    ck_assert_int_eq(static_pool_commit(&pool, B_START, 5), 0);
    e = boot_entry(B_START);
    ck_assert_uint_eq(e.flags, XEN_STATIC_EXTENT_F_boot);
    ck_assert_uint_eq(e.owner, 5);
    ck_assert_uint_eq(e.gfn, B_GFN);
    ck_assert(static_pool_may_map(&pool, B_START, B_NR, 5));
    ck_assert(static_pool_runtime_frame(&pool, B_START));
    ck_assert(static_pool_runtime_frame(&pool, B_START + B_NR - 1));
    ck_assert(!static_pool_runtime_frame(&pool, B_START + B_NR));
    ck_assert_int_eq(static_pool_lookup(&pool, B_START + 1, &x), 0);
    ck_assert(x.boot);
    /* The pool part of the list does not show it. */
    ck_assert_uint_eq(pool_owned_by(5), 0);
    /* Its other extents cannot overlap it in guest space. */
    ck_assert_int_eq(static_pool_claim(&pool, POOL_START, 1, B_GFN + 0xff, 5), -EEXIST);

    /* Released: reserved again, not pool, claimable again. */
    ck_assert_int_eq(static_pool_release(&pool, B_START, B_NR, 7, NULL),
                     -EACCES);
    ck_assert_int_eq(static_pool_release(&pool, B_START, B_NR, 5, NULL), 0);
    ck_assert_int_eq(static_pool_commit(&pool, B_START, 5), 0);
    e = boot_entry(B_START);
    ck_assert_uint_eq(e.type, XEN_STATIC_EXTENT_TYPE_reserved);
    ck_assert_uint_eq(e.owner, NO_OWNER);
    ck_assert_uint_eq(e.gfn, B_GFN);
    ck_assert(!static_pool_contains(&pool, B_START, 1));
    ck_assert(!static_pool_runtime_frame(&pool, B_START));
    ck_assert_uint_eq(pool_owned_by(NO_OWNER), 0);

    /* Its new owner dies: reserved again. */
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR, B_GFN, 7),
                     0);
    ck_assert_int_eq(static_pool_commit(&pool, B_START, 7), 0);
    ck_assert_uint_eq(static_pool_owner_gone(&pool, 7), B_NR);
    ck_assert_uint_eq(boot_entry(B_START).type,
                      XEN_STATIC_EXTENT_TYPE_reserved);

    /* ... also during the claim: orphaned, gone when the claim aborts. */
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR, B_GFN, 8),
                     0);
    ck_assert_uint_eq(static_pool_owner_gone(&pool, 8), 0);
    ck_assert_uint_eq(boot_entry(B_START).flags,
                      XEN_STATIC_EXTENT_F_boot | XEN_STATIC_EXTENT_F_pending);
    ck_assert_int_eq(static_pool_claim(&pool, B_START, B_NR, B_GFN, 9),
                     -EBUSY);
    ck_assert_int_eq(static_pool_commit(&pool, B_START, 8), -ESRCH);
    ck_assert_int_eq(static_pool_abort(&pool, B_START, 8), 0);
    e = boot_entry(B_START);
    ck_assert_uint_eq(e.type, XEN_STATIC_EXTENT_TYPE_reserved);
    ck_assert_uint_eq(e.owner, NO_OWNER);
    ck_assert_uint_eq(pool.nr_extents, 1);
    teardown_host();
}
END_TEST

/* ------------------------------------------------------------------ */
/* claim                                                               */

struct claim_case {
    const char *what;
    uint64_t start, nr, gfn;
    uint16_t owner;
    int rc;
};

static const struct claim_case claim_cases[] = {
    { "whole pool", POOL_START, POOL_NR, POOL_START, 1, 0 },
    { "first frame", POOL_START, 1, POOL_START, 1, 0 },
    { "last frame", POOL_END - 1, 1, 0x40000, 1, 0 },
    { "frame before the pool", POOL_START - 1, 1, 0, 1, -ENOENT },
    { "frame past the pool", POOL_END, 1, 0, 1, -ENOENT },
    { "one frame too many", POOL_START, POOL_NR + 1, 0, 1, -ENOENT },
    { "straddles the start", POOL_START - 1, 2, 0, 1, -ENOENT },
    { "straddles the end", POOL_END - 1, 2, 0, 1, -ENOENT },
    { "reserved range", RESV_START, 1, 0, 1, -ENOENT },
    { "outside ram", 0x1000000, 1, 0, 1, -ENOENT },
    { "empty", POOL_START, 0, 0, 1, -EINVAL },
    { "wraps", ~0ULL, 2, 0, 1, -EINVAL },
    { "gfn wraps", POOL_START, 2, ~0ULL, 1, -EINVAL },
    { "reserved domid", POOL_START, 1, 0, 0x7ff0, -EINVAL },
    { "DOMID_INVALID", POOL_START, 1, 0, NO_OWNER, -EINVAL },
    { "dom0", POOL_START, 1, 0, 0, 0 },
    { "last ordinary domid", POOL_START, 1, 0, 0x7fef, 0 },
};

START_TEST(test_claim)
{
    const struct claim_case *c = &claim_cases[_i];
    struct static_extent e;
    uint64_t gen;
    int rc;

    gen = pool.generation;
    rc = static_pool_claim(&pool, c->start, c->nr, c->gfn, c->owner);
    ck_assert_msg(rc == c->rc, "%s: got %d, expected %d", c->what, rc, c->rc);

    if (c->rc) {
        /* Nothing changed. */
        ck_assert_uint_eq(pool.nr_extents, 0);
        ck_assert_uint_eq(pool.generation, gen);
    } else {
        ck_assert_uint_ne(pool.generation, gen);
        ck_assert_int_eq(static_pool_lookup(&pool, c->start + c->nr - 1, &e),
                         0);
        ck_assert_uint_eq(e.start, c->start);
        ck_assert_uint_eq(e.nr, c->nr);
        ck_assert_uint_eq(e.gfn, c->gfn);
        ck_assert_uint_eq(e.owner, c->owner);
        ck_assert_uint_eq(e.state, STATIC_EXTENT_CLAIMING);
        ck_assert_int_eq(static_pool_commit(&pool, c->start, c->owner), 0);
        ck_assert_int_eq(static_pool_lookup(&pool, c->start, &e), 0);
        ck_assert_uint_eq(e.state, STATIC_EXTENT_OWNED);
        ck_assert_uint_eq(pool_owned_by(c->owner), c->nr);
    }
}
END_TEST

/* A second claim against an extent [A, A + 0x100) that is owned. */
#define A (POOL_START + 0x1000)

static const struct claim_case overlap_cases[] = {
    { "same range", A, 0x100, 0, 2, -EBUSY },
    { "same range, same owner", A, 0x100, 0, 1, -EBUSY },
    { "partial, from below", A - 0x10, 0x20, 0, 2, -EBUSY },
    { "partial, into the top", A + 0xff, 0x10, 0, 2, -EBUSY },
    { "inside", A + 0x10, 0x10, 0, 2, -EBUSY },
    { "covering", A - 1, 0x102, 0, 2, -EBUSY },
    { "first frame", A, 1, 0, 2, -EBUSY },
    { "last frame", A + 0xff, 1, 0, 2, -EBUSY },
    { "just below", A - 0x10, 0x10, 0, 2, 0 },
    { "just above", A + 0x100, 0x10, 0, 2, 0 },
};

START_TEST(test_claim_overlap)
{
    const struct claim_case *c = &overlap_cases[_i];
    uint64_t gen;
    int rc;

    claim_ok(A, 0x100, 1);
    gen = pool.generation;
    rc = static_pool_claim(&pool, c->start, c->nr, c->gfn, c->owner);
    ck_assert_msg(rc == c->rc, "%s: got %d, expected %d", c->what, rc, c->rc);
    ck_assert_uint_eq(pool.nr_extents, c->rc ? 1 : 2);
    ck_assert_uint_eq(pool.generation == gen, c->rc != 0);
    ck_assert_uint_eq(pool_owned_by(1), 0x100);
}
END_TEST

/* An extent being claimed or released blocks another claim too. */
START_TEST(test_claim_while_pending)
{
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 1), 0);
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 2), -EBUSY);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), 0);
    ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL), 0);
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 2), -EBUSY);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), 0);
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 2), 0);
}
END_TEST

/*
 * A domain's extents do not overlap in guest space either, whatever
 * their state: a claim still in progress is not in the p2m yet, so only
 * the bookkeeping can refuse a second claim at the same gfns (finding 6
 * of issue 13).  Another domain may use the same gfns.
 */
START_TEST(test_claim_gfn_overlap)
{
    uint64_t gen;

    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, 0x40000, 1), 0);
    gen = pool.generation;
    ck_assert_int_eq(static_pool_claim(&pool, A + 0x100, 0x100, 0x40000, 1),
                     -EEXIST);
    ck_assert_int_eq(static_pool_claim(&pool, A + 0x100, 0x100, 0x400ff, 1),
                     -EEXIST);
    ck_assert_int_eq(static_pool_claim(&pool, A + 0x100, 0x100, 0x3ff01, 1),
                     -EEXIST);
    ck_assert_uint_eq(pool.generation, gen);
    ck_assert_uint_eq(pool.nr_extents, 1);
    /* Just below and just above, or another domain: fine. */
    ck_assert_int_eq(static_pool_claim(&pool, A + 0x100, 0x100, 0x3ff00, 1),
                     0);
    ck_assert_int_eq(static_pool_claim(&pool, A + 0x200, 0x100, 0x40100, 1),
                     0);
    ck_assert_int_eq(static_pool_claim(&pool, A + 0x300, 0x100, 0x40000, 2),
                     0);
    /* Once the first is gone, its gfns are free again. */
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, 0x40000, 1), 0);
}
END_TEST

START_TEST(test_claim_abort)
{
    struct static_extent e;
    uint64_t gen;

    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 1), 0);
    gen = pool.generation;
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);
    ck_assert_uint_ne(pool.generation, gen);
    ck_assert_int_eq(static_pool_lookup(&pool, A, &e), -ENOENT);
    ck_assert_uint_eq(pool_owned_by(1), 0);
    /* Nothing in progress any more. */
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), -ENOENT);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), -ENOENT);
    claim_ok(A, 0x100, 2);
    ck_assert_int_eq(static_pool_commit(&pool, A, 2), -EINVAL);
    ck_assert_int_eq(static_pool_abort(&pool, A, 2), -EINVAL);
    ck_assert_uint_eq(pool_owned_by(2), 0x100);
}
END_TEST

/* ------------------------------------------------------------------ */
/* release                                                             */

struct release_case {
    const char *what;
    uint64_t start, nr;
    uint16_t owner;
    int rc;
};

/* Against the extent [A, A + 0x100) owned by domain 1. */
static const struct release_case release_cases[] = {
    { "exact", A, 0x100, 1, 0 },
    { "foreign", A, 0x100, 2, -EACCES },
    { "shorter", A, 0xff, 1, -EINVAL },
    { "longer", A, 0x101, 1, -EINVAL },
    { "not its start", A + 1, 0xff, 1, -ENOENT },
    { "free pool frames", POOL_START, 0x10, 1, -ENOENT },
    { "outside the pool", 0x50000, 0x10, 1, -ENOENT },
};

START_TEST(test_release)
{
    const struct release_case *c = &release_cases[_i];
    struct static_extent e;
    uint64_t gfn = 0, gen;
    int rc;

    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, 0x40000, 1), 0);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), 0);
    gen = pool.generation;

    rc = static_pool_release(&pool, c->start, c->nr, c->owner, &gfn);
    ck_assert_msg(rc == c->rc, "%s: got %d, expected %d", c->what, rc, c->rc);
    ck_assert_int_eq(static_pool_lookup(&pool, A, &e), 0);
    if (c->rc) {
        ck_assert_uint_eq(e.state, STATIC_EXTENT_OWNED);
        ck_assert_uint_eq(pool.generation, gen);
        ck_assert_uint_eq(gfn, 0);
    } else {
        ck_assert_uint_eq(e.state, STATIC_EXTENT_RELEASING);
        ck_assert_uint_eq(gfn, 0x40000);
        /* Twice is refused while in progress. */
        ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL),
                         -EBUSY);
        ck_assert_int_eq(static_pool_commit(&pool, A, 1), 0);
        ck_assert_int_eq(static_pool_lookup(&pool, A, &e), -ENOENT);
        ck_assert_uint_eq(pool_owned_by(1), 0);
        /* Back in the pool: claimable by anyone. */
        claim_ok(A, 0x100, 2);
    }
}
END_TEST

START_TEST(test_release_abort)
{
    struct static_extent e;

    claim_ok(A, 0x100, 1);
    ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL), 0);
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);
    ck_assert_int_eq(static_pool_lookup(&pool, A, &e), 0);
    ck_assert_uint_eq(e.state, STATIC_EXTENT_OWNED);
    ck_assert_uint_eq(e.owner, 1);
    ck_assert_uint_eq(pool_owned_by(1), 0x100);
}
END_TEST

START_TEST(test_release_while_claiming)
{
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 1), 0);
    ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL), -EBUSY);
}
END_TEST

/* ------------------------------------------------------------------ */
/* exhaustion and owner death                                          */

/* Frame by frame until no frame is left, then nothing more fits. */
START_TEST(test_exhaust_frames)
{
    uint64_t i;

    setup_small_host(64, 64);
    for (i = 0; i < 64; i++)
        ck_assert_int_eq(static_pool_claim(&pool, 0x100 + i, 1, i,
                                           1 + i % 3), 0);
    for (i = 0; i < 64; i++)
        ck_assert_int_eq(static_pool_claim(&pool, 0x100 + i, 1, i, 5),
                         -EBUSY);
    ck_assert_int_eq(static_pool_claim(&pool, 0x100 + 64, 1, 0, 5), -ENOENT);
    ck_assert_uint_eq(pool.nr_extents, 64);
    /* The extents stayed sorted. */
    for (i = 1; i < 64; i++)
        ck_assert_uint_lt(pool.extents[i - 1].start, pool.extents[i].start);
    teardown_host();
}
END_TEST

/* The table of extents fills before the frames run out: -ENOSPC. */
START_TEST(test_exhaust_table)
{
    unsigned int i;

    setup_small_host(8, 0x100);
    /* Claimed from the top down, so every insert shifts the table. */
    for (i = 0; i < 8; i++)
        ck_assert_int_eq(static_pool_claim(&pool, 0x1f0 - 0x10 * i, 0x10,
                                           0x1f0 - 0x10 * i, 1), 0);
    ck_assert_int_eq(static_pool_claim(&pool, 0x100, 0x10, 0x100, 1),
                     -ENOSPC);
    ck_assert_uint_eq(pool.nr_extents, 8);
    ck_assert_uint_eq(pool.extents[0].start, 0x180);
    /* One goes, one fits again. */
    ck_assert_int_eq(static_pool_abort(&pool, 0x1a0, 1), 0);
    ck_assert_int_eq(static_pool_claim(&pool, 0x100, 0x10, 0x100, 1), 0);
    teardown_host();
}
END_TEST

/*
 * The table grows: reserve makes room when it is full (and only then),
 * keeps every extent, and leaves everything as it was when it cannot
 * allocate.
 */
START_TEST(test_table_grows)
{
    struct static_extent e;
    unsigned int i;
    uint64_t gen;

    setup_small_host(2, 0x200);

    /* Room: nothing allocated. */
    harness_alloc_count = 0;
    ck_assert_int_eq(static_pool_reserve(&pool), 0);
    ck_assert_uint_eq(harness_alloc_count, 0);
    ck_assert_uint_eq(pool.max_extents, 2);

    for (i = 0; i < 16; i++) {
        ck_assert_int_eq(static_pool_reserve(&pool), 0);
        ck_assert_int_eq(static_pool_claim(&pool, 0x1f0 - 0x10 * i, 0x10,
                                           0x1f0 - 0x10 * i, 1), 0);
    }
    ck_assert_uint_eq(pool.max_extents, 16);
    ck_assert_uint_eq(pool.nr_extents, 16);

    /* Full, and the allocation fails: -ENOMEM, nothing changed. */
    gen = pool.generation;
    harness_alloc_fail_at = 1;
    ck_assert_int_eq(static_pool_reserve(&pool), -ENOMEM);
    harness_alloc_fail_at = 0;
    ck_assert_uint_eq(pool.max_extents, 16);
    ck_assert_uint_eq(pool.generation, gen);
    ck_assert_int_eq(static_pool_claim(&pool, 0x200, 0x10, 0x200, 2),
                     -ENOSPC);

    /* Grown: every extent kept, in order. */
    ck_assert_int_eq(static_pool_reserve(&pool), 0);
    ck_assert_uint_eq(pool.max_extents, 32);
    for (i = 0; i < 16; i++) {
        ck_assert_int_eq(static_pool_lookup(&pool, 0x100 + 0x10 * i, &e), 0);
        ck_assert_uint_eq(e.start, 0x100 + 0x10 * i);
        ck_assert_uint_eq(e.owner, 1);
    }
    ck_assert_uint_eq(harness_alloc_live(), 4);
    teardown_host();
}
END_TEST

START_TEST(test_owner_gone)
{
    struct static_extent e;
    uint64_t gen;

    setup_host();
    claim_ok(POOL_START, 0x100, 3);
    claim_ok(POOL_START + 0x100, 0x100, 4);
    claim_ok(POOL_START + 0x800, 0x200, 3);
    /* In progress (a dying domain's claim and release). */
    ck_assert_int_eq(static_pool_claim(&pool, POOL_END - 1, 1, 0, 3), 0);
    ck_assert_int_eq(static_pool_release(&pool, POOL_START, 0x100, 3, NULL),
                     0);
    gen = pool.generation;

    /* Only the extent it owned outright goes back now. */
    ck_assert_uint_eq(static_pool_owner_gone(&pool, 3), 0x200);
    ck_assert_uint_ne(pool.generation, gen);
    ck_assert_uint_eq(pool.nr_extents, 3);
    ck_assert_uint_eq(pool_owned_by(4), 0x100);
    ck_assert_int_eq(static_pool_lookup(&pool, POOL_START + 0x800, &e),
                     -ENOENT);
    /* The two in progress stay, orphaned, and still keep claims away. */
    ck_assert_int_eq(static_pool_lookup(&pool, POOL_END - 1, &e), 0);
    ck_assert(e.orphan);
    ck_assert_int_eq(static_pool_lookup(&pool, POOL_START, &e), 0);
    ck_assert(e.orphan);
    ck_assert_int_eq(static_pool_claim(&pool, POOL_START, 0x100, 0, 5),
                     -EBUSY);
    ck_assert_int_eq(static_pool_claim(&pool, POOL_END - 1, 1, 0, 5), -EBUSY);

    /* Again: nothing more to give back, no new generation. */
    gen = pool.generation;
    ck_assert_uint_eq(static_pool_owner_gone(&pool, 3), 0);
    ck_assert_uint_eq(static_pool_owner_gone(&pool, NO_OWNER), 0);
    ck_assert_uint_eq(pool.generation, gen);

    /* Their operations finish, and only then are the frames claimable. */
    ck_assert_int_eq(static_pool_commit(&pool, POOL_END - 1, 3), -ESRCH);
    ck_assert_int_eq(static_pool_abort(&pool, POOL_END - 1, 3), 0);
    ck_assert_int_eq(static_pool_commit(&pool, POOL_START, 3), 0);
    ck_assert_uint_eq(pool.nr_extents, 1);

    /* Claimable again without a reboot. */
    claim_ok(POOL_START, 0x100, 5);
    claim_ok(POOL_START + 0x800, 0x200, 5);
    claim_ok(POOL_END - 1, 1, 5);
    ck_assert_uint_eq(pool_owned_by(5), 0x301);
    teardown_host();
}
END_TEST

/*
 * Commit and abort find the extent by start and owner: an operation can
 * never finish another domain's extent at the same start.
 */
START_TEST(test_finish_needs_owner)
{
    struct static_extent e;
    uint64_t gen;

    setup_host();
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 1), 0);
    gen = pool.generation;
    ck_assert_int_eq(static_pool_commit(&pool, A, 2), -ENOENT);
    ck_assert_int_eq(static_pool_abort(&pool, A, 2), -ENOENT);
    ck_assert_int_eq(static_pool_commit(&pool, A + 1, 1), -ENOENT);
    ck_assert_uint_eq(pool.generation, gen);
    ck_assert_int_eq(static_pool_lookup(&pool, A, &e), 0);
    ck_assert_uint_eq(e.state, STATIC_EXTENT_CLAIMING);

    /*
     * The old sequence of finding 1: domain 1 dies during its claim, the
     * extent is re-claimed by domain 2 after domain 1's claim gave up;
     * a late commit or abort of domain 1 must not touch domain 2's claim.
     */
    static_pool_owner_gone(&pool, 1);
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 2), 0);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), -ENOENT);
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), -ENOENT);
    ck_assert_int_eq(static_pool_lookup(&pool, A, &e), 0);
    ck_assert_uint_eq(e.owner, 2);
    ck_assert_uint_eq(e.state, STATIC_EXTENT_CLAIMING);
    ck_assert_int_eq(static_pool_commit(&pool, A, 2), 0);
    ck_assert_uint_eq(pool_owned_by(2), 0x100);
    /* Same for a release. */
    ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 2, NULL), 0);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), -ENOENT);
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), -ENOENT);
    ck_assert_int_eq(static_pool_abort(&pool, A, 2), 0);
    ck_assert_uint_eq(pool_owned_by(2), 0x100);
    teardown_host();
}
END_TEST

/*
 * Every sub-op against the owner's death at every step.  An operation is
 * start (claim or release), then commit or abort; owner_gone() runs
 * before the start, between start and finish, or after the finish, and a
 * second domain tries to claim the same frames at every point.  Whatever
 * the order, no frame is ever in two extents, the second claim succeeds
 * only once the first operation has finished, and in the end the frames
 * are back in the pool.
 */
enum race_op { RACE_CLAIM_COMMIT, RACE_CLAIM_ABORT, RACE_RELEASE_COMMIT,
               RACE_RELEASE_ABORT, RACE_NR_OPS };
enum race_when { GONE_BEFORE, GONE_DURING, GONE_AFTER, RACE_NR_WHEN };

/* The pool's extents are sorted and disjoint (no frame has two owners). */
static void assert_disjoint(void)
{
    unsigned int i;

    for (i = 1; i < pool.nr_extents; i++)
        ck_assert_uint_le(pool.extents[i - 1].start + pool.extents[i - 1].nr,
                          pool.extents[i].start);
}

/* A second claimant, domain 9, tries the frames; succeeds iff @free. */
static void second_claimant(bool free)
{
    int rc = static_pool_claim(&pool, A, 0x100, A, 9);

    assert_disjoint();
    if (free) {
        ck_assert_int_eq(rc, 0);
        ck_assert_int_eq(static_pool_abort(&pool, A, 9), 0);
    } else
        ck_assert_int_eq(rc, -EBUSY);
}

START_TEST(test_race_owner_gone)
{
    enum race_op op = _i % RACE_NR_OPS;
    enum race_when when = _i / RACE_NR_OPS;
    bool claim = op == RACE_CLAIM_COMMIT || op == RACE_CLAIM_ABORT;
    bool commit = op == RACE_CLAIM_COMMIT || op == RACE_RELEASE_COMMIT;
    struct static_extent e;
    int rc, expect;

    setup_host();
    if (!claim)
        claim_ok(A, 0x100, 1);

    if (when == GONE_BEFORE) {
        /* The toolstack's check of the domain passed, then it died. */
        ck_assert_uint_eq(static_pool_owner_gone(&pool, 1), claim ? 0 : 0x100);
        second_claimant(true);
        if (!claim) {
            /* Nothing left to release. */
            ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL),
                             -ENOENT);
            goto done;
        }
    }

    rc = claim ? static_pool_claim(&pool, A, 0x100, A, 1)
               : static_pool_release(&pool, A, 0x100, 1, NULL);
    ck_assert_int_eq(rc, 0);
    second_claimant(false);

    if (when == GONE_DURING) {
        ck_assert_uint_eq(static_pool_owner_gone(&pool, 1), 0);
        /* Still busy: the operation may be touching the frames. */
        second_claimant(false);
        ck_assert_int_eq(static_pool_lookup(&pool, A, &e), 0);
        ck_assert(e.orphan);
        ck_assert_uint_eq(e.owner, 1);
    }

    if (commit) {
        expect = claim && when == GONE_DURING ? -ESRCH : 0;
        ck_assert_int_eq(static_pool_commit(&pool, A, 1), expect);
        if (expect) {
            /* The claim undoes its work while the frames stay away. */
            second_claimant(false);
            ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);
        }
    } else
        ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);

    /* Finished twice: refused, nothing changes. */
    rc = static_pool_commit(&pool, A, 1);
    ck_assert(rc == -ENOENT || rc == -EINVAL);
    rc = static_pool_abort(&pool, A, 1);
    ck_assert(rc == -ENOENT || rc == -EINVAL);

    if (when == GONE_AFTER)
        static_pool_owner_gone(&pool, 1);

 done:
    /* However it went, once the domain is gone its frames are free. */
    static_pool_owner_gone(&pool, 1);
    ck_assert_uint_eq(pool_owned_by(1), 0);
    ck_assert_uint_eq(pool.nr_extents, 0);
    second_claimant(true);
    teardown_host();
}
END_TEST

/*
 * populate_physmap() of a direct-mapped domain maps its own frames again
 * only while they are in an extent it owns outright: never while a
 * release of it is in progress (the release is unmapping it), nor while
 * it is being claimed, nor after the owner died.
 */
START_TEST(test_may_map)
{
    /* Not in the pool at all: the domain's own business. */
    ck_assert(static_pool_may_map(&pool, RAM0_START, 0x10, 1));
    ck_assert(static_pool_may_map(&pool, POOL_END, 1, 1));
    ck_assert(!static_pool_may_map(&pool, POOL_START, 0, 1));
    ck_assert(!static_pool_may_map(&pool, ~0ULL, 2, 1));
    /* Free pool frames: nobody's. */
    ck_assert(!static_pool_may_map(&pool, A, 1, 1));
    /* Straddling the pool's edge. */
    ck_assert(!static_pool_may_map(&pool, POOL_START - 1, 2, 1));

    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 1), 0);
    ck_assert(!static_pool_may_map(&pool, A, 1, 1));
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), 0);
    ck_assert(static_pool_may_map(&pool, A, 1, 1));
    ck_assert(static_pool_may_map(&pool, A + 0xf0, 0x10, 1));
    ck_assert(static_pool_may_map(&pool, A, 0x100, 1));
    /* Not another domain's, not past the extent's end. */
    ck_assert(!static_pool_may_map(&pool, A, 1, 2));
    ck_assert(!static_pool_may_map(&pool, A + 0xf0, 0x11, 1));
    ck_assert(!static_pool_may_map(&pool, A - 1, 2, 1));

    /* Released: refused from the moment the release starts. */
    ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL), 0);
    ck_assert(!static_pool_may_map(&pool, A, 1, 1));
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);
    ck_assert(static_pool_may_map(&pool, A, 1, 1));

    /* Owner dead during a release: refused. */
    ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL), 0);
    static_pool_owner_gone(&pool, 1);
    ck_assert(!static_pool_may_map(&pool, A, 1, 1));
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);
    ck_assert(!static_pool_may_map(&pool, A, 1, 1));
    ck_assert_uint_eq(pool.nr_extents, 0);
}
END_TEST

/*
 * A preempted claim or release parks its extent with its progress and
 * resumes it from a continuation.  Parked, the extent still keeps other
 * claims and releases away; only the same kind of operation, with the
 * same extent and progress, takes it back; it cannot be finished while
 * parked.
 */
START_TEST(test_park_resume)
{
    struct static_extent e;
    uint64_t gfn = 0;

    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, 0x40000, 1), 0);
    ck_assert_int_eq(static_pool_park(&pool, A, 1, 0), -EINVAL);
    ck_assert_int_eq(static_pool_park(&pool, A, 2, 0x40), -ENOENT);
    ck_assert_int_eq(static_pool_park(&pool, A, 1, 0x40), 0);
    ck_assert_int_eq(static_pool_park(&pool, A, 1, 0x80), -EINVAL);
    ck_assert_int_eq(static_pool_lookup(&pool, A, &e), 0);
    ck_assert(e.parked);
    ck_assert_uint_eq(e.done, 0x40);

    /* Still fenced, and not finishable while parked. */
    ck_assert_int_eq(static_pool_claim(&pool, A + 0x80, 1, 0, 2), -EBUSY);
    ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL), -EBUSY);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), -EINVAL);
    ck_assert_int_eq(static_pool_abort(&pool, A, 1), -EINVAL);

    /* Only a matching continuation resumes it. */
    ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 1, false, 0x40,
                                        NULL), -EINVAL);
    ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 1, true, 0x41,
                                        NULL), -EINVAL);
    ck_assert_int_eq(static_pool_resume(&pool, A, 0xff, 1, true, 0x40,
                                        NULL), -EINVAL);
    ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 2, true, 0x40,
                                        NULL), -ENOENT);
    ck_assert_int_eq(static_pool_resume(&pool, A + 1, 0x100, 1, true, 0x40,
                                        NULL), -ENOENT);
    ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 1, true, 0x40,
                                        &gfn), 0);
    ck_assert_uint_eq(gfn, 0x40000);
    /* Running again: a second resume (a forged continuation) fails. */
    ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 1, true, 0x40,
                                        NULL), -EINVAL);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), 0);
    ck_assert_uint_eq(pool_owned_by(1), 0x100);

    /* A release parks and resumes the same way. */
    ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL), 0);
    ck_assert_int_eq(static_pool_park(&pool, A, 1, 0x10), 0);
    ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 1, true, 0x10,
                                        NULL), -EINVAL);
    ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 1, false, 0x10,
                                        NULL), 0);
    ck_assert_int_eq(static_pool_commit(&pool, A, 1), 0);
    ck_assert_uint_eq(pool.nr_extents, 0);
}
END_TEST

/*
 * The owner dies while its claim or release is parked (nobody touches the
 * frames) or running (the operation does): a parked extent goes back at
 * once and its continuation finds nothing; a running one is orphaned,
 * cannot park, and is finished by its operation.
 */
START_TEST(test_park_owner_gone)
{
    bool claim = _i & 1, running = _i & 2;
    struct static_extent e;

    if (claim)
        ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 1), 0);
    else {
        claim_ok(A, 0x100, 1);
        ck_assert_int_eq(static_pool_release(&pool, A, 0x100, 1, NULL), 0);
    }
    ck_assert_int_eq(static_pool_park(&pool, A, 1, 0x20), 0);
    if (running)
        ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 1, claim, 0x20,
                                            NULL), 0);

    ck_assert_uint_eq(static_pool_owner_gone(&pool, 1), running ? 0 : 0x100);
    if (!running) {
        ck_assert_int_eq(static_pool_lookup(&pool, A, &e), -ENOENT);
        ck_assert_int_eq(static_pool_resume(&pool, A, 0x100, 1, claim, 0x20,
                                            NULL), -ENOENT);
    } else {
        ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 2), -EBUSY);
        ck_assert_int_eq(static_pool_park(&pool, A, 1, 0x40), -ESRCH);
        ck_assert_int_eq(static_pool_commit(&pool, A, 1), claim ? -ESRCH : 0);
        if (claim)
            ck_assert_int_eq(static_pool_abort(&pool, A, 1), 0);
    }
    ck_assert_uint_eq(pool.nr_extents, 0);
    ck_assert_int_eq(static_pool_claim(&pool, A, 0x100, A, 2), 0);
}
END_TEST

START_TEST(test_contains)
{
    setup_host();
    ck_assert(static_pool_contains(&pool, POOL_START, POOL_NR));
    ck_assert(static_pool_contains(&pool, POOL_START, 1));
    ck_assert(static_pool_contains(&pool, POOL_END - 1, 1));
    ck_assert(!static_pool_contains(&pool, POOL_START - 1, 1));
    ck_assert(!static_pool_contains(&pool, POOL_END, 1));
    ck_assert(!static_pool_contains(&pool, POOL_START, POOL_NR + 1));
    ck_assert(!static_pool_contains(&pool, POOL_START, 0));
    ck_assert(!static_pool_contains(&pool, 0, 1));
    ck_assert(!static_pool_contains(&pool, ~0ULL, 1));
    teardown_host();
}
END_TEST

/* ------------------------------------------------------------------ */
/* query                                                               */

START_TEST(test_query_layout)
{
    struct xen_static_extent_entry v[16];
    unsigned int nr;
    uint32_t next, total;
    uint64_t gen;

    setup_host();
    claim_ok(POOL_START + 0x10, 0x10, 7);
    ck_assert_int_eq(static_pool_claim(&pool, POOL_END - 0x10, 0x10,
                                       0x40000, 8), 0);
    memset(v, 0xa5, sizeof(v));
    ck_assert_int_eq(static_pool_query(&pool, 0, v, 16, &nr, &next, &total,
                                       &gen), 0);
    ck_assert_uint_eq(gen, pool.generation);
    /* ram, ram, reserved, free, owned, free, owned (pending) */
    ck_assert_uint_eq(nr, 7);
    ck_assert_uint_eq(total, 7);
    ck_assert_uint_eq(next, XEN_STATIC_EXTENT_QUERY_DONE);
    ck_assert_uint_eq(v[0].type, XEN_STATIC_EXTENT_TYPE_ram);
    ck_assert_uint_eq(v[0].start_mfn, RAM0_START);
    ck_assert_uint_eq(v[0].nr_mfns, RAM0_NR);
    ck_assert_uint_eq(v[0].gfn, NO_GFN);
    ck_assert_uint_eq(v[0].owner, NO_OWNER);
    ck_assert_uint_eq(v[1].start_mfn, RAM1_START);
    ck_assert_uint_eq(v[2].type, XEN_STATIC_EXTENT_TYPE_reserved);
    ck_assert_uint_eq(v[2].flags, XEN_STATIC_EXTENT_F_memreserve);
    ck_assert_uint_eq(v[3].type, XEN_STATIC_EXTENT_TYPE_pool_free);
    ck_assert_uint_eq(v[3].start_mfn, POOL_START);
    ck_assert_uint_eq(v[3].nr_mfns, 0x10);
    ck_assert_uint_eq(v[4].type, XEN_STATIC_EXTENT_TYPE_owned);
    ck_assert_uint_eq(v[4].flags, XEN_STATIC_EXTENT_F_pool);
    ck_assert_uint_eq(v[4].owner, 7);
    ck_assert_uint_eq(v[4].gfn, POOL_START + 0x10);
    ck_assert_uint_eq(v[5].nr_mfns, POOL_NR - 0x30);
    ck_assert_uint_eq(v[6].flags,
                      XEN_STATIC_EXTENT_F_pool | XEN_STATIC_EXTENT_F_pending);
    ck_assert_uint_eq(v[6].owner, 8);
    ck_assert_uint_eq(v[6].gfn, 0x40000);
    /* Padding is zero, whatever was in the buffer. */
    ck_assert_uint_eq(v[4].pad[0] | v[4].pad[1] | v[4].pad[2], 0);
    ck_assert_uint_eq(v[6].pad[0] | v[6].pad[1] | v[6].pad[2], 0);
    /* Untouched past nr. */
    ck_assert_uint_eq(v[7].type, 0xa5a5a5a5);
    /* A query changes nothing. */
    ck_assert_uint_eq(pool.generation, gen);
    ck_assert_int_eq(static_pool_query(&pool, 0, v, 0, &nr, &next, &total,
                                       &gen), -EINVAL);
    teardown_host();
}
END_TEST

/*
 * Paging: a list longer than one page, read in pages of @_i entries (the
 * ABI's array size and sizes around it), equals the list read at once.
 */
START_TEST(test_query_paging)
{
    static const unsigned int page_sizes[] = {
        XEN_STATIC_EXTENT_QUERY_NR, 1, XEN_STATIC_EXTENT_QUERY_NR - 1,
        XEN_STATIC_EXTENT_QUERY_NR + 1,
    };
    unsigned int page = page_sizes[_i];
    struct xen_static_extent_entry all[256], paged[256 + 64];
    unsigned int nr_all, nr, got = 0, calls = 0, i;
    uint32_t start = 0, next, total;
    uint64_t gen, gen0;

    add_ram0_pool(128);
    static_pool_seal(&pool);
    /* 100 extents with gaps: 1 ram + 100 owned + 101 free = 202 entries. */
    for (i = 0; i < 100; i++)
        claim_ok(POOL_START + 1 + 2 * i, 1, i);

    nr_all = query_all(all, 256);
    ck_assert_uint_eq(nr_all, 202);
    gen0 = pool.generation;

    do {
        struct xen_static_extent_entry buf[XEN_STATIC_EXTENT_QUERY_NR + 1];

        ck_assert_int_eq(static_pool_query(&pool, start, buf, page, &nr,
                                           &next, &total, &gen), 0);
        ck_assert_uint_eq(total, nr_all);
        ck_assert_uint_eq(gen, gen0);
        ck_assert_uint_le(nr, page);
        ck_assert_uint_le(got + nr, 256);
        memcpy(&paged[got], buf, nr * sizeof(buf[0]));
        got += nr;
        if (next != XEN_STATIC_EXTENT_QUERY_DONE) {
            ck_assert_uint_eq(nr, page);
            ck_assert_uint_eq(next, start + nr);
        }
        start = next;
        calls++;
    } while (next != XEN_STATIC_EXTENT_QUERY_DONE && calls < 1000);

    ck_assert_uint_eq(got, nr_all);
    ck_assert_uint_eq(calls, (nr_all + page - 1) / page);
    ck_assert_int_eq(memcmp(all, paged, nr_all * sizeof(all[0])), 0);

    /* At and past the end: nothing, done. */
    ck_assert_int_eq(static_pool_query(&pool, nr_all, paged, page, &nr,
                                       &next, &total, &gen), 0);
    ck_assert_uint_eq(nr, 0);
    ck_assert_uint_eq(next, XEN_STATIC_EXTENT_QUERY_DONE);
    ck_assert_int_eq(static_pool_query(&pool, 0xfffffffe, paged, page, &nr,
                                       &next, &total, &gen), 0);
    ck_assert_uint_eq(nr, 0);

    /* A change between two pages shows in the generation. */
    claim_ok(POOL_END - 1, 1, 200);
    ck_assert_int_eq(static_pool_query(&pool, page, paged, page, &nr, &next,
                                       &total, &gen), 0);
    ck_assert_uint_ne(gen, gen0);
    ck_assert_uint_eq(total, nr_all + 1);
    teardown_host();
}
END_TEST

/*
 * The p2m blocks of a claim: each case is an extent and the blocks it is
 * mapped in, in order, as runs of blocks of one size (in frames).
 */
#define F_2M (1ULL << 9)
#define F_1G (1ULL << 18)
static const struct {
    uint64_t gfn, mfn, nr;
    struct { uint64_t size, count; } runs[4];
} block_cases[] = {
    /* aligned 1 GiB at 1 GiB, host 4 GiB: one block */
    { 0x40000, 0x100000, F_1G, { { F_1G, 1 } } },
    /* 1:1 256 MiB at 0x70000000: 2 MiB blocks only (not 1 GiB aligned) */
    { 0x70000, 0x70000, 0x10000, { { F_2M, 128 } } },
    /* 1 GiB + 2 MiB + 3 frames, all aligned at the start */
    { 0x40000, 0x40000, F_1G + F_2M + 3, { { F_1G, 1 }, { F_2M, 1 }, { 3, 1 } } },
    /* starts 8 frames below a 2 MiB boundary of both: 8 frames first */
    { 0x401f8, 0x701f8, 8 + 2 * F_2M, { { 8, 1 }, { F_2M, 2 } } },
    /* gfn and mfn apart by 4 KiB: no block, frames up to 2 MiB bounds */
    { 0x40000, 0x70001, 2 * F_2M + 7, { { F_2M, 2 }, { 7, 1 } } },
    /* gfn 1 GiB aligned, mfn only 2 MiB aligned: 2 MiB blocks */
    { 0x40000, 0x70200, F_1G, { { F_2M, 512 } } },
    /* smaller than a block */
    { 0x40000, 0x70000, 5, { { 5, 1 } } },
    /* 2 MiB blocks up to a 1 GiB boundary, then 1 GiB */
    { 0x3fc00, 0xffc00, 2 * F_2M + F_1G, { { F_2M, 2 }, { F_1G, 1 } } },
};

START_TEST(test_map_blocks)
{
    uint64_t gfn = block_cases[_i].gfn, mfn = block_cases[_i].mfn;
    uint64_t nr = block_cases[_i].nr, p = 0, n, k;
    unsigned int r;

    for ( r = 0; r < 4 && block_cases[_i].runs[r].count; r++ )
        for ( k = 0; k < block_cases[_i].runs[r].count; k++ )
        {
            ck_assert_uint_lt(p, nr);
            n = static_pool_map_block(gfn, mfn, nr, p);
            ck_assert_msg(n == block_cases[_i].runs[r].size,
                          "case %d at frame %#llx: block %#llx, want %#llx",
                          _i, (unsigned long long)p, (unsigned long long)n,
                          (unsigned long long)block_cases[_i].runs[r].size);
            /* a block is aligned in both spaces; frames stay in one 2 MiB */
            if ( (n == F_1G || n == F_2M) &&
                 !(((gfn + p) | (mfn + p)) & (n - 1)) )
                ck_assert_uint_le(p + n, nr);
            else
                ck_assert_uint_le((gfn + p) % F_2M + n, F_2M);
            p += n;
        }
    ck_assert_uint_eq(p, nr);
}
END_TEST

/*
 * A claim maps whole blocks as it acquires chunks of 4096 frames (with a
 * preemption anywhere between chunks): what it maps adds up to the blocks
 * of the extent, and a parked claim's mapped frames are found again from
 * its progress alone.
 */
START_TEST(test_map_end_chunks)
{
    uint64_t gfn = block_cases[_i].gfn, mfn = block_cases[_i].mfn;
    uint64_t nr = block_cases[_i].nr, done = 0, mapped = 0;
    uint64_t nblocks = 0, p;

    for ( p = 0; p < nr; p += static_pool_map_block(gfn, mfn, nr, p) )
        nblocks++;

    p = 0;
    while ( done < nr )
    {
        uint64_t end;

        done += nr - done < 4096 ? nr - done : 4096;
        end = static_pool_map_end(gfn, mfn, nr, mapped, done);
        ck_assert_uint_ge(end, mapped);
        ck_assert_uint_le(end, done);
        /* what it left unmapped is less than the next block */
        if ( end < nr )
            ck_assert_uint_gt(end + static_pool_map_block(gfn, mfn, nr, end),
                              done);
        while ( mapped < end )
        {
            mapped += static_pool_map_block(gfn, mfn, nr, mapped);
            p++;
        }
        ck_assert_uint_eq(mapped, end);
        /* resuming from the progress alone finds the same point */
        ck_assert_uint_eq(static_pool_map_end(gfn, mfn, nr, 0, done), mapped);
    }
    ck_assert_uint_eq(mapped, nr);
    ck_assert_uint_eq(p, nblocks);
    /* nothing is mapped before a block is acquired in full */
    ck_assert_uint_eq(static_pool_map_end(gfn, mfn, nr, 0, 0), 0);
}
END_TEST

static Suite *static_pool_suite(void)
{
    return unit_suite("static_pool", UNIT_TCASE("init"),
                      UNIT_TESTS(test_init_bad_sizes),
                      UNIT_LOOP(test_init_enomem, 4),
                      UNIT_TCASE("regions"),
                      UNIT_LOOP(test_add_region, ARRAY_SIZE(region_cases)),
                      UNIT_TESTS(test_pool_ranges_merge, test_table_full,
                                 test_sealed, test_boot_banks, test_boot_mapped,
                                 test_boot_reclaim, test_contains),
                      UNIT_TCASE("claim"),
                      UNIT_FIXTURE(setup_host, teardown_host),
                      UNIT_LOOP(test_claim, ARRAY_SIZE(claim_cases)),
                      UNIT_LOOP(test_claim_overlap, ARRAY_SIZE(overlap_cases)),
                      UNIT_TESTS(test_claim_while_pending, test_claim_abort,
                                 test_claim_gfn_overlap),
                      UNIT_TCASE("release"),
                      UNIT_FIXTURE(setup_host, teardown_host),
                      UNIT_LOOP(test_release, ARRAY_SIZE(release_cases)),
                      UNIT_TESTS(test_release_abort,
                                 test_release_while_claiming, test_may_map,
                                 test_park_resume),
                      UNIT_LOOP(test_park_owner_gone, 4),
                      UNIT_TCASE("p2m-blocks"),
                      UNIT_LOOP(test_map_blocks, ARRAY_SIZE(block_cases)),
                      UNIT_LOOP(test_map_end_chunks, ARRAY_SIZE(block_cases)),
                      UNIT_TCASE("lifetime"),
                      UNIT_TESTS(test_exhaust_frames, test_exhaust_table,
                                 test_table_grows, test_owner_gone,
                                 test_finish_needs_owner),
                      UNIT_LOOP(test_race_owner_gone,
                                RACE_NR_OPS * RACE_NR_WHEN),
                      UNIT_TCASE("query"),
                      UNIT_TESTS(test_query_layout),
                      UNIT_LOOP(test_query_paging, 4),
                      NULL);
}

int main(void)
{
    return unit_run(static_pool_suite(), NULL);
}
