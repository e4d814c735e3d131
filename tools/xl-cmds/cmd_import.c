/*
 * import imagebuilder [--host-dtb F] [-o DIR] CONFIG: the xl cfgs of the
 * dom0less domains of an ImageBuilder config (docs/imagebuilder.md).
 * The config is read as data (cli_imagebuilder.c); each DOMU_*[n] set
 * becomes one cfg with this project's keys.  With --host-dtb the cfgs
 * are checked for boot time as `check --boot` would (XEN_STATIC_HEAP
 * reserved in the host map, as ImageBuilder adds it to the host DT).
 * Nothing is written when there is an error.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xl_static.h"

/* The most domains an import takes (a bound on a number from outside). */
#define IB_MAX_DOMUS 1024
/* ImageBuilder's defaults (uboot-script-gen, xen_config) */
#define IB_DEFAULT_MEM_MIB 512
#define IB_DEFAULT_CMD "console=ttyAMA0"

/*
 * The variables besides DOMU_*[n]: those about booting (files, U-Boot,
 * Xen's and dom0's command lines) are no part of a domain cfg and are
 * passed over; the others are findings.
 */
enum ib_kind { IB_BOOT, IB_HANDLED, IB_UNSUPPORTED };

static const struct {
    const char *name;
    enum ib_kind kind;
    const char *why;        /* IB_UNSUPPORTED: the message */
} ib_globals[] = {
    { "NUM_DOMUS", IB_HANDLED, NULL },
    { "XEN_STATIC_HEAP", IB_HANDLED, NULL },
    { "MEMORY_START", IB_BOOT, NULL }, { "MEMORY_END", IB_BOOT, NULL },
    { "DEVICE_TREE", IB_BOOT, NULL }, { "XEN", IB_BOOT, NULL },
    { "XEN_CMD", IB_BOOT, NULL }, { "XEN_LOAD", IB_BOOT, NULL },
    { "DOM0_KERNEL", IB_BOOT, NULL }, { "DOM0_RAMDISK", IB_BOOT, NULL },
    { "DOM0_CMD", IB_BOOT, NULL }, { "DOM0_MEM", IB_BOOT, NULL },
    { "DOM0_VCPUS", IB_BOOT, NULL }, { "DOM0_LOAD", IB_BOOT, NULL },
    { "DOM0_ROOTFS", IB_BOOT, NULL }, { "LOAD_CMD", IB_BOOT, NULL },
    { "BOOT_CMD", IB_BOOT, NULL }, { "UBOOT_SOURCE", IB_BOOT, NULL },
    { "UBOOT_SCRIPT", IB_BOOT, NULL }, { "FIT", IB_BOOT, NULL },
    { "FIT_ENC_KEY_DIR", IB_BOOT, NULL }, { "FIT_ENC_UB_DTB", IB_BOOT, NULL },
    { "PASSTHROUGH_DTS_REPO", IB_BOOT, NULL },
    { "LOPPER_PATH", IB_BOOT, NULL }, { "LOPPER_CMD", IB_BOOT, NULL },
    { "LINUX", IB_BOOT, NULL }, { "LINUX_CMD", IB_BOOT, NULL },
    { "LINUX_RAMDISK", IB_BOOT, NULL },
    { "DT_OVERLAY", IB_UNSUPPORTED, "the host dtb given to --host-dtb "
      "must already have the overlay applied" },
    { "NUM_DT_OVERLAY", IB_UNSUPPORTED, "the host dtb given to --host-dtb "
      "must already have the overlays applied" },
    { "XEN_COLORS", IB_UNSUPPORTED, "cache colouring is not modelled" },
    { "DOM0_COLORS", IB_UNSUPPORTED, "cache colouring is not modelled" },
    { "NUM_CPUPOOLS", IB_UNSUPPORTED, "cpupools are not carried into cfgs" },
    { "CPUPOOL", IB_UNSUPPORTED, "cpupools are not carried into cfgs" },
    { "NUM_BOOT_AUX_FILE", IB_BOOT, NULL }, { "BOOT_AUX_FILE", IB_BOOT, NULL },
    { "BITSTREAM", IB_BOOT, NULL }, { "BITSTREAM_LOAD_ADDR", IB_BOOT, NULL },
};

/* The DOMU_*[n] variables a cfg carries. */
static const char *const ib_domu_vars[] = {
    "DOMU_NAME", "DOMU_KERNEL", "DOMU_RAMDISK", "DOMU_PASSTHROUGH_DTB",
    "DOMU_PASSTHROUGH_PATHS", "DOMU_CMD", "DOMU_MEM", "DOMU_VCPUS",
    "DOMU_VPL011", "DOMU_STATIC_MEM", "DOMU_DIRECT_MAP",
};

struct ib_dom {
    char *name;
    char *text;             /* the cfg */
    size_t len;
};

struct import {
    const char *config;
    struct cli_ib ib;
    unsigned long nr_domus;
    struct ib_dom *doms;
    struct lxs_ranges heap;     /* XEN_STATIC_HEAP */
};

static bool is_domu_var(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(ib_domu_vars) / sizeof(ib_domu_vars[0]); i++)
        if (!strcmp(name, ib_domu_vars[i]))
            return true;
    return false;
}

/* DOMU_X and DOMU_X[0] are the same element for the shell. */
static const struct cli_ib_var *domu_get(const struct import *im,
                                         const char *name, unsigned long n)
{
    const struct cli_ib_var *v = cli_ib_get(&im->ib, name, (long)n);

    if (!v && !n)
        v = cli_ib_get(&im->ib, name, -1);
    return v;
}

/* A finding on variable @v (its line and name). */
#define VAR_FINDING(im, err, code, v, ...)                               \
    cli_ib_finding(&(im)->ib, (err), (code), (v)->line, (v)->name,        \
                   (v)->index, __VA_ARGS__)

/* Findings for every variable that is not carried into the cfgs. */
static int check_names(struct import *im)
{
    size_t i, g;
    int rc = 0;

    for (i = 0; !rc && i < im->ib.nr; i++) {
        const struct cli_ib_var *v = &im->ib.v[i];
        unsigned long n = v->index < 0 ? 0 : (unsigned long)v->index;

        if (!strncmp(v->name, "DOMU_", 5)) {
            if (!is_domu_var(v->name))
                rc = VAR_FINDING(im, false, "unsupported", v,
                                 "not carried into a cfg: the domain "
                                 "will miss it");
            else if (n >= im->nr_domus)
                rc = VAR_FINDING(im, false, "ignored", v,
                                 "beyond NUM_DOMUS=%lu: ImageBuilder "
                                 "ignores it", im->nr_domus);
            continue;
        }
        for (g = 0; g < sizeof(ib_globals) / sizeof(ib_globals[0]); g++)
            if (!strcmp(v->name, ib_globals[g].name))
                break;
        if (g == sizeof(ib_globals) / sizeof(ib_globals[0]))
            rc = VAR_FINDING(im, false, "unsupported", v,
                             "not an ImageBuilder variable xl-static "
                             "knows: not imported");
        else if (ib_globals[g].kind == IB_UNSUPPORTED)
            rc = VAR_FINDING(im, false, "unsupported", v, "%s",
                             ib_globals[g].why);
    }
    return rc;
}

/* A number as the shell's arithmetic reads it: decimal or 0x hex. */
static int get_number(struct import *im, const struct cli_ib_var *v,
                      uint64_t min, uint64_t max, uint64_t *val_r,
                      bool *ok_r)
{
    uint64_t val;

    *ok_r = false;
    if (lxs_parse_u64(v->value, &val) || val < min || val > max)
        return VAR_FINDING(im, true, "syntax", v,
                           "'%s' is not a number from %" PRIu64 " to %"
                           PRIu64, v->value, min, max);
    *val_r = val;
    *ok_r = true;
    return 0;
}

/*
 * "BASE SIZE ..." (DOMU_STATIC_MEM, XEN_STATIC_HEAP) into @out (tag:
 * the pair's index).  Findings: a cell that is not a number, an odd
 * number of cells, an empty or wrapping range.
 */
static int get_ranges(struct import *im, const struct cli_ib_var *v,
                      struct lxs_ranges *out, bool *ok_r)
{
    char *copy = strdup(v->value), *save = NULL, *tok;
    uint64_t cell[2];
    unsigned int n = 0;
    int rc = 0;

    *ok_r = false;
    if (!copy)
        return -ENOMEM;
    for (tok = strtok_r(copy, " \t\n", &save); tok;
         tok = strtok_r(NULL, " \t\n", &save)) {
        if (lxs_parse_u64(tok, &cell[n % 2])) {
            rc = VAR_FINDING(im, true, "syntax", v, "'%s' is not a number "
                             "(hex with 0x, or decimal)", tok);
            goto out;
        }
        if (n++ % 2 == 0)
            continue;
        if (!cell[1] || cell[0] + cell[1] < cell[0]) {
            rc = VAR_FINDING(im, true, "syntax", v, "bad range %u: base "
                             "0x%" PRIx64 " size 0x%" PRIx64, n / 2,
                             cell[0], cell[1]);
            goto out;
        }
        rc = lxs_ranges_add(out, cell[0], cell[0] + cell[1], n / 2 - 1);
        if (rc)
            goto out;
    }
    if (n % 2 || !n) {
        rc = VAR_FINDING(im, true, "syntax", v, "%u cells: pairs of base "
                         "and size are expected", n);
        goto out;
    }
    *ok_r = true;
out:
    free(copy);
    return rc;
}

/* A value an xl cfg string can hold between double quotes. */
static int cfg_string(struct import *im, const struct cli_ib_var *v,
                      bool *ok_r)
{
    const char *s;

    *ok_r = true;
    for (s = v->value; *s; s++) {
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20) {
            *ok_r = false;
            return VAR_FINDING(im, true, "syntax", v, "a value with a "
                               "quote, a backslash or a control "
                               "character cannot be written in an xl "
                               "cfg string");
        }
    }
    return 0;
}

/* A 0 or 1 switch (DOMU_VPL011, DOMU_DIRECT_MAP); @dflt when unset. */
static int get_switch(struct import *im, const struct cli_ib_var *v,
                      bool dflt, bool *val_r, bool *ok_r)
{
    *ok_r = true;
    *val_r = dflt;
    if (!v)
        return 0;
    if (!strcmp(v->value, "0") || !strcmp(v->value, "1")) {
        *val_r = v->value[0] == '1';
        return 0;
    }
    *ok_r = false;
    return VAR_FINDING(im, true, "syntax", v, "'%s' is neither 0 nor 1",
                       v->value);
}

/* Letters, digits, '_', '-', '.': a domain name and a file name. */
static bool good_name(const char *s)
{
    if (!*s || *s == '.' || *s == '-')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
            return false;
    return true;
}

/* key = "VALUE" when @v is set and an xl cfg string can hold it. */
static int put_string_key(struct import *im, FILE *f, const char *key,
                          const struct cli_ib_var *v, bool *ok)
{
    bool good;
    int rc;

    if (!v)
        return 0;
    rc = cfg_string(im, v, &good);
    if (!good)
        *ok = false;
    else
        fprintf(f, "%s = \"%s\"\n", key, v->value);
    return rc;
}

/* dtdev = [ "PATH", ... ] from DOMU_PASSTHROUGH_PATHS. */
static int put_dtdev(struct import *im, FILE *f, const struct cli_ib_var *v,
                     bool *ok)
{
    char *copy, *save = NULL, *tok;
    const char *sep = "";
    bool good;
    int rc;

    if (!v)
        return 0;
    rc = cfg_string(im, v, &good);
    if (rc || !good) {
        *ok = false;
        return rc;
    }
    copy = strdup(v->value);
    if (!copy)
        return -ENOMEM;
    fputs("dtdev = [ ", f);
    for (tok = strtok_r(copy, " \t", &save); tok;
         tok = strtok_r(NULL, " \t", &save)) {
        fprintf(f, "%s\"%s\"", sep, tok);
        sep = ", ";
    }
    fputs(" ]\n", f);
    free(copy);
    return 0;
}

/* static_mem = [ "0xBASE:SIZE", ... ] and direct_map. */
static void put_static_mem(FILE *f, const struct lxs_ranges *sm,
                           bool direct_map)
{
    char size[LXS_SIZE_STRLEN];
    size_t i;

    fprintf(f, "direct_map = %d\n", direct_map);
    fputs("static_mem = [ ", f);
    for (i = 0; i < sm->nr; i++)
        fprintf(f, "%s\"0x%" PRIx64 ":%s\"", i ? ", " : "",
                sm->v[i].start,
                lxs_fmt_size(sm->v[i].end - sm->v[i].start, size));
    fputs(" ]\n", f);
}

static uint64_t ranges_size(const struct lxs_ranges *rs)
{
    uint64_t sum = 0;
    size_t i;

    for (i = 0; i < rs->nr; i++)
        sum += rs->v[i].end - rs->v[i].start;
    return sum;
}

/* memory, vcpus, vuart, direct_map, static_mem */
static int put_memory(struct import *im, FILE *f, unsigned long n,
                      bool vpl011, bool *ok)
{
    const struct cli_ib_var *mem = domu_get(im, "DOMU_MEM", n);
    const struct cli_ib_var *vcpus = domu_get(im, "DOMU_VCPUS", n);
    const struct cli_ib_var *sm = domu_get(im, "DOMU_STATIC_MEM", n);
    const struct cli_ib_var *dm = domu_get(im, "DOMU_DIRECT_MAP", n);
    struct lxs_ranges ranges;
    uint64_t val = IB_DEFAULT_MEM_MIB;
    bool good = true, direct_map;
    int rc;

    lxs_ranges_init(&ranges);
    rc = sm ? get_ranges(im, sm, &ranges, &good) : 0;
    if (rc || !good)
        goto out;
    /*
     * With static memory and no DOMU_MEM, ImageBuilder gives the domain
     * the size of its banks: written when it is whole MiB, else left
     * for the check to derive from static_mem.
     */
    if (!mem && sm)
        val = ranges_size(&ranges);
    rc = mem ? get_number(im, mem, 1, LXS_PADDR_LIMIT >> 20, &val,
                          &good) : 0;
    if (rc || !good)
        goto out;
    if (mem || !sm)
        fprintf(f, "memory = %" PRIu64 "\n", val);
    else if (!(val & ((UINT64_C(1) << 20) - 1)))
        fprintf(f, "memory = %" PRIu64 "\n", val >> 20);
    val = 1;
    rc = vcpus ? get_number(im, vcpus, 1, 65535, &val, &good) : 0;
    if (rc || !good)
        goto out;
    fprintf(f, "vcpus = %" PRIu64 "\n", val);
    if (vpl011)
        fputs("vuart = \"sbsa_uart\"\n", f);
    rc = get_switch(im, dm, true, &direct_map, &good);
    if (rc || !good)
        goto out;
    if (sm)
        put_static_mem(f, &ranges, direct_map);
    else if (dm)
        rc = VAR_FINDING(im, false, "ignored", dm, "without "
                         "DOMU_STATIC_MEM[%lu] it has no effect", n);
out:
    if (!good)
        *ok = false;
    lxs_ranges_dispose(&ranges);
    return rc;
}

/* The name of domain @n (DOMU_NAME[n], else domU<n>); NULL after a finding. */
static int dom_name(struct import *im, unsigned long n, char **name_r)
{
    const struct cli_ib_var *v = domu_get(im, "DOMU_NAME", n);
    unsigned long i;
    int rc;

    *name_r = NULL;
    if (v && !good_name(v->value))
        return VAR_FINDING(im, true, "syntax", v, "'%s' cannot be a domain "
                           "and file name (letters, digits, '_', '-', '.')",
                           v->value);
    if (v)
        *name_r = strdup(v->value);
    else if (asprintf(name_r, "domU%lu", n) < 0)
        *name_r = NULL;
    if (!*name_r)
        return -ENOMEM;
    for (i = 0; i < n; i++) {
        if (im->doms[i].name && !strcmp(im->doms[i].name, *name_r)) {
            rc = cli_ib_finding(&im->ib, true, "conflict", v ? v->line : 0,
                                "DOMU_NAME", (long)n, "domains %lu and %lu "
                                "are both named '%s'", i, n, *name_r);
            free(*name_r);
            *name_r = NULL;
            return rc;
        }
    }
    return 0;
}

static int dom_keys(struct import *im, FILE *f, unsigned long n, bool *ok)
{
    const struct cli_ib_var *kernel = domu_get(im, "DOMU_KERNEL", n);
    const struct cli_ib_var *cmd = domu_get(im, "DOMU_CMD", n);
    bool vpl011, good;
    int rc;

    if (!kernel) {
        *ok = false;
        rc = cli_ib_finding(&im->ib, true, "missing", 0, "DOMU_KERNEL",
                            (long)n, "domain %lu of NUM_DOMUS=%lu has no "
                            "kernel", n, im->nr_domus);
    } else {
        rc = put_string_key(im, f, "kernel", kernel, ok);
    }
    if (!rc)
        rc = put_string_key(im, f, "ramdisk",
                            domu_get(im, "DOMU_RAMDISK", n), ok);
    if (!rc)
        rc = put_string_key(im, f, "device_tree",
                            domu_get(im, "DOMU_PASSTHROUGH_DTB", n), ok);
    if (!rc)
        rc = put_dtdev(im, f, domu_get(im, "DOMU_PASSTHROUGH_PATHS", n),
                       ok);
    if (!rc)
        rc = get_switch(im, domu_get(im, "DOMU_VPL011", n), true, &vpl011,
                        &good);
    if (rc || !good) {
        *ok = false;
        return rc;
    }
    /* ImageBuilder's command line when none is given: its console */
    if (cmd)
        rc = put_string_key(im, f, "cmdline", cmd, ok);
    else if (vpl011)
        fprintf(f, "cmdline = \"%s\"\n", IB_DEFAULT_CMD);
    if (!rc)
        rc = put_memory(im, f, n, vpl011, ok);
    return rc;
}

/* The cfg of domain @n into im->doms[n]; nothing after a finding. */
static int translate_dom(struct import *im, unsigned long n)
{
    struct ib_dom *d = &im->doms[n];
    char *name = NULL, *text = NULL;
    size_t len = 0;
    bool ok = true;
    FILE *f;
    int rc;

    rc = dom_name(im, n, &name);
    if (rc || !name)
        return rc;
    f = open_memstream(&text, &len);
    if (!f) {
        free(name);
        return -ENOMEM;
    }
    fprintf(f, "# DOMU_*[%lu] of an ImageBuilder config, imported by "
            XLS_PROG "\nname = \"%s\"\n", n, name);
    rc = dom_keys(im, f, n, &ok);
    if (fclose(f) && !rc)
        rc = -ENOMEM;
    if (rc || !ok) {
        free(name);
        free(text);
        return rc;
    }
    d->name = name;
    d->text = text;
    d->len = len;
    return 0;
}

/* NUM_DOMUS, XEN_STATIC_HEAP, the names, then every domain. */
static int translate(struct import *im)
{
    const struct cli_ib_var *v = cli_ib_get(&im->ib, "NUM_DOMUS", -1);
    uint64_t nr = 0;
    unsigned long n;
    bool ok = false;
    int rc;

    if (!v)
        return cli_ib_finding(&im->ib, true, "missing", 0, "NUM_DOMUS", -1,
                              "not set: there are no dom0less domains to "
                              "import");
    rc = get_number(im, v, 1, IB_MAX_DOMUS, &nr, &ok);
    if (rc || !ok)
        return rc;
    im->nr_domus = (unsigned long)nr;
    v = cli_ib_get(&im->ib, "XEN_STATIC_HEAP", -1);
    if (v)
        rc = get_ranges(im, v, &im->heap, &ok);
    if (!rc)
        rc = check_names(im);
    if (rc)
        return rc;
    im->doms = calloc(im->nr_domus, sizeof(*im->doms));
    if (!im->doms)
        return -ENOMEM;
    for (n = 0; !rc && n < im->nr_domus; n++)
        rc = translate_dom(im, n);
    return rc;
}

/* The cfg path of domain @n: DIR/NAME.cfg, or NAME.cfg without -o. */
static char *cfg_path(const char *dir, const struct ib_dom *d)
{
    char *p = NULL;

    if (asprintf(&p, "%s%s%s.cfg", dir ? dir : "", dir ? "/" : "",
                 d->name) < 0)
        return NULL;
    return p;
}

/*
 * `check --boot` of the imported cfgs against the host DTB, with the
 * static heap of XEN_STATIC_HEAP reserved.  XLS_EXIT_FINDINGS after
 * printing the errors, 0 (warnings printed), or XLS_EXIT_CANNOT_RUN.
 */
static int check_imported(struct import *im, const char *host_dtb,
                          const char *dir)
{
    struct cli_opts o = { .host_dtb = host_dtb, .boot = true };
    struct cli_inputs in;
    unsigned long n;
    size_t i;
    int rc = 0, ret;

    cli_inputs_init(&in);
    ret = cli_load_hostmap(host_dtb, &in.map);
    if (ret)
        goto out;
    for (i = 0; !rc && i < im->heap.nr; i++)
        rc = lxs_hostmap_add(&in.map, LXS_REGION_RESERVED,
                             im->heap.v[i].start, im->heap.v[i].end,
                             LXS_RESV_STATIC_HEAP, "XEN_STATIC_HEAP", NULL);
    if (!rc)
        rc = lxs_hostmap_finish(&in.map);
    in.specs = rc ? NULL : calloc(im->nr_domus, sizeof(*in.specs));
    if (!in.specs)
        goto nomem;
    in.nr = (int)im->nr_domus;
    for (n = 0; n < im->nr_domus; n++)
        lxs_spec_init(&in.specs[n]);
    for (n = 0; n < im->nr_domus; n++) {
        char *label = cfg_path(dir, &im->doms[n]);

        rc = label ? lxs_cfg_parse_data(label, im->doms[n].text,
                                        im->doms[n].len, &in.specs[n],
                                        &in.diags) : -ENOMEM;
        free(label);
        if (rc)
            goto nomem;
    }
    ret = cli_inputs_check(&in, &o, "import", NULL);
    if (ret)
        goto out;
    cli_print_diags_text(stderr, &in.diags);
    if (in.diags.nr_errors)
        cli_print_diags_count(stderr, &in.diags, in.nr);
    ret = in.diags.nr_errors ? XLS_EXIT_FINDINGS : 0;
    goto out;
nomem:
    cli_err("import: %s", strerror(ENOMEM));
    ret = XLS_EXIT_CANNOT_RUN;
out:
    cli_inputs_dispose(&in);
    return ret;
}

/* Without -o: every cfg on stdout, each after a "# NAME.cfg" line. */
static int print_cfgs(const struct import *im)
{
    unsigned long n;

    for (n = 0; n < im->nr_domus; n++) {
        printf("%s# --- %s.cfg\n", n ? "\n" : "", im->doms[n].name);
        fwrite(im->doms[n].text, 1, im->doms[n].len, stdout);
    }
    return cli_flush_stdout();
}

/* With -o DIR: DIR/NAME.cfg each, all or none; their paths on stdout. */
static int write_cfgs(const struct import *im, const char *dir)
{
    struct lxs_outfile *out;
    unsigned long n, nr = 0;
    int rc, ret = XLS_EXIT_CANNOT_RUN;

    if (mkdir(dir, 0755) && errno != EEXIST) {
        cli_err("import: cannot create '%s': %s", dir, strerror(errno));
        return ret;
    }
    out = calloc(im->nr_domus, sizeof(*out));
    if (!out) {
        cli_err("import: %s", strerror(ENOMEM));
        return ret;
    }
    for (; nr < im->nr_domus; nr++) {
        char *path = cfg_path(dir, &im->doms[nr]);

        lxs_outfile_init(&out[nr]);
        rc = path ? lxs_outfile_write(&out[nr], path, im->doms[nr].text,
                                      im->doms[nr].len) : -ENOMEM;
        if (rc) {
            cli_err("import: cannot write '%s': %s", path ? path : dir,
                    lxs_file_strerror(rc));
            free(path);
            goto out;
        }
        cli_put_text(stdout, path);
        putchar('\n');
        free(path);
    }
    if (cli_flush_stdout())
        goto out;
    for (n = 0; n < nr; n++) {
        char *path = strdup(out[n].path);

        rc = lxs_outfile_commit(&out[n]);
        if (rc) {
            cli_err("import: cannot write '%s': %s", path ? path : dir,
                    lxs_file_strerror(rc));
            free(path);
            goto out;
        }
        free(path);
    }
    ret = 0;
out:
    for (n = 0; n < nr; n++)
        lxs_outfile_discard(&out[n]);
    free(out);
    return ret;
}

/* In line order (a finding without a line last), else as found. */
static int cmp_finding(const void *a, const void *b)
{
    const struct cli_ib_finding *x = *(const struct cli_ib_finding *const *)a;
    const struct cli_ib_finding *y = *(const struct cli_ib_finding *const *)b;
    unsigned int lx = x->line ? x->line : UINT_MAX;
    unsigned int ly = y->line ? y->line : UINT_MAX;

    if (lx != ly)
        return lx < ly ? -1 : 1;
    return x < y ? -1 : x > y;
}

void cli_ib_print_findings(FILE *f, const char *file, const struct cli_ib *ib)
{
    const struct cli_ib_finding **order;
    size_t i;

    order = calloc(ib->nr_findings ? ib->nr_findings : 1, sizeof(*order));
    for (i = 0; order && i < ib->nr_findings; i++)
        order[i] = &ib->findings[i];
    if (order)
        qsort(order, ib->nr_findings, sizeof(*order), cmp_finding);
    for (i = 0; i < ib->nr_findings; i++) {
        const struct cli_ib_finding *fd = order ? order[i] : &ib->findings[i];

        cli_put_text(f, file);
        if (fd->line)
            fprintf(f, ":%u", fd->line);
        fprintf(f, ": %s: %s: ", fd->error ? "error" : "warning", fd->code);
        if (fd->var) {
            cli_put_text(f, fd->var);
            fputs(": ", f);
        }
        cli_put_text(f, fd->message);
        fputc('\n', f);
    }
    free(order);
}

static void import_dispose(struct import *im)
{
    unsigned long n;

    for (n = 0; im->doms && n < im->nr_domus; n++) {
        free(im->doms[n].name);
        free(im->doms[n].text);
    }
    free(im->doms);
    lxs_ranges_dispose(&im->heap);
    cli_ib_dispose(&im->ib);
}

/* Reads and translates the config; findings printed.  An exit status. */
static int import_config(struct import *im)
{
    char *text = NULL;
    size_t len;
    int rc;

    rc = lxs_file_read(im->config, LXS_CFG_MAX_SIZE, &text, &len);
    if (rc) {
        cli_err("cannot read ImageBuilder config '%s': %s", im->config,
                lxs_file_strerror(rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    rc = cli_ib_read(&im->ib, text, len);
    free(text);
    if (!rc && !im->ib.nr_errors)
        rc = translate(im);
    if (rc) {
        cli_err("import: %s", strerror(-rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    cli_ib_print_findings(stderr, im->config, &im->ib);
    if (im->ib.nr_errors) {
        fprintf(stderr, "%zu error%s, %zu warning%s in '", im->ib.nr_errors,
                im->ib.nr_errors == 1 ? "" : "s",
                im->ib.nr_findings - im->ib.nr_errors,
                im->ib.nr_findings - im->ib.nr_errors == 1 ? "" : "s");
        cli_put_text(stderr, im->config);
        fputs("': nothing imported\n", stderr);
        return XLS_EXIT_FINDINGS;
    }
    return 0;
}

static int import_imagebuilder(int argc, char **argv)
{
    static const struct option opts[] = {
        {"host-dtb", 1, 0, 'H'},
        {"output", 1, 0, 'o'},
        COMMON_LONG_OPTS
    };
    struct import im;
    const char *host_dtb = NULL, *dir = NULL;
    int opt, ret;

    SWITCH_FOREACH_OPT(opt, "o:", opts, "import", 1) {
    case 'H':
        host_dtb = optarg;
        break;
    case 'o':
        dir = optarg;
        break;
    }
    if (argc - optind != 1) {
        cli_err("import: one ImageBuilder config is expected");
        return XLS_EXIT_CANNOT_RUN;
    }

    memset(&im, 0, sizeof(im));
    cli_ib_init(&im.ib);
    lxs_ranges_init(&im.heap);
    im.config = argv[optind];
    ret = import_config(&im);
    if (!ret && host_dtb)
        ret = check_imported(&im, host_dtb, dir);
    if (!ret)
        ret = dir ? write_cfgs(&im, dir) : print_cfgs(&im);
    import_dispose(&im);
    return ret;
}

int main_import(int argc, char **argv)
{
    return cli_format_dispatch("import", argc, argv, import_imagebuilder);
}

int cli_format_dispatch(const char *cmd, int argc, char **argv,
                        int (*imagebuilder)(int argc, char **argv))
{
    if (argc >= 2 && !strcmp(argv[1], "imagebuilder"))
        return imagebuilder(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        help(cmd);
        return XLS_EXIT_OK;
    }
    if (argc >= 2)
        cli_err("%s: unknown format '%s' (known: imagebuilder)", cmd,
                argv[1]);
    else
        cli_err("%s: say which format: imagebuilder", cmd);
    help(cmd);
    return XLS_EXIT_CANNOT_RUN;
}
