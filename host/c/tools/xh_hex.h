/* xh_hex.h: hexadecimal to bytes, without buffers of its own (xh_line_hex writes hex).
 *
 * The decoder is a stream (one character at a time) with Node's Buffer.from(s,
 * "hex") rules, so every host reads a scenario the same: pairs of hex digits;
 * decoding stops for good at the first pair that is not one; an odd last digit
 * is dropped. Bytes past `cap` are counted, not stored: a datagram longer than
 * the core's RX still gets its real length.
 */
#ifndef XH_HEX_H
#define XH_HEX_H

#include "xh_types.h"

typedef struct xh_hex_decoder {
    uint8_t *buf;       /* where bytes go (may be NULL with cap 0: count only) */
    uint32_t cap;
    uint32_t len;       /* bytes decoded so far (may exceed cap) */
    int16_t  high;      /* first digit of a pair, or -1 */
    uint8_t  stopped;   /* an invalid pair was seen */
} xh_hex_decoder;

void xh_hex_begin(xh_hex_decoder *d, uint8_t *buf, uint32_t cap);
void xh_hex_feed(xh_hex_decoder *d, char c);

#endif /* XH_HEX_H */
