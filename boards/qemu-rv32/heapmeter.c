/* heapmeter.c: see heapmeter.h. Compiled WITHOUT the -D renames. */
#include "heapmeter.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t hm_cur, hm_peak, hm_count;

typedef union { size_t n; long double ld; long long ll; void *p; } hm_hdr;

static void hm_add(size_t n)
{
    hm_cur += n;
    if (hm_cur > hm_peak) hm_peak = hm_cur;
}

void *hm_calloc(size_t n, size_t size)
{
    size_t bytes = n * size;
    hm_hdr *h = calloc(1, sizeof(hm_hdr) + bytes);
    if (!h) return NULL;
    h->n = bytes;
    hm_count++;
    hm_add(bytes);
    return h + 1;
}

void *hm_realloc(void *p, size_t size)
{
    if (!p) {
        hm_hdr *h = malloc(sizeof(hm_hdr) + size);
        if (!h) return NULL;
        h->n = size;
        hm_count++;
        hm_add(size);
        return h + 1;
    }
    hm_hdr *old = (hm_hdr *)p - 1;
    size_t before = old->n;
    hm_hdr *h = realloc(old, sizeof(hm_hdr) + size);
    if (!h) return NULL;
    h->n = size;
    hm_cur -= before;
    hm_add(size);
    if (size > before) hm_count++;
    return h + 1;
}

void hm_free(void *p)
{
    if (!p) return;
    hm_hdr *h = (hm_hdr *)p - 1;
    hm_cur -= h->n;
    free(h);
}

#if defined(__riscv) && !defined(__linux__)
#include <unistd.h>
extern char __heap_start[], __heap_end[], __stack[];
#define PAINT 0xA5A5A5A5u

void stack_paint(void)
{
    uint32_t *p = (uint32_t *)__heap_end;
    uint32_t *sp = (uint32_t *)__builtin_frame_address(0) - 64; /* keep clear of our frame */
    while (p < sp) *p++ = PAINT;
}

size_t stack_used(void)
{
    uint32_t *p = (uint32_t *)__heap_end;
    while (p < (uint32_t *)__stack && *p == PAINT) p++;
    return (size_t)(__stack - (char *)p);
}

size_t brk_used(void)
{
    return (size_t)((char *)sbrk(0) - __heap_start);
}
#endif
