#!/usr/bin/env bash
# Coverage-guided fuzzing of the native side: libFuzzer (clang) under ASan+UBSan,
# one bounded run per target (tests/fuzz/*.c):
#   fuzz_xpl_receive  datagrams into the shim, wasm3 and the xPL core (a joined, configurable device)
#   fuzz_izzy_client  packets, time and re-arms into the izzy client, ESTOP rules checked
#   fuzz_jsonl        the replay's scenario reader (xh_jsonl, xh_hex)
#
# Usage: scripts/fuzz-native.sh [--seconds N] [--update-corpus] [TARGET...]
#   --seconds N       per target (default 600)
#   --update-corpus   merge what was found into tests/fuzz/corpus/<target> (minimized)
# The working corpus is build/fuzz/corpus/<target> (the committed corpus plus
# seeds from tests/fuzz/seed.ts); a crash lands in build/fuzz/crashes/<target>/:
# copy it to tests/fuzz/regressions/<target>-<what> once fixed, npm test replays it.
# Prints one line per target: executions, coverage (edges), features, corpus, findings;
# and build/fuzz/summary.json. Exit 1 when a target found something.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
update=0
targets=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    --update-corpus) update=1; shift ;;
    fuzz_xpl_receive|fuzz_izzy_client|fuzz_jsonl) targets+=("$1"); shift ;;
    *) echo "fuzz-native: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "fuzz-native: --seconds '$seconds': expected a positive integer" >&2; exit 2; }
[[ ${#targets[@]} -eq 0 ]] && targets=(fuzz_xpl_receive fuzz_izzy_client fuzz_jsonl)

command -v clang >/dev/null 2>&1 || { echo "fuzz-native: clang not found (Debian: apt-get install clang libclang-rt-dev)" >&2; exit 3; }
[[ -f build/xpl-hbeat.wasm && -f build/izzy.wasm ]] || npx --no-install tsx scripts/build.ts >&2
scripts/fetch-wasm3.sh >/dev/null
make -s -C tests/fuzz -j"${JOBS:-2}"
rm -rf build/fuzz/seeds
npx --no-install tsx tests/fuzz/seed.ts build/fuzz/seeds

summary="{"
found_any=0
for t in "${targets[@]}"; do
  work=build/fuzz/corpus/$t crashes=build/fuzz/crashes/$t
  mkdir -p "$work" "$crashes" "tests/fuzz/corpus/$t"
  dict=()
  [[ $t == fuzz_xpl_receive ]] && dict=(-dict=tests/fuzz/xpl.dict)
  log=build/fuzz/$t.log
  # -rss_limit_mb: the shim allocates nothing per input; growth is a finding
  "build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len=4096 -use_value_profile=1 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" \
    "$work" "tests/fuzz/corpus/$t" "build/fuzz/seeds/$t" >"$log" 2>&1 || true
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  findings=$(find "$crashes" -type f | wc -l)
  [[ $findings -gt 0 ]] && found_any=1
  printf 'fuzz-native: %-17s %ss: %s executions, coverage %s edges, %s features, corpus %s, findings %s\n' \
    "$t" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$findings"
  [[ $findings -gt 0 ]] && grep -E 'ERROR|runtime error|check failed|assertion' "$log" | head -5 >&2
  summary+="\"$t\":{\"seconds\":$seconds,\"executions\":${execs:-0},\"edges\":${cov:-0},\"features\":${ft:-0},\"corpus\":${corp:-0},\"findings\":$findings},"
  if [[ $update -eq 1 ]]; then
    rm -rf "tests/fuzz/corpus/$t.new" && mkdir -p "tests/fuzz/corpus/$t.new"
    "build/fuzz/$t" -merge=1 "tests/fuzz/corpus/$t.new" "$work" "build/fuzz/seeds/$t" >/dev/null 2>&1
    rm -rf "tests/fuzz/corpus/$t" && mv "tests/fuzz/corpus/$t.new" "tests/fuzz/corpus/$t"
    echo "fuzz-native: tests/fuzz/corpus/$t: $(ls "tests/fuzz/corpus/$t" | wc -l) inputs, $(cat "tests/fuzz/corpus/$t"/* | wc -c) bytes"
  fi
done
echo "${summary%,}}" > build/fuzz/summary.json
exit $found_any
