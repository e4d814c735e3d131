/* test-dtgen: unit tests of the guest and dom0less host device trees. */
#include <stdlib.h>

#include "dtgen_tests.h"

int main(void)
{
    SRunner *sr;
    int failed;

    sr = srunner_create(guest_suite());
    srunner_add_suite(sr, host_suite());
    srunner_add_suite(sr, passthrough_suite());
    srunner_add_suite(sr, invariant_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
