/* Shared helpers of the test-check suites. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check_tests.h"

void parse_text(const char *label, const char *text, struct lxs_spec *spec,
                struct lxs_diags *diags)
{
    int rc;

    rc = lxs_cfg_parse_data(label, text, strlen(text), spec, diags);
    ck_assert_int_eq(rc, 0);
}

size_t count_code(const struct lxs_diags *d, enum lxs_code code,
                  const char *key)
{
    size_t i, n = 0;

    for (i = 0; i < d->nr; i++) {
        if (d->v[i].code != code)
            continue;
        if (key && (!d->v[i].key || strcmp(d->v[i].key, key)))
            continue;
        n++;
    }
    return n;
}

const struct lxs_diag *find_diag(const struct lxs_diags *d,
                                 enum lxs_code code, ...)
{
    size_t i;

    for (i = 0; i < d->nr; i++) {
        const char *s;
        va_list ap;
        int all = 1;

        if (d->v[i].code != code)
            continue;
        va_start(ap, code);
        while ((s = va_arg(ap, const char *)))
            if (!strstr(d->v[i].message, s))
                all = 0;
        va_end(ap);
        if (all)
            return &d->v[i];
    }
    return NULL;
}

const char *diags_text(const struct lxs_diags *d)
{
    static char buf[16384];
    size_t i, len = 0;

    buf[0] = 0;
    for (i = 0; i < d->nr && len < sizeof(buf); i++)
        len += snprintf(buf + len, sizeof(buf) - len, " [%s: %s: %s: %s]",
                        lxs_code_name(d->v[i].code),
                        d->v[i].domain ? d->v[i].domain : "-",
                        d->v[i].key ? d->v[i].key : "-", d->v[i].message);
    return buf;
}

static void add_regions(struct lxs_hostmap *map, enum lxs_region_kind kind,
                        const struct hm_region *r)
{
    for (; r && r->end; r++) {
        unsigned int flags = kind == LXS_REGION_OWNED && r->label &&
                             !strncmp(r->label, "/chosen/", 8) ?
                             LXS_OWN_BOOT_BANK : 0;

        ck_assert_int_eq(lxs_hostmap_add(map, kind, r->start, r->end, flags,
                                         r->label, r->owner), 0);
    }
}

void hostmap_build(struct lxs_hostmap *map, const struct hm_region *ram,
                   const struct hm_region *reserved,
                   const struct hm_region *owned,
                   const struct hm_region *pool)
{
    lxs_hostmap_init(map);
    add_regions(map, LXS_REGION_RAM, ram);
    add_regions(map, LXS_REGION_RESERVED, reserved);
    add_regions(map, LXS_REGION_OWNED, owned);
    add_regions(map, LXS_REGION_POOL, pool);
    ck_assert_int_eq(lxs_hostmap_finish(map), 0);
}

void check_texts(struct check_run *run, const struct lxs_hostmap *map,
                 enum lxs_check_mode mode, const char *const *texts)
{
    struct lxs_check_opts opts = { .mode = mode };
    char label[16];
    size_t i;

    memset(run, 0, sizeof(*run));
    lxs_diags_init(&run->diags);
    for (i = 0; texts[i]; i++) {
        ck_assert_uint_lt(i, sizeof(run->specs) / sizeof(run->specs[0]));
        snprintf(label, sizeof(label), "cfg%zu", i + 1);
        lxs_spec_init(&run->specs[i]);
        lxs_plan_init(&run->plans[i]);
        parse_text(label, texts[i], &run->specs[i], &run->diags);
        /*
         * A dom0less domain boots from a kernel module: the boot-time
         * cases here are about placement, so a cfg without one gets
         * one (test_boot_rules checks the rule itself).
         */
        if (mode == LXS_MODE_BOOT && !run->specs[i].kernel &&
            !run->specs[i].bad)
            ck_assert_ptr_nonnull(run->specs[i].kernel = strdup("Image"));
    }
    run->nr = i;
    run->rc = lxs_check(map, run->specs, run->nr, &opts, &run->diags,
                        run->plans);
}

void check_dispose(struct check_run *run)
{
    size_t i;

    for (i = 0; i < run->nr; i++) {
        lxs_spec_dispose(&run->specs[i]);
        lxs_plan_dispose(&run->plans[i]);
    }
    lxs_diags_dispose(&run->diags);
}
