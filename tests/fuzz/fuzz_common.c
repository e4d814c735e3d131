/* tests/fuzz: the checks every target applies to what the library gives. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "fuzz.h"

#define MIB(x) ((uint64_t)(x) << 20)
#define GIB(x) ((uint64_t)(x) << 30)

void fz_fail(const char *fmt, ...)
{
    va_list ap;

    fputs("fuzz: finding: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* ------------------------------------------------------------------ */
/* The fixed host                                                      */

static struct lxs_hostmap fixed;
static int fixed_ready;

const struct lxs_hostmap *fz_fixed_hostmap(void)
{
    static const struct {
        enum lxs_region_kind kind;
        uint64_t start, size;
        unsigned int flags;
        const char *label, *owner;
    } regions[] = {
        { LXS_REGION_RAM, GIB(1), GIB(1), 0, "/memory@40000000", NULL },
        { LXS_REGION_RAM, GIB(4), GIB(1), 0, "/memory@100000000", NULL },
        { LXS_REGION_RESERVED, GIB(1), MIB(1), LXS_RESV_MEMRESERVE,
          "/memreserve/[0]", NULL },
        { LXS_REGION_RESERVED, 0x44000000, MIB(16), LXS_RESV_MODULE,
          "/chosen/module@44000000", NULL },
        { LXS_REGION_RESERVED, 0x48000000, MIB(16), LXS_RESV_NO_MAP,
          "/reserved-memory/firmware@48000000", NULL },
        { LXS_REGION_OWNED, 0x4a000000, MIB(32), 0, "/chosen/domU1",
          "domU1" },
        { LXS_REGION_RESERVED, 0x4c000000, MIB(16), LXS_RESV_STATIC_HEAP,
          "/chosen/xen,static-heap", NULL },
        { LXS_REGION_POOL, 0x50000000, MIB(512), 0,
          "/chosen/xen,static-pool", NULL },
        { LXS_REGION_RESERVED, 0x78000000, MIB(64), LXS_RESV_REUSABLE,
          "/reserved-memory/linux,cma", NULL },
        { LXS_REGION_POOL, GIB(4), MIB(512), 0,
          "/chosen/xen,static-pool", NULL },
        /* a registry reservation that outlived its domain */
        { LXS_REGION_OWNED, GIB(4) + MIB(512), MIB(64), 0,
          LXS_REGISTRY_LABEL, "netdrv" },
    };
    size_t i;

    if (fixed_ready)
        return &fixed;
    lxs_hostmap_init(&fixed);
    for (i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
        if (lxs_hostmap_add(&fixed, regions[i].kind, regions[i].start,
                            regions[i].start + regions[i].size,
                            regions[i].flags, regions[i].label,
                            regions[i].owner))
            fz_fail("cannot build the fixed host map");
    }
    if (lxs_hostmap_finish(&fixed))
        fz_fail("cannot finish the fixed host map");
    fixed_ready = 1;
    return &fixed;
}

/* ------------------------------------------------------------------ */
/* Messages and findings                                               */

void fz_check_message(const char *msg, const char *what)
{
    size_t len;

    FZ_ASSERT(msg, "%s: no message", what);
    len = strlen(msg);
    FZ_ASSERT(len, "%s: empty message", what);
    FZ_ASSERT(!strchr(msg, '\n') && !strchr(msg, '\r'),
              "%s: message is not one line: '%s'", what, msg);
    FZ_ASSERT(msg[len - 1] != '.' || (len >= 3 && msg[len - 2] == '.'),
              "%s: message ends in a full stop: '%s'", what, msg);
}

void fz_check_diags(const struct lxs_diags *diags)
{
    size_t i, errors = 0;

    FZ_ASSERT(diags->nr <= diags->alloc || !diags->alloc,
              "diags: nr %zu > alloc %zu", diags->nr, diags->alloc);
    for (i = 0; i < diags->nr; i++) {
        const struct lxs_diag *d = &diags->v[i];

        FZ_ASSERT(lxs_code_name(d->code), "finding %zu: code %d", i,
                  (int)d->code);
        FZ_ASSERT(d->severity == LXS_SEV_ERROR ||
                  (d->severity == LXS_SEV_WARNING &&
                   (d->code == LXS_W_UNSAFE_DMA ||
                    d->code == LXS_W_UNKNOWN_KEY)),
                  "finding %zu: severity %d with code %s", i,
                  (int)d->severity, lxs_code_name(d->code));
        fz_check_message(d->message, lxs_code_name(d->code));
        FZ_ASSERT(!d->domain || (*d->domain && !strpbrk(d->domain, "\n\r")),
                  "finding %zu: domain '%s'", i, d->domain);
        if (d->severity == LXS_SEV_ERROR)
            errors++;
    }
    FZ_ASSERT(errors == diags->nr_errors, "diags: %zu errors counted as %zu",
              errors, diags->nr_errors);
}

int fz_spec_clean(const struct lxs_spec *spec, const struct lxs_diags *diags)
{
    size_t i;

    if (spec->bad)
        return 0;
    for (i = 0; i < diags->nr; i++) {
        const struct lxs_diag *d = &diags->v[i];

        if (d->severity == LXS_SEV_ERROR && d->file && spec->file &&
            !strcmp(d->file, spec->file))
            return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Plans                                                               */

struct owned_ctx {
    const struct lxs_hostmap *map;
    const char *name;
    const struct lxs_extent *e;
};

static int reserved_hit(const struct lxs_range *hit, void *opaque)
{
    const struct owned_ctx *c = opaque;

    fz_fail("plan of '%s': extent 0x%" PRIx64 "+0x%" PRIx64 " overlaps "
            "reserved [0x%" PRIx64 ", 0x%" PRIx64 ")",
            c->name ? c->name : "", c->e->host, c->e->size, hit->start,
            hit->end);
}

static int owned_hit(const struct lxs_range *hit, void *opaque)
{
    const struct owned_ctx *c = opaque;
    const char *owner = hit->tag < c->map->nr ? c->map->v[hit->tag].owner
                                              : NULL;

    if (owner && c->name && !strcmp(owner, c->name))
        return 0;
    fz_fail("plan of '%s': extent 0x%" PRIx64 "+0x%" PRIx64 " overlaps "
            "memory of '%s' [0x%" PRIx64 ", 0x%" PRIx64 ")",
            c->name ? c->name : "", c->e->host, c->e->size,
            owner ? owner : "?", hit->start, hit->end);
}

static int overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

static void check_window(const struct lxs_plan *p, const struct lxs_window *w,
                         const char *what)
{
    size_t i;

    FZ_ASSERT(w->size, "plan of '%s': %s window empty", p->name, what);
    for (i = 0; i < p->nr_ext; i++)
        FZ_ASSERT(!overlaps(w->base, w->size, p->ext[i].guest,
                            p->ext[i].size),
                  "plan of '%s': %s window 0x%" PRIx64 "+0x%" PRIx64
                  " overlaps guest ram 0x%" PRIx64 "+0x%" PRIx64,
                  p->name, what, w->base, w->size, p->ext[i].guest,
                  p->ext[i].size);
}

/* @e is exactly a dom0less domain's bank, of the domain named @name. */
static bool own_boot_bank(const struct lxs_hostmap *map, const char *name,
                          const struct lxs_extent *e)
{
    size_t k;

    for (k = 0; name && k < map->nr; k++) {
        const struct lxs_region *r = &map->v[k];

        if (r->kind == LXS_REGION_OWNED && (r->flags & LXS_OWN_BOOT_BANK) &&
            r->owner && !strcmp(r->owner, name) && r->start == e->host &&
            r->end == e->host + e->size)
            return true;
    }
    return false;
}

static void check_plan(const struct lxs_hostmap *map,
                       const struct lxs_spec *spec, const struct lxs_plan *p,
                       enum lxs_check_mode mode)
{
    const char *name = p->name ? p->name : "";
    uint64_t total = 0, end;
    size_t i, j;

    FZ_ASSERT(p->ext, "plan of '%s': %zu extents, no array", name,
              p->nr_ext);
    FZ_ASSERT(p->direct_map == spec->direct_map,
              "plan of '%s': direct_map %d, spec %d", name, p->direct_map,
              spec->direct_map);
    for (i = 0; i < p->nr_ext; i++) {
        const struct lxs_extent *e = &p->ext[i];
        struct owned_ctx c = { map, p->name, e };

        FZ_ASSERT(e->size, "plan of '%s': extent %zu is empty", name, i);
        FZ_ASSERT(!((e->host | e->guest | e->size) & (LXS_PAGE_SIZE - 1)),
                  "plan of '%s': extent %zu not page aligned", name, i);
        FZ_ASSERT(!lxs_add_overflow(e->host, e->size, &end) &&
                  end <= LXS_PADDR_LIMIT,
                  "plan of '%s': extent %zu past the address limit", name,
                  i);
        FZ_ASSERT(!lxs_add_overflow(e->guest, e->size, &end) &&
                  end <= LXS_PADDR_LIMIT,
                  "plan of '%s': extent %zu guest past the limit", name, i);
        FZ_ASSERT(!p->direct_map || e->host == e->guest,
                  "plan of '%s': direct-mapped extent %zu at host 0x%"
                  PRIx64 " guest 0x%" PRIx64, name, i, e->host, e->guest);
        FZ_ASSERT(!p->has_dma_offset || e->host - e->guest == p->dma_offset,
                  "plan of '%s': extent %zu breaks dma-offset 0x%" PRIx64,
                  name, i, p->dma_offset);
        FZ_ASSERT(!spec->has_mem_chunk || !p->automatic ||
                  !(e->host % spec->mem_chunk_size),
                  "plan of '%s': chunk at 0x%" PRIx64 " not aligned to "
                  "0x%" PRIx64, name, e->host, spec->mem_chunk_size);
        FZ_ASSERT(lxs_ranges_covers(&map->ram, e->host, e->host + e->size),
                  "plan of '%s': extent 0x%" PRIx64 "+0x%" PRIx64
                  " not inside host ram", name, e->host, e->size);
        if (mode == LXS_MODE_RUNTIME && map->has_pool)
            FZ_ASSERT(lxs_ranges_covers(&map->pool, e->host,
                                        e->host + e->size) ||
                      own_boot_bank(map, p->name, e),
                      "plan of '%s': run-time extent 0x%" PRIx64 "+0x%"
                      PRIx64 " neither inside the pool nor a whole boot "
                      "bank of its own", name, e->host, e->size);
        if (mode == LXS_MODE_BOOT) {
            for (j = 0; j < map->pool.nr; j++)
                FZ_ASSERT(!overlaps(e->host, e->size, map->pool.v[j].start,
                                    map->pool.v[j].end -
                                    map->pool.v[j].start),
                          "plan of '%s': boot extent 0x%" PRIx64
                          " in the pool", name, e->host);
        }
        lxs_rindex_find(&map->reserved_ix, e->host, e->host + e->size,
                        reserved_hit, &c);
        lxs_rindex_find(&map->owned_ix, e->host, e->host + e->size,
                        owned_hit, &c);
        for (j = 0; j < i; j++) {
            const struct lxs_extent *f = &p->ext[j];

            FZ_ASSERT(!overlaps(e->host, e->size, f->host, f->size),
                      "plan of '%s': extents %zu and %zu overlap in host "
                      "memory", name, j, i);
            FZ_ASSERT(!overlaps(e->guest, e->size, f->guest, f->size),
                      "plan of '%s': extents %zu and %zu overlap in guest "
                      "memory", name, j, i);
        }
        FZ_ASSERT(!i || p->ext[i - 1].guest < e->guest,
                  "plan of '%s': extents not sorted by guest address", name);
        total += e->size;
    }
    FZ_ASSERT(!spec->has_memory || total == spec->memory_size,
              "plan of '%s': 0x%" PRIx64 " bytes planned, memory is 0x%"
              PRIx64, name, total, spec->memory_size);
    check_window(p, &p->gnttab, "grant-table");
    if (p->magic_in_ram) {
        /* a 1:1 domain built by libxenguest: inside one of its extents */
        FZ_ASSERT(p->direct_map && mode == LXS_MODE_RUNTIME,
                  "plan of '%s': magic pages in ram, not a run-time 1:1 "
                  "domain", name);
        FZ_ASSERT(p->magic.size == LXS_MAGIC_IN_RAM_SIZE,
                  "plan of '%s': %#" PRIx64 " bytes of magic pages in ram",
                  name, p->magic.size);
        for (i = 0; i < p->nr_ext; i++)
            if (p->magic.base >= p->ext[i].guest &&
                p->magic.base - p->ext[i].guest <= p->ext[i].size &&
                p->ext[i].size - (p->magic.base - p->ext[i].guest) >=
                p->magic.size)
                break;
        FZ_ASSERT(i < p->nr_ext, "plan of '%s': magic pages 0x%" PRIx64
                  " not inside one extent", name, p->magic.base);
    } else {
        FZ_ASSERT(!p->direct_map || mode != LXS_MODE_RUNTIME || !p->nr_ext,
                  "plan of '%s': a run-time 1:1 domain's magic pages are "
                  "not in its ram", name);
        check_window(p, &p->magic, "magic");
    }
    FZ_ASSERT(!overlaps(p->gnttab.base, p->gnttab.size, p->magic.base,
                        p->magic.size),
              "plan of '%s': grant-table and magic windows overlap", name);
}

void fz_check_plans(const struct lxs_hostmap *map,
                    const struct lxs_spec *specs, size_t nr,
                    enum lxs_check_mode mode, int rc,
                    const struct lxs_diags *diags,
                    const struct lxs_plan *plans)
{
    size_t i, j, a, b;
    int any_bad = 0;

    fz_check_diags(diags);
    for (i = 0; i < nr; i++)
        any_bad |= specs[i].bad;
    FZ_ASSERT(rc == 0 || rc == -EINVAL, "lxs_check returned %d", rc);
    FZ_ASSERT((rc == -EINVAL) == (diags->nr_errors > 0 || any_bad),
              "lxs_check returned %d with %zu errors", rc, diags->nr_errors);
    if (!plans)
        return;

    for (i = 0; i < nr; i++) {
        if (!plans[i].nr_ext)
            continue;
        FZ_ASSERT(fz_spec_clean(&specs[i], diags),
                  "spec %zu has an error finding and a plan", i);
        check_plan(map, &specs[i], &plans[i], mode);
    }
    /* no host memory in two plans */
    for (i = 0; i < nr; i++)
        for (j = 0; j < i; j++)
            for (a = 0; a < plans[i].nr_ext; a++)
                for (b = 0; b < plans[j].nr_ext; b++)
                    FZ_ASSERT(!overlaps(plans[i].ext[a].host,
                                        plans[i].ext[a].size,
                                        plans[j].ext[b].host,
                                        plans[j].ext[b].size),
                              "plans %zu and %zu share host memory", j, i);
}

/* ------------------------------------------------------------------ */
/* Guest device tree                                                   */

void fz_guest_fdt(const struct lxs_spec *spec, const struct lxs_plan *plan,
                  int gic_default, const void *partial, size_t partial_len)
{
    const char *name = plan->name ? plan->name : "";
    struct dtg_guest_opts opts;
    struct dtg_guest_layout lay;
    void *fdt = NULL;
    size_t len = 0;
    char *why = NULL;
    int rc;

    dtg_guest_opts_init(&opts);
    opts.default_gic_version = gic_default;
    /*
     * The default guest IPA width, as lxs_check's (one validator, issue
     * 14): a plan it accepted must build in it.
     */
    opts.partial_fdt = partial;
    opts.partial_len = partial_len;
    dtg_guest_layout_init(&lay);

    rc = dtg_guest_layout(plan, &opts, &lay, &why);
    if (partial && rc == -EBADMSG) {
        fz_check_message(why, "dtg_guest_layout");
        free(why);
        return;
    }
    FZ_ASSERT(rc == 0, "dtg_guest_layout of an accepted plan of '%s': %d "
              "(%s)", name, rc, why ? why : "");
    FZ_ASSERT(!why, "dtg_guest_layout: a message on success");
    FZ_ASSERT(lay.g.nr_ram >= 1 && lay.g.nr_ram <= plan->nr_ext,
              "layout of '%s': %zu ram banks for %zu extents", name,
              lay.g.nr_ram, plan->nr_ext);
    FZ_ASSERT(lay.g.has_dma_offset == plan->has_dma_offset &&
              (!lay.g.has_dma_offset || lay.g.dma_offset == plan->dma_offset),
              "layout of '%s': dma-offset differs from the plan's", name);
    dtg_guest_layout_dispose(&lay);

    rc = dtg_guest_fdt(spec, plan, &opts, &fdt, &len, &why);
    if (partial && (rc == -EBADMSG || rc == -E2BIG)) {
        fz_check_message(why, "dtg_guest_fdt");
        FZ_ASSERT(!fdt, "dtg_guest_fdt: output on failure");
        free(why);
        return;
    }
    FZ_ASSERT(rc == 0, "dtg_guest_fdt of an accepted plan of '%s': %d (%s)",
              name, rc, why ? why : "");
    FZ_ASSERT(!why, "dtg_guest_fdt: a message on success");
    FZ_ASSERT(len <= DTG_FDT_MAX_SIZE + partial_len,
              "guest dt of %zu bytes", len);
    rc = fdt_check_full(fdt, len);
    FZ_ASSERT(rc == 0, "guest dt of '%s' fails fdt_check_full: %s", name,
              fdt_strerror(rc));
    free(fdt);
}
