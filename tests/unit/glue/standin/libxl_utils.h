/* The stand-in's libxl_utils.h: see libxl.h beside it. */
#include "libxl.h"
