/* board_libc.c: the few C library functions wasm3 and the shim need on this board.
 *
 * Not picolibc's libc.a: esp-alloc already exports malloc/free, esp-rom-sys
 * __assert_func, and the chip's ROM memcpy/memset (linked by esp-hal's scripts), so
 * linking the whole libc.a would define them twice. picolibc's strtoul also reads a
 * thread-local errno the firmware has no TLS for. strlen comes from Rust's
 * compiler_builtins.
 */
#include <stddef.h>

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return (unsigned char)*a - (unsigned char)*b;
}

/* Only wasm3's m3_CallArgv (never called here: the shim calls through m3_CallV)
 * refers to these; decimal is enough for it. */
unsigned long long strtoull(const char *s, char **end, int base)
{
    unsigned long long v = 0;
    (void)base;
    while (*s >= '0' && *s <= '9') v = v * 10u + (unsigned long long)(*s++ - '0');
    if (end) *end = (char *)s;
    return v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
    return (unsigned long)strtoull(s, end, base);
}
