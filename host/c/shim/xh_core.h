/* xh_core.h: one AssemblyScript .wasm under wasm3, whatever its ABI.
 *
 * Loads the bytes (they must outlive the core: wasm3 compiles from them),
 * creates the wasm3 environment and runtime with memoryLimit set, links the
 * imports of a table (and fails when the module imports anything else), runs
 * the start function, and calls exports by handle. xh_xpl.c and xh_izzy.c put
 * their ABI on top. Static: one xh_core_t per module, owned by the caller; wasm3
 * allocates its own runtime once, in xh_core_load.
 */
#ifndef XH_CORE_H
#define XH_CORE_H

#include <stdarg.h>
#include "xh_types.h"

struct M3Environment;
struct M3Runtime;
struct M3Module;
struct M3Function;

typedef struct M3Function *xh_fn;

/* An import handler: args[0..argc) are the i32 arguments; write the i32 result
 * (for a signature with one) to *ret. Return xh_ok, or a string: the call traps. */
typedef xh_result (*xh_import_fn)(void *user, const int32_t *args, int32_t *ret);

#define XH_IMPORT_MAX_ARGS 8

typedef struct xh_import {
    const char  *name;       /* field name, module "env" */
    const char  *signature;  /* wasm3 notation, i32 only: "v(ii)", "i(ii)", "v()" */
    xh_import_fn fn;
} xh_import;

#define XH_CORE_MAX_IMPORTS 8

typedef struct xh_binding {
    struct xh_core  *core;
    const xh_import *import;
    uint8_t          argc;
    uint8_t          has_ret;
} xh_binding;

typedef struct xh_core_options {
    uint32_t memory_limit_bytes;   /* wasm3 allocates only this much of the linear memory */
    uint32_t stack_bytes;          /* wasm3 runtime (value) stack */
    uint8_t  compile_all;          /* compile every function now: no allocation after load */
} xh_core_options;

typedef struct xh_core {
    struct M3Environment *env;
    struct M3Runtime     *runtime;
    struct M3Module      *module;
    uint8_t              *mem;         /* linear memory (never moves: one page, no growth) */
    uint32_t              mem_bytes;   /* allocated = memory_limit_bytes */
    void                 *user;        /* handed to every import */
    xh_binding            bindings[XH_CORE_MAX_IMPORTS];
    unsigned              num_bindings;
} xh_core_t;

/* Loads and instantiates; on failure everything is freed and core is zeroed. */
xh_result xh_core_load(xh_core_t *core, const uint8_t *wasm, uint32_t wasm_len,
                       const xh_core_options *options,
                       const xh_import *imports, unsigned num_imports, void *user);

void xh_core_free(xh_core_t *core);

/* Finds an export and checks its signature (wasm3 notation, i32 only). */
xh_result xh_core_find(xh_core_t *core, const char *name, const char *signature, xh_fn *fn);

/* Calls an export with its i32 arguments (exactly as many as its signature
 * says); *ret gets the i32 result when ret is not NULL. */
xh_result xh_core_call(xh_core_t *core, xh_fn fn, int32_t *ret, ...);

/* [offset, offset+len) of the linear memory, or NULL when outside what is allocated. */
uint8_t *xh_core_mem(const xh_core_t *core, uint32_t offset, uint32_t len);

#endif /* XH_CORE_H */
