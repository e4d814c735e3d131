/*
 * The memory listing: every RAM range split into pieces of one type,
 * owner and state.  Building the listing (from a host map, whatever
 * filled it) is kept apart from printing it, so the offline listing
 * (host DTB) and the live one (hypervisor query) print the same way.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

void cli_memlist_init(struct cli_memlist *ml, const char *source)
{
    memset(ml, 0, sizeof(*ml));
    ml->source = source;
}

void cli_memlist_dispose(struct cli_memlist *ml)
{
    if (!ml)
        return;
    free(ml->v);
    ml->v = NULL;
    ml->nr = ml->alloc = 0;
}

const char *cli_piece_type_name(enum cli_piece_type type)
{
    switch (type) {
    case XLS_PIECE_RAM_FREE:
        return "ram-free";
    case XLS_PIECE_RESERVED:
        return "reserved";
    case XLS_PIECE_POOL_FREE:
        return "pool-free";
    case XLS_PIECE_OWNED:
        return "owned";
    case XLS_PIECE_PLANNED:
        return "planned";
    }
    return NULL;
}

static const char *reserved_state(unsigned int flags)
{
    if (flags & LXS_RESV_MODULE)
        return "boot-module";
    if (flags & LXS_RESV_STATIC_HEAP)
        return "static-heap";
    if (flags & LXS_RESV_MEMRESERVE)
        return "memreserve";
    if (flags & LXS_RESV_NO_MAP)
        return "no-map";
    if (flags & LXS_RESV_REUSABLE)
        return "reusable";
    return "reserved";
}

static bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

/* Appends a piece, or extends the last one when it is the same kind. */
static int piece_add(struct cli_memlist *ml, const struct cli_piece *pc)
{
    struct cli_piece *last = ml->nr ? &ml->v[ml->nr - 1] : NULL;

    if (last && last->end == pc->start && last->type == pc->type &&
        str_eq(last->owner, pc->owner) && str_eq(last->label, pc->label) &&
        str_eq(last->state, pc->state)) {
        last->end = pc->end;
        return 0;
    }
    if (ml->nr == ml->alloc) {
        size_t alloc = ml->alloc ? 2 * ml->alloc : 16;
        struct cli_piece *v;

        if (alloc > SIZE_MAX / sizeof(*v))
            return -ENOMEM;
        v = realloc(ml->v, alloc * sizeof(*v));
        if (!v)
            return -ENOMEM;
        ml->v = v;
        ml->alloc = alloc;
    }
    ml->v[ml->nr++] = *pc;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Sorted, unique starts and ends of every region: the piece edges. */
static int collect_edges(const struct lxs_hostmap *map, uint64_t **edges_r,
                         size_t *nr_r)
{
    uint64_t *e;
    size_t i, n = 0, u;

    if (map->nr > SIZE_MAX / (2 * sizeof(*e)))
        return -ENOMEM;
    e = malloc((map->nr ? map->nr : 1) * 2 * sizeof(*e));
    if (!e)
        return -ENOMEM;
    for (i = 0; i < map->nr; i++) {
        e[n++] = map->v[i].start;
        e[n++] = map->v[i].end;
    }
    qsort(e, n, sizeof(*e), cmp_u64);
    for (i = 0, u = 0; i < n; i++)
        if (!u || e[i] != e[u - 1])
            e[u++] = e[i];
    *edges_r = e;
    *nr_r = u;
    return 0;
}

/* First index in the sorted edges whose value is > addr. */
static size_t edge_above(const uint64_t *e, size_t n, uint64_t addr)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (e[mid] <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct hits {
    const struct lxs_hostmap *map;
    const struct lxs_region *first;
    bool other_owner;   /* a second hit with another owner */
    const struct lxs_region *held;  /* an owner that is not the registry */
};

/* A registry reservation, not a domain that holds the memory now. */
static bool is_reservation(const struct lxs_region *r)
{
    return r->label && !strcmp(r->label, LXS_REGISTRY_LABEL);
}

/* An extent of plan --map, not memory anyone holds yet. */
static bool is_planned(const struct lxs_region *r)
{
    return r->label && !strcmp(r->label, XLS_PLAN_LABEL);
}

static int first_hit(const struct lxs_range *hit, void *opaque)
{
    struct hits *h = opaque;

    h->first = &h->map->v[hit->tag];
    return 1;
}

static int owner_hit(const struct lxs_range *hit, void *opaque)
{
    struct hits *h = opaque;
    const struct lxs_region *r = &h->map->v[hit->tag];

    if (!h->held && !is_reservation(r))
        h->held = r;
    if (!h->first) {
        h->first = r;
        return 0;
    }
    if (!str_eq(h->first->owner, r->owner)) {
        h->other_owner = true;
        return 1;
    }
    return 0;
}

/* What [start, end) is; no region edge lies strictly inside it. */
static void classify(const struct lxs_hostmap *map, uint32_t ram_tag,
                     uint64_t start, uint64_t end, struct cli_piece *pc)
{
    struct hits resv = { .map = map }, own = { .map = map };
    size_t i;

    memset(pc, 0, sizeof(*pc));
    pc->start = start;
    pc->end = end;

    if (map->reserved.nr)
        lxs_rindex_find(&map->reserved_ix, start, end, first_hit, &resv);
    if (map->owned.nr)
        lxs_rindex_find(&map->owned_ix, start, end, owner_hit, &own);

    if (own.first) {
        /*
         * Held by its domain now (a dom0less domain, a live owner), or
         * only kept for it by name in the registry ("reserved").
         */
        const struct lxs_region *r = own.held ? own.held : own.first;

        pc->type = is_planned(r) ? XLS_PIECE_PLANNED : XLS_PIECE_OWNED;
        pc->owner = r->owner;
        pc->label = r->label;
        pc->state = resv.first || own.other_owner ? "conflict" :
                    pc->type == XLS_PIECE_PLANNED ? "planned" :
                    own.held ? "assigned" : "reserved";
        return;
    }
    if (resv.first) {
        pc->type = XLS_PIECE_RESERVED;
        pc->label = resv.first->label;
        pc->state = reserved_state(resv.first->flags);
        return;
    }
    i = lxs_ranges_lower_bound(&map->pool, start);
    if (i < map->pool.nr && map->pool.v[i].start <= start) {
        pc->type = XLS_PIECE_POOL_FREE;
        pc->label = map->v[map->pool.v[i].tag].label;
        pc->state = "free";
        return;
    }
    pc->type = XLS_PIECE_RAM_FREE;
    pc->label = map->v[ram_tag].label;
    pc->state = "free";
}

int cli_memlist_from_hostmap(struct cli_memlist *ml,
                             const struct lxs_hostmap *map)
{
    struct cli_memlist out;
    uint64_t *edges = NULL;
    size_t nr_edges, r, e;
    int rc;

    cli_memlist_init(&out, ml->source);
    rc = collect_edges(map, &edges, &nr_edges);
    if (rc)
        goto out;

    for (r = 0; r < map->ram.nr; r++) {
        const struct lxs_range *ram = &map->ram.v[r];
        uint64_t start = ram->start;

        e = edge_above(edges, nr_edges, start);
        while (start < ram->end) {
            uint64_t end = ram->end;
            struct cli_piece pc;

            if (e < nr_edges && edges[e] < end)
                end = edges[e++];
            classify(map, ram->tag, start, end, &pc);
            rc = piece_add(&out, &pc);
            if (rc)
                goto out;
            start = end;
        }
    }

    cli_memlist_dispose(ml);
    *ml = out;
    cli_memlist_init(&out, NULL);
    rc = 0;
out:
    cli_memlist_dispose(&out);
    free(edges);
    return rc;
}

int cli_hostmap_add_plans(struct lxs_hostmap *map,
                          const struct lxs_plan *plans, size_t nr)
{
    size_t i, j;
    int rc;

    for (i = 0; i < nr; i++) {
        for (j = 0; j < plans[i].nr_ext; j++) {
            const struct lxs_extent *e = &plans[i].ext[j];

            rc = lxs_hostmap_add(map, LXS_REGION_OWNED, e->host,
                                 e->host + e->size, 0, XLS_PLAN_LABEL,
                                 plans[i].name);
            if (rc)
                return rc;
        }
    }
    return lxs_hostmap_finish(map);
}

static int json_ranges(yajl_gen g, const void *arg)
{
    const struct cli_memlist *ml = arg;
    size_t i;
    int rc;

    JSON(cli_json_key(g, "source"));
    JSON(cli_json_str(g, ml->source));
    JSON(cli_json_key(g, "ranges"));
    JSON(cli_json_array_open(g));
    for (i = 0; i < ml->nr; i++) {
        const struct cli_piece *pc = &ml->v[i];

        JSON(cli_json_map_open(g));
        JSON(cli_json_key(g, "start"));
        JSON(cli_json_hex(g, pc->start));
        JSON(cli_json_key(g, "end"));
        JSON(cli_json_hex(g, pc->end));
        JSON(cli_json_key(g, "size"));
        JSON(cli_json_hex(g, pc->end - pc->start));
        JSON(cli_json_key(g, "type"));
        JSON(cli_json_str(g, cli_piece_type_name(pc->type)));
        JSON(cli_json_key(g, "owner"));
        JSON(cli_json_str(g, pc->owner));
        JSON(cli_json_key(g, "label"));
        JSON(cli_json_str(g, pc->label));
        JSON(cli_json_key(g, "state"));
        JSON(cli_json_str(g, pc->state));
        JSON(cli_json_map_close(g));
    }
    JSON(cli_json_array_close(g));
out:
    return rc;
}

#define HEX_STRLEN (2 + 16 + 1)

static void widen(int *w, const char *s)
{
    int n = (int)strlen(s);

    if (n > *w)
        *w = n;
}

static int print_text(FILE *f, const struct cli_memlist *ml)
{
    static const char *const head[] = {
        "start", "end", "size", "type", "state", "owner", "label"
    };
    int w[6];
    char start[HEX_STRLEN], end[HEX_STRLEN], size[LXS_SIZE_STRLEN];
    size_t i;
    int c;

    for (c = 0; c < 6; c++)
        w[c] = (int)strlen(head[c]);
    for (i = 0; i < ml->nr; i++) {
        const struct cli_piece *pc = &ml->v[i];

        snprintf(start, sizeof(start), "0x%" PRIx64, pc->start);
        snprintf(end, sizeof(end), "0x%" PRIx64, pc->end);
        widen(&w[0], start);
        widen(&w[1], end);
        widen(&w[2], lxs_fmt_size(pc->end - pc->start, size));
        widen(&w[3], cli_piece_type_name(pc->type));
        widen(&w[4], pc->state ? pc->state : "-");
        widen(&w[5], pc->owner ? pc->owner : "-");
    }

    fprintf(f, "%-*s  %-*s  %*s  %-*s  %-*s  %-*s  %s\n",
            w[0], head[0], w[1], head[1], w[2], head[2], w[3], head[3],
            w[4], head[4], w[5], head[5], head[6]);
    for (i = 0; i < ml->nr; i++) {
        const struct cli_piece *pc = &ml->v[i];

        snprintf(start, sizeof(start), "0x%" PRIx64, pc->start);
        snprintf(end, sizeof(end), "0x%" PRIx64, pc->end);
        fprintf(f, "%-*s  %-*s  %*s  %-*s  %-*s  %-*s  %s\n",
                w[0], start, w[1], end,
                w[2], lxs_fmt_size(pc->end - pc->start, size),
                w[3], cli_piece_type_name(pc->type),
                w[4], pc->state ? pc->state : "-",
                w[5], pc->owner ? pc->owner : "-",
                pc->label ? pc->label : "-");
    }
    return ferror(f) ? -EIO : 0;
}

int cli_memlist_print(FILE *f, const struct cli_memlist *ml, bool json)
{
    return json ? cli_json_write(f, json_ranges, ml) : print_text(f, ml);
}
