/*
 * plan [--host-dtb F] [-j] [--boot] [--map[=FILE.svg]] CFG...: plans the
 * domains of the cfg files together and prints, for each, its guest RAM
 * extents (host address, guest address, size), the grant-table and magic
 * windows and the dma-offset; with --map, the host memory map with the
 * planned extents too.  No side effects but the SVG file of --map=FILE.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

static const char *plan_name(const struct lxs_plan *p,
                             const struct lxs_spec *spec)
{
    if (p->name)
        return p->name;
    return spec->name ? spec->name : "(unnamed)";
}

static void print_window(const char *what, const struct lxs_window *w,
                         const char *note)
{
    char range[XLS_RANGE_STRLEN], size[LXS_SIZE_STRLEN];

    printf("  %-12s %s (%s%s%s)\n", what,
           cli_fmt_range(w->base, w->size, range),
           lxs_fmt_size(w->size, size), note ? ", " : "", note ? note : "");
}

static void print_plan_text(const struct lxs_plan *p,
                            const struct lxs_spec *spec)
{
    char off[LXS_DMA_OFFSET_STRLEN];

    cli_put_text(stdout, plan_name(p, spec));
    fputs(" (", stdout);
    cli_put_text(stdout, spec->file ? spec->file : "-");
    if (!p->nr_ext) {
        /* nothing static: xl places its RAM as for any domain */
        printf("): no static placement (no static_mem, rambase_pfn, "
               "mem_chunk or direct_map): xl allocates its RAM as usual\n");
        return;
    }
    printf("): %s, %s placement\n",
           p->direct_map ? "direct-mapped" : "guest layout",
           p->automatic ? "automatic" : "explicit");

    cli_print_extents(stdout, p->ext, p->nr_ext);

    print_window("grant table", &p->gnttab,
                 p->windows_moved ? "moved" : NULL);
    print_window("magic pages", &p->magic,
                 p->magic_in_ram ? "top of guest RAM, reserved" :
                 p->windows_moved ? "moved" : NULL);
    if (!p->has_dma_offset)
        printf("  %-12s none (guest RAM is not at one host offset)\n",
               "dma-offset");
    else if ((int64_t)p->dma_offset < 0)
        printf("  %-12s %s (host = guest - 0x%" PRIx64 ")\n", "dma-offset",
               lxs_fmt_dma_offset(p->dma_offset, off), -p->dma_offset);
    else
        printf("  %-12s %s\n", "dma-offset",
               lxs_fmt_dma_offset(p->dma_offset, off));
}

static int json_window(yajl_gen g, const char *key,
                       const struct lxs_window *w)
{
    int rc;

    JSON(cli_json_key(g, key));
    JSON(cli_json_map_open(g));
    JSON(cli_json_key(g, "base"));
    JSON(cli_json_hex(g, w->base));
    JSON(cli_json_key(g, "size"));
    JSON(cli_json_hex(g, w->size));
    JSON(cli_json_map_close(g));
out:
    return rc;
}

static int json_plan(yajl_gen g, const struct lxs_plan *p,
                     const struct lxs_spec *spec)
{
    int rc;

    JSON(cli_json_map_open(g));
    JSON(cli_json_key(g, "name"));
    JSON(cli_json_str(g, plan_name(p, spec)));
    JSON(cli_json_key(g, "file"));
    JSON(cli_json_str(g, spec->file));
    JSON(cli_json_key(g, "direct_map"));
    JSON(cli_json_bool(g, p->direct_map));
    JSON(cli_json_key(g, "automatic"));
    JSON(cli_json_bool(g, p->automatic));
    JSON(cli_json_extents(g, p->ext, p->nr_ext));
    JSON(cli_json_key(g, "dma_offset"));
    if (p->has_dma_offset)
        JSON(cli_json_hex(g, p->dma_offset));
    else
        JSON(cli_json_null(g));
    JSON(json_window(g, "gnttab", &p->gnttab));
    JSON(json_window(g, "magic", &p->magic));
    JSON(cli_json_key(g, "windows_moved"));
    JSON(cli_json_bool(g, p->windows_moved));
    JSON(cli_json_key(g, "magic_in_ram"));
    JSON(cli_json_bool(g, p->magic_in_ram));
    JSON(cli_json_map_close(g));
out:
    return rc;
}

struct plan_output {
    const struct cli_inputs *in;
    const struct lxs_plan *plans;
};

/* With errors, "domains" is empty: a partial plan is no plan. */
static int json_plans(yajl_gen g, const void *arg)
{
    const struct plan_output *po = arg;
    const struct lxs_diags *diags = &po->in->diags;
    int i, rc;

    JSON(cli_json_key(g, "domains"));
    JSON(cli_json_array_open(g));
    for (i = 0; !diags->nr_errors && i < po->in->nr; i++)
        JSON(json_plan(g, &po->plans[i], &po->in->specs[i]));
    JSON(cli_json_array_close(g));
    JSON(cli_json_diags(g, diags));
out:
    return rc;
}

static void print_plans_text(const struct lxs_plan *plans,
                             const struct cli_inputs *in)
{
    int i;

    /* Findings go to stderr: stdout carries only the plan. */
    cli_print_diags_text(stderr, &in->diags);
    if (in->diags.nr_errors)
        cli_print_diags_count(stderr, &in->diags, in->nr);
    for (i = 0; !in->diags.nr_errors && i < in->nr; i++) {
        if (i)
            printf("\n");
        print_plan_text(&plans[i], &in->specs[i]);
    }
}

/*
 * --map: the host map with the planned extents (a plan without errors)
 * drawn as owned by their domains; the text map follows the plan.
 */
static int draw_plans(struct lxs_hostmap *map, const struct lxs_plan *plans,
                      int nr, const char *map_file)
{
    struct cli_memlist ml;
    int rc, ret;

    cli_memlist_init(&ml, "plan");
    rc = cli_hostmap_add_plans(map, plans, nr);
    if (!rc)
        rc = cli_memlist_from_hostmap(&ml, map);
    if (rc) {
        cli_err("plan: cannot draw the map: %s", strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    if (!map_file)
        printf("\n");
    ret = cli_map_emit(map_file, &ml, map);
out:
    cli_memlist_dispose(&ml);
    return ret;
}

int main_plan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"state-dir", 1, 0, 'S'},
        {"boot", 0, 0, 'B'},
        {"map", 2, 0, 'M'},
        CLI_FINDING_OPTS,
        COMMON_LONG_OPTS
    };
    struct cli_opts o = { 0 };
    struct cli_inputs in;
    struct lxs_plan *plans = NULL;
    struct plan_output po = { &in, NULL };
    int opt, nr = 0, i, ret;

    SWITCH_FOREACH_OPT(opt, "jW:", opts, "plan", 1) {
    default:
        cli_opt(&o, opt);
        break;
    }

    cli_inputs_init(&in);
    ret = cli_map_check_opts(&o, "plan");
    if (!ret)
        ret = cli_inputs_load(&in, &o, argv + optind, argc - optind, true);
    if (ret)
        goto out;

    plans = calloc(in.nr, sizeof(*plans));
    if (!plans) {
        cli_err("plan failed: %s", strerror(ENOMEM));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    for (nr = 0; nr < in.nr; nr++)
        lxs_plan_init(&plans[nr]);

    ret = cli_inputs_check(&in, &o, "plan", plans);
    if (ret)
        goto out;

    if (o.json) {
        po.plans = plans;
        ret = cli_json_print(json_plans, &po);
        if (ret)
            goto out;
    } else {
        print_plans_text(plans, &in);
    }
    ret = in.diags.nr_errors ? XLS_EXIT_FINDINGS : XLS_EXIT_OK;
    if (!ret && o.map)
        ret = draw_plans(&in.map, plans, in.nr, o.map_file);

out:
    for (i = 0; i < nr; i++)
        lxs_plan_dispose(&plans[i]);
    free(plans);
    cli_inputs_dispose(&in);
    return ret;
}
