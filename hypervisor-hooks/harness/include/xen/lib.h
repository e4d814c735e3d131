/* Harness stand-in for Xen's <xen/lib.h>. */
#ifndef HARNESS_XEN_LIB_H
#define HARNESS_XEN_LIB_H

#include <assert.h>

#define ASSERT(p) assert(p)
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

#endif
