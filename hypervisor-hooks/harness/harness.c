/*
 * Userspace stand-ins for the Xen primitives that static_pool.c uses.
 */
#include <stdlib.h>

#include "harness.h"

unsigned long harness_alloc_fail_at;
unsigned long harness_alloc_count;
static long live;

void *harness_zalloc(size_t nmemb, size_t size)
{
    void *p;

    harness_alloc_count++;
    if (harness_alloc_fail_at && --harness_alloc_fail_at == 0)
        return NULL;

    p = calloc(nmemb, size);
    if (p)
        live++;
    return p;
}

void harness_free(void *p)
{
    if (p)
        live--;
    free(p);
}

long harness_alloc_live(void)
{
    return live;
}
