/* heapmeter.h: count what wasm3 allocates (payload bytes, high-water mark).
 *
 * wasm3 v0.5.0 calls calloc/realloc/free only from m3_core.c (m3_Malloc,
 * m3_Realloc, m3_FreeImpl). Compile THAT file with
 *     -Dcalloc=hm_calloc -Drealloc=hm_realloc -Dfree=hm_free
 * (see wasm3.mk) and link heapmeter.c: only the engine's allocations are
 * counted, libc's own (stdio FILEs etc.) are not. Works on any host.
 */
#ifndef HEAPMETER_H
#define HEAPMETER_H
#include <stddef.h>

extern size_t hm_cur;    /* bytes live now */
extern size_t hm_peak;   /* high-water mark of hm_cur */
extern size_t hm_count;  /* number of calloc + growing/new realloc calls */

void *hm_calloc(size_t n, size_t size);
void *hm_realloc(void *p, size_t size);
void  hm_free(void *p);

/* Stack high-water on bare metal (picolibc's picolibc.ld): the stack is
 * [__heap_end, __stack). Call stack_paint() early in main, stack_used() later. */
#if defined(__riscv) && !defined(__linux__)
void   stack_paint(void);
size_t stack_used(void);
size_t brk_used(void);   /* bytes taken from picolibc's heap via sbrk */
#endif
#endif
