import type { ImageServer } from "./server-version.js";

// A major-only tag follows that major's newest release line: docker-library's library/redis gave
// `6` to 6.2.x and `7` to 7.0.x in 2023, and `7` moved on to 7.2 and 7.4. Once a major has ended
// (Redis 8.0 shipped in 2025 after 7.4; Valkey went from 7.2 to 8.0) the line is known for good.
const FINAL_LINES: Record<ImageServer["flavor"], Record<string, string>> = {
  redis: { "4": "4.0", "5": "5.0", "6": "6.2", "7": "7.4" },
  valkey: { "7": "7.2" },
};

/** The version a tag stands for: an ended major's last line ("7" is 7.4), else the tag's own version. Pure. */
export function lineOfTag(flavor: ImageServer["flavor"], version: string): string {
  return FINAL_LINES[flavor][version] ?? version;
}

/** Whether `version` names only a major that may still get new lines ("8"): the build here may be older than what it pulls. Pure. */
export function isOpenMajor(flavor: ImageServer["flavor"], version: string): boolean {
  return /^\d+$/.test(version) && FINAL_LINES[flavor][version] === undefined;
}
