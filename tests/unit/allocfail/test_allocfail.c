/*
 * Allocation-failure injection over one whole run on realistic input,
 * the way the commands chain the library: read a registry file, the
 * host DTB and six cfgs; add the reservations to the host map; check
 * and plan them at run time; build each planned guest's device tree;
 * check and plan a dom0less domain at boot, place its kernel and build
 * the dom0less host DT; record a reservation and serialise the
 * registry.
 *
 * A first run counts the allocations (every one goes through the
 * lxs__* wrappers) and keeps each step's outputs as the reference.
 * Then, for every n from 1 to that count, the n-th allocation fails.
 * The step it hits must return -ENOMEM (the error every step documents
 * for it) with its outputs as they were, and the run stops there; a step
 * that absorbs the failure must give exactly the reference outputs.  In
 * the sanitizer build (CK_FORK=no, LeakSanitizer at exit) this also
 * proves that no failure path leaks or touches freed memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "dtgen.h"
#include "lxs_internal.h"
#include "unit.h"

/* The CLI fixture cfgs (tests/cli/fixtures/good): every kind of placement. */
static const char *const cfg_names[] = {
    "direct", "rambase", "twobank", "chunk", "auto-direct", "passthrough",
};
#define NR_CFG ARRAY_SIZE(cfg_names)

/* "chunk" comes back to the memory it had: its own memory is used first. */
static const char registry_text[] =
    "{\n"
    "    \"version\": 1,\n"
    "    \"reservations\": [\n"
    "        {\n"
    "            \"name\": \"chunk\",\n"
    "            \"direct_map\": false,\n"
    "            \"extents\": [\n"
    "                {\n"
    "                    \"host\": \"0x110000000\",\n"
    "                    \"guest\": \"0x40000000\",\n"
    "                    \"size\": \"0x10000000\"\n"
    "                }\n"
    "            ]\n"
    "        }\n"
    "    ]\n"
    "}\n";

#define KERNEL_SIZE (UINT64_C(8) << 20)

/* A pointer no step may write over its output on failure. */
static char untouched;
#define UNTOUCHED ((void *)&untouched)
#define UNTOUCHED_LEN ((size_t)0x5a5a)

/* Everything one run produces. */
struct out {
    struct lxs_registry reg;
    struct lxs_hostmap map;
    struct lxs_spec specs[NR_CFG];
    struct lxs_diags diags;
    struct lxs_plan plans[NR_CFG];
    void *gfdt[NR_CFG];
    size_t glen[NR_CFG];
    struct lxs_spec boot_spec;
    struct lxs_diags boot_diags;
    struct lxs_plan boot_plan;
    struct dtg_domain dom;
    void *hfdt;
    size_t hlen;
    char *regdata;
    size_t reglen;
    unsigned int steps;         /* steps that completed */
};

static char *host_dtb_path;
static void *host_dtb;
static size_t host_dtb_len;

static char *path_of(const char *env, const char *rel)
{
    const char *top = getenv(env);
    char *p;

    ck_assert_int_ge(asprintf(&p, "%s/%s", top && *top ? top : ".", rel), 0);
    return p;
}

static void read_whole(const char *path, void **data_r, size_t *len_r)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    for (;;) {
        buf = realloc(buf, len + 4096);
        ck_assert_ptr_nonnull(buf);
        n = fread(buf + len, 1, 4096, f);
        if (!n)
            break;
        len += n;
    }
    fclose(f);
    *data_r = buf;
    *len_r = len;
}

static void setup(void)
{
    host_dtb_path = path_of("top_builddir", "tests/cli/fixtures/host.dtb");
    read_whole(host_dtb_path, &host_dtb, &host_dtb_len);
}

static void teardown(void)
{
    free(host_dtb_path);
    free(host_dtb);
    lxs__alloc_fail_at = 0;
}

static void out_init(struct out *o)
{
    size_t i;

    memset(o, 0, sizeof(*o));
    lxs_registry_init(&o->reg);
    lxs_hostmap_init(&o->map);
    lxs_diags_init(&o->diags);
    lxs_diags_init(&o->boot_diags);
    lxs_spec_init(&o->boot_spec);
    lxs_plan_init(&o->boot_plan);
    for (i = 0; i < NR_CFG; i++) {
        lxs_spec_init(&o->specs[i]);
        lxs_plan_init(&o->plans[i]);
    }
}

static void out_dispose(struct out *o)
{
    size_t i;

    lxs_registry_close(&o->reg);
    lxs_hostmap_dispose(&o->map);
    lxs_diags_dispose(&o->diags);
    lxs_diags_dispose(&o->boot_diags);
    lxs_spec_dispose(&o->boot_spec);
    lxs_plan_dispose(&o->boot_plan);
    for (i = 0; i < NR_CFG; i++) {
        lxs_spec_dispose(&o->specs[i]);
        lxs_plan_dispose(&o->plans[i]);
        if (o->gfdt[i] != UNTOUCHED)
            free(o->gfdt[i]);
    }
    if (o->hfdt != UNTOUCHED)
        free(o->hfdt);
    if (o->regdata != UNTOUCHED)
        free(o->regdata);
}

/* ------------------------------------------------------------------ */
/* Comparing a run with the reference                                  */

static void same_diags(const struct lxs_diags *a, const struct lxs_diags *b)
{
    size_t i;

    ck_assert_uint_eq(a->nr, b->nr);
    ck_assert_uint_eq(a->nr_errors, b->nr_errors);
    for (i = 0; i < a->nr; i++) {
        ck_assert_int_eq(a->v[i].code, b->v[i].code);
        ck_assert_str_eq(a->v[i].message, b->v[i].message);
    }
}

static void same_plan(const struct lxs_plan *a, const struct lxs_plan *b)
{
    ck_assert_uint_eq(a->nr_ext, b->nr_ext);
    if (a->nr_ext)
        ck_assert_mem_eq(a->ext, b->ext, a->nr_ext * sizeof(*a->ext));
    ck_assert_int_eq(a->has_dma_offset, b->has_dma_offset);
    ck_assert_uint_eq(a->dma_offset, b->dma_offset);
    ck_assert_uint_eq(a->gnttab.base, b->gnttab.base);
    ck_assert_uint_eq(a->magic.base, b->magic.base);
}

static void same_blob(const void *a, size_t alen, const void *b, size_t blen)
{
    ck_assert_uint_eq(alen, blen);
    ck_assert_mem_eq(a, b, alen);
}

/* ------------------------------------------------------------------ */
/* The run                                                             */

/*
 * The failure hit a step: it must be -ENOMEM (checked by the caller),
 * and the injected failure must have happened by now.
 */
static int failed_here(int rc)
{
    ck_assert_msg(rc == -ENOMEM, "a step returned %d under an allocation "
                  "failure, not -ENOMEM", rc);
    ck_assert_uint_ge(lxs__alloc_count, lxs__alloc_fail_at);
    return rc;
}

/*
 * One findings list with a finding in it already, to see it unchanged;
 * the test's own allocations are neither counted nor failed.
 */
static void diags_with_marker(struct lxs_diags *d)
{
    unsigned long fail_at = lxs__alloc_fail_at, count = lxs__alloc_count;

    lxs__alloc_fail_at = 0;
    ck_assert_int_eq(lxs_diag_add(d, LXS_SEV_WARNING, LXS_W_UNSAFE_DMA,
                                  NULL, NULL, NULL, "marker"), 0);
    lxs__alloc_fail_at = fail_at;
    lxs__alloc_count = count;
}

static int read_inputs(struct out *o, const struct out *ref)
{
    char *why = (char *)UNTOUCHED, *path;
    size_t i, nr0;
    int rc;

    /* the registry file */
    rc = lxs_registry_from_data(&o->reg, registry_text,
                                sizeof(registry_text) - 1, &why);
    if (rc) {
        ck_assert_ptr_null(why);
        ck_assert_uint_eq(o->reg.nr, 0);
        ck_assert_ptr_null(o->reg.v);
        return failed_here(rc);
    }
    ck_assert_uint_eq(o->reg.nr, 1);
    o->steps++;

    /* the host DTB */
    why = (char *)UNTOUCHED;
    rc = lxs_hostmap_from_file(&o->map, host_dtb_path, &why);
    if (rc) {
        ck_assert_ptr_null(why);
        ck_assert_uint_eq(o->map.nr, 0);
        ck_assert_ptr_null(o->map.v);
        return failed_here(rc);
    }
    ck_assert_ptr_null(why);
    o->steps++;

    /* its reservations join the host map */
    nr0 = o->map.nr;
    rc = lxs_registry_add_to_hostmap(&o->reg, &o->map);
    if (rc) {
        ck_assert_uint_eq(o->map.nr, nr0);
        ck_assert_uint_eq(o->map.owned.nr, 1);  /* the fixture's domU1 */
        return failed_here(rc);
    }
    ck_assert_uint_eq(o->map.owned.nr, 2);
    if (ref)
        ck_assert_uint_eq(o->map.nr, ref->map.nr);
    o->steps++;

    /* the cfgs */
    diags_with_marker(&o->diags);
    for (i = 0; i < NR_CFG; i++) {
        char rel[96];

        snprintf(rel, sizeof(rel), "tests/cli/fixtures/good/%s.cfg",
                 cfg_names[i]);
        path = path_of("top_srcdir", rel);
        rc = lxs_cfg_parse_file(path, &o->specs[i], &o->diags);
        free(path);
        if (rc) {
            ck_assert_uint_eq(o->diags.nr, 1);
            ck_assert_ptr_null(o->specs[i].file);
            ck_assert_ptr_null(o->specs[i].name);
            return failed_here(rc);
        }
        ck_assert_str_eq(o->specs[i].name, i == 5 ? "drv" : cfg_names[i]);
        o->steps++;
    }
    ck_assert_uint_eq(o->diags.nr, 1);
    return 0;
}

static int run_time(struct out *o, const struct out *ref)
{
    struct lxs_check_opts opts = { .mode = LXS_MODE_RUNTIME };
    struct dtg_guest_opts gopts;
    char *why;
    size_t i;
    int rc;

    /* check and plan: markers in the plans, as lxs_check must leave them */
    for (i = 0; i < NR_CFG; i++)
        o->plans[i].nr_ext = 77;
    rc = lxs_check(&o->map, o->specs, NR_CFG, &opts, &o->diags, o->plans);
    if (rc == -ENOMEM) {
        ck_assert_uint_eq(o->diags.nr, 1);
        for (i = 0; i < NR_CFG; i++) {
            ck_assert_uint_eq(o->plans[i].nr_ext, 77);
            o->plans[i].nr_ext = 0;
        }
        return failed_here(rc);
    }
    ck_assert_int_eq(rc, 0);    /* one warning: passthrough, no iommu */
    ck_assert_uint_eq(o->diags.nr, 2);
    if (ref) {
        same_diags(&o->diags, &ref->diags);
        for (i = 0; i < NR_CFG; i++)
            same_plan(&o->plans[i], &ref->plans[i]);
    } else {
        /* "chunk" got the memory it had */
        ck_assert_uint_eq(o->plans[3].nr_ext, 1);
        ck_assert_uint_eq(o->plans[3].ext[0].host, UINT64_C(0x110000000));
    }
    o->steps++;

    /* the guest device trees */
    dtg_guest_opts_init(&gopts);
    for (i = 0; i < NR_CFG; i++) {
        ck_assert_uint_gt(o->plans[i].nr_ext, 0);
        o->gfdt[i] = UNTOUCHED;
        o->glen[i] = UNTOUCHED_LEN;
        why = NULL;
        rc = dtg_guest_fdt(&o->specs[i], &o->plans[i], &gopts, &o->gfdt[i],
                           &o->glen[i], &why);
        free(why);
        if (rc) {
            ck_assert_ptr_eq(o->gfdt[i], UNTOUCHED);
            ck_assert_uint_eq(o->glen[i], UNTOUCHED_LEN);
            return failed_here(rc);
        }
        ck_assert_ptr_null(why);
        if (ref)
            same_blob(o->gfdt[i], o->glen[i], ref->gfdt[i], ref->glen[i]);
        o->steps++;
    }
    return 0;
}

static int boot_time(struct out *o, const struct out *ref)
{
    struct lxs_check_opts opts = { .mode = LXS_MODE_BOOT };
    struct dtg_host_opts hopts;
    char *why = NULL, *path;
    int rc;

    path = path_of("top_srcdir", "tests/cli/fixtures/good/boot.cfg");
    diags_with_marker(&o->boot_diags);
    rc = lxs_cfg_parse_file(path, &o->boot_spec, &o->boot_diags);
    free(path);
    if (rc) {
        ck_assert_uint_eq(o->boot_diags.nr, 1);
        ck_assert_ptr_null(o->boot_spec.name);
        return failed_here(rc);
    }
    o->steps++;

    o->boot_plan.nr_ext = 77;
    rc = lxs_check(&o->map, &o->boot_spec, 1, &opts, &o->boot_diags,
                   &o->boot_plan);
    if (rc == -ENOMEM) {
        ck_assert_uint_eq(o->boot_diags.nr, 1);
        ck_assert_uint_eq(o->boot_plan.nr_ext, 77);
        o->boot_plan.nr_ext = 0;
        return failed_here(rc);
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(o->boot_plan.nr_ext, 1);
    o->steps++;

    /* the kernel module, placed by dtg_host_check */
    dtg_host_opts_init(&hopts);
    o->dom.spec = &o->boot_spec;
    o->dom.plan = &o->boot_plan;
    o->dom.kernel.size = KERNEL_SIZE;
    rc = dtg_host_check(host_dtb, host_dtb_len, &o->dom, 1, &hopts,
                        &o->boot_diags);
    if (rc) {
        ck_assert_uint_eq(o->boot_diags.nr, 1);
        ck_assert(!o->dom.kernel.placed);
        ck_assert_uint_eq(o->dom.kernel.addr, 0);
        return failed_here(rc);
    }
    ck_assert(o->dom.kernel.placed);
    ck_assert_uint_eq(o->boot_diags.nr, 1);
    if (ref)
        ck_assert_uint_eq(o->dom.kernel.addr, ref->dom.kernel.addr);
    o->steps++;

    /* the dom0less host DT */
    o->hfdt = UNTOUCHED;
    o->hlen = UNTOUCHED_LEN;
    rc = dtg_host_fdt(host_dtb, host_dtb_len, &o->dom, 1, &hopts, &o->hfdt,
                      &o->hlen, &why);
    free(why);
    if (rc) {
        ck_assert_ptr_eq(o->hfdt, UNTOUCHED);
        ck_assert_uint_eq(o->hlen, UNTOUCHED_LEN);
        return failed_here(rc);
    }
    if (ref)
        same_blob(o->hfdt, o->hlen, ref->hfdt, ref->hlen);
    o->steps++;
    return 0;
}

static int record(struct out *o, const struct out *ref)
{
    int rc;

    /* "direct" is created: its extents are recorded */
    rc = lxs_registry_set(&o->reg, "direct", &o->plans[0]);
    if (rc) {
        ck_assert_uint_eq(o->reg.nr, 1);
        ck_assert_ptr_null(lxs_registry_find(&o->reg, "direct"));
        return failed_here(rc);
    }
    ck_assert_uint_eq(o->reg.nr, 2);
    o->steps++;

    o->regdata = UNTOUCHED;
    o->reglen = UNTOUCHED_LEN;
    rc = lxs_registry_to_data(&o->reg, &o->regdata, &o->reglen);
    if (rc) {
        ck_assert_ptr_eq(o->regdata, UNTOUCHED);
        ck_assert_uint_eq(o->reglen, UNTOUCHED_LEN);
        return failed_here(rc);
    }
    if (ref)
        same_blob(o->regdata, o->reglen, ref->regdata, ref->reglen);
    o->steps++;
    return 0;
}

static int run(struct out *o, const struct out *ref)
{
    int rc;

    out_init(o);
    if ((rc = read_inputs(o, ref)) || (rc = run_time(o, ref)) ||
        (rc = boot_time(o, ref)) || (rc = record(o, ref)))
        return rc;
    return 0;
}

START_TEST(test_allocfail_whole_run)
{
    struct out ref, o;
    unsigned long count, n, failures = 0;
    unsigned int steps_hit[64] = { 0 };
    unsigned int i, nr_steps;
    int rc;

    /* the reference: nothing fails; count the allocations */
    lxs__alloc_fail_at = 0;
    lxs__alloc_count = 0;
    ck_assert_int_eq(run(&ref, NULL), 0);
    count = lxs__alloc_count;
    nr_steps = ref.steps;
    ck_assert_uint_eq(nr_steps, 3 + NR_CFG + 1 + NR_CFG + 4 + 2);
    ck_assert_uint_gt(count, 100);

    for (n = 1; n <= count; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = run(&o, &ref);
        lxs__alloc_fail_at = 0;
        if (rc) {
            failures++;
            ck_assert_uint_lt(o.steps, nr_steps);
            steps_hit[o.steps < 64 ? o.steps : 63]++;
        } else {
            /* an allocation whose failure a step absorbed */
            ck_assert_uint_eq(o.steps, nr_steps);
        }
        out_dispose(&o);
    }
    /* every step allocates, so a failure reached each of them */
    for (i = 0; i < nr_steps; i++)
        ck_assert_msg(steps_hit[i] > 0, "no failure reached step %u", i);
    ck_assert_uint_gt(failures, count / 2);
    fprintf(stderr, "allocfail: %lu allocations in the whole run, %lu "
            "failures injected ending in -ENOMEM, %lu absorbed\n", count,
            failures, count - failures);
    out_dispose(&ref);
}
END_TEST

Suite *allocfail_suite(void);

Suite *allocfail_suite(void)
{
    return unit_suite("allocfail", UNIT_TCASE("whole-run"),
                      UNIT_FIXTURE(setup, teardown),
                      /* thousands of runs, slower again under the sanitizers */
                      UNIT_TIMEOUT(600),
                      UNIT_TESTS(test_allocfail_whole_run),
                      NULL);
}

int main(void)
{
    return unit_run(allocfail_suite(), NULL);
}
