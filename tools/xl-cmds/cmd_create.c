/*
 * create [-n] [-j] [--host-dtb F] [--state-dir DIR] CFG: checks the cfg
 * against the host map and the registry, plans it, records the
 * reservation, then has the patched xl create the domain
 * (docs/registry.md, "create").
 *
 *   lock (exclusive) -> check + plan -> reserve (commit) -> unlock
 *   -> xl create CFG -> xl domid NAME
 *   xl create failed: lock -> undo the reservation, if the registry
 *   still holds what we wrote for NAME -> commit -> unlock
 *
 * xl runs without the lock: libxl, in the xl process, takes the same
 * lock to read the registry and to record the reservation, so holding
 * it across xl would deadlock.  Between the unlock and xl the
 * reservation keeps other creators off the extents (they see them as
 * another domain's: overlap-domain); the hypervisor's claim decides in
 * the end.  The undo leaves a reservation that someone changed or
 * released meanwhile alone.  When xl created the domain but its id
 * cannot be had, the reservation stays: the domain exists.
 *
 * -n (or the global -N) stops after the plan: it takes only the shared
 * lock and changes nothing, not even the state directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xl_static.h"

/* The xl that creates domains: $XL_STATIC_XL, else "xl" from PATH. */
#define XLS_XL_ENV      "XL_STATIC_XL"
#define XLS_XL_DEFAULT  "xl"
/* The highest id of an ordinary domain (Xen's DOMID_FIRST_RESERVED - 1). */
#define XLS_DOMID_MAX   0x7fef
/* What "xl domid" may print: the id, a newline, and room to see more. */
#define DOMID_OUT_MAX   16

/* What the create does to the domain's reservation. */
enum resv_change {
    RESV_NONE,          /* no static placement: nothing to reserve */
    RESV_NEW,
    RESV_SAME,          /* re-created: the extents it had */
    RESV_REPLACED,      /* other extents than it had */
};

static const char *const resv_change_name[] = {
    [RESV_NONE] = "none",
    [RESV_NEW] = "new",
    [RESV_SAME] = "same",
    [RESV_REPLACED] = "replaced",
};

static const char *xl_program(void)
{
    const char *env = getenv(XLS_XL_ENV);

    return env && *env ? env : XLS_XL_DEFAULT;
}

/* What a child run by run_program() is given besides its arguments. */
struct child_io {
    int out_fd;             /* its stdout */
    int err_fd;             /* the exec-status pipe, O_CLOEXEC */
    const char *state_dir;  /* $XL_STATIC_STATE_DIR */
    const char *host_dtb;   /* $XL_STATIC_HOST_DTB */
    const struct sigaction *old_int, *old_quit;
};

/*
 * The child side of run_program(): its stdout, the dispositions of
 * SIGINT and SIGQUIT as they were, the environment, then exec.  When any
 * of it fails, errno goes up the exec-status pipe.
 */
static void __attribute__((noreturn))
exec_child(char *const argv[], const struct child_io *io)
{
    ssize_t n;
    int e;

    if (sigaction(SIGINT, io->old_int, NULL) ||
        sigaction(SIGQUIT, io->old_quit, NULL))
        goto fail;
    if (io->out_fd != STDOUT_FILENO &&
        dup2(io->out_fd, STDOUT_FILENO) < 0)
        goto fail;
    if (setenv(LXS_REGISTRY_DIR_ENV, io->state_dir, 1) ||
        setenv(LXS_HOST_DTB_ENV, io->host_dtb, 1))
        goto fail;
    execvp(argv[0], argv);
fail:
    e = errno;
    /* when even this fails, the parent sees only the status */
    n = write(io->err_fd, &e, sizeof(e));
    (void)n;
    _exit(127);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/*
 * Reads @fd to its end, keeping the first @out_size - 1 bytes in @out
 * (NUL-terminated).  Returns the byte count, which may be larger than
 * what was kept.
 */
static size_t read_output(int fd, char *out, size_t out_size)
{
    size_t len = 0;
    ssize_t n;
    char buf[256];

    for (;;) {
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (len < out_size - 1)
            memcpy(out + len, buf,
                   (size_t)n < out_size - 1 - len ? (size_t)n :
                   out_size - 1 - len);
        len += (size_t)n;
    }
    out[len < out_size - 1 ? len : out_size - 1] = '\0';
    return len;
}

/*
 * Runs @argv (argv[0]: a path, or a name looked up in PATH) without a
 * shell, with our stdin and stderr and, in its environment, the state
 * directory and host DTB this create used, so that libxl in the child
 * plans from the same inputs.  Its stdout is @out_fd, or, when @out is
 * not NULL, a pipe of which the first @out_size - 1 bytes are kept in
 * @out (NUL-terminated) and the byte count in *out_len_r (it may be
 * larger than what was kept).  SIGINT and SIGQUIT are ignored until it
 * ends, as system(3) does, so that a ^C at the terminal stops xl and the
 * create still undoes its reservation.
 *
 * Returns 0 when the program ran, its wait status in *status_r; else
 * -errno: it could not be started (-ENOENT: no such program, -EACCES,
 * ... from exec; or from pipe2 or fork).
 */
static int run_program(char *const argv[], int out_fd, const char *state_dir,
                       const char *host_dtb, char *out, size_t out_size,
                       size_t *out_len_r, int *status_r)
{
    struct sigaction ign, old_int, old_quit;
    struct child_io io;
    int exec_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
    int child_errno = 0, status, rc;
    bool sig_saved = false;
    ssize_t n;
    pid_t pid = -1, r;

    if (pipe2(exec_pipe, O_CLOEXEC) < 0 ||
        (out && pipe2(out_pipe, O_CLOEXEC) < 0)) {
        rc = -errno;
        goto out;
    }

    memset(&ign, 0, sizeof(ign));
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    if (sigaction(SIGINT, &ign, &old_int) < 0) {
        rc = -errno;
        goto out;
    }
    if (sigaction(SIGQUIT, &ign, &old_quit) < 0) {
        rc = -errno;
        sigaction(SIGINT, &old_int, NULL);
        goto out;
    }
    sig_saved = true;

    fflush(NULL);               /* nothing buffered is written twice */
    pid = fork();
    if (pid < 0) {
        rc = -errno;
        goto out;
    }
    if (!pid) {
        io.out_fd = out ? out_pipe[1] : out_fd;
        io.err_fd = exec_pipe[1];
        io.state_dir = state_dir;
        io.host_dtb = host_dtb;
        io.old_int = &old_int;
        io.old_quit = &old_quit;
        exec_child(argv, &io);
    }
    close_fd(&exec_pipe[1]);
    close_fd(&out_pipe[1]);

    /* closed by the exec, or errno from the child */
    do
        n = read(exec_pipe[0], &child_errno, sizeof(child_errno));
    while (n < 0 && errno == EINTR);
    if (n != sizeof(child_errno))
        child_errno = 0;

    if (out)
        *out_len_r = read_output(out_pipe[0], out, out_size);

    do
        r = waitpid(pid, &status, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        rc = -errno;
        goto out;
    }
    if (child_errno) {
        rc = -child_errno;
        goto out;
    }
    *status_r = status;
    rc = 0;

out:
    if (sig_saved) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
    }
    close_fd(&exec_pipe[0]);
    close_fd(&exec_pipe[1]);
    close_fd(&out_pipe[0]);
    close_fd(&out_pipe[1]);
    return rc;
}

static bool succeeded(int status)
{
    return WIFEXITED(status) && !WEXITSTATUS(status);
}

/*
 * Why a program that ran did not succeed: "exited with status 3" or
 * "was killed by signal 15 (Terminated)".
 */
static const char *status_why(int status, char *buf, size_t size)
{
    if (WIFEXITED(status))
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "was killed by signal %d (%s)",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(buf, size, "ended with wait status 0x%x", status);
    return buf;
}

/* *why_r = the formatted message; NULL when out of memory. */
static void __attribute__((format(printf, 2, 3)))
set_why(char **why_r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(why_r, fmt, ap) < 0)
        *why_r = NULL;
    va_end(ap);
}

/*
 * The id "xl domid" printed: decimal, no sign or leading zero, one
 * final newline and nothing else, 1..XLS_DOMID_MAX (0 is dom0, which
 * was not just created).  0 or -EINVAL.
 */
static int parse_domid(const char *s, size_t len, int *domid_r)
{
    long v = 0;
    size_t i;

    if (len < 2 || len > 6 || s[len - 1] != '\n' || s[0] == '0')
        return -EINVAL;
    for (i = 0; i < len - 1; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    if (v > XLS_DOMID_MAX)
        return -EINVAL;
    *domid_r = (int)v;
    return 0;
}

/* True when @s is printable text, so that a message may quote it. */
static bool printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

/*
 * Creates the domain with the patched xl: "xl create CFG" (libxl plans
 * it again from the same host DTB and registry, claims the extents from
 * the static pool and builds the domain), then "xl domid NAME" for its
 * id.  xl's stdout goes to ours, or with @json to our stderr, so that
 * our stdout stays one JSON document.
 *
 * Returns 0 with *domid_r.  Else *why_r (allocated; NULL when out of
 * memory) says what failed, *created_r whether xl created the domain
 * (only its id is unknown then), and the return value is the -errno of
 * a program that could not be started, -ECHILD for one that failed, or
 * -EINVAL for an id that cannot be parsed.
 */
static int build_domain(const char *cfg, const char *name, bool json,
                        const char *state_dir, const char *host_dtb,
                        int *domid_r, bool *created_r, char **why_r)
{
    const char *xl = xl_program();
    /* "--": a cfg path or a name that begins with '-' is no option */
    char *create_argv[] = { (char *)xl, "create", "--", (char *)cfg, NULL };
    char *domid_argv[] = { (char *)xl, "domid", "--", (char *)name, NULL };
    char out[DOMID_OUT_MAX], why[64];
    size_t len = 0;
    int status, rc;

    *created_r = false;
    cli_verbose("running '%s create %s'", xl, cfg);
    rc = run_program(create_argv, json ? STDERR_FILENO : STDOUT_FILENO,
                     state_dir, host_dtb, NULL, 0, NULL, &status);
    if (rc) {
        set_why(why_r, "cannot run '%s': %s", xl, strerror(-rc));
        return rc;
    }
    if (!succeeded(status)) {
        set_why(why_r, "'%s create' %s", xl,
                status_why(status, why, sizeof(why)));
        return -ECHILD;
    }
    *created_r = true;

    rc = run_program(domid_argv, STDOUT_FILENO, state_dir, host_dtb, out,
                     sizeof(out), &len, &status);
    if (rc) {
        set_why(why_r, "cannot run '%s': %s", xl, strerror(-rc));
        return rc;
    }
    if (!succeeded(status)) {
        set_why(why_r, "'%s domid %s' %s", xl, name,
                status_why(status, why, sizeof(why)));
        return -ECHILD;
    }
    rc = parse_domid(out, len, domid_r);
    if (rc) {
        if (len < sizeof(out) && len && out[len - 1] == '\n')
            out[--len] = '\0';
        if (!len)
            set_why(why_r, "'%s domid %s' printed nothing", xl, name);
        else if (len < sizeof(out) && printable(out))
            set_why(why_r, "'%s domid %s' printed '%s', not a domain id",
                    xl, name, out);
        else
            set_why(why_r, "'%s domid %s' did not print a domain id", xl,
                    name);
        return rc;
    }
    cli_verbose("domain '%s' is domid %d", name, *domid_r);
    return 0;
}

/* A copy of @r as a plan (extents only), for undoing a replacement. */
static int plan_of_reservation(const struct lxs_reservation *r,
                               struct lxs_plan *p)
{
    p->ext = malloc(r->nr_ext * sizeof(*r->ext));
    if (!p->ext)
        return -ENOMEM;
    memcpy(p->ext, r->ext, r->nr_ext * sizeof(*r->ext));
    p->nr_ext = r->nr_ext;
    p->direct_map = r->direct_map;
    return 0;
}

/* One create, from its options to what it prints. */
struct create {
    struct cli_opts o;
    bool dry;                   /* -n, or the global -N */
    const char *cfg;
    struct cli_inputs in;       /* one spec */
    struct lxs_registry reg;    /* locked from the check to the commit */
    struct lxs_plan plan;
    struct lxs_plan old;        /* the reservation it had, when had_old */
    bool had_old;
    bool reserved;              /* the reservation was committed */
    enum resv_change change;
    int domid;                  /* -1 until created */
};

static void create_init(struct create *c)
{
    memset(c, 0, sizeof(*c));
    c->dry = dryrun_only;
    cli_inputs_init(&c->in);
    lxs_registry_init(&c->reg);
    lxs_plan_init(&c->plan);
    lxs_plan_init(&c->old);
    c->change = RESV_NONE;
    c->domid = -1;
}

static void create_dispose(struct create *c)
{
    lxs_plan_dispose(&c->old);
    lxs_plan_dispose(&c->plan);
    cli_inputs_dispose(&c->in);
    lxs_registry_close(&c->reg);    /* drops the lock, if still held */
}

static void print_text(const struct create *c)
{
    const struct lxs_spec *spec = &c->in.specs[0];
    const struct lxs_plan *plan = &c->plan;
    char size[LXS_SIZE_STRLEN], off[LXS_DMA_OFFSET_STRLEN];
    static const char *const what[] = {
        [RESV_NONE] = "none (no static placement: Xen allocates the RAM)",
        [RESV_NEW] = "new",
        [RESV_SAME] = "the one it had",
        [RESV_REPLACED] = "replaces the one it had",
    };

    cli_put_text(stdout, spec->name);
    fputs(" (", stdout);
    cli_put_text(stdout, spec->file ? spec->file : "-");
    fputs("): ", stdout);
    if (c->dry)
        printf("dry run, nothing changed\n");
    else
        printf("created, domid %d\n", c->domid);
    printf("  %-12s %s\n", "reservation", what[c->change]);
    if (!plan->nr_ext)
        return;
    printf("  %-12s %zu extent%s, %s, %s\n", "memory", plan->nr_ext,
           plan->nr_ext == 1 ? "" : "s",
           lxs_fmt_size(cli_extents_size(plan->ext, plan->nr_ext), size),
           plan->direct_map ? "direct-mapped" : "guest layout");
    cli_print_extents(stdout, plan->ext, plan->nr_ext);
    if (!plan->has_dma_offset)
        printf("  %-12s none\n", "dma-offset");
    else
        printf("  %-12s %s\n", "dma-offset",
               lxs_fmt_dma_offset(plan->dma_offset, off));
}

/* With errors: no plan, "extents" empty and the findings. */
static int json_create(yajl_gen g, const void *arg)
{
    const struct create *c = arg;
    const struct lxs_spec *spec = c->in.specs;
    const struct lxs_plan *plan = &c->plan;
    bool ok = !c->in.diags.nr_errors;
    int rc;

    JSON(cli_json_key(g, "name"));
    JSON(cli_json_str(g, spec ? spec->name : NULL));
    JSON(cli_json_key(g, "file"));
    JSON(cli_json_str(g, spec ? spec->file : NULL));
    JSON(cli_json_key(g, "domid"));
    if (ok && !c->dry)
        JSON(cli_json_uint(g, (uint64_t)c->domid));
    else
        JSON(cli_json_null(g));
    JSON(cli_json_key(g, "dry_run"));
    JSON(cli_json_bool(g, c->dry));
    JSON(cli_json_key(g, "reservation"));
    JSON(cli_json_str(g, ok ? resv_change_name[c->change] : NULL));
    JSON(cli_json_key(g, "direct_map"));
    JSON(cli_json_bool(g, ok && plan->direct_map));
    JSON(cli_json_extents(g, plan->ext, ok ? plan->nr_ext : 0));
    JSON(cli_json_key(g, "dma_offset"));
    if (ok && plan->has_dma_offset)
        JSON(cli_json_hex(g, plan->dma_offset));
    else
        JSON(cli_json_null(g));
    JSON(cli_json_diags(g, &c->in.diags));
out:
    return rc;
}

/*
 * After a failed create: puts the registry back as it was before the
 * reservation of @name, to its old reservation (@old, when it had one)
 * or none, but only when the registry still holds exactly what this
 * create wrote for @name (@plan).  Someone may have changed it while the
 * lock was not held (another create of the same name, a release): their
 * change then stays.  The lock is taken again for this and dropped.
 *
 * Prints why and returns XLS_EXIT_CANNOT_RUN when the registry cannot
 * be read or written; else 0, *undone_r false when it was left alone.
 */
static int undo_reservation(const char *state_dir, const char *name,
                            const struct lxs_plan *plan,
                            const struct lxs_plan *old, bool *undone_r)
{
    const struct lxs_reservation *r;
    struct lxs_registry reg;
    char *why = NULL;
    int rc, ret;

    *undone_r = false;
    lxs_registry_init(&reg);
    ret = cli_open_registry(state_dir, LXS_REGISTRY_WRITE, &reg);
    if (ret)
        goto out;
    r = lxs_registry_find(&reg, name);
    if (!r || !lxs_reservation_is(r, plan)) {
        ret = 0;
        goto out;
    }
    if (old)
        rc = lxs_registry_set(&reg, name, old);
    else
        rc = lxs_registry_remove(&reg, name);
    if (!rc)
        rc = lxs_registry_commit(&reg, &why);
    if (rc) {
        cli_err("cannot update registry '%s/%s': %s",
                lxs_registry_dir(state_dir), LXS_REGISTRY_FILE,
                why ? why : strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    *undone_r = true;
    ret = 0;
out:
    free(why);
    lxs_registry_close(&reg);       /* drops the lock */
    return ret;
}

/*
 * Reads the host map and the cfg, takes the registry's lock (shared
 * with -n, else exclusive: held to the reservation's commit), and
 * checks and plans the domain against both.  0; XLS_EXIT_FINDINGS
 * after printing the findings; XLS_EXIT_CANNOT_RUN after a message.
 */
static int check_and_plan(struct create *c)
{
    int ret;

    ret = cli_inputs_load(&c->in, &c->o, (char *const *)&c->cfg, 1, false);
    if (ret)
        return ret;
    ret = cli_open_registry(c->o.state_dir,
                            c->dry ? 0 : LXS_REGISTRY_WRITE, &c->reg);
    if (!ret)
        ret = cli_registry_to_hostmap(&c->reg, &c->in.map);
    if (!ret)
        ret = cli_inputs_check(&c->in, &c->o, "create: check", &c->plan);
    if (ret || !c->in.diags.nr_errors)
        return ret;

    if (c->o.json) {
        cli_json_print(json_create, c);
    } else {
        cli_print_diags_text(stderr, &c->in.diags);
        cli_print_diags_count(stderr, &c->in.diags, 1);
    }
    return XLS_EXIT_FINDINGS;
}

/*
 * What the create does to the reservation (c->change), and a copy of
 * the one it replaces (c->old) for an undo.  0 or XLS_EXIT_CANNOT_RUN.
 */
static int compare_reservation(struct create *c)
{
    const char *name = c->in.specs[0].name;
    const struct lxs_reservation *had = lxs_registry_find(&c->reg, name);
    int rc;

    if (!c->plan.nr_ext)
        return 0;
    c->change = !had ? RESV_NEW :
                lxs_reservation_is(had, &c->plan) ? RESV_SAME :
                RESV_REPLACED;
    if (!had)
        return 0;
    rc = plan_of_reservation(had, &c->old);
    if (rc) {
        cli_err("create: %s", strerror(-rc));
        return XLS_EXIT_CANNOT_RUN;
    }
    c->had_old = true;
    return 0;
}

/* Records the plan as the domain's reservation.  0 or XLS_EXIT_CANNOT_RUN. */
static int reserve(struct create *c)
{
    const char *name = c->in.specs[0].name;
    char *why = NULL;
    int rc;

    if (!c->plan.nr_ext)
        return 0;
    rc = lxs_registry_set(&c->reg, name, &c->plan);
    if (!rc)
        rc = lxs_registry_commit(&c->reg, &why);
    if (rc) {
        cli_err("create: cannot reserve the memory of '%s' in "
                "'%s/%s': %s", name, lxs_registry_dir(c->o.state_dir),
                LXS_REGISTRY_FILE, why ? why :
                rc == -EINVAL ? "the name cannot be recorded" :
                strerror(-rc));
        free(why);
        return XLS_EXIT_CANNOT_RUN;
    }
    c->reserved = true;
    return 0;
}

/*
 * Has xl create the domain (c->domid), without the registry's lock:
 * libxl in the xl child takes the same lock.  The reservation keeps
 * other creators off these extents, and the hypervisor's claim decides
 * between two that race anyway.  When xl fails, the reservation is
 * undone.  0 or XLS_EXIT_CANNOT_RUN after a message.
 */
static int run_xl(struct create *c)
{
    const char *name = c->in.specs[0].name, *what;
    char *why = NULL;
    bool created, undone = true;
    int rc, ret = 0;

    lxs_registry_close(&c->reg);
    rc = build_domain(c->cfg, name, c->o.json,
                      lxs_registry_dir(c->o.state_dir),
                      lxs_host_dtb_path(c->o.host_dtb), &c->domid, &created,
                      &why);
    if (!rc)
        return 0;
    what = why ? why : strerror(-rc);
    if (created) {
        cli_err("create: domain '%s' was created, but its id is "
                "unknown: %s; its reservation stays", name, what);
        goto out;
    }
    if (c->reserved)
        ret = undo_reservation(c->o.state_dir, name, &c->plan,
                               c->had_old ? &c->old : NULL, &undone);
    if (ret)
        cli_err("create: cannot create domain '%s': %s; and its "
                "reservation could not be undone (see "
                "'" XLS_PROG " release')", name, what);
    else if (!undone)
        cli_err("create: cannot create domain '%s': %s; its "
                "reservation was changed or released by another "
                "program meanwhile and is left as it is", name, what);
    else
        cli_err("create: cannot create domain '%s': %s (nothing "
                "changed)", name, what);
out:
    free(why);
    return XLS_EXIT_CANNOT_RUN;
}

int main_create(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dryrun", 0, 0, 'n'},
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"state-dir", 1, 0, 'S'},
        CLI_FINDING_OPTS,
        COMMON_LONG_OPTS
    };
    struct create c;
    int opt, ret;

    create_init(&c);
    SWITCH_FOREACH_OPT(opt, "njW:", opts, "create", 1) {
    case 'n':
        c.dry = true;
        break;
    default:
        cli_opt(&c.o, opt);
        break;
    }

    if (argc - optind > 1) {
        cli_err("create: one cfg file, not %d", argc - optind);
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    c.cfg = argv[optind];

    ret = check_and_plan(&c);
    if (!ret)
        ret = compare_reservation(&c);
    if (!ret && !c.dry)
        ret = reserve(&c);
    if (!ret && !c.dry)
        ret = run_xl(&c);
    if (ret)
        goto out;

    if (c.o.json) {
        ret = cli_json_print(json_create, &c);
    } else {
        cli_print_diags_text(stderr, &c.in.diags);
        print_text(&c);
    }

out:
    create_dispose(&c);
    return ret;
}
