import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { FoundFile } from "./conf-reader.js";
import type { SourceFile } from "./deployment.js";

/** Reads a host file from the disk; undefined when it is not a readable file. */
export function readFromDisk(p: string): string | undefined {
  try {
    return existsSync(p) && statSync(p).isFile() ? readFileSync(p, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

/** The names in a host directory; undefined when it is not one. */
export function listDisk(p: string): string[] | undefined {
  try {
    return existsSync(p) && statSync(p).isDirectory() ? readdirSync(p).sort() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The files given on the command line, looked up by path (compared resolved) or base name, with
 * the disk behind them for files a compose file mounts from next to itself. Remembers which given
 * files something read, so that a file nothing reads can be reported.
 */
export class GivenFiles {
  private readonly byPath = new Map<string, SourceFile>();
  private readonly used = new Set<string>();

  constructor(
    readonly files: SourceFile[],
    private readonly readFile: (p: string) => string | undefined = readFromDisk,
    private readonly listDir: (p: string) => string[] | undefined = listDisk,
  ) {
    for (const file of files) this.byPath.set(path.resolve(file.path), file);
  }

  /** A host file: the given one at that path, else the disk. */
  read(hostPath: string): FoundFile | undefined {
    const given = this.byPath.get(path.resolve(hostPath));
    if (given) {
      this.used.add(given.path);
      return { text: given.text, display: given.path };
    }
    const text = this.readFile(hostPath);
    return text === undefined ? undefined : { text, display: hostPath };
  }

  /** The files directly in a host directory: given ones there, and the disk's. */
  list(hostDir: string): FoundFile[] {
    const dir = path.resolve(hostDir);
    const names = new Set<string>([...this.byPath.keys()].filter((p) => path.dirname(p) === dir).map((p) => path.basename(p)));
    for (const name of this.listDir(hostDir) ?? []) names.add(name);
    return [...names].sort().flatMap((name) => {
      const found = this.read(path.join(hostDir, name));
      return found ? [found] : [];
    });
  }

  /** The one given file with this base name that no other path claimed (a config a custom image bakes in). */
  byName(basename: string, except: string[] = []): FoundFile | undefined {
    const skip = new Set(except.map((p) => path.resolve(p)));
    const matches = this.files.filter((f) => path.basename(f.path) === basename && !skip.has(path.resolve(f.path)));
    const unused = matches.filter((f) => !this.used.has(f.path));
    const pick = unused.length === 1 ? unused[0] : matches.length === 1 ? matches[0] : undefined;
    if (!pick) return undefined;
    this.used.add(pick.path);
    return { text: pick.text, display: pick.path };
  }

  markUsed(file: string): void {
    this.used.add(file);
  }

  isUsed(file: string): boolean {
    return this.used.has(file);
  }
}
