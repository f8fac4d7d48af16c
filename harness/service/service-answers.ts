import { predictNext } from "../../app-under-test/src/model.js";
import type { ServiceClient } from "./service-client.js";
import type { ServiceReadBack } from "./service-readback.js";

/**
 * Asks the service about every series and user that was read back and compares its answers with
 * what Redis holds: a user sees exactly the surviving points (count and prediction over the most
 * recent `historyLimit`), the surviving model while its TTL runs, else one rebuilt from the
 * surviving events, else 404. Returns the mismatches, empty when the answers agree. Call it after
 * the read-back: a model GET may rebuild and store a model.
 */
export async function checkServiceAnswers(client: ServiceClient, readBack: ServiceReadBack, historyLimit: number): Promise<string[]> {
  const mismatches: string[] = [];
  for (const [seriesId, points] of readBack.series) {
    const reply = await client.predict(seriesId);
    const recent = points.slice(-historyLimit);
    if (recent.length === 0) {
      if (reply.status !== 404) mismatches.push(`series ${seriesId}: Redis holds no point, the service answered ${reply.status} ${JSON.stringify(reply.body)} (expected 404)`);
      continue;
    }
    const expected = { status: 200, data_points_used: recent.length, prediction: predictNext(recent) };
    const got = { status: reply.status, data_points_used: reply.body.data_points_used, prediction: reply.body.prediction };
    if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`series ${seriesId}: expected ${JSON.stringify(expected)}, the service answered ${JSON.stringify(reply.body)}`);
  }
  const users = new Set([...readBack.models.keys(), ...readBack.eventCounts.keys()]);
  for (const userId of users) {
    const reply = await client.userModel(userId);
    const storedBuiltAt = readBack.models.get(userId) ?? null;
    const events = readBack.eventCounts.get(userId) ?? 0;
    const got = `${reply.status} ${JSON.stringify(reply.body)}`;
    if (storedBuiltAt !== null) {
      if (reply.status !== 200 || reply.body.source !== "cache" || reply.body.built_at !== storedBuiltAt) {
        mismatches.push(`user ${userId}: Redis holds the model built at ${storedBuiltAt}; expected it served from cache, got ${got}`);
      }
    } else if (events > 0) {
      if (reply.status !== 200 || reply.body.source !== "rebuilt" || reply.body.event_count !== events) {
        mismatches.push(`user ${userId}: no stored model, ${events} buffered events; expected a model rebuilt from them, got ${got}`);
      }
    } else if (reply.status !== 404) {
      mismatches.push(`user ${userId}: nothing in Redis; expected 404, got ${got}`);
    }
  }
  return mismatches;
}
