/*
 * A stand-in for libxencall (see fake_xencall.h).  Buffers come filled
 * with 0xa5 so that a test sees any byte the library leaves unset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xencall.h>
#include <xen/xen.h>

#include "fake_xencall.h"

struct fake_hv fake;

/* Any non-NULL pointer: the library never looks inside the handle. */
static char handle;

void fake_reset(void)
{
    memset(&fake, 0, sizeof(fake));
}

xencall_handle *xencall_open(struct xentoollog_logger *logger,
                             unsigned int open_flags)
{
    if (fake.open_errno) {
        errno = fake.open_errno;
        return NULL;
    }
    return (xencall_handle *)&handle;
}

int xencall_close(xencall_handle *xcall)
{
    return 0;
}

void *xencall_alloc_buffer(xencall_handle *xcall, size_t size)
{
    void *p;

    if (fake.alloc_fails)
        return NULL;
    p = malloc(size);
    if (p) {
        memset(p, 0xa5, size);
        fake.buffers_live++;
    }
    return p;
}

void xencall_free_buffer(xencall_handle *xcall, void *p)
{
    if (p)
        fake.buffers_live--;
    free(p);
}

static int fail(int err)
{
    errno = err;
    return -1;
}

static int serve_query(struct xen_static_extent_query *q)
{
    uint32_t i, n = 0;

    if (q->pad0)
        return fail(EINVAL);
    for (i = q->start; i < fake.nr_list && n < XEN_STATIC_EXTENT_QUERY_NR;
         i++)
        q->entries[n++] = fake.list[i];
    q->nr_entries = n;
    q->total = fake.nr_list;
    q->next = n && q->start + n < fake.nr_list ? q->start + n
                                               : XEN_STATIC_EXTENT_QUERY_DONE;
    q->generation = fake.generation;
    q->pad1 = 0;

    if (fake.too_many)
        q->nr_entries = XEN_STATIC_EXTENT_QUERY_NR + 1;
    if (fake.bad_next && q->next != XEN_STATIC_EXTENT_QUERY_DONE)
        q->next++;
    if (fake.stuck_next && q->next != XEN_STATIC_EXTENT_QUERY_DONE)
        q->next = q->start;
    if (fake.total_lies)
        q->total++;
    if (fake.empty_entry && n)
        q->entries[0].nr_mfns = 0;
    if ((fake.bump_every && fake.calls % fake.bump_every == 0) ||
        fake.calls == fake.bump_at)
        fake.generation++;
    return 0;
}

int xencall2(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2)
{
    struct xen_static_extent_op *arg = (void *)(uintptr_t)arg2;

    fake.calls++;
    fake.last_hcall = op;
    fake.last_cmd = arg1;
    memcpy(&fake.last, arg, sizeof(fake.last));
    if (fake.calls <= sizeof(fake.starts) / sizeof(fake.starts[0]))
        fake.starts[fake.calls - 1] = arg->u.query.start;

    if (op != __HYPERVISOR_memory_op || arg1 != XENMEM_static_extent_op)
        return fail(ENOSYS);
    if (arg->op == XEN_STATIC_EXTENT_OP_query && !fake.rc)
        return serve_query(&arg->u.query);
    if (fake.rc)
        return fail(-fake.rc);
    return 0;
}
