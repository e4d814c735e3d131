/*
 * xl's own keys, read as Xen 4.17's tools/xl/xl_parse.c reads them
 * (parse_config_data): compiled against the real libxl.h and libxlutil.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxlutil.h>

#include "xl_keys.h"

void xlk_real_consts(struct xlk_consts *c)
{
    c->memkb_default = LIBXL_MEMKB_DEFAULT;
    c->gic_default = LIBXL_GIC_VERSION_DEFAULT;
    c->gic_v2 = LIBXL_GIC_VERSION_V2;
    c->gic_v3 = LIBXL_GIC_VERSION_V3;
    c->vuart_sbsa = LIBXL_VUART_TYPE_SBSA_UART;
    c->on_destroy = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    c->on_restart = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    c->on_rename_restart = LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME;
    c->on_soft_reset = LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET;
}

void xlk_dispose(struct xlk *k)
{
    free(k->name);
    free(k->device_tree);
    memset(k, 0, sizeof(*k));
}

/* xl's defaults, then each key as xl_parse.c takes it; 1: xl exits. */
static int read_keys(XLU_Config *cfg, struct xlk *k)
{
    static const char *const on_keys[XLK_NR_ON] = {
        "on_poweroff", "on_reboot", "on_watchdog", "on_crash",
        "on_soft_reset",
    };
    static const char *const on_default[XLK_NR_ON] = {
        "destroy", "restart", "destroy", "destroy", "soft-reset",
    };
    /* xl_parse.c's action_on_shutdown_names */
    static const char *const actions[] = {
        [LIBXL_ACTION_ON_SHUTDOWN_DESTROY] = "destroy",
        [LIBXL_ACTION_ON_SHUTDOWN_RESTART] = "restart",
        [LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME] = "rename-restart",
        [LIBXL_ACTION_ON_SHUTDOWN_PRESERVE] = "preserve",
        [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY] = "coredump-destroy",
        [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART] = "coredump-restart",
        [LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET] = "soft-reset",
    };
    XLU_ConfigList *list;
    const char *s;
    long l, vcpus = 1;
    int n, i;

    if (!xlu_cfg_get_string(cfg, "name", &s, 0) && !(k->name = strdup(s)))
        return -ENOMEM;
    if (!xlu_cfg_get_long(cfg, "memory", &l, 0))
        k->target_memkb = (uint64_t)l * 1024;
    if (!xlu_cfg_get_long(cfg, "maxmem", &l, 0))
        k->max_memkb = (uint64_t)l * 1024;
    if (!xlu_cfg_get_long(cfg, "vcpus", &l, 0))
        vcpus = l;
    if (!xlu_cfg_get_long(cfg, "maxvcpus", &l, 0))
        k->max_vcpus = (int)l;
    if (!xlu_cfg_get_string(cfg, "vuart", &s, 0)) {
        libxl_vuart_type v;

        if (libxl_vuart_type_from_string(s, &v))
            return 1;
        k->vuart = v;
    }
    if (k->max_memkb == LIBXL_MEMKB_DEFAULT)
        k->max_memkb = k->target_memkb;
    if (!k->max_vcpus)
        k->max_vcpus = (int)vcpus;
    if (k->max_vcpus < vcpus)
        return 1;                       /* "xl: maxvcpus < vcpus" */
    for (i = 0; i < XLK_NR_ON; i++) {
        int a;

        if (xlu_cfg_get_string(cfg, on_keys[i], &s, 0))
            s = on_default[i];
        /* xl's parse_action_on_shutdown: its own names, exactly */
        for (a = 0; a < (int)(sizeof(actions) / sizeof(actions[0])); a++)
            if (actions[a] && !strcmp(s, actions[a]))
                break;
        if (a == (int)(sizeof(actions) / sizeof(actions[0])))
            return 1;
        k->on[i] = a;
    }
    if (!xlu_cfg_get_list(cfg, "dtdev", &list, &n, 0))
        k->num_dtdevs = n;
    if (!xlu_cfg_get_string(cfg, "device_tree", &s, 0) &&
        !(k->device_tree = strdup(s)))
        return -ENOMEM;
    if (!xlu_cfg_get_list(cfg, "irqs", &list, &n, 0))
        k->num_irqs = n;
    if (!xlu_cfg_get_list(cfg, "iomem", &list, &n, 0))
        k->num_iomem = n;
    if (!xlu_cfg_get_string(cfg, "gic_version", &s, 1)) {
        libxl_gic_version g;

        if (libxl_gic_version_from_string(s, &g))
            return 1;
        k->gic_version = g;
    }
    return 0;
}

int xlk_read(const char *path, const char *text, size_t len, struct xlk *k)
{
    FILE *devnull = fopen("/dev/null", "w");
    XLU_Config *cfg;
    int rc;

    memset(k, 0, sizeof(*k));
    k->target_memkb = LIBXL_MEMKB_DEFAULT;
    k->max_memkb = LIBXL_MEMKB_DEFAULT;
    if (!devnull)
        return -errno;
    cfg = xlu_cfg_init(devnull, path);
    if (!cfg) {
        fclose(devnull);
        return -ENOMEM;
    }
    rc = xlu_cfg_readdata(cfg, text, (int)len) ? 1 : read_keys(cfg, k);
    xlu_cfg_destroy(cfg);
    fclose(devnull);
    if (rc)
        xlk_dispose(k);
    return rc;
}
