#!/usr/bin/env bash
# bench.sh [FIRMWARE.elf]: the RV32 figures as `key value` lines, for a benchmark
# script: the firmware's bench mode (exact minstret counts under -icount shift=0,
# the engine's heap) and its footprint (riscv64-unknown-elf-size, Berkeley format).
# Build first: scripts/build-native.sh rv32.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fw="${1:-$here/../../build/rv32/xpl-fw.elf}"
[[ -f "$fw" ]] || { echo "bench.sh: no firmware $fw (run scripts/build-native.sh rv32)" >&2; exit 2; }
"$here/run.sh" "$fw" bench
riscv64-unknown-elf-size "$fw" | awk 'NR == 2 { print "rv32_text_bytes " $1; print "rv32_data_bytes " $2; print "rv32_bss_bytes " $3 }'
