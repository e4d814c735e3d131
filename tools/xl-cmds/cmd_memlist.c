/*
 * static-mem-list [--host-dtb F] [-j]: every RAM range of the host with
 * its type, owner domain, label and state, read offline from the host
 * DTB.  (The live listing, from the hypervisor query, feeds the same
 * xls_memlist printer.)
 */
#include <errno.h>
#include <string.h>

#include "xl_static.h"

int main_static_mem_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"state-dir", 1, 0, 'S'},
        COMMON_LONG_OPTS
    };
    struct lxs_hostmap map;
    struct xls_memlist ml;
    const char *host_dtb = NULL, *state_dir = NULL;
    bool json = false;
    int opt, rc, ret;

    SWITCH_FOREACH_OPT(opt, "j", opts, "static-mem-list", 0) {
    case 'j':
        json = true;
        break;
    case 'H':
        host_dtb = optarg;
        break;
    case 'S':
        state_dir = optarg;
        break;
    }

    lxs_hostmap_init(&map);
    xls_memlist_init(&ml, "host-dtb");

    if (optind < argc) {
        xls_err("static-mem-list: unexpected argument '%s'", argv[optind]);
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }

    ret = xls_load_hostmap(host_dtb, &map);
    if (ret)
        goto out;
    ret = xls_load_registry(state_dir, &map);
    if (ret)
        goto out;

    rc = xls_memlist_from_hostmap(&ml, &map);
    if (!rc)
        rc = xls_memlist_print(stdout, &ml, json);
    if (rc) {
        xls_err("static-mem-list: %s", strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    ret = XLS_EXIT_OK;

out:
    xls_memlist_dispose(&ml);
    lxs_hostmap_dispose(&map);
    return ret;
}
