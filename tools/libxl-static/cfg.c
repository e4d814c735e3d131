/*
 * Domain specs from xl cfg files, read through libxlutil.
 *
 * Three steps as in xl_parse.c: read a key (ESRCH = absent), default
 * it, range-check it.  libxlutil keeps numbers as the text written, so
 * every number goes through our strict parsers: "0x60000000" and "256M"
 * are accepted, "12abc" and "-1" are not.  Each value that does not
 * parse is one `syntax' finding naming the key and the value; parsing
 * goes on with the next key so that the user sees all of them.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxlutil.h>

#include "lxs_internal.h"

#define MiB (UINT64_C(1) << 20)
/* Largest cfg text read: xl cfg files are a few KiB. */
#define MAX_CFG_SIZE LXS_CFG_MAX_SIZE

/* One parse: the libxlutil handle, the spec being built, its findings. */
struct pctx {
    XLU_Config *cfg;
    struct lxs_spec *spec;
    struct lxs_diags *diags;
};

/*
 * Records a finding at @line of the cfg (0: none); 0 or -ENOMEM.
 */
static int __attribute__((format(printf, 6, 0)))
vreport(struct pctx *c, enum lxs_severity sev, enum lxs_code code,
        const char *key, unsigned int line, const char *fmt, va_list ap)
{
    int rc;

    rc = lxs_diag_vadd(c->diags, sev, code, c->spec->file, c->spec->name,
                       key, fmt, ap);
    if (!rc)
        c->diags->v[c->diags->nr - 1].line = line;
    return rc;
}

static int __attribute__((format(printf, 6, 7)))
finding(struct pctx *c, enum lxs_severity sev, enum lxs_code code,
       const char *key, unsigned int line, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = vreport(c, sev, code, key, line, fmt, ap);
    va_end(ap);
    return rc;
}

/* Records a syntax finding against @key, at its line; 0 or -ENOMEM. */
static int __attribute__((format(printf, 4, 5)))
bad(struct pctx *c, unsigned int bit, const char *key, const char *fmt, ...)
{
    va_list ap;
    int rc;

    c->spec->bad = true;
    c->spec->bad_keys |= bit;
    va_start(ap, fmt);
    rc = vreport(c, LXS_SEV_ERROR, LXS_E_SYNTAX, key,
                 lxs__spec_key_line(c->spec, key), fmt, ap);
    va_end(ap);
    return rc;
}

/* Why lxs_parse_* refused a value, for messages. */
static const char *parse_why(int rc)
{
    return rc == -ERANGE ? "does not fit in 64 bits" : "is not a number";
}

/*
 * A single value.  1 when absent or unusable (a list: recorded), 0 with
 * *s_r set, -ENOMEM.
 */
static int get_atom(struct pctx *c, const char *key, unsigned int bit,
                    const char **s_r)
{
    int r, rc;

    r = xlu_cfg_get_string(c->cfg, key, s_r, 1);
    if (r == ESRCH)
        return 1;
    if (r) {
        rc = bad(c, bit, key, "'%s' must be a single value, not a list", key);
        return rc ? rc : 1;
    }
    return 0;
}

/* A list.  1 when absent or not a list (recorded), 0, -ENOMEM. */
static int get_list(struct pctx *c, const char *key, unsigned int bit,
                    XLU_ConfigList **list_r, int *nr_r)
{
    int r, rc;

    r = xlu_cfg_get_list(c->cfg, key, list_r, nr_r, 1);
    if (r == ESRCH)
        return 1;
    if (r) {
        rc = bad(c, bit, key, "'%s' must be a list: [ ... ]", key);
        return rc ? rc : 1;
    }
    return 0;
}

/* A string key copied into *dst_r; "" counts as absent. */
static int get_strdup(struct pctx *c, const char *key, char **dst_r)
{
    const char *s;
    int rc;

    rc = get_atom(c, key, LXS_KEY_OTHER, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    if (!*s)
        return 0;
    *dst_r = lxs__strdup(s);
    return *dst_r ? 0 : -ENOMEM;
}

static int parse_name(struct pctx *c)
{
    const char *s;
    int rc;

    rc = get_atom(c, "name", LXS_KEY_NAME, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    if (!*s)
        return bad(c, LXS_KEY_NAME, "name", "'name' is empty");
    /*
     * The name becomes a registry key, a device-tree node and a label in
     * every finding: refuse here what the registry would refuse at
     * create time ("\n", invalid UTF-8, a megabyte of it).
     */
    if (strlen(s) > LXS_REGISTRY_NAME_MAX)
        return bad(c, LXS_KEY_NAME, "name",
                   "'name' is %zu bytes long, more than %d", strlen(s),
                   LXS_REGISTRY_NAME_MAX);
    if (!lxs__name_ok(s))
        return bad(c, LXS_KEY_NAME, "name",
                   "'name' '%s' is not UTF-8 text without control "
                   "characters", s);
    c->spec->name = lxs__strdup(s);
    return c->spec->name ? 0 : -ENOMEM;
}

/*
 * A count of MiB (memory, maxmem: xl reads them so) into *bytes_r.  0,
 * 1 when absent or bad (recorded), -ENOMEM.
 */
static int get_mib(struct pctx *c, const char *key, unsigned int bit,
                   uint64_t *bytes_r)
{
    const char *s;
    uint64_t mib;
    int rc;

    rc = get_atom(c, key, bit, &s);
    if (rc)
        return rc;
    rc = lxs_parse_u64(s, &mib);
    if (rc)
        rc = bad(c, bit, key, "'%s' value '%s' %s (MiB, decimal or 0x-hex)",
                 key, s, parse_why(rc));
    else if (lxs_mul_overflow(mib, MiB, bytes_r))
        rc = bad(c, bit, key, "'%s' value '%s' MiB does not fit in 64 bits",
                 key, s);
    else
        return 0;
    return rc ? rc : 1;
}

static int parse_memory(struct pctx *c)
{
    uint64_t size;
    int rc;

    rc = get_mib(c, "memory", LXS_KEY_MEMORY, &size);
    if (rc)
        return rc < 0 ? rc : 0;
    if (!size)
        return bad(c, LXS_KEY_MEMORY, "memory", "'memory' is zero");
    c->spec->memory_size = size;
    c->spec->has_memory = true;
    return 0;
}

/* "maxmem" (rules: lxs_check). */
static int parse_maxmem(struct pctx *c)
{
    int rc;

    rc = get_mib(c, "maxmem", LXS_KEY_MAXMEM, &c->spec->maxmem_size);
    if (rc)
        return rc < 0 ? rc : 0;
    c->spec->has_maxmem = true;
    return 0;
}

static int parse_direct_map(struct pctx *c)
{
    const char *s;
    uint64_t v;
    int rc;

    rc = get_atom(c, "direct_map", LXS_KEY_DIRECT_MAP, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    rc = lxs_parse_u64(s, &v);
    if (rc || v > 1)
        return bad(c, LXS_KEY_DIRECT_MAP, "direct_map",
                   "'direct_map' must be 0 or 1, not '%s'", s);
    c->spec->direct_map = v;
    return 0;
}

static int parse_rambase(struct pctx *c)
{
    const char *s;
    int rc;

    rc = get_atom(c, "rambase_pfn", LXS_KEY_RAMBASE, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    rc = lxs_parse_u64(s, &c->spec->rambase_pfn);
    if (rc)
        return bad(c, LXS_KEY_RAMBASE, "rambase_pfn",
                   "'rambase_pfn' value '%s' %s (a frame number)", s,
                   parse_why(rc));
    c->spec->has_rambase = true;
    return 0;
}

static int parse_mem_chunk(struct pctx *c)
{
    const char *s;
    int rc;

    rc = get_atom(c, "mem_chunk", LXS_KEY_MEM_CHUNK, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    rc = lxs_parse_size_unit(s, MiB, &c->spec->mem_chunk_size);
    if (rc)
        return bad(c, LXS_KEY_MEM_CHUNK, "mem_chunk",
                   "'mem_chunk' value '%s' %s (MiB, or a size such as "
                   "'256M')", s, rc == -ERANGE ? "does not fit in 64 bits"
                   : "is not a size");
    c->spec->has_mem_chunk = true;
    return 0;
}

/*
 * A static_mem size without a unit.  Bare sizes are MiB in every other
 * key (memory, maxmem, mem_chunk) but were bytes here: rather than
 * change what an existing cfg means, the unit is asked for, with the
 * size the number meant so far written with one.  0 or -ENOMEM.
 */
static int bare_size(struct pctx *c, const char *item, const char *size_s,
                     uint64_t bytes)
{
    char b[LXS_SIZE_STRLEN];

    if (!(bytes & 1023))
        return bad(c, LXS_KEY_STATIC_MEM, "static_mem",
                   "'static_mem' item '%s': size '%s' has no unit: write "
                   "'%s' (sizes are MiB when bare, as in 'memory', but a "
                   "bare 'static_mem' size used to be bytes)", item, size_s,
                   lxs_fmt_size(bytes, b));
    return bad(c, LXS_KEY_STATIC_MEM, "static_mem",
               "'static_mem' item '%s': size '%s' has no unit: write it "
               "with one, K, M, G or T (sizes are MiB when bare, as in "
               "'memory', but a bare 'static_mem' size used to be bytes)",
               item, size_s);
}

/*
 * One static_mem item, "ADDR:SIZE" or "ADDR:SIZE@GADDR".  Returns 0
 * with *m filled, 1 when the item is bad (recorded), -ENOMEM.
 */
static int parse_mem_item(struct pctx *c, const char *item,
                          struct lxs_mem_spec *m)
{
    const char *colon, *at;
    char *addr_s = NULL, *size_s = NULL;
    int rc, r;

    colon = strchr(item, ':');
    at = colon ? strchr(colon + 1, '@') : NULL;
    if (!colon) {
        rc = bad(c, LXS_KEY_STATIC_MEM, "static_mem",
                 "'static_mem' item '%s' is not ADDR:SIZE or "
                 "ADDR:SIZE@GADDR", item);
        goto out;
    }

    rc = -ENOMEM;
    addr_s = lxs__strndup(item, colon - item);
    size_s = at ? lxs__strndup(colon + 1, at - colon - 1)
                : lxs__strdup(colon + 1);
    if (!addr_s || !size_s)
        goto out;

    r = lxs_parse_u64(addr_s, &m->addr);
    if (r) {
        rc = bad(c, LXS_KEY_STATIC_MEM, "static_mem",
                 "'static_mem' item '%s': address '%s' %s", item, addr_s,
                 parse_why(r));
        goto out;
    }
    if (!lxs_parse_u64(size_s, &m->size) && m->size) {
        rc = bare_size(c, item, size_s, m->size);
        goto out;
    }
    r = lxs_parse_size(size_s, &m->size);
    if (r) {
        rc = bad(c, LXS_KEY_STATIC_MEM, "static_mem",
                 "'static_mem' item '%s': size '%s' %s", item, size_s,
                 r == -ERANGE ? "does not fit in 64 bits" : "is not a size");
        goto out;
    }
    if (!m->size) {
        rc = bad(c, LXS_KEY_STATIC_MEM, "static_mem",
                 "'static_mem' item '%s': size is zero", item);
        goto out;
    }
    if (at) {
        r = lxs_parse_u64(at + 1, &m->gaddr);
        if (r) {
            rc = bad(c, LXS_KEY_STATIC_MEM, "static_mem",
                     "'static_mem' item '%s': guest address '%s' %s", item,
                     at + 1, parse_why(r));
            goto out;
        }
        m->has_gaddr = true;
    }
    m->text = lxs__strdup(item);
    rc = m->text ? 0 : -ENOMEM;
    free(addr_s);
    free(size_s);
    return rc;

out:
    free(addr_s);
    free(size_s);
    return rc < 0 ? rc : 1;
}

static int parse_static_mem(struct pctx *c)
{
    struct lxs_spec *spec = c->spec;
    XLU_ConfigList *list;
    int nr, i, rc;

    rc = get_list(c, "static_mem", LXS_KEY_STATIC_MEM, &list, &nr);
    if (rc) {
        /* present but not a list: still "present" for conflict rules */
        if (rc == 1 && (spec->bad_keys & LXS_KEY_STATIC_MEM))
            spec->has_static_mem = true;
        return rc < 0 ? rc : 0;
    }
    spec->has_static_mem = true;
    if (!nr)
        return 0;
    spec->static_mem = lxs__calloc(nr, sizeof(*spec->static_mem));
    if (!spec->static_mem)
        return -ENOMEM;

    for (i = 0; i < nr; i++) {
        XLU_ConfigValue *v = xlu_cfg_get_listitem2(list, i);
        struct lxs_mem_spec *m = &spec->static_mem[spec->nr_static_mem];

        if (xlu_cfg_value_type(v) != XLU_STRING) {
            rc = bad(c, LXS_KEY_STATIC_MEM, "static_mem",
                     "'static_mem' item %d is a list, not "
                     "\"ADDR:SIZE\"", i + 1);
            if (rc)
                return rc;
            continue;
        }
        rc = parse_mem_item(c, xlu_cfg_get_listitem(list, i), m);
        if (rc < 0)
            return rc;
        if (rc == 0)
            spec->nr_static_mem++;
    }
    return 0;
}

static int parse_vcpus(struct pctx *c, const char *key)
{
    const char *s;
    uint64_t v;
    int rc;

    rc = get_atom(c, key, LXS_KEY_VCPUS, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    rc = lxs_parse_u64(s, &v);
    if (rc || v < 1 || v > UINT_MAX)
        return bad(c, LXS_KEY_VCPUS, key,
                   "'%s' must be a number from 1, not '%s'", key, s);
    if (v > c->spec->vcpus || !strcmp(key, "vcpus"))
        c->spec->vcpus = v;
    return 0;
}

static int parse_gic_version(struct pctx *c)
{
    const char *s;
    int rc;

    rc = get_atom(c, "gic_version", LXS_KEY_GIC_VERSION, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    /* libxl_gic_version_from_string()'s names */
    if (!strcasecmp(s, "default"))
        c->spec->gic_version = 0;
    else if (!strcasecmp(s, "v2"))
        c->spec->gic_version = 2;
    else if (!strcasecmp(s, "v3"))
        c->spec->gic_version = 3;
    else
        return bad(c, LXS_KEY_GIC_VERSION, "gic_version",
                   "unknown 'gic_version' '%s' (default, v2 or v3)", s);
    return 0;
}

static int parse_vuart(struct pctx *c)
{
    const char *s;
    int rc;

    rc = get_atom(c, "vuart", LXS_KEY_VUART, &s);
    if (rc)
        return rc < 0 ? rc : 0;
    if (strcmp(s, "sbsa_uart"))
        return bad(c, LXS_KEY_VUART, "vuart",
                   "unknown 'vuart' type '%s' (only 'sbsa_uart')", s);
    c->spec->vuart_sbsa = true;
    return 0;
}

/* xl's on_* actions: which ones are "rename-restart". */
static int parse_on_actions(struct pctx *c)
{
    static const char *const keys[] = LXS_ON_KEYS;
    const char *s;
    unsigned int k;
    int rc;

    for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        rc = get_atom(c, keys[k], LXS_KEY_OTHER, &s);
        if (rc < 0)
            return rc;
        if (!rc && !strcmp(s, "rename-restart"))
            c->spec->rename_restart |= 1u << k;
    }
    return 0;
}

/* "cmdline", else what xl makes of "root" and "extra". */
static int parse_cmdline(struct pctx *c)
{
    const char *root = NULL, *extra = NULL;
    int rc;

    rc = get_strdup(c, "cmdline", &c->spec->cmdline);
    if (rc || c->spec->cmdline)
        return rc;
    rc = get_atom(c, "root", LXS_KEY_OTHER, &root);
    if (rc < 0)
        return rc;
    rc = get_atom(c, "extra", LXS_KEY_OTHER, &extra);
    if (rc < 0)
        return rc;
    if (root && extra)
        c->spec->cmdline = lxs__asprintf("root=%s %s", root, extra);
    else if (root)
        c->spec->cmdline = lxs__asprintf("root=%s", root);
    else if (extra)
        c->spec->cmdline = lxs__strdup(extra);
    else
        return 0;
    return c->spec->cmdline ? 0 : -ENOMEM;
}

/* A hex frame number of an iomem item, up to @end; 0 or -EINVAL. */
static int iomem_hex(const char *s, const char *end, uint64_t *v_r)
{
    char buf[24], *e;
    size_t n = (size_t)(end - s);

    if (!n || n >= sizeof(buf) || *s == '-' || *s == '+' || *s == ' ')
        return -EINVAL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    *v_r = strtoull(buf, &e, 16);
    return errno || *e ? -EINVAL : 0;
}

/*
 * One iomem item, "MFN,NR[@GFN]" in hex (0x allowed) as xl_parse.c reads
 * it; the GFN defaults to the MFN.  1 when it does not parse (recorded),
 * 0, -ENOMEM.
 */
static int parse_iomem_item(struct pctx *c, const char *s,
                            struct lxs_iomem *io)
{
    const char *comma = strchr(s, ','), *at = strchr(s, '@');
    const char *end = s + strlen(s);
    int rc;

    if (!comma || (at && at < comma) ||
        iomem_hex(s, comma, &io->mfn) ||
        iomem_hex(comma + 1, at ? at : end, &io->nr) ||
        (at && iomem_hex(at + 1, end, &io->gfn)))
        goto bad_item;
    if (!at)
        io->gfn = io->mfn;
    if (!io->nr || io->mfn + io->nr < io->mfn || io->gfn + io->nr < io->gfn ||
        io->mfn + io->nr > (UINT64_MAX >> 12) ||
        io->gfn + io->nr > (UINT64_MAX >> 12))
        goto bad_item;
    return 0;

bad_item:
    rc = bad(c, LXS_KEY_OTHER, "iomem", "'iomem' item '%s' is not "
             "MFN,NR[@GFN] (hex frame numbers, NR > 0, no wrap)", s);
    return rc ? rc : 1;
}

static int parse_iomem(struct pctx *c, XLU_ConfigList *list, int nr)
{
    struct lxs_spec *spec = c->spec;
    int i, rc;

    spec->iomem = lxs__calloc((size_t)nr, sizeof(*spec->iomem));
    if (!spec->iomem)
        return -ENOMEM;
    for (i = 0; i < nr; i++) {
        const char *s = xlu_cfg_get_listitem(list, i);

        if (!s) {
            rc = bad(c, LXS_KEY_OTHER, "iomem", "'iomem' item %d is a "
                     "list, not \"MFN,NR[@GFN]\"", i + 1);
            if (rc)
                return rc;
            continue;
        }
        rc = parse_iomem_item(c, s, &spec->iomem[spec->nr_iomem]);
        if (rc < 0)
            return rc;
        if (!rc)
            spec->nr_iomem++;
    }
    return 0;
}

/* The dtdev paths, as written; an item that is a list is skipped. */
static int parse_dtdev(struct pctx *c, XLU_ConfigList *list, int nr)
{
    struct lxs_spec *spec = c->spec;
    int i;

    spec->dtdev = lxs__calloc((size_t)nr, sizeof(*spec->dtdev));
    if (!spec->dtdev)
        return -ENOMEM;
    for (i = 0; i < nr; i++) {
        const char *s = xlu_cfg_get_listitem(list, i);

        if (!s)
            continue;
        spec->dtdev[spec->nr_dtdev] = lxs__strdup(s);
        if (!spec->dtdev[spec->nr_dtdev])
            return -ENOMEM;
        spec->nr_dtdev++;
    }
    return 0;
}

/* dtdev, iomem, irqs: present and not empty means passthrough. */
static int parse_passthrough(struct pctx *c)
{
    static const char *const keys[] = { "dtdev", "iomem", "irqs" };
    XLU_ConfigList *list;
    size_t i;
    int nr, rc;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        rc = get_list(c, keys[i], LXS_KEY_OTHER, &list, &nr);
        if (rc < 0)
            return rc;
        if (rc || !nr)
            continue;
        c->spec->has_passthrough = true;
        if (i == 0) {
            c->spec->has_dtdev = true;
            rc = parse_dtdev(c, list, nr);
            if (rc)
                return rc;
        }
        if (i == 1 && (rc = parse_iomem(c, list, nr)))
            return rc;
    }
    if (c->spec->device_tree)
        c->spec->has_passthrough = true;
    return 0;
}

/*
 * libxlutil's lexer stops at the unit or the colon of an unquoted size
 * (mem_chunk = 256M) or extent (0x60000000:256M): "near 'M'", "near
 * ':256M'".
 */
static bool unquoted_size(const char *line)
{
    const char *near = strstr(line, "near '");

    if (!near || !strstr(line, "lexical error"))
        return false;
    near += strlen("near '");
    return *near == ':' || (*near && strchr("KMGTkmgt", *near));
}

/*
 * A read failure: libxlutil wrote "LABEL:LINE: config parsing error
 * near `X': WHAT" lines to the report.  One finding per such line, at
 * that line: "config parsing error near 'X': WHAT".
 */
static int report_read_error(struct pctx *c, const char *label,
                             const char *report, int r)
{
    size_t lablen = strlen(label);
    const char *p = report, *nl;
    int found = 0, rc;

    c->spec->bad = true;
    c->spec->bad_keys |= LXS_KEY_FILE;
    for (; p && *p; p = nl ? nl + 1 : NULL) {
        const char *what;
        char *line, *q;
        unsigned long n;

        nl = strchr(p, '\n');
        if (strncmp(p, label, lablen) || p[lablen] != ':' ||
            !strstr(p, "config parsing error"))
            continue;
        /* "LINE: config parsing error ...": the line, then the rest */
        n = strtoul(p + lablen + 1, &q, 10);
        what = *q == ':' && q[1] == ' ' && n <= UINT_MAX ? q + 2
                                                         : p + lablen + 1;
        if (what == p + lablen + 1)
            n = 0;
        line = lxs__strndup(what, nl ? (size_t)(nl - what) : strlen(what));
        if (!line)
            return -ENOMEM;
        for (q = line; *q; q++)
            if (*q == '`')
                *q = '\'';
        rc = finding(c, LXS_SEV_ERROR, LXS_E_SYNTAX, NULL, n, "%s%s", line,
                    unquoted_size(line) ?
                    " (sizes and ADDR:SIZE items are strings: quote "
                    "them, \"256M\", \"0x60000000:256M\")" : "");
        free(line);
        if (rc)
            return rc;
        found++;
    }
    if (found)
        return 0;
    return finding(c, LXS_SEV_ERROR, LXS_E_SYNTAX, NULL, 0,
                  "cannot parse the cfg: %s", strerror(r));
}

/*
 * A cfg text libxlutil must not see, or cannot read: one finding, naming
 * the line of @at and @why, instead of what libxlutil would make of it.
 * - A NUL byte: its lexer (Xen 4.17) measures a quoted string with
 *   strlen() and asserts, aborting the program, when the string holds a
 *   NUL.
 * - DOS line ends: its lexer (so xl, too) stops at the first CR; one
 *   finding, not one lexical error a line.
 */
static int report_text(struct pctx *c, const char *data, const char *at,
                       const char *why)
{
    const char *p;
    unsigned int line = 1;

    for (p = data; p < at; p++)
        if (*p == '\n')
            line++;
    c->spec->bad = true;
    c->spec->bad_keys |= LXS_KEY_FILE;
    return finding(c, LXS_SEV_ERROR, LXS_E_SYNTAX, NULL, line, "%s", why);
}

/*
 * xl_static_accept = [ "CODE", ... ]: the warnings this cfg acknowledges
 * (docs/diagnostics.md); xl itself ignores the key.
 */
static int parse_accept(struct pctx *c)
{
    static const char key[] = "xl_static_accept";
    XLU_ConfigList *list;
    const char *item;
    int nr, i, code, rc;

    rc = get_list(c, key, LXS_KEY_OTHER, &list, &nr);
    if (rc)
        return rc < 0 ? rc : 0;
    for (i = 0; i < nr; i++) {
        item = xlu_cfg_get_listitem(list, i);
        code = item ? lxs_code_from_name(item) : -1;
        if (code >= 0 && lxs_code_is_warning(code)) {
            c->spec->accept |= LXS_CODE_BIT(code);
            continue;
        }
        rc = item ? bad(c, LXS_KEY_OTHER, key, "'%s' item '%s' is not the "
                        "code of a warning (unsafe-dma, unknown-key)", key,
                        item)
                  : bad(c, LXS_KEY_OTHER, key, "'%s' item %d is a list, "
                        "not a code", key, i + 1);
        if (rc)
            return rc;
    }
    return 0;
}

/* Notes that @key (@len bytes) is assigned at @line.  0 or -ENOMEM. */
static int note_key(struct lxs_spec *spec, const char *key, size_t len,
                    unsigned int line, size_t *alloc)
{
    struct lxs_key_line *kl;
    size_t i;
    int rc;

    for (i = 0; i < spec->nr_key_lines; i++) {
        kl = &spec->key_lines[i];
        if (strlen(kl->key) == len && !memcmp(kl->key, key, len)) {
            kl->line = line;    /* libxlutil reads the last one */
            return 0;
        }
    }
    rc = lxs__grow((void **)&spec->key_lines, alloc, spec->nr_key_lines + 1,
                   sizeof(*spec->key_lines));
    if (rc)
        return rc;
    kl = &spec->key_lines[spec->nr_key_lines];
    kl->key = lxs__strndup(key, len);
    if (!kl->key)
        return -ENOMEM;
    kl->line = line;
    spec->nr_key_lines++;
    return 0;
}

static bool ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '.';
}

/*
 * Every key that @data (which libxlutil has just read without an error)
 * assigns, with its line, into spec->key_lines.  In xl's cfg grammar
 * (libxlu_cfg_y.y) an identifier, [a-z][._0-9a-z]*, is only ever a key
 * (values are strings and numbers, and "IDENT = value" sits on one
 * line), so skipping comments, strings and numbers finds the keys
 * libxlutil stored.  0 or -ENOMEM.
 */
static int scan_keys(struct lxs_spec *spec, const char *data, size_t len)
{
    const char *p = data, *end = data + len, *start;
    unsigned int line = 1;
    size_t alloc = 0;
    char quote;
    int rc;

    while (p < end) {
        if (*p == '\n') {
            line++;
            p++;
        } else if (*p == '#') {
            while (p < end && *p != '\n')
                p++;
        } else if (*p == '\'' || *p == '"') {
            quote = *p++;
            while (p < end && *p != quote && *p != '\n')
                p += *p == '\\' && p + 1 < end ? 2 : 1;
            p++;
        } else if (*p >= '0' && *p <= '9') {
            while (p < end && ident_char(*p))
                p++;
        } else if (*p >= 'a' && *p <= 'z') {
            start = p;
            while (p < end && ident_char(*p))
                p++;
            rc = note_key(spec, start, (size_t)(p - start), line, &alloc);
            if (rc)
                return rc;
        } else {
            p++;
        }
    }
    return 0;
}

/* An `unknown-key' warning for each key neither xl nor we read. */
static int check_keys(struct pctx *c)
{
    size_t i;
    int rc;

    for (i = 0; i < c->spec->nr_key_lines; i++) {
        const struct lxs_key_line *kl = &c->spec->key_lines[i];
        const char *near;

        if (lxs__cfg_key_known(kl->key) ||
            (c->spec->accept & LXS_CODE_BIT(LXS_W_UNKNOWN_KEY)))
            continue;
        near = lxs__cfg_key_suggest(kl->key);
        if (near)
            rc = finding(c, LXS_SEV_WARNING, LXS_W_UNKNOWN_KEY, kl->key,
                        kl->line, "unknown key '%s': did you mean '%s'",
                        kl->key, near);
        else
            rc = finding(c, LXS_SEV_WARNING, LXS_W_UNKNOWN_KEY, kl->key,
                        kl->line, "unknown key '%s': neither xl nor "
                        "xl-static reads it", kl->key);
        if (rc)
            return rc;
    }
    return 0;
}

int lxs_cfg_parse_data(const char *label, const char *data, size_t len,
                       struct lxs_spec *spec, struct lxs_diags *diags)
{
    struct lxs_spec tmp;
    struct lxs_diags found;
    struct pctx c = { .spec = &tmp, .diags = &found };
    char *report = NULL;
    size_t report_len = 0;
    FILE *report_f = NULL;
    const char *nul, *cr;
    int rc, r;

    lxs_spec_init(&tmp);
    lxs_diags_init(&found);
    if (!label)
        label = "<cfg>";

    rc = -EFBIG;
    if (len > MAX_CFG_SIZE)
        goto out;
    rc = -ENOMEM;
    tmp.file = lxs__strdup(label);
    if (!tmp.file)
        goto out;
    nul = len ? memchr(data, '\0', len) : NULL;
    if (nul) {
        rc = report_text(&c, data, nul, "a NUL byte in the cfg text");
        if (rc)
            goto out;
        goto done;
    }
    /* libxlutil's own messages go here, never to the user's stderr */
    report_f = open_memstream(&report, &report_len);
    if (!report_f)
        goto out;
    c.cfg = xlu_cfg_init(report_f, label);
    if (!c.cfg)
        goto out;

    r = xlu_cfg_readdata(c.cfg, data, (int)len);
    if (r == ENOMEM)
        goto out;
    if (r && (cr = len ? memmem(data, len, "\r\n", 2) : NULL)) {
        rc = report_text(&c, data, cr, "DOS (CRLF) line ends, which xl "
                         "cannot read: convert the file (dos2unix)");
        if (rc)
            goto out;
        goto done;
    }
    if (r) {
        if (fflush(report_f))
            goto out;
        rc = report_read_error(&c, label, report, r);
        if (rc)
            goto out;
        goto done;
    }

    /* The name first: later findings name the domain. */
    if ((rc = scan_keys(&tmp, data, len)) ||
        (rc = parse_name(&c)) ||
        (rc = parse_memory(&c)) ||
        (rc = parse_maxmem(&c)) ||
        (rc = parse_direct_map(&c)) ||
        (rc = parse_rambase(&c)) ||
        (rc = parse_static_mem(&c)) ||
        (rc = parse_mem_chunk(&c)) ||
        (rc = parse_vcpus(&c, "vcpus")) ||
        (rc = parse_vcpus(&c, "maxvcpus")) ||
        (rc = parse_gic_version(&c)) ||
        (rc = parse_vuart(&c)) ||
        (rc = parse_on_actions(&c)) ||
        (rc = get_strdup(&c, "kernel", &tmp.kernel)) ||
        (rc = get_strdup(&c, "ramdisk", &tmp.ramdisk)) ||
        (rc = parse_cmdline(&c)) ||
        (rc = get_strdup(&c, "device_tree", &tmp.device_tree)) ||
        (rc = parse_passthrough(&c)) ||
        (rc = parse_accept(&c)) ||
        (rc = check_keys(&c)))
        goto out;

done:
    rc = lxs__diags_splice(diags, &found);
    if (rc)
        goto out;
    lxs_spec_dispose(spec);
    *spec = tmp;
    lxs_spec_init(&tmp);

out:
    xlu_cfg_destroy(c.cfg);
    if (report_f)
        fclose(report_f);
    free(report);
    lxs_spec_dispose(&tmp);
    lxs_diags_dispose(&found);
    return rc;
}

int lxs_cfg_parse_file(const char *path, struct lxs_spec *spec,
                       struct lxs_diags *diags)
{
    char *buf = NULL;
    size_t len = 0;
    int rc;

    rc = lxs_file_read(path, LXS_CFG_MAX_SIZE, &buf, &len);
    if (!rc)
        rc = lxs_cfg_parse_data(path, buf, len, spec, diags);
    free(buf);
    return rc;
}
