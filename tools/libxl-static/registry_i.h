/*
 * Internal to the files of the reservation registry: registry.c (the
 * reservations and their rules), registry_json.c (the file's format)
 * and registry_file.c (the state directory, the lock and the atomic
 * commit).
 */
#ifndef LXS_REGISTRY_I_H
#define LXS_REGISTRY_I_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "lxs_internal.h"

/* LXS_REGISTRY_MAX_SIZE; only tests lower it (lxs_internal.h) */
#define MAX_FILE_SIZE lxs__registry_max_size

/*
 * Messages: replaces *why (when @why is not NULL) with one line and
 * returns @rc.
 */
int lxs__registry_msg(char **why, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Any error @rc, with its message. */
#define fail_rc(why, rc, ...) lxs__registry_msg(why, rc, __VA_ARGS__)
/* The file is malformed: -EBADMSG. */
#define bad(why, ...) lxs__registry_msg(why, -EBADMSG, __VA_ARGS__)
/* A value the registry cannot hold: -EINVAL. */
#define invalid(why, ...) lxs__registry_msg(why, -EINVAL, __VA_ARGS__)

/* The reservations (registry.c) */

/*
 * The end of a call that gives the caller a message: @why goes to
 * *why_r when @rc is an error other than -ENOMEM and @why_r is not
 * NULL, else it is freed.  Returns @rc.
 */
int lxs__registry_pass_why(int rc, char *why, char **why_r);
/*
 * The end of one that reads a registry into @tmp: when @rc is 0, @tmp
 * replaces @reg (closed first); @tmp is closed either way, and @why
 * passed as lxs__registry_pass_why() does.  Returns @rc.
 */
int lxs__registry_replace(struct lxs_registry *reg, struct lxs_registry *tmp,
                          int rc, char *why, char **why_r);

void lxs__reservation_dispose(struct lxs_reservation *r);
/*
 * What a reservation's extents must be: 1..LXS_MAX_GUEST_BANKS of them,
 * page aligned, not empty, inside the physical address width in both
 * spaces, host == guest when direct-mapped, and no two overlapping in
 * either space.  -EINVAL with a message in *why (when not NULL).
 */
int lxs__registry_check_extents(const struct lxs_extent *ext, size_t nr,
                                bool direct_map, char **why);
/*
 * Sorts the reservations of @reg by name and checks that no name is
 * there twice and no host memory is in two reservations: -EBADMSG.
 */
int lxs__registry_check(struct lxs_registry *reg, char **why);

/* The file's format (registry_json.c) */

/*
 * Parses @len bytes at @text (NUL-terminated at text[len]) into @reg,
 * which is empty.
 */
int lxs__registry_parse(struct lxs_registry *reg, const char *text,
                        size_t len, char **why);

#endif /* LXS_REGISTRY_I_H */
