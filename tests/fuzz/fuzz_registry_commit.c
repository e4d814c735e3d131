/*
 * fuzz-registry-commit: the registry writer against its own reader, at
 * the size limit.  The input builds reservations (names of any bytes,
 * long names, up to LXS_MAX_GUEST_BANKS extents each) in a registry
 * opened for writing in a temporary state directory, and commits them.
 * Each commit either
 *   - succeeds, and the file is exactly lxs_registry_to_data()'s text,
 *     at most the limit, and reopening the directory reads back the same
 *     reservations (names, direct_map, extents); or
 *   - is refused with -EFBIG and a one-line message, exactly when that
 *     text is larger than the limit, the previous file byte for byte as
 *     it was and no temporary file left.
 * The writer never writes a file its reader refuses.  To reach the limit
 * with inputs of a few KiB, the first two bytes set the limit of reader
 * and writer (lxs__registry_max_size, test-only) to 128 to 262,268
 * bytes; a registry file's limit in the product is 16 MiB (the unit
 * tests test_commit_over_limit and test_open_too_big of
 * tests/unit/registry/test_fs.c refuse files over that size).
 *
 * Input after the two bytes: records of
 *   flags  bit 0 direct_map, bit 1 remove the name instead, bit 2
 *          commit after this record, bit 3 long name (the name bytes
 *          repeated to 200-300 bytes), bit 4 restart the host addresses
 *          (the extents may then overlap another's: -EBUSY, as
 *          checked here), bit 5 guest
 *          addresses offset from host (refused with direct_map)
 *   len    name length, then len name bytes (a NUL ends the name early)
 *   nr     number of extents (nr % 130: 0 and 129 are refused)
 *   step   extent size in pages (1 + step), gaps of step pages
 * and a final commit.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "lxs_internal.h"

#define MAX_COMMITS 6

static char dir[64], file[128], tmp_file[128];

static void cleanup(void)
{
    char lock[128];

    snprintf(lock, sizeof(lock), "%s/%s", dir, LXS_REGISTRY_LOCK);
    unlink(file);
    unlink(tmp_file);
    unlink(lock);
    rmdir(dir);
}

static void setup(void)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

    if (dir[0])
        return;
    snprintf(dir, sizeof(dir), "%s/fuzz-registry-XXXXXX", base);
    if (!mkdtemp(dir))
        fz_fail("mkdtemp: %s", strerror(errno));
    snprintf(file, sizeof(file), "%s/%s", dir, LXS_REGISTRY_FILE);
    snprintf(tmp_file, sizeof(tmp_file), "%s/%s.tmp", dir, LXS_REGISTRY_FILE);
    atexit(cleanup);
}

/* The file's bytes, or NULL (and *len_r 0) when there is none. */
static char *slurp(const char *path, size_t *len_r)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = lxs_file_read(path, SIZE_MAX / 2, &buf, &len);

    if (rc == -ENOENT) {
        *len_r = 0;
        return NULL;
    }
    FZ_ASSERT(rc == 0, "cannot read '%s': %d", path, rc);
    *len_r = len;
    return buf;
}

static void same_registry(const struct lxs_registry *a,
                          const struct lxs_registry *b, const char *what)
{
    size_t i;

    FZ_ASSERT(a->nr == b->nr, "%s: %zu reservations, %zu read back", what,
              a->nr, b->nr);
    for (i = 0; i < a->nr; i++) {
        const struct lxs_reservation *x = &a->v[i], *y = &b->v[i];

        FZ_ASSERT(!strcmp(x->name, y->name), "%s: name %zu differs", what,
                  i);
        FZ_ASSERT(x->direct_map == y->direct_map && x->nr_ext == y->nr_ext &&
                  !memcmp(x->ext, y->ext, x->nr_ext * sizeof(*x->ext)),
                  "%s: the reservation of '%s' differs", what, x->name);
    }
}

static void open_write(struct lxs_registry *reg)
{
    char *why = NULL;
    int rc;

    lxs_registry_init(reg);
    rc = lxs_registry_open(reg, dir, LXS_REGISTRY_WRITE, &why);
    FZ_ASSERT(rc == 0, "the writer's file does not open: %d (%s)", rc,
              why ? why : "");
    free(why);
}

/* Commits @reg and checks the contract; @reg is reopened after. */
static void commit(struct lxs_registry *reg, uint64_t limit)
{
    struct lxs_registry again;
    char *text = NULL, *before, *after, *why = NULL;
    size_t len = 0, before_len, after_len;
    int rc;

    rc = lxs_registry_to_data(reg, &text, &len);
    FZ_ASSERT(rc == 0, "lxs_registry_to_data: %d", rc);
    before = slurp(file, &before_len);
    rc = lxs_registry_commit(reg, &why);
    after = slurp(file, &after_len);
    FZ_ASSERT(access(tmp_file, F_OK) != 0, "a temporary file is left "
              "(commit %d)", rc);
    if (reg->nr && len > limit) {
        FZ_ASSERT(rc == -EFBIG, "a registry of %zu bytes over the limit "
                  "%" PRIu64 " committed: %d", len, limit, rc);
        fz_check_message(why, "lxs_registry_commit");
        FZ_ASSERT(before_len == after_len && (!before_len ||
                  !memcmp(before, after, before_len)) &&
                  !before == !after,
                  "a refused commit changed the file");
        FZ_ASSERT(reg->dirty, "a refused commit is not dirty any more");
        /* what is on disk is the last state committed */
        lxs_registry_close(reg);
        open_write(reg);
        free(text);
        rc = lxs_registry_to_data(reg, &text, &len);
        FZ_ASSERT(rc == 0, "lxs_registry_to_data: %d", rc);
        FZ_ASSERT(!before || (len == before_len &&
                  !memcmp(text, before, len)),
                  "the file read back serialises differently");
        FZ_ASSERT(before || !reg->nr, "no file, but reservations");
    } else {
        FZ_ASSERT(rc == 0, "commit of %zu bytes (limit %" PRIu64 "): %d "
                  "(%s)", len, limit, rc, why ? why : "");
        FZ_ASSERT(!why, "a message on success");
        FZ_ASSERT(!reg->dirty, "dirty after a commit");
        if (!reg->nr)
            FZ_ASSERT(!after, "an empty registry left a file");
        else
            FZ_ASSERT(after && after_len == len &&
                      !memcmp(after, text, len),
                      "the file is not what lxs_registry_to_data gives");
        /* the reader takes it and reads back the same */
        if (after) {
            lxs_registry_init(&again);
            rc = lxs_registry_from_data(&again, after, after_len, &why);
            FZ_ASSERT(rc == 0, "the reader refuses the writer's file: %d "
                      "(%s)", rc, why ? why : "");
            same_registry(reg, &again, "read back");
            lxs_registry_close(&again);
        }
        lxs_registry_close(reg);
        /* exactly at the limit: opens; one byte more than the limit: -EFBIG */
        if (after) {
            lxs__registry_max_size = after_len;
            open_write(reg);
            lxs_registry_close(reg);
            lxs__registry_max_size = after_len - 1;
            lxs_registry_init(reg);
            rc = lxs_registry_open(reg, dir, LXS_REGISTRY_WRITE, &why);
            FZ_ASSERT(rc == -EFBIG, "a file over the limit opens: %d", rc);
            fz_check_message(why, "lxs_registry_open");
            free(why);
            why = NULL;
            lxs__registry_max_size = limit;
        }
        open_write(reg);
        free(text);
        rc = lxs_registry_to_data(reg, &text, &len);
        FZ_ASSERT(rc == 0 && (!after ? !reg->nr : len == after_len &&
                  !memcmp(text, after, len)),
                  "the reopened registry serialises differently");
    }
    free(why);
    free(text);
    free(before);
    free(after);
}

/* Does an extent of @ext overlap a reservation of another name? */
static bool overlaps_other(const struct lxs_registry *reg, const char *name,
                           const struct lxs_extent *ext, size_t nr)
{
    size_t i, j, k;

    for (i = 0; i < reg->nr; i++) {
        const struct lxs_reservation *r = &reg->v[i];

        if (!strcmp(r->name, name))
            continue;
        for (j = 0; j < r->nr_ext; j++)
            for (k = 0; k < nr; k++)
                if (ext[k].host < r->ext[j].host + r->ext[j].size &&
                    r->ext[j].host < ext[k].host + ext[k].size)
                    return true;
    }
    return false;
}

static bool strict_name_ok(const char *s)
{
    size_t n, len = strlen(s);

    if (!len || len > LXS_REGISTRY_NAME_MAX)
        return false;
    for (; *s; s += n) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
        n = lxs_utf8_char(s);
        if (!n)
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lxs_extent ext[LXS_MAX_GUEST_BANKS + 2];
    struct lxs_registry reg;
    uint64_t limit, host = LXS_PAGE_SIZE;
    size_t pos = 2, commits = 0;

    if (size < 2)
        return 0;
    setup();
    limit = 128 + ((uint64_t)(data[0] | data[1] << 8) << 2);
    lxs__registry_max_size = LXS_REGISTRY_MAX_SIZE;
    unlink(file);
    unlink(tmp_file);
    lxs__registry_max_size = limit;
    open_write(&reg);
    FZ_ASSERT(reg.nr == 0, "a fresh state directory has reservations");

    while (pos + 2 <= size) {
        char name[512];
        struct lxs_plan plan;
        uint8_t flags = data[pos++], len = data[pos++];
        size_t n = 0, i, nr;
        uint64_t step;
        int rc, want;

        for (i = 0; i < len && pos < size && data[pos]; i++)
            name[n++] = (char)data[pos++];
        pos += i < len && pos < size;   /* the NUL that ended it */
        if ((flags & 8) && n) {
            size_t want_len = 200 + (len % 101), k = n;

            for (; k < want_len; k++)
                name[k] = name[k % n];
            n = want_len;
        }
        name[n] = '\0';

        if (flags & 2) {
            rc = lxs_registry_remove(&reg, name);
            FZ_ASSERT(rc == 0 || rc == -ENOENT, "lxs_registry_remove: %d",
                      rc);
            FZ_ASSERT(!lxs_registry_find(&reg, name), "removed, found");
        } else {
            nr = pos < size ? data[pos++] % 130 : 1;
            step = pos < size ? data[pos++] : 0;
            if (flags & 16)
                host = LXS_PAGE_SIZE;
            for (i = 0; i < nr; i++) {
                ext[i].host = host;
                ext[i].guest = host + ((flags & 32) ? LXS_PAGE_SIZE : 0);
                ext[i].size = (1 + step) * LXS_PAGE_SIZE;
                host += (1 + 2 * step) * LXS_PAGE_SIZE;
            }
            lxs_plan_init(&plan);
            plan.direct_map = flags & 1;
            plan.ext = ext;
            plan.nr_ext = nr;
            want = !strict_name_ok(name) || !nr ||
                   nr > LXS_MAX_GUEST_BANKS ||
                   ((flags & 33) == 33) ||
                   ext[nr ? nr - 1 : 0].guest + ext[nr ? nr - 1 : 0].size >
                   LXS_PADDR_LIMIT ? -EINVAL : 0;
            if (!want && overlaps_other(&reg, name, ext, nr))
                want = -EBUSY;
            rc = lxs_registry_set(&reg, name, &plan);
            FZ_ASSERT(rc == want, "lxs_registry_set('%s', %zu extents, "
                      "flags %#x): %d, expected %d", name, nr, flags, rc,
                      want);
            if (!rc) {
                const struct lxs_reservation *r =
                    lxs_registry_find(&reg, name);

                FZ_ASSERT(r && lxs_reservation_is(r, &plan),
                          "'%s' not recorded as set", name);
            }
        }
        if ((flags & 4) && commits < MAX_COMMITS) {
            commit(&reg, limit);
            commits++;
        }
    }
    if (reg.dirty)
        commit(&reg, limit);
    lxs_registry_close(&reg);
    return 0;
}
