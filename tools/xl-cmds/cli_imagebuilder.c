/*
 * ImageBuilder configs (docs/imagebuilder.md): the shell-variable file
 * that ImageBuilder's uboot-script-gen sources, read here as data (never
 * run), and written back.  Only assignments are taken: NAME=VALUE and
 * NAME[N]=VALUE, VALUE made of bare words, '...' and "..." (with the
 * backslash escapes of the shell); a comment or a blank line is skipped;
 * anything else (a command, an expansion, $(...)) is a syntax finding.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

void cli_ib_init(struct cli_ib *ib)
{
    memset(ib, 0, sizeof(*ib));
}

void cli_ib_dispose(struct cli_ib *ib)
{
    size_t i;

    if (!ib)
        return;
    for (i = 0; i < ib->nr; i++) {
        free(ib->v[i].name);
        free(ib->v[i].value);
    }
    free(ib->v);
    for (i = 0; i < ib->nr_findings; i++) {
        free(ib->findings[i].var);
        free(ib->findings[i].message);
    }
    free(ib->findings);
    cli_ib_init(ib);
}

static int grow(void **v, size_t *alloc, size_t nr, size_t size)
{
    size_t n;
    void *p;

    if (nr < *alloc)
        return 0;
    n = *alloc ? 2 * *alloc : 16;
    if (n > SIZE_MAX / size)
        return -ENOMEM;
    p = realloc(*v, n * size);
    if (!p)
        return -ENOMEM;
    *v = p;
    *alloc = n;
    return 0;
}

int cli_ib_finding(struct cli_ib *ib, bool error, const char *code,
                   unsigned int line, const char *var, long index,
                   const char *fmt, ...)
{
    struct cli_ib_finding *f;
    va_list ap;
    int r;

    if (grow((void **)&ib->findings, &ib->alloc_findings, ib->nr_findings,
             sizeof(*f)))
        return -ENOMEM;
    f = &ib->findings[ib->nr_findings];
    memset(f, 0, sizeof(*f));
    f->error = error;
    f->code = code;
    f->line = line;
    if (var) {
        r = index >= 0 ? asprintf(&f->var, "%s[%ld]", var, index) :
                         asprintf(&f->var, "%s", var);
        if (r < 0)
            return -ENOMEM;
    }
    va_start(ap, fmt);
    r = vasprintf(&f->message, fmt, ap);
    va_end(ap);
    if (r < 0) {
        free(f->var);
        return -ENOMEM;
    }
    ib->nr_findings++;
    if (error)
        ib->nr_errors++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/* The reason that is no finding: the caller returns -ENOMEM for it. */
static const char oom[] = "out of memory";

/* ImageBuilder's values never hold one; written back it could end a line. */
static const char no_cr[] = "a carriage return in a value";

struct lexer {
    const char *p, *end;
    unsigned int line;
    char *buf;              /* the value being read */
    size_t len, alloc;
};

static int put(struct lexer *lx, char c)
{
    if (grow((void **)&lx->buf, &lx->alloc, lx->len + 1, 1))
        return -ENOMEM;
    lx->buf[lx->len++] = c;
    return 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Characters that end a bare word or make the line more than data. */
static bool is_special(char c)
{
    return strchr("$`;&|<>(){}\\\"'", c) != NULL;
}

/* Skips to the end of the line (the newline stays). */
static void skip_line(struct lexer *lx)
{
    while (lx->p < lx->end && *lx->p != '\n')
        lx->p++;
}

/*
 * A "..." string (the opening quote read): the shell's escapes \" \\ \$
 * \` and backslash-newline; an unescaped $ or ` would expand.
 */
static const char *read_dquoted(struct lexer *lx)
{
    while (lx->p < lx->end) {
        char c = *lx->p++;

        if (c == '"')
            return NULL;
        if (c == '\r')
            return no_cr;
        if (c == '$' || c == '`')
            return "expansions are not read (the config is data): "
                   "write the value itself";
        if (c == '\\' && lx->p < lx->end && strchr("\"\\$`\n", *lx->p)) {
            c = *lx->p++;
            if (c == '\n') {
                lx->line++;
                continue;
            }
        }
        if (c == '\n')
            lx->line++;
        if (put(lx, c))
            return oom;
    }
    return "unterminated \"";
}

static const char *read_squoted(struct lexer *lx)
{
    while (lx->p < lx->end) {
        char c = *lx->p++;

        if (c == '\'')
            return NULL;
        if (c == '\r')
            return no_cr;
        if (c == '\n')
            lx->line++;
        if (put(lx, c))
            return oom;
    }
    return "unterminated '";
}

/* The value after '=', up to a blank, a comment or the end of line. */
static const char *read_value(struct lexer *lx)
{
    const char *why;

    lx->len = 0;
    while (lx->p < lx->end && *lx->p != '\n' && !is_blank(*lx->p)) {
        char c = *lx->p++;

        if (c == '"')
            why = read_dquoted(lx);
        else if (c == '\'')
            why = read_squoted(lx);
        else if (c == '\r')
            why = no_cr;
        else if (is_special(c))
            why = c == '$' || c == '`' ?
                  "expansions are not read (the config is data): "
                  "write the value itself" :
                  "not a plain assignment (a command or an operator)";
        else
            why = put(lx, c) ? oom : NULL;
        if (why)
            return why;
    }
    while (lx->p < lx->end && is_blank(*lx->p))
        lx->p++;
    if (lx->p < lx->end && *lx->p == '#')
        skip_line(lx);
    if (lx->p < lx->end && *lx->p != '\n')
        return "more than one word after '=' (quote the value)";
    return put(lx, '\0') ? oom : NULL;
}

/* NAME or NAME[N] then '='; *index_r -1 without [N]. */
static const char *read_name(struct lexer *lx, char **name_r, long *index_r)
{
    const char *start = lx->p;
    unsigned long idx = 0;
    size_t n;

    while (lx->p < lx->end && (isalnum((unsigned char)*lx->p) ||
                                *lx->p == '_'))
        lx->p++;
    n = (size_t)(lx->p - start);
    if (!n || isdigit((unsigned char)*start) || lx->p >= lx->end ||
        (*lx->p != '=' && *lx->p != '['))
        return "not an assignment (NAME=VALUE or NAME[N]=VALUE)";
    /* the name first: a finding on the index names the variable */
    *name_r = strndup(start, n);
    if (!*name_r)
        return oom;
    *index_r = -1;
    if (*lx->p == '[') {
        const char *d = ++lx->p;

        while (lx->p < lx->end && isdigit((unsigned char)*lx->p)) {
            if (idx > (LONG_MAX - 9) / 10)
                return "index out of range";
            idx = idx * 10 + (unsigned long)(*lx->p++ - '0');
        }
        if (lx->p == d || lx->p >= lx->end || *lx->p != ']')
            return "bad index: a decimal number in [] is expected";
        lx->p++;
        *index_r = (long)idx;
        if (lx->p >= lx->end || *lx->p != '=')
            return "not an assignment (NAME[N]=VALUE)";
    }
    lx->p++;    /* '=' */
    return NULL;
}

/* Records NAME[INDEX]=VALUE; a later assignment replaces an earlier one. */
static int set_var(struct cli_ib *ib, char *name, long index, char *value,
                   unsigned int line)
{
    size_t i;

    for (i = 0; i < ib->nr; i++) {
        struct cli_ib_var *v = &ib->v[i];

        if (v->index == index && !strcmp(v->name, name)) {
            free(v->value);
            free(name);
            v->value = value;
            v->line = line;
            return 0;
        }
    }
    if (grow((void **)&ib->v, &ib->alloc, ib->nr, sizeof(*ib->v))) {
        free(name);
        free(value);
        return -ENOMEM;
    }
    ib->v[ib->nr].name = name;
    ib->v[ib->nr].index = index;
    ib->v[ib->nr].value = value;
    ib->v[ib->nr].line = line;
    ib->nr++;
    return 0;
}

/* One line (or more, for a quoted value that spans lines). */
static int read_statement(struct cli_ib *ib, struct lexer *lx)
{
    unsigned int line = lx->line;
    const char *why;
    char *name = NULL, *value;
    long index = -1;

    while (lx->p < lx->end && is_blank(*lx->p))
        lx->p++;
    if (lx->p >= lx->end || *lx->p == '\n' || *lx->p == '#') {
        skip_line(lx);
        return 0;
    }
    why = read_name(lx, &name, &index);
    if (!why)
        why = read_value(lx);
    if (why) {
        int rc = why == oom ? -ENOMEM :
                 cli_ib_finding(ib, true, "syntax", line, name, index,
                                "%s", why);

        free(name);
        skip_line(lx);
        return rc;
    }
    value = strdup(lx->buf);
    if (!value) {
        free(name);
        return -ENOMEM;
    }
    return set_var(ib, name, index, value, line);
}

/*
 * What the shell would read differently from the text a person sees: a
 * NUL byte, a carriage return before a newline (the value would keep
 * it).  One finding for the file, at the first line that has one.
 */
static int check_text(struct cli_ib *ib, const char *text, size_t len)
{
    unsigned int line = 1;
    size_t i;

    for (i = 0; i < len; i++) {
        if (!text[i])
            return cli_ib_finding(ib, true, "syntax", line, NULL, -1,
                                  "a NUL byte: not a text file");
        if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
            return cli_ib_finding(ib, true, "syntax", line, NULL, -1,
                                  "CRLF line ends: the shell would keep the "
                                  "carriage return in the values; convert "
                                  "the file (dos2unix)");
        if (text[i] == '\n')
            line++;
    }
    return 0;
}

int cli_ib_read(struct cli_ib *ib, const char *text, size_t len)
{
    struct lexer lx = { .p = text, .end = text + len, .line = 1 };
    size_t nr_errors = ib->nr_errors;
    int rc;

    rc = check_text(ib, text, len);
    if (rc || ib->nr_errors > nr_errors)
        return rc;

    while (lx.p < lx.end) {
        rc = read_statement(ib, &lx);
        if (rc)
            break;
        if (lx.p < lx.end && *lx.p == '\n') {
            lx.p++;
            lx.line++;
        }
    }
    free(lx.buf);
    return rc;
}

const struct cli_ib_var *cli_ib_get(const struct cli_ib *ib,
                                    const char *name, long index)
{
    size_t i;

    for (i = 0; i < ib->nr; i++)
        if (ib->v[i].index == index && !strcmp(ib->v[i].name, name))
            return &ib->v[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

void cli_ib_put_string(FILE *f, const char *name, long index,
                       const char *value)
{
    if (index >= 0)
        fprintf(f, "%s[%ld]=\"", name, index);
    else
        fprintf(f, "%s=\"", name);
    for (; *value; value++) {
        if (strchr("\"\\$`", *value))
            fputc('\\', f);
        fputc(*value, f);
    }
    fputs("\"\n", f);
}

void cli_ib_put_number(FILE *f, const char *name, long index, uint64_t val)
{
    if (index >= 0)
        fprintf(f, "%s[%ld]=%" PRIu64 "\n", name, index, val);
    else
        fprintf(f, "%s=%" PRIu64 "\n", name, val);
}
