/* What the commands share: inputs, diagnostics as text, messages. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

/* One line on stderr, whatever the paths and names it quotes hold. */
static void vmessage(const char *fmt, va_list ap)
{
    char *msg = NULL;

    fputs(XLS_PROG ": ", stderr);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    cli_put_text(stderr, msg ? msg : "(out of memory)");
    free(msg);
    fputc('\n', stderr);
}

void cli_err(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

int cli_flush_stdout(void)
{
    if (fflush(stdout) || ferror(stdout)) {
        cli_err("cannot write the output: %s",
                strerror(errno ? errno : EIO));
        return XLS_EXIT_CANNOT_RUN;
    }
    return 0;
}

int cli_json_print(int (*fill)(yajl_gen g, const void *arg),
                   const void *arg)
{
    int rc = cli_json_write(stdout, fill, arg);

    if (rc) {
        cli_err("cannot write JSON: %s", strerror(-rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    return 0;
}

void cli_verbose(const char *fmt, ...)
{
    va_list ap;

    if (!verbose)
        return;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

int cli_load_hostmap(const char *opt, struct lxs_hostmap *map)
{
    const char *path = lxs_host_dtb_path(opt);
    char *why = NULL;
    int rc;

    rc = lxs_hostmap_from_file(map, path, &why);
    if (rc) {
        cli_err("cannot read host dtb '%s': %s", path,
                rc == -EBADMSG && why ? why : lxs_file_strerror(rc));
        free(why);
        return XLS_EXIT_CANNOT_RUN;
    }
    free(why);
    cli_verbose("host dtb '%s': %zu regions, %zu ram ranges, "
                "%zu reserved, %zu owned, %s", path, map->nr, map->ram.nr,
                map->reserved.nr, map->owned.nr,
                map->has_pool ? "static pool" : "no static pool");
    return 0;
}

int cli_load_specs(char *const *paths, int nr, struct lxs_spec **specs_r,
                   struct lxs_diags *diags)
{
    struct lxs_spec *specs;
    int i, rc;

    specs = calloc(nr ? nr : 1, sizeof(*specs));
    if (!specs) {
        cli_err("cannot read cfg files: %s", strerror(ENOMEM));
        return XLS_EXIT_CANNOT_RUN;
    }
    for (i = 0; i < nr; i++)
        lxs_spec_init(&specs[i]);

    for (i = 0; i < nr; i++) {
        rc = lxs_cfg_parse_file(paths[i], &specs[i], diags);
        if (rc) {
            cli_err("cannot read cfg '%s': %s", paths[i],
                    lxs_file_strerror(rc));
            cli_specs_free(specs, nr);
            return XLS_EXIT_CANNOT_RUN;
        }
        cli_verbose("cfg '%s': domain '%s'%s", paths[i],
                    specs[i].name ? specs[i].name : "(no name)",
                    specs[i].bad ? ", with syntax errors" : "");
    }
    *specs_r = specs;
    return 0;
}

void cli_specs_free(struct lxs_spec *specs, int nr)
{
    int i;

    if (!specs)
        return;
    for (i = 0; i < nr; i++)
        lxs_spec_dispose(&specs[i]);
    free(specs);
}

/* -W no-CODE: CODE must be a warning's (errors cannot be waved). */
static void accept_warning(struct cli_opts *o, const char *arg)
{
    int code = -1;

    if (!strncmp(arg, "no-", 3))
        code = lxs_code_from_name(arg + 3);
    if (code >= 0 && lxs_code_is_warning(code))
        o->accept |= LXS_CODE_BIT(code);
    else if (!o->bad_w)
        o->bad_w = arg;
}

void cli_opt(struct cli_opts *o, int opt)
{
    switch (opt) {
    case 'j':
        o->json = true;
        break;
    case 'H':
        o->host_dtb = optarg;
        break;
    case 'S':
        o->state_dir = optarg;
        break;
    case 'B':
        o->boot = true;
        break;
    case 'M':
        o->map = true;
        o->map_file = optarg;
        break;
    case 'W':
        accept_warning(o, optarg);
        break;
    case 'E':
        o->werror = true;
        break;
    }
}

void cli_inputs_init(struct cli_inputs *in)
{
    lxs_hostmap_init(&in->map);
    lxs_diags_init(&in->diags);
    in->specs = NULL;
    in->nr = 0;
}

void cli_inputs_dispose(struct cli_inputs *in)
{
    cli_specs_free(in->specs, in->nr);
    in->specs = NULL;
    in->nr = 0;
    lxs_diags_dispose(&in->diags);
    lxs_hostmap_dispose(&in->map);
}

int cli_inputs_load(struct cli_inputs *in, const struct cli_opts *o,
                    char *const *paths, int nr, bool registry)
{
    int ret;

    if (o->bad_w) {
        cli_err("-W '%s': not no-CODE of a warning (no-unsafe-dma, "
                "no-unknown-key); errors cannot be acknowledged", o->bad_w);
        return XLS_EXIT_CANNOT_RUN;
    }
    ret = cli_load_hostmap(o->host_dtb, &in->map);
    if (!ret && registry)
        ret = cli_load_registry(o->state_dir, &in->map);
    if (!ret)
        ret = cli_load_specs(paths, nr, &in->specs, &in->diags);
    if (!ret)
        in->nr = nr;
    return ret;
}

int cli_inputs_check(struct cli_inputs *in, const struct cli_opts *o,
                     const char *what, struct lxs_plan *plans)
{
    struct lxs_check_opts copts = {
        .mode = o->boot ? LXS_MODE_BOOT : LXS_MODE_RUNTIME,
    };
    int rc;

    rc = lxs_check(&in->map, in->specs, in->nr, &copts, &in->diags, plans);
    if (rc && (rc != -EINVAL || !in->diags.nr_errors)) {
        cli_err("%s failed: %s", what, strerror(-rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    lxs_diags_accept(&in->diags, o->accept, o->werror);
    return 0;
}

void cli_put_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
    }
}

void cli_print_diags_text(FILE *f, const struct lxs_diags *diags)
{
    size_t i;

    for (i = 0; i < diags->nr; i++) {
        const struct lxs_diag *d = &diags->v[i];

        cli_put_text(f, d->file ? d->file : XLS_PROG);
        if (d->file && d->line)
            fprintf(f, ":%u", d->line);
        fprintf(f, ": %s: %s: ",
                d->severity == LXS_SEV_WARNING ? "warning" : "error",
                lxs_code_name(d->code) ? lxs_code_name(d->code) : "?");
        if (d->key) {
            cli_put_text(f, d->key);
            fputs(": ", f);
        }
        cli_put_text(f, d->message ? d->message : "");
        if (d->domain) {
            fputs(" (domain '", f);
            cli_put_text(f, d->domain);
            fputs("')", f);
        }
        fputc('\n', f);
    }
}

void cli_print_diags_count(FILE *f, const struct lxs_diags *diags,
                           int nr_files)
{
    size_t nr_warnings = diags->nr - diags->nr_errors;

    fprintf(f, "%zu error%s, %zu warning%s in %d cfg file%s\n",
            diags->nr_errors, diags->nr_errors == 1 ? "" : "s",
            nr_warnings, nr_warnings == 1 ? "" : "s",
            nr_files, nr_files == 1 ? "" : "s");
}
