/** The last rate-limit state a transport saw. */
export interface RateLimitSnapshot {
  /** Requests (or points) allowed in the window. */
  limit?: number | undefined;
  /** Requests (or points) left in the window. */
  remaining?: number | undefined;
  /** When the window resets (ISO-8601). */
  resetAt?: string | undefined;
  /** The vendor's name for the bucket (`core`, `graphql`, `search`). */
  resource?: string | undefined;
  /** When the transport last saw rate-limit headers (ISO-8601). */
  observedAt: string;
}

/** What a transport reports about each HTTP request it sends. Never holds credentials. */
export interface RequestRecord {
  provider: string;
  method: string;
  /** The URL with credential-bearing query parameters redacted. */
  url: string;
  /** The status of the response, absent when the request failed before one. */
  status?: number | undefined;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  durationMs: number;
  /** The error code when the attempt failed without a response. */
  error?: string | undefined;
}

export type RequestHook = (record: RequestRecord) => void;
