/*
 * libxlstatic: static guest RAM placement for Xen on Arm.
 *
 * Error contract (as libfdt's, in errno terms): every function that can
 * fail returns 0 (or a count >= 0) on success and a negative errno on
 * failure; on failure its outputs are left as they were.  Validation
 * findings are not errors of the call: they are collected in a
 * struct lxs_diags, and the calls that validate return -EINVAL when at
 * least one finding is an error.
 *
 * The library never prints and never exits.
 */
#ifndef LIBXLSTATIC_H
#define LIBXLSTATIC_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LXS_HAVE_STATIC_MEM 1
#define LXS_HAVE_MEM_CHUNK 1
#define LXS_HAVE_DMA_OFFSET 1

#define LXS_PAGE_SHIFT 12
#define LXS_PAGE_SIZE (UINT64_C(1) << LXS_PAGE_SHIFT)
/* Physical address width accepted for host and guest addresses (Arm64). */
#define LXS_PADDR_BITS 48
#define LXS_PADDR_LIMIT (UINT64_C(1) << LXS_PADDR_BITS)

/* Most guest RAM banks one domain can be given (Xen 4.17 NR_MEM_BANKS). */
#define LXS_MAX_GUEST_BANKS 128

/* mem_chunk limits */
#define LXS_CHUNK_MIN (UINT64_C(2) << 20)
#define LXS_CHUNK_MAX (UINT64_C(1) << 30)

/* ------------------------------------------------------------------ */
/* Files (file.c): the one reader and the one writer of the tools      */

/* The largest file of each kind any reader takes (-EFBIG beyond). */
#define LXS_CFG_MAX_SIZE (UINT64_C(16) << 20)
#define LXS_DTB_MAX_SIZE (UINT64_C(64) << 20)       /* host DTB, device_tree */
#define LXS_REGISTRY_MAX_SIZE (UINT64_C(16) << 20)

/* Not a regular file (a device, a FIFO, a socket): -LXS_ENOTREG. */
#define LXS_ENOTREG EINVAL

/*
 * Reads the whole regular file at @path, at most @max bytes, into a new
 * NUL-terminated buffer (*buf_r, freed by the caller; *len_r without the
 * NUL).  Only a regular file is read: the open cannot block (a FIFO, a
 * device), the type is that of the opened file.  -errno of open/read,
 * -EISDIR (a directory), -LXS_ENOTREG (any other file that is not
 * regular), -EFBIG (more than @max bytes), -ENOMEM.
 */
int lxs_file_read(const char *path, size_t max, char **buf_r,
                  size_t *len_r);
/* The reason for an error of the file functions, for a message. */
const char *lxs_file_strerror(int rc);

/*
 * An output file, written in two steps so that a caller can fail in
 * between (stdout could not be written) and leave nothing behind:
 * lxs_outfile_write() then _commit() or _discard().
 *
 * A @path that does not exist or is a regular file is replaced whole:
 * the data goes to a new temporary file next to it (mode 0644 whatever
 * the umask, fsynced); commit renames it over @path, discard removes it.
 * Anything else (a device, a FIFO, a symbolic link: /dev/stdout, /dev/null)
 * is never replaced: _write opens it, following links, without blocking
 * (a FIFO without a reader is -ENXIO) and _commit writes the data into it
 * (a regular file behind a link is truncated first).  @path "-" is the
 * standard output, written at commit the same way.  -errno;
 * -EISDIR for a directory.  Every call leaves @o discarded on failure;
 * _commit always does.
 */
struct lxs_outfile {
    char *path;
    char *tmp;              /* the temporary file, until commit */
    int fd;
    bool in_place;          /* not replaced: written through fd */
    bool regular;           /* in place: a regular file behind a link */
    const void *data;       /* in place: what commit writes */
    size_t len;
};
void lxs_outfile_init(struct lxs_outfile *o);
int lxs_outfile_write(struct lxs_outfile *o, const char *path,
                      const void *data, size_t len);
int lxs_outfile_commit(struct lxs_outfile *o);
void lxs_outfile_discard(struct lxs_outfile *o);

/*
 * The length of the well-formed UTF-8 character (RFC 3629: no overlong
 * form, no surrogate) that starts @s, a NUL-terminated string: 1 to 4,
 * or 0 when the bytes there are not one (spec.c).
 */
size_t lxs_utf8_char(const char *s);

/* ------------------------------------------------------------------ */
/* Sizes and addresses (size.c)                                        */

/*
 * Strict unsigned parse: decimal or 0x-hex, whole string, no sign, no
 * spaces.  -EINVAL: not a number; -ERANGE: does not fit in 64 bits.
 */
int lxs_parse_u64(const char *s, uint64_t *val_r);

/*
 * A size: a number as lxs_parse_u64 with an optional binary suffix
 * K, M, G or T (either case).  -EINVAL, -ERANGE as above.
 */
int lxs_parse_size(const char *s, uint64_t *size_r);

/*
 * A size whose plain numbers are in units of @unit bytes (for example
 * MiB for "memory" and "mem_chunk"); a suffix overrides the unit.
 */
int lxs_parse_size_unit(const char *s, uint64_t unit, uint64_t *size_r);

/* *sum_r = a + b; returns true (and leaves *sum_r alone) on wrap. */
bool lxs_add_overflow(uint64_t a, uint64_t b, uint64_t *sum_r);
/* *prod_r = a * b; returns true (and leaves *prod_r alone) on wrap. */
bool lxs_mul_overflow(uint64_t a, uint64_t b, uint64_t *prod_r);

/*
 * Formats a size for people: the largest binary unit that divides it
 * exactly ("256M", "4K", "1G", "12345" bytes).  Returns @buf.
 */
#define LXS_SIZE_STRLEN 24
char *lxs_fmt_size(uint64_t size, char buf[LXS_SIZE_STRLEN]);

/* ------------------------------------------------------------------ */
/* Ranges (range.c): half-open [start, end), start < end.              */

struct lxs_range {
    uint64_t start;
    uint64_t end;
    uint32_t tag;       /* the caller's index; carried, never read */
};

struct lxs_ranges {
    struct lxs_range *v;
    size_t nr;
    size_t alloc;
};

void lxs_ranges_init(struct lxs_ranges *rs);
void lxs_ranges_dispose(struct lxs_ranges *rs);
/* Appends; -EINVAL if start >= end, -ENOMEM. */
int lxs_ranges_add(struct lxs_ranges *rs, uint64_t start, uint64_t end,
                   uint32_t tag);
/* Sorts by start, then end, then tag. O(n log n). */
void lxs_ranges_sort(struct lxs_ranges *rs);
/*
 * Sorts, then coalesces overlapping and adjacent ranges in place; a
 * merged range keeps the tag of its first member.
 */
void lxs_ranges_merge(struct lxs_ranges *rs);
/*
 * out = a \ b.  a and b must be merged (sorted, disjoint).  out is
 * replaced; on failure it is unchanged.  O(|a| + |b|).
 */
int lxs_ranges_subtract(const struct lxs_ranges *a, const struct lxs_ranges *b,
                        struct lxs_ranges *out);
/* out = a intersect b, both merged.  O(|a| + |b|). */
int lxs_ranges_intersect(const struct lxs_ranges *a,
                         const struct lxs_ranges *b, struct lxs_ranges *out);
/*
 * Index of the first range (in a sorted set) whose end is > addr, or
 * rs->nr.  For a merged set that is the range containing addr or the
 * next one above it.  O(log n).
 */
size_t lxs_ranges_lower_bound(const struct lxs_ranges *rs, uint64_t addr);
/*
 * True when [start, end) lies entirely inside one range of a merged set.
 * An empty or inverted range (start >= end) is never covered.
 */
bool lxs_ranges_covers(const struct lxs_ranges *rs, uint64_t start,
                       uint64_t end);

/*
 * Overlap search over a sorted set whose members may overlap each
 * other (reserved regions, owners): lxs_rindex_build keeps a prefix
 * maximum of ends, and lxs_rindex_find calls @fn for every member that
 * overlaps [start, end), in the set's order.  O(log n + k) for k hits
 * (plus the members that a longer one before them shadows).  A non-zero
 * return from @fn stops the walk and is returned.
 *
 * The index points at @rs: rebuild it after changing the set.  Build
 * into a zeroed or previously built index (a rebuild replaces it);
 * -EINVAL when @rs is not sorted, -ENOMEM.  Dispose is idempotent.
 */
struct lxs_rindex {
    const struct lxs_ranges *rs;   /* sorted */
    uint64_t *max_end;             /* max_end[i] = max(rs->v[0..i].end) */
};
int lxs_rindex_build(struct lxs_rindex *ix, const struct lxs_ranges *rs);
void lxs_rindex_dispose(struct lxs_rindex *ix);
typedef int (*lxs_range_fn)(const struct lxs_range *hit, void *opaque);
int lxs_rindex_find(const struct lxs_rindex *ix, uint64_t start, uint64_t end,
                    lxs_range_fn fn, void *opaque);

/* ------------------------------------------------------------------ */
/* Diagnostics (diag.c)                                                */

enum lxs_severity {
    LXS_SEV_ERROR,
    LXS_SEV_WARNING,
};

/* The stable codes of docs/diagnostics.md; scripts match on their strings. */
enum lxs_code {
    LXS_E_SYNTAX,
    LXS_E_MISSING,
    LXS_E_CONFLICT,
    LXS_E_MISALIGNED,
    LXS_E_OVERFLOW,
    LXS_E_SIZE_MISMATCH,
    LXS_E_BAD_CHUNK,
    LXS_E_OUTSIDE_RAM,
    LXS_E_OVERLAP_RESERVED,
    LXS_E_OVERLAP_DOMAIN,
    LXS_E_OVERLAP_SELF,
    LXS_E_OUTSIDE_POOL,
    LXS_E_WINDOW_COLLISION,
    LXS_E_TOO_MANY_BANKS,
    LXS_E_NO_SPACE,
    LXS_W_UNSAFE_DMA,
    LXS_E_NO_DMA_OFFSET,
    LXS_W_UNKNOWN_KEY,
    LXS_E_NO_POOL,
    LXS_CODE__COUNT
};

/* "syntax", "overlap-domain", ...; NULL for an unknown value. */
const char *lxs_code_name(enum lxs_code code);
/* The code of a name of lxs_code_name(), or -1. */
int lxs_code_from_name(const char *name);
/*
 * Whether @code is a warning's (unsafe-dma, unknown-key): the findings a
 * user may acknowledge (cfg key xl_static_accept, the commands' -W).
 */
bool lxs_code_is_warning(enum lxs_code code);
/* A set of codes, as bits of a uint64_t. */
#define LXS_CODE_BIT(code) (UINT64_C(1) << (code))

struct lxs_diag {
    enum lxs_severity severity;
    enum lxs_code code;
    char *file;         /* cfg file (or "<host-dtb>"), may be NULL */
    char *domain;       /* domain name, may be NULL */
    char *key;          /* cfg key, may be NULL */
    char *message;      /* one line, lowercase, no final stop */
    unsigned int line;  /* the line of @file it is about; 0: none */
};

struct lxs_diags {
    struct lxs_diag *v;
    size_t nr;
    size_t alloc;
    size_t nr_errors;
};

void lxs_diags_init(struct lxs_diags *d);
void lxs_diags_dispose(struct lxs_diags *d);
/*
 * Drops the warnings whose code is in @accept (LXS_CODE_BIT set), and
 * with @werror makes every other warning an error.  Cannot fail.
 */
void lxs_diags_accept(struct lxs_diags *d, uint64_t accept, bool werror);
/* -ENOMEM only.  file, domain, key may be NULL. */
int lxs_diag_add(struct lxs_diags *d, enum lxs_severity sev,
                 enum lxs_code code, const char *file, const char *domain,
                 const char *key, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
int lxs_diag_vadd(struct lxs_diags *d, enum lxs_severity sev,
                  enum lxs_code code, const char *file, const char *domain,
                  const char *key, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));

/* ------------------------------------------------------------------ */
/* Host memory map (hostmap.c)                                         */

enum lxs_region_kind {
    LXS_REGION_RAM,
    LXS_REGION_RESERVED,    /* memreserve, reserved-memory, modules, heap */
    LXS_REGION_OWNED,       /* a domain's memory (dom0less, registry, live) */
    LXS_REGION_POOL,        /* xen,static-pool */
};

/* Reserved-region flags */
#define LXS_RESV_MEMRESERVE  (1u << 0)  /* /memreserve/ entry */
#define LXS_RESV_NO_MAP      (1u << 1)  /* reserved-memory child, no-map */
#define LXS_RESV_REUSABLE    (1u << 2)  /* reserved-memory child, reusable */
#define LXS_RESV_MODULE      (1u << 3)  /* /chosen boot module */
#define LXS_RESV_STATIC_HEAP (1u << 4)  /* xen,static-heap */

/*
 * Owned-region flags: a dom0less domain's xen,static-mem bank (host DT,
 * or the hypervisor's boot bank).  At run time a domain of the same
 * name takes such a bank back whole, outside the pool (restart of a
 * dom0less domain from xl: docs/lifecycle.md).
 */
#define LXS_OWN_BOOT_BANK    (1u << 0)

struct lxs_region {
    uint64_t start;
    uint64_t end;           /* exclusive */
    enum lxs_region_kind kind;
    unsigned int flags;     /* LXS_RESV_* */
    char *label;            /* where it came from: "/reserved-memory/cma@..." */
    char *owner;            /* LXS_REGION_OWNED: the owning domain's name */
};

struct lxs_hostmap {
    struct lxs_region *v;   /* all regions, in the order read */
    size_t nr;
    size_t alloc;
    /*
     * Derived by lxs_hostmap_finish(): tags are indexes into v.
     *   ram, pool: merged; reserved, owned: sorted (may overlap) and
     *   indexed for overlap search.
     */
    struct lxs_ranges ram;
    struct lxs_ranges pool;
    struct lxs_ranges reserved;
    struct lxs_ranges owned;
    struct lxs_rindex reserved_ix;
    struct lxs_rindex owned_ix;
    bool has_pool;
    bool has_iommu;         /* an enabled node with #iommu-cells */
};

void lxs_hostmap_init(struct lxs_hostmap *map);
void lxs_hostmap_dispose(struct lxs_hostmap *map);

/*
 * Reads a host DTB (the one Xen boots with) into @map (initialised),
 * replacing what it held; on failure @map is unchanged.  The blob is
 * checked with fdt_check_full first.  -EBADMSG: corrupt, truncated or
 * malformed (bad cells, reg length not a multiple of the entry size, a
 * range that wraps); -ENOMEM.  @why_r, when not NULL, receives an
 * allocated message for -EBADMSG (free with free()), NULL otherwise.
 * Calls lxs_hostmap_finish().
 */
int lxs_hostmap_from_fdt(struct lxs_hostmap *map, const void *fdt,
                         size_t len, char **why_r);
/* The host DTB the tools read, and the environment variable naming it. */
#define LXS_HOST_DTB_DEFAULT "/etc/xen/host.dtb"
#define LXS_HOST_DTB_ENV "XL_STATIC_HOST_DTB"
/*
 * The host DTB to read: @opt (a command's --host-dtb) when not NULL,
 * else $XL_STATIC_HOST_DTB when set and not empty, else
 * LXS_HOST_DTB_DEFAULT.
 */
const char *lxs_host_dtb_path(const char *opt);
/*
 * As above from a file, read by lxs_file_read(): -errno of open/read
 * too, -EISDIR, -LXS_ENOTREG, and -EFBIG for a file larger than
 * LXS_DTB_MAX_SIZE.
 */
int lxs_hostmap_from_file(struct lxs_hostmap *map, const char *path,
                          char **why_r);

/* Adds a region (e.g. a registry reservation); call _finish after. */
int lxs_hostmap_add(struct lxs_hostmap *map, enum lxs_region_kind kind,
                    uint64_t start, uint64_t end, unsigned int flags,
                    const char *label, const char *owner);
/* (Re)builds the derived sets and indexes.  -ENOMEM. */
int lxs_hostmap_finish(struct lxs_hostmap *map);

/* ------------------------------------------------------------------ */
/* Domain specs from cfg files (cfg.c)                                 */

struct lxs_mem_spec {
    uint64_t addr;          /* host address, bytes */
    uint64_t size;          /* bytes */
    uint64_t gaddr;         /* guest address when has_gaddr */
    bool has_gaddr;
    char *text;             /* the list item as written */
};

/* An iomem item, "MFN,NR[@GFN]" (hex frame numbers, as xl reads them). */
struct lxs_iomem {
    uint64_t mfn;
    uint64_t nr;            /* frames, > 0 */
    uint64_t gfn;           /* the mfn when not given */
};

/* A key of a cfg text and the line where it is assigned. */
struct lxs_key_line {
    char *key;
    unsigned int line;
};

struct lxs_spec {
    char *file;             /* cfg path or the name given for a buffer */
    char *name;             /* "name"; NULL if absent */

    bool has_memory;
    uint64_t memory_size;   /* bytes ("memory" is MiB in the cfg) */
    bool has_maxmem;
    uint64_t maxmem_size;   /* bytes ("maxmem" is MiB in the cfg) */

    bool direct_map;
    bool has_rambase;
    uint64_t rambase_pfn;

    struct lxs_mem_spec *static_mem;
    size_t nr_static_mem;
    bool has_static_mem;    /* key present (even if the list is empty) */

    bool has_mem_chunk;
    uint64_t mem_chunk_size;    /* bytes */

    /* Other keys the planner and dtgen read (libxl meanings). */
    unsigned int vcpus;         /* max(vcpus, maxvcpus); default 1 */
    int gic_version;            /* 0 = default (host's), 2 or 3 */
    bool vuart_sbsa;            /* vuart = "sbsa_uart" */
    char *kernel, *ramdisk, *cmdline, *device_tree;
    bool has_passthrough;       /* dtdev, iomem, irqs or device_tree */
    bool has_dtdev;
    char **dtdev;               /* the dtdev paths (string items) */
    size_t nr_dtdev;
    struct lxs_iomem *iomem;    /* the iomem items that parsed */
    size_t nr_iomem;
    unsigned int rename_restart; /* LXS_ON_*: actions "rename-restart" */

    /*
     * Every key the cfg text assigns, with the line of its last
     * assignment (the value libxlutil gives): findings about a key name
     * its line.  Empty for a spec not read from cfg text.
     */
    struct lxs_key_line *key_lines;
    size_t nr_key_lines;

    /* The warnings the cfg acknowledges (xl_static_accept): codes' bits. */
    uint64_t accept;

    /* Set by the parser when a key of ours had a syntax error. */
    bool bad;
    unsigned int bad_keys;      /* LXS_KEY_* of the keys that failed */
};

/*
 * xl's on_* keys (spec->rename_restart): the shutdown reasons for which
 * the domain is "rename-restart"ed, i.e. kept under another name while a
 * new instance starts; LXS_ON_KEYS names them in bit order.
 */
#define LXS_ON_POWEROFF     (1u << 0)
#define LXS_ON_REBOOT       (1u << 1)
#define LXS_ON_CRASH        (1u << 2)
#define LXS_ON_WATCHDOG     (1u << 3)
#define LXS_ON_SOFT_RESET   (1u << 4)
#define LXS_ON_KEYS { "on_poweroff", "on_reboot", "on_crash", "on_watchdog", \
                      "on_soft_reset" }

/*
 * The keys whose value failed to parse (spec->bad_keys).  Validation
 * skips the rules that read a bad key, so that one typo gives one
 * finding and not a cascade of derived ones.
 */
#define LXS_KEY_NAME        (1u << 0)
#define LXS_KEY_MEMORY      (1u << 1)
#define LXS_KEY_DIRECT_MAP  (1u << 2)
#define LXS_KEY_RAMBASE     (1u << 3)
#define LXS_KEY_STATIC_MEM  (1u << 4)
#define LXS_KEY_MEM_CHUNK   (1u << 5)
#define LXS_KEY_VCPUS       (1u << 6)
#define LXS_KEY_GIC_VERSION (1u << 7)
#define LXS_KEY_VUART       (1u << 8)
#define LXS_KEY_OTHER       (1u << 9)   /* kernel, passthrough, ... */
#define LXS_KEY_FILE        (1u << 10)  /* the cfg text itself */
#define LXS_KEY_MAXMEM      (1u << 11)

void lxs_spec_init(struct lxs_spec *spec);
void lxs_spec_dispose(struct lxs_spec *spec);

/*
 * Parses a domain cfg through libxlutil.  @spec must have been set up
 * with lxs_spec_init(); on success its old contents are disposed of and
 * replaced.  Values that cannot be parsed are `syntax' findings in
 * @diags (every one of them, not the first); the call returns 0 even
 * then (spec->bad and spec->bad_keys are set).  Rules between keys
 * (missing, conflict, ...) are lxs_check()'s.  A negative errno only
 * when it could not run: -ENOENT, -EACCES, -EISDIR, -LXS_ENOTREG, ...
 * (unreadable file, see lxs_file_read), -EFBIG (larger than
 * LXS_CFG_MAX_SIZE) or -ENOMEM; then @spec and @diags
 * are unchanged.
 */
int lxs_cfg_parse_file(const char *path, struct lxs_spec *spec,
                       struct lxs_diags *diags);
/* The same from a buffer; @label names it in diagnostics. */
int lxs_cfg_parse_data(const char *label, const char *data, size_t len,
                       struct lxs_spec *spec, struct lxs_diags *diags);

/* ------------------------------------------------------------------ */
/* Validation and planning (validate.c, plan.c)                        */

/*
 * What a direct-mapped domain's magic pages take from the top of its
 * RAM: libxenguest's NR_MAGIC_PAGES (console, xenstore, memaccess ring,
 * vuart) 4 KiB pages.
 */
#define LXS_MAGIC_IN_RAM_SIZE (UINT64_C(4) << 12)

/*
 * The guest RAM of a domain whose cfg has no 'memory' (and no static
 * placement): libxl's default, 32 MiB.
 */
#define LXS_DEFAULT_MEMORY_SIZE (UINT64_C(32) << 20)

struct lxs_extent {
    uint64_t host;          /* host-physical address */
    uint64_t guest;         /* guest-physical address */
    uint64_t size;
};

struct lxs_window {
    uint64_t base;
    uint64_t size;
};

struct lxs_plan {
    char *name;
    bool direct_map;
    struct lxs_extent *ext;     /* sorted by guest address */
    size_t nr_ext;
    bool has_dma_offset;
    uint64_t dma_offset;        /* host - guest, two's complement */
    struct lxs_window gnttab;   /* grant-table window */
    struct lxs_window magic;    /* magic pages window */
    /*
     * The magic pages are the top LXS_MAGIC_IN_RAM_SIZE bytes of the
     * domain's own RAM (direct map: a 1:1 domain's pages must be its
     * own memory at gfn == mfn), kept from the guest by a reserved-memory
     * node; otherwise @magic is a window outside guest RAM.
     */
    bool magic_in_ram;
    bool windows_moved;         /* moved off guest RAM into a hole */
    bool automatic;             /* the planner chose the host addresses */
};

/* An empty plan, its windows at GUEST_GNTTAB_BASE and GUEST_MAGIC_BASE. */
void lxs_plan_init(struct lxs_plan *p);
/* Frees what the plan holds and sets it up again; NULL is fine. */
void lxs_plan_dispose(struct lxs_plan *p);

enum lxs_check_mode {
    LXS_MODE_RUNTIME,   /* xl create: inside the pool when there is one */
    LXS_MODE_BOOT,      /* dom0less (dtgen host): not inside the pool */
};

/*
 * The guest-physical address width dtgen and libxl lay a guest out in
 * unless told otherwise (Xen on Arm's smallest p2m IPA size, 40 bits):
 * guest RAM must end below it.
 */
#define LXS_GUEST_IPA_BITS_DEFAULT 40

struct lxs_check_opts {
    enum lxs_check_mode mode;
    /* guest IPA width, 32..64; 0: LXS_GUEST_IPA_BITS_DEFAULT */
    unsigned int ipa_bits;
};

/*
 * Validates @nr specs against the host map (finished) and each other,
 * then plans the valid ones (explicit placements first, then automatic
 * ones in order); the policy is docs/placement.md.  Every finding is
 * appended to @diags, grouped by spec in the order of @specs.  @opts
 * may be NULL (LXS_MODE_RUNTIME).  @plans_r, when not NULL, is an array
 * of @nr plans set up with lxs_plan_init(): plan i is replaced for
 * every spec i (left empty, as after lxs_plan_init(), when spec i has
 * an error finding; with a name and no extents when it asks for no
 * static placement).  Returns 0, -EINVAL when any finding is an error
 * (or a spec came from a cfg with syntax errors), -ENOMEM, -ERANGE
 * (@opts->ipa_bits not 0 or 32..64); on -ENOMEM and -ERANGE @diags and
 * @plans_r are unchanged.
 *
 * This is the one validator: a plan it returns (with 0, or for a spec
 * without an error finding) is one that dtgen (dtg_guest_fdt with the
 * same ipa width; in LXS_MODE_BOOT dtg_host_fdt, whose own rules are
 * about its boot modules and --pool only) and the libxl glue build
 * without finding anything new.
 *
 * Memory owned (LXS_REGION_OWNED) by a domain of the same name as a
 * spec is that spec's own: not a conflict for it, and reused first by
 * its automatic placement.
 */
int lxs_check(const struct lxs_hostmap *map, const struct lxs_spec *specs,
              size_t nr, const struct lxs_check_opts *opts,
              struct lxs_diags *diags, struct lxs_plan *plans_r);

/* ------------------------------------------------------------------ */
/* The guest layout of a plan (layout.c)                               */

/* Extended regions: at most one per guest RAM space, as libxl offers. */
#define LXS_MAX_EXT_REGIONS 2
#define LXS_EXT_REGION_ALIGN (UINT64_C(2) << 20)
#define LXS_EXT_REGION_MIN_SIZE (UINT64_C(64) << 20)

/*
 * The guest-physical layout a guest states (its device tree, libxl's
 * hypervisor node), derived from a plan: the one copy of it, which
 * dtgen, the commands and the libxl glue only write out.
 */
struct lxs_guest_layout {
    struct lxs_window *ram;     /* guest RAM, guest-adjacent extents merged */
    size_t nr_ram;
    struct lxs_window gnttab;   /* hypervisor reg[0] */
    struct lxs_window ext[LXS_MAX_EXT_REGIONS]; /* hypervisor reg[1..] */
    size_t nr_ext;
    bool has_dma_offset;
    uint64_t dma_offset;        /* host - guest, two's complement */
    /*
     * The magic pages when they are in guest RAM (a direct-mapped plan,
     * lxs_plan.magic_in_ram): a /reserved-memory child keeps the guest
     * kernel off them.
     */
    bool has_magic_resv;
    struct lxs_window magic;
    /*
     * With a dma-offset, the one /passthrough dma-ranges entry:
     * <dma_bus dma_cpu dma_size> = <host guest size> over the span of
     * guest RAM (see docs/dtgen.md for the derivation).
     */
    uint64_t dma_bus;
    uint64_t dma_cpu;
    uint64_t dma_size;
};

void lxs_guest_layout_init(struct lxs_guest_layout *layout);
/* Frees what the layout holds and sets it up again; NULL is fine. */
void lxs_guest_layout_dispose(struct lxs_guest_layout *layout);

/*
 * Computes the layout of @plan (from lxs_check) for a guest IPA width of
 * @ipa_bits (32..64): extended regions keep below 1 << @ipa_bits, off
 * guest RAM, every fixed guest window, the plan's windows and the
 * guest MMIO ranges @pt_mmio (passthrough devices; NULL: none).
 * -EINVAL: the plan is not one lxs_check makes (no extents, an extent
 * that is empty, unaligned or wraps, extents that overlap in guest
 * space, a dma-offset that does not hold for every extent, a
 * grant-table window that overlaps RAM, magic pages said to be in RAM
 * that are not) or @ipa_bits is out of range; -ENOMEM.  *@why_r (when
 * not NULL) gets an allocated message on -EINVAL.  @layout_r is
 * replaced on success only.
 */
int lxs_guest_layout(const struct lxs_plan *plan, unsigned int ipa_bits,
                     const struct lxs_ranges *pt_mmio,
                     struct lxs_guest_layout *layout_r, char **why_r);

/*
 * A dma-offset as the text outputs of every command (xl-static plan and
 * create -n, the patched xl create -n) print it: signed hex, the offset
 * host minus guest ("0x30000000", "-0x20000000"); JSON and the device
 * tree carry the 64-bit two's complement ("0xffffffffe0000000").  @buf
 * of at least LXS_DMA_OFFSET_STRLEN bytes; returns @buf.
 */
#define LXS_DMA_OFFSET_STRLEN 20
const char *lxs_fmt_dma_offset(uint64_t dma_offset, char *buf);

/* ------------------------------------------------------------------ */
/* Reservation registry (registry*.c, docs/registry.md)               */

/*
 * Run-time reservations by domain name that outlive the domain: one
 * JSON file in a state directory, read under a shared flock, changed
 * under an exclusive one that the caller holds from open to close (so
 * that check, plan and reserve are one step), and replaced atomically
 * (temporary file, fsync, rename, directory fsync).  A file that is not
 * a well-formed registry (empty or truncated, not JSON, another
 * version, unknown or duplicate keys, a bad hex string, a duplicate
 * name, overlapping extents) is refused with -EBADMSG, never repaired.
 */
#define LXS_HAVE_REGISTRY 1
#define LXS_REGISTRY_VERSION 1
#define LXS_REGISTRY_DIR_DEFAULT "/var/lib/xen/static-mem"
#define LXS_REGISTRY_DIR_ENV "XL_STATIC_STATE_DIR"
#define LXS_REGISTRY_FILE "reservations.json"
#define LXS_REGISTRY_LOCK "reservations.lock"
/*
 * The registry's state directory: @opt (a command's --state-dir) when
 * not NULL, else $XL_STATIC_STATE_DIR when set and not empty, else
 * LXS_REGISTRY_DIR_DEFAULT.
 */
const char *lxs_registry_dir(const char *opt);
/* Longest domain name a reservation can have, in bytes. */
#define LXS_REGISTRY_NAME_MAX 255
/* The label of the host map regions that come from the registry. */
#define LXS_REGISTRY_LABEL "registry"

/* lxs_registry_open() flags */
#define LXS_REGISTRY_WRITE  (1u << 0)   /* exclusive lock, may commit */
#define LXS_REGISTRY_NOWAIT (1u << 1)   /* -EAGAIN rather than wait */

struct lxs_reservation {
    char *name;
    bool direct_map;
    struct lxs_extent *ext;     /* in the order given (a plan's: guest) */
    size_t nr_ext;              /* 1..LXS_MAX_GUEST_BANKS */
};

struct lxs_registry {
    char *dir;                  /* NULL when read from a buffer */
    struct lxs_reservation *v;  /* sorted by name, names unique */
    size_t nr;
    size_t alloc;
    unsigned int flags;         /* as opened */
    int lock_fd;                /* -1: no lock held */
    bool dirty;                 /* changed since read or committed */
};

void lxs_registry_init(struct lxs_registry *reg);

/*
 * Opens the registry of state directory @dir into @reg (initialised and
 * not open) and takes its lock, which lxs_registry_close() drops.
 * Read-only (flags 0): a shared lock, and nothing created: a missing
 * directory or file is an empty registry, and without a lock file (no
 * writer yet) or the right to open it the file is read without the
 * lock (reg->lock_fd is -1; commits are atomic renames, so that is
 * still one whole state).  LXS_REGISTRY_WRITE: an exclusive lock, the directory
 * created (0755) when missing; the registry can then be changed and
 * committed.  LXS_REGISTRY_NOWAIT: -EAGAIN when another process holds a
 * conflicting lock, instead of waiting.
 *
 * -EBADMSG: the file is malformed (see above); -EFBIG: larger than
 * 16 MiB; -EAGAIN; -ENOMEM; the -errno of a failed system call.  @why_r,
 * when not NULL, receives an allocated message (free with free()) for
 * every failure but -ENOMEM, and NULL otherwise.  On failure @reg is
 * unchanged and no lock is held.
 */
int lxs_registry_open(struct lxs_registry *reg, const char *dir,
                      unsigned int flags, char **why_r);
/*
 * Reads a registry from @len bytes of file content into @reg
 * (initialised and not open), replacing what it held.  No lock, no
 * directory: the result can be changed and serialised, not committed.
 * -EBADMSG (with @why_r as above), -ENOMEM.
 */
int lxs_registry_from_data(struct lxs_registry *reg, const char *data,
                           size_t len, char **why_r);
/*
 * The file content for @reg's reservations, exactly as commit writes
 * it: allocated, NUL-terminated, free with free().  -ENOMEM, -EIO.
 */
int lxs_registry_to_data(const struct lxs_registry *reg, char **data_r,
                         size_t *len_r);

/* The reservation of domain @name, or NULL. */
const struct lxs_reservation *
lxs_registry_find(const struct lxs_registry *reg, const char *name);

/*
 * Does @r hold exactly @plan's direct_map and extents, in the same
 * order?  (A re-created domain that got what it had.)
 */
bool lxs_reservation_is(const struct lxs_reservation *r,
                        const struct lxs_plan *plan);

/*
 * The first reservation, other than @name's (which may be NULL), whose
 * host extents overlap [start, end); NULL when there is none.
 */
const struct lxs_reservation *
lxs_registry_conflict(const struct lxs_registry *reg, const char *name,
                      uint64_t start, uint64_t end);

/*
 * Records (or replaces) the reservation of domain @name: @plan's
 * direct_map and extents.  Not written before lxs_registry_commit().
 * -EINVAL: a name that is empty, longer than LXS_REGISTRY_NAME_MAX,
 * with control characters or not UTF-8, or extents a registry file
 * cannot hold (none, more than LXS_MAX_GUEST_BANKS, unaligned, past
 * LXS_PADDR_LIMIT, overlapping each other, host != guest with
 * direct_map); -EBUSY: an extent overlaps another domain's
 * reservation; -EBADF: @reg was opened read-only; -ENOMEM.
 */
int lxs_registry_set(struct lxs_registry *reg, const char *name,
                     const struct lxs_plan *plan);
/* Ends @name's reservation (at commit).  -ENOENT, -EBADF. */
int lxs_registry_remove(struct lxs_registry *reg, const char *name);

/*
 * Writes the changes, if any, atomically: a crash at any point leaves
 * the old or the new file.  With no reservations left the file is
 * removed (a missing file is the empty registry).  On failure the old file is untouched and
 * no temporary file is left, except when only the final directory fsync
 * failed (the rename was done: the new state is in place but may not
 * survive a power loss).  -EBADF: not opened with LXS_REGISTRY_WRITE;
 * -ENOMEM, -EIO, the -errno of a failed system call; @why_r as for
 * lxs_registry_open.
 */
int lxs_registry_commit(struct lxs_registry *reg, char **why_r);

/* Drops uncommitted changes and the lock, and disposes.  Idempotent. */
void lxs_registry_close(struct lxs_registry *reg);

/*
 * Adds every reserved extent to @map as an LXS_REGION_OWNED region
 * owned by its domain, labelled LXS_REGISTRY_LABEL, then calls
 * lxs_hostmap_finish().  On failure (-ENOMEM) @map is unchanged.
 */
int lxs_registry_add_to_hostmap(const struct lxs_registry *reg,
                                struct lxs_hostmap *map);

#endif /* LIBXLSTATIC_H */
