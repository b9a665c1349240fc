import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ExternalCommitSchema, ExternalCommentSchema, ExternalGitRefSchema, ExternalIssueSchema, ExternalJobSchema, ExternalMilestoneSchema,
  ExternalPipelineSchema, ExternalPullRequestSchema, ExternalSyncEventSchema, ProviderError, WebhookDeliverySchema, signStandardWebhook,
  staticSecretResolver, type ExternalIssue, type ExternalPullRequest, type WebhookRequest,
} from '@krate/core';
import gitlab from '../src/index.js';

const DIR = fileURLToPath(new URL('./fixtures/go-scm-webhooks/', import.meta.url));
const TOKEN = 'hook-secret-token-0123456789';
const SIGNING = `whsec_${randomBytes(32).toString('base64')}`;
const OTHER = `whsec_${randomBytes(32).toString('base64')}`;
const AUTH = { type: 'token' as const, token: 'glpat-abcdefghijklmnopqrst' };

const EVENT_OF: Record<string, string> = {
  push: 'Push Hook', tag_push: 'Tag Push Hook', issue: 'Issue Hook', note: 'Note Hook', merge_request: 'Merge Request Hook', pipeline: 'Pipeline Hook',
};

const OBJECT_SCHEMAS = {
  issue: ExternalIssueSchema, comment: ExternalCommentSchema, milestone: ExternalMilestoneSchema, pullRequest: ExternalPullRequestSchema,
  pipeline: ExternalPipelineSchema, job: ExternalJobSchema, gitRef: ExternalGitRefSchema, commit: ExternalCommitSchema,
} as const;

function legacy(body: string, event: string, token = TOKEN, extra: Record<string, string> = {}): WebhookRequest {
  return { headers: { 'x-gitlab-event': event, 'x-gitlab-token': token, 'content-type': 'application/json', ...extra }, rawBody: body };
}

function signed(body: string, event: string, options: { secrets?: string[]; id?: string; at?: Date; extra?: Record<string, string> } = {}): WebhookRequest {
  const id = options.id ?? `msg_${randomBytes(8).toString('hex')}`;
  const at = options.at ?? new Date();
  const signature = (options.secrets ?? [SIGNING]).map((secret) => signStandardWebhook({ secret, id, timestamp: at, payload: body })).join(' ');
  return {
    headers: {
      'x-gitlab-event': event, 'idempotency-key': id, 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature, ...options.extra,
    },
    rawBody: body,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (ProviderError.isInstance(error)) return error.code;
    throw error;
  }
  return 'ok';
}

describe('vendored real GitLab hook bodies', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
  const instance = gitlab.create({ auth: AUTH, webhookToken: TOKEN });

  it('every body verifies, parses and normalizes into schema-valid events', async () => {
    let normalized = 0;
    let events = 0;
    for (const file of files) {
      const body = readFileSync(`${DIR}${file}`, 'utf8');
      const kind = (JSON.parse(body) as { object_kind: string }).object_kind;
      const delivery = await instance.webhooks!.receive(legacy(body, EVENT_OF[kind]!, TOKEN, { 'x-gitlab-event-uuid': `uuid-${file}` }));
      expect(WebhookDeliverySchema.parse(delivery)).toBeTruthy();
      expect(delivery.events.length, `${file} normalized to no events`).toBeGreaterThan(0);
      for (const event of delivery.events) {
        ExternalSyncEventSchema.parse(event);
        if (event.object !== undefined) OBJECT_SCHEMAS[event.kind as keyof typeof OBJECT_SCHEMAS].parse(event.object);
      }
      normalized += 1;
      events += delivery.events.length;
    }
    console.log(`normalized ${normalized} of ${files.length} vendored GitLab hook bodies into ${events} events`);
    expect(files.length).toBe(26);
    expect(normalized).toBe(files.length);
  });

  it('turns "2017-12-10 16:37:38 UTC" times into ISO-8601 and reads subgroup paths', async () => {
    const issue = await instance.webhooks!.receive(legacy(readFileSync(`${DIR}issue_closed.json`, 'utf8'), 'Issue Hook'));
    const object = issue.events[0]!.object as ExternalIssue;
    expect(object.createdAt).toBe('2017-12-10T16:37:38.000Z');
    expect(object.phase).toBe('closed');
    expect(issue.events[0]!.ref).toEqual({ scope: 'gitlab-org/hello-world', id: String(object.external.nativeNumber) });
    const mr = await instance.webhooks!.receive(legacy(readFileSync(`${DIR}merge_request_subgroup.json`, 'utf8'), 'Merge Request Hook'));
    expect(mr.events[0]!.ref.scope).toBe('group1/group2/group3/grp2repo');
    expect((mr.events[0]!.object as ExternalPullRequest).createdAt).toBe('2017-12-10T17:01:11.000Z');
    const deleted = await instance.webhooks!.receive(legacy(readFileSync(`${DIR}tag_delete_subgroup.json`, 'utf8'), 'Tag Push Hook'));
    expect(deleted.events[0]).toMatchObject({ kind: 'gitRef', change: 'deleted', ref: { scope: 'group1/group2/group3/grp2repo' } });
  });
});

describe('signing tokens (Standard Webhooks)', () => {
  const body = readFileSync(`${DIR}issue_create.json`, 'utf8');
  const instance = gitlab.create({ auth: AUTH, webhookSigningToken: SIGNING });

  it('accepts a delivery signed with the signing token', async () => {
    const delivery = await instance.webhooks!.receive(signed(body, 'Issue Hook', { id: 'msg_1' }));
    expect(delivery).toMatchObject({ deliveryId: 'msg_1', nativeEvent: 'Issue Hook', action: 'open' });
  });

  it('refuses a wrong secret, a tampered body, a stale or future timestamp and a missing signature', async () => {
    expect(await codeOf(instance.webhooks!.receive(signed(body, 'Issue Hook', { secrets: [OTHER] })))).toBe('webhook_signature_invalid');
    const tampered = signed(body, 'Issue Hook');
    expect(await codeOf(instance.webhooks!.receive({ ...tampered, rawBody: body.replace('found a bug', 'found a bag') }))).toBe('webhook_signature_invalid');
    const now = new Date('2026-06-01T12:00:00Z');
    expect(await codeOf(instance.webhooks!.receive(signed(body, 'Issue Hook', { at: new Date(now.getTime() - 301_000) }), { now }))).toBe('webhook_signature_invalid');
    expect(await codeOf(instance.webhooks!.receive(signed(body, 'Issue Hook', { at: new Date(now.getTime() + 301_000) }), { now }))).toBe('webhook_signature_invalid');
    expect(await codeOf(instance.webhooks!.receive(signed(body, 'Issue Hook', { at: new Date(now.getTime() - 299_000) }), { now }))).toBe('ok');
    const missing = signed(body, 'Issue Hook');
    const headers = { ...(missing.headers as Record<string, string>) };
    delete headers['webhook-signature'];
    expect(await codeOf(instance.webhooks!.receive({ headers, rawBody: body }))).toBe('webhook_signature_invalid');
  });

  it('accepts rotated secrets: several signatures in the header, or several configured tokens', async () => {
    expect(await codeOf(instance.webhooks!.receive(signed(body, 'Issue Hook', { secrets: [OTHER, SIGNING] })))).toBe('ok');
    const rotating = gitlab.create({ auth: AUTH, webhookSigningToken: [OTHER, SIGNING] });
    expect(await codeOf(rotating.webhooks!.receive(signed(body, 'Issue Hook', { secrets: [SIGNING] })))).toBe('ok');
    expect(await codeOf(rotating.webhooks!.receive(signed(body, 'Issue Hook', { secrets: [OTHER] })))).toBe('ok');
    const third = `whsec_${randomBytes(32).toString('base64')}`;
    expect(await codeOf(rotating.webhooks!.receive(signed(body, 'Issue Hook', { secrets: [third] })))).toBe('webhook_signature_invalid');
  });

  it('resolves signing tokens given as secret references', async () => {
    const byRef = gitlab.create(
      { auth: AUTH, webhookSigningToken: { secretRef: { name: 'gitlab', key: 'signing' } } },
      { secrets: staticSecretResolver({ 'gitlab#signing': SIGNING }) },
    );
    expect(await codeOf(byRef.webhooks!.receive(signed(body, 'Issue Hook')))).toBe('ok');
  });
});

describe('legacy secret token (X-Gitlab-Token)', () => {
  const body = readFileSync(`${DIR}push.json`, 'utf8');

  it('accepts the configured token and refuses a wrong or missing one', async () => {
    const instance = gitlab.create({ auth: AUTH, webhookToken: TOKEN });
    expect(await codeOf(instance.webhooks!.receive(legacy(body, 'Push Hook')))).toBe('ok');
    expect(await codeOf(instance.webhooks!.receive(legacy(body, 'Push Hook', `${TOKEN}x`)))).toBe('webhook_signature_invalid');
    expect(await codeOf(instance.webhooks!.receive(legacy(body, 'Push Hook', TOKEN.slice(0, -1))))).toBe('webhook_signature_invalid');
    expect(await codeOf(instance.webhooks!.receive({ headers: { 'x-gitlab-event': 'Push Hook' }, rawBody: body }))).toBe('webhook_signature_invalid');
  });

  it('never accepts a delivery when nothing is configured', async () => {
    const instance = gitlab.create({ auth: AUTH });
    expect(await codeOf(instance.webhooks!.receive(legacy(body, 'Push Hook')))).toBe('invalid_config');
  });
});

describe('both schemes on one instance (hooks migrating to signing tokens)', () => {
  const body = readFileSync(`${DIR}pipeline_hook.json`, 'utf8');
  const instance = gitlab.create({ auth: AUTH, webhookToken: TOKEN, webhookSigningToken: SIGNING });

  it('verifies by the signature when webhook-signature is present, else by the token', async () => {
    expect(await codeOf(instance.webhooks!.receive(legacy(body, 'Pipeline Hook')))).toBe('ok');
    expect(await codeOf(instance.webhooks!.receive(signed(body, 'Pipeline Hook')))).toBe('ok');
    // A valid legacy token does not rescue a bad signature: the signed path is chosen by the header.
    expect(await codeOf(instance.webhooks!.receive(signed(body, 'Pipeline Hook', { secrets: [OTHER], extra: { 'x-gitlab-token': TOKEN } })))).toBe('webhook_signature_invalid');
    // GitLab sends webhook-id and webhook-timestamp on every delivery: without a signature the token decides.
    expect(await codeOf(instance.webhooks!.receive(legacy(body, 'Pipeline Hook', 'wrong-token', { 'webhook-id': 'x', 'webhook-timestamp': '1' })))).toBe('webhook_signature_invalid');
  });

  it('dedupes on Idempotency-Key: a retry keeps its key, another delivery gets another', async () => {
    const first = await instance.webhooks!.receive(legacy(body, 'Pipeline Hook', TOKEN, { 'idempotency-key': 'key-1', 'x-gitlab-event-uuid': 'a' }));
    const retry = await instance.webhooks!.receive(legacy(body, 'Pipeline Hook', TOKEN, { 'idempotency-key': 'key-1', 'x-gitlab-event-uuid': 'b' }));
    const other = await instance.webhooks!.receive(legacy(body, 'Pipeline Hook', TOKEN, { 'idempotency-key': 'key-2', 'x-gitlab-event-uuid': 'a' }));
    expect(retry.dedupeKey).toBe(first.dedupeKey);
    expect(other.dedupeKey).not.toBe(first.dedupeKey);
    expect(first.deliveryId).toBe('key-1');
  });

  it('normalizes a pipeline delivery into the pipeline and its jobs', async () => {
    const delivery = await instance.webhooks!.receive(legacy(body, 'Pipeline Hook'));
    expect(delivery.events.map((e) => e.kind)).toEqual(['pipeline', ...delivery.events.slice(1).map(() => 'job')]);
    expect(delivery.events.length).toBeGreaterThan(1);
    expect(delivery.events[0]!.object).toMatchObject({ phase: 'succeeded', conclusion: 'success', nativeStatus: 'success', createdAt: '2016-08-12T15:23:28.000Z' });
  });

  it('normalizes work items (tasks, epics) delivered as Issue Hook like issues', async () => {
    const issue = JSON.parse(readFileSync(`${DIR}issue_create.json`, 'utf8')) as Record<string, any>;
    const task = { ...issue, object_kind: 'work_item', event_type: 'work_item', object_attributes: { ...issue.object_attributes, type: 'Task' } };
    const delivery = await instance.webhooks!.receive(legacy(JSON.stringify(task), 'Issue Hook'));
    expect(delivery.events).toHaveLength(1);
    expect(delivery.events[0]).toMatchObject({ kind: 'issue', change: 'upserted', ref: { scope: 'gitlab-org/hello-world', id: String(issue.object_attributes.iid) } });
    expect((delivery.events[0]!.object as ExternalIssue).external.nativeKind).toBe('task');
  });

  it('an unknown event normalizes to no events', async () => {
    const delivery = await instance.webhooks!.receive(legacy('{"object_kind":"emoji","project":{"path_with_namespace":"a/b"}}', 'Emoji Hook'));
    expect(delivery.events).toEqual([]);
  });
});
