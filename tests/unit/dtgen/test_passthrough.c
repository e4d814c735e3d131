/*
 * The passthrough device tree module of a dom0less domain
 * (dtg_passthrough_module): Xen's properties on each device, the host
 * node found for xen,path, the dma-ranges of an offset, the findings,
 * and the host tree's side (xen,passthrough, the module node).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"
#include "dtgen_tests.h"

/* the partial DT points at the guest's GIC, phandle 65000, not its own */
static const char *const pt_justified[] = {
    "interrupt-parent: Bad phandle",
    NULL,
};

/* the UART at guest 0x23000000, the DMA engine 1:1 */
static const struct lxs_iomem both[] = {
    { 0x9000, 1, 0x23000 },
    { 0x9200, 1, 0x9200 },
};

struct ptrun {
    struct lxs_spec spec;
    struct lxs_plan plan;
    struct lxs_extent ext;
    struct lxs_diags diags;
    void *host, *pfdt, *out;
    size_t host_len, plen, len;
    char *why;
    int rc;
};

/* dtg_passthrough_module of partial-pt against host-pt */
static void pt_run(struct ptrun *r, const struct lxs_iomem *io, size_t nr,
                   bool direct_map, uint64_t host, uint64_t guest)
{
    memset(r, 0, sizeof(*r));
    lxs_spec_init(&r->spec);
    lxs_plan_init(&r->plan);
    lxs_diags_init(&r->diags);
    r->spec.name = (char *)"pt";
    r->spec.file = (char *)"pt.cfg";
    r->spec.iomem = (struct lxs_iomem *)io;
    r->spec.nr_iomem = nr;
    r->spec.has_passthrough = true;
    r->ext = (struct lxs_extent){ host, guest, MIB(128) };
    r->plan.ext = &r->ext;
    r->plan.nr_ext = 1;
    r->plan.direct_map = direct_map;
    r->plan.has_dma_offset = true;
    r->plan.dma_offset = host - guest;
    r->host = t_fixture("host-pt.dtb", &r->host_len);
    r->pfdt = t_fixture("partial-pt.dtb", &r->plen);
    r->rc = dtg_passthrough_module(r->host, r->host_len, &r->spec, &r->plan,
                                   r->pfdt, r->plen, &r->diags, &r->out,
                                   &r->len, &r->why);
}

static void pt_dispose(struct ptrun *r)
{
    free(r->host);
    free(r->pfdt);
    free(r->out);
    free(r->why);
    lxs_diags_dispose(&r->diags);
}

/* xen,reg entry @i of @path: <host size guest>, 2/2 cells */
static void xen_reg(const void *fdt, const char *path, int i, uint64_t *h,
                    uint64_t *s, uint64_t *g)
{
    const fdt32_t *c;
    int len;

    c = t_prop(fdt, path, "xen,reg", &len);
    ck_assert_int_ge(len, (i + 1) * 24);
    c += i * 6;
    *h = ((uint64_t)fdt32_to_cpu(c[0]) << 32) | fdt32_to_cpu(c[1]);
    *s = ((uint64_t)fdt32_to_cpu(c[2]) << 32) | fdt32_to_cpu(c[3]);
    *g = ((uint64_t)fdt32_to_cpu(c[4]) << 32) | fdt32_to_cpu(c[5]);
}

START_TEST(test_module_properties)
{
    static const char *const uart = "/passthrough/serial@23000000";
    static const char *const dma = "/passthrough/dma@9200000";
    struct ptrun r;
    uint64_t h, s, g;
    int len;

    pt_run(&r, both, 2, true, 0x60000000, 0x60000000);
    ck_assert_msg(r.rc == 0, "rc %d: %s", r.rc, r.why ? r.why : "");
    ck_assert_uint_eq(r.diags.nr, 0);
    t_check_blob(r.out, r.len, "pt-module", pt_justified);

    /* the UART: its iomem page moved from guest 0x23000000 to host */
    xen_reg(r.out, uart, 0, &h, &s, &g);
    ck_assert_uint_eq(h, 0x09000000);
    ck_assert_uint_eq(s, 0x1000);
    ck_assert_uint_eq(g, 0x23000000);
    t_prop(r.out, uart, "xen,reg", &len);
    ck_assert_int_eq(len, 24);
    ck_assert_str_eq(t_prop(r.out, uart, "xen,path", NULL), "/pl011@9000000");
    ck_assert(t_has_prop(r.out, uart, "xen,force-assign-without-iommu"));
    /* the partial DT's own properties are kept */
    ck_assert_str_eq(t_prop(r.out, uart, "compatible", NULL), "arm,pl011");

    /* the DMA engine, on a 1:1 bus and behind an IOMMU: no force */
    xen_reg(r.out, dma, 0, &h, &s, &g);
    ck_assert_uint_eq(h, 0x09200000);
    ck_assert_uint_eq(g, 0x09200000);
    ck_assert_str_eq(t_prop(r.out, dma, "xen,path", NULL), "/soc/dma@9200000");
    ck_assert(!t_has_prop(r.out, dma, "xen,force-assign-without-iommu"));

    /* direct-mapped: the identity dma-ranges over its RAM */
    ck_assert_int_eq(t_nreg(r.out, "/passthrough", "dma-ranges", 2, 4), 1);
    pt_dispose(&r);
}
END_TEST

/* An offset domain: dma-ranges <host guest size>, as on the xl path. */
START_TEST(test_module_dma_ranges)
{
    const fdt32_t *c;
    struct ptrun r;
    int len;

    pt_run(&r, both, 2, false, 0x70000000, 0x40000000);
    ck_assert_msg(r.rc == 0, "rc %d: %s", r.rc, r.why ? r.why : "");
    c = t_prop(r.out, "/passthrough", "dma-ranges", &len);
    ck_assert_int_eq(len, 24);
    ck_assert_uint_eq(fdt32_to_cpu(c[1]), 0x70000000);     /* bus: host */
    ck_assert_uint_eq(fdt32_to_cpu(c[3]), 0x40000000);     /* cpu: guest */
    ck_assert_uint_eq(fdt32_to_cpu(c[5]), MIB(128));
    pt_dispose(&r);
}
END_TEST

static const struct {
    const char *what;
    struct lxs_iomem io[2];
    size_t nr;
    const char *key, *msg;
} pt_findings[] = {
    { "a device in no iomem range", { { 0x9000, 1, 0x23000 } }, 1,
      "iomem", "device '/passthrough/dma@9200000' reg [0x9200000, "
      "0x9201000) is in no 'iomem' range" },
    { "an iomem range too small", { { 0x9000, 1, 0x23001 },
                                    { 0x9200, 1, 0x9200 } }, 2,
      "iomem", "'/passthrough/serial@23000000'" },
    { "no host node there", { { 0x9100, 1, 0x23000 },
                              { 0x9200, 1, 0x9200 } }, 2,
      "device_tree", "is at host 0x9100000 but no host device tree node" },
    /* dev@0 of the translating bus is not at host 0 */
    { "behind a translating bus", { { 0x0, 1, 0x23000 },
                                    { 0x9200, 1, 0x9200 } }, 2,
      "device_tree", "is at host 0x0 but no host device tree node" },
};

START_TEST(test_module_findings)
{
    struct ptrun r;
    size_t i;

    pt_run(&r, pt_findings[_i].io, pt_findings[_i].nr, true, 0x60000000,
           0x60000000);
    ck_assert_msg(r.rc == -EINVAL, "%s: rc %d (%s)", pt_findings[_i].what,
                  r.rc, r.why ? r.why : "");
    ck_assert_ptr_null(r.out);
    ck_assert_uint_eq(r.diags.nr, 1);
    ck_assert_int_eq(r.diags.v[0].code, LXS_E_MISSING);
    ck_assert_str_eq(r.diags.v[0].key, pt_findings[_i].key);
    ck_assert_str_eq(r.diags.v[0].domain, "pt");
    ck_assert_msg(strstr(r.diags.v[0].message, pt_findings[_i].msg),
                  "%s: %s", pt_findings[_i].what, r.diags.v[0].message);
    for (i = 0; i < r.diags.nr; i++)
        ck_assert_int_eq(r.diags.v[i].severity, LXS_SEV_ERROR);
    pt_dispose(&r);
}
END_TEST

/* Not a device tree: -EBADMSG with a reason, no finding. */
START_TEST(test_module_malformed)
{
    struct lxs_spec spec;
    struct lxs_plan plan;
    struct lxs_diags diags;
    static const char junk[64] = "not a device tree";
    void *host, *out = NULL;
    size_t host_len, len = 0;
    char *why = NULL;

    lxs_spec_init(&spec);
    lxs_plan_init(&plan);
    lxs_diags_init(&diags);
    host = t_fixture("host-pt.dtb", &host_len);
    ck_assert_int_eq(dtg_passthrough_module(host, host_len, &spec, &plan,
                                             junk, sizeof(junk), &diags,
                                             &out, &len, &why), -EBADMSG);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(diags.nr, 0);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "partial device tree"));
    free(why);
    free(host);
    lxs_diags_dispose(&diags);
}
END_TEST

/*
 * The host tree: the xen,path nodes get xen,passthrough (and nothing
 * else does), the domain a multiboot,device-tree module.
 */
START_TEST(test_host_marks_passthrough)
{
    struct dtg_host_opts o;
    struct dtg_domain dom;
    struct lxs_diags diags;
    struct ptrun r;
    void *out = NULL;
    size_t len;
    uint64_t a, s;
    char *why = NULL;
    const char *c;

    pt_run(&r, both, 2, true, 0x60000000, 0x60000000);
    ck_assert_int_eq(r.rc, 0);
    memset(&dom, 0, sizeof(dom));
    r.spec.cmdline = (char *)"console=ttyAMA0";
    r.spec.vcpus = 1;
    dom.spec = &r.spec;
    dom.plan = &r.plan;
    dom.kernel = (struct dtg_module){ MIB(16), 0x42000000, true };
    dom.dtb = (struct dtg_module){ r.len, 0, false };
    dom.pt_fdt = r.out;
    dtg_host_opts_init(&o);
    lxs_diags_init(&diags);
    ck_assert_int_eq(dtg_host_check(r.host, r.host_len, &dom, 1, &o,
                                    &diags), 0);
    ck_assert(dom.dtb.placed);
    ck_assert_int_eq(dtg_host_fdt(r.host, r.host_len, &dom, 1, &o, &out,
                                  &len, &why), 0);
    ck_assert(t_has_prop(out, "/pl011@9000000", "xen,passthrough"));
    ck_assert(t_has_prop(out, "/soc/dma@9200000", "xen,passthrough"));
    ck_assert(!t_has_prop(out, "/iommu@9300000", "xen,passthrough"));
    ck_assert(!t_has_prop(out, "/xlate/dev@0", "xen,passthrough"));
    {
        char path[64];

        snprintf(path, sizeof(path), "/chosen/pt/module@%" PRIx64,
                 dom.dtb.addr);
        c = t_prop(out, path, "compatible", NULL);
        ck_assert_str_eq(c, "multiboot,device-tree");
        ck_assert_str_eq(c + strlen(c) + 1, "multiboot,module");
        t_reg(out, path, "reg", 2, 2, 0, &a, &s);
        ck_assert_uint_eq(a, dom.dtb.addr);
        ck_assert_uint_eq(s, r.len);
    }
    free(out);
    free(why);
    lxs_diags_dispose(&diags);
    pt_dispose(&r);
}
END_TEST

/* Every allocation failure gives -ENOMEM and no module. */
START_TEST(test_module_alloc_failures)
{
    struct ptrun r;
    unsigned long n;
    bool done = false;

    for (n = 1; n < 1000 && !done; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        pt_run(&r, both, 2, false, 0x70000000, 0x40000000);
        lxs__alloc_fail_at = 0;
        if (r.rc == 0 && lxs__alloc_count < n) {
            done = true;
        } else {
            ck_assert_msg(r.rc == -ENOMEM, "failure %lu: rc %d", n, r.rc);
            ck_assert_ptr_null(r.out);
            ck_assert_uint_eq(r.diags.nr, 0);
        }
        pt_dispose(&r);
    }
    ck_assert(done);
}
END_TEST

Suite *passthrough_suite(void)
{
    return unit_suite("passthrough", UNIT_TCASE("module"),
                      UNIT_TESTS(test_module_properties,
                                 test_module_dma_ranges),
                      UNIT_LOOP(test_module_findings, ARRAY_SIZE(pt_findings)),
                      UNIT_TESTS(test_module_malformed,
                                 test_host_marks_passthrough,
                                 test_module_alloc_failures),
                      NULL);
}
