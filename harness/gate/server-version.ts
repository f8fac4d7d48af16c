/** The server an image runs: which one, and its version ("7.0.15"). */
export interface ImageServer {
  flavor: "redis" | "valkey";
  version: string;
}

/** "Redis 7.0.15", "Valkey 8.1.1". */
export function describeServer(server: ImageServer): string {
  return `${server.flavor === "valkey" ? "Valkey" : "Redis"} ${server.version}`;
}

/** The version as INFO and the reports write it: "7.0.15", "valkey 8.1.1". */
export function serverVersionText(server: ImageServer): string {
  return server.flavor === "valkey" ? `valkey ${server.version}` : server.version;
}

/** Orders two dotted versions ("7.0.15" < "7.2.0"); missing parts count as 0. Pure. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** "7.2" for "7.2.0" (a release line's first version), else the version as given. */
export function shortVersion(version: string): string {
  return version.replace(/^(\d+\.\d+)\.0$/, "$1");
}
