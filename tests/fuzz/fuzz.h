/*
 * tests/fuzz: what the libFuzzer targets share.
 *
 * A target feeds its input to the library and then checks the result
 * against the contracts of libxlstatic.h and dtgen.h: an error code a
 * function does not document, a message that is not one line, a plan
 * that breaks the placement rules of docs/placement.md or a device tree
 * that libfdt rejects is a finding, reported with fz_fail() (which
 * aborts, so that libFuzzer saves the input), just as a crash, a leak
 * or undefined behaviour caught by the sanitizers is.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "dtgen.h"
#include "libxlstatic.h"

/* The libFuzzer entry point (no header of libFuzzer declares it). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz: finding: ..." to stderr and aborts. */
void fz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#define FZ_ASSERT(cond, ...) do {                                       \
        if (!(cond))                                                    \
            fz_fail(__VA_ARGS__);                                       \
    } while (0)

/*
 * A host map with every kind of region, the shape of the CLI fixture
 * host (tests/cli/fixtures/host.dts): two RAM banks, reserved regions,
 * a dom0less domain "domU1" that owns memory, a static pool in each
 * bank.  Built once, never disposed (the process ends with libFuzzer).
 */
const struct lxs_hostmap *fz_fixed_hostmap(void);

/*
 * A message from the library: not NULL, not empty, one line, no final
 * stop (the style of every message, libxlstatic.h).  @what names it.
 */
void fz_check_message(const char *msg, const char *what);

/* Every finding has a known code and severity and a well-formed message. */
void fz_check_diags(const struct lxs_diags *diags);

/*
 * lxs_check's result: @rc is 0 or -EINVAL, -EINVAL exactly when there is
 * an error finding or a spec with a syntax error; every plan that has
 * extents obeys the placement rules against @map (docs/placement.md):
 * aligned, in RAM, clear of reserved and foreign owned memory, in (run
 * time) or out of (boot) the pool, no overlap with itself or with
 * another domain, the sizes adding up to memory, guest == host when
 * direct-mapped, guest order, dma-offset, windows clear of guest RAM.
 */
void fz_check_plans(const struct lxs_hostmap *map,
                    const struct lxs_spec *specs, size_t nr,
                    enum lxs_check_mode mode, int rc,
                    const struct lxs_diags *diags,
                    const struct lxs_plan *plans);

/*
 * True when spec @i has no error finding among @diags (findings name
 * their cfg file; specs here have distinct file labels).
 */
int fz_spec_clean(const struct lxs_spec *spec, const struct lxs_diags *diags);

/*
 * Builds the guest DT of a planned, error-free spec, which must work
 * (what lxs_check accepts, dtgen must describe), and checks the blob.
 * With a partial device tree (@partial not NULL), dtgen may refuse it
 * as malformed (-EBADMSG) or too large (-E2BIG), with a message.
 */
void fz_guest_fdt(const struct lxs_spec *spec, const struct lxs_plan *plan,
                  int gic_default, const void *partial, size_t partial_len);

#endif /* FUZZ_H */
