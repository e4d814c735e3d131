/*
 * Processes against the registry: writers killed with SIGKILL at random
 * points never leave anything but a whole state, and of writers racing
 * for the same memory exactly one gets it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libxlstatic.h"
#include "registry_tests.h"

#define CRASH_WRITERS 3
#define CRASH_MIN_UPDATES 1000
#define CRASH_MAX_ROUNDS 20000
#define RACERS 8
#define RACE_ROUNDS 10

static char *dir;

static void setup(void)
{
    dir = tmpdir_new();
}

static void teardown(void)
{
    tmpdir_remove(dir);
}

/* Forever: read the state k, write state k + 1.  Exits only on error. */
static void crash_writer(void)
{
    struct lxs_registry reg;
    long k;

    for (;;) {
        lxs_registry_init(&reg);
        if (lxs_registry_open(&reg, dir, LXS_REGISTRY_WRITE, NULL))
            _exit(2);
        k = state_counter(&reg);
        if (k < 0 && reg.nr)
            _exit(3);
        if (state_fill(&reg, (unsigned long)(k + 1)))
            _exit(4);
        if (lxs_registry_commit(&reg, NULL))
            _exit(5);
        lxs_registry_close(&reg);
    }
}

/*
 * The file as it is now, read without the lock: absent before the first
 * commit, else exactly the file of state k for some k >= *last.
 */
static void check_state(const char *file, long *last)
{
    struct lxs_registry reg, expect;
    char *data, *want, *why = NULL;
    size_t len, wlen;
    long k;

    data = file_read(file, &len);
    if (!data) {
        ck_assert_int_eq(*last, -1);
        return;
    }
    lxs_registry_init(&reg);
    if (lxs_registry_from_data(&reg, data, len, &why))
        ck_abort_msg("registry after a crash: %s", why ? why : "ENOMEM");
    k = state_counter(&reg);
    ck_assert_int_ge(k, *last);

    lxs_registry_init(&expect);
    ck_assert_int_eq(state_fill(&expect, (unsigned long)k), 0);
    ck_assert_int_eq(lxs_registry_to_data(&expect, &want, &wlen), 0);
    ck_assert_str_eq(data, want);
    *last = k;

    free(want);
    free(data);
    lxs_registry_close(&expect);
    lxs_registry_close(&reg);
}

START_TEST(test_crash)
{
    char *file = path_join(dir, LXS_REGISTRY_FILE);
    char *tmp = path_join(dir, LXS_REGISTRY_FILE ".tmp");
    pid_t pids[CRASH_WRITERS];
    struct lxs_registry reg;
    unsigned int rounds, killed_mid = 0;
    long last = -1;
    int i, status;

    srand(20261122);
    for (rounds = 0; last < CRASH_MIN_UPDATES && rounds < CRASH_MAX_ROUNDS;
         rounds++) {
        for (i = 0; i < CRASH_WRITERS; i++) {
            pids[i] = fork();
            ck_assert_int_ge(pids[i], 0);
            if (!pids[i])
                crash_writer();
        }
        usleep((useconds_t)(rand() % 15000));
        /* a reader without the lock while they write */
        check_state(file, &last);
        for (i = 0; i < CRASH_WRITERS; i++)
            ck_assert_int_eq(kill(pids[i], SIGKILL), 0);
        for (i = 0; i < CRASH_WRITERS; i++) {
            ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
            if (!WIFSIGNALED(status))
                ck_abort_msg("writer exited with %d", WEXITSTATUS(status));
        }
        if (file_exists(tmp))
            killed_mid++;
        check_state(file, &last);
    }
    ck_assert_int_ge(last, CRASH_MIN_UPDATES);
    fprintf(stderr, "crash: %ld updates in %u rounds, %u killed with a "
            "temporary file\n", last + 1, rounds, killed_mid);

    /* the next writer goes on from the last state and clears the debris */
    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_open(&reg, dir, LXS_REGISTRY_WRITE, NULL),
                     0);
    ck_assert_int_eq(state_counter(&reg), last);
    ck_assert_int_eq(state_fill(&reg, (unsigned long)last + 1), 0);
    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
    lxs_registry_close(&reg);
    ck_assert(!file_exists(tmp));
    check_state(file, &last);
    free(file);
    free(tmp);
}
END_TEST

/*
 * RACERS processes, released at once, each reserve 16 MiB starting 1 MiB
 * apart (so every two overlap) under the exclusive lock.  Exactly one
 * commits; the others find the memory taken (-EBUSY).
 */
static int racer(const char *rdir, int gate, int i)
{
    struct lxs_extent e = {
        0x80000000 + (uint64_t)i * 0x100000, 0x40000000, 0x1000000
    };
    struct lxs_plan p = plan_of(&e, 1, false);
    struct lxs_registry reg;
    char name[16], c;
    int rc;

    if (read(gate, &c, 1) != 0)     /* EOF: go */
        return 9;
    snprintf(name, sizeof(name), "racer%d", i);
    lxs_registry_init(&reg);
    if (lxs_registry_open(&reg, rdir, LXS_REGISTRY_WRITE, NULL))
        return 2;
    rc = lxs_registry_set(&reg, name, &p);
    if (rc == -EBUSY)
        return 1;
    if (rc || lxs_registry_commit(&reg, NULL))
        return 3;
    lxs_registry_close(&reg);
    return 0;
}

START_TEST(test_race)
{
    int round, i, status, fds[2];
    pid_t pids[RACERS];

    for (round = 0; round < RACE_ROUNDS; round++) {
        struct lxs_registry reg;
        int winner = -1, losers = 0;
        char sub[32], *rdir, name[16];

        snprintf(sub, sizeof(sub), "round%d", round);
        rdir = path_join(dir, sub);
        ck_assert_int_eq(pipe(fds), 0);
        for (i = 0; i < RACERS; i++) {
            pids[i] = fork();
            ck_assert_int_ge(pids[i], 0);
            if (!pids[i]) {
                close(fds[1]);
                _exit(racer(rdir, fds[0], i));
            }
        }
        close(fds[0]);
        close(fds[1]);              /* the gate opens */
        for (i = 0; i < RACERS; i++) {
            ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
            ck_assert(WIFEXITED(status));
            switch (WEXITSTATUS(status)) {
            case 0:
                ck_assert_int_eq(winner, -1);
                winner = i;
                break;
            case 1:
                losers++;
                break;
            default:
                ck_abort_msg("racer %d exited with %d", i,
                             WEXITSTATUS(status));
            }
        }
        ck_assert_int_ge(winner, 0);
        ck_assert_int_eq(losers, RACERS - 1);

        lxs_registry_init(&reg);
        ck_assert_int_eq(lxs_registry_open(&reg, rdir, 0, NULL), 0);
        ck_assert_uint_eq(reg.nr, 1);
        snprintf(name, sizeof(name), "racer%d", winner);
        ck_assert_str_eq(reg.v[0].name, name);
        ck_assert_uint_eq(reg.v[0].ext[0].host,
                          0x80000000 + (uint64_t)winner * 0x100000);
        lxs_registry_close(&reg);
        free(rdir);
    }
}
END_TEST

Suite *registry_proc_suite(void)
{
    return unit_suite("registry-proc", UNIT_TCASE("processes"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_TESTS(test_crash, test_race),
                      UNIT_TIMEOUT(300),
                      NULL);
}
