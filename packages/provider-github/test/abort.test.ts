import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { errorOf, startProvider, useFakeServer } from '@krate/contract-tests';
import plugin from '../src/index.js';
import { createFake } from '../src/testing/index.js';

/**
 * An abort must reach every request of an operation, including the pages of the
 * lookups it makes first (milestones for createIssue/updateIssue, labels for
 * syncLabels). Octokit's `paginate` drops `request.signal`, so these lookups once
 * kept running (and the operation with them) until the request timeout.
 */
const server = useFakeServer();
const SCOPE = 'octo-org/hello-world';
const API = 'https://api.github.com/repos/octo-org/hello-world';
/** Far longer than the abort window, so a call that ignores the signal cannot end by timing out. */
const TIMEOUT_MS = 5_000;
const PROMPT_MS = 1_000;
const HOLD_CAP_MS = 2_000;

interface Seen {
  method: string;
  path: string;
  page: string | null;
  aborted: boolean;
}

/**
 * Serves `path` as two pages: the first at once (with a Link to the second), the
 * second held open until the client aborts it. Every request the provider sends is
 * recorded; `secondPage` resolves when the second page is asked for.
 */
function twoPageListing(path: string, firstPage: unknown[]) {
  const seen: Seen[] = [];
  let reached!: () => void;
  const secondPage = new Promise<void>((resolve) => (reached = resolve));
  server.use(
    http.get(`${API}${path}`, async ({ request }) => {
      const url = new URL(request.url);
      const entry: Seen = { method: 'GET', path: url.pathname, page: url.searchParams.get('page'), aborted: false };
      seen.push(entry);
      if (entry.page !== '2') {
        url.searchParams.set('page', '2');
        return HttpResponse.json(firstPage, { headers: { link: `<${url.toString()}>; rel="next", <${url.toString()}>; rel="last"` } });
      }
      reached();
      // Held until the client aborts it; released after HOLD_CAP_MS so a provider that never aborts fails instead of hanging.
      entry.aborted = await new Promise<boolean>((resolve) => {
        if (request.signal.aborted) return resolve(true);
        const timer = setTimeout(() => resolve(false), HOLD_CAP_MS);
        request.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(true); }, { once: true });
      });
      return HttpResponse.json([]);
    }),
    http.all(`${API}/*`, ({ request }) => {
      seen.push({ method: request.method, path: new URL(request.url).pathname, page: null, aborted: false });
      return undefined;
    }),
  );
  return { seen, secondPage };
}

function harness() {
  return startProvider(server, plugin, createFake, { config: { timeoutMs: TIMEOUT_MS } as never });
}

/** Calls `run` with a signal aborted once the second page is requested; returns the error and how long the call took after the abort. */
async function abortOnSecondPage(secondPage: Promise<void>, run: (signal: AbortSignal) => Promise<unknown>) {
  const controller = new AbortController();
  const pending = errorOf(run(controller.signal));
  await secondPage;
  const abortedAt = Date.now();
  controller.abort();
  const error = await pending;
  return { error, took: Date.now() - abortedAt };
}

const milestone = (number: number, title: string) => ({ number, title, state: 'open' });

describe('an abort during a paginated lookup ends the operation and its requests', () => {
  it('createIssue: aborted while the second page of milestones is in flight', async () => {
    const h = harness();
    const { seen, secondPage } = twoPageListing('/milestones', [milestone(1, 'v1')]);
    const { error, took } = await abortOnSecondPage(secondPage, (signal) =>
      h.instance.issueTracking!.createIssue({ scope: SCOPE, title: 'Aborted', milestone: 'v2' }, { signal }),
    );
    expect(took).toBeLessThan(PROMPT_MS);
    expect(error.code).toBe('timeout');
    const page2 = seen.find((r) => r.path.endsWith('/milestones') && r.page === '2');
    expect(page2?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('updateIssue: aborted while the second page of milestones is in flight', async () => {
    const h = harness();
    const ref = h.fake.seed.issue!(SCOPE, { title: 'Keep' });
    const { seen, secondPage } = twoPageListing('/milestones', [milestone(1, 'v1')]);
    const { error, took } = await abortOnSecondPage(secondPage, (signal) => h.instance.issueTracking!.updateIssue(ref, { milestone: 'v2' }, { signal }));
    expect(took).toBeLessThan(PROMPT_MS);
    expect(error.code).toBe('timeout');
    expect(seen.find((r) => r.page === '2')?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect((await h.instance.issueTracking!.getIssue(ref)).title).toBe('Keep');
  });

  it('syncLabels: aborted while the second page of labels is in flight', async () => {
    const h = harness();
    const { seen, secondPage } = twoPageListing('/labels', [{ id: 1, name: 'bug', color: 'd73a4a', description: '' }]);
    const { error, took } = await abortOnSecondPage(secondPage, (signal) =>
      h.instance.issueTracking!.syncLabels(SCOPE, [{ name: 'feature', color: '00ff00' }], { signal }),
    );
    expect(took).toBeLessThan(PROMPT_MS);
    expect(error.code).toBe('timeout');
    expect(seen.find((r) => r.page === '2')?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a listing aborted between pages sends no further page', async () => {
    const h = harness();
    const controller = new AbortController();
    const seen: Array<string | null> = [];
    server.use(
      http.get(`${API}/labels`, ({ request }) => {
        const url = new URL(request.url);
        seen.push(url.searchParams.get('page'));
        const next = new URL(url);
        next.searchParams.set('page', String(Number(url.searchParams.get('page') ?? '1') + 1));
        // The caller gives up while the first page is on its way back.
        controller.abort();
        return HttpResponse.json([{ id: seen.length, name: `l${seen.length}`, color: 'ffffff', description: '' }], { headers: seen.length < 3 ? { link: `<${next.toString()}>; rel="next"` } : {} });
      }),
    );
    const error = await errorOf(h.instance.issueTracking!.syncLabels(SCOPE, [], { signal: controller.signal, dryRun: true }));
    expect(error.code).toBe('timeout');
    expect(seen).toEqual([null]);
  });
});
