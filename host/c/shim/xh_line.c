/* xh_line.c: see xh_line.h. */
#include "xh_line.h"

#include <string.h>

void xh_line_init(xh_line *l, char *buf, size_t cap)
{
    XH_ASSERT(l && buf && cap > 0);
    l->buf = buf;
    l->cap = cap;
    l->len = 0;
    l->overflow = 0;
    buf[0] = '\0';
}

static size_t xh_line_room(xh_line *l, size_t want)
{
    size_t room = l->cap - 1 - l->len;
    if (want > room) { l->overflow = 1; return room; }
    return want;
}

void xh_line_bytes(xh_line *l, const void *data, size_t len)
{
    size_t n = xh_line_room(l, len);
    memcpy(l->buf + l->len, data, n);
    l->len += n;
    l->buf[l->len] = '\0';
}

void xh_line_str(xh_line *l, const char *text)
{
    xh_line_bytes(l, text, strlen(text));
}

void xh_line_char(xh_line *l, char c)
{
    xh_line_bytes(l, &c, 1);
}

void xh_line_u64(xh_line *l, uint64_t value)
{
    char digits[20];
    size_t n = 0;
    do { digits[sizeof digits - 1 - n++] = (char)('0' + value % 10); value /= 10; } while (value);
    xh_line_bytes(l, digits + sizeof digits - n, n);
}

void xh_line_i64(xh_line *l, int64_t value)
{
    if (value < 0) {
        xh_line_char(l, '-');
        xh_line_u64(l, (uint64_t)0 - (uint64_t)value);
    } else {
        xh_line_u64(l, (uint64_t)value);
    }
}

void xh_line_hex(xh_line *l, const uint8_t *data, size_t len)
{
    size_t room = (l->cap - 1 - l->len) / 2;
    if (len > room) { l->overflow = 1; len = room; }
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        l->buf[l->len++] = digits[data[i] >> 4];
        l->buf[l->len++] = digits[data[i] & 15];
    }
    l->buf[l->len] = '\0';
}

void xh_line_ipv4(xh_line *l, uint32_t ipv4)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        xh_line_u64(l, (ipv4 >> shift) & 0xff);
        if (shift) xh_line_char(l, '.');
    }
}

int xh_parse_ipv4(const char *text, uint32_t *ipv4)
{
    uint32_t v = 0;
    for (int part = 0; part < 4; part++) {
        unsigned n = 0, digits = 0;
        while (*text >= '0' && *text <= '9') {
            n = n * 10 + (unsigned)(*text++ - '0');
            if (++digits > 3) return -1;
        }
        if (digits == 0 || n > 255) return -1;
        v = v << 8 | n;
        if (part < 3 && *text++ != '.') return -1;
    }
    if (*text != '\0') return -1;
    *ipv4 = v;
    return 0;
}
