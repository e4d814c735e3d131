/*
 * fuzz-imagebuilder: the reader of ImageBuilder configs
 * (tools/xl-cmds/cli_imagebuilder.c) on any bytes.  Reading must succeed
 * (findings are not errors of the call); every finding is a known code
 * with a one-line message and a line inside the text.  When the text has
 * no error finding, every variable read is written back as the export
 * writes it (cli_ib_put_string) and read again: that must give exactly
 * the same name, index and value, with no finding.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "xl_static.h"

static void check_findings(const struct cli_ib *ib, const char *text,
                           size_t len)
{
    size_t i, nr_errors = 0;
    unsigned int lines = 1;

    for (i = 0; i < len; i++)
        lines += text[i] == '\n';
    for (i = 0; i < ib->nr_findings; i++) {
        const struct cli_ib_finding *f = &ib->findings[i];

        FZ_ASSERT(f->code && !strcmp(f->code, "syntax") && f->error,
                  "finding %zu: code '%s'", i, f->code ? f->code : "");
        FZ_ASSERT(f->line >= 1 && f->line <= lines,
                  "finding %zu: line %u of %u", i, f->line, lines);
        fz_check_message(f->message, "imagebuilder finding");
        nr_errors += f->error;
    }
    FZ_ASSERT(nr_errors == ib->nr_errors, "%zu errors counted as %zu",
              nr_errors, ib->nr_errors);
}

/* NAME[INDEX]="VALUE" as export writes it reads back as itself. */
static void check_round_trip(const struct cli_ib_var *v)
{
    struct cli_ib again;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    f = open_memstream(&text, &len);
    if (!f)
        fz_fail("out of memory");
    cli_ib_put_string(f, v->name, v->index, v->value);
    if (fclose(f))
        fz_fail("out of memory");
    cli_ib_init(&again);
    FZ_ASSERT(!cli_ib_read(&again, text, len), "reading back failed");
    FZ_ASSERT(!again.nr_findings && again.nr == 1,
              "'%s' read back as %zu variables, %zu findings", text,
              again.nr, again.nr_findings);
    FZ_ASSERT(!strcmp(again.v[0].name, v->name) &&
              again.v[0].index == v->index &&
              !strcmp(again.v[0].value, v->value),
              "'%s' read back as %s[%ld]='%s'", text, again.v[0].name,
              again.v[0].index, again.v[0].value);
    cli_ib_dispose(&again);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cli_ib ib;
    size_t i;

    cli_ib_init(&ib);
    FZ_ASSERT(!cli_ib_read(&ib, (const char *)data, size),
              "cli_ib_read failed");
    check_findings(&ib, (const char *)data, size);
    for (i = 0; !ib.nr_errors && i < ib.nr; i++)
        check_round_trip(&ib.v[i]);
    cli_ib_dispose(&ib);
    return 0;
}
