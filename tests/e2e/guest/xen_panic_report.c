// SPDX-License-Identifier: GPL-2.0
/*
 * xen_panic_report: a guest kernel module that tells Xen, when the kernel
 * panics, that the domain crashed (SCHEDOP_shutdown, SHUTDOWN_crash).
 *
 * x86 Linux does this itself (xen_panic_handler_init()); arm64 Linux does
 * not, so a panicking arm64 guest hangs (or, with panic=N, reboots) and
 * xl's on_crash action never runs.  The e2e (80-restart) loads it in a
 * guest to prove that on_crash = "restart" brings a static domain back on
 * the same memory; integrators with arm64 guests may want the same.
 * Built against Debian's linux-headers for the guest kernel.
 */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <xen/xen.h>
#include <xen/interface/sched.h>
#include <asm/xen/hypercall.h>

static int xen_panic_report(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct sched_shutdown r = { .reason = SHUTDOWN_crash };

	HYPERVISOR_sched_op(SCHEDOP_shutdown, &r);
	return NOTIFY_DONE;
}

/* Last, after the notifiers that print or dump. */
static struct notifier_block xen_panic_block = {
	.notifier_call = xen_panic_report,
	.priority = INT_MIN,
};

static int __init xen_panic_report_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	atomic_notifier_chain_register(&panic_notifier_list, &xen_panic_block);
	return 0;
}

static void __exit xen_panic_report_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list,
					 &xen_panic_block);
}

module_init(xen_panic_report_init);
module_exit(xen_panic_report_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Report a kernel panic to Xen as a crash");
