/* SPDX-License-Identifier: MIT */
/******************************************************************************
 * static_extent.h
 *
 * Run-time static extents: host-physical RAM taken from a pool that Xen
 * declares at boot ("xen,static-pool" in /chosen), assigned to a domain at
 * a chosen guest frame, given back on request or when the domain dies.
 *
 * This is the only copy of the interface: the hypervisor and the tools
 * both include it.  It uses fixed-width types only and holds no guest
 * handles, so its layout is the same for every caller (32- and 64-bit,
 * Arm and x86).  Xen reads the header and the sub-op's own input fields,
 * and writes back only what the sub-op returns.
 */

#ifndef __XEN_PUBLIC_STATIC_EXTENT_H__
#define __XEN_PUBLIC_STATIC_EXTENT_H__

/* For the hypervisor and the node control tools only. */
#if defined(__XEN__) || defined(__XEN_TOOLS__)

/*
 * The memory op number.  Xen 4.17 uses 0-28 and hands out new numbers
 * upwards from 29 ("Next available subop number is 29" in memory.h).
 * The op is the low MEMOP_EXTENT_SHIFT (6) bits of the command, so 63 is
 * the highest number a memory op can have: the one the upstream sequence
 * reaches last.  The upper bits of the command (the continuation index of
 * other memory ops) must be zero.
 *
 * arg == addr of struct xen_static_extent_op.
 *
 * The caller must be privileged over the target domain (claim, release)
 * or over the host (query): under the default XSM policy (dummy or SILO)
 * that is the control domain.
 *
 * Errors (negative errno values, common to all sub-ops):
 *  -EFAULT   the argument could not be read or written
 *  -EINVAL   unknown sub-op, a padding or reserved field is not zero,
 *            nr_mfns is 0, or a range wraps or is too large
 *  -EPERM    the caller is not privileged for this operation
 *  -ESRCH    the target domain does not exist or is dying
 *  -EOPNOTSUPP  the hypervisor was built without static memory support
 * A hypervisor without this interface returns -ENOSYS.
 */
#define XENMEM_static_extent_op         63

#define XEN_STATIC_EXTENT_OP_claim      1
#define XEN_STATIC_EXTENT_OP_release    2
#define XEN_STATIC_EXTENT_OP_query      3

/* Owner of an entry that no domain owns (the value of DOMID_INVALID). */
#define XEN_STATIC_EXTENT_NO_OWNER      0x7ff4U

/*
 * XEN_STATIC_EXTENT_OP_claim: assign [mfn, mfn + nr_mfns) of the pool to
 * domain @domid and map it at [gfn, gfn + nr_mfns) as RAM.  The frames are
 * zeroed before the domain can see them and count against its max_pages.
 * For a domain created with XEN_DOMCTL_CDF_static_directmap (or built
 * direct-mapped at boot), gfn must equal mfn.
 *
 * The range can also be exactly one boot-time static bank (a dom0less
 * domain's xen,static-mem bank) once the domain that Xen built with it
 * is destroyed (not while it is alive, nor while it is dying and some of
 * its frames are still referenced): the bank is then claimed whole, at
 * the guest frame where Xen mapped it at boot (the query's gfn of the
 * bank), and only by a direct-mapped domain if the bank was mapped 1:1
 * (F_directmap), only by another kind of domain if not.  When its new
 * owner releases it or dies, the bank is reserved again (never pool).
 *
 * Every check is made before anything changes; on error nothing changed.
 *  -ENOENT   the range is neither entirely inside the pool nor a boot bank
 *  -EBUSY    the range overlaps an extent that is owned (or being claimed
 *            or released), or a frame of it is still referenced; or it is
 *            a boot bank whose domain still exists, or that is claimed
 *  -EEXIST   a frame of [gfn, gfn + nr_mfns) is already mapped in the domain
 *  -E2BIG    the domain would exceed its max_pages
 *  -EEXIST   also: [gfn, gfn + nr_mfns) reaches into a window that Xen
 *            emulates for the domain (vGIC, ITS, vPL011) or, for a domain
 *            with the usual guest layout, the grant table window
 *  -ENOMEM   the table of extents is full and cannot grow
 *  -EINVAL   also: gfn != mfn for a direct-mapped domain; the range
 *            overlaps a boot bank but is not exactly one; the bank cannot
 *            be claimed (Xen did not map it contiguously at boot, or it
 *            is static shared memory); gfn is not where the bank was
 *            mapped at boot; a direct-mapped bank for a domain that is
 *            not direct-mapped, or the reverse
 */
struct xen_static_extent_claim {
    uint16_t domid;         /* IN: the domain to give the extent to */
    uint16_t pad0;          /* IN: must be zero */
    uint32_t flags;         /* IN: must be zero (none defined) */
    uint64_t mfn;           /* IN: first host frame */
    uint64_t gfn;           /* IN: first guest frame */
    uint64_t nr_mfns;       /* IN: number of frames, > 0 */
};

/*
 * XEN_STATIC_EXTENT_OP_release: unmap the extent that domain @domid owns
 * at exactly [mfn, mfn + nr_mfns) and give it back to the pool.
 *  -ENOENT   no extent claimed at run time starts at mfn (a boot bank
 *            can be released only by a domain that claimed it)
 *  -EINVAL   also: the extent at mfn is not nr_mfns long
 *  -EACCES   the extent belongs to another domain
 *  -EBUSY    a claim or release of it is in progress, or a frame of it is
 *            referenced by someone other than its owner
 */
struct xen_static_extent_release {
    uint16_t domid;         /* IN: the owner */
    uint16_t pad0;          /* IN: must be zero */
    uint32_t pad1;          /* IN: must be zero */
    uint64_t mfn;           /* IN: first host frame of the extent */
    uint64_t nr_mfns;       /* IN: its length in frames */
};

/* Entry types */
#define XEN_STATIC_EXTENT_TYPE_ram        1 /* a RAM bank of the host */
#define XEN_STATIC_EXTENT_TYPE_pool_free  2 /* pool frames nobody owns */
#define XEN_STATIC_EXTENT_TYPE_reserved   3 /* not for guests */
#define XEN_STATIC_EXTENT_TYPE_owned      4 /* a domain's extent */

/* Entry flags */
/* owned: taken from the pool; goes back to it on release or destroy. */
#define XEN_STATIC_EXTENT_F_pool          (1U << 0)
/* owned, reserved: a boot-time static bank (xen,static-mem, static shm). */
#define XEN_STATIC_EXTENT_F_boot          (1U << 1)
/* owned: a claim or a release of it is in progress. */
#define XEN_STATIC_EXTENT_F_pending       (1U << 2)
/* reserved: a /memreserve/ entry of the host device tree. */
#define XEN_STATIC_EXTENT_F_memreserve    (1U << 3)
/* reserved: a /reserved-memory region. */
#define XEN_STATIC_EXTENT_F_reserved_mem  (1U << 4)
/* reserved: xen,static-heap. */
#define XEN_STATIC_EXTENT_F_static_heap   (1U << 5)
/* reserved: the Xen image. */
#define XEN_STATIC_EXTENT_F_xen           (1U << 6)
/*
 * owned, reserved (with F_boot): the bank was mapped 1:1 (gfn == mfn) for
 * a direct-mapped domain at boot; only a direct-mapped domain can claim it.
 */
#define XEN_STATIC_EXTENT_F_directmap     (1U << 7)

struct xen_static_extent_entry {
    uint64_t start_mfn;     /* OUT */
    uint64_t nr_mfns;       /* OUT */
    uint64_t gfn;           /* OUT: owned extents and boot banks; else ~0 */
    uint32_t type;          /* OUT: XEN_STATIC_EXTENT_TYPE_* */
    uint32_t flags;         /* OUT: XEN_STATIC_EXTENT_F_* */
    uint16_t owner;         /* OUT: owned; else XEN_STATIC_EXTENT_NO_OWNER */
    uint16_t pad[3];        /* OUT: zero */
};

/*
 * XEN_STATIC_EXTENT_OP_query: list the host's RAM banks, reserved ranges,
 * the pool (split into free ranges and owned extents) and the boot-time
 * static banks with their owners.  Entries come in a fixed order: RAM,
 * reserved, the pool by address, boot banks by address.  One call returns
 * up to XEN_STATIC_EXTENT_QUERY_NR entries from index @start; call again
 * with start = next until next is XEN_STATIC_EXTENT_QUERY_DONE.  The list
 * is not a snapshot across calls: when @generation differs between two
 * calls, something changed in between and the caller should start over.
 * A start at or past the end returns no entries (not an error).
 */
#define XEN_STATIC_EXTENT_QUERY_NR      32
#define XEN_STATIC_EXTENT_QUERY_DONE    0xffffffffU

struct xen_static_extent_query {
    uint32_t start;         /* IN: index of the first entry wanted */
    uint32_t pad0;          /* IN: must be zero */
    uint32_t nr_entries;    /* OUT: entries filled in */
    uint32_t next;          /* OUT: start of the next call, or ..._DONE */
    uint32_t total;         /* OUT: number of entries in the whole list */
    uint32_t pad1;          /* OUT: zero */
    uint64_t generation;    /* OUT: changes whenever an extent changes */
    /* OUT */
    struct xen_static_extent_entry entries[XEN_STATIC_EXTENT_QUERY_NR];
};

struct xen_static_extent_op {
    uint32_t op;            /* IN: XEN_STATIC_EXTENT_OP_* */
    uint32_t pad;           /* IN: must be zero */
    union {
        struct xen_static_extent_claim claim;
        struct xen_static_extent_release release;
        struct xen_static_extent_query query;
    } u;
};
typedef struct xen_static_extent_op xen_static_extent_op_t;

#endif /* __XEN__ || __XEN_TOOLS__ */

#endif /* __XEN_PUBLIC_STATIC_EXTENT_H__ */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
