/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * static_pool.c: bookkeeping of the static pool and its extents.
 *
 * See xen/static_pool.h for the model.  This file is built unchanged in
 * Xen (xen/common/) and in the userspace harness of the xl-static project
 * (hypervisor-hooks/harness/), which provides the few primitives used
 * here under the same header names.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/spinlock.h>
#include <xen/static_pool.h>
#include <xen/string.h>
#include <xen/xmalloc.h>

#define NO_OWNER    XEN_STATIC_EXTENT_NO_OWNER
#define NO_GFN      (~(uint64_t)0)

/* [start, start + nr) is a non-empty range that does not wrap. */
static bool range_valid(uint64_t start, uint64_t nr)
{
    return nr && start + nr > start;
}

static bool overlaps(uint64_t s1, uint64_t n1, uint64_t s2, uint64_t n2)
{
    return s1 < s2 + n2 && s2 < s1 + n1;
}

static bool ordinary_domid(uint16_t domid)
{
    return domid < STATIC_POOL_DOMID_LIMIT;
}

/* Index of the first extent that ends after @mfn (or nr_extents). */
static unsigned int extent_lower_bound(const struct static_pool *pool,
                                       uint64_t mfn)
{
    unsigned int lo = 0, hi = pool->nr_extents;

    while ( lo < hi )
    {
        unsigned int mid = lo + (hi - lo) / 2;
        const struct static_extent *e = &pool->extents[mid];

        if ( e->start + e->nr <= mfn )
            lo = mid + 1;
        else
            hi = mid;
    }

    return lo;
}

/* The extent starting exactly at @start, or NULL. */
static struct static_extent *extent_at(struct static_pool *pool,
                                       uint64_t start)
{
    unsigned int i = extent_lower_bound(pool, start);

    if ( i < pool->nr_extents && pool->extents[i].start == start )
        return &pool->extents[i];

    return NULL;
}

/* @owner's extent starting exactly at @start, or NULL. */
static struct static_extent *owned_extent_at(struct static_pool *pool,
                                             uint64_t start, uint16_t owner)
{
    struct static_extent *e = extent_at(pool, start);

    return e && e->owner == owner ? e : NULL;
}

static void extent_remove(struct static_pool *pool, struct static_extent *e)
{
    unsigned int i = e - pool->extents;

    memmove(e, e + 1, (pool->nr_extents - i - 1) * sizeof(*e));
    pool->nr_extents--;
}

int static_pool_init(struct static_pool *pool, unsigned int max_regions,
                     unsigned int max_extents)
{
    memset(pool, 0, sizeof(*pool));
    spin_lock_init(&pool->lock);

    if ( !max_regions || !max_extents )
        return -EINVAL;

    pool->fixed = xzalloc_array(struct static_pool_region, max_regions);
    pool->ranges = xzalloc_array(struct static_pool_region, max_regions);
    pool->boot = xzalloc_array(struct static_pool_region, max_regions);
    pool->extents = xzalloc_array(struct static_extent, max_extents);
    if ( !pool->fixed || !pool->ranges || !pool->boot || !pool->extents )
    {
        static_pool_destroy(pool);
        return -ENOMEM;
    }

    pool->max_fixed = pool->max_ranges = pool->max_boot = max_regions;
    pool->max_extents = max_extents;

    return 0;
}

void static_pool_destroy(struct static_pool *pool)
{
    xfree(pool->fixed);
    xfree(pool->ranges);
    xfree(pool->boot);
    xfree(pool->extents);
    pool->fixed = pool->ranges = pool->boot = NULL;
    pool->extents = NULL;
    pool->nr_fixed = pool->max_fixed = 0;
    pool->nr_ranges = pool->max_ranges = 0;
    pool->nr_boot = pool->max_boot = 0;
    pool->nr_extents = pool->max_extents = 0;
}

/* Does any fixed region of @type overlap [start, start + nr)? */
static bool fixed_overlaps(const struct static_pool *pool, uint32_t type,
                           uint64_t start, uint64_t nr)
{
    unsigned int i;

    for ( i = 0; i < pool->nr_fixed; i++ )
        if ( pool->fixed[i].type == type &&
             overlaps(start, nr, pool->fixed[i].start, pool->fixed[i].nr) )
            return true;

    return false;
}

/* Is [start, start + nr) covered by the RAM banks (which may touch)? */
static bool inside_ram(const struct static_pool *pool, uint64_t start,
                       uint64_t nr)
{
    uint64_t cur = start, end = start + nr;
    unsigned int i;
    bool progress = true;

    while ( cur < end && progress )
    {
        progress = false;
        for ( i = 0; i < pool->nr_fixed; i++ )
        {
            const struct static_pool_region *r = &pool->fixed[i];

            if ( r->type == XEN_STATIC_EXTENT_TYPE_ram &&
                 r->start <= cur && cur < r->start + r->nr )
            {
                cur = r->start + r->nr;
                progress = true;
                break;
            }
        }
    }

    return cur >= end;
}

static bool boot_overlaps(const struct static_pool *pool, uint64_t start,
                          uint64_t nr)
{
    unsigned int i;

    for ( i = 0; i < pool->nr_boot; i++ )
        if ( overlaps(start, nr, pool->boot[i].start, pool->boot[i].nr) )
            return true;

    return false;
}

static bool pool_overlaps(const struct static_pool *pool, uint64_t start,
                          uint64_t nr)
{
    unsigned int i;

    for ( i = 0; i < pool->nr_ranges; i++ )
        if ( overlaps(start, nr, pool->ranges[i].start, pool->ranges[i].nr) )
            return true;

    return false;
}

/* Inserts a pool range, merging it with the ranges it touches. */
static int pool_insert(struct static_pool *pool, uint64_t start, uint64_t nr)
{
    struct static_pool_region *r = pool->ranges;
    unsigned int i = 0, n = pool->nr_ranges;
    bool merge_prev, merge_next;

    while ( i < n && r[i].start < start )
        i++;

    merge_prev = i > 0 && r[i - 1].start + r[i - 1].nr == start;
    merge_next = i < n && start + nr == r[i].start;

    if ( !merge_prev && !merge_next && n == pool->max_ranges )
        return -ENOSPC;

    if ( merge_prev && merge_next )
    {
        r[i - 1].nr += nr + r[i].nr;
        memmove(&r[i], &r[i + 1], (n - i - 1) * sizeof(*r));
        pool->nr_ranges--;
    }
    else if ( merge_prev )
        r[i - 1].nr += nr;
    else if ( merge_next )
    {
        r[i].start = start;
        r[i].nr += nr;
    }
    else
    {
        memmove(&r[i + 1], &r[i], (n - i) * sizeof(*r));
        r[i].start = start;
        r[i].nr = nr;
        r[i].type = XEN_STATIC_EXTENT_TYPE_pool_free;
        r[i].flags = 0;
        r[i].owner = NO_OWNER;
        r[i].gfn = NO_GFN;
        r[i].mapped = 0;
        pool->nr_ranges++;
    }

    return 0;
}

int static_pool_add_region(struct static_pool *pool, uint32_t type,
                           uint64_t start, uint64_t nr, uint32_t flags)
{
    const uint32_t resv_flags = XEN_STATIC_EXTENT_F_memreserve |
                                XEN_STATIC_EXTENT_F_reserved_mem |
                                XEN_STATIC_EXTENT_F_static_heap |
                                XEN_STATIC_EXTENT_F_xen;
    struct static_pool_region *r;
    int rc;

    if ( !range_valid(start, nr) )
        return -EINVAL;

    switch ( type )
    {
    case XEN_STATIC_EXTENT_TYPE_ram:
        if ( flags )
            return -EINVAL;
        break;

    case XEN_STATIC_EXTENT_TYPE_reserved:
        if ( flags & ~resv_flags )
            return -EINVAL;
        break;

    case XEN_STATIC_EXTENT_TYPE_pool_free:
        if ( flags )
            return -EINVAL;
        break;

    default:
        return -EINVAL;
    }

    spin_lock(&pool->lock);

    rc = -EPERM;
    if ( pool->sealed )
        goto out;

    if ( type == XEN_STATIC_EXTENT_TYPE_pool_free )
    {
        rc = -ENOENT;
        if ( !inside_ram(pool, start, nr) )
            goto out;
        rc = -EBUSY;
        if ( fixed_overlaps(pool, XEN_STATIC_EXTENT_TYPE_reserved, start, nr) ||
             boot_overlaps(pool, start, nr) )
            goto out;
        rc = -EEXIST;
        if ( pool_overlaps(pool, start, nr) )
            goto out;
        rc = pool_insert(pool, start, nr);
        goto out;
    }

    rc = -EBUSY;
    if ( type == XEN_STATIC_EXTENT_TYPE_reserved &&
         pool_overlaps(pool, start, nr) )
        goto out;

    rc = -ENOSPC;
    if ( pool->nr_fixed == pool->max_fixed )
        goto out;

    r = &pool->fixed[pool->nr_fixed++];
    r->start = start;
    r->nr = nr;
    r->type = type;
    r->flags = flags;
    r->owner = NO_OWNER;
    r->gfn = NO_GFN;
    r->mapped = 0;
    rc = 0;

 out:
    spin_unlock(&pool->lock);

    return rc;
}

int static_pool_add_boot_bank(struct static_pool *pool, uint64_t start,
                              uint64_t nr)
{
    struct static_pool_region *b;
    unsigned int i;
    int rc;

    if ( !range_valid(start, nr) )
        return -EINVAL;

    spin_lock(&pool->lock);

    rc = -EPERM;
    if ( pool->sealed )
        goto out;
    rc = -EBUSY;
    if ( pool_overlaps(pool, start, nr) )
        goto out;
    rc = -EEXIST;
    if ( boot_overlaps(pool, start, nr) )
        goto out;
    rc = -ENOSPC;
    if ( pool->nr_boot == pool->max_boot )
        goto out;

    for ( i = 0; i < pool->nr_boot && pool->boot[i].start < start; i++ )
        ;
    b = &pool->boot[i];
    memmove(b + 1, b, (pool->nr_boot - i) * sizeof(*b));
    b->start = start;
    b->nr = nr;
    b->type = XEN_STATIC_EXTENT_TYPE_reserved;
    b->flags = XEN_STATIC_EXTENT_F_boot;
    b->owner = NO_OWNER;
    b->gfn = NO_GFN;
    b->mapped = 0;
    pool->nr_boot++;
    rc = 0;

 out:
    spin_unlock(&pool->lock);

    return rc;
}

void static_pool_seal(struct static_pool *pool)
{
    spin_lock(&pool->lock);
    pool->sealed = true;
    spin_unlock(&pool->lock);
}

int static_pool_set_boot_owner(struct static_pool *pool, uint64_t start,
                               uint64_t nr, uint16_t owner)
{
    unsigned int i;
    int rc = -ENOENT;

    if ( !ordinary_domid(owner) )
        return -EINVAL;

    spin_lock(&pool->lock);

    for ( i = 0; i < pool->nr_boot; i++ )
    {
        struct static_pool_region *b = &pool->boot[i];

        if ( b->start != start || b->nr != nr )
            continue;

        if ( b->owner == owner )
            rc = 0;
        else if ( b->owner != NO_OWNER )
            rc = -EBUSY;
        else
        {
            b->owner = owner;
            pool->generation++;
            rc = 0;
        }
        break;
    }

    spin_unlock(&pool->lock);

    return rc;
}

/* The boot bank that overlaps [start, start + nr) first, or NULL. */
static struct static_pool_region *boot_bank_at(struct static_pool *pool,
                                               uint64_t start, uint64_t nr)
{
    unsigned int i;

    for ( i = 0; i < pool->nr_boot; i++ )
        if ( overlaps(start, nr, pool->boot[i].start, pool->boot[i].nr) )
            return &pool->boot[i];

    return NULL;
}

/* Was the whole bank mapped contiguously in guest space at boot? */
static bool boot_bank_claimable(const struct static_pool_region *b)
{
    return b->gfn != NO_GFN && b->mapped == b->nr;
}

int static_pool_boot_mapped(struct static_pool *pool, uint64_t start,
                            uint64_t nr, uint64_t gfn, uint16_t owner,
                            bool directmap)
{
    struct static_pool_region *b;
    int rc;

    if ( !range_valid(start, nr) || !range_valid(gfn, nr) )
        return -EINVAL;

    spin_lock(&pool->lock);

    rc = -ENOENT;
    b = boot_bank_at(pool, start, nr);
    if ( !b || b->owner != owner || start < b->start ||
         start + nr > b->start + b->nr )
        goto out;

    /*
     * The pieces come in order.  One out of order, or not following the
     * previous one in guest space, makes the bank unclaimable: a claim
     * maps a bank at one gfn.
     */
    if ( start != b->start + b->mapped ||
         (b->mapped && gfn != b->gfn + b->mapped) )
        b->gfn = NO_GFN;
    else if ( !b->mapped )
        b->gfn = gfn;
    b->mapped += nr;
    if ( directmap )
        b->flags |= XEN_STATIC_EXTENT_F_directmap;
    pool->generation++;
    rc = 0;

 out:
    spin_unlock(&pool->lock);

    return rc;
}

unsigned int static_pool_boot_owner_gone(struct static_pool *pool,
                                         uint16_t owner)
{
    unsigned int i, banks = 0;

    if ( !ordinary_domid(owner) )
        return 0;

    spin_lock(&pool->lock);

    for ( i = 0; i < pool->nr_boot; i++ )
        if ( pool->boot[i].owner == owner )
        {
            pool->boot[i].owner = NO_OWNER;
            banks++;
        }
    if ( banks )
        pool->generation++;

    spin_unlock(&pool->lock);

    return banks;
}

bool static_pool_runtime_frame(struct static_pool *pool, uint64_t mfn)
{
    unsigned int i;
    bool ret;

    if ( static_pool_contains(pool, mfn, 1) )
        return true;

    spin_lock(&pool->lock);
    i = extent_lower_bound(pool, mfn);
    ret = i < pool->nr_extents && pool->extents[i].start <= mfn;
    spin_unlock(&pool->lock);

    return ret;
}

bool static_pool_contains(const struct static_pool *pool, uint64_t start,
                          uint64_t nr)
{
    unsigned int lo = 0, hi = pool->nr_ranges;

    if ( !range_valid(start, nr) )
        return false;

    /* The last range that starts at or below @start. */
    while ( lo < hi )
    {
        unsigned int mid = lo + (hi - lo) / 2;

        if ( pool->ranges[mid].start <= start )
            lo = mid + 1;
        else
            hi = mid;
    }
    if ( !lo )
        return false;

    return start + nr <= pool->ranges[lo - 1].start + pool->ranges[lo - 1].nr;
}

/* Does an extent of @owner overlap [gfn, gfn + nr) in guest space? */
static bool owner_gfn_overlaps(const struct static_pool *pool, uint16_t owner,
                               uint64_t gfn, uint64_t nr)
{
    unsigned int i;

    for ( i = 0; i < pool->nr_extents; i++ )
        if ( pool->extents[i].owner == owner &&
             overlaps(gfn, nr, pool->extents[i].gfn, pool->extents[i].nr) )
            return true;

    return false;
}

int static_pool_reserve(struct static_pool *pool)
{
    struct static_extent *bigger, *old;
    unsigned int max;
    bool full;

    spin_lock(&pool->lock);
    full = pool->nr_extents == pool->max_extents;
    max = pool->max_extents;
    spin_unlock(&pool->lock);

    if ( !full )
        return 0;
    if ( !max || max > ~0U / 2 )
        return -ENOMEM;

    /* Not under the lock: it may take long, and the claim waits anyway. */
    bigger = xzalloc_array(struct static_extent, 2 * max);
    if ( !bigger )
        return -ENOMEM;

    spin_lock(&pool->lock);
    old = bigger;
    if ( pool->max_extents < 2 * max )
    {
        memcpy(bigger, pool->extents, pool->nr_extents * sizeof(*bigger));
        old = pool->extents;
        pool->extents = bigger;
        pool->max_extents = 2 * max;
    }
    spin_unlock(&pool->lock);

    /* The smaller table, or ours if another call grew it first. */
    xfree(old);

    return 0;
}

/*
 * May [start, start + nr) be claimed as a boot bank, at @gfn, for a domain
 * that is (@directmap) or is not direct-mapped?  0, or the claim's error.
 */
static int boot_claim_check(struct static_pool *pool,
                            const struct static_pool_region *b,
                            uint64_t start, uint64_t nr, uint64_t gfn,
                            bool directmap)
{
    if ( start != b->start || nr != b->nr || !boot_bank_claimable(b) )
        return -EINVAL;
    if ( b->owner != NO_OWNER || extent_at(pool, start) )
        return -EBUSY;
    if ( gfn != b->gfn ||
         directmap != !!(b->flags & XEN_STATIC_EXTENT_F_directmap) )
        return -EINVAL;

    return 0;
}

int static_pool_claim_as(struct static_pool *pool, uint64_t start,
                         uint64_t nr, uint64_t gfn, uint16_t owner,
                         bool directmap)
{
    const struct static_pool_region *b;
    struct static_extent *e;
    unsigned int i;
    int rc;

    if ( !range_valid(start, nr) || !range_valid(gfn, nr) ||
         !ordinary_domid(owner) )
        return -EINVAL;

    spin_lock(&pool->lock);

    b = boot_bank_at(pool, start, nr);
    if ( b )
    {
        rc = boot_claim_check(pool, b, start, nr, gfn, directmap);
        if ( rc )
            goto out;
    }
    else
    {
        rc = -ENOENT;
        if ( !static_pool_contains(pool, start, nr) )
            goto out;
    }

    i = extent_lower_bound(pool, start);
    rc = -EBUSY;
    if ( i < pool->nr_extents && pool->extents[i].start < start + nr )
        goto out;

    /*
     * The owner's other extents must not overlap it in guest space either:
     * one still being claimed is not mapped yet, so the caller's look at
     * the p2m cannot see it.
     */
    rc = -EEXIST;
    if ( owner_gfn_overlaps(pool, owner, gfn, nr) )
        goto out;

    rc = -ENOSPC;
    if ( pool->nr_extents == pool->max_extents )
        goto out;

    e = &pool->extents[i];
    memmove(e + 1, e, (pool->nr_extents - i) * sizeof(*e));
    e->start = start;
    e->nr = nr;
    e->gfn = gfn;
    e->owner = owner;
    e->state = STATIC_EXTENT_CLAIMING;
    e->orphan = false;
    e->parked = false;
    e->boot = b != NULL;
    e->done = 0;
    pool->nr_extents++;
    pool->generation++;
    rc = 0;

 out:
    spin_unlock(&pool->lock);

    return rc;
}

int static_pool_claim(struct static_pool *pool, uint64_t start, uint64_t nr,
                      uint64_t gfn, uint16_t owner)
{
    return static_pool_claim_as(pool, start, nr, gfn, owner, false);
}

int static_pool_release(struct static_pool *pool, uint64_t start, uint64_t nr,
                        uint16_t owner, uint64_t *gfn_r)
{
    struct static_extent *e;
    int rc;

    spin_lock(&pool->lock);

    rc = -ENOENT;
    e = extent_at(pool, start);
    if ( !e )
        goto out;
    rc = -EINVAL;
    if ( e->nr != nr )
        goto out;
    rc = -EACCES;
    if ( e->owner != owner )
        goto out;
    rc = -EBUSY;
    if ( e->state != STATIC_EXTENT_OWNED )
        goto out;

    e->state = STATIC_EXTENT_RELEASING;
    e->parked = false;
    e->done = 0;
    pool->generation++;
    if ( gfn_r )
        *gfn_r = e->gfn;
    rc = 0;

 out:
    spin_unlock(&pool->lock);

    return rc;
}

int static_pool_park(struct static_pool *pool, uint64_t start, uint16_t owner,
                     uint64_t done)
{
    struct static_extent *e;
    int rc;

    spin_lock(&pool->lock);

    rc = -ENOENT;
    e = owned_extent_at(pool, start, owner);
    if ( !e )
        goto out;
    rc = -EINVAL;
    if ( e->state == STATIC_EXTENT_OWNED || e->parked || !done )
        goto out;
    rc = -ESRCH;
    if ( e->orphan )
        goto out;

    e->parked = true;
    e->done = done;
    rc = 0;

 out:
    spin_unlock(&pool->lock);

    return rc;
}

int static_pool_resume(struct static_pool *pool, uint64_t start, uint64_t nr,
                       uint16_t owner, bool claim, uint64_t done,
                       uint64_t *gfn_r)
{
    struct static_extent *e;
    int rc;

    spin_lock(&pool->lock);

    rc = -ENOENT;
    e = owned_extent_at(pool, start, owner);
    if ( !e )
        goto out;
    rc = -EINVAL;
    if ( !e->parked || e->nr != nr || e->done != done ||
         e->state != (claim ? STATIC_EXTENT_CLAIMING
                            : STATIC_EXTENT_RELEASING) )
        goto out;

    e->parked = false;
    if ( gfn_r )
        *gfn_r = e->gfn;
    rc = 0;

 out:
    spin_unlock(&pool->lock);

    return rc;
}

/*
 * Commit (@ok) or abort the operation in progress on @owner's extent at
 * @start.  Matching the owner too means that an operation whose extent
 * went away can never finish another domain's extent at the same start.
 */
static int finish(struct static_pool *pool, uint64_t start, uint16_t owner,
                  bool ok)
{
    struct static_extent *e;
    int rc;

    spin_lock(&pool->lock);

    rc = -ENOENT;
    e = owned_extent_at(pool, start, owner);
    if ( !e )
        goto out;
    /* A parked operation is resumed before it finishes. */
    rc = -EINVAL;
    if ( e->parked )
        goto out;

    switch ( e->state )
    {
    case STATIC_EXTENT_CLAIMING:
        rc = -ESRCH;
        if ( ok && e->orphan )
            goto out;
        if ( ok )
            e->state = STATIC_EXTENT_OWNED;
        else
            extent_remove(pool, e);
        break;

    case STATIC_EXTENT_RELEASING:
        if ( ok || e->orphan )
            extent_remove(pool, e);
        else
            e->state = STATIC_EXTENT_OWNED;
        break;

    default:
        rc = -EINVAL;
        goto out;
    }

    pool->generation++;
    rc = 0;

 out:
    spin_unlock(&pool->lock);

    return rc;
}

int static_pool_commit(struct static_pool *pool, uint64_t start,
                       uint16_t owner)
{
    return finish(pool, start, owner, true);
}

int static_pool_abort(struct static_pool *pool, uint64_t start,
                      uint16_t owner)
{
    return finish(pool, start, owner, false);
}

uint64_t static_pool_owner_gone(struct static_pool *pool, uint16_t owner)
{
    uint64_t frames = 0;
    unsigned int i, j;
    bool changed = false;

    if ( !ordinary_domid(owner) )
        return 0;

    spin_lock(&pool->lock);

    for ( i = j = 0; i < pool->nr_extents; i++ )
    {
        struct static_extent *e = &pool->extents[i];

        if ( e->owner == owner &&
             (e->state == STATIC_EXTENT_OWNED || e->parked) )
        {
            frames += e->nr;
            changed = true;
            continue;
        }
        /*
         * A claim or release in progress may still be touching the
         * frames: they stay out of reach until it finishes.
         */
        if ( e->owner == owner && !e->orphan )
        {
            e->orphan = true;
            changed = true;
        }
        if ( i != j )
            pool->extents[j] = *e;
        j++;
    }
    pool->nr_extents = j;

    if ( changed )
        pool->generation++;

    spin_unlock(&pool->lock);

    return frames;
}

uint64_t static_pool_map_block(uint64_t gfn, uint64_t mfn, uint64_t nr,
                               uint64_t p)
{
    static const unsigned int orders[] = {
        STATIC_POOL_BLOCK_ORDER_1G, STATIC_POOL_BLOCK_ORDER_2M,
    };
    uint64_t g = gfn + p, m = mfn + p, left = nr - p;
    uint64_t to_2m = (1ULL << STATIC_POOL_BLOCK_ORDER_2M) -
                     (g & ((1ULL << STATIC_POOL_BLOCK_ORDER_2M) - 1));
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(orders); i++ )
    {
        uint64_t size = 1ULL << orders[i];

        if ( !((g | m) & (size - 1)) && left >= size )
            return size;
    }

    return left < to_2m ? left : to_2m;
}

uint64_t static_pool_map_end(uint64_t gfn, uint64_t mfn, uint64_t nr,
                             uint64_t from, uint64_t acquired)
{
    while ( from < acquired )
    {
        uint64_t n = static_pool_map_block(gfn, mfn, nr, from);

        if ( n > acquired - from )
            break;
        from += n;
    }

    return from;
}

bool static_pool_may_map(struct static_pool *pool, uint64_t start,
                         uint64_t nr, uint16_t owner)
{
    const struct static_pool_region *b;
    const struct static_extent *e;
    unsigned int i;
    bool ok;

    if ( !range_valid(start, nr) )
        return false;

    spin_lock(&pool->lock);

    i = extent_lower_bound(pool, start);
    e = &pool->extents[i];
    b = boot_bank_at(pool, start, nr);
    if ( i < pool->nr_extents && e->start <= start &&
         start + nr <= e->start + e->nr )
        ok = e->owner == owner && e->state == STATIC_EXTENT_OWNED &&
             !e->orphan;
    else if ( b )
        /* The bank of a domain built with it at boot, not claimed since. */
        ok = b->owner == owner && b->start <= start &&
             start + nr <= b->start + b->nr && !extent_at(pool, b->start);
    else
        ok = !pool_overlaps(pool, start, nr);

    spin_unlock(&pool->lock);

    return ok;
}

int static_pool_lookup(struct static_pool *pool, uint64_t mfn,
                       struct static_extent *ext_r)
{
    unsigned int i;
    int rc = -ENOENT;

    spin_lock(&pool->lock);

    i = extent_lower_bound(pool, mfn);
    if ( i < pool->nr_extents && pool->extents[i].start <= mfn )
    {
        *ext_r = pool->extents[i];
        rc = 0;
    }

    spin_unlock(&pool->lock);

    return rc;
}

/* Where the query walk is and what it copies out. */
struct query_ctx {
    uint32_t index;         /* of the next entry emitted */
    uint32_t start;
    struct xen_static_extent_entry *entries;
    unsigned int max, nr;
};

static void emit(struct query_ctx *q, uint64_t start, uint64_t nr,
                 uint64_t gfn, uint32_t type, uint32_t flags, uint16_t owner)
{
    if ( q->index >= q->start && q->nr < q->max )
    {
        struct xen_static_extent_entry *ent = &q->entries[q->nr++];

        memset(ent, 0, sizeof(*ent));
        ent->start_mfn = start;
        ent->nr_mfns = nr;
        ent->gfn = gfn;
        ent->type = type;
        ent->flags = flags;
        ent->owner = owner;
    }
    q->index++;
}

int static_pool_query(struct static_pool *pool, uint32_t start,
                      struct xen_static_extent_entry *entries,
                      unsigned int max, unsigned int *nr_r, uint32_t *next_r,
                      uint32_t *total_r, uint64_t *generation_r)
{
    struct query_ctx q = {
        .start = start, .entries = entries, .max = max,
    };
    unsigned int i, e = 0;

    if ( !max )
        return -EINVAL;

    spin_lock(&pool->lock);

    for ( i = 0; i < pool->nr_fixed; i++ )
    {
        const struct static_pool_region *r = &pool->fixed[i];

        emit(&q, r->start, r->nr, NO_GFN, r->type, r->flags, NO_OWNER);
    }

    for ( i = 0; i < pool->nr_ranges; i++ )
    {
        const struct static_pool_region *r = &pool->ranges[i];
        uint64_t cur = r->start, end = r->start + r->nr;

        for ( ; e < pool->nr_extents && pool->extents[e].start < end; e++ )
        {
            const struct static_extent *x = &pool->extents[e];
            uint32_t flags = XEN_STATIC_EXTENT_F_pool;

            /* A claimed boot bank is listed with the boot banks. */
            if ( x->boot )
                continue;
            if ( x->state != STATIC_EXTENT_OWNED )
                flags |= XEN_STATIC_EXTENT_F_pending;
            if ( x->start > cur )
                emit(&q, cur, x->start - cur, NO_GFN,
                     XEN_STATIC_EXTENT_TYPE_pool_free, 0, NO_OWNER);
            emit(&q, x->start, x->nr, x->gfn, XEN_STATIC_EXTENT_TYPE_owned,
                 flags, x->owner);
            cur = x->start + x->nr;
        }
        if ( cur < end )
            emit(&q, cur, end - cur, NO_GFN,
                 XEN_STATIC_EXTENT_TYPE_pool_free, 0, NO_OWNER);
    }

    for ( i = 0; i < pool->nr_boot; i++ )
    {
        const struct static_pool_region *b = &pool->boot[i];
        const struct static_extent *x = extent_at(pool, b->start);
        uint64_t gfn = boot_bank_claimable(b) ? b->gfn : NO_GFN;

        if ( x )
            emit(&q, b->start, b->nr, x->gfn, XEN_STATIC_EXTENT_TYPE_owned,
                 b->flags | (x->state != STATIC_EXTENT_OWNED
                             ? XEN_STATIC_EXTENT_F_pending : 0),
                 x->owner);
        else
            emit(&q, b->start, b->nr, gfn,
                 b->owner == NO_OWNER ? XEN_STATIC_EXTENT_TYPE_reserved
                                      : XEN_STATIC_EXTENT_TYPE_owned,
                 b->flags, b->owner);
    }

    *nr_r = q.nr;
    *total_r = q.index;
    *next_r = q.nr && start + q.nr < q.index ? start + q.nr
                                              : XEN_STATIC_EXTENT_QUERY_DONE;
    *generation_r = pool->generation;

    spin_unlock(&pool->lock);

    return 0;
}

/*
 * Local variables:
 * mode: C
 * c-file-style: "BSD"
 * c-basic-offset: 4
 * tab-width: 4
 * indent-tabs-mode: nil
 * End:
 */
