/*
 * A stand-in for the patched libxl.h, for compiling the xl/libxl glue
 * (tools/xl-cmds/xl_glue/) on the build machine, whose libxenlight is
 * Debian's unpatched one: it lacks the build-info fields that tools
 * patch 0002 adds.  It declares only what the glue uses, with the names,
 * types and values of the patched libxl: the fields of patch 0002's IDL
 * hunk (test_glue checks that each one is in that patch) and libxl's own
 * types and constants (test_glue checks the constants against the real
 * libxl.h when the build machine has one, real_libxl.c).  Nothing here
 * is the glue's logic: it is the data the glue reads and writes.
 */
#ifndef XLS_STANDIN_LIBXL_H
#define XLS_STANDIN_LIBXL_H

#include <stdbool.h>
#include <stdint.h>

#define XLS_LIBXL_STANDIN 1

typedef struct libxl__ctx libxl_ctx;

/* libxl.h (Xen 4.17) */
#define LIBXL_MEMKB_DEFAULT (~(uint64_t)0)

/* tools patch 0002 */
#define LIBXL_HAVE_BUILDINFO_ARCH_ARM_STATIC_MEM 1
#define LIBXL_STATIC_ADDR_NONE (~(uint64_t)0)
#define LIBXL_STATIC_RAMBASE_PFN_NONE LIBXL_STATIC_ADDR_NONE
#define LIBXL_STATIC_MEM_NO_GUEST_ADDR LIBXL_STATIC_ADDR_NONE

/* _libxl_types.h (Xen 4.17): the enumerations the glue reads */
typedef enum libxl_action_on_shutdown {
    LIBXL_ACTION_ON_SHUTDOWN_DESTROY = 1,
    LIBXL_ACTION_ON_SHUTDOWN_RESTART = 2,
    LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME = 3,
    LIBXL_ACTION_ON_SHUTDOWN_PRESERVE = 4,
    LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY = 5,
    LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART = 6,
    LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET = 7,
} libxl_action_on_shutdown;

typedef enum libxl_gic_version {
    LIBXL_GIC_VERSION_DEFAULT = 0,
    LIBXL_GIC_VERSION_V2 = 0x20,
    LIBXL_GIC_VERSION_V3 = 0x30,
} libxl_gic_version;

typedef enum libxl_vuart_type {
    LIBXL_VUART_TYPE_UNKNOWN = 0,
    LIBXL_VUART_TYPE_SBSA_UART = 1,
} libxl_vuart_type;

/* tools patch 0002: libxl_static_mem_extent */
typedef struct libxl_static_mem_extent {
    uint64_t host_addr;
    uint64_t size;
    uint64_t guest_addr;
} libxl_static_mem_extent;

void libxl_static_mem_extent_init(libxl_static_mem_extent *p);

typedef struct libxl_domain_create_info {
    char *name;
} libxl_domain_create_info;

typedef struct libxl_domain_build_info {
    int max_vcpus;
    uint64_t max_memkb;
    uint64_t target_memkb;
    char *device_tree;
    int num_iomem;
    int num_irqs;
    struct {
        libxl_gic_version gic_version;
        libxl_vuart_type vuart;
        /* tools patch 0002 */
        bool static_direct_map;
        uint64_t static_rambase_pfn;
        libxl_static_mem_extent *static_mem;
        int num_static_mem;
        uint64_t static_mem_chunk_kb;
    } arch_arm;
} libxl_domain_build_info;

typedef struct libxl_domain_config {
    libxl_domain_create_info c_info;
    libxl_domain_build_info b_info;
    int num_dtdevs;
    libxl_action_on_shutdown on_poweroff;
    libxl_action_on_shutdown on_reboot;
    libxl_action_on_shutdown on_watchdog;
    libxl_action_on_shutdown on_crash;
    libxl_action_on_shutdown on_soft_reset;
} libxl_domain_config;

/* libxl_utils.h */
char *libxl_domid_to_name(libxl_ctx *ctx, uint32_t domid);

#endif /* XLS_STANDIN_LIBXL_H */
