/*
 * Internal to validate.c and plan.c: the state of one lxs_check() run.
 */
#ifndef LXS_CHECK_I_H
#define LXS_CHECK_I_H

#include <inttypes.h>
#include <stdint.h>

/*
 * The guest memory layout of Xen on Arm (GUEST_* constants) is taken
 * from Xen's public header, never copied.  An Arm build gets it through
 * <xen/xen.h>; elsewhere (the x86 build machine) <xen/xen.h> would pick
 * the x86 header, so the Arm one is included directly with the one
 * helper macro it expects from xen.h.
 */
#if defined(__aarch64__) || defined(__arm__)
#include <xen/xen.h>
#else
#ifndef xen_mk_ullong
#define xen_mk_ullong(x) x ## ULL
#endif
#include <xen/arch-arm.h>
#endif

#include "lxs_internal.h"

/* End of the guest-physical space a non-direct-mapped guest's RAM uses. */
#define LXS__GUEST_SPACE_END (GUEST_RAM1_BASE + GUEST_RAM1_SIZE)
/* Alignment of automatic contiguous extents and of moved windows. */
#define LXS__AUTO_ALIGN (UINT64_C(2) << 20)

/* "[0x..., 0x...)" for messages */
#define RFMT "[0x%" PRIx64 ", 0x%" PRIx64 ")"
#define XFMT "0x%" PRIx64

enum lxs__place {
    LXS__PLACE_NONE,        /* no static placement: Xen's heap */
    LXS__PLACE_EXPLICIT,    /* static_mem or rambase_pfn */
    LXS__PLACE_CONTIG,      /* direct_map without placement */
    LXS__PLACE_CHUNKS,      /* mem_chunk without placement */
};

#define LXS__ITEM_RAMBASE (-1)
#define LXS__ITEM_AUTO    (-2)

/* One host extent of a spec: explicit, or chosen by the planner. */
struct lxs__hext {
    uint64_t start, end;    /* host, [start, end) */
    uint64_t gaddr;         /* guest address when has_gaddr */
    bool has_gaddr;
    size_t spec;            /* index into the specs */
    int item;               /* static_mem index or LXS__ITEM_* */
};

struct lxs__sstate {
    enum lxs__place place;
    bool error;             /* an error finding concerns this spec */
    bool guest_unknown;     /* guest layout unreliable (bad keys) */
    uint64_t memory;        /* guest RAM: memory, or sum of static_mem */
    uint64_t chunk;         /* valid mem_chunk size, else 0 */
};

struct lxs__ck {
    const struct lxs_hostmap *map;
    const struct lxs_spec *specs;
    size_t nr;
    enum lxs_check_mode mode;
    uint64_t ipa_limit;             /* guest RAM ends below; 0: 2^64 */
    struct lxs_diags diags;         /* published only on success */
    size_t *diag_spec;              /* the spec of each finding */
    size_t alloc_diag_spec;
    struct lxs__sstate *st;
    struct lxs__hext *ext;          /* explicit extents, then automatic */
    size_t nr_ext, alloc_ext;
};

/*
 * A finding about spec @i (its file and name); errors mark the spec as
 * not to be planned.  0 or -ENOMEM.
 */
int lxs__ck_report(struct lxs__ck *ck, size_t i, enum lxs_severity sev,
                   enum lxs_code code, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Appends an extent.  0 or -ENOMEM. */
int lxs__ck_add_ext(struct lxs__ck *ck, const struct lxs__hext *e);

/* What an extent is, for messages: "'static_mem' item '0x...:2M'". */
const char *lxs__ext_what(const struct lxs__ck *ck, const struct lxs__hext *e,
                          char *buf, size_t len);
/* The cfg key an extent comes from. */
const char *lxs__ext_key(const struct lxs__ck *ck, const struct lxs__hext *e);

/*
 * plan.c: places the automatic specs, lays out guest RAM, checks the
 * guest side (window-collision, too-many-banks, overlap-self of guest
 * ranges, no-space) and fills @plans (nr of them, already initialised)
 * for the specs that have no error.  0 or -ENOMEM.
 */
int lxs__plan_all(struct lxs__ck *ck, struct lxs_plan *plans);

#endif /* LXS_CHECK_I_H */
