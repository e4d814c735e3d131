/*
 * xlsg, xl side: the static keys of a domain cfg through libxlstatic's
 * cfg parser, the plan that `xl create -n` shows, and `xl
 * static-mem-list` (the cli's listing, fed from the host map that libxl
 * plans with: host DTB plus the live query of the static pool).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsg.h"
#include "xl_static.h"

/* xl's context (xl.c), set up before any command runs. */
extern libxl_ctx *ctx;

static void print_diags(FILE *f, const char *label,
                        const struct lxs_diags *diags)
{
    size_t i;

    for (i = 0; i < diags->nr; i++) {
        char *line = xlsg_diag_line(&diags->v[i]);

        fputs(diags->v[i].file ? diags->v[i].file : label, f);
        if (diags->v[i].line)
            fprintf(f, ":%u", diags->v[i].line);
        fprintf(f, ": %s\n", line ? line : "(out of memory)");
        free(line);
    }
}

int xlsg_parse_config(const char *label, const char *data, size_t len,
                      libxl_domain_config *d_config)
{
    libxl_domain_build_info *b = &d_config->b_info;
    struct lxs_spec spec;
    struct lxs_diags diags;
    uint64_t sum = 0;
    size_t i;
    int rc;

    lxs_spec_init(&spec);
    lxs_diags_init(&diags);

    rc = lxs_cfg_parse_data(label, data, len, &spec, &diags);
    if (rc) {
        fprintf(stderr, "%s: cannot read the static memory keys: %s\n",
                label, strerror(-rc));
        goto out;
    }
    print_diags(stderr, label, &diags);
    if (spec.bad) {
        rc = 1;
        goto out;
    }

    b->arch_arm.static_direct_map = spec.direct_map;
    if (spec.has_rambase)
        b->arch_arm.static_rambase_pfn = spec.rambase_pfn;
    if (spec.has_mem_chunk)
        b->arch_arm.static_mem_chunk_kb = spec.mem_chunk_size >> 10;
    if (spec.nr_static_mem) {
        libxl_static_mem_extent *v;

        v = calloc(spec.nr_static_mem, sizeof(*v));
        if (!v) {
            rc = -ENOMEM;
            goto out;
        }
        for (i = 0; i < spec.nr_static_mem; i++) {
            const struct lxs_mem_spec *m = &spec.static_mem[i];

            libxl_static_mem_extent_init(&v[i]);
            v[i].host_addr = m->addr;
            v[i].size = m->size;
            if (m->has_gaddr)
                v[i].guest_addr = m->gaddr;
            sum += m->size;
        }
        b->arch_arm.static_mem = v;
        b->arch_arm.num_static_mem = spec.nr_static_mem;
        /* "memory" may be left out: the extents say how much. */
        if (!spec.has_memory) {
            b->max_memkb = sum >> 10;
            b->target_memkb = sum >> 10;
        }
    }
    rc = 0;

out:
    lxs_diags_dispose(&diags);
    lxs_spec_dispose(&spec);
    return rc;
}

static char *domid_name(uint32_t domid, void *opaque)
{
    return opaque ? libxl_domid_to_name(opaque, domid) : NULL;
}

/* The host map, with the live query when on a patched Xen. */
static int load_hostmap(libxl_ctx *lctx, struct lxs_hostmap *map)
{
    char *why = NULL;
    int rc;

    rc = xlsg_hostmap(domid_name, lctx, map, &why);
    if (rc)
        fprintf(stderr, "cannot read the host memory map: %s%s%s\n",
                strerror(-rc), why ? ": " : "", why ? why : "");
    free(why);
    return rc;
}

int xlsg_print_plan(FILE *f, libxl_ctx *lctx,
                    const libxl_domain_config *d_config)
{
    struct lxs_spec spec;
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct lxs_plan plan;
    char sz[LXS_SIZE_STRLEN], off[LXS_DMA_OFFSET_STRLEN];
    size_t i;
    int rc;

    if (!xlsg_wants_static(&d_config->b_info))
        return 0;

    lxs_spec_init(&spec);
    lxs_hostmap_init(&map);
    lxs_diags_init(&diags);
    lxs_plan_init(&plan);

    if (xlsg_spec_from_config(d_config, &spec) || load_hostmap(lctx, &map)) {
        rc = 1;
        goto out;
    }
    rc = xlsg_plan(&map, &spec, &plan, &diags);
    print_diags(stderr, spec.file ? spec.file : "cfg", &diags);
    if (rc) {
        rc = 1;
        goto out;
    }

    fprintf(f, "static memory plan for '%s'%s:\n",
            plan.name ? plan.name : "?",
            plan.direct_map ? " (direct-mapped)" : "");
    fprintf(f, "  %-18s  %-18s  %s\n", "host", "guest", "size");
    for (i = 0; i < plan.nr_ext; i++)
        fprintf(f, "  0x%016"PRIx64"  0x%016"PRIx64"  %s\n",
                plan.ext[i].host, plan.ext[i].guest,
                lxs_fmt_size(plan.ext[i].size, sz));
    if (plan.has_dma_offset)
        fprintf(f, "  dma-offset %s\n",
                lxs_fmt_dma_offset(plan.dma_offset, off));
    fprintf(f, "  grant table 0x%"PRIx64" +0x%"PRIx64
            ", magic pages 0x%"PRIx64" +0x%"PRIx64"\n",
            plan.gnttab.base, plan.gnttab.size,
            plan.magic.base, plan.magic.size);
    rc = 0;

out:
    lxs_plan_dispose(&plan);
    lxs_diags_dispose(&diags);
    lxs_hostmap_dispose(&map);
    lxs_spec_dispose(&spec);
    return rc;
}

/*
 * xl static-mem-list [-j]: the cli's listing (cli_memlist) of the host
 * map libxl plans with, so that it shows who owns each extent now.
 */
int main_static_mem_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"help", 0, 0, 'h'},
        {0, 0, 0, 0}
    };
    struct lxs_hostmap map;
    struct cli_memlist ml;
    bool json = false;
    int opt, rc, ret;

    while ((opt = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (opt) {
        case 'j':
            json = true;
            break;
        case 'h':
            printf("Usage: xl static-mem-list [-j]\n\n"
                   "List the host's RAM: type, owner domain, state.\n");
            return 0;
        default:
            fprintf(stderr, "Usage: xl static-mem-list [-j]\n");
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "static-mem-list: unexpected argument '%s'\n",
                argv[optind]);
        return 2;
    }

    lxs_hostmap_init(&map);
    cli_memlist_init(&ml, "live");

    if (load_hostmap(ctx, &map)) {
        ret = 2;
        goto out;
    }
    rc = cli_memlist_from_hostmap(&ml, &map);
    if (!rc)
        rc = cli_memlist_print(stdout, &ml, json);
    if (rc) {
        fprintf(stderr, "static-mem-list: %s\n", strerror(-rc));
        ret = 2;
        goto out;
    }
    ret = 0;

out:
    cli_memlist_dispose(&ml);
    lxs_hostmap_dispose(&map);
    return ret;
}
