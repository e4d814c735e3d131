/*
 * The reservation registry as the commands use it: where it lives, how
 * it is opened, and how its reservations join the host memory map that
 * check, plan, create and static-mem-list read (docs/registry.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

int cli_open_registry(const char *opt, unsigned int flags,
                      struct lxs_registry *reg)
{
    const char *dir = lxs_registry_dir(opt);
    char *why = NULL;
    int rc;

    rc = lxs_registry_open(reg, dir, flags, &why);
    if (rc) {
        cli_err("cannot %s registry '%s/%s': %s",
                flags & LXS_REGISTRY_WRITE ? "update" : "read", dir,
                LXS_REGISTRY_FILE, why ? why : strerror(-rc));
        free(why);
        return XLS_EXIT_CANNOT_RUN;
    }
    cli_verbose("registry '%s/%s': %zu reservation%s%s", dir,
                LXS_REGISTRY_FILE, reg->nr, reg->nr == 1 ? "" : "s",
                reg->lock_fd < 0 ? " (read without the lock)" : "");
    return 0;
}

int cli_registry_to_hostmap(const struct lxs_registry *reg,
                            struct lxs_hostmap *map)
{
    int rc;

    rc = lxs_registry_add_to_hostmap(reg, map);
    if (rc) {
        cli_err("cannot add the registry to the host map: %s",
                strerror(-rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    return 0;
}

int cli_load_registry(const char *opt, struct lxs_hostmap *map)
{
    struct lxs_registry reg;
    int ret;

    lxs_registry_init(&reg);
    ret = cli_open_registry(opt, 0, &reg);
    if (!ret)
        ret = cli_registry_to_hostmap(&reg, map);
    lxs_registry_close(&reg);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Output shared by plan, create and release                           */

uint64_t cli_extents_size(const struct lxs_extent *ext, size_t nr)
{
    uint64_t total = 0;
    size_t i;

    for (i = 0; i < nr; i++)
        total += ext[i].size;   /* bounded: each extent ends below 2^48 */
    return total;
}

void cli_print_extents(FILE *f, const struct lxs_extent *ext, size_t nr)
{
    char host[XLS_RANGE_STRLEN], guest[XLS_RANGE_STRLEN];
    char size[LXS_SIZE_STRLEN];
    int host_w = (int)strlen("host"), guest_w = (int)strlen("guest"), n;
    size_t i;

    for (i = 0; i < nr; i++) {
        n = (int)strlen(cli_fmt_range(ext[i].host, ext[i].size, host));
        if (n > host_w)
            host_w = n;
        n = (int)strlen(cli_fmt_range(ext[i].guest, ext[i].size, guest));
        if (n > guest_w)
            guest_w = n;
    }
    fprintf(f, "  %-*s  %-*s  %s\n", host_w, "host", guest_w, "guest",
            "size");
    for (i = 0; i < nr; i++)
        fprintf(f, "  %-*s  %-*s  %s\n",
                host_w, cli_fmt_range(ext[i].host, ext[i].size, host),
                guest_w, cli_fmt_range(ext[i].guest, ext[i].size, guest),
                lxs_fmt_size(ext[i].size, size));
}

char *cli_fmt_range(uint64_t start, uint64_t size,
                    char buf[XLS_RANGE_STRLEN])
{
    snprintf(buf, XLS_RANGE_STRLEN, "0x%" PRIx64 "-0x%" PRIx64, start,
             start + size);
    return buf;
}

int cli_json_extents(yajl_gen g, const struct lxs_extent *ext, size_t nr)
{
    size_t i;
    int rc;

    JSON(cli_json_key(g, "extents"));
    JSON(cli_json_array_open(g));
    for (i = 0; i < nr; i++) {
        JSON(cli_json_map_open(g));
        JSON(cli_json_key(g, "host"));
        JSON(cli_json_hex(g, ext[i].host));
        JSON(cli_json_key(g, "guest"));
        JSON(cli_json_hex(g, ext[i].guest));
        JSON(cli_json_key(g, "size"));
        JSON(cli_json_hex(g, ext[i].size));
        JSON(cli_json_map_close(g));
    }
    JSON(cli_json_array_close(g));
out:
    return rc;
}
