import { createHash } from 'node:crypto';

/** A weak ETag over the JSON of a value: `W/"<sha1 hex>"`. */
export function etagOf(value: unknown): string {
  return `W/"${createHash('sha1').update(JSON.stringify(value) ?? 'undefined').digest('hex')}"`;
}

function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/** Whether the request's `If-None-Match` matches `etag` (weak comparison; lists and `*` handled). */
export function notModified(request: Request, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  const wanted = opaque(etag);
  return header.split(',').some((candidate) => candidate.trim() === '*' || opaque(candidate) === wanted);
}
