import { describe, expect, it } from 'vitest';
import { runContractSuite, type ContractReport } from '../../src/runner.js';
import { createReferencePlugin } from '../fixtures/reference-provider/index.js';
import { createReferenceFake } from '../fixtures/reference-provider/reference-fake.js';

const ALTERNATE = 'https://tracker.example.test/api/v2';

describe('runContractSuite on the reference provider', () => {
  let report: ContractReport;

  it('passes every case, at the default and at an alternate base URL', async () => {
    report = await runContractSuite({ plugin: createReferencePlugin(), createFake: createReferenceFake, alternateBaseUrls: [ALTERNATE] });
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.map((f) => `${f.id}: ${f.error}`)).toEqual([]);
    expect(report.provider).toBe('tracker');
    const atDefault = report.results.filter((r) => r.baseUrl === undefined);
    const atAlternate = report.results.filter((r) => r.baseUrl === ALTERNATE);
    // At an alternate base URL only what a base URL can affect runs again.
    expect(atAlternate.map((r) => r.id)).toEqual(atDefault.filter((r) => ['roundtrip', 'listing', 'fields'].includes(r.family!)).map((r) => r.id));
    expect(atAlternate.length).toBeLessThan(atDefault.length / 2);
    expect(atAlternate.map((r) => r.id)).toEqual(expect.arrayContaining(['issueTracking.getIssue.humanUrl', 'issueTracking.listIssues.pagination', 'cicd.rerunPipeline.roundtrip']));
    expect(report.summary).toEqual({
      pass: report.results.filter((r) => r.status === 'pass').length,
      fail: 0,
      skip: 0,
      unsupported: report.results.filter((r) => r.status === 'unsupported').length,
    });
  });

  it('generates the cases the manifest calls for', () => {
    const ids = new Set(report.results.filter((r) => r.baseUrl === undefined).map((r) => r.id));
    const expected = [
      'issueTracking.declared',
      'issueTracking.listIssues.pagination', 'issueTracking.listIssues.pagination.maxPageSize', 'issueTracking.listIssues.cursor.invalid', 'issueTracking.listIssues.updatedSince',
      'issueTracking.getIssue.roundtrip', 'issueTracking.getIssue.notFound',
      'issueTracking.createIssue.roundtrip', 'issueTracking.createIssue.idempotency',
      'issueTracking.updateIssue.roundtrip', 'issueTracking.closeIssue.roundtrip',
      'issueTracking.listComments.pagination', 'issueTracking.createComment.idempotency',
      'issueTracking.errors.unauthenticated', 'issueTracking.errors.forbidden', 'issueTracking.errors.not_found', 'issueTracking.errors.conflict',
      'issueTracking.errors.invalid_input', 'issueTracking.errors.rate_limited', 'issueTracking.errors.upstream_unavailable', 'issueTracking.errors.timeout',
      'issueTracking.errors.transientRetry', 'issueTracking.errors.failedPage', 'issueTracking.secrets', 'issueTracking.listIssues.convergence',
      'cicd.listPipelines.pagination', 'cicd.getPipeline.roundtrip', 'cicd.cancelPipeline.roundtrip', 'cicd.listPipelines.convergence',
      'issueTracking.getIssue.fields', 'issueTracking.getIssue.humanUrl', 'cicd.getPipeline.fields', 'cicd.getPipeline.humanUrl',
      'issueTracking.errors.rate_limited.recovery', 'cicd.rerunPipeline.roundtrip', 'cicd.rerunPipeline.abort',
      ...['listIssues', 'getIssue', 'createIssue', 'updateIssue', 'closeIssue', 'listComments', 'createComment'].map((op) => `issueTracking.${op}.abort`),
      'webhooks.issue.actions', 'webhooks.pipeline.actions',
      'webhooks.issue.receive', 'webhooks.ping.receive', 'webhooks.pipeline.receive',
      'webhooks.signature.missing', 'webhooks.signature.wrong', 'webhooks.signature.tampered', 'webhooks.signature.stale',
      'webhooks.malformed', 'webhooks.unknownEvent', 'webhooks.dedupe',
    ];
    for (const id of expected) expect(ids, id).toContain(id);
    // Undeclared operations are refused; the undeclared interface is absent.
    for (const id of ['issueTracking.updateComment.unsupported', 'issueTracking.syncLabels.unsupported', 'cicd.registerRunner.unsupported', 'gitForge.absent']) {
      expect(report.results.find((r) => r.id === id)?.status, id).toBe('unsupported');
    }
    // Nothing is generated for operations of the absent interface.
    expect([...ids].some((id) => id.startsWith('gitForge.list'))).toBe(false);
    const listIssues = report.results.find((r) => r.id === 'issueTracking.listIssues.pagination');
    expect(listIssues).toMatchObject({ interface: 'issueTracking', operation: 'listIssues', status: 'pass' });
    expect(report.results.find((r) => r.id === 'webhooks.pipeline.receive')).toMatchObject({ interface: 'cicd', webhookEvent: 'pipeline' });
  });

  it('reports skipped cases with their reasons and runs only what is asked', async () => {
    const results: string[] = [];
    const skipped = await runContractSuite({
      plugin: createReferencePlugin(),
      createFake: createReferenceFake,
      skip: { 'issueTracking.listIssues.updatedSince': 'Tracker filters by creation time only' },
      only: ['issueTracking.listIssues'],
      onResult: (r) => results.push(r.id),
    });
    expect(skipped.results.every((r) => r.id.startsWith('issueTracking.listIssues'))).toBe(true);
    expect(results).toEqual(skipped.results.map((r) => r.id));
    expect(skipped.results.find((r) => r.id === 'issueTracking.listIssues.updatedSince')).toMatchObject({ status: 'skip', reason: 'Tracker filters by creation time only' });
    expect(skipped.results.filter((r) => r.status === 'pass').length).toBeGreaterThanOrEqual(4);
  });

  it('refuses skips without a reason or naming no case', async () => {
    await expect(runContractSuite({ plugin: createReferencePlugin(), createFake: createReferenceFake, skip: { 'issueTracking.listIssues.updatedSince': '' } })).rejects.toThrow(/needs a written reason/);
    await expect(runContractSuite({ plugin: createReferencePlugin(), createFake: createReferenceFake, skip: { 'issueTracking.listIssue.pagination': 'typo' } })).rejects.toThrow(/not a case of this provider/);
  });
});

describe('configuration variants and the optional fake hooks', () => {
  it('runs only the case families a variant affects, and names the variant in results', async () => {
    const seen: Array<string | undefined> = [];
    const createFake = (options?: Parameters<typeof createReferenceFake>[0]) => {
      seen.push(options?.variant);
      return createReferenceFake(options);
    };
    const report = await runContractSuite({
      plugin: createReferencePlugin(),
      createFake,
      variants: [{ name: 'second webhook scheme', affects: ['webhooks'] }],
      only: ['webhooks.', 'issueTracking.getIssue.', 'issueTracking.listIssues.convergence'],
    });
    const inVariant = report.results.filter((r) => r.variant === 'second webhook scheme');
    expect(inVariant.length).toBeGreaterThan(5);
    expect(new Set(inVariant.map((r) => r.family))).toEqual(new Set(['webhooks', 'convergence']));
    expect(inVariant.every((r) => r.status === 'pass')).toBe(true);
    expect(seen).toContain('second webhook scheme');
  });

  it('refuses variants without a name or without what they affect', async () => {
    await expect(runContractSuite({ plugin: createReferencePlugin(), createFake: createReferenceFake, variants: [{ name: 'x', affects: [] }] })).rejects.toThrow(/must say what it affects/);
    await expect(runContractSuite({ plugin: createReferencePlugin(), createFake: createReferenceFake, variants: [{ name: 'x', affects: ['auth'] }, { name: 'x', affects: ['all'] }] })).rejects.toThrow(/unique/);
  });

  it('a fake written against the older kit still runs; the cases that need a new hook fail naming it', async () => {
    const createFake = (options?: Parameters<typeof createReferenceFake>[0]) => {
      const fake = createReferenceFake(options);
      return {
        providerType: fake.providerType, handlers: fake.handlers, config: fake.config, secrets: fake.secrets, scopes: fake.scopes, maxPageSize: fake.maxPageSize,
        seed: fake.seed, faults: fake.faults, webhook: fake.webhook, webhookEventFor: fake.webhookEventFor, reset: fake.reset, signsTimestamp: true, ignoredWebhookEvents: ['ping'],
        get requests() { return fake.requests; },
      };
    };
    const report = await runContractSuite({
      plugin: createReferencePlugin(),
      createFake,
      only: ['issueTracking.getIssue.', 'issueTracking.secrets', 'cicd.rerunPipeline.roundtrip', 'cicd.cancelPipeline.roundtrip', 'webhooks.issue.', 'issueTracking.listIssues.pagination'],
    });
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get('issueTracking.getIssue.humanUrl')?.error).toMatch(/fake lacks humanUrl\(kind, ref\)/);
    expect(byId.get('issueTracking.secrets')?.error).toMatch(/fake lacks wire/);
    expect(byId.get('cicd.rerunPipeline.roundtrip')?.error).toMatch(/fake lacks inspect\(kind, ref\)/);
    expect(byId.get('cicd.cancelPipeline.roundtrip')?.error).toMatch(/fake lacks inspect\(kind, ref\)/);
    expect(byId.get('webhooks.issue.actions')?.error).toMatch(/fake lacks webhookActions\(event\)/);
    for (const id of ['issueTracking.getIssue.roundtrip', 'issueTracking.getIssue.fields', 'webhooks.issue.receive', 'issueTracking.listIssues.pagination']) {
      expect(byId.get(id)?.status, id).toBe('pass');
    }
  });
});
