import type { ExternalRef, OperationInfo } from '@krate/core';
import { check, expectProviderError, fail, show } from '../suite/assert.js';
import { refKey } from '../suite/context.js';
import { KINDS } from '../suite/object-kinds.js';
import type { ContractCase } from '../suite/types.js';
import { opId, type PlanEnv } from './plan-env.js';

const SEEDED = 5;

function checkExactlyOnce(items: Record<string, unknown>[], seeded: ExternalRef[], baseline: Record<string, unknown>[], what: string): void {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = refKey(item.ref as ExternalRef);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
  check(duplicates.length === 0, `${what}: objects returned more than once: ${duplicates.slice(0, 5).join(', ')}`);
  const missing = seeded.filter((ref) => !counts.has(refKey(ref))).map(refKey);
  check(missing.length === 0, `${what}: seeded objects missing from the listing (${missing.length} of ${seeded.length}): ${missing.slice(0, 5).join(', ')}`);
  const known = new Set([...seeded.map(refKey), ...baseline.map((b) => refKey(b.ref as ExternalRef))]);
  const unknown = [...counts.keys()].filter((k) => !known.has(k));
  check(unknown.length === 0, `${what}: returned objects that were never seeded: ${unknown.slice(0, 5).join(', ')}`);
}

/** Cases of a list operation: pagination, request count, cursor validation, updatedSince. */
export function listingCases(info: OperationInfo, env: PlanEnv): ContractCase[] {
  const base = { interface: info.interface, operation: info.name };
  const I = info.interface;
  const op = info.name;
  const kind = info.returns;
  const cases: ContractCase[] = [
    {
      ...base,
      id: opId(info, 'pagination'),
      title: `every seeded object comes back exactly once for page sizes 1 and 2, in ceil(N / pageSize) requests`,
      async run(ctx) {
        const { target, seed } = ctx.listTarget(kind);
        const baseline = (await ctx.listAll(I, op, target, { pageSize: ctx.fake.maxPageSize })).items;
        const seeded = Array.from({ length: SEEDED }, () => seed());
        const total = baseline.length + seeded.length;
        for (const pageSize of [1, 2]) {
          const result = await ctx.listAll(I, op, target, { pageSize });
          checkExactlyOnce(result.items, seeded, baseline, `page size ${pageSize}`);
          const expected = Math.max(1, Math.ceil(total / pageSize));
          check(result.requests === expected, `page size ${pageSize}: listing ${total} objects took ${result.requests} requests, expected ceil(${total} / ${pageSize}) = ${expected}`);
        }
      },
    },
    {
      ...base,
      id: opId(info, 'pagination.maxPageSize'),
      title: `maxPageSize + 1 objects list completely in ceil(N / maxPageSize) requests, also with the default page size`,
      async run(ctx) {
        const max = ctx.fake.maxPageSize;
        check(Number.isInteger(max) && max >= 1, `fake.maxPageSize must be a positive integer, got ${show(max)}`);
        const { target, seed } = ctx.listTarget(kind);
        const baseline = (await ctx.listAll(I, op, target, { pageSize: max })).items;
        const seeded = Array.from({ length: Math.min(max + 1, 1001) }, () => seed());
        const total = baseline.length + seeded.length;
        const expected = Math.max(1, Math.ceil(total / max));
        const explicit = await ctx.listAll(I, op, target, { pageSize: max });
        checkExactlyOnce(explicit.items, seeded, baseline, `page size ${max}`);
        check(explicit.requests === expected, `page size ${max}: listing ${total} objects took ${explicit.requests} requests, expected ${expected}`);
        const byDefault = await ctx.listAll(I, op, target);
        checkExactlyOnce(byDefault.items, seeded, baseline, 'default page size');
        check(byDefault.requests === expected, `default page size: listing ${total} objects took ${byDefault.requests} requests, expected ceil(${total} / ${max}) = ${expected} (list with the vendor's maximum page size by default)`);
      },
    },
    {
      ...base,
      id: opId(info, 'cursor.invalid'),
      title: 'a cursor the provider never issued is invalid_input, not a silent first page',
      async run(ctx) {
        const { target, seed } = ctx.listTarget(kind);
        seed();
        await expectProviderError('invalid_input', () => ctx.call(I, op, target, { cursor: 'krate-contract:not-a-cursor%%' }), `${op} with a garbage cursor`);
      },
    },
  ];
  if (KINDS[kind]?.updatedAt) {
    cases.push({
      ...base,
      id: opId(info, 'updatedSince'),
      title: 'updatedSince (given with a +02:00 offset) keeps objects updated a minute after it, leaves out those a minute before, and returns the seeded instants',
      async run(ctx) {
        const { target, seed } = ctx.listTarget(kind);
        // The cutoff is 12:00:00Z written as 14:00 at +02:00: an adapter that drops the
        // offset (reads it as local or UTC wall time) is two hours off and loses the fresh objects.
        const cutoff = '2025-06-01T14:00:00+02:00';
        const created = '2025-05-01T08:00:00Z';
        const oldTimes = ['2025-06-01T11:58:00Z', '2025-06-01T11:59:00Z'];
        const freshTimes = ['2025-06-01T12:01:00Z', '2025-06-01T12:02:30Z'];
        const old = oldTimes.map((t) => seed({ createdAt: created, updatedAt: t }));
        const fresh = freshTimes.map((t) => seed({ createdAt: created, updatedAt: t }));
        const result = await ctx.listAll(I, op, target, { pageSize: 2, updatedSince: cutoff });
        const byKey = new Map(result.items.map((i) => [refKey(i.ref as ExternalRef), i]));
        const leaked = old.filter((r) => byKey.has(refKey(r)));
        if (leaked.length) fail(`updatedSince ${cutoff} (12:00:00Z): returned objects last updated one or two minutes before it: ${leaked.map(refKey).join(', ')}`);
        const missing = fresh.filter((r) => !byKey.has(refKey(r)));
        if (missing.length) fail(`updatedSince ${cutoff} (12:00:00Z): left out objects updated one or two minutes after it: ${missing.map(refKey).join(', ')} (is the offset of updatedSince dropped?)`);
        fresh.forEach((ref, i) => {
          const item = byKey.get(refKey(ref))!;
          if (item.updatedAt !== undefined) {
            check(Date.parse(String(item.updatedAt)) === Date.parse(freshTimes[i]!), `${refKey(ref)} was seeded with updatedAt ${freshTimes[i]} and listed with ${show(item.updatedAt)}`);
          }
        });
        for (const item of result.items) {
          const updatedAt = item.updatedAt;
          if (typeof updatedAt === 'string') check(Date.parse(updatedAt) >= Date.parse(cutoff), `updatedSince ${cutoff}: returned ${refKey(item.ref as ExternalRef)} updated at ${updatedAt}`);
        }
      },
    });
  }
  for (const c of cases) c.family = 'listing';
  void env;
  return cases;
}
