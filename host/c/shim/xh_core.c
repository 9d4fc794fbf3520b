/* xh_core.c: see xh_core.h. The only file of the shim that includes wasm3's
 * internal header m3_env.h (for runtime->memoryLimit and the import check): it
 * must be compiled with the engine's exact WASM3_DEFS. */
#include "xh_core.h"

#include <string.h>

#include "wasm3.h"
#include "m3_env.h"

static const char xh_err_signature[]   = "xh_core: bad signature text";
static const char xh_err_too_many[]    = "xh_core: too many imports (XH_CORE_MAX_IMPORTS)";
static const char xh_err_unlinked[]    = "xh_core: the module imports a function outside the ABI";
static const char xh_err_mismatch[]    = "xh_core: export signature differs from the ABI";
static const char xh_err_no_memory[]   = "xh_core: the module has no linear memory";
static const char xh_err_import_mem[]  = "xh_core: the module imports its memory";

/* "i(ii)" -> argc 2, has_ret 1. i32 only: that is all both ABIs use. */
static xh_result xh_parse_signature(const char *sig, uint8_t *argc, uint8_t *has_ret)
{
    if (!sig || (sig[0] != 'i' && sig[0] != 'v') || sig[1] != '(') return xh_err_signature;
    unsigned n = 0;
    const char *p = sig + 2;
    while (*p == 'i') { n++; p++; }
    if (p[0] != ')' || p[1] != '\0' || n > XH_IMPORT_MAX_ARGS) return xh_err_signature;
    *argc = (uint8_t)n;
    *has_ret = sig[0] == 'i';
    return xh_ok;
}

/* The one raw function behind every import: i32 arguments out of wasm3's 64-bit
 * io slots (result slot first), into the handler, result back. */
static m3ApiRawFunction(xh_trampoline)
{
    (void)runtime;
    (void)_mem;
    const xh_binding *b = (const xh_binding *)_ctx->userdata;
    XH_ASSERT(b && b->core && b->import);
    uint64_t *ret_slot = b->has_ret ? _sp++ : NULL;
    int32_t args[XH_IMPORT_MAX_ARGS];
    for (unsigned i = 0; i < b->argc; i++) {
        m3ApiGetArg(int32_t, arg);
        args[i] = arg;
    }
    int32_t ret = 0;
    xh_result r = b->import->fn(b->core->user, args, &ret);
    if (r) m3ApiTrap(r);
    if (ret_slot) *(int32_t *)ret_slot = ret;
    m3ApiSuccess();
}

static xh_result xh_link(xh_core_t *core, const xh_import *imports, unsigned num_imports)
{
    if (num_imports > XH_CORE_MAX_IMPORTS) return xh_err_too_many;
    for (unsigned i = 0; i < num_imports; i++) {
        xh_binding *b = &core->bindings[i];
        b->core = core;
        b->import = &imports[i];
        xh_result r = xh_parse_signature(imports[i].signature, &b->argc, &b->has_ret);
        if (r) return r;
        M3Result m = m3_LinkRawFunctionEx(core->module, "env", imports[i].name, imports[i].signature,
                                          xh_trampoline, b);
        /* functionLookupFailed: the module does not import this one, which is fine. */
        if (m && m != m3Err_functionLookupFailed) return m;
        core->num_bindings = i + 1;
    }
    /* Exactly the ABI: every function import must now be linked. */
    for (uint32_t i = 0; i < core->module->numFuncImports; i++) {
        if (!core->module->functions[i].compiled) return xh_err_unlinked;
    }
    return xh_ok;
}

void xh_core_free(xh_core_t *core)
{
    if (core->runtime) m3_FreeRuntime(core->runtime);   /* frees the loaded module too */
    else if (core->module) m3_FreeModule(core->module);
    if (core->env) m3_FreeEnvironment(core->env);
    memset(core, 0, sizeof *core);
}

xh_result xh_core_load(xh_core_t *core, const uint8_t *wasm, uint32_t wasm_len,
                       const xh_core_options *options,
                       const xh_import *imports, unsigned num_imports, void *user)
{
    XH_ASSERT(core && wasm && options);
    memset(core, 0, sizeof *core);
    core->user = user;
    M3Result r = m3Err_none;
    IM3Module module = NULL;

    core->env = m3_NewEnvironment();
    if (!core->env) { r = m3Err_mallocFailed; goto fail; }
    core->runtime = m3_NewRuntime(core->env, options->stack_bytes, core);
    if (!core->runtime) { r = m3Err_mallocFailed; goto fail; }
    /* Before m3_LoadModule: only this much linear memory is ever allocated; an
     * access beyond it traps (memory.size still says one page). */
    core->runtime->memoryLimit = options->memory_limit_bytes;

    r = m3_ParseModule(core->env, &module, wasm, wasm_len);
    if (r) goto fail;
    if (module->memoryImported) { m3_FreeModule(module); r = xh_err_import_mem; goto fail; }
    r = m3_LoadModule(core->runtime, module);
    if (r) { m3_FreeModule(module); goto fail; }
    core->module = module;   /* owned by the runtime from here on */

    r = xh_link(core, imports, num_imports);
    if (r) goto fail;
    /* wasm3 0.5.0 runs a start function from m3_FindFunction only when its index
     * is not 0 (it tests `if (startFunction)` while "none" is -1): run it here. */
    r = m3_RunStart(core->module);
    if (r) goto fail;
    if (options->compile_all) {
        r = m3_CompileModule(core->module);
        if (r) goto fail;
    }
    core->mem = m3_GetMemory(core->runtime, &core->mem_bytes, 0);
    if (!core->mem || core->mem_bytes == 0) { r = xh_err_no_memory; goto fail; }
    return xh_ok;

fail:
    xh_core_free(core);
    return r;
}

xh_result xh_core_find(xh_core_t *core, const char *name, const char *signature, xh_fn *fn)
{
    uint8_t argc, has_ret;
    xh_result r = xh_parse_signature(signature, &argc, &has_ret);
    if (r) return r;
    IM3Function f = NULL;
    r = m3_FindFunction(&f, core->runtime, name);
    if (r) return r;
    if (m3_GetArgCount(f) != argc || m3_GetRetCount(f) != has_ret) return xh_err_mismatch;
    for (uint32_t i = 0; i < argc; i++) {
        if (m3_GetArgType(f, i) != c_m3Type_i32) return xh_err_mismatch;
    }
    if (has_ret && m3_GetRetType(f, 0) != c_m3Type_i32) return xh_err_mismatch;
    *fn = f;
    return xh_ok;
}

xh_result xh_core_call(xh_core_t *core, xh_fn fn, int32_t *ret, ...)
{
    XH_ASSERT(fn && fn->module && fn->module->runtime == core->runtime);
    va_list ap;
    va_start(ap, ret);
    M3Result r = m3_CallVL(fn, ap);   /* takes exactly the signature's i32 arguments */
    va_end(ap);
    if (r) return r;
    if (ret) {
        XH_ASSERT(m3_GetRetCount(fn) == 1);
        /* The result is in the first io slot of the runtime stack (m3_GetResultsV
         * reads it there too). */
        *ret = *(const int32_t *)core->runtime->stack;
    }
    return xh_ok;
}

uint8_t *xh_core_mem(const xh_core_t *core, uint32_t offset, uint32_t len)
{
    if (offset > core->mem_bytes || len > core->mem_bytes - offset) return NULL;
    return core->mem + offset;
}
