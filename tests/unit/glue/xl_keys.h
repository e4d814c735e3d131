/*
 * xl's own keys of a domain cfg as Xen 4.17's xl_parse.c reads them into
 * libxl's build info, in types of neither libxl (xl_keys.c is compiled
 * against the real libxl.h and libxlutil.h, test_glue.c against the
 * stand-in): test_glue copies them into the stand-in's config.
 */
#ifndef XL_KEYS_H
#define XL_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define XLK_NR_ON 5     /* on_poweroff, on_reboot, on_watchdog, on_crash,
                           on_soft_reset: libxl_domain_config's order */

struct xlk {
    char *name;
    uint64_t target_memkb, max_memkb;   /* libxl's LIBXL_MEMKB_DEFAULT */
    int max_vcpus;
    int vuart;                          /* libxl_vuart_type */
    int gic_version;                    /* libxl_gic_version */
    int on[XLK_NR_ON];                  /* libxl_action_on_shutdown */
    int num_dtdevs, num_irqs, num_iomem;
    char *device_tree;
};

/*
 * Reads @text (@len bytes, from @path) with libxlutil as xl does:
 * 0 and *@k filled, 1 where xl refuses the cfg (a cfg syntax error or a
 * value of its own keys it does not take), -ENOMEM.
 */
int xlk_read(const char *path, const char *text, size_t len, struct xlk *k);
void xlk_dispose(struct xlk *k);

/* The real libxl's values of the constants the stand-in declares. */
struct xlk_consts {
    uint64_t memkb_default;
    int gic_default, gic_v2, gic_v3;
    int vuart_sbsa;
    int on_destroy, on_restart, on_rename_restart, on_soft_reset;
};
void xlk_real_consts(struct xlk_consts *c);

#endif
