/*
 * libxlstatic: the hypervisor side, through libxencall.
 *
 * XENMEM_static_extent_op (hypervisor-hooks/include/public/
 * static_extent.h) on a Xen with the project's patches: claim an extent
 * of the static pool for a domain, release it, and read the host memory
 * map with the current owners.  Error contract as the rest of the
 * library: 0 or a negative errno, outputs untouched on failure, nothing
 * printed.  A hypervisor without the interface (-ENOSYS) or built without
 * static memory (-EOPNOTSUPP) gives -EOPNOTSUPP from every call;
 * lxs_hv_strerror() has the message for it.
 */
#ifndef LXS_HV_H
#define LXS_HV_H

#include <stdint.h>
#include <stddef.h>

#include "libxlstatic.h"

#define LXS_HAVE_HV 1

struct xentoollog_logger;
struct lxs_hv;

/*
 * Opens /dev/xen/privcmd through libxencall.  @logger receives
 * libxencall's messages; NULL: none are printed.
 * -errno of the open (-ENOENT: not running on Xen), -ENOMEM.
 */
int lxs_hv_open(struct lxs_hv **hv_r, struct xentoollog_logger *logger);
/* Closes; NULL is fine. */
void lxs_hv_close(struct lxs_hv *hv);

/*
 * Claims host frames [mfn, mfn + nr) of the pool for @domid and maps
 * them at guest frames [gfn, gfn + nr).  On top of the errors common to
 * every call (see lxs_hv_strerror): -ENOENT neither inside the pool nor
 * a dom0less domain's bank, -EBUSY overlaps an owned extent (or the bank
 * of a dom0less domain that still exists), -EEXIST something is mapped
 * at the gfns or they are an emulated MMIO or grant-table window, -E2BIG
 * over the domain's max_mem, -ENOMEM the table of extents cannot grow,
 * -ESRCH no such (live) domain, -EPERM not privileged, -EINVAL bad
 * arguments (also gfn != mfn for a direct-mapped domain; a bank taken
 * back other than whole, at its boot gfn, by the same kind of domain).
 */
int lxs_hv_claim(struct lxs_hv *hv, uint32_t domid, uint64_t mfn,
                 uint64_t gfn, uint64_t nr);
/*
 * Gives the extent that @domid owns at exactly [mfn, mfn + nr) back to
 * the pool.  -ENOENT no extent starts at mfn, -EINVAL another length,
 * -EACCES another domain owns it, -EBUSY in use or in progress, -ESRCH,
 * -EPERM as above.
 */
int lxs_hv_release(struct lxs_hv *hv, uint32_t domid, uint64_t mfn,
                   uint64_t nr);

/* What the hypervisor knows about host memory: one entry per range. */
enum lxs_hv_type {
    LXS_HV_RAM = 1,         /* XEN_STATIC_EXTENT_TYPE_* */
    LXS_HV_POOL_FREE = 2,
    LXS_HV_RESERVED = 3,
    LXS_HV_OWNED = 4,
};

/* Flags of an entry: XEN_STATIC_EXTENT_F_* */
#define LXS_HV_F_POOL           (1u << 0)   /* owned: from the pool */
#define LXS_HV_F_BOOT           (1u << 1)   /* a boot-time static bank */
#define LXS_HV_F_PENDING        (1u << 2)   /* claim/release in progress */
#define LXS_HV_F_MEMRESERVE     (1u << 3)
#define LXS_HV_F_RESERVED_MEM   (1u << 4)
#define LXS_HV_F_STATIC_HEAP    (1u << 5)
#define LXS_HV_F_XEN            (1u << 6)
#define LXS_HV_F_DIRECTMAP      (1u << 7)   /* boot bank mapped 1:1 */

#define LXS_HV_NO_OWNER 0x7ff4u     /* DOMID_INVALID */
#define LXS_HV_NO_GFN UINT64_MAX

struct lxs_hv_entry {
    uint64_t start_mfn;
    uint64_t nr_mfns;
    uint64_t gfn;           /* owned pool extents, else LXS_HV_NO_GFN */
    enum lxs_hv_type type;
    unsigned int flags;     /* LXS_HV_F_* */
    uint32_t owner;         /* domid, or LXS_HV_NO_OWNER */
};

struct lxs_hv_map {
    struct lxs_hv_entry *v;
    size_t nr;
    size_t alloc;
    uint64_t generation;    /* as the hypervisor numbered this state */
};

void lxs_hv_map_init(struct lxs_hv_map *m);
void lxs_hv_map_dispose(struct lxs_hv_map *m);

/*
 * Reads the whole list, page after page; when the hypervisor's state
 * changes in between, starts over (a few times, then -EAGAIN), so the
 * result is one consistent state.  @m is replaced on success.
 * -EPERM, -EAGAIN, -EPROTO (the hypervisor answered nonsense), -ENOMEM,
 * and the common errors.
 */
int lxs_hv_query(struct lxs_hv *hv, struct lxs_hv_map *m);

/*
 * Gives a domain's name for an owner id, or NULL when unknown; the
 * result is copied.  Used to name owners in a host map.
 */
typedef const char *(*lxs_hv_name_fn)(uint32_t domid, void *opaque);

/*
 * Adds the entries of @m to @map as host-map regions (byte addresses):
 * RAM -> RAM; pool-free and pool-owned -> pool; owned -> owned, its owner
 * named by @name_fn or "d<domid>"; reserved -> reserved (memreserve,
 * static heap, the Xen image as a module).  Labels say they came from
 * the hypervisor.  Then calls lxs_hostmap_finish().  -EINVAL for an
 * entry that does not fit in 64-bit byte addresses, -ENOMEM.  On
 * failure @map may hold some of the regions (not finished).
 */
int lxs_hv_map_to_hostmap(const struct lxs_hv_map *m, struct lxs_hostmap *map,
                          lxs_hv_name_fn name_fn, void *opaque);

/*
 * A one-line message for an error of the calls above, in the words of
 * this interface: "this hypervisor has no static-extent support; boot a
 * patched Xen" for -EOPNOTSUPP (and -ENOSYS), "the range is not inside
 * the static pool" for -ENOENT from a claim, ...  @op is "claim",
 * "release", "query" or "open"; NULL for the generic text.  Returns a
 * static string.
 */
const char *lxs_hv_strerror(const char *op, int err);

/* The text for a hypervisor without the interface. */
#define LXS_HV_NO_SUPPORT_MSG \
    "this hypervisor has no static-extent support; boot a patched Xen"

#endif /* LXS_HV_H */
