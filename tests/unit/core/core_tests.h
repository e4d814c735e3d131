/* tests/unit/core: the suites of the test-core runner. */
#ifndef CORE_TESTS_H
#define CORE_TESTS_H

#include <check.h>

Suite *size_suite(void);
Suite *range_suite(void);
Suite *diag_suite(void);
Suite *hostmap_suite(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* CORE_TESTS_H */
