import type { Deployment } from "../deployment/index.js";
import { confServerHint } from "../gate/conf-server-hint.js";
import type { BuildCandidate, BuildChoice, BuildWanted } from "../gate/offline-build-choice.js";
import { chooseBuild } from "../gate/offline-build-choice.js";
import { dockerEngine } from "../runtime/docker-engine.js";
import { serverVersionOfImage } from "../runtime/image-version.js";
import { ensureImagePresent, resolveRedisImage, serverBinaryOf } from "../runtime/images.js";
import type { Session } from "../runtime/session.js";
import type { VersionId } from "../runtime/versions.js";
import { VERSIONS } from "../runtime/versions.js";
import { EnvironmentError } from "./session-scope.js";

/** The image a gate runs on, and what to say when it is not the one asked for (the caller adds the version that ran). */
export interface GateImage {
  image: string;
  note?: string;
}

const SESSION = "session";

/** The offline builds of VERSIONS, with the server versions recorded for them. */
export function offlineCandidates(): BuildCandidate[] {
  return Object.entries(VERSIONS).flatMap(([id, spec]) => {
    const build = spec.offline;
    if (id === "default" || build?.serverVersion === undefined) return [];
    return [{ id, server: { flavor: serverBinaryOf(build.image) === "valkey-server" ? ("valkey" as const) : ("redis" as const), version: build.serverVersion } }];
  });
}

/**
 * The image the deployment names when it is here or can be pulled; else the offline build of the
 * same server and major.minor, else the nearest that knows every directive it uses, saying so.
 * --image (`imageGiven`) wins over both.
 */
export async function deploymentImage(d: Deployment, session: Session, imageGiven: boolean): Promise<GateImage> {
  const named = d.image?.reference;
  const fallback = session.image.name;
  if (imageGiven || named === fallback) return { image: fallback, ...(imageGiven && named !== undefined && named !== fallback ? { note: `run on --image ${fallback} as asked (the deployment names ${named})` } : {}) };
  const wanted: BuildWanted = { flavor: d.server === "valkey" ? "valkey" : "redis", ...(d.version !== undefined ? { version: d.version } : {}), directives: d.directives.map((x) => x.name) };
  if (named === undefined) {
    const picked = await pickBuild({ ...wanted, ...(await sessionLine(session, wanted.flavor)) }, session, "no image named");
    return picked.image === fallback ? { image: fallback } : picked;
  }
  if (await (await dockerEngine()).getImage(named).inspect().then(() => true, () => false)) return { image: named };
  if (!session.image.registryReachable) return pickBuild(wanted, session, `${named} cannot be pulled here (no registry answers)`);
  const pulled = await ensureImagePresent(named);
  return pulled.present ? { image: named } : pickBuild(wanted, session, `${named} cannot be pulled here (${pulled.error})`);
}

/**
 * The image for a bare redis.conf or valkey.conf given without --image: the server its content says
 * (Valkey-only directives, valkey.conf's first line), on the build of the release a stock file comes
 * from, else the session's, else the nearest that knows every directive it uses.
 */
export async function confImage(text: string, session: Session): Promise<GateImage> {
  const hint = confServerHint(text);
  const version = hint.writtenFor !== undefined ? { version: hint.writtenFor.split(".").slice(0, 2).join(".") } : await sessionLine(session, hint.flavor);
  const why = ["no image named", ...(hint.flavorReason !== undefined ? [`read as Valkey (${hint.flavorReason})`] : []), ...(hint.writtenForReason !== undefined ? [hint.writtenForReason] : [])];
  const picked = await pickBuild({ flavor: hint.flavor, ...version, directives: hint.directives }, session, why.join("; "));
  // Said only when the content decided something: a plain redis.conf runs where it always did.
  return why.length === 1 && picked.image === session.image.name ? { image: picked.image } : picked;
}

// Without a version named, the session's own build is the one to match when it is of that server.
async function sessionLine(session: Session, flavor: BuildWanted["flavor"]): Promise<{ version?: string }> {
  const server = await sessionServer(session);
  return server.flavor === flavor ? { version: server.version } : {};
}

async function pickBuild(wanted: BuildWanted, session: Session, reason: string): Promise<GateImage> {
  const choice = chooseBuild(wanted, await candidatesWith(session));
  if (!choice) return { image: session.image.name, note: `${reason}; no ${wanted.flavor === "valkey" ? "Valkey" : "Redis"} build here, so the session's image` };
  return { image: await imageOf(choice, session), note: `${reason}; run on ${choice.why}` };
}

// The session's image stands in for the offline build it is (or is added, when it is another image).
async function candidatesWith(session: Session): Promise<BuildCandidate[]> {
  const own = { id: SESSION, server: await sessionServer(session) };
  return [own, ...offlineCandidates().filter((c) => VERSIONS[c.id as VersionId].offline?.image !== session.image.name)];
}

const sessionServers = new Map<string, Promise<BuildCandidate["server"]>>();
function sessionServer(session: Session): Promise<BuildCandidate["server"]> {
  const image = session.image.name;
  let server = sessionServers.get(image);
  if (!server) {
    server = serverVersionOfImage(image).then((version) => ({ flavor: serverBinaryOf(image) === "valkey-server" ? ("valkey" as const) : ("redis" as const), version }));
    sessionServers.set(image, server);
  }
  return server;
}

// An offline build not yet on this machine is built here (scripts/build-offline-image.sh, 1-3 min).
async function imageOf(choice: BuildChoice, session: Session): Promise<string> {
  if (choice.build.id === SESSION) return session.image.name;
  try {
    return (await resolveRedisImage(VERSIONS[choice.build.id as VersionId], "")).name;
  } catch (error) {
    throw new EnvironmentError(`the gate picked ${choice.why}, but it cannot be had: ${error instanceof Error ? error.message : String(error)}`);
  }
}
