import { type CallOptions, type SecretRedactor, type ExternalLogRef, type ExternalRef } from '@krate/core';
import type { BuildkiteContext } from '../buildkite-context.js';
import { buildkiteEnvelope } from './buildkite-cicd-mapping.js';
import { buildRef, jobRef, parseJobRef, pathOf } from '../shared/buildkite-scope.js';
import type { BuildkiteJobLog } from '../shared/buildkite-types.js';

/**
 * Removes credentials from log text: every secret of this instance (API token, webhook
 * token) wherever it appears, then everything the instance's redactor knows (the
 * credentials it resolved, Buildkite's token shapes such as `bkua_...`, `Bearer ...`).
 */
export function redactLog(text: string, secrets: readonly string[], redactor: SecretRedactor): { text: string; redacted: boolean } {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0 && out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  out = redactor.redact(out);
  return { text: out, redacted: out !== text };
}

/** The last `maxBytes` bytes of a text, cut at a character boundary. */
export function tailBytes(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let start = bytes.length - maxBytes;
  // Skip UTF-8 continuation bytes so the tail starts on a whole character.
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return { text: bytes.subarray(start).toString('utf8'), truncated: true };
}

/**
 * `getJobLog(jobRef)`: fetched on demand from `GET .../builds/{number}/jobs/{id}/log`
 * (the JSON form: `content` and `size`). Credentials are redacted; a log longer than
 * `maxLogBytes` keeps its tail and is marked `truncated`. `sizeBytes` is the size of the
 * whole log as Buildkite reports it; `redacted` tells whether anything was removed.
 */
export async function getJobLog(ctx: BuildkiteContext, ref: ExternalRef, options: CallOptions = {}): Promise<ExternalLogRef> {
  const operation = 'getJobLog';
  const job = parseJobRef(ref, ctx.rules);
  const path = pathOf('organizations', job.org, 'pipelines', job.pipeline, 'builds', job.number, 'jobs', job.jobId, 'log');
  const { data, url } = await ctx.client.json<BuildkiteJobLog>(operation, path, { signal: options.signal });
  const raw = typeof data.content === 'string' ? data.content : '';
  // Redact before cutting, so a secret across the cut is never half kept.
  const clean = redactLog(raw, await ctx.knownSecrets(), ctx.redactor);
  const tail = tailBytes(clean.text, ctx.config.maxLogBytes);
  const sizeBytes = typeof data.size === 'number' && Number.isInteger(data.size) && data.size >= 0 ? data.size : Buffer.byteLength(raw, 'utf8');
  const logUrl = typeof data.url === 'string' && data.url !== '' ? data.url : url;
  return {
    ref: { scope: ref.scope, id: `${job.number}/${job.jobId}/log` },
    external: buildkiteEnvelope(ctx.mapping, 'job_log', job.jobId, {
      url: logUrl,
      apiUrl: logUrl,
      // A log only grows: its size is its version.
      etag: `W/"log:${sizeBytes}"`,
      fields: { build: buildRef(job.org, job.pipeline, job.number).id, headerTimes: Array.isArray(data.header_times) ? data.header_times.length : undefined },
    }),
    jobRef: jobRef(job.org, job.pipeline, job.number, job.jobId),
    url: logUrl,
    content: tail.text,
    sizeBytes,
    redacted: clean.redacted,
    truncated: tail.truncated,
  };
}
