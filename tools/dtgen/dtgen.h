/*
 * dtgen: device trees for domains with static guest RAM placement.
 *
 * Two products, from the specs and plans of libxlstatic:
 *  - the guest device tree a domain boots with (libxl's layout, plus the
 *    real guest RAM banks, the planned grant-table window, extended
 *    regions computed from the real guest RAM, and dma-offset);
 *  - the dom0less host device tree: the host DTB Xen boots with, edited
 *    to carry one /chosen/<name> domain node per spec and the static pool.
 *
 * Error contract (as libxlstatic's): 0 on success, a negative errno on
 * failure, outputs untouched on failure.  Calls that take @why_r store
 * there, on failure and when @why_r is not NULL, an allocated one-line
 * message (lowercase, no final stop) that says what was wrong; free it
 * with free().  Nothing here prints.
 */
#ifndef DTGEN_H
#define DTGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libxlstatic.h"

/* libxl (4.17) offers a guest at most one extended region per RAM bank. */
#define DTG_MAX_EXT_REGIONS LXS_MAX_EXT_REGIONS
/*
 * Guest IPA width assumed when the caller does not know the host's
 * (libxl asks the running hypervisor for gpaddr_bits).  40 bits is the
 * smallest p2m width of the Armv8 hosts Xen supports with 4 KiB pages
 * at three levels, so regions below it are addressable everywhere.
 */
#define DTG_DEFAULT_IPA_BITS LXS_GUEST_IPA_BITS_DEFAULT
/* Largest guest device tree built (libxl: FDT_MAX_SIZE), not counting a
 * partial device tree, which adds its own size. */
#define DTG_FDT_MAX_SIZE (1u << 20)
/* Name of the /reserved-memory child of in-RAM magic pages, @<hex addr>. */
#define DTG_MAGIC_RESV_NODE "xen-magic-pages"

/* ------------------------------------------------------------------ */
/* Guest device tree                                                   */

struct dtg_guest_opts {
    /* "xen,xen-<major>.<minor>"; default: the xenlight release built with */
    unsigned int xen_major;
    unsigned int xen_minor;
    /* vGIC when the spec says 0 (libxl: the host's); 2 or 3, default 3 */
    int default_gic_version;
    /* guest IPA width: extended regions stay below 1 << ipa_bits */
    unsigned int ipa_bits;
    /* contents of the cfg's device_tree (partial DT), or NULL */
    const void *partial_fdt;
    size_t partial_len;
};

void dtg_guest_opts_init(struct dtg_guest_opts *opts);

/* <bus cpu size>: at most 2 cells each (the guest root has 2/2). */
#define DTG_DMA_RANGES_CELLS 6

/*
 * The guest-physical layout a guest DT states: the planner's layout of
 * the plan (lxs_guest_layout, computed there and only there), and what
 * the partial device tree adds.
 */
struct dtg_guest_layout {
    struct lxs_guest_layout g;
    /*
     * The dma-ranges entry of @g as the property of the partial DT's
     * /passthrough, in its cells (big-endian), when the layout was
     * computed with a partial DT and has a dma-offset; len 0 otherwise.
     */
    uint32_t pt_dma_ranges[DTG_DMA_RANGES_CELLS];
    size_t pt_dma_ranges_len;   /* bytes */
};

void dtg_guest_layout_init(struct dtg_guest_layout *layout);
void dtg_guest_layout_dispose(struct dtg_guest_layout *layout);

/*
 * The layout of @plan: lxs_guest_layout() for @opts->ipa_bits, with
 * the reg ranges of the partial DT's /passthrough devices
 * (@opts->partial_fdt, when given) as what extended regions avoid, and
 * the /passthrough dma-ranges cells.  Errors as lxs_guest_layout();
 * -EBADMSG: a bad partial DT.
 */
int dtg_guest_layout(const struct lxs_plan *plan,
                     const struct dtg_guest_opts *opts,
                     struct dtg_guest_layout *layout_r, char **why_r);

/*
 * The guest RAM of @layout as device tree nodes, for a tree being built
 * with libfdt's sequential-write functions, inside its root node: one
 * memory@ node per guest bank and, with in-RAM magic pages, the
 * /reserved-memory node that keeps the kernel off them.  The root has 2
 * address and 2 size cells (libxl's guest layout).  0 or a libfdt error
 * code (FDT_ERR_NOSPACE: grow the buffer and start again).
 */
int dtg_guest_ram_nodes(void *fdt, const struct dtg_guest_layout *layout);

/*
 * The partial device tree's /passthrough (required) and /aliases
 * (optional) copied into a tree being built with libfdt's
 * sequential-write functions, inside its root node, as libxl copies
 * them; /passthrough gets @layout's dma-ranges (replacing its own) when
 * the layout has them.  @layout must have been computed with @pfdt.  0
 * or a libfdt error code (FDT_ERR_NOSPACE: grow the buffer and start
 * again; FDT_ERR_NOTFOUND: no /passthrough).
 */
int dtg_guest_partial_nodes(void *fdt, const void *pfdt,
                            const struct dtg_guest_layout *layout);

/*
 * Builds the guest device tree of @spec placed by @plan (libfdt
 * sequential write).  A plan without extents (no static placement: Xen
 * allocates the RAM) gets libxl's layout of the spec's memory and no
 * dma-offset.  *fdt_r is malloc'd, packed, *size_r its size.
 * Errors as dtg_guest_layout, plus -EINVAL for a gic_version other than
 * 0, 2, 3, -EBADMSG for a partial DT without /passthrough or with
 * /passthrough cells the dma-ranges values do not fit in, -E2BIG when
 * the tree outgrows the size limit.
 */
int dtg_guest_fdt(const struct lxs_spec *spec, const struct lxs_plan *plan,
                  const struct dtg_guest_opts *opts,
                  void **fdt_r, size_t *size_r, char **why_r);

/* ------------------------------------------------------------------ */
/* Dom0less host device tree                                           */

/* A boot module of a domain: its file's size and its host address. */
struct dtg_module {
    uint64_t size;      /* bytes; 0: no such module */
    uint64_t addr;      /* host address, valid when placed */
    bool placed;        /* given by the caller or placed by dtg_host_check */
};

struct dtg_domain {
    const struct lxs_spec *spec;    /* name, vcpus, vuart, cmdline */
    const struct lxs_plan *plan;    /* extents, direct_map */
    struct dtg_module kernel;
    struct dtg_module ramdisk;
    /*
     * The passthrough device tree module (multiboot,device-tree) made by
     * dtg_passthrough_module, or size 0; @pt_fdt its contents, whose
     * xen,path nodes dtg_host_fdt marks xen,passthrough in the host DT.
     */
    struct dtg_module dtb;
    const void *pt_fdt;
};

struct dtg_host_opts {
    /* --pool: written as xen,static-pool, replacing an existing one */
    const struct lxs_window *pools;
    size_t nr_pools;
    /* alignment of automatically placed modules; default 2 MiB */
    uint64_t module_align;
    /* when size != 0, automatic placement stays inside this range */
    struct lxs_window module_area;
};

void dtg_host_opts_init(struct dtg_host_opts *opts);

/*
 * The passthrough device tree module of dom0less domain @spec placed by
 * @plan: a copy of its partial device tree @pfdt (@plen bytes) where
 * each device node directly below /passthrough gets xen,reg (the
 * @spec->iomem ranges that hold its reg, <host size guest> in
 * /passthrough's cells), xen,path (the node of @host_fdt whose first
 * reg address is the device's host address, found through 1:1 buses)
 * and, when that node has no "iommus", xen,force-assign-without-iommu;
 * /passthrough gets the dma-ranges of the plan's dma-offset.  Findings
 * go to @diags: missing (a device reg range in no iomem range, no host
 * node at its host address), too-many-banks (more than 8 reg ranges).
 * *fdt_r is malloc'd and packed.  0, -EINVAL (a finding),
 * -EBADMSG (a malformed tree; why), -ENOMEM, or dtg_guest_layout's
 * errors.
 */
int dtg_passthrough_module(const void *host_fdt, size_t host_len,
                           const struct lxs_spec *spec,
                           const struct lxs_plan *plan,
                           const void *pfdt, size_t plen,
                           struct lxs_diags *diags,
                           void **fdt_r, size_t *size_r, char **why_r);

/*
 * Makes @map's static pool @pools (what --pool does to the host DT), so
 * that lxs_check in LXS_MODE_BOOT keeps the domains out of it.  -EINVAL
 * for an empty or wrapping pool, -ENOMEM; @map is unchanged on failure.
 */
int dtg_hostmap_set_pools(struct lxs_hostmap *map,
                          const struct lxs_window *pools, size_t nr);

/*
 * Checks what the host DT edit needs beyond lxs_check (which, given a
 * map with the new pools, keeps domain RAM out of them), and places the
 * modules that have a size but no address.  Host ranges are those of
 * @in_fdt without the /chosen nodes the domains will replace.
 * The domains' own rules (a name that is a node name, memory, a
 * kernel, guest RAM where Xen's boot-time builder puts it) are
 * lxs_check's in LXS_MODE_BOOT: @doms must have passed it.  What is
 * left are the rules about the inputs only dtgen host has (the host
 * DT's nodes, --pool, the boot modules).  Findings go to @diags
 * (file/domain from the spec):
 *  - conflict: /chosen/<name> exists and is not a xen,domain node;
 *  - misaligned, overflow, outside-ram, overlap-reserved, overlap-domain:
 *    a pool not page aligned, outside RAM or on reserved or owned
 *    memory; a module at a given address outside RAM or on reserved,
 *    owned, pool, guest or other module memory;
 *  - no-space: no free room for a module.
 * Returns 0, -EINVAL when a finding is an error, -EBADMSG for a
 * malformed @in_fdt, -ENOMEM.  Placed addresses are written to @doms
 * only when the call returns 0.
 */
int dtg_host_check(const void *in_fdt, size_t in_len,
                   struct dtg_domain *doms, size_t nr,
                   const struct dtg_host_opts *opts,
                   struct lxs_diags *diags);

/*
 * Builds the dom0less host DT: a copy of @in_fdt (libfdt read-write)
 * where, for each domain, /chosen/<name> is (re)written with
 * compatible "xen,domain", #address-cells/#size-cells 2/2, memory (KiB),
 * cpus, xen,static-mem, direct-map, vpl011 and its module@<addr>
 * nodes; /chosen gets 2/2 cells (the reg of its children, the
 * xen,static-mem of other domain nodes rewritten to keep their meaning)
 * and, with pools, xen,static-pool in the root's cells (as Xen reads
 * it, like xen,static-heap; dtg_host_check() refuses a pool that does
 * not fit them).
 * Everything else is kept.  Every module with a size must be placed.
 * A domain whose plan has no extents (Xen allocates its RAM) gets
 * memory from the spec and no xen,static-mem.
 * -EINVAL (a bad or repeated name, no RAM, an unplaced module),
 * -EBADMSG (malformed @in_fdt), -E2BIG, -ENOMEM.
 */
int dtg_host_fdt(const void *in_fdt, size_t in_len,
                 const struct dtg_domain *doms, size_t nr,
                 const struct dtg_host_opts *opts,
                 void **fdt_r, size_t *size_r, char **why_r);

#endif /* DTGEN_H */
