#!/usr/bin/env bash
# Builds the fault-fs FUSE daemon (harness/faults/fault-fs/fault-fs.c) and prints the binary's path.
# Skips the build when the cached binary is newer than the source and this script.
# Installs fuse3, libfuse3-dev and pkg-config with apt-get when missing (root only).
# Exit codes: 0 built or cached (path on stdout), 1 cannot build (message on stderr says why).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src="$root/harness/faults/fault-fs/fault-fs.c"
out_dir="$root/.cache/fault-fs"
bin="$out_dir/fault-fs"
packages=(fuse3 libfuse3-dev pkg-config)

say() { echo "[build-fault-fs] $*" >&2; }
fail() { say "$*"; exit 1; }

[ "$(uname -s)" = "Linux" ] || fail "fault-fs needs Linux FUSE; this is $(uname -s)"
[ -f "$src" ] || fail "source not found: $src"

fresh() { [ -x "$bin" ] && [ "$bin" -nt "$src" ] && [ "$bin" -nt "${BASH_SOURCE[0]}" ]; }
if fresh; then echo "$bin"; exit 0; fi

# Parallel test workers may all ask for a build at once; apt and gcc must run only once.
{ mkdir -p "$out_dir" && exec 9>"$out_dir/.build.lock"; } 2>/dev/null || fail "cannot write to $out_dir"
flock 9
if fresh; then echo "$bin"; exit 0; fi

have_deps() {
  command -v gcc >/dev/null 2>&1 && command -v pkg-config >/dev/null 2>&1 \
    && pkg-config --exists fuse3 && command -v fusermount3 >/dev/null 2>&1
}

if ! have_deps; then
  [ "$(id -u)" = "0" ] || fail "missing build dependencies; install the Debian packages: ${packages[*]} gcc (needs root)"
  command -v apt-get >/dev/null 2>&1 || fail "missing build dependencies and no apt-get; install: ${packages[*]} gcc"
  say "installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  extra=()
  command -v gcc >/dev/null 2>&1 || extra=(gcc libc6-dev)
  if ! apt-get install -y -qq "${packages[@]}" "${extra[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq "${packages[@]}" "${extra[@]}" >/dev/null || fail "apt-get could not install: ${packages[*]} ${extra[*]}"
  fi
  have_deps || fail "still missing after install: ${packages[*]}"
fi

tmp="$bin.tmp.$$"
# shellcheck disable=SC2046 # pkg-config output is meant to be word-split
if ! gcc -std=gnu11 -O2 -Wall -Wextra -pthread -o "$tmp" "$src" $(pkg-config fuse3 --cflags --libs); then
  rm -f "$tmp"
  fail "gcc failed to compile $src"
fi
mv -f "$tmp" "$bin"
echo "$bin"
