#!/usr/bin/env bash
# Builds a Redis image from Debian's packages, for machines where no image registry answers.
# Usage: build-offline-image.sh <debian-suite> <image-name> [package ...]
#   e.g. build-offline-image.sh bookworm redis-persistence/redis-debian:bookworm redis-server redis-tools
# Skips the build when <image-name> already exists. Needs root, debootstrap and a Docker engine.
# The image behaves like the official one for this suite: redis-server on PATH, /data as a
# volume and working directory, running as the redis user, protected-mode off unless the
# config file or the arguments set it (see protected-mode-default.sh), and a command that starts
# with a flag or names a .conf file run by the server (see docker-entrypoint.sh).
set -euo pipefail

suite="${1:?usage: build-offline-image.sh <debian-suite> <image-name> [package ...]}"
image="${2:?usage: build-offline-image.sh <debian-suite> <image-name> [package ...]}"
shift 2
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(redis-server redis-tools)
# Bump when the image recipe changes, so that cached images of an older recipe are rebuilt.
recipe=4
label_args=(--label "org.redis-persistence.offline-build=true" --label "org.redis-persistence.debian-suite=$suite" --label "org.redis-persistence.recipe=$recipe")

say() { echo "[offline-image] $*" >&2; }

cached=$(docker image inspect -f '{{index .Config.Labels "org.redis-persistence.recipe"}}' "$image" 2>/dev/null || true)
if [ "$cached" = "$recipe" ]; then
  say "$image already present; skipping build"
  exit 0
fi

# shellcheck source=lib/debian-rootfs.sh
. "$(dirname "$0")/lib/debian-rootfs.sh"
require_debootstrap "$image"
mirror=$(apt_mirror)

workdir=$(mktemp -d /tmp/redis-persistence-rootfs.XXXXXX)
cleanup() { rm -rf "$workdir"; }
trap cleanup EXIT INT TERM

debootstrap_rootfs "$suite" "$workdir" "$mirror" "$(IFS=,; echo "${packages[*]}")"

# The server's own system user: "redis" for Redis, "valkey" for Valkey.
user=$(awk -F: '$1=="redis" || $1=="valkey" {print $1; exit}' "$workdir/rootfs/etc/passwd")
[ -n "$user" ] || { say "no redis or valkey user in the image: were the server packages installed?"; exit 1; }
server=redis-server
[ -e "$workdir/rootfs/usr/bin/redis-server" ] || server=valkey-server

base="${image}-rootfs"
tar -C "$workdir/rootfs" -c . | docker import - "$base" >/dev/null

mkdir -p "$workdir/ctx"
sed "s|@SERVER@|/usr/bin/$server|" "$(dirname "$0")/lib/protected-mode-default.sh" >"$workdir/ctx/$server"
chmod 755 "$workdir/ctx/$server"
sed "s|@SERVER@|$server|" "$(dirname "$0")/lib/docker-entrypoint.sh" >"$workdir/ctx/docker-entrypoint.sh"
chmod 755 "$workdir/ctx/docker-entrypoint.sh"
cat >"$workdir/ctx/Dockerfile" <<DOCKERFILE
FROM $base
# uid/gid 999 as in the official images: Debian assigns the user a different uid per release,
# and a data dir written by one release must stay writable by the next (upgrade in place).
RUN old_uid=\$(id -u $user) && old_gid=\$(id -g $user) \\
 && groupmod -g 999 $user && usermod -u 999 -g 999 $user \\
 && find / -xdev \\( -uid \$old_uid -o -gid \$old_gid \\) -exec chown -h 999:999 {} + \\
 && mkdir -p /data /usr/local/etc/redis && chown 999:999 /data
# Ahead of /usr/bin on PATH: protected-mode defaults to no, as in the official image.
COPY $server /usr/local/bin/$server
# As the official image: a command of flags alone (--appendonly yes) runs $server with them.
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /data
VOLUME /data
USER $user
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["$server", "--protected-mode", "no", "--bind", "0.0.0.0"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q "${label_args[@]}" -t "$image" "$workdir/ctx" >/dev/null
docker rmi "$base" >/dev/null 2>&1 || true # only untags it: the image keeps its layers
say "built $image ($(docker run --rm --entrypoint "$server" "$image" --version | awk '{print $1, $3}'))"
