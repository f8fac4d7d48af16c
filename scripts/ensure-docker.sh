#!/usr/bin/env bash
# Makes sure a Docker engine answers. Does nothing when one already does.
# Otherwise, as root on Debian/Ubuntu, installs the distribution's engine (docker.io),
# starts dockerd in the background and waits for it. Prints the pid file to stop it with.
# Exit codes: 0 engine answers, 1 cannot provide one (message says what to install).
set -euo pipefail

PID_FILE="${DOCKERD_PID_FILE:-/tmp/redis-persistence-dockerd.pid}"
LOG_FILE="${DOCKERD_LOG_FILE:-/tmp/redis-persistence-dockerd.log}"
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"

say() { echo "[ensure-docker] $*" >&2; }

engine_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

if engine_answers; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    say "the engine at DOCKER_HOST=$DOCKER_HOST answers ($(docker version --format '{{.Server.Platform.Name}} {{.Server.Version}}' 2>/dev/null || echo 'version unknown')); nothing to do"
  else
    say "a Docker engine answers on the default socket ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo 'version unknown')); nothing to do"
  fi
  exit 0
fi

# A Podman socket that answers the Docker API: say how to use it rather than installing Docker beside it.
for podman_socket in "${XDG_RUNTIME_DIR:-/nonexistent}/podman/podman.sock" /run/podman/podman.sock; do
  if [ -S "$podman_socket" ] && command -v docker >/dev/null 2>&1 && DOCKER_HOST="unix://$podman_socket" docker info >/dev/null 2>&1; then
    say "no Docker engine answers, but a Podman socket does at $podman_socket: export DOCKER_HOST=unix://$podman_socket"
    exit 1
  fi
done

# Pasted as a user: become root through sudo when there is one; as root (CI containers), go on.
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1 && [ -z "${ENSURE_DOCKER_NO_SUDO:-}" ]; then
  say "no engine answers; installing and starting one needs root: re-running through sudo"
  exec sudo --preserve-env=DOCKERD_PID_FILE,DOCKERD_LOG_FILE,DOCKERD_WAIT_SECONDS ENSURE_DOCKER_NO_SUDO=1 bash "$0" "$@"
fi
say "no engine answers on ${DOCKER_HOST:-the default socket}"

fail_with_advice() {
  say "no Docker engine answers and this script cannot start one: $1"
  say "install and start Docker (https://docs.docker.com/engine/install/), or on Debian/Ubuntu run this script as root"
  exit 1
}

[ "$(uname -s)" = "Linux" ] || fail_with_advice "not Linux (use Docker Desktop, Colima or Podman and set DOCKER_HOST)"
[ "$(id -u)" = "0" ] || fail_with_advice "not running as root, and no sudo"
command -v apt-get >/dev/null 2>&1 || fail_with_advice "no apt-get (not Debian/Ubuntu)"

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing Debian's docker.io package (about 15 s after apt-get update)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null
fi

if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  say "dockerd started earlier (pid $(cat "$PID_FILE")) is still starting; waiting"
else
  say "starting dockerd in the background (log: $LOG_FILE)"
  nohup dockerd >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
fi

for _ in $(seq 1 "$WAIT_SECONDS"); do
  if engine_answers; then
    say "engine is up (dockerd pid $(cat "$PID_FILE")); stop it with: kill \$(cat $PID_FILE)"
    exit 0
  fi
  sleep 1
done
say "dockerd did not answer within ${WAIT_SECONDS}s; last lines of $LOG_FILE:"
tail -n 20 "$LOG_FILE" >&2 || true
exit 1
