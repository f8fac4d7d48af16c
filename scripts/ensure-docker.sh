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
  say "a Docker engine already answers; nothing to do"
  exit 0
fi

fail_with_advice() {
  say "no Docker engine answers and this script cannot start one: $1"
  say "install and start Docker (https://docs.docker.com/engine/install/), or on Debian/Ubuntu run this script as root"
  exit 1
}

[ "$(uname -s)" = "Linux" ] || fail_with_advice "not Linux (use Docker Desktop, Colima or Podman and set DOCKER_HOST)"
[ "$(id -u)" = "0" ] || fail_with_advice "not running as root"
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
