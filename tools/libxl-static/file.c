/*
 * Files from outside, and the outputs the tools write: one reader and one
 * writer for every command, so that each kind of file gets the same rules
 * everywhere (docs/reliability.md, "Files").
 *
 * Reading: a regular file only.  The open is non-blocking, so that a FIFO
 * (or a device that waits) cannot hang the caller, and the type is taken
 * from the descriptor (fstat), not from the name.  Every read stops at a
 * limit given by the caller, the same for every reader of a kind of file
 * (LXS_CFG_MAX_SIZE, LXS_DTB_MAX_SIZE, LXS_REGISTRY_MAX_SIZE).
 *
 * Writing: a path that is missing or a regular file is replaced whole (a
 * temporary file in the same directory, fsynced, renamed over it at
 * commit); anything else (a device, a FIFO, /dev/stdout, a symbolic link)
 * is never replaced: it is opened, following links, and written in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lxs_internal.h"

/* ------------------------------------------------------------------ */
/* System calls, through one failure point for the tests               */

unsigned long lxs__io_fail_at;
unsigned long lxs__io_count;
int lxs__io_fail_errno;

bool lxs__io_fail(void)
{
    lxs__io_count++;
    if (lxs__io_fail_at && lxs__io_count == lxs__io_fail_at) {
        errno = lxs__io_fail_errno ? lxs__io_fail_errno : EIO;
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

int lxs__open_regular(const char *path, int flags, int *fd_r)
{
    struct stat st;
    int fd, fl, rc;

    fd = LXS__IO(open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                      0644));
    if (fd < 0)
        return -errno;
    if (LXS__IO(fstat(fd, &st)) < 0) {
        rc = -errno;
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = -EISDIR;
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = -LXS_ENOTREG;
        goto fail;
    }
    /* a file it may have created: mode 0644 whatever the umask */
    if ((flags & O_CREAT) && (st.st_mode & 07777) != 0644 &&
        st.st_uid == geteuid() && LXS__IO(fchmod(fd, 0644)) < 0) {
        rc = -errno;
        goto fail;
    }
    /* blocking again for what follows (flock waits) */
    fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        rc = -errno;
        goto fail;
    }
    *fd_r = fd;
    return 0;
fail:
    close(fd);
    return rc;
}

int lxs_file_read(const char *path, size_t max, char **buf_r, size_t *len_r)
{
    char *buf = NULL;
    size_t len = 0, alloc = 0;
    ssize_t r;
    int fd, rc;

    rc = lxs__open_regular(path, O_RDONLY, &fd);
    if (rc)
        return rc;
    /* read to the end: the file may grow while it is read */
    for (;;) {
        if (alloc - len < 2) {
            if (len > max) {
                rc = -EFBIG;
                goto out;
            }
            rc = lxs__grow((void **)&buf, &alloc, len + 65536, 1);
            if (rc)
                goto out;
        }
        r = LXS__IO(read(fd, buf + len, alloc - len - 1));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            goto out;
        }
        if (!r)
            break;
        len += (size_t)r;
    }
    if (len > max) {
        rc = -EFBIG;
        goto out;
    }
    buf[len] = '\0';
    *buf_r = buf;
    *len_r = len;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}

const char *lxs_file_strerror(int rc)
{
    if (rc == -LXS_ENOTREG)
        return "not a regular file";
    return strerror(rc < 0 ? -rc : rc);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

void lxs_outfile_init(struct lxs_outfile *o)
{
    o->path = NULL;
    o->tmp = NULL;
    o->fd = -1;
    o->in_place = false;
    o->regular = false;
    o->data = NULL;
    o->len = 0;
}

void lxs_outfile_discard(struct lxs_outfile *o)
{
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    lxs_outfile_init(o);
}

int lxs__write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len) {
        ssize_t r = LXS__IO(write(fd, p, len));

        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

/* Opens what is at @o->path, following links, to be written in place. */
static int open_in_place(struct lxs_outfile *o)
{
    struct stat st;
    int fl;

    /* non-blocking: a FIFO without a reader fails (ENXIO), never waits */
    o->fd = LXS__IO(open(o->path, O_WRONLY | O_NONBLOCK | O_NOCTTY |
                         O_CLOEXEC));
    if (o->fd < 0)
        return -errno;
    if (LXS__IO(fstat(o->fd, &st)) < 0)
        return -errno;
    if (S_ISDIR(st.st_mode))
        return -EISDIR;
    o->regular = S_ISREG(st.st_mode);
    fl = fcntl(o->fd, F_GETFL);
    if (fl < 0 || fcntl(o->fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
        return -errno;
    o->in_place = true;
    return 0;
}

/* A new temporary file next to @o->path, mode 0644 whatever the umask. */
static int write_tmp(struct lxs_outfile *o, const void *data, size_t len)
{
    int rc;

    o->tmp = lxs__asprintf("%s.tmpXXXXXX", o->path);
    if (!o->tmp)
        return -ENOMEM;
    o->fd = LXS__IO(mkostemp(o->tmp, O_CLOEXEC));
    if (o->fd < 0) {
        rc = -errno;
        free(o->tmp);
        o->tmp = NULL;
        return rc;
    }
    if (LXS__IO(fchmod(o->fd, 0644)) < 0)
        return -errno;
    rc = lxs__write_all(o->fd, data, len);
    if (rc)
        return rc;
    if (LXS__IO(fsync(o->fd)) < 0)
        return -errno;
    rc = close(o->fd);
    o->fd = -1;
    if (LXS__IO(rc) < 0)
        return -errno;
    return 0;
}

int lxs_outfile_write(struct lxs_outfile *o, const char *path,
                      const void *data, size_t len)
{
    struct stat st;
    bool missing = false;
    int rc;

    lxs_outfile_discard(o);
    o->path = lxs__strdup(path);
    if (!o->path)
        return -ENOMEM;
    if (!strcmp(path, "-")) {
        /* "-": the standard output, written at commit like a device */
        o->fd = LXS__IO(fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0));
        if (o->fd < 0) {
            rc = -errno;
            goto out;
        }
        o->in_place = true;
        o->data = data;
        o->len = len;
        return 0;
    }
    if (LXS__IO(lstat(path, &st)) < 0) {
        rc = -errno;
        if (rc != -ENOENT)
            goto out;
        missing = true;
    }
    if (missing || S_ISREG(st.st_mode)) {
        rc = write_tmp(o, data, len);
        goto out;
    }
    /* not ours to replace: checked now, written at commit */
    rc = open_in_place(o);
    if (!rc) {
        o->data = data;
        o->len = len;
    }
out:
    if (rc)
        lxs_outfile_discard(o);
    return rc;
}

int lxs_outfile_commit(struct lxs_outfile *o)
{
    int rc = 0;

    if (!o->path)
        return -EBADF;
    if (o->in_place) {
        if (o->regular && LXS__IO(ftruncate(o->fd, 0)) < 0)
            rc = -errno;
        if (!rc)
            rc = lxs__write_all(o->fd, o->data, o->len);
        if (!rc && o->regular && LXS__IO(fsync(o->fd)) < 0)
            rc = -errno;
        if (!rc && LXS__IO(close(o->fd)) < 0)
            rc = -errno;
        o->fd = -1;
    } else if (LXS__IO(rename(o->tmp, o->path)) < 0) {
        rc = -errno;
    } else {
        free(o->tmp);
        o->tmp = NULL;
    }
    lxs_outfile_discard(o);
    return rc;
}
