import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import debug from "debug";
import { ImageName, getContainerRuntimeClient } from "testcontainers";
import { bundleService } from "../../app-under-test/build.js";
import { dockerEngine } from "./docker-engine.js";
import { ensureImagePresent, runBuildScript } from "./images.js";
import { PROJECT_ROOT } from "./project-root.js";

const log = debug("redis-persistence:service-image");

/** Where the prediction service's Node runtime comes from: the official image, or Debian's packages. */
export interface NodeBaseSpec {
  /** The official image; TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX applies to it. */
  official: string;
  offline: { debianSuite: string; packages: string[]; image: string };
}

/** The base every service image is built on unless no registry answers (pinned here and only here). */
export const DEFAULT_NODE_BASE: NodeBaseSpec = {
  official: "node:22-slim",
  offline: {
    debianSuite: "bookworm",
    packages: ["nodejs"],
    // Debian's Node 18, not the official image: named so, never node:<tag>.
    image: "localhost/redis-persistence/node-debian:bookworm",
  },
};

/** The service image a run uses, and what it was built on. */
export interface ResolvedServiceImage {
  name: string;
  base: string;
  baseOrigin: "official" | "offline-build";
}

const APP_DIR = path.join(PROJECT_ROOT, "app-under-test");
const IMAGE_REPOSITORY = "localhost/redis-persistence/prediction-service";

/**
 * Bundles the service, picks the Node base (official, else built offline from Debian's packages),
 * and builds the service image from app-under-test/Dockerfile. The tag is a hash of the bundle,
 * the Dockerfile and the base image, so an unchanged service is never rebuilt.
 */
export async function resolveServiceImage(spec: NodeBaseSpec = DEFAULT_NODE_BASE): Promise<ResolvedServiceImage> {
  const base = await resolveNodeBase(spec);
  const context = await mkdtemp(path.join(tmpdir(), "redis-persistence-service-"));
  try {
    await mkdir(path.join(context, "dist"));
    const bundle = await bundleService(path.join(context, "dist", "server.cjs"));
    await copyFile(path.join(APP_DIR, "Dockerfile"), path.join(context, "Dockerfile"));
    const docker = await dockerEngine();
    const baseId = (await docker.getImage(base.name).inspect()).Id;
    const hash = createHash("sha256")
      .update(await readFile(bundle))
      .update(await readFile(path.join(context, "Dockerfile")))
      .update(baseId)
      .digest("hex")
      .slice(0, 12);
    const name = `${IMAGE_REPOSITORY}:${hash}`;
    if (await imageExists(name)) {
      log("%s already built", name);
    } else {
      await buildImage({
        context,
        files: ["Dockerfile", "dist/server.cjs"],
        name,
        buildargs: { NODE_IMAGE: base.name },
        labels: { "org.redis-persistence.service-image": "true", "org.redis-persistence.node-base": base.name },
        what: `app-under-test/Dockerfile on ${base.name}`,
      });
    }
    return { name, base: base.name, baseOrigin: base.origin };
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

async function resolveNodeBase(spec: NodeBaseSpec): Promise<{ name: string; origin: ResolvedServiceImage["baseOrigin"] }> {
  const official = ImageName.fromString(spec.official).string;
  const pulled = await ensureImagePresent(official);
  if (pulled.present) return { name: official, origin: "official" };
  process.stderr.write(`[service-image] ${official} cannot be pulled (${pulled.error}); using a Node base built from Debian's packages: ${spec.offline.image}\n`);
  const { debianSuite, image, packages } = spec.offline;
  await runBuildScript("build-offline-node-image.sh", [debianSuite, image, ...packages], `building ${image} from Debian's ${debianSuite} packages`);
  return { name: image, origin: "offline-build" };
}

/** Whether an image of that name is on this machine. */
export async function imageExists(name: string): Promise<boolean> {
  const client = await getContainerRuntimeClient();
  return client.image.exists(ImageName.fromString(name));
}

/** One `docker build` of a service image: the context folder, the files sent from it, the tag. */
export interface ImageBuild {
  context: string;
  files: string[];
  name: string;
  buildargs: Record<string, string>;
  labels: Record<string, string>;
  /** What is built from what, for the messages. */
  what: string;
}

/** Builds an image (legacy builder, no registry); fails with the build's transcript. */
export async function buildImage(build: ImageBuild): Promise<void> {
  const { context, files, name, buildargs, labels, what } = build;
  const startedAtMs = Date.now();
  const docker = await dockerEngine();
  const stream = await docker.buildImage({ context, src: files }, { t: name, buildargs, labels });
  const output = await new Promise<{ error?: string; stream?: string }[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, result: { error?: string; stream?: string }[]) => (error ? reject(error) : resolve(result)));
  });
  const failed = output.find((line) => line.error);
  if (failed) {
    const transcript = output.map((line) => line.stream ?? line.error ?? "").join("").trimEnd();
    throw new Error(`building ${name} from ${what} failed: ${failed.error}\n${transcript}`);
  }
  log("built %s from %s in %d ms", name, what, Date.now() - startedAtMs);
  process.stderr.write(`[service-image] built ${name} from ${what} in ${Date.now() - startedAtMs} ms\n`);
}
