import type { ImageRef } from "./deployment.js";

/** What an image does at start-up, as its Dockerfile and entrypoint script say (read, with sources below). */
export interface ImageTraits {
  /** ENTRYPOINT and CMD; undefined when the image is not one the readers know. */
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  /** WORKDIR, where redis-server starts (relative `dir` and `include` resolve against it). */
  workingDir: string;
  /** The path the image declares as VOLUME; null when it declares none; undefined when unknown. */
  volume: string | null | undefined;
  /** The entrypoint puts the server in front of a first argument that starts with "-" or ends with ".conf". */
  prefixesServer: boolean;
  /** The server binary the entrypoint puts in front. */
  binary: "redis-server" | "valkey-server";
  /** An environment variable whose words the entrypoint appends to the command (Valkey's VALKEY_EXTRA_FLAGS). */
  extraFlagsEnv?: string;
  /** Where these facts were read. */
  source: string;
}

/**
 * The start-up of each image family.
 * - official redis: docker-library/redis `7.2/debian/Dockerfile` (and 6.2..7.4, alpine alike):
 *   `VOLUME /data`, `WORKDIR /data`, `ENTRYPOINT ["docker-entrypoint.sh"]`, `CMD ["redis-server"]`;
 *   `docker-entrypoint.sh` prepends redis-server when `$1` starts with "-" or ends with ".conf", then
 *   `exec gosu redis "$0" "$@"` / `exec "$@"` (redis/docker-library-redis `debian/docker-entrypoint.sh`
 *   for 8.x does the same via setpriv). redis/docker-library-redis issue 433 (open) asks to drop VOLUME.
 * - official valkey: valkey-io/valkey-container `8.0/debian/Dockerfile` declares `VOLUME /data`,
 *   `8.1/debian/Dockerfile` does not; both `WORKDIR /data`; `docker-entrypoint.sh` prepends
 *   valkey-server and ends `exec "$@" $VALKEY_EXTRA_FLAGS`.
 * - Bitnami: bitnami/containers `bitnami/redis/7.4/debian-12/Dockerfile`: no VOLUME, no WORKDIR,
 *   `ENTRYPOINT ["/opt/bitnami/scripts/redis/entrypoint.sh"]`, `CMD ["/opt/bitnami/scripts/redis/run.sh"]`
 *   (the rest is in bitnami.ts).
 * - redis-stack-server: its `/entrypoint.sh` (`#!/usr/bin/dumb-init /bin/sh`) runs
 *   `${CMD} --dir ${REDIS_DATA_DIR} ${REDIS_ARGS}` with REDIS_DATA_DIR defaulting to /data.
 * - this project's offline builds: scripts/build-offline-image.sh (`WORKDIR /data`, `VOLUME /data`,
 *   `ENTRYPOINT ["docker-entrypoint.sh"]`, which prepends the server as the official one does,
 *   `CMD [server, "--protected-mode", "no", "--bind", "0.0.0.0"]`).
 */
export function imageTraits(image: ImageRef): ImageTraits {
  switch (image.family) {
    case "official-redis":
      return {
        entrypoint: ["docker-entrypoint.sh"],
        cmd: ["redis-server"],
        workingDir: "/data",
        volume: "/data",
        prefixesServer: true,
        binary: "redis-server",
        source: "docker-library/redis Dockerfile and docker-entrypoint.sh",
      };
    case "official-valkey":
      return {
        entrypoint: ["docker-entrypoint.sh"],
        cmd: ["valkey-server"],
        workingDir: "/data",
        volume: valkeyDeclaresVolume(image.version) ? "/data" : null,
        prefixesServer: true,
        binary: "valkey-server",
        extraFlagsEnv: "VALKEY_EXTRA_FLAGS",
        source: "valkey-io/valkey-container Dockerfile and docker-entrypoint.sh",
      };
    case "bitnami": {
      const product = image.server === "valkey" ? "valkey" : "redis";
      return {
        entrypoint: [`/opt/bitnami/scripts/${product}/entrypoint.sh`],
        cmd: [`/opt/bitnami/scripts/${product}/run.sh`],
        workingDir: "/",
        volume: null,
        prefixesServer: false,
        binary: product === "valkey" ? "valkey-server" : "redis-server",
        source: `bitnami/containers bitnami/${product} Dockerfile and scripts`,
      };
    }
    case "redis-stack":
      return {
        entrypoint: ["/entrypoint.sh"],
        cmd: [],
        workingDir: "/opt/redis-stack",
        volume: undefined,
        prefixesServer: false,
        binary: "redis-server",
        source: "redis-stack-server's /entrypoint.sh",
      };
    case "offline-build": {
      const binary = image.server === "valkey" ? "valkey-server" : "redis-server";
      return {
        entrypoint: ["docker-entrypoint.sh"],
        cmd: [binary, "--protected-mode", "no", "--bind", "0.0.0.0"],
        workingDir: "/data",
        volume: "/data",
        prefixesServer: true,
        binary,
        source: "scripts/build-offline-image.sh",
      };
    }
    case "unknown":
      return { entrypoint: undefined, cmd: undefined, workingDir: "/", volume: undefined, prefixesServer: false, binary: "redis-server", source: "unknown image" };
  }
}

// 8.0 images declare VOLUME /data, 8.1 ones do not; a tag naming no version ("latest", "alpine") or only "8" is the newest.
function valkeyDeclaresVolume(version: string | undefined): boolean {
  if (version === undefined) return false;
  const [major = 0, minor] = version.split(".").map(Number);
  if (major !== 8) return major < 8;
  return minor !== undefined && minor < 1;
}
