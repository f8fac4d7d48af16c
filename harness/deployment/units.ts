/**
 * Durations and sizes as compose and Kubernetes write them. Pure; undefined when the text is not
 * one (the reader then says so instead of guessing).
 */

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration as compose's `stop_grace_period` takes it ("1m30s", "10s", "500ms"; a bare number is seconds), in ms. */
export function parseDurationMs(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text * 1000 : undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < trimmed.length) {
    part.lastIndex = at;
    const match = part.exec(trimmed);
    if (!match) return undefined;
    total += Number(match[1]) * (DURATION_UNITS[match[2] as string] ?? 0);
    at = part.lastIndex;
  }
  return trimmed === "" ? undefined : Math.round(total);
}

/** Compose's byte values ("1g", "512m", "1gb", a bare number of bytes); k = 1024 as in docker's units.RAMInBytes. */
export function parseComposeBytes(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? "").toLowerCase();
  const power = unit === "" ? 0 : "kmgtp".indexOf(unit) + 1;
  return Math.round(Number(match[1]) * 1024 ** power);
}

const K8S_SUFFIXES: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  m: 1e-3,
};

/** A Kubernetes quantity ("512Mi", "1G", "1e9", "128974848"), in bytes. */
export function parseK8sQuantity(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text : undefined;
  const match = /^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (match[2] ? (K8S_SUFFIXES[match[2]] ?? 1) : 1));
}
