/*
 * The guest-physical layout of a plan: guest RAM banks (guest-adjacent
 * extents merged), the grant-table window, the extended regions, the
 * in-RAM magic pages, the dma-offset and the span the /passthrough
 * dma-ranges entry covers.  Computed once, here, from the plan; dtgen,
 * the commands and the libxl glue only write it out (issue 14).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check_i.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Guest address spaces where libxl puts RAM, hence extended regions. */
static const struct lxs_window ram_spaces[] = {
    { GUEST_RAM0_BASE, GUEST_RAM0_SIZE },
    { GUEST_RAM1_BASE, GUEST_RAM1_SIZE },
};

/*
 * Every fixed guest MMIO window of <xen/arch-arm.h>: an extended region
 * never covers one, wherever the planner has put the RAM.
 */
static const struct lxs_window fixed_windows[] = {
    { GUEST_VIRTIO_MMIO_BASE, GUEST_VIRTIO_MMIO_SIZE },
    { GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICD_SIZE },   /* covers GICv2 GICD */
    { GUEST_GICC_BASE, GUEST_GICC_SIZE },
    { GUEST_GICV3_GICR0_BASE, GUEST_GICV3_GICR0_SIZE },
    { GUEST_VPCI_ECAM_BASE, GUEST_VPCI_ECAM_SIZE },
    { GUEST_ACPI_BASE, GUEST_ACPI_SIZE },
    { GUEST_PL011_BASE, GUEST_PL011_SIZE },
    { GUEST_VPCI_MEM_ADDR, GUEST_VPCI_MEM_SIZE },
    { GUEST_GNTTAB_BASE, GUEST_GNTTAB_SIZE },
    { GUEST_MAGIC_BASE, GUEST_MAGIC_SIZE },
    { GUEST_VPCI_PREFETCH_MEM_ADDR, GUEST_VPCI_PREFETCH_MEM_SIZE },
};

void lxs_guest_layout_init(struct lxs_guest_layout *layout)
{
    memset(layout, 0, sizeof(*layout));
}

void lxs_guest_layout_dispose(struct lxs_guest_layout *layout)
{
    if (!layout)
        return;
    free(layout->ram);
    lxs_guest_layout_init(layout);
}

static bool aligned(uint64_t v)
{
    return !(v & (LXS_PAGE_SIZE - 1));
}

static int check_extents(const struct lxs_plan *plan, uint64_t ipa_limit,
                         char **why)
{
    size_t i;

    if (!plan->nr_ext) {
        lxs__why(why, "plan has no guest ram");
        return -EINVAL;
    }
    for (i = 0; i < plan->nr_ext; i++) {
        const struct lxs_extent *e = &plan->ext[i];
        uint64_t hend, gend;

        if (!e->size || !aligned(e->host) || !aligned(e->guest) ||
            !aligned(e->size) ||
            lxs_add_overflow(e->host, e->size, &hend) ||
            lxs_add_overflow(e->guest, e->size, &gend)) {
            lxs__why(why, "plan extent %zu (host 0x%" PRIx64 ", guest 0x%"
                     PRIx64 ", size 0x%" PRIx64 ") is not a page-aligned "
                     "range", i, e->host, e->guest, e->size);
            return -EINVAL;
        }
        if (ipa_limit && gend > ipa_limit) {
            lxs__why(why, "guest ram 0x%" PRIx64 "-0x%" PRIx64 " is above "
                     "the guest ipa limit 0x%" PRIx64, e->guest, gend,
                     ipa_limit);
            return -EINVAL;
        }
        if (plan->has_dma_offset && e->host - e->guest != plan->dma_offset) {
            lxs__why(why, "plan dma-offset 0x%" PRIx64 " does not hold for "
                     "extent host 0x%" PRIx64 " guest 0x%" PRIx64,
                     plan->dma_offset, e->host, e->guest);
            return -EINVAL;
        }
    }
    return 0;
}

/* Guest RAM sorted by guest address, guest-adjacent extents merged. */
static int merge_ram(const struct lxs_plan *plan, struct lxs_ranges *ram,
                     char **why)
{
    size_t i;
    int rc;

    for (i = 0; i < plan->nr_ext; i++) {
        const struct lxs_extent *e = &plan->ext[i];

        rc = lxs_ranges_add(ram, e->guest, e->guest + e->size, (uint32_t)i);
        if (rc)
            return rc;
    }
    lxs_ranges_sort(ram);
    for (i = 1; i < ram->nr; i++) {
        if (ram->v[i].start < ram->v[i - 1].end) {
            lxs__why(why, "plan extents overlap in guest space at 0x%"
                     PRIx64, ram->v[i].start);
            return -EINVAL;
        }
    }
    lxs_ranges_merge(ram);
    return 0;
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return a < b + bsize && b < a + asize;
}

/*
 * Extended regions: the guest address space libxl gives RAM (bank 0 and
 * bank 1 spaces) below the IPA limit, minus the guest RAM, every window
 * and the passthrough MMIO, trimmed to 2 MiB alignment, at least 64 MiB;
 * the largest in each RAM space (libxl offers one per bank).
 */
static int ext_regions(const struct lxs_ranges *ram,
                       const struct lxs_ranges *pt_mmio,
                       const struct lxs_plan *plan, uint64_t ipa_limit,
                       struct lxs_guest_layout *lay)
{
    struct lxs_ranges space, busy, free_;
    size_t i, j;
    int rc;

    lxs_ranges_init(&space);
    lxs_ranges_init(&busy);
    lxs_ranges_init(&free_);

    for (i = 0; i < ARRAY_SIZE(ram_spaces); i++) {
        uint64_t end = ram_spaces[i].base + ram_spaces[i].size;

        if (ipa_limit && end > ipa_limit)
            end = ipa_limit;
        if (end <= ram_spaces[i].base)
            continue;
        rc = lxs_ranges_add(&space, ram_spaces[i].base, end, (uint32_t)i);
        if (rc)
            goto out;
    }

    for (i = 0; i < ram->nr; i++) {
        rc = lxs_ranges_add(&busy, ram->v[i].start, ram->v[i].end, 0);
        if (rc)
            goto out;
    }
    for (i = 0; i < pt_mmio->nr; i++) {
        rc = lxs_ranges_add(&busy, pt_mmio->v[i].start, pt_mmio->v[i].end, 0);
        if (rc)
            goto out;
    }
    for (i = 0; i < ARRAY_SIZE(fixed_windows); i++) {
        rc = lxs_ranges_add(&busy, fixed_windows[i].base,
                            fixed_windows[i].base + fixed_windows[i].size, 0);
        if (rc)
            goto out;
    }
    rc = lxs_ranges_add(&busy, lay->gnttab.base,
                        lay->gnttab.base + lay->gnttab.size, 0);
    if (rc)
        goto out;
    if (plan->magic.size) {
        rc = lxs_ranges_add(&busy, plan->magic.base,
                            plan->magic.base + plan->magic.size, 0);
        if (rc)
            goto out;
    }
    lxs_ranges_merge(&space);
    lxs_ranges_merge(&busy);

    rc = lxs_ranges_subtract(&space, &busy, &free_);
    if (rc)
        goto out;

    lay->nr_ext = 0;
    for (j = 0; j < ARRAY_SIZE(ram_spaces); j++) {
        uint64_t sbase = ram_spaces[j].base;
        uint64_t send = sbase + ram_spaces[j].size;
        struct lxs_window best = { 0, 0 };

        for (i = 0; i < free_.nr; i++) {
            uint64_t start, end;

            if (free_.v[i].start < sbase || free_.v[i].start >= send)
                continue;
            start = (free_.v[i].start + LXS_EXT_REGION_ALIGN - 1) &
                ~(LXS_EXT_REGION_ALIGN - 1);
            end = free_.v[i].end & ~(LXS_EXT_REGION_ALIGN - 1);
            if (start < free_.v[i].start || end <= start ||
                end - start < LXS_EXT_REGION_MIN_SIZE)
                continue;
            if (end - start > best.size) {
                best.base = start;
                best.size = end - start;
            }
        }
        if (best.size && lay->nr_ext < LXS_MAX_EXT_REGIONS)
            lay->ext[lay->nr_ext++] = best;
    }
    rc = 0;

out:
    lxs_ranges_dispose(&space);
    lxs_ranges_dispose(&busy);
    lxs_ranges_dispose(&free_);
    return rc;
}

/*
 * The grant-table window and the in-RAM magic pages of @plan, checked
 * against the merged guest RAM @ram.
 */
static int layout_windows(const struct lxs_plan *plan,
                          const struct lxs_ranges *ram,
                          struct lxs_guest_layout *lay, char **why)
{
    uint64_t end;
    size_t i;

    if (plan->gnttab.size) {
        lay->gnttab = plan->gnttab;
        if (lxs_add_overflow(plan->gnttab.base, plan->gnttab.size, &end) ||
            (plan->magic.size &&
             lxs_add_overflow(plan->magic.base, plan->magic.size, &end))) {
            lxs__why(why, "plan windows wrap the address space");
            return -EINVAL;
        }
    } else {
        lay->gnttab.base = GUEST_GNTTAB_BASE;
        lay->gnttab.size = GUEST_GNTTAB_SIZE;
    }
    if (plan->magic_in_ram) {
        for (i = 0; i < ram->nr; i++)
            if (plan->magic.size && aligned(plan->magic.base) &&
                aligned(plan->magic.size) &&
                plan->magic.base >= ram->v[i].start &&
                plan->magic.base < ram->v[i].end &&
                plan->magic.size <= ram->v[i].end - plan->magic.base)
                break;
        if (i == ram->nr) {
            lxs__why(why, "magic pages 0x%" PRIx64 "+0x%" PRIx64 " are said "
                    "to be in guest ram but are not", plan->magic.base,
                    plan->magic.size);
            return -EINVAL;
        }
        lay->has_magic_resv = true;
        lay->magic = plan->magic;
    }
    for (i = 0; i < ram->nr; i++) {
        if (overlaps(lay->gnttab.base, lay->gnttab.size, ram->v[i].start,
                     ram->v[i].end - ram->v[i].start)) {
            lxs__why(why, "grant-table window 0x%" PRIx64 "+0x%" PRIx64
                    " overlaps guest ram 0x%" PRIx64 "-0x%" PRIx64,
                    lay->gnttab.base, lay->gnttab.size, ram->v[i].start,
                    ram->v[i].end);
            return -EINVAL;
        }
    }
    return 0;
}

int lxs_guest_layout(const struct lxs_plan *plan, unsigned int ipa_bits,
                     const struct lxs_ranges *pt_mmio,
                     struct lxs_guest_layout *layout_r, char **why_r)
{
    static const struct lxs_ranges none;
    struct lxs_guest_layout lay;
    struct lxs_ranges ram;
    uint64_t ipa_limit;
    char *why = NULL;
    size_t i;
    int rc;

    lxs_guest_layout_init(&lay);
    lxs_ranges_init(&ram);

    if (ipa_bits < 32 || ipa_bits > 64) {
        lxs__why(&why, "guest ipa width %u is not in 32..64", ipa_bits);
        rc = -EINVAL;
        goto out;
    }
    /* 0 stands for "no limit" (2^64) */
    ipa_limit = ipa_bits == 64 ? 0 : UINT64_C(1) << ipa_bits;

    rc = check_extents(plan, ipa_limit, &why);
    if (!rc)
        rc = merge_ram(plan, &ram, &why);
    if (!rc)
        rc = layout_windows(plan, &ram, &lay, &why);
    if (!rc)
        rc = ext_regions(&ram, pt_mmio ? pt_mmio : &none, plan, ipa_limit,
                         &lay);
    if (rc)
        goto out;

    lay.ram = lxs__calloc(ram.nr, sizeof(*lay.ram));
    if (!lay.ram) {
        rc = -ENOMEM;
        goto out;
    }
    for (i = 0; i < ram.nr; i++) {
        lay.ram[i].base = ram.v[i].start;
        lay.ram[i].size = ram.v[i].end - ram.v[i].start;
    }
    lay.nr_ram = ram.nr;

    lay.has_dma_offset = plan->has_dma_offset;
    if (plan->has_dma_offset) {
        lay.dma_offset = plan->dma_offset;
        lay.dma_cpu = ram.v[0].start;
        lay.dma_size = ram.v[ram.nr - 1].end - ram.v[0].start;
        lay.dma_bus = lay.dma_cpu + plan->dma_offset;
    }
    lxs_guest_layout_dispose(layout_r);
    *layout_r = lay;
    lxs_guest_layout_init(&lay);
    rc = 0;

out:
    if (rc && why_r) {
        *why_r = why;
        why = NULL;
    }
    free(why);
    lxs_ranges_dispose(&ram);
    lxs_guest_layout_dispose(&lay);
    return rc;
}
