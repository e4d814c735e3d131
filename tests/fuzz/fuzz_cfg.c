/*
 * fuzz-cfg: a domain cfg file, through libxlutil and lxs_cfg_parse_data,
 * then validated and planned (lxs_check) against a fixed host, alone and
 * with a second domain, at run time and at boot; every accepted plan
 * then gets its guest device tree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Placed automatically after the fuzzed domain: sees what it took. */
static const char other_cfg[] =
    "name = \"other\"\n"
    "memory = 64\n"
    "mem_chunk = \"2M\"\n";

static void run_check(const struct lxs_hostmap *map,
                      const struct lxs_spec *specs, size_t nr,
                      enum lxs_check_mode mode, const struct lxs_diags *base)
{
    struct lxs_check_opts opts = { .mode = mode };
    struct lxs_plan plans[2];
    struct lxs_diags diags;
    size_t i;
    int rc;

    lxs_diags_init(&diags);
    for (i = 0; i < nr; i++)
        lxs_plan_init(&plans[i]);
    /* the parser's findings first, as the commands have them */
    for (i = 0; i < base->nr; i++) {
        const struct lxs_diag *d = &base->v[i];

        if (lxs_diag_add(&diags, d->severity, d->code, d->file, d->domain,
                         d->key, "%s", d->message))
            fz_fail("lxs_diag_add: out of memory");
    }

    rc = lxs_check(map, specs, nr, &opts, &diags, plans);
    fz_check_plans(map, specs, nr, mode, rc, &diags, plans);
    for (i = 0; i < nr; i++)
        if (plans[i].nr_ext)
            fz_guest_fdt(&specs[i], &plans[i], 3, NULL, 0);

    for (i = 0; i < nr; i++)
        lxs_plan_dispose(&plans[i]);
    lxs_diags_dispose(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct lxs_hostmap *map = fz_fixed_hostmap();
    struct lxs_spec specs[2];
    struct lxs_diags diags;
    size_t i;
    int rc;

    lxs_spec_init(&specs[0]);
    lxs_spec_init(&specs[1]);
    lxs_diags_init(&diags);

    rc = lxs_cfg_parse_data("fuzz.cfg", (const char *)data, size, &specs[0],
                            &diags);
    FZ_ASSERT(rc == 0, "lxs_cfg_parse_data returned %d", rc);
    fz_check_diags(&diags);
    FZ_ASSERT(specs[0].bad == (diags.nr_errors > 0),
              "spec bad %d with %zu syntax findings", specs[0].bad,
              diags.nr_errors);
    for (i = 0; i < diags.nr; i++) {
        const struct lxs_diag *d = &diags.v[i];

        FZ_ASSERT(d->code == LXS_E_SYNTAX || d->code == LXS_W_UNKNOWN_KEY,
                  "the parser reported '%s'", lxs_code_name(d->code));
        /* an unknown key is a key of the text, at a line of it */
        FZ_ASSERT(d->code != LXS_W_UNKNOWN_KEY ||
                  (d->key && d->line >= 1 && d->line <= size + 1 &&
                   memmem(data, size, d->key, strlen(d->key))),
                  "unknown-key '%s' at line %u", d->key, d->line);
    }
    FZ_ASSERT(specs[0].nr_static_mem == 0 || specs[0].static_mem,
              "static_mem count without items");

    rc = lxs_cfg_parse_data("other.cfg", other_cfg, sizeof(other_cfg) - 1,
                            &specs[1], &diags);
    FZ_ASSERT(rc == 0 && !specs[1].bad, "the fixed cfg does not parse");

    run_check(map, specs, 1, LXS_MODE_RUNTIME, &diags);
    run_check(map, specs, 1, LXS_MODE_BOOT, &diags);
    run_check(map, specs, 2, LXS_MODE_RUNTIME, &diags);

    lxs_spec_dispose(&specs[0]);
    lxs_spec_dispose(&specs[1]);
    lxs_diags_dispose(&diags);
    return 0;
}
