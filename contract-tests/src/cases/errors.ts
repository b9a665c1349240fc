import { OPERATIONS, ProviderError, type InterfaceName, type OperationInfo, type ProviderErrorCode } from '@krate/core';
import { check, describeError, expectProviderError, fail } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import type { PlanEnv } from './plan-env.js';
import { prepareRead, seedable } from './recipes.js';

/** The declared read operation error cases run against: a get of a seedable kind, else a list. */
export function representativeRead(env: PlanEnv, iface: InterfaceName): OperationInfo | undefined {
  const declared = env.declared[iface];
  const ops = OPERATIONS.filter((o) => o.interface === iface && declared.has(o.name) && seedable(o.returns === 'logRef' ? 'job' : o.returns));
  return ops.find((o) => o.kind === 'get') ?? ops.find((o) => o.kind === 'list');
}

/** The first declared list operation of a seedable kind. */
export function representativeList(env: PlanEnv, iface: InterfaceName): OperationInfo | undefined {
  const declared = env.declared[iface];
  return OPERATIONS.find((o) => o.interface === iface && o.kind === 'list' && declared.has(o.name) && seedable(o.returns));
}

async function warmCall(ctx: CaseContext, info: OperationInfo): Promise<() => Promise<unknown>> {
  const { args } = prepareRead(ctx, info);
  const call = () => ctx.call(info.interface, info.name, ...args);
  await call(); // warms credentials and caches, so the fault hits the operation itself
  return call;
}

/** The wait of the long rate limit, and how far the reported retryAfterMs may be from it (whole-second headers, clocks). */
const LONG_RETRY_AFTER_S = 120;
const RETRY_AFTER_TOLERANCE_MS = 1_500;
/** The per-request timeout the suite asks fakes to configure for its timeout case. */
export const SUITE_REQUEST_TIMEOUT_MS = 300;

const STATUS_CASES: Array<{ status: number; code: ProviderErrorCode }> = [
  { status: 401, code: 'unauthenticated' },
  { status: 403, code: 'forbidden' },
  { status: 404, code: 'not_found' },
  { status: 409, code: 'conflict' },
  { status: 422, code: 'invalid_input' },
];

/** Error mapping cases of one interface, run on its representative read operation. */
export function errorCases(iface: InterfaceName, env: PlanEnv): ContractCase[] {
  const read = representativeRead(env, iface);
  const cases: ContractCase[] = [];
  if (read) {
    const base = { interface: iface, operation: read.name };
    const what = `${iface}.${read.name}`;
    for (const { status, code } of STATUS_CASES) {
      cases.push({
        ...base,
        id: `${iface}.errors.${code}`,
        title: `the vendor's ${status} answer is a ProviderError with code ${code}`,
        async run(ctx) {
          const call = await warmCall(ctx, read);
          ctx.fake.faults.status(status, { times: Infinity });
          const error = await expectProviderError(code, call, `${what} answered ${status}`);
          check(error.provider === ctx.providerType, `the error names provider ${String(error.provider)}, expected ${ctx.providerType}`);
          check(error.operation === read.name, `the error names operation ${String(error.operation)}, expected ${read.name}`);
        },
      });
    }
    cases.push(
      {
        ...base,
        id: `${iface}.errors.rate_limited`,
        title: "a rate limit with a long wait (120 s) is rate_limited with retryAfterMs equal to the vendor's wait",
        async run(ctx) {
          const call = await warmCall(ctx, read);
          ctx.fake.faults.rateLimit({ times: Infinity, retryAfterSeconds: LONG_RETRY_AFTER_S });
          const error = await expectProviderError('rate_limited', call, `${what} rate limited for ${LONG_RETRY_AFTER_S} s`);
          const expected = LONG_RETRY_AFTER_S * 1000;
          check(
            typeof error.retryAfterMs === 'number' && Math.abs(error.retryAfterMs - expected) <= RETRY_AFTER_TOLERANCE_MS,
            `the vendor said wait ${LONG_RETRY_AFTER_S} s; rate_limited error has retryAfterMs ${String(error.retryAfterMs)}, expected ${expected} (within ${RETRY_AFTER_TOLERANCE_MS} ms)`,
          );
        },
      },
      {
        ...base,
        id: `${iface}.errors.rate_limited.recovery`,
        title: 'a rate limit that says retry now (Retry-After 0) is retried once and the call succeeds (2 requests)',
        async run(ctx) {
          const call = await warmCall(ctx, read);
          ctx.fake.faults.rateLimit({ times: 1, retryAfterSeconds: 0 });
          const mark = ctx.mark();
          try {
            await call();
          } catch (error) {
            fail(`${what} after one rate limit with a zero wait failed instead of retrying: ${describeError(error)}`);
          }
          const sent = ctx.requestsSince(mark).length;
          check(sent === 2, `${what} after one rate limit with a zero wait sent ${sent} requests, expected 2 (the limited one and one retry)`);
        },
      },
      {
        ...base,
        id: `${iface}.errors.upstream_unavailable`,
        title: 'persistent 5xx answers are upstream_unavailable',
        async run(ctx) {
          const call = await warmCall(ctx, read);
          ctx.fake.faults.serverError({ times: Infinity });
          await expectProviderError('upstream_unavailable', call, `${what} answered 502 every time`);
        },
      },
      {
        ...base,
        id: `${iface}.errors.timeout`,
        title: 'a request that never gets an answer is a timeout',
        requestTimeoutMs: SUITE_REQUEST_TIMEOUT_MS,
        budgetMs: 10_000,
        async run(ctx) {
          const call = await warmCall(ctx, read);
          ctx.fake.faults.timeout({ times: Infinity });
          await expectProviderError('timeout', call, `${what} never answered`);
        },
      },
      {
        ...base,
        id: `${iface}.errors.connectionDropped`,
        title: 'a dropped connection is upstream_unavailable or timeout, never a raw fetch error',
        async run(ctx) {
          const call = await warmCall(ctx, read);
          ctx.fake.faults.drop({ times: Infinity });
          await expectProviderError(['upstream_unavailable', 'timeout'], call, `${what} with the connection dropped`);
        },
      },
      {
        ...base,
        id: `${iface}.errors.malformedBody`,
        title: 'a 200 with an unparseable body is upstream_unavailable, never a crash',
        async run(ctx) {
          const call = await warmCall(ctx, read);
          ctx.fake.faults.malformed({ times: Infinity });
          await expectProviderError('upstream_unavailable', call, `${what} answered a truncated body`);
        },
      },
      {
        ...base,
        id: `${iface}.errors.transientRetry`,
        title: 'one transient 5xx on a read is retried and the call succeeds (2 requests)',
        async run(ctx) {
          const call = await warmCall(ctx, read);
          ctx.fake.faults.serverError({ times: 1, method: 'GET' });
          const mark = ctx.mark();
          try {
            await call();
          } catch (error) {
            fail(`${what} with one transient 502 failed instead of retrying: ${describeError(error)}`);
          }
          const sent = ctx.requestsSince(mark).length;
          check(sent === 2, `${what} with one transient 502 sent ${sent} requests, expected 2 (the failed one and one retry)`);
        },
      },
    );
  }
  const list = representativeList(env, iface);
  if (list) {
    cases.push({
      interface: iface,
      operation: list.name,
      id: `${iface}.errors.failedPage`,
      title: 'a page that fails half way through a listing surfaces an error, not a short listing',
      async run(ctx) {
        const { target, seed } = ctx.listTarget(list.returns);
        const baseline = (await ctx.listAll(iface, list.name, target, { pageSize: ctx.fake.maxPageSize })).items.length;
        for (let i = 0; i < 4; i++) seed();
        ctx.fake.faults.serverError({ method: 'GET', after: 1, times: Infinity });
        let items = -1;
        try {
          items = (await ctx.listAll(iface, list.name, target, { pageSize: 2 })).items.length;
        } catch (error) {
          if (!ProviderError.isInstance(error)) fail(`the failed page surfaced as ${describeError(error)}, not a ProviderError`);
          check(error.code === 'upstream_unavailable', `the failed page surfaced as ${describeError(error)}, expected upstream_unavailable`);
          return;
        }
        fail(`${iface}.${list.name} ended after ${items} of ${baseline + 4} objects without an error while page 2 failed`);
      },
    });
  }
  for (const c of cases) c.family = 'errors';
  return cases;
}
