/*
 * The registry's storage (docs/registry.md): the state directory, the
 * lock, reading the file, and the atomic commit.
 *
 * Files in the state directory:
 *   reservations.json      the registry; only ever replaced by rename(2)
 *   reservations.lock      the flock(2) target.  Never removed: a lock
 *                          file that is unlinked and re-created lets two
 *                          processes lock two different inodes
 *   reservations.json.tmp  the next state, only while a writer holds the
 *                          exclusive lock (a stale one, left by a writer
 *                          that died, is removed by the next commit)
 *
 * A reader takes LOCK_SH, a writer LOCK_EX for the whole read-modify-
 * write.  flock locks die with the last descriptor of their open file,
 * so a killed holder never leaves a stale lock; the descriptor is
 * O_CLOEXEC so that programs a caller runs do not inherit it.
 *
 * A commit writes the whole new file to the temporary name, fsyncs it,
 * renames it over the registry and fsyncs the directory: a crash at any
 * point leaves the old file or the new one, and a reader that could not
 * take the lock still sees one whole state.  A commit of no reservations
 * removes the file (unlink is atomic too), so that the registry of a
 * directory is as before its first reservation.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry_i.h"

#define TMP_NAME LXS_REGISTRY_FILE ".tmp"

/* ------------------------------------------------------------------ */
/* System calls, through one failure point for the tests               */

#define IO(call) LXS__IO(call)

/* close(2) always releases the descriptor, even when it fails. */
static int io_close(int fd)
{
    int r = close(fd);

    if (lxs__io_fail())
        return -1;
    return r;
}

/* A system call failed: -errno, and "WHAT: strerror" as the message. */
static int sys_fail(char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int sys_fail(char **why, const char *fmt, ...)
{
    int rc = errno > 0 ? -errno : -EIO;
    char *what;
    va_list ap;

    if (!why)
        return rc;
    va_start(ap, fmt);
    what = lxs__vasprintf(fmt, ap);
    va_end(ap);
    free(*why);
    *why = what ? lxs__asprintf("%s: %s", what, strerror(-rc)) : NULL;
    lxs__one_line(*why);        /* the state directory's path */
    free(what);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Reservations                                                        */

static char *path_in(const char *dir, const char *name)
{
    return lxs__asprintf("%s/%s", dir, name);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/*
 * Reads the whole file at @path into a NUL-terminated buffer
 * (lxs_file_read: a regular file, at most MAX_FILE_SIZE bytes).  -ENOENT
 * (no message) when it does not exist.
 */
static int read_file(const char *path, char **text_r, size_t *len_r,
                     char **why)
{
    int rc = lxs_file_read(path, MAX_FILE_SIZE, text_r, len_r);

    if (rc == -ENOENT || rc == -ENOMEM)
        return rc;
    if (rc == -EFBIG)
        return fail_rc(why, rc, "'%s' is larger than %" PRIu64 " bytes",
                       path, MAX_FILE_SIZE);
    if (rc == -LXS_ENOTREG || rc == -EISDIR)
        return bad(why, "'%s' is not a regular file", path);
    if (rc) {
        errno = -rc;
        return sys_fail(why, "cannot read '%s'", path);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The directory and the lock                                          */

static int fsync_dir(const char *dir, char **why)
{
    int fd, rc = 0;

    fd = IO(open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd < 0)
        return sys_fail(why, "cannot open directory '%s'", dir);
    if (IO(fsync(fd)) < 0)
        rc = sys_fail(why, "cannot sync directory '%s'", dir);
    close(fd);
    return rc;
}

/*
 * mkdir -p @dir (0755, set with chmod: not the umask's).  Each directory it creates is made durable in
 * its parent, so that a committed registry does not vanish with a new
 * directory entry at a power loss.
 */
static int make_dir(const char *dir, char **why)
{
    char *p, *s;
    int rc = 0;

    p = lxs__strdup(dir);
    if (!p)
        return -ENOMEM;
    for (s = p + 1; ; s++) {
        char c = *s;

        if (c && c != '/')
            continue;
        *s = '\0';
        if (s[-1] != '/') {
            if (IO(mkdir(p, 0755)) == 0) {
                char *slash = strrchr(p, '/');

                /* the documented mode, whatever the umask */
                if (IO(chmod(p, 0755)) < 0) {
                    rc = sys_fail(why, "cannot chmod directory '%s'", p);
                    goto out;
                }

                if (!slash) {
                    rc = fsync_dir(".", why);
                } else if (slash == p) {
                    rc = fsync_dir("/", why);
                } else {
                    *slash = '\0';
                    rc = fsync_dir(p, why);
                    *slash = '/';
                }
                if (rc)
                    goto out;
            } else if (errno != EEXIST) {
                rc = sys_fail(why, "cannot create directory '%s'", p);
                goto out;
            }
        }
        *s = c;
        if (!c)
            break;
    }
out:
    free(p);
    return rc;
}

/*
 * Opens the lock file and flocks it into reg->lock_fd.  A writer creates
 * the lock file.  A reader never creates anything (create -n must leave
 * the state directory as it is): without a lock file (no writer has
 * used the directory yet) or without the right to open it, it goes on
 * without the lock, and still reads one whole state, since commits are
 * atomic renames.
 */
static int take_lock(struct lxs_registry *reg, char **why)
{
    bool write = reg->flags & LXS_REGISTRY_WRITE;
    char *path;
    int fd, op, rc;

    path = path_in(reg->dir, LXS_REGISTRY_LOCK);
    if (!path)
        return -ENOMEM;
    /* a regular file only: a FIFO or device there cannot block us */
    rc = lxs__open_regular(path, write ? O_RDWR | O_CREAT | O_NOFOLLOW :
                                         O_RDONLY | O_NOFOLLOW, &fd);
    if (rc) {
        if (!write && (rc == -ENOENT || rc == -EACCES ||
                       rc == -EROFS || rc == -EPERM)) {
            rc = 0;
            goto out;
        }
        if (rc == -LXS_ENOTREG) {
            rc = fail_rc(why, rc, "the lock file '%s' is not a regular "
                         "file", path);
            goto out;
        }
        errno = -rc;
        rc = sys_fail(why, "cannot open the lock file '%s'", path);
        goto out;
    }
    op = write ? LOCK_EX : LOCK_SH;
    if (reg->flags & LXS_REGISTRY_NOWAIT)
        op |= LOCK_NB;
    while (IO(flock(fd, op)) < 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK) {
            errno = EAGAIN;
            rc = sys_fail(why, "'%s' is locked by another process", path);
        } else {
            rc = sys_fail(why, "cannot lock '%s'", path);
        }
        close(fd);
        goto out;
    }
    reg->lock_fd = fd;
    rc = 0;
out:
    free(path);
    return rc;
}

const char *lxs_registry_dir(const char *opt)
{
    const char *env;

    if (opt)
        return opt;
    env = getenv(LXS_REGISTRY_DIR_ENV);
    return env && *env ? env : LXS_REGISTRY_DIR_DEFAULT;
}

int lxs_registry_open(struct lxs_registry *reg, const char *dir,
                      unsigned int flags, char **why_r)
{
    struct lxs_registry tmp;
    char *path = NULL, *text = NULL, *why = NULL;
    size_t len = 0;
    int rc;

    lxs_registry_init(&tmp);
    if (why_r)
        *why_r = NULL;
    if (!dir || !*dir ||
        (flags & ~(LXS_REGISTRY_WRITE | LXS_REGISTRY_NOWAIT)) ||
        reg->dir || reg->lock_fd >= 0)
        return -EINVAL;

    rc = -ENOMEM;
    tmp.flags = flags;
    tmp.dir = lxs__strdup(dir);
    path = path_in(dir, LXS_REGISTRY_FILE);
    if (!tmp.dir || !path)
        goto out;
    if (flags & LXS_REGISTRY_WRITE) {
        rc = make_dir(dir, &why);
        if (rc)
            goto out;
    }
    rc = take_lock(&tmp, &why);
    if (rc)
        goto out;

    rc = read_file(path, &text, &len, &why);
    if (rc == -ENOENT) {
        rc = 0;                     /* no file yet: no reservations */
    } else if (!rc) {
        rc = lxs__registry_parse(&tmp, text, len, &why);
    }
out:
    free(text);
    free(path);
    /* on failure, closing tmp drops the lock */
    return lxs__registry_replace(reg, &tmp, rc, why, why_r);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

int lxs_registry_commit(struct lxs_registry *reg, char **why_r)
{
    char *data = NULL, *path = NULL, *tmp = NULL, *why = NULL;
    bool created = false;
    size_t len;
    int fd = -1, rc;

    if (why_r)
        *why_r = NULL;
    if (!reg->dir || !(reg->flags & LXS_REGISTRY_WRITE) || reg->lock_fd < 0)
        return -EBADF;
    if (!reg->dirty)
        return 0;

    rc = -ENOMEM;
    path = path_in(reg->dir, LXS_REGISTRY_FILE);
    tmp = path_in(reg->dir, TMP_NAME);
    if (!path || !tmp)
        goto out;
    if (!reg->nr) {
        /* no reservations: no file, as before the first one */
        if (IO(unlink(path)) < 0 && errno != ENOENT) {
            rc = sys_fail(&why, "cannot remove '%s'", path);
            goto out;
        }
        reg->dirty = false;
        rc = fsync_dir(reg->dir, &why);
        goto out;
    }
    rc = lxs_registry_to_data(reg, &data, &len);
    if (rc)
        goto out;
    /* never write what the reader would refuse */
    if (len > MAX_FILE_SIZE) {
        rc = fail_rc(&why, -EFBIG, "the registry would be %zu bytes, more "
                     "than the %" PRIu64 " a registry may hold", len,
                     MAX_FILE_SIZE);
        goto out;
    }

    /* We hold LOCK_EX: a temporary file is a dead writer's. */
    if (IO(unlink(tmp)) < 0 && errno != ENOENT) {
        rc = sys_fail(&why, "cannot remove '%s'", tmp);
        goto out;
    }
    fd = IO(open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd < 0) {
        rc = sys_fail(&why, "cannot create '%s'", tmp);
        goto out;
    }
    created = true;
    /* the mode is the file's, not the caller's umask's */
    if (IO(fchmod(fd, 0644)) < 0) {
        rc = sys_fail(&why, "cannot chmod '%s'", tmp);
        goto out;
    }
    rc = lxs__write_all(fd, data, len);
    if (rc) {
        errno = -rc;
        rc = sys_fail(&why, "cannot write '%s'", tmp);
        goto out;
    }
    if (IO(fsync(fd)) < 0) {
        rc = sys_fail(&why, "cannot sync '%s'", tmp);
        goto out;
    }
    rc = io_close(fd);
    fd = -1;
    if (rc < 0) {
        rc = sys_fail(&why, "cannot close '%s'", tmp);
        goto out;
    }
    if (IO(rename(tmp, path)) < 0) {
        rc = sys_fail(&why, "cannot rename '%s' to '%s'", tmp, path);
        goto out;
    }
    created = false;
    reg->dirty = false;             /* the file holds this state now */
    rc = fsync_dir(reg->dir, &why);
out:
    if (fd >= 0)
        close(fd);
    if (created)
        unlink(tmp);
    free(tmp);
    free(path);
    free(data);
    return lxs__registry_pass_why(rc, why, why_r);
}
