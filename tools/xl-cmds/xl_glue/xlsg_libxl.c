/*
 * xlsg, libxenlight side: a domain's spec from its libxl configuration,
 * the host map in dom0 (host DTB plus the live query of the static
 * pool), validation and planning, and dtgen's guest layout.  Thin: the
 * rules are libxlstatic's and dtgen's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/static_extent.h>

#include "xlsg.h"

#define XLSG_HOST_DTB_ENV     "XL_STATIC_HOST_DTB"
#define XLSG_HOST_DTB_DEFAULT "/etc/xen/host.dtb"
#define XLSG_PAGE_SHIFT       12

bool xlsg_wants_static(const libxl_domain_build_info *b_info)
{
    const typeof(b_info->arch_arm) *a = &b_info->arch_arm;

    return a->static_direct_map ||
           a->static_rambase_pfn != LIBXL_STATIC_RAMBASE_PFN_NONE ||
           a->num_static_mem || a->static_mem_chunk_kb;
}

static int xstrdup(const char *s, char **r)
{
    if (!s) {
        *r = NULL;
        return 0;
    }
    *r = strdup(s);
    return *r ? 0 : -ENOMEM;
}

int xlsg_spec_from_config(const libxl_domain_config *d_config,
                          struct lxs_spec *spec_r)
{
    const libxl_domain_build_info *b = &d_config->b_info;
    const typeof(b->arch_arm) *a = &b->arch_arm;
    struct lxs_spec spec;
    int i, rc;

    lxs_spec_init(&spec);

    rc = xstrdup(d_config->c_info.name, &spec.name);
    if (rc)
        goto out;
    if (spec.name && asprintf(&spec.file, "%s.cfg", spec.name) < 0) {
        spec.file = NULL;
        rc = -ENOMEM;
        goto out;
    }

    if (b->target_memkb != LIBXL_MEMKB_DEFAULT) {
        spec.has_memory = true;
        spec.memory_size = b->target_memkb * UINT64_C(1024);
    }
    spec.direct_map = a->static_direct_map;
    if (a->static_rambase_pfn != LIBXL_STATIC_RAMBASE_PFN_NONE) {
        spec.has_rambase = true;
        spec.rambase_pfn = a->static_rambase_pfn;
    }
    if (a->static_mem_chunk_kb) {
        spec.has_mem_chunk = true;
        spec.mem_chunk_size = a->static_mem_chunk_kb * UINT64_C(1024);
    }
    if (a->num_static_mem) {
        spec.static_mem = calloc(a->num_static_mem, sizeof(*spec.static_mem));
        if (!spec.static_mem) {
            rc = -ENOMEM;
            goto out;
        }
        spec.has_static_mem = true;
        for (i = 0; i < a->num_static_mem; i++) {
            const libxl_static_mem_extent *e = &a->static_mem[i];
            struct lxs_mem_spec *m = &spec.static_mem[i];
            int r;

            m->addr = e->host_addr;
            m->size = e->size;
            m->has_gaddr = e->guest_addr != LIBXL_STATIC_MEM_NO_GUEST_ADDR;
            m->gaddr = m->has_gaddr ? e->guest_addr : 0;
            if (m->has_gaddr)
                r = asprintf(&m->text, "0x%"PRIx64":0x%"PRIx64"@0x%"PRIx64,
                             m->addr, m->size, m->gaddr);
            else
                r = asprintf(&m->text, "0x%"PRIx64":0x%"PRIx64,
                             m->addr, m->size);
            if (r < 0) {
                m->text = NULL;
                rc = -ENOMEM;
                goto out;
            }
            spec.nr_static_mem = i + 1;
        }
    }

    spec.vcpus = b->max_vcpus ? b->max_vcpus : 1;
    switch (a->gic_version) {
    case LIBXL_GIC_VERSION_V2:
        spec.gic_version = 2;
        break;
    case LIBXL_GIC_VERSION_V3:
        spec.gic_version = 3;
        break;
    default:
        spec.gic_version = 0;
        break;
    }
    spec.vuart_sbsa = a->vuart == LIBXL_VUART_TYPE_SBSA_UART;
    spec.has_dtdev = d_config->num_dtdevs > 0;
    spec.has_passthrough = spec.has_dtdev || b->num_iomem || b->num_irqs ||
                           b->device_tree;
    rc = xstrdup(b->device_tree, &spec.device_tree);
    if (rc)
        goto out;

    lxs_spec_dispose(spec_r);
    *spec_r = spec;
    lxs_spec_init(&spec);
    rc = 0;

out:
    lxs_spec_dispose(&spec);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The live query                                                      */

struct live {
    struct xen_static_extent_entry *v;
    size_t nr;
};

/* Reads the whole list, starting over when it changes under us. */
static int live_read(xc_interface *xch, struct live *l)
{
    struct xen_static_extent_query q;
    struct xen_static_extent_entry *v = NULL, *nv;
    size_t nr = 0;
    uint64_t gen = 0;
    unsigned int tries = 0;
    uint32_t start = 0;
    int rc;

    for (;;) {
        memset(&q, 0, sizeof(q));
        q.start = start;
        if (xc_static_extent_query(xch, &q)) {
            rc = -errno;
            goto out;
        }
        if (start && q.generation != gen) {
            if (++tries > 8) {
                rc = -EAGAIN;
                goto out;
            }
            nr = 0;
            start = 0;
            continue;
        }
        gen = q.generation;
        if (q.nr_entries > XEN_STATIC_EXTENT_QUERY_NR) {
            rc = -EPROTO;
            goto out;
        }
        if (q.nr_entries) {
            nv = realloc(v, (nr + q.nr_entries) * sizeof(*v));
            if (!nv) {
                rc = -ENOMEM;
                goto out;
            }
            v = nv;
            memcpy(v + nr, q.entries, q.nr_entries * sizeof(*v));
            nr += q.nr_entries;
        }
        if (q.next == XEN_STATIC_EXTENT_QUERY_DONE || !q.nr_entries)
            break;
        start = q.next;
    }

    l->v = v;
    l->nr = nr;
    v = NULL;
    rc = 0;

out:
    free(v);
    return rc;
}

static int live_add(struct lxs_hostmap *map, const struct live *l,
                    bool owned_only, xlsg_name_fn name_of, void *opaque)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < l->nr && !rc; i++) {
        const struct xen_static_extent_entry *e = &l->v[i];
        uint64_t start, end, end_mfn;
        unsigned int flags = 0;
        char *owner = NULL;

        if (e->nr_mfns == 0 || e->start_mfn > (UINT64_MAX >> XLSG_PAGE_SHIFT) ||
            e->nr_mfns > (UINT64_MAX >> XLSG_PAGE_SHIFT) - e->start_mfn)
            return -EPROTO;
        end_mfn = e->start_mfn + e->nr_mfns;
        start = e->start_mfn << XLSG_PAGE_SHIFT;
        end = end_mfn << XLSG_PAGE_SHIFT;

        switch (e->type) {
        case XEN_STATIC_EXTENT_TYPE_ram:
            if (!owned_only)
                rc = lxs_hostmap_add(map, LXS_REGION_RAM, start, end, 0,
                                     "live", NULL);
            break;
        case XEN_STATIC_EXTENT_TYPE_pool_free:
            if (!owned_only)
                rc = lxs_hostmap_add(map, LXS_REGION_POOL, start, end, 0,
                                     "live", NULL);
            break;
        case XEN_STATIC_EXTENT_TYPE_reserved:
            if (owned_only)
                break;
            if (e->flags & XEN_STATIC_EXTENT_F_memreserve)
                flags |= LXS_RESV_MEMRESERVE;
            if (e->flags & XEN_STATIC_EXTENT_F_static_heap)
                flags |= LXS_RESV_STATIC_HEAP;
            rc = lxs_hostmap_add(map, LXS_REGION_RESERVED, start, end, flags,
                                 "live", NULL);
            break;
        case XEN_STATIC_EXTENT_TYPE_owned:
            /* With the host DTB, boot-time banks are already in the map. */
            if (owned_only && !(e->flags & XEN_STATIC_EXTENT_F_pool))
                break;
            if (name_of)
                owner = name_of(e->owner, opaque);
            if (!owner && asprintf(&owner, "domid %u", e->owner) < 0)
                return -ENOMEM;
            rc = lxs_hostmap_add(map, LXS_REGION_OWNED, start, end, 0,
                                 "live", owner);
            if (!rc && !owned_only && (e->flags & XEN_STATIC_EXTENT_F_pool))
                rc = lxs_hostmap_add(map, LXS_REGION_POOL, start, end, 0,
                                     "live", NULL);
            free(owner);
            break;
        default:
            break;
        }
    }
    return rc;
}

int xlsg_hostmap(xc_interface *xch, xlsg_name_fn name_of, void *opaque,
                 struct lxs_hostmap *map_r, char **why_r)
{
    struct lxs_hostmap map;
    struct live l = { NULL, 0 };
    const char *path = getenv(XLSG_HOST_DTB_ENV);
    bool have_dtb, have_live = false;
    int rc;

    lxs_hostmap_init(&map);
    if (why_r)
        *why_r = NULL;
    if (!path || !*path)
        path = XLSG_HOST_DTB_DEFAULT;

    rc = lxs_hostmap_from_file(&map, path, why_r);
    if (rc && rc != -ENOENT)
        goto out;
    have_dtb = !rc;

    if (xch) {
        rc = live_read(xch, &l);
        if (!rc)
            have_live = true;
        else if (rc != -ENOSYS && rc != -EOPNOTSUPP)
            goto out;
    }
    if (!have_dtb && !have_live) {
        rc = -ENOSYS;
        goto out;
    }
    if (have_live) {
        rc = live_add(&map, &l, have_dtb, name_of, opaque);
        if (rc)
            goto out;
        rc = lxs_hostmap_finish(&map);
        if (rc)
            goto out;
    }

    lxs_hostmap_dispose(map_r);
    *map_r = map;
    lxs_hostmap_init(&map);
    rc = 0;

out:
    free(l.v);
    lxs_hostmap_dispose(&map);
    return rc;
}

int xlsg_plan(const struct lxs_hostmap *map, const struct lxs_spec *spec,
              struct lxs_plan *plan_r, struct lxs_diags *diags)
{
    struct lxs_check_opts opts = { .mode = LXS_MODE_RUNTIME };

    return lxs_check(map, spec, 1, &opts, diags, plan_r);
}

char *xlsg_diag_line(const struct lxs_diag *d)
{
    const char *code = lxs_code_name(d->code);
    char *s;
    int r;

    r = asprintf(&s, "%s: %s: %s%s%s%s%s%s",
                 d->severity == LXS_SEV_WARNING ? "warning" : "error",
                 code ? code : "?",
                 d->key ? d->key : "", d->key ? ": " : "",
                 d->message ? d->message : "",
                 d->domain ? " (domain '" : "",
                 d->domain ? d->domain : "", d->domain ? "')" : "");
    return r < 0 ? NULL : s;
}

int xlsg_layout(const struct lxs_plan *plan, unsigned int ipa_bits,
                struct dtg_guest_layout *layout_r, char **why_r)
{
    struct dtg_guest_opts opts;

    dtg_guest_opts_init(&opts);
    if (ipa_bits)
        opts.ipa_bits = ipa_bits;
    return dtg_guest_layout(plan, &opts, layout_r, why_r);
}
