import { flipLastChar, hmac, truncateJson, type WebhookOptions } from '@krate/contract-tests/kit';
import type { WebhookRequest } from '@krate/core';
import { FAKE_CREATOR, agentJson, buildJson, jobJson, pipelineJson, type FakeUrls } from './buildkite-fake-objects.js';
import type { BuildkiteFakeState } from './buildkite-fake-state.js';

/** How the fake's webhook sends its token: as `X-Buildkite-Signature` (default) or `X-Buildkite-Token`. */
export type FakeWebhookScheme = 'signature' | 'token';

/** The sender Buildkite names in every payload (the user who created the webhook). */
const SENDER = { id: FAKE_CREATOR.id, name: FAKE_CREATOR.name };

/** The payload of one event, from the fake's current state (docs: /docs/apis/webhooks/pipelines/*). */
export function webhookPayload(
  state: BuildkiteFakeState,
  urls: FakeUrls,
  event: string,
  target: { buildId?: string; jobId?: string; agentId?: string },
): Record<string, unknown> {
  const build = target.buildId ? state.builds.require(target.buildId) : undefined;
  const pipeline = build ? state.findPipeline(build.org, build.pipeline) : undefined;
  const pipelinePart = pipeline ? { pipeline: pipelineJson(state, urls, pipeline) } : {};
  // Webhook builds carry no jobs and name their pipeline at the top level.
  const buildPart = build ? { build: buildJson(state, urls, build, { includeJobs: false, includePipeline: false }) } : {};
  if (target.jobId && build) {
    const job = build.jobs.find((j) => j.id === target.jobId);
    if (!job) throw new Error(`fake: no job ${target.jobId} in build ${build.number}`);
    return { event, job: jobJson(state, urls, build, job), ...buildPart, ...pipelinePart, sender: SENDER };
  }
  if (build) return { event, ...buildPart, ...pipelinePart, sender: SENDER };
  if (target.agentId) return { event, agent: agentJson(state, urls, state.agents.require(target.agentId)), sender: SENDER };
  if (event === 'ping') {
    const org = [...state.organizations][0] ?? 'acme';
    return {
      event,
      service: { id: '01900007-0000-4000-8000-000000000001', provider: 'webhook', settings: { url: 'https://krate.example.com/webhooks/buildkite' } },
      organization: { id: '01900007-0000-4000-8000-000000000002', slug: org, name: org, url: `${urls.api}/organizations/${org}` },
      sender: SENDER,
    };
  }
  return { event, sender: SENDER };
}

export interface SignOptions {
  scheme: FakeWebhookScheme;
  /** The webhook's token (the HMAC key in the signature scheme). */
  token: string;
  toleranceSeconds: number;
}

/** Headers and body of a delivery, signed as Buildkite signs it (or broken as `options.signature` asks). */
export function signDelivery(
  event: string,
  payload: Record<string, unknown>,
  requestId: string,
  sign: SignOptions,
  options: WebhookOptions,
): WebhookRequest {
  const mode = options.signature ?? 'valid';
  let body = JSON.stringify(payload);
  if (options.malformed) body = truncateJson(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Buildkite-Request',
    'x-buildkite-event': event,
    'x-buildkite-request': requestId,
  };
  // A body changed after signing (or, with a plain token, a delivery whose token was altered).
  const tamperedBody = JSON.stringify({ ...payload, sender: { id: 'ffffffff-0000-4000-8000-000000000000', name: 'Someone Else' } });

  if (sign.scheme === 'signature') {
    const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const timestamp = mode === 'stale' ? nowSeconds - sign.toleranceSeconds - 120 : nowSeconds;
    const signature = hmac('sha256', sign.token, `${timestamp}.${body}`);
    if (mode !== 'missing') {
      headers['x-buildkite-signature'] = `timestamp=${timestamp},signature=${mode === 'wrong' ? flipLastChar(signature) : signature}`;
    }
    return { headers, rawBody: mode === 'tampered' ? tamperedBody : body };
  }

  if (mode !== 'missing') headers['x-buildkite-token'] = mode === 'wrong' || mode === 'tampered' ? flipLastChar(sign.token) : sign.token;
  return { headers, rawBody: mode === 'tampered' ? tamperedBody : body };
}
