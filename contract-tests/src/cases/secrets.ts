import { ProviderError, type InterfaceName } from '@krate/core';
import { fail } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import { representativeRead } from './errors.js';
import type { PlanEnv } from './plan-env.js';
import { missingRef, prepareRead } from './recipes.js';

/** Safe JSON of anything (cycles and bigints tolerated). */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'bigint') return String(v);
      if (v !== null && typeof v === 'object') {
        if (seen.has(v)) return '[cycle]';
        seen.add(v);
      }
      return v;
    }) ?? String(value);
  } catch {
    return String(value);
  }
}

function errorTexts(error: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (error instanceof Error) {
    out.push(['message', error.message], ['stack', error.stack ?? '']);
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined) {
      out.push(['String(cause)', String(cause)]);
      if (cause instanceof Error) out.push(['cause.stack', cause.stack ?? ''], ['JSON.stringify(cause)', safeJson(cause)]);
    }
    if (ProviderError.isInstance(error)) out.push(['hint', error.hint ?? '']);
  }
  out.push(['JSON.stringify', safeJson(error)], ['String', String(error)]);
  return out;
}

/** Where any of the fake's secrets shows up in what the case saw; each finding names the place, never the secret. */
export function findSecretLeaks(ctx: Pick<CaseContext, 'fake' | 'observed'>): string[] {
  const secrets = ctx.fake.secrets.filter((s) => typeof s === 'string' && s.length >= 4);
  if (secrets.length === 0) return [];
  const findings: string[] = [];
  const scan = (text: string, where: string) => {
    secrets.forEach((secret, i) => {
      if (text.includes(secret)) findings.push(`secret #${i + 1} of fake.secrets appears in ${where}`);
    });
  };
  ctx.observed.errors.forEach((error, i) => {
    const name = ProviderError.isInstance(error) ? `${error.code} error` : 'error';
    for (const [part, text] of errorTexts(error)) scan(text, `${part} of the ${name} #${i + 1} thrown by the instance`);
  });
  ctx.observed.values.forEach((value, i) => scan(safeJson(value), `JSON.stringify of the value #${i + 1} returned by the instance`));
  ctx.fake.requests.forEach((request, i) => scan(safeJson(request), `fake.requests[${i}] (${request.method} ${request.path.replace(/\[REDACTED\]/g, '…')})`));
  return [...new Set(findings)];
}

/** Exercises success and failure paths of an interface; the scan after every case then looks for credentials. */
export function secretCases(iface: InterfaceName, env: PlanEnv): ContractCase[] {
  const read = representativeRead(env, iface);
  if (!read) return [];
  return [
    {
      interface: iface,
      id: `${iface}.secrets`,
      title: 'no credential appears in errors, returned objects or recorded requests, on success and failure paths',
      async run(ctx) {
        const { args } = prepareRead(ctx, read);
        const call = (a: unknown[]) => ctx.call(iface, read.name, ...a).catch(() => undefined);
        await call(args);
        if (read.kind === 'get' && read.name !== 'getCommit') await call([missingRef(args[0] as never), ...args.slice(1)]);
        for (const status of [401, 403, 404, 422]) {
          ctx.fake.faults.status(status, { times: Infinity });
          await call(args);
          ctx.fake.faults.clear();
        }
        ctx.fake.faults.serverError({ times: Infinity });
        await call(args);
        ctx.fake.faults.clear();
        ctx.fake.faults.malformed({ times: Infinity });
        await call(args);
        ctx.fake.faults.clear();
        if (ctx.instance.webhooks) {
          const [event] = [...(ctx.manifest.spec.interfaces[iface]?.webhooks ?? [])];
          if (event) await ctx.receive(ctx.fake.webhook(event, { signature: 'wrong', now: ctx.now })).catch(() => undefined);
        }
        const leaks = findSecretLeaks(ctx);
        if (leaks.length) fail(`credentials leaked: ${leaks.join('; ')}`);
      },
    },
  ];
}
