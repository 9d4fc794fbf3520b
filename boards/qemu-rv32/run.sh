#!/usr/bin/env bash
# run.sh FIRMWARE.elf [ARG...] : run a qemu-rv32 firmware under QEMU.
#
# - exact, repeatable instruction counts: -icount shift=0 (minstret = guest instructions)
# - semihosting on: the guest's printf/fopen/exit go to the host. QEMU writes the
#   guest's console output to ITS STDERR; this script merges it into stdout.
# - ARGs reach the guest as argv[1..] (argv[0] is picolibc's "program-name");
#   host paths are relative to the current directory.
# - the guest's exit(n) becomes this script's exit status; stdin is closed
#   (a semihosting read of stdin would block forever).
# Env: QEMU_TIMEOUT (seconds, default 300).
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 FIRMWARE.elf [ARG...]" >&2; exit 2; }
elf=$1; shift
[[ -f "$elf" ]] || { echo "run.sh: no such firmware: $elf" >&2; exit 2; }
semi="enable=on,target=native"
for a in "$@"; do semi+=",arg=${a//,/,,}"; done    # QEMU escapes ',' as ',,'
# Through a file: with -nographic QEMU makes its stdout non-blocking, and with
# 2>&1 that is also the stderr the guest's output goes to, so into a pipe whose
# reader is slow (Node's spawn) semihosting writes fail with EAGAIN and output is
# silently lost. A regular file never says EAGAIN.
out=$(mktemp "${TMPDIR:-/tmp}/qemu-rv32.XXXXXX")
trap 'rm -f "$out"' EXIT
status=0
timeout "${QEMU_TIMEOUT:-300}" qemu-system-riscv32 -M virt -nographic -bios none \
    -kernel "$elf" -semihosting-config "$semi" -icount shift=0 </dev/null >"$out" 2>&1 || status=$?
cat "$out"
exit "$status"
