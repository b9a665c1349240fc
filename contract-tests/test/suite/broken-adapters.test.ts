import { describe, expect, it } from 'vitest';
import { runContractSuite } from '../../src/runner.js';
import { createReferencePlugin, type ReferenceFlaw } from '../fixtures/reference-provider/index.js';
import { createReferenceFake } from '../fixtures/reference-provider/reference-fake.js';

/** Skipped in these runs only to keep them fast; the reference run covers them. */
const SLOW = {
  'issueTracking.errors.timeout': 'slow (client timeouts); not related to any flaw here',
  'cicd.errors.timeout': 'slow (client timeouts); not related to any flaw here',
};

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
    message: /secret #1 of fake\.secrets appears in String\(cause\)/,
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
    const report = await runContractSuite({ plugin: createReferencePlugin([flaw]), createFake: createReferenceFake, skip: SLOW });
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
