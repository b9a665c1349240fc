import { ProviderError, codeForStatus, type SecretRedactor } from '@krate/core';

const PROVIDER = 'github';

/** Default cap of a fetched job log: 10 MiB. */
export const DEFAULT_MAX_LOG_BYTES = 10 * 1024 * 1024;

/** Masked values shorter than this are left alone, so a mask of "1" does not shred the log. */
const MIN_MASK_LENGTH = 4;

/** The text of a log download, cut at the byte cap. */
export interface LogDownload {
  text: string;
  /** The download's ETag, when the log host sent one. */
  etag?: string | undefined;
  /** The download's Last-Modified as ISO-8601, when the log host sent one. */
  lastModified?: string | undefined;
  /** The log's full size when the server said it (content-length), else the bytes read when the log was not cut. */
  sizeBytes: number | undefined;
  truncated: boolean;
}

/**
 * Reads a log body, keeping at most `maxBytes`. A cut log ends at the last complete
 * line before the cap, so no credential is left half in (where redaction would miss it).
 */
export async function readLogBody(response: Response, maxBytes: number): Promise<LogDownload> {
  const declared = Number(response.headers.get('content-length'));
  const known = Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  }
  let bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  if (truncated) {
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (lastNewline >= 0) bytes = bytes.subarray(0, lastNewline + 1);
  }
  // TextDecoder drops the UTF-8 byte order mark GitHub's logs start with.
  let text = new TextDecoder('utf-8').decode(bytes);
  if (truncated) text = text.replace(/\uFFFD+$/, '');
  const etag = response.headers.get('etag') ?? undefined;
  const modified = Date.parse(response.headers.get('last-modified') ?? '');
  return {
    text,
    sizeBytes: known ?? (truncated ? undefined : size),
    truncated,
    etag,
    lastModified: Number.isNaN(modified) ? undefined : new Date(modified).toISOString(),
  };
}

/**
 * Removes credentials from a job log: every value the log masked with the
 * `::add-mask::` workflow command, every credential the instance knows and credential-shaped
 * strings (the instance's redactor). Returns the text and whether anything was replaced.
 */
export function redactJobLog(text: string, redactor: SecretRedactor): { text: string; redacted: boolean } {
  const masks = new Set<string>();
  for (const match of text.matchAll(/::add-mask::([^\r\n]*)/g)) {
    const value = (match[1] ?? '').trim();
    if (value.length >= MIN_MASK_LENGTH && !/^\*+$/.test(value)) masks.add(value);
  }
  let out = text;
  // Longest first, so a mask that contains another is removed whole.
  for (const value of [...masks].sort((a, b) => b.length - a.length)) {
    out = out.split(value).join('[REDACTED]');
  }
  out = redactor.redact(out);
  return { text: out, redacted: out !== text };
}

/**
 * Downloads a job log from its pre-signed URL with a plain fetch: no GitHub
 * credentials are sent (the URL carries its own short-lived signature). Errors name
 * the host only, never the signed URL.
 */
export async function downloadJobLog(
  fetchFn: typeof fetch,
  location: string,
  options: { operation: string; maxBytes: number; signal?: AbortSignal | undefined },
): Promise<LogDownload> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation: options.operation, retryable: false, message: 'GitHub answered the log request with an invalid download location' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, operation: options.operation, retryable: false, message: `refusing a log download location with scheme ${url.protocol}` });
  }
  const response = await fetchFn(url.toString(), {
    method: 'GET',
    headers: { accept: 'text/plain, application/octet-stream;q=0.9, */*;q=0.8' },
    redirect: 'follow',
    signal: options.signal,
  });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const expired = response.status === 401 || response.status === 403;
    throw new ProviderError({
      code: expired ? 'upstream_unavailable' : codeForStatus(response.status),
      provider: PROVIDER,
      operation: options.operation,
      status: response.status,
      retryable: expired || response.status >= 500,
      message: `the log download from ${url.host} answered ${response.status}${expired ? ' (the pre-signed URL expired or was refused; ask again for a fresh one)' : ''}`,
    });
  }
  return readLogBody(response, options.maxBytes);
}
