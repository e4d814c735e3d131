/* test-check: unit tests of cfg parsing, validation and planning. */
#include <stdlib.h>

#include "check_tests.h"

int main(void)
{
    SRunner *sr;
    int failed;

    sr = srunner_create(cfg_suite());
    srunner_add_suite(sr, validate_suite());
    srunner_add_suite(sr, plan_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
