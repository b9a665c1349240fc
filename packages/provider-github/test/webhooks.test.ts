import { createRequire } from 'node:module';
import {
  BranchProtectionSchema,
  ExternalCheckSchema,
  ExternalCommentSchema,
  ExternalCommitSchema,
  ExternalDeployKeySchema,
  ExternalGitRefSchema,
  ExternalIssueSchema,
  ExternalJobSchema,
  ExternalLabelSchema,
  ExternalMilestoneSchema,
  ExternalPipelineSchema,
  ExternalPullRequestSchema,
  ExternalRepositorySchema,
  ExternalReviewSchema,
  ExternalSyncEventSchema,
  ProviderError,
  WebhookDeliverySchema,
  type ExternalSyncEvent,
  type ProviderInstance,
  type WebhookDelivery,
  type WebhookReceiver,
} from '@krate/core';
import { flipLastChar, hmac, truncateJson } from '@krate/contract-tests/kit';
import { describe, expect, it } from 'vitest';
import { createGitHubProvider } from '../src/index.js';
import { createGitHubContext } from '../src/github-context.js';
import { GitHubConfigSchema } from '../src/github-config.js';
import { createGitHubWebhooks } from '../src/webhooks/github-webhooks.js';
import { GITHUB_NORMALIZED_EVENTS } from '../src/webhooks/github-webhook-events.js';

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  actions: string[];
  examples: Array<Record<string, unknown>>;
}
const EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleGroup[];
const examplesOf = (event: string): Array<Record<string, unknown>> => {
  const group = EXAMPLES.find((g) => g.name === event);
  if (!group) throw new Error(`no examples for ${event}`);
  return group.examples;
};

const SECRET = 'whsec-test-3f9a1c7e5b2d';
const TOKEN = 'ghp_webhooktestTOKEN0123456789abcdef';

/** The events the seed's GitHub design lists; every one must be normalized. */
const SEED_EVENTS = [
  'issues', 'issue_comment', 'label', 'milestone',
  'workflow_run', 'workflow_job', 'check_run', 'check_suite', 'status', 'push',
  'repository', 'pull_request', 'pull_request_review', 'pull_request_review_comment', 'create', 'delete',
  'branch_protection_rule', 'deploy_key',
  'installation', 'installation_repositories',
];

/** What the test needs of a zod schema. */
type ObjectSchema = { safeParse(value: unknown): { success: boolean; error?: { issues: unknown } } };

const OBJECT_SCHEMAS: Partial<Record<ExternalSyncEvent['kind'], ObjectSchema>> = {
  issue: ExternalIssueSchema,
  comment: ExternalCommentSchema,
  label: ExternalLabelSchema,
  milestone: ExternalMilestoneSchema,
  pipeline: ExternalPipelineSchema,
  job: ExternalJobSchema,
  check: ExternalCheckSchema,
  repository: ExternalRepositorySchema,
  pullRequest: ExternalPullRequestSchema,
  review: ExternalReviewSchema,
  gitRef: ExternalGitRefSchema,
  commit: ExternalCommitSchema,
  deployKey: ExternalDeployKeySchema,
  branchProtection: BranchProtectionSchema,
};

let deliveryCounter = 0;
function nextDeliveryId(): string {
  deliveryCounter += 1;
  return `72d3162e-cc78-11e3-81ab-${String(deliveryCounter).padStart(12, '0')}`;
}

/** A delivery signed the way GitHub signs it: sha256=HMAC hex of the exact body bytes (and the legacy sha1 header). */
function signed(event: string, body: string, options: { deliveryId?: string; secret?: string } = {}): { headers: Record<string, string>; rawBody: string } {
  const secret = options.secret ?? SECRET;
  return {
    headers: {
      'X-GitHub-Event': event,
      'X-GitHub-Delivery': options.deliveryId ?? nextDeliveryId(),
      'X-Hub-Signature-256': `sha256=${hmac('sha256', secret, body)}`,
      'X-Hub-Signature': `sha1=${hmac('sha1', secret, body)}`,
      'User-Agent': 'GitHub-Hookshot/044aadd',
      'Content-Type': 'application/json',
    },
    rawBody: body,
  };
}

function provider(baseUrl?: string): ProviderInstance {
  return createGitHubProvider({ auth: { type: 'token', token: TOKEN }, webhookSecret: SECRET, ...(baseUrl ? { baseUrl } : {}) });
}

function receiver(): WebhookReceiver {
  const webhooks = provider().webhooks;
  if (!webhooks) throw new Error('the GitHub instance has no webhook receiver');
  return webhooks;
}

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(ProviderError.isInstance(error)).toBe(true);
    return error as ProviderError;
  }
  throw new Error('expected the promise to reject');
}

function checkDelivery(delivery: WebhookDelivery): void {
  expect(WebhookDeliverySchema.safeParse(delivery).success).toBe(true);
  for (const event of delivery.events) {
    const parsed = ExternalSyncEventSchema.safeParse(event);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    if (event.object !== undefined) {
      const schema = OBJECT_SCHEMAS[event.kind];
      expect(schema, `no schema for kind ${event.kind}`).toBeDefined();
      const object = schema!.safeParse(event.object);
      expect(object.success, `${delivery.nativeEvent}/${delivery.action ?? ''} ${event.kind}: ${JSON.stringify(object.error?.issues)}`).toBe(true);
      expect((event.object as { ref: unknown }).ref).toEqual(event.ref);
    }
  }
}

describe('GitHub webhooks: every event of the design, against @octokit/webhooks-examples', () => {
  it('normalizes every event the seed lists', () => {
    expect([...GITHUB_NORMALIZED_EVENTS].sort()).toEqual(expect.arrayContaining([...SEED_EVENTS].sort()));
  });

  for (const event of SEED_EVENTS) {
    it(`${event}: every example verifies and normalizes to schema-valid events`, async () => {
      const webhooks = receiver();
      const examples = examplesOf(event);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const body = JSON.stringify(example);
        const request = signed(event, body);
        const delivery = await webhooks.receive(request);
        checkDelivery(delivery);
        expect(delivery.provider).toBe('github');
        expect(delivery.nativeEvent).toBe(event);
        expect(delivery.deliveryId).toBe(request.headers['X-GitHub-Delivery']);
        expect(delivery.action).toBe(typeof example.action === 'string' ? example.action : undefined);
        const installation = example.installation as { id?: number } | undefined;
        expect(delivery.installationId).toBe(installation?.id !== undefined ? String(installation.id) : undefined);
        expect(delivery.events.length, `${event}/${String(example.action)} gave no events`).toBeGreaterThan(0);
      }
    });
  }
});

describe('GitHub webhooks: what each event becomes', () => {
  const one = async (event: string, example: Record<string, unknown>) => receiver().receive(signed(event, JSON.stringify(example)));

  it('issues: the issue upserted with its labels, assignees and number ref; deleted on delete', async () => {
    for (const example of examplesOf('issues')) {
      const delivery = await one('issues', example);
      const issue = example.issue as { number: number; pull_request?: unknown; labels?: Array<{ name: string }> };
      const repo = (example.repository as { full_name: string }).full_name;
      if (issue.pull_request) {
        expect(delivery.events.map((e) => e.kind)).toEqual(['pullRequest']);
        expect(delivery.events[0]!.interface).toBe('gitForge');
        expect(delivery.events[0]!.ref).toEqual({ scope: repo, id: String(issue.number) });
        continue;
      }
      const main = delivery.events[0]!;
      expect(main.kind).toBe('issue');
      expect(main.interface).toBe('issueTracking');
      expect(main.ref).toEqual({ scope: repo, id: String(issue.number) });
      if (example.action === 'deleted' || example.action === 'transferred') {
        expect(main.change).toBe('deleted');
        expect(main.object).toBeUndefined();
      } else {
        expect(main.change).toBe('upserted');
        const object = main.object as { labels: string[]; title: string };
        expect(object.labels).toEqual((issue.labels ?? []).map((l) => l.name));
        expect(object.title).toBe((example.issue as { title: string }).title);
      }
    }
  });

  it('issues transferred: deleted here, upserted in the new repository', async () => {
    const example = examplesOf('issues').find((e) => e.action === 'transferred')!;
    const delivery = await one('issues', example);
    const changes = example.changes as { new_issue: { number: number }; new_repository: { full_name: string } };
    expect(delivery.events.map((e) => [e.kind, e.change])).toEqual([['issue', 'deleted'], ['issue', 'upserted']]);
    expect(delivery.events[1]!.ref).toEqual({ scope: changes.new_repository.full_name, id: String(changes.new_issue.number) });
  });

  it('an issue row that backs a pull request is never a second work item', async () => {
    const examples = examplesOf('issues').filter((e) => (e.issue as { pull_request?: unknown }).pull_request !== undefined);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const delivery = await one('issues', example);
      expect(delivery.events.some((e) => e.kind === 'issue')).toBe(false);
    }
    for (const example of examplesOf('pull_request')) {
      const delivery = await one('pull_request', example);
      expect(delivery.events.map((e) => e.kind)).toEqual(['pullRequest']);
      const pull = example.pull_request as { number: number; head: { sha: string } };
      expect(delivery.events[0]!.ref.id).toBe(String(pull.number));
      expect((delivery.events[0]!.object as { headSha: string }).headSha).toBe(pull.head.sha);
    }
  });

  it('pull_request closed with merged: true is a merged pull request', async () => {
    const example = examplesOf('pull_request').find((e) => e.action === 'closed')!;
    const merged = { ...example, pull_request: { ...(example.pull_request as object), merged: true, merged_at: '2019-05-15T15:20:33Z' } };
    const delivery = await one('pull_request', merged);
    expect((delivery.events[0]!.object as { state: string }).state).toBe('merged');
  });

  it('issue_comment: the comment upserted with its issue ref, deleted on delete', async () => {
    for (const example of examplesOf('issue_comment')) {
      const delivery = await one('issue_comment', example);
      const comment = example.comment as { id: number };
      const issue = example.issue as { number: number };
      expect(delivery.events).toHaveLength(1);
      expect(delivery.events[0]!.kind).toBe('comment');
      expect(delivery.events[0]!.ref.id).toBe(String(comment.id));
      if (example.action === 'deleted') expect(delivery.events[0]!.change).toBe('deleted');
      else expect((delivery.events[0]!.object as { issueRef: { id: string } }).issueRef.id).toBe(String(issue.number));
    }
  });

  it('label: a rename deletes the old name and upserts the new one', async () => {
    const example = examplesOf('label').find((e) => e.action === 'edited')!;
    const label = example.label as { name: string };
    const renamed = { ...example, changes: { name: { from: 'old-name' } } };
    const delivery = await one('label', renamed);
    expect(delivery.events.map((e) => [e.ref.id, e.change])).toEqual([['old-name', 'deleted'], [label.name, 'upserted']]);
    const deleted = await one('label', examplesOf('label').find((e) => e.action === 'deleted')!);
    expect(deleted.events[0]!.change).toBe('deleted');
  });

  it('milestone: upserted with its number ref; deleted on delete', async () => {
    for (const example of examplesOf('milestone')) {
      const delivery = await one('milestone', example);
      const milestone = example.milestone as { number: number };
      expect(delivery.events[0]!.ref.id).toBe(String(milestone.number));
      expect(delivery.events[0]!.change).toBe(example.action === 'deleted' ? 'deleted' : 'upserted');
    }
  });

  it('workflow_run, workflow_job, check_run and status map to pipelines, jobs and checks', async () => {
    const run = examplesOf('workflow_run')[0]!;
    const runEvent = (await one('workflow_run', run)).events[0]!;
    expect(runEvent).toMatchObject({ interface: 'cicd', kind: 'pipeline', ref: { id: String((run.workflow_run as { id: number }).id) } });
    const job = examplesOf('workflow_job')[0]!;
    const jobEvent = (await one('workflow_job', job)).events[0]!;
    expect(jobEvent.kind).toBe('job');
    expect((jobEvent.object as { pipelineRef: { id: string } }).pipelineRef.id).toBe(String((job.workflow_job as { run_id: number }).run_id));
    const check = examplesOf('check_run')[0]!;
    expect((await one('check_run', check)).events[0]!.ref.id).toBe(`check-run:${(check.check_run as { id: number }).id}`);
    const status = examplesOf('status')[0]!;
    const statusEvent = (await one('status', status)).events[0]!;
    expect(statusEvent.ref.id).toBe(`status:${String(status.sha)}:${String(status.context)}`);
    const suite = examplesOf('check_suite')[0]!;
    const suiteEvent = (await one('check_suite', suite)).events[0]!;
    expect(suiteEvent).toMatchObject({ kind: 'check', change: 'upserted', ref: { id: `check-suite:${(suite.check_suite as { id: number }).id}` } });
  });

  it('push: the ref upserted at the new head plus its commits; a deleting push deletes the ref', async () => {
    for (const example of examplesOf('push')) {
      const delivery = await one('push', example);
      const repo = (example.repository as { full_name: string }).full_name;
      const refId = String(example.ref).replace(/^refs\//, '');
      const [refEvt, ...commitEvents] = delivery.events;
      expect(refEvt).toMatchObject({ kind: 'gitRef', ref: { scope: repo, id: refId } });
      if (example.deleted === true) {
        expect(refEvt!.change).toBe('deleted');
        expect(commitEvents).toHaveLength(0);
      } else {
        expect(refEvt!.change).toBe('upserted');
        expect((refEvt!.object as { sha: string }).sha).toBe(example.after);
        const commits = example.commits as Array<{ id: string }>;
        expect(commitEvents.map((e) => e.ref.id)).toEqual(commits.map((c) => c.id));
        expect(commitEvents.every((e) => e.kind === 'commit' && e.change === 'upserted')).toBe(true);
      }
    }
  });

  it('create and delete: git refs upserted and deleted (heads/ or tags/)', async () => {
    for (const example of examplesOf('create')) {
      const delivery = await one('create', example);
      const prefix = example.ref_type === 'tag' ? 'tags/' : 'heads/';
      expect(delivery.events).toEqual([
        { interface: 'gitForge', kind: 'gitRef', ref: { scope: (example.repository as { full_name: string }).full_name, id: `${prefix}${String(example.ref)}` }, change: 'upserted' },
      ]);
    }
    for (const example of examplesOf('delete')) {
      const delivery = await one('delete', example);
      expect(delivery.events).toHaveLength(1);
      expect(delivery.events[0]!.change).toBe('deleted');
      expect(delivery.events[0]!.kind).toBe('gitRef');
    }
  });

  it('repository: renamed and transferred delete the old ref and upsert the new one', async () => {
    const example = examplesOf('repository').find((e) => e.action === 'renamed')!;
    // The stored example names the same repository before and after; a real rename changes it.
    const renamed: Record<string, unknown> = { ...example, changes: { repository: { name: { from: 'Old-Name' } } } };
    const r = await one('repository', renamed);
    const repo = renamed.repository as { name: string; owner: { login: string } };
    expect(r.events.map((e) => [e.ref, e.change])).toEqual([
      [{ scope: repo.owner.login, id: 'Old-Name' }, 'deleted'],
      [{ scope: repo.owner.login, id: repo.name }, 'upserted'],
    ]);
    const transferred = examplesOf('repository').find((e) => e.action === 'transferred')!;
    const t = await one('repository', transferred);
    expect(t.events.map((e) => e.change)).toEqual(['deleted', 'upserted']);
    expect(t.events[0]!.ref.scope).toBe('octocat');
    const unchanged = (await one('repository', example)).events;
    expect(unchanged.map((e) => e.change)).toEqual(['upserted']);
    const deleted = { ...examplesOf('repository')[0]!, action: 'deleted' };
    expect((await one('repository', deleted)).events.map((e) => e.change)).toEqual(['deleted']);
  });

  it('pull_request_review and review comments: review and pull request refs', async () => {
    for (const example of examplesOf('pull_request_review')) {
      const delivery = await one('pull_request_review', example);
      const review = example.review as { id: number; state: string };
      expect(delivery.events[0]).toMatchObject({ kind: 'review', ref: { id: String(review.id) }, change: 'upserted' });
      expect((delivery.events[0]!.object as { state: string }).state).toBe(review.state.toLowerCase());
    }
    for (const example of examplesOf('pull_request_review_comment')) {
      const delivery = await one('pull_request_review_comment', example);
      expect(delivery.events.map((e) => e.kind)).toEqual(['review', 'pullRequest']);
      expect(delivery.events.every((e) => e.object === undefined)).toBe(true);
    }
  });

  it('branch_protection_rule and deploy_key: upserted with objects, deleted on delete', async () => {
    for (const example of examplesOf('branch_protection_rule')) {
      const delivery = await one('branch_protection_rule', example);
      const rule = example.rule as { name: string; required_status_checks: string[] };
      expect(delivery.events[0]!.ref.id).toBe(rule.name);
      if (example.action === 'deleted') expect(delivery.events[0]!.change).toBe('deleted');
      else expect((delivery.events[0]!.object as { rules: Array<{ requiredStatusChecks: string[] }> }).rules[0]!.requiredStatusChecks).toEqual([...rule.required_status_checks].sort());
    }
    const key = examplesOf('deploy_key')[0]!;
    const keyEvent = (await one('deploy_key', key)).events[0]!;
    expect(keyEvent).toMatchObject({ kind: 'deployKey', change: 'upserted', ref: { id: String((key.key as { id: number }).id) } });
    const removed = (await one('deploy_key', { ...key, action: 'deleted' })).events[0]!;
    expect(removed.change).toBe('deleted');
    expect(removed.object).toBeUndefined();
  });

  it('installation and installation_repositories: the installation and the repositories it gains or loses', async () => {
    for (const example of examplesOf('installation')) {
      const delivery = await one('installation', example);
      const installation = example.installation as { id: number; account: { login: string } };
      expect(delivery.events[0]).toMatchObject({
        kind: 'installation',
        ref: { scope: installation.account.login, id: String(installation.id) },
        change: example.action === 'deleted' ? 'deleted' : 'upserted',
      });
      expect(delivery.installationId).toBe(String(installation.id));
    }
    for (const example of examplesOf('installation_repositories')) {
      const delivery = await one('installation_repositories', example);
      const added = (example.repositories_added as Array<{ full_name: string }>).map((r) => r.full_name);
      const removed = (example.repositories_removed as Array<{ full_name: string }>).map((r) => r.full_name);
      expect(delivery.events.map((e) => `${e.ref.scope}/${e.ref.id}:${e.change}`)).toEqual([
        ...added.map((n) => `${n}:upserted`),
        ...removed.map((n) => `${n}:deleted`),
      ]);
      expect(delivery.events.every((e) => e.kind === 'repository')).toBe(true);
    }
  });

  it('normalizes the same way behind GitHub Enterprise Server', async () => {
    const webhooks = provider('https://ghe.example.com/api/v3').webhooks!;
    const example = examplesOf('issues')[0]!;
    const delivery = await webhooks.receive(signed('issues', JSON.stringify(example)));
    checkDelivery(delivery);
    expect(delivery.events[0]!.kind).toBe('issue');
  });
});

describe('GitHub webhooks: verification before parsing', () => {
  const body = JSON.stringify(examplesOf('issues')[0]);

  it('accepts a Headers object, mixed-case names and a byte body', async () => {
    const request = signed('issues', body);
    const headers = new Headers(request.headers);
    const delivery = await receiver().receive({ headers, rawBody: new TextEncoder().encode(body) });
    expect(delivery.events[0]!.kind).toBe('issue');
    const lower = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect((await receiver().receive({ headers: lower, rawBody: body })).deliveryId).toBe(request.headers['X-GitHub-Delivery']);
  });

  it('decodes a UTF-8 byte body (a slice of a larger buffer) exactly', async () => {
    const example = examplesOf('issues').find((e) => e.action === 'opened')!;
    const title = 'Überprüfung fehlgeschlagen ✓ 日本語 🚀';
    const text = JSON.stringify({ ...example, issue: { ...(example.issue as object), title } });
    const request = signed('issues', text);
    const padded = Buffer.concat([Buffer.from('xxxx'), Buffer.from(text, 'utf8'), Buffer.from('yyyy')]);
    const slice = new Uint8Array(padded.buffer, padded.byteOffset + 4, padded.length - 8);
    const delivery = await receiver().receive({ headers: request.headers, rawBody: slice });
    expect((delivery.events[0]!.object as { title: string }).title).toBe(title);
  });

  it('refuses a delivery without X-Hub-Signature-256', async () => {
    const request = signed('issues', body);
    delete (request.headers as Record<string, string | undefined>)['X-Hub-Signature-256'];
    delete (request.headers as Record<string, string | undefined>)['X-Hub-Signature'];
    const error = await caught(receiver().receive(request));
    expect(error.code).toBe('webhook_signature_invalid');
  });

  it('refuses a delivery signed only with the legacy SHA-1 header', async () => {
    const request = signed('issues', body);
    delete (request.headers as Record<string, string | undefined>)['X-Hub-Signature-256'];
    const error = await caught(receiver().receive(request));
    expect(error.code).toBe('webhook_signature_invalid');
    expect(error.message).toMatch(/SHA-1/);
  });

  it('refuses a wrong signature, a signature made with another secret and one without the sha256= prefix', async () => {
    const wrong = signed('issues', body);
    wrong.headers['X-Hub-Signature-256'] = flipLastChar(wrong.headers['X-Hub-Signature-256']!);
    expect((await caught(receiver().receive(wrong))).code).toBe('webhook_signature_invalid');
    const other = signed('issues', body, { secret: 'another-secret-value' });
    expect((await caught(receiver().receive(other))).code).toBe('webhook_signature_invalid');
    const bare = signed('issues', body);
    bare.headers['X-Hub-Signature-256'] = hmac('sha256', SECRET, body);
    expect((await caught(receiver().receive(bare))).code).toBe('webhook_signature_invalid');
    const short = signed('issues', body);
    short.headers['X-Hub-Signature-256'] = 'sha256=abc';
    expect((await caught(receiver().receive(short))).code).toBe('webhook_signature_invalid');
  });

  it('refuses a tampered body (signature of the original bytes)', async () => {
    const request = signed('issues', body);
    const tampered = { headers: request.headers, rawBody: body.replace('"opened"', '"closed"').replace('"edited"', '"closed"') };
    expect(tampered.rawBody).not.toBe(body);
    expect((await caught(receiver().receive(tampered))).code).toBe('webhook_signature_invalid');
    const reformatted = { headers: request.headers, rawBody: JSON.stringify(JSON.parse(body), null, 2) };
    expect((await caught(receiver().receive(reformatted))).code).toBe('webhook_signature_invalid');
  });

  it('checks the signature before parsing: unsigned garbage is a signature error, not a parse error', async () => {
    const request = signed('issues', '{"not json');
    request.headers['X-Hub-Signature-256'] = `sha256=${'0'.repeat(64)}`;
    expect((await caught(receiver().receive(request))).code).toBe('webhook_signature_invalid');
  });

  it('a valid signature over malformed, truncated or non-object JSON is webhook_malformed', async () => {
    for (const raw of [truncateJson(body), '{"action": "opened",', '', '[1,2,3]', 'null', '"text"']) {
      const error = await caught(receiver().receive(signed('issues', raw)));
      expect(error.code, raw).toBe('webhook_malformed');
      if (raw.length > 10) expect(error.message).not.toContain(raw.slice(0, 20));
    }
  });

  it('a valid signature over JSON without the documented objects is webhook_malformed', async () => {
    for (const [event, payload] of [
      ['issues', { action: 'opened', repository: { full_name: 'octo-org/hello-world' } }],
      ['issues', { action: 'opened', issue: { number: 1 } }],
      ['workflow_run', { action: 'completed', repository: { full_name: 'octo-org/hello-world' }, workflow_run: { status: 'completed' } }],
      ['push', { ref: 'refs/heads/main', repository: { full_name: 'octo-org/hello-world' } }],
      ['installation', { action: 'created' }],
    ] as const) {
      const error = await caught(receiver().receive(signed(event, JSON.stringify(payload))));
      expect(error.code, `${event} ${JSON.stringify(payload)}`).toBe('webhook_malformed');
    }
  });

  it('missing X-GitHub-Delivery or X-GitHub-Event is webhook_malformed (after verification)', async () => {
    const noDelivery = signed('issues', body);
    delete (noDelivery.headers as Record<string, string | undefined>)['X-GitHub-Delivery'];
    expect((await caught(receiver().receive(noDelivery))).code).toBe('webhook_malformed');
    const noEvent = signed('issues', body);
    delete (noEvent.headers as Record<string, string | undefined>)['X-GitHub-Event'];
    expect((await caught(receiver().receive(noEvent))).code).toBe('webhook_malformed');
  });

  it('a request that is not raw bytes is refused', async () => {
    const request = signed('issues', body);
    const error = await caught(receiver().receive({ headers: request.headers, rawBody: JSON.parse(body) as unknown as string }));
    expect(error.code).toBe('webhook_malformed');
  });

  it('fails closed without a secret: invalid_config, even for a well-formed delivery', async () => {
    const request = signed('issues', body);
    const none = createGitHubProvider({ auth: { type: 'token', token: TOKEN } }).webhooks!;
    expect((await caught(none.receive(request))).code).toBe('invalid_config');
    const ctx = createGitHubContext(GitHubConfigSchema.parse({ auth: { type: 'token', token: TOKEN } }));
    const empty = createGitHubWebhooks({ secret: async () => '', ctx });
    expect((await caught(empty.receive(request))).code).toBe('invalid_config');
    const failing = createGitHubWebhooks({ secret: async () => { throw new Error('vault down'); }, ctx });
    expect((await caught(failing.receive(request))).code).toBe('invalid_config');
  });

  it('never puts the secret in an error', async () => {
    const wrong = signed('issues', body);
    wrong.headers['X-Hub-Signature-256'] = `sha256=${hmac('sha256', 'x', body)}`;
    const errors = [
      await caught(receiver().receive(wrong)),
      await caught(receiver().receive(signed('issues', truncateJson(body)))),
    ];
    for (const error of errors) {
      expect(JSON.stringify(error)).not.toContain(SECRET);
      expect(error.message).not.toContain(SECRET);
      expect(String(error.stack)).not.toContain(SECRET);
    }
  });
});

describe('GitHub webhooks: delivery ids and dedupe', () => {
  const body = JSON.stringify(examplesOf('issues')[0]);

  it('an unknown event verifies and gives events: []', async () => {
    for (const event of ['star', 'ping', 'sponsorship', 'toString', '__proto__']) {
      const delivery = await receiver().receive(signed(event, JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 })));
      expect(delivery.events).toEqual([]);
      expect(delivery.nativeEvent).toBe(event);
      expect(WebhookDeliverySchema.safeParse(delivery).success).toBe(true);
    }
  });

  it('a redelivery (same X-GitHub-Delivery) gets the same dedupe key', async () => {
    const first = await receiver().receive(signed('issues', body, { deliveryId: 'a1b2c3d4-0000-11e3-81ab-000000000001' }));
    const again = await receiver().receive(signed('issues', body, { deliveryId: 'a1b2c3d4-0000-11e3-81ab-000000000001' }));
    expect(again.dedupeKey).toBe(first.dedupeKey);
    expect(again.deliveryId).toBe(first.deliveryId);
  });

  it('different delivery ids, events or installations give different keys', async () => {
    const a = await receiver().receive(signed('issues', body));
    const b = await receiver().receive(signed('issues', body));
    expect(a.deliveryId).not.toBe(b.deliveryId);
    expect(a.dedupeKey).not.toBe(b.dedupeKey);
    const id = 'a1b2c3d4-0000-11e3-81ab-000000000002';
    const issues = await receiver().receive(signed('issues', body, { deliveryId: id }));
    const other = await receiver().receive(signed('star', body, { deliveryId: id }));
    expect(issues.dedupeKey).not.toBe(other.dedupeKey);
    const app1 = JSON.stringify({ ...JSON.parse(body), installation: { id: 1 } });
    const app2 = JSON.stringify({ ...JSON.parse(body), installation: { id: 2 } });
    const k1 = await receiver().receive(signed('issues', app1, { deliveryId: id }));
    const k2 = await receiver().receive(signed('issues', app2, { deliveryId: id }));
    expect(k1.installationId).toBe('1');
    expect(k1.dedupeKey).not.toBe(k2.dedupeKey);
  });
});
