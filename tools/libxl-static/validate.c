/*
 * Validation of domain specs against the host memory map and each
 * other (lxs_check).  Every rule runs and every finding is kept, the
 * way a checker should behave: the user fixes all problems in one pass.
 *
 * Cost: per spec O(items); per explicit extent O(log R + k) through the
 * range indexes of the host map; across specs one sort of all extents
 * and a sweep that only visits overlapping pairs.  No all-pairs loops.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_i.h"

int lxs__ck_report(struct lxs__ck *ck, size_t i, enum lxs_severity sev,
                   enum lxs_code code, const char *key, const char *fmt, ...)
{
    const struct lxs_spec *s = &ck->specs[i];
    va_list ap;
    int rc;

    /* a warning the cfg acknowledges (xl_static_accept) is not reported */
    if (sev == LXS_SEV_WARNING && (s->accept & LXS_CODE_BIT(code)))
        return 0;
    rc = lxs__grow((void **)&ck->diag_spec, &ck->alloc_diag_spec,
                   ck->diags.nr + 1, sizeof(*ck->diag_spec));
    if (rc)
        return rc;
    va_start(ap, fmt);
    rc = lxs_diag_vadd(&ck->diags, sev, code, s->file, s->name, key, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    ck->diags.v[ck->diags.nr - 1].line = lxs__spec_key_line(s, key);
    ck->diag_spec[ck->diags.nr - 1] = i;
    if (sev == LXS_SEV_ERROR)
        ck->st[i].error = true;
    return 0;
}

struct diag_order {
    size_t spec;
    size_t seq;
};

static int diag_order_cmp(const void *pa, const void *pb)
{
    const struct diag_order *a = pa, *b = pb;

    if (a->spec != b->spec)
        return a->spec < b->spec ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Groups the findings by spec, in cfg order, keeping the order in which
 * each spec's findings were found.  -ENOMEM.
 */
static int group_diags(struct lxs__ck *ck)
{
    struct diag_order *o = NULL;
    struct lxs_diag *v = NULL;
    size_t k, n = ck->diags.nr;

    if (n < 2)
        return 0;
    o = lxs__calloc(n, sizeof(*o));
    v = lxs__calloc(n, sizeof(*v));
    if (!o || !v) {
        free(o);
        free(v);
        return -ENOMEM;
    }
    for (k = 0; k < n; k++)
        o[k] = (struct diag_order){ ck->diag_spec[k], k };
    qsort(o, n, sizeof(*o), diag_order_cmp);
    for (k = 0; k < n; k++)
        v[k] = ck->diags.v[o[k].seq];
    memcpy(ck->diags.v, v, n * sizeof(*v));
    free(o);
    free(v);
    return 0;
}

int lxs__ck_add_ext(struct lxs__ck *ck, const struct lxs__hext *e)
{
    int rc;

    rc = lxs__grow((void **)&ck->ext, &ck->alloc_ext, ck->nr_ext + 1,
                   sizeof(*ck->ext));
    if (rc)
        return rc;
    ck->ext[ck->nr_ext++] = *e;
    return 0;
}

const char *lxs__ext_what(const struct lxs__ck *ck, const struct lxs__hext *e,
                          char *buf, size_t len)
{
    const struct lxs_spec *s = &ck->specs[e->spec];

    if (e->item >= 0)
        snprintf(buf, len, "'static_mem' item '%s'",
                 s->static_mem[e->item].text);
    else if (e->item == LXS__ITEM_RAMBASE)
        snprintf(buf, len, "'rambase_pfn' " XFMT, s->rambase_pfn);
    else
        snprintf(buf, len, "automatic extent");
    return buf;
}

const char *lxs__ext_key(const struct lxs__ck *ck, const struct lxs__hext *e)
{
    const struct lxs_spec *s = &ck->specs[e->spec];

    if (e->item >= 0)
        return "static_mem";
    if (e->item == LXS__ITEM_RAMBASE)
        return "rambase_pfn";
    return s->has_mem_chunk ? "mem_chunk" : "memory";
}

static bool is_pow2(uint64_t v)
{
    return v && !(v & (v - 1));
}

/* "256M (268435456 bytes)" */
static const char *size_both(uint64_t size, char *buf, size_t len)
{
    char s[LXS_SIZE_STRLEN];

    snprintf(buf, len, "%s (%" PRIu64 " bytes)", lxs_fmt_size(size, s), size);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Rules of one spec that need no host map                             */

/*
 * What a dom0less domain needs beyond a run-time one: its name is its
 * node name under /chosen, its node states how much RAM Xen gives it,
 * and Xen boots it from a kernel module.  (@needer: a key that already
 * asked for 'memory'.)
 */
static int check_boot_keys(struct lxs__ck *ck, size_t i, const char *needer)
{
    const struct lxs_spec *s = &ck->specs[i];
    unsigned int bad = s->bad_keys;
    int rc;

    if (s->name && !lxs__dt_node_name_ok(s->name)) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_SYNTAX, "name",
                            "name '%s' is not a device-tree node name (1 to "
                            "31 of a-z A-Z 0-9 , . _ + -, starting with a "
                            "letter): a dom0less domain's name is its node "
                            "name", s->name);
        if (rc)
            return rc;
    }
    if (!needer && !s->has_memory && !s->has_static_mem &&
        !(bad & (LXS_KEY_MEMORY | LXS_KEY_STATIC_MEM))) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_MISSING, "memory",
                            "a dom0less domain needs 'memory' or "
                            "'static_mem': its node states how much ram "
                            "xen gives it");
        if (rc)
            return rc;
    }
    if (!s->kernel && !(bad & LXS_KEY_OTHER)) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_MISSING, "kernel",
                            "a dom0less domain needs a kernel (cfg 'kernel' "
                            "or dtgen host's --kernel)");
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * A domain without static placement gets RAM from Xen's heap, which
 * libxl lays out in the two guest RAM banks (bank 0 first): it must fit
 * them and the guest's address width.
 */
static int check_heap_layout(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    uint64_t mem = s->has_memory ? s->memory_size : LXS_DEFAULT_MEMORY_SIZE;
    uint64_t end;
    char b1[LXS_SIZE_STRLEN], b2[LXS_SIZE_STRLEN];

    if (mem > (uint64_t)GUEST_RAM0_SIZE + GUEST_RAM1_SIZE)
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_TOO_MANY_BANKS,
                              "memory", "guest ram of %s does not fit the "
                              "%d ram banks of the guest layout (%s)",
                              lxs_fmt_size(mem, b1), GUEST_RAM_BANKS,
                              lxs_fmt_size((uint64_t)GUEST_RAM0_SIZE +
                                           GUEST_RAM1_SIZE, b2));
    end = mem <= GUEST_RAM0_SIZE ? GUEST_RAM0_BASE + mem
                                 : GUEST_RAM1_BASE + (mem - GUEST_RAM0_SIZE);
    if (ck->ipa_limit && end > ck->ipa_limit)
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_OVERFLOW,
                              "memory", "guest ram of %s ends at guest "
                              XFMT ", above the guest's " XFMT " physical "
                              "address space", lxs_fmt_size(mem, b1), end,
                              ck->ipa_limit);
    return 0;
}

static int check_keys(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    unsigned int bad = s->bad_keys;
    const char *needer = NULL;
    int rc;

    if (!s->name && !(bad & LXS_KEY_NAME)) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_MISSING, "name",
                            "no 'name' given");
        if (rc)
            return rc;
    }

    if (s->has_rambase)
        needer = "'rambase_pfn'";
    else if (s->has_mem_chunk)
        needer = "'mem_chunk'";
    else if (s->direct_map)
        needer = "'direct_map = 1'";
    if (needer && !s->has_memory && !s->has_static_mem &&
        !(bad & (LXS_KEY_MEMORY | LXS_KEY_STATIC_MEM))) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_MISSING, "memory",
                            "%s needs 'memory'%s", needer,
                            s->has_rambase ? "" : " or 'static_mem'");
        if (rc)
            return rc;
    }

    if (ck->mode == LXS_MODE_BOOT && (rc = check_boot_keys(ck, i, needer)))
        return rc;

    if (!s->has_static_mem && !s->has_rambase && !s->has_mem_chunk &&
        !s->direct_map && !(bad & LXS_KEY_MEMORY) &&
        (rc = check_heap_layout(ck, i)))
        return rc;

    if ((s->has_rambase || (bad & LXS_KEY_RAMBASE)) && s->has_static_mem) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_CONFLICT,
                            "rambase_pfn", "'rambase_pfn' cannot be combined "
                            "with 'static_mem'");
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * "rename-restart" keeps the old instance (renamed) and starts a new one:
 * the old one keeps its static memory, so the new one cannot have it
 * (and a chunked domain would be placed elsewhere).  xl's "restart" and
 * "coredump-restart" destroy the old instance first.
 */
static int check_restart(struct lxs__ck *ck, size_t i)
{
    static const char *const keys[] = LXS_ON_KEYS;
    const struct lxs_spec *s = &ck->specs[i];
    unsigned int k;
    int rc;

    if (!s->has_static_mem && !s->has_rambase && !s->has_mem_chunk &&
        !s->direct_map)
        return 0;
    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        if (!(s->rename_restart & (1u << k)))
            continue;
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_CONFLICT, keys[k],
                            "'%s = \"rename-restart\"' keeps the old "
                            "instance, and with it the static memory the "
                            "new one needs: use \"restart\" (or "
                            "\"coredump-restart\" to keep a dump)",
                            keys[k]);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_chunk(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    uint64_t c = s->mem_chunk_size;
    char b1[LXS_SIZE_STRLEN], b2[LXS_SIZE_STRLEN], b3[LXS_SIZE_STRLEN];
    char b4[LXS_SIZE_STRLEN];

    if (!s->has_mem_chunk)
        return 0;
    if (!is_pow2(c))
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_BAD_CHUNK,
                              "mem_chunk", "'mem_chunk' %s is not a power "
                              "of two", lxs_fmt_size(c, b1));
    if (c < LXS_CHUNK_MIN || c > LXS_CHUNK_MAX)
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_BAD_CHUNK,
                              "mem_chunk", "'mem_chunk' %s is outside "
                              "%s..%s", lxs_fmt_size(c, b1),
                              lxs_fmt_size(LXS_CHUNK_MIN, b2),
                              lxs_fmt_size(LXS_CHUNK_MAX, b3));
    ck->st[i].chunk = c;
    if (s->has_memory && s->memory_size % c)
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_BAD_CHUNK,
                              "mem_chunk", "'memory' %s is not a multiple "
                              "of 'mem_chunk' %s",
                              lxs_fmt_size(s->memory_size, b4),
                              lxs_fmt_size(c, b1));
    return 0;
}

/*
 * Alignment of one address or size: 4 KiB always, the chunk size when
 * mem_chunk is set (and @chunk_too).
 */
static int check_align(struct lxs__ck *ck, size_t i, const char *key,
                       const char *what, const char *name, uint64_t v,
                       bool chunk_too)
{
    uint64_t c = ck->st[i].chunk;
    char b[LXS_SIZE_STRLEN];

    if (v % LXS_PAGE_SIZE)
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_MISALIGNED, key,
                              "%s: %s " XFMT " is not 4K aligned", what,
                              name, v);
    if (chunk_too && c && v % c)
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_MISALIGNED, key,
                              "%s: %s " XFMT " is not aligned to "
                              "'mem_chunk' %s", what, name, v,
                              lxs_fmt_size(c, b));
    return 0;
}

/*
 * The host range [addr, addr + size): 0 and *end_r when it is inside
 * the physical address width, 1 after an overflow finding, -ENOMEM.
 */
static int check_host_end(struct lxs__ck *ck, size_t i, const char *key,
                          const char *what, uint64_t addr, uint64_t size,
                          uint64_t *end_r)
{
    uint64_t end;
    int rc;

    if (lxs_add_overflow(addr, size, &end)) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_OVERFLOW, key,
                            "%s: " XFMT " + " XFMT " wraps past the end of "
                            "the 64-bit address space", what, addr, size);
        return rc ? rc : 1;
    }
    if (end > LXS_PADDR_LIMIT) {
        rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_OVERFLOW, key,
                            "%s: host range " RFMT " ends beyond the "
                            "%d-bit physical address limit " XFMT, what,
                            addr, end, LXS_PADDR_BITS, LXS_PADDR_LIMIT);
        return rc ? rc : 1;
    }
    *end_r = end;
    return 0;
}

static int check_static_mem(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    uint64_t sum = 0, end, gend, glimit;
    char what[128], b1[64], b2[64];
    bool wrapped = false;
    size_t k;
    int rc;

    glimit = s->direct_map ? LXS_PADDR_LIMIT : LXS__GUEST_SPACE_END;
    for (k = 0; k < s->nr_static_mem; k++) {
        const struct lxs_mem_spec *m = &s->static_mem[k];
        struct lxs__hext e = { .spec = i, .item = (int)k };

        snprintf(what, sizeof(what), "'static_mem' item '%s'", m->text);
        if (!wrapped && lxs_add_overflow(sum, m->size, &sum))
            wrapped = true;

        if ((rc = check_align(ck, i, "static_mem", what, "address", m->addr,
                              true)) ||
            (rc = check_align(ck, i, "static_mem", what, "size", m->size,
                              true)))
            return rc;
        if (m->has_gaddr &&
            (rc = check_align(ck, i, "static_mem", what, "guest address",
                              m->gaddr, false)))
            return rc;
        if (m->has_gaddr && s->direct_map) {
            rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_CONFLICT,
                                "static_mem", "%s gives a guest address "
                                "but 'direct_map = 1' maps guest ram 1:1",
                                what);
            if (rc)
                return rc;
        }

        rc = check_host_end(ck, i, "static_mem", what, m->addr, m->size,
                            &end);
        if (rc < 0)
            return rc;
        if (rc)
            continue;
        e.start = m->addr;
        e.end = end;

        if (m->has_gaddr && !s->direct_map) {
            if (lxs_add_overflow(m->gaddr, m->size, &gend) ||
                gend > glimit) {
                rc = lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_OVERFLOW,
                                    "static_mem", "%s: guest range starting "
                                    "at " XFMT " ends beyond the guest "
                                    "address space " XFMT, what, m->gaddr,
                                    glimit);
                if (rc)
                    return rc;
                ck->st[i].guest_unknown = true;
            } else {
                e.gaddr = m->gaddr;
                e.has_gaddr = true;
            }
        }
        rc = lxs__ck_add_ext(ck, &e);
        if (rc)
            return rc;
    }

    if (s->bad_keys & LXS_KEY_STATIC_MEM)
        return 0;
    if (wrapped)
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_OVERFLOW,
                              "static_mem", "'static_mem' sizes add up "
                              "past 64 bits");
    ck->st[i].memory = sum;
    if (s->has_memory && s->memory_size != sum)
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_SIZE_MISMATCH,
                              "memory", "'memory' is %s but 'static_mem' "
                              "adds up to %s",
                              size_both(s->memory_size, b1, sizeof(b1)),
                              size_both(sum, b2, sizeof(b2)));
    if (!s->has_memory && !s->nr_static_mem && !(s->bad_keys &
                                                   LXS_KEY_MEMORY))
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_MISSING,
                              "static_mem", "'static_mem' is empty and "
                              "'memory' is not given");
    if (s->has_memory)
        ck->st[i].memory = s->memory_size;
    return 0;
}

static int check_rambase(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    struct lxs__hext e = { .spec = i, .item = LXS__ITEM_RAMBASE };
    uint64_t addr, end;
    char what[64], b[LXS_SIZE_STRLEN];
    int rc;

    snprintf(what, sizeof(what), "'rambase_pfn' " XFMT, s->rambase_pfn);
    if (lxs_mul_overflow(s->rambase_pfn, LXS_PAGE_SIZE, &addr))
        return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_OVERFLOW,
                              "rambase_pfn", "%s: frame number times 4K is "
                              "beyond the 64-bit address space", what);
    rc = check_align(ck, i, "rambase_pfn", what, "address", addr, true);
    if (rc)
        return rc;
    if (!s->has_memory)
        return 0;       /* reported as missing */
    snprintf(what, sizeof(what), "'rambase_pfn' " XFMT " with 'memory' %s",
             s->rambase_pfn, lxs_fmt_size(s->memory_size, b));
    rc = check_host_end(ck, i, "rambase_pfn", what, addr, s->memory_size,
                        &end);
    if (rc)
        return rc < 0 ? rc : 0;
    e.start = addr;
    e.end = end;
    return lxs__ck_add_ext(ck, &e);
}

/*
 * A domain with static memory has exactly its planned extents: the
 * claim (run time) or its xen,static-mem banks (boot) give it 'memory',
 * its device tree shows that much, and nothing static lies above it.
 * A larger 'maxmem' would let it balloon up with frames of Xen's heap
 * (for a 1:1 domain not at gfn == mfn, and on Arm libxl would ask for
 * populate-on-demand); a smaller one is below what it is given.  So
 * 'maxmem', when given, is the domain's memory (docs/placement.md).
 */
static int check_maxmem(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    const struct lxs__sstate *st = &ck->st[i];
    uint64_t mem = s->has_memory ? s->memory_size : st->memory;
    char b1[LXS_SIZE_STRLEN], b2[LXS_SIZE_STRLEN];

    if (!s->has_maxmem || st->place == LXS__PLACE_NONE || !mem ||
        (s->bad_keys & (LXS_KEY_MEMORY | LXS_KEY_STATIC_MEM)) ||
        s->maxmem_size == mem)
        return 0;
    return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_CONFLICT, "maxmem",
                          "'maxmem' %s is not the domain's memory %s: a "
                          "domain with static memory has exactly its "
                          "static extents and cannot balloon above or "
                          "below them; leave 'maxmem' out or make it "
                          "equal to 'memory'",
                          lxs_fmt_size(s->maxmem_size, b1),
                          lxs_fmt_size(mem, b2));
}

/*
 * The key a finding about a domain's static placement names: direct_map
 * first, then rambase_pfn, static_mem, mem_chunk; NULL when none is set.
 */
static const char *placement_key(const struct lxs_spec *s)
{
    if (s->direct_map)
        return "direct_map";
    if (s->has_rambase)
        return "rambase_pfn";
    if (s->has_static_mem)
        return "static_mem";
    if (s->has_mem_chunk)
        return "mem_chunk";
    return NULL;
}

/* Memory the host map says is owned by a domain of this name. */
static bool owns_memory(const struct lxs_hostmap *map, const char *name)
{
    size_t k;

    for (k = 0; name && k < map->nr; k++)
        if (map->v[k].kind == LXS_REGION_OWNED && map->v[k].owner &&
            !strcmp(map->v[k].owner, name))
            return true;
    return false;
}

/*
 * At run time a domain's static memory is claimed from the static pool
 * (docs/hypervisor.md): on a host that declares none, the hypervisor
 * would refuse every claim, so the plan is refused here instead.  The
 * one exception is a domain taking back its own memory (a dom0less
 * domain's boot banks, restarted from xl under the same name).
 */
static int check_pool(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    const char *key;

    if (ck->mode != LXS_MODE_RUNTIME || ck->map->has_pool ||
        ck->st[i].place == LXS__PLACE_NONE || owns_memory(ck->map, s->name))
        return 0;
    key = placement_key(s);
    return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_NO_POOL,
                          key ? key : "static_mem",
                          "the host declares no static pool "
                          "('xen,static-pool' in /chosen), and a run-time "
                          "domain's static memory is claimed from it: "
                          "declare one (dtgen host --pool ADDR:SIZE) or "
                          "boot the domain as dom0less (--boot)");
}

static int check_spec(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    struct lxs__sstate *st = &ck->st[i];
    unsigned int placement_keys = LXS_KEY_MEMORY | LXS_KEY_DIRECT_MAP |
                                  LXS_KEY_RAMBASE | LXS_KEY_STATIC_MEM |
                                  LXS_KEY_MEM_CHUNK;
    int rc;

    if (s->bad)
        st->error = true;
    if (s->bad_keys & LXS_KEY_FILE) {
        /* nothing was read: no rule can be decided */
        st->guest_unknown = true;
        return 0;
    }
    if (s->bad_keys & placement_keys)
        st->guest_unknown = true;

    if (s->has_static_mem || s->has_rambase ||
        (s->bad_keys & (LXS_KEY_STATIC_MEM | LXS_KEY_RAMBASE)))
        st->place = LXS__PLACE_EXPLICIT;
    else if (s->has_mem_chunk || (s->bad_keys & LXS_KEY_MEM_CHUNK))
        st->place = LXS__PLACE_CHUNKS;
    else if (s->direct_map)
        st->place = LXS__PLACE_CONTIG;
    st->memory = s->has_memory ? s->memory_size : 0;

    if ((rc = check_keys(ck, i)) ||
        (rc = check_chunk(ck, i)) ||
        (rc = check_restart(ck, i)))
        return rc;
    if (s->has_rambase && (rc = check_rambase(ck, i)))
        return rc;
    if (s->has_static_mem && (rc = check_static_mem(ck, i)))
        return rc;
    if ((rc = check_maxmem(ck, i)))
        return rc;
    return check_pool(ck, i);
}

/* ------------------------------------------------------------------ */
/* Explicit extents against the host map                               */

struct hit_ctx {
    struct lxs__ck *ck;
    const struct lxs__hext *e;
    const char *what;
    const char *kind;       /* "reserved region" or "static pool" */
};

static const char *region_label(const struct lxs_hostmap *map, uint32_t tag,
                                const char *dflt)
{
    if (tag < map->nr && map->v[tag].label)
        return map->v[tag].label;
    return dflt;
}

static int reserved_hit(const struct lxs_range *hit, void *opaque)
{
    struct hit_ctx *h = opaque;
    const struct lxs__hext *e = h->e;

    return lxs__ck_report(h->ck, e->spec, LXS_SEV_ERROR,
                          LXS_E_OVERLAP_RESERVED, lxs__ext_key(h->ck, e),
                          "%s at " RFMT " overlaps %s '%s' " RFMT, h->what,
                          e->start, e->end, h->kind,
                          region_label(h->ck->map, hit->tag, "?"),
                          hit->start, hit->end);
}

static int owned_hit(const struct lxs_range *hit, void *opaque)
{
    struct hit_ctx *h = opaque;
    const struct lxs__hext *e = h->e;
    const struct lxs_hostmap *map = h->ck->map;
    const char *owner = hit->tag < map->nr ? map->v[hit->tag].owner : NULL;
    const char *name = h->ck->specs[e->spec].name;

    if (owner && name && !strcmp(owner, name))
        return 0;       /* the domain's own memory */
    return lxs__ck_report(h->ck, e->spec, LXS_SEV_ERROR,
                          LXS_E_OVERLAP_DOMAIN, lxs__ext_key(h->ck, e),
                          "%s at " RFMT " overlaps memory of domain '%s' "
                          "('%s') " RFMT, h->what, e->start, e->end,
                          owner ? owner : "?",
                          region_label(map, hit->tag, "?"), hit->start,
                          hit->end);
}

/* Says where a range outside RAM went wrong. */
static int report_outside_ram(struct lxs__ck *ck, const struct lxs__hext *e,
                              const char *what)
{
    const struct lxs_ranges *ram = &ck->map->ram;
    size_t k = lxs_ranges_lower_bound(ram, e->start);
    const char *key = lxs__ext_key(ck, e);

    if (k < ram->nr && ram->v[k].start <= e->start)
        return lxs__ck_report(ck, e->spec, LXS_SEV_ERROR,
                              LXS_E_OUTSIDE_RAM, key,
                              "%s at " RFMT " is not inside host ram: the "
                              "ram bank " RFMT " ends at " XFMT, what,
                              e->start, e->end, ram->v[k].start,
                              ram->v[k].end, ram->v[k].end);
    return lxs__ck_report(ck, e->spec, LXS_SEV_ERROR, LXS_E_OUTSIDE_RAM, key,
                          "%s at " RFMT " is not inside host ram: no ram "
                          "bank at " XFMT, what, e->start, e->end, e->start);
}

/*
 * At run time, outside the pool: whether @e is a whole boot bank of a
 * dom0less domain of its own name, which it takes back (restart of a
 * dom0less domain; the hypervisor hands such a bank out only whole,
 * once its domain is gone).  BANK_WHOLE: it is (no finding);
 * BANK_PART: it is part of one, or covers more (reported here, as
 * outside-pool); BANK_NONE: it is not; < 0: the report failed.
 */
enum { BANK_NONE, BANK_WHOLE, BANK_PART };

/* lxs_rindex_find() over the owned regions: stops at @e's name's bank. */
static int own_bank_hit(const struct lxs_range *hit, void *opaque)
{
    struct hit_ctx *h = opaque;
    const struct lxs_hostmap *map = h->ck->map;
    const struct lxs__hext *e = h->e;
    const char *name = h->ck->specs[e->spec].name;
    const struct lxs_region *r;
    int rc;

    if (hit->tag >= map->nr)
        return 0;
    r = &map->v[hit->tag];
    if (!(r->flags & LXS_OWN_BOOT_BANK) || !r->owner || strcmp(r->owner, name))
        return 0;
    if (r->start == e->start && r->end == e->end)
        return BANK_WHOLE;
    rc = lxs__ck_report(h->ck, e->spec, LXS_SEV_ERROR, LXS_E_OUTSIDE_POOL,
                        lxs__ext_key(h->ck, e),
                        "%s at " RFMT " is not inside the static pool, "
                        "and a dom0less domain's bank is taken back "
                        "only whole: '%s' has " RFMT, h->what, e->start,
                        e->end, r->label ? r->label : name, r->start,
                        r->end);
    return rc ? rc : BANK_PART;
}

static int own_boot_bank(struct lxs__ck *ck, const struct lxs__hext *e,
                         const char *what)
{
    struct hit_ctx h = { .ck = ck, .e = e, .what = what };

    if (!ck->specs[e->spec].name)
        return BANK_NONE;
    return lxs_rindex_find(&ck->map->owned_ix, e->start, e->end,
                           own_bank_hit, &h);
}

static int check_host_extent(struct lxs__ck *ck, const struct lxs__hext *e)
{
    const struct lxs_hostmap *map = ck->map;
    struct hit_ctx h = { .ck = ck, .e = e };
    char what[128];
    bool in_ram;
    size_t k;
    int rc;

    h.what = lxs__ext_what(ck, e, what, sizeof(what));
    in_ram = lxs_ranges_covers(&map->ram, e->start, e->end);
    if (!in_ram && (rc = report_outside_ram(ck, e, what)))
        return rc;

    if (ck->mode == LXS_MODE_RUNTIME && map->has_pool && in_ram &&
        !lxs_ranges_covers(&map->pool, e->start, e->end) &&
        (rc = own_boot_bank(ck, e, what)) != BANK_WHOLE) {
        if (rc != BANK_NONE)
            return rc == BANK_PART ? 0 : rc;
        if (map->pool.nr == 1)
            rc = lxs__ck_report(ck, e->spec, LXS_SEV_ERROR,
                                LXS_E_OUTSIDE_POOL, lxs__ext_key(ck, e),
                                "%s at " RFMT " is not inside the static "
                                "pool " RFMT, what, e->start, e->end,
                                map->pool.v[0].start, map->pool.v[0].end);
        else
            rc = lxs__ck_report(ck, e->spec, LXS_SEV_ERROR,
                                LXS_E_OUTSIDE_POOL, lxs__ext_key(ck, e),
                                "%s at " RFMT " is not inside one of the %zu "
                                "static pool ranges", what, e->start, e->end,
                                map->pool.nr);
        if (rc)
            return rc;
    }
    if (ck->mode == LXS_MODE_BOOT) {
        /* boot-time domains must leave the pool to run-time ones */
        h.kind = "static pool";
        for (k = lxs_ranges_lower_bound(&map->pool, e->start);
             k < map->pool.nr && map->pool.v[k].start < e->end; k++) {
            rc = reserved_hit(&map->pool.v[k], &h);
            if (rc)
                return rc;
        }
    }

    h.kind = "reserved region";
    rc = lxs_rindex_find(&map->reserved_ix, e->start, e->end, reserved_hit,
                         &h);
    if (rc)
        return rc;
    return lxs_rindex_find(&map->owned_ix, e->start, e->end, owned_hit, &h);
}

/* ------------------------------------------------------------------ */
/* Specs against each other                                            */

static int ext_cmp(const void *pa, const void *pb)
{
    const struct lxs__hext *a = pa, *b = pb;

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    if (a->spec != b->spec)
        return a->spec < b->spec ? -1 : 1;
    return a->item < b->item ? -1 : a->item > b->item;
}

static int report_pair(struct lxs__ck *ck, const struct lxs__hext *a,
                       const struct lxs__hext *b)
{
    char wa[128], wb[128];
    const struct lxs__hext *t;
    const struct lxs_spec *other;

    /* the finding goes to the later spec (or item) and names the other */
    if (a->spec > b->spec || (a->spec == b->spec && a->item > b->item)) {
        t = a;
        a = b;
        b = t;
    }
    lxs__ext_what(ck, a, wa, sizeof(wa));
    lxs__ext_what(ck, b, wb, sizeof(wb));
    if (a->spec == b->spec)
        return lxs__ck_report(ck, b->spec, LXS_SEV_ERROR, LXS_E_OVERLAP_SELF,
                              lxs__ext_key(ck, b), "%s at " RFMT " overlaps "
                              "%s at " RFMT " of the same domain", wb,
                              b->start, b->end, wa, a->start, a->end);
    ck->st[a->spec].error = true;
    other = &ck->specs[a->spec];
    if (!other->name)
        return lxs__ck_report(ck, b->spec, LXS_SEV_ERROR,
                              LXS_E_OVERLAP_DOMAIN, lxs__ext_key(ck, b),
                              "%s at " RFMT " overlaps %s at " RFMT " of "
                              "the unnamed domain of %s", wb, b->start,
                              b->end, wa, a->start, a->end,
                              other->file ? other->file : "another cfg");
    return lxs__ck_report(ck, b->spec, LXS_SEV_ERROR, LXS_E_OVERLAP_DOMAIN,
                          lxs__ext_key(ck, b), "%s at " RFMT " overlaps %s "
                          "at " RFMT " of domain '%s' (%s)", wb, b->start,
                          b->end, wa, a->start, a->end, other->name,
                          other->file ? other->file : "?");
}

/*
 * Sorted by start, an extent overlaps an earlier one exactly when it
 * starts below the furthest end reached so far: each such extent is
 * reported once, against the earlier extent that reaches furthest.
 * Every extent that overlaps another is named in a finding, and every
 * domain involved gets an error, in O(E log E) with at most E findings.
 * (Reporting every overlapping pair instead gave E^2/2 findings for E
 * copies of one item: 4.5 million lines for a list of 3000.)
 */
static int check_extent_pairs(struct lxs__ck *ck)
{
    struct lxs__hext *v = NULL;
    size_t i, m, n = ck->nr_ext;
    int rc = 0;

    if (n < 2)
        return 0;
    v = lxs__calloc(n, sizeof(*v));
    if (!v)
        return -ENOMEM;
    memcpy(v, ck->ext, n * sizeof(*v));
    qsort(v, n, sizeof(*v), ext_cmp);

    for (i = 1, m = 0; i < n && !rc; i++) {
        if (v[i].start < v[m].end)
            rc = report_pair(ck, &v[m], &v[i]);
        if (v[i].end > v[m].end)
            m = i;
    }
    free(v);
    return rc;
}

struct named {
    const char *name;
    size_t i;
};

static int named_cmp(const void *pa, const void *pb)
{
    const struct named *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);

    if (c)
        return c;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Two specs with one name: a sort by name puts them side by side. */
static int check_names(struct lxs__ck *ck)
{
    struct named *v = NULL;
    size_t n = 0, i;
    int rc = 0;

    v = lxs__calloc(ck->nr ? ck->nr : 1, sizeof(*v));
    if (!v)
        return -ENOMEM;
    for (i = 0; i < ck->nr; i++) {
        if (!ck->specs[i].name)
            continue;
        v[n].name = ck->specs[i].name;
        v[n++].i = i;
    }
    qsort(v, n, sizeof(*v), named_cmp);
    for (i = 1; i < n && !rc; i++) {
        const struct lxs_spec *a = &ck->specs[v[i - 1].i];

        if (strcmp(v[i - 1].name, v[i].name))
            continue;
        ck->st[v[i - 1].i].error = true;
        rc = lxs__ck_report(ck, v[i].i, LXS_SEV_ERROR, LXS_E_CONFLICT,
                            "name", "domain '%s' is also defined by %s",
                            v[i].name, a->file ? a->file : "another cfg");
    }
    free(v);
    return rc;
}

/* ------------------------------------------------------------------ */

/*
 * Passthrough to a domain with 1:1 or static guest RAM on a host without
 * IOMMU protection: its devices can DMA anywhere (unsafe-dma).  Guests
 * without static placement are stock xl's business.
 */
static int check_dma(struct lxs__ck *ck, size_t i)
{
    const struct lxs_spec *s = &ck->specs[i];
    const char *key, *what;

    if (!s->has_passthrough)
        return 0;
    what = s->direct_map ? "direct-mapped" : "statically placed";
    key = placement_key(s);
    if (!key)
        return 0;
    if (!ck->map->has_iommu)
        return lxs__ck_report(ck, i, LXS_SEV_WARNING, LXS_W_UNSAFE_DMA, key,
                              "%s domain with passthrough but the host has "
                              "no iommu: the guest can dma anywhere and must "
                              "be trusted", what);
    if (!s->has_dtdev)
        return lxs__ck_report(ck, i, LXS_SEV_WARNING, LXS_W_UNSAFE_DMA, key,
                              "%s domain with 'iomem'/'irqs'/'device_tree' "
                              "passthrough and no 'dtdev': its devices are "
                              "not behind the iommu and must be trusted",
                              what);
    return 0;
}

/*
 * A device passed through without an IOMMU DMAs to the bus addresses the
 * guest's driver hands it.  They land in the guest's RAM only when guest
 * == host (direct map) or when all of it sits at one host offset, which
 * the guest applies through the dma-ranges of /passthrough.  Anything
 * else would have the device read and write other memory.  Needs the
 * plan: the planner places mem_chunk chunks.
 */
static int check_dma_offset(struct lxs__ck *ck, size_t i,
                            const struct lxs_plan *p)
{
    const struct lxs_spec *s = &ck->specs[i];
    const struct lxs_extent *a, *b;
    size_t k;

    if (!s->has_passthrough || s->direct_map || ck->st[i].error ||
        p->nr_ext < 2 || p->has_dma_offset)
        return 0;
    if (ck->map->has_iommu && s->has_dtdev)
        return 0;       /* the IOMMU translates */
    a = &p->ext[0];
    for (k = 1; k < p->nr_ext - 1; k++)
        if (p->ext[k].host - p->ext[k].guest != a->host - a->guest)
            break;
    b = &p->ext[k];
    return lxs__ck_report(ck, i, LXS_SEV_ERROR, LXS_E_NO_DMA_OFFSET,
                          s->has_mem_chunk ? "mem_chunk" : "static_mem",
                          "passthrough without an iommu needs guest ram "
                          "1:1 or at one host offset: guest 0x%" PRIx64
                          " is at host 0x%" PRIx64 ", guest 0x%" PRIx64
                          " at host 0x%" PRIx64 ", so its devices would "
                          "dma to the wrong memory", a->guest, a->host,
                          b->guest, b->host);
}

int lxs_check(const struct lxs_hostmap *map, const struct lxs_spec *specs,
              size_t nr, const struct lxs_check_opts *opts,
              struct lxs_diags *diags, struct lxs_plan *plans_r)
{
    struct lxs__ck ck;
    struct lxs_plan *plans = NULL;
    bool any_error = false;
    size_t i, nr_explicit;
    unsigned int ipa_bits;
    int rc;

    memset(&ck, 0, sizeof(ck));
    ck.map = map;
    ck.specs = specs;
    ck.nr = nr;
    ck.mode = opts ? opts->mode : LXS_MODE_RUNTIME;
    if (opts && opts->ipa_bits && (opts->ipa_bits < 32 || opts->ipa_bits > 64))
        return -ERANGE;
    ipa_bits = opts && opts->ipa_bits ? opts->ipa_bits
                                      : LXS_GUEST_IPA_BITS_DEFAULT;
    ck.ipa_limit = ipa_bits == 64 ? 0 : UINT64_C(1) << ipa_bits;
    lxs_diags_init(&ck.diags);

    rc = -ENOMEM;
    ck.st = lxs__calloc(nr ? nr : 1, sizeof(*ck.st));
    plans = lxs__calloc(nr ? nr : 1, sizeof(*plans));
    if (!ck.st || !plans)
        goto out;
    for (i = 0; i < nr; i++)
        lxs_plan_init(&plans[i]);

    for (i = 0; i < nr; i++) {
        rc = check_spec(&ck, i);
        if (rc)
            goto out;
    }
    rc = check_names(&ck);
    if (rc)
        goto out;
    nr_explicit = ck.nr_ext;
    for (i = 0; i < nr_explicit; i++) {
        rc = check_host_extent(&ck, &ck.ext[i]);
        if (rc)
            goto out;
    }
    rc = check_extent_pairs(&ck);
    if (rc)
        goto out;
    for (i = 0; i < nr; i++) {
        rc = check_dma(&ck, i);
        if (rc)
            goto out;
    }

    rc = lxs__plan_all(&ck, plans);
    if (rc)
        goto out;
    for (i = 0; i < nr; i++) {
        rc = check_dma_offset(&ck, i, &plans[i]);
        if (rc)
            goto out;
        if (ck.st[i].error)
            lxs_plan_dispose(&plans[i]);
    }
    rc = group_diags(&ck);
    if (rc)
        goto out;

    for (i = 0; i < nr; i++)
        any_error |= ck.st[i].error || specs[i].bad;
    any_error |= ck.diags.nr_errors > 0;

    rc = lxs__diags_splice(diags, &ck.diags);
    if (rc)
        goto out;
    if (plans_r) {
        for (i = 0; i < nr; i++) {
            lxs_plan_dispose(&plans_r[i]);
            plans_r[i] = plans[i];
            lxs_plan_init(&plans[i]);
        }
    }
    rc = any_error ? -EINVAL : 0;

out:
    for (i = 0; plans && i < nr; i++)
        lxs_plan_dispose(&plans[i]);
    free(plans);
    free(ck.st);
    free(ck.ext);
    free(ck.diag_spec);
    lxs_diags_dispose(&ck.diags);
    return rc;
}
