/*
 * The layout of the static-extent ABI (public/static_extent.h), pinned:
 * the same on every architecture and word size.  Both sides check it
 * against their own view of the types, after public/static_extent.h:
 * the library (tools/libxl-static/hv.c, built with the tools' headers)
 * and the hypervisor's (hypervisor-hooks/harness/test_static_pool.c,
 * built with the harness's stand-ins for Xen's).  Only compile-time
 * checks: it defines nothing.
 */
#ifndef STATIC_EXTENT_ABI_H
#define STATIC_EXTENT_ABI_H

#include <stddef.h>

/* struct xen_static_extent_@s: its size, and the offset of each field */
#define ABI_SIZE(s, size) \
    _Static_assert(sizeof(struct xen_static_extent_##s) == (size), \
                   #s " size")
#define ABI_AT(s, field, off) \
    _Static_assert(offsetof(struct xen_static_extent_##s, field) == (off), \
                   #s "." #field)

ABI_SIZE(claim, 32);
ABI_AT(claim, domid, 0);      ABI_AT(claim, pad0, 2);
ABI_AT(claim, flags, 4);      ABI_AT(claim, mfn, 8);
ABI_AT(claim, gfn, 16);       ABI_AT(claim, nr_mfns, 24);

ABI_SIZE(release, 24);
ABI_AT(release, domid, 0);    ABI_AT(release, pad0, 2);
ABI_AT(release, pad1, 4);     ABI_AT(release, mfn, 8);
ABI_AT(release, nr_mfns, 16);

ABI_SIZE(entry, 40);
ABI_AT(entry, start_mfn, 0);  ABI_AT(entry, nr_mfns, 8);
ABI_AT(entry, gfn, 16);       ABI_AT(entry, type, 24);
ABI_AT(entry, flags, 28);     ABI_AT(entry, owner, 32);
ABI_AT(entry, pad, 34);

_Static_assert(XEN_STATIC_EXTENT_QUERY_NR == 32, "query array");
ABI_SIZE(query, 32 + 32 * 40);
ABI_AT(query, start, 0);      ABI_AT(query, pad0, 4);
ABI_AT(query, nr_entries, 8); ABI_AT(query, next, 12);
ABI_AT(query, total, 16);     ABI_AT(query, pad1, 20);
ABI_AT(query, generation, 24);
ABI_AT(query, entries, 32);

ABI_SIZE(op, 8 + 32 + 32 * 40);
ABI_AT(op, op, 0);            ABI_AT(op, pad, 4);
ABI_AT(op, u, 8);

_Static_assert(XENMEM_static_extent_op == 63, "memory op number");
_Static_assert(XENMEM_static_extent_op < 64, "fits MEMOP_CMD_MASK");

#undef ABI_AT
#undef ABI_SIZE

#endif /* STATIC_EXTENT_ABI_H */
