/*
 * What the check runners share (the suites of tests/unit/ and the
 * hypervisor harness's test-static-pool): a suite built from a list of
 * its tests, and running suites.
 */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * A suite from a NULL-terminated list of items, in order: UNIT_TCASE
 * starts a test case (before the first one, the suite has one of its
 * own name), UNIT_FIXTURE and UNIT_TIMEOUT set the current test case's
 * checked fixture and timeout, UNIT_TESTS adds tests (START_TEST names)
 * and UNIT_LOOP adds a test run for each _i in [0, n).
 */
struct unit_item {
    const char *tcase;
    void (*setup)(void);
    void (*teardown)(void);
    int timeout;
    const TTest *const *tests;      /* NULL-terminated */
    int loop_end;                   /* > 0: a loop test */
};

#define UNIT_ITEM(...) (&(const struct unit_item){ __VA_ARGS__ })
#define UNIT_TCASE(name) UNIT_ITEM(.tcase = (name))
#define UNIT_FIXTURE(su, td) UNIT_ITEM(.setup = (su), .teardown = (td))
#define UNIT_TIMEOUT(secs) UNIT_ITEM(.timeout = (secs))
#define UNIT_TESTS(...) \
    UNIT_ITEM(.tests = (const TTest *const[]){ __VA_ARGS__, NULL })
#define UNIT_LOOP(test, n) \
    UNIT_ITEM(.tests = (const TTest *const[]){ (test), NULL }, \
              .loop_end = (int)(n))

Suite *unit_suite(const char *name, ...);

/*
 * Runs the suites, a NULL-terminated list, in one runner and returns
 * the exit status: EXIT_SUCCESS when every test passed.
 */
int unit_run(Suite *first, ...);

#endif /* UNIT_H */
