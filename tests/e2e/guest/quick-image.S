/*
 * The smallest guest kernel, for the restart cycles of 80-restart: an
 * arm64 Image (the Linux boot header, which libxenguest's loader checks)
 * whose code ends the domain at once, as chosen at build time:
 *   QUICK_REBOOT    PSCI SYSTEM_RESET   -> Xen: shutdown, reason reboot
 *   QUICK_POWEROFF  PSCI SYSTEM_OFF     -> Xen: shutdown, reason poweroff
 *   QUICK_CRASH     SCHEDOP_shutdown with SHUTDOWN_crash, the hypercall
 *                   a crashing guest makes (Linux's Xen panic notifier,
 *                   on x86; arm64 Linux has none) -> reason crash
 * so xl's on_reboot / on_poweroff / on_crash action follows in
 * microseconds of guest time, and a cycle costs only the toolstack's
 * destroy and create.
 */
#include "image-head.S"
#if defined(QUICK_REBOOT)
    movz    x0, #0x0009
    movk    x0, #0x8400, lsl #16
    hvc     #0
#elif defined(QUICK_POWEROFF)
    movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16
    hvc     #0
#elif defined(QUICK_CRASH)
    movz    x16, #29            /* __HYPERVISOR_sched_op */
    mov     x0, #2              /* SCHEDOP_shutdown */
    adr     x1, reason          /* MMU off: this address is the IPA */
    hvc     #0xea1              /* XEN_HYPERCALL_TAG */
#else
#error "QUICK_REBOOT, QUICK_POWEROFF or QUICK_CRASH"
#endif
1:  wfi
    b       1b
    .balign 4
reason:
    .long   3                   /* struct sched_shutdown: SHUTDOWN_crash */
end:
