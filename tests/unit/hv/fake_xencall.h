/*
 * A stand-in for libxencall, for the unit tests of hv.c only: it records
 * every hypercall and answers XENMEM_static_extent_op as the test says.
 */
#ifndef FAKE_XENCALL_H
#define FAKE_XENCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "public/static_extent.h"

/* How the next hypercalls are answered. */
struct fake_hv {
    int open_errno;             /* xencall_open fails with this */
    bool alloc_fails;           /* xencall_alloc_buffer returns NULL */
    int rc;                     /* negative errno for claim/release */

    /* The list the query serves, and how it misbehaves. */
    struct xen_static_extent_entry list[256];
    uint32_t nr_list;
    uint64_t generation;
    unsigned int bump_every;    /* generation++ after every n-th call */
    unsigned int bump_at;       /* generation++ once, after call n */
    bool too_many;              /* nr_entries > the array */
    bool bad_next;              /* next skips an entry */
    bool empty_entry;           /* an entry of 0 frames */
    bool stuck_next;            /* next == start: no progress */
    bool total_lies;            /* total is one more than the list */

    /* What was seen. */
    unsigned int calls;
    unsigned int last_hcall;    /* the hypercall number */
    unsigned long last_cmd;     /* the memory op */
    struct xen_static_extent_op last;   /* the argument as received */
    uint32_t starts[64];        /* query start of each call */
    long buffers_live;
};

extern struct fake_hv fake;

void fake_reset(void);

#endif /* FAKE_XENCALL_H */
