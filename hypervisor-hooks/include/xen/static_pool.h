/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * static_pool.h: bookkeeping of the static pool and of the extents that
 * domains own (see public/static_extent.h for the interface).
 *
 * The state is plain data guarded by one lock: the host's RAM banks and
 * reserved ranges ("fixed" regions, for the query), the pool ranges, the
 * boot-time static banks, and the extents claimed from the pool.  Fixed
 * regions, pool ranges and boot banks are added at boot and never change
 * once the pool is sealed, so static_pool_contains() reads them without
 * the lock.  Claimed extents move through a small state machine:
 *
 *   (free) --claim--> CLAIMING --commit--> OWNED --release--> RELEASING
 *     ^                  |                                     |    |
 *     +------abort-------+            OWNED <-------abort------+    |
 *     +-----------------------------------------commit--------------+
 *
 * and static_pool_owner_gone() drops every OWNED extent of a dead domain.
 * A claim or release that must do long work (assigning and mapping frames)
 * marks the extent first, drops the lock for the work, then commits or
 * aborts: the extent cannot be claimed twice in between.  If the owner
 * dies meanwhile, its CLAIMING or RELEASING extent is not dropped but
 * marked orphaned: it keeps its frames out of reach of other claims until
 * the operation in progress, which may still be touching them, finishes.
 * Commit and abort name the extent by its start and its owner, so an
 * operation can only ever finish its own extent.
 *
 * A long claim or release is preemptible: it parks its extent with the
 * progress made (static_pool_park()), returns to a continuation, and
 * takes the extent back with static_pool_resume().  A parked extent is
 * not being touched by anyone, so when its owner dies it is dropped like
 * an owned one (the owner's relinquish freed what the operation had
 * assigned); only an extent whose operation is running is orphaned.
 *
 * Every function checks all its arguments and the state before it
 * changes anything: on error nothing changed.  The file is built both in
 * Xen and in a userspace harness, so it uses only a few primitives
 * (spinlocks, xzalloc_array/xfree, errno values).
 */
#ifndef __XEN_STATIC_POOL_H__
#define __XEN_STATIC_POOL_H__

#include <xen/spinlock.h>
#include <xen/types.h>

#include <public/static_extent.h>

/* Domain ids from here up are not ordinary domains (DOMID_FIRST_RESERVED). */
#define STATIC_POOL_DOMID_LIMIT 0x7ff0U

enum static_extent_state {
    STATIC_EXTENT_CLAIMING,
    STATIC_EXTENT_OWNED,
    STATIC_EXTENT_RELEASING,
};

/* A RAM bank, a reserved range, a pool range or a boot bank. */
struct static_pool_region {
    uint64_t start;         /* first frame */
    uint64_t nr;            /* frames */
    uint32_t type;          /* XEN_STATIC_EXTENT_TYPE_* */
    uint32_t flags;         /* XEN_STATIC_EXTENT_F_* */
    uint16_t owner;         /* boot banks: the domain built with it, until
                               it is destroyed; else NO_OWNER */
    /* Boot banks: where the boot mapped them (static_pool_boot_mapped). */
    uint64_t gfn;           /* guest frame of the first frame, or ~0 */
    uint64_t mapped;        /* frames mapped contiguously from gfn */
};

/* An extent claimed from the pool. */
struct static_extent {
    uint64_t start;         /* first frame */
    uint64_t nr;            /* frames */
    uint64_t gfn;           /* where the owner sees it */
    uint16_t owner;
    uint8_t state;          /* enum static_extent_state */
    bool orphan;            /* the owner died during the claim or release */
    bool parked;            /* its claim or release waits to be resumed */
    bool boot;              /* a boot bank, claimed after its domain died */
    uint64_t done;          /* progress of a parked claim or release */
};

struct static_pool {
    spinlock_t lock;
    bool sealed;

    /* RAM banks and reserved ranges, in the order added. */
    struct static_pool_region *fixed;
    unsigned int nr_fixed, max_fixed;

    /* Pool ranges: sorted, disjoint, not adjacent (merged when added). */
    struct static_pool_region *ranges;
    unsigned int nr_ranges, max_ranges;

    /* Boot-time static banks: sorted, disjoint. */
    struct static_pool_region *boot;
    unsigned int nr_boot, max_boot;

    /* Claimed extents: sorted by start, disjoint. */
    struct static_extent *extents;
    unsigned int nr_extents, max_extents;

    /* Bumped on every change of an extent or of a boot bank's owner. */
    uint64_t generation;
};

/*
 * Allocates the tables, each with room for @max_regions entries (fixed
 * regions, pool ranges, boot banks) or, to start with, @max_extents
 * extents (static_pool_reserve() grows that table).
 * -EINVAL: a size is 0; -ENOMEM.
 */
int static_pool_init(struct static_pool *pool, unsigned int max_regions,
                     unsigned int max_extents);
/* Frees the tables; the pool may be destroyed twice. */
void static_pool_destroy(struct static_pool *pool);

/*
 * Boot time, before static_pool_seal().
 *
 * static_pool_add_region() adds a region of @type:
 *  - XEN_STATIC_EXTENT_TYPE_ram, _reserved: a fixed region, listed by the
 *    query as given (flags: the F_* that say where it came from);
 *  - XEN_STATIC_EXTENT_TYPE_pool_free: a pool range; it must lie inside
 *    the RAM banks added so far and overlap no reserved range, no boot
 *    bank and no other pool range.  Adjacent pool ranges are merged.
 * static_pool_add_boot_bank() adds a boot-time static bank, which must
 * not overlap the pool.
 *
 * -EINVAL: nr is 0, the range wraps, an unknown type or flags for the
 *          type; -EPERM: sealed; -ENOSPC: the table is full;
 * -ENOENT: a pool range is not inside RAM; -EBUSY: a pool range overlaps
 *          a reserved range or a boot bank, or a boot bank overlaps the
 *          pool; -EEXIST: two pool ranges (or two boot banks) overlap.
 */
int static_pool_add_region(struct static_pool *pool, uint32_t type,
                           uint64_t start, uint64_t nr, uint32_t flags);
int static_pool_add_boot_bank(struct static_pool *pool, uint64_t start,
                              uint64_t nr);
/* Ends the boot phase: the regions, pool and boot banks are final. */
void static_pool_seal(struct static_pool *pool);

/*
 * Sets the owner of the boot bank at exactly [start, start + nr): the
 * domain that Xen builds with it at boot.
 * -EINVAL: owner is not an ordinary domain id; -ENOENT: no such bank;
 * -EBUSY: another domain owns it.
 */
int static_pool_set_boot_owner(struct static_pool *pool, uint64_t start,
                               uint64_t nr, uint16_t owner);

/*
 * Boot: frames [start, start + nr) of @owner's boot bank were mapped at
 * guest frame @gfn (@directmap: 1:1, for a direct-mapped domain).  The
 * pieces of a bank come in order from its first frame; a bank whose
 * pieces are not contiguous in guest space, or not all mapped, cannot be
 * claimed later.
 * -EINVAL: a range is empty or wraps; -ENOENT: not inside a boot bank
 * of @owner.
 */
int static_pool_boot_mapped(struct static_pool *pool, uint64_t start,
                            uint64_t nr, uint64_t gfn, uint16_t owner,
                            bool directmap);

/*
 * The domain @owner that Xen built at boot is destroyed (all its frames
 * are free): its boot banks are reserved, and can be claimed.  Returns the
 * number of banks it had.
 */
unsigned int static_pool_boot_owner_gone(struct static_pool *pool,
                                         uint16_t owner);

/*
 * Is frame @mfn handed out at run time: in the pool, or in a boot bank
 * claimed since its domain died?  A domain that frees such a frame does
 * not keep it (its resv_page_list is for the banks Xen built it with).
 */
bool static_pool_runtime_frame(struct static_pool *pool, uint64_t mfn);

/*
 * True when [start, start + nr) lies inside the pool.  Lock-free once
 * the pool is sealed (the ranges do not change any more).
 */
bool static_pool_contains(const struct static_pool *pool, uint64_t start,
                          uint64_t nr);

/*
 * Makes room in the table of extents for one more claim, growing it (it
 * doubles) when it is full.  The allocation is made without the lock held;
 * nothing else changes.  Call it before static_pool_claim(), and again if
 * that says -ENOSPC (others took the room meanwhile).
 * -ENOMEM: the table is full and cannot grow.
 */
int static_pool_reserve(struct static_pool *pool);

/*
 * Starts a claim of [start, start + nr) for @owner, mapped at @gfn
 * (@directmap: @owner is a direct-mapped domain): the extent is recorded
 * as CLAIMING.  The range is in the pool, or exactly a boot bank whose
 * domain is gone (see public/static_extent.h).  Finish with
 * static_pool_commit() or static_pool_abort().
 * -EINVAL: nr is 0, a range wraps, owner is not an ordinary domain id;
 *          the range overlaps a boot bank but is not exactly one, the
 *          bank cannot be claimed, @gfn is not the bank's, or @directmap
 *          differs from the bank's;
 * -ENOENT: neither inside the pool nor a boot bank; -EBUSY: overlaps an
 * extent, or a boot bank whose domain still exists;
 * -EEXIST: overlaps another extent of @owner in guest space (at gfn);
 * -ENOSPC: the table of extents is full (see static_pool_reserve()).
 */
int static_pool_claim_as(struct static_pool *pool, uint64_t start,
                         uint64_t nr, uint64_t gfn, uint16_t owner,
                         bool directmap);
/* static_pool_claim_as() for a domain that is not direct-mapped. */
int static_pool_claim(struct static_pool *pool, uint64_t start, uint64_t nr,
                      uint64_t gfn, uint16_t owner);

/*
 * Starts the release of the extent at exactly [start, start + nr) that
 * @owner owns: OWNED -> RELEASING.  *gfn_r (when not NULL) receives the
 * extent's gfn.  Finish with static_pool_commit() or static_pool_abort().
 * -ENOENT: no extent starts at @start; -EINVAL: its length is not @nr;
 * -EACCES: another domain owns it; -EBUSY: it is not OWNED (a claim or a
 * release is in progress).
 */
int static_pool_release(struct static_pool *pool, uint64_t start, uint64_t nr,
                        uint16_t owner, uint64_t *gfn_r);

/*
 * Parks the claim or release of @owner's extent at @start, which has made
 * progress @done (opaque here, > 0), until static_pool_resume().
 * -ENOENT: no extent of @owner starts at @start; -EINVAL: nothing is in
 * progress on it, or it is parked already, or @done is 0; -ESRCH: it is
 * orphaned (the owner died): finish it now, do not park it.
 */
int static_pool_park(struct static_pool *pool, uint64_t start, uint16_t owner,
                     uint64_t done);

/*
 * Takes back the parked claim (@claim true) or release of @owner's extent
 * at exactly [start, start + nr) with progress @done.  *gfn_r (when not
 * NULL) receives the extent's gfn.
 * -ENOENT: no such extent of @owner (gone: its owner died while parked);
 * -EINVAL: it is not parked, or parked by the other kind of operation,
 * with another length or another progress.
 */
int static_pool_resume(struct static_pool *pool, uint64_t start, uint64_t nr,
                       uint16_t owner, bool claim, uint64_t done,
                       uint64_t *gfn_r);

/*
 * Finishes the claim or release of the extent of @owner starting at
 * @start: commit makes a claim OWNED and removes a released extent; abort
 * removes a failed claim and makes a failed release OWNED again.  For an
 * orphaned extent (its owner died meanwhile): commit of a claim fails
 * with -ESRCH and changes nothing, so that the caller undoes its work
 * while the extent still keeps other claims away, then aborts; abort of
 * a claim, and commit or abort of a release, remove the extent.
 * -ENOENT: no extent of @owner starts at @start; -EINVAL: it is OWNED
 * (nothing is in progress) or parked; -ESRCH: see above.
 */
int static_pool_commit(struct static_pool *pool, uint64_t start,
                       uint16_t owner);
int static_pool_abort(struct static_pool *pool, uint64_t start,
                      uint16_t owner);

/*
 * The domain @owner is gone: every extent it OWNED, or whose claim or
 * release is parked, goes back to the pool (a claimed boot bank is
 * reserved again), an extent of it being claimed or released right now
 * is marked orphaned (it goes when that operation commits or aborts).
 * The boot banks it was built with stay its own until
 * static_pool_boot_owner_gone().  Returns the number of frames given back
 * now (0 for an id that is not an ordinary domain).
 */
uint64_t static_pool_owner_gone(struct static_pool *pool, uint16_t owner);

/*
 * The p2m blocks of a claim, in frames of 4 KiB: a claim maps its frames
 * as populate_physmap() maps superpages, in the largest blocks that the
 * gfn and the mfn are both aligned to and that fit in the extent (1 GiB,
 * then 2 MiB), and the rest frame by frame.
 */
#define STATIC_POOL_BLOCK_ORDER_1G 18
#define STATIC_POOL_BLOCK_ORDER_2M 9

/*
 * The size of the block at frame @p of an extent of @nr frames at @gfn,
 * @mfn (@p < @nr): a 1 GiB or 2 MiB block where both are aligned to it and
 * it fits, else the single frames up to the gfn's next 2 MiB boundary or
 * the end of the extent.
 */
uint64_t static_pool_map_block(uint64_t gfn, uint64_t mfn, uint64_t nr,
                               uint64_t p);

/*
 * A claim that has mapped the first @from frames of its extent and
 * acquired the first @acquired maps, now, the whole blocks of frames
 * [from, end) and leaves the frames of a block it has not acquired in full
 * for later: returns that end.  With @from 0, how far a claim that
 * acquired @acquired frames before it was preempted had mapped.
 */
uint64_t static_pool_map_end(uint64_t gfn, uint64_t mfn, uint64_t nr,
                             uint64_t from, uint64_t acquired);

/*
 * May @owner map frames [start, start + nr) that it holds (a direct-mapped
 * domain mapping its own frames again)?  True when all are in one extent
 * that @owner owns and that no claim or release is changing, or in a boot
 * bank @owner was built with and still owns, or when none of them is in
 * the pool or a boot bank; false for an empty or wrapping range.
 */
bool static_pool_may_map(struct static_pool *pool, uint64_t start,
                         uint64_t nr, uint16_t owner);

/*
 * Copies the extent that contains frame @mfn to *ext_r.
 * -ENOENT: no extent contains it.
 */
int static_pool_lookup(struct static_pool *pool, uint64_t mfn,
                       struct static_extent *ext_r);

/*
 * Fills @entries (room for @max) from index @start of the list described
 * in public/static_extent.h (XEN_STATIC_EXTENT_OP_query).  *nr_r gets the
 * number filled, *next_r the next start (or XEN_STATIC_EXTENT_QUERY_DONE),
 * *total_r the length of the list and *generation_r the generation, all
 * under one hold of the lock.  Returns 0, or -EINVAL when @max is 0.
 */
int static_pool_query(struct static_pool *pool, uint32_t start,
                      struct xen_static_extent_entry *entries,
                      unsigned int max, unsigned int *nr_r, uint32_t *next_r,
                      uint32_t *total_r, uint64_t *generation_r);

#endif /* __XEN_STATIC_POOL_H__ */

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
