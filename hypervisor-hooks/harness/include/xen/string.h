/* Harness stand-in for Xen's <xen/string.h>. */
#ifndef HARNESS_XEN_STRING_H
#define HARNESS_XEN_STRING_H

#include <string.h>

#endif
