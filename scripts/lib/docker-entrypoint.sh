#!/bin/sh
# Installed as /usr/local/bin/docker-entrypoint.sh, the ENTRYPOINT of build-offline-image.sh's images.
# As the official images' docker-entrypoint.sh does (docker-library/redis `docker-entrypoint.sh`,
# valkey-io/valkey-container `docker-entrypoint.sh`): a command that starts with a flag or names a
# .conf file (`command: ["--appendonly", "yes"]`) runs the server with it; any other runs as given.
# The official script's root-to-redis step is not needed (these images run as the server's user),
# and neither is its umask 0077, which decides only the data files' modes.
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- @SERVER@ "$@"
fi
exec "$@"
