/* test-check: cfg parsing, validation and placement planning. */
#ifndef CHECK_TESTS_H
#define CHECK_TESTS_H

#include <check.h>
#include <stdint.h>

#include "libxlstatic.h"
#include "unit.h"

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)


Suite *cfg_suite(void);
Suite *validate_suite(void);
Suite *plan_suite(void);

/* Parses @text (a cfg) as "@label", asserting that the call succeeds. */
void parse_text(const char *label, const char *text, struct lxs_spec *spec,
                struct lxs_diags *diags);

/* The number of findings with @code (and @key, when not NULL). */
size_t count_code(const struct lxs_diags *d, enum lxs_code code,
                  const char *key);
/*
 * The first finding with @code whose message contains every one of the
 * NULL-terminated strings, or NULL.
 */
const struct lxs_diag *find_diag(const struct lxs_diags *d,
                                 enum lxs_code code, ...);
/* All findings on one line (check logs one line), for failures. */
const char *diags_text(const struct lxs_diags *d);

/*
 * A host map from a compact description: RAM banks, reserved regions,
 * owned regions and the pool, each a NULL-free array ended by a zero
 * end.  An owned region labelled with a /chosen/ node is a dom0less
 * domain's bank (LXS_OWN_BOOT_BANK), as lxs_hostmap_from_fdt() labels
 * them.  Asserts success.
 */
struct hm_region {
    uint64_t start, end;
    const char *label;
    const char *owner;
};
void hostmap_build(struct lxs_hostmap *map, const struct hm_region *ram,
                   const struct hm_region *reserved,
                   const struct hm_region *owned,
                   const struct hm_region *pool);

/*
 * Parses each cfg text (label "cfgN"), runs lxs_check over all of them
 * and returns its result; diags and plans (nr of them, initialised here)
 * are the caller's to dispose (check_dispose).
 */
struct check_run {
    struct lxs_spec specs[8];
    struct lxs_plan plans[8];
    size_t nr;
    struct lxs_diags diags;
    int rc;
};
void check_texts(struct check_run *run, const struct lxs_hostmap *map,
                 enum lxs_check_mode mode, const char *const *texts);
void check_dispose(struct check_run *run);

#endif
