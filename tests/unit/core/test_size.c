/* Sizes: strict parsing, suffixes, overflow helpers, formatting. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "libxlstatic.h"
#include "core_tests.h"

#define MiB (UINT64_C(1) << 20)

struct parse_case {
    const char *s;
    int rc;
    uint64_t val;   /* when rc == 0 */
};

static const struct parse_case u64_cases[] = {
    { "0", 0, 0 },
    { "1", 0, 1 },
    { "4096", 0, 4096 },
    { "010", 0, 10 },                   /* decimal, never octal */
    { "0x0", 0, 0 },
    { "0x1000", 0, 0x1000 },
    { "0X1000", 0, 0x1000 },
    { "0xdeadBEEF", 0, 0xdeadbeef },
    { "0x0000000000000000001", 0, 1 },  /* leading zeros do not overflow */
    { "18446744073709551615", 0, UINT64_MAX },
    { "0xffffffffffffffff", 0, UINT64_MAX },
    { "18446744073709551616", -ERANGE, 0 },
    { "99999999999999999999", -ERANGE, 0 },
    { "0x10000000000000000", -ERANGE, 0 },
    { "", -EINVAL, 0 },
    { "0x", -EINVAL, 0 },
    { "x10", -EINVAL, 0 },
    { "-1", -EINVAL, 0 },
    { "+1", -EINVAL, 0 },
    { " 1", -EINVAL, 0 },
    { "1 ", -EINVAL, 0 },
    { "1\n", -EINVAL, 0 },
    { "12a", -EINVAL, 0 },
    { "0x12g", -EINVAL, 0 },
    { "1M", -EINVAL, 0 },               /* no suffix for plain numbers */
    { "0b101", -EINVAL, 0 },
    { "1.5", -EINVAL, 0 },
};

/*
 * Runs @parse on case @c: the value on success, else the error and the
 * output untouched.
 */
static void check_parse(int (*parse)(const char *, uint64_t *),
                        const struct parse_case *c)
{
    uint64_t val = 0x5a5a5a5a;
    int rc;

    rc = parse(c->s, &val);
    ck_assert_msg(rc == c->rc, "\"%s\": rc %d, want %d", c->s, rc, c->rc);
    if (!c->rc)
        ck_assert_msg(val == c->val, "\"%s\": %" PRIx64 ", want %" PRIx64,
                      c->s, val, c->val);
    else
        ck_assert_msg(val == 0x5a5a5a5a, "\"%s\": output changed", c->s);
}

START_TEST(test_parse_u64)
{
    check_parse(lxs_parse_u64, &u64_cases[_i]);
}
END_TEST

static const struct parse_case size_cases[] = {
    { "0", 0, 0 },
    { "4096", 0, 4096 },
    { "4k", 0, 4096 },
    { "4K", 0, 4096 },
    { "1m", 0, MiB },
    { "256M", 0, 256 * MiB },
    { "2g", 0, UINT64_C(2) << 30 },
    { "1G", 0, UINT64_C(1) << 30 },
    { "1t", 0, UINT64_C(1) << 40 },
    { "3T", 0, UINT64_C(3) << 40 },
    { "0x10M", 0, 16 * MiB },
    { "0x1000", 0, 0x1000 },
    { "0K", 0, 0 },
    { "16777215T", 0, UINT64_C(16777215) << 40 },   /* top of 64 bits */
    { "16777216T", -ERANGE, 0 },                     /* 2^64 */
    { "17179869184G", -ERANGE, 0 },                  /* 2^64 */
    { "18014398509481983K", 0, UINT64_C(18014398509481983) << 10 },
    { "18014398509481984K", -ERANGE, 0 },
    { "18446744073709551616", -ERANGE, 0 },
    { "M", -EINVAL, 0 },
    { "", -EINVAL, 0 },
    { "1MB", -EINVAL, 0 },
    { "1MiB", -EINVAL, 0 },
    { "1P", -EINVAL, 0 },
    { "1 M", -EINVAL, 0 },
    { "-1M", -EINVAL, 0 },
    { "1b", -EINVAL, 0 },
    { "0x", -EINVAL, 0 },
};

START_TEST(test_parse_size)
{
    check_parse(lxs_parse_size, &size_cases[_i]);
}
END_TEST

static const struct {
    const char *s;
    uint64_t unit;
    int rc;
    uint64_t val;
} unit_cases[] = {
    { "512", MiB, 0, 512 * MiB },
    { "256M", MiB, 0, 256 * MiB },
    { "1G", MiB, 0, UINT64_C(1) << 30 },
    { "4k", MiB, 0, 4096 },                 /* a suffix overrides the unit */
    { "0x10", MiB, 0, 16 * MiB },
    { "0", MiB, 0, 0 },
    { "17592186044415", MiB, 0, UINT64_C(17592186044415) << 20 },
    { "17592186044416", MiB, -ERANGE, 0 },  /* 2^44 MiB = 2^64 */
    { "7", 1, 0, 7 },
    { "7", 0, -EINVAL, 0 },                 /* no unit */
    { "x", MiB, -EINVAL, 0 },
    { "1Q", MiB, -EINVAL, 0 },
};

START_TEST(test_parse_size_unit)
{
    uint64_t val = 0x5a5a5a5a;
    int rc;

    rc = lxs_parse_size_unit(unit_cases[_i].s, unit_cases[_i].unit, &val);
    ck_assert_msg(rc == unit_cases[_i].rc, "\"%s\" unit %" PRIu64 ": rc %d",
                  unit_cases[_i].s, unit_cases[_i].unit, rc);
    if (!rc)
        ck_assert_uint_eq(val, unit_cases[_i].val);
    else
        ck_assert_uint_eq(val, 0x5a5a5a5a);
}
END_TEST

START_TEST(test_parse_null)
{
    uint64_t val = 1;

    ck_assert_int_eq(lxs_parse_u64(NULL, &val), -EINVAL);
    ck_assert_int_eq(lxs_parse_size(NULL, &val), -EINVAL);
    ck_assert_uint_eq(val, 1);
}
END_TEST

static const struct {
    uint64_t a, b;
    bool add_wraps, mul_wraps;
} arith_cases[] = {
    { 0, 0, false, false },
    { 0, UINT64_MAX, false, false },
    { 1, UINT64_MAX, true, false },
    { UINT64_MAX, 1, true, false },
    { UINT64_MAX - 4096, 4096, false, true },
    { UINT64_MAX / 4096, 4096, false, false },
    { UINT64_MAX - 4095, 4096, true, true },
    { UINT64_C(1) << 32, UINT64_C(1) << 32, false, true },
    { UINT64_C(1) << 32, (UINT64_C(1) << 32) - 1, false, false },
    { UINT64_C(1) << 63, 2, false, true },
    { UINT64_C(1) << 63, UINT64_C(1) << 63, true, true },
    { UINT64_MAX, UINT64_MAX, true, true },
    { UINT64_MAX, 0, false, false },
};

START_TEST(test_arith)
{
    uint64_t a = arith_cases[_i].a, b = arith_cases[_i].b;
    uint64_t r = 0x77;

    ck_assert(lxs_add_overflow(a, b, &r) == arith_cases[_i].add_wraps);
    if (arith_cases[_i].add_wraps)
        ck_assert_uint_eq(r, 0x77);
    else
        ck_assert_uint_eq(r, a + b);

    r = 0x77;
    ck_assert(lxs_mul_overflow(a, b, &r) == arith_cases[_i].mul_wraps);
    if (arith_cases[_i].mul_wraps)
        ck_assert_uint_eq(r, 0x77);
    else
        ck_assert_uint_eq(r, a * b);
}
END_TEST

static const struct {
    uint64_t size;
    const char *text;
} fmt_cases[] = {
    { 0, "0" },
    { 1, "1" },
    { 1023, "1023" },
    { 1024, "1K" },
    { 4096, "4K" },
    { 12345, "12345" },
    { 1536 * 1024, "1536K" },
    { 256 * MiB, "256M" },
    { UINT64_C(3) << 30, "3G" },
    { UINT64_C(1) << 40, "1T" },
    { UINT64_C(1) << 63, "8388608T" },
    { UINT64_MAX, "18446744073709551615" },
    { UINT64_MAX - 1023, "18014398509481983K" },
};

START_TEST(test_fmt_size)
{
    char buf[LXS_SIZE_STRLEN];
    uint64_t back;

    ck_assert_ptr_eq(lxs_fmt_size(fmt_cases[_i].size, buf), buf);
    ck_assert_str_eq(buf, fmt_cases[_i].text);
    /* what we print, we read back */
    ck_assert_int_eq(lxs_parse_size(buf, &back), 0);
    ck_assert_uint_eq(back, fmt_cases[_i].size);
}
END_TEST

/* One dma-offset text for every command and the patched xl (issue 14). */
static const struct {
    uint64_t off;
    const char *text;
} dma_cases[] = {
    { 0, "0x0" },
    { 0x30000000, "0x30000000" },
    { UINT64_C(0xffffffffe0000000), "-0x20000000" },
    { UINT64_C(0x7fffffffffffffff), "0x7fffffffffffffff" },
    { UINT64_C(0x8000000000000000), "-0x8000000000000000" },
    { UINT64_C(0xffffffffffffffff), "-0x1" },
};

START_TEST(test_fmt_dma_offset)
{
    char buf[LXS_DMA_OFFSET_STRLEN];

    ck_assert_ptr_eq(lxs_fmt_dma_offset(dma_cases[_i].off, buf), buf);
    ck_assert_str_eq(buf, dma_cases[_i].text);
}
END_TEST

Suite *size_suite(void)
{
    return unit_suite("size", UNIT_LOOP(test_parse_u64, ARRAY_SIZE(u64_cases)),
                      UNIT_LOOP(test_parse_size, ARRAY_SIZE(size_cases)),
                      UNIT_LOOP(test_parse_size_unit, ARRAY_SIZE(unit_cases)),
                      UNIT_TESTS(test_parse_null),
                      UNIT_LOOP(test_arith, ARRAY_SIZE(arith_cases)),
                      UNIT_LOOP(test_fmt_size, ARRAY_SIZE(fmt_cases)),
                      UNIT_LOOP(test_fmt_dma_offset, ARRAY_SIZE(dma_cases)),
                      NULL);
}
