/*
 * The reservation registry (docs/design.md "Registry", docs/registry.md):
 * run-time reservations by domain name that outlive the domain.
 *
 * Files in the state directory:
 *   reservations.json      the registry; only ever replaced by rename(2)
 *   reservations.lock      the flock(2) target.  Never removed: a lock
 *                          file that is unlinked and re-created lets two
 *                          processes lock two different inodes
 *   reservations.json.tmp  the next state, only while a writer holds the
 *                          exclusive lock (a stale one, left by a writer
 *                          that died, is removed by the next commit)
 *
 * A reader takes LOCK_SH, a writer LOCK_EX for the whole read-modify-
 * write.  flock locks die with the last descriptor of their open file,
 * so a killed holder never leaves a stale lock; the descriptor is
 * O_CLOEXEC so that programs a caller runs do not inherit it.
 *
 * A commit writes the whole new file to the temporary name, fsyncs it,
 * renames it over the registry and fsyncs the directory: a crash at any
 * point leaves the old file or the new one, and a reader that could not
 * take the lock still sees one whole state.  A commit of no reservations
 * removes the file (unlink is atomic too), so that the registry of a
 * directory is as before its first reservation.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "lxs_internal.h"

/* LXS_REGISTRY_MAX_SIZE; only tests lower it (lxs_internal.h) */
uint64_t lxs__registry_max_size = LXS_REGISTRY_MAX_SIZE;
#define MAX_FILE_SIZE lxs__registry_max_size
#define TMP_NAME LXS_REGISTRY_FILE ".tmp"
#define WHERE_LEN 96

/* ------------------------------------------------------------------ */
/* System calls, through one failure point for the tests               */

#define IO(call) LXS__IO(call)

/* close(2) always releases the descriptor, even when it fails. */
static int io_close(int fd)
{
    int r = close(fd);

    if (lxs__io_fail())
        return -1;
    return r;
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */

static int vmsg(char **why, int rc, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static int bad(char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int invalid(char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int sys_fail(char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Replaces *why (when @why is not NULL) with the message; returns @rc. */
static int vmsg(char **why, int rc, const char *fmt, va_list ap)
{
    if (why) {
        free(*why);
        *why = lxs__vasprintf(fmt, ap);
        lxs__one_line(*why);
    }
    return rc;
}

/* Any other error @rc, with its message. */
static int vmsg_rc(char **why, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int vmsg_rc(char **why, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rc = vmsg(why, rc, fmt, ap);
    va_end(ap);
    return rc;
}

/* The file is malformed: -EBADMSG. */
static int bad(char **why, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vmsg(why, -EBADMSG, fmt, ap);
    va_end(ap);
    return rc;
}

/* A value the registry cannot hold: -EINVAL. */
static int invalid(char **why, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vmsg(why, -EINVAL, fmt, ap);
    va_end(ap);
    return rc;
}

/* A system call failed: -errno, and "WHAT: strerror" as the message. */
static int sys_fail(char **why, const char *fmt, ...)
{
    int rc = errno > 0 ? -errno : -EIO;
    char *what;
    va_list ap;

    if (!why)
        return rc;
    va_start(ap, fmt);
    what = lxs__vasprintf(fmt, ap);
    va_end(ap);
    free(*why);
    *why = what ? lxs__asprintf("%s: %s", what, strerror(-rc)) : NULL;
    lxs__one_line(*why);        /* the state directory's path */
    free(what);
    return rc;
}

static char *path_in(const char *dir, const char *name)
{
    return lxs__asprintf("%s/%s", dir, name);
}

/* ------------------------------------------------------------------ */
/* Reservations                                                        */

static void reservation_dispose(struct lxs_reservation *r)
{
    free(r->name);
    free(r->ext);
    memset(r, 0, sizeof(*r));
}

static int reservation_cmp(const void *pa, const void *pb)
{
    const struct lxs_reservation *a = pa, *b = pb;

    return strcmp(a->name, b->name);
}

/*
 * What a reservation's extents must be: 1..LXS_MAX_GUEST_BANKS of them,
 * page aligned, not empty, inside the physical address width in both
 * spaces, host == guest when direct-mapped, and no two overlapping in
 * either space.  -EINVAL with a message in *why (when not NULL).
 */
static int check_extents(const struct lxs_extent *ext, size_t nr,
                         bool direct_map, char **why)
{
    size_t i, j;

    if (!nr)
        return invalid(why, "no extents");
    if (nr > LXS_MAX_GUEST_BANKS)
        return invalid(why, "%zu extents, more than %d", nr,
                       LXS_MAX_GUEST_BANKS);
    for (i = 0; i < nr; i++) {
        const struct lxs_extent *e = &ext[i];
        uint64_t hend, gend;

        if (!e->size)
            return invalid(why, "extent %zu: size 0", i);
        if ((e->host | e->guest | e->size) & (LXS_PAGE_SIZE - 1))
            return invalid(why, "extent %zu: not 4K aligned (host %#"
                           PRIx64 ", guest %#" PRIx64 ", size %#" PRIx64
                           ")", i, e->host, e->guest, e->size);
        if (lxs_add_overflow(e->host, e->size, &hend) ||
            hend > LXS_PADDR_LIMIT ||
            lxs_add_overflow(e->guest, e->size, &gend) ||
            gend > LXS_PADDR_LIMIT)
            return invalid(why, "extent %zu: past the %d-bit address "
                           "limit (host %#" PRIx64 ", guest %#" PRIx64
                           ", size %#" PRIx64 ")", i, LXS_PADDR_BITS,
                           e->host, e->guest, e->size);
        if (direct_map && e->host != e->guest)
            return invalid(why, "extent %zu: direct-mapped but host %#"
                           PRIx64 " != guest %#" PRIx64, i, e->host,
                           e->guest);
        for (j = 0; j < i; j++) {
            const struct lxs_extent *f = &ext[j];

            if (e->host < f->host + f->size && f->host < hend)
                return invalid(why, "extents %zu and %zu overlap in host "
                               "memory", j, i);
            if (e->guest < f->guest + f->size && f->guest < gend)
                return invalid(why, "extents %zu and %zu overlap in "
                               "guest memory", j, i);
        }
    }
    return 0;
}

static ssize_t find_index(const struct lxs_registry *reg, const char *name)
{
    size_t lo = 0, hi = reg->nr;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, reg->v[mid].name);

        if (!c)
            return (ssize_t)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

void lxs_registry_init(struct lxs_registry *reg)
{
    memset(reg, 0, sizeof(*reg));
    reg->lock_fd = -1;
}

void lxs_registry_close(struct lxs_registry *reg)
{
    size_t i;

    if (!reg)
        return;
    for (i = 0; i < reg->nr; i++)
        reservation_dispose(&reg->v[i]);
    free(reg->v);
    free(reg->dir);
    if (reg->lock_fd >= 0)
        close(reg->lock_fd);        /* drops the flock */
    lxs_registry_init(reg);
}

const struct lxs_reservation *
lxs_registry_find(const struct lxs_registry *reg, const char *name)
{
    ssize_t i;

    if (!name)
        return NULL;
    i = find_index(reg, name);
    return i < 0 ? NULL : &reg->v[i];
}

const struct lxs_reservation *
lxs_registry_conflict(const struct lxs_registry *reg, const char *name,
                      uint64_t start, uint64_t end)
{
    size_t i, j;

    for (i = 0; i < reg->nr; i++) {
        const struct lxs_reservation *r = &reg->v[i];

        if (name && !strcmp(name, r->name))
            continue;
        for (j = 0; j < r->nr_ext; j++) {
            if (start < r->ext[j].host + r->ext[j].size &&
                r->ext[j].host < end)
                return r;
        }
    }
    return NULL;
}

static bool writable(const struct lxs_registry *reg)
{
    return !reg->dir || (reg->flags & LXS_REGISTRY_WRITE);
}

bool lxs_reservation_is(const struct lxs_reservation *r,
                        const struct lxs_plan *plan)
{
    return r->direct_map == plan->direct_map && r->nr_ext == plan->nr_ext &&
           !memcmp(r->ext, plan->ext, plan->nr_ext * sizeof(*plan->ext));
}

int lxs_registry_set(struct lxs_registry *reg, const char *name,
                     const struct lxs_plan *plan)
{
    struct lxs_reservation r = { 0 };
    ssize_t at;
    size_t i;
    int rc;

    if (!writable(reg))
        return -EBADF;
    if (!lxs__name_ok(name) || !plan || (plan->nr_ext && !plan->ext))
        return -EINVAL;
    rc = check_extents(plan->ext, plan->nr_ext, plan->direct_map, NULL);
    if (rc)
        return rc;
    for (i = 0; i < plan->nr_ext; i++) {
        const struct lxs_extent *e = &plan->ext[i];

        if (lxs_registry_conflict(reg, name, e->host, e->host + e->size))
            return -EBUSY;
    }

    rc = -ENOMEM;
    r.name = lxs__strdup(name);
    r.ext = lxs__calloc(plan->nr_ext, sizeof(*r.ext));
    if (!r.name || !r.ext)
        goto out;
    memcpy(r.ext, plan->ext, plan->nr_ext * sizeof(*r.ext));
    r.nr_ext = plan->nr_ext;
    r.direct_map = plan->direct_map;

    at = find_index(reg, name);
    if (at >= 0) {
        reservation_dispose(&reg->v[at]);
        reg->v[at] = r;
    } else {
        rc = lxs__grow((void **)&reg->v, &reg->alloc, reg->nr + 1,
                       sizeof(*reg->v));
        if (rc)
            goto out;
        for (i = 0; i < reg->nr && strcmp(reg->v[i].name, name) < 0; i++)
            ;
        memmove(&reg->v[i + 1], &reg->v[i],
                (reg->nr - i) * sizeof(*reg->v));
        reg->v[i] = r;
        reg->nr++;
    }
    memset(&r, 0, sizeof(r));       /* the registry owns it now */
    reg->dirty = true;
    rc = 0;
out:
    reservation_dispose(&r);
    return rc;
}

int lxs_registry_remove(struct lxs_registry *reg, const char *name)
{
    ssize_t at;

    if (!writable(reg))
        return -EBADF;
    at = name ? find_index(reg, name) : -1;
    if (at < 0)
        return -ENOENT;
    reservation_dispose(&reg->v[at]);
    memmove(&reg->v[at], &reg->v[at + 1],
            (reg->nr - at - 1) * sizeof(*reg->v));
    reg->nr--;
    reg->dirty = true;
    return 0;
}

int lxs_registry_add_to_hostmap(const struct lxs_registry *reg,
                                struct lxs_hostmap *map)
{
    size_t nr0 = map->nr, i, j;
    int rc = 0;

    for (i = 0; i < reg->nr; i++) {
        const struct lxs_reservation *r = &reg->v[i];

        for (j = 0; j < r->nr_ext; j++) {
            rc = lxs_hostmap_add(map, LXS_REGION_OWNED, r->ext[j].host,
                                 r->ext[j].host + r->ext[j].size, 0,
                                 LXS_REGISTRY_LABEL, r->name);
            if (rc)
                goto out;
        }
    }
    rc = lxs_hostmap_finish(map);
out:
    if (rc) {
        /* finish replaces the derived sets only when it succeeds */
        for (i = nr0; i < map->nr; i++) {
            free(map->v[i].label);
            free(map->v[i].owner);
        }
        map->nr = nr0;
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Reading the file                                                    */

/*
 * @s as a message may quote it: one line (control characters become
 * '?') and at most SHOWN_MAX bytes, cut between UTF-8 characters, with
 * "..." when cut.  A file's keys and values can hold anything JSON can
 * escape, and a message is one line.
 */
#define SHOWN_MAX 40
#define SHOWN_LEN (SHOWN_MAX + 4)

static const char *shown(const char *s, char buf[SHOWN_LEN])
{
    size_t n = strlen(s), i;

    if (n > SHOWN_MAX) {
        n = SHOWN_MAX;
        while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = s[i];

        buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    strcpy(buf + i, s[i] ? "..." : "");
    return buf;
}

/*
 * Checks that object @o has exactly the keys @keys, each once, and
 * fills @vals in their order.  @where names @o in messages.
 */
static int object_keys(yajl_val o, const char *const *keys, size_t nr,
                       yajl_val *vals, const char *where, char **why)
{
    char buf[SHOWN_LEN];
    size_t i, j;

    if (!YAJL_IS_OBJECT(o))
        return bad(why, "%s: not an object", where);
    for (j = 0; j < nr; j++)
        vals[j] = NULL;
    for (i = 0; i < o->u.object.len; i++) {
        const char *k = o->u.object.keys[i];

        for (j = 0; j < nr && strcmp(k, keys[j]); j++)
            ;
        if (j == nr)
            return bad(why, "%s: unknown key '%s'", where, shown(k, buf));
        if (vals[j])
            return bad(why, "%s: duplicate key '%s'", where, k);
        vals[j] = o->u.object.values[i];
    }
    for (j = 0; j < nr; j++) {
        if (!vals[j])
            return bad(why, "%s: missing key '%s'", where, keys[j]);
    }
    return 0;
}

/* "0x" and 1 to 16 hex digits (leading zeros allowed). */
static int get_hex(yajl_val v, const char *key, uint64_t *val_r,
                   const char *where, char **why)
{
    const char *s = YAJL_GET_STRING(v);
    char buf[SHOWN_LEN];

    if (!s)
        return bad(why, "%s: '%s' is not a string", where, key);
    if (s[0] != '0' || s[1] != 'x' || lxs_parse_u64(s, val_r))
        return bad(why, "%s: '%s' is not a hex number: '%s'", where, key,
                   shown(s, buf));
    return 0;
}

static int parse_extent(yajl_val o, struct lxs_extent *e, const char *where,
                        char **why)
{
    static const char *const keys[] = { "host", "guest", "size" };
    yajl_val v[3];
    int rc;

    rc = object_keys(o, keys, 3, v, where, why);
    if (!rc)
        rc = get_hex(v[0], keys[0], &e->host, where, why);
    if (!rc)
        rc = get_hex(v[1], keys[1], &e->guest, where, why);
    if (!rc)
        rc = get_hex(v[2], keys[2], &e->size, where, why);
    return rc;
}

static int parse_reservation(yajl_val o, size_t idx,
                             struct lxs_reservation *r, char **why)
{
    static const char *const keys[] = { "name", "direct_map", "extents" };
    char where[WHERE_LEN], ewhere[WHERE_LEN + 32], buf[SHOWN_LEN];
    const char *name;
    yajl_val v[3];
    size_t i;
    int rc;

    snprintf(where, sizeof(where), "reservation %zu", idx);
    rc = object_keys(o, keys, 3, v, where, why);
    if (rc)
        return rc;
    if (!YAJL_IS_STRING(v[0]) || !lxs__name_ok(YAJL_GET_STRING(v[0])))
        return bad(why, "%s: 'name' is not a domain name (a string of 1 to "
                   "%d bytes without control characters)", where,
                   LXS_REGISTRY_NAME_MAX);
    name = v[0]->u.string;
    snprintf(where, sizeof(where), "reservation %zu ('%s')", idx,
             shown(name, buf));
    if (!YAJL_IS_TRUE(v[1]) && !YAJL_IS_FALSE(v[1]))
        return bad(why, "%s: 'direct_map' is not true or false", where);
    if (!YAJL_IS_ARRAY(v[2]))
        return bad(why, "%s: 'extents' is not an array", where);
    if (!v[2]->u.array.len || v[2]->u.array.len > LXS_MAX_GUEST_BANKS)
        return bad(why, "%s: %zu extents, not 1 to %d", where,
                   v[2]->u.array.len, LXS_MAX_GUEST_BANKS);

    r->name = lxs__strdup(name);
    r->ext = lxs__calloc(v[2]->u.array.len, sizeof(*r->ext));
    if (!r->name || !r->ext)
        return -ENOMEM;
    r->direct_map = YAJL_IS_TRUE(v[1]);
    r->nr_ext = v[2]->u.array.len;
    for (i = 0; i < r->nr_ext; i++) {
        snprintf(ewhere, sizeof(ewhere), "%s: extent %zu", where, i);
        rc = parse_extent(v[2]->u.array.values[i], &r->ext[i], ewhere, why);
        if (rc)
            return rc;
    }
    rc = check_extents(r->ext, r->nr_ext, r->direct_map, why);
    if (rc) {
        char *inner = why ? *why : NULL;

        if (why)
            *why = NULL;
        rc = bad(why, "%s: %s", where, inner ? inner : "bad extents");
        free(inner);
    }
    return rc;
}

/* No name twice, no host memory in two reservations. */
static int check_registry(struct lxs_registry *reg, char **why)
{
    struct lxs_ranges all;
    size_t i, j, top = 0;
    int rc;

    if (reg->nr > 1)
        qsort(reg->v, reg->nr, sizeof(*reg->v), reservation_cmp);
    for (i = 1; i < reg->nr; i++) {
        if (!strcmp(reg->v[i - 1].name, reg->v[i].name))
            return bad(why, "duplicate reservation '%s'", reg->v[i].name);
    }

    lxs_ranges_init(&all);
    for (i = 0; i < reg->nr; i++) {
        for (j = 0; j < reg->v[i].nr_ext; j++) {
            const struct lxs_extent *e = &reg->v[i].ext[j];

            rc = lxs_ranges_add(&all, e->host, e->host + e->size,
                                (uint32_t)i);
            if (rc)
                goto out;
        }
    }
    lxs_ranges_sort(&all);
    rc = 0;
    for (i = 1; i < all.nr; i++) {
        const struct lxs_range *a = &all.v[top], *b = &all.v[i];

        if (b->start < a->end) {
            rc = bad(why, "reservations '%s' and '%s' overlap: "
                     "%#" PRIx64 "-%#" PRIx64 " and %#" PRIx64 "-%#" PRIx64,
                     reg->v[a->tag].name, reg->v[b->tag].name,
                     a->start, a->end, b->start, b->end);
            goto out;
        }
        if (b->end > a->end)
            top = i;
    }
out:
    lxs_ranges_dispose(&all);
    return rc;
}

/*
 * The deepest nesting of arrays and objects in @text, outside strings,
 * or MAX_DEPTH + 1 as soon as it goes deeper.  yajl_tree_free() (yajl
 * 2.1) recurses once per level: a file of a few million '[' overflowed
 * the stack after yajl had parsed it.  A registry nests four deep.
 */
#define MAX_DEPTH 16

static unsigned int json_depth(const char *text, size_t len)
{
    unsigned int depth = 0, max = 0;
    bool in_string = false;
    size_t i;

    for (i = 0; i < len && max <= MAX_DEPTH; i++) {
        char c = text[i];

        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                max = depth;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return max;
}

/*
 * Whether a string of @text holds the escape \u0000: yajl's tree ends
 * its strings at the first NUL, so "ab\u0000cd" would be read as "ab".
 */
static bool nul_escape(const char *text, size_t len)
{
    const char *p = text, *end = text + len;

    while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
        if (end - p >= 6 && p[1] == 'u' && !memcmp(p + 2, "0000", 4))
            return true;
        p += 2;                     /* the escaped character too */
        if (p >= end)
            break;
    }
    return false;
}

/*
 * Parses @len bytes at @text (NUL-terminated at text[len]) into @reg,
 * which is empty.
 */
static int parse(struct lxs_registry *reg, const char *text, size_t len,
                 char **why)
{
    static const char *const keys[] = { "version", "reservations" };
    char err[256];
    yajl_val root = NULL, v[2], res;
    size_t i;
    int rc;

    if (!len)
        return bad(why, "empty file");
    if (len > MAX_FILE_SIZE)
        return bad(why, "larger than %" PRIu64 " bytes", MAX_FILE_SIZE);
    if (memchr(text, '\0', len))
        return bad(why, "contains a NUL byte");
    if (nul_escape(text, len))
        return bad(why, "contains a NUL character ('\\u0000')");
    if (json_depth(text, len) > MAX_DEPTH)
        return bad(why, "arrays and objects nested deeper than %d levels",
                   MAX_DEPTH);

    err[0] = '\0';
    root = yajl_tree_parse(text, err, sizeof(err));
    if (!root) {
        size_t n = strcspn(err, "\n");

        /* yajl's first line, without its final stop */
        while (n && (err[n - 1] == '.' || err[n - 1] == ' '))
            n--;
        err[n] = '\0';
        if (!err[0] || strstr(err, "memory allocation"))
            return -ENOMEM;
        return bad(why, "not valid JSON: %s", err);
    }

    /* the version first: a newer file may have other keys */
    if (!YAJL_IS_OBJECT(root)) {
        rc = bad(why, "the top level is not an object");
        goto out;
    }
    for (i = 0; i < root->u.object.len; i++) {
        if (!strcmp(root->u.object.keys[i], "version"))
            break;
    }
    if (i == root->u.object.len) {
        rc = bad(why, "no 'version'");
        goto out;
    }
    res = root->u.object.values[i];
    if (!YAJL_IS_NUMBER(res) || strcmp(res->u.number.r, "1")) {
        rc = bad(why, "unsupported version %s (this program reads "
                 "version %d)", YAJL_IS_NUMBER(res) ? res->u.number.r :
                 "(not a number)", LXS_REGISTRY_VERSION);
        goto out;
    }
    rc = object_keys(root, keys, 2, v, "the top level", why);
    if (rc)
        goto out;
    if (!YAJL_IS_ARRAY(v[1])) {
        rc = bad(why, "'reservations' is not an array");
        goto out;
    }

    for (i = 0; i < v[1]->u.array.len; i++) {
        rc = lxs__grow((void **)&reg->v, &reg->alloc, reg->nr + 1,
                       sizeof(*reg->v));
        if (rc)
            goto out;
        memset(&reg->v[reg->nr], 0, sizeof(*reg->v));
        /* counted now so that a half-read one is disposed with the rest */
        reg->nr++;
        rc = parse_reservation(v[1]->u.array.values[i], i,
                               &reg->v[reg->nr - 1], why);
        if (rc)
            goto out;
    }
    rc = check_registry(reg, why);
out:
    yajl_tree_free(root);
    return rc;
}

int lxs_registry_from_data(struct lxs_registry *reg, const char *data,
                           size_t len, char **why_r)
{
    struct lxs_registry tmp;
    char *text = NULL, *why = NULL;
    int rc;

    lxs_registry_init(&tmp);
    if (why_r)
        *why_r = NULL;
    if (reg->dir || reg->lock_fd >= 0 || (!data && len))
        return -EINVAL;
    if (len > MAX_FILE_SIZE) {
        rc = bad(&why, "larger than %" PRIu64 " bytes", MAX_FILE_SIZE);
        goto out;
    }
    rc = -ENOMEM;
    text = lxs__malloc(len + 1);
    if (!text)
        goto out;
    if (len)
        memcpy(text, data, len);
    text[len] = '\0';
    rc = parse(&tmp, text, len, &why);
    if (rc)
        goto out;
    lxs_registry_close(reg);
    *reg = tmp;
    lxs_registry_init(&tmp);
out:
    if (rc && rc != -ENOMEM && why_r) {
        *why_r = why;
        why = NULL;
    }
    free(why);
    free(text);
    lxs_registry_close(&tmp);
    return rc;
}

/*
 * Reads the whole file at @path into a NUL-terminated buffer
 * (lxs_file_read: a regular file, at most MAX_FILE_SIZE bytes).  -ENOENT
 * (no message) when it does not exist.
 */
static int read_file(const char *path, char **text_r, size_t *len_r,
                     char **why)
{
    int rc = lxs_file_read(path, MAX_FILE_SIZE, text_r, len_r);

    if (rc == -ENOENT || rc == -ENOMEM)
        return rc;
    if (rc == -EFBIG)
        return vmsg_rc(why, rc, "'%s' is larger than %" PRIu64 " bytes",
                       path, MAX_FILE_SIZE);
    if (rc == -LXS_ENOTREG || rc == -EISDIR)
        return bad(why, "'%s' is not a regular file", path);
    if (rc) {
        errno = -rc;
        return sys_fail(why, "cannot read '%s'", path);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The directory and the lock                                          */

static int fsync_dir(const char *dir, char **why)
{
    int fd, rc = 0;

    fd = IO(open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd < 0)
        return sys_fail(why, "cannot open directory '%s'", dir);
    if (IO(fsync(fd)) < 0)
        rc = sys_fail(why, "cannot sync directory '%s'", dir);
    close(fd);
    return rc;
}

/*
 * mkdir -p @dir (0755, set with chmod: not the umask's).  Each directory it creates is made durable in
 * its parent, so that a committed registry does not vanish with a new
 * directory entry at a power loss.
 */
static int make_dir(const char *dir, char **why)
{
    char *p, *s;
    int rc = 0;

    p = lxs__strdup(dir);
    if (!p)
        return -ENOMEM;
    for (s = p + 1; ; s++) {
        char c = *s;

        if (c && c != '/')
            continue;
        *s = '\0';
        if (s[-1] != '/') {
            if (IO(mkdir(p, 0755)) == 0) {
                char *slash = strrchr(p, '/');

                /* the documented mode, whatever the umask */
                if (IO(chmod(p, 0755)) < 0) {
                    rc = sys_fail(why, "cannot chmod directory '%s'", p);
                    goto out;
                }

                if (!slash) {
                    rc = fsync_dir(".", why);
                } else if (slash == p) {
                    rc = fsync_dir("/", why);
                } else {
                    *slash = '\0';
                    rc = fsync_dir(p, why);
                    *slash = '/';
                }
                if (rc)
                    goto out;
            } else if (errno != EEXIST) {
                rc = sys_fail(why, "cannot create directory '%s'", p);
                goto out;
            }
        }
        *s = c;
        if (!c)
            break;
    }
out:
    free(p);
    return rc;
}

/*
 * Opens the lock file and flocks it into reg->lock_fd.  A writer creates
 * the lock file.  A reader never creates anything (create -n must leave
 * the state directory as it is): without a lock file (no writer has
 * used the directory yet) or without the right to open it, it goes on
 * without the lock, and still reads one whole state, since commits are
 * atomic renames.
 */
static int take_lock(struct lxs_registry *reg, char **why)
{
    bool write = reg->flags & LXS_REGISTRY_WRITE;
    char *path;
    int fd, op, rc;

    path = path_in(reg->dir, LXS_REGISTRY_LOCK);
    if (!path)
        return -ENOMEM;
    /* a regular file only: a FIFO or device there cannot block us */
    rc = lxs__open_regular(path, write ? O_RDWR | O_CREAT | O_NOFOLLOW :
                                         O_RDONLY | O_NOFOLLOW, &fd);
    if (rc) {
        if (!write && (rc == -ENOENT || rc == -EACCES ||
                       rc == -EROFS || rc == -EPERM)) {
            rc = 0;
            goto out;
        }
        if (rc == -LXS_ENOTREG) {
            rc = vmsg_rc(why, rc, "the lock file '%s' is not a regular "
                         "file", path);
            goto out;
        }
        errno = -rc;
        rc = sys_fail(why, "cannot open the lock file '%s'", path);
        goto out;
    }
    op = write ? LOCK_EX : LOCK_SH;
    if (reg->flags & LXS_REGISTRY_NOWAIT)
        op |= LOCK_NB;
    while (IO(flock(fd, op)) < 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK) {
            errno = EAGAIN;
            rc = sys_fail(why, "'%s' is locked by another process", path);
        } else {
            rc = sys_fail(why, "cannot lock '%s'", path);
        }
        close(fd);
        goto out;
    }
    reg->lock_fd = fd;
    rc = 0;
out:
    free(path);
    return rc;
}

const char *lxs_registry_dir(const char *opt)
{
    const char *env;

    if (opt)
        return opt;
    env = getenv(LXS_REGISTRY_DIR_ENV);
    return env && *env ? env : LXS_REGISTRY_DIR_DEFAULT;
}

int lxs_registry_open(struct lxs_registry *reg, const char *dir,
                      unsigned int flags, char **why_r)
{
    struct lxs_registry tmp;
    char *path = NULL, *text = NULL, *why = NULL;
    size_t len = 0;
    int rc;

    lxs_registry_init(&tmp);
    if (why_r)
        *why_r = NULL;
    if (!dir || !*dir ||
        (flags & ~(LXS_REGISTRY_WRITE | LXS_REGISTRY_NOWAIT)) ||
        reg->dir || reg->lock_fd >= 0)
        return -EINVAL;

    rc = -ENOMEM;
    tmp.flags = flags;
    tmp.dir = lxs__strdup(dir);
    path = path_in(dir, LXS_REGISTRY_FILE);
    if (!tmp.dir || !path)
        goto out;
    if (flags & LXS_REGISTRY_WRITE) {
        rc = make_dir(dir, &why);
        if (rc)
            goto out;
    }
    rc = take_lock(&tmp, &why);
    if (rc)
        goto out;

    rc = read_file(path, &text, &len, &why);
    if (rc == -ENOENT) {
        rc = 0;                     /* no file yet: no reservations */
    } else if (!rc) {
        rc = parse(&tmp, text, len, &why);
    }
    if (rc)
        goto out;

    lxs_registry_close(reg);
    *reg = tmp;
    lxs_registry_init(&tmp);
out:
    if (rc && rc != -ENOMEM && why_r) {
        *why_r = why;
        why = NULL;
    }
    free(why);
    free(text);
    free(path);
    lxs_registry_close(&tmp);       /* on failure: drops the lock */
    return rc;
}

/* ------------------------------------------------------------------ */
/* Writing the file                                                    */

#define GEN(call) do {                                                  \
        if ((call) != yajl_gen_status_ok) {                             \
            rc = -EIO;                                                  \
            goto out;                                                   \
        }                                                               \
    } while (0)

static yajl_gen_status gen_str(yajl_gen g, const char *s)
{
    return yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static yajl_gen_status gen_hex(yajl_gen g, uint64_t val)
{
    char buf[2 + 16 + 1];

    snprintf(buf, sizeof(buf), "0x%" PRIx64, val);
    return gen_str(g, buf);
}

int lxs_registry_to_data(const struct lxs_registry *reg, char **data_r,
                         size_t *len_r)
{
    const unsigned char *buf;
    yajl_gen g;
    size_t i, j, len;
    char *data;
    int rc;

    g = yajl_gen_alloc(NULL);
    if (!g)
        return -ENOMEM;
    if (!yajl_gen_config(g, yajl_gen_beautify, 1) ||
        !yajl_gen_config(g, yajl_gen_indent_string, "    ") ||
        !yajl_gen_config(g, yajl_gen_validate_utf8, 1)) {
        rc = -EIO;
        goto out;
    }

    GEN(yajl_gen_map_open(g));
    GEN(gen_str(g, "version"));
    GEN(yajl_gen_integer(g, LXS_REGISTRY_VERSION));
    GEN(gen_str(g, "reservations"));
    GEN(yajl_gen_array_open(g));
    for (i = 0; i < reg->nr; i++) {
        const struct lxs_reservation *r = &reg->v[i];

        GEN(yajl_gen_map_open(g));
        GEN(gen_str(g, "name"));
        GEN(gen_str(g, r->name));
        GEN(gen_str(g, "direct_map"));
        GEN(yajl_gen_bool(g, r->direct_map));
        GEN(gen_str(g, "extents"));
        GEN(yajl_gen_array_open(g));
        for (j = 0; j < r->nr_ext; j++) {
            GEN(yajl_gen_map_open(g));
            GEN(gen_str(g, "host"));
            GEN(gen_hex(g, r->ext[j].host));
            GEN(gen_str(g, "guest"));
            GEN(gen_hex(g, r->ext[j].guest));
            GEN(gen_str(g, "size"));
            GEN(gen_hex(g, r->ext[j].size));
            GEN(yajl_gen_map_close(g));
        }
        GEN(yajl_gen_array_close(g));
        GEN(yajl_gen_map_close(g));
    }
    GEN(yajl_gen_array_close(g));
    GEN(yajl_gen_map_close(g));
    GEN(yajl_gen_get_buf(g, &buf, &len));

    /* one final newline, whether or not this yajl writes one */
    while (len && buf[len - 1] == '\n')
        len--;
    rc = -ENOMEM;
    data = lxs__malloc(len + 2);
    if (!data)
        goto out;
    memcpy(data, buf, len);
    data[len++] = '\n';
    data[len] = '\0';
    *data_r = data;
    *len_r = len;
    rc = 0;
out:
    yajl_gen_free(g);
    return rc;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t r = IO(write(fd, data, len));

        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += r;
        len -= (size_t)r;
    }
    return 0;
}

int lxs_registry_commit(struct lxs_registry *reg, char **why_r)
{
    char *data = NULL, *path = NULL, *tmp = NULL, *why = NULL;
    bool created = false;
    size_t len;
    int fd = -1, rc;

    if (why_r)
        *why_r = NULL;
    if (!reg->dir || !(reg->flags & LXS_REGISTRY_WRITE) || reg->lock_fd < 0)
        return -EBADF;
    if (!reg->dirty)
        return 0;

    rc = -ENOMEM;
    path = path_in(reg->dir, LXS_REGISTRY_FILE);
    tmp = path_in(reg->dir, TMP_NAME);
    if (!path || !tmp)
        goto out;
    if (!reg->nr) {
        /* no reservations: no file, as before the first one */
        if (IO(unlink(path)) < 0 && errno != ENOENT) {
            rc = sys_fail(&why, "cannot remove '%s'", path);
            goto out;
        }
        reg->dirty = false;
        rc = fsync_dir(reg->dir, &why);
        goto out;
    }
    rc = lxs_registry_to_data(reg, &data, &len);
    if (rc)
        goto out;
    /* never write what the reader would refuse */
    if (len > MAX_FILE_SIZE) {
        rc = vmsg_rc(&why, -EFBIG, "the registry would be %zu bytes, more "
                     "than the %" PRIu64 " a registry may hold", len,
                     MAX_FILE_SIZE);
        goto out;
    }

    /* We hold LOCK_EX: a temporary file is a dead writer's. */
    if (IO(unlink(tmp)) < 0 && errno != ENOENT) {
        rc = sys_fail(&why, "cannot remove '%s'", tmp);
        goto out;
    }
    fd = IO(open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd < 0) {
        rc = sys_fail(&why, "cannot create '%s'", tmp);
        goto out;
    }
    created = true;
    /* the mode is the file's, not the caller's umask's */
    if (IO(fchmod(fd, 0644)) < 0) {
        rc = sys_fail(&why, "cannot chmod '%s'", tmp);
        goto out;
    }
    if (write_all(fd, data, len) < 0) {
        rc = sys_fail(&why, "cannot write '%s'", tmp);
        goto out;
    }
    if (IO(fsync(fd)) < 0) {
        rc = sys_fail(&why, "cannot sync '%s'", tmp);
        goto out;
    }
    rc = io_close(fd);
    fd = -1;
    if (rc < 0) {
        rc = sys_fail(&why, "cannot close '%s'", tmp);
        goto out;
    }
    if (IO(rename(tmp, path)) < 0) {
        rc = sys_fail(&why, "cannot rename '%s' to '%s'", tmp, path);
        goto out;
    }
    created = false;
    reg->dirty = false;             /* the file holds this state now */
    rc = fsync_dir(reg->dir, &why);
out:
    if (fd >= 0)
        close(fd);
    if (created)
        unlink(tmp);
    if (rc && rc != -ENOMEM && why_r) {
        *why_r = why;
        why = NULL;
    }
    free(why);
    free(tmp);
    free(path);
    free(data);
    return rc;
}
