/*
 * test-registry: unit tests of the reservation registry: the file
 * format, changes, commits, locking, and processes that crash or race.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry_tests.h"

char *tmpdir_new(void)
{
    const char *base = getenv("TMPDIR");
    char *dir;

    if (!base || !*base)
        base = "/tmp";
    ck_assert_int_gt(asprintf(&dir, "%s/test-registry.XXXXXX", base), 0);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

void tmpdir_remove(char *dir)
{
    if (!dir)
        return;
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

char *path_join(const char *dir, const char *name)
{
    char *p;

    ck_assert_int_gt(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

char *file_read(const char *path, size_t *len_r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f;
    int c;

    f = fopen(path, "r");
    if (!f)
        return NULL;
    buf = malloc(1);
    ck_assert_ptr_nonnull(buf);
    while ((c = fgetc(f)) != EOF) {
        buf = realloc(buf, len + 2);
        ck_assert_ptr_nonnull(buf);
        buf[len++] = (char)c;
    }
    buf[len] = '\0';
    fclose(f);
    if (len_r)
        *len_r = len;
    return buf;
}

void file_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

bool file_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

struct lxs_plan plan_of(struct lxs_extent *ext, size_t nr, bool direct_map)
{
    struct lxs_plan p;

    memset(&p, 0, sizeof(p));
    p.ext = ext;
    p.nr_ext = nr;
    p.direct_map = direct_map;
    return p;
}

#define STATE_COUNTER_BASE UINT64_C(0x100000000)
#define STATE_DOM_BASE UINT64_C(0x80000000)

int state_fill(struct lxs_registry *reg, unsigned long k)
{
    struct lxs_extent e = {
        STATE_COUNTER_BASE + (uint64_t)k * LXS_PAGE_SIZE, 0x40000000,
        LXS_PAGE_SIZE
    };
    struct lxs_plan p = plan_of(&e, 1, false);
    char name[16];
    unsigned long i;
    int rc;

    while (reg->nr) {
        rc = lxs_registry_remove(reg, reg->v[0].name);
        if (rc)
            return rc;
    }
    rc = lxs_registry_set(reg, "counter", &p);
    for (i = 0; !rc && i < k % 4; i++) {
        e.host = STATE_DOM_BASE + i * 0x10000000 + (k % 7) * 0x200000;
        e.guest = 0x40000000;
        e.size = 0x200000 * (1 + k % 3);
        snprintf(name, sizeof(name), "dom%lu", i);
        rc = lxs_registry_set(reg, name, &p);
    }
    return rc;
}

long state_counter(const struct lxs_registry *reg)
{
    const struct lxs_reservation *r = lxs_registry_find(reg, "counter");

    if (!r || r->nr_ext != 1)
        return -1;
    return (long)((r->ext[0].host - STATE_COUNTER_BASE) / LXS_PAGE_SIZE);
}

int main(void)
{
    return unit_run(registry_data_suite(),
                    registry_fs_suite(),
                    registry_plan_suite(),
                    registry_proc_suite(), NULL);
}
