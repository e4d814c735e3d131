/* test-core: unit tests of libxlstatic's sizes, ranges, diagnostics and
 * host memory map. */
#include <stdlib.h>

#include "core_tests.h"

int main(void)
{
    SRunner *sr;
    int failed;

    sr = srunner_create(size_suite());
    srunner_add_suite(sr, range_suite());
    srunner_add_suite(sr, diag_suite());
    srunner_add_suite(sr, hostmap_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
