/* tests/unit/core: the suites of the test-core runner. */
#ifndef CORE_TESTS_H
#define CORE_TESTS_H

#include <check.h>
#include "unit.h"

Suite *size_suite(void);
Suite *range_suite(void);
Suite *diag_suite(void);
Suite *hostmap_suite(void);


#endif /* CORE_TESTS_H */
