/*
 * Spec lifecycle and the findings splice: what validation and planning
 * need from the spec side without libxlutil, so that a consumer that
 * builds specs itself (libxl, through the Xen tools glue) links the
 * library without the cfg parser.
 */
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"

void lxs_spec_init(struct lxs_spec *spec)
{
    memset(spec, 0, sizeof(*spec));
    spec->vcpus = 1;
}

void lxs_spec_dispose(struct lxs_spec *spec)
{
    size_t i;

    if (!spec)
        return;
    for (i = 0; i < spec->nr_static_mem; i++)
        free(spec->static_mem[i].text);
    free(spec->static_mem);
    free(spec->file);
    free(spec->name);
    free(spec->kernel);
    free(spec->ramdisk);
    free(spec->cmdline);
    free(spec->device_tree);
    lxs_spec_init(spec);
}

int lxs__diags_splice(struct lxs_diags *dst, struct lxs_diags *src)
{
    int rc;

    if (!src->nr)
        return 0;
    rc = lxs__grow((void **)&dst->v, &dst->alloc, dst->nr + src->nr,
                   sizeof(*dst->v));
    if (rc)
        return rc;
    memcpy(dst->v + dst->nr, src->v, src->nr * sizeof(*src->v));
    dst->nr += src->nr;
    dst->nr_errors += src->nr_errors;
    src->nr = 0;
    src->nr_errors = 0;
    return 0;
}
