/*
 * The dom0less host device tree: the host DTB Xen boots with, edited
 * with libfdt's read-write functions so that /chosen carries one
 * "xen,domain" node per domain (Xen 4.17 docs/misc/arm/device-tree/
 * booting.txt) and the static pool.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtg_internal.h"
#include "lxs_internal.h"

#define DOM_AC 2
#define DOM_SC 2

/* a half-open range in findings, as lxs_check writes them */
#define RFMT "[0x%" PRIx64 ", 0x%" PRIx64 ")"

/* Xen 4.17's cells for a root without #address-cells/#size-cells */
#define DEFAULT_AC 2
#define DEFAULT_SC 1

void dtg_host_opts_init(struct dtg_host_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->module_align = DTG_MIB(2);
}

static const char *dom_name(const struct dtg_domain *d)
{
    return d->spec->name;
}

/*
 * A domain's modules, in the flat lists of the checks and the placement
 * (kernel, ramdisk, device tree, kernel, ...): their cfg key and name.
 */
#define NR_MODS 3
static const char *const mod_key[NR_MODS] = {
    "kernel", "ramdisk", "device_tree",
};
static const char *const mod_what[NR_MODS] = {
    "kernel", "ramdisk", "device-tree",
};

static struct dtg_module *dom_mod(struct dtg_domain *d, size_t kind)
{
    return kind == 0 ? &d->kernel : kind == 1 ? &d->ramdisk : &d->dtb;
}

/* /chosen/<name> exactly (fdt_subnode_offset ignores a unit address). */
static int chosen_child(const void *fdt, int chosen, const char *name)
{
    int node;

    fdt_for_each_subnode(node, fdt, chosen) {
        const char *n = fdt_get_name(fdt, node, NULL);

        if (n && !strcmp(n, name))
            return node;
    }
    return node;
}

/*
 * A writable copy of @in with @extra bytes of room.  -EBADMSG when @in
 * is not a sound tree of at most @in_len bytes.
 *
 * fdt_open_into() lays the blocks out again when @in has them out of
 * order, and then needs the sum of their sizes, which can be more than
 * fdt_totalsize() when they overlap (a valid blob may share bytes
 * between the blocks): a second try gets room for all three apart.
 */
static int open_copy(const void *in, size_t in_len, size_t extra,
                     void **buf_r, size_t *size_r, char **why)
{
    size_t size, total;
    void *buf = NULL;
    int r, attempt;

    r = lxs__fdt_check_full(in, in_len);
    if (r) {
        lxs__why(why, "host device tree is malformed: %s", fdt_strerror(r));
        return -EBADMSG;
    }
    total = fdt_totalsize(in);
    for (attempt = 0; ; attempt++) {
        /* header, then memory reservations, structure and strings */
        size = (attempt ? 3 * total + 64 : total) + extra;
        if (size > INT32_MAX)
            return -E2BIG;
        buf = lxs__malloc(size);
        if (!buf)
            return -ENOMEM;
        r = fdt_open_into(in, buf, (int)size);
        if (r != -FDT_ERR_NOSPACE || attempt)
            break;
        free(buf);
    }
    if (r) {
        free(buf);
        lxs__why(why, "cannot open the host device tree: %s",
                 fdt_strerror(r));
        return dtg__fdt_errno(r);
    }
    *buf_r = buf;
    *size_r = size;
    return 0;
}

/*
 * Deletes /chosen/<name> of every domain (the nodes it will replace);
 * -FDT_ERR_EXISTS when one is not a xen,domain node.
 */
static int delete_domain_nodes(void *fdt, const struct dtg_domain *doms,
                               size_t nr)
{
    int chosen, node, r;
    size_t i;

    chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND)
        return 0;
    if (chosen < 0)
        return chosen;
    for (i = 0; i < nr; i++) {
        if (!dom_name(&doms[i]))
            continue;
        node = chosen_child(fdt, chosen, dom_name(&doms[i]));
        if (node == -FDT_ERR_NOTFOUND)
            continue;
        if (node < 0)
            return node;
        /* only a domain node is replaced (dtg_host_check reports it) */
        if (fdt_node_check_compatible(fdt, node, "xen,domain") != 0)
            return -FDT_ERR_EXISTS;
        r = fdt_del_node(fdt, node);
        if (r)
            return r;
        /* offsets after the deleted node moved */
        chosen = fdt_path_offset(fdt, "/chosen");
        if (chosen < 0)
            return chosen;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Checks and module placement                                         */

struct hctx {
    const struct dtg_domain *doms;
    size_t nr;
    const struct dtg_host_opts *opts;
    struct lxs_diags *diags;
    struct lxs_hostmap map;     /* of the input without replaced nodes */
    unsigned int root_ac;       /* the root's cells: xen,static-pool's */
    unsigned int root_sc;
};

static int diag(struct hctx *h, const struct dtg_domain *d,
                enum lxs_code code, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int diag(struct hctx *h, const struct dtg_domain *d,
                enum lxs_code code, const char *key, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = lxs_diag_vadd(h->diags, LXS_SEV_ERROR, code,
                       d ? d->spec->file : NULL, d ? d->spec->name : NULL,
                       key, fmt, ap);
    va_end(ap);
    return rc;
}

/*
 * Names become node names under /chosen: lxs_check (LXS_MODE_BOOT) has
 * checked them.  A node of that name in the input must be a domain
 * node, which the edit replaces.
 */
static int check_names(struct hctx *h, const void *in)
{
    int chosen = fdt_path_offset(in, "/chosen");
    size_t i;
    int rc;

    if (chosen < 0)
        return 0;
    for (i = 0; i < h->nr; i++) {
        const struct dtg_domain *d = &h->doms[i];
        const char *name = dom_name(d);
        int node;

        if (!name || !lxs__dt_node_name_ok(name))
            continue;
        node = chosen_child(in, chosen, name);
        if (node >= 0 &&
            fdt_node_check_compatible(in, node, "xen,domain") != 0) {
            rc = diag(h, d, LXS_E_CONFLICT, "name",
                      "/chosen/%s exists and is not a xen,domain node",
                      name);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/*
 * The cells of / and /chosen, which dtg_host_fdt() reads to rewrite
 * /chosen in 2/2 cells and to write xen,static-pool in the root's: 1 or
 * 2 each, as everywhere else.  The host-map reader only meets them
 * through a property they apply to, so a /chosen whose cells are bad
 * but apply to nothing it reads passes it.  The root's in *@ac_r, *@sc_r.
 */
static int check_chosen_cells(const void *fdt, unsigned int *ac_r,
                              unsigned int *sc_r)
{
    unsigned int ac = DEFAULT_AC, sc = DEFAULT_SC;
    int chosen, r;

    r = dtg__node_cells(fdt, 0, &ac, &sc);
    if (r)
        return r;
    *ac_r = ac;
    *sc_r = sc;
    chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND)
        return 0;
    if (chosen < 0)
        return chosen;
    return dtg__node_cells(fdt, chosen, &ac, &sc);
}

/* Reports [start, end) against what it must not overlap. */
struct overlap_ctx {
    struct hctx *h;
    const struct dtg_domain *d;
    const char *key;
    const char *what;
    uint64_t start, end;
    bool allow_same_module;
    bool found;
    int rc;
};

static int overlap_hit(const struct lxs_range *hit, void *opaque)
{
    struct overlap_ctx *o = opaque;
    const struct lxs_region *reg = &o->h->map.v[hit->tag];
    enum lxs_code code;

    /* Xen shares one boot module between domains (add_boot_module) */
    if (o->allow_same_module && (reg->flags & LXS_RESV_MODULE) &&
        reg->start == o->start && reg->end == o->end)
        return 0;

    code = reg->kind == LXS_REGION_OWNED ? LXS_E_OVERLAP_DOMAIN
                                          : LXS_E_OVERLAP_RESERVED;
    o->found = true;
    if (code == LXS_E_OVERLAP_DOMAIN)
        o->rc = diag(o->h, o->d, code, o->key,
                     "%s at " RFMT " overlaps memory of domain '%s' ('%s') "
                     RFMT, o->what, o->start, o->end,
                     reg->owner ? reg->owner : "?",
                     reg->label ? reg->label : "?", reg->start, reg->end);
    else
        o->rc = diag(o->h, o->d, code, o->key,
                     "%s at " RFMT " overlaps reserved region '%s' " RFMT,
                     o->what, o->start, o->end,
                     reg->label ? reg->label : "?", reg->start, reg->end);
    return o->rc ? o->rc : 0;
}

/*
 * Checks that [start, end) is RAM and free of reserved and owned
 * memory; true in *ok_r when so.
 */
static int check_range(struct hctx *h, const struct dtg_domain *d,
                       const char *key, const char *what, uint64_t start,
                       uint64_t end, bool is_module, bool *ok_r)
{
    struct overlap_ctx o = {
        .h = h, .d = d, .key = key, .what = what, .start = start,
        .end = end, .allow_same_module = is_module,
    };
    int rc;

    *ok_r = false;
    if (!lxs_ranges_covers(&h->map.ram, start, end))
        return diag(h, d, LXS_E_OUTSIDE_RAM, key,
                    "%s at " RFMT " is not inside host ram", what, start,
                    end);
    rc = lxs_rindex_find(&h->map.reserved_ix, start, end, overlap_hit, &o);
    if (rc)
        return rc;
    rc = lxs_rindex_find(&h->map.owned_ix, start, end, overlap_hit, &o);
    if (rc)
        return rc;
    *ok_r = !o.found;
    return 0;
}

/*
 * The pools as xen,static-pool lists them: sorted, overlapping and
 * adjacent ones merged.  0 or -ENOMEM.
 */
static int pool_ranges(const struct dtg_host_opts *o, struct lxs_ranges *out)
{
    size_t i;

    for (i = 0; i < o->nr_pools; i++) {
        if (lxs_ranges_add(out, o->pools[i].base,
                           o->pools[i].base + o->pools[i].size, 0))
            return -ENOMEM;
    }
    lxs_ranges_merge(out);
    return 0;
}

/*
 * xen,static-pool is read with the root's cells: each merged range must
 * fit them (with one cell, an address or size up to 4 GiB - 1).  Called
 * once every pool is known to be well formed.
 */
static int check_pool_cells(struct hctx *h)
{
    struct lxs_ranges pools;
    size_t i;
    int rc;

    lxs_ranges_init(&pools);
    rc = pool_ranges(h->opts, &pools);
    for (i = 0; !rc && i < pools.nr; i++) {
        uint64_t base = pools.v[i].start;
        uint64_t size = pools.v[i].end - base;

        if (dtg__fits_cells(base, h->root_ac) &&
            dtg__fits_cells(size, h->root_sc))
            continue;
        rc = diag(h, NULL, LXS_E_OVERFLOW, "--pool",
                  "pool " RFMT " does not fit the root's %u address and %u "
                  "size cells, which xen,static-pool is read with",
                  base, pools.v[i].end, h->root_ac, h->root_sc);
    }
    lxs_ranges_dispose(&pools);
    return rc;
}

static int check_pools(struct hctx *h)
{
    const struct dtg_host_opts *opts = h->opts;
    size_t i, errors_before = h->diags->nr_errors;
    int rc;

    for (i = 0; i < opts->nr_pools; i++) {
        const struct lxs_window *w = &opts->pools[i];
        uint64_t end;
        bool ok;

        if (!w->size || (w->base | w->size) & (LXS_PAGE_SIZE - 1)) {
            rc = diag(h, NULL, LXS_E_MISALIGNED, "--pool",
                      "pool '0x%" PRIx64 ":0x%" PRIx64 "' is empty or "
                      "not 4K aligned", w->base, w->size);
            if (rc)
                return rc;
            continue;
        }
        if (lxs_add_overflow(w->base, w->size, &end) ||
            end > LXS_PADDR_LIMIT) {
            rc = diag(h, NULL, LXS_E_OVERFLOW, "--pool",
                      "pool '0x%" PRIx64 ":0x%" PRIx64 "' ends above the "
                      "%u-bit physical address space", w->base, w->size,
                      LXS_PADDR_BITS);
            if (rc)
                return rc;
            continue;
        }
        rc = check_range(h, NULL, "--pool", "pool", w->base, end, false,
                         &ok);
        if (rc)
            return rc;
    }
    if (h->diags->nr_errors > errors_before)
        return 0;
    return check_pool_cells(h);
}

/*
 * The first overlap of a module at a given address with a new pool, the
 * domains' RAM or a module given before it (@mods[0..@k) of the flat
 * kernel, ramdisk, device tree, kernel, ... list), reported.
 */
static int check_taken_by(struct hctx *h, const struct dtg_domain *d,
                          const char *key, const char *kind, uint64_t start,
                          uint64_t end, const struct dtg_module *mods,
                          size_t k)
{
    size_t i, j;

    for (i = 0; i < h->opts->nr_pools; i++) {
        const struct lxs_window *w = &h->opts->pools[i];

        if (start < w->base + w->size && w->base < end)
            return diag(h, d, LXS_E_OVERLAP_RESERVED, key,
                        "%s module at " RFMT " overlaps static pool "
                        "'--pool' " RFMT, kind, start, end, w->base,
                        w->base + w->size);
    }
    for (i = 0; i < h->nr; i++) {
        const struct dtg_domain *o = &h->doms[i];

        for (j = 0; j < o->plan->nr_ext; j++) {
            const struct lxs_extent *e = &o->plan->ext[j];

            if (start < e->host + e->size && e->host < end)
                return diag(h, d, LXS_E_OVERLAP_DOMAIN, key,
                            "%s module at " RFMT " overlaps memory of "
                            "domain '%s' " RFMT, kind, start, end,
                            dom_name(o) ? dom_name(o) : "?", e->host,
                            e->host + e->size);
        }
    }
    for (i = 0; i < k; i++) {
        const struct dtg_module *m = &mods[i];
        uint64_t mend = m->addr + m->size;

        if (!m->size || !m->placed)
            continue;
        /* the same file at the same address is one shared module */
        if (m->addr == start && mend == end)
            continue;
        if (start < mend && m->addr < end)
            return diag(h, d, LXS_E_OVERLAP_RESERVED, key,
                        "%s module at " RFMT " overlaps the %s module of "
                        "domain '%s' " RFMT, kind, start, end,
                        mod_what[i % NR_MODS],
                        dom_name(&h->doms[i / NR_MODS])
                            ? dom_name(&h->doms[i / NR_MODS]) : "?",
                        m->addr, mend);
    }
    return 0;
}

static int check_given_module(struct hctx *h, const struct dtg_module *mods,
                              size_t k)
{
    const struct dtg_domain *d = &h->doms[k / NR_MODS];
    const struct dtg_module *m = &mods[k];
    const char *key = mod_key[k % NR_MODS], *kind = mod_what[k % NR_MODS];
    char what[32];
    uint64_t end;
    bool ok;
    int rc;

    if (lxs_add_overflow(m->addr, m->size, &end) || end > LXS_PADDR_LIMIT)
        return diag(h, d, LXS_E_OVERFLOW, key,
                    "%s module at 0x%" PRIx64 " of size 0x%" PRIx64 " ends "
                    "above the %u-bit physical address space", kind, m->addr,
                    m->size, LXS_PADDR_BITS);
    snprintf(what, sizeof(what), "%s module", kind);
    rc = check_range(h, d, key, what, m->addr, end, true, &ok);
    if (rc || !ok)
        return rc;
    /* the pool the host DT declares, unless --pool replaces it */
    if (!h->opts->nr_pools) {
        size_t i;

        for (i = 0; i < h->map.pool.nr; i++) {
            const struct lxs_range *p = &h->map.pool.v[i];

            if (m->addr < p->end && p->start < end)
                return diag(h, d, LXS_E_OVERLAP_RESERVED, key,
                            "%s module at " RFMT " overlaps static pool "
                            "'/chosen/xen,static-pool' " RFMT, kind, m->addr,
                            end, p->start, p->end);
        }
    }
    return check_taken_by(h, d, key, kind, m->addr, end, mods, k);
}

/* Everything a module must not overlap, merged, into *busy. */
static int busy_ranges(struct hctx *h, const struct dtg_module *placed,
                       size_t nr_placed, struct lxs_ranges *busy)
{
    const struct lxs_ranges *sets[] = {
        &h->map.reserved, &h->map.owned, &h->map.pool,
    };
    size_t i, j;
    int rc;

    busy->nr = 0;
    for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        /* --pool replaces the pool the host DT declares */
        if (sets[i] == &h->map.pool && h->opts->nr_pools)
            continue;
        for (j = 0; j < sets[i]->nr; j++) {
            rc = lxs_ranges_add(busy, sets[i]->v[j].start, sets[i]->v[j].end,
                                0);
            if (rc)
                return rc;
        }
    }
    for (i = 0; i < h->opts->nr_pools; i++) {
        const struct lxs_window *w = &h->opts->pools[i];

        rc = lxs_ranges_add(busy, w->base, w->base + w->size, 0);
        if (rc)
            return rc;
    }
    for (i = 0; i < h->nr; i++) {
        const struct lxs_plan *p = h->doms[i].plan;

        for (j = 0; j < p->nr_ext; j++) {
            rc = lxs_ranges_add(busy, p->ext[j].host,
                                p->ext[j].host + p->ext[j].size, 0);
            if (rc)
                return rc;
        }
    }
    for (i = 0; i < nr_placed; i++) {
        uint64_t size = (placed[i].size + LXS_PAGE_SIZE - 1) &
            ~(LXS_PAGE_SIZE - 1);

        rc = lxs_ranges_add(busy, placed[i].addr, placed[i].addr + size, 0);
        if (rc)
            return rc;
    }
    lxs_ranges_merge(busy);
    return 0;
}

/*
 * Highest @align-aligned free address for @size bytes.  Boot loaders
 * put Xen, its device tree and dom0 near the bottom of RAM (QEMU loads
 * at the RAM base), so modules go at the top.
 */
static bool place_top_down(const struct lxs_ranges *free_, uint64_t size,
                           uint64_t align, uint64_t *addr_r)
{
    size_t i = free_->nr;

    size = (size + LXS_PAGE_SIZE - 1) & ~(LXS_PAGE_SIZE - 1);
    while (i--) {
        const struct lxs_range *f = &free_->v[i];
        uint64_t start;

        if (f->end - f->start < size)
            continue;
        start = (f->end - size) & ~(align - 1);
        if (start >= f->start) {
            *addr_r = start;
            return true;
        }
    }
    return false;
}

static int place_modules(struct hctx *h, struct dtg_module *out)
{
    struct lxs_ranges busy, free_, area;
    uint64_t align = h->opts->module_align;
    size_t i, k, nr_placed = 0;
    struct dtg_module *placed = NULL;
    int rc;

    lxs_ranges_init(&busy);
    lxs_ranges_init(&free_);
    lxs_ranges_init(&area);

    if (!align || (align & (align - 1)) || align < LXS_PAGE_SIZE)
        align = DTG_MIB(2);

    placed = lxs__calloc(NR_MODS * h->nr, sizeof(*placed));
    if (!placed) {
        rc = -ENOMEM;
        goto out;
    }
    /* modules at given addresses first: the others go around them */
    for (i = 0; i < NR_MODS * h->nr; i++)
        if (out[i].size && out[i].placed)
            placed[nr_placed++] = out[i];

    for (k = 0; k < NR_MODS * h->nr; k++) {
        const struct dtg_domain *d = &h->doms[k / NR_MODS];
        struct dtg_module *m = &out[k];
        const char *key = mod_key[k % NR_MODS];
        uint64_t addr;

        if (!m->size || m->placed)
            continue;

        rc = busy_ranges(h, placed, nr_placed, &busy);
        if (rc)
            goto out;
        if (h->opts->module_area.size) {
            area.nr = 0;
            rc = lxs_ranges_add(&area, h->opts->module_area.base,
                                h->opts->module_area.base +
                                h->opts->module_area.size, 0);
            if (rc)
                goto out;
            rc = lxs_ranges_intersect(&h->map.ram, &area, &free_);
            if (rc)
                goto out;
            rc = lxs_ranges_subtract(&free_, &busy, &area);
            if (rc)
                goto out;
            rc = lxs_ranges_subtract(&area, &busy, &free_);
        } else {
            rc = lxs_ranges_subtract(&h->map.ram, &busy, &free_);
        }
        if (rc)
            goto out;

        if (!place_top_down(&free_, m->size, align, &addr)) {
            char sz[LXS_SIZE_STRLEN];

            rc = diag(h, d, LXS_E_NO_SPACE, key,
                      "no free host ram for the %s module (%s, %s "
                      "aligned)", mod_what[k % NR_MODS], lxs_fmt_size(m->size, sz),
                      align == DTG_MIB(2) ? "2M" : "module");
            if (rc)
                goto out;
            continue;
        }
        m->addr = addr;
        m->placed = true;
        placed[nr_placed++] = *m;
    }
    rc = 0;

out:
    free(placed);
    lxs_ranges_dispose(&busy);
    lxs_ranges_dispose(&free_);
    lxs_ranges_dispose(&area);
    return rc;
}

int dtg_hostmap_set_pools(struct lxs_hostmap *map,
                          const struct lxs_window *pools, size_t nr)
{
    struct lxs_hostmap tmp;
    size_t i;
    int rc;

    lxs_hostmap_init(&tmp);
    for (i = 0; i < map->nr; i++) {
        const struct lxs_region *r = &map->v[i];

        if (r->kind == LXS_REGION_POOL)
            continue;
        rc = lxs_hostmap_add(&tmp, r->kind, r->start, r->end, r->flags,
                             r->label, r->owner);
        if (rc)
            goto out;
    }
    for (i = 0; i < nr; i++) {
        uint64_t end;

        if (!pools[i].size ||
            lxs_add_overflow(pools[i].base, pools[i].size, &end)) {
            rc = -EINVAL;
            goto out;
        }
        rc = lxs_hostmap_add(&tmp, LXS_REGION_POOL, pools[i].base, end, 0,
                             "--pool", NULL);
        if (rc)
            goto out;
    }
    rc = lxs_hostmap_finish(&tmp);
    if (rc)
        goto out;
    tmp.has_iommu = map->has_iommu;
    lxs_hostmap_dispose(map);
    *map = tmp;
    /* the indexes point at the sets they index: now those of *map */
    map->reserved_ix.rs = &map->reserved;
    map->owned_ix.rs = &map->owned;
    lxs_hostmap_init(&tmp);

out:
    lxs_hostmap_dispose(&tmp);
    return rc;
}

int dtg_host_check(const void *in_fdt, size_t in_len,
                   struct dtg_domain *doms, size_t nr,
                   const struct dtg_host_opts *opts,
                   struct lxs_diags *diags)
{
    struct hctx h;
    struct dtg_module *mods = NULL;
    void *copy = NULL;
    size_t copy_size, i, errors_before = diags->nr_errors;
    char *why = NULL;
    int r, rc;

    memset(&h, 0, sizeof(h));
    h.doms = doms;
    h.nr = nr;
    h.opts = opts;
    h.diags = diags;
    lxs_hostmap_init(&h.map);

    rc = open_copy(in_fdt, in_len, 0, &copy, &copy_size, &why);
    if (rc)
        goto out;
    if (check_chosen_cells(copy, &h.root_ac, &h.root_sc)) {
        rc = -EBADMSG;
        goto out;
    }

    rc = check_names(&h, copy);
    if (rc)
        goto out;
    if (diags->nr_errors > errors_before) {
        rc = -EINVAL;
        goto out;
    }

    r = delete_domain_nodes(copy, doms, nr);
    if (r) {
        rc = dtg__fdt_errno(r);
        goto out;
    }
    r = fdt_pack(copy);
    if (r) {
        rc = dtg__fdt_errno(r);
        goto out;
    }
    rc = lxs_hostmap_from_fdt(&h.map, copy, fdt_totalsize(copy), &why);
    if (rc)
        goto out;

    rc = check_pools(&h);
    if (rc)
        goto out;

    /* a working copy of the modules: the caller's change only on success */
    mods = lxs__calloc(NR_MODS * (nr ? nr : 1), sizeof(*mods));
    if (!mods) {
        rc = -ENOMEM;
        goto out;
    }
    for (i = 0; i < NR_MODS * nr; i++)
        mods[i] = *dom_mod(&doms[i / NR_MODS], i % NR_MODS);
    for (i = 0; i < NR_MODS * nr; i++) {
        if (!mods[i].size || !mods[i].placed)
            continue;
        rc = check_given_module(&h, mods, i);
        if (rc)
            goto out;
    }
    if (diags->nr_errors > errors_before) {
        rc = -EINVAL;
        goto out;
    }
    rc = place_modules(&h, mods);
    if (rc)
        goto out;
    if (diags->nr_errors > errors_before) {
        rc = -EINVAL;
        goto out;
    }
    for (i = 0; i < NR_MODS * nr; i++)
        *dom_mod(&doms[i / NR_MODS], i % NR_MODS) = mods[i];
    rc = 0;

out:
    free(why);
    free(mods);
    free(copy);
    lxs_hostmap_dispose(&h.map);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The edit (each step returns 0 or a libfdt error code)               */

/*
 * The edit steps return 0 or a libfdt error code, and this one, beyond
 * libfdt's codes, when an allocation failed.
 */
#define ERR_NOMEM (-(FDT_ERR_MAX + 1))

/* Re-encodes a list of (address, size) from a/s cells to 2/2 cells. */
static int recode_prop(void *fdt, int node, const char *name,
                       unsigned int ac, unsigned int sc)
{
    const fdt32_t *in;
    fdt32_t *buf, *cells;
    int len, n, i, r;

    in = fdt_getprop(fdt, node, name, &len);
    if (!in)
        return len == -FDT_ERR_NOTFOUND ? 0 : len;
    if (len % (int)((ac + sc) * sizeof(*in)))
        return -FDT_ERR_BADVALUE;
    n = len / (int)((ac + sc) * sizeof(*in));
    buf = lxs__malloc((size_t)n * (DOM_AC + DOM_SC) * sizeof(*buf) + 1);
    if (!buf)
        return ERR_NOMEM;
    cells = buf;
    for (i = 0; i < n; i++) {
        uint64_t a = dtg__get_cells(&in, ac);
        uint64_t s = dtg__get_cells(&in, sc);

        dtg__set_cells(&cells, DOM_AC, a);
        dtg__set_cells(&cells, DOM_SC, s);
    }
    r = fdt_setprop(fdt, node, name, buf,
                    (int)((cells - buf) * sizeof(*buf)));
    free(buf);
    return r;
}

/*
 * Gives /chosen 2/2 cells.  Xen 4.17 reads the reg of /chosen's
 * children and a domain node's xen,static-mem with /chosen's cells:
 * when those were others, rewrite the values in 2/2 to keep their
 * meaning.  xen,static-pool is read with the root's cells, which do
 * not change.
 */
static int chosen_cells(void *fdt, int *chosen)
{
    /* Xen: a node without the properties takes its parent's; root 2/1 */
    unsigned int ac = DEFAULT_AC, sc = DEFAULT_SC;
    int node, r;

    r = dtg__node_cells(fdt, 0, &ac, &sc);
    if (r)
        return r;
    r = dtg__node_cells(fdt, *chosen, &ac, &sc);
    if (r)
        return r;

    if (ac != DOM_AC || sc != DOM_SC) {
        fdt_for_each_subnode(node, fdt, *chosen) {
            r = recode_prop(fdt, node, "reg", ac, sc);
            if (r)
                return r;
            if (fdt_node_check_compatible(fdt, node, "xen,domain") == 0) {
                r = recode_prop(fdt, node, "xen,static-mem", ac, sc);
                if (r)
                    return r;
            }
        }
        if (node != -FDT_ERR_NOTFOUND)
            return node;
    }
    r = fdt_setprop_u32(fdt, *chosen, "#address-cells", DOM_AC);
    if (r)
        return r;
    r = fdt_setprop_u32(fdt, *chosen, "#size-cells", DOM_SC);
    if (r)
        return r;
    *chosen = fdt_path_offset(fdt, "/chosen");
    return *chosen < 0 ? *chosen : 0;
}

static int set_range_prop(void *fdt, int node, const char *name,
                          uint64_t base, uint64_t size)
{
    fdt32_t cells[DOM_AC + DOM_SC], *c = cells;

    dtg__set_cells(&c, DOM_AC, base);
    dtg__set_cells(&c, DOM_SC, size);
    return fdt_setprop(fdt, node, name, cells, sizeof(cells));
}

static int set_compat(void *fdt, int node, const char *first)
{
    char buf[64];
    size_t n = strlen(first) + 1;

    memcpy(buf, first, n);
    memcpy(buf + n, "multiboot,module", sizeof("multiboot,module"));
    return fdt_setprop(fdt, node, "compatible", buf,
                       (int)(n + sizeof("multiboot,module")));
}

static int make_module_node(void *fdt, int parent, const struct dtg_module *m,
                            const char *compat, const char *bootargs)
{
    char name[32];
    int node, r;

    snprintf(name, sizeof(name), "module@%" PRIx64, m->addr);
    node = fdt_add_subnode(fdt, parent, name);
    if (node < 0)
        return node;
    r = set_compat(fdt, node, compat);
    if (r)
        return r;
    r = set_range_prop(fdt, node, "reg", m->addr, m->size);
    if (r)
        return r;
    if (bootargs)
        r = fdt_setprop_string(fdt, node, "bootargs", bootargs);
    return r;
}

static int make_domain_node(void *fdt, int chosen, const struct dtg_domain *d)
{
    const struct lxs_plan *p = d->plan;
    uint64_t total = 0;
    fdt32_t *mem, *cells;
    size_t i;
    int node, r;

    node = fdt_add_subnode(fdt, chosen, dom_name(d));
    if (node < 0)
        return node;
    r = fdt_setprop_string(fdt, node, "compatible", "xen,domain");
    if (r)
        return r;
    r = fdt_setprop_u32(fdt, node, "#address-cells", DOM_AC);
    if (r)
        return r;
    r = fdt_setprop_u32(fdt, node, "#size-cells", DOM_SC);
    if (r)
        return r;
    for (i = 0; i < p->nr_ext; i++)
        total += p->ext[i].size;
    if (!p->nr_ext)     /* no static memory: Xen allocates it */
        total = d->spec->memory_size;
    r = fdt_setprop_u64(fdt, node, "memory", total >> 10);     /* KiB */
    if (r)
        return r;
    r = fdt_setprop_u32(fdt, node, "cpus", d->spec->vcpus ? d->spec->vcpus
                                                          : 1);
    if (r)
        return r;
    if (!p->nr_ext)
        goto modules;

    /* in guest order: Xen maps them one after the other */
    mem = lxs__calloc(p->nr_ext, (DOM_AC + DOM_SC) * sizeof(*mem));
    if (!mem)
        return ERR_NOMEM;
    cells = mem;
    for (i = 0; i < p->nr_ext; i++) {
        dtg__set_cells(&cells, DOM_AC, p->ext[i].host);
        dtg__set_cells(&cells, DOM_SC, p->ext[i].size);
    }
    r = fdt_setprop(fdt, node, "xen,static-mem", mem,
                    (int)((cells - mem) * sizeof(*mem)));
    free(mem);
    if (r)
        return r;

    if (p->direct_map) {
        r = fdt_setprop_empty(fdt, node, "direct-map");
        if (r)
            return r;
    }
    if (d->spec->vuart_sbsa) {
        r = fdt_setprop_empty(fdt, node, "vpl011");
        if (r)
            return r;
    }

modules:
    /* fdt_add_subnode puts a node first: add them last to first */
    if (d->dtb.size) {
        r = make_module_node(fdt, node, &d->dtb, "multiboot,device-tree",
                             NULL);
        if (r)
            return r;
    }
    if (d->ramdisk.size) {
        r = make_module_node(fdt, node, &d->ramdisk, "multiboot,ramdisk",
                             NULL);
        if (r)
            return r;
    }
    if (d->kernel.size) {
        r = make_module_node(fdt, node, &d->kernel, "multiboot,kernel",
                             d->spec->cmdline);
        if (r)
            return r;
    }
    return 0;
}

/*
 * xen,static-pool = <addr size>... in the root's cells, as Xen and the
 * host-map reader read it (like xen,static-heap).  dtg_host_check()
 * made sure every merged range fits them.
 */
static int make_pool(void *fdt, int chosen, const struct dtg_host_opts *o)
{
    unsigned int ac = DEFAULT_AC, sc = DEFAULT_SC;
    struct lxs_ranges pools;
    fdt32_t *buf = NULL, *cells;
    size_t i;
    int r;

    lxs_ranges_init(&pools);
    r = dtg__node_cells(fdt, 0, &ac, &sc);
    if (r)
        goto out;
    if (pool_ranges(o, &pools)) {
        r = ERR_NOMEM;
        goto out;
    }
    buf = lxs__calloc(pools.nr ? pools.nr : 1, (ac + sc) * sizeof(*buf));
    if (!buf) {
        r = ERR_NOMEM;
        goto out;
    }
    cells = buf;
    for (i = 0; i < pools.nr; i++) {
        uint64_t size = pools.v[i].end - pools.v[i].start;

        if (!dtg__fits_cells(pools.v[i].start, ac) ||
            !dtg__fits_cells(size, sc)) {
            r = -FDT_ERR_BADVALUE;      /* not a checked plan */
            goto out;
        }
        dtg__set_cells(&cells, ac, pools.v[i].start);
        dtg__set_cells(&cells, sc, size);
    }
    r = fdt_setprop(fdt, chosen, "xen,static-pool", buf,
                    (int)((cells - buf) * sizeof(*buf)));

out:
    free(buf);
    lxs_ranges_dispose(&pools);
    return r;
}

/*
 * The host nodes of the devices of @pt (the xen,path of its /passthrough
 * devices) get xen,passthrough: Xen then keeps them from dom0 and routes
 * their interrupts to the domain.
 */
static int mark_passthrough(void *fdt, const void *pt)
{
    int bus, dev, node, len;

    bus = fdt_path_offset(pt, "/passthrough");
    if (bus < 0)
        return bus;
    fdt_for_each_subnode(dev, pt, bus) {
        const char *path = fdt_getprop(pt, dev, "xen,path", &len);

        if (!path)
            continue;
        if (!len || path[len - 1])
            return -FDT_ERR_BADVALUE;
        node = fdt_path_offset(fdt, path);
        if (node < 0)
            return node;
        if (!fdt_getprop(fdt, node, "xen,passthrough", NULL)) {
            int r = fdt_setprop_empty(fdt, node, "xen,passthrough");

            if (r)
                return r;
        }
    }
    return dev == -FDT_ERR_NOTFOUND ? 0 : dev;
}

static int edit(void *fdt, const struct dtg_domain *doms, size_t nr,
                const struct dtg_host_opts *opts)
{
    int chosen, r;
    size_t i;

    for (i = 0; i < nr; i++) {
        if (!doms[i].pt_fdt)
            continue;
        r = mark_passthrough(fdt, doms[i].pt_fdt);
        if (r)
            return r;
    }
    r = delete_domain_nodes(fdt, doms, nr);
    if (r)
        return r;

    chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen == -FDT_ERR_NOTFOUND)
        chosen = fdt_add_subnode(fdt, 0, "chosen");
    if (chosen < 0)
        return chosen;
    r = chosen_cells(fdt, &chosen);
    if (r)
        return r;

    /* fdt_add_subnode puts a node first: add the last domain first */
    for (i = nr; i--; ) {
        r = make_domain_node(fdt, chosen, &doms[i]);
        if (r)
            return r;
        chosen = fdt_path_offset(fdt, "/chosen");
        if (chosen < 0)
            return chosen;
    }
    if (opts->nr_pools) {
        r = make_pool(fdt, chosen, opts);
        if (r)
            return r;
    }
    return 0;
}

int dtg_host_fdt(const void *in_fdt, size_t in_len,
                 const struct dtg_domain *doms, size_t nr,
                 const struct dtg_host_opts *opts,
                 void **fdt_r, size_t *size_r, char **why_r)
{
    void *fdt = NULL, *nfdt;
    size_t extra = 4096, size, i, j;
    char *why = NULL;
    int r, rc;

    for (i = 0; i < nr; i++) {
        const struct dtg_domain *d = &doms[i];

        if (!d->spec->name || !lxs__dt_node_name_ok(d->spec->name)) {
            lxs__why(&why, "domain name '%s' is not a node name",
                     d->spec->name ? d->spec->name : "");
            rc = -EINVAL;
            goto out;
        }
        for (j = 0; j < i; j++) {
            if (!strcmp(doms[j].spec->name, d->spec->name)) {
                lxs__why(&why, "domain name '%s' is given twice",
                         d->spec->name);
                rc = -EINVAL;
                goto out;
            }
        }
        if ((!d->plan->nr_ext && !d->spec->memory_size) ||
            (d->kernel.size && !d->kernel.placed) ||
            (d->ramdisk.size && !d->ramdisk.placed) ||
            (d->dtb.size && !d->dtb.placed)) {
            lxs__why(&why, "domain '%s' has no memory or an unplaced module",
                     d->spec->name);
            rc = -EINVAL;
            goto out;
        }
        extra += 512 + d->plan->nr_ext * 16 +
            (d->spec->cmdline ? strlen(d->spec->cmdline) : 0) +
            (d->pt_fdt ? 64 * 16 : 0);  /* xen,passthrough marks */
    }
    extra += opts->nr_pools * 16;

    for (;;) {
        free(fdt);
        fdt = NULL;
        rc = open_copy(in_fdt, in_len, extra, &fdt, &size, &why);
        if (rc)
            goto out;
        r = edit(fdt, doms, nr, opts);
        if (r == -FDT_ERR_NOSPACE && extra < DTG_FDT_MAX_SIZE) {
            extra *= 2;
            continue;
        }
        if (r == ERR_NOMEM) {
            rc = -ENOMEM;
            goto out;
        }
        if (r) {
            lxs__why(&why, "cannot edit the host device tree: %s",
                     fdt_strerror(r));
            rc = dtg__fdt_errno(r);
            goto out;
        }
        break;
    }

    r = fdt_pack(fdt);
    if (!r)
        r = fdt_check_full(fdt, fdt_totalsize(fdt));
    if (r) {
        lxs__why(&why, "edited host device tree fails its check: %s",
                 fdt_strerror(r));
        rc = -EIO;
        goto out;
    }
    *size_r = fdt_totalsize(fdt);
    nfdt = lxs__realloc(fdt, *size_r);
    *fdt_r = nfdt ? nfdt : fdt;
    fdt = NULL;
    rc = 0;

out:
    free(fdt);
    if (rc && why_r)
        *why_r = why;
    else
        free(why);
    return rc;
}
