/* Internal to dtgen (prefix dtg__). */
#ifndef DTG_INTERNAL_H
#define DTG_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include <libfdt.h>

#include "dtgen.h"

/*
 * The guest layout constants (GUEST_*) of <xen/arch-arm.h>.  On an Arm
 * build <xen/xen.h> includes it; on any other build host <xen/xen.h>
 * would pull in the host's own arch header, whose types clash with the
 * Arm one, so take the Arm header alone (it needs only xen_mk_ullong).
 */
#if defined(__aarch64__) || defined(__arm__)
#include <xen/xen.h>
#else
#ifndef xen_mk_ullong
#define xen_mk_ullong(x) x##ULL
#endif
#include <xen/arch-arm.h>
#endif
#include <xen/device_tree_defs.h>

#ifndef XENLIGHT_VERSION_MAJOR
#error "configure defines XENLIGHT_VERSION_MAJOR/MINOR"
#endif

#define DTG_MIB(x) ((uint64_t)(x) << 20)

/* Big-endian cells of @val in @nr_cells cells (1 or 2) at *cellp. */
void dtg__set_cells(fdt32_t **cellp, unsigned int nr_cells, uint64_t val);
/* Reads @nr_cells (1 or 2) cells; advances *cellp. */
uint64_t dtg__get_cells(const fdt32_t **cellp, unsigned int nr_cells);
/* True when @val fits in @nr_cells cells. */
bool dtg__fits_cells(uint64_t val, unsigned int nr_cells);

/*
 * #address-cells / #size-cells of @node as seen by its children.  On
 * entry *addr_r and *size_r hold its parent's (what a node without the
 * property inherits, as Xen's and Linux's readers do; the root's are 2
 * and 1); a property present replaces them.  -FDT_ERR_BADNCELLS when a
 * value present is not 1 or 2: addresses and sizes here are reg-like,
 * 32 or 64 bits.
 */
int dtg__node_cells(const void *fdt, int node, unsigned int *addr_r,
                    unsigned int *size_r);

/*
 * The node at @path, whose last component must match exactly
 * (fdt_path_offset ignores a missing unit address); a libfdt code.
 */
int dtg__exact_node(const void *fdt, const char *path);

/* An errno for a libfdt error code. */
int dtg__fdt_errno(int fdt_err);



#endif /* DTG_INTERNAL_H */
