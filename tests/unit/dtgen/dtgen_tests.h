/* tests/unit/dtgen: the suites of the test-dtgen runner and their harness. */
#ifndef DTGEN_TESTS_H
#define DTGEN_TESTS_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>
#include <libfdt.h>

#include "dtgen.h"
#include "unit.h"

#define MIB(x) ((uint64_t)(x) << 20)
#define GIB(x) ((uint64_t)(x) << 30)

Suite *guest_suite(void);
Suite *host_suite(void);
Suite *passthrough_suite(void);
Suite *invariant_suite(void);

/* A path under the source or the build tree (malloc'd). */
char *t_srcpath(const char *rel);
char *t_buildpath(const char *rel);

/* Reads a whole file (malloc'd); fails the test when it cannot. */
void *t_read_file(const char *path, size_t *len_r);
/* A fixture DTB compiled at build time (tests/unit/dtgen/fixtures). */
void *t_fixture(const char *name, size_t *len_r);

/*
 * Checks a generated blob: fdt_check_full, then dtc with every check
 * enabled accepts it with no warning but the ones the test names as
 * justified (substrings
 * of dtc's warning lines, NULL-terminated list, may be NULL).  Writes
 * it to the build tree as out/<name>.dtb.
 */
void t_check_blob(const void *fdt, size_t len, const char *name,
                  const char *const *justified);

/*
 * Compares "dtc -I dtb -O dts -s" of out/<name>.dtb with
 * golden/<name>.dts (diff -u on mismatch).  DTG_UPDATE_GOLDEN=1 in the
 * environment rewrites the golden file instead.
 */
void t_golden(const char *name);

/* Property access that fails the test when the property is missing. */
const void *t_prop(const void *fdt, const char *path, const char *name,
                   int *len_r);
bool t_has_prop(const void *fdt, const char *path, const char *name);
bool t_has_node(const void *fdt, const char *path);
uint32_t t_u32(const void *fdt, const char *path, const char *name);
uint64_t t_u64(const void *fdt, const char *path, const char *name);
/* The @i-th (address, size) of a reg-like property in a/s cells. */
void t_reg(const void *fdt, const char *path, const char *name,
           unsigned int ac, unsigned int sc, int i, uint64_t *addr_r,
           uint64_t *size_r);
/* Number of (a + s)-cell entries of a reg-like property. */
int t_nreg(const void *fdt, const char *path, const char *name,
           unsigned int ac, unsigned int sc);

#endif /* DTGEN_TESTS_H */
