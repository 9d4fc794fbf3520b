/* fuzz_core.h: what the libFuzzer targets share.
 *
 * A core under wasm3 takes milliseconds to load and compile, an input should
 * take microseconds: each target sets its core up once (LLVMFuzzerInitialize),
 * takes a snapshot of everything the core's state lives in (its linear memory
 * and its wasm globals), and puts that snapshot back before every input, so an
 * input always meets the same device and a crash replays alone.
 */
#ifndef FUZZ_CORE_H
#define FUZZ_CORE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xh_core.h"
#include "wasm3.h"
#include "m3_env.h"

#define FUZZ_GLOBALS_MAX 64u
#define FUZZ_MEMORY_MAX  8192u

typedef struct fuzz_snapshot {
    uint8_t  memory[FUZZ_MEMORY_MAX];
    uint32_t memory_bytes;
    int64_t  globals[FUZZ_GLOBALS_MAX];
    uint32_t num_globals;
} fuzz_snapshot;

/* A finding: libFuzzer keeps the input and stops (abort is what it watches for). */
#define FUZZ_CHECK(cond) \
    do { if (!(cond)) { fprintf(stderr, "fuzz: check failed: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

void xh_assert_failed(const char *file, int line, const char *what)
{
    fprintf(stderr, "assertion failed: %s:%d: %s\n", file, line, what);
    abort();
}

static void fuzz_snapshot_take(fuzz_snapshot *s, const xh_core_t *core)
{
    FUZZ_CHECK(core->mem_bytes <= FUZZ_MEMORY_MAX && core->module->numGlobals <= FUZZ_GLOBALS_MAX);
    s->memory_bytes = core->mem_bytes;
    memcpy(s->memory, core->mem, core->mem_bytes);
    s->num_globals = core->module->numGlobals;
    for (uint32_t i = 0; i < s->num_globals; i++) s->globals[i] = core->module->globals[i].intValue;
}

static void fuzz_snapshot_restore(const fuzz_snapshot *s, xh_core_t *core)
{
    memcpy(core->mem, s->memory, s->memory_bytes);
    for (uint32_t i = 0; i < s->num_globals; i++) core->module->globals[i].intValue = s->globals[i];
}

/* Reads a little-endian u16 from an input cursor (0 past its end). */
static uint32_t fuzz_u8(const uint8_t **p, const uint8_t *end)
{
    return *p < end ? *(*p)++ : 0;
}

#endif /* FUZZ_CORE_H */
