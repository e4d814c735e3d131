/*
 * The xl-static command table.  Entries have xl's struct cmd_spec shape
 * so that each one can move into tools/xl/xl_cmdtable.c unchanged.
 */
#include <string.h>

#include "xl_static.h"

/* The help of options that mean the same in every command (cli_opt). */
#define HELP_FINDINGS \
    "-W no-CODE             acknowledge the warning CODE (unsafe-dma,\n" \
    "                       unknown-key): it is not reported\n" \
    "--werror               warnings are errors (exit status 1)"
#define HELP_HOST_DTB \
    "--host-dtb=FILE        host device tree (default: $" \
    LXS_HOST_DTB_ENV ",\n" \
    "                       else " LXS_HOST_DTB_DEFAULT ")"
#define HELP_STATE_DIR \
    "--state-dir=DIR        registry directory (default: $" \
    LXS_REGISTRY_DIR_ENV ",\n" \
    "                       else " LXS_REGISTRY_DIR_DEFAULT ")"

const struct cmd_spec cmd_table[] = {
    { "check",
      &main_check, 1, 0,
      "Validate domain cfg files against the host memory map and each other",
      "[options] <ConfigFile>...",
      "-j, --json             print the findings as JSON\n"
      HELP_HOST_DTB "\n"
      HELP_STATE_DIR "\n"
      "--boot                 check for dom0less (boot time) instead of\n"
      "                       run time placement\n"
      HELP_FINDINGS
    },
    { "plan",
      &main_plan, 1, 0,
      "Print the placement of domains: extents, windows and dma-offset",
      "[options] <ConfigFile>...",
      "-j, --json             print the plan as JSON\n"
      HELP_HOST_DTB "\n"
      HELP_STATE_DIR "\n"
      "--boot                 plan for dom0less (boot time) instead of\n"
      "                       run time placement\n"
      "--map[=FILE.svg]       then draw the host memory map with the planned\n"
      "                       extents: as text, or as SVG into FILE\n"
      HELP_FINDINGS
    },
    { "dtgen",
      &main_dtgen, 0, 0,
      "Generate a guest device tree, or the dom0less host device tree",
      "guest [options] -o <Out.dtb> <ConfigFile>\n"
      "       " XLS_PROG " dtgen host --host-dtb=IN.dtb [options] -o <Out.dtb> "
      "<ConfigFile>...",
      "-o, --output=FILE      the device tree to write (whole or not at all;\n"
      "                       - for standard output)\n"
      "--host-dtb=FILE        host device tree (guest: default $"
      LXS_HOST_DTB_ENV ",\n"
      "                       else " LXS_HOST_DTB_DEFAULT "; host: required)\n"
      "guest:\n"
      "--gic-version=2|3      vGIC when the cfg says default (default 3)\n"
      "--ipa-bits=N           guest IPA width for extended regions (40)\n"
      "--xen-version=M.N      Xen release named in the tree (the build's)\n"
      "host:\n"
      "--pool=ADDR:SIZE       static pool (repeatable; replaces the DT's)\n"
      "--kernel=[NAME=]FILE[@ADDR]  kernel module of domain NAME (of the\n"
      "                       only cfg without NAME=); FILE gives the size,\n"
      "                       else the cfg's kernel does; placed in free\n"
      "                       RAM without @ADDR\n"
      "--ramdisk=[NAME=]FILE[@ADDR] the same for the ramdisk\n"
      "--passthrough-dtb=[NAME=]OUT[@ADDR]  write the passthrough device\n"
      "                       tree module of domain NAME (its cfg's\n"
      "                       device_tree with xen,reg, xen,path) to OUT\n"
      "--module-area=ADDR:SIZE  place modules inside this range only"
    },
    { "static-mem-list",
      &main_static_mem_list, 1, 0,
      "List every RAM range with its type, owner domain and state",
      "[options]",
      "-j, --json             print the listing as JSON\n"
      "--live                 only from the running hypervisor (the default\n"
      "                       when it answers; else the host device tree)\n"
      HELP_HOST_DTB "\n"
      HELP_STATE_DIR "\n"
      "--map[=FILE.svg]       draw the memory map instead: as text, or as\n"
      "                       SVG into FILE (with the listing on stdout)"
    },
    { "create",
      &main_create, 1, 1,
      "Check, plan and reserve a domain's memory, then create the domain",
      "[options] <ConfigFile>",
      "-n, --dryrun           check and plan only: reserve nothing\n"
      "-j, --json             print the result as JSON\n"
      HELP_HOST_DTB "\n"
      HELP_STATE_DIR "\n"
      HELP_FINDINGS
    },
    { "release",
      &main_release, 1, 1,
      "End the memory reservation a domain keeps across destroy and create",
      "[options] <Domain>",
      "-j, --json             print what was released as JSON\n"
      HELP_STATE_DIR
    },
    { "import",
      &main_import, 0, 0,
      "Turn an ImageBuilder config into xl cfgs of its dom0less domains",
      "imagebuilder [options] <Config>",
      "-o, --output=DIR       write DIR/NAME.cfg for each domain (default:\n"
      "                       print the cfgs)\n"
      "--host-dtb=FILE        also check the cfgs against this host device\n"
      "                       tree, as dom0less (boot time) domains"
    },
    { "export",
      &main_export, 0, 0,
      "Write the ImageBuilder variables of dom0less domains from their "
      "cfgs and plan",
      "imagebuilder [options] <ConfigFile>...",
      "-o, --output=FILE      the variables to write (whole or not at all;\n"
      "                       default: standard output)\n"
      "--host-dtb=FILE        host device tree the domains are checked and\n"
      "                       planned against, for boot time (default: $"
      LXS_HOST_DTB_ENV ",\n"
      "                       else " LXS_HOST_DTB_DEFAULT ")"
    },
};

const int cmdtable_len = sizeof(cmd_table) / sizeof(cmd_table[0]);

/* An exact name, else a prefix shared by no other command. */
const struct cmd_spec *cmdtable_lookup(const char *s)
{
    const struct cmd_spec *cmd = NULL;
    size_t len;
    int i, count = 0;

    if (!s)
        return NULL;
    len = strlen(s);
    for (i = 0; i < cmdtable_len; i++) {
        if (!strcmp(s, cmd_table[i].cmd_name))
            return &cmd_table[i];
        if (len && !strncmp(s, cmd_table[i].cmd_name, len)) {
            cmd = &cmd_table[i];
            count++;
        }
    }
    return count == 1 ? cmd : NULL;
}
