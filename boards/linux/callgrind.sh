#!/usr/bin/env bash
# callgrind.sh [N]: instructions per operation of the xPL core under wasm3 on this
# machine, as `key value` lines (x86_tick_instr, x86_parse_instr, x86_reject_instr).
# Runs build/native/xpl-bench under `valgrind --tool=callgrind` with N and 2N
# repetitions: (Ir(2N) - Ir(N)) / N is the cost of one, set-up cancelled out.
# Build first: scripts/build-native.sh native.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="$here/../../build/native/xpl-bench"
n="${1:-1000}"
command -v valgrind >/dev/null 2>&1 || { echo "callgrind.sh: valgrind not found (Debian: apt-get install valgrind)" >&2; exit 3; }
[[ -x "$bench" ]] || { echo "callgrind.sh: no $bench (run scripts/build-native.sh native)" >&2; exit 2; }
tmp="$(mktemp -d "${TMPDIR:-/tmp}/callgrind.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
ir() {   # total instructions of one run
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out" "$bench" "$1" "$2" >/dev/null 2>"$tmp/log"
  sed -n 's/^summary: //p' "$tmp/out"
}
for what in tick parse reject; do
  one=$(ir "$what" "$n")
  two=$(ir "$what" $((2 * n)))
  echo "x86_${what}_instr $(( (two - one) / n ))"
done
