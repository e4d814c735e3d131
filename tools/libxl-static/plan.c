/*
 * Placement planning: chooses host memory for the specs that ask for
 * automatic placement, lays guest RAM out in guest-physical space,
 * keeps it clear of the guest's MMIO windows, and fills the plans.
 * The policy is a user contract: docs/placement.md.
 *
 * Free memory is kept as a "free store": the free ranges in address
 * order in fixed slots, with a segment tree of their lengths, so that
 * the lowest range that can hold a request is found in O(log F) and not
 * by a walk over every range.  A placement only ever shrinks a slot
 * from below; what it leaves under itself (an alignment gap) goes to a
 * short sorted list of fragments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_i.h"

void lxs_plan_init(struct lxs_plan *p)
{
    memset(p, 0, sizeof(*p));
    p->gnttab.base = GUEST_GNTTAB_BASE;
    p->gnttab.size = GUEST_GNTTAB_SIZE;
    p->magic.base = GUEST_MAGIC_BASE;
    p->magic.size = GUEST_MAGIC_SIZE;
}

void lxs_plan_dispose(struct lxs_plan *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->ext);
    lxs_plan_init(p);
}

static bool align_up(uint64_t v, uint64_t align, uint64_t *r)
{
    uint64_t t;

    if (lxs_add_overflow(v, align - 1, &t))
        return false;
    *r = t & ~(align - 1);
    return true;
}

/* ------------------------------------------------------------------ */
/* Guest windows                                                       */

struct win {
    uint64_t start, end;
    const char *name;
};

/*
 * The guest MMIO windows that cannot move for this spec: the virtual
 * GIC of its version (both when it takes the host's), and the vPL011
 * when it has one.  The GICv3 redistributors are those of its vcpus.
 */
static size_t fixed_windows(const struct lxs_spec *s, struct win w[5])
{
    uint64_t stride = GUEST_GICV3_GICR0_SIZE / GUEST_MAX_VCPUS;
    size_t n = 0;

    if (s->gic_version != 3) {
        w[n++] = (struct win){ GUEST_GICD_BASE,
                               GUEST_GICD_BASE + GUEST_GICD_SIZE,
                               "vgic v2 distributor" };
        w[n++] = (struct win){ GUEST_GICC_BASE,
                               GUEST_GICC_BASE + GUEST_GICC_SIZE,
                               "vgic v2 cpu interface" };
    }
    if (s->gic_version != 2) {
        w[n++] = (struct win){ GUEST_GICV3_GICD_BASE,
                               GUEST_GICV3_GICD_BASE + GUEST_GICV3_GICD_SIZE,
                               "vgic v3 distributor" };
        w[n++] = (struct win){ GUEST_GICV3_GICR0_BASE,
                               GUEST_GICV3_GICR0_BASE +
                               (uint64_t)s->vcpus * stride,
                               "vgic v3 redistributors" };
    }
    if (s->vuart_sbsa)
        w[n++] = (struct win){ GUEST_PL011_BASE,
                               GUEST_PL011_BASE + GUEST_PL011_SIZE,
                               "vpl011 uart" };
    return n;
}

/* ------------------------------------------------------------------ */
/* The free store                                                      */

struct fstore {
    struct lxs_range *f;        /* slots, in address order */
    size_t nr;
    uint64_t *tree;             /* max slot length; root 1, leaves at */
    size_t leaves;              /* [leaves, 2 * leaves) */
    struct lxs_ranges frag;     /* sorted, disjoint, few */
};

static void fs_init(struct fstore *fs)
{
    memset(fs, 0, sizeof(*fs));
    lxs_ranges_init(&fs->frag);
}

static void fs_dispose(struct fstore *fs)
{
    free(fs->f);
    free(fs->tree);
    lxs_ranges_dispose(&fs->frag);
    fs_init(fs);
}

static void fs_update(struct fstore *fs, size_t i)
{
    size_t node = fs->leaves + i;

    fs->tree[node] = fs->f[i].end - fs->f[i].start;
    for (node /= 2; node; node /= 2) {
        uint64_t l = fs->tree[2 * node], r = fs->tree[2 * node + 1];

        fs->tree[node] = l > r ? l : r;
    }
}

/* Takes a merged set of free ranges. */
static int fs_build(struct fstore *fs, const struct lxs_ranges *free_set)
{
    size_t i, leaves = 1;

    fs_dispose(fs);
    while (leaves < free_set->nr)
        leaves *= 2;
    fs->f = lxs__calloc(free_set->nr ? free_set->nr : 1, sizeof(*fs->f));
    fs->tree = lxs__calloc(2 * leaves, sizeof(*fs->tree));
    if (!fs->f || !fs->tree) {
        fs_dispose(fs);
        return -ENOMEM;
    }
    fs->nr = free_set->nr;
    fs->leaves = leaves;
    if (fs->nr)
        memcpy(fs->f, free_set->v, fs->nr * sizeof(*fs->f));
    for (i = 0; i < fs->nr; i++)
        fs->tree[leaves + i] = fs->f[i].end - fs->f[i].start;
    for (i = leaves - 1; i; i--) {
        uint64_t l = fs->tree[2 * i], r = fs->tree[2 * i + 1];

        fs->tree[i] = l > r ? l : r;
    }
    return 0;
}

/* The lowest slot >= @from at least @len long, or SIZE_MAX. */
static size_t tree_find(const struct fstore *fs, size_t node, size_t lo,
                        size_t hi, size_t from, uint64_t len)
{
    size_t mid, r;

    if (hi <= from || fs->tree[node] < len)
        return SIZE_MAX;
    if (hi - lo == 1)
        return lo < fs->nr ? lo : SIZE_MAX;
    mid = lo + (hi - lo) / 2;
    r = tree_find(fs, 2 * node, lo, mid, from, len);
    if (r != SIZE_MAX)
        return r;
    return tree_find(fs, 2 * node + 1, mid, hi, from, len);
}

static size_t fs_next_slot(const struct fstore *fs, size_t from, uint64_t len)
{
    if (!fs->nr)
        return SIZE_MAX;
    return tree_find(fs, 1, 0, fs->leaves, from, len);
}

static uint64_t fs_largest(const struct fstore *fs)
{
    uint64_t m = fs->nr ? fs->tree[1] : 0;
    size_t i;

    for (i = 0; i < fs->frag.nr; i++)
        if (fs->frag.v[i].end - fs->frag.v[i].start > m)
            m = fs->frag.v[i].end - fs->frag.v[i].start;
    return m;
}

/*
 * The lowest @align-aligned a >= @from with [a, a + @size) inside
 * [from, @end) and clear of the windows.
 */
static bool fit(uint64_t from, uint64_t end, uint64_t size, uint64_t align,
                const struct win *w, size_t nw, uint64_t *a_r)
{
    uint64_t a, e;
    size_t k;

    if (!align_up(from, align, &a))
        return false;
again:
    if (lxs_add_overflow(a, size, &e) || e > end)
        return false;
    for (k = 0; k < nw; k++) {
        if (w[k].start < e && a < w[k].end) {
            if (!align_up(w[k].end, align, &a))
                return false;
            goto again;
        }
    }
    *a_r = a;
    return true;
}

/* A run of @n units from @a, found by fs_scan and applied by fs_take. */
struct run {
    uint64_t a;
    uint64_t n;
};

struct request {
    uint64_t unit;              /* size of one unit */
    uint64_t align;
    uint64_t need;              /* units */
    const struct win *w;        /* windows to keep clear of */
    size_t nw;
};

/*
 * Collects runs from [from, end) into @runs until the request is met.
 * Returns the units found.
 */
static uint64_t scan_range(uint64_t from, uint64_t end,
                           const struct request *rq, uint64_t left,
                           struct run *runs, size_t *nr_runs)
{
    uint64_t got = 0, a, b, e;
    size_t k;

    while (got < left && fit(from, end, rq->unit, rq->align, rq->w, rq->nw,
                             &a)) {
        uint64_t n = 1;

        b = a + rq->unit;
        while (got + n < left && !lxs_add_overflow(b, rq->unit, &e) &&
               e <= end) {
            for (k = 0; k < rq->nw; k++)
                if (rq->w[k].start < e && b < rq->w[k].end)
                    break;
            if (k < rq->nw)
                break;
            b = e;
            n++;
        }
        runs[(*nr_runs)++] = (struct run){ a, n };
        got += n;
        from = b;
    }
    return got;
}

/*
 * Lowest-first scan of the store for @rq, without changing it.  0 with
 * the runs that meet the request in *runs_r (free() them), 1 when the
 * store cannot meet it, -ENOMEM.  Slots are visited through the tree,
 * fragments by merging them in.
 */
static int fs_scan(const struct fstore *fs, const struct request *rq,
                   struct run **runs_r, size_t *nr_runs_r)
{
    struct run *runs = NULL;
    size_t nr_runs = 0, alloc = 0, fi = 0, si;
    uint64_t got = 0;
    int rc;

    si = fs_next_slot(fs, 0, rq->unit);
    while (got < rq->need) {
        const struct lxs_range *r;

        while (fi < fs->frag.nr &&
               fs->frag.v[fi].end - fs->frag.v[fi].start < rq->unit)
            fi++;
        if (si == SIZE_MAX && fi >= fs->frag.nr)
            break;
        if (si != SIZE_MAX &&
            (fi >= fs->frag.nr || fs->f[si].start < fs->frag.v[fi].start)) {
            r = &fs->f[si];
            si = fs_next_slot(fs, si + 1, rq->unit);
        } else {
            r = &fs->frag.v[fi++];
        }
        /* a range gives at most one run more than the windows it meets */
        rc = lxs__grow((void **)&runs, &alloc, nr_runs + rq->nw + 1,
                       sizeof(*runs));
        if (rc) {
            free(runs);
            return rc;
        }
        got += scan_range(r->start, r->end, rq, rq->need - got, runs,
                          &nr_runs);
    }
    if (got < rq->need) {
        free(runs);
        return 1;
    }
    *runs_r = runs;
    *nr_runs_r = nr_runs;
    return 0;
}

/* Inserts [s, e) into the sorted fragments. */
static int frag_insert(struct lxs_ranges *fr, uint64_t s, uint64_t e)
{
    size_t k;
    int rc;

    if (s >= e)
        return 0;
    rc = lxs__grow((void **)&fr->v, &fr->alloc, fr->nr + 1, sizeof(*fr->v));
    if (rc)
        return rc;
    k = lxs_ranges_lower_bound(fr, s);
    memmove(&fr->v[k + 1], &fr->v[k], (fr->nr - k) * sizeof(*fr->v));
    fr->v[k] = (struct lxs_range){ .start = s, .end = e };
    fr->nr++;
    return 0;
}

/* Removes [a, b), which lies inside one free range, from the store. */
static int fs_take(struct fstore *fs, uint64_t a, uint64_t b)
{
    struct lxs_range *r;
    uint64_t s;
    size_t k;

    /* slots stay sorted and disjoint as they shrink: binary search */
    k = fs->nr ? lxs_ranges_lower_bound(&(struct lxs_ranges){
                     .v = fs->f, .nr = fs->nr }, a) : 0;
    if (k < fs->nr && fs->f[k].start <= a && b <= fs->f[k].end) {
        r = &fs->f[k];
        s = r->start;
        r->start = b;
        fs_update(fs, k);
        return frag_insert(&fs->frag, s, a);
    }
    k = lxs_ranges_lower_bound(&fs->frag, a);
    if (k >= fs->frag.nr || fs->frag.v[k].start > a ||
        b > fs->frag.v[k].end)
        return -EINVAL;     /* cannot happen: runs come from fs_scan */
    r = &fs->frag.v[k];
    s = r->start;
    r->start = b;
    if (r->start == r->end) {
        memmove(r, r + 1, (fs->frag.nr - k - 1) * sizeof(*r));
        fs->frag.nr--;
    }
    return frag_insert(&fs->frag, s, a);
}

/* ------------------------------------------------------------------ */
/* Automatic placement                                                 */

/* An owned region, for finding a domain's own ones by name. */
struct owned_ref {
    const char *owner;
    uint64_t start, end;
};

struct pctx {
    struct lxs__ck *ck;
    struct fstore free;         /* shared free memory */
    struct lxs_ranges domain;   /* where placements may go at all */
    struct lxs_ranges placed;   /* every extent so far (unmerged) */
    const char *where;          /* "the static pool" / "free host ram" */
    struct owned_ref *owned;    /* by owner, then address */
    size_t nr_owned;
};

static int owned_ref_cmp(const void *pa, const void *pb)
{
    const struct owned_ref *a = pa, *b = pb;
    int c = strcmp(a->owner, b->owner);

    if (c)
        return c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

/* Sorts the named owned regions by owner: O(O log O) once. */
static int index_owners(struct pctx *pc)
{
    const struct lxs_hostmap *map = pc->ck->map;
    size_t k, n = 0;

    if (!map->owned.nr)
        return 0;
    pc->owned = lxs__calloc(map->owned.nr, sizeof(*pc->owned));
    if (!pc->owned)
        return -ENOMEM;
    for (k = 0; k < map->owned.nr; k++) {
        const struct lxs_range *r = &map->owned.v[k];

        if (r->tag >= map->nr || !map->v[r->tag].owner)
            continue;
        pc->owned[n++] = (struct owned_ref){ map->v[r->tag].owner,
                                             r->start, r->end };
    }
    pc->nr_owned = n;
    qsort(pc->owned, n, sizeof(*pc->owned), owned_ref_cmp);
    return 0;
}

struct collect {
    struct lxs_ranges *hits;
    const struct lxs_hostmap *map;  /* with self: whose regions to keep */
    const char *self;
};

static int collect_hit(const struct lxs_range *hit, void *opaque)
{
    struct collect *c = opaque;
    const char *owner;

    if (c->self && hit->tag < c->map->nr) {
        owner = c->map->v[hit->tag].owner;
        if (owner && !strcmp(owner, c->self))
            return 0;
    }
    return lxs_ranges_add(c->hits, hit->start, hit->end, 0);
}

/*
 * @set (merged) minus every member of @ix, into @out (replaced); with
 * @self, members of @map owned by @self are not subtracted.
 */
static int subtract_index(const struct lxs_ranges *set,
                          const struct lxs_rindex *ix,
                          const struct lxs_hostmap *map, const char *self,
                          struct lxs_ranges *out)
{
    struct lxs_ranges hits;
    struct collect c = { .hits = &hits, .map = map, .self = self };
    size_t i;
    int rc;

    lxs_ranges_init(&hits);
    for (i = 0; i < set->nr; i++) {
        rc = lxs_rindex_find(ix, set->v[i].start, set->v[i].end,
                             collect_hit, &c);
        if (rc)
            goto out;
    }
    lxs_ranges_merge(&hits);
    rc = lxs_ranges_subtract(set, &hits, out);
out:
    lxs_ranges_dispose(&hits);
    return rc;
}

/*
 * The free memory of the domain's own earlier reservations (owned
 * regions under its name): they are tried first so that a domain
 * created again gets its memory back.  Where another owner claims the
 * same memory too (two dom0less nodes, or a node and a registry
 * reservation, that overlap), it is not free.
 */
static int own_free(struct pctx *pc, size_t i, struct lxs_ranges *out)
{
    const struct lxs_hostmap *map = pc->ck->map;
    const char *name = pc->ck->specs[i].name;
    struct lxs_ranges own, placed;
    size_t k, lo = 0, hi = pc->nr_owned;
    int rc = 0;

    lxs_ranges_init(&own);
    lxs_ranges_init(&placed);
    if (!name)
        goto out;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(pc->owned[mid].owner, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (k = lo; k < pc->nr_owned && !strcmp(pc->owned[k].owner, name); k++)
        if ((rc = lxs_ranges_add(&own, pc->owned[k].start, pc->owned[k].end,
                                 0)))
            goto out;
    if (!own.nr)
        goto out;
    lxs_ranges_merge(&own);
    if ((rc = lxs_ranges_intersect(&own, &pc->domain, &own)) ||
        (rc = subtract_index(&own, &map->reserved_ix, NULL, NULL, &own)) ||
        (rc = subtract_index(&own, &map->owned_ix, map, name, &own)))
        goto out;
    for (k = 0; k < pc->placed.nr; k++)
        if ((rc = lxs_ranges_add(&placed, pc->placed.v[k].start,
                                 pc->placed.v[k].end, 0)))
            goto out;
    lxs_ranges_merge(&placed);
    rc = lxs_ranges_subtract(&own, &placed, out);
out:
    lxs_ranges_dispose(&own);
    lxs_ranges_dispose(&placed);
    return rc;
}

static int record_runs(struct pctx *pc, size_t i, const struct request *rq,
                       const struct run *runs, size_t nr_runs,
                       struct fstore *from)
{
    size_t k;
    int rc;

    for (k = 0; k < nr_runs; k++) {
        struct lxs__hext e = {
            .start = runs[k].a,
            .end = runs[k].a + runs[k].n * rq->unit,
            .spec = i,
            .item = LXS__ITEM_AUTO,
        };

        if ((rc = fs_take(from, e.start, e.end)) ||
            (rc = lxs__ck_add_ext(pc->ck, &e)) ||
            (rc = lxs_ranges_add(&pc->placed, e.start, e.end, 0)))
            return rc;
    }
    return 0;
}

/* Tries @rq in @fs; 1 when it does not fit, 0 when placed, -ENOMEM. */
static int try_place(struct pctx *pc, size_t i, const struct request *rq,
                     struct fstore *fs)
{
    struct run *runs = NULL;
    size_t nr_runs = 0;
    int rc;

    rc = fs_scan(fs, rq, &runs, &nr_runs);
    if (rc)
        return rc;
    rc = record_runs(pc, i, rq, runs, nr_runs, fs);
    free(runs);
    return rc;
}

static int place_auto(struct pctx *pc, size_t i)
{
    struct lxs__ck *ck = pc->ck;
    const struct lxs_spec *s = &ck->specs[i];
    struct lxs__sstate *st = &ck->st[i];
    struct win w[7];
    struct request rq = { .w = w };
    struct lxs_ranges own;
    struct fstore own_fs;
    char b1[LXS_SIZE_STRLEN], b2[LXS_SIZE_STRLEN], b3[LXS_SIZE_STRLEN];
    int rc;

    if (!st->memory)
        return 0;       /* reported as missing */
    if (st->place == LXS__PLACE_CHUNKS) {
        if (!st->chunk)
            return 0;   /* reported as bad-chunk */
        rq.unit = rq.align = st->chunk;
        rq.need = st->memory / st->chunk;
    } else {
        rq.unit = st->memory;
        rq.align = LXS__AUTO_ALIGN;
        rq.need = 1;
    }
    if (s->direct_map) {
        /* guest == host: keep host picks clear of the guest windows */
        rq.nw = fixed_windows(s, w);
        w[rq.nw++] = (struct win){ GUEST_GNTTAB_BASE,
                                   GUEST_GNTTAB_BASE + GUEST_GNTTAB_SIZE,
                                   "grant table" };
    }

    lxs_ranges_init(&own);
    fs_init(&own_fs);
    rc = own_free(pc, i, &own);
    if (rc)
        goto out;
    if (own.nr) {
        if ((rc = fs_build(&own_fs, &own)))
            goto out;
        rc = try_place(pc, i, &rq, &own_fs);
        if (rc <= 0)
            goto out;
    }
    rc = try_place(pc, i, &rq, &pc->free);
    if (rc <= 0)
        goto out;

    if (st->place == LXS__PLACE_CHUNKS)
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_NO_SPACE, "mem_chunk",
                            "no room for %" PRIu64 " naturally aligned %s "
                            "chunks (%s) in %s", rq.need,
                            lxs_fmt_size(rq.unit, b1),
                            lxs_fmt_size(st->memory, b2), pc->where);
    else
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_NO_SPACE, "memory",
                            "no free 2M-aligned extent of %s in %s (largest "
                            "free range %s)", lxs_fmt_size(rq.unit, b1),
                            pc->where, lxs_fmt_size(fs_largest(&pc->free),
                                                    b3));
out:
    lxs_ranges_dispose(&own);
    fs_dispose(&own_fs);
    return rc;
}

/*
 * Free memory for automatic placement: the pool at run time (when the
 * host has one), else RAM outside the pool; minus reserved regions,
 * owned memory and every explicit extent.  The pool counts only where
 * it is RAM: a host DT may declare it over a hole, and an explicit
 * extent there is `outside-ram', so an automatic one must not go there.
 * Likewise nothing at or above LXS_PADDR_LIMIT (`overflow' when
 * explicit), wherever a host DT puts its RAM.
 */
static int build_free(struct pctx *pc)
{
    struct lxs__ck *ck = pc->ck;
    const struct lxs_hostmap *map = ck->map;
    struct lxs_ranges used, avail, high;
    size_t k;
    int rc;

    lxs_ranges_init(&used);
    lxs_ranges_init(&avail);
    lxs_ranges_init(&high);
    if (ck->mode == LXS_MODE_RUNTIME && map->has_pool) {
        pc->where = "the static pool";
        rc = lxs_ranges_intersect(&map->pool, &map->ram, &pc->domain);
    } else {
        pc->where = "free host ram";
        rc = lxs_ranges_subtract(&map->ram, &map->pool, &pc->domain);
    }
    if (rc || (rc = lxs_ranges_add(&high, LXS_PADDR_LIMIT, UINT64_MAX, 0)) ||
        (rc = lxs_ranges_subtract(&pc->domain, &high, &pc->domain)))
        goto out;

    for (k = 0; k < map->reserved.nr; k++)
        if ((rc = lxs_ranges_add(&used, map->reserved.v[k].start,
                                 map->reserved.v[k].end, 0)))
            goto out;
    for (k = 0; k < map->owned.nr; k++)
        if ((rc = lxs_ranges_add(&used, map->owned.v[k].start,
                                 map->owned.v[k].end, 0)))
            goto out;
    for (k = 0; k < ck->nr_ext; k++)
        if ((rc = lxs_ranges_add(&used, ck->ext[k].start, ck->ext[k].end, 0))
            || (rc = lxs_ranges_add(&pc->placed, ck->ext[k].start,
                                    ck->ext[k].end, 0)))
            goto out;
    lxs_ranges_merge(&used);
    if ((rc = lxs_ranges_subtract(&pc->domain, &used, &avail)))
        goto out;
    rc = fs_build(&pc->free, &avail);
out:
    lxs_ranges_dispose(&used);
    lxs_ranges_dispose(&avail);
    lxs_ranges_dispose(&high);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Guest layout                                                        */

struct gext {
    uint64_t host, guest, size;
    const struct lxs__hext *src;
};

static int gext_cmp(const void *pa, const void *pb)
{
    const struct gext *a = pa, *b = pb;

    if (a->guest != b->guest)
        return a->guest < b->guest ? -1 : 1;
    if (a->size != b->size)
        return a->size < b->size ? -1 : 1;
    return a->host < b->host ? -1 : a->host > b->host;
}

static int report_guest_overlaps(struct lxs__ck *ck, size_t i,
                                 const struct gext *g, size_t n)
{
    char wa[128], wb[128];
    size_t a, b;
    int rc;

    /* as validate.c's host sweep: each extent once, O(n), at most n */
    for (b = 1, a = 0; b < n; b++) {
        if (g[b].guest < g[a].guest + g[a].size) {
            rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_OVERLAP_SELF,
                                lxs__ext_key(ck, g[b].src), "%s at guest "
                                RFMT " overlaps %s at guest " RFMT,
                                lxs__ext_what(ck, g[b].src, wb, sizeof(wb)),
                                g[b].guest, g[b].guest + g[b].size,
                                lxs__ext_what(ck, g[a].src, wa, sizeof(wa)),
                                g[a].guest, g[a].guest + g[a].size);
            if (rc)
                return rc;
        }
        if (g[b].guest + g[b].size > g[a].guest + g[a].size)
            a = b;
    }
    return 0;
}

static bool ram_overlaps(const struct gext *g, size_t n, uint64_t s,
                         uint64_t e, size_t *k_r)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (g[k].guest < e && s < g[k].guest + g[k].size) {
            if (k_r)
                *k_r = k;
            return true;
        }
    }
    return false;
}

/*
 * A new place for a movable window of @size: the lowest 2M-aligned
 * guest range from 2M up to 4G clear of guest RAM and of the @nb busy
 * windows, else the first one above guest RAM.  false when none.
 */
static bool find_hole(const struct gext *g, size_t n, const struct win *busy,
                      size_t nb, uint64_t size, uint64_t limit,
                      uint64_t *base_r)
{
    uint64_t a, top = 0, e;
    size_t k;

    a = LXS__AUTO_ALIGN;
    for (;;) {
        bool moved = false;

        if (lxs_add_overflow(a, size, &e))
            return false;
        for (k = 0; k < n && !moved; k++) {
            if (g[k].guest < e && a < g[k].guest + g[k].size) {
                if (!align_up(g[k].guest + g[k].size, LXS__AUTO_ALIGN, &a))
                    return false;
                moved = true;
            }
        }
        for (k = 0; k < nb && !moved; k++) {
            if (busy[k].start < e && a < busy[k].end) {
                if (!align_up(busy[k].end, LXS__AUTO_ALIGN, &a))
                    return false;
                moved = true;
            }
        }
        if (!moved)
            break;
    }
    if (e <= (UINT64_C(4) << 30)) {
        *base_r = a;
        return true;
    }
    /* above guest RAM (and above every window) */
    for (k = 0; k < n; k++)
        if (g[k].guest + g[k].size > top)
            top = g[k].guest + g[k].size;
    for (k = 0; k < nb; k++)
        if (busy[k].end > top)
            top = busy[k].end;
    if (!align_up(top, LXS__AUTO_ALIGN, &a) || lxs_add_overflow(a, size, &e)
        || e > limit)
        return false;
    *base_r = a;
    return true;
}

/*
 * Moves the grant-table and magic windows off guest RAM when they are
 * on it.  Guest RAM must be sorted by guest address.  A direct-mapped
 * domain's magic pages are in its RAM (plan_spec): only its grant-table
 * window can move.
 */
static int place_windows(struct lxs__ck *ck, size_t i, const struct gext *g,
                         size_t n, struct lxs_plan *p)
{
    const struct lxs_spec *s = &ck->specs[i];
    struct lxs_window *mw[2] = { &p->gnttab, &p->magic };
    static const char *const names[2] = { "grant-table", "magic pages" };
    uint64_t limit = s->direct_map ? LXS_PADDR_LIMIT : LXS__GUEST_SPACE_END;
    struct win busy[7];
    size_t nb, k;
    char b[LXS_SIZE_STRLEN];
    int rc;

    for (k = 0; k < (p->magic_in_ram ? 1u : 2u); k++) {
        uint64_t base;

        if (!ram_overlaps(g, n, mw[k]->base, mw[k]->base + mw[k]->size,
                          NULL))
            continue;
        nb = fixed_windows(s, busy);
        if (!p->magic_in_ram)
            busy[nb++] = (struct win){ mw[!k]->base,
                                       mw[!k]->base + mw[!k]->size,
                                       names[!k] };
        if (!find_hole(g, n, busy, nb, mw[k]->size, limit, &base)) {
            rc = lxs__ck_report(ck, i, LXS_SEV_ERROR,
                                LXS_E_WINDOW_COLLISION, "memory", "guest "
                                "ram covers the %s window " RFMT " and no "
                                "free %s guest range is left to move it to",
                                names[k], mw[k]->base,
                                mw[k]->base + mw[k]->size,
                                lxs_fmt_size(mw[k]->size, b));
            if (rc)
                return rc;
            continue;
        }
        mw[k]->base = base;
        p->windows_moved = true;
    }
    return 0;
}

/* Where the extents without @GADDR go in a guest that is not 1:1. */
struct layout {
    size_t bank;
    uint64_t next;
    uint64_t left;
};

static const uint64_t bank_base[] = GUEST_RAM_BANK_BASES;
static const uint64_t bank_size[] = GUEST_RAM_BANK_SIZES;

/* Lays out @e; false when the guest banks are full. */
static bool layout_one(struct layout *l, const struct lxs__hext *e,
                       struct gext *g, size_t *n)
{
    uint64_t host = e->start, size = e->end - e->start, take;

    while (size) {
        if (l->bank >= GUEST_RAM_BANKS)
            return false;
        take = size < l->left ? size : l->left;
        g[(*n)++] = (struct gext){ host, l->next, take, e };
        host += take;
        size -= take;
        l->next += take;
        l->left -= take;
        if (!l->left && ++l->bank < GUEST_RAM_BANKS) {
            l->next = bank_base[l->bank];
            l->left = bank_size[l->bank];
        }
    }
    return true;
}

/*
 * Guest RAM of a direct-mapped domain must fit the guest's IPA width,
 * which dtgen and libxl lay it out in (a guest that is not 1:1 stays in
 * the guest RAM banks, below 1 TiB).
 */
static int check_ipa(struct lxs__ck *ck, size_t i, const struct gext *g,
                     size_t n)
{
    char what[128];
    size_t k;

    if (!ck->ipa_limit)
        return 0;
    for (k = 0; k < n; k++) {
        if (g[k].guest + g[k].size <= ck->ipa_limit)
            continue;
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_OVERFLOW,
                              lxs__ext_key(ck, g[k].src), "%s at guest "
                              RFMT " ends above the guest's " XFMT
                              " physical address space",
                              lxs__ext_what(ck, g[k].src, what,
                                            sizeof(what)),
                              g[k].guest, g[k].guest + g[k].size,
                              ck->ipa_limit);
    }
    return 0;
}

/*
 * Xen 4.17's boot-time builder maps xen,static-mem, in order, at
 * GUEST_RAM0_BASE until bank 0 is full, then at GUEST_RAM1_BASE
 * (allocate_static_memory()); a direct-mapped one at the host address.
 * The host DT cannot say otherwise, so a dom0less guest's layout must
 * be that one (no @GADDR elsewhere).
 */
static int check_boot_layout(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    uint64_t used = 0, want;
    size_t k;

    if (ck->mode != LXS_MODE_BOOT || s->direct_map)
        return 0;
    /* in cfg order, as Xen reads xen,static-mem */
    for (k = 0; k < s->nr_static_mem; used += s->static_mem[k++].size) {
        const struct lxs_mem_spec *m = &s->static_mem[k];

        if (used < GUEST_RAM0_SIZE) {
            want = GUEST_RAM0_BASE + used;
            if (m->size > GUEST_RAM0_SIZE - used)
                want = ~m->gaddr;       /* Xen splits it: never matches */
        } else {
            want = GUEST_RAM1_BASE + (used - GUEST_RAM0_SIZE);
        }
        if (!m->has_gaddr || m->gaddr == want)
            continue;
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_CONFLICT,
                              "static_mem", "'static_mem' item '%s' at "
                              "guest " XFMT " is not where xen's boot-time "
                              "builder maps it: a dom0less domain gets its "
                              "static-mem in order from " XFMT " (this one "
                              "at " XFMT "), or 1:1 with direct_map",
                              m->text ? m->text : "?", m->gaddr,
                              (uint64_t)GUEST_RAM0_BASE, want);
    }
    return 0;
}

/* Guest RAM against the fixed guest MMIO windows of the spec. */
static int check_fixed_windows(struct lxs__ck *ck, size_t i,
                               const struct gext *g, size_t n)
{
    struct win w[5];
    char what[128];
    size_t nw, j, k;
    int rc;

    nw = fixed_windows(&ck->specs[i], w);
    for (j = 0; j < nw; j++) {
        for (k = 0; k < n; k++) {
            if (!(g[k].guest < w[j].end && w[j].start < g[k].guest +
                  g[k].size))
                continue;
            rc = lxs__ck_report(ck, i, LXS_SEV_ERROR,
                                LXS_E_WINDOW_COLLISION,
                                lxs__ext_key(ck, g[k].src), "%s at guest "
                                RFMT " overlaps the %s window " RFMT
                                ", which cannot move",
                                lxs__ext_what(ck, g[k].src, what,
                                              sizeof(what)),
                                g[k].guest, g[k].guest + g[k].size,
                                w[j].name, w[j].start, w[j].end);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/*
 * A 1:1 domain's pages are its own RAM at gfn == mfn (Xen refuses
 * others): the magic pages libxenguest gives a domain it builds are the
 * top of its highest extent that can hold them (extents are 4 KiB
 * multiples).  A dom0less domain has none.  1 when none can (reported).
 */
static int place_magic_in_ram(struct lxs__ck *ck, size_t i,
                              const struct gext *g, size_t n,
                              struct lxs_plan *p)
{
    char b[LXS_SIZE_STRLEN];
    size_t k;

    for (k = n; k-- > 0; )
        if (g[k].size >= LXS_MAGIC_IN_RAM_SIZE)
            break;
    if (k == SIZE_MAX) {
        int rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_NO_SPACE,
                                lxs__ext_key(ck, g[0].src), "direct-mapped "
                                "guest ram has no extent of %s for the "
                                "magic pages",
                                lxs_fmt_size(LXS_MAGIC_IN_RAM_SIZE, b));

        return rc ? rc : 1;
    }
    p->magic.base = g[k].guest + g[k].size - LXS_MAGIC_IN_RAM_SIZE;
    p->magic.size = LXS_MAGIC_IN_RAM_SIZE;
    p->magic_in_ram = true;
    return 0;
}

/* The plan's extents and dma-offset from the laid out guest RAM. */
static int fill_plan(const struct lxs__ck *ck, size_t i,
                     const struct gext *g, size_t n, struct lxs_plan *p)
{
    const struct lxs__sstate *st = &ck->st[i];
    uint64_t off;
    size_t k;

    p->direct_map = ck->specs[i].direct_map;
    p->automatic = st->place == LXS__PLACE_CONTIG ||
                   st->place == LXS__PLACE_CHUNKS;
    if (n) {
        p->ext = lxs__calloc(n, sizeof(*p->ext));
        if (!p->ext)
            return -ENOMEM;
    }
    p->nr_ext = n;
    p->has_dma_offset = n > 0;
    off = n ? g[0].host - g[0].guest : 0;
    for (k = 0; k < n; k++) {
        p->ext[k] = (struct lxs_extent){ g[k].host, g[k].guest, g[k].size };
        if (g[k].host - g[k].guest != off)
            p->has_dma_offset = false;
    }
    p->dma_offset = p->has_dma_offset ? off : 0;
    return 0;
}

/*
 * Guest side of one spec: layout, guest checks, and the plan.  @ex are
 * its host extents (explicit in cfg order, then automatic ones in
 * address order).
 */
static int plan_spec(struct lxs__ck *ck, size_t i, const struct lxs__hext *ex,
                     size_t nex, struct lxs_plan *p)
{
    const struct lxs_spec *s = &ck->specs[i];
    struct lxs__sstate *st = &ck->st[i];
    struct layout l = { 0, bank_base[0], bank_size[0] };
    struct gext *g = NULL;
    size_t n = 0, k, banks;
    bool any_gaddr = false, full = false;
    char b1[LXS_SIZE_STRLEN], b2[LXS_SIZE_STRLEN], b3[LXS_SIZE_STRLEN];
    int rc;

    /* splitting at the bank boundary adds at most one piece */
    g = lxs__calloc(nex + GUEST_RAM_BANKS, sizeof(*g));
    if (!g)
        return -ENOMEM;
    for (k = 0; k < nex; k++) {
        if (s->direct_map) {
            g[n++] = (struct gext){ ex[k].start, ex[k].start,
                                    ex[k].end - ex[k].start, &ex[k] };
        } else if (ex[k].has_gaddr) {
            g[n++] = (struct gext){ ex[k].start, ex[k].gaddr,
                                    ex[k].end - ex[k].start, &ex[k] };
            any_gaddr = true;
        } else if (!full && !layout_one(&l, &ex[k], g, &n)) {
            full = true;
        }
    }
    if (full) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_TOO_MANY_BANKS,
                            "memory", "guest ram of %s does not fit the %d "
                            "ram banks of the guest layout (%s at " XFMT
                            " and %s at " XFMT ")",
                            lxs_fmt_size(st->memory, b1), GUEST_RAM_BANKS,
                            lxs_fmt_size(bank_size[0], b2), bank_base[0],
                            lxs_fmt_size(bank_size[1], b3), bank_base[1]);
        goto out;
    }
    qsort(g, n, sizeof(*g), gext_cmp);

    if (any_gaddr && (rc = report_guest_overlaps(ck, i, g, n)))
        goto out;

    /* banks after merging guest-adjacent extents */
    for (k = 0, banks = 0; k < n; k++)
        if (!k || g[k].guest != g[k - 1].guest + g[k - 1].size)
            banks++;
    if (banks > LXS_MAX_GUEST_BANKS) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_TOO_MANY_BANKS,
                            lxs__ext_key(ck, &ex[0]), "guest ram is in %zu "
                            "banks, more than the %d a guest can be given",
                            banks, LXS_MAX_GUEST_BANKS);
        if (rc)
            goto out;
    }
    if ((rc = check_fixed_windows(ck, i, g, n)) ||
        (rc = check_ipa(ck, i, g, n)) ||
        (rc = check_boot_layout(ck, i)))
        goto out;
    if (s->direct_map && n && ck->mode == LXS_MODE_RUNTIME) {
        rc = place_magic_in_ram(ck, i, g, n, p);
        if (rc) {
            rc = rc < 0 ? rc : 0;
            goto out;
        }
    }
    rc = place_windows(ck, i, g, n, p);
    if (!rc)
        rc = fill_plan(ck, i, g, n, p);
out:
    free(g);
    return rc;
}

int lxs__plan_all(struct lxs__ck *ck, struct lxs_plan *plans)
{
    struct pctx pc;
    struct lxs__hext *by_spec = NULL;
    size_t *first = NULL, *fill = NULL, i, k;
    int rc;

    memset(&pc, 0, sizeof(pc));
    pc.ck = ck;
    fs_init(&pc.free);
    lxs_ranges_init(&pc.domain);
    lxs_ranges_init(&pc.placed);

    /* explicit placements of every spec are taken: free memory is the rest */
    rc = build_free(&pc);
    if (rc)
        goto out;
    rc = index_owners(&pc);
    if (rc)
        goto out;
    for (i = 0; i < ck->nr; i++) {
        enum lxs__place pl = ck->st[i].place;

        if ((pl == LXS__PLACE_CONTIG || pl == LXS__PLACE_CHUNKS) &&
            !ck->st[i].error && (rc = place_auto(&pc, i)))
            goto out;
    }

    /* group the extents by spec, keeping their order (counting sort) */
    rc = -ENOMEM;
    first = lxs__calloc(ck->nr + 1, sizeof(*first));
    fill = lxs__calloc(ck->nr + 1, sizeof(*fill));
    by_spec = lxs__calloc(ck->nr_ext ? ck->nr_ext : 1, sizeof(*by_spec));
    if (!first || !fill || !by_spec)
        goto out;
    for (k = 0; k < ck->nr_ext; k++)
        first[ck->ext[k].spec + 1]++;
    for (i = 0; i < ck->nr; i++)
        first[i + 1] += first[i];
    for (k = 0; k < ck->nr_ext; k++) {
        size_t sp = ck->ext[k].spec;

        by_spec[first[sp] + fill[sp]++] = ck->ext[k];
    }

    for (i = 0; i < ck->nr; i++) {
        const struct lxs_spec *s = &ck->specs[i];
        struct lxs__sstate *st = &ck->st[i];

        if (st->guest_unknown)
            continue;
        if (st->place != LXS__PLACE_NONE && first[i + 1] > first[i]) {
            rc = plan_spec(ck, i, &by_spec[first[i]],
                           first[i + 1] - first[i], &plans[i]);
            if (rc)
                goto out;
        }
        if (st->error || (st->place != LXS__PLACE_NONE &&
                          first[i + 1] == first[i]))
            continue;
        plans[i].direct_map = s->direct_map;
        if (s->name && !(plans[i].name = lxs__strdup(s->name))) {
            rc = -ENOMEM;
            goto out;
        }
    }
    /* plans only for the specs without error */
    for (i = 0; i < ck->nr; i++)
        if (ck->st[i].error)
            lxs_plan_dispose(&plans[i]);
    rc = 0;
out:
    free(first);
    free(fill);
    free(by_spec);
    fs_dispose(&pc.free);
    free(pc.owned);
    lxs_ranges_dispose(&pc.domain);
    lxs_ranges_dispose(&pc.placed);
    return rc;
}
