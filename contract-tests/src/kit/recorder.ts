import type { RecordedRequest, WireRequest } from './types.js';

export const REDACTED = '[REDACTED]';

/** Header names whose values are credentials. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|private-token|x-api-key|x-.*-token|x-.*-secret|x-.*-signature(-256)?)$/i;
/** Query parameter names that carry credentials. */
const CREDENTIAL_PARAM = /^(access_token|token|private_token|client_secret|api_key|apikey|key|secret)$/i;

export interface RequestRecorderOptions {
  /** The credentials to scrub (read on every record, so late-resolved secrets count). */
  secrets: () => string[];
  /** The fake's origin (`https://api.github.com`); requests elsewhere are recorded with their full URL as path. */
  origin: string;
}

export interface RequestRecorder {
  /**
   * Records one answered request; credentials are redacted before anything is kept in
   * `requests`. `rawBody` (the body text as sent) goes to `wire` only.
   */
  record(request: Request, status: number, body?: unknown, rawBody?: string): void;
  readonly requests: readonly RecordedRequest[];
  /** The same requests before redaction, for the suite's wire scan (`fake.wire`); optional for recorders written by hand. */
  readonly wire?: readonly WireRequest[];
  reset(): void;
}

/** Replaces every known secret in a string with `[REDACTED]`. */
export function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A deep copy of a JSON-like value with every known secret removed from strings (keys included). */
export function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[scrubString(k, secrets)] = scrubValue(v, secrets);
    return out;
  }
  return value;
}

/** Keeps the requests a fake answered, with credentials redacted from path, query, headers and body. */
export function createRequestRecorder(options: RequestRecorderOptions): RequestRecorder & { readonly wire: readonly WireRequest[] } {
  const requests: RecordedRequest[] = [];
  const wire: WireRequest[] = [];
  const origin = new URL(options.origin).origin;
  return {
    record(request, status, body, rawBody) {
      const rawHeaders: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        rawHeaders[key.toLowerCase()] = value;
      });
      const raw: WireRequest = { method: request.method.toUpperCase(), url: request.url, headers: rawHeaders };
      if (rawBody !== undefined && rawBody.length > 0) raw.body = rawBody;
      else if (body !== undefined) raw.body = typeof body === 'string' ? body : JSON.stringify(body);
      wire.push(raw);
      const secrets = options.secrets().filter((s) => typeof s === 'string' && s.length > 0);
      const url = new URL(request.url);
      const rawPath = url.origin === origin ? url.pathname : `${url.origin}${url.pathname}`;
      const query: Record<string, string> = {};
      for (const [key, value] of url.searchParams) {
        query[scrubString(key, secrets)] = CREDENTIAL_PARAM.test(key) ? REDACTED : scrubString(value, secrets);
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, key) => {
        headers[key] = CREDENTIAL_HEADER.test(key) ? REDACTED : scrubString(value, secrets);
      });
      const entry: RecordedRequest = {
        method: request.method.toUpperCase(),
        path: scrubString(decodeURIComponentSafe(rawPath), secrets),
        query,
        status,
        headers,
      };
      if (body !== undefined) entry.body = scrubValue(body, secrets);
      requests.push(entry);
    },
    get requests() {
      return requests;
    },
    get wire() {
      return wire;
    },
    reset() {
      requests.length = 0;
      wire.length = 0;
    },
  };
}

function decodeURIComponentSafe(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}
