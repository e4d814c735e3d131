/*
 * fuzz-hostdtb: the host DTB reader (lxs_hostmap_from_fdt), then
 * lxs_check of a few fixed domains against the map it gives: automatic
 * contiguous, automatic chunks and an explicit extent, at run time and
 * at boot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const char *const cfgs[] = {
    "name = \"auto\"\nmemory = 128\ndirect_map = 1\n",
    "name = \"chunks\"\nmemory = 64\nmem_chunk = \"2M\"\n",
    "name = \"fixed\"\nstatic_mem = [ \"0x50000000:16M\" ]\n",
    "name = \"domU1\"\nmemory = 32\ndirect_map = 1\n",
};
#define NR_CFGS (sizeof(cfgs) / sizeof(cfgs[0]))
/* distinct labels: findings name their cfg file */
static const char *const labels[NR_CFGS] = {
    "auto.cfg", "chunks.cfg", "fixed.cfg", "domU1.cfg"
};

static struct lxs_spec specs[NR_CFGS];

static void load_specs(void)
{
    static int ready;
    struct lxs_diags diags;
    size_t i;

    if (ready)
        return;
    lxs_diags_init(&diags);
    for (i = 0; i < NR_CFGS; i++) {
        lxs_spec_init(&specs[i]);
        if (lxs_cfg_parse_data(labels[i], cfgs[i], strlen(cfgs[i]),
                               &specs[i], &diags) || specs[i].bad)
            fz_fail("fixed cfg %zu does not parse", i);
    }
    lxs_diags_dispose(&diags);
    ready = 1;
}

static void check_map(const struct lxs_hostmap *map)
{
    size_t i;

    FZ_ASSERT(map->nr <= map->alloc, "map: nr > alloc");
    for (i = 0; i < map->nr; i++) {
        const struct lxs_region *r = &map->v[i];

        FZ_ASSERT(r->start < r->end, "region %zu: [%#lx, %#lx)", i,
                  (unsigned long)r->start, (unsigned long)r->end);
        FZ_ASSERT(r->label, "region %zu: no label", i);
        FZ_ASSERT((r->kind == LXS_REGION_OWNED) == (r->owner != NULL),
                  "region %zu: kind %d, owner %s", i, (int)r->kind,
                  r->owner ? r->owner : "(none)");
    }
    /* the derived sets: ram and pool merged, the others sorted */
    for (i = 1; i < map->ram.nr; i++)
        FZ_ASSERT(map->ram.v[i - 1].end < map->ram.v[i].start,
                  "ram not merged");
    for (i = 1; i < map->pool.nr; i++)
        FZ_ASSERT(map->pool.v[i - 1].end < map->pool.v[i].start,
                  "pool not merged");
    for (i = 1; i < map->reserved.nr; i++)
        FZ_ASSERT(map->reserved.v[i - 1].start <= map->reserved.v[i].start,
                  "reserved not sorted");
    FZ_ASSERT(map->has_pool == (map->pool.nr > 0), "has_pool");
}

static void run_check(const struct lxs_hostmap *map, enum lxs_check_mode mode)
{
    struct lxs_check_opts opts = { .mode = mode };
    struct lxs_plan plans[NR_CFGS];
    struct lxs_diags diags;
    size_t i;
    int rc;

    lxs_diags_init(&diags);
    for (i = 0; i < NR_CFGS; i++)
        lxs_plan_init(&plans[i]);
    rc = lxs_check(map, specs, NR_CFGS, &opts, &diags, plans);
    fz_check_plans(map, specs, NR_CFGS, mode, rc, &diags, plans);
    for (i = 0; i < NR_CFGS; i++)
        lxs_plan_dispose(&plans[i]);
    lxs_diags_dispose(&diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lxs_hostmap map, again;
    char *why = NULL, *why2 = NULL;
    uint8_t *odd = NULL;
    int rc, rc2;

    load_specs();
    lxs_hostmap_init(&map);
    lxs_hostmap_init(&again);

    rc = lxs_hostmap_from_fdt(&map, data, size, &why);
    FZ_ASSERT(rc == 0 || rc == -EBADMSG,
              "lxs_hostmap_from_fdt returned %d", rc);
    if (rc) {
        fz_check_message(why, "lxs_hostmap_from_fdt");
        FZ_ASSERT(map.nr == 0 && map.v == NULL,
                  "the map changed on failure");
    } else {
        FZ_ASSERT(!why, "a message on success");
        check_map(&map);
    }

    /* a blob that is not 8-byte aligned reads the same */
    if (size & 1) {
        odd = malloc(size + 1);
        if (!odd)
            fz_fail("out of memory");
        memcpy(odd + 1, data, size);
        rc2 = lxs_hostmap_from_fdt(&again, odd + 1, size, &why2);
        FZ_ASSERT(rc2 == rc && again.nr == map.nr,
                  "unaligned copy: %d and %zu regions, aligned: %d and %zu",
                  rc2, again.nr, rc, map.nr);
        free(odd);
        free(why2);
        lxs_hostmap_dispose(&again);
    }

    if (!rc) {
        run_check(&map, LXS_MODE_RUNTIME);
        run_check(&map, LXS_MODE_BOOT);
    }
    free(why);
    lxs_hostmap_dispose(&map);
    return 0;
}
