/**
 * Idempotency markers: GitLab has no idempotency key for API writes, so a create that
 * carries a caller's key keeps it as an HTML comment in the Markdown (invisible when
 * rendered) and looks for it before writing.
 */
const MARKER = /<!-- krate:idempotency-key=([A-Za-z0-9._:@/+=-]{1,200}) -->/;

export function idempotencyMarker(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._:@/+=-]/g, '_').slice(0, 200);
  return `<!-- krate:idempotency-key=${safe} -->`;
}

/** The body with the marker appended. */
export function withMarker(body: string | undefined, key: string | undefined): string | undefined {
  if (!key) return body;
  const marker = idempotencyMarker(key);
  return body ? `${body}\n\n${marker}` : marker;
}

export function hasIdempotencyMarker(body: unknown, key: string): boolean {
  return typeof body === 'string' && body.includes(idempotencyMarker(key));
}

/** The Markdown without a trailing idempotency marker, for reads. */
export function stripMarker(body: string): string {
  return body.replace(/\n*<!-- krate:idempotency-key=[A-Za-z0-9._:@/+=-]{1,200} -->\s*$/, '');
}

