import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** What headless Chromium made of a page: the DOM after load, and every console message it logged. */
export interface LoadedPage {
  dom: string;
  consoleMessages: string[];
}

const CHROMIUM_TIMEOUT_MS = 60_000;
// No network, no background services: the page must render from the file alone.
const QUIET_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium binary on PATH (Debian's `chromium` package), or an error saying how to install it. */
export function chromiumBinary(): string {
  const dirs = (process.env.PATH ?? "").split(path.delimiter);
  for (const name of ["chromium", "chromium-browser"]) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error("chromium is not installed: run `apt-get install -y chromium` (Debian's package; nothing here downloads a browser)");
}

/** Loads a local HTML file in headless Chromium and returns the rendered DOM and the console messages (any level). */
export async function loadInChromium(file: string): Promise<LoadedPage> {
  const { stdout, stderr } = await runChromium(["--enable-logging=stderr", "--v=1", "--dump-dom", pathToFileURL(file).href]);
  const consoleMessages = stderr.split("\n").filter((line) => /:CONSOLE[:(]/.test(line));
  return { dom: stdout, consoleMessages };
}

/** Takes a screenshot of a local HTML file (PNG) at the given window size, in CSS pixels. */
export async function screenshotWithChromium(file: string, png: string, width = 1400, height = 2000): Promise<void> {
  await runChromium([`--screenshot=${png}`, `--window-size=${width},${height}`, pathToFileURL(file).href]);
  if (!existsSync(png)) throw new Error(`chromium wrote no screenshot to ${png}`);
}

async function runChromium(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const binary = chromiumBinary();
  const profile = await mkdtemp(path.join(os.tmpdir(), "redis-persistence-chromium-"));
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(binary, [...QUIET_FLAGS, `--user-data-dir=${profile}`, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`chromium did not finish within ${CHROMIUM_TIMEOUT_MS} ms`));
      }, CHROMIUM_TIMEOUT_MS);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        const stderr = Buffer.concat(err).toString("utf8");
        if (code !== 0) reject(new Error(`chromium exited with code ${code}:\n${stderr.split("\n").slice(-10).join("\n")}`));
        else resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr });
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
