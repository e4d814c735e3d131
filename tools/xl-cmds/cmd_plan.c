/*
 * plan [--host-dtb F] [-j] [--boot] CFG...: plans the domains of the
 * cfg files together and prints, for each, its guest RAM extents (host
 * address, guest address, size), the grant-table and magic windows and
 * the dma-offset.  No side effects.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

/* "0x40000000-0x50000000": half-open, as Xen prints its banks. */
#define RANGE_STRLEN (2 * (2 + 16) + 2)

static char *fmt_range(uint64_t start, uint64_t size, char buf[RANGE_STRLEN])
{
    snprintf(buf, RANGE_STRLEN, "0x%" PRIx64 "-0x%" PRIx64, start,
             start + size);
    return buf;
}

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
    char range[RANGE_STRLEN], size[LXS_SIZE_STRLEN];

    printf("  %-12s %s (%s%s%s)\n", what, fmt_range(w->base, w->size, range),
           lxs_fmt_size(w->size, size), note ? ", " : "", note ? note : "");
}

static void print_plan_text(const struct lxs_plan *p,
                            const struct lxs_spec *spec)
{
    char host[RANGE_STRLEN], guest[RANGE_STRLEN], size[LXS_SIZE_STRLEN];
    int host_w = (int)strlen("host"), guest_w = (int)strlen("guest");
    size_t i;

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

    for (i = 0; i < p->nr_ext; i++) {
        int n;

        n = (int)strlen(fmt_range(p->ext[i].host, p->ext[i].size, host));
        if (n > host_w)
            host_w = n;
        n = (int)strlen(fmt_range(p->ext[i].guest, p->ext[i].size, guest));
        if (n > guest_w)
            guest_w = n;
    }
    printf("  %-*s  %-*s  %s\n", host_w, "host", guest_w, "guest", "size");
    for (i = 0; i < p->nr_ext; i++) {
        const struct lxs_extent *e = &p->ext[i];

        printf("  %-*s  %-*s  %s\n",
               host_w, fmt_range(e->host, e->size, host),
               guest_w, fmt_range(e->guest, e->size, guest),
               lxs_fmt_size(e->size, size));
    }

    print_window("grant table", &p->gnttab,
                 p->windows_moved ? "moved" : NULL);
    print_window("magic pages", &p->magic,
                 p->magic_in_ram ? "top of guest RAM, reserved" :
                 p->windows_moved ? "moved" : NULL);
    if (!p->has_dma_offset)
        printf("  %-12s none (guest RAM is not at one host offset)\n",
               "dma-offset");
    else if ((int64_t)p->dma_offset < 0)
        printf("  %-12s -0x%" PRIx64 " (host = guest - 0x%" PRIx64 ")\n",
               "dma-offset", -p->dma_offset, -p->dma_offset);
    else
        printf("  %-12s 0x%" PRIx64 "\n", "dma-offset", p->dma_offset);
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
    size_t i;
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
    JSON(cli_json_key(g, "extents"));
    JSON(cli_json_array_open(g));
    for (i = 0; i < p->nr_ext; i++) {
        JSON(cli_json_map_open(g));
        JSON(cli_json_key(g, "host"));
        JSON(cli_json_hex(g, p->ext[i].host));
        JSON(cli_json_key(g, "guest"));
        JSON(cli_json_hex(g, p->ext[i].guest));
        JSON(cli_json_key(g, "size"));
        JSON(cli_json_hex(g, p->ext[i].size));
        JSON(cli_json_map_close(g));
    }
    JSON(cli_json_array_close(g));
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

/* With errors, "domains" is empty: a partial plan is no plan. */
static int print_json(const struct lxs_plan *plans,
                      const struct lxs_spec *specs, int nr,
                      const struct lxs_diags *diags)
{
    yajl_gen g = NULL;
    int i, rc;

    JSON(cli_json_new(&g));
    JSON(cli_json_map_open(g));
    JSON(cli_json_key(g, "domains"));
    JSON(cli_json_array_open(g));
    for (i = 0; !diags->nr_errors && i < nr; i++)
        JSON(json_plan(g, &plans[i], &specs[i]));
    JSON(cli_json_array_close(g));
    JSON(cli_json_diags(g, diags));
    JSON(cli_json_map_close(g));
    rc = cli_json_finish(g, stdout);
    g = NULL;
out:
    if (g)
        yajl_gen_free(g);
    return rc;
}

int main_plan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"state-dir", 1, 0, 'S'},
        {"boot", 0, 0, 'B'},
        COMMON_LONG_OPTS
    };
    struct lxs_check_opts copts = { .mode = LXS_MODE_RUNTIME };
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct lxs_spec *specs = NULL;
    struct lxs_plan *plans = NULL;
    const char *host_dtb = NULL, *state_dir = NULL;
    bool json = false;
    int opt, nr, i, rc, ret;

    SWITCH_FOREACH_OPT(opt, "j", opts, "plan", 1) {
    case 'j':
        json = true;
        break;
    case 'H':
        host_dtb = optarg;
        break;
    case 'S':
        state_dir = optarg;
        break;
    case 'B':
        copts.mode = LXS_MODE_BOOT;
        break;
    }

    lxs_hostmap_init(&map);
    lxs_diags_init(&diags);
    nr = argc - optind;

    ret = cli_load_hostmap(host_dtb, &map);
    if (ret)
        goto out;
    ret = cli_load_registry(state_dir, &map);
    if (ret)
        goto out;
    ret = cli_load_specs(argv + optind, nr, &specs, &diags);
    if (ret)
        goto out;

    plans = calloc(nr, sizeof(*plans));
    if (!plans) {
        cli_err("plan failed: %s", strerror(ENOMEM));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    for (i = 0; i < nr; i++)
        lxs_plan_init(&plans[i]);

    rc = lxs_check(&map, specs, nr, &copts, &diags, plans);
    if (rc && (rc != -EINVAL || !diags.nr_errors)) {
        cli_err("plan failed: %s", strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }

    if (json) {
        rc = print_json(plans, specs, nr, &diags);
        if (rc) {
            cli_err("cannot write JSON: %s", strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    } else {
        /* Findings go to stderr: stdout carries only the plan. */
        cli_print_diags_text(stderr, &diags);
        if (diags.nr_errors)
            cli_print_diags_count(stderr, &diags, nr);
        for (i = 0; !diags.nr_errors && i < nr; i++) {
            if (i)
                printf("\n");
            print_plan_text(&plans[i], &specs[i]);
        }
    }
    ret = diags.nr_errors ? XLS_EXIT_FINDINGS : XLS_EXIT_OK;

out:
    if (plans) {
        for (i = 0; i < nr; i++)
            lxs_plan_dispose(&plans[i]);
        free(plans);
    }
    cli_specs_free(specs, nr);
    lxs_diags_dispose(&diags);
    lxs_hostmap_dispose(&map);
    return ret;
}
