import { readFileSync } from "node:fs";
import { effectiveConf } from "../gate/effective-conf.js";
import { explainConf } from "../gate/explain-conf.js";
import { parseConf } from "../gate/parse-conf.js";
import type { DocumentedBounds } from "./recommend.js";

/** Reads each mode's config file and states Redis's documented worst cases for it, keyed by mode. */
export function documentedBounds(modes: readonly { mode: string; configFile: string }[]): Record<string, DocumentedBounds> {
  return Object.fromEntries(
    modes.map((spec) => {
      const explanation = explainConf(effectiveConf(parseConf(readFileSync(spec.configFile, "utf8"))));
      return [spec.mode, { processCrash: explanation.processCrash, powerLoss: explanation.powerLoss }];
    }),
  );
}
