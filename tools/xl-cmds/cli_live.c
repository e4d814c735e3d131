/*
 * The live host map: what a patched hypervisor says about host memory
 * (lxs_hv_query), with owners named through libxl.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
/*
 * libxl_utils.h has an int/uint32_t comparison in an inline function;
 * the cross build finds it through -I, not as a system header.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <libxl_utils.h>
#pragma GCC diagnostic pop

#include "lxs_hv.h"
#include "xl_static.h"

struct namer {
    libxl_ctx *ctx;
    char *last;             /* the name handed out last; copied by the caller */
};

static const char *domid_name(uint32_t domid, void *opaque)
{
    struct namer *n = opaque;

    free(n->last);
    n->last = NULL;
    if (n->ctx)
        n->last = libxl_domid_to_name(n->ctx, domid);
    return n->last;
}

int cli_load_live_hostmap(struct lxs_hostmap *map)
{
    struct lxs_hv *hv = NULL;
    struct lxs_hv_map hm;
    struct namer namer = { NULL, NULL };
    int rc;

    lxs_hv_map_init(&hm);
    rc = lxs_hv_open(&hv, NULL);
    if (rc)
        goto out;
    rc = lxs_hv_query(hv, &hm);
    if (rc)
        goto out;
    /* names are a nicety: without libxl (no xenstore) owners are d<id> */
    if (libxl_ctx_alloc(&namer.ctx, LIBXL_VERSION, 0, NULL))
        namer.ctx = NULL;
    rc = lxs_hv_map_to_hostmap(&hm, map, domid_name, &namer);
    if (rc)
        goto out;
    cli_verbose("hypervisor: %zu entries, %zu ram ranges, %zu reserved, "
                "%zu owned, %s", hm.nr, map->ram.nr, map->reserved.nr,
                map->owned.nr,
                map->has_pool ? "static pool" : "no static pool");
out:
    free(namer.last);
    if (namer.ctx)
        libxl_ctx_free(namer.ctx);
    lxs_hv_map_dispose(&hm);
    lxs_hv_close(hv);
    return rc;
}
