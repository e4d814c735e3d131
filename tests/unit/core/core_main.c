/* test-core: unit tests of libxlstatic's sizes, ranges, diagnostics and
 * host memory map. */
#include <stdlib.h>

#include "core_tests.h"

int main(void)
{
    return unit_run(size_suite(),
                    range_suite(),
                    diag_suite(),
                    hostmap_suite(), NULL);
}
