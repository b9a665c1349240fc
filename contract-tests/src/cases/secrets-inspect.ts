import { inspect } from 'node:util';
import type { InterfaceName } from '@krate/core';
import { check, fail } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import { representativeRead } from './errors.js';
import type { PlanEnv } from './plan-env.js';
import { prepareRead } from './recipes.js';

/**
 * The renderings of an error that a log line or a crash report shows: `util.inspect`
 * (what `console.log(err)` prints, `cause` chain included), with and without hidden
 * properties. Never throws.
 */
export function errorRenderings(error: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [label, options] of [
    ['util.inspect', { depth: 10 }],
    ['util.inspect (showHidden)', { depth: 10, showHidden: true }],
  ] as const) {
    try {
      out.push([label, inspect(error, options)]);
    } catch (failure) {
      out.push([label, `[inspect threw ${String(failure)}]`]);
    }
  }
  return out;
}

/**
 * Where any of the fake's secrets shows up in `util.inspect` of an error the case
 * provoked (the `cause` chain included); each finding names the place, never the secret.
 */
export function inspectSecretLeaks(ctx: Pick<CaseContext, 'fake' | 'observed'>): string[] {
  const secrets = ctx.fake.secrets.filter((s) => typeof s === 'string' && s.length >= 4);
  if (secrets.length === 0) return [];
  const findings = new Set<string>();
  ctx.observed.errors.forEach((error, i) => {
    for (const [label, text] of errorRenderings(error)) {
      secrets.forEach((secret, s) => {
        if (text.includes(secret)) findings.add(`secret #${s + 1} of fake.secrets appears in ${label} of the error #${i + 1} thrown by the instance`);
      });
    }
  });
  return [...findings];
}

/**
 * A case per interface that provokes the failures whose errors carry the most (a
 * dropped connection and a timeout, where `fetch`'s own error is the cause; 401 and 5xx
 * answers, where the SDK's error holds the request and response; a badly signed
 * delivery) and scans `util.inspect` of each for the fake's credentials.
 */
export function inspectSecretCases(iface: InterfaceName, env: PlanEnv): ContractCase[] {
  const read = representativeRead(env, iface);
  if (!read) return [];
  return [
    {
      interface: iface,
      id: `${iface}.secrets.inspect`,
      family: 'secrets',
      title: 'util.inspect of every provoked error (cause chain included) holds no credential',
      async run(ctx) {
        const { args } = prepareRead(ctx, read);
        const provoke = async (fault: () => void) => {
          fault();
          await ctx.call(iface, read.name, ...args).catch(() => undefined);
          ctx.fake.faults.clear();
        };
        await provoke(() => ctx.fake.faults.drop({ times: Infinity }));
        await provoke(() => ctx.fake.faults.timeout({ times: 1 }));
        await provoke(() => ctx.fake.faults.status(401, { times: Infinity }));
        await provoke(() => ctx.fake.faults.serverError({ times: Infinity }));
        if (ctx.instance.webhooks) {
          const [event] = [...(ctx.manifest.spec.interfaces[iface]?.webhooks ?? [])];
          if (event) await ctx.receive(ctx.fake.webhook(event, { signature: 'wrong', now: ctx.now })).catch(() => undefined);
        }
        check(ctx.observed.errors.length > 0, 'no error was provoked, so nothing was scanned');
        const leaks = inspectSecretLeaks(ctx);
        if (leaks.length) fail(`credentials leaked: ${leaks.join('; ')}`);
      },
    },
  ];
}
