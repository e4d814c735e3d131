/*
 * Diagnostics: the findings of validation, each with a stable code
 * (docs/diagnostics.md), kept in the order they were found.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lxs_internal.h"

static const char *const code_names[LXS_CODE__COUNT] = {
    [LXS_E_SYNTAX] = "syntax",
    [LXS_E_MISSING] = "missing",
    [LXS_E_CONFLICT] = "conflict",
    [LXS_E_MISALIGNED] = "misaligned",
    [LXS_E_OVERFLOW] = "overflow",
    [LXS_E_SIZE_MISMATCH] = "size-mismatch",
    [LXS_E_BAD_CHUNK] = "bad-chunk",
    [LXS_E_OUTSIDE_RAM] = "outside-ram",
    [LXS_E_OVERLAP_RESERVED] = "overlap-reserved",
    [LXS_E_OVERLAP_DOMAIN] = "overlap-domain",
    [LXS_E_OVERLAP_SELF] = "overlap-self",
    [LXS_E_OUTSIDE_POOL] = "outside-pool",
    [LXS_E_WINDOW_COLLISION] = "window-collision",
    [LXS_E_TOO_MANY_BANKS] = "too-many-banks",
    [LXS_E_NO_SPACE] = "no-space",
    [LXS_W_UNSAFE_DMA] = "unsafe-dma",
    [LXS_E_NO_DMA_OFFSET] = "no-dma-offset",
    [LXS_W_UNKNOWN_KEY] = "unknown-key",
    [LXS_E_NO_POOL] = "no-pool",
};

const char *lxs_code_name(enum lxs_code code)
{
    if ((unsigned int)code >= LXS_CODE__COUNT)
        return NULL;
    return code_names[code];
}

/* Sets of codes are bits of a uint64_t (LXS_CODE_BIT). */
_Static_assert(LXS_CODE__COUNT <= 64, "more codes than bits");

int lxs_code_from_name(const char *name)
{
    int code;

    for (code = 0; name && code < LXS_CODE__COUNT; code++)
        if (!strcmp(code_names[code], name))
            return code;
    return -1;
}

bool lxs_code_is_warning(enum lxs_code code)
{
    return code == LXS_W_UNSAFE_DMA || code == LXS_W_UNKNOWN_KEY;
}

void lxs_diags_init(struct lxs_diags *d)
{
    memset(d, 0, sizeof(*d));
}

static void diag_dispose(struct lxs_diag *dg)
{
    free(dg->file);
    free(dg->domain);
    free(dg->key);
    free(dg->message);
    memset(dg, 0, sizeof(*dg));
}

void lxs_diags_dispose(struct lxs_diags *d)
{
    size_t i;

    if (!d)
        return;
    for (i = 0; i < d->nr; i++)
        diag_dispose(&d->v[i]);
    free(d->v);
    lxs_diags_init(d);
}

/* Duplicates @s, or leaves *dup_r NULL for a NULL @s.  -ENOMEM. */
static int strdup_opt(const char *s, char **dup_r)
{
    *dup_r = NULL;
    if (!s)
        return 0;
    *dup_r = lxs__strdup(s);
    return *dup_r ? 0 : -ENOMEM;
}

/*
 * Control characters become '?': a finding is printed on one line, and
 * the values it quotes come from cfg files and host DTBs (a cfg string
 * can hold "\n" or "\r"), which must not be able to forge more lines.
 */
void lxs__one_line(char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

int lxs_diag_vadd(struct lxs_diags *d, enum lxs_severity sev,
                  enum lxs_code code, const char *file, const char *domain,
                  const char *key, const char *fmt, va_list ap)
{
    struct lxs_diag dg;
    int rc;

    memset(&dg, 0, sizeof(dg));
    dg.severity = sev;
    dg.code = code;

    rc = lxs__grow((void **)&d->v, &d->alloc, d->nr + 1, sizeof(*d->v));
    if (rc)
        goto out;
    rc = strdup_opt(file, &dg.file);
    if (rc)
        goto out;
    rc = strdup_opt(domain, &dg.domain);
    if (rc)
        goto out;
    rc = strdup_opt(key, &dg.key);
    if (rc)
        goto out;
    dg.message = lxs__vasprintf(fmt, ap);
    if (!dg.message) {
        rc = -ENOMEM;
        goto out;
    }
    lxs__one_line(dg.message);
    lxs__one_line(dg.domain);

    d->v[d->nr++] = dg;
    if (sev == LXS_SEV_ERROR)
        d->nr_errors++;
    memset(&dg, 0, sizeof(dg));     /* the list owns the strings now */
    rc = 0;
out:
    diag_dispose(&dg);
    return rc;
}

int lxs_diag_add(struct lxs_diags *d, enum lxs_severity sev,
                 enum lxs_code code, const char *file, const char *domain,
                 const char *key, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = lxs_diag_vadd(d, sev, code, file, domain, key, fmt, ap);
    va_end(ap);
    return rc;
}

void lxs_diags_accept(struct lxs_diags *d, uint64_t accept, bool werror)
{
    size_t i, kept = 0;

    for (i = 0; i < d->nr; i++) {
        struct lxs_diag *dg = &d->v[i];

        if (dg->severity == LXS_SEV_WARNING &&
            (accept & LXS_CODE_BIT(dg->code))) {
            diag_dispose(dg);
            continue;
        }
        if (dg->severity == LXS_SEV_WARNING && werror) {
            dg->severity = LXS_SEV_ERROR;
            d->nr_errors++;
        }
        d->v[kept++] = *dg;
    }
    d->nr = kept;
}
