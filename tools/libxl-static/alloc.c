/* Allocation wrappers with a single failure point for fault injection. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"

unsigned long lxs__alloc_fail_at;
unsigned long lxs__alloc_count;

static int should_fail(void)
{
    lxs__alloc_count++;
    if (lxs__alloc_fail_at && lxs__alloc_count == lxs__alloc_fail_at)
        return 1;
    return 0;
}

void *lxs__malloc(size_t size)
{
    return should_fail() ? NULL : malloc(size ? size : 1);
}

void *lxs__calloc(size_t nmemb, size_t size)
{
    return should_fail() ? NULL : calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *lxs__realloc(void *ptr, size_t size)
{
    return should_fail() ? NULL : realloc(ptr, size ? size : 1);
}

char *lxs__strdup(const char *s)
{
    return should_fail() ? NULL : strdup(s);
}

char *lxs__strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : strndup(s, n);
}

char *lxs__vasprintf(const char *fmt, va_list ap)
{
    char *s;

    if (should_fail())
        return NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        return NULL;
    return s;
}

char *lxs__asprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = lxs__vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void lxs__why(char **why_r, const char *fmt, ...)
{
    va_list ap;

    if (!why_r)
        return;
    va_start(ap, fmt);
    free(*why_r);
    *why_r = lxs__vasprintf(fmt, ap);
    va_end(ap);
    lxs__one_line(*why_r);      /* names from outside can hold any byte */
}

int lxs__grow(void **v, size_t *alloc, size_t need, size_t elem)
{
    size_t n = *alloc ? *alloc : 8;
    void *p;

    if (need <= *alloc)
        return 0;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -ENOMEM;
        n *= 2;
    }
    if (n > SIZE_MAX / elem)
        return -ENOMEM;
    p = lxs__realloc(*v, n * elem);
    if (!p)
        return -ENOMEM;
    *v = p;
    *alloc = n;
    return 0;
}
