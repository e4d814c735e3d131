/* Harness stand-in for Xen's <xen/errno.h>: the host's errno values. */
#ifndef HARNESS_XEN_ERRNO_H
#define HARNESS_XEN_ERRNO_H

#include <errno.h>

#endif
