/*
 * The hypervisor side through libxencall: XENMEM_static_extent_op
 * (claim, release, query) and the conversion of a query into a host map.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xencall.h>
#include <xentoollog.h>
#include <xen/xen.h>

#include "public/static_extent.h"
#include "static_extent_abi.h"

#include "lxs_hv.h"
#include "lxs_internal.h"

/* Our public mirror of the ABI's values. */
_Static_assert(LXS_HV_RAM == XEN_STATIC_EXTENT_TYPE_ram, "type");
_Static_assert(LXS_HV_POOL_FREE == XEN_STATIC_EXTENT_TYPE_pool_free, "type");
_Static_assert(LXS_HV_RESERVED == XEN_STATIC_EXTENT_TYPE_reserved, "type");
_Static_assert(LXS_HV_OWNED == XEN_STATIC_EXTENT_TYPE_owned, "type");
_Static_assert(LXS_HV_F_POOL == XEN_STATIC_EXTENT_F_pool, "flag");
_Static_assert(LXS_HV_F_BOOT == XEN_STATIC_EXTENT_F_boot, "flag");
_Static_assert(LXS_HV_F_DIRECTMAP == XEN_STATIC_EXTENT_F_directmap, "flag");
_Static_assert(LXS_HV_F_PENDING == XEN_STATIC_EXTENT_F_pending, "flag");
_Static_assert(LXS_HV_F_MEMRESERVE == XEN_STATIC_EXTENT_F_memreserve, "f");
_Static_assert(LXS_HV_F_RESERVED_MEM == XEN_STATIC_EXTENT_F_reserved_mem,
               "flag");
_Static_assert(LXS_HV_F_STATIC_HEAP == XEN_STATIC_EXTENT_F_static_heap,
               "flag");
_Static_assert(LXS_HV_F_XEN == XEN_STATIC_EXTENT_F_xen, "flag");
_Static_assert(LXS_HV_NO_OWNER == XEN_STATIC_EXTENT_NO_OWNER, "owner");

/* Domain ids from here up are not ordinary domains (DOMID_FIRST_RESERVED). */
#define DOMID_LIMIT 0x7ff0u

/* Whole reads of the list before lxs_hv_query gives up on a busy pool. */
#define QUERY_TRIES 8

struct lxs_hv {
    xencall_handle *xcall;
};

/* The library never prints: libxencall gets this logger by default. */
static void silent_vmessage(struct xentoollog_logger *logger,
                            xentoollog_level level, int errnoval,
                            const char *context, const char *format,
                            va_list al)
{
}

static void silent_destroy(struct xentoollog_logger *logger)
{
}

static struct xentoollog_logger silent_logger = {
    .vmessage = silent_vmessage,
    .destroy = silent_destroy,
};

int lxs_hv_open(struct lxs_hv **hv_r, struct xentoollog_logger *logger)
{
    struct lxs_hv *hv;
    int rc;

    hv = lxs__calloc(1, sizeof(*hv));
    if (!hv)
        return -ENOMEM;

    errno = 0;
    hv->xcall = xencall_open(logger ? logger : &silent_logger, 0);
    if (!hv->xcall) {
        rc = errno ? -errno : -EIO;
        free(hv);
        return rc;
    }

    *hv_r = hv;
    return 0;
}

void lxs_hv_close(struct lxs_hv *hv)
{
    if (!hv)
        return;
    xencall_close(hv->xcall);
    free(hv);
}

/*
 * Runs one memory op with @op in a hypercall buffer; on success copies
 * the buffer back into @op when @copy_back.  -ENOSYS (no such op) and
 * -EOPNOTSUPP (no static memory) are both -EOPNOTSUPP.
 */
static int static_extent_op(struct lxs_hv *hv, struct xen_static_extent_op *op,
                            bool copy_back)
{
    struct xen_static_extent_op *buf;
    int r, rc;

    buf = xencall_alloc_buffer(hv->xcall, sizeof(*buf));
    if (!buf)
        return -ENOMEM;
    memcpy(buf, op, sizeof(*buf));

    errno = 0;
    r = xencall2(hv->xcall, __HYPERVISOR_memory_op, XENMEM_static_extent_op,
                 (uint64_t)(uintptr_t)buf);
    if (r < 0) {
        rc = errno ? -errno : -EIO;
        if (rc == -ENOSYS)
            rc = -EOPNOTSUPP;
        goto out;
    }
    if (copy_back)
        memcpy(op, buf, sizeof(*buf));
    rc = 0;
out:
    xencall_free_buffer(hv->xcall, buf);
    return rc;
}

static bool extent_ok(uint32_t domid, uint64_t mfn, uint64_t nr)
{
    return domid < DOMID_LIMIT && nr && mfn + nr > mfn;
}

int lxs_hv_claim(struct lxs_hv *hv, uint32_t domid, uint64_t mfn,
                 uint64_t gfn, uint64_t nr)
{
    struct xen_static_extent_op op;

    if (!extent_ok(domid, mfn, nr) || gfn + nr <= gfn)
        return -EINVAL;

    memset(&op, 0, sizeof(op));
    op.op = XEN_STATIC_EXTENT_OP_claim;
    op.u.claim = (struct xen_static_extent_claim){
        .domid = (uint16_t)domid, .mfn = mfn, .gfn = gfn, .nr_mfns = nr,
    };
    return static_extent_op(hv, &op, false);
}

int lxs_hv_release(struct lxs_hv *hv, uint32_t domid, uint64_t mfn,
                   uint64_t nr)
{
    struct xen_static_extent_op op;

    if (!extent_ok(domid, mfn, nr))
        return -EINVAL;

    memset(&op, 0, sizeof(op));
    op.op = XEN_STATIC_EXTENT_OP_release;
    op.u.release = (struct xen_static_extent_release){
        .domid = (uint16_t)domid, .mfn = mfn, .nr_mfns = nr,
    };
    return static_extent_op(hv, &op, false);
}

void lxs_hv_map_init(struct lxs_hv_map *m)
{
    memset(m, 0, sizeof(*m));
}

void lxs_hv_map_dispose(struct lxs_hv_map *m)
{
    free(m->v);
    lxs_hv_map_init(m);
}

/* Appends the entries of one answer.  -EPROTO, -ENOMEM. */
static int append_page(struct lxs_hv_map *m,
                       const struct xen_static_extent_query *q)
{
    uint32_t i;
    int rc;

    rc = lxs__grow((void **)&m->v, &m->alloc, m->nr + q->nr_entries,
                   sizeof(*m->v));
    if (rc)
        return rc;

    for (i = 0; i < q->nr_entries; i++) {
        const struct xen_static_extent_entry *e = &q->entries[i];
        struct lxs_hv_entry *o = &m->v[m->nr + i];

        if (!e->nr_mfns || e->start_mfn + e->nr_mfns <= e->start_mfn)
            return -EPROTO;
        o->start_mfn = e->start_mfn;
        o->nr_mfns = e->nr_mfns;
        o->gfn = e->gfn;
        o->type = (enum lxs_hv_type)e->type;
        o->flags = e->flags;
        o->owner = e->owner;
    }
    m->nr += q->nr_entries;
    return 0;
}

/*
 * One read of the whole list.  -EAGAIN when the state changed between two
 * pages.
 */
static int query_once(struct lxs_hv *hv, struct lxs_hv_map *m)
{
    struct xen_static_extent_op *op;
    uint32_t start = 0, total = 0;
    bool first = true;
    int rc;

    /* Too big for a comfortable stack frame. */
    op = lxs__malloc(sizeof(*op));
    if (!op)
        return -ENOMEM;

    for (;;) {
        const struct xen_static_extent_query *q = &op->u.query;

        memset(op, 0, sizeof(*op));
        op->op = XEN_STATIC_EXTENT_OP_query;
        op->u.query.start = start;
        rc = static_extent_op(hv, op, true);
        if (rc)
            goto out;

        rc = -EPROTO;
        if (q->nr_entries > XEN_STATIC_EXTENT_QUERY_NR ||
            (q->next != XEN_STATIC_EXTENT_QUERY_DONE &&
             (!q->nr_entries || q->next != start + q->nr_entries)))
            goto out;

        if (first) {
            m->generation = q->generation;
            total = q->total;
            first = false;
        } else if (q->generation != m->generation || q->total != total) {
            rc = -EAGAIN;
            goto out;
        }

        rc = append_page(m, q);
        if (rc)
            goto out;
        if (q->next == XEN_STATIC_EXTENT_QUERY_DONE)
            break;
        start = q->next;
    }

    rc = m->nr == total ? 0 : -EPROTO;
out:
    free(op);
    return rc;
}

int lxs_hv_query(struct lxs_hv *hv, struct lxs_hv_map *out)
{
    struct lxs_hv_map m;
    unsigned int tries;
    int rc = -EAGAIN;

    lxs_hv_map_init(&m);
    for (tries = 0; tries < QUERY_TRIES; tries++) {
        m.nr = 0;
        rc = query_once(hv, &m);
        if (rc != -EAGAIN)
            break;
    }
    if (rc)
        goto out;

    lxs_hv_map_dispose(out);
    *out = m;
    lxs_hv_map_init(&m);
out:
    lxs_hv_map_dispose(&m);
    return rc;
}

/* Byte range of an entry; false if it does not fit in 64 bits. */
static bool entry_bytes(const struct lxs_hv_entry *e, uint64_t *start_r,
                        uint64_t *end_r)
{
    const uint64_t limit = UINT64_MAX >> LXS_PAGE_SHIFT;

    if (!e->nr_mfns || e->start_mfn > limit || e->nr_mfns > limit ||
        e->start_mfn + e->nr_mfns > limit || e->start_mfn + e->nr_mfns <
        e->start_mfn)
        return false;
    *start_r = e->start_mfn << LXS_PAGE_SHIFT;
    *end_r = (e->start_mfn + e->nr_mfns) << LXS_PAGE_SHIFT;
    return true;
}

static unsigned int resv_flags(unsigned int hv_flags)
{
    unsigned int f = 0;

    if (hv_flags & LXS_HV_F_MEMRESERVE)
        f |= LXS_RESV_MEMRESERVE;
    if (hv_flags & LXS_HV_F_STATIC_HEAP)
        f |= LXS_RESV_STATIC_HEAP;
    if (hv_flags & LXS_HV_F_XEN)
        f |= LXS_RESV_MODULE;
    return f;
}

static const char *resv_label(unsigned int hv_flags)
{
    if (hv_flags & LXS_HV_F_MEMRESERVE)
        return "xen: /memreserve/";
    if (hv_flags & LXS_HV_F_RESERVED_MEM)
        return "xen: /reserved-memory";
    if (hv_flags & LXS_HV_F_STATIC_HEAP)
        return "xen: xen,static-heap";
    if (hv_flags & LXS_HV_F_XEN)
        return "xen: the Xen image";
    if (hv_flags & LXS_HV_F_BOOT)
        return "xen: static bank without a domain";
    return "xen: reserved";
}

int lxs_hv_map_to_hostmap(const struct lxs_hv_map *m, struct lxs_hostmap *map,
                          lxs_hv_name_fn name_fn, void *opaque)
{
    size_t i;
    int rc;

    for (i = 0; i < m->nr; i++) {
        const struct lxs_hv_entry *e = &m->v[i];
        char fallback[16];
        const char *owner = NULL;
        uint64_t start, end;

        if (!entry_bytes(e, &start, &end))
            return -EINVAL;

        switch (e->type) {
        case LXS_HV_RAM:
            rc = lxs_hostmap_add(map, LXS_REGION_RAM, start, end, 0,
                                 "xen: RAM", NULL);
            break;

        case LXS_HV_POOL_FREE:
            rc = lxs_hostmap_add(map, LXS_REGION_POOL, start, end, 0,
                                 "xen: static pool", NULL);
            break;

        case LXS_HV_RESERVED:
            rc = lxs_hostmap_add(map, LXS_REGION_RESERVED, start, end,
                                 resv_flags(e->flags), resv_label(e->flags),
                                 NULL);
            break;

        case LXS_HV_OWNED:
            /* An owned extent of the pool is still part of the pool. */
            if (e->flags & LXS_HV_F_POOL) {
                rc = lxs_hostmap_add(map, LXS_REGION_POOL, start, end, 0,
                                     "xen: static pool", NULL);
                if (rc)
                    return rc;
            }
            if (name_fn)
                owner = name_fn(e->owner, opaque);
            if (!owner) {
                snprintf(fallback, sizeof(fallback), "d%" PRIu32, e->owner);
                owner = fallback;
            }
            rc = lxs_hostmap_add(map, LXS_REGION_OWNED, start, end,
                                 e->flags & LXS_HV_F_BOOT ?
                                 LXS_OWN_BOOT_BANK : 0,
                                 e->flags & LXS_HV_F_BOOT ?
                                 "xen: boot static bank" :
                                 "xen: static extent", owner);
            break;

        default:
            /* A kind this library does not know: not ours to judge. */
            rc = 0;
            break;
        }
        if (rc)
            return rc;
    }

    return lxs_hostmap_finish(map);
}

const char *lxs_hv_strerror(const char *op, int err)
{
    bool claim = op && !strcmp(op, "claim");
    bool release = op && !strcmp(op, "release");

    switch (err) {
    case -EOPNOTSUPP:
    case -ENOSYS:
        return LXS_HV_NO_SUPPORT_MSG;
    case -EPERM:
        return "permission denied: only the control domain may use the "
               "static pool";
    case -ESRCH:
        return "no such domain, or it is dying";
    case -ENOENT:
        if (claim)
            return "the range is neither inside the static pool nor a "
                   "static bank of a dom0less domain";
        if (release)
            return "no extent claimed from the pool starts at this frame";
        if (op && !strcmp(op, "open"))
            return "no hypervisor interface (not running on Xen, or "
                   "xen-privcmd is not loaded)";
        break;
    case -EBUSY:
        if (claim)
            return "the range overlaps an extent that a domain owns (or a "
                   "dom0less domain's bank while that domain exists), or a "
                   "frame of it is still in use";
        if (release)
            return "the extent is in use, or a claim or release of it is in "
                   "progress";
        break;
    case -EEXIST:
        if (claim)
            return "guest frames of the range are already mapped in the "
                   "domain, or are an emulated device or grant-table window";
        break;
    case -E2BIG:
        if (claim)
            return "the extent would take the domain over its maximum "
                   "memory";
        break;
    case -ENOMEM:
        if (claim)
            return "the hypervisor cannot grow its table of static extents";
        break;
    case -EACCES:
        if (release)
            return "the extent belongs to another domain";
        break;
    case -EINVAL:
        if (claim)
            return "invalid range; or the guest frame differs from the host "
                   "frame of a direct-mapped domain; or only part of a "
                   "dom0less domain's bank, at another guest frame than at "
                   "boot, or for another kind of domain (1:1 or not)";
        if (release)
            return "invalid range, or the extent at this frame has another "
                   "length";
        break;
    case -EAGAIN:
        if (op && !strcmp(op, "query"))
            return "the static pool kept changing while it was read";
        break;
    case -EPROTO:
        return "the hypervisor's answer is malformed";
    default:
        break;
    }
    return err < 0 ? strerror(-err) : "unknown error";
}
