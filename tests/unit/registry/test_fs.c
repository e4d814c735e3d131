/*
 * The registry on disk: opening (missing, created, corrupt), commits and
 * what a failure at each of their steps leaves, and the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libxlstatic.h"
#include "lxs_internal.h"
#include "registry_tests.h"

static char *dir, *file, *lock, *tmp;

static void setup(void)
{
    dir = tmpdir_new();
    file = path_join(dir, LXS_REGISTRY_FILE);
    lock = path_join(dir, LXS_REGISTRY_LOCK);
    tmp = path_join(dir, LXS_REGISTRY_FILE ".tmp");
}

static void teardown(void)
{
    lxs__io_fail_at = 0;
    lxs__io_fail_errno = 0;
    lxs__alloc_fail_at = 0;
    free(file);
    free(lock);
    free(tmp);
    tmpdir_remove(dir);
}

static struct lxs_extent ext_a[] = { { 0x60000000, 0x40000000, 0x200000 } };
static struct lxs_extent ext_b[] = { { 0x70000000, 0x70000000, 0x400000 } };

/* Opens the registry of dir into @reg, which holds nothing, or fails. */
static void open_ok(struct lxs_registry *reg, unsigned int flags)
{
    lxs_registry_init(reg);
    ck_assert_int_eq(lxs_registry_open(reg, dir, flags, NULL), 0);
}

/* The registry of dir, read again, holds @nr reservations. */
static void assert_reads(size_t nr)
{
    struct lxs_registry reg;

    open_ok(&reg, 0);
    ck_assert_uint_eq(reg.nr, nr);
    lxs_registry_close(&reg);
}

/* Writes a registry holding "a" (and "b" when @with_b) through a commit. */
static void write_registry(bool with_b)
{
    struct lxs_registry reg;
    struct lxs_plan p;

    open_ok(&reg, LXS_REGISTRY_WRITE);
    while (reg.nr)
        ck_assert_int_eq(lxs_registry_remove(&reg, reg.v[0].name), 0);
    p = plan_of(ext_a, 1, false);
    ck_assert_int_eq(lxs_registry_set(&reg, "a", &p), 0);
    if (with_b) {
        p = plan_of(ext_b, 1, true);
        ck_assert_int_eq(lxs_registry_set(&reg, "b", &p), 0);
    }
    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
    lxs_registry_close(&reg);
}

/* True when nobody holds a lock on the lock file. */
static bool lock_free(void)
{
    int fd = open(lock, O_RDWR);
    bool ok;

    if (fd < 0)
        return true;
    ok = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd);
    return ok;
}

START_TEST(test_open_missing)
{
    struct lxs_registry reg;
    char *sub = path_join(dir, "no/such");
    char *why = NULL;

    /* a reader neither creates nor needs anything */
    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_open(&reg, sub, 0, &why), 0);
    ck_assert_ptr_null(why);
    ck_assert_uint_eq(reg.nr, 0);
    ck_assert_str_eq(reg.dir, sub);
    ck_assert_int_eq(reg.lock_fd, -1);
    ck_assert(!file_exists(sub));
    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), -EBADF);
    ck_assert_int_eq(lxs_registry_remove(&reg, "a"), -EBADF);
    lxs_registry_close(&reg);

    /* an existing directory without a file: empty, nothing created */
    open_ok(&reg, 0);
    ck_assert_uint_eq(reg.nr, 0);
    ck_assert_int_eq(reg.lock_fd, -1);
    ck_assert(!file_exists(file));
    ck_assert(!file_exists(lock));
    lxs_registry_close(&reg);

    /* with a lock file (a writer has been there), a reader locks */
    write_registry(false);
    open_ok(&reg, 0);
    ck_assert_uint_eq(reg.nr, 1);
    ck_assert_int_ge(reg.lock_fd, 0);
    lxs_registry_close(&reg);

    /* bad arguments */
    ck_assert_int_eq(lxs_registry_open(&reg, NULL, 0, NULL), -EINVAL);
    ck_assert_int_eq(lxs_registry_open(&reg, "", 0, NULL), -EINVAL);
    ck_assert_int_eq(lxs_registry_open(&reg, dir, 4, NULL), -EINVAL);
    open_ok(&reg, 0);
    ck_assert_int_eq(lxs_registry_open(&reg, dir, 0, NULL), -EINVAL);
    lxs_registry_close(&reg);
    free(sub);
}
END_TEST

START_TEST(test_write_creates)
{
    struct lxs_registry reg, back;
    char *sub = path_join(dir, "var/lib/xen/static-mem");
    char *subfile = path_join(sub, LXS_REGISTRY_FILE);
    char *data, *expect;
    size_t len, elen;
    struct lxs_plan p;
    struct stat st;
    mode_t old;

    lxs_registry_init(&reg);
    lxs_registry_init(&back);
    old = umask(077);
    ck_assert_int_eq(lxs_registry_open(&reg, sub, LXS_REGISTRY_WRITE, NULL),
                     0);
    ck_assert_int_eq(stat(sub, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
    /* nothing changed: nothing written */
    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
    ck_assert(!file_exists(subfile));

    p = plan_of(ext_a, 1, false);
    ck_assert_int_eq(lxs_registry_set(&reg, "a", &p), 0);
    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
    ck_assert(!reg.dirty);
    umask(old);

    ck_assert_int_eq(stat(subfile, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0644);
    data = file_read(subfile, &len);
    ck_assert_int_eq(lxs_registry_to_data(&reg, &expect, &elen), 0);
    ck_assert_str_eq(data, expect);
    lxs_registry_close(&reg);

    ck_assert_int_eq(lxs_registry_open(&back, sub, 0, NULL), 0);
    ck_assert_uint_eq(back.nr, 1);
    ck_assert_str_eq(back.v[0].name, "a");
    ck_assert_mem_eq(back.v[0].ext, ext_a, sizeof(ext_a));
    lxs_registry_close(&back);

    free(data);
    free(expect);
    free(subfile);
    free(sub);
}
END_TEST

/* An open for writing that changes nothing leaves the very same file. */
START_TEST(test_unchanged)
{
    struct lxs_registry reg;
    struct stat st1, st2;
    struct lxs_plan p;
    char *before, *after;

    write_registry(true);
    ck_assert_int_eq(stat(file, &st1), 0);
    before = file_read(file, NULL);

    open_ok(&reg, LXS_REGISTRY_WRITE);
    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
    /* a change that is dropped by close */
    ck_assert_int_eq(lxs_registry_remove(&reg, "a"), 0);
    p = plan_of(ext_a, 1, true);
    ck_assert_int_eq(lxs_registry_set(&reg, "c", &p), -EINVAL);
    lxs_registry_close(&reg);

    ck_assert_int_eq(stat(file, &st2), 0);
    ck_assert_uint_eq(st1.st_ino, st2.st_ino);
    after = file_read(file, NULL);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
}
END_TEST

/* Releasing the last reservation removes the file: as before the first. */
START_TEST(test_commit_empty)
{
    struct lxs_registry reg;
    char *old, *now, *why = NULL;

    write_registry(true);
    old = file_read(file, NULL);
    open_ok(&reg, LXS_REGISTRY_WRITE);
    ck_assert_int_eq(lxs_registry_remove(&reg, "a"), 0);
    ck_assert_int_eq(lxs_registry_remove(&reg, "b"), 0);

    /* the unlink fails: the file stays as it was */
    lxs__io_count = 0;
    lxs__io_fail_at = 1;
    ck_assert_int_eq(lxs_registry_commit(&reg, &why), -EIO);
    lxs__io_fail_at = 0;
    ck_assert_ptr_nonnull(strstr(why, "cannot remove"));
    free(why);
    ck_assert(reg.dirty);
    now = file_read(file, NULL);
    ck_assert_str_eq(now, old);
    free(now);

    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
    ck_assert(!reg.dirty);
    ck_assert(!file_exists(file));
    ck_assert(file_exists(lock));
    lxs_registry_close(&reg);
    assert_reads(0);
    free(old);
}
END_TEST

static const struct {
    const char *content;        /* NULL: make it a directory */
    int rc;
    const char *why;
} corrupt_cases[] = {
    { "", -EBADMSG, "empty file" },
    { "{\"version\": 1, \"reserv", -EBADMSG, "premature EOF" },
    { "{\"version\": 3, \"reservations\": []}", -EBADMSG,
      "unsupported version 3" },
    { NULL, -EBADMSG, "is not a regular file" },
    /* yajl would read the name as "a": a different, shorter name */
    { "{\"version\": 1, \"reservations\": [{\"name\": \"a\\u0000b\", "
      "\"direct_map\": true, \"extents\": [{\"host\": \"0x1000\", "
      "\"guest\": \"0x1000\", \"size\": \"0x1000\"}]}]}", -EBADMSG,
      "NUL character" },
};

/* A FIFO as the registry or its lock: refused at once, never waited on. */
START_TEST(test_open_fifo)
{
    struct lxs_registry reg;
    unsigned int flags[] = { 0, LXS_REGISTRY_WRITE };
    char *why = NULL;
    size_t i;

    ck_assert_int_eq(mkfifo(_i ? lock : file, 0644), 0);
    alarm(10);                  /* a blocked open fails the test */
    for (i = 0; i < ARRAY_SIZE(flags); i++) {
        lxs_registry_init(&reg);
        ck_assert_int_lt(lxs_registry_open(&reg, dir, flags[i], &why), 0);
        ck_assert_ptr_nonnull(why);
        ck_assert_ptr_nonnull(strstr(why, "not a regular file"));
        free(why);
        why = NULL;
        ck_assert_ptr_null(reg.dir);
    }
    alarm(0);
}
END_TEST

/*
 * A commit the reader would refuse (larger than its limit) is refused:
 * -EFBIG, the old file as it was and no temporary file.
 */
START_TEST(test_commit_over_limit)
{
    struct lxs_registry reg;
    struct lxs_plan p = plan_of(ext_a, 1, false);
    uint64_t a = UINT64_C(0x100000000000);
    char *why = NULL, *before, *after;
    size_t n, i, len, len2;
    struct stat st;
    FILE *f;

    /* 8 MiB written compactly: more than 16 MiB in the writer's layout */
    f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"version\":1,\"reservations\":[", f);
    for (n = 0; n < 1000; n++) {
        fprintf(f, "%s{\"name\":\"r%05zu\",\"direct_map\":true,"
                "\"extents\":[", n ? "," : "", n);
        for (i = 0; i < LXS_MAX_GUEST_BANKS; i++, a += 0x2000)
            fprintf(f, "%s{\"host\":\"0x%" PRIx64 "\",\"guest\":\"0x%"
                    PRIx64 "\",\"size\":\"0x1000\"}", i ? "," : "", a, a);
        fputs("]}", f);
    }
    fputs("]}\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(lxs_file_read(file, LXS_REGISTRY_MAX_SIZE, &before,
                                   &len), 0);

    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_open(&reg, dir, LXS_REGISTRY_WRITE, &why),
                     0);
    ck_assert_int_eq(lxs_registry_set(&reg, "a", &p), 0);
    ck_assert_int_eq(lxs_registry_commit(&reg, &why), -EFBIG);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_nonnull(strstr(why, "more than the 16777216"));
    free(why);
    lxs_registry_close(&reg);
    ck_assert_int_eq(lxs_file_read(file, LXS_REGISTRY_MAX_SIZE, &after,
                                   &len2), 0);
    ck_assert(len == len2 && !memcmp(after, before, len));
    free(after);
    free(before);
    ck_assert_int_eq(stat(tmp, &st), -1);
}
END_TEST

/* What a writer creates has the documented modes under any umask. */
START_TEST(test_modes_umask)
{
    struct lxs_registry reg;
    char *sub = path_join(dir, "a/b");
    char *sublock = path_join(sub, LXS_REGISTRY_LOCK);
    char *subfile = path_join(sub, LXS_REGISTRY_FILE);
    struct lxs_plan p = plan_of(ext_a, 1, false);
    struct stat st;
    mode_t old = umask(077);

    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_open(&reg, sub, LXS_REGISTRY_WRITE, NULL),
                     0);
    ck_assert_int_eq(lxs_registry_set(&reg, "a", &p), 0);
    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
    lxs_registry_close(&reg);
    umask(old);
    ck_assert_int_eq(stat(sub, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0755);
    ck_assert_int_eq(stat(sublock, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0644);
    ck_assert_int_eq(stat(subfile, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0644);
    unlink(subfile);
    unlink(sublock);
    rmdir(sub);
    *strrchr(sub, '/') = '\0';
    ck_assert_int_eq(stat(sub, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0755);
    rmdir(sub);
    free(sub);
    free(sublock);
    free(subfile);
}
END_TEST

/* A file larger than 16 MiB is not read at all. */
START_TEST(test_open_too_big)
{
    struct lxs_registry reg;
    char *why = NULL;
    FILE *f;

    f = fopen(file, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, (16 << 20) + 1, SEEK_SET), 0);
    ck_assert_int_eq(fputc('}', f), '}');
    ck_assert_int_eq(fclose(f), 0);
    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_open(&reg, dir, 0, &why), -EFBIG);
    ck_assert_ptr_nonnull(strstr(why, "is larger than 16777216 bytes"));
    free(why);
    ck_assert_ptr_null(reg.dir);
}
END_TEST

/* A malformed file is refused to readers and writers and never touched. */
START_TEST(test_open_corrupt)
{
    struct lxs_registry reg;
    const char *content = corrupt_cases[_i].content;
    unsigned int flags[] = { 0, LXS_REGISTRY_WRITE };
    char *why, *after;
    size_t i;

    if (content)
        file_write(file, content, strlen(content));
    else
        ck_assert_int_eq(mkdir(file, 0755), 0);
    lxs_registry_init(&reg);
    for (i = 0; i < ARRAY_SIZE(flags); i++) {
        why = NULL;
        ck_assert_int_eq(lxs_registry_open(&reg, dir, flags[i], &why),
                         corrupt_cases[_i].rc);
        ck_assert_ptr_nonnull(why);
        if (!strstr(why, corrupt_cases[_i].why))
            ck_abort_msg("message '%s' does not say '%s'", why,
                         corrupt_cases[_i].why);
        free(why);
        ck_assert_ptr_null(reg.dir);
        ck_assert_int_eq(reg.lock_fd, -1);
        ck_assert(lock_free());
    }
    if (content) {
        after = file_read(file, NULL);
        ck_assert_str_eq(after, content);
        free(after);
    }
}
END_TEST

/*
 * A commit that fails at any one of its system calls leaves the old
 * file, byte for byte, and no temporary file; except when the failing
 * call is the directory fsync after the rename, where the new file is
 * in place.  Then a retry succeeds.
 */
START_TEST(test_commit_io_fail)
{
    struct lxs_registry reg;
    char *old, *now, *why, *expect;
    unsigned long n, nr_old = 0, nr_new = 0;
    struct lxs_plan p;
    size_t len;
    int rc;

    write_registry(false);
    old = file_read(file, NULL);
    lxs__io_fail_errno = ENOSPC;
    for (n = 1; ; n++) {
        /* a temporary file left by a writer that died */
        file_write(tmp, "{", 1);
        lxs_registry_init(&reg);
        ck_assert_int_eq(lxs_registry_open(&reg, dir, LXS_REGISTRY_WRITE,
                                           NULL), 0);
        p = plan_of(ext_b, 1, true);
        ck_assert_int_eq(lxs_registry_set(&reg, "b", &p), 0);
        ck_assert_int_eq(lxs_registry_to_data(&reg, &expect, &len), 0);

        why = NULL;
        lxs__io_count = 0;
        lxs__io_fail_at = n;
        rc = lxs_registry_commit(&reg, &why);
        lxs__io_fail_at = 0;
        if (!rc) {
            lxs_registry_close(&reg);
            break;
        }
        ck_assert_int_eq(rc, -ENOSPC);
        ck_assert_ptr_nonnull(why);
        ck_assert_ptr_nonnull(strstr(why, strerror(ENOSPC)));
        free(why);
        now = file_read(file, NULL);
        if (reg.dirty) {
            ck_assert_str_eq(now, old);
            ck_assert(!file_exists(tmp) || n == 1);
            nr_old++;
        } else {
            ck_assert_str_eq(now, expect);
            ck_assert(!file_exists(tmp));
            nr_new++;
        }
        free(now);
        /* the failed commit can be retried with the lock still held */
        ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
        now = file_read(file, NULL);
        ck_assert_str_eq(now, expect);
        free(now);
        /* the old state again for the next round */
        file_write(file, old, strlen(old));
        free(expect);
        lxs_registry_close(&reg);
    }
    /* unlink, open, fchmod, write, fsync, close, rename; open dir, fsync */
    ck_assert_uint_eq(nr_old, 7);
    ck_assert_uint_eq(nr_new, 2);
    now = file_read(file, NULL);
    ck_assert_str_eq(now, expect);
    ck_assert(!file_exists(tmp));
    free(now);
    free(expect);
    free(old);
}
END_TEST

/* Every failure in open: an error, no lock held, @reg unchanged. */
START_TEST(test_open_fail)
{
    struct lxs_registry reg;
    unsigned long n;
    char *why;
    int rc, nr_io = 0, nr_mem = 0;
    bool io = _i;

    write_registry(true);
    for (n = 1; ; n++) {
        lxs_registry_init(&reg);
        why = NULL;
        lxs__io_count = 0;
        lxs__alloc_count = 0;
        if (io)
            lxs__io_fail_at = n;
        else
            lxs__alloc_fail_at = n;
        rc = lxs_registry_open(&reg, dir, LXS_REGISTRY_WRITE, &why);
        lxs__io_fail_at = 0;
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        if (io) {
            ck_assert_int_eq(rc, -EIO);
            ck_assert_ptr_nonnull(why);
            nr_io++;
        } else {
            ck_assert_int_eq(rc, -ENOMEM);
            ck_assert_ptr_null(why);
            nr_mem++;
        }
        free(why);
        ck_assert_ptr_null(reg.dir);
        ck_assert_int_eq(reg.lock_fd, -1);
        ck_assert_uint_eq(reg.nr, 0);
        ck_assert(lock_free());
    }
    ck_assert_uint_eq(reg.nr, 2);
    ck_assert(!lock_free());
    lxs_registry_close(&reg);
    ck_assert(lock_free());
    if (io)
        ck_assert_int_ge(nr_io, 5);  /* mkdir, lock, flock, open, read */
    else
        ck_assert_int_ge(nr_mem, 5);
}
END_TEST

START_TEST(test_commit_nomem)
{
    struct lxs_registry reg;
    struct lxs_plan p;
    char *old, *now;
    unsigned long n;
    int rc;

    write_registry(false);
    old = file_read(file, NULL);
    open_ok(&reg, LXS_REGISTRY_WRITE);
    p = plan_of(ext_b, 1, true);
    ck_assert_int_eq(lxs_registry_set(&reg, "b", &p), 0);
    for (n = 1; ; n++) {
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_registry_commit(&reg, NULL);
        lxs__alloc_fail_at = 0;
        if (!rc)
            break;
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert(reg.dirty);
        now = file_read(file, NULL);
        ck_assert_str_eq(now, old);
        free(now);
        ck_assert(!file_exists(tmp));
    }
    ck_assert_uint_gt(n, 2);
    lxs_registry_close(&reg);
    assert_reads(2);
    free(old);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The lock, seen from another process                                 */

/*
 * Runs @fn in a child and returns its exit status (the child must not
 * use ck_assert: its failures are exit codes).
 */
static int in_child(int (*fn)(void))
{
    pid_t pid;
    int status;

    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid)
        _exit(fn());
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* 0: the open succeeded; 1: -EAGAIN; 2: anything else. */
static int try_open(unsigned int flags)
{
    struct lxs_registry reg;
    int rc;

    lxs_registry_init(&reg);
    rc = lxs_registry_open(&reg, dir, flags | LXS_REGISTRY_NOWAIT, NULL);
    lxs_registry_close(&reg);
    return !rc ? 0 : rc == -EAGAIN ? 1 : 2;
}

static int child_write(void)
{
    return try_open(LXS_REGISTRY_WRITE);
}

static int child_read(void)
{
    return try_open(0);
}

/* 0: LOCK_EX|LOCK_NB on the lock file succeeds; 1: EWOULDBLOCK. */
static int child_raw_flock(void)
{
    int fd = open(lock, O_RDWR), r;

    if (fd < 0)
        return 2;
    r = flock(fd, LOCK_EX | LOCK_NB);
    if (r && errno != EWOULDBLOCK)
        return 2;
    return r ? 1 : 0;
}

START_TEST(test_lock_excludes)
{
    struct lxs_registry reg;
    char *why = NULL;
    int status;
    pid_t pid;

    write_registry(false);

    /* a writer excludes writers and readers */
    open_ok(&reg, LXS_REGISTRY_WRITE);
    ck_assert_int_eq(in_child(child_write), 1);
    ck_assert_int_eq(in_child(child_read), 1);
    ck_assert_int_eq(in_child(child_raw_flock), 1);
    lxs_registry_close(&reg);
    ck_assert_int_eq(in_child(child_write), 0);

    /* readers share, and exclude writers */
    open_ok(&reg, 0);
    ck_assert_int_eq(in_child(child_read), 0);
    ck_assert_int_eq(in_child(child_write), 1);
    ck_assert_int_eq(in_child(child_raw_flock), 1);
    lxs_registry_close(&reg);
    ck_assert_int_eq(in_child(child_raw_flock), 0);

    /* the message of -EAGAIN */
    open_ok(&reg, LXS_REGISTRY_WRITE);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        struct lxs_registry r2;
        int rc;

        lxs_registry_init(&r2);
        rc = lxs_registry_open(&r2, dir, LXS_REGISTRY_NOWAIT, &why);
        _exit(rc == -EAGAIN && why &&
              strstr(why, "is locked by another process") ? 0 : 1);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    lxs_registry_close(&reg);
}
END_TEST

/* A holder killed with SIGKILL leaves no stale lock. */
START_TEST(test_lock_dies_with_holder)
{
    int fds[2], status;
    pid_t pid;
    char c;

    write_registry(false);
    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        struct lxs_registry reg;

        lxs_registry_init(&reg);
        if (lxs_registry_open(&reg, dir, LXS_REGISTRY_WRITE, NULL))
            _exit(2);
        if (write(fds[1], "x", 1) != 1)
            _exit(2);
        for (;;)
            pause();
    }
    close(fds[1]);
    ck_assert_int_eq(read(fds[0], &c, 1), 1);
    ck_assert_int_eq(in_child(child_write), 1);
    ck_assert_int_eq(kill(pid, SIGKILL), 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFSIGNALED(status));
    ck_assert_int_eq(in_child(child_write), 0);
    close(fds[0]);
}
END_TEST

/*
 * A second writer waits for the first and then reads what the first
 * committed: read-modify-write cycles are serialised.
 */
START_TEST(test_writer_waits)
{
    struct lxs_registry reg;
    struct lxs_plan p;
    int status;
    pid_t pid;

    write_registry(false);
    open_ok(&reg, LXS_REGISTRY_WRITE);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (!pid) {
        struct lxs_registry r2;
        struct lxs_extent e = { 0x80000000, 0x40000000, 0x100000 };
        struct lxs_plan p2 = plan_of(&e, 1, false);

        /* a forked child shares the parent's lock until it closes it */
        close(reg.lock_fd);
        lxs_registry_init(&r2);
        if (lxs_registry_open(&r2, dir, LXS_REGISTRY_WRITE, NULL))
            _exit(2);
        /* the parent's "b" must be there */
        if (r2.nr != 2 || !lxs_registry_find(&r2, "b"))
            _exit(3);
        if (lxs_registry_set(&r2, "c", &p2) ||
            lxs_registry_commit(&r2, NULL))
            _exit(4);
        lxs_registry_close(&r2);
        _exit(0);
    }
    usleep(200 * 1000);
    ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);    /* waiting */
    p = plan_of(ext_b, 1, true);
    ck_assert_int_eq(lxs_registry_set(&reg, "b", &p), 0);
    ck_assert_int_eq(lxs_registry_commit(&reg, NULL), 0);
    lxs_registry_close(&reg);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);

    open_ok(&reg, 0);
    ck_assert_uint_eq(reg.nr, 3);
    ck_assert_str_eq(reg.v[2].name, "c");
    lxs_registry_close(&reg);
}
END_TEST

/* The number of mkdir calls for @path: its non-empty components. */
static unsigned long components(const char *path)
{
    unsigned long n = 0;

    for (; *path; path++) {
        if (*path != '/' && (path[1] == '/' || !path[1]))
            n++;
    }
    return n;
}

/* A reader that cannot open the lock file still reads the registry. */
START_TEST(test_reader_without_lock_file)
{
    struct lxs_registry reg;
    char *why = NULL;

    write_registry(true);
    ck_assert_int_eq(unlink(lock), 0);
    lxs_registry_init(&reg);
    ck_assert_int_eq(lxs_registry_open(&reg, dir, 0, &why), 0);
    ck_assert_int_eq(reg.lock_fd, -1);
    ck_assert_uint_eq(reg.nr, 2);
    ck_assert(!file_exists(lock));
    lxs_registry_close(&reg);

    /* as without the right to open it */
    write_registry(true);
    lxs__io_fail_errno = EACCES;
    lxs__io_count = 0;
    lxs__io_fail_at = 1;
    ck_assert_int_eq(lxs_registry_open(&reg, dir, 0, &why), 0);
    lxs__io_fail_at = 0;
    ck_assert_int_eq(reg.lock_fd, -1);
    ck_assert_uint_eq(reg.nr, 2);
    lxs_registry_close(&reg);

    /* a writer must have the lock: fail the call after the mkdirs */
    lxs__io_count = 0;
    lxs__io_fail_at = components(dir) + 1;
    ck_assert_int_eq(lxs_registry_open(&reg, dir, LXS_REGISTRY_WRITE, &why),
                     -EACCES);
    lxs__io_fail_at = 0;
    ck_assert_ptr_nonnull(strstr(why, "cannot open the lock file"));
    free(why);
}
END_TEST

Suite *registry_fs_suite(void)
{
    return unit_suite("registry-fs", UNIT_TCASE("files"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_TESTS(test_open_missing, test_write_creates,
                                 test_unchanged, test_commit_empty),
                      UNIT_LOOP(test_open_corrupt, ARRAY_SIZE(corrupt_cases)),
                      UNIT_TESTS(test_open_too_big),
                      UNIT_LOOP(test_open_fifo, 2),
                      UNIT_TESTS(test_commit_over_limit, test_modes_umask,
                                 test_commit_io_fail),
                      UNIT_LOOP(test_open_fail, 2),
                      UNIT_TESTS(test_commit_nomem,
                                 test_reader_without_lock_file),
                      UNIT_TCASE("lock"),
                      UNIT_FIXTURE(setup, teardown),
                      UNIT_TESTS(test_lock_excludes, test_lock_dies_with_holder,
                                 test_writer_waits),
                      UNIT_TIMEOUT(30),
                      NULL);
}
