import type { RateLimitObservation, RateLimitReservation } from './provider-state-store.js';

/** One bucket's budget as a store keeps it. */
export interface RateLimitBucketState {
  limit?: number | undefined;
  /** Left in the window; undefined while unknown. */
  remaining?: number | undefined;
  /** When the window resets (ms since the epoch). */
  resetAtMs?: number | undefined;
  /** While set and in the future, one probe is learning the budget. */
  probeUntilMs?: number | undefined;
  /**
   * Until when requests go through without a count: the server's answers carried no
   * rate-limit headers, so there is nothing to count against (checked again after that).
   */
  unmeteredUntilMs?: number | undefined;
}

/** Reset instants closer than this are one window (vendors that send "seconds from now" drift by a second). */
export const RESET_TOLERANCE_MS = 2_000;
/** The window assumed when a response says what is left but not when it resets. */
export const DEFAULT_WINDOW_MS = 60_000;
/** How often a request waiting for a probe asks again. */
export const PROBE_POLL_MS = 25;
/** Default lease of the probe sent while a budget is unknown. */
export const DEFAULT_PROBE_LEASE_MS = 10_000;

/**
 * The reservation rule every store applies atomically (the Redis store runs the same rule
 * in a Lua script): an unknown or expired budget lets one probe through at a time (or every
 * request, while the server sends no counts); a known one grants while `remaining >= cost`.
 */
export function reserveFromBudget(
  state: RateLimitBucketState,
  now: number,
  cost: number,
  probeLeaseMs: number,
): { state: RateLimitBucketState; reservation: RateLimitReservation } {
  const known = state.remaining !== undefined && state.resetAtMs !== undefined && now < state.resetAtMs;
  if (!known) {
    if (state.unmeteredUntilMs !== undefined && now < state.unmeteredUntilMs) {
      return { state, reservation: { granted: true, remaining: undefined } };
    }
    if (state.probeUntilMs !== undefined && now < state.probeUntilMs) {
      return { state, reservation: { granted: false, retryAfterMs: Math.max(1, Math.min(PROBE_POLL_MS, state.probeUntilMs - now)), reason: 'probing' } };
    }
    return { state: { limit: state.limit, probeUntilMs: now + probeLeaseMs }, reservation: { granted: true, remaining: undefined } };
  }
  if (state.remaining! >= cost) {
    const remaining = state.remaining! - cost;
    return { state: { ...state, remaining }, reservation: { granted: true, remaining } };
  }
  return { state, reservation: { granted: false, retryAfterMs: Math.max(1, state.resetAtMs! - now), reason: 'spent' } };
}

/**
 * The recording rule: within one window the budget only goes down (the smaller of the local
 * count, which already holds reservations still in flight, and the server's); a reset later
 * than the known one by more than {@link RESET_TOLERANCE_MS} starts a new window at the
 * server's count. Ends any probe.
 */
export function recordInBudget(state: RateLimitBucketState, observation: RateLimitObservation, now: number): RateLimitBucketState {
  const reported = observation.remaining;
  const limit = observation.limit ?? state.limit;
  if (reported === undefined) {
    const known = state.remaining !== undefined && state.resetAtMs !== undefined && now < state.resetAtMs;
    // No count in the answer: keep a known window; without one, stop probing for a while.
    if (known) return { ...state, limit, probeUntilMs: undefined };
    return { limit, unmeteredUntilMs: now + DEFAULT_WINDOW_MS };
  }
  const resetAtMs = observation.resetAtMs ?? (state.resetAtMs !== undefined && state.resetAtMs > now ? state.resetAtMs : now + DEFAULT_WINDOW_MS);
  const sameWindow =
    state.remaining !== undefined && state.resetAtMs !== undefined && state.resetAtMs > now && resetAtMs <= state.resetAtMs + RESET_TOLERANCE_MS;
  if (sameWindow) {
    return { limit, remaining: Math.max(0, Math.min(state.remaining!, reported)), resetAtMs: Math.max(state.resetAtMs!, resetAtMs) };
  }
  return { limit, remaining: Math.max(0, reported), resetAtMs };
}
