# board.mk: build fragment for the qemu-rv32 board (RV32IMC, ESP32-C3 class, under QEMU).
# Include it from a Makefile, then link $(RV_LDFLAGS) with $(RV_WASM3_LIB):
#
#   include boards/qemu-rv32/board.mk
#   fw.elf: main.o $(RV_WASM3_LIB)
#   	$(RV_CC) $(RV_LDFLAGS) -o $@ $^ -lm
#   main.o: main.c $(WASM3_DIR)/.fetched ; $(RV_CC) $(RV_CFLAGS) $(WASM3_DEFS) $(RV_INCLUDES) -c $< -o $@
#
# Toolchain (Debian): gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc.
# Engine sources: scripts/fetch-wasm3.sh (wasm3 0.5.0 from the pywasm3 sdist) -> build/wasm3.
#
# IMPORTANT: any file that includes wasm3's internal headers (m3_env.h, e.g. to set
# runtime->memoryLimit) must be compiled with the SAME $(WASM3_DEFS) as the engine:
# d_m3MaxFunctionStackHeight and d_m3MaxConstantTableSize change sizeof(M3Runtime).

QEMU_RV32_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
REPO_ROOT     ?= $(abspath $(QEMU_RV32_DIR)/../..)
WASM3_DIR     ?= $(REPO_ROOT)/build/wasm3
RV_BUILD      ?= $(REPO_ROOT)/build/qemu-rv32

RV_CC   := riscv64-unknown-elf-gcc
RV_AR   := riscv64-unknown-elf-ar
RV_SIZE := riscv64-unknown-elf-size
RV_ARCH := -march=rv32imc -mabi=ilp32 --specs=picolibc.specs --oslib=semihost --crt0=semihost
RV_OPT  ?= -O2
# -ffile-prefix-map: __FILE__ (assertions) names files from the repository root, so the
# firmware is the same wherever the repository is checked out.
RV_CFLAGS   = $(RV_ARCH) $(RV_OPT) -g0 -ffunction-sections -fdata-sections -Wall -ffile-prefix-map=$(REPO_ROOT)/=
RV_INCLUDES = -I$(WASM3_DIR) -I$(QEMU_RV32_DIR)
# qemu-rv32.ld: 1 MiB flash @0x80000000, 384 KiB RAM @0x80100000, 8 KiB C stack.
RV_LDFLAGS  = $(RV_ARCH) -Wl,--gc-sections -T $(QEMU_RV32_DIR)/qemu-rv32.ld

# Engine configuration: the one of every board, host/c/shim/xh_engine.h, forced into
# every file (the engine's and the shim's). Measured on the proof of concept (NOTES.md):
#  CodePageAlignSize 4096->1024 and MaxFunctionStackHeight 2000->128 cut the heap
#  from ~29 KiB to ~13 KiB, the C stack of m3_LoadModule from ~11.5 KiB to ~1.5 KiB,
#  and load time from 678k to 150k instructions; d_m3HasFloat=0 removes all float ops
#  (text 116 KiB -> 68 KiB at -O2). Values and reasons: in the header.
XH_ENGINE_H := $(REPO_ROOT)/host/c/shim/xh_engine.h
WASM3_DEFS ?= -include $(XH_ENGINE_H)
# 0.5.0 warnings with -Wall: 4x -Wstrict-aliasing (m3_code.c, m3_compile.c), 1x unused 'ptr'
# (m3_parse.c); with -Wextra ~200x -Wunused-parameter. Silenced here, not fixed.
WASM3_WARN := -Wno-strict-aliasing -Wno-unused-variable -Wno-unused-parameter
# wasm3's interpreter relies on two's-complement wrap of signed integers (m3_exec.h
# i32/i64 add, sub, mul) and on type punning: make both defined behaviour, on every board.
WASM3_SAFE := -fwrapv -fno-strict-aliasing
# Set RV_HEAPMETER=1 to count the engine's heap (link heapmeter.o too).
RV_HEAPMETER ?= 0
HEAPMETER_DEFS := -Dcalloc=hm_calloc -Drealloc=hm_realloc -Dfree=hm_free

WASM3_NAMES  := m3_bind m3_code m3_compile m3_core m3_emit m3_env m3_exec m3_function m3_info m3_module m3_parse
RV_WASM3_OBJS := $(WASM3_NAMES:%=$(RV_BUILD)/wasm3/%.o)
RV_WASM3_LIB  := $(RV_BUILD)/libwasm3.a
RV_HEAPMETER_OBJ := $(RV_BUILD)/heapmeter.o

QEMU_RV32_RUN := $(QEMU_RV32_DIR)/run.sh

$(WASM3_DIR)/.fetched:
	$(REPO_ROOT)/scripts/fetch-wasm3.sh

$(RV_BUILD)/wasm3/m3_core.o: WASM3_EXTRA = $(if $(filter 1,$(RV_HEAPMETER)),$(HEAPMETER_DEFS))

$(RV_BUILD)/wasm3/%.o: $(WASM3_DIR)/.fetched $(QEMU_RV32_DIR)/board.mk $(XH_ENGINE_H)
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CFLAGS) $(WASM3_DEFS) $(WASM3_SAFE) $(WASM3_WARN) $(WASM3_EXTRA) -I$(WASM3_DIR) -c $(WASM3_DIR)/$*.c -o $@

$(RV_WASM3_LIB): $(RV_WASM3_OBJS)
	rm -f $@ && $(RV_AR) rcs $@ $^

$(RV_HEAPMETER_OBJ): $(QEMU_RV32_DIR)/heapmeter.c $(QEMU_RV32_DIR)/heapmeter.h
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CFLAGS) -I$(QEMU_RV32_DIR) -c $< -o $@

# Embed a .wasm as a const array in flash (wasm3 compiles lazily from these
# bytes, so they must stay valid for the module's lifetime: const data is ideal).
%.wasm.h: %.wasm $(QEMU_RV32_DIR)/bin2c.sh
	$(QEMU_RV32_DIR)/bin2c.sh $< $(subst -,_,$(notdir $(basename $<)))_wasm > $@
