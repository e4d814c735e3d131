/* placeholder: implemented by its issue */
#include "lxs_internal.h"
