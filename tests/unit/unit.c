/* What the check runners share (unit.h). */
#include <stdarg.h>
#include <stdlib.h>

#include "unit.h"

Suite *unit_suite(const char *name, ...)
{
    Suite *s = suite_create(name);
    const struct unit_item *it;
    const TTest *const *t;
    TCase *tc = NULL;
    va_list ap;

    va_start(ap, name);
    while ((it = va_arg(ap, const struct unit_item *)) != NULL) {
        if (it->tcase || !tc) {
            tc = tcase_create(it->tcase ? it->tcase : name);
            suite_add_tcase(s, tc);
        }
        if (it->setup || it->teardown)
            tcase_add_checked_fixture(tc, it->setup, it->teardown);
        if (it->timeout)
            tcase_set_timeout(tc, it->timeout);
        for (t = it->tests; t && *t; t++) {
            if (it->loop_end)
                tcase_add_loop_test(tc, *t, 0, it->loop_end);
            else
                tcase_add_test(tc, *t);
        }
    }
    va_end(ap);
    return s;
}

int unit_run(Suite *first, ...)
{
    SRunner *sr = srunner_create(first);
    Suite *s;
    va_list ap;
    int failed;

    va_start(ap, first);
    while ((s = va_arg(ap, Suite *)) != NULL)
        srunner_add_suite(sr, s);
    va_end(ap);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
