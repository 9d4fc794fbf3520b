/* xh_core.c: see xh_core.h. The only file of the shim that includes wasm3's
 * internal header m3_env.h (for memoryLimit, the import check, the footprint):
 * it must be compiled with the engine's exact settings (xh_engine.h, forced into
 * every file by each board's build). */
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
static const char xh_err_static_top[]  = "xh_core: the module's static top is above the board's memory limit";
static const char xh_err_abi_version[] = "xh_core: the module's ABI version is not the shim's (rebuild the module or the shim)";

/* "i(ii)" -> argc 2, has_ret 1. i32 only: that is all both ABIs use. */
static xh_result xh_parse_signature(const char *sig, uint8_t *argc, uint8_t *has_ret)
{
    if (!sig || (sig[0] != 'i' && sig[0] != 'v') || sig[1] != '(') return xh_err_signature;
    unsigned n = 0;
    const char *p = sig + 2;
    while (*p == 'i') { n++; p++; }
    if (p[0] != ')' || p[1] != '\0' || n > XH_CORE_MAX_ARGS) return xh_err_signature;
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
    xh_core_t *core = b->core;
    XH_ASSERT(core->in_call);   /* wasm3 runs imports only inside a call */
    uint64_t *ret_slot = b->has_ret ? _sp++ : NULL;
    int32_t args[XH_CORE_MAX_ARGS];
    for (unsigned i = 0; i < b->argc; i++) {
        m3ApiGetArg(int32_t, arg);
        args[i] = arg;
    }
    int32_t ret = 0;
    xh_result r = b->import->fn(core->user, args, &ret);
    if (r) {
        if (!core->import_error) core->import_error = r;
        m3ApiTrap(r);
    }
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

/* Cuts the linear memory to the module's static top (rounded up). wasm3 allocated
 * memory_limit_bytes at load; the query export's code page came after it, so
 * the block shrinks where it is and its tail goes back to the allocator before the
 * rest of the code is compiled. */
static xh_result xh_fit_memory(xh_core_t *core, const xh_core_options *options)
{
    xh_fn fn = NULL;
    int32_t top = 0;
    const int32_t args[2] = { options->static_top_query, 0 };
    xh_result r = xh_core_find(core, options->query_export, "i(ii)", &fn);
    if (!r) r = xh_core_call(core, fn, args, 2, &top);
    if (r) return r;
    if (top <= 0 || (uint32_t)top > options->memory_limit_bytes) return xh_err_static_top;
    core->static_top = (uint32_t)top;
    uint32_t bytes = ((uint32_t)top + XH_CORE_MEMORY_ALIGN - 1u) & ~(XH_CORE_MEMORY_ALIGN - 1u);
    if (bytes >= core->runtime->memoryLimit) return xh_ok;
    core->runtime->memoryLimit = bytes;
    return ResizeMemory(core->runtime, core->runtime->memory.numPages);
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
    /* Neither core has a start function; should a module have one, wasm3 0.5.0
     * would run it from m3_FindFunction only when its index is not 0 (it tests
     * `if (startFunction)` while "none" is -1): run it here, once (a no-op without). */
    r = m3_RunStart(core->module);
    if (r) goto fail;
    if (options->abi_version_export) {
        xh_fn fn = NULL;
        int32_t version = 0;
        r = xh_core_find(core, options->abi_version_export, "i()", &fn);
        if (!r) r = xh_core_call(core, fn, NULL, 0, &version);
        if (!r && version != options->abi_version) r = xh_err_abi_version;
        if (r) goto fail;
    }
    if (options->query_export) {
        r = xh_fit_memory(core, options);
        if (r) goto fail;
    }
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

xh_result xh_core_call(xh_core_t *core, xh_fn fn, const int32_t *args, unsigned argc, int32_t *ret)
{
    XH_ASSERT(fn && fn->module && fn->module->runtime == core->runtime);
    XH_ASSERT(!core->in_call);   /* never from inside an import: wasm3 cannot be re-entered */
    XH_ASSERT(argc <= XH_CORE_MAX_ARGS && argc == fn->funcType->numArgs);
    const void *argptrs[XH_CORE_MAX_ARGS];
    for (unsigned i = 0; i < argc; i++) argptrs[i] = &args[i];
    core->in_call = 1;
    core->import_error = xh_ok;
    M3Result r = m3_Call(fn, argc, argptrs);
    core->in_call = 0;
    if (core->import_error) return core->import_error;
    if (r) return r;
    /* The result is in the first io slot of the runtime stack (m3_GetResultsV
     * reads it there too). */
    if (ret && fn->funcType->numRets) *ret = *(const int32_t *)core->runtime->stack;
    return xh_ok;
}

uint8_t *xh_core_mem(const xh_core_t *core, uint32_t offset, uint32_t len)
{
    if (offset > core->mem_bytes || len > core->mem_bytes - offset) return NULL;
    return core->mem + offset;
}

static uint32_t xh_text_bytes(const char *s)
{
    return s ? (uint32_t)strlen(s) + 1u : 0u;
}

static uint32_t xh_type_bytes(const M3FuncType *t)
{
    return (uint32_t)sizeof(M3FuncType) + t->numRets + t->numArgs;
}

static void xh_measure_pages(const M3CodePage *page, xh_core_footprint *fp)
{
    for (; page; page = page->info.next) {
        fp->code_pages += (uint32_t)(sizeof(M3CodePageHeader) + sizeof(code_t) * page->info.numLines);
        fp->code_used += (uint32_t)(sizeof(code_t) * page->info.lineIndex);
        fp->num_code_pages++;
    }
}

void xh_core_measure(const xh_core_t *core, xh_core_footprint *fp)
{
    XH_ASSERT(core->runtime && core->module);
    memset(fp, 0, sizeof *fp);
    const M3Runtime *rt = core->runtime;
    const M3Module *m = core->module;
    xh_measure_pages(rt->pagesOpen, fp);
    xh_measure_pages(rt->pagesFull, fp);
    fp->num_functions = m->numFunctions;
    fp->functions = m->numFunctions * (uint32_t)sizeof(M3Function);
    for (uint32_t i = 0; i < m->numFunctions; i++) {
        const M3Function *f = &m->functions[i];
        if (f->constants) fp->constants += f->numConstantBytes;
        for (uint32_t n = 0; n < f->numNames; n++) {
            if (f->names[n] != f->import.fieldUtf8) fp->names += xh_text_bytes(f->names[n]);
        }
        fp->names += xh_text_bytes(f->import.moduleUtf8) + xh_text_bytes(f->import.fieldUtf8);
    }
    fp->linear_memory = rt->memory.mallocated ? (uint32_t)(rt->memory.mallocated->length + sizeof(M3MemoryHeader)) : 0;
    fp->value_stack = (rt->numStackSlots + 4u) * (uint32_t)sizeof(m3slot_t);   /* as m3_NewRuntime asks */
    fp->num_globals = m->numGlobals;
    fp->globals = m->numGlobals * (uint32_t)sizeof(M3Global);
    for (uint32_t i = 0; i < m->numGlobals; i++) {
        fp->names += xh_text_bytes(m->globals[i].name);
        fp->names += xh_text_bytes(m->globals[i].import.moduleUtf8) + xh_text_bytes(m->globals[i].import.fieldUtf8);
    }
    fp->num_data_segments = m->numDataSegments;
    fp->data_segments = m->numDataSegments * (uint32_t)sizeof(M3DataSegment);
    for (const M3FuncType *t = core->env->funcTypes; t; t = t->next) fp->types += xh_type_bytes(t);
    fp->types += m->numFuncTypes * (uint32_t)sizeof(IM3FuncType);
    fp->runtime = (uint32_t)sizeof(M3Runtime);
    fp->environment = (uint32_t)sizeof(M3Environment);
    fp->module = (uint32_t)sizeof(M3Module) + m->table0Size * (uint32_t)sizeof(IM3Function);
    fp->total = fp->code_pages + fp->functions + fp->constants + fp->linear_memory + fp->value_stack +
                fp->globals + fp->data_segments + fp->names + fp->types + fp->runtime + fp->environment + fp->module;
}
