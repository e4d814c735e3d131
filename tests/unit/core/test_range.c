/*
 * Ranges: table-driven boundary cases (empty sets, adjacent ranges,
 * single pages, the top of the address space), then the set operations
 * and the overlap index checked against a brute-force model on many
 * pseudo-random sets.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "libxlstatic.h"
#include "lxs_internal.h"
#include "core_tests.h"

#define PG LXS_PAGE_SIZE
#define TOP UINT64_MAX
#define MAXR 8

struct set {
    size_t nr;
    struct lxs_range v[MAXR];
};

static void set_load(struct lxs_ranges *rs, const struct set *s)
{
    size_t i;

    lxs_ranges_init(rs);
    for (i = 0; i < s->nr; i++)
        ck_assert_int_eq(lxs_ranges_add(rs, s->v[i].start, s->v[i].end,
                                        s->v[i].tag), 0);
}

static void set_expect(const struct lxs_ranges *rs, const struct set *want,
                       bool check_tags)
{
    size_t i;

    ck_assert_msg(rs->nr == want->nr, "%zu ranges, want %zu",
                  rs->nr, want->nr);
    for (i = 0; i < rs->nr; i++) {
        ck_assert_msg(rs->v[i].start == want->v[i].start &&
                      rs->v[i].end == want->v[i].end,
                      "range %zu: [%#" PRIx64 ", %#" PRIx64 "), want "
                      "[%#" PRIx64 ", %#" PRIx64 ")", i, rs->v[i].start,
                      rs->v[i].end, want->v[i].start, want->v[i].end);
        if (check_tags)
            ck_assert_uint_eq(rs->v[i].tag, want->v[i].tag);
    }
}

/* ---- add ---------------------------------------------------------- */

static const struct {
    uint64_t start, end;
    int rc;
} add_cases[] = {
    { 0, 1, 0 },
    { 0, PG, 0 },
    { TOP - 1, TOP, 0 },
    { 0, TOP, 0 },
    { 0, 0, -EINVAL },
    { PG, PG, -EINVAL },
    { TOP, TOP, -EINVAL },
    { 2 * PG, PG, -EINVAL },
    { TOP, 0, -EINVAL },
};

START_TEST(test_add)
{
    struct lxs_ranges rs;

    lxs_ranges_init(&rs);
    ck_assert_int_eq(lxs_ranges_add(&rs, add_cases[_i].start,
                                    add_cases[_i].end, 7), add_cases[_i].rc);
    ck_assert_uint_eq(rs.nr, add_cases[_i].rc ? 0 : 1);
    if (!add_cases[_i].rc) {
        ck_assert_uint_eq(rs.v[0].start, add_cases[_i].start);
        ck_assert_uint_eq(rs.v[0].end, add_cases[_i].end);
        ck_assert_uint_eq(rs.v[0].tag, 7);
    }
    lxs_ranges_dispose(&rs);
    ck_assert_ptr_null(rs.v);
    lxs_ranges_dispose(&rs);            /* idempotent */
    lxs_ranges_dispose(NULL);
}
END_TEST

START_TEST(test_add_nomem)
{
    struct lxs_ranges rs;
    size_t i;

    lxs_ranges_init(&rs);
    for (i = 0; i < 8; i++)             /* fills the first allocation */
        ck_assert_int_eq(lxs_ranges_add(&rs, i * PG, (i + 1) * PG, i), 0);
    lxs__alloc_count = 0;
    lxs__alloc_fail_at = 1;
    ck_assert_int_eq(lxs_ranges_add(&rs, 8 * PG, 9 * PG, 8), -ENOMEM);
    lxs__alloc_fail_at = 0;
    ck_assert_uint_eq(rs.nr, 8);
    ck_assert_uint_eq(rs.v[7].end, 8 * PG);
    ck_assert_int_eq(lxs_ranges_add(&rs, 8 * PG, 9 * PG, 8), 0);
    ck_assert_uint_eq(rs.nr, 9);
    lxs_ranges_dispose(&rs);
}
END_TEST

/* ---- sort --------------------------------------------------------- */

START_TEST(test_sort)
{
    static const struct set in = { 6, {
        { 5 * PG, 6 * PG, 0 }, { 0, TOP, 1 }, { 5 * PG, 6 * PG, 2 },
        { 5 * PG, 5 * PG + 1, 3 }, { 0, PG, 4 }, { TOP - 1, TOP, 5 },
    } };
    static const struct set want = { 6, {
        { 0, PG, 4 }, { 0, TOP, 1 }, { 5 * PG, 5 * PG + 1, 3 },
        { 5 * PG, 6 * PG, 0 }, { 5 * PG, 6 * PG, 2 }, { TOP - 1, TOP, 5 },
    } };
    struct lxs_ranges rs;

    set_load(&rs, &in);
    lxs_ranges_sort(&rs);
    set_expect(&rs, &want, true);
    lxs_ranges_dispose(&rs);
}
END_TEST

/* ---- merge -------------------------------------------------------- */

static const struct {
    const char *name;
    struct set in, want;
} merge_cases[] = {
    { "empty", { 0, {{0}} }, { 0, {{0}} } },
    { "single page", { 1, { { PG, 2 * PG, 3 } } },
      { 1, { { PG, 2 * PG, 3 } } } },
    { "adjacent merge", { 2, { { PG, 2 * PG, 1 }, { 0, PG, 0 } } },
      { 1, { { 0, 2 * PG, 0 } } } },
    { "one byte gap stays", { 2, { { 0, PG, 0 }, { PG + 1, 2 * PG, 1 } } },
      { 2, { { 0, PG, 0 }, { PG + 1, 2 * PG, 1 } } } },
    { "overlap", { 2, { { 0, 3 * PG, 0 }, { 2 * PG, 5 * PG, 1 } } },
      { 1, { { 0, 5 * PG, 0 } } } },
    { "contained", { 3, { { 0, 10 * PG, 0 }, { PG, 2 * PG, 1 },
                          { 3 * PG, 4 * PG, 2 } } },
      { 1, { { 0, 10 * PG, 0 } } } },
    { "duplicates", { 3, { { PG, 2 * PG, 2 }, { PG, 2 * PG, 1 },
                           { PG, 2 * PG, 0 } } },
      { 1, { { PG, 2 * PG, 0 } } } },
    { "chain", { 4, { { 3 * PG, 4 * PG, 3 }, { 0, PG, 0 },
                      { 2 * PG, 3 * PG, 2 }, { PG, 2 * PG, 1 } } },
      { 1, { { 0, 4 * PG, 0 } } } },
    { "top of space", { 3, { { TOP - PG, TOP, 1 },
                             { TOP - 2 * PG, TOP - PG, 0 }, { 0, 1, 2 } } },
      { 2, { { 0, 1, 2 }, { TOP - 2 * PG, TOP, 0 } } } },
    { "whole space", { 2, { { 0, TOP, 0 }, { TOP - 1, TOP, 1 } } },
      { 1, { { 0, TOP, 0 } } } },
    { "mixed", { 5, { { 0x80000000, 0xc0000000, 4 },
                      { 0x40000000, 0x80000000, 3 },
                      { 0x800000000, 0x880000000, 1 },
                      { 0x100, 0x200, 0 },
                      { 0x860000000, 0x900000000, 2 } } },
      { 3, { { 0x100, 0x200, 0 }, { 0x40000000, 0xc0000000, 3 },
             { 0x800000000, 0x900000000, 1 } } } },
};

START_TEST(test_merge)
{
    struct lxs_ranges rs;

    set_load(&rs, &merge_cases[_i].in);
    lxs_ranges_merge(&rs);
    set_expect(&rs, &merge_cases[_i].want, true);
    lxs_ranges_dispose(&rs);
}
END_TEST

/* ---- subtract and intersect -------------------------------------- */

static const struct {
    const char *name;
    struct set a, b, diff, isect;
} setop_cases[] = {
    { "both empty", { 0, {{0}} }, { 0, {{0}} }, { 0, {{0}} }, { 0, {{0}} } },
    { "b empty", { 1, { { 0, PG, 0 } } }, { 0, {{0}} },
      { 1, { { 0, PG, 0 } } }, { 0, {{0}} } },
    { "a empty", { 0, {{0}} }, { 1, { { 0, PG, 0 } } },
      { 0, {{0}} }, { 0, {{0}} } },
    { "equal", { 1, { { PG, 2 * PG, 0 } } }, { 1, { { PG, 2 * PG, 9 } } },
      { 0, {{0}} }, { 1, { { PG, 2 * PG, 0 } } } },
    { "b covers a", { 1, { { PG, 2 * PG, 0 } } }, { 1, { { 0, TOP, 9 } } },
      { 0, {{0}} }, { 1, { { PG, 2 * PG, 0 } } } },
    { "adjacent below and above",
      { 1, { { 2 * PG, 3 * PG, 0 } } },
      { 2, { { PG, 2 * PG, 9 }, { 3 * PG, 4 * PG, 9 } } },
      { 1, { { 2 * PG, 3 * PG, 0 } } }, { 0, {{0}} } },
    { "split in the middle", { 1, { { 0, 10 * PG, 0 } } },
      { 1, { { 4 * PG, 5 * PG, 9 } } },
      { 2, { { 0, 4 * PG, 0 }, { 5 * PG, 10 * PG, 0 } } },
      { 1, { { 4 * PG, 5 * PG, 0 } } } },
    { "cut at both edges", { 1, { { PG, 9 * PG, 0 } } },
      { 2, { { 0, 2 * PG, 9 }, { 8 * PG, 10 * PG, 9 } } },
      { 1, { { 2 * PG, 8 * PG, 0 } } },
      { 2, { { PG, 2 * PG, 0 }, { 8 * PG, 9 * PG, 0 } } } },
    { "many holes", { 1, { { 0, 10 * PG, 0 } } },
      { 3, { { PG, 2 * PG, 9 }, { 3 * PG, 4 * PG, 9 },
             { 9 * PG, 10 * PG, 9 } } },
      { 3, { { 0, PG, 0 }, { 2 * PG, 3 * PG, 0 }, { 4 * PG, 9 * PG, 0 } } },
      { 3, { { PG, 2 * PG, 0 }, { 3 * PG, 4 * PG, 0 },
             { 9 * PG, 10 * PG, 0 } } } },
    { "one b over many a",
      { 3, { { 0, PG, 0 }, { 2 * PG, 3 * PG, 1 }, { 4 * PG, 5 * PG, 2 } } },
      { 1, { { PG / 2, 4 * PG + 1, 9 } } },
      { 2, { { 0, PG / 2, 0 }, { 4 * PG + 1, 5 * PG, 2 } } },
      { 3, { { PG / 2, PG, 0 }, { 2 * PG, 3 * PG, 1 },
             { 4 * PG, 4 * PG + 1, 2 } } } },
    { "b spans a gap",
      { 2, { { 0, 2 * PG, 0 }, { 3 * PG, 5 * PG, 1 } } },
      { 1, { { PG, 4 * PG, 9 } } },
      { 2, { { 0, PG, 0 }, { 4 * PG, 5 * PG, 1 } } },
      { 2, { { PG, 2 * PG, 0 }, { 3 * PG, 4 * PG, 1 } } } },
    { "top of space", { 1, { { TOP - 4 * PG, TOP, 0 } } },
      { 1, { { TOP - PG, TOP, 9 } } },
      { 1, { { TOP - 4 * PG, TOP - PG, 0 } } },
      { 1, { { TOP - PG, TOP, 0 } } } },
    { "last byte", { 1, { { 0, TOP, 0 } } }, { 1, { { TOP - 1, TOP, 9 } } },
      { 1, { { 0, TOP - 1, 0 } } }, { 1, { { TOP - 1, TOP, 0 } } } },
    { "zynqmp-like banks minus reserved",
      { 2, { { 0, 0x7ff00000, 0 }, { 0x800000000, 0x880000000, 1 } } },
      { 3, { { 0x3ed00000, 0x3ee00000, 9 }, { 0x7fe00000, 0x800000000, 9 },
             { 0x87ff00000, 0x900000000, 9 } } },
      { 3, { { 0, 0x3ed00000, 0 }, { 0x3ee00000, 0x7fe00000, 0 },
             { 0x800000000, 0x87ff00000, 1 } } },
      { 3, { { 0x3ed00000, 0x3ee00000, 0 }, { 0x7fe00000, 0x7ff00000, 0 },
             { 0x87ff00000, 0x880000000, 1 } } } },
};

START_TEST(test_subtract)
{
    struct lxs_ranges a, b, out;

    set_load(&a, &setop_cases[_i].a);
    set_load(&b, &setop_cases[_i].b);
    lxs_ranges_init(&out);
    ck_assert_int_eq(lxs_ranges_add(&out, 1, 2, 0), 0);  /* replaced */
    ck_assert_int_eq(lxs_ranges_subtract(&a, &b, &out), 0);
    set_expect(&out, &setop_cases[_i].diff, true);
    lxs_ranges_dispose(&a);
    lxs_ranges_dispose(&b);
    lxs_ranges_dispose(&out);
}
END_TEST

START_TEST(test_intersect)
{
    struct lxs_ranges a, b, out;

    set_load(&a, &setop_cases[_i].a);
    set_load(&b, &setop_cases[_i].b);
    lxs_ranges_init(&out);
    ck_assert_int_eq(lxs_ranges_add(&out, 1, 2, 0), 0);
    ck_assert_int_eq(lxs_ranges_intersect(&a, &b, &out), 0);
    set_expect(&out, &setop_cases[_i].isect, true);
    /* intersection is symmetric in its ranges */
    ck_assert_int_eq(lxs_ranges_intersect(&b, &a, &out), 0);
    set_expect(&out, &setop_cases[_i].isect, false);
    lxs_ranges_dispose(&a);
    lxs_ranges_dispose(&b);
    lxs_ranges_dispose(&out);
}
END_TEST

/* On allocation failure the output set is left as it was. */
START_TEST(test_setop_nomem)
{
    static const struct set a = { 1, { { 0, 100 * PG, 0 } } };
    struct lxs_ranges ra, rb, out;
    unsigned long n;
    size_t i;
    int rc;

    set_load(&ra, &a);
    lxs_ranges_init(&rb);
    for (i = 0; i < 20; i++)            /* 21 pieces: more than one grow */
        ck_assert_int_eq(lxs_ranges_add(&rb, (4 * i + 1) * PG,
                                        (4 * i + 2) * PG, 0), 0);
    lxs_ranges_init(&out);
    ck_assert_int_eq(lxs_ranges_add(&out, 1, 2, 5), 0);
    for (n = 1; ; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = _i ? lxs_ranges_intersect(&ra, &rb, &out)
                : lxs_ranges_subtract(&ra, &rb, &out);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert_uint_eq(out.nr, 1);
        ck_assert_uint_eq(out.v[0].start, 1);
        ck_assert_uint_eq(out.v[0].tag, 5);
    }
    ck_assert_uint_gt(n, 1);
    ck_assert_uint_eq(out.nr, _i ? 20 : 21);
    lxs_ranges_dispose(&ra);
    lxs_ranges_dispose(&rb);
    lxs_ranges_dispose(&out);
}
END_TEST

/* ---- lower bound and covers -------------------------------------- */

static const struct set lb_set = { 4, {
    { 0, PG, 0 }, { 2 * PG, 3 * PG, 1 }, { 0x100000000, 0x200000000, 2 },
    { TOP - PG, TOP, 3 },
} };

static const struct {
    uint64_t addr;
    size_t idx;
} lb_cases[] = {
    { 0, 0 }, { PG - 1, 0 }, { PG, 1 }, { 2 * PG, 1 }, { 3 * PG - 1, 1 },
    { 3 * PG, 2 }, { 0xffffffff, 2 }, { 0x1ffffffff, 2 }, { 0x200000000, 3 },
    { TOP - PG, 3 }, { TOP - 1, 3 }, { TOP, 4 },
};

START_TEST(test_lower_bound)
{
    struct lxs_ranges rs, empty;

    set_load(&rs, &lb_set);
    ck_assert_uint_eq(lxs_ranges_lower_bound(&rs, lb_cases[_i].addr),
                      lb_cases[_i].idx);
    lxs_ranges_init(&empty);
    ck_assert_uint_eq(lxs_ranges_lower_bound(&empty, lb_cases[_i].addr), 0);
    lxs_ranges_dispose(&rs);
}
END_TEST

static const struct {
    uint64_t start, end;
    bool covered;
} cover_cases[] = {
    { 0, PG, true },
    { 0, 1, true },
    { PG - 1, PG, true },
    { 0, PG + 1, false },               /* runs into the gap */
    { PG, 2 * PG, false },              /* the gap exactly */
    { PG - 1, 2 * PG + 1, false },      /* spans the gap */
    { 2 * PG, 3 * PG, true },
    { 0x100000000, 0x200000000, true },
    { 0xfffff000, 0x100001000, false }, /* straddles the bank start */
    { 0x1fffff000, 0x200001000, false }, /* straddles the bank end */
    { TOP - PG, TOP, true },
    { TOP - 1, TOP, true },
    { TOP - PG - 1, TOP, false },
    { PG, PG, false },                  /* empty */
    { 2 * PG, PG, false },              /* inverted */
};

START_TEST(test_covers)
{
    struct lxs_ranges rs, empty;

    set_load(&rs, &lb_set);
    ck_assert_msg(lxs_ranges_covers(&rs, cover_cases[_i].start,
                                    cover_cases[_i].end) ==
                  cover_cases[_i].covered,
                  "[%#" PRIx64 ", %#" PRIx64 ")", cover_cases[_i].start,
                  cover_cases[_i].end);
    lxs_ranges_init(&empty);
    ck_assert(!lxs_ranges_covers(&empty, cover_cases[_i].start,
                                 cover_cases[_i].end));
    lxs_ranges_dispose(&rs);
}
END_TEST

/* ---- overlap index ----------------------------------------------- */

struct hits {
    size_t nr;
    uint32_t tag[64];
    size_t stop_after;      /* returns 42 after this many hits, 0: never */
};

static int collect(const struct lxs_range *hit, void *opaque)
{
    struct hits *h = opaque;

    ck_assert_uint_lt(h->nr, ARRAY_SIZE(h->tag));
    h->tag[h->nr++] = hit->tag;
    return h->stop_after && h->nr == h->stop_after ? 42 : 0;
}

/* Overlapping members, as in /reserved-memory with a big CMA pool. */
static const struct set ix_set = { 7, {
    { 0, 0x10000000, 0 },               /* long: shadows the next two */
    { 0x1000, 0x2000, 1 },
    { 0x3000, 0x4000, 2 },
    { 0x3000, 0x20000000, 3 },
    { 0x40000000, 0x40001000, 4 },
    { 0x40001000, 0x40002000, 5 },      /* adjacent to 4 */
    { TOP - PG, TOP, 6 },
} };

static const struct {
    uint64_t start, end;
    size_t nr;
    uint32_t tags[8];
} ix_cases[] = {
    { 0, 1, 1, { 0 } },
    { 0x1000, 0x2000, 2, { 0, 1 } },
    { 0x2000, 0x3000, 1, { 0 } },       /* between 1 and 2: only 0 */
    { 0x1fff, 0x3001, 4, { 0, 1, 2, 3 } },
    { 0x10000000, 0x20000000, 1, { 3 } },
    { 0x20000000, 0x40000000, 0, { 0 } },  /* hole, touching 3 and 4 */
    { 0x40000000, 0x40001000, 1, { 4 } },  /* adjacent to 5: not a hit */
    { 0x40000fff, 0x40001001, 2, { 4, 5 } },
    { 0x40002000, TOP - PG, 0, { 0 } },
    { TOP - 1, TOP, 1, { 6 } },
    { 0, TOP, 7, { 0, 1, 2, 3, 4, 5, 6 } },
    { 5, 5, 0, { 0 } },                 /* empty query */
};

START_TEST(test_rindex_table)
{
    struct lxs_ranges rs;
    struct lxs_rindex ix = { 0 };
    struct hits h = { 0 };
    size_t i;

    set_load(&rs, &ix_set);
    ck_assert_int_eq(lxs_rindex_build(&ix, &rs), 0);
    ck_assert_int_eq(lxs_rindex_find(&ix, ix_cases[_i].start,
                                     ix_cases[_i].end, collect, &h), 0);
    ck_assert_uint_eq(h.nr, ix_cases[_i].nr);
    for (i = 0; i < h.nr; i++)
        ck_assert_uint_eq(h.tag[i], ix_cases[_i].tags[i]);
    lxs_rindex_dispose(&ix);
    ck_assert_ptr_null(ix.max_end);
    lxs_rindex_dispose(&ix);
    lxs_rindex_dispose(NULL);
    lxs_ranges_dispose(&rs);
}
END_TEST

START_TEST(test_rindex_stop_and_empty)
{
    struct lxs_ranges rs;
    struct lxs_rindex ix = { 0 };
    struct hits h = { .stop_after = 2 };

    set_load(&rs, &ix_set);
    ck_assert_int_eq(lxs_rindex_build(&ix, &rs), 0);
    ck_assert_int_eq(lxs_rindex_find(&ix, 0, TOP, collect, &h), 42);
    ck_assert_uint_eq(h.nr, 2);
    lxs_rindex_dispose(&ix);
    lxs_ranges_dispose(&rs);

    /* an empty set has no hits */
    h.nr = 0;
    ck_assert_int_eq(lxs_rindex_build(&ix, &rs), 0);
    ck_assert_int_eq(lxs_rindex_find(&ix, 0, TOP, collect, &h), 0);
    ck_assert_uint_eq(h.nr, 0);
    lxs_rindex_dispose(&ix);

    /* an unsorted set is refused */
    ck_assert_int_eq(lxs_ranges_add(&rs, 2 * PG, 3 * PG, 0), 0);
    ck_assert_int_eq(lxs_ranges_add(&rs, PG, 2 * PG, 1), 0);
    ck_assert_int_eq(lxs_rindex_build(&ix, &rs), -EINVAL);
    ck_assert_ptr_null(ix.max_end);
    lxs__alloc_count = 0;
    lxs__alloc_fail_at = 1;
    lxs_ranges_sort(&rs);
    ck_assert_int_eq(lxs_rindex_build(&ix, &rs), -ENOMEM);
    lxs__alloc_fail_at = 0;
    ck_assert_int_eq(lxs_rindex_build(&ix, &rs), 0);
    lxs_rindex_dispose(&ix);
    lxs_ranges_dispose(&rs);
}
END_TEST

/* ---- model checks ------------------------------------------------- */

/*
 * Sets of ranges over a small universe [0, 64) checked against bit
 * masks, and the same sets shifted up to end at UINT64_MAX so that the
 * top of the address space is exercised too.
 */
#define U 64

static uint64_t rng_state;

static uint64_t rng(void)
{
    /* xorshift64: deterministic across runs */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t random_set(struct lxs_ranges *rs, size_t max_nr,
                           uint64_t base)
{
    uint64_t mask = 0;
    size_t i, nr = rng() % (max_nr + 1);

    lxs_ranges_init(rs);
    for (i = 0; i < nr; i++) {
        uint64_t s = rng() % U, len = 1 + rng() % 12, e;

        e = s + len > U ? U : s + len;
        ck_assert_int_eq(lxs_ranges_add(rs, base + s, base + e, i), 0);
        mask |= (e == U ? ~UINT64_C(0) : (UINT64_C(1) << e) - 1) &
                ~((UINT64_C(1) << s) - 1);
    }
    return mask;
}

static uint64_t set_mask(const struct lxs_ranges *rs, uint64_t base,
                         bool merged)
{
    uint64_t mask = 0;
    size_t i;

    for (i = 0; i < rs->nr; i++) {
        uint64_t s = rs->v[i].start - base, e = rs->v[i].end - base;

        ck_assert_uint_lt(s, e);
        ck_assert_uint_le(e, U);
        if (merged && i)            /* sorted, disjoint, not adjacent */
            ck_assert_uint_lt(rs->v[i - 1].end, rs->v[i].start);
        mask |= (e == U ? ~UINT64_C(0) : (UINT64_C(1) << e) - 1) &
                ~((UINT64_C(1) << s) - 1);
    }
    return mask;
}

START_TEST(test_model)
{
    /* _i == 0: at address 0; _i == 1: ending at the top of the space */
    uint64_t base = _i ? UINT64_MAX - U : 0;
    int round;

    rng_state = 0x9e3779b97f4a7c15ull;
    for (round = 0; round < 3000; round++) {
        struct lxs_ranges a, b, out, raw;
        struct lxs_rindex ix = { 0 };
        uint64_t ma, mb, qs, qe, q;
        size_t i, j;

        ma = random_set(&a, 6, base);
        mb = random_set(&b, 6, base);

        /* overlap index over the raw (sorted, overlapping) set */
        lxs_ranges_init(&raw);
        for (i = 0; i < a.nr; i++)
            ck_assert_int_eq(lxs_ranges_add(&raw, a.v[i].start, a.v[i].end,
                                            a.v[i].tag), 0);
        lxs_ranges_sort(&raw);
        ck_assert_int_eq(lxs_rindex_build(&ix, &raw), 0);
        qs = rng() % U;
        qe = qs + 1 + rng() % (U - qs);
        {
            struct hits h = { 0 };
            size_t want = 0;

            ck_assert_int_eq(lxs_rindex_find(&ix, base + qs, base + qe,
                                             collect, &h), 0);
            for (i = 0, j = 0; i < raw.nr; i++) {
                if (raw.v[i].start < base + qe && raw.v[i].end > base + qs) {
                    ck_assert_uint_lt(j, h.nr);
                    ck_assert_uint_eq(h.tag[j], raw.v[i].tag);
                    j++;
                    want++;
                }
            }
            ck_assert_uint_eq(h.nr, want);
        }
        lxs_rindex_dispose(&ix);
        lxs_ranges_dispose(&raw);

        lxs_ranges_merge(&a);
        lxs_ranges_merge(&b);
        ck_assert_uint_eq(set_mask(&a, base, true), ma);
        ck_assert_uint_eq(set_mask(&b, base, true), mb);

        lxs_ranges_init(&out);
        ck_assert_int_eq(lxs_ranges_subtract(&a, &b, &out), 0);
        ck_assert_uint_eq(set_mask(&out, base, true), ma & ~mb);
        ck_assert_int_eq(lxs_ranges_intersect(&a, &b, &out), 0);
        ck_assert_uint_eq(set_mask(&out, base, false), ma & mb);

        /* covers against the mask */
        q = (qe == U ? ~UINT64_C(0) : (UINT64_C(1) << qe) - 1) &
            ~((UINT64_C(1) << qs) - 1);
        {
            bool in_one = false;

            for (i = 0; i < a.nr; i++)
                if (a.v[i].start <= base + qs && base + qe <= a.v[i].end)
                    in_one = true;
            ck_assert(in_one == ((ma & q) == q));
            ck_assert(lxs_ranges_covers(&a, base + qs, base + qe) == in_one);
        }

        lxs_ranges_dispose(&out);
        lxs_ranges_dispose(&a);
        lxs_ranges_dispose(&b);
    }
}
END_TEST

Suite *range_suite(void)
{
    return unit_suite("range", UNIT_LOOP(test_add, ARRAY_SIZE(add_cases)),
                      UNIT_TESTS(test_add_nomem, test_sort),
                      UNIT_LOOP(test_merge, ARRAY_SIZE(merge_cases)),
                      UNIT_LOOP(test_subtract, ARRAY_SIZE(setop_cases)),
                      UNIT_LOOP(test_intersect, ARRAY_SIZE(setop_cases)),
                      UNIT_LOOP(test_setop_nomem, 2),
                      UNIT_LOOP(test_lower_bound, ARRAY_SIZE(lb_cases)),
                      UNIT_LOOP(test_covers, ARRAY_SIZE(cover_cases)),
                      UNIT_LOOP(test_rindex_table, ARRAY_SIZE(ix_cases)),
                      UNIT_TESTS(test_rindex_stop_and_empty),
                      UNIT_LOOP(test_model, 2),
                      NULL);
}
