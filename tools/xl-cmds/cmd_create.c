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
    size_t len = 0;
    ssize_t n;
    pid_t pid = -1, r;
    char buf[256];

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

    while (out) {
        n = read(out_pipe[0], buf, sizeof(buf));
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
    if (out) {
        out[len < out_size - 1 ? len : out_size - 1] = '\0';
        *out_len_r = len;
    }

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

static void print_text(const struct lxs_spec *spec,
                       const struct lxs_plan *plan, enum resv_change change,
                       bool dry, int domid)
{
    char size[LXS_SIZE_STRLEN];
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
    if (dry)
        printf("dry run, nothing changed\n");
    else
        printf("created, domid %d\n", domid);
    printf("  %-12s %s\n", "reservation", what[change]);
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
        printf("  %-12s 0x%" PRIx64 "\n", "dma-offset", plan->dma_offset);
}

/* With errors: no plan, "extents" empty and the findings. */
static int print_json(const struct lxs_spec *spec,
                      const struct lxs_plan *plan, enum resv_change change,
                      bool dry, int domid, const struct lxs_diags *diags)
{
    bool ok = !diags->nr_errors;
    yajl_gen g = NULL;
    int rc;

    JSON(cli_json_new(&g));
    JSON(cli_json_map_open(g));
    JSON(cli_json_key(g, "name"));
    JSON(cli_json_str(g, spec ? spec->name : NULL));
    JSON(cli_json_key(g, "file"));
    JSON(cli_json_str(g, spec ? spec->file : NULL));
    JSON(cli_json_key(g, "domid"));
    if (ok && !dry)
        JSON(cli_json_uint(g, (uint64_t)domid));
    else
        JSON(cli_json_null(g));
    JSON(cli_json_key(g, "dry_run"));
    JSON(cli_json_bool(g, dry));
    JSON(cli_json_key(g, "reservation"));
    JSON(cli_json_str(g, ok ? resv_change_name[change] : NULL));
    JSON(cli_json_key(g, "direct_map"));
    JSON(cli_json_bool(g, ok && plan->direct_map));
    JSON(cli_json_extents(g, plan->ext, ok ? plan->nr_ext : 0));
    JSON(cli_json_key(g, "dma_offset"));
    if (ok && plan->has_dma_offset)
        JSON(cli_json_hex(g, plan->dma_offset));
    else
        JSON(cli_json_null(g));
    JSON(cli_json_diags(g, diags));
    JSON(cli_json_map_close(g));
    rc = cli_json_finish(g, stdout);
    g = NULL;
out:
    if (g)
        yajl_gen_free(g);
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

int main_create(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dryrun", 0, 0, 'n'},
        {"json", 0, 0, 'j'},
        {"host-dtb", 1, 0, 'H'},
        {"state-dir", 1, 0, 'S'},
        COMMON_LONG_OPTS
    };
    struct lxs_check_opts copts = { .mode = LXS_MODE_RUNTIME };
    const struct lxs_reservation *had;
    enum resv_change change = RESV_NONE;
    struct lxs_hostmap map;
    struct lxs_registry reg;
    struct lxs_diags diags;
    struct lxs_plan plan, old;
    struct lxs_spec *spec = NULL;
    const char *host_dtb = NULL, *state_dir = NULL, *cfg, *what;
    char *why = NULL, *build_why = NULL;
    bool json = false, dry = dryrun_only, reserved = false, had_old = false;
    bool created, undone;
    int opt, rc, ret, domid = -1;

    SWITCH_FOREACH_OPT(opt, "nj", opts, "create", 1) {
    case 'n':
        dry = true;
        break;
    case 'j':
        json = true;
        break;
    case 'H':
        host_dtb = optarg;
        break;
    case 'S':
        state_dir = optarg;
        break;
    }

    lxs_hostmap_init(&map);
    lxs_registry_init(&reg);
    lxs_diags_init(&diags);
    lxs_plan_init(&plan);
    lxs_plan_init(&old);

    if (argc - optind > 1) {
        cli_err("create: one cfg file, not %d", argc - optind);
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    cfg = argv[optind];

    ret = cli_load_hostmap(host_dtb, &map);
    if (ret)
        goto out;
    ret = cli_load_specs(argv + optind, 1, &spec, &diags);
    if (ret)
        goto out;
    /* locked from here to the reservation's commit (-n: to the end) */
    ret = cli_open_registry(state_dir, dry ? 0 : LXS_REGISTRY_WRITE, &reg);
    if (ret)
        goto out;
    ret = cli_registry_to_hostmap(&reg, &map);
    if (ret)
        goto out;

    rc = lxs_check(&map, spec, 1, &copts, &diags, &plan);
    if (rc && (rc != -EINVAL || !diags.nr_errors)) {
        cli_err("create: check failed: %s", strerror(-rc));
        ret = XLS_EXIT_CANNOT_RUN;
        goto out;
    }
    if (diags.nr_errors) {
        if (json) {
            if (print_json(spec, &plan, change, dry, domid, &diags))
                cli_err("cannot write JSON");
        } else {
            cli_print_diags_text(stderr, &diags);
            cli_print_diags_count(stderr, &diags, 1);
        }
        ret = XLS_EXIT_FINDINGS;
        goto out;
    }

    had = lxs_registry_find(&reg, spec->name);
    if (plan.nr_ext)
        change = !had ? RESV_NEW : lxs_reservation_is(had, &plan) ? RESV_SAME :
                 RESV_REPLACED;
    if (had && plan.nr_ext) {
        rc = plan_of_reservation(had, &old);
        if (rc) {
            cli_err("create: %s", strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
        had_old = true;
    }

    if (!dry) {
        if (plan.nr_ext) {
            rc = lxs_registry_set(&reg, spec->name, &plan);
            if (!rc)
                rc = lxs_registry_commit(&reg, &why);
            if (rc) {
                cli_err("create: cannot reserve the memory of '%s' in "
                        "'%s/%s': %s", spec->name, lxs_registry_dir(state_dir),
                        LXS_REGISTRY_FILE, why ? why :
                        rc == -EINVAL ? "the name cannot be recorded" :
                        strerror(-rc));
                ret = XLS_EXIT_CANNOT_RUN;
                goto out;
            }
            reserved = true;
        }
        /*
         * Unlocked from here: libxl in the xl child takes the same lock.
         * The reservation keeps other creators off these extents, and
         * the hypervisor's claim decides between two that race anyway.
         */
        lxs_registry_close(&reg);

        rc = build_domain(cfg, spec->name, json, lxs_registry_dir(state_dir),
                          lxs_host_dtb_path(host_dtb), &domid, &created,
                          &build_why);
        what = build_why ? build_why : strerror(-rc);
        if (rc && created) {
            cli_err("create: domain '%s' was created, but its id is "
                    "unknown: %s; its reservation stays", spec->name, what);
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
        if (rc) {
            ret = 0;
            undone = true;
            if (reserved)
                ret = undo_reservation(state_dir, spec->name, &plan,
                                       had_old ? &old : NULL, &undone);
            if (ret)
                cli_err("create: cannot create domain '%s': %s; and its "
                        "reservation could not be undone (see "
                        "'" XLS_PROG " release')", spec->name, what);
            else if (!undone)
                cli_err("create: cannot create domain '%s': %s; its "
                        "reservation was changed or released by another "
                        "program meanwhile and is left as it is",
                        spec->name, what);
            else
                cli_err("create: cannot create domain '%s': %s (nothing "
                        "changed)", spec->name, what);
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    }

    if (json) {
        rc = print_json(spec, &plan, change, dry, domid, &diags);
        if (rc) {
            cli_err("cannot write JSON: %s", strerror(-rc));
            ret = XLS_EXIT_CANNOT_RUN;
            goto out;
        }
    } else {
        cli_print_diags_text(stderr, &diags);
        print_text(spec, &plan, change, dry, domid);
    }
    ret = XLS_EXIT_OK;

out:
    free(build_why);
    free(why);
    lxs_plan_dispose(&old);
    lxs_plan_dispose(&plan);
    cli_specs_free(spec, 1);
    lxs_diags_dispose(&diags);
    lxs_registry_close(&reg);       /* drops the lock, if still held */
    lxs_hostmap_dispose(&map);
    return ret;
}
