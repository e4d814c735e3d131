/*
 * fuzz-json: the JSON writer of the -j output (tools/xl-cmds/cli_json.c)
 * with strings of any bytes.  The input, split at NUL bytes, gives the
 * strings: each is written as the names the commands print (a file
 * name, a domain name, a node label, a map key) and as every field of a
 * diagnostic (cli_json_diags, as check and create -j print them).  The
 * text written is then parsed with yajl's parser, which must accept it
 * as one JSON document; every string read back must be well-formed
 * UTF-8 (RFC 3629, checked here, since yajl's parser is more lenient),
 * equal to the string written when that was well-formed UTF-8, and
 * otherwise that string with U+FFFD in place of each byte that does not
 * begin a character.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "fuzz.h"
#include "xl_static.h"

#define MAX_STRINGS 64

struct collect {
    char *s[24 * MAX_STRINGS + 16];
    size_t len[24 * MAX_STRINGS + 16];
    size_t nr;
};

static int got_string(void *ctx, const unsigned char *s, size_t len)
{
    struct collect *c = ctx;

    FZ_ASSERT(c->nr < sizeof(c->s) / sizeof(c->s[0]), "too many strings");
    c->s[c->nr] = malloc(len + 1);
    if (!c->s[c->nr])
        fz_fail("out of memory");
    memcpy(c->s[c->nr], s, len);
    c->s[c->nr][len] = '\0';
    c->len[c->nr++] = len;
    return 1;
}

static int got_null(void *ctx)
{
    return got_string(ctx, (const unsigned char *)"", 0);
}

static const yajl_callbacks callbacks = {
    .yajl_null = got_null,
    .yajl_string = got_string,
    .yajl_map_key = got_string,
};

/* The length of the RFC 3629 character at @s (of @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned int c = s[0];
    size_t len, i;
    uint32_t cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* @s with U+FFFD for each byte that does not begin a character. */
static char *expected(const char *s, size_t *len_r)
{
    size_t len = strlen(s), i, o = 0, n;
    char *out = malloc(3 * len + 1);

    if (!out)
        fz_fail("out of memory");
    for (i = 0; i < len; i += n) {
        n = utf8_len((const unsigned char *)s + i, len - i);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            n = 1;
        }
    }
    out[o] = '\0';
    *len_r = o;
    return out;
}

static void check_string(const struct collect *c, size_t at, const char *in,
                         const char *what)
{
    size_t i, n, want_len;
    char *want;

    FZ_ASSERT(at < c->nr, "%s: string %zu missing (%zu read)", what, at,
              c->nr);
    for (i = 0; i < c->len[at]; i += n) {
        n = utf8_len((const unsigned char *)c->s[at] + i, c->len[at] - i);
        FZ_ASSERT(n, "%s: string %zu read back is not UTF-8 at byte %zu",
                  what, at, i);
    }
    if (!in) {
        FZ_ASSERT(c->len[at] == 0, "%s: null read back as a string", what);
        return;
    }
    want = expected(in, &want_len);
    FZ_ASSERT(c->len[at] == want_len && !memcmp(c->s[at], want, want_len),
              "%s: string %zu read back as '%s', not as written", what, at,
              c->s[at]);
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = { "file", "domain", "label" };
    char *copy, *strs[MAX_STRINGS], *text = NULL;
    struct lxs_diag diag[MAX_STRINGS];
    struct lxs_diags diags = { 0 };
    struct collect c = { .nr = 0 };
    size_t nr = 0, i, k, at, text_len = 0;
    yajl_handle h;
    yajl_gen g;
    FILE *f;
    int rc;

    copy = malloc(size + 1);
    if (!copy)
        fz_fail("out of memory");
    memcpy(copy, data, size);
    copy[size] = '\0';
    for (i = 0; i <= size && nr < MAX_STRINGS; i++) {
        strs[nr++] = copy + i;
        i += strlen(copy + i);
    }

    /* as the commands print them: values, keys, diagnostics */
    for (i = 0; i < nr; i++) {
        diag[i].severity = i & 1 ? LXS_SEV_WARNING : LXS_SEV_ERROR;
        diag[i].code = (enum lxs_code)0;
        diag[i].file = strs[i];
        diag[i].domain = strs[(i + 1) % nr];
        diag[i].key = i & 2 ? NULL : strs[(i + 2) % nr];
        diag[i].message = strs[(i + 3) % nr];
        diag[i].line = i & 4 ? (unsigned int)i : 0;
    }
    diags.v = diag;
    diags.nr = diags.alloc = nr;

    rc = cli_json_new(&g);
    FZ_ASSERT(rc == 0, "cli_json_new: %d", rc);
#define J(call) do {                                                    \
        rc = (call);                                                    \
        FZ_ASSERT(rc == 0, "%s: %d", #call, rc);                        \
    } while (0)
    J(cli_json_map_open(g));
    J(cli_json_key(g, "names"));
    J(cli_json_array_open(g));
    for (i = 0; i < nr; i++) {
        J(cli_json_map_open(g));
        for (k = 0; k < 3; k++) {
            J(cli_json_key(g, keys[k]));
            J(cli_json_str(g, strs[i]));
        }
        J(cli_json_map_close(g));
    }
    J(cli_json_array_close(g));
    J(cli_json_key(g, "by-name"));
    J(cli_json_map_open(g));
    for (i = 0; i < nr; i++) {
        J(cli_json_key(g, strs[i]));
        J(cli_json_hex(g, i));
    }
    J(cli_json_map_close(g));
    J(cli_json_diags(g, &diags));
    J(cli_json_map_close(g));
    f = open_memstream(&text, &text_len);
    if (!f)
        fz_fail("open_memstream: %s", strerror(errno));
    J(cli_json_finish(g, f));
    if (fclose(f))
        fz_fail("fclose: %s", strerror(errno));

    h = yajl_alloc(&callbacks, NULL, &c);
    if (!h)
        fz_fail("out of memory");
    if (yajl_parse(h, (const unsigned char *)text, text_len) !=
        yajl_status_ok || yajl_complete_parse(h) != yajl_status_ok) {
        unsigned char *err = yajl_get_error(h, 1, (const unsigned char *)text,
                                            text_len);

        fz_fail("the -j output is not JSON: %s", (const char *)err);
    }
    yajl_free(h);

    /* the strings in the order written */
    at = 0;
    check_string(&c, at++, "names", "key");
    for (i = 0; i < nr; i++)
        for (k = 0; k < 3; k++) {
            check_string(&c, at++, keys[k], "key");
            check_string(&c, at++, strs[i], keys[k]);
        }
    check_string(&c, at++, "by-name", "key");
    for (i = 0; i < nr; i++) {
        check_string(&c, at++, strs[i], "map key");
        at++;                           /* the hex value */
    }
    check_string(&c, at++, "diagnostics", "key");
    for (i = 0; i < nr; i++) {
        static const char *const dk[] = { "severity", "code", "file",
                                          "domain", "key", "message" };
        const char *vals[6] = {
            i & 1 ? "warning" : "error", lxs_code_name(diag[i].code),
            diag[i].file, diag[i].domain, diag[i].key, diag[i].message,
        };

        for (k = 0; k < 6; k++) {
            check_string(&c, at++, dk[k], "key");
            check_string(&c, at++, vals[k], dk[k]);
        }
        check_string(&c, at++, "line", "key");
        if (!diag[i].line)
            check_string(&c, at++, NULL, "line");     /* a number else */
    }
    FZ_ASSERT(at == c.nr, "%zu strings written, %zu read", at, c.nr);

    for (i = 0; i < c.nr; i++)
        free(c.s[i]);
    free(text);
    free(copy);
    return 0;
}
