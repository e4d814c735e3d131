/*
 * Harness stand-in for Xen's <xen/spinlock.h>.  The harness is single
 * threaded: a lock is a flag, and taking a held lock or releasing a free
 * one aborts, which catches a missing unlock on an error path.
 */
#ifndef HARNESS_XEN_SPINLOCK_H
#define HARNESS_XEN_SPINLOCK_H

#include <assert.h>

typedef struct {
    int held;
} spinlock_t;

#define spin_lock_init(l) ((l)->held = 0)
#define spin_lock(l) do { assert(!(l)->held); (l)->held = 1; } while (0)
#define spin_unlock(l) do { assert((l)->held); (l)->held = 0; } while (0)
#define spin_is_locked(l) ((l)->held)

#endif
