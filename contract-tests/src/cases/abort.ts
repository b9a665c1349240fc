import { OPERATIONS, ProviderError, type InterfaceName, type OperationInfo } from '@krate/core';
import { check, describeError, fail, show } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import { opId, type PlanEnv } from './plan-env.js';
import { CREATE_RECIPES, SYNC_RECIPES, UPDATE_RECIPES, prepareRead, seedable } from './recipes.js';

/** How long after the abort the call must have ended. */
export const ABORT_PROMPT_MS = 250;
/** How long the suite watches for requests after the call ended. */
const QUIET_MS = 150;
/** The request timeout the suite asks for: longer than the abort window, so an adapter that ignores the signal cannot pass by timing out. */
const ABORT_REQUEST_TIMEOUT_MS = 2_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Arguments for one call of an operation, with what it needs seeded or created first. */
async function argumentsFor(ctx: CaseContext, info: OperationInfo): Promise<unknown[]> {
  const key = `${info.interface}.${info.name}`;
  switch (info.kind) {
    case 'list':
    case 'get':
      return prepareRead(ctx, info).args;
    case 'create': {
      const recipe = CREATE_RECIPES[key];
      if (!recipe) fail(`the suite has no recipe for ${key}`);
      return recipe.prepare(ctx, `contract-abort-${info.name}`).args;
    }
    case 'update': {
      const recipe = UPDATE_RECIPES[key];
      if (!recipe) fail(`the suite has no recipe for ${key}`);
      const { ref, patch } = await recipe.prepare(ctx);
      return [ref, patch];
    }
    case 'close':
      return [ctx.seedOne(info.returns), 'completed'];
    case 'sync': {
      const recipe = SYNC_RECIPES[key];
      if (!recipe) fail(`the suite has no recipe for ${key}`);
      const { scope, desired } = recipe.prepare(ctx);
      return [scope, desired, { prune: false }];
    }
    case 'action':
      switch (info.name) {
        case 'rerunPipeline': return [ctx.seedOne('pipeline', { status: 'failed' })];
        case 'cancelPipeline': return [ctx.seedOne('pipeline', { status: 'running' })];
        case 'mergePullRequest': return [ctx.seedOne('pullRequest'), { method: 'merge' }];
        case 'registerRunner': return [ctx.scope('runners'), { labels: ['contract'] }];
        case 'transitionIssue': return [ctx.seedOne('issue'), { to: 'closed' }];
        default: fail(`the suite has no recipe for ${key}`);
      }
  }
  fail(`the suite cannot call ${key}`);
}

/** The arguments with `signal` merged into the options argument (the last one of the catalog entry). */
export function withSignal(info: OperationInfo, args: unknown[], signal: AbortSignal): unknown[] {
  const at = info.args.length - 1;
  const out = [...args];
  while (out.length < at) out.push(undefined);
  const existing = out[at];
  out[at] = { ...(existing && typeof existing === 'object' ? (existing as object) : {}), signal };
  return out;
}

function runnable(info: OperationInfo): boolean {
  if (info.kind === 'get' || info.kind === 'list') return seedable(info.returns === 'logRef' ? 'job' : info.returns);
  if (info.kind === 'close') return seedable(info.returns);
  return true;
}

/**
 * Every declared operation called with an AbortSignal that is aborted while its
 * request hangs: the call ends within {@link ABORT_PROMPT_MS} with a ProviderError,
 * and no request is sent after it.
 */
export function abortCases(iface: InterfaceName, env: PlanEnv): ContractCase[] {
  const declared = env.declared[iface];
  return OPERATIONS.filter((o) => o.interface === iface && declared.has(o.name) && runnable(o)).map((info) => ({
    interface: iface,
    operation: info.name,
    family: 'abort' as const,
    id: opId(info, 'abort'),
    title: `aborted mid-call through options.signal, it ends within ${ABORT_PROMPT_MS} ms with a ProviderError and sends nothing more`,
    requestTimeoutMs: ABORT_REQUEST_TIMEOUT_MS,
    budgetMs: 8_000,
    async run(ctx) {
      const args = await argumentsFor(ctx, info);
      const what = `${iface}.${info.name}`;
      const mark = ctx.mark();
      ctx.fake.faults.timeout({ times: Infinity });
      const controller = new AbortController();
      type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
      let settled = undefined as Outcome | undefined;
      let settledAt = 0;
      const call = (ctx.instance[iface] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[info.name]!;
      const pending = call(...withSignal(info, args, controller.signal)).then(
        (value) => { settled = { ok: true, value }; settledAt = Date.now(); },
        (error) => { settled = { ok: false, error }; settledAt = Date.now(); },
      );
      const waitStart = Date.now();
      while (ctx.requestsSince(mark).length === 0 && !settled && Date.now() - waitStart < 2_000) await sleep(5);
      const early = settled as Outcome | undefined;
      if (early) fail(`${what} ended before its request was answered (${early.ok ? `with ${show(early.value, 120)}` : describeError(early.error)}), while the fake held every request open`);
      check(ctx.requestsSince(mark).length > 0, `${what} sent no request within 2 s`);
      await sleep(10);
      const sentBefore = ctx.requestsSince(mark).length;
      controller.abort();
      const abortedAt = Date.now();
      await Promise.race([pending, sleep(ABORT_PROMPT_MS * 4)]);
      const outcome = settled as Outcome | undefined;
      if (!outcome) fail(`${what} had not ended ${ABORT_PROMPT_MS * 4} ms after its signal was aborted (is options.signal passed to the request?)`);
      const took = settledAt - abortedAt;
      check(took <= ABORT_PROMPT_MS, `${what} ended ${took} ms after its signal was aborted, expected within ${ABORT_PROMPT_MS} ms`);
      if (outcome.ok) fail(`${what} succeeded with ${show(outcome.value, 120)} although it was aborted before any answer`);
      check(ProviderError.isInstance(outcome.error), `${what} aborted threw ${describeError(outcome.error)}, not a ProviderError`);
      await sleep(QUIET_MS);
      const after = ctx.requestsSince(mark).slice(sentBefore);
      check(after.length === 0, `${what} sent ${after.length} request(s) after it was aborted: ${after.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    },
  }));
}
