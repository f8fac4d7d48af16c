import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { resolveServiceImage } from "../harness/runtime/service-image.js";
import { removeVolume } from "../harness/runtime/volumes.js";
import { ServiceStack } from "../harness/service/service-stack.js";
import { readComposeSetup } from "./support/compose-file.js";

// The articles' two compose setups, read from the files a user runs and reproduced with
// Testcontainers (docker compose is not installed here): POST the article's three points,
// `down` + `up`, POST three more, and see whether the service still counts the first three.
const redisImage = inject("redisImage");
const COMPOSE_STOP_GRACE_MS = 10_000;
const OFFICIAL_DEFAULTS = fileURLToPath(new URL("./support/official-image-defaults.conf", import.meta.url));
const composeFile = (name: string): string => fileURLToPath(new URL(`../app-under-test/compose/${name}`, import.meta.url));

/** The article's curl body: three hourly points, 10, 20, 30. */
const ARTICLE_POINTS = [
  { timestamp: "2024-01-01T12:00:00", value: 10 },
  { timestamp: "2024-01-01T13:00:00", value: 20 },
  { timestamp: "2024-01-01T14:00:00", value: 30 },
];
const NEXT_POINTS = [
  { timestamp: "2024-01-01T15:00:00", value: 40 },
  { timestamp: "2024-01-01T16:00:00", value: 50 },
  { timestamp: "2024-01-01T17:00:00", value: 60 },
];

let serviceImage: string;
let stack: ServiceStack | undefined;
let orphanVolume: string | undefined;

beforeAll(async () => {
  serviceImage = (await resolveServiceImage()).name;
});

afterEach(async () => {
  await stack?.close();
  stack = undefined;
  if (orphanVolume) await removeVolume(orphanVolume);
  orphanVolume = undefined;
});

describe.each([
  { file: "docker-compose.broken.yml", countAfterUp: 3, outcome: "starts over" },
  { file: "docker-compose.fixed.yml", countAfterUp: 6, outcome: "keeps counting" },
])("$file", ({ file, countAfterUp, outcome }) => {
  it(`after down + up, data_points_used ${outcome} (${countAfterUp})`, async () => {
    const setup = readComposeSetup(composeFile(file));
    const plan = {
      purpose: file.replace(/\W+/g, "-"),
      redisImage,
      serviceImage,
      configFile: OFFICIAL_DEFAULTS,
      redisArgs: setup.redisArgs,
      namedVolume: setup.namedDataVolume,
      serviceEnv: setup.appEnv,
    };
    stack = await ServiceStack.start(plan);
    const first = await (await stack.client()).predict("demo", ARTICLE_POINTS);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect.soft(first.body, "the article's curl: three points 10, 20, 30").toEqual({ series_id: "demo", prediction: 40, data_points_used: 3, redis_connected: true });

    orphanVolume = await stack.down(COMPOSE_STOP_GRACE_MS);
    stack = undefined;
    stack = await ServiceStack.start({ ...plan, ...(orphanVolume ? { existingVolume: orphanVolume } : {}) });
    orphanVolume = undefined;

    const after = await (await stack.client()).predict("demo", NEXT_POINTS);
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect.soft(after.body, `after down + up: the first three points ${outcome === "starts over" ? "are gone" : "are still counted"}`).toEqual({ series_id: "demo", prediction: 70, data_points_used: countAfterUp, redis_connected: true });
  });
});
