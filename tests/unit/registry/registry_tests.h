/* tests/unit/registry: the suites of the test-registry runner. */
#ifndef REGISTRY_TESTS_H
#define REGISTRY_TESTS_H

#include <stdbool.h>
#include <stddef.h>

#include <check.h>

#include "libxlstatic.h"
#include "unit.h"

Suite *registry_data_suite(void);
Suite *registry_fs_suite(void);
Suite *registry_proc_suite(void);
Suite *registry_plan_suite(void);


/* A fresh directory under $TMPDIR (or /tmp); remove with tmpdir_remove. */
char *tmpdir_new(void);
/* rm -rf @dir, then free(@dir). */
void tmpdir_remove(char *dir);
/* "@dir/@name", allocated (aborts the test on ENOMEM). */
char *path_join(const char *dir, const char *name);
/* The whole file, NUL-terminated; NULL when it does not exist. */
char *file_read(const char *path, size_t *len_r);
/* Creates or replaces @path with @len bytes of @data. */
void file_write(const char *path, const char *data, size_t len);
bool file_exists(const char *path);

/* A plan over @nr extents of @ext (borrowed: do not dispose it). */
struct lxs_plan plan_of(struct lxs_extent *ext, size_t nr, bool direct_map);

/*
 * The registry content of a test state: reservation "counter" with an
 * extent that encodes @k, and (k % 4) others whose extents depend on k.
 * Used by the crash test to recognise every state a writer can leave.
 * Returns 0 or the error of a registry call (no ck_assert: it runs in
 * children too).
 */
int state_fill(struct lxs_registry *reg, unsigned long k);
/* k of a registry holding a state_fill state, or -1. */
long state_counter(const struct lxs_registry *reg);

#endif /* REGISTRY_TESTS_H */
