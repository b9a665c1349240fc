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
    expect(atAlternate.map((r) => r.id)).toEqual(atDefault.map((r) => r.id));
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
