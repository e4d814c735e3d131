/*
 * Userspace harness for the hypervisor-side bookkeeping (in the manner of
 * Xen's tools/tests/rangeset): the headers under include/xen/ stand in for
 * Xen's own, so that common/static_pool.c builds here unchanged.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stddef.h>

/*
 * Allocation failure injection: when harness_alloc_fail_at is n > 0, the
 * n-th allocation from now fails (later ones succeed again).
 * harness_alloc_count counts the allocations made.
 */
extern unsigned long harness_alloc_fail_at;
extern unsigned long harness_alloc_count;

void *harness_zalloc(size_t nmemb, size_t size);
void harness_free(void *p);
/* Allocations not yet freed. */
long harness_alloc_live(void);

#endif /* HARNESS_H */
