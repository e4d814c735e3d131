/*
 * The one-validator invariant (issue 14), as a property over many
 * generated cfgs: whatever lxs_check accepts, dtgen builds; whatever
 * dtgen would refuse, lxs_check reported with a code.
 *
 *  - run time: every plan lxs_check returns for a spec without an error
 *    finding builds a guest device tree (dtg_guest_fdt, the ipa width
 *    lxs_check was given) whose layout carries the plan's dma-offset;
 *  - boot time (dom0less): when lxs_check passes, dtg_host_check adds
 *    no finding (its own rules are about boot modules and --pool, which
 *    the generator keeps clear of), dtg_host_fdt builds the host tree,
 *    and the tree read back gives the same plans.
 *
 * The generator draws cfgs from the same values as the fuzz seeds
 * (tests/fuzz/mkseeds.sh): addresses around and inside the fixture
 * host's RAM, pool and reserved regions, sizes from a page to 2 GiB,
 * @GADDR in and out of Xen's boot order, every placement key, names
 * that are and are not node names, with and without kernel and memory.
 * A fixed seed per iteration: a failure names the cfg, which replays.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtgen_tests.h"

#define ITERATIONS 3000
#define MAX_CFGS 2

static uint64_t rng_next(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static size_t pick(uint64_t *s, size_t n)
{
    return (size_t)(rng_next(s) % n);
}

#define PICK(s, a) ((a)[pick((s), ARRAY_SIZE(a))])

/* Appends to @buf (of @len) what printf makes of @fmt. */
static void put(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void put(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

/*
 * The fixture host (fixtures/host.dts): RAM 0x40000000-0xc0000000, a
 * reserved OP-TEE carve-out, a dom0less domU1 at 0x70000000, the dom0
 * kernel module at 0x42000000.
 */
static const uint64_t addrs[] = {
    0x40000000, 0x42000000, 0x48000000, 0x4c000000, 0x50000000,
    0x58000000, 0x5ff00000, 0x60000000, 0x64000000, 0x68000000,
    0x70000000, 0x7ffff000, 0x80000000, 0x90000000, 0xa0000000,
    0xbfe00000, 0xc0000000, 0x100000000, 0x10000000000, 0x60000800,
};
static const char *const sizes[] = {
    "4K", "8K", "2M", "16M", "32M", "64M", "128M", "256M", "1G", "2G",
    "0x1000", "3M",
};
static const uint64_t gaddrs[] = {
    0x40000000, 0x41000000, 0x44000000, 0x50000000, 0x03000000,
    0x200000000, 0x8000000000, 0xff00000000, 0x2f000000,
};
static const char *const names[] = {
    "d", "dm-1", "guest.a", "my dom", "1st", "Dom_2", "xen-config",
};

static void gen_cfg(uint64_t *s, size_t k, char *buf, size_t len)
{
    size_t n, j;

    buf[0] = '\0';
    if (pick(s, 20))
        put(buf, len, "name = \"%s%s\"\n", PICK(s, names), k ? "b" : "");
    if (pick(s, 4))
        put(buf, len, "kernel = \"Image\"\n");
    if (!pick(s, 3))
        put(buf, len, "memory = %u\n",
            (unsigned int[]){ 4, 16, 64, 128, 256, 3072, 5000,
                              2000000 }[pick(s, 8)]);
    if (pick(s, 2))
        put(buf, len, "direct_map = %u\n", (unsigned int)pick(s, 2));
    if (!pick(s, 4))
        put(buf, len, "vcpus = %u\n", 1 + (unsigned int)pick(s, 8));
    if (!pick(s, 4))
        put(buf, len, "gic_version = \"%s\"\n", pick(s, 2) ? "v2" : "v3");
    if (!pick(s, 6))
        put(buf, len, "vuart = \"sbsa_uart\"\n");
    switch (pick(s, 4)) {
    case 0:
        n = pick(s, 4);
        put(buf, len, "static_mem = [ ");
        for (j = 0; j < n; j++) {
            put(buf, len, "%s\"0x%" PRIx64 ":%s", j ? ", " : "",
                PICK(s, addrs), PICK(s, sizes));
            if (!pick(s, 3))
                put(buf, len, "@0x%" PRIx64, PICK(s, gaddrs));
            put(buf, len, "\"");
        }
        put(buf, len, " ]\n");
        break;
    case 1:
        put(buf, len, "rambase_pfn = 0x%" PRIx64 "\n",
            PICK(s, addrs) >> 12);
        break;
    case 2:
        put(buf, len, "mem_chunk = %s\n",
            (const char *[]){ "2", "4", "\"1G\"", "3", "\"2M\"" }[pick(s, 5)]);
        break;
    default:
        break;
    }
}

struct run {
    char text[MAX_CFGS][512];
    struct lxs_spec specs[MAX_CFGS];
    struct lxs_plan plans[MAX_CFGS];
    struct lxs_diags diags;
    size_t nr;
    int rc;
};

static void run_init(struct run *r, uint64_t *s)
{
    size_t i;

    memset(r, 0, sizeof(*r));
    lxs_diags_init(&r->diags);
    r->nr = 1 + pick(s, MAX_CFGS);
    for (i = 0; i < r->nr; i++) {
        gen_cfg(s, i, r->text[i], sizeof(r->text[i]));
        lxs_spec_init(&r->specs[i]);
        lxs_plan_init(&r->plans[i]);
        ck_assert_int_eq(lxs_cfg_parse_data("gen.cfg", r->text[i],
                                            strlen(r->text[i]),
                                            &r->specs[i], &r->diags), 0);
    }
}

static void run_dispose(struct run *r)
{
    size_t i;

    for (i = 0; i < r->nr; i++) {
        lxs_spec_dispose(&r->specs[i]);
        lxs_plan_dispose(&r->plans[i]);
    }
    lxs_diags_dispose(&r->diags);
}

/* Does any error finding concern spec @i (by its name)? */
static bool spec_has_error(const struct run *r, size_t i)
{
    size_t k;

    for (k = 0; k < r->diags.nr; k++) {
        const struct lxs_diag *d = &r->diags.v[k];

        if (d->severity != LXS_SEV_ERROR)
            continue;
        if (!d->domain || !r->specs[i].name ||
            !strcmp(d->domain, r->specs[i].name))
            return true;
    }
    return r->specs[i].bad;
}

static const char *cfgs_text(const struct run *r, char *buf, size_t len)
{
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < r->nr; i++)
        put(buf, len, "--- cfg %zu\n%s", i + 1, r->text[i]);
    return buf;
}

static void runtime_case(const struct lxs_hostmap *map, uint64_t *s,
                         unsigned int *built)
{
    static const unsigned int ipa[] = { 0, 0, 0, 32, 44, 48 };
    struct lxs_check_opts co = { .mode = LXS_MODE_RUNTIME };
    struct dtg_guest_opts go;
    char all[2048];
    struct run r;
    size_t i;

    run_init(&r, s);
    co.ipa_bits = PICK(s, ipa);
    r.rc = lxs_check(map, r.specs, r.nr, &co, &r.diags, r.plans);
    ck_assert(r.rc == 0 || r.rc == -EINVAL);
    dtg_guest_opts_init(&go);
    if (co.ipa_bits)
        go.ipa_bits = co.ipa_bits;

    for (i = 0; i < r.nr; i++) {
        struct dtg_guest_layout lay;
        void *fdt = NULL;
        size_t len = 0;
        char *why = NULL;
        int rc;

        if (spec_has_error(&r, i))
            continue;
        ck_assert_msg(r.rc == 0 || r.plans[i].name || !r.specs[i].name,
                      "no plan for a spec without error:\n%s",
                      cfgs_text(&r, all, sizeof(all)));
        rc = dtg_guest_fdt(&r.specs[i], &r.plans[i], &go, &fdt, &len, &why);
        ck_assert_msg(rc == 0, "check passed, dtgen guest refused (%d: %s) "
                      "with ipa %u:\n%s", rc, why ? why : "", co.ipa_bits,
                      cfgs_text(&r, all, sizeof(all)));
        ck_assert_int_eq(fdt_check_full(fdt, len), 0);
        free(fdt);
        (*built)++;
        if (!r.plans[i].nr_ext)
            continue;
        dtg_guest_layout_init(&lay);
        rc = dtg_guest_layout(&r.plans[i], &go, &lay, &why);
        ck_assert_int_eq(rc, 0);
        ck_assert(lay.g.has_dma_offset == r.plans[i].has_dma_offset);
        ck_assert(!lay.g.has_dma_offset ||
                  lay.g.dma_offset == r.plans[i].dma_offset);
        dtg_guest_layout_dispose(&lay);
        free(why);
    }
    run_dispose(&r);
}

static void boot_case(const void *in, size_t in_len,
                      const struct lxs_hostmap *map, uint64_t *s,
                      unsigned int *built)
{
    struct lxs_check_opts co = { .mode = LXS_MODE_BOOT };
    struct dtg_domain doms[MAX_CFGS];
    struct dtg_host_opts ho;
    struct lxs_hostmap back;
    struct lxs_plan again[MAX_CFGS];
    struct lxs_diags d2;
    void *out = NULL;
    char *why = NULL, all[2048];
    size_t len = 0, i, k;
    struct run r;
    int rc;

    run_init(&r, s);
    r.rc = lxs_check(map, r.specs, r.nr, &co, &r.diags, r.plans);
    ck_assert(r.rc == 0 || r.rc == -EINVAL);
    if (r.rc)
        goto out;

    /* check --boot passed: dtgen host must build it */
    dtg_host_opts_init(&ho);
    memset(doms, 0, sizeof(doms));
    for (i = 0; i < r.nr; i++) {
        doms[i].spec = &r.specs[i];
        doms[i].plan = &r.plans[i];
        doms[i].kernel.size = MIB(2) + 123;
    }
    lxs_diags_init(&d2);
    rc = dtg_host_check(in, in_len, doms, r.nr, &ho, &d2);
    /* the one rule about the host DT's own nodes it keeps */
    for (k = 0; k < d2.nr; k++)
        if (d2.v[k].code == LXS_E_CONFLICT && !strcmp(d2.v[k].key, "name") &&
            !strcmp(d2.v[k].domain, "xen-config"))
            break;
    if (k < d2.nr) {
        lxs_diags_dispose(&d2);
        goto out;
    }
    ck_assert_msg(rc == 0 && d2.nr == 0, "check --boot passed, dtgen host "
                  "found %zu (first: %s: %s):\n%s", d2.nr,
                  d2.nr ? lxs_code_name(d2.v[0].code) : "",
                  d2.nr ? d2.v[0].message : "",
                  cfgs_text(&r, all, sizeof(all)));
    lxs_diags_dispose(&d2);
    rc = dtg_host_fdt(in, in_len, doms, r.nr, &ho, &out, &len, &why);
    ck_assert_msg(rc == 0, "check --boot passed, dtg_host_fdt: %d (%s):\n%s",
                  rc, why ? why : "", cfgs_text(&r, all, sizeof(all)));
    (*built)++;

    /* its output, checked again, gives the same plans */
    lxs_hostmap_init(&back);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&back, out, len, NULL), 0);
    lxs_diags_init(&d2);
    for (i = 0; i < r.nr; i++)
        lxs_plan_init(&again[i]);
    rc = lxs_check(&back, r.specs, r.nr, &co, &d2, again);
    ck_assert_msg(rc == 0, "the host dt made for them refuses them "
                  "(%s):\n%s", d2.nr ? d2.v[0].message : "",
                  cfgs_text(&r, all, sizeof(all)));
    for (i = 0; i < r.nr; i++) {
        ck_assert_uint_eq(again[i].nr_ext, r.plans[i].nr_ext);
        ck_assert(!r.plans[i].nr_ext ||
                  !memcmp(again[i].ext, r.plans[i].ext,
                          r.plans[i].nr_ext * sizeof(*again[i].ext)));
        lxs_plan_dispose(&again[i]);
    }
    lxs_diags_dispose(&d2);
    lxs_hostmap_dispose(&back);
out:
    free(out);
    free(why);
    run_dispose(&r);
}

START_TEST(test_check_accepts_dtgen_builds)
{
    struct lxs_hostmap map;
    unsigned int built_rt = 0, built_boot = 0, n;
    uint64_t seed;
    size_t in_len;
    void *in;

    in = t_fixture("host.dtb", &in_len);
    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_from_fdt(&map, in, in_len, NULL), 0);
    for (n = 0; n < ITERATIONS; n++) {
        seed = UINT64_C(0x9e3779b97f4a7c15) * (n + 1);
        if (n % 2)
            runtime_case(&map, &seed, &built_rt);
        else
            boot_case(in, in_len, &map, &seed, &built_boot);
    }
    /* the generator reaches both sides of the invariant */
    ck_assert_uint_gt(built_rt, ITERATIONS / 20);
    ck_assert_uint_gt(built_boot, ITERATIONS / 100);
    lxs_hostmap_dispose(&map);
    free(in);
}
END_TEST

Suite *invariant_suite(void)
{
    return unit_suite("invariant", UNIT_TIMEOUT(120),
                      UNIT_TESTS(test_check_accepts_dtgen_builds),
                      NULL);
}
