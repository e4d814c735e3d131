/*
 * Unit tests of hv.c (the static-extent hypercalls) against a fake
 * libxencall: argument packing, zeroed padding, error mapping, query
 * paging and restarts, and the conversion into a host map.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>

#include "fake_xencall.h"
#include "lxs_hv.h"
#include "unit.h"

static struct lxs_hv *hv;

static void setup(void)
{
    fake_reset();
    ck_assert_int_eq(lxs_hv_open(&hv, NULL), 0);
}

static void teardown(void)
{
    lxs_hv_close(hv);
    hv = NULL;
    ck_assert_int_eq(fake.buffers_live, 0);
}

/* Every byte of @p..@p+len is zero. */
static int all_zero(const void *p, size_t len)
{
    const unsigned char *c = p;
    size_t i;

    for (i = 0; i < len; i++)
        if (c[i])
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ */

START_TEST(test_open_fails)
{
    struct lxs_hv *h = (struct lxs_hv *)&h;

    fake_reset();
    fake.open_errno = ENOENT;
    ck_assert_int_eq(lxs_hv_open(&h, NULL), -ENOENT);
    ck_assert_ptr_eq(h, (struct lxs_hv *)&h);     /* untouched */
    ck_assert_str_eq(lxs_hv_strerror("open", -ENOENT),
                     "no hypervisor interface (not running on Xen, or "
                     "xen-privcmd is not loaded)");
    lxs_hv_close(NULL);
}
END_TEST

START_TEST(test_claim_packing)
{
    const struct xen_static_extent_claim *c = &fake.last.u.claim;

    ck_assert_int_eq(lxs_hv_claim(hv, 7, 0x70000, 0x40000, 0x100), 0);
    ck_assert_uint_eq(fake.calls, 1);
    ck_assert_uint_eq(fake.last_hcall, __HYPERVISOR_memory_op);
    ck_assert_uint_eq(fake.last_cmd, XENMEM_static_extent_op);
    ck_assert_uint_eq(fake.last.op, XEN_STATIC_EXTENT_OP_claim);
    ck_assert_uint_eq(fake.last.pad, 0);
    ck_assert_uint_eq(c->domid, 7);
    ck_assert_uint_eq(c->pad0, 0);
    ck_assert_uint_eq(c->flags, 0);
    ck_assert_uint_eq(c->mfn, 0x70000);
    ck_assert_uint_eq(c->gfn, 0x40000);
    ck_assert_uint_eq(c->nr_mfns, 0x100);
    /* The rest of the union is zero, not what the buffer held. */
    ck_assert(all_zero((const char *)&fake.last.u + sizeof(*c),
                       sizeof(fake.last.u) - sizeof(*c)));
}
END_TEST

START_TEST(test_release_packing)
{
    const struct xen_static_extent_release *r = &fake.last.u.release;

    ck_assert_int_eq(lxs_hv_release(hv, 0x7fef, 0xfffffffffULL, 1), 0);
    ck_assert_uint_eq(fake.last.op, XEN_STATIC_EXTENT_OP_release);
    ck_assert_uint_eq(fake.last.pad, 0);
    ck_assert_uint_eq(r->domid, 0x7fef);
    ck_assert_uint_eq(r->pad0, 0);
    ck_assert_uint_eq(r->pad1, 0);
    ck_assert_uint_eq(r->mfn, 0xfffffffffULL);
    ck_assert_uint_eq(r->nr_mfns, 1);
    ck_assert(all_zero((const char *)&fake.last.u + sizeof(*r),
                       sizeof(fake.last.u) - sizeof(*r)));
}
END_TEST

struct bad_args {
    uint32_t domid;
    uint64_t mfn, gfn, nr;
};

/* Refused before any hypercall. */
static const struct bad_args bad_args[] = {
    { 1, 0x70000, 0x70000, 0 },                 /* empty */
    { 1, UINT64_MAX, 0, 1 },                    /* mfn wraps */
    { 1, 0x70000, UINT64_MAX - 1, 2 },          /* gfn wraps */
    { 0x7ff0, 0x70000, 0x70000, 1 },            /* DOMID_FIRST_RESERVED */
    { 0x7ff4, 0x70000, 0x70000, 1 },            /* DOMID_INVALID */
    { 0x10000, 0x70000, 0x70000, 1 },           /* not a domid at all */
};

START_TEST(test_bad_args)
{
    const struct bad_args *b = &bad_args[_i];

    ck_assert_int_eq(lxs_hv_claim(hv, b->domid, b->mfn, b->gfn, b->nr),
                     -EINVAL);
    /* Release has no gfn: only the gfn case is fine there. */
    if (_i != 2)
        ck_assert_int_eq(lxs_hv_release(hv, b->domid, b->mfn, b->nr),
                         -EINVAL);
    ck_assert_uint_eq(fake.calls, 0);
}
END_TEST

struct errmap {
    int hv_rc;      /* what the hypervisor says */
    int rc;         /* what the library returns */
};

static const struct errmap errmaps[] = {
    { -ENOSYS, -EOPNOTSUPP },       /* unpatched Xen */
    { -EOPNOTSUPP, -EOPNOTSUPP },   /* patched, no static memory */
    { -ENOENT, -ENOENT },
    { -EBUSY, -EBUSY },
    { -EPERM, -EPERM },
    { -ESRCH, -ESRCH },
    { -EACCES, -EACCES },
    { -EEXIST, -EEXIST },
    { -E2BIG, -E2BIG },
};

START_TEST(test_error_mapping)
{
    const struct errmap *m = &errmaps[_i];
    struct lxs_hv_map map;

    fake.rc = m->hv_rc;
    ck_assert_int_eq(lxs_hv_claim(hv, 1, 0x70000, 0x70000, 1), m->rc);
    ck_assert_int_eq(lxs_hv_release(hv, 1, 0x70000, 1), m->rc);
    lxs_hv_map_init(&map);
    ck_assert_int_eq(lxs_hv_query(hv, &map), m->rc);
    ck_assert_uint_eq(map.nr, 0);
    lxs_hv_map_dispose(&map);
}
END_TEST

START_TEST(test_no_support_message)
{
    ck_assert_str_eq(lxs_hv_strerror("claim", -EOPNOTSUPP),
                     LXS_HV_NO_SUPPORT_MSG);
    ck_assert_str_eq(lxs_hv_strerror("query", -ENOSYS),
                     LXS_HV_NO_SUPPORT_MSG);
    ck_assert_str_eq(lxs_hv_strerror(NULL, -EOPNOTSUPP),
                     "this hypervisor has no static-extent support; "
                     "boot a patched Xen");
    /* The sub-op decides what -ENOENT and -EBUSY mean. */
    ck_assert_str_eq(lxs_hv_strerror("claim", -ENOENT),
                     "the range is neither inside the static pool nor a "
                     "static bank of a dom0less domain");
    ck_assert_str_eq(lxs_hv_strerror("release", -ENOENT),
                     "no extent claimed from the pool starts at this frame");
    ck_assert_str_eq(lxs_hv_strerror("release", -EACCES),
                     "the extent belongs to another domain");
    ck_assert_str_eq(lxs_hv_strerror(NULL, -ENOENT), strerror(ENOENT));
}
END_TEST

START_TEST(test_alloc_fails)
{
    fake.alloc_fails = true;
    ck_assert_int_eq(lxs_hv_claim(hv, 1, 0x70000, 0x70000, 1), -ENOMEM);
    ck_assert_uint_eq(fake.calls, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* query                                                               */

/* A list of @n entries: entry i is frames [0x1000 * i, +0x10). */
static void fill_list(uint32_t n)
{
    uint32_t i;

    fake.nr_list = n;
    for (i = 0; i < n; i++) {
        struct xen_static_extent_entry *e = &fake.list[i];

        memset(e, 0, sizeof(*e));
        e->start_mfn = 0x1000ULL * i;
        e->nr_mfns = 0x10;
        e->gfn = UINT64_MAX;
        e->type = XEN_STATIC_EXTENT_TYPE_pool_free;
        e->owner = XEN_STATIC_EXTENT_NO_OWNER;
    }
}

/* Lists of lengths around the page size: one call per page. */
START_TEST(test_query_paging)
{
    static const uint32_t lengths[] = { 0, 1, 31, 32, 33, 64, 70, 256 };
    uint32_t n = lengths[_i], i;
    unsigned int pages = n ? (n + 31) / 32 : 1;
    struct lxs_hv_map map;

    fill_list(n);
    fake.generation = 42;
    lxs_hv_map_init(&map);
    ck_assert_int_eq(lxs_hv_query(hv, &map), 0);
    ck_assert_uint_eq(map.nr, n);
    ck_assert_uint_eq(map.generation, 42);
    ck_assert_uint_eq(fake.calls, pages);
    for (i = 0; i < pages; i++)
        ck_assert_uint_eq(fake.starts[i], 32 * i);
    for (i = 0; i < n; i++) {
        ck_assert_uint_eq(map.v[i].start_mfn, 0x1000ULL * i);
        ck_assert_uint_eq(map.v[i].type, LXS_HV_POOL_FREE);
    }
    ck_assert_uint_eq(fake.last.u.query.pad0, 0);
    lxs_hv_map_dispose(&map);
}
END_TEST

/* The state changes once, after the first page: the list is read again. */
START_TEST(test_query_restart_once)
{
    struct lxs_hv_map map;

    fill_list(70);
    fake.generation = 1;
    fake.bump_at = 1;
    lxs_hv_map_init(&map);
    ck_assert_int_eq(lxs_hv_query(hv, &map), 0);
    /* 2 calls of the first read (the second sees the change), then 3. */
    ck_assert_uint_eq(fake.calls, 5);
    ck_assert_uint_eq(fake.starts[1], 32);
    ck_assert_uint_eq(fake.starts[2], 0);
    ck_assert_uint_eq(map.generation, 2);
    ck_assert_uint_eq(map.nr, 70);
    lxs_hv_map_dispose(&map);
}
END_TEST

/* The state changes all the time: -EAGAIN after a bounded effort. */
START_TEST(test_query_always_changing)
{
    struct lxs_hv_map map;

    fill_list(70);
    fake.bump_every = 1;
    lxs_hv_map_init(&map);
    ck_assert_int_eq(lxs_hv_query(hv, &map), -EAGAIN);
    ck_assert_uint_eq(map.nr, 0);
    /* Each read stops at its second page. */
    ck_assert_uint_eq(fake.calls, 8 * 2);
    ck_assert_str_eq(lxs_hv_strerror("query", -EAGAIN),
                     "the static pool kept changing while it was read");
    /* A list of one page is always consistent. */
    fill_list(20);
    ck_assert_int_eq(lxs_hv_query(hv, &map), 0);
    ck_assert_uint_eq(map.nr, 20);
    lxs_hv_map_dispose(&map);
}
END_TEST

/* A failed query leaves the caller's map as it was. */
START_TEST(test_query_keeps_output)
{
    struct lxs_hv_map map;

    fill_list(3);
    lxs_hv_map_init(&map);
    ck_assert_int_eq(lxs_hv_query(hv, &map), 0);
    ck_assert_uint_eq(map.nr, 3);
    fill_list(40);
    fake.bump_every = 1;
    ck_assert_int_eq(lxs_hv_query(hv, &map), -EAGAIN);
    ck_assert_uint_eq(map.nr, 3);
    ck_assert_uint_eq(map.v[2].start_mfn, 0x2000);
    lxs_hv_map_dispose(&map);
}
END_TEST

/* Answers that make no sense are -EPROTO. */
START_TEST(test_query_malformed)
{
    struct lxs_hv_map map;

    fill_list(40);
    switch (_i) {
    case 0: fake.too_many = true; break;
    case 1: fake.bad_next = true; break;
    case 2: fake.empty_entry = true; break;
    case 3: fake.stuck_next = true; break;
    case 4: fake.total_lies = true; break;
    }
    lxs_hv_map_init(&map);
    ck_assert_int_eq(lxs_hv_query(hv, &map), -EPROTO);
    ck_assert_uint_eq(map.nr, 0);
    ck_assert_str_eq(lxs_hv_strerror("query", -EPROTO),
                     "the hypervisor's answer is malformed");
    lxs_hv_map_dispose(&map);
}
END_TEST

/* ------------------------------------------------------------------ */
/* conversion into a host map                                          */

static const char *names(uint32_t domid, void *opaque)
{
    int *asked = opaque;

    (*asked)++;
    return domid == 1 ? "dl1" : NULL;
}

static struct lxs_hv_entry entry(uint64_t mfn, uint64_t nr,
                                 enum lxs_hv_type type, unsigned int flags,
                                 uint32_t owner)
{
    struct lxs_hv_entry e = {
        .start_mfn = mfn, .nr_mfns = nr, .gfn = LXS_HV_NO_GFN,
        .type = type, .flags = flags, .owner = owner,
    };

    return e;
}

START_TEST(test_to_hostmap)
{
    struct lxs_hv_entry v[] = {
        entry(0x40000, 0x80000, LXS_HV_RAM, 0, LXS_HV_NO_OWNER),
        entry(0x48000, 0x10, LXS_HV_RESERVED, LXS_HV_F_MEMRESERVE,
              LXS_HV_NO_OWNER),
        entry(0x49000, 0x100, LXS_HV_RESERVED, LXS_HV_F_XEN,
              LXS_HV_NO_OWNER),
        entry(0x70000, 0x1000, LXS_HV_POOL_FREE, 0, LXS_HV_NO_OWNER),
        entry(0x71000, 0x1000, LXS_HV_OWNED, LXS_HV_F_POOL, 5),
        entry(0x72000, 0xe000, LXS_HV_POOL_FREE, 0, LXS_HV_NO_OWNER),
        entry(0x60000, 0x10000, LXS_HV_OWNED, LXS_HV_F_BOOT, 1),
        entry(0x90000, 0x10, 99, 0, LXS_HV_NO_OWNER),  /* unknown type */
    };
    struct lxs_hv_map m = { .v = v, .nr = ARRAY_SIZE(v) };
    struct lxs_hostmap map;
    size_t i, owned = 0;
    int asked = 0;

    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hv_map_to_hostmap(&m, &map, names, &asked), 0);
    ck_assert_int_eq(asked, 2);

    /* The pool is whole again: free and owned parts merged. */
    ck_assert(map.has_pool);
    ck_assert_uint_eq(map.pool.nr, 1);
    ck_assert_uint_eq(map.pool.v[0].start, 0x70000000ULL);
    ck_assert_uint_eq(map.pool.v[0].end, 0x80000000ULL);
    ck_assert_uint_eq(map.ram.nr, 1);
    ck_assert_uint_eq(map.ram.v[0].end, 0xc0000000ULL);
    ck_assert_uint_eq(map.reserved.nr, 2);
    ck_assert_uint_eq(map.owned.nr, 2);

    for (i = 0; i < map.nr; i++) {
        const struct lxs_region *r = &map.v[i];

        if (r->kind == LXS_REGION_RESERVED && r->start == 0x48000000ULL)
            ck_assert_uint_eq(r->flags, LXS_RESV_MEMRESERVE);
        if (r->kind == LXS_REGION_RESERVED && r->start == 0x49000000ULL)
            ck_assert_uint_eq(r->flags, LXS_RESV_MODULE);
        if (r->kind != LXS_REGION_OWNED)
            continue;
        owned++;
        if (r->start == 0x71000000ULL) {
            ck_assert_str_eq(r->owner, "d5");
            ck_assert_uint_eq(r->end, 0x72000000ULL);
        } else {
            ck_assert_uint_eq(r->start, 0x60000000ULL);
            ck_assert_str_eq(r->owner, "dl1");
        }
    }
    ck_assert_uint_eq(owned, 2);
    lxs_hostmap_dispose(&map);
}
END_TEST

START_TEST(test_to_hostmap_too_high)
{
    struct lxs_hv_entry v[] = {
        entry(1ULL << 52, 1, LXS_HV_RAM, 0, LXS_HV_NO_OWNER),
    };
    struct lxs_hv_map m = { .v = v, .nr = 1 };
    struct lxs_hostmap map;

    /* The last frame that fits, then one past it. */
    v[0].start_mfn = (1ULL << 52) - 2;
    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hv_map_to_hostmap(&m, &map, NULL, NULL), 0);
    ck_assert_uint_eq(map.ram.v[0].end, UINT64_MAX - 0xfff);
    lxs_hostmap_dispose(&map);

    v[0].start_mfn = (1ULL << 52) - 1;
    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hv_map_to_hostmap(&m, &map, NULL, NULL), -EINVAL);
    lxs_hostmap_dispose(&map);
}
END_TEST

static Suite *hv_suite(void)
{
    return unit_suite("hv", UNIT_TCASE("calls"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_TESTS(test_open_fails, test_claim_packing,
                                 test_release_packing),
                      UNIT_LOOP(test_bad_args, ARRAY_SIZE(bad_args)),
                      UNIT_LOOP(test_error_mapping, ARRAY_SIZE(errmaps)),
                      UNIT_TESTS(test_no_support_message, test_alloc_fails),
                      UNIT_TCASE("query"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_LOOP(test_query_paging, 8),
                      UNIT_TESTS(test_query_restart_once,
                                 test_query_always_changing,
                                 test_query_keeps_output),
                      UNIT_LOOP(test_query_malformed, 5),
                      UNIT_TCASE("hostmap"),
                      UNIT_TESTS(test_to_hostmap, test_to_hostmap_too_high),
                      NULL);
}

int main(void)
{
    return unit_run(hv_suite(), NULL);
}
