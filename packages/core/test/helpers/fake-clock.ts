/** A clock for transport tests: `sleep` records the delay and moves time on without waiting. */
export function fakeClock(start = Date.parse('2026-05-11T12:00:00.000Z')) {
  const state = { now: start, sleeps: [] as number[] };
  return {
    state,
    now: () => state.now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      state.sleeps.push(ms);
      state.now += ms;
    },
  };
}
