import type { RedisImageSpec } from "../runtime/images.js";
import { openSession } from "../runtime/session.js";
import type { Session } from "../runtime/session.js";
import { EXIT } from "./exit-codes.js";

/** Where a command writes: results to `out`, progress and errors to `err`. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** The engine or the image is missing: exit code 3. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvironmentError";
  }
}

/**
 * Runs `body` inside a session (engine check, image, janitor) and closes it afterwards. On SIGINT or
 * SIGTERM it removes what the run created and exits 130; a second signal exits at once (the janitor
 * then cleans up). `image` overrides the image like REDIS_IMAGE does; `spec` opens the session on that
 * version's own image instead, REDIS_IMAGE ignored.
 */
export async function withSession<T>(io: CliIo, image: string | undefined, body: (session: Session) => Promise<T>, spec?: RedisImageSpec): Promise<T> {
  let session: Session | undefined;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    io.err(`\n${signal}: removing this run's containers and volumes (again to quit at once)\n`);
    void (session?.close() ?? Promise.resolve()).finally(() => process.exit(EXIT.interrupted));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const previousImage = process.env.REDIS_IMAGE;
  try {
    if (image !== undefined) process.env.REDIS_IMAGE = image;
    try {
      session = spec ? await openSession(spec, "") : await openSession();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new EnvironmentError(image === undefined ? message : message.replace(`REDIS_IMAGE=${image}`, `--image ${image}`).replace("unset REDIS_IMAGE", "drop --image"));
    }
    return await body(session);
  } finally {
    if (image !== undefined) {
      if (previousImage === undefined) delete process.env.REDIS_IMAGE;
      else process.env.REDIS_IMAGE = previousImage;
    }
    await session?.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
