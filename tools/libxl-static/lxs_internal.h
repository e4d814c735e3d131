/*
 * Internal to libxlstatic (prefix lxs__).  Every allocation in the
 * library goes through these wrappers so that a test can make the n-th
 * one fail (see alloc.c).
 */
#ifndef LXS_INTERNAL_H
#define LXS_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "libxlstatic.h"

void *lxs__malloc(size_t size);
void *lxs__calloc(size_t nmemb, size_t size);
void *lxs__realloc(void *ptr, size_t size);
char *lxs__strdup(const char *s);
char *lxs__strndup(const char *s, size_t n);
/* vasprintf/asprintf through the same failure point; NULL on failure. */
char *lxs__vasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
char *lxs__asprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/*
 * *why_r = the formatted message, one line, when why_r is not NULL (the
 * old message freed; best effort: NULL when out of memory).
 */
void lxs__why(char **why_r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Grows *v (of *alloc elements of @elem bytes) so that it holds at
 * least @need elements.  -ENOMEM (and *v unchanged) on failure or on
 * size overflow.
 */
int lxs__grow(void **v, size_t *alloc, size_t need, size_t elem);

/*
 * Moves every finding of @src to the end of @dst (src is left empty).
 * Fails only before moving anything: -ENOMEM, both unchanged.  Lets a
 * call collect its findings aside and publish them only on success.
 */
int lxs__diags_splice(struct lxs_diags *dst, struct lxs_diags *src);

/*
 * cfgkeys.c: whether @key is a domain cfg key of xl or of ours, and the
 * known key nearest to an unknown @key (NULL when none is close).
 */
bool lxs__cfg_key_known(const char *key);
const char *lxs__cfg_key_suggest(const char *key);

/* The line where @spec's cfg assigns @key (may be NULL); 0 if unknown. */
unsigned int lxs__spec_key_line(const struct lxs_spec *spec, const char *key);

/*
 * Turns the control characters of @s (may be NULL) into '?', in place:
 * every message the library makes is one line, whatever the names and
 * values from outside it quotes (node names of a DTB, cfg strings, keys
 * of a registry file).
 */
void lxs__one_line(char *s);

/*
 * A domain name the registry can hold (and so one xl-static accepts in
 * a cfg): 1 to LXS_REGISTRY_NAME_MAX bytes of well-formed UTF-8 without
 * control characters.
 */
bool lxs__name_ok(const char *name);

/*
 * A device-tree node name (Devicetree specification 2.2.1): 1 to 31
 * characters of [0-9a-zA-Z,._+-], starting with a letter.  A dom0less
 * domain's name becomes its node name under /chosen.
 */
bool lxs__dt_node_name_ok(const char *name);

/*
 * fdt_check_full() for blobs from outside (the host DTB, a partial
 * DT), safe from libfdt 1.6.1's (Debian bookworm) endless loop on a
 * property length near 2^31 and its NULL dereference on a first node
 * whose name it cannot read (both fixed in dtc 1.7.0; see hostmap.c).
 * A libfdt error code (< 0) or 0; a blob it accepts is also safe for
 * the rest of libfdt's read-only functions.
 */
int lxs__fdt_check_full(const void *fdt, size_t len);

/*
 * Fault injection: when lxs__alloc_fail_at is n > 0, the n-th
 * allocation from now fails (and every later one succeeds again).
 * lxs__alloc_count counts allocations made since it was last reset.
 */
extern unsigned long lxs__alloc_fail_at;
extern unsigned long lxs__alloc_count;

/*
 * The size limit of a registry file, for the reader and the writer
 * (registry_json.c, registry_file.c): LXS_REGISTRY_MAX_SIZE.  Only tests
 * change it, to reach the limit with small registries
 * (tests/fuzz/fuzz_registry_commit.c).
 */
extern uint64_t lxs__registry_max_size;

/*
 * Fault injection for the system calls of file.c and registry_file.c:
 * when lxs__io_fail_at is n > 0, the n-th call from now fails with errno
 * lxs__io_fail_errno (EIO when 0).  lxs__io_count counts the calls.
 */
extern unsigned long lxs__io_fail_at;
extern unsigned long lxs__io_count;
extern int lxs__io_fail_errno;
bool lxs__io_fail(void);
/* A system call that returns -1 and sets errno on failure. */
#define LXS__IO(call) (lxs__io_fail() ? -1 : (call))

/* write(2) of all @len bytes, again after EINTR.  0 or -errno. */
int lxs__write_all(int fd, const void *data, size_t len);

/*
 * Opens @path with @flags (O_RDONLY, or O_RDWR | O_CREAT ... with mode
 * 0644, set whatever the umask), a regular file only (file.c): never
 * blocks in the open, the type is the descriptor's.  -errno; -EISDIR for a directory,
 * -LXS_ENOTREG for anything else that is not a regular file.
 */
int lxs__open_regular(const char *path, int flags, int *fd_r);

#endif /* LXS_INTERNAL_H */
