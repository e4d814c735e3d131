/*
 * Sizes and addresses: strict number parsing, binary suffixes,
 * overflow-checked arithmetic and a size formatter for people.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lxs_internal.h"

static int digit_value(char c, unsigned int base)
{
    unsigned int v;

    if (c >= '0' && c <= '9')
        v = c - '0';
    else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
    else
        return -1;
    return v < base ? (int)v : -1;
}

/*
 * Parses the number at the start of @s (decimal, or hex after "0x" or
 * "0X") and sets *end_r to the first character after it.  At least one
 * digit is required.  -EINVAL, -ERANGE.
 */
static int parse_number(const char *s, uint64_t *val_r, const char **end_r)
{
    unsigned int base = 10;
    uint64_t val = 0;
    const char *p = s;
    int d;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (digit_value(*p, base) < 0)
        return -EINVAL;
    for (; (d = digit_value(*p, base)) >= 0; p++) {
        if (lxs_mul_overflow(val, base, &val) ||
            lxs_add_overflow(val, (uint64_t)d, &val))
            return -ERANGE;
    }
    *val_r = val;
    *end_r = p;
    return 0;
}

int lxs_parse_u64(const char *s, uint64_t *val_r)
{
    const char *end;
    uint64_t val;
    int rc;

    if (!s)
        return -EINVAL;
    rc = parse_number(s, &val, &end);
    if (rc)
        return rc;
    if (*end)
        return -EINVAL;
    *val_r = val;
    return 0;
}

/* The shift of a binary suffix letter, or -1. */
static int suffix_shift(char c)
{
    switch (c) {
    case 'k': case 'K': return 10;
    case 'm': case 'M': return 20;
    case 'g': case 'G': return 30;
    case 't': case 'T': return 40;
    default: return -1;
    }
}

int lxs_parse_size_unit(const char *s, uint64_t unit, uint64_t *size_r)
{
    const char *end;
    uint64_t val, mult;
    int rc, shift;

    if (!s || !unit)
        return -EINVAL;
    rc = parse_number(s, &val, &end);
    if (rc)
        return rc;
    if (!*end) {
        mult = unit;
    } else {
        shift = suffix_shift(*end);
        if (shift < 0 || end[1])
            return -EINVAL;
        mult = UINT64_C(1) << shift;
    }
    if (lxs_mul_overflow(val, mult, &val))
        return -ERANGE;
    *size_r = val;
    return 0;
}

int lxs_parse_size(const char *s, uint64_t *size_r)
{
    return lxs_parse_size_unit(s, 1, size_r);
}

bool lxs_add_overflow(uint64_t a, uint64_t b, uint64_t *sum_r)
{
    uint64_t sum;

    if (__builtin_add_overflow(a, b, &sum))
        return true;
    *sum_r = sum;
    return false;
}

bool lxs_mul_overflow(uint64_t a, uint64_t b, uint64_t *prod_r)
{
    uint64_t prod;

    if (__builtin_mul_overflow(a, b, &prod))
        return true;
    *prod_r = prod;
    return false;
}

char *lxs_fmt_size(uint64_t size, char buf[LXS_SIZE_STRLEN])
{
    static const struct {
        unsigned int shift;
        char suffix;
    } units[] = {
        { 40, 'T' }, { 30, 'G' }, { 20, 'M' }, { 10, 'K' },
    };
    size_t i;

    for (i = 0; size && i < sizeof(units) / sizeof(units[0]); i++) {
        uint64_t mask = (UINT64_C(1) << units[i].shift) - 1;

        if (!(size & mask)) {
            snprintf(buf, LXS_SIZE_STRLEN, "%" PRIu64 "%c",
                     size >> units[i].shift, units[i].suffix);
            return buf;
        }
    }
    snprintf(buf, LXS_SIZE_STRLEN, "%" PRIu64, size);
    return buf;
}

const char *lxs_fmt_dma_offset(uint64_t dma_offset, char *buf)
{
    if ((int64_t)dma_offset < 0)
        snprintf(buf, LXS_DMA_OFFSET_STRLEN, "-0x%" PRIx64, -dma_offset);
    else
        snprintf(buf, LXS_DMA_OFFSET_STRLEN, "0x%" PRIx64, dma_offset);
    return buf;
}
