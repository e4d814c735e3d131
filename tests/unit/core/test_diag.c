/* Diagnostics: stable code strings, the list, error counting, ENOMEM. */
#include <errno.h>
#include <string.h>

#include "libxlstatic.h"
#include "lxs_internal.h"
#include "core_tests.h"

/* docs/diagnostics.md: scripts match on these exact strings. */
static const struct {
    enum lxs_code code;
    const char *name;
} code_cases[] = {
    { LXS_E_SYNTAX, "syntax" },
    { LXS_E_MISSING, "missing" },
    { LXS_E_CONFLICT, "conflict" },
    { LXS_E_MISALIGNED, "misaligned" },
    { LXS_E_OVERFLOW, "overflow" },
    { LXS_E_SIZE_MISMATCH, "size-mismatch" },
    { LXS_E_BAD_CHUNK, "bad-chunk" },
    { LXS_E_OUTSIDE_RAM, "outside-ram" },
    { LXS_E_OVERLAP_RESERVED, "overlap-reserved" },
    { LXS_E_OVERLAP_DOMAIN, "overlap-domain" },
    { LXS_E_OVERLAP_SELF, "overlap-self" },
    { LXS_E_OUTSIDE_POOL, "outside-pool" },
    { LXS_E_WINDOW_COLLISION, "window-collision" },
    { LXS_E_TOO_MANY_BANKS, "too-many-banks" },
    { LXS_E_NO_SPACE, "no-space" },
    { LXS_W_UNSAFE_DMA, "unsafe-dma" },
    { LXS_E_NO_DMA_OFFSET, "no-dma-offset" },
    { LXS_W_UNKNOWN_KEY, "unknown-key" },
    { LXS_E_NO_POOL, "no-pool" },
};

START_TEST(test_code_name)
{
    ck_assert_str_eq(lxs_code_name(code_cases[_i].code),
                     code_cases[_i].name);
    /* and back; the warnings are the two LXS_W_ codes */
    ck_assert_int_eq(lxs_code_from_name(code_cases[_i].name),
                     code_cases[_i].code);
    ck_assert(lxs_code_is_warning(code_cases[_i].code) ==
              (code_cases[_i].code == LXS_W_UNSAFE_DMA ||
               code_cases[_i].code == LXS_W_UNKNOWN_KEY));
}
END_TEST

START_TEST(test_code_from_name_unknown)
{
    ck_assert_int_eq(lxs_code_from_name("no-unsafe-dma"), -1);
    ck_assert_int_eq(lxs_code_from_name(""), -1);
    ck_assert_int_eq(lxs_code_from_name(NULL), -1);
}
END_TEST

/*
 * Acknowledged warnings go, the others stay in order; with werror they
 * are errors and counted as such; errors are never dropped.
 */
START_TEST(test_diags_accept)
{
    struct lxs_diags d;
    int werror = _i;

    lxs_diags_init(&d);
    ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_WARNING, LXS_W_UNSAFE_DMA,
                                  "a.cfg", "a", "direct_map", "w1"), 0);
    ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_ERROR, LXS_E_SYNTAX, "a.cfg",
                                  "a", "memory", "e1"), 0);
    ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_WARNING, LXS_W_UNKNOWN_KEY,
                                  "a.cfg", "a", "directmap", "w2"), 0);
    ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_WARNING, LXS_W_UNSAFE_DMA,
                                  "b.cfg", "b", "static_mem", "w3"), 0);
    /* an error's code in the set does not drop it */
    lxs_diags_accept(&d, LXS_CODE_BIT(LXS_W_UNSAFE_DMA) |
                     LXS_CODE_BIT(LXS_E_SYNTAX), werror);
    ck_assert_uint_eq(d.nr, 2);
    ck_assert_str_eq(d.v[0].message, "e1");
    ck_assert_str_eq(d.v[1].message, "w2");
    ck_assert_int_eq(d.v[1].severity, werror ? LXS_SEV_ERROR
                                             : LXS_SEV_WARNING);
    ck_assert_uint_eq(d.nr_errors, werror ? 2 : 1);
    lxs_diags_accept(&d, 0, false);
    ck_assert_uint_eq(d.nr, 2);
    lxs_diags_dispose(&d);
}
END_TEST

START_TEST(test_code_name_all)
{
    int c;

    /* every code is in the table above, and the names are unique */
    ck_assert_uint_eq(ARRAY_SIZE(code_cases), LXS_CODE__COUNT);
    for (c = 0; c < LXS_CODE__COUNT; c++) {
        int d;

        ck_assert_ptr_nonnull(lxs_code_name(c));
        for (d = 0; d < c; d++)
            ck_assert_str_ne(lxs_code_name(c), lxs_code_name(d));
    }
    ck_assert_ptr_null(lxs_code_name(LXS_CODE__COUNT));
    ck_assert_ptr_null(lxs_code_name((enum lxs_code)-1));
    ck_assert_ptr_null(lxs_code_name((enum lxs_code)1000));
}
END_TEST

START_TEST(test_diag_list)
{
    struct lxs_diags d;
    int i;

    lxs_diags_init(&d);
    ck_assert_uint_eq(d.nr, 0);
    ck_assert_uint_eq(d.nr_errors, 0);

    ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_ERROR, LXS_E_OUTSIDE_RAM,
                                  "domU1.cfg", "domU1", "static_mem",
                                  "range %#x-%#x is not inside host ram",
                                  0x1000, 0x2000), 0);
    ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_WARNING, LXS_W_UNSAFE_DMA,
                                  NULL, NULL, NULL, "no iommu"), 0);
    ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_ERROR, LXS_E_SYNTAX,
                                  "<host-dtb>", NULL, "memory", "%s '%s'",
                                  "bad number", "12q"), 0);
    ck_assert_uint_eq(d.nr, 3);
    ck_assert_uint_eq(d.nr_errors, 2);

    ck_assert_int_eq(d.v[0].severity, LXS_SEV_ERROR);
    ck_assert_int_eq(d.v[0].code, LXS_E_OUTSIDE_RAM);
    ck_assert_str_eq(d.v[0].file, "domU1.cfg");
    ck_assert_str_eq(d.v[0].domain, "domU1");
    ck_assert_str_eq(d.v[0].key, "static_mem");
    ck_assert_str_eq(d.v[0].message,
                     "range 0x1000-0x2000 is not inside host ram");
    ck_assert_int_eq(d.v[1].severity, LXS_SEV_WARNING);
    ck_assert_ptr_null(d.v[1].file);
    ck_assert_ptr_null(d.v[1].domain);
    ck_assert_ptr_null(d.v[1].key);
    ck_assert_str_eq(d.v[1].message, "no iommu");
    ck_assert_str_eq(d.v[2].message, "bad number '12q'");

    /* many findings: the list grows and keeps its order */
    for (i = 0; i < 100; i++)
        ck_assert_int_eq(lxs_diag_add(&d, i % 3 ? LXS_SEV_WARNING :
                                      LXS_SEV_ERROR, LXS_E_NO_SPACE,
                                      NULL, NULL, NULL, "n%d", i), 0);
    ck_assert_uint_eq(d.nr, 103);
    ck_assert_uint_eq(d.nr_errors, 2 + 34);
    ck_assert_str_eq(d.v[102].message, "n99");

    lxs_diags_dispose(&d);
    ck_assert_uint_eq(d.nr, 0);
    ck_assert_uint_eq(d.nr_errors, 0);
    ck_assert_ptr_null(d.v);
    lxs_diags_dispose(&d);
    lxs_diags_dispose(NULL);
}
END_TEST

/*
 * Every allocation of lxs_diag_add can fail; the list is then left as
 * it was (no half-filled entry, no error counted).  _i selects which
 * optional strings are given.
 */
START_TEST(test_diag_nomem)
{
    struct lxs_diags d;
    unsigned long n;
    int rc;
    bool with_strings = _i;

    lxs_diags_init(&d);
    ck_assert_int_eq(lxs_diag_add(&d, LXS_SEV_ERROR, LXS_E_MISSING,
                                  NULL, NULL, NULL, "first"), 0);
    for (n = 1; ; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_diag_add(&d, LXS_SEV_ERROR, LXS_E_CONFLICT,
                          with_strings ? "f.cfg" : NULL,
                          with_strings ? "dom" : NULL,
                          with_strings ? "rambase_pfn" : NULL,
                          "rambase_pfn %d with static_mem", 5);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert_uint_eq(d.nr, 1);
        ck_assert_uint_eq(d.nr_errors, 1);
        ck_assert_str_eq(d.v[0].message, "first");
    }
    /* the list has room: file, domain, key (when given) and message */
    ck_assert_uint_eq(n, with_strings ? 5 : 2);
    ck_assert_uint_eq(d.nr, 2);
    ck_assert_uint_eq(d.nr_errors, 2);
    ck_assert_str_eq(d.v[1].message, "rambase_pfn 5 with static_mem");
    lxs_diags_dispose(&d);
}
END_TEST

Suite *diag_suite(void)
{
    return unit_suite("diag", UNIT_LOOP(test_code_name, ARRAY_SIZE(code_cases)),
                      UNIT_TESTS(test_code_name_all, test_diag_list,
                                 test_code_from_name_unknown),
                      UNIT_LOOP(test_diags_accept, 2),
                      UNIT_LOOP(test_diag_nomem, 2),
                      NULL);
}
