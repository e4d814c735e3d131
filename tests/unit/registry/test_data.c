/*
 * The registry in memory and as file content: round trips, every kind
 * of malformed file, changes and their refusals, the host map view,
 * allocation failures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlstatic.h"
#include "lxs_internal.h"
#include "registry_tests.h"

/* The exact file for one_of_each(): pins the documented format. */
static const char golden[] =
    "{\n"
    "    \"version\": 1,\n"
    "    \"reservations\": [\n"
    "        {\n"
    "            \"name\": \"drv\",\n"
    "            \"direct_map\": true,\n"
    "            \"extents\": [\n"
    "                {\n"
    "                    \"host\": \"0x60000000\",\n"
    "                    \"guest\": \"0x60000000\",\n"
    "                    \"size\": \"0x10000000\"\n"
    "                }\n"
    "            ]\n"
    "        },\n"
    "        {\n"
    "            \"name\": \"web\",\n"
    "            \"direct_map\": false,\n"
    "            \"extents\": [\n"
    "                {\n"
    "                    \"host\": \"0xfffff0000000\",\n"
    "                    \"guest\": \"0x40000000\",\n"
    "                    \"size\": \"0x10000000\"\n"
    "                },\n"
    "                {\n"
    "                    \"host\": \"0x80000000\",\n"
    "                    \"guest\": \"0x50000000\",\n"
    "                    \"size\": \"0x200000\"\n"
    "                }\n"
    "            ]\n"
    "        }\n"
    "    ]\n"
    "}\n";

static struct lxs_extent web_ext[] = {
    /* the top of the 48-bit space: the end is exactly LXS_PADDR_LIMIT */
    { UINT64_C(0xfffff0000000), 0x40000000, 0x10000000 },
    { 0x80000000, 0x50000000, 0x200000 },
};
static struct lxs_extent drv_ext[] = {
    { 0x60000000, 0x60000000, 0x10000000 },
};

/* Set in the opposite of name order: the registry sorts. */
static void one_of_each(struct lxs_registry *reg)
{
    struct lxs_plan p;

    p = plan_of(web_ext, 2, false);
    ck_assert_int_eq(lxs_registry_set(reg, "web", &p), 0);
    p = plan_of(drv_ext, 1, true);
    ck_assert_int_eq(lxs_registry_set(reg, "drv", &p), 0);
}

static void assert_one_of_each(const struct lxs_registry *reg)
{
    const struct lxs_reservation *r;

    ck_assert_uint_eq(reg->nr, 2);
    ck_assert_str_eq(reg->v[0].name, "drv");
    ck_assert_str_eq(reg->v[1].name, "web");
    r = lxs_registry_find(reg, "web");
    ck_assert_ptr_eq(r, &reg->v[1]);
    ck_assert(!r->direct_map);
    ck_assert_uint_eq(r->nr_ext, 2);
    ck_assert_mem_eq(r->ext, web_ext, sizeof(web_ext));
    r = lxs_registry_find(reg, "drv");
    ck_assert(r->direct_map);
    ck_assert_uint_eq(r->nr_ext, 1);
    ck_assert_mem_eq(r->ext, drv_ext, sizeof(drv_ext));
    ck_assert_ptr_null(lxs_registry_find(reg, "dr"));
    ck_assert_ptr_null(lxs_registry_find(reg, "webb"));
    ck_assert_ptr_null(lxs_registry_find(reg, NULL));
}

START_TEST(test_round_trip)
{
    struct lxs_registry reg, back;
    char *data, *data2, *why = NULL;
    size_t len, len2;

    lxs_registry_init(&reg);
    lxs_registry_init(&back);
    one_of_each(&reg);
    ck_assert(reg.dirty);
    assert_one_of_each(&reg);

    ck_assert_int_eq(lxs_registry_to_data(&reg, &data, &len), 0);
    ck_assert_uint_eq(len, strlen(data));
    ck_assert_str_eq(data, golden);

    ck_assert_int_eq(lxs_registry_from_data(&back, data, len, &why), 0);
    ck_assert_ptr_null(why);
    ck_assert(!back.dirty);
    ck_assert_ptr_null(back.dir);
    ck_assert_int_eq(back.lock_fd, -1);
    assert_one_of_each(&back);
    ck_assert_int_eq(lxs_registry_to_data(&back, &data2, &len2), 0);
    ck_assert_str_eq(data2, data);

    /* the empty registry */
    lxs_registry_close(&back);
    free(data2);
    ck_assert_int_eq(lxs_registry_to_data(&back, &data2, &len2), 0);
    ck_assert_str_eq(data2, "{\n    \"version\": 1,\n"
                     "    \"reservations\": [\n\n    ]\n}\n");
    ck_assert_int_eq(lxs_registry_from_data(&back, data2, len2, NULL), 0);
    ck_assert_uint_eq(back.nr, 0);

    free(data);
    free(data2);
    lxs_registry_close(&reg);
    lxs_registry_close(&back);
    lxs_registry_close(&reg);       /* idempotent */
    lxs_registry_close(NULL);
}
END_TEST

/* Files written by hand or by another tool that are still fine. */
static const struct {
    const char *text;
    size_t nr;
    uint64_t host0;
} good_cases[] = {
    { "{\"version\":1,\"reservations\":[]}", 0, 0 },
    { "  {\"reservations\" : [ ], \"version\" : 1 }\n\n", 0, 0 },
    /* key order, upper-case and zero-padded hex digits */
    { "{\"reservations\":[{\"extents\":[{\"size\":\"0x1000\","
      "\"guest\":\"0x0\",\"host\":\"0x00000000ABCDE000\"}],"
      "\"direct_map\":false,\"name\":\"a\"}],\"version\":1}",
      1, 0xabcde000 },
    /* adjacent extents of two domains do not overlap */
    { "{\"version\":1,\"reservations\":["
      "{\"name\":\"b\",\"direct_map\":false,\"extents\":[{\"host\":"
      "\"0x2000\",\"guest\":\"0x0\",\"size\":\"0x1000\"}]},"
      "{\"name\":\"a\",\"direct_map\":false,\"extents\":[{\"host\":"
      "\"0x1000\",\"guest\":\"0x0\",\"size\":\"0x1000\"}]}]}", 2, 0x1000 },
    /* a name that is UTF-8, not ASCII */
    { "{\"version\":1,\"reservations\":[{\"name\":\"d\xc3\xb3m\","
      "\"direct_map\":true,\"extents\":[{\"host\":\"0x1000\","
      "\"guest\":\"0x1000\",\"size\":\"0x1000\"}]}]}", 1, 0x1000 },
};

START_TEST(test_good_forms)
{
    struct lxs_registry reg;
    char *why = NULL;

    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_from_data(&reg, good_cases[_i].text,
                                            strlen(good_cases[_i].text),
                                            &why), 0);
    ck_assert_ptr_null(why);
    ck_assert_uint_eq(reg.nr, good_cases[_i].nr);
    if (reg.nr)
        ck_assert_uint_eq(reg.v[0].ext[0].host, good_cases[_i].host0);
    lxs_registry_close(&reg);
}
END_TEST

#define HEAD "{\"version\":1,\"reservations\":["
#define TAIL "]}"
#define RES(name, dm, ext) \
    "{\"name\":" name ",\"direct_map\":" dm ",\"extents\":[" ext "]}"
#define EXT(h, g, s) \
    "{\"host\":" h ",\"guest\":" g ",\"size\":" s "}"
#define NUL_TEXT "{\"version\": 1, \"reservations\": []}\0garbage"
#define EXT1 EXT("\"0x60000000\"", "\"0x40000000\"", "\"0x1000\"")

/* Malformed files: each is refused with -EBADMSG and says why. */
static const struct {
    const char *text;
    size_t len;             /* 0: strlen(text) */
    const char *why;        /* a part of the message */
} bad_cases[] = {
    { "", 0, "empty file" },
    { HEAD RES("\"a\"", "false", EXT1), 0, "premature EOF" },
    { "{\"version\": 1, \"reservations\": [", 0, "premature EOF" },
    { NUL_TEXT, sizeof(NUL_TEXT) - 1, "contains a NUL byte" },
    { "reservations", 0, "not valid JSON" },
    { HEAD TAIL " x", 0, "not valid JSON" },
    { HEAD TAIL HEAD TAIL, 0, "not valid JSON" },
    { "[]", 0, "the top level is not an object" },
    { "{\"reservations\":[]}", 0, "no 'version'" },
    { "{\"version\":2,\"reservations\":[]}", 0, "unsupported version 2" },
    { "{\"version\":1.0,\"reservations\":[]}", 0,
      "unsupported version 1.0" },
    { "{\"version\":\"1\",\"reservations\":[]}", 0,
      "unsupported version (not a number)" },
    { "{\"version\":1}", 0, "the top level: missing key 'reservations'" },
    { "{\"version\":1,\"reservations\":[],\"x\":0}", 0,
      "the top level: unknown key 'x'" },
    { "{\"version\":1,\"version\":1,\"reservations\":[]}", 0,
      "the top level: duplicate key 'version'" },
    { "{\"version\":1,\"reservations\":{}}", 0,
      "'reservations' is not an array" },
    { HEAD "[]" TAIL, 0, "reservation 0: not an object" },
    { HEAD "{\"name\":\"a\",\"direct_map\":false}" TAIL, 0,
      "reservation 0: missing key 'extents'" },
    { HEAD "{\"name\":\"a\",\"direct_map\":false,\"extents\":[],"
      "\"owner\":\"b\"}" TAIL, 0, "reservation 0: unknown key 'owner'" },
    { HEAD RES("\"\"", "false", EXT1) TAIL, 0,
      "reservation 0: 'name' is not a domain name" },
    { HEAD RES("7", "false", EXT1) TAIL, 0,
      "reservation 0: 'name' is not a domain name" },
    { HEAD RES("\"a\\u0001b\"", "false", EXT1) TAIL, 0,
      "reservation 0: 'name' is not a domain name" },
    { HEAD RES("\"a\xff\"", "false", EXT1) TAIL, 0, "not valid JSON" },
    { HEAD RES("\"a\"", "\"no\"", EXT1) TAIL, 0,
      "reservation 0 ('a'): 'direct_map' is not true or false" },
    { HEAD "{\"name\":\"a\",\"direct_map\":false,\"extents\":{}}" TAIL, 0,
      "reservation 0 ('a'): 'extents' is not an array" },
    { HEAD RES("\"a\"", "false", ) TAIL, 0,
      "reservation 0 ('a'): 0 extents, not 1 to 128" },
    { HEAD RES("\"a\"", "false", "[]") TAIL, 0,
      "reservation 0 ('a'): extent 0: not an object" },
    { HEAD RES("\"a\"", "false",
               "{\"host\":\"0x0\",\"guest\":\"0x0\",\"size\":\"0x1000\","
               "\"node\":\"0x0\"}") TAIL, 0,
      "extent 0: unknown key 'node'" },
    { HEAD RES("\"a\"", "false", EXT("1610612736", "\"0x0\"", "\"0x1000\""))
      TAIL, 0, "extent 0: 'host' is not a string" },
    { HEAD RES("\"a\"", "false", EXT("\"60000000\"", "\"0x0\"",
                                     "\"0x1000\"")) TAIL, 0,
      "extent 0: 'host' is not a hex number: '60000000'" },
    { HEAD RES("\"a\"", "false", EXT("\"0X60000000\"", "\"0x0\"",
                                     "\"0x1000\"")) TAIL, 0,
      "'host' is not a hex number" },
    { HEAD RES("\"a\"", "false", EXT("\"0x\"", "\"0x0\"", "\"0x1000\""))
      TAIL, 0, "'host' is not a hex number: '0x'" },
    { HEAD RES("\"a\"", "false", EXT("\"0x6000g000\"", "\"0x0\"",
                                     "\"0x1000\"")) TAIL, 0,
      "'host' is not a hex number" },
    { HEAD RES("\"a\"", "false", EXT("\"0x0\"", "\"-0x1000\"",
                                     "\"0x1000\"")) TAIL, 0,
      "'guest' is not a hex number" },
    { HEAD RES("\"a\"", "false", EXT("\"0x0\"", "\"0x0\"",
                                     "\"0x10000000000000000\"")) TAIL, 0,
      "'size' is not a hex number" },
    { HEAD RES("\"a\"", "false", EXT("\"0x0\"", "\"0x0\"", "\" 0x1000\""))
      TAIL, 0, "'size' is not a hex number" },
    { HEAD RES("\"a\"", "false", EXT("\"0x1000\"", "\"0x0\"", "\"0x0\""))
      TAIL, 0, "reservation 0 ('a'): extent 0: size 0" },
    { HEAD RES("\"a\"", "false", EXT("\"0x1800\"", "\"0x0\"", "\"0x1000\""))
      TAIL, 0, "extent 0: not 4K aligned" },
    { HEAD RES("\"a\"", "false", EXT("\"0x1000\"", "\"0x0\"", "\"0x1001\""))
      TAIL, 0, "extent 0: not 4K aligned" },
    { HEAD RES("\"a\"", "false", EXT("\"0xfffff0000000\"", "\"0x0\"",
                                     "\"0x10001000\"")) TAIL, 0,
      "extent 0: past the 48-bit address limit" },
    { HEAD RES("\"a\"", "false", EXT("\"0x0\"", "\"0xfffffffffffff000\"",
                                     "\"0x2000\"")) TAIL, 0,
      "extent 0: past the 48-bit address limit" },
    { HEAD RES("\"a\"", "true", EXT1) TAIL, 0,
      "extent 0: direct-mapped but host 0x60000000 != guest 0x40000000" },
    { HEAD RES("\"a\"", "false",
               EXT("\"0x0\"", "\"0x0\"", "\"0x2000\"") ","
               EXT("\"0x1000\"", "\"0x4000\"", "\"0x1000\"")) TAIL, 0,
      "reservation 0 ('a'): extents 0 and 1 overlap in host memory" },
    { HEAD RES("\"a\"", "false",
               EXT("\"0x0\"", "\"0x0\"", "\"0x2000\"") ","
               EXT("\"0x4000\"", "\"0x1000\"", "\"0x1000\"")) TAIL, 0,
      "reservation 0 ('a'): extents 0 and 1 overlap in guest memory" },
    { HEAD RES("\"a\"", "false", EXT1) "," RES("\"b\"", "false",
      EXT("\"0x5ffff000\"", "\"0x0\"", "\"0x2000\"")) TAIL, 0,
      "reservations 'b' and 'a' overlap: 0x5ffff000-0x60001000 and "
      "0x60000000-0x60001000" },
    { HEAD RES("\"a\"", "false", EXT1) "," RES("\"a\"", "false",
      EXT("\"0x70000000\"", "\"0x0\"", "\"0x1000\"")) TAIL, 0,
      "duplicate reservation 'a'" },
};

START_TEST(test_bad_forms)
{
    const char *text = bad_cases[_i].text;
    size_t len = bad_cases[_i].len ? bad_cases[_i].len : strlen(text);
    struct lxs_registry reg;
    struct lxs_plan p = plan_of(drv_ext, 1, true);
    char *why = NULL;

    /* a registry that held something keeps it */
    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_set(&reg, "keep", &p), 0);
    ck_assert_int_eq(lxs_registry_from_data(&reg, text, len, &why),
                     -EBADMSG);
    ck_assert_ptr_nonnull(why);
    if (!strstr(why, bad_cases[_i].why))
        ck_abort_msg("message '%s' does not say '%s'", why,
                     bad_cases[_i].why);
    /* one line, lowercase start, no final stop */
    ck_assert_ptr_null(strchr(why, '\n'));
    ck_assert(why[strlen(why) - 1] != '.');
    ck_assert_uint_eq(reg.nr, 1);
    ck_assert_str_eq(reg.v[0].name, "keep");
    free(why);

    /* a NULL why_r is fine */
    ck_assert_int_eq(lxs_registry_from_data(&reg, text, len, NULL),
                     -EBADMSG);
    lxs_registry_close(&reg);
}
END_TEST

/* A reservation of @nr page-sized extents, allocated. */
static char *many_extents(int nr)
{
    char *text = malloc(64 + 64 * (size_t)nr);
    size_t len = 0;
    int i;

    ck_assert_ptr_nonnull(text);
    len += sprintf(text + len, HEAD "{\"name\":\"a\",\"direct_map\":true,"
                   "\"extents\":[");
    for (i = 0; i < nr; i++)
        len += sprintf(text + len, "%s{\"host\":\"0x%x\",\"guest\":"
                       "\"0x%x\",\"size\":\"0x1000\"}", i ? "," : "",
                       i << 12, i << 12);
    sprintf(text + len, "]}" TAIL);
    return text;
}

/* 128 extents are what a guest can have; 129 are refused. */
START_TEST(test_too_many_extents)
{
    struct lxs_registry reg;
    char *text, *why = NULL;

    lxs_registry_init(&reg);
    text = many_extents(LXS_MAX_GUEST_BANKS);
    ck_assert_int_eq(lxs_registry_from_data(&reg, text, strlen(text),
                                            &why), 0);
    ck_assert_uint_eq(reg.v[0].nr_ext, LXS_MAX_GUEST_BANKS);
    ck_assert_uint_eq(reg.v[0].ext[127].host, 127 << 12);
    lxs_registry_close(&reg);
    free(text);

    text = many_extents(LXS_MAX_GUEST_BANKS + 1);
    ck_assert_int_eq(lxs_registry_from_data(&reg, text, strlen(text),
                                            &why), -EBADMSG);
    ck_assert_str_eq(why, "reservation 0 ('a'): 129 extents, not 1 to 128");
    free(why);
    free(text);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Changes                                                             */

static char long_name[LXS_REGISTRY_NAME_MAX + 2];

static const struct {
    const char *name;       /* "L": long_name cut to the given length */
    size_t long_len;
    struct lxs_extent ext[2];
    size_t nr;
    bool direct_map;
    int rc;
} set_cases[] = {
    /* names */
    { NULL, 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, -EINVAL },
    { "", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, -EINVAL },
    { "L", LXS_REGISTRY_NAME_MAX, { { 0x1000, 0x1000, 0x1000 } }, 1, false,
      0 },
    { "L", LXS_REGISTRY_NAME_MAX + 1, { { 0x1000, 0x1000, 0x1000 } }, 1,
      false, -EINVAL },
    { "a\tb", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, -EINVAL },
    { "a\x7f", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, -EINVAL },
    { "d\xc3\xb3m", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, 0 },
    { "\xf0\x9f\x90\xa7", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, 0 },
    { "a\xc3(", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, -EINVAL },
    { "\xc0\xaf", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, -EINVAL },
    { "\xed\xa0\x80", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false,
      -EINVAL },
    { "\xf4\x90\x80\x80", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false,
      -EINVAL },
    { "a\xe2\x82", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, false, -EINVAL },
    /* extents */
    { "a", 0, { { 0 } }, 0, false, -EINVAL },
    { "a", 0, { { 0x1000, 0x1000, 0 } }, 1, false, -EINVAL },
    { "a", 0, { { 0x1800, 0x1000, 0x1000 } }, 1, false, -EINVAL },
    { "a", 0, { { 0x1000, 0x1001, 0x1000 } }, 1, false, -EINVAL },
    { "a", 0, { { 0x1000, 0x1000, 0xfff } }, 1, false, -EINVAL },
    { "a", 0, { { LXS_PADDR_LIMIT - 0x1000, 0, 0x1000 } }, 1, false, 0 },
    { "a", 0, { { LXS_PADDR_LIMIT - 0x1000, 0, 0x2000 } }, 1, false,
      -EINVAL },
    { "a", 0, { { LXS_PADDR_LIMIT, 0, 0x1000 } }, 1, false, -EINVAL },
    { "a", 0, { { 0, LXS_PADDR_LIMIT, 0x1000 } }, 1, false, -EINVAL },
    { "a", 0, { { UINT64_MAX - 0xfff, 0, 0x1000 } }, 1, false, -EINVAL },
    { "a", 0, { { 0x1000, 0x2000, 0x1000 } }, 1, true, -EINVAL },
    { "a", 0, { { 0x1000, 0x1000, 0x1000 } }, 1, true, 0 },
    { "a", 0, { { 0x1000, 0, 0x2000 }, { 0x2000, 0x4000, 0x1000 } }, 2,
      false, -EINVAL },
    { "a", 0, { { 0x1000, 0, 0x2000 }, { 0x4000, 0x1000, 0x1000 } }, 2,
      false, -EINVAL },
    { "a", 0, { { 0x1000, 0, 0x2000 }, { 0x3000, 0x2000, 0x1000 } }, 2,
      false, 0 },
};

START_TEST(test_set_checks)
{
    struct lxs_registry reg;
    struct lxs_extent ext[2];
    struct lxs_plan p;
    const char *name = set_cases[_i].name;
    char *data;
    size_t len;

    memset(long_name, 'n', sizeof(long_name) - 1);
    if (name && !strcmp(name, "L")) {
        long_name[set_cases[_i].long_len] = '\0';
        name = long_name;
    }
    memcpy(ext, set_cases[_i].ext, sizeof(ext));
    p = plan_of(ext, set_cases[_i].nr, set_cases[_i].direct_map);

    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_set(&reg, name, &p), set_cases[_i].rc);
    if (set_cases[_i].rc) {
        ck_assert_uint_eq(reg.nr, 0);
        ck_assert(!reg.dirty);
    } else {
        /* what set accepts, a file holds and gives back */
        ck_assert_uint_eq(reg.nr, 1);
        ck_assert_int_eq(lxs_registry_to_data(&reg, &data, &len), 0);
        lxs_registry_close(&reg);
        ck_assert_int_eq(lxs_registry_from_data(&reg, data, len, NULL), 0);
        ck_assert_str_eq(reg.v[0].name, name);
        ck_assert_mem_eq(reg.v[0].ext, ext, p.nr_ext * sizeof(*ext));
        free(data);
    }
    lxs_registry_close(&reg);
}
END_TEST

START_TEST(test_set_replace_remove)
{
    struct lxs_extent a1[] = { { 0x10000000, 0x40000000, 0x100000 } };
    struct lxs_extent a2[] = {
        { 0x10080000, 0x40000000, 0x100000 },   /* overlaps a1: its own */
        { 0x30000000, 0x40100000, 0x100000 },
    };
    struct lxs_extent b1[] = { { 0x20000000, 0x40000000, 0x100000 } };
    struct lxs_extent c1[] = { { 0x200ff000, 0x40000000, 0x2000 } };
    struct lxs_registry reg;
    struct lxs_plan p;

    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_remove(&reg, "a"), -ENOENT);
    ck_assert_int_eq(lxs_registry_remove(&reg, NULL), -ENOENT);
    ck_assert(!reg.dirty);

    p = plan_of(a1, 1, false);
    ck_assert_int_eq(lxs_registry_set(&reg, "zeta", &p), 0);
    p = plan_of(b1, 1, false);
    ck_assert_int_eq(lxs_registry_set(&reg, "b", &p), 0);
    /* a domain's new extents may overlap its old ones, not another's */
    p = plan_of(a2, 2, false);
    ck_assert_int_eq(lxs_registry_set(&reg, "zeta", &p), 0);
    ck_assert_uint_eq(reg.nr, 2);
    ck_assert_str_eq(reg.v[0].name, "b");
    ck_assert_str_eq(reg.v[1].name, "zeta");
    ck_assert_uint_eq(reg.v[1].nr_ext, 2);
    ck_assert_mem_eq(reg.v[1].ext, a2, sizeof(a2));
    p = plan_of(c1, 1, false);
    ck_assert_int_eq(lxs_registry_set(&reg, "c", &p), -EBUSY);
    ck_assert_uint_eq(reg.nr, 2);

    /* lxs_registry_conflict: half-open, the named domain excluded */
    ck_assert_ptr_eq(lxs_registry_conflict(&reg, NULL, 0x200ff000,
                                           0x20101000), &reg.v[0]);
    ck_assert_ptr_null(lxs_registry_conflict(&reg, "b", 0x200ff000,
                                             0x20101000));
    ck_assert_ptr_null(lxs_registry_conflict(&reg, NULL, 0x20100000,
                                             0x20200000));
    ck_assert_ptr_null(lxs_registry_conflict(&reg, NULL, 0x1ff00000,
                                             0x20000000));
    ck_assert_ptr_eq(lxs_registry_conflict(&reg, "b", 0x302ff000,
                                           0x30300000), NULL);
    ck_assert_ptr_eq(lxs_registry_conflict(&reg, "b", 0x300ff000,
                                           0x30100000), &reg.v[1]);

    ck_assert_int_eq(lxs_registry_remove(&reg, "b"), 0);
    ck_assert_int_eq(lxs_registry_remove(&reg, "b"), -ENOENT);
    ck_assert_uint_eq(reg.nr, 1);
    ck_assert_str_eq(reg.v[0].name, "zeta");
    /* now free */
    ck_assert_int_eq(lxs_registry_set(&reg, "c", &p), 0);
    ck_assert_str_eq(reg.v[0].name, "c");
    lxs_registry_close(&reg);
}
END_TEST

/* Each reserved extent becomes memory owned by its domain. */
START_TEST(test_hostmap)
{
    struct lxs_registry reg;
    struct lxs_hostmap map;
    unsigned long n;
    size_t i;
    int rc;

    lxs_registry_init(&reg);
    one_of_each(&reg);
    lxs_hostmap_init(&map);
    ck_assert_int_eq(lxs_hostmap_add(&map, LXS_REGION_RAM, 0x40000000,
                                     0xc0000000, 0, "/memory", NULL), 0);
    ck_assert_int_eq(lxs_hostmap_finish(&map), 0);

    /* every allocation can fail, and then the map is as it was */
    for (n = 1; ; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_registry_add_to_hostmap(&reg, &map);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert_uint_eq(map.nr, 1);
        ck_assert_uint_eq(map.ram.nr, 1);
        ck_assert_uint_eq(map.owned.nr, 0);
    }
    ck_assert_uint_gt(n, 3);

    ck_assert_uint_eq(map.nr, 4);
    ck_assert_uint_eq(map.owned.nr, 3);
    for (i = 1; i < map.nr; i++) {
        ck_assert_int_eq(map.v[i].kind, LXS_REGION_OWNED);
        ck_assert_str_eq(map.v[i].label, LXS_REGISTRY_LABEL);
    }
    /* owned is sorted by address; tags index the regions */
    ck_assert_uint_eq(map.owned.v[0].start, 0x60000000);
    ck_assert_uint_eq(map.owned.v[0].end, 0x70000000);
    ck_assert_str_eq(map.v[map.owned.v[0].tag].owner, "drv");
    ck_assert_uint_eq(map.owned.v[1].start, 0x80000000);
    ck_assert_uint_eq(map.owned.v[1].end, 0x80200000);
    ck_assert_str_eq(map.v[map.owned.v[1].tag].owner, "web");
    ck_assert_uint_eq(map.owned.v[2].start, UINT64_C(0xfffff0000000));
    ck_assert_uint_eq(map.owned.v[2].end, LXS_PADDR_LIMIT);
    ck_assert_str_eq(map.v[map.owned.v[2].tag].owner, "web");

    lxs_hostmap_dispose(&map);
    lxs_registry_close(&reg);
}
END_TEST

/* A failed set leaves the registry as it was. */
START_TEST(test_set_nomem)
{
    struct lxs_registry reg;
    struct lxs_plan p;
    unsigned long n;
    char name[16];
    int i, rc;

    lxs_registry_init(&reg);
    /* fill up to the array's capacity so that the next set grows it */
    for (i = 0; reg.nr == 0 || reg.nr < reg.alloc; i++) {
        struct lxs_extent e = { (uint64_t)(i + 1) << 20, 0, 0x1000 };

        p = plan_of(&e, 1, false);
        snprintf(name, sizeof(name), "d%03d", i);
        ck_assert_int_eq(lxs_registry_set(&reg, name, &p), 0);
    }
    reg.dirty = false;
    p = plan_of(web_ext, 2, false);
    for (n = 1; ; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_registry_set(&reg, "b", &p);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert_uint_eq(reg.nr, (size_t)i);
        ck_assert_ptr_null(lxs_registry_find(&reg, "b"));
        ck_assert(!reg.dirty);
    }
    ck_assert_uint_eq(n, 4);    /* name, extents, the array */
    ck_assert_uint_eq(reg.nr, (size_t)i + 1);
    ck_assert_str_eq(reg.v[0].name, "b");
    lxs_registry_close(&reg);
}
END_TEST

START_TEST(test_data_nomem)
{
    struct lxs_registry reg, back;
    char *data, *data2, *why;
    size_t len, len2;
    unsigned long n;
    int rc;

    lxs_registry_init(&reg);
    lxs_registry_init(&back);
    one_of_each(&reg);

    for (n = 1; ; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_registry_to_data(&reg, &data, &len);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
    }
    ck_assert_str_eq(data, golden);

    ck_assert_int_eq(lxs_registry_set(&back, "keep", &(struct lxs_plan){
                         .ext = drv_ext, .nr_ext = 1 }), 0);
    for (n = 1; ; n++) {
        why = NULL;
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_registry_from_data(&back, data, len, &why);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert_ptr_null(why);
        ck_assert_uint_eq(back.nr, 1);
        ck_assert_str_eq(back.v[0].name, "keep");
    }
    ck_assert_uint_gt(n, 5);
    assert_one_of_each(&back);
    ck_assert_int_eq(lxs_registry_to_data(&back, &data2, &len2), 0);
    ck_assert_str_eq(data2, golden);

    free(data);
    free(data2);
    lxs_registry_close(&reg);
    lxs_registry_close(&back);
}
END_TEST

Suite *registry_data_suite(void)
{
    return unit_suite("registry-data", UNIT_TCASE("format"),
                      UNIT_TESTS(test_round_trip),
                      UNIT_LOOP(test_good_forms, ARRAY_SIZE(good_cases)),
                      UNIT_LOOP(test_bad_forms, ARRAY_SIZE(bad_cases)),
                      UNIT_TESTS(test_too_many_extents, test_data_nomem),
                      UNIT_TCASE("changes"),
                      UNIT_LOOP(test_set_checks, ARRAY_SIZE(set_cases)),
                      UNIT_TESTS(test_set_replace_remove, test_set_nomem,
                                 test_hostmap),
                      NULL);
}
