/*
 * Internal to libxlstatic (prefix lxs__).  Every allocation in the
 * library goes through these wrappers so that a test can make the n-th
 * one fail (see alloc.c).
 */
#ifndef LXS_INTERNAL_H
#define LXS_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "libxlstatic.h"

void *lxs__malloc(size_t size);
void *lxs__calloc(size_t nmemb, size_t size);
void *lxs__realloc(void *ptr, size_t size);
char *lxs__strdup(const char *s);
char *lxs__strndup(const char *s, size_t n);
/* vasprintf/asprintf through the same failure point; NULL on failure. */
char *lxs__vasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
char *lxs__asprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * Grows *v (of *alloc elements of @elem bytes) so that it holds at
 * least @need elements.  -ENOMEM (and *v unchanged) on failure or on
 * size overflow.
 */
int lxs__grow(void **v, size_t *alloc, size_t need, size_t elem);

/*
 * Moves every finding of @src to the end of @dst (src is left empty).
 * Fails only before moving anything: -ENOMEM, both unchanged.  Lets a
 * call collect its findings aside and publish them only on success.
 */
int lxs__diags_splice(struct lxs_diags *dst, struct lxs_diags *src);

/*
 * Fault injection: when lxs__alloc_fail_at is n > 0, the n-th
 * allocation from now fails (and every later one succeeds again).
 * lxs__alloc_count counts allocations made since it was last reset.
 */
extern unsigned long lxs__alloc_fail_at;
extern unsigned long lxs__alloc_count;

/*
 * Fault injection for the registry's system calls (registry.c): when
 * lxs__io_fail_at is n > 0, the n-th call from now fails with errno
 * lxs__io_fail_errno (EIO when 0).  lxs__io_count counts the calls.
 */
extern unsigned long lxs__io_fail_at;
extern unsigned long lxs__io_count;
extern int lxs__io_fail_errno;

#endif /* LXS_INTERNAL_H */
