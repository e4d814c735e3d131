/*
 * Spec lifecycle and the findings splice: what validation and planning
 * need from the spec side without libxlutil, so that a consumer that
 * builds specs itself (libxl, through the Xen tools glue) links the
 * library without the cfg parser.
 */
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"

void lxs_spec_init(struct lxs_spec *spec)
{
    memset(spec, 0, sizeof(*spec));
    spec->vcpus = 1;
}

void lxs_spec_dispose(struct lxs_spec *spec)
{
    size_t i;

    if (!spec)
        return;
    for (i = 0; i < spec->nr_static_mem; i++)
        free(spec->static_mem[i].text);
    free(spec->static_mem);
    free(spec->file);
    free(spec->name);
    free(spec->kernel);
    free(spec->ramdisk);
    free(spec->cmdline);
    free(spec->device_tree);
    free(spec->iomem);
    for (i = 0; i < spec->nr_key_lines; i++)
        free(spec->key_lines[i].key);
    free(spec->key_lines);
    for (i = 0; i < spec->nr_dtdev; i++)
        free(spec->dtdev[i]);
    free(spec->dtdev);
    lxs_spec_init(spec);
}

unsigned int lxs__spec_key_line(const struct lxs_spec *spec, const char *key)
{
    size_t i;

    if (!key)
        return 0;
    for (i = 0; i < spec->nr_key_lines; i++)
        if (!strcmp(spec->key_lines[i].key, key))
            return spec->key_lines[i].line;
    return 0;
}

int lxs__diags_splice(struct lxs_diags *dst, struct lxs_diags *src)
{
    int rc;

    if (!src->nr)
        return 0;
    rc = lxs__grow((void **)&dst->v, &dst->alloc, dst->nr + src->nr,
                   sizeof(*dst->v));
    if (rc)
        return rc;
    memcpy(dst->v + dst->nr, src->v, src->nr * sizeof(*src->v));
    dst->nr += src->nr;
    dst->nr_errors += src->nr_errors;
    src->nr = 0;
    src->nr_errors = 0;
    return 0;
}

size_t lxs_utf8_char(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned int c = *s++, n, len, cp, min;

    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0) {
        n = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    len = n + 1;
    while (n--) {
        if ((*s & 0xc0) != 0x80)    /* the NUL that ends @str too */
            return 0;
        cp = cp << 6 | (*s++ & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* Well-formed UTF-8 (RFC 3629): no overlong form, no surrogate. */
static bool utf8_ok(const char *s)
{
    size_t n;

    for (; *s; s += n) {
        n = lxs_utf8_char(s);
        if (!n)
            return false;
    }
    return true;
}

bool lxs__name_ok(const char *name)
{
    size_t i, len;

    if (!name)
        return false;
    len = strlen(name);
    if (!len || len > LXS_REGISTRY_NAME_MAX)
        return false;
    for (i = 0; i < len; i++) {
        unsigned char c = name[i];

        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return utf8_ok(name);
}

bool lxs__dt_node_name_ok(const char *name)
{
    size_t i, len = name ? strlen(name) : 0;

    if (len < 1 || len > 31)
        return false;
    if (!((name[0] >= 'a' && name[0] <= 'z') ||
          (name[0] >= 'A' && name[0] <= 'Z')))
        return false;
    for (i = 0; i < len; i++) {
        char c = name[i];

        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z') || c == ',' || c == '.' || c == '_' ||
            c == '+' || c == '-')
            continue;
        return false;
    }
    return true;
}
