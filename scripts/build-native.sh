#!/usr/bin/env bash
# Builds the C hosts of the cores (the wasm3 shim in host/c):
#   build/native/  xpl-device, xpl-replay, izzy-client, xpl-bench  (this machine, cc -O2)
#   build/rv32/    xpl-fw.elf: the qemu-rv32 firmware (RV32IMC, -Os), xpl-fw.size
#   build/native-asan/  the same programs as native, under AddressSanitizer and
#                  UndefinedBehaviorSanitizer (clang, -fno-sanitize-recover: the first
#                  finding aborts); only on request
#
# Usage: scripts/build-native.sh [native|rv32|asan]...   (default: native rv32)
# Env:   CC (native compiler, default cc), JOBS (default: number of CPUs)
#
# Fetches wasm3 first (scripts/fetch-wasm3.sh -> build/wasm3), builds the .wasm
# cores when they are missing (scripts/build.ts). Incremental (make).
# Exit status: 0 built; 1 a build failed; 3 a compiler or tool is missing (the
# message says which and how to install it).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(native rv32)
for t in "${targets[@]}"; do
  [[ $t == native || $t == rv32 || $t == asan ]] || { echo "build-native: unknown target '$t' (native, rv32 or asan)" >&2; exit 2; }
done

missing() { echo "build-native: error: $1 not found. $2" >&2; exit 3; }
command -v make >/dev/null 2>&1 || missing "make" "Install it (Debian: apt-get install make)."
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

if [[ ! -f build/xpl-hbeat.wasm || ! -f build/izzy.wasm ]]; then
  echo "build-native: building the .wasm cores (npx tsx scripts/build.ts)"
  npx --no-install tsx scripts/build.ts >&2 || { echo "build-native: error: scripts/build.ts failed" >&2; exit 1; }
fi
if [[ ! -f build/wasm3/.fetched ]]; then
  "${PYTHON:-python3}" -m pip --version >/dev/null 2>&1 ||
    missing "python3 with pip (scripts/fetch-wasm3.sh downloads wasm3 0.5.0 from PyPI)" "Debian: apt-get install python3-pip."
fi
scripts/fetch-wasm3.sh

start=$(date +%s.%N)
for t in "${targets[@]}"; do
  case $t in
    native)
      cc_bin="${CC:-cc}"
      command -v "$cc_bin" >/dev/null 2>&1 ||
        missing "the C compiler '$cc_bin'" "Install one (Debian: apt-get install build-essential) or set CC."
      make -s -C boards/linux -j"$JOBS" CC="$cc_bin"
      echo "build-native: build/native: $(cd build/native && ls xpl-device xpl-replay izzy-client xpl-bench | tr '\n' ' ')"
      ;;
    asan)
      command -v clang >/dev/null 2>&1 || missing "clang" "Debian: apt-get install clang libclang-rt-dev."
      echo 'int main(void) { return 0; }' | clang -fsanitize=address,undefined -x c - -o /dev/null >/dev/null 2>&1 ||
        missing "clang's sanitizer runtimes" "Debian: apt-get install libclang-rt-dev."
      make -s -C boards/linux -j"$JOBS" CC=clang BUILD="$PWD/build/native-asan" ENGINE_EXTRA=-fwrapv \
        OPT="-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
      echo "build-native: build/native-asan (ASan+UBSan): $(cd build/native-asan && ls xpl-device xpl-replay izzy-client xpl-bench | tr '\n' ' ')"
      ;;
    rv32)
      command -v riscv64-unknown-elf-gcc >/dev/null 2>&1 ||
        missing "riscv64-unknown-elf-gcc" "Debian: apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf."
      echo 'int main(void) { return 0; }' | riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 --specs=picolibc.specs \
          -x c - -o /dev/null >/dev/null 2>&1 ||
        missing "picolibc for riscv64-unknown-elf" "Debian: apt-get install picolibc-riscv64-unknown-elf."
      make -s -C boards/qemu-rv32 -j"$JOBS"
      echo "build-native: build/rv32/xpl-fw.elf: $(tail -n 1 build/rv32/xpl-fw.size | awk '{print "text " $1 ", data " $2 ", bss " $3 " bytes"}')"
      ;;
  esac
done
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "build-native: done in %.1f s\n", e - s }'
