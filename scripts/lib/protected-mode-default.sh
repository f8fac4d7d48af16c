#!/bin/sh
# Installed as /usr/local/bin/redis-server (or valkey-server) by build-offline-image.sh, ahead of
# Debian's binary (@SERVER@). The official image compiles protected-mode's default to "no": a
# container is reached only through what is published. Debian's build keeps "yes", so a server
# started from flags alone (`redis-server --appendonly yes`, as compose files do) answers other
# containers with DENIED. This gives the same default the only way a wrapper can: it adds
# `--protected-mode no` right after the config file, unless that file (or a file it includes)
# has its own protected-mode line. Arguments come after it, so an --protected-mode argument wins.
real=@SERVER@

# Whether a config file, or one it includes (7.0 accepts globs there), sets protected-mode.
sets_protected_mode() {
  [ "$2" -lt 8 ] && [ -r "$1" ] || return 1
  grep -qiE '^[[:space:]]*protected-mode([[:space:]]|$)' "$1" && return 0
  # Unquoted on purpose: an include's glob expands here as Redis expands it.
  for file in $(grep -iE '^[[:space:]]*include[[:space:]]' "$1" | awk '{print $2}'); do
    sets_protected_mode "$file" $(($2 + 1)) && return 0
  done
  return 1
}

case "${1-}" in
  -v | --version | -h | --help | --test-memory | --check-system) exec "$real" "$@" ;;
esac
for arg in "$@"; do
  # A config read from stdin cannot be looked at first: leave Redis's own default.
  [ "$arg" = "-" ] && exec "$real" "$@"
done
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  sets_protected_mode "$1" 0 && exec "$real" "$@"
  conf=$1
  shift
  exec "$real" "$conf" --protected-mode no "$@"
fi
exec "$real" --protected-mode no "$@"
