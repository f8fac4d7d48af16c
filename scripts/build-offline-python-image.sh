#!/usr/bin/env bash
# Builds a Python base image with Flask and redis-py from Debian's packages, for the Flask fixture
# services under suites/fixtures/flask-service (the same path build-offline-node-image.sh takes).
# Usage: build-offline-python-image.sh <debian-suite> <image-name> [package ...]
#   e.g. build-offline-python-image.sh bookworm localhost/redis-persistence/python-flask-debian:bookworm python3-flask python3-redis
# Skips the build when <image-name> already exists. Needs root, debootstrap and a Docker engine.
# The image has python3 on PATH and an unprivileged user "app" (uid/gid 1000).
set -euo pipefail

suite="${1:?usage: build-offline-python-image.sh <debian-suite> <image-name> [package ...]}"
image="${2:?usage: build-offline-python-image.sh <debian-suite> <image-name> [package ...]}"
shift 2
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(python3-flask python3-redis)
label_args=(--label "org.redis-persistence.offline-build=true" --label "org.redis-persistence.debian-suite=$suite")

say() { echo "[offline-python-image] $*" >&2; }

if docker image inspect "$image" >/dev/null 2>&1; then
  say "$image already present; skipping build"
  exit 0
fi

# shellcheck source=lib/debian-rootfs.sh
. "$(dirname "$0")/lib/debian-rootfs.sh"
require_debootstrap "$image"
mirror=$(apt_mirror)

workdir=$(mktemp -d /tmp/redis-persistence-python-rootfs.XXXXXX)
cleanup() { rm -rf "$workdir"; }
trap cleanup EXIT INT TERM

debootstrap_rootfs "$suite" "$workdir" "$mirror" "$(IFS=,; echo "${packages[*]}")"
rm -rf "$workdir/rootfs/usr/share/doc/"* "$workdir/rootfs/usr/share/man/"* "$workdir/rootfs/usr/share/info/"*

base="${image}-rootfs"
tar -C "$workdir/rootfs" -c . | docker import - "$base" >/dev/null

mkdir -p "$workdir/ctx"
cat >"$workdir/ctx/Dockerfile" <<DOCKERFILE
FROM $base
RUN groupadd --gid 1000 app && useradd --uid 1000 --gid app --shell /bin/sh --create-home app
CMD ["python3"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q "${label_args[@]}" -t "$image" "$workdir/ctx" >/dev/null
docker image rm "$base" >/dev/null 2>&1 || true
say "built $image ($(docker run --rm --entrypoint python3 "$image" -c 'import flask, redis, sys; print("python", sys.version.split()[0], "flask", flask.__version__, "redis-py", redis.__version__)'))"
