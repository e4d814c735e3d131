/*
 * The registry in check and plan: a reservation, added to the host map,
 * is another domain's memory (overlap-domain) and its own domain's
 * memory to get back.  Each case reads a registry file, adds it to the
 * host map and runs lxs_check() on cfg texts, as create does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlstatic.h"
#include "registry_tests.h"

#define MiB (UINT64_C(1) << 20)
#define MAX_SPECS 2
#define MAX_EXT 3

/*
 * The host: RAM [0x40000000, 0x80000000) with a /memreserve/ at its
 * start, and the static pool [0x50000000, 0x70000000).
 */
static void host(struct lxs_hostmap *map)
{
    lxs_hostmap_init(map);
    ck_assert_int_eq(lxs_hostmap_add(map, LXS_REGION_RAM, 0x40000000,
                                     0x80000000, 0, "/memory", NULL), 0);
    ck_assert_int_eq(lxs_hostmap_add(map, LXS_REGION_RESERVED, 0x40000000,
                                     0x41000000, LXS_RESV_MEMRESERVE,
                                     "/memreserve/", NULL), 0);
    ck_assert_int_eq(lxs_hostmap_add(map, LXS_REGION_POOL, 0x50000000,
                                     0x70000000, 0, "/chosen/pool", NULL),
                     0);
    ck_assert_int_eq(lxs_hostmap_finish(map), 0);
}

#define RES(name, dm, ext) \
    "{\"name\":\"" name "\",\"direct_map\":" dm ",\"extents\":[" ext "]}"
#define EXT(h, g, s) \
    "{\"host\":\"" h "\",\"guest\":\"" g "\",\"size\":\"" s "\"}"
#define REG(...) "{\"version\":1,\"reservations\":[" __VA_ARGS__ "]}"

/* web's 64M at 0x60000000, and "other" 16M at the pool's start. */
#define WEB_RES RES("web", "true", EXT("0x60000000", "0x60000000", \
                                       "0x4000000"))
#define OTHER_RES RES("other", "true", EXT("0x50000000", "0x50000000", \
                                           "0x1000000"))

static const struct {
    const char *what;
    const char *registry;
    const char *cfgs[MAX_SPECS];
    enum lxs_code code;         /* LXS_CODE__COUNT: no finding */
    struct lxs_extent ext[MAX_EXT];     /* of the first spec's plan */
    size_t nr_ext;
} cases[] = {
    { "auto direct-map gets its reservation back",
      REG(WEB_RES "," OTHER_RES),
      { "name=\"web\"\nmemory=64\ndirect_map=1\n" }, LXS_CODE__COUNT,
      { { 0x60000000, 0x60000000, 64 * MiB } }, 1 },
    { "without a reservation: the lowest free fit",
      REG(OTHER_RES),
      { "name=\"web\"\nmemory=64\ndirect_map=1\n" }, LXS_CODE__COUNT,
      { { 0x51000000, 0x51000000, 64 * MiB } }, 1 },
    { "another domain's reservation is not free",
      REG(RES("other", "true", EXT("0x50000000", "0x50000000",
                                   "0x20000000"))),
      { "name=\"web\"\nmemory=64\ndirect_map=1\n" }, LXS_E_NO_SPACE,
      { { 0 } }, 0 },
    { "chunks come back, apart as they were, in the guest layout",
      REG(RES("web", "false",
              EXT("0x58000000", "0x40000000", "0x8000000") ","
              EXT("0x68000000", "0x48000000", "0x8000000")) "," OTHER_RES),
      { "name=\"web\"\nmemory=256\nmem_chunk=\"128M\"\n" }, LXS_CODE__COUNT,
      { { 0x58000000, 0x40000000, 128 * MiB },
        { 0x68000000, 0x48000000, 128 * MiB } }, 2 },
    { "a request larger than the reservation gets new memory",
      REG(WEB_RES "," OTHER_RES),
      { "name=\"web\"\nmemory=128\ndirect_map=1\n" }, LXS_CODE__COUNT,
      { { 0x51000000, 0x51000000, 128 * MiB } }, 1 },
    { "explicit placement on its own reservation",
      REG(WEB_RES "," OTHER_RES),
      { "name=\"web\"\nmemory=64\ndirect_map=1\n"
        "static_mem=[\"0x60000000:64M\"]\n" }, LXS_CODE__COUNT,
      { { 0x60000000, 0x60000000, 64 * MiB } }, 1 },
    { "explicit placement half on its own reservation, half free",
      REG(WEB_RES "," OTHER_RES),
      { "name=\"web\"\nmemory=64\ndirect_map=1\n"
        "static_mem=[\"0x62000000:64M\"]\n" }, LXS_CODE__COUNT,
      { { 0x62000000, 0x62000000, 64 * MiB } }, 1 },
    { "explicit placement on another domain's reservation",
      REG(WEB_RES "," OTHER_RES),
      { "name=\"fixed\"\nmemory=32\ndirect_map=1\n"
        "static_mem=[\"0x63000000:32M\"]\n" }, LXS_E_OVERLAP_DOMAIN,
      { { 0 } }, 0 },
    { "a domain planned with the owner still may not take its memory",
      REG(WEB_RES),
      { "name=\"web\"\nmemory=64\ndirect_map=1\n",
        "name=\"fixed\"\nmemory=16\ndirect_map=1\n"
        "static_mem=[\"0x60000000:16M\"]\n" }, LXS_E_OVERLAP_DOMAIN,
      { { 0 } }, 0 },
};

START_TEST(test_plan_with_registry)
{
    struct lxs_spec specs[MAX_SPECS];
    struct lxs_plan plans[MAX_SPECS];
    struct lxs_registry reg;
    struct lxs_hostmap map;
    struct lxs_diags diags;
    size_t nr, i;
    char *why = NULL;
    int rc;

    host(&map);
    lxs_registry_init(&reg);
    lxs_diags_init(&diags);
    ck_assert_int_eq(lxs_registry_from_data(&reg, cases[_i].registry,
                                            strlen(cases[_i].registry),
                                            &why), 0);
    ck_assert_int_eq(lxs_registry_add_to_hostmap(&reg, &map), 0);

    for (nr = 0; nr < MAX_SPECS && cases[_i].cfgs[nr]; nr++) {
        char label[16];

        snprintf(label, sizeof(label), "%zu.cfg", nr);
        lxs_spec_init(&specs[nr]);
        lxs_plan_init(&plans[nr]);
        ck_assert_int_eq(lxs_cfg_parse_data(label, cases[_i].cfgs[nr],
                                            strlen(cases[_i].cfgs[nr]),
                                            &specs[nr], &diags), 0);
    }
    rc = lxs_check(&map, specs, nr, NULL, &diags, plans);

    if (cases[_i].code == LXS_CODE__COUNT) {
        ck_assert_msg(rc == 0 && diags.nr == 0, "%s: rc %d, %zu findings%s%s",
                      cases[_i].what, rc, diags.nr, diags.nr ? ": " : "",
                      diags.nr ? diags.v[0].message : "");
        ck_assert_uint_eq(plans[0].nr_ext, cases[_i].nr_ext);
        for (i = 0; i < cases[_i].nr_ext; i++)
            ck_assert_msg(!memcmp(&plans[0].ext[i], &cases[_i].ext[i],
                                  sizeof(struct lxs_extent)),
                          "%s: extent %zu is 0x%llx/0x%llx/0x%llx",
                          cases[_i].what, i,
                          (unsigned long long)plans[0].ext[i].host,
                          (unsigned long long)plans[0].ext[i].guest,
                          (unsigned long long)plans[0].ext[i].size);
        /* what the planner gave back is what create records */
        ck_assert_int_eq(lxs_registry_set(&reg, specs[0].name, &plans[0]),
                         0);
    } else {
        ck_assert_int_eq(rc, -EINVAL);
        ck_assert_uint_ge(diags.nr_errors, 1);
        for (i = 0; i < diags.nr; i++) {
            if (diags.v[i].code == cases[_i].code)
                break;
        }
        ck_assert_msg(i < diags.nr, "%s: no '%s' finding",
                      cases[_i].what, lxs_code_name(cases[_i].code));
    }

    for (i = 0; i < nr; i++) {
        lxs_plan_dispose(&plans[i]);
        lxs_spec_dispose(&specs[i]);
    }
    lxs_diags_dispose(&diags);
    lxs_registry_close(&reg);
    lxs_hostmap_dispose(&map);
}
END_TEST

Suite *registry_plan_suite(void)
{
    return unit_suite("registry-plan", UNIT_TCASE("plan"),
                      UNIT_LOOP(test_plan_with_registry, ARRAY_SIZE(cases)),
                      NULL);
}
