/*
 * xl-static: the command front end.
 *
 * The command table has the shape of xl's (tools/xl/xl.h): an entry
 * here can move into xl_cmdtable.c unchanged, and each main_<cmd>()
 * behaves like xl's: it takes argv with argv[0] the command name and
 * returns the process exit status.
 *
 * Exit status of every command (docs/commands.md):
 *   0  no error finding (warnings allowed)
 *   1  at least one error finding
 *   2  cannot run: usage error, unreadable or malformed input
 */
#ifndef XL_STATIC_H
#define XL_STATIC_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <yajl/yajl_gen.h>

#include "libxlstatic.h"

#define XLS_PROG "xl-static"

#define XLS_EXIT_OK         0
#define XLS_EXIT_FINDINGS   1
#define XLS_EXIT_CANNOT_RUN 2

struct cmd_spec {
    const char *cmd_name;
    int (*cmd_impl)(int argc, char **argv);
    int can_dryrun;
    int modifies;
    const char *cmd_desc;
    const char *cmd_usage;
    const char *cmd_option;
};

extern const struct cmd_spec cmd_table[];
extern const int cmdtable_len;
/* Looks a command up, allowing an unambiguous prefix. */
const struct cmd_spec *cmdtable_lookup(const char *s);
/* Prints the usage of @command, or the command list when NULL. */
void help(const char *command);

/* Global options: -v (repeatable) and -N. */
extern int verbose;
extern int dryrun_only;

int main_check(int argc, char **argv);
int main_plan(int argc, char **argv);
int main_static_mem_list(int argc, char **argv);
int main_dtgen(int argc, char **argv);
int main_release(int argc, char **argv);
int main_create(int argc, char **argv);
int main_import(int argc, char **argv);
int main_export(int argc, char **argv);

/*
 * Option handling in the manner of xl's SWITCH_FOREACH_OPT: -h and
 * --help print the command's usage and exit 0; an unknown option or
 * fewer than @reqargs operands print a message and the usage and exit
 * XLS_EXIT_CANNOT_RUN.  "h" is added to the short options here.
 */
int def_getopt(int argc, char *const argv[], const char *optstring,
               const struct option *longopts, const char *helpstr,
               int reqargs);

#define SWITCH_FOREACH_OPT(opt, opts, longopts,                         \
                           commandname, num_required_opts)              \
    while (((opt) = def_getopt(argc, argv, "h" opts, (longopts),        \
                               (commandname), (num_required_opts))) != -1) \
        switch (opt)

/* Must be last in a long option list. */
#define COMMON_LONG_OPTS {"help", 0, 0, 'h'}, \
                         {0, 0, 0, 0}

/* ------------------------------------------------------------------ */
/* Shared by the commands (cli_common.c)                               */

/*
 * The options that mean the same in every command that takes them
 * (docs/commands.md).  A command lists those it takes in its struct
 * option table and short option string, and hands each of them to
 * cli_opt() from its SWITCH_FOREACH_OPT.
 */
struct cli_opts {
    const char *host_dtb;   /* --host-dtb F (-H inside) */
    const char *state_dir;  /* --state-dir DIR (-S inside) */
    bool json;              /* -j, --json */
    bool boot;              /* --boot (-B inside): dom0less, at boot */
    bool map;               /* --map[=FILE] (-M inside): draw the map */
    const char *map_file;   /* its FILE (SVG), or NULL: text on stdout */
    uint64_t accept;        /* -W no-CODE: the warnings acknowledged */
    const char *bad_w;      /* a -W value that is not no-WARNING */
    bool werror;            /* --werror (-E inside): warnings are errors */
};

/*
 * Records @opt, one of the shared options above, in @o.  The options
 * of check, plan and create that read findings: CLI_FINDING_OPTS in
 * their long options, "W:" in their short ones.
 */
#define CLI_FINDING_OPTS {"werror", 0, 0, 'E'}
void cli_opt(struct cli_opts *o, int opt);

/*
 * What check, plan and create read and what they find: the host memory
 * map, the cfg files parsed into specs, and the findings.
 */
struct cli_inputs {
    struct lxs_hostmap map;
    struct lxs_diags diags;
    struct lxs_spec *specs;     /* nr of them */
    int nr;
};

void cli_inputs_init(struct cli_inputs *in);
void cli_inputs_dispose(struct cli_inputs *in);
/*
 * Reads the host map (--host-dtb), with @registry the registry's
 * reservations too (read-only, --state-dir), then the @nr cfg files
 * @paths.  0, or XLS_EXIT_CANNOT_RUN after printing why.
 */
int cli_inputs_load(struct cli_inputs *in, const struct cli_opts *o,
                    char *const *paths, int nr, bool registry);
/*
 * lxs_check of the inputs (--boot: at boot) into @plans (NULL, or one
 * per spec); the findings go to in->diags, the warnings of -W no-CODE
 * left out, with --werror every other warning made an error.  0 whether or not there are
 * error findings; XLS_EXIT_CANNOT_RUN after "@what failed: ..." when
 * the check could not run.
 */
int cli_inputs_check(struct cli_inputs *in, const struct cli_opts *o,
                     const char *what, struct lxs_plan *plans);

/*
 * Reads the host memory map from the DTB chosen by lxs_host_dtb_path.
 * Prints the reason and returns XLS_EXIT_CANNOT_RUN when the file is
 * unreadable or corrupt; returns 0 otherwise.
 */
/*
 * Fills @map from the running hypervisor's static-extent query.
 * -ENOENT (or another open errno): not on Xen; -EOPNOTSUPP: a Xen
 * without the interface; other -errno from the query.
 */
int cli_load_live_hostmap(struct lxs_hostmap *map);
int cli_load_hostmap(const char *opt, struct lxs_hostmap *map);

/*
 * Parses @nr cfg files into *specs_r (an array of @nr specs, free with
 * cli_specs_free).  Findings go to @diags.  Returns 0, or
 * XLS_EXIT_CANNOT_RUN after printing why (an unreadable file).
 */
int cli_load_specs(char *const *paths, int nr, struct lxs_spec **specs_r,
                   struct lxs_diags *diags);
void cli_specs_free(struct lxs_spec *specs, int nr);

/*
 * One line per finding, "FILE[:LINE]: SEVERITY: CODE: KEY: MESSAGE
 * (domain 'D')", the line as gcc gives it when the finding has one.
 */
void cli_print_diags_text(FILE *f, const struct lxs_diags *diags);
/* "N errors, N warnings in N cfg files" */
void cli_print_diags_count(FILE *f, const struct lxs_diags *diags,
                           int nr_files);

/* Prints "xl-static: " and the formatted message to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Flushes standard output and says whether everything written to it
 * arrived: XLS_EXIT_CANNOT_RUN after a message when not.  Every command
 * ends with it (main), and one that writes files calls it before it
 * commits them.
 */
int cli_flush_stdout(void);
/*
 * Writes @s, a name or path from outside, as text: each control
 * character becomes '?' (as in the library's messages), so that one
 * line of output stays one line.
 */
void cli_put_text(FILE *f, const char *s);
/* The same when -v was given. */
void cli_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ------------------------------------------------------------------ */
/* JSON output through yajl (cli_json.c)                               */

/*
 * All return 0 or -errno; a yajl_gen_status other than yajl_gen_status_ok
 * is -EIO.  Strings may be NULL: they are written as null.
 */
int cli_json_new(yajl_gen *g_r);
/* Runs a call that returns 0 or -errno; on failure, goes to out. */
#define JSON(call) do {                                                 \
        rc = (call);                                                    \
        if (rc)                                                         \
            goto out;                                                   \
    } while (0)

int cli_json_key(yajl_gen g, const char *key);
int cli_json_str(yajl_gen g, const char *s);
int cli_json_hex(yajl_gen g, uint64_t val);     /* "0x1f000" */
int cli_json_bool(yajl_gen g, bool val);
int cli_json_uint(yajl_gen g, uint64_t val);
int cli_json_null(yajl_gen g);
int cli_json_map_open(yajl_gen g);
int cli_json_map_close(yajl_gen g);
int cli_json_array_open(yajl_gen g);
int cli_json_array_close(yajl_gen g);
/* Writes the document and a final newline to @f, then frees @g. */
int cli_json_finish(yajl_gen g, FILE *f);
/*
 * The version of the -j documents (docs/commands.md), their first
 * member "version": raised when a member changes meaning or goes away,
 * not when one is added.
 */
#define XLS_JSON_VERSION 1

/*
 * Writes to @f one JSON object (and a final newline): "version", then
 * the members @fill writes; @fill returns 0 or -errno.  0 or -errno.
 */
int cli_json_write(FILE *f, int (*fill)(yajl_gen g, const void *arg),
                   const void *arg);
/*
 * The same to stdout: 0, or XLS_EXIT_CANNOT_RUN after a message
 * (cli_common.c).
 */
int cli_json_print(int (*fill)(yajl_gen g, const void *arg),
                   const void *arg);

/* "diagnostics": [...] as a key and its value, in the open map. */
int cli_json_diags(yajl_gen g, const struct lxs_diags *diags);

/* ------------------------------------------------------------------ */
/* Memory listing (cli_memlist.c)                                      */

/*
 * The listing is built from a data source (the host DTB offline, the
 * hypervisor query live) and printed by one function for every source.
 */
enum cli_piece_type {
    XLS_PIECE_RAM_FREE,     /* RAM not reserved, owned or in the pool */
    XLS_PIECE_RESERVED,     /* memreserve, reserved-memory, modules, heap */
    XLS_PIECE_POOL_FREE,    /* static pool, not owned */
    XLS_PIECE_OWNED,        /* a domain's memory */
    XLS_PIECE_PLANNED,      /* a planned extent (plan --map) */
};

struct cli_piece {
    uint64_t start;
    uint64_t end;           /* exclusive */
    enum cli_piece_type type;
    const char *owner;      /* XLS_PIECE_OWNED: the domain; else NULL */
    const char *label;      /* where the range comes from; may be NULL */
    const char *state;      /* see docs/commands.md */
};

struct cli_memlist {
    const char *source;     /* "host-dtb", "live" */
    struct cli_piece *v;    /* sorted, disjoint */
    size_t nr;
    size_t alloc;
};

void cli_memlist_init(struct cli_memlist *ml, const char *source);
void cli_memlist_dispose(struct cli_memlist *ml);
const char *cli_piece_type_name(enum cli_piece_type type);

/*
 * Splits every RAM range of @map into pieces.  The pieces borrow the
 * owner and label strings of @map, which must outlive @ml.  0 or -ENOMEM.
 */
int cli_memlist_from_hostmap(struct cli_memlist *ml,
                             const struct lxs_hostmap *map);

/* Prints the listing as text (aligned columns) or JSON.  0 or -errno. */
int cli_memlist_print(FILE *f, const struct cli_memlist *ml, bool json);

/*
 * The label of the regions cli_hostmap_add_plans() adds: the pieces
 * they make are XLS_PIECE_PLANNED, owned by the planned domain.
 */
#define XLS_PLAN_LABEL "plan"
/*
 * Adds the extents of @nr plans (that passed lxs_check) to @map as
 * regions owned by their domains, labelled XLS_PLAN_LABEL, then calls
 * lxs_hostmap_finish().  0 or -ENOMEM (then @map may hold some of
 * them: dispose of it).
 */
int cli_hostmap_add_plans(struct lxs_hostmap *map,
                          const struct lxs_plan *plans, size_t nr);

/* ------------------------------------------------------------------ */
/* The picture of the memory map (cli_map.c)                           */

/*
 * The pieces of @ml drawn per RAM bank of @map (the map @ml was built
 * from): a line per bank with its overview, then one row per piece with
 * its addresses, size, kind, owner, a bar that shows where in the bank
 * it lies, and its label.  Deterministic.  0 or -EIO.
 */
int cli_map_print_text(FILE *f, const struct cli_memlist *ml,
                       const struct lxs_hostmap *map);
/*
 * The same as an SVG document (one <rect class="range KIND"> per piece)
 * in a new buffer (free with free()).  0 or -errno.
 */
int cli_map_svg(const struct cli_memlist *ml, const struct lxs_hostmap *map,
                char **buf_r, size_t *len_r);
/*
 * The --map[=FILE] of a command: @file NULL prints the text map on
 * stdout; otherwise the SVG is written to @file ("-": stdout), whole or
 * not at all, after stdout was flushed.  0 or XLS_EXIT_CANNOT_RUN after
 * a message.
 */
int cli_map_emit(const char *file, const struct cli_memlist *ml,
                 const struct lxs_hostmap *map);
/* The text --map and -j exclude each other: XLS_EXIT_CANNOT_RUN. */
int cli_map_check_opts(const struct cli_opts *o, const char *cmd);

/* ------------------------------------------------------------------ */
/* The reservation registry (cli_registry.c, docs/registry.md)         */

/*
 * Opens the registry of that directory (lxs_registry_open @flags): the
 * lock is held until lxs_registry_close.  Prints why and returns
 * XLS_EXIT_CANNOT_RUN when it cannot be read (a malformed file too).
 */
int cli_open_registry(const char *opt, unsigned int flags,
                      struct lxs_registry *reg);
/* Adds the reservations to @map; XLS_EXIT_CANNOT_RUN after a message. */
int cli_registry_to_hostmap(const struct lxs_registry *reg,
                            struct lxs_hostmap *map);
/*
 * For the commands that only read (check, plan, static-mem-list): opens
 * the registry read-only, adds its reservations to @map as memory owned
 * by their domains, and closes it.  0 or XLS_EXIT_CANNOT_RUN.
 */
int cli_load_registry(const char *opt, struct lxs_hostmap *map);

/* "0x40000000-0x50000000": half-open, as Xen prints its banks. */
#define XLS_RANGE_STRLEN (2 * (2 + 16) + 2)
char *cli_fmt_range(uint64_t start, uint64_t size,
                    char buf[XLS_RANGE_STRLEN]);
uint64_t cli_extents_size(const struct lxs_extent *ext, size_t nr);
/* The "host guest size" table of extents, indented by two spaces. */
void cli_print_extents(FILE *f, const struct lxs_extent *ext, size_t nr);
/* "extents": [{"host", "guest", "size"}...] in the open map. */
int cli_json_extents(yajl_gen g, const struct lxs_extent *ext, size_t nr);

/* ------------------------------------------------------------------ */
/* ImageBuilder configs (cli_imagebuilder.c, docs/imagebuilder.md)     */

/* One assignment: NAME=VALUE (index -1) or NAME[INDEX]=VALUE. */
struct cli_ib_var {
    char *name;
    long index;
    char *value;            /* as the shell would see it, quotes removed */
    unsigned int line;      /* of the last assignment */
};

/* A finding on the config: "FILE:LINE: error|warning: CODE: VAR: MSG". */
struct cli_ib_finding {
    bool error;
    const char *code;       /* static: "syntax", "unsupported", ... */
    unsigned int line;      /* 0: none */
    char *var;              /* "DOMU_MEM[1]", or NULL */
    char *message;
};

struct cli_ib {
    struct cli_ib_var *v;   /* in the order first assigned */
    size_t nr, alloc;
    struct cli_ib_finding *findings;
    size_t nr_findings, alloc_findings, nr_errors;
};

void cli_ib_init(struct cli_ib *ib);
void cli_ib_dispose(struct cli_ib *ib);
/*
 * Reads the assignments of an ImageBuilder config, as data: a line
 * that is not a comment, blank or a plain assignment is a syntax
 * finding.  A later assignment of a variable replaces an earlier one.
 * 0 or -ENOMEM.
 */
int cli_ib_read(struct cli_ib *ib, const char *text, size_t len);
/* The assignment of NAME (index -1) or NAME[INDEX], or NULL. */
const struct cli_ib_var *cli_ib_get(const struct cli_ib *ib,
                                    const char *name, long index);
/* Adds a finding (@var with @index >= 0 is shown "VAR[INDEX]"). */
int cli_ib_finding(struct cli_ib *ib, bool error, const char *code,
                   unsigned int line, const char *var, long index,
                   const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/*
 * The findings in line order, "FILE:LINE: SEVERITY: CODE: VAR: MSG"
 * (cmd_import.c).
 */
void cli_ib_print_findings(FILE *f, const char *file,
                           const struct cli_ib *ib);
/* NAME[INDEX]="VALUE" (shell-quoted) and NAME[INDEX]=NUMBER lines. */
void cli_ib_put_string(FILE *f, const char *name, long index,
                       const char *value);
void cli_ib_put_number(FILE *f, const char *name, long index, uint64_t val);

/*
 * import and export FORMAT ... (cmd_import.c): calls @imagebuilder with argv from the
 * format word on; -h prints the usage; another format is a usage error.
 */
int cli_format_dispatch(const char *cmd, int argc, char **argv,
                        int (*imagebuilder)(int argc, char **argv));

#endif /* XL_STATIC_H */
