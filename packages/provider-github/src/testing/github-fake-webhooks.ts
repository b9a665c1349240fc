import { randomUUID } from 'node:crypto';
import type { WebhookRequest } from '@krate/core';
import { flipLastChar, hmac, truncateJson, type WebhookOptions } from '@krate/contract-tests/kit';
import type { GitHubFakeCoreImpl } from './github-fake-api.js';
import { publicView } from './github-fake-objects.js';
import type { GhObject, GitHubFakeModule } from './github-fake-state.js';

/** The repository every delivery without a ref is about. */
const DEFAULT_OWNER = 'octo-org';
const DEFAULT_REPOSITORY = `${DEFAULT_OWNER}/hello-world`;

function scopeFromPayload(payload: Record<string, unknown>): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): string | undefined => {
    if (depth > 3 || value === null || typeof value !== 'object' || seen.has(value)) return undefined;
    seen.add(value);
    for (const key of ['repository_url', 'url']) {
      const url = (value as Record<string, unknown>)[key];
      const match = typeof url === 'string' ? /\/repos\/([^/]+)\/([^/?#]+)/.exec(url) : null;
      if (match) return `${match[1]}/${match[2]}`;
    }
    for (const child of Object.values(value)) {
      const found = visit(child, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(payload, 0);
}

/**
 * Webhook deliveries as GitHub sends them: the payload from the modules' builders plus
 * `repository`, `sender` and `installation`; `X-Hub-Signature-256` (and the legacy SHA-1
 * `X-Hub-Signature`) over the raw body with the App's webhook secret; Hookshot's headers.
 * `signature: 'wrong' | 'missing' | 'tampered'` and `malformed` make the broken deliveries
 * the contract suite sends.
 */
export function createGitHubDeliveries(
  core: GitHubFakeCoreImpl,
  modules: readonly GitHubFakeModule[],
): (event: string, options?: WebhookOptions) => WebhookRequest {
  const builders = Object.assign({}, ...modules.map((m) => m.webhooks(core))) as ReturnType<GitHubFakeModule['webhooks']>;
  builders.ping ??= () => ({
    payload: {
      zen: 'Keep it logically awesome.',
      hook_id: 4242,
      hook: { type: 'App', id: 4242, name: 'web', active: true, events: ['*'], config: { content_type: 'json', insecure_ssl: '0', url: 'https://krate.example/webhooks/github' }, app_id: core.app.id },
    },
  });
  return function webhook(event: string, webhookOptions: WebhookOptions = {}): WebhookRequest {
    const builder = builders[event];
    const built = builder ? builder(webhookOptions) : { action: webhookOptions.action, payload: {} as Record<string, unknown> };
    const payload: Record<string, unknown> = {};
    const action = built.action ?? webhookOptions.action;
    if (action !== undefined && built.payload.action === undefined) payload.action = action;
    Object.assign(payload, built.payload);
    const ref = webhookOptions.ref;
    const scope = ref?.scope.includes('/') ? ref.scope : (scopeFromPayload(built.payload) ?? DEFAULT_REPOSITORY);
    const [owner = DEFAULT_OWNER, repo = 'hello-world'] = scope.split('/');
    const repoRow: GhObject = core.findRepo(owner, repo) ?? core.ensureRepo(owner, repo);
    const installation = core.ensureOwner(owner);
    if (!('repository' in payload)) payload.repository = publicView(repoRow);
    if (!('sender' in payload)) payload.sender = core.user('octocat');
    if (!('installation' in payload)) payload.installation = { id: installation.id, node_id: Buffer.from(`023:Installation${installation.id}`).toString('base64') };
    const json = JSON.stringify(payload);
    const signed = webhookOptions.malformed ? truncateJson(json) : json;
    const sha256 = `sha256=${hmac('sha256', core.webhookSecret, signed)}`;
    const sha1 = `sha1=${hmac('sha1', core.webhookSecret, signed)}`;
    let rawBody = signed;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/9f2a1c3',
      'x-github-event': event,
      'x-github-delivery': webhookOptions.deliveryId ?? randomUUID(),
      'x-github-hook-id': '4242',
      'x-github-hook-installation-target-type': 'integration',
      'x-github-hook-installation-target-id': String(core.app.id),
    };
    const mode = webhookOptions.signature ?? 'valid';
    if (mode === 'wrong') {
      headers['x-hub-signature-256'] = flipLastChar(sha256);
      headers['x-hub-signature'] = flipLastChar(sha1);
    } else if (mode !== 'missing') {
      headers['x-hub-signature-256'] = sha256;
      headers['x-hub-signature'] = sha1;
    }
    if (mode === 'tampered') rawBody = signed.replace(/^\{/, '{"tampered":true,');
    return { headers, rawBody };
  };
}
