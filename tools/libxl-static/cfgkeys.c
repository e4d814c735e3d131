/*
 * The keys a domain cfg may hold: xl's own (every key tools/xl/xl_parse.c
 * of Xen 4.17 reads, as documented in xl.cfg(5)) and ours.  A key that is
 * neither is most likely a typo of one that is (`directmap',
 * `static_memory'), which xl and libxl would ignore without a word: the
 * cfg parser warns about it (`unknown-key') and names the nearest known
 * key when one is close.
 */
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"

/* Sorted (strcmp order) for bsearch. */
static const char *const known_keys[] = {
    "acpi", "acpi_firmware", "acpi_laptop_slate", "acpi_s3", "acpi_s4",
    "altp2m", "altp2mhvm", "apic", "bios", "bios_path_override", "boot",
    "bootloader", "bootloader_args", "builder", "cap", "channel", "cmdline",
    "cpu_weight", "cpuid", "cpus", "cpus_soft", "device_model",
    "device_model_args", "device_model_args_hvm", "device_model_args_pv",
    "device_model_override", "device_model_stubdomain_override",
    "device_model_stubdomain_seclabel", "device_model_user",
    "device_model_version", "device_tree", "direct_map", "disk", "display",
    "dm_restrict", "driver_domain", "dtdev", "e820_host", "extra",
    "extratime", "firmware", "firmware_override", "gfx_passthru",
    "gic_version", "hap", "hdtype", "hpet", "init_seclabel", "iomem",
    "ioports", "irqs", "kernel", "keymap", "latency", "localtime",
    "max_event_channels", "max_grant_frames", "max_grant_version",
    "max_maptrack_frames", "maxmem", "maxvcpus", "mca_caps", "mem_chunk",
    "memory", "mmio_hole", "ms_vm_genid", "msr_relaxed", "name",
    "nestedhvm", "nographic", "nomigrate", "nx", "on_crash", "on_poweroff",
    "on_reboot", "on_soft_reset", "on_watchdog", "oos", "opengl", "p9",
    "pae", "passthrough", "pci", "pci_msitranslate", "pci_permissive",
    "pci_power_mgmt", "pci_seize", "period", "pool", "pvcalls", "pvshim",
    "pvshim_cmdline", "pvshim_extra", "pvshim_path", "rambase_pfn",
    "ramdisk", "rdm", "rdm_mem_boundary", "root", "rtc_timeoffset",
    "sdl", "seclabel", "serial", "shadow_memory", "slice",
    "smbios_firmware", "soundhw", "spice", "spice_clipboard_sharing",
    "spice_image_compression", "spice_streaming_video",
    "spiceagent_mouse", "spicedisable_ticketing", "spicehost",
    "spicepasswd", "spiceport", "spicetls_port", "spiceusbredirection",
    "spicevdagent", "static_mem", "stdvga", "stubdomain_cmdline",
    "stubdomain_kernel", "stubdomain_memory", "stubdomain_ramdisk", "tee",
    "timer_mode", "tsc_mode", "type", "usb", "usbctrl", "usbdev",
    "usbdevice", "usbversion", "uuid", "vcpus", "vdispl", "vendor_device",
    "vfb", "vga", "videoram", "vif", "vif2", "viridian", "vkb",
    "vkb_device", "vmtrace_buf_kb", "vnc", "vncdisplay", "vnclisten",
    "vncpasswd", "vncunused", "vncviewer", "vnuma", "vpmu", "vpt_align",
    "vsnd", "vtpm", "vuart", "xauthority", "xen_platform_pci",
    "xend_suspend_evtchn_compat", "xl_static_accept",
};

#define NR_KNOWN (sizeof(known_keys) / sizeof(known_keys[0]))
/* Longer names get no suggestion (and the distance table stays small). */
#define MAX_SUGGEST_LEN 64
/* A shared prefix at least this long makes two names close. */
#define MIN_PREFIX 5

static int key_cmp(const void *a, const void *b)
{
    return strcmp(a, *(const char *const *)b);
}

bool lxs__cfg_key_known(const char *key)
{
    return bsearch(key, known_keys, NR_KNOWN, sizeof(known_keys[0]),
                   key_cmp) != NULL;
}

static unsigned int min3(unsigned int a, unsigned int b, unsigned int c)
{
    unsigned int m = a < b ? a : b;

    return m < c ? m : c;
}

/*
 * Edits (insert, delete, replace, swap of two neighbours) from @a to @b,
 * both at most MAX_SUGGEST_LEN long: the optimal string alignment
 * distance, over three rows of the table.
 */
static unsigned int distance(const char *a, const char *b)
{
    unsigned int rows[3][MAX_SUGGEST_LEN + 1];
    unsigned int *prev2 = rows[0], *prev = rows[1], *cur = rows[2], *t;
    size_t la = strlen(a), lb = strlen(b), i, j;

    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            unsigned int cost = a[i - 1] != b[j - 1];

            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
        t = prev2, prev2 = prev, prev = cur, cur = t;
    }
    return prev[lb];
}

/* One name starts with the other, and the shorter is MIN_PREFIX long. */
static bool prefix_close(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

    return n >= MIN_PREFIX && !strncmp(a, b, n);
}

const char *lxs__cfg_key_suggest(const char *key)
{
    const char *best = NULL;
    unsigned int best_d = 0;
    size_t i, len = strlen(key);

    if (len > MAX_SUGGEST_LEN)
        return NULL;
    for (i = 0; i < NR_KNOWN; i++) {
        const char *k = known_keys[i];
        unsigned int d;

        if (strlen(k) > MAX_SUGGEST_LEN)
            continue;
        d = distance(key, k);
        /* close: two edits at most, and fewer than half the name */
        if (!((d <= 2 && 2 * d < len) || prefix_close(key, k)))
            continue;
        if (!best || d < best_d) {
            best = k;
            best_d = d;
        }
    }
    return best;
}
