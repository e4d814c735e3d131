/*
 * The guest device tree: libxl's layout (tools/libs/light/libxl_arm.c),
 * built with libfdt's sequential-write functions, one make_*_node() per
 * node, from the planned guest RAM instead of libxl's placeholders.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtg_internal.h"
#include "lxs_internal.h"

#define ROOT_AC GUEST_ROOT_ADDRESS_CELLS
#define ROOT_SC GUEST_ROOT_SIZE_CELLS

#define PROP_INITRD_START "linux,initrd-start"
#define PROP_INITRD_END "linux,initrd-end"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void dtg_guest_opts_init(struct dtg_guest_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->xen_major = XENLIGHT_VERSION_MAJOR;
    opts->xen_minor = XENLIGHT_VERSION_MINOR;
    opts->default_gic_version = 3;
    opts->ipa_bits = DTG_DEFAULT_IPA_BITS;
}

void dtg_guest_layout_init(struct dtg_guest_layout *layout)
{
    memset(layout, 0, sizeof(*layout));
}

void dtg_guest_layout_dispose(struct dtg_guest_layout *layout)
{
    if (!layout)
        return;
    lxs_guest_layout_dispose(&layout->g);
    dtg_guest_layout_init(layout);
}

/* ------------------------------------------------------------------ */
/* The partial device tree (cfg device_tree)                           */

static int check_partial(const struct dtg_guest_opts *opts, char **why)
{
    int r;

    r = lxs__fdt_check_full(opts->partial_fdt, opts->partial_len);
    if (r) {
        lxs__why(why, "partial device tree is malformed: %s",
                 fdt_strerror(r));
        return -EBADMSG;
    }
    return 0;
}

/* Deepest /passthrough subtree read (libfdt's own walk limit is 32). */
#define PT_MAX_DEPTH 32

/*
 * Adds to @out the reg ranges of every node below /passthrough (their
 * guest MMIO).  Buses below /passthrough are taken as identity-mapped
 * ("ranges;"), as libxl's passthrough documentation asks.
 */
static int passthrough_mmio(const void *pfdt, struct lxs_ranges *out,
                            char **why)
{
    /* cells[d]: those the children of the node at depth d read with */
    struct {
        unsigned int ac, sc;    /* 0: not usable for a reg */
    } cells[PT_MAX_DEPTH];
    int pt, node, depth = 0, len, rc;

    pt = dtg__exact_node(pfdt, "/passthrough");
    if (pt < 0)
        return 0;           /* reported by the builder */

    /* /passthrough sits under the guest root (2/2 cells) */
    cells[0].ac = ROOT_AC;
    cells[0].sc = ROOT_SC;
    if (dtg__node_cells(pfdt, pt, &cells[0].ac, &cells[0].sc))
        cells[0].ac = cells[0].sc = 0;

    for (node = fdt_next_node(pfdt, pt, &depth);
         node >= 0 && depth > 0;
         node = fdt_next_node(pfdt, node, &depth)) {
        const fdt32_t *reg;
        unsigned int ac, sc, i, n;

        if (depth >= PT_MAX_DEPTH) {
            lxs__why(why, "partial device tree is nested too deep");
            return -EBADMSG;
        }
        ac = cells[depth - 1].ac;
        sc = cells[depth - 1].sc;
        cells[depth].ac = ac;
        cells[depth].sc = sc;
        if (!ac || dtg__node_cells(pfdt, node, &cells[depth].ac,
                                   &cells[depth].sc))
            cells[depth].ac = cells[depth].sc = 0;

        reg = fdt_getprop(pfdt, node, "reg", &len);
        if (!reg)
            continue;
        if (!ac || len % (int)((ac + sc) * sizeof(*reg))) {
            lxs__why(why, "partial device tree: bad reg in \"%s\"",
                     fdt_get_name(pfdt, node, NULL));
            return -EBADMSG;
        }
        n = len / ((ac + sc) * sizeof(*reg));
        for (i = 0; i < n; i++) {
            uint64_t base = dtg__get_cells(&reg, ac);
            uint64_t size = dtg__get_cells(&reg, sc);
            uint64_t end;

            if (!size)
                continue;
            if (lxs_add_overflow(base, size, &end))
                end = UINT64_MAX;
            rc = lxs_ranges_add(out, base, end, 0);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */

/*
 * dma-ranges of /passthrough: <child-bus-address parent-address size>.
 * A passed-through device (no IOMMU) drives host-physical addresses on
 * its bus, so the child (DMA) address of guest RAM is its host address;
 * the parent is the guest's CPU-physical space (root, 2 cells) where
 * that RAM is at its guest address.  Linux then translates
 * dma = phys - (cpu - bus) = phys + dma-offset.
 */
static int passthrough_dma_ranges(const void *pfdt,
                                  struct dtg_guest_layout *lay, char **why)
{
    fdt32_t *cells = lay->pt_dma_ranges;
    unsigned int ac, sc;
    int node, r;

    node = dtg__exact_node(pfdt, "/passthrough");
    if (node < 0) {
        lxs__why(why, "partial device tree has no /passthrough node");
        return -EBADMSG;
    }
    /* its children's cells: its own, else the guest root's it sits in */
    ac = ROOT_AC;
    sc = ROOT_SC;
    r = dtg__node_cells(pfdt, node, &ac, &sc);
    if (r) {
        lxs__why(why, "partial device tree: /passthrough cells: %s",
                 fdt_strerror(r));
        return -EBADMSG;
    }
    if (ac > 2 || sc > 2 || !dtg__fits_cells(lay->g.dma_bus, ac) ||
        !dtg__fits_cells(lay->g.dma_size, sc)) {
        lxs__why(why, "dma-ranges <0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
                 "> does not fit /passthrough #address-cells %u "
                 "#size-cells %u", lay->g.dma_bus, lay->g.dma_cpu, lay->g.dma_size,
                 ac, sc);
        return -EBADMSG;
    }
    dtg__set_cells(&cells, ac, lay->g.dma_bus);
    dtg__set_cells(&cells, ROOT_AC, lay->g.dma_cpu);
    dtg__set_cells(&cells, sc, lay->g.dma_size);
    lay->pt_dma_ranges_len = (cells - lay->pt_dma_ranges) * sizeof(*cells);
    return 0;
}

static int compute_layout(const struct lxs_plan *plan,
                          const struct dtg_guest_opts *opts,
                          struct dtg_guest_layout *lay, char **why)
{
    struct lxs_ranges pt_mmio;
    int rc;

    lxs_ranges_init(&pt_mmio);
    if (opts->partial_fdt) {
        rc = check_partial(opts, why);
        if (rc)
            goto out;
        rc = passthrough_mmio(opts->partial_fdt, &pt_mmio, why);
        if (rc)
            goto out;
        lxs_ranges_merge(&pt_mmio);
    }
    /* the planner's layout; dtgen only adds the partial DT's cells */
    rc = lxs_guest_layout(plan, opts->ipa_bits,
                          opts->partial_fdt ? &pt_mmio : NULL, &lay->g, why);
    if (!rc && lay->g.has_dma_offset && opts->partial_fdt)
        rc = passthrough_dma_ranges(opts->partial_fdt, lay, why);
out:
    lxs_ranges_dispose(&pt_mmio);
    return rc;
}

int dtg_guest_layout(const struct lxs_plan *plan,
                     const struct dtg_guest_opts *opts,
                     struct dtg_guest_layout *layout_r, char **why_r)
{
    struct dtg_guest_layout lay;
    char *why = NULL;
    int rc;

    dtg_guest_layout_init(&lay);
    rc = compute_layout(plan, opts, &lay, &why);
    if (rc) {
        dtg_guest_layout_dispose(&lay);
        if (why_r)
            *why_r = why;
        else
            free(why);
        return rc;
    }
    free(why);
    dtg_guest_layout_dispose(layout_r);
    *layout_r = lay;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Nodes (each returns 0 or a libfdt error code)                       */

typedef fdt32_t gic_interrupt[3];

/* One interrupt specifier of the Arm GIC binding (3 cells). */
static void set_interrupt(gic_interrupt intr, unsigned int irq,
                          unsigned int cpumask, unsigned int level)
{
    fdt32_t *cells = intr;
    bool is_ppi = irq < 32;

    /* SGIs (0..15) are not described in device trees */
    irq -= is_ppi ? 16 : 32;
    dtg__set_cells(&cells, 1, is_ppi);
    dtg__set_cells(&cells, 1, irq);
    dtg__set_cells(&cells, 1, (cpumask << 8) | level);
}

/* compatible from @nr strings */
static int property_compat(void *fdt, unsigned int nr, ...)
{
    char buf[128];
    size_t len = 0;
    unsigned int i;
    va_list ap;

    va_start(ap, nr);
    for (i = 0; i < nr; i++) {
        const char *c = va_arg(ap, const char *);
        size_t n = strlen(c) + 1;

        if (len + n > sizeof(buf)) {
            va_end(ap);
            return -FDT_ERR_BADVALUE;
        }
        memcpy(buf + len, c, n);
        len += n;
    }
    va_end(ap);
    return fdt_property(fdt, "compatible", buf, len);
}

#define MAX_REGS 8

/* @name = <base size>... in root cells */
static int property_banks(void *fdt, const char *name,
                          const struct lxs_window *banks, unsigned int nr)
{
    fdt32_t regs[MAX_REGS * (ROOT_AC + ROOT_SC)];
    fdt32_t *cells = regs;
    unsigned int i;

    if (nr > MAX_REGS)
        return -FDT_ERR_BADVALUE;
    for (i = 0; i < nr; i++) {
        dtg__set_cells(&cells, ROOT_AC, banks[i].base);
        dtg__set_cells(&cells, ROOT_SC, banks[i].size);
    }
    return fdt_property(fdt, name, regs, (cells - regs) * sizeof(*regs));
}

static int property_interrupts(void *fdt, gic_interrupt *intr,
                               unsigned int nr)
{
    int r;

    r = fdt_property(fdt, "interrupts", intr, sizeof(intr[0]) * nr);
    if (r)
        return r;
    return fdt_property_cell(fdt, "interrupt-parent", GUEST_PHANDLE_GIC);
}

static int make_root_properties(void *fdt, const struct dtg_guest_opts *o)
{
    char model[32], compat[32];
    int r;

    snprintf(model, sizeof(model), "XENVM-%u.%u", o->xen_major,
             o->xen_minor);
    snprintf(compat, sizeof(compat), "xen,xenvm-%u.%u", o->xen_major,
             o->xen_minor);

    r = fdt_property_string(fdt, "model", model);
    if (r)
        return r;
    r = property_compat(fdt, 2, compat, "xen,xenvm");
    if (r)
        return r;
    r = fdt_property_cell(fdt, "interrupt-parent", GUEST_PHANDLE_GIC);
    if (r)
        return r;
    r = fdt_property_cell(fdt, "#address-cells", ROOT_AC);
    if (r)
        return r;
    return fdt_property_cell(fdt, "#size-cells", ROOT_SC);
}

static int make_chosen_node(void *fdt, const struct lxs_spec *spec)
{
    int r;

    r = fdt_begin_node(fdt, "chosen");
    if (r)
        return r;
    if (spec->cmdline) {
        r = fdt_property_string(fdt, "bootargs", spec->cmdline);
        if (r)
            return r;
    }
    if (spec->ramdisk) {
        /* the domain builder fills them in once the ramdisk is placed */
        r = fdt_property_u64(fdt, PROP_INITRD_START, 0);
        if (r)
            return r;
        r = fdt_property_u64(fdt, PROP_INITRD_END, 0);
        if (r)
            return r;
    }
    return fdt_end_node(fdt);
}

/* MPIDR affinity of a vCPU as libxl numbers them (AFF0, AFF1) */
static uint64_t vcpu_mpidr(unsigned int cpu)
{
    return (cpu & 0x0f) | (((uint64_t)(cpu >> 4) & 0xff) << 8);
}

static int make_cpus_node(void *fdt, unsigned int nr_cpus)
{
    unsigned int i;
    int r;

    r = fdt_begin_node(fdt, "cpus");
    if (r)
        return r;
    r = fdt_property_cell(fdt, "#address-cells", 1);
    if (r)
        return r;
    r = fdt_property_cell(fdt, "#size-cells", 0);
    if (r)
        return r;

    for (i = 0; i < nr_cpus; i++) {
        uint64_t mpidr = vcpu_mpidr(i);
        char name[32];

        snprintf(name, sizeof(name), "cpu@%" PRIx64, mpidr);
        r = fdt_begin_node(fdt, name);
        if (r)
            return r;
        r = fdt_property_string(fdt, "device_type", "cpu");
        if (r)
            return r;
        r = property_compat(fdt, 1, "arm,armv8");
        if (r)
            return r;
        r = fdt_property_string(fdt, "enable-method", "psci");
        if (r)
            return r;
        r = fdt_property_cell(fdt, "reg", (uint32_t)mpidr);
        if (r)
            return r;
        r = fdt_end_node(fdt);
        if (r)
            return r;
    }
    return fdt_end_node(fdt);
}

static int make_psci_node(void *fdt)
{
    int r;

    r = fdt_begin_node(fdt, "psci");
    if (r)
        return r;
    r = property_compat(fdt, 3, "arm,psci-1.0", "arm,psci-0.2", "arm,psci");
    if (r)
        return r;
    r = fdt_property_string(fdt, "method", "hvc");
    if (r)
        return r;
    r = fdt_property_cell(fdt, "cpu_off", PSCI_cpu_off);
    if (r)
        return r;
    r = fdt_property_cell(fdt, "cpu_on", PSCI_cpu_on);
    if (r)
        return r;
    return fdt_end_node(fdt);
}

static int make_memory_nodes(void *fdt, const struct dtg_guest_layout *lay)
{
    size_t i;
    int r;

    for (i = 0; i < lay->g.nr_ram; i++) {
        char name[32];

        snprintf(name, sizeof(name), "memory@%" PRIx64, lay->g.ram[i].base);
        r = fdt_begin_node(fdt, name);
        if (r)
            return r;
        r = fdt_property_string(fdt, "device_type", "memory");
        if (r)
            return r;
        r = property_banks(fdt, "reg", &lay->g.ram[i], 1);
        if (r)
            return r;
        r = fdt_end_node(fdt);
        if (r)
            return r;
    }
    return 0;
}

/*
 * In-RAM magic pages (direct map): reserved, but mapped, so that the
 * guest's RAM stays one range and its drivers can map the pages.
 */
static int make_reserved_memory_node(void *fdt,
                                     const struct dtg_guest_layout *lay)
{
    char name[48];
    int r;

    if (!lay->g.has_magic_resv)
        return 0;
    r = fdt_begin_node(fdt, "reserved-memory");
    if (r)
        return r;
    r = fdt_property_cell(fdt, "#address-cells", ROOT_AC);
    if (r)
        return r;
    r = fdt_property_cell(fdt, "#size-cells", ROOT_SC);
    if (r)
        return r;
    r = fdt_property(fdt, "ranges", NULL, 0);
    if (r)
        return r;
    snprintf(name, sizeof(name), DTG_MAGIC_RESV_NODE "@%" PRIx64,
             lay->g.magic.base);
    r = fdt_begin_node(fdt, name);
    if (r)
        return r;
    r = property_banks(fdt, "reg", &lay->g.magic, 1);
    if (r)
        return r;
    r = fdt_end_node(fdt);
    if (r)
        return r;
    return fdt_end_node(fdt);
}

int dtg_guest_ram_nodes(void *fdt, const struct dtg_guest_layout *layout)
{
    int r = make_memory_nodes(fdt, layout);

    return r ? r : make_reserved_memory_node(fdt, layout);
}

static int make_gic_node(void *fdt, int version)
{
    struct lxs_window regs[2];
    char name[48];
    int r;

    if (version == 2) {
        regs[0] = (struct lxs_window){ GUEST_GICD_BASE, GUEST_GICD_SIZE };
        regs[1] = (struct lxs_window){ GUEST_GICC_BASE, GUEST_GICC_SIZE };
    } else {
        regs[0] = (struct lxs_window){ GUEST_GICV3_GICD_BASE,
                                     GUEST_GICV3_GICD_SIZE };
        regs[1] = (struct lxs_window){ GUEST_GICV3_GICR0_BASE,
                                     GUEST_GICV3_GICR0_SIZE };
    }
    snprintf(name, sizeof(name), "interrupt-controller@%" PRIx64,
             regs[0].base);

    r = fdt_begin_node(fdt, name);
    if (r)
        return r;
    if (version == 2)
        r = property_compat(fdt, 2, "arm,cortex-a15-gic",
                            "arm,cortex-a9-gic");
    else
        r = property_compat(fdt, 1, "arm,gic-v3");
    if (r)
        return r;
    r = fdt_property_cell(fdt, "#interrupt-cells", 3);
    if (r)
        return r;
    r = fdt_property_cell(fdt, "#address-cells", 0);
    if (r)
        return r;
    r = fdt_property(fdt, "interrupt-controller", NULL, 0);
    if (r)
        return r;
    r = property_banks(fdt, "reg", regs, 2);
    if (r)
        return r;
    r = fdt_property_cell(fdt, "linux,phandle", GUEST_PHANDLE_GIC);
    if (r)
        return r;
    r = fdt_property_cell(fdt, "phandle", GUEST_PHANDLE_GIC);
    if (r)
        return r;
    return fdt_end_node(fdt);
}

static int make_timer_node(void *fdt)
{
    gic_interrupt ints[3];
    int r;

    r = fdt_begin_node(fdt, "timer");
    if (r)
        return r;
    r = property_compat(fdt, 1, "arm,armv8-timer");
    if (r)
        return r;
    set_interrupt(ints[0], GUEST_TIMER_PHYS_S_PPI, 0xf, DT_IRQ_TYPE_LEVEL_LOW);
    set_interrupt(ints[1], GUEST_TIMER_PHYS_NS_PPI, 0xf,
                  DT_IRQ_TYPE_LEVEL_LOW);
    set_interrupt(ints[2], GUEST_TIMER_VIRT_PPI, 0xf, DT_IRQ_TYPE_LEVEL_LOW);
    r = property_interrupts(fdt, ints, 3);
    if (r)
        return r;
    return fdt_end_node(fdt);
}

/*
 * Named "hypervisor" without a unit address as libxl and Xen do, although
 * it has a reg (dtc's unit_address_vs_reg warning): software finds it
 * by that path.
 */
static int make_hypervisor_node(void *fdt, const struct dtg_guest_opts *o,
                                const struct dtg_guest_layout *lay)
{
    struct lxs_window regs[1 + DTG_MAX_EXT_REGIONS];
    char compat[32];
    gic_interrupt intr;
    size_t i;
    int r;

    snprintf(compat, sizeof(compat), "xen,xen-%u.%u", o->xen_major,
             o->xen_minor);

    r = fdt_begin_node(fdt, "hypervisor");
    if (r)
        return r;
    r = property_compat(fdt, 2, compat, "xen,xen");
    if (r)
        return r;

    /* reg[0]: grant-table space; reg[1..N]: extended regions */
    regs[0] = lay->g.gnttab;
    for (i = 0; i < lay->g.nr_ext; i++)
        regs[1 + i] = lay->g.ext[i];
    r = property_banks(fdt, "reg", regs, 1 + lay->g.nr_ext);
    if (r)
        return r;

    /* event-channel upcall: active-low level-sensitive, all CPUs */
    set_interrupt(intr, GUEST_EVTCHN_PPI, 0xf, DT_IRQ_TYPE_LEVEL_LOW);
    r = property_interrupts(fdt, &intr, 1);
    if (r)
        return r;

    /* guest RAM host address = guest address + dma-offset */
    if (lay->g.has_dma_offset) {
        r = fdt_property_u64(fdt, "dma-offset", lay->g.dma_offset);
        if (r)
            return r;
    }
    return fdt_end_node(fdt);
}

static int make_vpl011_uart_node(void *fdt)
{
    const struct lxs_window reg = { GUEST_PL011_BASE, GUEST_PL011_SIZE };
    gic_interrupt intr;
    char name[32];
    int r;

    snprintf(name, sizeof(name), "sbsa-uart@%" PRIx64, reg.base);
    r = fdt_begin_node(fdt, name);
    if (r)
        return r;
    r = property_compat(fdt, 1, "arm,sbsa-uart");
    if (r)
        return r;
    r = property_banks(fdt, "reg", &reg, 1);
    if (r)
        return r;
    set_interrupt(intr, GUEST_VPL011_SPI, 0xf, DT_IRQ_TYPE_LEVEL_HIGH);
    r = property_interrupts(fdt, &intr, 1);
    if (r)
        return r;
    r = fdt_property_u32(fdt, "current-speed", 115200);
    if (r)
        return r;
    return fdt_end_node(fdt);
}

/* ------------------------------------------------------------------ */
/* Copying the partial device tree (libxl's copy_partial_fdt)          */

/* @lay: the dma-ranges to write in place of the node's own, or NULL */
static int copy_properties(void *fdt, const void *pfdt, int node,
                           const struct dtg_guest_layout *lay)
{
    int off;

    fdt_for_each_property_offset(off, pfdt, node) {
        const char *name;
        const void *val;
        int len, r;

        val = fdt_getprop_by_offset(pfdt, off, &name, &len);
        if (!val)
            return len;
        /* ours replaces the partial DT's own */
        if (lay && !strcmp(name, "dma-ranges"))
            continue;
        r = fdt_property(fdt, name, val, len);
        if (r)
            return r;
    }
    if (off != -FDT_ERR_NOTFOUND)
        return off;
    if (lay)
        return fdt_property(fdt, "dma-ranges", lay->pt_dma_ranges,
                            (int)lay->pt_dma_ranges_len);
    return 0;
}

static int copy_node(void *fdt, const void *pfdt, int node,
                     const struct dtg_guest_layout *lay)
{
    int child, r;

    r = fdt_begin_node(fdt, fdt_get_name(pfdt, node, NULL));
    if (r)
        return r;
    r = copy_properties(fdt, pfdt, node, lay);
    if (r)
        return r;
    fdt_for_each_subnode(child, pfdt, node) {
        r = copy_node(fdt, pfdt, child, NULL);
        if (r)
            return r;
    }
    if (child != -FDT_ERR_NOTFOUND)
        return child;
    return fdt_end_node(fdt);
}

int dtg_guest_partial_nodes(void *fdt, const void *pfdt,
                            const struct dtg_guest_layout *layout)
{
    int node, r;

    node = dtg__exact_node(pfdt, "/passthrough");
    if (node < 0)
        return node;
    r = copy_node(fdt, pfdt, node,
                  layout->pt_dma_ranges_len ? layout : NULL);
    if (r)
        return r;

    node = dtg__exact_node(pfdt, "/aliases");
    if (node == -FDT_ERR_NOTFOUND)
        return 0;
    if (node < 0)
        return node;
    return copy_node(fdt, pfdt, node, NULL);
}

/* ------------------------------------------------------------------ */
/* The tree                                                            */

/*
 * A domain without static placement gets its RAM from Xen's heap, where
 * libxl lays it out: GUEST_RAM0 first, the rest in GUEST_RAM1.  Its
 * plan has no extents; make the guest side of them (the host side is
 * unknown, and so there is no dma-offset).  @p->ext points at 2 slots.
 */
static int heap_plan(struct lxs_plan *p, uint64_t size, char **why)
{
    uint64_t low = size < GUEST_RAM0_SIZE ? size : GUEST_RAM0_SIZE;

    if (!size || size - low > GUEST_RAM1_SIZE) {
        lxs__why(why, "memory 0x%" PRIx64 " does not fit the guest ram "
                 "banks", size);
        return -EINVAL;
    }
    p->nr_ext = 0;
    p->ext[p->nr_ext++] = (struct lxs_extent){ GUEST_RAM0_BASE,
                                               GUEST_RAM0_BASE, low };
    if (size > low)
        p->ext[p->nr_ext++] = (struct lxs_extent){ GUEST_RAM1_BASE,
                                                   GUEST_RAM1_BASE,
                                                   size - low };
    p->has_dma_offset = false;
    p->direct_map = false;
    return 0;
}

/*
 * What the tree is built from: the vGIC version (*@gic_r), the layout
 * of @plan (or of libxl's layout of heap RAM when it has no extents)
 * and the size the tree may grow to (*@max_r).
 */
static int guest_prepare(const struct lxs_spec *spec,
                         const struct lxs_plan *plan,
                         const struct dtg_guest_opts *opts,
                         struct dtg_guest_layout *lay, int *gic_r,
                         size_t *max_r, char **why)
{
    struct lxs_plan heap = *plan;
    struct lxs_extent heap_ext[2];
    const void *pfdt = opts->partial_fdt;
    int rc;

    heap.ext = heap_ext;
    *gic_r = spec->gic_version ? spec->gic_version
                               : opts->default_gic_version;
    if (*gic_r != 2 && *gic_r != 3) {
        lxs__why(why, "gic_version %d is not 2 or 3", *gic_r);
        return -EINVAL;
    }
    if (!plan->nr_ext) {
        /* Xen allocates the RAM: libxl's layout */
        rc = heap_plan(&heap, spec->has_memory ? spec->memory_size
                                               : LXS_DEFAULT_MEMORY_SIZE,
                       why);
        if (rc)
            return rc;
        plan = &heap;
    }
    rc = compute_layout(plan, opts, lay, why);
    if (rc)
        return rc;
    *max_r = DTG_FDT_MAX_SIZE;
    if (pfdt) {
        if (dtg__exact_node(pfdt, "/passthrough") < 0) {
            lxs__why(why, "partial device tree has no /passthrough node");
            return -EBADMSG;
        }
        *max_r += fdt_totalsize(pfdt);
    }
    return 0;
}

int dtg_guest_fdt(const struct lxs_spec *spec, const struct lxs_plan *plan,
                  const struct dtg_guest_opts *opts,
                  void **fdt_r, size_t *size_r, char **why_r)
{
    struct dtg_guest_layout lay;
    const void *pfdt = opts->partial_fdt;
    void *fdt = NULL, *nfdt;
    size_t fdt_size = 0, max_size = 0;
    char *why = NULL;
    int gic = 0, rc, r;

    dtg_guest_layout_init(&lay);
    rc = guest_prepare(spec, plan, opts, &lay, &gic, &max_size, &why);
    if (rc)
        goto out;

/*
 * Runs a step; on -FDT_ERR_NOSPACE starts again from scratch with a
 * buffer twice as big (a failed step may have left a node open, so
 * resuming is not an option), up to max_size; any other error ends.
 */
#define FDT(call) do {                                                  \
        int fdt_res_ = (call);                                          \
        if (fdt_res_ == -FDT_ERR_NOSPACE && fdt_size < max_size)        \
            goto next_resize;                                           \
        if (fdt_res_ < 0) {                                             \
            lxs__why(&why, "cannot build the guest device tree: %s: %s", \
                     #call, fdt_strerror(fdt_res_));                    \
            rc = dtg__fdt_errno(fdt_res_);                              \
            goto out;                                                   \
        }                                                               \
    } while (0)

    for (;;) {
next_resize:
        fdt_size = fdt_size ? fdt_size * 2 : 4096;
        nfdt = lxs__realloc(fdt, fdt_size);
        if (!nfdt) {
            rc = -ENOMEM;
            goto out;
        }
        fdt = nfdt;

        FDT(fdt_create(fdt, (int)fdt_size));
        FDT(fdt_finish_reservemap(fdt));
        FDT(fdt_begin_node(fdt, ""));

        FDT(make_root_properties(fdt, opts));
        FDT(make_chosen_node(fdt, spec));
        FDT(make_cpus_node(fdt, spec->vcpus ? spec->vcpus : 1));
        FDT(make_psci_node(fdt));
        FDT(dtg_guest_ram_nodes(fdt, &lay));
        FDT(make_gic_node(fdt, gic));
        FDT(make_timer_node(fdt));
        FDT(make_hypervisor_node(fdt, opts, &lay));
        if (spec->vuart_sbsa)
            FDT(make_vpl011_uart_node(fdt));
        if (pfdt)
            FDT(dtg_guest_partial_nodes(fdt, pfdt, &lay));

        FDT(fdt_end_node(fdt));
        FDT(fdt_finish(fdt));
        break;
    }
#undef FDT

    /* the tree is ours: a failure here is a bug, not bad input */
    r = fdt_check_full(fdt, fdt_totalsize(fdt));
    if (r) {
        lxs__why(&why, "generated guest device tree fails its check: %s",
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
    dtg_guest_layout_dispose(&lay);
    if (rc && why_r)
        *why_r = why;
    else
        free(why);
    return rc;
}
