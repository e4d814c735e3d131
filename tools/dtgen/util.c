/* Small helpers shared by the guest and host device-tree builders. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtg_internal.h"
#include "lxs_internal.h"

void dtg__set_cells(fdt32_t **cellp, unsigned int nr_cells, uint64_t val)
{
    unsigned int i = nr_cells;

    while (i--) {
        (*cellp)[i] = cpu_to_fdt32((uint32_t)val);
        val >>= 32;
    }
    *cellp += nr_cells;
}

uint64_t dtg__get_cells(const fdt32_t **cellp, unsigned int nr_cells)
{
    uint64_t val = 0;
    unsigned int i;

    for (i = 0; i < nr_cells; i++)
        val = (val << 32) | fdt32_to_cpu((*cellp)[i]);
    *cellp += nr_cells;
    return val;
}

bool dtg__fits_cells(uint64_t val, unsigned int nr_cells)
{
    return nr_cells >= 2 || val <= UINT32_MAX;
}

static int read_cells(const void *fdt, int node, const char *name,
                      unsigned int *val_r)
{
    const fdt32_t *p;
    int len;
    uint32_t v;

    p = fdt_getprop(fdt, node, name, &len);
    if (!p)
        return len == -FDT_ERR_NOTFOUND ? 0 : len;
    if (len != sizeof(*p))
        return -FDT_ERR_BADNCELLS;
    v = fdt32_to_cpu(*p);
    if (v != 1 && v != 2)
        return -FDT_ERR_BADNCELLS;
    *val_r = v;
    return 0;
}

int dtg__node_cells(const void *fdt, int node, unsigned int *addr_r,
                    unsigned int *size_r)
{
    unsigned int a = *addr_r, s = *size_r;
    int r;

    r = read_cells(fdt, node, "#address-cells", &a);
    if (r)
        return r;
    r = read_cells(fdt, node, "#size-cells", &s);
    if (r)
        return r;
    *addr_r = a;
    *size_r = s;
    return 0;
}

int dtg__fdt_errno(int fdt_err)
{
    switch (fdt_err) {
    case -FDT_ERR_NOSPACE:
        return -E2BIG;
    case -FDT_ERR_NOTFOUND:
        return -ENOENT;
    case -FDT_ERR_EXISTS:
        return -EEXIST;
    case -FDT_ERR_BADVALUE:
    case -FDT_ERR_BADPATH:
        return -EINVAL;
    default:
        /* a malformed tree: bad magic, version, structure, cells */
        return -EBADMSG;
    }
}


int dtg__exact_node(const void *fdt, const char *path)
{
    int node = fdt_path_offset(fdt, path);
    const char *name;

    if (node < 0)
        return node;
    name = fdt_get_name(fdt, node, NULL);
    if (!name || strcmp(name, strrchr(path, '/') + 1))
        return -FDT_ERR_NOTFOUND;
    return node;
}
