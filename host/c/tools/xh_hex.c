/* xh_hex.c: see xh_hex.h. */
#include "xh_hex.h"

static int xh_hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void xh_hex_begin(xh_hex_decoder *d, uint8_t *buf, uint32_t cap)
{
    XH_ASSERT(d && (buf || cap == 0));
    d->buf = buf;
    d->cap = cap;
    d->len = 0;
    d->high = -1;
    d->stopped = 0;
}

void xh_hex_feed(xh_hex_decoder *d, char c)
{
    if (d->stopped) return;
    if (d->high < 0) {
        /* Node checks a pair only once it is complete: keep even an invalid first digit. */
        d->high = (int16_t)(xh_hex_digit(c) < 0 ? 16 : xh_hex_digit(c));
        return;
    }
    int low = xh_hex_digit(c);
    int high = d->high;
    d->high = -1;
    if (high > 15 || low < 0) { d->stopped = 1; return; }
    if (d->len < d->cap) d->buf[d->len] = (uint8_t)(high << 4 | low);
    d->len++;
}
