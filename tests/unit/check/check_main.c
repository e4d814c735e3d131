/* test-check: unit tests of cfg parsing, validation and planning. */
#include <stdlib.h>

#include "check_tests.h"

int main(void)
{
    return unit_run(cfg_suite(), validate_suite(), plan_suite(), NULL);
}
