/*
 * static-mem-list [--host-dtb F | --live] [-j] [--map[=FILE.svg]]: every
 * RAM range of the host with its type, owner domain, label and state,
 * as a listing or drawn as a map.  Live from the
 * hypervisor's static-extent query when it runs on a patched Xen, else
 * offline from the host DTB; --host-dtb asks for the file, --live
 * refuses to fall back to it.
 */
#include <errno.h>
#include <string.h>

#include "lxs_hv.h"
#include "xl_static.h"

/*
 * The live map when the hypervisor gives one.  Returns 0 with @map
 * filled, 1 when there is no hypervisor to ask (not on Xen, or a Xen
 * without the interface) and @live_only is false, else an exit status.
 */
static int load_live(struct lxs_hostmap *map, bool live_only)
{
    int rc = cli_load_live_hostmap(map);

    if (!rc)
        return 0;
    if (!live_only && (rc == -ENOENT || rc == -EOPNOTSUPP)) {
        cli_verbose("static-mem-list: %s; reading the host dtb",
                    rc == -ENOENT ? "not running on xen" :
                    lxs_hv_strerror("query", rc));
        return 1;
    }
    cli_err("static-mem-list: %s", rc == -ENOENT ?
            "not running on xen (no /dev/xen/privcmd)" :
            lxs_hv_strerror("query", rc));
    return XLS_EXIT_CANNOT_RUN;
}

int main_static_mem_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"live", 0, 0, 'L'},
        {"state-dir", 1, 0, 'S'},
        {"map", 2, 0, 'M'},
        COMMON_LONG_OPTS
    };
    struct lxs_hostmap map;
    struct cli_memlist ml;
    struct cli_opts o = { 0 };
    bool live_only = false;
    int opt, rc, ret;

    SWITCH_FOREACH_OPT(opt, "j", opts, "static-mem-list", 0) {
    case 'L':
        live_only = true;
        break;
    default:
        cli_opt(&o, opt);
        break;
    }

    lxs_hostmap_init(&map);
    cli_memlist_init(&ml, "host-dtb");

    if (optind < argc) {
        cli_err("static-mem-list: unexpected argument '%s'", argv[optind]);
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }

    ret = cli_map_check_opts(&o, "static-mem-list");
    if (ret)
        goto out;
    if (o.host_dtb && live_only) {
        cli_err("static-mem-list: --host-dtb and --live exclude each other");
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    ret = o.host_dtb ? 1 : load_live(&map, live_only);
    if (ret == 0) {
        ml.source = "live";
    } else if (ret == 1) {
        /* a failed live read may have left regions behind */
        lxs_hostmap_dispose(&map);
        lxs_hostmap_init(&map);
        ret = cli_load_hostmap(o.host_dtb, &map);
        if (ret)
            goto out;
    } else {
        goto out;
    }
    ret = cli_load_registry(o.state_dir, &map);
    if (ret)
        goto out;

    rc = cli_memlist_from_hostmap(&ml, &map);
    /* the text map replaces the listing; an SVG comes with it */
    if (!rc && (!o.map || o.map_file))
        rc = cli_memlist_print(stdout, &ml, o.json);
    if (rc) {
        cli_err("static-mem-list: %s", strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    ret = o.map ? cli_map_emit(o.map_file, &ml, &map) : XLS_EXIT_OK;

out:
    cli_memlist_dispose(&ml);
    lxs_hostmap_dispose(&map);
    return ret;
}
