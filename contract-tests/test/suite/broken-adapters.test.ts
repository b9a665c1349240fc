import { describe, expect, it } from 'vitest';
import { runContractSuite } from '../../src/runner.js';
import { createReferencePlugin, type ReferenceFlaw } from '../fixtures/reference-provider/index.js';
import { createReferenceFake } from '../fixtures/reference-provider/reference-fake.js';

const ABORT_CASES = [
  ...['listIssues', 'getIssue', 'createIssue', 'updateIssue', 'closeIssue', 'listComments', 'createComment'].map((op) => `issueTracking.${op}.abort`),
  ...['listPipelines', 'getPipeline', 'rerunPipeline', 'cancelPipeline'].map((op) => `cicd.${op}.abort`),
];

/** Skipped in these runs only to keep them fast; the reference run covers them (the abort cases run for the flaw they catch). */
function slowSkips(flaw: ReferenceFlaw): Record<string, string> {
  const skip: Record<string, string> = {
    'issueTracking.errors.timeout': 'slow (client timeouts); not related to any flaw here',
    'cicd.errors.timeout': 'slow (client timeouts); not related to any flaw here',
  };
  if (flaw !== 'ignoreSignal') for (const id of ABORT_CASES) skip[id] = 'slow (waits on aborted requests); not related to this flaw';
  return skip;
}

/**
 * Defects that passed the suite when it checked shapes only. Each is caught by
 * exactly the cases listed (every other case passes), with a message naming the defect.
 */
const MEANING_CASES: Array<{ flaw: ReferenceFlaw; what: string; failing: string[]; message: RegExp }> = [
  { flaw: 'createDropsBody', what: 'drops the body of a created issue', failing: ['issueTracking.createIssue.roundtrip'], message: /the created issue body is ""/ },
  { flaw: 'updateIgnoresLabels', what: 'ignores labels in an update', failing: ['issueTracking.updateIssue.roundtrip'], message: /labels are \["contract-before"\]/ },
  { flaw: 'updateWritesTwice', what: 'sends an update as two writes', failing: ['issueTracking.updateIssue.roundtrip'], message: /sent 2 write request\(s\), expected 1/ },
  { flaw: 'closeIgnoresReason', what: 'ignores the close reason', failing: ['issueTracking.closeIssue.roundtrip'], message: /returned closeReason "completed"/ },
  {
    flaw: 'updatedSinceLocalTime', what: 'reads updatedSince as wall-clock time, dropping its offset',
    failing: ['issueTracking.listIssues.updatedSince', 'issueTracking.listComments.updatedSince', 'cicd.listPipelines.updatedSince'],
    message: /left out objects updated one or two minutes after it/,
  },
  {
    flaw: 'mapperDropsLabels', what: 'drops labels when mapping issues',
    failing: ['issueTracking.getIssue.fields', 'issueTracking.createIssue.roundtrip', 'issueTracking.updateIssue.roundtrip'],
    message: /labels are \[\]/,
  },
  {
    flaw: 'shiftTimestamps', what: 'shifts timestamps by an hour',
    failing: ['issueTracking.getIssue.fields', 'issueTracking.listIssues.updatedSince', 'cicd.getPipeline.fields', 'cicd.listPipelines.updatedSince'],
    message: /off by 60\.0 min|listed with "2025-06-01T13:0/,
  },
  { flaw: 'apiUrlAsUrl', what: 'sets external.url to the API URL', failing: ['issueTracking.getIssue.humanUrl'], message: /external\.url is "https:\/\/api\.tracker\.test\/projects\/acme%2Fweb\/issues\/1", expected the page/ },
  { flaw: 'rerunReturnsCurrent', what: 'returns the current run instead of rerunning', failing: ['cicd.rerunPipeline.roundtrip'], message: /rerunPipeline sent 0 write request\(s\), expected 1/ },
  { flaw: 'deletionAsUpsert', what: 'reports a deletion as an upsert', failing: ['webhooks.issue.actions'], message: /issue\/deleted: change is "upserted", expected "deleted"/ },
  {
    flaw: 'noRetryOnRateLimit', what: 'never retries a rate limit',
    failing: ['issueTracking.errors.rate_limited.recovery', 'cicd.errors.rate_limited.recovery'],
    message: /after one rate limit with a zero wait failed instead of retrying/,
  },
  {
    flaw: 'retryAfterAsMs', what: 'reads Retry-After seconds as milliseconds',
    failing: ['issueTracking.errors.rate_limited', 'cicd.errors.rate_limited'],
    message: /retryAfterMs 120, expected 120000/,
  },
  { flaw: 'ignoreSignal', what: 'ignores options.signal', failing: ABORT_CASES, message: /had not ended 1000 ms after its signal was aborted/ },
  { flaw: 'tokenInQuery', what: 'sends the token in the query string', failing: ['issueTracking.secrets', 'cicd.secrets'], message: /secret #1 of fake\.secrets appears in the URL of wire request/ },
  {
    flaw: 'leakTokenInCauseChain', what: 'keeps the token deep in an error cause chain',
    failing: ['issueTracking.secrets', 'cicd.secrets', 'issueTracking.errors.unauthenticated', 'cicd.errors.rate_limited'],
    message: /secret #1 of fake\.secrets appears in (String\(cause\.cause\)|cause\.cause\.message)/,
  },
];

describe('the suite catches adapters that get the meaning of an operation wrong', () => {
  it.each(MEANING_CASES)('an adapter that $what fails exactly the expected cases', async ({ flaw, failing, message }) => {
    const report = await runContractSuite({ plugin: createReferencePlugin([flaw]), createFake: createReferenceFake, skip: slowSkips(flaw) });
    const failed = new Map(report.results.filter((r) => r.status === 'fail').map((r) => [r.id, r.error ?? '']));
    for (const id of failing) {
      expect(failed.has(id), `${id} should fail for ${flaw}; failed: ${[...failed.keys()].join(', ')}`).toBe(true);
      expect(failed.get(id)).toMatch(message);
    }
    if (flaw !== 'leakTokenInCauseChain') expect([...failed.keys()].sort()).toEqual([...failing].sort());
    for (const error of failed.values()) for (const secret of createReferenceFake().secrets) expect(error).not.toContain(secret);
  });
});

const CASES: Array<{ flaw: ReferenceFlaw; what: string; failing: string[]; message: RegExp }> = [
  {
    flaw: 'dropLastPage', what: 'drops the last page',
    failing: ['issueTracking.listIssues.pagination', 'issueTracking.listIssues.pagination.maxPageSize', 'issueTracking.listComments.pagination', 'cicd.listPipelines.pagination'],
    message: /seeded objects missing from the listing/,
  },
  {
    flaw: 'ignoreCursor', what: 'ignores the cursor',
    failing: ['issueTracking.listIssues.pagination', 'issueTracking.listIssues.cursor.invalid', 'cicd.listPipelines.pagination'],
    message: /repeated after 2 page\(s\)|garbage cursor/,
  },
  {
    flaw: 'notFoundAsNull', what: 'maps 404 to null',
    failing: ['issueTracking.getIssue.notFound', 'issueTracking.errors.not_found'],
    message: /expected a ProviderError with code not_found/,
  },
  {
    flaw: 'skipSignature', what: 'skips signature verification',
    failing: ['webhooks.signature.missing', 'webhooks.signature.wrong', 'webhooks.signature.tampered', 'webhooks.signature.stale'],
    message: /webhook_signature_invalid, but the call succeeded/,
  },
  {
    flaw: 'leakToken', what: 'leaks the token in an error',
    failing: ['issueTracking.secrets', 'cicd.secrets', 'issueTracking.errors.unauthenticated', 'issueTracking.getIssue.notFound'],
    message: /secret #1 of fake\.secrets appears in message/,
  },
  {
    flaw: 'retryWritesBlindly', what: 'creates twice on retry',
    failing: ['issueTracking.createIssue.idempotency', 'issueTracking.createComment.idempotency'],
    message: /left 2 objects, expected 1/,
  },
  {
    flaw: 'declaresUnimplemented', what: 'declares an operation it does not implement',
    failing: ['issueTracking.updateComment.roundtrip'],
    message: /declared in the manifest but not implemented/,
  },
];

describe('the suite catches broken adapters', () => {
  it.each(CASES)('an adapter that $what fails the expected cases', async ({ flaw, failing, message }) => {
    const report = await runContractSuite({ plugin: createReferencePlugin([flaw]), createFake: createReferenceFake, skip: slowSkips(flaw) });
    const failed = new Map(report.results.filter((r) => r.status === 'fail').map((r) => [r.id, r.error ?? '']));
    for (const id of failing) {
      expect(failed.has(id), `${id} should fail for ${flaw}; failed: ${[...failed.keys()].join(', ')}`).toBe(true);
      expect(failed.get(id)).toMatch(message);
    }
    // The failure text names the problem but never carries the credential itself.
    const fake = createReferenceFake();
    for (const error of failed.values()) for (const secret of fake.secrets) expect(error).not.toContain(secret);
    // Cases unrelated to the flaw still pass.
    const unrelated = flaw === 'skipSignature' ? 'cicd.getPipeline.roundtrip' : 'webhooks.dedupe';
    expect(report.results.find((r) => r.id === unrelated)?.status).toBe('pass');
  });

  it('names a seed function the fake lacks', async () => {
    const createFake = (options?: Parameters<typeof createReferenceFake>[0]) => {
      const fake = createReferenceFake(options);
      const { pipeline: _pipeline, ...seed } = fake.seed;
      return Object.assign(Object.create(Object.getPrototypeOf(fake)), fake, { seed, handlers: fake.handlers, requests: fake.requests }) as typeof fake;
    };
    const report = await runContractSuite({ plugin: createReferencePlugin(), createFake, only: ['cicd.getPipeline.roundtrip', 'cicd.listPipelines.pagination'] });
    expect(report.results.map((r) => [r.id, r.status, r.error])).toEqual([
      ['cicd.listPipelines.pagination', 'fail', 'fake lacks seed.pipeline'],
      ['cicd.listPipelines.pagination.maxPageSize', 'fail', 'fake lacks seed.pipeline'],
      ['cicd.getPipeline.roundtrip', 'fail', 'fake lacks seed.pipeline'],
    ]);
  });

  it('reports requests that no fake route answers', async () => {
    const createFake = (options?: Parameters<typeof createReferenceFake>[0]) => {
      const fake = createReferenceFake(options);
      return { ...fake, config: { ...fake.config, baseUrl: 'https://elsewhere.tracker.test' }, seed: fake.seed, faults: fake.faults, webhook: fake.webhook, get requests() { return fake.requests; } };
    };
    const report = await runContractSuite({ plugin: createReferencePlugin(), createFake, only: ['issueTracking.getIssue.roundtrip'] });
    expect(report.results[0]).toMatchObject({ status: 'fail' });
    expect(report.results[0]!.error).toMatch(/requests no fake route answered: GET https:\/\/elsewhere\.tracker\.test\/projects\/acme%2Fweb\/issues\/1/);
  });
});
