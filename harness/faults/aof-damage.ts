import { open, readFile } from "node:fs/promises";

/** How many bytes of zeros overwrite the damaged record (the zeros of redis issue 5177). */
export const AOF_DAMAGE_BYTES = 64;

const COMMAND_START = Buffer.from("*");

/** Where an AOF was damaged, and how many commands start at or after that point. */
export interface AofDamage {
  offset: number;
  fileBytes: number;
  commandsFromDamage: number;
}

/**
 * Overwrites AOF_DAMAGE_BYTES with zeros at the first command that starts past the middle of an
 * AOF file (a file on the backing dir, written while Redis is stopped): a damaged record in the
 * middle, not a torn tail.
 */
export async function damageAofMiddle(file: string): Promise<AofDamage> {
  const data = await readFile(file);
  const starts = commandStarts(data);
  const offset = starts.find((start) => start >= data.length / 2);
  if (offset === undefined || offset + AOF_DAMAGE_BYTES >= data.length) {
    throw new Error(`${file} (${data.length} bytes) has no command past its middle with ${AOF_DAMAGE_BYTES} bytes after it`);
  }
  const handle = await open(file, "r+");
  try {
    await handle.write(Buffer.alloc(AOF_DAMAGE_BYTES), 0, AOF_DAMAGE_BYTES, offset);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { offset, fileBytes: data.length, commandsFromDamage: starts.filter((start) => start >= offset).length };
}

/** Offsets of the commands of a RESP AOF (`*<argc>\r\n` then argc `$<len>\r\n<bytes>\r\n`). */
function commandStarts(data: Buffer): number[] {
  const starts: number[] = [];
  let at = 0;
  const readLine = (): string => {
    const end = data.indexOf("\r\n", at);
    if (end < 0) throw new Error(`unterminated line at offset ${at}`);
    const line = data.toString("latin1", at, end);
    at = end + 2;
    return line;
  };
  while (at < data.length) {
    if (!data.subarray(at, at + 1).equals(COMMAND_START)) throw new Error(`no command starts at offset ${at}`);
    starts.push(at);
    const argc = Number(readLine().slice(1));
    for (let i = 0; i < argc; i++) {
      const length = Number(readLine().slice(1));
      at += length + 2;
    }
  }
  return starts;
}
