/*
 * The registry's file format (docs/registry.md): JSON, version 1, read
 * with yajl's tree parser after the checks that keep it from harm (size,
 * NUL bytes, nesting), and written with yajl's generator.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "registry_i.h"

/* LXS_REGISTRY_MAX_SIZE; only tests lower it (lxs_internal.h) */
uint64_t lxs__registry_max_size = LXS_REGISTRY_MAX_SIZE;
#define WHERE_LEN 96

/* ------------------------------------------------------------------ */
/* Reading                                                             */

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
    rc = lxs__registry_check_extents(r->ext, r->nr_ext, r->direct_map,
                                     why);
    if (rc) {
        char *inner = why ? *why : NULL;

        if (why)
            *why = NULL;
        rc = bad(why, "%s: %s", where, inner ? inner : "bad extents");
        free(inner);
    }
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

int lxs__registry_parse(struct lxs_registry *reg, const char *text,
                        size_t len, char **why)
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
    rc = lxs__registry_check(reg, why);
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
    rc = lxs__registry_parse(&tmp, text, len, &why);
out:
    free(text);
    return lxs__registry_replace(reg, &tmp, rc, why, why_r);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

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
