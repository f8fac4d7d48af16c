/** A source of timestamps in milliseconds; injected so that histories can be built by hand in tests. */
export interface Clock {
  nowMs(): number;
}

/** The wall clock with sub-millisecond resolution, anchored at process start. */
export const systemClock: Clock = {
  nowMs: () => performance.timeOrigin + performance.now(),
};
