/* test-dtgen: unit tests of the guest and dom0less host device trees. */
#include <stdlib.h>

#include "dtgen_tests.h"

int main(void)
{
    return unit_run(guest_suite(), host_suite(), passthrough_suite(),
                    invariant_suite(), NULL);
}
