#!/usr/bin/env bash
# Builds a Node.js base image from Debian's packages, for machines where no image registry answers
# (the same path build-offline-image.sh takes for Redis).
# Usage: build-offline-node-image.sh <debian-suite> <image-name> [package ...]
#   e.g. build-offline-node-image.sh bookworm localhost/redis-persistence/node-debian:bookworm nodejs
# Skips the build when <image-name> already exists. Needs root, debootstrap and a Docker engine.
# The image stands in for the official node image as far as the prediction service needs:
# `node` on PATH and a `node` user with uid/gid 1000. It is not the official image (bookworm's
# Node is 18), so it is never tagged node:<version>.
set -euo pipefail

suite="${1:?usage: build-offline-node-image.sh <debian-suite> <image-name> [package ...]}"
image="${2:?usage: build-offline-node-image.sh <debian-suite> <image-name> [package ...]}"
shift 2
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(nodejs)
label_args=(--label "org.redis-persistence.offline-build=true" --label "org.redis-persistence.debian-suite=$suite")

say() { echo "[offline-node-image] $*" >&2; }

if docker image inspect "$image" >/dev/null 2>&1; then
  say "$image already present; skipping build"
  exit 0
fi

# shellcheck source=lib/debian-rootfs.sh
. "$(dirname "$0")/lib/debian-rootfs.sh"
require_debootstrap "$image"
mirror=$(apt_mirror)

workdir=$(mktemp -d /tmp/redis-persistence-node-rootfs.XXXXXX)
cleanup() { rm -rf "$workdir"; }
trap cleanup EXIT INT TERM

debootstrap_rootfs "$suite" "$workdir" "$mirror" "$(IFS=,; echo "${packages[*]}")"
# Nothing in the image reads manuals either.
rm -rf "$workdir/rootfs/usr/share/doc/"* "$workdir/rootfs/usr/share/man/"* "$workdir/rootfs/usr/share/info/"*

base="${image}-rootfs"
tar -C "$workdir/rootfs" -c . | docker import - "$base" >/dev/null

mkdir -p "$workdir/ctx"
cat >"$workdir/ctx/Dockerfile" <<DOCKERFILE
FROM $base
# The official node images run services as "node" (uid 1000); the Dockerfile of the service relies on it.
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/sh --create-home node
CMD ["node"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q "${label_args[@]}" -t "$image" "$workdir/ctx" >/dev/null
# The intermediate import is only a build step; the final image keeps its layers.
docker image rm "$base" >/dev/null 2>&1 || true
say "built $image (node $(docker run --rm --entrypoint node "$image" --version))"
