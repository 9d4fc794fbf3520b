#!/usr/bin/env bash
# Builds the ESP32-C3 firmware (boards/esp32c3): installs what it needs, builds, and
# writes under build/esp32c3/:
#   xpl-esp32c3-merged.bin  the whole 4 MiB flash: bootloader, partition table, app at 0x10000
#                           (esptool --chip esp32c3 write-flash 0x0 xpl-esp32c3-merged.bin)
#   xpl-esp32c3-app.bin     the app image alone (write-flash 0x10000: keeps the stored settings)
#   xpl-esp32c3.elf         the linked firmware (symbols, for the tests and the bench)
#
# Usage: scripts/build-esp32c3.sh [build|tools|test]   (default: build)
#   tools  only install the pinned tools (Rust toolchain and target, espflash, esptool)
#   test   the host unit tests of boards/esp32c3/setup (cargo test on this machine)
# Env:   JOBS (cargo jobs, default 2), XPL_WIFI_SSID, XPL_WIFI_PASSWORD, XPL_SOURCE,
#        XPL_MODE, XPL_INTERVAL (build-time defaults, boards/esp32c3/README.md)
#
# Pinned: the Rust toolchain and target (boards/esp32c3/rust-toolchain.toml), every
# crate (boards/esp32c3/Cargo.lock, --locked), espflash (ESPFLASH_VERSION, cargo
# install --locked into ~/.cargo, or build/esp32c3/tools when ~/.cargo has another
# version), esptool and its dependencies (boards/esp32c3/esptool-requirements.txt, in
# a venv at build/esp32c3/venv).
# Exit status: 0 built; 1 a build failed; 2 bad usage; 3 a tool, the Rust target or a
# crate cannot be had (the message names it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

ESPFLASH_VERSION=4.7.0
ESPTOOL_VERSION=5.6.0
BOARD=boards/esp32c3
OUT=build/esp32c3
TARGET=riscv32imc-unknown-none-elf
ELF_BUILT="$OUT/target/$TARGET/release/xpl-esp32c3"
JOBS="${JOBS:-2}"
PICOLIBC_INCLUDE=/usr/lib/picolibc/riscv64-unknown-elf/include

what="${1:-build}"
[[ $what == build || $what == tools || $what == test ]] ||
  { echo "build-esp32c3: unknown command '$what' (build, tools or test)" >&2; exit 2; }

say() { echo "build-esp32c3: $*"; }
missing() { echo "build-esp32c3: error: $1. $2" >&2; exit 3; }
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$OUT"

# ---- the Rust toolchain of rust-toolchain.toml, with the chip's target ----
command -v rustup >/dev/null 2>&1 && command -v cargo >/dev/null 2>&1 ||
  missing "rustup and cargo not found" "Install Rust with rustup (it puts them in ~/.cargo/bin)."
TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$BOARD/rust-toolchain.toml")"
installed_targets() { rustup target list --toolchain "$TOOLCHAIN" --installed 2>/dev/null || true; }
if ! grep -qx "$TARGET" <<<"$(installed_targets)"; then
  say "installing Rust $TOOLCHAIN and its target $TARGET (rustup)"
  (cd "$BOARD" && rustup toolchain install >&2) ||
    missing "the Rust toolchain $TOOLCHAIN with the target $TARGET cannot be installed" "Check rustup's network access."
  grep -qx "$TARGET" <<<"$(installed_targets)" ||
    missing "the Rust target $TARGET is not installed for $TOOLCHAIN" "rustup target add --toolchain $TOOLCHAIN $TARGET"
fi
HOST="$(cd "$BOARD" && rustc -vV | sed -n 's/^host: //p')"

if [[ $what == test ]]; then
  # The setup crate has no hardware dependency: its tests run on this machine.
  (cd "$BOARD" && cargo test --locked -j"$JOBS" -p xpl-esp32c3-setup --target "$HOST")
  exit 0
fi

# ---- C side and tools ----
command -v riscv64-unknown-elf-gcc >/dev/null 2>&1 ||
  missing "riscv64-unknown-elf-gcc not found" "Debian: apt-get install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf."
[[ -f $PICOLIBC_INCLUDE/string.h ]] ||
  missing "picolibc's headers ($PICOLIBC_INCLUDE) not found" "Debian: apt-get install picolibc-riscv64-unknown-elf."

espflash_ok() { [[ -x $1 ]] && grep -qx "espflash $ESPFLASH_VERSION" <<<"$("$1" --version 2>/dev/null)"; }
ESPFLASH=""
for candidate in "$HOME/.cargo/bin/espflash" "$ROOT/$OUT/tools/bin/espflash"; do
  if espflash_ok "$candidate"; then ESPFLASH="$candidate"; break; fi
done
if [[ -z $ESPFLASH ]]; then
  # Into ~/.cargo (kept across clones: several minutes to build), unless a user's
  # other version lives there.
  root="$HOME/.cargo"
  [[ -e $HOME/.cargo/bin/espflash ]] && root="$ROOT/$OUT/tools"
  say "installing espflash $ESPFLASH_VERSION into $root (cargo install --locked: a few minutes, once)"
  cargo install espflash --version "$ESPFLASH_VERSION" --locked --root "$root" -j"$JOBS" >&2 ||
    missing "espflash $ESPFLASH_VERSION cannot be installed" "cargo install espflash --version $ESPFLASH_VERSION --locked"
  ESPFLASH="$root/bin/espflash"
fi

VENV="$OUT/venv"
ESPTOOL="$VENV/bin/esptool"
if ! { [[ -x $ESPTOOL ]] && grep -qx "$ESPTOOL_VERSION" <<<"$("$ESPTOOL" version 2>/dev/null)"; }; then
  say "installing esptool $ESPTOOL_VERSION into $VENV (pip)"
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet -r "$BOARD/esptool-requirements.txt"; } >&2 ||
    missing "esptool $ESPTOOL_VERSION cannot be installed in a venv" "Debian: apt-get install python3-venv; check pip's network access."
fi
[[ $what == tools ]] && { say "tools: espflash $ESPFLASH_VERSION ($ESPFLASH), esptool $ESPTOOL_VERSION ($ESPTOOL)"; exit 0; }

# ---- the core and the engine ----
if [[ ! -f build/xpl-hbeat.wasm ]]; then
  say "building the .wasm cores (npx tsx scripts/build.ts)"
  npx --no-install tsx scripts/build.ts >&2 || { echo "build-esp32c3: error: scripts/build.ts failed" >&2; exit 1; }
fi
scripts/fetch-wasm3.sh >/dev/null

# ---- the firmware ----
(cd "$BOARD" && cargo fetch --locked >&2) ||
  missing "the crates of $BOARD/Cargo.lock cannot be fetched (cargo fetch --locked names the one)" "Check cargo's access to the crate registry."
start=$(date +%s)
say "cargo build --release ($BOARD, $TARGET, -j$JOBS)"
if ! (cd "$BOARD" && cargo build --release --locked -j"$JOBS"); then
  # cargo says which crate could not be fetched or built.
  echo "build-esp32c3: error: cargo build failed (see above)" >&2
  exit 1
fi
cp "$ELF_BUILT" "$OUT/xpl-esp32c3.elf"
"$ESPFLASH" save-image --chip esp32c3 --flash-size 4mb --merge "$OUT/xpl-esp32c3.elf" "$OUT/xpl-esp32c3-merged.bin" >/dev/null 2>&1 ||
  { echo "build-esp32c3: error: espflash save-image --merge failed" >&2; exit 1; }
"$ESPFLASH" save-image --chip esp32c3 --flash-size 4mb "$OUT/xpl-esp32c3.elf" "$OUT/xpl-esp32c3-app.bin" >/dev/null 2>&1 ||
  { echo "build-esp32c3: error: espflash save-image failed" >&2; exit 1; }
info="$("$ESPTOOL" --chip esp32c3 image-info "$OUT/xpl-esp32c3-app.bin" 2>&1)" && grep -q "Checksum: .* (valid)" <<<"$info" ||
  { echo "build-esp32c3: error: esptool image-info does not find a valid checksum in the app image" >&2; exit 1; }

size() { stat -c %s "$1"; }
say "$OUT/xpl-esp32c3-merged.bin: $(size "$OUT/xpl-esp32c3-merged.bin") bytes (flash with: esptool --chip esp32c3 write-flash 0x0 $OUT/xpl-esp32c3-merged.bin)"
say "$OUT/xpl-esp32c3-app.bin: $(size "$OUT/xpl-esp32c3-app.bin") bytes (the app at 0x10000)"
say "done in $(( $(date +%s) - start )) s"
