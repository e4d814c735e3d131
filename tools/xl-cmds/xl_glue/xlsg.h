/*
 * xlsg: the glue between Xen 4.17's toolstack (libxl, libxenguest, xl)
 * and xl-static's libraries.  hypervisor-hooks/apply.sh copies this
 * directory into the Xen tree (xlsg_libxl.c into libxenlight,
 * xlsg_xl.c into xl), so that this is the only copy.
 *
 * Error contract as libxlstatic's: 0 or a negative errno, outputs
 * untouched on failure, nothing printed (xlsg_xl.c's commands excepted).
 */
#ifndef XLSG_H
#define XLSG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "libxlstatic.h"
#include "dtgen.h"

/* Returns the malloc'd name of domain @domid, or NULL when unknown. */
typedef char *(*xlsg_name_fn)(uint32_t domid, void *opaque);

/*
 * Does @b_info ask for static guest RAM placement (direct_map,
 * rambase_pfn, static_mem or mem_chunk)?
 */
bool xlsg_wants_static(const libxl_domain_build_info *b_info);

/*
 * The lxs spec of a domain from its libxl configuration (name, memory,
 * vcpus, the static keys, vGIC, vUART, passthrough).  @spec_r must
 * have been set up with lxs_spec_init().  -ENOMEM.
 */
int xlsg_spec_from_config(const libxl_domain_config *d_config,
                          struct lxs_spec *spec_r);

/*
 * The host memory map in dom0: the host DTB ($XL_STATIC_HOST_DTB, else
 * /etc/xen/host.dtb) when it can be read, with the extents claimed from
 * the pool at run time (lxs_hv_query) added as owned by their domain;
 * without the DTB, everything from the live query.  Then the
 * reservations of the registry (lxs_registry_dir(NULL)) as owned by their
 * domain names.  -ENOSYS: neither a DTB nor a patched hypervisor;
 * -EBADMSG: a corrupt DTB or registry (*why_r says why); -ENOMEM;
 * -errno.
 */
int xlsg_hostmap(xlsg_name_fn name_of, void *opaque,
                 struct lxs_hostmap *map_r, char **why_r);

/*
 * Records in the registry that domain @name has these extents (once it
 * is created with them), under the registry's exclusive lock; no
 * write when it has exactly them already.  -EBUSY: another name's
 * reservation overlaps them; -EINVAL: a name or extents the registry
 * cannot hold; -EBADMSG: a corrupt registry; -ENOMEM; -errno.  *why_r
 * (when not NULL) gets an allocated message on failure, or NULL.
 */
int xlsg_reserve(const char *name, bool direct_map,
                 const struct lxs_extent *ext, size_t nr, char **why_r);

/*
 * Validates and plans @spec against @map (LXS_MODE_RUNTIME).  Findings
 * go to @diags.  0, -EINVAL (an error finding), -ENOMEM.
 */
int xlsg_plan(const struct lxs_hostmap *map, const struct lxs_spec *spec,
              struct lxs_plan *plan_r, struct lxs_diags *diags);

/*
 * One finding as one line: "error: overlap-domain: static_mem: ...
 * (domain 'd1')".  malloc'd, NULL on -ENOMEM.
 */
char *xlsg_diag_line(const struct lxs_diag *d);

/*
 * The guest-physical layout of @plan (RAM banks, grant-table window,
 * extended regions, dma-offset) as dtgen states it, for the guest IPA
 * width @ipa_bits (0: dtgen's default).  With the cfg's partial device
 * tree @pfdt (@plen bytes; NULL: none), extended regions keep off its
 * passthrough MMIO and, with a dma-offset, the layout carries the
 * /passthrough dma-ranges (dtg_guest_partial_nodes writes them).
 */
int xlsg_layout(const struct lxs_plan *plan, unsigned int ipa_bits,
                const void *pfdt, size_t plen,
                struct dtg_guest_layout *layout_r, char **why_r);

/* ---- xl (xlsg_xl.c) ---- */

/*
 * Parses the static keys of the cfg text @data (xl's config buffer)
 * with lxs_cfg_parse_data and stores them in @d_config's build info;
 * prints syntax findings to stderr.  0, or 1 when a key was bad, or a
 * negative errno.
 */
int xlsg_parse_config(const char *label, const char *data, size_t len,
                      libxl_domain_config *d_config);

/* `xl create -n`: prints the plan of @d_config to @f.  0 or 1. */
int xlsg_print_plan(FILE *f, libxl_ctx *ctx,
                    const libxl_domain_config *d_config);

/* `xl static-mem-list`: the cli's listing. */
int main_static_mem_list(int argc, char **argv);

#endif /* XLSG_H */
