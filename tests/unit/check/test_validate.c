/*
 * Validation: every diagnostic code has a case that triggers it and a
 * near miss that does not (boundary values: one page, adjacent ranges,
 * the end of RAM, the end of the address spaces).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_tests.h"

/* The case table leaves the trailing fields of near misses out. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/*
 * The host of these cases:
 *   RAM      [0x40000000, 0x80000000) and [0x100000000, 0x140000000)
 *   reserved [0x48000000, 0x48200000) /reserved-memory/cma@48000000
 *   owned    [0x50000000, 0x50800000) domain "dl1" (dom0less bank)
 *            [0x52000000, 0x52800000) domain "rs" (not a boot bank)
 *   pool     [0x60000000, 0x70000000)
 */
static const struct hm_region ram[] = {
    { 0x40000000, 0x80000000, "/memory@40000000", NULL },
    { 0x100000000, 0x140000000, "/memory@100000000", NULL },
    { 0 },
};
static const struct hm_region reserved[] = {
    { 0x48000000, 0x48200000, "/reserved-memory/cma@48000000", NULL },
    { 0 },
};
static const struct hm_region owned[] = {
    { 0x50000000, 0x50800000, "/chosen/domU1", "dl1" },
    { 0x52000000, 0x52800000, "registry", "rs" },
    { 0 },
};
static const struct hm_region pool[] = {
    { 0x60000000, 0x70000000, "/chosen/xen,static-pool", NULL },
    { 0 },
};

#define RT LXS_MODE_RUNTIME
#define BOOT LXS_MODE_BOOT

/* case flags */
#define NOPOOL  (1u << 0)   /* host without a pool */
#define IOMMU   (1u << 1)   /* host with an IOMMU */
#define CLEAN   (1u << 2)   /* near miss: no finding at all */

struct vcase {
    const char *what;
    const char *cfg[3];
    enum lxs_check_mode mode;
    unsigned int flags;
    enum lxs_code code;
    bool hit;               /* a finding with @code and @msg is expected */
    const char *key;        /* its key, when hit */
    const char *msg[4];     /* substrings of its message */
    const char *file;       /* its cfg when not "cfg1" */
};

#define D "name = \"d\"\n"

static const struct vcase cases[] = {
    /* missing */
    { "rambase without memory", { D "rambase_pfn = 0x60000" }, RT, 0,
      LXS_E_MISSING, true, "memory", { "'rambase_pfn' needs 'memory'" } },
    { "mem_chunk without memory", { D "mem_chunk = 2" }, RT, 0,
      LXS_E_MISSING, true, "memory", { "'mem_chunk' needs" } },
    { "direct_map without memory", { D "direct_map = 1" }, RT, 0,
      LXS_E_MISSING, true, "memory", { "'direct_map = 1' needs" } },
    { "no name", { "memory = 16\nstatic_mem = [ \"0x60000000:16M\" ]" }, RT,
      0, LXS_E_MISSING, true, "name", { "no 'name'" } },
    { "empty static_mem", { D "static_mem = [ ]" }, RT, 0,
      LXS_E_MISSING, true, "static_mem", { "empty" } },
    { "direct_map with static_mem only",
      { D "direct_map = 1\nstatic_mem = [ \"0x60000000:16M\" ]" }, RT,
      CLEAN, LXS_E_MISSING, false },
    { "rambase with memory", { D "memory = 16\nrambase_pfn = 0x60000" }, RT,
      CLEAN, LXS_E_MISSING, false },
    { "no placement at all", { D }, RT, CLEAN, LXS_E_MISSING, false },

    /* conflict */
    { "rename-restart of a static domain",
      { D "static_mem = [ \"0x60000000:16M\" ]\n"
          "on_crash = \"rename-restart\"" }, RT, 0,
      LXS_E_CONFLICT, true, "on_crash",
      { "'on_crash = \"rename-restart\"' keeps the old instance",
        "use \"restart\"" } },
    { "rename-restart of a chunked domain",
      { D "memory = 32\nmem_chunk = 16\non_reboot = \"rename-restart\"" },
      RT, 0, LXS_E_CONFLICT, true, "on_reboot", { "on_reboot" } },
    { "rename-restart of a 1:1 domain on poweroff",
      { D "memory = 16\ndirect_map = 1\n"
          "on_poweroff = \"rename-restart\"" }, RT, 0,
      LXS_E_CONFLICT, true, "on_poweroff", { "on_poweroff" } },
    { "restart actions of a static domain",
      { D "static_mem = [ \"0x60000000:16M\" ]\non_crash = \"restart\"\n"
          "on_reboot = \"coredump-restart\"\non_poweroff = \"preserve\"" },
      RT, CLEAN, LXS_E_CONFLICT, false },
    { "rename-restart of a domain with no static memory",
      { D "memory = 16\non_crash = \"rename-restart\"" }, RT, CLEAN,
      LXS_E_CONFLICT, false },
    /* a warning the cfg acknowledges is not reported */
    { "unsafe-dma acknowledged by the cfg",
      { D "memory = 16\ndirect_map = 1\nirqs = [ 112 ]\n"
          "xl_static_accept = [ \"unsafe-dma\" ]" }, RT, CLEAN,
      LXS_W_UNSAFE_DMA, false },
    { "unsafe-dma not acknowledged",
      { D "memory = 16\ndirect_map = 1\nirqs = [ 112 ]\n"
          "xl_static_accept = [ \"unknown-key\" ]" }, RT, 0,
      LXS_W_UNSAFE_DMA, true, "direct_map", { "no iommu" } },
    /* maxmem of a static domain is its memory */
    { "maxmem above memory of a 1:1 domain",
      { D "memory = 16\nmaxmem = 32\ndirect_map = 1" }, RT, 0,
      LXS_E_CONFLICT, true, "maxmem",
      { "'maxmem' 32M is not the domain's memory 16M", "balloon" } },
    { "maxmem below the static_mem sum",
      { D "maxmem = 8\nstatic_mem = [ \"0x60000000:16M\" ]" }, RT, 0,
      LXS_E_CONFLICT, true, "maxmem", { "'maxmem' 8M", "memory 16M" } },
    { "maxmem above memory of a chunked domain",
      { D "memory = 32\nmaxmem = 0x40\nmem_chunk = 16" }, RT, 0,
      LXS_E_CONFLICT, true, "maxmem", { "'maxmem' 64M", "memory 32M" } },
    { "maxmem equal to the static_mem sum",
      { D "maxmem = 16\nstatic_mem = [ \"0x60000000:16M\" ]" }, RT, CLEAN,
      LXS_E_CONFLICT, false },
    { "maxmem equal to memory with rambase",
      { D "memory = 16\nmaxmem = 16\nrambase_pfn = 0x60000" }, RT, CLEAN,
      LXS_E_CONFLICT, false },
    { "maxmem above memory without static memory (xl's ballooning)",
      { D "memory = 16\nmaxmem = 64" }, RT, CLEAN, LXS_E_CONFLICT, false },
    { "rambase with static_mem",
      { D "memory = 16\nrambase_pfn = 0x60000\n"
          "static_mem = [ \"0x61000000:16M\" ]" }, RT, 0,
      LXS_E_CONFLICT, true, "rambase_pfn", { "'static_mem'" } },
    { "@GADDR with direct_map",
      { D "direct_map = 1\nstatic_mem = [ \"0x60000000:16M@0x60000000\" ]" },
      RT, 0, LXS_E_CONFLICT, true, "static_mem",
      { "'0x60000000:16M@0x60000000'", "direct_map" } },
    { "two specs with one name",
      { D "memory = 16\nstatic_mem = [ \"0x60000000:16M\" ]",
        D "memory = 16\nstatic_mem = [ \"0x61000000:16M\" ]" }, RT, 0,
      LXS_E_CONFLICT, true, "name", { "'d'", "cfg1" }, "cfg2" },
    { "mem_chunk with aligned rambase",
      { D "memory = 256\nmem_chunk = 256\nrambase_pfn = 0x60000" }, RT,
      CLEAN, LXS_E_CONFLICT, false },
    { "@GADDR without direct_map",
      { D "static_mem = [ \"0x60000000:16M@0x80000000\" ]" }, RT, CLEAN,
      LXS_E_CONFLICT, false },
    { "two specs, two names",
      { D "memory = 16\nstatic_mem = [ \"0x60000000:16M\" ]",
        "name = \"e\"\nstatic_mem = [ \"0x61000000:16M\" ]" }, RT, CLEAN,
      LXS_E_CONFLICT, false },

    /* misaligned */
    { "address", { D "static_mem = [ \"0x60000800:4K\" ]" }, RT, 0,
      LXS_E_MISALIGNED, true, "static_mem",
      { "address 0x60000800 is not 4K aligned" } },
    { "size", { D "static_mem = [ \"0x60000000:6K\" ]" }, RT, 0,
      LXS_E_MISALIGNED, true, "static_mem", { "size 0x1800" } },
    { "guest address",
      { D "static_mem = [ \"0x60000000:4K@0x80000800\" ]" }, RT, 0,
      LXS_E_MISALIGNED, true, "static_mem", { "guest address 0x80000800" } },
    { "static_mem not chunk aligned",
      { D "mem_chunk = 2\nstatic_mem = [ \"0x60100000:2M\" ]" }, RT, 0,
      LXS_E_MISALIGNED, true, "static_mem",
      { "0x60100000", "'mem_chunk' 2M" } },
    { "static_mem size not chunk aligned",
      { D "mem_chunk = 2\nstatic_mem = [ \"0x60000000:3M\" ]" }, RT, 0,
      LXS_E_MISALIGNED, true, "static_mem", { "size 0x300000" } },
    { "rambase not chunk aligned",
      { D "memory = 256\nmem_chunk = 256\nrambase_pfn = 0x61000" }, RT, 0,
      LXS_E_MISALIGNED, true, "rambase_pfn", { "0x61000000", "256M" } },
    { "one page", { D "static_mem = [ \"0x60000000:4K\" ]" }, RT, CLEAN,
      LXS_E_MISALIGNED, false },
    { "chunk aligned", { D "mem_chunk = 2\nstatic_mem = "
                         "[ \"0x60200000:2M\", \"0x60600000:4M\" ]" }, RT,
      CLEAN, LXS_E_MISALIGNED, false },

    /* overflow */
    { "wraps", { D "static_mem = [ \"0xfffffffffffff000:8K\" ]" }, RT, 0,
      LXS_E_OVERFLOW, true, "static_mem", { "wraps" } },
    { "past 48 bits", { D "static_mem = [ \"0xfffffffff000:8K\" ]" }, RT, 0,
      LXS_E_OVERFLOW, true, "static_mem",
      { "48-bit", "0x1000000000000", "[0xfffffffff000, 0x1000000001000)" } },
    { "end of 64-bit space",
      { D "static_mem = [ \"0xfffffffffffff000:4K\" ]" }, RT, 0,
      LXS_E_OVERFLOW, true, "static_mem", { "wraps" } },
    { "rambase_pfn times 4K",
      { D "memory = 16\nrambase_pfn = 0x10000000000000" }, RT, 0,
      LXS_E_OVERFLOW, true, "rambase_pfn", { "64-bit" } },
    { "rambase past 48 bits",
      { D "memory = 16\nrambase_pfn = 0xfffffffff" }, RT, 0,
      LXS_E_OVERFLOW, true, "rambase_pfn", { "48-bit" } },
    { "guest range past the guest space",
      { D "static_mem = [ \"0x60000000:8K@0xfffffff000\" ]" }, RT, 0,
      LXS_E_OVERFLOW, true, "static_mem",
      { "guest address space 0x10000000000" } },
    { "ends at the 48-bit limit",
      { D "static_mem = [ \"0xfffffffff000:4K\" ]" }, BOOT, 0,
      LXS_E_OVERFLOW, false },
    { "guest range ends at the guest space end",
      { D "static_mem = [ \"0x60000000:4K@0xfffffff000\" ]" }, RT, CLEAN,
      LXS_E_OVERFLOW, false },

    /* size-mismatch */
    { "memory larger",
      { D "memory = 32\nstatic_mem = [ \"0x60000000:16M\" ]" }, RT, 0,
      LXS_E_SIZE_MISMATCH, true, "memory",
      { "32M (33554432 bytes)", "16M (16777216 bytes)" } },
    { "memory with empty static_mem", { D "memory = 16\nstatic_mem = [ ]" },
      RT, 0, LXS_E_SIZE_MISMATCH, true, "memory", { "0 (0 bytes)" } },
    { "memory equal", { D "memory = 32\nstatic_mem = "
                        "[ \"0x60000000:16M\", \"0x62000000:16M\" ]" },
      RT, CLEAN, LXS_E_SIZE_MISMATCH, false },

    /* bad-chunk */
    { "not a power of two", { D "memory = 6\nmem_chunk = \"3M\"" }, RT, 0,
      LXS_E_BAD_CHUNK, true, "mem_chunk", { "3M", "power of two" } },
    { "below 2M", { D "memory = 16\nmem_chunk = 1" }, RT, 0,
      LXS_E_BAD_CHUNK, true, "mem_chunk", { "1M", "2M..1G" } },
    { "above 1G", { D "memory = 2048\nmem_chunk = 2048" }, RT, 0,
      LXS_E_BAD_CHUNK, true, "mem_chunk", { "2G", "2M..1G" } },
    { "memory not a multiple", { D "memory = 384\nmem_chunk = 256" }, RT, 0,
      LXS_E_BAD_CHUNK, true, "mem_chunk", { "384M", "256M" } },
    { "2M chunks", { D "memory = 4\nmem_chunk = 2" }, RT, CLEAN,
      LXS_E_BAD_CHUNK, false },
    { "1G chunks", { D "memory = 1024\nmem_chunk = \"1G\"" }, BOOT, CLEAN,
      LXS_E_BAD_CHUNK, false },

    /* outside-ram */
    { "just past a bank", { D "static_mem = [ \"0x80000000:4K\" ]" }, BOOT,
      0, LXS_E_OUTSIDE_RAM, true, "static_mem", { "no ram bank at" } },
    { "across a bank end", { D "static_mem = [ \"0x7ffff000:8K\" ]" }, BOOT,
      0, LXS_E_OUTSIDE_RAM, true, "static_mem",
      { "[0x40000000, 0x80000000) ends at 0x80000000" } },
    { "below ram", { D "static_mem = [ \"0x30000000:4K\" ]" }, BOOT, 0,
      LXS_E_OUTSIDE_RAM, true, "static_mem", { "0x30000000" } },
    { "top of 48 bits", { D "static_mem = [ \"0xfffffffff000:4K\" ]" }, BOOT,
      0, LXS_E_OUTSIDE_RAM, true, "static_mem", { "0xfffffffff000" } },
    { "rambase", { D "memory = 16\nrambase_pfn = 0x30000" }, BOOT, 0,
      LXS_E_OUTSIDE_RAM, true, "rambase_pfn", { "'rambase_pfn' 0x30000" } },
    { "ending at the end of ram",
      { D "static_mem = [ \"0x7ffff000:4K\", \"0x13ffff000:4K\" ]" }, BOOT,
      CLEAN, LXS_E_OUTSIDE_RAM, false },
    { "starting at the start of ram",
      { D "static_mem = [ \"0x40000000:4K\" ]" }, BOOT, CLEAN,
      LXS_E_OUTSIDE_RAM, false },

    /* outside-pool */
    { "across the pool start", { D "static_mem = [ \"0x5ffff000:8K\" ]" },
      RT, 0, LXS_E_OUTSIDE_POOL, true, "static_mem",
      { "[0x5ffff000, 0x60001000)", "pool [0x60000000, 0x70000000)" } },
    { "below the pool", { D "memory = 16\nrambase_pfn = 0x40000" }, RT, 0,
      LXS_E_OUTSIDE_POOL, true, "rambase_pfn", { "0x40000000" } },
    { "exactly the pool", { D "static_mem = [ \"0x60000000:256M\" ]" }, RT,
      CLEAN, LXS_E_OUTSIDE_POOL, false },
    { "boot time, outside the pool",
      { D "static_mem = [ \"0x40000000:4K\" ]" }, BOOT, CLEAN,
      LXS_E_OUTSIDE_POOL, false },
    { "run time, a dom0less domain's whole bank, its own name",
      { "name = \"dl1\"\nstatic_mem = [ \"0x50000000:8M\" ]" }, RT, CLEAN,
      LXS_E_OUTSIDE_POOL, false },
    { "run time, part of a dom0less domain's bank",
      { "name = \"dl1\"\nstatic_mem = [ \"0x50000000:4M\" ]" }, RT, 0,
      LXS_E_OUTSIDE_POOL, true, "static_mem",
      { "[0x50000000, 0x50400000)", "taken back only whole",
        "'/chosen/domU1' has [0x50000000, 0x50800000)" } },
    { "run time, a dom0less domain's bank and more",
      { "name = \"dl1\"\nstatic_mem = [ \"0x4ff00000:9M\" ]" }, RT, 0,
      LXS_E_OUTSIDE_POOL, true, "static_mem", { "taken back only whole" } },
    { "run time, another domain's dom0less bank",
      { D "static_mem = [ \"0x50000000:8M\" ]" }, RT, 0,
      LXS_E_OUTSIDE_POOL, true, "static_mem",
      { "not inside the static pool [0x60000000, 0x70000000)" } },
    { "run time, own memory that is not a boot bank",
      { "name = \"rs\"\nstatic_mem = [ \"0x52000000:8M\" ]" }, RT, 0,
      LXS_E_OUTSIDE_POOL, true, "static_mem",
      { "not inside the static pool [0x60000000, 0x70000000)" } },
    /* no-pool: a run-time claim needs the pool */
    { "run time, host without a pool",
      { D "static_mem = [ \"0x40000000:4K\" ]" }, RT, NOPOOL,
      LXS_E_NO_POOL, true, "static_mem",
      { "declares no static pool", "dtgen host --pool", "--boot" } },
    { "run time, rambase_pfn, host without a pool",
      { D "memory = 16\nrambase_pfn = 0x60000" }, RT, NOPOOL,
      LXS_E_NO_POOL, true, "rambase_pfn", { "no static pool" } },
    { "run time, chunks, host without a pool",
      { D "memory = 16\nmem_chunk = 2" }, RT, NOPOOL,
      LXS_E_NO_POOL, true, "mem_chunk", { "no static pool" } },
    { "run time, automatic 1:1, host without a pool",
      { D "memory = 16\ndirect_map = 1" }, RT, NOPOOL,
      LXS_E_NO_POOL, true, "direct_map", { "no static pool" } },
    { "run time, heap domain, host without a pool",
      { D "memory = 16" }, RT, NOPOOL | CLEAN, LXS_E_NO_POOL, false },
    { "boot, host without a pool",
      { D "kernel = \"Image\"\nstatic_mem = [ \"0x40000000:4K\" ]" }, BOOT,
      NOPOOL | CLEAN, LXS_E_NO_POOL, false },
    { "run time, a dom0less domain's own bank, host without a pool",
      { "name = \"dl1\"\nstatic_mem = [ \"0x50000000:8M\" ]" }, RT,
      NOPOOL | CLEAN, LXS_E_NO_POOL, false },

    /* overlap-reserved */
    { "last page of a reserved region",
      { D "static_mem = [ \"0x481ff000:4K\" ]" }, BOOT, 0,
      LXS_E_OVERLAP_RESERVED, true, "static_mem",
      { "'/reserved-memory/cma@48000000'", "[0x48000000, 0x48200000)",
        "[0x481ff000, 0x48200000)" } },
    { "covering a reserved region",
      { D "memory = 512\nrambase_pfn = 0x40000" }, BOOT, 0,
      LXS_E_OVERLAP_RESERVED, true, "rambase_pfn", { "cma@48000000" } },
    { "boot time, inside the pool",
      { D "static_mem = [ \"0x6ffff000:8K\" ]" }, BOOT, 0,
      LXS_E_OVERLAP_RESERVED, true, "static_mem",
      { "static pool '/chosen/xen,static-pool'",
        "[0x60000000, 0x70000000)" } },
    { "adjacent above", { D "static_mem = [ \"0x48200000:4K\" ]" }, BOOT,
      CLEAN, LXS_E_OVERLAP_RESERVED, false },
    { "adjacent below", { D "static_mem = [ \"0x47fff000:4K\" ]" }, BOOT,
      CLEAN, LXS_E_OVERLAP_RESERVED, false },
    { "boot time, adjacent to the pool",
      { D "static_mem = [ \"0x70000000:4K\", \"0x5ffff000:4K\" ]" }, BOOT,
      CLEAN, LXS_E_OVERLAP_RESERVED, false },

    /* overlap-domain */
    { "memory owned by another domain",
      { D "static_mem = [ \"0x507ff000:4K\" ]" }, BOOT, 0,
      LXS_E_OVERLAP_DOMAIN, true, "static_mem",
      { "domain 'dl1'", "[0x50000000, 0x50800000)" } },
    { "own memory", { "name = \"dl1\"\nstatic_mem = [ \"0x50000000:8M\" ]" },
      BOOT, CLEAN, LXS_E_OVERLAP_DOMAIN, false },
    { "two specs",
      { D "static_mem = [ \"0x60000000:16M\" ]",
        "name = \"e\"\nstatic_mem = [ \"0x60fff000:4K\" ]" }, RT, 0,
      LXS_E_OVERLAP_DOMAIN, true, "static_mem",
      { "domain 'd' (cfg1)", "[0x60000000, 0x61000000)",
        "[0x60fff000, 0x61000000)" }, "cfg2" },
    { "rambase against static_mem",
      { D "memory = 32\nrambase_pfn = 0x60000",
        "name = \"e\"\nstatic_mem = [ \"0x61000000:16M\" ]" }, RT, 0,
      LXS_E_OVERLAP_DOMAIN, true, "static_mem", { "'rambase_pfn' 0x60000" },
      "cfg2" },
    { "two specs, adjacent",
      { D "static_mem = [ \"0x60000000:16M\" ]",
        "name = \"e\"\nstatic_mem = [ \"0x61000000:16M\" ]" }, RT, CLEAN,
      LXS_E_OVERLAP_DOMAIN, false },
    { "next to owned memory", { D "static_mem = [ \"0x50800000:4K\" ]" },
      BOOT, CLEAN, LXS_E_OVERLAP_DOMAIN, false },

    /* overlap-self */
    { "host ranges",
      { D "static_mem = [ \"0x60000000:16M\", \"0x60800000:16M\" ]" }, RT, 0,
      LXS_E_OVERLAP_SELF, true, "static_mem",
      { "'0x60800000:16M'", "'0x60000000:16M'" } },
    { "the same range twice",
      { D "static_mem = [ \"0x60000000:4K\", \"0x60000000:4K\" ]" }, RT, 0,
      LXS_E_OVERLAP_SELF, true, "static_mem", { "same domain" } },
    { "guest ranges",
      { D "static_mem = [ \"0x60000000:16M@0x80000000\", "
          "\"0x62000000:16M@0x80800000\" ]" }, RT, 0,
      LXS_E_OVERLAP_SELF, true, "static_mem",
      { "guest [0x80800000, 0x81800000)", "guest [0x80000000, 0x81000000)" } },
    { "@GADDR on the default layout",
      { D "static_mem = [ \"0x60000000:16M\", "
          "\"0x62000000:16M@0x40fff000\" ]" }, RT, 0,
      LXS_E_OVERLAP_SELF, true, "static_mem", { "0x40fff000" } },
    { "adjacent host ranges",
      { D "static_mem = [ \"0x60000000:16M\", \"0x61000000:16M\" ]" }, RT,
      CLEAN, LXS_E_OVERLAP_SELF, false },
    { "adjacent guest ranges",
      { D "static_mem = [ \"0x60000000:16M@0x80000000\", "
          "\"0x62000000:16M@0x81000000\" ]" }, RT, CLEAN,
      LXS_E_OVERLAP_SELF, false },

    /* window-collision */
    { "vgic v2",
      { D "gic_version = \"v2\"\n"
          "static_mem = [ \"0x60000000:2M@0x3000000\" ]" }, RT, 0,
      LXS_E_WINDOW_COLLISION, true, "static_mem",
      { "vgic v2 distributor", "[0x3001000, 0x3002000)", "cannot move" } },
    { "vgic v3 redistributors of 8 vcpus",
      { D "gic_version = \"v3\"\nvcpus = 8\n"
          "static_mem = [ \"0x60000000:1M@0x3100000\" ]" }, RT, 0,
      LXS_E_WINDOW_COLLISION, true, "static_mem",
      { "vgic v3 redistributors", "[0x3020000, 0x3120000)" } },
    { "direct-mapped on the vgic",
      { D "direct_map = 1\nmemory = 2\nrambase_pfn = 0x3000" }, RT, 0,
      LXS_E_WINDOW_COLLISION, true, "rambase_pfn", { "vgic" } },
    { "vpl011",
      { D "vuart = \"sbsa_uart\"\n"
          "static_mem = [ \"0x60000000:4K@0x22000000\" ]" }, RT, 0,
      LXS_E_WINDOW_COLLISION, true, "static_mem", { "vpl011" } },
    { "nowhere to move the grant table",
      { D "static_mem = [ \"0x100000000000:46M@0x200000\", "
          "\"0x110000000000:4046M@0x3200000\", "
          "\"0x120000000000:2M@0xffffe00000\" ]" }, RT, 0,
      LXS_E_WINDOW_COLLISION, true, "memory",
      { "grant-table window", "no free 16M" } },
    { "host's gic version: v3 windows too",
      { D "static_mem = [ \"0x60000000:4K@0x3010000\" ]" }, RT, 0,
      LXS_E_WINDOW_COLLISION, true, "static_mem",
      { "vgic v3 distributor", "[0x3001000, 0x3011000)" } },
    { "host's gic version: v2 windows too",
      { D "static_mem = [ \"0x60000000:4K@0x3003000\" ]" }, RT, 0,
      LXS_E_WINDOW_COLLISION, true, "static_mem",
      { "vgic v2 cpu interface", "[0x3002000, 0x3004000)" } },
    { "v2 only: clear of the v2 windows",
      { D "gic_version = \"v2\"\n"
          "static_mem = [ \"0x60000000:4K@0x3010000\" ]" }, RT, CLEAN,
      LXS_E_WINDOW_COLLISION, false },
    { "redistributors of 7 vcpus end below",
      { D "gic_version = \"v3\"\nvcpus = 7\n"
          "static_mem = [ \"0x60000000:1M@0x3100000\" ]" }, RT, CLEAN,
      LXS_E_WINDOW_COLLISION, false },
    { "pl011 window without vuart",
      { D "static_mem = [ \"0x60000000:4K@0x22000000\" ]" }, RT, CLEAN,
      LXS_E_WINDOW_COLLISION, false },
    { "right after the v2 cpu interface",
      { D "gic_version = \"v2\"\n"
          "static_mem = [ \"0x60000000:4K@0x3004000\" ]" }, RT, CLEAN,
      LXS_E_WINDOW_COLLISION, false },

    /* too-many-banks */
    { "guest layout full",
      { D "static_mem = [ \"0x10000000000:1028G\" ]" }, RT, 0,
      LXS_E_TOO_MANY_BANKS, true, "memory", { "does not fit", "2 ram banks" } },

    /* no-space */
    { "contiguous", { D "direct_map = 1\nmemory = 257" }, RT, 0,
      LXS_E_NO_SPACE, true, "memory",
      { "257M", "the static pool", "largest free range 256M" } },
    { "chunks", { D "memory = 384\nmem_chunk = 128" }, RT, 0,
      LXS_E_NO_SPACE, true, "mem_chunk", { "3 naturally aligned 128M" } },
    { "the second domain",
      { D "direct_map = 1\nmemory = 200",
        "name = \"e\"\ndirect_map = 1\nmemory = 64" }, RT, 0,
      LXS_E_NO_SPACE, true, "memory", { "largest free range 56M" }, "cfg2" },
    { "contiguous, exactly the pool", { D "direct_map = 1\nmemory = 256" },
      RT, CLEAN, LXS_E_NO_SPACE, false },
    { "chunks, exactly the pool", { D "memory = 256\nmem_chunk = 128" },
      RT, CLEAN, LXS_E_NO_SPACE, false },

    /* unsafe-dma */
    { "no iommu",
      { D "direct_map = 1\nmemory = 16\ndtdev = [ \"/soc/dma\" ]" }, RT, 0,
      LXS_W_UNSAFE_DMA, true, "direct_map", { "no iommu" } },
    { "iomem without dtdev",
      { D "direct_map = 1\nmemory = 16\niomem = [ \"0x9000,1\" ]" }, RT,
      IOMMU, LXS_W_UNSAFE_DMA, true, "direct_map", { "'dtdev'" } },
    { "dtdev behind an iommu",
      { D "direct_map = 1\nmemory = 16\ndtdev = [ \"/soc/dma\" ]" }, RT,
      IOMMU | CLEAN, LXS_W_UNSAFE_DMA, false },
    { "at one host offset, no iommu",
      { D "memory = 16\nrambase_pfn = 0x60000\niomem = [ \"0x9000,1\" ]" },
      RT, 0, LXS_W_UNSAFE_DMA, true, "rambase_pfn",
      { "statically placed", "no iommu" } },
    { "no static placement",
      { D "memory = 16\niomem = [ \"0x9000,1\" ]" },
      RT, CLEAN, LXS_W_UNSAFE_DMA, false },

    /* no-dma-offset */
    { "two host offsets",
      { D "static_mem = [ \"0x60000000:16M@0x40000000\", "
          "\"0x68000000:16M@0x41000000\" ]\niomem = [ \"0x9000,1\" ]" },
      RT, 0, LXS_E_NO_DMA_OFFSET, true, "static_mem",
      { "1:1 or at one host offset",
        "guest 0x40000000 is at host 0x60000000",
        "guest 0x41000000 at host 0x68000000" } },
    { "a partial device tree is passthrough too",
      { D "static_mem = [ \"0x60000000:16M@0x40000000\", "
          "\"0x68000000:16M@0x41000000\" ]\ndevice_tree = \"pt.dtb\"" },
      RT, 0, LXS_E_NO_DMA_OFFSET, true, "static_mem", { "wrong memory" } },
    { "two extents at one host offset",
      { D "static_mem = [ \"0x60000000:16M@0x40000000\", "
          "\"0x61000000:16M@0x41000000\" ]\niomem = [ \"0x9000,1\" ]" },
      RT, 0, LXS_E_NO_DMA_OFFSET, false },
    { "direct-mapped",
      { D "direct_map = 1\nstatic_mem = [ \"0x60000000:16M\", "
          "\"0x68000000:16M\" ]\niomem = [ \"0x9000,1\" ]" },
      RT, 0, LXS_E_NO_DMA_OFFSET, false },
    { "behind an iommu",
      { D "static_mem = [ \"0x60000000:16M@0x40000000\", "
          "\"0x68000000:16M@0x41000000\" ]\ndtdev = [ \"/soc/dma\" ]" },
      RT, IOMMU | CLEAN, LXS_E_NO_DMA_OFFSET, false },
    { "no passthrough",
      { D "static_mem = [ \"0x60000000:16M@0x40000000\", "
          "\"0x68000000:16M@0x41000000\" ]" },
      RT, CLEAN, LXS_E_NO_DMA_OFFSET, false },
};

START_TEST(test_validate_case)
{
    const struct vcase *c = &cases[_i];
    struct lxs_hostmap map;
    struct check_run run;
    const struct lxs_diag *dg;

    hostmap_build(&map, ram, reserved, owned,
                  (c->flags & NOPOOL) ? NULL : pool);
    map.has_iommu = c->flags & IOMMU;
    check_texts(&run, &map, c->mode, c->cfg);

    if (c->hit) {
        dg = find_diag(&run.diags, c->code, c->msg[0], c->msg[1], c->msg[2],
                       c->msg[3], NULL);
        ck_assert_msg(dg != NULL, "%s: no %s finding with the message:%s",
                      c->what, lxs_code_name(c->code),
                      diags_text(&run.diags));
        ck_assert_str_eq(dg->key, c->key);
        ck_assert_str_eq(dg->file, c->file ? c->file : "cfg1");
        if (c->code == LXS_W_UNSAFE_DMA) {
            ck_assert_int_eq(dg->severity, LXS_SEV_WARNING);
        } else {
            ck_assert_int_eq(dg->severity, LXS_SEV_ERROR);
            ck_assert_int_eq(run.rc, -EINVAL);
        }
        /* messages: lowercase start, no final stop */
        ck_assert_msg(dg->message[0] < 'A' || dg->message[0] > 'Z', "%s",
                      dg->message);
        ck_assert(dg->message[strlen(dg->message) - 1] != '.');
    } else {
        ck_assert_msg(count_code(&run.diags, c->code, NULL) == 0,
                      "%s: unexpected %s:%s", c->what,
                      lxs_code_name(c->code), diags_text(&run.diags));
        if (c->flags & CLEAN) {
            ck_assert_msg(run.diags.nr == 0 && run.rc == 0,
                          "%s: not clean (rc %d):%s", c->what, run.rc,
                          diags_text(&run.diags));
        }
    }
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* Findings are all reported, with the domain and file of each. */
START_TEST(test_validate_all_findings)
{
    static const char *const cfgs[] = {
        "memory = 32\nmem_chunk = 3\n"
        "static_mem = [ \"0x40000800:4K\", \"0x481ff000:4K\", "
        "\"0x90000000:4K\" ]",
        NULL,
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, reserved, owned, pool);
    check_texts(&run, &map, BOOT, cfgs);
    ck_assert_int_eq(run.rc, -EINVAL);
    ck_assert_uint_eq(count_code(&run.diags, LXS_E_MISSING, "name"), 1);
    ck_assert_uint_eq(count_code(&run.diags, LXS_E_BAD_CHUNK, NULL), 1);
    ck_assert_uint_eq(count_code(&run.diags, LXS_E_MISALIGNED, NULL), 1);
    ck_assert_uint_eq(count_code(&run.diags, LXS_E_SIZE_MISMATCH, NULL), 1);
    ck_assert_uint_eq(count_code(&run.diags, LXS_E_OVERLAP_RESERVED, NULL),
                      1);
    ck_assert_uint_eq(count_code(&run.diags, LXS_E_OUTSIDE_RAM, NULL), 1);
    ck_assert_uint_eq(run.diags.nr_errors, run.diags.nr);
    ck_assert_ptr_null(run.plans[0].name);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* Findings come grouped by spec, in cfg order, whatever found them. */
START_TEST(test_validate_grouped)
{
    static const char *const cfgs[] = {
        D "static_mem = [ \"0x481ff000:4K\" ]",
        "memory = 16\nstatic_mem = [ \"0x60000000:16M\" ]",
        "name = \"f\"\nstatic_mem = [ \"0x90000000:4K\", \"0x60000800:4K\" ]",
        NULL,
    };
    static const char *const files[] = {
        "cfg1", "cfg1", "cfg2", "cfg3", "cfg3", "cfg3",
    };
    struct lxs_hostmap map;
    struct check_run run;
    size_t i;

    hostmap_build(&map, ram, reserved, owned, pool);
    check_texts(&run, &map, RT, cfgs);
    ck_assert_msg(run.diags.nr == 6, "%s", diags_text(&run.diags));
    for (i = 0; i < 6; i++)
        ck_assert_str_eq(run.diags.v[i].file, files[i]);
    /* within a spec, in the order found: keys before the host map */
    ck_assert_int_eq(run.diags.v[3].code, LXS_E_MISALIGNED);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* A value that did not parse gives one finding, not a cascade. */
START_TEST(test_validate_no_cascade)
{
    static const char *const cfgs[] = {
        D "memory = 32\nstatic_mem = [ \"0x60000000:16M\", \"0x61000000:zz\" ]",
        "name = \"e\"\nmemory = \"x\"\nstatic_mem = [ \"0x62000000:16M\" ]",
        "name = \"f\"\nmemory = 16\nrambase_pfn = \"q\"",
        "name = \"g\"\nmemory = 16\nmem_chunk = \"?\"",
        NULL,
    };
    struct lxs_hostmap map;
    struct check_run run;
    size_t i;

    hostmap_build(&map, ram, reserved, owned, pool);
    check_texts(&run, &map, RT, cfgs);
    ck_assert_int_eq(run.rc, -EINVAL);
    ck_assert_msg(run.diags.nr == 4, "%s", diags_text(&run.diags));
    ck_assert_uint_eq(count_code(&run.diags, LXS_E_SYNTAX, NULL), 4);
    for (i = 0; i < 4; i++)
        ck_assert_uint_eq(run.plans[i].nr_ext, 0);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* An xl syntax error: the spec is refused without further findings. */
START_TEST(test_validate_unreadable_cfg)
{
    static const char *const cfgs[] = {
        "name = \"d\"\nmemory = [\n",
        "name = \"e\"\nmemory = 16\nstatic_mem = [ \"0x60000000:16M\" ]",
        NULL,
    };
    struct lxs_hostmap map;
    struct check_run run;

    hostmap_build(&map, ram, reserved, owned, pool);
    check_texts(&run, &map, RT, cfgs);
    ck_assert_int_eq(run.rc, -EINVAL);
    ck_assert_uint_eq(run.diags.nr, 1);
    ck_assert_int_eq(run.diags.v[0].code, LXS_E_SYNTAX);
    ck_assert_ptr_null(run.plans[0].name);
    ck_assert_str_eq(run.plans[1].name, "e");
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

static char *many_extents_cfg(size_t n, bool adjacent_pairs)
{
    size_t len = 64 + n * 32, k, off;
    char *s = malloc(len);

    ck_assert_ptr_nonnull(s);
    off = snprintf(s, len, "name = \"d\"\ndirect_map = 1\nstatic_mem = [ ");
    for (k = 0; k < n; k++) {
        /* every other page, or pages in touching pairs */
        uint64_t a = 0x40000000 + (adjacent_pairs ? (k / 2) * 0x3000 +
                                   (k % 2) * 0x1000 : k * 0x2000);

        off += snprintf(s + off, len - off, "%s\"0x%llx:4K\"", k ? ", " : "",
                        (unsigned long long)a);
    }
    snprintf(s + off, len - off, " ]\n");
    return s;
}

/* too-many-banks: 129 separate guest banks, and the near misses. */
static const struct {
    size_t n;
    bool pairs;
    bool hit;
} bank_cases[] = {
    { 129, false, true },
    { 128, false, false },
    { 256, true, false },   /* touching pairs merge into 128 banks */
    { 258, true, true },
};

START_TEST(test_validate_banks)
{
    struct lxs_hostmap map;
    struct check_run run;
    const char *cfgs[2] = { NULL, NULL };
    char *text = many_extents_cfg(bank_cases[_i].n, bank_cases[_i].pairs);

    cfgs[0] = text;
    hostmap_build(&map, ram, reserved, owned, pool);
    check_texts(&run, &map, BOOT, cfgs);
    if (bank_cases[_i].hit) {
        ck_assert_msg(find_diag(&run.diags, LXS_E_TOO_MANY_BANKS,
                                "more than the 128", NULL) != NULL, "%s",
                      diags_text(&run.diags));
        ck_assert_int_eq(run.rc, -EINVAL);
    } else {
        ck_assert_msg(run.rc == 0 && run.diags.nr == 0, "%s",
                      diags_text(&run.diags));
        ck_assert_uint_eq(run.plans[0].nr_ext, bank_cases[_i].n);
    }
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
    free(text);
}
END_TEST

/*
 * Domains overlapping in a chain: each domain that overlaps an earlier
 * one is reported once, against the earlier extent reaching furthest
 * (not once per pair: E copies of one extent would be E^2/2 findings).
 */
START_TEST(test_validate_pairs)
{
    enum { N = 6 };
    char texts[N][96];
    const char *cfgs[N + 1];
    struct lxs_hostmap map;
    struct check_run run;
    size_t i;

    for (i = 0; i < N; i++) {
        snprintf(texts[i], sizeof(texts[i]),
                 "name = \"d%zu\"\nstatic_mem = [ \"0x%llx:16M\" ]", i,
                 0x60000000ULL + i * 0x400000ULL);
        cfgs[i] = texts[i];
    }
    cfgs[N] = NULL;
    hostmap_build(&map, ram, reserved, owned, pool);
    check_texts(&run, &map, RT, cfgs);
    /* starts 4M apart, 16M long: each overlaps the next three */
    ck_assert_msg(count_code(&run.diags, LXS_E_OVERLAP_DOMAIN, NULL) ==
                  N - 1, "%s", diags_text(&run.diags));
    for (i = 1; i < N; i++) {
        snprintf(texts[0], sizeof(texts[0]), "of domain 'd%zu'", i - 1);
        ck_assert_msg(find_diag(&run.diags, LXS_E_OVERLAP_DOMAIN, texts[0],
                                NULL) != NULL, "%s", diags_text(&run.diags));
    }
    for (i = 0; i < N; i++)
        ck_assert_uint_eq(run.plans[i].nr_ext, 0);
    check_dispose(&run);
    lxs_hostmap_dispose(&map);
}
END_TEST

/*
 * The rules of a dom0less domain and of the guest address width, which
 * dtgen host and dtgen guest used to keep to themselves (issue 14):
 * check must report with a code what they would refuse.  No helper
 * adds a kernel here.
 */
static const struct {
    const char *what;
    const char *cfg;
    enum lxs_check_mode mode;
    unsigned int ipa_bits;
    enum lxs_code code;         /* LXS_CODE__COUNT: clean */
    const char *key;
    const char *msg;
} boot_rules[] = {
    { "boot, no kernel", D "memory = 16\nstatic_mem = [ \"0x60000000:16M\" ]",
      BOOT, 0, LXS_E_MISSING, "kernel", "needs a kernel" },
    { "run time, no kernel", D "static_mem = [ \"0x60000000:16M\" ]",
      RT, 0, LXS_CODE__COUNT },
    { "boot, heap domain without memory", D "kernel = \"Image\"",
      BOOT, 0, LXS_E_MISSING, "memory", "needs 'memory' or 'static_mem'" },
    { "boot, heap domain", D "kernel = \"Image\"\nmemory = 64",
      BOOT, 0, LXS_CODE__COUNT },
    { "boot, name not a node name",
      "name = \"1st\"\nkernel = \"Image\"\n"
      "static_mem = [ \"0x60000000:16M\" ]",
      BOOT, 0, LXS_E_SYNTAX, "name", "not a device-tree node name" },
    { "boot, name with a space",
      "name = \"my domain\"\nkernel = \"Image\"\n"
      "static_mem = [ \"0x60000000:16M\" ]",
      BOOT, 0, LXS_E_SYNTAX, "name", "not a device-tree node name" },
    { "run time, name with a space",
      "name = \"my domain\"\nstatic_mem = [ \"0x60000000:16M\" ]",
      RT, 0, LXS_CODE__COUNT },
    { "boot, @GADDR not where xen maps it",
      D "kernel = \"Image\"\nstatic_mem = [ \"0x60000000:16M@0x50000000\" ]",
      BOOT, 0, LXS_E_CONFLICT, "static_mem", "boot-time builder" },
    { "boot, @GADDR out of order",
      D "kernel = \"Image\"\nstatic_mem = [ \"0x60000000:16M@0x41000000\", "
      "\"0x68000000:16M@0x40000000\" ]",
      BOOT, 0, LXS_E_CONFLICT, "static_mem", "boot-time builder" },
    { "boot, @GADDR where xen maps it",
      D "kernel = \"Image\"\nstatic_mem = [ \"0x60000000:16M@0x40000000\", "
      "\"0x68000000:16M@0x41000000\" ]",
      BOOT, 0, LXS_CODE__COUNT },
    { "run time, @GADDR anywhere",
      D "static_mem = [ \"0x60000000:16M@0x50000000\" ]",
      RT, 0, LXS_CODE__COUNT },
    { "1:1 above the 40-bit guest space",
      D "direct_map = 1\nstatic_mem = [ \"0x10000000000:16M\" ]",
      RT, 0, LXS_E_OVERFLOW, "static_mem", "physical address space" },
    { "1:1 below the end of the 40-bit guest space",
      D "direct_map = 1\nstatic_mem = [ \"0xfff000000:16M\" ]",
      RT, 0, LXS_CODE__COUNT },
    { "1:1 above 40 bits, 48-bit guest",
      D "direct_map = 1\nstatic_mem = [ \"0x10000000000:16M\" ]",
      RT, 48, LXS_CODE__COUNT },
    { "1:1 above 32 bits, 32-bit guest",
      D "direct_map = 1\nstatic_mem = [ \"0xfff000000:16M\" ]",
      RT, 32, LXS_E_OVERFLOW, "static_mem", "physical address space" },
};

START_TEST(test_boot_rules)
{
    static const struct hm_region bigram[] = {
        { 0x40000000, 0x80000000, "/memory@40000000", NULL },
        { 0xfc0000000, 0x1000000000, "/memory@fc0000000", NULL },
        { 0x10000000000, 0x10040000000, "/memory@10000000000", NULL },
        { 0 },
    };
    const typeof(boot_rules[0]) *c = &boot_rules[_i];
    struct lxs_check_opts opts = { .mode = c->mode, .ipa_bits = c->ipa_bits };
    struct lxs_hostmap map;
    struct lxs_spec spec;
    struct lxs_plan plan;
    struct lxs_diags diags;
    const struct lxs_diag *dg;
    int rc;

    /* run time: all of it a pool (no-pool is not what these are about) */
    hostmap_build(&map, bigram, NULL, NULL,
                  c->mode == LXS_MODE_RUNTIME ? bigram : NULL);
    lxs_spec_init(&spec);
    lxs_plan_init(&plan);
    lxs_diags_init(&diags);
    parse_text("cfg1", c->cfg, &spec, &diags);
    ck_assert_uint_eq(diags.nr, 0);
    rc = lxs_check(&map, &spec, 1, &opts, &diags, &plan);
    if (c->code == LXS_CODE__COUNT) {
        ck_assert_msg(rc == 0 && diags.nr == 0, "%s: rc %d:%s", c->what, rc,
                      diags_text(&diags));
        ck_assert_uint_ge(plan.nr_ext + !spec.has_static_mem, 1);
    } else {
        dg = find_diag(&diags, c->code, c->msg, NULL);
        ck_assert_msg(rc == -EINVAL && dg, "%s: rc %d, no %s finding:%s",
                      c->what, rc, lxs_code_name(c->code),
                      diags_text(&diags));
        ck_assert_str_eq(dg->key, c->key);
        ck_assert_uint_eq(plan.nr_ext, 0);
    }
    lxs_diags_dispose(&diags);
    lxs_plan_dispose(&plan);
    lxs_spec_dispose(&spec);
    lxs_hostmap_dispose(&map);
}
END_TEST

/* An ipa width lxs_check cannot use: refused, nothing changed. */
START_TEST(test_check_bad_ipa_bits)
{
    struct lxs_check_opts opts = { .mode = RT, .ipa_bits = 31 };
    struct lxs_hostmap map;
    struct lxs_spec spec;
    struct lxs_diags diags;

    hostmap_build(&map, ram, NULL, NULL, NULL);
    lxs_spec_init(&spec);
    lxs_diags_init(&diags);
    parse_text("cfg1", D "memory = 16", &spec, &diags);
    ck_assert_int_eq(lxs_check(&map, &spec, 1, &opts, &diags, NULL), -ERANGE);
    opts.ipa_bits = 65;
    ck_assert_int_eq(lxs_check(&map, &spec, 1, &opts, &diags, NULL), -ERANGE);
    ck_assert_uint_eq(diags.nr, 0);
    lxs_diags_dispose(&diags);
    lxs_spec_dispose(&spec);
    lxs_hostmap_dispose(&map);
}
END_TEST

Suite *validate_suite(void)
{
    return unit_suite("validate",
                      UNIT_LOOP(test_validate_case, ARRAY_SIZE(cases)),
                      UNIT_TESTS(test_validate_all_findings,
                                 test_validate_grouped,
                                 test_validate_no_cascade,
                                 test_validate_unreadable_cfg),
                      UNIT_LOOP(test_validate_banks, ARRAY_SIZE(bank_cases)),
                      UNIT_TESTS(test_validate_pairs),
                      UNIT_LOOP(test_boot_rules, ARRAY_SIZE(boot_rules)),
                      UNIT_TESTS(test_check_bad_ipa_bits),
                      NULL);
}
