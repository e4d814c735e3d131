/*
 * hvtool: the static-extent hypercalls from a shell, for the e2e
 * scenarios (it runs in dom0 and in guests).
 *
 *   hvtool claim DOMID MFN GFN NR [COUNTER-FILE]
 *   hvtool release DOMID MFN NR
 *   hvtool query
 *   hvtool directmap-create
 *   hvtool maxmem DOMID KIB
 *   hvtool fill DOMID GFN NR BYTE
 *   hvtool check DOMID GFN NR BYTE
 *   hvtool hold DOMID GFN SECS
 *   hvtool peek DOMID GFN NWORDS
 *   hvtool dm-domain
 *   hvtool destroy DOMID
 *   hvtool populate DOMID GFN
 *   hvtool decrease DOMID GFN
 *
 * Numbers are decimal or 0x-hex; MFN, GFN and NR are 4 KiB frames.
 * claim and release print "OK" or "ERR <ERRNO-NAME> <errno>: <message>";
 * query prints one line per entry:
 *   <type> <start_mfn> <nr_mfns> <owner|-> <gfn|-> <flags|->
 * after a line "# generation N entries M".  With COUNTER-FILE, claim
 * reads the number in that file (another process keeps rewriting it)
 * just before and just after the hypercall, and prints after its result
 * "COUNTER <before> <after> <microseconds the hypercall took>": how far
 * that process got while the claim was in the hypervisor.
 * directmap-create asks Xen
 * for a domain with XEN_DOMCTL_CDF_static_directmap (RAM-only direct
 * map), prints "OK <domid>" and destroys it again, or prints the error
 * as above.  maxmem sets a domain's max_mem (XEN_DOMCTL_max_mem, so that
 * a claim can be larger than xl's slack).  fill and check map NR frames
 * of a domain from GFN (foreign mapping, as a device model does) and
 * write BYTE to every byte, or check that every byte is BYTE; check
 * prints "OK" or "DIFF gfn <gfn> offset <off> value <v>" (the first
 * difference).  hold maps one frame, prints "HELD", keeps the mapping
 * for SECS seconds and unmaps it.  peek maps one frame read-only and
 * prints its first NWORDS (at most 512) little-endian 64-bit words, one
 * "0x%016x" line each (what a guest left there for dom0).  dm-domain creates an empty domain
 * with XEN_DOMCTL_CDF_static_directmap and keeps it ("OK <domid>");
 * destroy destroys a domain.  populate and decrease make
 * XENMEM_populate_physmap and XENMEM_decrease_reservation for one frame
 * of a domain at GFN (for a direct-mapped domain, populate maps its own
 * frame GFN again; decrease unmaps it and the domain keeps it).
 * Exit status: 0 success, 1 the
 * hypervisor refused (or check found a difference), 2 usage or cannot
 * open the interface.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xencall.h>
#include <xenforeignmemory.h>
#include <xen/domctl.h>
#include <xen/memory.h>

#include "libxlstatic.h"
#include "lxs_hv.h"

/*
 * hypervisor-hooks patch 7 (the creation flag); not in the headers of an
 * unpatched Xen.
 */
#ifndef XEN_DOMCTL_CDF_static_directmap
#define XEN_DOMCTL_CDF_static_directmap (1U << 31)
#endif

/*
 * XEN_STATIC_EXTENT_F_directmap (hypervisor-hooks patch 10): a boot bank
 * mapped 1:1 at boot.  The library has no name for it yet.
 */
#ifndef LXS_HV_F_DIRECTMAP
#define LXS_HV_F_DIRECTMAP (1u << 7)
#endif

static const char *errno_name(int err)
{
    static const struct {
        int err;
        const char *name;
    } names[] = {
        { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
        { E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
        { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
        { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { EAGAIN, "EAGAIN" },
        { ENOSYS, "ENOSYS" }, { EPROTO, "EPROTO" },
        { EOPNOTSUPP, "EOPNOTSUPP" },
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].err == err)
            return names[i].name;
    return "E?";
}

static const char *type_name(enum lxs_hv_type type)
{
    switch (type) {
    case LXS_HV_RAM:
        return "ram";
    case LXS_HV_POOL_FREE:
        return "pool-free";
    case LXS_HV_RESERVED:
        return "reserved";
    case LXS_HV_OWNED:
        return "owned";
    }
    return "unknown";
}

static void print_flags(unsigned int flags)
{
    static const struct {
        unsigned int flag;
        const char *name;
    } names[] = {
        { LXS_HV_F_POOL, "pool" }, { LXS_HV_F_BOOT, "boot" },
        { LXS_HV_F_PENDING, "pending" }, { LXS_HV_F_MEMRESERVE, "memreserve" },
        { LXS_HV_F_RESERVED_MEM, "reserved-memory" },
        { LXS_HV_F_STATIC_HEAP, "static-heap" }, { LXS_HV_F_XEN, "xen" },
        { LXS_HV_F_DIRECTMAP, "directmap" },
    };
    const char *sep = "";
    size_t i;

    if (!flags) {
        printf("-");
        return;
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].flag) {
            printf("%s%s", sep, names[i].name);
            sep = ",";
        }
}

static int usage(void)
{
    fprintf(stderr, "usage: hvtool claim DOMID MFN GFN NR [COUNTER-FILE]\n"
                    "       hvtool release DOMID MFN NR\n"
                    "       hvtool query\n"
                    "       hvtool directmap-create\n"
                    "       hvtool maxmem DOMID KIB\n"
                    "       hvtool fill DOMID GFN NR BYTE\n"
                    "       hvtool check DOMID GFN NR BYTE\n"
                    "       hvtool hold DOMID GFN SECS\n"
                    "       hvtool peek DOMID GFN NWORDS\n"
                    "       hvtool dm-domain\n"
                    "       hvtool destroy DOMID\n"
                    "       hvtool populate DOMID GFN\n"
                    "       hvtool decrease DOMID GFN\n");
    return 2;
}

/*
 * Parses argv[first..first+n) into v[]; v[0] is a domain id.  False
 * (with a message) if one is bad.
 */
static bool numbers(char **argv, int first, int n, uint64_t *v)
{
    int i;

    for (i = 0; i < n; i++)
        if (lxs_parse_u64(argv[first + i], &v[i])) {
            fprintf(stderr, "hvtool: '%s' is not a number\n",
                    argv[first + i]);
            return false;
        }
    if (v[0] > UINT32_MAX) {
        fprintf(stderr, "hvtool: '%s' is not a domain id\n", argv[first]);
        return false;
    }
    return true;
}

static int report(const char *op, int rc)
{
    if (!rc) {
        printf("OK\n");
        return 0;
    }
    printf("ERR %s %d: %s\n", errno_name(-rc), rc, lxs_hv_strerror(op, rc));
    return 1;
}

/*
 * The number in PATH, which its writer truncates and rewrites: a read
 * that lands in between finds it empty and is tried again.
 */
static int read_counter(const char *path, unsigned long long *v)
{
    char buf[32];
    int tries;

    for (tries = 0; tries < 1000; tries++) {
        FILE *f = fopen(path, "r");
        size_t n;

        if (!f)
            return -errno;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        if (n && buf[0] >= '0' && buf[0] <= '9') {
            *v = strtoull(buf, NULL, 10);
            return 0;
        }
    }
    return -EAGAIN;
}

static uint64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* claim, with the counter in PATH read around the hypercall. */
static int claim_counted(struct lxs_hv *hv, const uint64_t *v,
                         const char *path)
{
    unsigned long long before, after;
    uint64_t t0, t1;
    int rc, ret;

    rc = read_counter(path, &before);
    if (rc) {
        fprintf(stderr, "hvtool: cannot read '%s': %s\n", path,
                strerror(-rc));
        return 2;
    }
    t0 = now_us();
    rc = lxs_hv_claim(hv, (uint32_t)v[0], v[1], v[2], v[3]);
    t1 = now_us();
    ret = report("claim", rc);
    rc = read_counter(path, &after);
    if (rc) {
        fprintf(stderr, "hvtool: cannot read '%s': %s\n", path,
                strerror(-rc));
        return 2;
    }
    printf("COUNTER %llu %llu %" PRIu64 "\n", before, after, t1 - t0);
    return ret;
}

static int query(struct lxs_hv *hv)
{
    struct lxs_hv_map m;
    size_t i;
    int rc;

    lxs_hv_map_init(&m);
    rc = lxs_hv_query(hv, &m);
    if (rc) {
        report("query", rc);
        goto out;
    }
    printf("# generation %" PRIu64 " entries %zu\n", m.generation, m.nr);
    for (i = 0; i < m.nr; i++) {
        const struct lxs_hv_entry *e = &m.v[i];

        printf("%s 0x%" PRIx64 " 0x%" PRIx64 " ", type_name(e->type),
               e->start_mfn, e->nr_mfns);
        if (e->owner == LXS_HV_NO_OWNER)
            printf("- ");
        else
            printf("%" PRIu32 " ", e->owner);
        if (e->gfn == LXS_HV_NO_GFN)
            printf("- ");
        else
            printf("0x%" PRIx64 " ", e->gfn);
        print_flags(e->flags);
        printf("\n");
    }
out:
    lxs_hv_map_dispose(&m);
    return rc ? 1 : 0;
}

/* One domctl in a hypercall buffer, copied back.  0 or -errno. */
static int domctl(xencall_handle *xc, struct xen_domctl *dc)
{
    struct xen_domctl *buf;
    int r, rc = 0;

    buf = xencall_alloc_buffer(xc, sizeof(*buf));
    if (!buf)
        return -ENOMEM;
    memcpy(buf, dc, sizeof(*buf));
    errno = 0;
    r = xencall1(xc, __HYPERVISOR_domctl, (uint64_t)(uintptr_t)buf);
    if (r < 0)
        rc = errno ? -errno : -EIO;
    memcpy(dc, buf, sizeof(*dc));
    xencall_free_buffer(xc, buf);
    return rc;
}

/* A privcmd handle, or NULL after saying why it could not be had. */
static void *opened(void *handle)
{
    if (!handle)
        fprintf(stderr, "hvtool: cannot open privcmd: %s\n",
                strerror(errno));
    return handle;
}

/* A domctl @cmd for @domid, with nothing else in it. */
static void domctl_init(struct xen_domctl *dc, uint32_t cmd, uint32_t domid)
{
    memset(dc, 0, sizeof(*dc));
    dc->cmd = cmd;
    dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc->domain = (domid_t)domid;
}

/* Destroys a domain, again while Xen says EAGAIN.  0 or -errno. */
static int destroy_domain(xencall_handle *xc, uint32_t domid)
{
    struct xen_domctl dc;
    int rc;

    do {
        domctl_init(&dc, XEN_DOMCTL_destroydomain, domid);
        rc = domctl(xc, &dc);
    } while (rc == -EAGAIN);
    return rc;
}

/*
 * Creates a domain with XEN_DOMCTL_CDF_static_directmap (and nothing
 * else in it), then destroys it.  Xen refuses the flag with EPERM unless
 * it was booted with "static-extent-directmap".
 */
static int directmap_create(bool keep)
{
    struct xen_domctl dc;
    xencall_handle *xc;
    uint32_t domid;
    int rc;

    xc = opened(xencall_open(NULL, 0));
    if (!xc)
        return 2;

    domctl_init(&dc, XEN_DOMCTL_createdomain, 0);    /* 0: any free id */
    dc.u.createdomain.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
                              XEN_DOMCTL_CDF_static_directmap;
    dc.u.createdomain.max_vcpus = 1;
    dc.u.createdomain.max_evtchn_port = 1023;
    dc.u.createdomain.max_grant_frames = 32;
    dc.u.createdomain.max_maptrack_frames = 1024;
    dc.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
    /* arch: zero is the native GIC and no TEE on Arm. */
    rc = domctl(xc, &dc);
    if (rc) {
        printf("ERR %s %d: %s\n", errno_name(-rc), rc,
               rc == -EPERM ? "refused: Xen was not booted with "
                              "static-extent-directmap" : strerror(-rc));
        xencall_close(xc);
        return 1;
    }

    domid = dc.domain;
    printf("OK %" PRIu32 "\n", domid);
    if (keep) {
        xencall_close(xc);
        return 0;
    }
    rc = destroy_domain(xc, domid);
    if (rc)
        fprintf(stderr, "hvtool: destroying domain %" PRIu32 ": %s\n",
                domid, strerror(-rc));
    xencall_close(xc);
    return 0;
}

/* Destroys a domain. */
static int destroy(uint32_t domid)
{
    xencall_handle *xc;
    int rc;

    xc = opened(xencall_open(NULL, 0));
    if (!xc)
        return 2;
    rc = destroy_domain(xc, domid);
    xencall_close(xc);
    return report("destroy", rc);
}

/*
 * XENMEM_populate_physmap (@populate) or XENMEM_decrease_reservation for
 * the one frame @gfn of a domain.
 */
static int reservation(uint32_t domid, uint64_t gfn, bool populate)
{
    struct xen_memory_reservation *res;
    xencall_handle *xc;
    xen_pfn_t *pfn;
    int r, rc = 0;

    xc = opened(xencall_open(NULL, 0));
    if (!xc)
        return 2;
    res = xencall_alloc_buffer(xc, sizeof(*res));
    pfn = xencall_alloc_buffer(xc, sizeof(*pfn));
    if (!res || !pfn) {
        rc = -ENOMEM;
        goto out;
    }
    memset(res, 0, sizeof(*res));
    *pfn = gfn;
    set_xen_guest_handle(res->extent_start, pfn);
    res->nr_extents = 1;
    res->extent_order = 0;
    res->domid = (domid_t)domid;
    errno = 0;
    r = xencall2(xc, __HYPERVISOR_memory_op,
                 populate ? XENMEM_populate_physmap
                          : XENMEM_decrease_reservation,
                 (uint64_t)(uintptr_t)res);
    if (r < 0)
        rc = errno ? -errno : -EIO;
    else if (r != 1)
        rc = -EBUSY;            /* the frame was not done: refused */
out:
    if (res)
        xencall_free_buffer(xc, res);
    if (pfn)
        xencall_free_buffer(xc, pfn);
    xencall_close(xc);
    return report(populate ? "populate" : "decrease", rc);
}

/* Sets a domain's max_mem, in KiB. */
static int maxmem(uint32_t domid, uint64_t kib)
{
    struct xen_domctl dc;
    xencall_handle *xc;
    int rc;

    xc = opened(xencall_open(NULL, 0));
    if (!xc)
        return 2;
    domctl_init(&dc, XEN_DOMCTL_max_mem, domid);
    dc.u.max_mem.max_memkb = kib;
    rc = domctl(xc, &dc);
    xencall_close(xc);
    if (rc) {
        printf("ERR %s %d: %s\n", errno_name(-rc), rc, strerror(-rc));
        return 1;
    }
    printf("OK\n");
    return 0;
}

/* Frames mapped at once by fill and check, and the size of one. */
#define MAP_CHUNK 256
#define HV_PAGE_BYTES 4096

/*
 * fill (@check false) or check the bytes of frames [gfn, gfn + nr) of a
 * domain, through foreign mappings.
 */
static int fill_check(uint32_t domid, uint64_t gfn, uint64_t nr,
                      unsigned int byte, bool check)
{
    xenforeignmemory_handle *fm;
    xen_pfn_t pfns[MAP_CHUNK];
    int errs[MAP_CHUNK];
    uint64_t done = 0;
    size_t i, n;
    int ret = 0;

    fm = opened(xenforeignmemory_open(NULL, 0));
    if (!fm)
        return 2;
    while (done < nr && !ret) {
        unsigned char *p;

        n = nr - done < MAP_CHUNK ? nr - done : MAP_CHUNK;
        for (i = 0; i < n; i++)
            pfns[i] = gfn + done + i;
        p = xenforeignmemory_map(fm, domid, PROT_READ | PROT_WRITE, n, pfns,
                                 errs);
        if (!p) {
            printf("ERR %s %d: cannot map gfn 0x%" PRIx64 "\n",
                   errno_name(errno), -errno, gfn + done);
            ret = 1;
            break;
        }
        for (i = 0; i < n && !ret; i++) {
            unsigned char *pg = p + i * HV_PAGE_BYTES;
            size_t off;

            if (errs[i]) {
                printf("ERR %s %d: cannot map gfn 0x%" PRIx64 "\n",
                       errno_name(-errs[i]), errs[i], gfn + done + i);
                ret = 1;
                break;
            }
            if (!check) {
                memset(pg, (int)byte, HV_PAGE_BYTES);
                continue;
            }
            for (off = 0; off < HV_PAGE_BYTES; off++)
                if (pg[off] != byte) {
                    printf("DIFF gfn 0x%" PRIx64 " offset 0x%zx value "
                           "0x%02x\n", gfn + done + i, off, pg[off]);
                    ret = 1;
                    break;
                }
        }
        xenforeignmemory_unmap(fm, p, n);
        done += n;
    }
    xenforeignmemory_close(fm);
    if (!ret)
        printf("OK\n");
    return ret;
}

/*
 * Maps frame @gfn of a domain read-only into *@p_r, through a handle
 * *@fm_r that the caller closes after unmapping.  0, or the exit status
 * (1 cannot map, having printed why; 2 no handle) with nothing open.
 */
static int map_frame(uint32_t domid, uint64_t gfn,
                     xenforeignmemory_handle **fm_r, void **p_r)
{
    xenforeignmemory_handle *fm;
    xen_pfn_t pfn = gfn;
    int err = 0;
    void *p;

    fm = opened(xenforeignmemory_open(NULL, 0));
    if (!fm)
        return 2;
    p = xenforeignmemory_map(fm, domid, PROT_READ, 1, &pfn, &err);
    if (p && !err) {
        *fm_r = fm;
        *p_r = p;
        return 0;
    }
    err = p ? err : -errno;
    printf("ERR %s %d: cannot map gfn 0x%" PRIx64 "\n", errno_name(-err),
           err, gfn);
    if (p)
        xenforeignmemory_unmap(fm, p, 1);
    xenforeignmemory_close(fm);
    return 1;
}

/* Maps one frame of a domain and keeps the mapping for @secs seconds. */
static int hold(uint32_t domid, uint64_t gfn, uint64_t secs)
{
    xenforeignmemory_handle *fm;
    void *p;
    int ret;

    ret = map_frame(domid, gfn, &fm, &p);
    if (ret)
        return ret;
    printf("HELD\n");
    fflush(stdout);
    sleep((unsigned int)secs);
    xenforeignmemory_unmap(fm, p, 1);
    xenforeignmemory_close(fm);
    return 0;
}

/* Prints the first @nwords 64-bit words of frame @gfn of a domain. */
static int peek(uint32_t domid, uint64_t gfn, uint64_t nwords)
{
    xenforeignmemory_handle *fm;
    const uint64_t *w;
    uint64_t i;
    void *p;
    int ret;

    ret = map_frame(domid, gfn, &fm, &p);
    if (ret)
        return ret;
    w = p;
    for (i = 0; i < nwords; i++)
        printf("0x%016" PRIx64 "\n", w[i]);    /* both little endian */
    xenforeignmemory_unmap(fm, p, 1);
    xenforeignmemory_close(fm);
    return 0;
}

int main(int argc, char **argv)
{
    struct lxs_hv *hv = NULL;
    uint64_t v[4];
    int rc, ret;

    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "directmap-create"))
        return argc == 2 ? directmap_create(false) : usage();
    if (!strcmp(argv[1], "dm-domain"))
        return argc == 2 ? directmap_create(true) : usage();
    if (!strcmp(argv[1], "destroy"))
        return argc == 3 && numbers(argv, 2, 1, v) ?
               destroy((uint32_t)v[0]) : usage();
    if (!strcmp(argv[1], "populate") || !strcmp(argv[1], "decrease"))
        return argc == 4 && numbers(argv, 2, 2, v) ?
               reservation((uint32_t)v[0], v[1], argv[1][0] == 'p') :
               usage();
    if (!strcmp(argv[1], "maxmem"))
        return argc == 4 && numbers(argv, 2, 2, v) ?
               maxmem((uint32_t)v[0], v[1]) : usage();
    if (!strcmp(argv[1], "fill") || !strcmp(argv[1], "check"))
        return argc == 6 && numbers(argv, 2, 4, v) && v[3] <= 0xff ?
               fill_check((uint32_t)v[0], v[1], v[2], (unsigned int)v[3],
                          argv[1][0] == 'c') : usage();
    if (!strcmp(argv[1], "hold"))
        return argc == 5 && numbers(argv, 2, 3, v) ?
               hold((uint32_t)v[0], v[1], v[2]) : usage();
    if (!strcmp(argv[1], "peek"))
        return argc == 5 && numbers(argv, 2, 3, v) &&
               v[2] <= HV_PAGE_BYTES / sizeof(uint64_t) ?
               peek((uint32_t)v[0], v[1], v[2]) : usage();

    rc = lxs_hv_open(&hv, NULL);
    if (rc) {
        fprintf(stderr, "hvtool: %s\n", lxs_hv_strerror("open", rc));
        return 2;
    }

    if (!strcmp(argv[1], "claim") && argc == 6) {
        ret = numbers(argv, 2, 4, v) ?
              report("claim", lxs_hv_claim(hv, (uint32_t)v[0], v[1], v[2],
                                           v[3])) : 2;
    } else if (!strcmp(argv[1], "claim") && argc == 7) {
        ret = numbers(argv, 2, 4, v) ? claim_counted(hv, v, argv[6]) : 2;
    } else if (!strcmp(argv[1], "release") && argc == 5) {
        ret = numbers(argv, 2, 3, v) ?
              report("release", lxs_hv_release(hv, (uint32_t)v[0], v[1],
                                               v[2])) : 2;
    } else if (!strcmp(argv[1], "query") && argc == 2) {
        ret = query(hv);
    } else {
        ret = usage();
    }

    lxs_hv_close(hv);
    return ret;
}
