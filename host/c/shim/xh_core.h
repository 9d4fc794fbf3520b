/* xh_core.h: one AssemblyScript .wasm under wasm3, whatever its ABI.
 *
 * Loads the bytes (they must outlive the core: wasm3 compiles from them),
 * creates the wasm3 environment and runtime with memoryLimit set, links the
 * imports of a table (and fails when the module imports anything else), sizes
 * the linear memory to the module's static top, compiles every function, and
 * calls exports by handle: ONE call path for every protocol (xh_core_call), which
 * keeps the rule that wasm3 cannot be re-entered. xh_xpl.c and xh_izzy.c put
 * their ABI on top. Static: one xh_core_t per module, owned by the caller; wasm3
 * allocates its own runtime once, in xh_core_load.
 */
#ifndef XH_CORE_H
#define XH_CORE_H

#include "xh_types.h"

struct M3Environment;
struct M3Runtime;
struct M3Module;
struct M3Function;

typedef struct M3Function *xh_fn;

/* An import handler. Called by wasm3 from inside xh_core_call (never at another
 * time), with args[0..argc) the i32 arguments; writes the i32 result (for a
 * signature with one) to *ret. Must not call into the core (wasm3 cannot be
 * re-entered). Returns xh_ok, or a string: the call traps and xh_core_call returns
 * that string. */
typedef xh_result (*xh_import_fn)(void *user, const int32_t *args, int32_t *ret);

#define XH_CORE_MAX_ARGS 8   /* the most i32 arguments of an import or an export */

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
    uint32_t    memory_limit_bytes;  /* the most linear memory this board gives the module */
    uint32_t    stack_bytes;         /* wasm3 runtime (value) stack */
    uint8_t     compile_all;         /* compile every function now: no allocation after load */
    /* The module's query export, i(ii) (which, arg), and the `which` that gives the
     * end of its static memory (nothing is ever touched above it): the linear
     * memory is then cut to it, rounded up to XH_CORE_MEMORY_ALIGN, before anything
     * else is allocated; load fails when it is above memory_limit_bytes.
     * query_export NULL: memory_limit_bytes are allocated. */
    const char *query_export;
    int32_t     static_top_query;
    /* An export i() giving the module's ABI version, asked before anything else (every
     * version keeps it), and the version this shim speaks: load fails on another one.
     * NULL: not checked. */
    const char *abi_version_export;
    int32_t     abi_version;
} xh_core_options;

#define XH_CORE_MEMORY_ALIGN 16u

typedef struct xh_core {
    struct M3Environment *env;
    struct M3Runtime     *runtime;
    struct M3Module      *module;
    uint8_t              *mem;          /* linear memory (never moves after load: no growth) */
    uint32_t              mem_bytes;    /* allocated */
    uint32_t              static_top;   /* what the static top query answered (0: not asked) */
    void                 *user;         /* handed to every import */
    xh_binding            bindings[XH_CORE_MAX_IMPORTS];
    unsigned              num_bindings;
    uint8_t               in_call;      /* inside xh_core_call: imports may run, calls may not */
    xh_result             import_error; /* the first error an import returned during the call */
} xh_core_t;

/* Loads and instantiates; on failure everything is freed and core is zeroed. */
xh_result xh_core_load(xh_core_t *core, const uint8_t *wasm, uint32_t wasm_len,
                       const xh_core_options *options,
                       const xh_import *imports, unsigned num_imports, void *user);

void xh_core_free(xh_core_t *core);

/* Finds an export and checks its signature (wasm3 notation, i32 only). */
xh_result xh_core_find(xh_core_t *core, const char *name, const char *signature, xh_fn *fn);

/* THE call into a module: args[0..argc) (exactly as many as the export's
 * signature says), *ret gets the i32 result when ret is not NULL and the export
 * has one. Imports run inside it; the first error an import returned wins over
 * the trap it caused. Never from inside an import (asserted). */
xh_result xh_core_call(xh_core_t *core, xh_fn fn, const int32_t *args, unsigned argc, int32_t *ret);

/* [offset, offset+len) of the linear memory, or NULL when outside what is allocated. */
uint8_t *xh_core_mem(const xh_core_t *core, uint32_t offset, uint32_t len);

/* What wasm3 holds for this core, by part, in bytes (payloads as wasm3 asks them
 * of calloc/realloc, no allocator headers). Read it after load: the sum is
 * everything wasm3 allocated for the core when compile_all is set. */
typedef struct xh_core_footprint {
    uint32_t code_pages;        /* compiled code: whole pages, used or not */
    uint32_t code_used;         /* of which lines written */
    uint32_t num_code_pages;
    uint32_t functions;         /* M3Function records (imports included) */
    uint32_t num_functions;
    uint32_t constants;         /* per-function constant tables */
    uint32_t linear_memory;     /* linear memory with its header */
    uint32_t value_stack;       /* wasm3 runtime stack */
    uint32_t globals;           /* M3Global records */
    uint32_t num_globals;
    uint32_t data_segments;     /* M3DataSegment records (the bytes stay in the .wasm) */
    uint32_t num_data_segments;
    uint32_t names;             /* export and import names (copied strings) */
    uint32_t types;             /* function types: the environment's list and the module's table */
    uint32_t runtime;           /* M3Runtime (its M3Compilation included) */
    uint32_t environment;       /* M3Environment */
    uint32_t module;            /* M3Module and its table0 */
    uint32_t total;             /* the sum of the parts above, code_used excluded */
} xh_core_footprint;

void xh_core_measure(const xh_core_t *core, xh_core_footprint *fp);

#endif /* XH_CORE_H */
