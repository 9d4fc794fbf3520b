/* xh_engine.h: the wasm3 0.5.0 configuration of every board, in one place.
 *
 * Every build force-includes this file into EVERY C file it compiles, the engine's
 * and the shim's alike (gcc/clang: -include host/c/shim/xh_engine.h):
 *   boards/linux/Makefile, boards/qemu-rv32/board.mk, boards/esp32/main/CMakeLists.txt.
 * wasm3's m3_config.h only sets what is not defined yet, and these values change
 * sizeof(M3Runtime) and sizeof(M3Function), which xh_core.c reads through m3_env.h:
 * a file compiled without them disagrees with the engine about its own structs.
 *
 * Measured on qemu-rv32 (boards/qemu-rv32/bench.sh, wasm3_heap_* lines), build/
 * xpl-hbeat.wasm with every function compiled at load; each value below must still
 * pass every scenario byte-identical (tests/node/cross-host.test.ts, rv32.test.ts).
 */
#ifndef XH_ENGINE_H
#define XH_ENGINE_H

/* Code pages of 1 KiB, not 4 KiB: a page is allocated whole; the tail of the last
 * one is the waste. */
#define d_m3CodePageAlignSize       1024
/* The deepest wasm operand stack of any function of the cores (compile fails with
 * "compiling function overran its stack height limit" when a function needs more).
 * M3Compilation (inside M3Runtime) holds 5 bytes per unit. */
#define d_m3MaxFunctionStackHeight  48
/* Constants a function keeps in its own table (4 bytes each in M3Runtime); those
 * past it are compiled into the code, which costs more. */
#define d_m3MaxConstantTableSize    48
/* One name per function record (the cores export each function once). */
#define d_m3MaxDuplicateFunctionImpl 1
/* Errors are constant strings (no 256-byte message buffer in M3Runtime). */
#define d_m3VerboseErrorMessages    0
/* The cores have no float operation (no f32 or f64 in build/xpl-hbeat.wat, build/izzy.wat). */
#define d_m3HasFloat                0

#endif /* XH_ENGINE_H */
