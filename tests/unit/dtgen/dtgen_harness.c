/* The harness of test-dtgen: files, dtc runs, golden files, properties. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "dtgen_tests.h"

static char *join(const char *env, const char *dflt, const char *rel)
{
    const char *top = getenv(env);
    char *p;

    if (!top || !*top)
        top = dflt;
    ck_assert_int_ge(asprintf(&p, "%s/%s", top, rel), 0);
    return p;
}

char *t_srcpath(const char *rel)
{
    return join("top_srcdir", "..", rel);
}

char *t_buildpath(const char *rel)
{
    return join("top_builddir", ".", rel);
}

void *t_read_file(const char *path, size_t *len_r)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, alloc = 0, n;

    ck_assert_msg(f != NULL, "cannot open %s: %s", path, strerror(errno));
    for (;;) {
        if (len == alloc) {
            alloc = alloc ? 2 * alloc : 4096;
            buf = realloc(buf, alloc + 1);
            ck_assert_ptr_nonnull(buf);
        }
        n = fread(buf + len, 1, alloc - len, f);
        if (!n)
            break;
        len += n;
    }
    ck_assert_msg(!ferror(f), "cannot read %s", path);
    fclose(f);
    buf[len] = '\0';
    *len_r = len;
    return buf;
}

void *t_fixture(const char *name, size_t *len_r)
{
    char rel[256];
    char *path;
    void *blob;

    snprintf(rel, sizeof(rel), "tests/unit/dtgen/fixtures/%s", name);
    path = t_buildpath(rel);
    blob = t_read_file(path, len_r);
    free(path);
    return blob;
}

static const char *dtc(void)
{
    const char *d = getenv("DTC");

    return d && *d ? d : "dtc";
}

static char *out_path(const char *name, const char *ext)
{
    char rel[256];
    char *dir, *p;

    dir = t_buildpath("tests/unit/dtgen/out");
    mkdir(dir, 0777);
    free(dir);
    snprintf(rel, sizeof(rel), "tests/unit/dtgen/out/%s.%s", name, ext);
    p = t_buildpath(rel);
    return p;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static int run(const char *cmd)
{
    int st = system(cmd);

    ck_assert_msg(st != -1, "cannot run %s", cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static bool justified_line(const char *line, const char *const *justified)
{
    for (; justified && *justified; justified++)
        if (strstr(line, *justified))
            return true;
    return false;
}

/*
 * dtc has no "-Wall": every check of dtc 1.6.1 (checks.c check_table,
 * Debian bookworm's dtc) but the self-test always_fail, enabled by name,
 * the strict name checks included.
 */
static const char *const dtc_checks[] = {
    "addr_size_cells", "address_cells_is_cell", "alias_paths",
    "avoid_default_addr_size", "avoid_unnecessary_addr_size",
    "chosen_node_bootargs", "chosen_node_is_root", "chosen_node_stdout_path",
    "clocks_is_cell", "clocks_property", "compatible_is_string_list",
    "cooling_device_is_cell", "cooling_device_property",
    "deprecated_gpio_property", "device_type_is_string", "dma_ranges_format",
    "dmas_is_cell", "dmas_property", "duplicate_label",
    "duplicate_node_names", "duplicate_property_names", "explicit_phandles",
    "gpios_property", "graph_child_address", "graph_endpoint", "graph_nodes",
    "graph_port", "hwlocks_is_cell", "hwlocks_property", "i2c_bus_bridge",
    "i2c_bus_reg", "interrupt_provider", "interrupts_extended_is_cell",
    "interrupts_extended_property", "interrupts_property",
    "io_channels_is_cell", "io_channels_property", "iommus_is_cell",
    "iommus_property", "label_is_string", "mboxes_is_cell",
    "mboxes_property", "model_is_string", "msi_parent_is_cell",
    "msi_parent_property", "mux_controls_is_cell", "mux_controls_property",
    "name_is_string", "name_properties", "names_is_string_list",
    "node_name_chars", "node_name_chars_strict", "node_name_format",
    "node_name_vs_property_name", "obsolete_chosen_interrupt_controller",
    "omit_unused_nodes", "path_references", "pci_bridge",
    "pci_device_bus_num", "pci_device_reg", "phandle_references",
    "phys_is_cell", "phys_property", "power_domains_is_cell",
    "power_domains_property", "property_name_chars",
    "property_name_chars_strict", "pwms_is_cell", "pwms_property",
    "ranges_format", "reg_format", "resets_is_cell", "resets_property",
    "simple_bus_bridge", "simple_bus_reg", "size_cells_is_cell",
    "sound_dai_is_cell", "sound_dai_property", "spi_bus_bridge",
    "spi_bus_reg", "status_is_string", "thermal_sensors_is_cell",
    "thermal_sensors_property", "unique_unit_address",
    "unique_unit_address_if_enabled", "unit_address_format",
    "unit_address_vs_reg",
};

void t_check_blob(const void *fdt, size_t len, const char *name,
                  const char *const *justified)
{
    char *dtb, *err, *cmd, *text, *line, *save = NULL, *flags;
    size_t tlen, i, flen = 1;
    int r;

    r = fdt_check_full(fdt, len);
    ck_assert_msg(r == 0, "%s: fdt_check_full: %s", name, fdt_strerror(r));
    ck_assert_uint_eq(fdt_totalsize(fdt), len);

    dtb = out_path(name, "dtb");
    err = out_path(name, "dtc-warnings");
    write_file(dtb, fdt, len);
    for (i = 0; i < ARRAY_SIZE(dtc_checks); i++)
        flen += strlen(dtc_checks[i]) + 4;
    flags = calloc(1, flen);
    ck_assert_ptr_nonnull(flags);
    for (i = 0; i < ARRAY_SIZE(dtc_checks); i++) {
        strcat(flags, " -W ");
        strcat(flags, dtc_checks[i]);
    }
    ck_assert_int_ge(asprintf(&cmd, "'%s' -I dtb -O dtb%s -o /dev/null "
                              "'%s' 2>'%s'", dtc(), flags, dtb, err), 0);
    free(flags);
    ck_assert_msg(run(cmd) == 0, "%s: dtc rejects the blob", name);
    free(cmd);

    text = t_read_file(err, &tlen);
    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        ck_assert_msg(justified_line(line, justified),
                      "%s: dtc warning: %s", name, line);
    free(text);
    free(dtb);
    free(err);
}

void t_golden(const char *name)
{
    char rel[256];
    char *dtb, *dts, *golden, *cmd;
    const char *update = getenv("DTG_UPDATE_GOLDEN");

    dtb = out_path(name, "dtb");
    dts = out_path(name, "dts");
    snprintf(rel, sizeof(rel), "tests/unit/dtgen/golden/%s.dts", name);
    golden = t_srcpath(rel);

    ck_assert_int_ge(asprintf(&cmd, "'%s' -q -I dtb -O dts -s -o '%s' '%s'",
                              dtc(), dts, dtb), 0);
    ck_assert_msg(run(cmd) == 0, "%s: dtc cannot decompile", name);
    free(cmd);

    if (update && !strcmp(update, "1"))
        ck_assert_int_ge(asprintf(&cmd, "cp '%s' '%s'", dts, golden), 0);
    else
        ck_assert_int_ge(asprintf(&cmd, "diff -u '%s' '%s'", golden, dts),
                         0);
    ck_assert_msg(run(cmd) == 0, "%s: output differs from golden/%s.dts",
                  name, name);
    free(cmd);
    free(golden);
    free(dts);
    free(dtb);
}

const void *t_prop(const void *fdt, const char *path, const char *name,
                   int *len_r)
{
    int node = fdt_path_offset(fdt, path);
    const void *p;

    ck_assert_msg(node >= 0, "no node %s", path);
    p = fdt_getprop(fdt, node, name, len_r);
    ck_assert_msg(p != NULL, "no property %s in %s", name, path);
    return p;
}

bool t_has_prop(const void *fdt, const char *path, const char *name)
{
    int node = fdt_path_offset(fdt, path);

    ck_assert_msg(node >= 0, "no node %s", path);
    return fdt_getprop(fdt, node, name, NULL) != NULL;
}

bool t_has_node(const void *fdt, const char *path)
{
    return fdt_path_offset(fdt, path) >= 0;
}

uint32_t t_u32(const void *fdt, const char *path, const char *name)
{
    int len;
    const fdt32_t *p = t_prop(fdt, path, name, &len);

    ck_assert_msg(len == 4, "%s/%s: %d bytes, want 4", path, name, len);
    return fdt32_to_cpu(*p);
}

uint64_t t_u64(const void *fdt, const char *path, const char *name)
{
    int len;
    const fdt32_t *p = t_prop(fdt, path, name, &len);

    ck_assert_msg(len == 8, "%s/%s: %d bytes, want 8", path, name, len);
    return ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
}

static uint64_t cells(const fdt32_t *p, unsigned int n)
{
    uint64_t v = 0;
    unsigned int i;

    for (i = 0; i < n; i++)
        v = (v << 32) | fdt32_to_cpu(p[i]);
    return v;
}

int t_nreg(const void *fdt, const char *path, const char *name,
           unsigned int ac, unsigned int sc)
{
    int len;

    t_prop(fdt, path, name, &len);
    ck_assert_msg(len % (int)(4 * (ac + sc)) == 0, "%s/%s: %d bytes", path,
                  name, len);
    return len / (int)(4 * (ac + sc));
}

void t_reg(const void *fdt, const char *path, const char *name,
           unsigned int ac, unsigned int sc, int i, uint64_t *addr_r,
           uint64_t *size_r)
{
    int len;
    const fdt32_t *p = t_prop(fdt, path, name, &len);

    ck_assert_int_lt(i, t_nreg(fdt, path, name, ac, sc));
    p += i * (ac + sc);
    *addr_r = cells(p, ac);
    *size_r = cells(p + ac, sc);
}
