/*
 * The reservation registry (docs/design.md "Registry", docs/registry.md):
 * run-time reservations by domain name that outlive the domain.  This
 * file holds the reservations and their rules, kept sorted by name;
 * registry_json.c holds the file's format, registry_file.c the state
 * directory, the lock and the atomic commit.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry_i.h"

/* ------------------------------------------------------------------ */
/* Messages                                                            */

int lxs__registry_msg(char **why, int rc, const char *fmt, ...)
{
    va_list ap;

    if (why) {
        free(*why);
        va_start(ap, fmt);
        *why = lxs__vasprintf(fmt, ap);
        va_end(ap);
        lxs__one_line(*why);
    }
    return rc;
}

int lxs__registry_pass_why(int rc, char *why, char **why_r)
{
    if (rc && rc != -ENOMEM && why_r)
        *why_r = why;
    else
        free(why);
    return rc;
}

int lxs__registry_replace(struct lxs_registry *reg, struct lxs_registry *tmp,
                          int rc, char *why, char **why_r)
{
    if (!rc) {
        lxs_registry_close(reg);
        *reg = *tmp;
        lxs_registry_init(tmp);
    }
    lxs_registry_close(tmp);
    return lxs__registry_pass_why(rc, why, why_r);
}

void lxs__reservation_dispose(struct lxs_reservation *r)
{
    free(r->name);
    free(r->ext);
    memset(r, 0, sizeof(*r));
}

static int reservation_cmp(const void *pa, const void *pb)
{
    const struct lxs_reservation *a = pa, *b = pb;

    return strcmp(a->name, b->name);
}

int lxs__registry_check_extents(const struct lxs_extent *ext, size_t nr,
                                bool direct_map, char **why)
{
    size_t i, j;

    if (!nr)
        return invalid(why, "no extents");
    if (nr > LXS_MAX_GUEST_BANKS)
        return invalid(why, "%zu extents, more than %d", nr,
                       LXS_MAX_GUEST_BANKS);
    for (i = 0; i < nr; i++) {
        const struct lxs_extent *e = &ext[i];
        uint64_t hend, gend;

        if (!e->size)
            return invalid(why, "extent %zu: size 0", i);
        if ((e->host | e->guest | e->size) & (LXS_PAGE_SIZE - 1))
            return invalid(why, "extent %zu: not 4K aligned (host %#"
                           PRIx64 ", guest %#" PRIx64 ", size %#" PRIx64
                           ")", i, e->host, e->guest, e->size);
        if (lxs_add_overflow(e->host, e->size, &hend) ||
            hend > LXS_PADDR_LIMIT ||
            lxs_add_overflow(e->guest, e->size, &gend) ||
            gend > LXS_PADDR_LIMIT)
            return invalid(why, "extent %zu: past the %d-bit address "
                           "limit (host %#" PRIx64 ", guest %#" PRIx64
                           ", size %#" PRIx64 ")", i, LXS_PADDR_BITS,
                           e->host, e->guest, e->size);
        if (direct_map && e->host != e->guest)
            return invalid(why, "extent %zu: direct-mapped but host %#"
                           PRIx64 " != guest %#" PRIx64, i, e->host,
                           e->guest);
        for (j = 0; j < i; j++) {
            const struct lxs_extent *f = &ext[j];

            if (e->host < f->host + f->size && f->host < hend)
                return invalid(why, "extents %zu and %zu overlap in host "
                               "memory", j, i);
            if (e->guest < f->guest + f->size && f->guest < gend)
                return invalid(why, "extents %zu and %zu overlap in "
                               "guest memory", j, i);
        }
    }
    return 0;
}

static ssize_t find_index(const struct lxs_registry *reg, const char *name)
{
    size_t lo = 0, hi = reg->nr;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, reg->v[mid].name);

        if (!c)
            return (ssize_t)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

void lxs_registry_init(struct lxs_registry *reg)
{
    memset(reg, 0, sizeof(*reg));
    reg->lock_fd = -1;
}

void lxs_registry_close(struct lxs_registry *reg)
{
    size_t i;

    if (!reg)
        return;
    for (i = 0; i < reg->nr; i++)
        lxs__reservation_dispose(&reg->v[i]);
    free(reg->v);
    free(reg->dir);
    if (reg->lock_fd >= 0)
        close(reg->lock_fd);        /* drops the flock */
    lxs_registry_init(reg);
}

const struct lxs_reservation *
lxs_registry_find(const struct lxs_registry *reg, const char *name)
{
    ssize_t i;

    if (!name)
        return NULL;
    i = find_index(reg, name);
    return i < 0 ? NULL : &reg->v[i];
}

const struct lxs_reservation *
lxs_registry_conflict(const struct lxs_registry *reg, const char *name,
                      uint64_t start, uint64_t end)
{
    size_t i, j;

    for (i = 0; i < reg->nr; i++) {
        const struct lxs_reservation *r = &reg->v[i];

        if (name && !strcmp(name, r->name))
            continue;
        for (j = 0; j < r->nr_ext; j++) {
            if (start < r->ext[j].host + r->ext[j].size &&
                r->ext[j].host < end)
                return r;
        }
    }
    return NULL;
}

static bool writable(const struct lxs_registry *reg)
{
    return !reg->dir || (reg->flags & LXS_REGISTRY_WRITE);
}

bool lxs_reservation_is(const struct lxs_reservation *r,
                        const struct lxs_plan *plan)
{
    return r->direct_map == plan->direct_map && r->nr_ext == plan->nr_ext &&
           !memcmp(r->ext, plan->ext, plan->nr_ext * sizeof(*plan->ext));
}

int lxs_registry_set(struct lxs_registry *reg, const char *name,
                     const struct lxs_plan *plan)
{
    struct lxs_reservation r = { 0 };
    ssize_t at;
    size_t i;
    int rc;

    if (!writable(reg))
        return -EBADF;
    if (!lxs__name_ok(name) || !plan || (plan->nr_ext && !plan->ext))
        return -EINVAL;
    rc = lxs__registry_check_extents(plan->ext, plan->nr_ext,
                                     plan->direct_map, NULL);
    if (rc)
        return rc;
    for (i = 0; i < plan->nr_ext; i++) {
        const struct lxs_extent *e = &plan->ext[i];

        if (lxs_registry_conflict(reg, name, e->host, e->host + e->size))
            return -EBUSY;
    }

    rc = -ENOMEM;
    r.name = lxs__strdup(name);
    r.ext = lxs__calloc(plan->nr_ext, sizeof(*r.ext));
    if (!r.name || !r.ext)
        goto out;
    memcpy(r.ext, plan->ext, plan->nr_ext * sizeof(*r.ext));
    r.nr_ext = plan->nr_ext;
    r.direct_map = plan->direct_map;

    at = find_index(reg, name);
    if (at >= 0) {
        lxs__reservation_dispose(&reg->v[at]);
        reg->v[at] = r;
    } else {
        rc = lxs__grow((void **)&reg->v, &reg->alloc, reg->nr + 1,
                       sizeof(*reg->v));
        if (rc)
            goto out;
        for (i = 0; i < reg->nr && strcmp(reg->v[i].name, name) < 0; i++)
            ;
        memmove(&reg->v[i + 1], &reg->v[i],
                (reg->nr - i) * sizeof(*reg->v));
        reg->v[i] = r;
        reg->nr++;
    }
    memset(&r, 0, sizeof(r));       /* the registry owns it now */
    reg->dirty = true;
    rc = 0;
out:
    lxs__reservation_dispose(&r);
    return rc;
}

int lxs_registry_remove(struct lxs_registry *reg, const char *name)
{
    ssize_t at;

    if (!writable(reg))
        return -EBADF;
    at = name ? find_index(reg, name) : -1;
    if (at < 0)
        return -ENOENT;
    lxs__reservation_dispose(&reg->v[at]);
    memmove(&reg->v[at], &reg->v[at + 1],
            (reg->nr - at - 1) * sizeof(*reg->v));
    reg->nr--;
    reg->dirty = true;
    return 0;
}

int lxs_registry_add_to_hostmap(const struct lxs_registry *reg,
                                struct lxs_hostmap *map)
{
    size_t nr0 = map->nr, i, j;
    int rc = 0;

    for (i = 0; i < reg->nr; i++) {
        const struct lxs_reservation *r = &reg->v[i];

        for (j = 0; j < r->nr_ext; j++) {
            rc = lxs_hostmap_add(map, LXS_REGION_OWNED, r->ext[j].host,
                                 r->ext[j].host + r->ext[j].size, 0,
                                 LXS_REGISTRY_LABEL, r->name);
            if (rc)
                goto out;
        }
    }
    rc = lxs_hostmap_finish(map);
out:
    if (rc) {
        /* finish replaces the derived sets only when it succeeds */
        for (i = nr0; i < map->nr; i++) {
            free(map->v[i].label);
            free(map->v[i].owner);
        }
        map->nr = nr0;
    }
    return rc;
}

int lxs__registry_check(struct lxs_registry *reg, char **why)
{
    struct lxs_ranges all;
    size_t i, j, top = 0;
    int rc;

    if (reg->nr > 1)
        qsort(reg->v, reg->nr, sizeof(*reg->v), reservation_cmp);
    for (i = 1; i < reg->nr; i++) {
        if (!strcmp(reg->v[i - 1].name, reg->v[i].name))
            return bad(why, "duplicate reservation '%s'", reg->v[i].name);
    }

    lxs_ranges_init(&all);
    for (i = 0; i < reg->nr; i++) {
        for (j = 0; j < reg->v[i].nr_ext; j++) {
            const struct lxs_extent *e = &reg->v[i].ext[j];

            rc = lxs_ranges_add(&all, e->host, e->host + e->size,
                                (uint32_t)i);
            if (rc)
                goto out;
        }
    }
    lxs_ranges_sort(&all);
    rc = 0;
    for (i = 1; i < all.nr; i++) {
        const struct lxs_range *a = &all.v[top], *b = &all.v[i];

        if (b->start < a->end) {
            rc = bad(why, "reservations '%s' and '%s' overlap: "
                     "%#" PRIx64 "-%#" PRIx64 " and %#" PRIx64 "-%#" PRIx64,
                     reg->v[a->tag].name, reg->v[b->tag].name,
                     a->start, a->end, b->start, b->end);
            goto out;
        }
        if (b->end > a->end)
            top = i;
    }
out:
    lxs_ranges_dispose(&all);
    return rc;
}
