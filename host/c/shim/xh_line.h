/* xh_line.h: builds one line of text in a caller's buffer (no printf: the same
 * bytes on every libc, and no formatted-I/O code in a firmware that has none).
 * Appends past the capacity are dropped and flagged; the text stays terminated. */
#ifndef XH_LINE_H
#define XH_LINE_H

#include "xh_types.h"

typedef struct xh_line {
    char   *buf;
    size_t  cap;        /* including the terminator */
    size_t  len;
    uint8_t overflow;
} xh_line;

void xh_line_init(xh_line *l, char *buf, size_t cap);
void xh_line_bytes(xh_line *l, const void *data, size_t len);
void xh_line_str(xh_line *l, const char *text);
void xh_line_char(xh_line *l, char c);
void xh_line_u64(xh_line *l, uint64_t value);
void xh_line_i64(xh_line *l, int64_t value);
void xh_line_hex(xh_line *l, const uint8_t *data, size_t len);
/* 0x7f000001 -> "127.0.0.1" */
void xh_line_ipv4(xh_line *l, uint32_t ipv4);

/* "127.0.0.1" -> 0x7f000001; 0 on success, -1 when not a dotted quad. */
int xh_parse_ipv4(const char *text, uint32_t *ipv4);

#endif /* XH_LINE_H */
