/* cfg parsing: every key, strict numbers, one finding per bad value. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lxs_internal.h"
#include "check_tests.h"

/* What most tests parse into: set up and disposed by the fixture. */
static struct lxs_spec spec;
static struct lxs_diags d;

static void setup(void)
{
    lxs_spec_init(&spec);
    lxs_diags_init(&d);
}

static void teardown(void)
{
    lxs_spec_dispose(&spec);
    lxs_diags_dispose(&d);
}

START_TEST(test_cfg_full)
{
    static const char text[] =
        "name = \"dom1\"\n"
        "memory = 512\n"
        "direct_map = 1\n"
        "static_mem = [ \"0x60000000:256M\", "
        "\"0x80000000:256M@0x90000000\" ]\n"
        "mem_chunk = \"128M\"\n"
        "vcpus = 2\n"
        "maxvcpus = 4\n"
        "gic_version = \"V3\"\n"
        "vuart = \"sbsa_uart\"\n"
        "kernel = \"/boot/Image\"\n"
        "ramdisk = \"/boot/initrd\"\n"
        "root = \"/dev/xvda\"\n"
        "extra = \"console=hvc0\"\n"
        "dtdev = [ \"/soc/dma@1000\" ]\n";

    parse_text("a.cfg", text, &spec, &d);
    ck_assert_msg(d.nr == 0, "findings:%s", diags_text(&d));
    ck_assert(!spec.bad);
    ck_assert_str_eq(spec.file, "a.cfg");
    ck_assert_str_eq(spec.name, "dom1");
    ck_assert(spec.has_memory);
    ck_assert_uint_eq(spec.memory_size, 512 * MiB);
    ck_assert(spec.direct_map);
    ck_assert(!spec.has_rambase);
    ck_assert(spec.has_static_mem);
    ck_assert_uint_eq(spec.nr_static_mem, 2);
    ck_assert_uint_eq(spec.static_mem[0].addr, 0x60000000);
    ck_assert_uint_eq(spec.static_mem[0].size, 256 * MiB);
    ck_assert(!spec.static_mem[0].has_gaddr);
    ck_assert_str_eq(spec.static_mem[0].text, "0x60000000:256M");
    ck_assert_uint_eq(spec.static_mem[1].addr, 0x80000000);
    ck_assert_uint_eq(spec.static_mem[1].size, 0x10000000);
    ck_assert(spec.static_mem[1].has_gaddr);
    ck_assert_uint_eq(spec.static_mem[1].gaddr, 0x90000000);
    ck_assert(spec.has_mem_chunk);
    ck_assert_uint_eq(spec.mem_chunk_size, 128 * MiB);
    ck_assert_uint_eq(spec.vcpus, 4);
    ck_assert_int_eq(spec.gic_version, 3);
    ck_assert(spec.vuart_sbsa);
    ck_assert_str_eq(spec.kernel, "/boot/Image");
    ck_assert_str_eq(spec.ramdisk, "/boot/initrd");
    ck_assert_str_eq(spec.cmdline, "root=/dev/xvda console=hvc0");
    ck_assert_ptr_null(spec.device_tree);
    ck_assert(spec.has_passthrough);
    ck_assert(spec.has_dtdev);
}
END_TEST

START_TEST(test_cfg_defaults)
{
    parse_text("b.cfg", "name = \"plain\"\n", &spec, &d);
    ck_assert_uint_eq(d.nr, 0);
    ck_assert(!spec.has_memory && !spec.direct_map && !spec.has_rambase);
    ck_assert(!spec.has_static_mem && !spec.has_mem_chunk);
    ck_assert_uint_eq(spec.vcpus, 1);
    ck_assert_int_eq(spec.gic_version, 0);
    ck_assert(!spec.vuart_sbsa && !spec.has_passthrough && !spec.has_dtdev);
    ck_assert_ptr_null(spec.cmdline);
}
END_TEST

/* Values that parse, with what they must give. */
static const struct {
    const char *text;
    uint64_t memory, rambase_pfn, chunk, addr, size, gaddr;
    int direct_map;
} good_cases[] = {
    { "memory = 256", .memory = 256 * MiB },
    { "memory = \"256\"", .memory = 256 * MiB },
    { "memory = 0x100", .memory = 256 * MiB },
    { "memory = 1", .memory = 1 * MiB },
    { "direct_map = 0", .direct_map = 0 },
    { "direct_map = 1", .direct_map = 1 },
    { "direct_map = \"1\"", .direct_map = 1 },
    { "rambase_pfn = 0x60000", .rambase_pfn = 0x60000 },
    { "rambase_pfn = \"0x60000\"", .rambase_pfn = 0x60000 },
    { "rambase_pfn = 393216", .rambase_pfn = 0x60000 },
    { "rambase_pfn = 0", .rambase_pfn = 0 },
    { "rambase_pfn = 0xffffffffffffffff", .rambase_pfn = UINT64_MAX },
    { "mem_chunk = 128", .chunk = 128 * MiB },
    { "mem_chunk = \"256M\"", .chunk = 256 * MiB },
    { "mem_chunk = \"1G\"", .chunk = GiB },
    { "mem_chunk = \"2048k\"", .chunk = 2 * MiB },
    { "static_mem = [ \"0x40000000:0x4K\" ]",
      .addr = 0x40000000, .size = 0x1000 },
    { "static_mem = [ \"1073741824:1G@0x80000000\" ]",
      .addr = GiB, .size = GiB, .gaddr = 0x80000000 },
    { "static_mem = [ \"0:4K@0\" ]", .addr = 0, .size = 4 * KiB },
    { "static_mem = [ \"0xfffffffffffff000:4k\" ]",
      .addr = UINT64_C(0xfffffffffffff000), .size = 4 * KiB },
};

START_TEST(test_cfg_good_value)
{
    parse_text("g.cfg", good_cases[_i].text, &spec, &d);
    ck_assert_msg(d.nr == 0, "%s:%s", good_cases[_i].text, diags_text(&d));
    ck_assert(!spec.bad);
    ck_assert_uint_eq(spec.bad_keys, 0);
    if (good_cases[_i].memory)
        ck_assert_uint_eq(spec.memory_size, good_cases[_i].memory);
    if (strstr(good_cases[_i].text, "direct_map"))
        ck_assert_int_eq(spec.direct_map, good_cases[_i].direct_map);
    if (strstr(good_cases[_i].text, "rambase_pfn")) {
        ck_assert(spec.has_rambase);
        ck_assert_uint_eq(spec.rambase_pfn, good_cases[_i].rambase_pfn);
    }
    if (good_cases[_i].chunk)
        ck_assert_uint_eq(spec.mem_chunk_size, good_cases[_i].chunk);
    if (good_cases[_i].size) {
        ck_assert_uint_eq(spec.nr_static_mem, 1);
        ck_assert_uint_eq(spec.static_mem[0].addr, good_cases[_i].addr);
        ck_assert_uint_eq(spec.static_mem[0].size, good_cases[_i].size);
        ck_assert_int_eq(spec.static_mem[0].has_gaddr,
                         strchr(good_cases[_i].text, '@') != NULL);
        ck_assert_uint_eq(spec.static_mem[0].gaddr, good_cases[_i].gaddr);
    }
}
END_TEST

/* Values that do not parse: one syntax finding naming key and value. */
static const struct {
    const char *text;
    const char *key;
    unsigned int bit;
    const char *value;      /* quoted in the message */
} bad_cases[] = {
    { "name = \"\"", "name", LXS_KEY_NAME, NULL },
    { "name = [ \"a\" ]", "name", LXS_KEY_NAME, NULL },
    { "memory = \"12abc\"", "memory", LXS_KEY_MEMORY, "'12abc'" },
    { "memory = 12abc", "memory", LXS_KEY_MEMORY, "'12abc'" },
    { "memory = \"-1\"", "memory", LXS_KEY_MEMORY, "'-1'" },
    { "memory = \"1G\"", "memory", LXS_KEY_MEMORY, "'1G'" },
    { "memory = 0", "memory", LXS_KEY_MEMORY, "zero" },
    { "memory = 18446744073709551616", "memory", LXS_KEY_MEMORY,
      "64 bits" },
    { "memory = 17592186044416", "memory", LXS_KEY_MEMORY, "64 bits" },
    { "memory = [ 1 ]", "memory", LXS_KEY_MEMORY, "list" },
    { "direct_map = 2", "direct_map", LXS_KEY_DIRECT_MAP, "'2'" },
    { "direct_map = \"yes\"", "direct_map", LXS_KEY_DIRECT_MAP, "'yes'" },
    { "rambase_pfn = \"0x\"", "rambase_pfn", LXS_KEY_RAMBASE, "'0x'" },
    { "rambase_pfn = \"-4096\"", "rambase_pfn", LXS_KEY_RAMBASE,
      "'-4096'" },
    { "rambase_pfn = 0x10000000000000000", "rambase_pfn", LXS_KEY_RAMBASE,
      "64 bits" },
    { "static_mem = \"0x40000000:4K\"", "static_mem", LXS_KEY_STATIC_MEM,
      "list" },
    { "static_mem = [ \"0x40000000\" ]", "static_mem", LXS_KEY_STATIC_MEM,
      "'0x40000000'" },
    { "static_mem = [ 4096 ]", "static_mem", LXS_KEY_STATIC_MEM, "'4096'" },
    { "static_mem = [ \"zz:4K\" ]", "static_mem", LXS_KEY_STATIC_MEM,
      "'zz'" },
    { "static_mem = [ \"0x1000:4X\" ]", "static_mem", LXS_KEY_STATIC_MEM,
      "'4X'" },
    { "static_mem = [ \"0x1000:\" ]", "static_mem", LXS_KEY_STATIC_MEM,
      "size ''" },
    { "static_mem = [ \"0x1000:0\" ]", "static_mem", LXS_KEY_STATIC_MEM,
      "zero" },
    /* a bare size is refused (it was bytes; bare sizes are MiB) */
    { "static_mem = [ \"0x1000:0x1000\" ]", "static_mem",
      LXS_KEY_STATIC_MEM, "size '0x1000' has no unit: write '4K'" },
    { "static_mem = [ \"0x1000:268435456@0x40000000\" ]", "static_mem",
      LXS_KEY_STATIC_MEM, "size '268435456' has no unit: write '256M'" },
    { "static_mem = [ \"0x1000:1000\" ]", "static_mem", LXS_KEY_STATIC_MEM,
      "size '1000' has no unit: write it with one, K, M, G or T" },
    { "static_mem = [ \"0x1000:4K@\" ]", "static_mem", LXS_KEY_STATIC_MEM,
      "guest address ''" },
    { "static_mem = [ \"0x1000:4K@0x2000@3\" ]", "static_mem",
      LXS_KEY_STATIC_MEM, "'0x2000@3'" },
    { "static_mem = [ \"0x1000:20000000T\" ]", "static_mem",
      LXS_KEY_STATIC_MEM, "64 bits" },
    { "mem_chunk = \"256Q\"", "mem_chunk", LXS_KEY_MEM_CHUNK, "'256Q'" },
    { "mem_chunk = \"-2\"", "mem_chunk", LXS_KEY_MEM_CHUNK, "'-2'" },
    { "mem_chunk = 17592186044416", "mem_chunk", LXS_KEY_MEM_CHUNK,
      "64 bits" },
    { "vcpus = 0", "vcpus", LXS_KEY_VCPUS, "'0'" },
    { "maxvcpus = \"x\"", "maxvcpus", LXS_KEY_VCPUS, "'x'" },
    { "vcpus = 4294967296", "vcpus", LXS_KEY_VCPUS, "'4294967296'" },
    { "gic_version = \"v4\"", "gic_version", LXS_KEY_GIC_VERSION, "'v4'" },
    { "vuart = \"pl011\"", "vuart", LXS_KEY_VUART, "'pl011'" },
    { "maxmem = \"512M\"", "maxmem", LXS_KEY_MAXMEM, "'512M'" },
    { "maxmem = [ 512 ]", "maxmem", LXS_KEY_MAXMEM, "list" },
    { "dtdev = \"/soc/dma\"", "dtdev", LXS_KEY_OTHER, "list" },
    { "kernel = [ \"a\" ]", "kernel", LXS_KEY_OTHER, "list" },
};

START_TEST(test_cfg_bad_value)
{
    char text[256];

    snprintf(text, sizeof(text), "name = \"x\"\n%s\n", bad_cases[_i].text);
    if (!strncmp(bad_cases[_i].text, "name", 4))
        snprintf(text, sizeof(text), "%s\n", bad_cases[_i].text);
    parse_text("bad.cfg", text, &spec, &d);
    ck_assert_msg(d.nr == 1 && d.nr_errors == 1, "%s:%s", text,
                  diags_text(&d));
    ck_assert_int_eq(d.v[0].code, LXS_E_SYNTAX);
    ck_assert_int_eq(d.v[0].severity, LXS_SEV_ERROR);
    ck_assert_str_eq(d.v[0].key, bad_cases[_i].key);
    ck_assert_str_eq(d.v[0].file, "bad.cfg");
    ck_assert_msg(strstr(d.v[0].message, bad_cases[_i].key) != NULL,
                  "key not named: %s", d.v[0].message);
    if (bad_cases[_i].value)
        ck_assert_msg(strstr(d.v[0].message, bad_cases[_i].value) != NULL,
                      "value not named: %s", d.v[0].message);
    ck_assert(spec.bad);
    ck_assert_uint_eq(spec.bad_keys, bad_cases[_i].bit);
}
END_TEST

/* Every bad value is reported, and the good items are kept. */
START_TEST(test_cfg_all_findings)
{
    static const char text[] =
        "name = \"many\"\n"
        "memory = \"lots\"\n"
        "direct_map = 3\n"
        "static_mem = [ \"0x40000000:2M\", \"0x1:zz\", \"q:1M\", "
        "\"0x50000000:1M\" ]\n"
        "mem_chunk = \"7X\"\n";

    parse_text("many.cfg", text, &spec, &d);
    ck_assert_msg(d.nr == 5, "%s", diags_text(&d));
    ck_assert_uint_eq(count_code(&d, LXS_E_SYNTAX, "memory"), 1);
    ck_assert_uint_eq(count_code(&d, LXS_E_SYNTAX, "direct_map"), 1);
    ck_assert_uint_eq(count_code(&d, LXS_E_SYNTAX, "static_mem"), 2);
    ck_assert_uint_eq(count_code(&d, LXS_E_SYNTAX, "mem_chunk"), 1);
    ck_assert_str_eq(d.v[0].domain, "many");
    ck_assert_uint_eq(spec.nr_static_mem, 2);
    ck_assert_uint_eq(spec.static_mem[0].addr, 0x40000000);
    ck_assert_uint_eq(spec.static_mem[1].addr, 0x50000000);
    ck_assert(spec.has_static_mem);
}
END_TEST

/* xl cfg syntax errors: one finding at the line, nothing printed. */
static const struct {
    const char *text;
    unsigned int line;
} xl_syntax_cases[] = {
    { "name = \"a\"\nmemory = 256\nstatic_mem = [ \"0x1:4K\"\n", 3 },
    { "name = \"a\"\nmemory = -1\n", 2 },
    { "name = \"a\"\nmemory = 1 2\n", 2 },
    { "def f():\n  pass\n", 1 },
};

START_TEST(test_cfg_xl_syntax)
{
    parse_text("x.cfg", xl_syntax_cases[_i].text, &spec, &d);
    ck_assert_msg(d.nr >= 1, "no finding");
    ck_assert_int_eq(d.v[0].code, LXS_E_SYNTAX);
    ck_assert_ptr_null(d.v[0].key);
    ck_assert_uint_eq(d.v[0].line, xl_syntax_cases[_i].line);
    ck_assert_msg(strstr(d.v[0].message, "config parsing error") == d.v[0].message,
                  "%s", d.v[0].message);
    ck_assert_msg(!strchr(d.v[0].message, '`'), "%s", d.v[0].message);
    ck_assert(spec.bad);
    ck_assert(spec.bad_keys & LXS_KEY_FILE);
    ck_assert_str_eq(spec.file, "x.cfg");
}
END_TEST

START_TEST(test_cfg_cmdline)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "cmdline = \"a b\"\nextra = \"c\"", "a b" },
        { "extra = \"c d\"", "c d" },
        { "root = \"/dev/r\"", "root=/dev/r" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        teardown();
        setup();
        parse_text("c.cfg", cases[i].text, &spec, &d);
        ck_assert_str_eq(spec.cmdline, cases[i].want);
    }
}
END_TEST

/* Passthrough presence: empty lists are not passthrough. */
static const struct {
    const char *text;
    bool passthrough, dtdev;
} pt_cases[] = {
    { "dtdev = [ \"/a\" ]", true, true },
    { "iomem = [ \"0x1000,1\" ]", true, false },
    { "irqs = [ 40 ]", true, false },
    { "device_tree = \"p.dtb\"", true, false },
    { "dtdev = [ ]\niomem = [ ]\nirqs = [ ]", false, false },
    { "kernel = \"k\"", false, false },
};

START_TEST(test_cfg_passthrough)
{
    parse_text("p.cfg", pt_cases[_i].text, &spec, &d);
    ck_assert_uint_eq(d.nr, 0);
    ck_assert_int_eq(spec.has_passthrough, pt_cases[_i].passthrough);
    ck_assert_int_eq(spec.has_dtdev, pt_cases[_i].dtdev);
}
END_TEST

/* iomem items: what xl reads, and what it does not. */
static const struct {
    const char *item;
    bool ok;
    uint64_t mfn, nr, gfn;
} iomem_cases[] = {
    { "0a001,1", true, 0xa001, 1, 0xa001 },
    { "0x0a001,2@40000", true, 0xa001, 2, 0x40000 },
    { "A001,10@a001", true, 0xa001, 0x10, 0xa001 },
    { "ffffffffffffe,1", true, 0xffffffffffffe, 1, 0xffffffffffffe },
    { "0a001", false, 0, 0, 0 },
    { "zz,1", false, 0, 0, 0 },
    { "1,0", false, 0, 0, 0 },
    { "-1,1", false, 0, 0, 0 },
    { "1,2@", false, 0, 0, 0 },
    { "1@2,3", false, 0, 0, 0 },
    { ",1", false, 0, 0, 0 },
    { "1,1@-2", false, 0, 0, 0 },
    { "fffffffffffff,1", false, 0, 0, 0 },   /* ends at 2^64 bytes */
    { "1,1@fffffffffffff0", false, 0, 0, 0 },
    { "1,2 ", false, 0, 0, 0 },
};

START_TEST(test_cfg_iomem)
{
    char *text;

    ck_assert(asprintf(&text, "iomem = [ \"%s\" ]", iomem_cases[_i].item) > 0);
    parse_text("i.cfg", text, &spec, &d);
    ck_assert(spec.has_passthrough);
    if (iomem_cases[_i].ok) {
        ck_assert_uint_eq(d.nr, 0);
        ck_assert_uint_eq(spec.nr_iomem, 1);
        ck_assert_uint_eq(spec.iomem[0].mfn, iomem_cases[_i].mfn);
        ck_assert_uint_eq(spec.iomem[0].nr, iomem_cases[_i].nr);
        ck_assert_uint_eq(spec.iomem[0].gfn, iomem_cases[_i].gfn);
    } else {
        ck_assert_uint_eq(d.nr, 1);
        ck_assert_int_eq(d.v[0].code, LXS_E_SYNTAX);
        ck_assert_str_eq(d.v[0].key, "iomem");
        ck_assert_ptr_nonnull(strstr(d.v[0].message, iomem_cases[_i].item));
        ck_assert_uint_eq(spec.nr_iomem, 0);
        ck_assert(spec.bad);
    }
    free(text);
}
END_TEST

/*
 * A key that neither xl nor xl-static reads is an `unknown-key' warning
 * at its line, naming the nearest known key when one is close; it stays
 * a warning (the cfg is not bad) and the keys around it are still read.
 */
static const struct {
    const char *key;
    const char *near;       /* NULL: no suggestion */
} unknown_cases[] = {
    { "directmap", "direct_map" },
    { "static_memory", "static_mem" },
    { "mem_chunks", "mem_chunk" },
    { "rambase", "rambase_pfn" },
    { "memroy", "memory" },
    { "staticmem", "static_mem" },
    { "frobnicate", NULL },
    { "xy", NULL },
    { "vif.default.script", NULL },
};

START_TEST(test_cfg_unknown_key)
{
    char text[256];
    char *msg;

    snprintf(text, sizeof(text), "name = \"u\"\n# %s = 1\nmemory = 64\n"
             "%s = \"1\"\n", unknown_cases[_i].key, unknown_cases[_i].key);
    parse_text("u.cfg", text, &spec, &d);
    ck_assert_msg(d.nr == 1, "%s", diags_text(&d));
    ck_assert_int_eq(d.v[0].severity, LXS_SEV_WARNING);
    ck_assert_int_eq(d.v[0].code, LXS_W_UNKNOWN_KEY);
    ck_assert_str_eq(lxs_code_name(d.v[0].code), "unknown-key");
    ck_assert_str_eq(d.v[0].key, unknown_cases[_i].key);
    ck_assert_uint_eq(d.v[0].line, 4);
    ck_assert_str_eq(d.v[0].domain, "u");
    ck_assert_uint_eq(d.nr_errors, 0);
    ck_assert(!spec.bad);
    ck_assert_uint_eq(spec.memory_size, 64 * MiB);
    if (unknown_cases[_i].near)
        msg = lxs__asprintf("unknown key '%s': did you mean '%s'",
                            unknown_cases[_i].key, unknown_cases[_i].near);
    else
        msg = lxs__asprintf("unknown key '%s': neither xl nor xl-static "
                            "reads it", unknown_cases[_i].key);
    ck_assert_str_eq(d.v[0].message, msg);
    free(msg);
}
END_TEST

/*
 * xl's own keys (the first and last of the table, a few in between, and
 * keys that look like values: numbers, strings and comments holding
 * identifiers) give no finding; a repeated key is at its last line.
 */
START_TEST(test_cfg_known_keys)
{
    static const char text[] =
        "acpi = 1\n"
        "name = \"k\"; memory = 64\n"
        "vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0', \"type=ioemu\" ]\n"
        "disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/vg/a',\n"
        "         'target=/dev/vg/b' ]\n"
        "on_crash = \"destroy\" # vif2 frob = 1\n"
        "device_model_args_pv = [ \"-x\" ]\n"
        "cpus = \"0-3\"\n"
        "maxmem = 0x40\n"
        "xend_suspend_evtchn_compat = 0\n"
        "direct_map = 0\nrambase_pfn = 0x50000\n"
        "mem_chunk = \"2M\"\nstatic_mem = []\n"
        "memory += 0\n";

    parse_text("k.cfg", text, &spec, &d);
    ck_assert(!spec.bad);
    ck_assert_msg(count_code(&d, LXS_W_UNKNOWN_KEY, NULL) == 0, "%s",
                  diags_text(&d));
    ck_assert_uint_eq(lxs__spec_key_line(&spec, "acpi"), 1);
    ck_assert_uint_eq(lxs__spec_key_line(&spec, "memory"), 15);
    ck_assert_uint_eq(lxs__spec_key_line(&spec, "on_crash"), 6);
    ck_assert_uint_eq(lxs__spec_key_line(&spec, "mem_chunk"), 13);
    ck_assert_uint_eq(lxs__spec_key_line(&spec, "frob"), 0);
    ck_assert_uint_eq(lxs__spec_key_line(&spec, "target"), 0);
}
END_TEST

/* A finding about a key is at the line that key is assigned. */
START_TEST(test_cfg_finding_line)
{
    static const char text[] =
        "name = \"l\"\n"
        "\n"
        "memory = \"12abc\"\n"
        "static_mem = [\n"
        "    \"0x50000000:4X\",\n"
        "]\n";

    parse_text("l.cfg", text, &spec, &d);
    ck_assert_msg(d.nr == 2, "%s", diags_text(&d));
    ck_assert_str_eq(d.v[0].key, "memory");
    ck_assert_uint_eq(d.v[0].line, 3);
    ck_assert_str_eq(d.v[1].key, "static_mem");
    ck_assert_uint_eq(d.v[1].line, 4);
}
END_TEST

/*
 * xl_static_accept: the warnings it names are not reported for this cfg
 * (the parser's unknown-key here, lxs_check's in test_validate); a code
 * that is not a warning's is a syntax finding.
 */
START_TEST(test_cfg_accept)
{
    parse_text("a.cfg", "name = \"a\"\nfrob = 1\n"
               "xl_static_accept = [ \"unknown-key\", \"unsafe-dma\" ]\n",
               &spec, &d);
    ck_assert_msg(d.nr == 0, "%s", diags_text(&d));
    ck_assert_uint_eq(spec.accept, LXS_CODE_BIT(LXS_W_UNKNOWN_KEY) |
                                   LXS_CODE_BIT(LXS_W_UNSAFE_DMA));
    parse_text("a.cfg", "name = \"a\"\n"
               "xl_static_accept = [ \"no-pool\", \"bogus\" ]\n",
               &spec, &d);
    ck_assert_uint_eq(count_code(&d, LXS_E_SYNTAX, "xl_static_accept"), 2);
    ck_assert(find_diag(&d, LXS_E_SYNTAX, "'no-pool' is not the code of a "
                        "warning", NULL) != NULL);
    ck_assert(spec.bad);
    ck_assert_uint_eq(spec.accept, 0);
}
END_TEST

/* maxmem is MiB, as xl reads it, decimal or hex; absent by default. */
START_TEST(test_cfg_maxmem)
{
    parse_text("m.cfg", "name = \"m\"\nmaxmem = 0x200\n", &spec, &d);
    ck_assert_msg(d.nr == 0, "%s", diags_text(&d));
    ck_assert(spec.has_maxmem);
    ck_assert_uint_eq(spec.maxmem_size, 512 * MiB);
    parse_text("m.cfg", "name = \"m\"\nmemory = 64\n", &spec, &d);
    ck_assert(!spec.has_maxmem);
}
END_TEST

/* A later setting of a key replaces the earlier one, as in xl. */
START_TEST(test_cfg_last_wins)
{
    parse_text("l.cfg", "memory = 128\nmemory = 256\n", &spec, &d);
    ck_assert_uint_eq(spec.memory_size, 256 * MiB);
}
END_TEST

/* A second parse into the same spec replaces it without leaking. */
START_TEST(test_cfg_reparse)
{
    parse_text("1.cfg", "name = \"one\"\nstatic_mem = [ \"0:4K\" ]",
               &spec, &d);
    parse_text("2.cfg", "name = \"two\"", &spec, &d);
    ck_assert_str_eq(spec.name, "two");
    ck_assert_str_eq(spec.file, "2.cfg");
    ck_assert_uint_eq(spec.nr_static_mem, 0);
    ck_assert(!spec.has_static_mem);
    lxs_spec_dispose(&spec);
    lxs_spec_dispose(&spec);    /* idempotent */
}
END_TEST

/*
 * Every allocation failure gives -ENOMEM and leaves the spec and the
 * diagnostics as they were.
 */
START_TEST(test_cfg_enomem)
{
    static const char text[] =
        "name = \"oom\"\nmemory = \"bad\"\n"
        "static_mem = [ \"0x40000000:2M@0x40000000\", \"x:1\" ]\n"
        "kernel = \"k\"\nroot = \"r\"\nextra = \"e\"\n";
    unsigned long n;
    int rc = -ENOMEM;

    for (n = 1; rc == -ENOMEM; n++) {
        teardown();
        setup();
        parse_text("old.cfg", "name = \"old\"\nmemory = 1", &spec, &d);
        ck_assert_uint_eq(d.nr, 0);
        lxs__alloc_count = 0;
        lxs__alloc_fail_at = n;
        rc = lxs_cfg_parse_data("oom.cfg", text, strlen(text), &spec, &d);
        lxs__alloc_fail_at = 0;
        if (rc == -ENOMEM) {
            ck_assert_uint_eq(d.nr, 0);
            ck_assert_str_eq(spec.name, "old");
            ck_assert_str_eq(spec.file, "old.cfg");
            ck_assert_uint_eq(spec.memory_size, MiB);
        } else {
            ck_assert_int_eq(rc, 0);
            ck_assert_uint_eq(d.nr, 2);
            ck_assert_str_eq(spec.name, "oom");
            ck_assert_str_eq(spec.cmdline, "root=r e");
        }
        ck_assert_uint_lt(n, 1000);
    }
    ck_assert_uint_gt(n, 5);
}
END_TEST

START_TEST(test_cfg_file)
{
    char path[] = "/tmp/lxs-cfg-XXXXXX";
    FILE *f;
    int fd;

    ck_assert_int_eq(lxs_cfg_parse_file("/nonexistent/x.cfg", &spec, &d),
                     -ENOENT);
    ck_assert_uint_eq(d.nr, 0);
    ck_assert_ptr_null(spec.file);

    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs("name = \"f\"\nmemory = \"x\"\n", f);
    fclose(f);
    ck_assert_int_eq(lxs_cfg_parse_file(path, &spec, &d), 0);
    unlink(path);
    ck_assert_str_eq(spec.name, "f");
    ck_assert_str_eq(spec.file, path);
    ck_assert_uint_eq(d.nr, 1);
    ck_assert_str_eq(d.v[0].file, path);
}
END_TEST

Suite *cfg_suite(void)
{
    return unit_suite("cfg", UNIT_FIXTURE(setup, teardown),
                      UNIT_TESTS(test_cfg_full, test_cfg_defaults),
                      UNIT_LOOP(test_cfg_good_value, ARRAY_SIZE(good_cases)),
                      UNIT_LOOP(test_cfg_bad_value, ARRAY_SIZE(bad_cases)),
                      UNIT_TESTS(test_cfg_all_findings),
                      UNIT_LOOP(test_cfg_xl_syntax,
                                ARRAY_SIZE(xl_syntax_cases)),
                      UNIT_TESTS(test_cfg_cmdline),
                      UNIT_LOOP(test_cfg_passthrough, ARRAY_SIZE(pt_cases)),
                      UNIT_LOOP(test_cfg_iomem, ARRAY_SIZE(iomem_cases)),
                      UNIT_LOOP(test_cfg_unknown_key,
                                ARRAY_SIZE(unknown_cases)),
                      UNIT_TESTS(test_cfg_known_keys, test_cfg_finding_line,
                                 test_cfg_maxmem, test_cfg_accept,
                                 test_cfg_last_wins,
                                 test_cfg_reparse, test_cfg_enomem,
                                 test_cfg_file),
                      NULL);
}
