/*
 * xlsg, libxenlight side: a domain's spec from its libxl configuration,
 * the host map in dom0 (host DTB, the live query of the static pool and
 * the reservation registry), validation and planning, dtgen's guest
 * layout, and the reservation of what a domain was given.  Thin: the
 * rules are libxlstatic's and dtgen's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlsg.h"
#include "lxs_hv.h"


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

static unsigned int rename_restart(libxl_action_on_shutdown action,
                                   unsigned int bit)
{
    return action == LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME ? bit : 0;
}

/* The static_mem items of the build info into @spec.  0 or -ENOMEM. */
static int static_mem_from_config(const libxl_static_mem_extent *v, int nr,
                                  struct lxs_spec *spec)
{
    int i, r;

    spec->static_mem = calloc(nr, sizeof(*spec->static_mem));
    if (!spec->static_mem)
        return -ENOMEM;
    spec->has_static_mem = true;
    for (i = 0; i < nr; i++) {
        const libxl_static_mem_extent *e = &v[i];
        struct lxs_mem_spec *m = &spec->static_mem[i];

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
            return -ENOMEM;
        }
        spec->nr_static_mem = i + 1;
    }
    return 0;
}

int xlsg_spec_from_config(const libxl_domain_config *d_config,
                          struct lxs_spec *spec_r)
{
    const libxl_domain_build_info *b = &d_config->b_info;
    const typeof(b->arch_arm) *a = &b->arch_arm;
    struct lxs_spec spec;
    int rc;

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
    /* xl makes "maxmem" "memory" when it is not given */
    if (b->max_memkb != LIBXL_MEMKB_DEFAULT &&
        b->max_memkb != b->target_memkb) {
        spec.has_maxmem = true;
        spec.maxmem_size = b->max_memkb * UINT64_C(1024);
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
        rc = static_mem_from_config(a->static_mem, a->num_static_mem, &spec);
        if (rc)
            goto out;
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
    spec.rename_restart =
        rename_restart(d_config->on_poweroff, LXS_ON_POWEROFF) |
        rename_restart(d_config->on_reboot, LXS_ON_REBOOT) |
        rename_restart(d_config->on_crash, LXS_ON_CRASH) |
        rename_restart(d_config->on_watchdog, LXS_ON_WATCHDOG) |
        rename_restart(d_config->on_soft_reset, LXS_ON_SOFT_RESET);
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
/* The host map                                                        */

/* Names owners for lxs_hv_map_to_hostmap, which copies the name. */
struct namer {
    xlsg_name_fn name_of;
    void *opaque;
    char *last;
};

static const char *namer_name(uint32_t domid, void *opaque)
{
    struct namer *n = opaque;

    free(n->last);
    n->last = n->name_of ? n->name_of(domid, n->opaque) : NULL;
    return n->last;
}

/*
 * The live state of the pool through libxlstatic's hypervisor calls.
 * With @owned_only, just the extents claimed from the pool at run time
 * (the host DTB has everything else).
 */
static int live_add(struct lxs_hostmap *map, bool owned_only,
                    xlsg_name_fn name_of, void *opaque)
{
    struct lxs_hv *hv = NULL;
    struct lxs_hv_map m, sel;
    struct namer n = { name_of, opaque, NULL };
    size_t i;
    int rc;

    lxs_hv_map_init(&m);
    lxs_hv_map_init(&sel);

    rc = lxs_hv_open(&hv, NULL);
    if (rc)
        goto out;
    rc = lxs_hv_query(hv, &m);
    if (rc)
        goto out;
    if (owned_only) {
        sel.v = calloc(m.nr ? m.nr : 1, sizeof(*sel.v));
        if (!sel.v) {
            rc = -ENOMEM;
            goto out;
        }
        sel.alloc = m.nr;
        for (i = 0; i < m.nr; i++)
            if (m.v[i].type == LXS_HV_OWNED && (m.v[i].flags & LXS_HV_F_POOL))
                sel.v[sel.nr++] = m.v[i];
        sel.generation = m.generation;
    }
    rc = lxs_hv_map_to_hostmap(owned_only ? &sel : &m, map, namer_name, &n);

out:
    free(n.last);
    lxs_hv_map_dispose(&sel);
    lxs_hv_map_dispose(&m);
    lxs_hv_close(hv);
    return rc;
}

/* The registry's reservations, read under its shared lock, into @map. */
static int registry_add(struct lxs_hostmap *map, char **why_r)
{
    struct lxs_registry reg;
    char *why = NULL;
    int rc;

    lxs_registry_init(&reg);
    rc = lxs_registry_open(&reg, lxs_registry_dir(NULL), 0, &why);
    if (!rc)
        rc = lxs_registry_add_to_hostmap(&reg, map);
    else if (why_r && why)
        rc = asprintf(why_r, "reservation registry: %s", why) < 0 ?
             -ENOMEM : rc;
    free(why);
    lxs_registry_close(&reg);
    return rc;
}

int xlsg_reserve(const char *name, bool direct_map,
                 const struct lxs_extent *ext, size_t nr, char **why_r)
{
    struct lxs_registry reg;
    const struct lxs_reservation *had, *other;
    struct lxs_plan plan;
    char *why = NULL;
    size_t i;
    int rc;

    lxs_registry_init(&reg);
    lxs_plan_init(&plan);
    if (why_r)
        *why_r = NULL;

    rc = lxs_registry_open(&reg, lxs_registry_dir(NULL), LXS_REGISTRY_WRITE,
                           &why);
    if (rc)
        goto out;

    /* The registry takes a plan: this one borrows @ext. */
    plan.direct_map = direct_map;
    plan.ext = (struct lxs_extent *)ext;
    plan.nr_ext = nr;
    had = lxs_registry_find(&reg, name);
    /* re-created with the extents it had: nothing to commit */
    rc = had && lxs_reservation_is(had, &plan) ? 0 :
         lxs_registry_set(&reg, name, &plan);
    plan.ext = NULL;
    plan.nr_ext = 0;
    if (rc == -EBUSY) {
        for (i = 0, other = NULL; i < nr && !other; i++)
            other = lxs_registry_conflict(&reg, name, ext[i].host,
                                          ext[i].host + ext[i].size);
        if (asprintf(&why, "overlaps the reservation of '%s'",
                     other ? other->name : "?") < 0)
            why = NULL;
        goto out;
    }
    if (rc)
        goto out;
    rc = lxs_registry_commit(&reg, &why);

out:
    if (rc && why_r) {
        *why_r = why;
        why = NULL;
    }
    free(why);
    lxs_plan_dispose(&plan);
    lxs_registry_close(&reg);
    return rc;
}

int xlsg_hostmap(xlsg_name_fn name_of, void *opaque,
                 struct lxs_hostmap *map_r, char **why_r)
{
    struct lxs_hostmap map;
    const char *path = lxs_host_dtb_path(NULL);
    bool have_dtb;
    int rc;

    lxs_hostmap_init(&map);
    if (why_r)
        *why_r = NULL;

    rc = lxs_hostmap_from_file(&map, path, why_r);
    if (rc && rc != -ENOENT)
        goto out;
    have_dtb = !rc;

    rc = live_add(&map, have_dtb, name_of, opaque);
    if (rc == -EOPNOTSUPP || rc == -ENOENT) {
        /* Not on a patched Xen: the host DTB alone, if there is one. */
        rc = have_dtb ? 0 : -ENOSYS;
    }
    if (rc)
        goto out;

    /* Reservations by name that outlive their domains. */
    rc = registry_add(&map, why_r);
    if (rc)
        goto out;

    /*
     * Hand the map over.  Its overlap indexes point at the sets inside
     * the struct, so they are rebuilt where the map now lives.
     */
    lxs_hostmap_dispose(map_r);
    *map_r = map;
    lxs_hostmap_init(&map);
    rc = lxs_hostmap_finish(map_r);
    if (rc)
        lxs_hostmap_dispose(map_r);

out:
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
                const void *pfdt, size_t plen,
                struct dtg_guest_layout *layout_r, char **why_r)
{
    struct dtg_guest_opts opts;

    dtg_guest_opts_init(&opts);
    if (ipa_bits)
        opts.ipa_bits = ipa_bits;
    opts.partial_fdt = pfdt;
    opts.partial_len = plen;
    return dtg_guest_layout(plan, &opts, layout_r, why_r);
}
