/*
 * fuzz-registry: the reservation registry reader
 * (lxs_registry_from_data), then what the commands do with a registry
 * that reads: serialise it and read it back (the same file, byte for
 * byte: the format is canonical), add it to a host map, record and end
 * a reservation.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define MIB(x) ((uint64_t)(x) << 20)

static void check_registry(const struct lxs_registry *reg)
{
    size_t i, j;

    for (i = 0; i < reg->nr; i++) {
        const struct lxs_reservation *r = &reg->v[i];

        FZ_ASSERT(r->name && *r->name, "reservation %zu: no name", i);
        FZ_ASSERT(strlen(r->name) <= LXS_REGISTRY_NAME_MAX,
                  "reservation %zu: name of %zu bytes", i, strlen(r->name));
        FZ_ASSERT(!i || strcmp(reg->v[i - 1].name, r->name) < 0,
                  "reservations not sorted by unique name at %zu", i);
        FZ_ASSERT(r->nr_ext >= 1 && r->nr_ext <= LXS_MAX_GUEST_BANKS,
                  "reservation '%s': %zu extents", r->name, r->nr_ext);
        for (j = 0; j < r->nr_ext; j++) {
            const struct lxs_extent *e = &r->ext[j];

            FZ_ASSERT(e->size && e->host + e->size > e->host &&
                      e->host + e->size <= LXS_PADDR_LIMIT &&
                      !((e->host | e->guest | e->size) &
                        (LXS_PAGE_SIZE - 1)),
                      "reservation '%s': bad extent %zu", r->name, j);
            FZ_ASSERT(!r->direct_map || e->host == e->guest,
                      "reservation '%s': direct-mapped extent %zu with "
                      "host != guest", r->name, j);
            FZ_ASSERT(lxs_registry_conflict(reg, r->name, e->host,
                                            e->host + e->size) == NULL,
                      "reservation '%s' overlaps another", r->name);
        }
        FZ_ASSERT(lxs_registry_find(reg, r->name) == r,
                  "lxs_registry_find('%s') misses it", r->name);
    }
}

static void round_trip(const struct lxs_registry *reg)
{
    struct lxs_registry again;
    char *text = NULL, *text2 = NULL, *why = NULL;
    size_t len = 0, len2 = 0;
    int rc;

    rc = lxs_registry_to_data(reg, &text, &len);
    FZ_ASSERT(rc == 0, "lxs_registry_to_data: %d", rc);
    FZ_ASSERT(strlen(text) == len, "serialised length %zu, strlen %zu", len,
              strlen(text));
    lxs_registry_init(&again);
    rc = lxs_registry_from_data(&again, text, len, &why);
    FZ_ASSERT(rc == 0, "a serialised registry does not read back: %d (%s)",
              rc, why ? why : "");
    FZ_ASSERT(again.nr == reg->nr, "%zu reservations read back as %zu",
              reg->nr, again.nr);
    rc = lxs_registry_to_data(&again, &text2, &len2);
    FZ_ASSERT(rc == 0 && len == len2 && !memcmp(text, text2, len),
              "serialising twice gives two files");
    lxs_registry_close(&again);
    free(text);
    free(text2);
}

static void use(struct lxs_registry *reg)
{
    struct lxs_extent ext = { 0x50000000, 0x50000000, MIB(16) };
    struct lxs_plan plan;
    struct lxs_hostmap map;
    size_t i, total = 0;
    const struct lxs_reservation *other;
    int rc;

    lxs_hostmap_init(&map);
    rc = lxs_registry_add_to_hostmap(reg, &map);
    FZ_ASSERT(rc == 0, "lxs_registry_add_to_hostmap: %d", rc);
    for (i = 0; i < reg->nr; i++)
        total += reg->v[i].nr_ext;
    FZ_ASSERT(map.nr == total && map.owned.nr == total,
              "%zu extents became %zu regions", total, map.nr);
    lxs_hostmap_dispose(&map);

    /* a new domain: recorded unless its extent is another's */
    lxs_plan_init(&plan);
    plan.direct_map = true;
    plan.ext = &ext;
    plan.nr_ext = 1;
    other = lxs_registry_conflict(reg, "fuzz-new", ext.host,
                                  ext.host + ext.size);
    rc = lxs_registry_set(reg, "fuzz-new", &plan);
    FZ_ASSERT(rc == (other ? -EBUSY : 0), "lxs_registry_set: %d, conflict "
              "with '%s'", rc, other ? other->name : "(none)");
    check_registry(reg);
    if (reg->nr) {
        char *name = strdup(reg->v[0].name);

        if (!name)
            fz_fail("out of memory");
        rc = lxs_registry_remove(reg, name);
        FZ_ASSERT(rc == 0, "lxs_registry_remove('%s'): %d", name, rc);
        FZ_ASSERT(!lxs_registry_find(reg, name), "'%s' is still there",
                  name);
        free(name);
    }
    check_registry(reg);
    round_trip(reg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lxs_extent keep_ext = { 0x1000, 0x1000, 0x1000 };
    struct lxs_registry reg;
    struct lxs_plan keep;
    char *why = NULL;
    int rc;

    /* a registry that held something keeps it when the read fails */
    lxs_registry_init(&reg);
    lxs_plan_init(&keep);
    keep.direct_map = true;
    keep.ext = &keep_ext;
    keep.nr_ext = 1;
    if (lxs_registry_set(&reg, "keep", &keep))
        fz_fail("cannot set up the registry");

    rc = lxs_registry_from_data(&reg, (const char *)data, size, &why);
    FZ_ASSERT(rc == 0 || rc == -EBADMSG, "lxs_registry_from_data: %d", rc);
    if (rc) {
        fz_check_message(why, "lxs_registry_from_data");
        FZ_ASSERT(reg.nr == 1 && !strcmp(reg.v[0].name, "keep"),
                  "the registry changed on a failed read");
    } else {
        FZ_ASSERT(!why, "a message on success");
        check_registry(&reg);
        round_trip(&reg);
        use(&reg);
    }
    free(why);
    lxs_registry_close(&reg);
    return 0;
}
