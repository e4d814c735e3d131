/*
 * JSON output through yajl: thin wrappers that turn yajl statuses into
 * -errno, write NULL strings as null and 64-bit values as hex strings
 * (a JSON reader that holds numbers in doubles would lose them).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

static int st(yajl_gen_status s)
{
    switch (s) {
    case yajl_gen_status_ok:
        return 0;
    case yajl_gen_invalid_string:
        return -EILSEQ;
    default:
        return -EIO;
    }
}

int cli_json_new(yajl_gen *g_r)
{
    yajl_gen g;

    g = yajl_gen_alloc(NULL);
    if (!g)
        return -ENOMEM;
    if (!yajl_gen_config(g, yajl_gen_beautify, 1) ||
        !yajl_gen_config(g, yajl_gen_indent_string, "  ")) {
        yajl_gen_free(g);
        return -EINVAL;
    }
    *g_r = g;
    return 0;
}

int cli_json_key(yajl_gen g, const char *key)
{
    return cli_json_str(g, key);
}

/*
 * Every string goes out as valid JSON whatever its bytes: yajl escapes
 * control characters, and each byte that does not begin a well-formed
 * UTF-8 character (a file or node name from outside) becomes U+FFFD.
 */
int cli_json_str(yajl_gen g, const char *s)
{
    static const char repl[] = "\xef\xbf\xbd";
    size_t len, i, o, n;
    char *buf;
    int rc;

    if (!s)
        return st(yajl_gen_null(g));
    len = strlen(s);
    for (i = 0; i < len && (n = lxs_utf8_char(s + i)); i += n)
        ;
    if (i == len)
        return st(yajl_gen_string(g, (const unsigned char *)s, len));

    if (len > (SIZE_MAX - 1) / 3)
        return -ENOMEM;
    buf = malloc(3 * len + 1);
    if (!buf)
        return -ENOMEM;
    for (i = o = 0; i < len; i += n) {
        n = lxs_utf8_char(s + i);
        if (n) {
            memcpy(buf + o, s + i, n);
            o += n;
        } else {
            memcpy(buf + o, repl, 3);
            o += 3;
            n = 1;
        }
    }
    rc = st(yajl_gen_string(g, (const unsigned char *)buf, o));
    free(buf);
    return rc;
}

int cli_json_hex(yajl_gen g, uint64_t val)
{
    char buf[2 + 16 + 1];

    snprintf(buf, sizeof(buf), "0x%" PRIx64, val);
    return cli_json_str(g, buf);
}

int cli_json_bool(yajl_gen g, bool val)
{
    return st(yajl_gen_bool(g, val));
}

int cli_json_uint(yajl_gen g, uint64_t val)
{
    char buf[21];
    int n;

    n = snprintf(buf, sizeof(buf), "%" PRIu64, val);
    return st(yajl_gen_number(g, buf, n));
}

int cli_json_null(yajl_gen g)
{
    return st(yajl_gen_null(g));
}

int cli_json_map_open(yajl_gen g)
{
    return st(yajl_gen_map_open(g));
}

int cli_json_map_close(yajl_gen g)
{
    return st(yajl_gen_map_close(g));
}

int cli_json_array_open(yajl_gen g)
{
    return st(yajl_gen_array_open(g));
}

int cli_json_array_close(yajl_gen g)
{
    return st(yajl_gen_array_close(g));
}

int cli_json_finish(yajl_gen g, FILE *f)
{
    const unsigned char *buf;
    size_t len;
    int rc;

    rc = st(yajl_gen_get_buf(g, &buf, &len));
    if (rc)
        goto out;
    if (fwrite(buf, 1, len, f) != len ||
        (len && buf[len - 1] != '\n' && fputc('\n', f) == EOF)) {
        rc = -EIO;
        goto out;
    }
    rc = 0;
out:
    yajl_gen_free(g);
    return rc;
}

int cli_json_write(FILE *f, int (*fill)(yajl_gen g, const void *arg),
                   const void *arg)
{
    yajl_gen g = NULL;
    int rc;

    JSON(cli_json_new(&g));
    JSON(cli_json_map_open(g));
    JSON(cli_json_key(g, "version"));
    JSON(cli_json_uint(g, XLS_JSON_VERSION));
    JSON(fill(g, arg));
    JSON(cli_json_map_close(g));
    rc = cli_json_finish(g, f);
    g = NULL;
out:
    if (g)
        yajl_gen_free(g);
    return rc;
}

static const char *severity_name(enum lxs_severity sev)
{
    return sev == LXS_SEV_WARNING ? "warning" : "error";
}

int cli_json_diags(yajl_gen g, const struct lxs_diags *diags)
{
    size_t i;
    int rc;

    JSON(cli_json_key(g, "diagnostics"));
    JSON(cli_json_array_open(g));
    for (i = 0; i < diags->nr; i++) {
        const struct lxs_diag *d = &diags->v[i];

        JSON(cli_json_map_open(g));
        JSON(cli_json_key(g, "severity"));
        JSON(cli_json_str(g, severity_name(d->severity)));
        JSON(cli_json_key(g, "code"));
        JSON(cli_json_str(g, lxs_code_name(d->code)));
        JSON(cli_json_key(g, "file"));
        JSON(cli_json_str(g, d->file));
        JSON(cli_json_key(g, "domain"));
        JSON(cli_json_str(g, d->domain));
        JSON(cli_json_key(g, "key"));
        JSON(cli_json_str(g, d->key));
        JSON(cli_json_key(g, "message"));
        JSON(cli_json_str(g, d->message));
        JSON(cli_json_key(g, "line"));
        JSON(d->line ? cli_json_uint(g, d->line) : cli_json_null(g));
        JSON(cli_json_map_close(g));
    }
    JSON(cli_json_array_close(g));
out:
    return rc;
}
