/*
 * Half-open ranges [start, end) of host or guest addresses: sets that
 * can be sorted, merged, subtracted and intersected, and an overlap
 * index for sets whose members overlap each other.
 *
 * A set is "sorted" after lxs_ranges_sort() and "merged" after
 * lxs_ranges_merge() (sorted, disjoint and not adjacent).  The set
 * operations take merged sets and run as linear merges.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"

void lxs_ranges_init(struct lxs_ranges *rs)
{
    memset(rs, 0, sizeof(*rs));
}

void lxs_ranges_dispose(struct lxs_ranges *rs)
{
    if (!rs)
        return;
    free(rs->v);
    lxs_ranges_init(rs);
}

int lxs_ranges_add(struct lxs_ranges *rs, uint64_t start, uint64_t end,
                   uint32_t tag)
{
    int rc;

    if (start >= end)
        return -EINVAL;
    rc = lxs__grow((void **)&rs->v, &rs->alloc, rs->nr + 1, sizeof(*rs->v));
    if (rc)
        return rc;
    rs->v[rs->nr].start = start;
    rs->v[rs->nr].end = end;
    rs->v[rs->nr].tag = tag;
    rs->nr++;
    return 0;
}

static int range_cmp(const void *pa, const void *pb)
{
    const struct lxs_range *a = pa, *b = pb;

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    if (a->tag != b->tag)
        return a->tag < b->tag ? -1 : 1;
    return 0;
}

void lxs_ranges_sort(struct lxs_ranges *rs)
{
    if (rs->nr > 1)
        qsort(rs->v, rs->nr, sizeof(*rs->v), range_cmp);
}

void lxs_ranges_merge(struct lxs_ranges *rs)
{
    size_t i, out = 0;

    if (!rs->nr)
        return;
    lxs_ranges_sort(rs);
    for (i = 1; i < rs->nr; i++) {
        struct lxs_range *cur = &rs->v[out];

        if (rs->v[i].start <= cur->end) {
            /* overlapping or adjacent: absorb */
            if (rs->v[i].end > cur->end)
                cur->end = rs->v[i].end;
        } else {
            rs->v[++out] = rs->v[i];
        }
    }
    rs->nr = out + 1;
}

/* Replaces *out by *tmp (which it takes over). */
static void ranges_replace(struct lxs_ranges *out, struct lxs_ranges *tmp)
{
    lxs_ranges_dispose(out);
    *out = *tmp;
    lxs_ranges_init(tmp);
}

int lxs_ranges_subtract(const struct lxs_ranges *a, const struct lxs_ranges *b,
                        struct lxs_ranges *out)
{
    struct lxs_ranges tmp;
    size_t i, j = 0;
    int rc;

    lxs_ranges_init(&tmp);
    for (i = 0; i < a->nr; i++) {
        uint64_t cur = a->v[i].start, end = a->v[i].end;
        uint32_t tag = a->v[i].tag;

        /* b ranges wholly below this a range cannot touch later ones */
        while (j < b->nr && b->v[j].end <= cur)
            j++;
        /* k walks the b ranges inside this a range; j stays for the next */
        for (size_t k = j; k < b->nr && b->v[k].start < end; k++) {
            if (b->v[k].start > cur) {
                rc = lxs_ranges_add(&tmp, cur, b->v[k].start, tag);
                if (rc)
                    goto out;
            }
            if (b->v[k].end > cur)
                cur = b->v[k].end;
            if (cur >= end)
                break;
        }
        if (cur < end) {
            rc = lxs_ranges_add(&tmp, cur, end, tag);
            if (rc)
                goto out;
        }
    }
    ranges_replace(out, &tmp);
    rc = 0;
out:
    lxs_ranges_dispose(&tmp);
    return rc;
}

int lxs_ranges_intersect(const struct lxs_ranges *a,
                         const struct lxs_ranges *b, struct lxs_ranges *out)
{
    struct lxs_ranges tmp;
    size_t i = 0, j = 0;
    int rc;

    lxs_ranges_init(&tmp);
    while (i < a->nr && j < b->nr) {
        uint64_t lo = a->v[i].start > b->v[j].start ?
                      a->v[i].start : b->v[j].start;
        uint64_t hi = a->v[i].end < b->v[j].end ? a->v[i].end : b->v[j].end;

        if (lo < hi) {
            rc = lxs_ranges_add(&tmp, lo, hi, a->v[i].tag);
            if (rc)
                goto out;
        }
        /* drop whichever ends first; it cannot meet anything further */
        if (a->v[i].end < b->v[j].end)
            i++;
        else
            j++;
    }
    ranges_replace(out, &tmp);
    rc = 0;
out:
    lxs_ranges_dispose(&tmp);
    return rc;
}

size_t lxs_ranges_lower_bound(const struct lxs_ranges *rs, uint64_t addr)
{
    size_t lo = 0, hi = rs->nr;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (rs->v[mid].end > addr)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

bool lxs_ranges_covers(const struct lxs_ranges *rs, uint64_t start,
                       uint64_t end)
{
    size_t i;

    if (start >= end)
        return false;
    i = lxs_ranges_lower_bound(rs, start);
    return i < rs->nr && rs->v[i].start <= start && end <= rs->v[i].end;
}

int lxs_rindex_build(struct lxs_rindex *ix, const struct lxs_ranges *rs)
{
    uint64_t *max_end = NULL;
    size_t i;

    for (i = 1; i < rs->nr; i++) {
        if (range_cmp(&rs->v[i - 1], &rs->v[i]) > 0)
            return -EINVAL;
    }
    if (rs->nr) {
        if (rs->nr > SIZE_MAX / sizeof(*max_end))
            return -ENOMEM;
        max_end = lxs__malloc(rs->nr * sizeof(*max_end));
        if (!max_end)
            return -ENOMEM;
        for (i = 0; i < rs->nr; i++) {
            max_end[i] = rs->v[i].end;
            if (i && max_end[i - 1] > max_end[i])
                max_end[i] = max_end[i - 1];
        }
    }
    free(ix->max_end);
    ix->rs = rs;
    ix->max_end = max_end;
    return 0;
}

void lxs_rindex_dispose(struct lxs_rindex *ix)
{
    if (!ix)
        return;
    free(ix->max_end);
    ix->max_end = NULL;
    ix->rs = NULL;
}

int lxs_rindex_find(const struct lxs_rindex *ix, uint64_t start, uint64_t end,
                    lxs_range_fn fn, void *opaque)
{
    const struct lxs_ranges *rs = ix->rs;
    size_t lo, hi, mid, i, upper;
    int rc;

    if (!rs || !rs->nr || start >= end)
        return 0;

    /* hi: first member starting at or above end; none from there hits */
    lo = 0;
    hi = rs->nr;
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (rs->v[mid].start >= end)
            hi = mid;
        else
            lo = mid + 1;
    }
    upper = lo;

    /*
     * lo: first member whose prefix maximum of ends passes start.  The
     * prefix maximum never decreases, so nothing below lo can reach
     * start, and the scan from lo up to hi meets every hit in address
     * order.  Members in between that end at or below start are the
     * only misses: the walk is O(log n + k) unless long members shadow
     * many short ones.
     */
    lo = 0;
    hi = upper;
    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        if (ix->max_end[mid] > start)
            hi = mid;
        else
            lo = mid + 1;
    }

    for (i = lo; i < upper; i++) {
        if (rs->v[i].end <= start)
            continue;
        rc = fn(&rs->v[i], opaque);
        if (rc)
            return rc;
    }
    return 0;
}
