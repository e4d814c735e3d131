/*
 * An unprivileged caller of XENMEM_static_extent_op with no Linux in the
 * way, for 50-hv-refusals: an arm64 Image (the Linux boot header, which
 * libxenguest's loader checks) whose code makes the hypercalls itself
 * with hvc #0xea1, at EL1 with the MMU off (an address is its IPA).
 * Debian's guest Linux refuses every privcmd hypercall of an
 * unprivileged domain with EPERM itself, so only a guest like this one
 * shows what Xen answers.
 *
 * It makes, in order:
 *   xen_version(XENVER_version)      the control: a hypercall Xen allows
 *                                    any guest, its answer must be Xen's
 *   static_extent_op claim           for dom0, of a free range of the pool
 *   static_extent_op query
 *   static_extent_op claim           for a domain that does not exist
 * and stores each x0 in the results page (the image's second page, so
 * gfn 0x40001 once libxenguest has loaded it at GUEST_RAM0_BASE with
 * text_offset 0), the magic last, then cleans and invalidates that line
 * to the point of coherency and waits for dom0 to read the page
 * (hvtool peek) and destroy it.  The results page, in 64-bit words:
 *   0  RESULTS_MAGIC, written last
 *   1  the address the image runs at (must be 0x40000000)
 *   2  xen_version's answer
 *   3  the claim for dom0's answer (-1: EPERM)
 *   4  the query's answer
 *   5  the claim for a missing domain's answer
 *   32 the query's argument: op and pad, start and pad0, then its
 *      outputs, preset to 0x5a bytes, which Xen must leave alone
 */
#define HYPERCALL_TAG   0xea1
#define HV_MEMORY_OP    12      /* __HYPERVISOR_memory_op */
#define HV_XEN_VERSION  17      /* __HYPERVISOR_xen_version */
#define STATIC_EXTENT   63      /* XENMEM_static_extent_op */
#define OP_SIZE         1320    /* sizeof(struct xen_static_extent_op) */

/* XENMEM_static_extent_op on the struct at \arg; x0 to results + \slot */
    .macro static_extent_op arg, slot
    mov     x16, #HV_MEMORY_OP
    mov     x0, #STATIC_EXTENT
    adr     x1, \arg
    hvc     #HYPERCALL_TAG
    str     x0, [x19, #\slot]
    .endm

#include "image-head.S"
    adr     x19, results
    adr     x0, _start
    str     x0, [x19, #8]

    mov     x16, #HV_XEN_VERSION
    mov     x0, #0              /* XENVER_version */
    mov     x1, #0
    hvc     #HYPERCALL_TAG
    str     x0, [x19, #16]

    static_extent_op op_claim_dom0, 24
    static_extent_op op_query, 32
    static_extent_op op_claim_nodom, 40

    dsb     sy
    adr     x0, magic
    ldr     x0, [x0]
    str     x0, [x19]
    dsb     sy
    dc      civac, x19          /* dom0 reads it through its own cache */
    dsb     sy
1:  wfi
    b       1b

    .balign 8
magic:
    .quad   0x584c534856433031  /* RESULTS_MAGIC, "XLSHVC01" */

    .balign 4096
results:
    .fill   32, 8, 0            /* words 0-31 */
op_query:                       /* word 32 */
    .long   3                   /* XEN_STATIC_EXTENT_OP_query */
    .long   0                   /* pad */
    .long   0                   /* start */
    .long   0                   /* pad0 */
    .fill   OP_SIZE - 16, 1, 0x5a   /* outputs: must stay 0x5a */

    .balign 8
op_claim_dom0:
    .long   1                   /* XEN_STATIC_EXTENT_OP_claim */
    .long   0                   /* pad */
    .short  0                   /* domid: dom0 */
    .short  0                   /* pad0 */
    .long   0                   /* flags */
    .quad   0x7f000             /* mfn: the last 64 KiB of the pool */
    .quad   0x7f000             /* gfn: dom0 is 1:1 */
    .quad   0x10                /* nr_mfns */
    .fill   OP_SIZE - 40, 1, 0

    .balign 8
op_claim_nodom:
    .long   1                   /* XEN_STATIC_EXTENT_OP_claim */
    .long   0                   /* pad */
    .short  0x7000              /* domid: no such domain */
    .short  0                   /* pad0 */
    .long   0                   /* flags */
    .quad   0x7f000             /* mfn */
    .quad   0x7f000             /* gfn */
    .quad   0x10                /* nr_mfns */
    .fill   OP_SIZE - 40, 1, 0
end:
