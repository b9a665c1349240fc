import { inspect } from 'node:util';
import { ProviderError, type InterfaceName } from '@krate/core';
import { OPERATIONS, type OperationInfo } from '@krate/core';
import { check, fail } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import { representativeRead } from './errors.js';
import type { PlanEnv } from './plan-env.js';
import { CREATE_RECIPES, missingRef, prepareRead } from './recipes.js';

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

function safeInspect(value: unknown): string {
  try {
    return inspect(value, { depth: 8, showHidden: true, breakLength: Infinity });
  } catch {
    return '';
  }
}

/** Every text an error shows: message, stack, hint, JSON, util.inspect, for it and each error of its cause chain. */
export function errorTexts(error: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let current: unknown = error;
  const seen = new Set<unknown>();
  for (let depth = 0; current !== undefined && current !== null && !seen.has(current) && depth < 8; depth++) {
    seen.add(current);
    const at = depth === 0 ? '' : `${'cause.'.repeat(depth)}`;
    if (current instanceof Error) {
      out.push([`${at}message`, current.message], [`${at}stack`, current.stack ?? '']);
      if (ProviderError.isInstance(current)) out.push([`${at}hint`, current.hint ?? '']);
    }
    out.push([`JSON.stringify(${at || 'error'})`.replace('.)', ')'), safeJson(current)], [`String(${at || 'error'})`.replace('.)', ')'), String(current)]);
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  out.push(['util.inspect', safeInspect(error)]);
  return out;
}

/**
 * Where a configured secret appears on the wire outside the headers the vendor
 * expects credentials in (the URL, the query, the body, any other header).
 */
export function findWireLeaks(fake: Pick<CaseContext['fake'], 'wire' | 'secrets' | 'credentialHeaders'>): string[] {
  const secrets = fake.secrets.filter((s) => typeof s === 'string' && s.length >= 4);
  const allowed = new Set((fake.credentialHeaders ?? ['authorization']).map((h) => h.toLowerCase()));
  const findings: string[] = [];
  (fake.wire ?? []).forEach((request, i) => {
    const where = (part: string) => `${part} of wire request #${i + 1} (${request.method} ${new URL(request.url).pathname})`;
    const scan = (text: string | undefined, part: string) => {
      if (!text) return;
      let decoded = text;
      try {
        decoded = decodeURIComponent(text);
      } catch {
        // keep the raw text
      }
      secrets.forEach((secret, n) => {
        if (text.includes(secret) || decoded.includes(secret)) findings.push(`secret #${n + 1} of fake.secrets appears in the ${where(part)}`);
      });
    };
    scan(request.url, 'URL');
    scan(request.body, 'body');
    for (const [name, value] of Object.entries(request.headers)) if (!allowed.has(name.toLowerCase())) scan(value, `header ${name}`);
  });
  return [...new Set(findings)];
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

/** The first declared create of an interface with a recipe, and its arguments. */
function createFor(ctx: CaseContext, iface: InterfaceName): { info: OperationInfo; args: unknown[] } | undefined {
  const info = OPERATIONS.find((o) => o.interface === iface && o.kind === 'create' && ctx.instance.supports(iface, o.name) && CREATE_RECIPES[`${iface}.${o.name}`]);
  if (!info) return undefined;
  return { info, args: CREATE_RECIPES[`${iface}.${info.name}`]!.prepare(ctx, `contract-secrets-${info.name}`).args };
}

/** Exercises success and failure paths of an interface; the scan after every case then looks for credentials. */
export function secretCases(iface: InterfaceName, env: PlanEnv): ContractCase[] {
  const read = representativeRead(env, iface);
  if (!read) return [];
  return [
    {
      interface: iface,
      family: 'secrets',
      id: `${iface}.secrets`,
      title: 'no credential appears in errors (cause chain, util.inspect), returned objects, recorded requests, or on the wire outside the credential header',
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
        const create = createFor(ctx, iface);
        if (create) await ctx.call(iface, create.info.name, ...create.args).catch(() => undefined);
        const leaks = findSecretLeaks(ctx);
        if (leaks.length) fail(`credentials leaked: ${leaks.join('; ')}`);
        if (!ctx.fake.wire) fail('fake lacks wire (the requests before redaction: createRequestRecorder(...).wire), which the wire scan of this case needs');
        check(ctx.fake.wire.length > 0, 'fake.wire recorded no request although the case sent some');
        const onWire = findWireLeaks(ctx.fake);
        if (onWire.length) fail(`credentials sent outside ${(ctx.fake.credentialHeaders ?? ['authorization']).join(', ')}: ${onWire.slice(0, 5).join('; ')}`);
      },
    },
  ];
}
