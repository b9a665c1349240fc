import { inspect } from 'node:util';
import type { CaseContext } from '../suite/context.js';

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
