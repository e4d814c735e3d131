/*
 * The picture of the host memory map (--map of static-mem-list and
 * plan): the pieces of a listing (cli_memlist, built from the host map,
 * the registry and, for plan, the planned extents) drawn per RAM bank,
 * as text for a terminal or as SVG for documentation.  Nothing here
 * decides anything: every range, kind and owner is the listing's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "xl_static.h"

/* Columns of the bars: a bank is this wide, whatever its size. */
#define BAR_WIDTH 40
#define HEX_STRLEN (2 + 16 + 1)

/* SVG geometry (pixels) */
#define SVG_WIDTH 960
#define SVG_ROW 18
#define SVG_TRACK_X 640
#define SVG_TRACK_W 300

/* The one-character symbol and the SVG colour of a piece. */
static char piece_symbol(const struct cli_piece *pc)
{
    if (pc->state && !strcmp(pc->state, "conflict"))
        return '!';
    switch (pc->type) {
    case XLS_PIECE_RAM_FREE:
        return '.';
    case XLS_PIECE_RESERVED:
        return 'R';
    case XLS_PIECE_POOL_FREE:
        return 'p';
    case XLS_PIECE_OWNED:
        return 'O';
    case XLS_PIECE_PLANNED:
        return 'P';
    }
    return '?';
}

static const char *piece_colour(const struct cli_piece *pc)
{
    switch (piece_symbol(pc)) {
    case '.':
        return "#e6e6e6";
    case 'R':
        return "#d62728";
    case 'p':
        return "#9ecae1";
    case 'O':
        return "#ff7f0e";
    case 'P':
        return "#2ca02c";
    default:
        return "#000000";
    }
}

static bool piece_is_free(const struct cli_piece *pc)
{
    return pc->type == XLS_PIECE_RAM_FREE || pc->type == XLS_PIECE_POOL_FREE;
}

/* Column of @addr in a bar of @width columns for [base, base + len). */
static unsigned int column(uint64_t base, uint64_t len, uint64_t addr,
                           unsigned int width, bool up)
{
    unsigned __int128 num = (unsigned __int128)(addr - base) * width;
    uint64_t col = (uint64_t)(num / len);

    if (up && num % len)
        col++;
    return (unsigned int)col;
}

/* The columns [*c0, *c1) a piece takes in its bank's bar: at least one. */
static void piece_columns(const struct lxs_range *bank,
                          const struct cli_piece *pc, unsigned int width,
                          unsigned int *c0, unsigned int *c1)
{
    uint64_t len = bank->end - bank->start;

    *c0 = column(bank->start, len, pc->start, width, false);
    *c1 = column(bank->start, len, pc->end, width, true);
    if (*c0 >= width)
        *c0 = width - 1;
    if (*c1 <= *c0)
        *c1 = *c0 + 1;
}

/* The pieces of @ml inside @bank: [*first, *last). */
static void bank_pieces(const struct cli_memlist *ml,
                        const struct lxs_range *bank, size_t *first,
                        size_t *last)
{
    size_t i = 0;

    while (i < ml->nr && ml->v[i].end <= bank->start)
        i++;
    *first = i;
    while (i < ml->nr && ml->v[i].start < bank->end)
        i++;
    *last = i;
}

/*
 * The bank's overview line: each column shows the piece that covers
 * most of its bytes, a reserved, owned or planned piece before free RAM
 * or pool, so that no small range disappears behind free memory.
 */
static void overview(const struct cli_memlist *ml,
                     const struct lxs_range *bank, size_t first, size_t last,
                     char out[BAR_WIDTH + 1])
{
    uint64_t len = bank->end - bank->start;
    unsigned int c;

    for (c = 0; c < BAR_WIDTH; c++) {
        uint64_t lo = bank->start +
            (uint64_t)((unsigned __int128)len * c / BAR_WIDTH);
        uint64_t hi = bank->start +
            (uint64_t)((unsigned __int128)len * (c + 1) / BAR_WIDTH);
        const struct cli_piece *best = NULL;
        uint64_t best_cover = 0;
        size_t i;

        if (hi <= lo)
            hi = lo + 1;
        for (i = first; i < last; i++) {
            const struct cli_piece *pc = &ml->v[i];
            uint64_t s = pc->start > lo ? pc->start : lo;
            uint64_t e = pc->end < hi ? pc->end : hi;

            if (s >= e)
                continue;
            if (best && piece_is_free(pc) != piece_is_free(best)) {
                if (piece_is_free(pc))
                    continue;
                best = NULL;
            }
            if (!best || e - s > best_cover) {
                best = pc;
                best_cover = e - s;
            }
        }
        out[c] = best ? piece_symbol(best) : ' ';
    }
    out[BAR_WIDTH] = '\0';
}

static void widen(int *w, const char *s)
{
    int n = (int)strlen(s);

    if (n > *w)
        *w = n;
}

enum { COL_START, COL_END, COL_SIZE, COL_KIND, COL_OWNER, NR_COLS };

static void column_widths(const struct cli_memlist *ml, int w[NR_COLS])
{
    static const char *const head[NR_COLS] = {
        "start", "end", "size", "kind", "owner"
    };
    char buf[HEX_STRLEN], size[LXS_SIZE_STRLEN];
    size_t i;
    int c;

    for (c = 0; c < NR_COLS; c++)
        w[c] = (int)strlen(head[c]);
    for (i = 0; i < ml->nr; i++) {
        const struct cli_piece *pc = &ml->v[i];

        snprintf(buf, sizeof(buf), "0x%" PRIx64, pc->start);
        widen(&w[COL_START], buf);
        snprintf(buf, sizeof(buf), "0x%" PRIx64, pc->end);
        widen(&w[COL_END], buf);
        widen(&w[COL_SIZE], lxs_fmt_size(pc->end - pc->start, size));
        widen(&w[COL_KIND], cli_piece_type_name(pc->type));
        widen(&w[COL_OWNER], pc->owner ? pc->owner : "-");
    }
}

static void text_row(FILE *f, const struct lxs_range *bank,
                     const struct cli_piece *pc, const int w[NR_COLS])
{
    char start[HEX_STRLEN], end[HEX_STRLEN], size[LXS_SIZE_STRLEN];
    char bar[BAR_WIDTH + 1];
    unsigned int c0, c1, c;

    piece_columns(bank, pc, BAR_WIDTH, &c0, &c1);
    for (c = 0; c < BAR_WIDTH; c++)
        bar[c] = c >= c0 && c < c1 ? piece_symbol(pc) : ' ';
    bar[BAR_WIDTH] = '\0';
    snprintf(start, sizeof(start), "0x%" PRIx64, pc->start);
    snprintf(end, sizeof(end), "0x%" PRIx64, pc->end);
    fprintf(f, "  %-*s  %-*s  %*s  %-*s  ", w[COL_START], start,
            w[COL_END], end, w[COL_SIZE],
            lxs_fmt_size(pc->end - pc->start, size),
            w[COL_KIND], cli_piece_type_name(pc->type));
    cli_put_text(f, pc->owner ? pc->owner : "-");
    fprintf(f, "%*s  |%s|  ",
            w[COL_OWNER] - (int)strlen(pc->owner ? pc->owner : "-"), "",
            bar);
    cli_put_text(f, pc->label ? pc->label : "-");
    if (pc->state && strcmp(pc->state, "free"))
        fprintf(f, " (%s)", pc->state);
    fputc('\n', f);
}

int cli_map_print_text(FILE *f, const struct cli_memlist *ml,
                       const struct lxs_hostmap *map)
{
    char size[LXS_SIZE_STRLEN], range[XLS_RANGE_STRLEN];
    char line[BAR_WIDTH + 1];
    int w[NR_COLS];
    size_t b, first, last, i;

    column_widths(ml, w);
    fprintf(f, "memory map (%s): %zu RAM bank%s\n", ml->source,
            map->ram.nr, map->ram.nr == 1 ? "" : "s");
    fprintf(f, "  . free RAM   p free pool   R reserved   O owned   "
            "P planned   ! conflict\n");
    for (b = 0; b < map->ram.nr; b++) {
        const struct lxs_range *bank = &map->ram.v[b];

        bank_pieces(ml, bank, &first, &last);
        overview(ml, bank, first, last, line);
        fprintf(f, "\nbank %s (%s)  |%s|\n",
                cli_fmt_range(bank->start, bank->end - bank->start, range),
                lxs_fmt_size(bank->end - bank->start, size), line);
        for (i = first; i < last; i++)
            text_row(f, bank, &ml->v[i], w);
    }
    return ferror(f) ? -EIO : 0;
}

/* ------------------------------------------------------------------ */
/* SVG                                                                 */

/* Text for XML: escaped, and only well-formed UTF-8 without controls. */
static void svg_text(FILE *f, const char *s)
{
    while (*s) {
        unsigned char c = (unsigned char)*s;
        size_t n;

        switch (c) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&apos;", f);
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fputc('?', f);
                break;
            }
            n = lxs_utf8_char(s);
            if (!n) {
                fputc('?', f);
                break;
            }
            fwrite(s, 1, n, f);
            s += n;
            continue;
        }
        s++;
    }
}

/* A range as the title of its element: "START-END SIZE KIND OWNER LABEL". */
static void svg_title(FILE *f, const struct cli_piece *pc)
{
    char range[XLS_RANGE_STRLEN], size[LXS_SIZE_STRLEN];

    fprintf(f, "<title>%s %s %s",
            cli_fmt_range(pc->start, pc->end - pc->start, range),
            lxs_fmt_size(pc->end - pc->start, size),
            cli_piece_type_name(pc->type));
    if (pc->owner) {
        fputc(' ', f);
        svg_text(f, pc->owner);
    }
    if (pc->label) {
        fputc(' ', f);
        svg_text(f, pc->label);
    }
    fputs("</title>", f);
}

/* One row: the range as text and its rectangle at its place in the bank. */
static void svg_row(FILE *f, const struct lxs_range *bank,
                    const struct cli_piece *pc, int y)
{
    char range[XLS_RANGE_STRLEN], size[LXS_SIZE_STRLEN];
    unsigned int c0, c1;

    piece_columns(bank, pc, SVG_TRACK_W, &c0, &c1);
    fprintf(f, "<text x=\"16\" y=\"%d\">%s</text>", y + 13,
            cli_fmt_range(pc->start, pc->end - pc->start, range));
    fprintf(f, "<text x=\"300\" y=\"%d\">%s %s", y + 13,
            lxs_fmt_size(pc->end - pc->start, size),
            cli_piece_type_name(pc->type));
    if (pc->owner) {
        fputc(' ', f);
        svg_text(f, pc->owner);
    }
    fputs("</text>\n", f);
    fprintf(f, "<rect class=\"range %s\" x=\"%u\" y=\"%d\" width=\"%u\" "
            "height=\"%d\" fill=\"%s\" stroke=\"#444444\" "
            "stroke-width=\"0.5\">", cli_piece_type_name(pc->type),
            SVG_TRACK_X + c0, y + 3, c1 - c0, SVG_ROW - 5,
            piece_colour(pc));
    svg_title(f, pc);
    fputs("</rect>\n", f);
}

static void svg_legend(FILE *f, int y)
{
    static const struct cli_piece keys[] = {
        { .type = XLS_PIECE_RAM_FREE }, { .type = XLS_PIECE_POOL_FREE },
        { .type = XLS_PIECE_RESERVED }, { .type = XLS_PIECE_OWNED },
        { .type = XLS_PIECE_PLANNED }, { .type = XLS_PIECE_OWNED,
                                         .state = "conflict" },
    };
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        int x = 8 + (int)i * 120;

        fprintf(f, "<rect class=\"legend\" x=\"%d\" y=\"%d\" width=\"12\" "
                "height=\"12\" fill=\"%s\" stroke=\"#444444\"/>"
                "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y,
                piece_colour(&keys[i]), x + 16, y + 10,
                keys[i].state ? keys[i].state :
                cli_piece_type_name(keys[i].type));
    }
}

static int svg_height(const struct cli_memlist *ml,
                      const struct lxs_hostmap *map)
{
    return 80 + (int)map->ram.nr * 2 * SVG_ROW + (int)ml->nr * SVG_ROW;
}

static void svg_document(FILE *f, const struct cli_memlist *ml,
                         const struct lxs_hostmap *map)
{
    char range[XLS_RANGE_STRLEN], size[LXS_SIZE_STRLEN];
    int y = 56, h = svg_height(ml, map);
    size_t b, first, last, i;

    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\" "
            "font-size=\"12\">\n", SVG_WIDTH, h, SVG_WIDTH, h);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            SVG_WIDTH, h);
    fprintf(f, "<text x=\"8\" y=\"20\" font-size=\"14\">memory map (%s): "
            "%zu RAM bank%s</text>\n", ml->source, map->ram.nr,
            map->ram.nr == 1 ? "" : "s");
    svg_legend(f, 30);
    for (b = 0; b < map->ram.nr; b++) {
        const struct lxs_range *bank = &map->ram.v[b];

        bank_pieces(ml, bank, &first, &last);
        fprintf(f, "<g class=\"bank\">\n<text x=\"8\" y=\"%d\" "
                "font-weight=\"bold\">bank %s (%s)</text>\n", y + 13,
                cli_fmt_range(bank->start, bank->end - bank->start, range),
                lxs_fmt_size(bank->end - bank->start, size));
        y += SVG_ROW;
        fprintf(f, "<rect class=\"bank-track\" x=\"%d\" y=\"%d\" "
                "width=\"%d\" height=\"%d\" fill=\"none\" "
                "stroke=\"#000000\"/>\n", SVG_TRACK_X, y + 1, SVG_TRACK_W,
                (int)(last - first) * SVG_ROW - 1);
        for (i = first; i < last; i++, y += SVG_ROW)
            svg_row(f, bank, &ml->v[i], y);
        fputs("</g>\n", f);
        y += SVG_ROW;
    }
    fputs("</svg>\n", f);
}

int cli_map_svg(const struct cli_memlist *ml, const struct lxs_hostmap *map,
                char **buf_r, size_t *len_r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    f = open_memstream(&buf, &len);
    if (!f)
        return -errno;
    svg_document(f, ml, map);
    if (ferror(f)) {
        fclose(f);
        free(buf);
        return -ENOMEM;
    }
    if (fclose(f)) {
        free(buf);
        return -ENOMEM;
    }
    *buf_r = buf;
    *len_r = len;
    return 0;
}

int cli_map_check_opts(const struct cli_opts *o, const char *cmd)
{
    if (o->map && o->json && !o->map_file) {
        cli_err("%s: the text --map and -j exclude each other "
                "(--map=FILE.svg writes the picture to a file)", cmd);
        return XLS_EXIT_CANNOT_RUN;
    }
    return 0;
}

int cli_map_emit(const char *file, const struct cli_memlist *ml,
                 const struct lxs_hostmap *map)
{
    struct lxs_outfile out;
    char *svg = NULL;
    size_t len;
    int rc, ret = XLS_EXIT_CANNOT_RUN;

    lxs_outfile_init(&out);
    if (!file) {
        rc = cli_map_print_text(stdout, ml, map);
        if (rc) {
            cli_err("cannot write the map: %s", strerror(-rc));
            return XLS_EXIT_CANNOT_RUN;
        }
        return 0;
    }
    rc = cli_map_svg(ml, map, &svg, &len);
    if (rc) {
        cli_err("cannot draw the map: %s", strerror(-rc));
        goto out;
    }
    rc = lxs_outfile_write(&out, file, svg, len);
    if (rc) {
        cli_err("cannot write '%s': %s", file, lxs_file_strerror(rc));
        goto out;
    }
    /* what went to stdout first, then the file, or neither */
    if (cli_flush_stdout())
        goto out;
    rc = lxs_outfile_commit(&out);
    if (rc) {
        cli_err("cannot write '%s': %s", file, lxs_file_strerror(rc));
        goto out;
    }
    ret = 0;
out:
    lxs_outfile_discard(&out);
    free(svg);
    return ret;
}
