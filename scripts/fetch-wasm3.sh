#!/usr/bin/env bash
# Fetch the wasm3 v0.5.0 engine sources at build time.
#
# Source: the PyPI source distribution pywasm3==0.5.0, whose wasm3/ folder is
# the engine (m3_*.c/h, wasm3.h). It is pinned by version and sha256 and
# unpacked into build/wasm3/ (git-ignored). No third-party source is committed.
#
# Usage: scripts/fetch-wasm3.sh            (idempotent; prints the location)
# Env:   WASM3_DIR=...  override the destination (default <repo>/build/wasm3)
#        PYTHON=...     python interpreter with pip (default python3)
set -euo pipefail

WASM3_PKG="pywasm3"
WASM3_VERSION="0.5.0"
WASM3_SDIST="${WASM3_PKG}-${WASM3_VERSION}.tar.gz"
WASM3_SHA256="5a47c8a39f7f6ae71b3316b2e5d86c9d0db6e771a65f09a86e4d4aa3a19aefcc"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${WASM3_DIR:-$ROOT/build/wasm3}"
PYTHON="${PYTHON:-python3}"
STAMP="$DEST/.fetched"
STAMP_TEXT="${WASM3_PKG}==${WASM3_VERSION} sha256=${WASM3_SHA256}"

die() { echo "fetch-wasm3: error: $*" >&2; exit 1; }

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_TEXT" && -f "$DEST/wasm3.h" ]]; then
    echo "wasm3 ${WASM3_VERSION} engine sources: $DEST"
    exit 0
fi

command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found (needed for pip)"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum not found"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/fetch-wasm3.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# pip checks the hash itself (--require-hashes); we check again with sha256sum.
printf '%s==%s --hash=sha256:%s\n' "$WASM3_PKG" "$WASM3_VERSION" "$WASM3_SHA256" >"$TMP/req.txt"
if ! "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: --require-hashes \
        -r "$TMP/req.txt" -d "$TMP/dl" >"$TMP/pip.log" 2>&1; then
    cat "$TMP/pip.log" >&2
    die "download of ${WASM3_PKG}==${WASM3_VERSION} (sdist) from PyPI failed or its hash differs from ${WASM3_SHA256}"
fi

SDIST="$TMP/dl/$WASM3_SDIST"
[[ -f "$SDIST" ]] || die "pip did not produce $WASM3_SDIST"

GOT="$(sha256sum "$SDIST" | cut -d' ' -f1)"
[[ "$GOT" == "$WASM3_SHA256" ]] ||
    die "sha256 mismatch for $WASM3_SDIST: expected $WASM3_SHA256, got $GOT"

# Unpack only the engine folder: pywasm3-0.5.0/wasm3/*
mkdir -p "$TMP/x"
tar -xzf "$SDIST" -C "$TMP/x" --strip-components=2 "${WASM3_PKG}-${WASM3_VERSION}/wasm3" ||
    die "could not unpack the wasm3/ folder from $WASM3_SDIST"
[[ -f "$TMP/x/wasm3.h" && -f "$TMP/x/m3_env.c" ]] || die "unexpected sdist layout (no wasm3/wasm3.h)"
grep -q "M3_VERSION *\"${WASM3_VERSION}\"" "$TMP/x/wasm3.h" || die "wasm3.h does not say version ${WASM3_VERSION}"
# The engine's own licence (MIT) travels with the sources.
tar -xzf "$SDIST" -C "$TMP/x" --strip-components=1 "${WASM3_PKG}-${WASM3_VERSION}/LICENSE" 2>/dev/null || true

rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
mv "$TMP/x" "$DEST"
echo "$STAMP_TEXT" >"$STAMP"
echo "wasm3 ${WASM3_VERSION} engine sources: $DEST"
