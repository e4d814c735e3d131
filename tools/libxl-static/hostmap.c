/*
 * The host memory map, read offline from the DTB that Xen boots with
 * (docs/design.md "Host memory map"): RAM banks, regions Xen or the firmware
 * keep (/memreserve/, /reserved-memory, boot modules, the static heap),
 * memory that dom0less domains own, and the static pool.
 *
 * Address and size cells follow Xen 4.17's early scan
 * (device_tree_for_each_node() in xen/arch/arm/bootfdt.c): a property
 * in a node is read with its parent's #address-cells and #size-cells; a
 * node without them takes its parent's, and the root defaults to 2 and
 * 1.  /reserved-memory is scanned as its own tree there, so its
 * children use its cells, 2 and 1 when absent.  Unlike Xen we refuse
 * what Xen would misread: cells other than 1 or 2, a list whose length
 * is not a multiple of the entry size, and a range past 2^64.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "lxs_internal.h"

#define ROOT_ADDR_CELLS 2       /* Xen's DT_ROOT_NODE_ADDR_CELLS_DEFAULT */
#define ROOT_SIZE_CELLS 1       /* Xen's DT_ROOT_NODE_SIZE_CELLS_DEFAULT */
#define MAX_DEPTH 64            /* deeper nesting is refused */

struct cells {
    uint32_t addr;
    uint32_t size;
};

struct walk {
    struct lxs_hostmap *map;
    const void *fdt;
    char *why;                  /* message for -EBADMSG */
};

/* ------------------------------------------------------------------ */
/* The region list                                                     */

void lxs_hostmap_init(struct lxs_hostmap *map)
{
    memset(map, 0, sizeof(*map));
}

static void derived_dispose(struct lxs_hostmap *map)
{
    lxs_rindex_dispose(&map->reserved_ix);
    lxs_rindex_dispose(&map->owned_ix);
    lxs_ranges_dispose(&map->ram);
    lxs_ranges_dispose(&map->pool);
    lxs_ranges_dispose(&map->reserved);
    lxs_ranges_dispose(&map->owned);
}

void lxs_hostmap_dispose(struct lxs_hostmap *map)
{
    size_t i;

    if (!map)
        return;
    for (i = 0; i < map->nr; i++) {
        free(map->v[i].label);
        free(map->v[i].owner);
    }
    free(map->v);
    derived_dispose(map);
    lxs_hostmap_init(map);
}

int lxs_hostmap_add(struct lxs_hostmap *map, enum lxs_region_kind kind,
                    uint64_t start, uint64_t end, unsigned int flags,
                    const char *label, const char *owner)
{
    struct lxs_region r;
    int rc;

    memset(&r, 0, sizeof(r));
    if (start >= end || kind < LXS_REGION_RAM || kind > LXS_REGION_POOL ||
        map->nr >= UINT32_MAX)
        return -EINVAL;

    rc = lxs__grow((void **)&map->v, &map->alloc, map->nr + 1,
                   sizeof(*map->v));
    if (rc)
        goto out;
    r.start = start;
    r.end = end;
    r.kind = kind;
    r.flags = flags;
    rc = -ENOMEM;
    if (label && !(r.label = lxs__strdup(label)))
        goto out;
    if (owner && !(r.owner = lxs__strdup(owner)))
        goto out;

    map->v[map->nr++] = r;
    memset(&r, 0, sizeof(r));       /* the map owns the strings now */
    rc = 0;
out:
    free(r.label);
    free(r.owner);
    return rc;
}

int lxs_hostmap_finish(struct lxs_hostmap *map)
{
    struct lxs_ranges ram, pool, reserved, owned;
    struct lxs_rindex reserved_ix = { 0 }, owned_ix = { 0 };
    size_t i;
    int rc;

    lxs_ranges_init(&ram);
    lxs_ranges_init(&pool);
    lxs_ranges_init(&reserved);
    lxs_ranges_init(&owned);

    for (i = 0; i < map->nr; i++) {
        const struct lxs_region *r = &map->v[i];
        struct lxs_ranges *set;

        switch (r->kind) {
        case LXS_REGION_RAM: set = &ram; break;
        case LXS_REGION_POOL: set = &pool; break;
        case LXS_REGION_RESERVED: set = &reserved; break;
        case LXS_REGION_OWNED: set = &owned; break;
        default: rc = -EINVAL; goto out;
        }
        rc = lxs_ranges_add(set, r->start, r->end, (uint32_t)i);
        if (rc)
            goto out;
    }
    lxs_ranges_merge(&ram);
    lxs_ranges_merge(&pool);
    lxs_ranges_sort(&reserved);
    lxs_ranges_sort(&owned);
    rc = lxs_rindex_build(&reserved_ix, &reserved);
    if (rc)
        goto out;
    rc = lxs_rindex_build(&owned_ix, &owned);
    if (rc)
        goto out;

    /* Nothing can fail from here: move the new sets in. */
    derived_dispose(map);
    map->ram = ram;
    map->pool = pool;
    map->reserved = reserved;
    map->owned = owned;
    map->reserved_ix = reserved_ix;
    map->reserved_ix.rs = &map->reserved;
    map->owned_ix = owned_ix;
    map->owned_ix.rs = &map->owned;
    map->has_pool = map->pool.nr > 0;
    lxs_ranges_init(&ram);
    lxs_ranges_init(&pool);
    lxs_ranges_init(&reserved);
    lxs_ranges_init(&owned);
    memset(&reserved_ix, 0, sizeof(reserved_ix));
    memset(&owned_ix, 0, sizeof(owned_ix));
    rc = 0;
out:
    lxs_rindex_dispose(&reserved_ix);
    lxs_rindex_dispose(&owned_ix);
    lxs_ranges_dispose(&ram);
    lxs_ranges_dispose(&pool);
    lxs_ranges_dispose(&reserved);
    lxs_ranges_dispose(&owned);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Reading the blob                                                    */

/* Records why the blob is refused; returns -EBADMSG (-ENOMEM). */
static int bad(struct walk *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int bad(struct walk *w, const char *fmt, ...)
{
    va_list ap;

    free(w->why);
    va_start(ap, fmt);
    w->why = lxs__vasprintf(fmt, ap);
    va_end(ap);
    lxs__one_line(w->why);      /* node names can hold any byte */
    return w->why ? -EBADMSG : -ENOMEM;
}

/*
 * The path of @node, a child of the node at @parent_path, allocated.
 * Built from the parent's path during the walk: fdt_get_path() walks
 * the blob from its start, which made reading a tree quadratic.
 * -ENOMEM.
 */
static int child_path(struct walk *w, const char *parent_path, int node,
                      char **path_r)
{
    const char *name = fdt_get_name(w->fdt, node, NULL);

    *path_r = lxs__asprintf("%s/%s", strcmp(parent_path, "/") ?
                            parent_path : "", name ? name : "");
    return *path_r ? 0 : -ENOMEM;
}

/* True when @node's status is absent, "okay" or "ok". */
static bool node_enabled(const void *fdt, int node)
{
    const char *s;
    int len;

    s = fdt_getprop(fdt, node, "status", &len);
    if (!s)
        return true;
    /* a string property includes its NUL */
    return (len == 5 && !memcmp(s, "okay", 5)) ||
           (len == 3 && !memcmp(s, "ok", 3));
}

static bool node_compatible(const void *fdt, int node, const char *compat)
{
    const char *s;
    int len;

    s = fdt_getprop(fdt, node, "compatible", &len);
    return s && fdt_stringlist_contains(s, len, compat);
}

/* "name" or "name@unit" */
static bool node_named(const void *fdt, int node, const char *name)
{
    const char *n = fdt_get_name(fdt, node, NULL);
    size_t l = strlen(name);

    return n && !strncmp(n, name, l) && (n[l] == '\0' || n[l] == '@');
}

/*
 * Reads #address-cells and #size-cells of @node into @cells, keeping
 * the values in @cells for the ones it does not have.
 */
static int node_cells(struct walk *w, int node, const char *path,
                      struct cells *cells)
{
    static const char *const names[2] = { "#address-cells", "#size-cells" };
    uint32_t *dst[2] = { &cells->addr, &cells->size };
    unsigned int i;

    for (i = 0; i < 2; i++) {
        const fdt32_t *p;
        int len;

        p = fdt_getprop(w->fdt, node, names[i], &len);
        if (!p)
            continue;
        if (len != sizeof(*p))
            return bad(w, "%s: %s is %d bytes long, not 4", path, names[i],
                       len);
        *dst[i] = fdt32_ld(p);
    }
    return 0;
}

static uint64_t read_cells(const fdt32_t *p, uint32_t nr)
{
    uint64_t v = 0;
    uint32_t i;

    for (i = 0; i < nr; i++)
        v = (v << 32) | fdt32_ld(p + i);
    return v;
}

/*
 * Adds one region per (address, size) entry of property @prop of
 * @node, read with @cells.  Zero-size entries are skipped (Xen ignores
 * them too).  @label defaults to the node's path.  Returns 0 when the
 * property is absent.
 */
static int read_ranges(struct walk *w, int node, const char *path,
                       const char *prop,
                       struct cells cells, enum lxs_region_kind kind,
                       unsigned int flags, const char *label,
                       const char *owner)
{
    const fdt32_t *p;
    uint32_t entry;
    int len, i, rc;

    p = fdt_getprop(w->fdt, node, prop, &len);
    if (!p)
        return 0;
    if (cells.addr < 1 || cells.addr > 2 || cells.size < 1 ||
        cells.size > 2) {
        rc = bad(w, "%s: '%s' read with #address-cells %u and "
                 "#size-cells %u: only 1 or 2 cells are supported",
                 path, prop, cells.addr, cells.size);
        goto out;
    }
    entry = (cells.addr + cells.size) * sizeof(*p);
    if (len % entry) {
        rc = bad(w, "%s: '%s' is %d bytes long, not a multiple of the "
                 "%u-byte entry (#address-cells %u, #size-cells %u)",
                 path, prop, len, entry, cells.addr, cells.size);
        goto out;
    }
    for (i = 0; i < len / (int)entry; i++) {
        const fdt32_t *e = p + i * (cells.addr + cells.size);
        uint64_t start = read_cells(e, cells.addr);
        uint64_t size = read_cells(e + cells.addr, cells.size);
        uint64_t end;

        if (!size)
            continue;
        /* an end of exactly 2^64 cannot be represented either */
        if (lxs_add_overflow(start, size, &end) || !end) {
            rc = bad(w, "%s: '%s' entry %d (%#" PRIx64 ", size %#" PRIx64
                     ") wraps past the 64-bit address space",
                     path, prop, i, start, size);
            goto out;
        }
        rc = lxs_hostmap_add(w->map, kind, start, end, flags,
                             label ? label : path, owner);
        if (rc)
            goto out;
    }
    rc = 0;
out:
    return rc;
}

static int read_memreserve(struct walk *w)
{
    int nr, i, rc;

    nr = fdt_num_mem_rsv(w->fdt);
    if (nr < 0)
        return bad(w, "bad /memreserve/ block: %s", fdt_strerror(nr));
    for (i = 0; i < nr; i++) {
        uint64_t addr, size, end;
        char label[32];

        rc = fdt_get_mem_rsv(w->fdt, i, &addr, &size);
        if (rc)
            return bad(w, "bad /memreserve/ entry %d: %s", i,
                       fdt_strerror(rc));
        if (!size)
            continue;
        if (lxs_add_overflow(addr, size, &end) || !end)
            return bad(w, "/memreserve/ entry %d (%#" PRIx64 ", size %#"
                       PRIx64 ") wraps past the 64-bit address space",
                       i, addr, size);
        snprintf(label, sizeof(label), "/memreserve/[%d]", i);
        rc = lxs_hostmap_add(w->map, LXS_REGION_RESERVED, addr, end,
                             LXS_RESV_MEMRESERVE, label, NULL);
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * /reserved-memory: every enabled child with a fixed 'reg' is kept out
 * of reach, whether the OS may map it (plain), not (no-map) or share it
 * (reusable, e.g. a CMA pool).  Children with only 'size' are placed by
 * the OS at boot and have no fixed range.  As Xen's
 * process_reserved_memory(), the cells are /reserved-memory's own, 2
 * and 1 when it has none.
 */
static int read_reserved_memory(struct walk *w, int node, const char *path)
{
    struct cells cells = { ROOT_ADDR_CELLS, ROOT_SIZE_CELLS };
    char *cpath = NULL;
    int child, rc;

    rc = node_cells(w, node, path, &cells);
    if (rc)
        return rc;
    fdt_for_each_subnode(child, w->fdt, node) {
        unsigned int flags = 0;

        if (!node_enabled(w->fdt, child))
            continue;
        if (fdt_getprop(w->fdt, child, "no-map", NULL))
            flags |= LXS_RESV_NO_MAP;
        if (fdt_getprop(w->fdt, child, "reusable", NULL))
            flags |= LXS_RESV_REUSABLE;
        rc = child_path(w, path, child, &cpath);
        if (rc)
            return rc;
        rc = read_ranges(w, child, cpath, "reg", cells, LXS_REGION_RESERVED,
                         flags, NULL, NULL);
        free(cpath);
        if (rc)
            return rc;
    }
    return 0;
}

static bool is_module(const void *fdt, int node)
{
    return node_compatible(fdt, node, "multiboot,module") ||
           node_compatible(fdt, node, "xen,multiboot-module");
}

/*
 * The initrd a bootloader announces in /chosen is a boot module for Xen
 * (process_chosen_node(): 4- or 8-byte numbers, start < end).
 */
static int read_initrd(struct walk *w, int chosen)
{
    static const char *const names[2] = {
        "linux,initrd-start", "linux,initrd-end"
    };
    uint64_t v[2];
    unsigned int i;

    if (!fdt_getprop(w->fdt, chosen, names[0], NULL))
        return 0;
    for (i = 0; i < 2; i++) {
        const fdt32_t *p;
        int len;

        p = fdt_getprop(w->fdt, chosen, names[i], &len);
        if (!p)
            return bad(w, "/chosen: %s without %s", names[0], names[1]);
        if (len != 4 && len != 8)
            return bad(w, "/chosen: %s is %d bytes long, not 4 or 8",
                       names[i], len);
        v[i] = read_cells(p, len / 4);
    }
    if (v[0] >= v[1])
        return bad(w, "/chosen: linux,initrd-start %#" PRIx64 " is not "
                   "below linux,initrd-end %#" PRIx64, v[0], v[1]);
    return lxs_hostmap_add(w->map, LXS_REGION_RESERVED, v[0], v[1],
                           LXS_RESV_MODULE, "/chosen/linux,initrd", NULL);
}

/*
 * /chosen:
 * - xen,static-heap and xen,static-pool (our binding) with the root's
 *   cells, as booting.txt says and process_chosen_node() does (it gets
 *   the cells of /chosen's parent);
 * - boot modules: Xen takes multiboot,module nodes down to depth 3
 *   (early_scan_node()), i.e. children of /chosen and of its children
 *   such as the dom0less domain nodes, each read with its parent's
 *   cells (process_multiboot_node());
 * - dom0less domains: children with compatible "xen,domain"; their
 *   xen,static-mem is read with /chosen's cells: process_domain_node()
 *   gets the parent's cells from device_tree_for_each_node(), and
 *   parse_static_mem_prop() (domain_build.c) asks dt_n_addr_cells() and
 *   dt_n_size_cells(), which look from the parent upwards.
 */
static int read_chosen(struct walk *w, int chosen, const char *path,
                       struct cells root)
{
    struct cells cells = root;
    char *cpath = NULL, *gpath = NULL;
    int child, grand, rc;

    rc = read_ranges(w, chosen, path, "xen,static-heap", root,
                     LXS_REGION_RESERVED, LXS_RESV_STATIC_HEAP,
                     "/chosen/xen,static-heap", NULL);
    if (rc)
        return rc;
    rc = read_ranges(w, chosen, path, "xen,static-pool", root,
                     LXS_REGION_POOL, 0, "/chosen/xen,static-pool", NULL);
    if (rc)
        return rc;
    rc = node_cells(w, chosen, path, &cells);
    if (rc)
        return rc;
    rc = read_initrd(w, chosen);
    if (rc)
        return rc;

    fdt_for_each_subnode(child, w->fdt, chosen) {
        struct cells child_cells = cells;

        if (!node_enabled(w->fdt, child))
            continue;
        rc = child_path(w, path, child, &cpath);
        if (rc)
            goto out;
        if (is_module(w->fdt, child)) {
            rc = read_ranges(w, child, cpath, "reg", cells,
                             LXS_REGION_RESERVED, LXS_RESV_MODULE, NULL,
                             NULL);
            if (rc)
                goto out;
        }
        if (node_compatible(w->fdt, child, "xen,domain")) {
            rc = read_ranges(w, child, cpath, "xen,static-mem", cells,
                             LXS_REGION_OWNED, LXS_OWN_BOOT_BANK, NULL,
                             fdt_get_name(w->fdt, child, NULL));
            if (rc)
                goto out;
        }
        rc = node_cells(w, child, cpath, &child_cells);
        if (rc)
            goto out;
        fdt_for_each_subnode(grand, w->fdt, child) {
            if (!node_enabled(w->fdt, grand) || !is_module(w->fdt, grand))
                continue;
            rc = child_path(w, cpath, grand, &gpath);
            if (rc)
                goto out;
            rc = read_ranges(w, grand, gpath, "reg", child_cells,
                             LXS_REGION_RESERVED, LXS_RESV_MODULE, NULL,
                             NULL);
            free(gpath);
            gpath = NULL;
            if (rc)
                goto out;
        }
        free(cpath);
        cpath = NULL;
    }
    rc = 0;
out:
    free(cpath);
    return rc;
}

/*
 * Walks the enabled tree.  @parent holds the cells @node's properties
 * are read with; a disabled node is skipped with its subtree.
 */
static int walk_node(struct walk *w, int node, const char *path, int depth,
                     struct cells parent)
{
    struct cells own = parent;
    const char *type;
    char *cpath = NULL;
    int child, len, rc;

    if (depth > MAX_DEPTH)
        return bad(w, "nodes nested deeper than %d levels", MAX_DEPTH);
    if (!node_enabled(w->fdt, node))
        return 0;

    if (fdt_getprop(w->fdt, node, "#iommu-cells", NULL))
        w->map->has_iommu = true;

    type = fdt_getprop(w->fdt, node, "device_type", &len);
    if (depth > 0 && type && len == 7 && !memcmp(type, "memory", 7)) {
        rc = read_ranges(w, node, path, "reg", parent, LXS_REGION_RAM, 0,
                         NULL, NULL);
        if (rc)
            return rc;
    }

    rc = node_cells(w, node, path, &own);
    if (rc)
        return rc;

    if (depth == 1) {
        const char *name = fdt_get_name(w->fdt, node, NULL);

        if (name && !strcmp(name, "reserved-memory")) {
            rc = read_reserved_memory(w, node, path);
            if (rc)
                return rc;
        } else if (node_named(w->fdt, node, "chosen")) {
            rc = read_chosen(w, node, path, parent);
            if (rc)
                return rc;
        }
    }

    fdt_for_each_subnode(child, w->fdt, node) {
        rc = child_path(w, path, child, &cpath);
        if (rc)
            return rc;
        rc = walk_node(w, child, cpath, depth + 1, own);
        free(cpath);
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * libfdt 1.6.1 (Debian bookworm) mishandles two kinds of hostile blob
 * that dtc 1.7.0 fixed: fdt_next_tag() adds a property's length to the
 * offset unchecked, so a length near 2^31 wraps it backwards and
 * fdt_check_full() never ends (dtc commit 7359034, "libfdt: prevent
 * integer overflow in fdt_next_tag"); and fdt_check_full() reads the
 * first node's name through a NULL pointer when libfdt cannot get it
 * (fda71da, "libfdt: Handle failed get_name() on BEGIN_NODE").  So walk
 * the structure block first with every length bounded by the block, as
 * fdt_next_tag() steps through it, and check that name; then let
 * fdt_check_full() check the rest.
 */
#define TAG_ALIGN(x) (((x) + 3) & ~(uint32_t)3)

int lxs__fdt_check_full(const void *fdt, size_t len)
{
    const uint8_t *base, *nul;
    uint32_t size, pos = 0, tag, plen;
    int first = -1, r;

    if (len < sizeof(struct fdt_header))
        return -FDT_ERR_TRUNCATED;
    r = fdt_check_header(fdt);
    if (r)
        return r;
    if (len < fdt_totalsize(fdt))
        return -FDT_ERR_TRUNCATED;

    /* fdt_check_header() bounded these by the blob (<= INT_MAX) */
    base = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
    size = fdt_version(fdt) >= 17 ? fdt_size_dt_struct(fdt)
                                  : fdt_totalsize(fdt) - fdt_off_dt_struct(fdt);
    for (;;) {
        if (size - pos < 4)
            return -FDT_ERR_TRUNCATED;
        tag = fdt32_ld((const fdt32_t *)(base + pos));
        pos += 4;
        switch (tag) {
        case FDT_BEGIN_NODE:
            if (first < 0)
                first = (int)(pos - 4);
            nul = memchr(base + pos, '\0', size - pos);
            if (!nul)
                return -FDT_ERR_TRUNCATED;
            pos = TAG_ALIGN(pos + (uint32_t)(nul - (base + pos)) + 1);
            break;
        case FDT_PROP:
            if (size - pos < 8)
                return -FDT_ERR_TRUNCATED;
            plen = fdt32_ld((const fdt32_t *)(base + pos));
            pos += 8;
            if (plen > size - pos)
                return -FDT_ERR_TRUNCATED;
            /* before version 16, values of 8 bytes or more are 8-aligned */
            if (fdt_version(fdt) < 0x10 && plen >= 8 && pos % 8)
                pos += 4;
            pos = TAG_ALIGN(pos + plen);
            break;
        case FDT_END_NODE:
        case FDT_NOP:
            break;
        case FDT_END:
            goto walked;
        default:
            return -FDT_ERR_BADSTRUCTURE;
        }
        if (pos > size)
            return -FDT_ERR_TRUNCATED;
    }
walked:
    if (first >= 0 && !fdt_get_name(fdt, first, &r))
        return r < 0 ? r : -FDT_ERR_BADSTRUCTURE;
    return fdt_check_full(fdt, len);
}

/*
 * At most one /chosen.  Xen reads every root node named chosen or
 * chosen@<unit>, but libfdt's "/chosen" is the first of them only: with
 * two, dtgen would edit one (a pool, the domain nodes) while Xen and
 * this reader still take the other's, enabled or not.
 */
static int one_chosen(struct walk *w)
{
    const char *first = NULL;
    int node;

    fdt_for_each_subnode(node, w->fdt, 0) {
        if (!node_named(w->fdt, node, "chosen"))
            continue;
        if (first)
            return bad(w, "two chosen nodes, '/%s' and '/%s'", first,
                       fdt_get_name(w->fdt, node, NULL));
        first = fdt_get_name(w->fdt, node, NULL);
    }
    return 0;
}

int lxs_hostmap_from_fdt(struct lxs_hostmap *map, const void *fdt,
                         size_t len, char **why_r)
{
    struct lxs_hostmap tmp;
    struct walk w = { .map = &tmp };
    struct cells root = { ROOT_ADDR_CELLS, ROOT_SIZE_CELLS };
    void *copy = NULL;
    int r, rc;

    lxs_hostmap_init(&tmp);
    if (why_r)
        *why_r = NULL;

    if (!fdt || len < sizeof(struct fdt_header)) {
        rc = bad(&w, "device tree blob too short (%zu bytes)", len);
        goto out;
    }
    if ((uintptr_t)fdt & 7) {
        /* libfdt wants the blob 8-byte aligned */
        copy = lxs__malloc(len);
        if (!copy) {
            rc = -ENOMEM;
            goto out;
        }
        memcpy(copy, fdt, len);
        fdt = copy;
    }
    w.fdt = fdt;
    r = lxs__fdt_check_full(fdt, len);
    if (r == -FDT_ERR_BADMAGIC &&
        memmem(fdt, len < 4096 ? len : 4096, "/dts-v1/", 8)) {
        /* the source (its header, after any comments), not the blob */
        rc = bad(&w, "this is device tree source (.dts), not a blob: "
                 "compile it first (dtc -I dts -O dtb -o host.dtb host.dts)");
        goto out;
    }
    if (r) {
        rc = bad(&w, "corrupt or truncated device tree blob: %s",
                 fdt_strerror(r));
        goto out;
    }

    rc = read_memreserve(&w);
    if (rc)
        goto out;
    rc = one_chosen(&w);
    if (rc)
        goto out;
    rc = walk_node(&w, 0, "/", 0, root);
    if (rc)
        goto out;
    rc = lxs_hostmap_finish(&tmp);
    if (rc)
        goto out;

    lxs_hostmap_dispose(map);
    *map = tmp;
    /* the indexes point at the sets they were built over */
    map->reserved_ix.rs = &map->reserved;
    map->owned_ix.rs = &map->owned;
    lxs_hostmap_init(&tmp);
    rc = 0;
out:
    if (rc == -EBADMSG && why_r) {
        *why_r = w.why;
        w.why = NULL;
    }
    free(w.why);
    free(copy);
    lxs_hostmap_dispose(&tmp);
    return rc;
}

const char *lxs_host_dtb_path(const char *opt)
{
    const char *env;

    if (opt)
        return opt;
    env = getenv(LXS_HOST_DTB_ENV);
    return env && *env ? env : LXS_HOST_DTB_DEFAULT;
}

int lxs_hostmap_from_file(struct lxs_hostmap *map, const char *path,
                          char **why_r)
{
    char *buf = NULL;
    size_t len = 0;
    int rc;

    if (why_r)
        *why_r = NULL;
    rc = lxs_file_read(path, LXS_DTB_MAX_SIZE, &buf, &len);
    if (!rc)
        rc = lxs_hostmap_from_fdt(map, buf, len, why_r);
    free(buf);
    return rc;
}
