/* Harness stand-in for Xen's <xen/types.h>. */
#ifndef HARNESS_XEN_TYPES_H
#define HARNESS_XEN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#endif
