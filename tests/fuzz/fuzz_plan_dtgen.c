/*
 * fuzz-plan-dtgen: cfg files and a DTB together, through the whole
 * path of "plan", "dtgen guest" and "dtgen host".
 *
 * Input: one flags byte, then NUL-terminated cfg texts (one or two),
 * then the DTB (tests/fuzz/mkseeds.sh writes the seeds).  Flags:
 *   bit 0  two cfgs (else one)
 *   bit 1  boot time: lxs_check in LXS_MODE_BOOT, then dtg_host_check
 *          and dtg_host_fdt on the DTB (else run time and the guest DT)
 *   bit 2  the default vGIC is v2 (else v3)
 *   bit 3  run time: the DTB is the guest's partial device tree and the
 *          host is the fixed one; boot time: --pool 0x60000000:256M
 *   bit 4  boot time: each domain has a ramdisk as well as a kernel
 *
 * At boot, the host DT written is read back: it must pass libfdt's
 * checks and the host-map reader, each domain must own exactly the
 * memory planned for it and its modules must be reserved, and checking
 * the same cfgs against it must give the same plans (a domain's own
 * memory is placed first).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "fuzz.h"

#define MAX_CFGS 2

struct input {
    unsigned int flags;
    const char *cfg[MAX_CFGS];
    size_t cfg_len[MAX_CFGS];
    size_t nr;
    const uint8_t *dtb;
    size_t dtb_len;
};

static int split(const uint8_t *data, size_t size, struct input *in)
{
    size_t want, i;
    const uint8_t *nul;

    memset(in, 0, sizeof(*in));
    if (!size)
        return -1;
    in->flags = data[0];
    data++;
    size--;
    want = (in->flags & 1) ? 2 : 1;
    for (i = 0; i < want; i++) {
        nul = memchr(data, '\0', size);
        if (!nul)
            return -1;
        in->cfg[i] = (const char *)data;
        in->cfg_len[i] = (size_t)(nul - data);
        size -= in->cfg_len[i] + 1;
        data = nul + 1;
    }
    in->nr = want;
    in->dtb = data;
    in->dtb_len = size;
    return 0;
}

/* The extents @map has as owned by @name, merged, equal @p's (merged). */
static void check_owned(const struct lxs_hostmap *map, const char *name,
                        const struct lxs_plan *p)
{
    struct lxs_ranges owned, planned;
    size_t i;

    lxs_ranges_init(&owned);
    lxs_ranges_init(&planned);
    for (i = 0; i < map->nr; i++) {
        const struct lxs_region *r = &map->v[i];

        if (r->kind == LXS_REGION_OWNED && r->owner &&
            !strcmp(r->owner, name) &&
            lxs_ranges_add(&owned, r->start, r->end, 0))
            fz_fail("out of memory");
    }
    for (i = 0; i < p->nr_ext; i++)
        if (lxs_ranges_add(&planned, p->ext[i].host,
                           p->ext[i].host + p->ext[i].size, 0))
            fz_fail("out of memory");
    lxs_ranges_merge(&owned);
    lxs_ranges_merge(&planned);
    FZ_ASSERT(owned.nr == planned.nr, "host dt read back: '%s' owns %zu "
              "ranges, %zu planned", name, owned.nr, planned.nr);
    for (i = 0; i < owned.nr; i++)
        FZ_ASSERT(owned.v[i].start == planned.v[i].start &&
                  owned.v[i].end == planned.v[i].end,
                  "host dt read back: '%s' owns [%#" PRIx64 ", %#" PRIx64
                  "), planned [%#" PRIx64 ", %#" PRIx64 ")", name,
                  owned.v[i].start, owned.v[i].end, planned.v[i].start,
                  planned.v[i].end);
    lxs_ranges_dispose(&owned);
    lxs_ranges_dispose(&planned);
}

static void check_module(const struct lxs_hostmap *map,
                         const struct dtg_module *m, const char *name)
{
    if (!m->size)
        return;
    FZ_ASSERT(m->placed, "module of '%s' not placed", name);
    FZ_ASSERT(lxs_ranges_covers(&map->ram, m->addr, m->addr + m->size),
              "module of '%s' at %#" PRIx64 " outside ram", name, m->addr);
}

static int module_hit(const struct lxs_range *hit, void *opaque)
{
    const struct dtg_module *m = opaque;

    return hit->start <= m->addr && m->addr + m->size <= hit->end;
}

static void check_readback(const void *out, size_t out_len,
                           const struct lxs_spec *specs,
                           const struct lxs_plan *plans,
                           const struct dtg_domain *doms, size_t nr,
                           const struct lxs_window *pool)
{
    struct lxs_check_opts opts = { .mode = LXS_MODE_BOOT };
    struct lxs_plan again[MAX_CFGS];
    struct lxs_hostmap map;
    struct lxs_diags diags;
    char *why = NULL;
    size_t i, k;
    int rc;

    rc = fdt_check_full(out, out_len);
    FZ_ASSERT(rc == 0, "host dt fails fdt_check_full: %s", fdt_strerror(rc));
    lxs_hostmap_init(&map);
    rc = lxs_hostmap_from_fdt(&map, out, out_len, &why);
    FZ_ASSERT(rc == 0, "host dt read back: %d (%s)", rc, why ? why : "");
    if (pool)
        FZ_ASSERT(map.pool.nr == 1 && map.pool.v[0].start == pool->base &&
                  map.pool.v[0].end == pool->base + pool->size,
                  "host dt read back: the pool is not --pool's");

    for (i = 0; i < nr; i++) {
        FZ_ASSERT(specs[i].name, "a domain without a name was built");
        check_owned(&map, specs[i].name, &plans[i]);
        check_module(&map, &doms[i].kernel, specs[i].name);
        check_module(&map, &doms[i].ramdisk, specs[i].name);
        for (k = 0; k < 2; k++) {
            const struct dtg_module *m = k ? &doms[i].ramdisk
                                           : &doms[i].kernel;

            if (m->size)
                FZ_ASSERT(lxs_rindex_find(&map.reserved_ix, m->addr,
                                          m->addr + m->size, module_hit,
                                          (void *)m) == 1,
                          "host dt read back: module of '%s' at %#" PRIx64
                          " not reserved", specs[i].name, m->addr);
        }
    }

    /* the same cfgs against the new host: the same plans */
    lxs_diags_init(&diags);
    for (i = 0; i < nr; i++)
        lxs_plan_init(&again[i]);
    rc = lxs_check(&map, specs, nr, &opts, &diags, again);
    fz_check_plans(&map, specs, nr, LXS_MODE_BOOT, rc, &diags, again);
    FZ_ASSERT(rc == 0, "the cfgs fail against the host dt made for them "
              "(%zu findings, first: %s: %s)", diags.nr,
              diags.nr ? lxs_code_name(diags.v[0].code) : "",
              diags.nr ? diags.v[0].message : "");
    for (i = 0; i < nr; i++) {
        FZ_ASSERT(again[i].nr_ext == plans[i].nr_ext &&
                  (!plans[i].nr_ext ||
                   !memcmp(again[i].ext, plans[i].ext,
                           plans[i].nr_ext * sizeof(*plans[i].ext))),
                  "'%s' planned differently against the host dt made "
                  "for it", specs[i].name);
        lxs_plan_dispose(&again[i]);
    }
    lxs_diags_dispose(&diags);
    free(why);
    lxs_hostmap_dispose(&map);
}

static void boot(const struct input *in, struct lxs_spec *specs,
                 struct lxs_hostmap *map, struct lxs_diags *diags)
{
    static const struct lxs_window pool = { 0x60000000, 256u << 20 };
    struct lxs_check_opts opts = { .mode = LXS_MODE_BOOT };
    struct lxs_plan plans[MAX_CFGS];
    struct dtg_domain doms[MAX_CFGS];
    struct dtg_host_opts hopts;
    void *out = NULL;
    size_t i, len = 0, errors, first;
    char *why = NULL;
    int rc, rc2;

    dtg_host_opts_init(&hopts);
    if (in->flags & 8) {
        hopts.pools = &pool;
        hopts.nr_pools = 1;
        rc = dtg_hostmap_set_pools(map, &pool, 1);
        FZ_ASSERT(rc == 0, "dtg_hostmap_set_pools: %d", rc);
    }
    for (i = 0; i < in->nr; i++) {
        lxs_plan_init(&plans[i]);
        /* a kernel module is given below, as dtgen host's --kernel does */
        if (!specs[i].kernel && !(specs[i].kernel = strdup("Image")))
            fz_fail("out of memory");
    }
    rc = lxs_check(map, specs, in->nr, &opts, diags, plans);
    fz_check_plans(map, specs, in->nr, LXS_MODE_BOOT, rc, diags, plans);

    memset(doms, 0, sizeof(doms));
    for (i = 0; i < in->nr; i++) {
        doms[i].spec = &specs[i];
        doms[i].plan = &plans[i];
        doms[i].kernel.size = 0x1234567;
        if (in->flags & 16)
            doms[i].ramdisk.size = 0x200000;
    }
    errors = diags->nr_errors;
    first = diags->nr;
    rc2 = dtg_host_check(in->dtb, in->dtb_len, doms, in->nr, &hopts, diags);
    FZ_ASSERT(rc2 == 0 || rc2 == -EINVAL || rc2 == -EBADMSG,
              "dtg_host_check returned %d", rc2);
    fz_check_diags(diags);
    /* its own findings: lxs_check's are in @diags already */
    FZ_ASSERT(rc2 == -EBADMSG ||
              (rc2 == -EINVAL) == (diags->nr_errors > errors),
              "dtg_host_check returned %d with %zu new errors", rc2,
              diags->nr_errors - errors);
    /*
     * One validator (issue 14): after a clean lxs_check, dtgen host's
     * own findings are only about what lxs_check does not see: the
     * boot modules, --pool and the host DT's own /chosen nodes.
     */
    if (!rc)
        for (i = first; i < diags->nr; i++) {
            const struct lxs_diag *d = &diags->v[i];

            FZ_ASSERT(d->key && (!strcmp(d->key, "kernel") ||
                                 !strcmp(d->key, "ramdisk") ||
                                 !strcmp(d->key, "--pool") ||
                                 (!strcmp(d->key, "name") &&
                                  d->code == LXS_E_CONFLICT)),
                      "check --boot passed, dtgen host found %s: %s: %s",
                      lxs_code_name(d->code), d->key ? d->key : "",
                      d->message);
        }
    if (rc || rc2)
        goto out;

    rc = dtg_host_fdt(in->dtb, in->dtb_len, doms, in->nr, &hopts, &out, &len,
                      &why);
    FZ_ASSERT(rc == 0, "dtg_host_fdt after clean checks: %d (%s)", rc,
              why ? why : "");
    FZ_ASSERT(!why, "dtg_host_fdt: a message on success");
    check_readback(out, len, specs, plans, doms, in->nr,
                   (in->flags & 8) ? &pool : NULL);
out:
    free(out);
    free(why);
    for (i = 0; i < in->nr; i++)
        lxs_plan_dispose(&plans[i]);
}

static void runtime(const struct input *in, const struct lxs_spec *specs,
                    const struct lxs_hostmap *map, struct lxs_diags *diags)
{
    struct lxs_check_opts opts = { .mode = LXS_MODE_RUNTIME };
    struct lxs_plan plans[MAX_CFGS];
    size_t i;
    int rc;

    for (i = 0; i < in->nr; i++)
        lxs_plan_init(&plans[i]);
    rc = lxs_check(map, specs, in->nr, &opts, diags, plans);
    fz_check_plans(map, specs, in->nr, LXS_MODE_RUNTIME, rc, diags, plans);
    for (i = 0; i < in->nr; i++) {
        if (plans[i].nr_ext)
            fz_guest_fdt(&specs[i], &plans[i], (in->flags & 4) ? 2 : 3,
                         (in->flags & 8) ? in->dtb : NULL,
                         (in->flags & 8) ? in->dtb_len : 0);
        lxs_plan_dispose(&plans[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const labels[MAX_CFGS] = { "a.cfg", "b.cfg" };
    struct lxs_spec specs[MAX_CFGS];
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct input in;
    uint8_t *aligned;
    char *why = NULL;
    size_t i;
    int rc;

    if (split(data, size, &in))
        return 0;
    /* libfdt wants blobs 8-byte aligned; the commands read them so */
    aligned = malloc(in.dtb_len ? in.dtb_len : 1);
    if (!aligned)
        fz_fail("out of memory");
    if (in.dtb_len)
        memcpy(aligned, in.dtb, in.dtb_len);
    in.dtb = aligned;
    lxs_hostmap_init(&map);
    lxs_diags_init(&diags);
    for (i = 0; i < MAX_CFGS; i++)
        lxs_spec_init(&specs[i]);

    for (i = 0; i < in.nr; i++) {
        rc = lxs_cfg_parse_data(labels[i], in.cfg[i], in.cfg_len[i],
                                &specs[i], &diags);
        FZ_ASSERT(rc == 0, "lxs_cfg_parse_data returned %d", rc);
    }

    if ((in.flags & 10) == 8) {
        runtime(&in, specs, fz_fixed_hostmap(), &diags);
        goto out;
    }
    rc = lxs_hostmap_from_fdt(&map, in.dtb, in.dtb_len, &why);
    if (rc)
        goto out;
    if (in.flags & 2)
        boot(&in, specs, &map, &diags);
    else
        runtime(&in, specs, &map, &diags);
out:
    free(why);
    free(aligned);
    for (i = 0; i < MAX_CFGS; i++)
        lxs_spec_dispose(&specs[i]);
    lxs_diags_dispose(&diags);
    lxs_hostmap_dispose(&map);
    return 0;
}
