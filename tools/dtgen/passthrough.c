/*
 * The passthrough device tree of a dom0less domain: the cfg's partial
 * device tree (device_tree), as Xen's boot-time builder takes it for
 * the domain's multiboot,device-tree module (Xen's
 * docs/misc/arm/device-tree/booting.txt, "Device Assignment"):
 *  - every device node directly below /passthrough gets xen,reg, the
 *    cfg's iomem ranges that hold its reg, <host size guest> in
 *    /passthrough's cells, page granular as Xen wants them;
 *  - xen,path, the host DT node at the host address of its first reg
 *    range, whose interrupts Xen routes to the domain 1:1;
 *  - xen,force-assign-without-iommu when that host node has no
 *    "iommus" (not behind an IOMMU: Xen refuses it otherwise);
 *  - /passthrough gets the dma-ranges of the guest's dma-offset, as the
 *    xl path does (dtg_guest_layout).
 * dtg_host_fdt marks each xen,path node xen,passthrough in the host DT,
 * so that dom0 does not get the device.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dtg_internal.h"
#include "lxs_internal.h"

#define PAGE_SHIFT 12
/* Device nodes below /passthrough a module may hold. */
#define MAX_DEVICES 64
/* Longest host DT path written as xen,path. */
#define MAX_PATH 256
/* reg ranges of one device node */
#define MAX_REG 8
/* deepest host DT node looked at for xen,path */
#define HOST_MAX_DEPTH 32

struct pt_device {
    int node;                       /* in the partial DT */
    char path[MAX_PATH];            /* its path there */
    char host_path[MAX_PATH];       /* xen,path */
    bool force;                     /* xen,force-assign-without-iommu */
    fdt32_t xen_reg[MAX_REG * 6];
    size_t reg_len;                 /* bytes */
};

struct ptctx {
    const void *host;
    const void *pfdt;
    const struct lxs_spec *spec;
    struct lxs_diags *diags;
    unsigned int ac, sc;            /* /passthrough's cells */
    struct pt_device *dev;
    size_t nr_dev;
};

static int __attribute__((format(printf, 4, 5)))
finding(struct ptctx *c, enum lxs_code code, const char *key,
        const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = lxs_diag_vadd(c->diags, LXS_SEV_ERROR, code, c->spec->file,
                       c->spec->name, key, fmt, ap);
    va_end(ap);
    return rc;
}

/* The iomem item that holds [@start, @end) in guest space, or NULL. */
static const struct lxs_iomem *iomem_holding(const struct lxs_spec *spec,
                                             uint64_t start, uint64_t end)
{
    size_t i;

    for (i = 0; i < spec->nr_iomem; i++) {
        const struct lxs_iomem *io = &spec->iomem[i];
        uint64_t g = io->gfn << PAGE_SHIFT;

        if (start >= g && end <= g + (io->nr << PAGE_SHIFT) && end > start)
            return io;
    }
    return NULL;
}

/*
 * The host node whose first reg range starts at @addr, reached from the
 * root through buses that map 1:1 (empty "ranges"); its path in @path.
 * 1 when found, 0 when not, a libfdt code on a malformed host DT.
 */
static int host_node_at(const void *host, uint64_t addr, char *path,
                        size_t path_size, bool *iommu_r)
{
    int node = -1, depth = -1, r;    /* the root is at depth 0 */
    unsigned int ac[HOST_MAX_DEPTH + 1], sc[HOST_MAX_DEPTH + 1];
    bool identity[HOST_MAX_DEPTH + 1];

    ac[0] = 2;
    sc[0] = 1;
    identity[0] = true;
    r = dtg__node_cells(host, 0, &ac[0], &sc[0]);
    if (r)
        return r;
    for (;;) {
        const fdt32_t *reg;
        const void *ranges;
        int len, rlen;

        node = fdt_next_node(host, node, &depth);
        if (node < 0)
            return node == -FDT_ERR_NOTFOUND ? 0 : node;
        if (depth < 0)
            return 0;           /* past the root's end */
        if (!depth)
            continue;
        if (depth > HOST_MAX_DEPTH)
            return -FDT_ERR_BADSTRUCTURE;
        /* its own reg, in its parent's cells, when they are the root's */
        reg = fdt_getprop(host, node, "reg", &len);
        if (identity[depth - 1] && reg &&
            len >= (int)((ac[depth - 1] + sc[depth - 1]) * 4) &&
            dtg__get_cells(&reg, ac[depth - 1]) == addr) {
            r = fdt_get_path(host, node, path, (int)path_size);
            if (r)
                return r;
            *iommu_r = fdt_getprop(host, node, "iommus", NULL) != NULL;
            return 1;
        }
        /*
         * Its children: its cells, 1:1 only through empty "ranges"; cells
         * other than 1 or 2 (a PCI bus) end the search below it.
         */
        ac[depth] = ac[depth - 1];
        sc[depth] = sc[depth - 1];
        r = dtg__node_cells(host, node, &ac[depth], &sc[depth]);
        if (r && r != -FDT_ERR_BADNCELLS)
            return r;
        ranges = fdt_getprop(host, node, "ranges", &rlen);
        identity[depth] = identity[depth - 1] && !r && ranges && rlen == 0;
    }
}

/* Adds io to @d's xen,reg unless it is there already. */
static void add_xen_reg(struct ptctx *c, struct pt_device *d,
                        const struct lxs_iomem *io)
{
    size_t per = 2 * c->ac + c->sc, n = d->reg_len / 4 / per, i;
    fdt32_t *cells;

    for (i = 0; i < n; i++) {
        const fdt32_t *p = d->xen_reg + i * per;

        if (dtg__get_cells(&p, c->ac) == io->mfn << PAGE_SHIFT)
            return;
    }
    cells = d->xen_reg + n * per;
    dtg__set_cells(&cells, c->ac, io->mfn << PAGE_SHIFT);
    dtg__set_cells(&cells, c->sc, io->nr << PAGE_SHIFT);
    dtg__set_cells(&cells, c->ac, io->gfn << PAGE_SHIFT);
    d->reg_len += per * 4;
}

/*
 * One device node below /passthrough: its reg ranges against the cfg's
 * iomem, its host node.  Findings for what the cfg or the host lack;
 * -EBADMSG (why) for a malformed partial DT.
 */
static int scan_device(struct ptctx *c, int node, char **why)
{
    struct pt_device *d = &c->dev[c->nr_dev];
    const fdt32_t *reg;
    size_t per = c->ac + c->sc, nr, i;
    uint64_t host0 = 0;
    int len, r;

    memset(d, 0, sizeof(*d));
    d->node = node;
    r = fdt_get_path(c->pfdt, node, d->path, sizeof(d->path));
    if (r) {
        lxs__why(why, "partial device tree: path of a /passthrough node: "
                 "%s", fdt_strerror(r));
        return -EBADMSG;
    }
    reg = fdt_getprop(c->pfdt, node, "reg", &len);
    if (!reg)
        return 0;               /* nothing to map: copied as it is */
    nr = (size_t)len / 4 / per;
    if (!nr || (size_t)len != nr * per * 4) {
        lxs__why(why, "partial device tree: '%s' reg is not a list of "
                 "<address size> in /passthrough's %u/%u cells", d->path,
                 c->ac, c->sc);
        return -EBADMSG;
    }
    if (nr > MAX_REG)
        return finding(c, LXS_E_TOO_MANY_BANKS, "device_tree",
                       "device '%s' has %zu reg ranges, more than %d",
                       d->path, nr, MAX_REG);
    for (i = 0; i < nr; i++) {
        uint64_t g = dtg__get_cells(&reg, c->ac);
        uint64_t s = dtg__get_cells(&reg, c->sc);
        const struct lxs_iomem *io = iomem_holding(c->spec, g, g + s);

        if (!io || g + s < g)
            return finding(c, LXS_E_MISSING, "iomem",
                           "device '%s' reg [0x%" PRIx64 ", 0x%" PRIx64
                           ") is in no 'iomem' range", d->path, g, g + s);
        if (!i)
            host0 = (io->mfn << PAGE_SHIFT) + (g - (io->gfn << PAGE_SHIFT));
        add_xen_reg(c, d, io);
    }
    r = host_node_at(c->host, host0, d->host_path, sizeof(d->host_path),
                     &d->force);
    if (r < 0) {
        lxs__why(why, "host device tree: %s", fdt_strerror(r));
        return -EBADMSG;
    }
    if (!r)
        return finding(c, LXS_E_MISSING, "device_tree",
                       "device '%s' is at host 0x%" PRIx64 " but no host "
                       "device tree node is there (for xen,path)", d->path,
                       host0);
    d->force = !d->force;       /* no iommus: assign without the IOMMU */
    c->nr_dev++;
    return 0;
}

static int scan(struct ptctx *c, char **why)
{
    int pt, node, r;

    pt = dtg__exact_node(c->pfdt, "/passthrough");
    if (pt < 0) {
        lxs__why(why, "partial device tree has no /passthrough node");
        return -EBADMSG;
    }
    c->ac = 2;
    c->sc = 2;
    r = dtg__node_cells(c->pfdt, pt, &c->ac, &c->sc);
    if (r) {
        lxs__why(why, "partial device tree: /passthrough cells: %s",
                 fdt_strerror(r));
        return -EBADMSG;
    }
    fdt_for_each_subnode(node, c->pfdt, pt) {
        if (c->nr_dev == MAX_DEVICES) {
            lxs__why(why, "partial device tree: more than %d devices "
                     "below /passthrough", MAX_DEVICES);
            return -EBADMSG;
        }
        r = scan_device(c, node, why);
        if (r)
            return r;
    }
    if (node != -FDT_ERR_NOTFOUND) {
        lxs__why(why, "partial device tree: %s", fdt_strerror(node));
        return -EBADMSG;
    }
    return 0;
}

/* The module: a copy of the partial DT with Xen's properties set. */
static int build(struct ptctx *c, const struct dtg_guest_layout *lay,
                 void **fdt_r, size_t *size_r)
{
    size_t i, size = fdt_totalsize(c->pfdt) + 1024;
    void *fdt;
    int node, r;

    for (i = 0; i < c->nr_dev; i++)
        size += c->dev[i].reg_len + strlen(c->dev[i].host_path) + 128;
    size += sizeof(lay->pt_dma_ranges) + 64;
    fdt = lxs__calloc(1, size);
    if (!fdt)
        return -ENOMEM;
    r = fdt_open_into(c->pfdt, fdt, (int)size);
    for (i = 0; !r && i < c->nr_dev; i++) {
        const struct pt_device *d = &c->dev[i];

        node = fdt_path_offset(fdt, d->path);
        r = node < 0 ? node : fdt_setprop(fdt, node, "xen,reg", d->xen_reg,
                                          (int)d->reg_len);
        if (!r)
            r = fdt_setprop_string(fdt, node, "xen,path", d->host_path);
        if (!r && d->force)
            r = fdt_setprop_empty(fdt, node,
                                  "xen,force-assign-without-iommu");
    }
    if (!r && lay->pt_dma_ranges_len) {
        node = fdt_path_offset(fdt, "/passthrough");
        r = node < 0 ? node : fdt_setprop(fdt, node, "dma-ranges",
                                          lay->pt_dma_ranges,
                                          (int)lay->pt_dma_ranges_len);
    }
    if (!r)
        r = fdt_pack(fdt);
    if (r) {
        free(fdt);
        return dtg__fdt_errno(r);
    }
    *size_r = fdt_totalsize(fdt);
    *fdt_r = fdt;
    return 0;
}

int dtg_passthrough_module(const void *host_fdt, size_t host_len,
                           const struct lxs_spec *spec,
                           const struct lxs_plan *plan,
                           const void *pfdt, size_t plen,
                           struct lxs_diags *diags,
                           void **fdt_r, size_t *size_r, char **why_r)
{
    struct dtg_guest_layout lay;
    struct dtg_guest_opts opts;
    struct ptctx c;
    size_t errors_before = diags->nr_errors;
    char *why = NULL;
    int r, rc;

    dtg_guest_layout_init(&lay);
    memset(&c, 0, sizeof(c));
    c.host = host_fdt;
    c.pfdt = pfdt;
    c.spec = spec;
    c.diags = diags;

    r = lxs__fdt_check_full(host_fdt, host_len);
    if (r) {
        lxs__why(&why, "host device tree is malformed: %s", fdt_strerror(r));
        rc = -EBADMSG;
        goto out;
    }
    r = lxs__fdt_check_full(pfdt, plen);
    if (r) {
        lxs__why(&why, "partial device tree is malformed: %s",
                 fdt_strerror(r));
        rc = -EBADMSG;
        goto out;
    }
    /* static guest RAM: the dma-ranges of its offset, as xl's path */
    if (plan->nr_ext) {
        dtg_guest_opts_init(&opts);
        opts.partial_fdt = pfdt;
        opts.partial_len = plen;
        rc = dtg_guest_layout(plan, &opts, &lay, &why);
        if (rc)
            goto out;
    }
    c.dev = lxs__calloc(MAX_DEVICES, sizeof(*c.dev));
    if (!c.dev) {
        rc = -ENOMEM;
        goto out;
    }
    rc = scan(&c, &why);
    if (rc)
        goto out;
    if (diags->nr_errors > errors_before) {
        rc = -EINVAL;
        goto out;
    }
    rc = build(&c, &lay, fdt_r, size_r);

out:
    free(c.dev);
    dtg_guest_layout_dispose(&lay);
    if (rc && why_r)
        *why_r = why;
    else
        free(why);
    return rc;
}
