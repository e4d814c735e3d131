/* Harness stand-in for Xen's <xen/xmalloc.h>, with failure injection. */
#ifndef HARNESS_XEN_XMALLOC_H
#define HARNESS_XEN_XMALLOC_H

#include "../../harness.h"

#define xzalloc_array(type, num) \
    ((type *)harness_zalloc((num), sizeof(type)))
#define xfree(p) harness_free(p)

#endif
