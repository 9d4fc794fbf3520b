#!/usr/bin/env bash
# Installs and builds on demand, so that `npm start`, `npm test` and `npm run bench`
# work on a fresh clone with nothing else done first.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure: installing npm dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2   # runs "prepare", which builds
fi

stale() {
  [ ! -f "$1" ] && return 0
  [ -n "$(find assembly host/node scripts asconfig.json package.json -newer "$1" -type f 2>/dev/null | head -n 1)" ]
}
if stale dist/xpl-hbeat.cjs || stale build/xpl-hbeat.wasm || stale build/izzy.wasm || stale build/izzy.debug.wasm; then
  echo "ensure: building" >&2
  npx --no-install tsx scripts/build.ts >&2
fi
