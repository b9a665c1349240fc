import type { ExternalRef, OperationInfo } from '@krate/core';
import { check, expectProviderError, fail, show } from '../suite/assert.js';
import { refKey } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import { opId, type PlanEnv } from './plan-env.js';
import { FIELD_SEEDS, checkWrites } from './semantics.js';
import { KINDS } from '../suite/object-kinds.js';
import {
  ACTION_RECIPES, CREATE_RECIPES, SYNC_RECIPES, UPDATE_RECIPES, hasMarker, listOperationFor, markerAsStored, missingRef, prepareRead,
  readBack, type Obj,
} from './recipes.js';

const sameRef = (a: ExternalRef | undefined, b: ExternalRef) => a?.scope === b.scope && a?.id === b.id;

/**
 * What a get means beyond its shape: seeded values (labels, assignees, a rich body,
 * exact instants) come back unchanged, and `external.url` is the page a person opens.
 */
function getMeaningCases(info: OperationInfo): ContractCase[] {
  const I = info.interface;
  const op = info.name;
  const base = { interface: I, operation: op };
  const out: ContractCase[] = [];
  const spec = FIELD_SEEDS[info.returns];
  const scopeKey = KINDS[info.returns]?.scope;
  if (spec && scopeKey) {
    out.push({
      ...base,
      family: 'fields',
      id: opId(info, 'fields'),
      title: 'seeded values (labels, assignees, rich body, exact instants) come back unchanged',
      async run(ctx) {
        const input = spec.input(ctx);
        const ref = ctx.seedOne(info.returns, input);
        const result = (await ctx.call(I, op, ref)) as Obj;
        const problem = spec.check(result, input);
        if (problem) fail(`${op} of a seeded ${info.returns}: ${problem}`);
      },
    });
  }
  if (op !== 'getCommit' && info.returns !== 'logRef') {
    out.push({
      ...base,
      family: 'fields',
      id: opId(info, 'humanUrl'),
      title: "external.url is the page a person opens for the object, as the fake's humanUrl says",
      async run(ctx) {
        const humanUrl = ctx.fake.humanUrl;
        if (typeof humanUrl !== 'function') fail('fake lacks humanUrl(kind, ref), which this case needs (return the web page of the object, not its API URL)');
        const { args, ref } = prepareRead(ctx, info);
        const expected = humanUrl.call(ctx.fake, info.returns, ref!);
        const result = (await ctx.call(I, op, ...args)) as Obj;
        if (expected === undefined) return;
        check(result.external?.url === expected, `${op}: external.url is ${show(result.external?.url)}, expected the page ${show(expected)}`);
      },
    });
  }
  return out;
}

/** Round-trip cases of a get, create, update, close, sync or action operation. */
export function roundTripCases(info: OperationInfo, env: PlanEnv): ContractCase[] {
  const base = { interface: info.interface, operation: info.name };
  const I = info.interface;
  const op = info.name;
  const key = `${I}.${op}`;
  const declared = env.declared[I];
  switch (info.kind) {
    case 'get':
      return [
        {
          ...base,
          id: opId(info, 'roundtrip'),
          title: 'a seeded object comes back with its ref, its schema and a complete envelope',
          async run(ctx) {
            const { args, ref } = prepareRead(ctx, info);
            const result = (await ctx.call(I, op, ...args)) as Obj;
            if (op === 'getCommit') check(result.sha === ref!.id, `getCommit returned sha ${show(result.sha)}, expected ${ref!.id}`);
            else if (info.returns === 'logRef') check(sameRef(result.jobRef, ref!), `getJobLog returned jobRef ${show(result.jobRef)}, expected ${refKey(ref)}`);
            else check(sameRef(result.ref, ref!), `${op} returned ref ${show(result.ref)}, expected ${refKey(ref)}`);
          },
        },
        {
          ...base,
          id: opId(info, 'notFound'),
          title: 'an object that does not exist is not_found (never null or an empty object)',
          async run(ctx) {
            const { args } = prepareRead(ctx, info);
            const missingArgs = op === 'getCommit' ? [args[0], 'dead'.repeat(10)] : [missingRef(args[0] as ExternalRef)];
            await expectProviderError('not_found', () => ctx.call(I, op, ...missingArgs), `${op} of a missing object`);
          },
          family: 'errors' as const,
        },
        ...getMeaningCases(info),
      ];
    case 'create': {
      const recipe = CREATE_RECIPES[key];
      return [
        {
          ...base,
          id: opId(info, 'roundtrip'),
          title: 'a created object is returned with its schema and envelope, and reads back the same',
          async run(ctx) {
            if (!recipe) fail(`the suite has no recipe for ${key}`);
            const marker = `contract-create-${op}`;
            const { args, listTarget } = recipe.prepare(ctx, marker);
            const mark = ctx.mark();
            const created = (await ctx.call(I, op, ...args)) as Obj;
            checkWrites(ctx, mark, 1, op);
            const stored = markerAsStored(op, marker);
            check(hasMarker(created, stored), `${op} returned an object without the input's ${show(stored)}: ${show(created, 200)}`);
            const problem = recipe.check?.(created, args);
            if (problem) fail(`${op} dropped or changed an input: ${problem}`);
            const back = await readBack(ctx, declared, I, info.returns, created.ref as ExternalRef, listTarget);
            if (back === 'unreadable') return;
            check(back !== undefined, `the created object ${refKey(created.ref)} does not show up in the listing`);
            check(hasMarker(back, stored), `reading back ${refKey(created.ref)} gives ${show(back, 200)}`);
            const again = recipe.check?.(back, args);
            if (again) fail(`reading back ${refKey(created.ref)} after ${op}: ${again}`);
          },
        },
      ];
    }
    case 'update': {
      const recipe = UPDATE_RECIPES[key];
      return [
        {
          ...base,
          id: opId(info, 'roundtrip'),
          title: 'an update is returned and the next read sees it',
          async run(ctx) {
            if (!recipe) fail(`the suite has no recipe for ${key}`);
            const { ref, patch } = await recipe.prepare(ctx);
            const mark = ctx.mark();
            const updated = (await ctx.call(I, op, ref, patch)) as Obj;
            checkWrites(ctx, mark, 1, op);
            check(sameRef(updated.ref, ref), `${op} returned ref ${show(updated.ref)}, expected ${refKey(ref)}`);
            const problem = recipe.check(updated, patch);
            if (problem) fail(`${op} returned an object that does not show the change: ${problem}`);
            const listTarget = info.returns === 'comment' ? ((updated.issueRef as ExternalRef | undefined) ?? undefined) : undefined;
            const back = await readBack(ctx, declared, I, info.returns, ref, listTarget);
            if (back === 'unreadable') return;
            check(back !== undefined, `the updated object ${refKey(ref)} cannot be read back`);
            const again = recipe.check(back, patch);
            if (again) fail(`the next read after ${op} does not show the change: ${again}`);
          },
        },
      ];
    }
    case 'close':
      return [
        {
          ...base,
          id: opId(info, 'roundtrip'),
          title: 'close with reason not_planned returns the object closed with that reason, the next read and the fake agree',
          async run(ctx) {
            const ref = ctx.seedOne(info.returns);
            const mark = ctx.mark();
            // not_planned, not the default: a close that ignores the reason shows.
            const closed = (await ctx.call(I, op, ref, 'not_planned')) as Obj;
            checkWrites(ctx, mark, 1, op);
            check(sameRef(closed.ref, ref), `${op} returned ref ${show(closed.ref)}, expected ${refKey(ref)}`);
            check(closed.phase === 'closed', `${op} returned phase ${show(closed.phase)}, expected closed`);
            check(closed.closeReason === 'not_planned', `${op}(ref, 'not_planned') returned closeReason ${show(closed.closeReason)}`);
            const back = await readBack(ctx, declared, I, info.returns, ref);
            if (back !== 'unreadable') {
              check(back?.phase === 'closed', `the next read after ${op} shows phase ${show(back?.phase)}`);
              check(back?.closeReason === 'not_planned', `the next read after ${op} shows closeReason ${show(back?.closeReason)}, expected not_planned`);
            }
            const state = ctx.fake.inspect?.(info.returns, ref);
            check(state?.closeReason === undefined || state.closeReason === 'not_planned', `the fake stored close reason ${show(state?.closeReason)}, asked for not_planned`);
            const list = listOperationFor(declared, I, info.returns);
            if (list) {
              const all = await ctx.listAll(I, list.name, ctx.listTarget(info.returns).target, { pageSize: ctx.fake.maxPageSize });
              const item = all.items.find((i) => sameRef(i.ref as ExternalRef, ref));
              check(!item || item.phase === 'closed', `${list.name} still lists ${refKey(ref)} as ${show(item?.phase)} after ${op}`);
            }
          },
        },
      ];
    case 'sync': {
      const recipe = SYNC_RECIPES[key];
      return [
        {
          ...base,
          id: opId(info, 'roundtrip'),
          title: 'a dry run writes nothing, a sync creates what is missing, and a second sync changes nothing',
          async run(ctx) {
            if (!recipe) fail(`the suite has no recipe for ${key}`);
            const { scope, desired, names } = recipe.prepare(ctx);
            const mark = ctx.mark();
            const dry = (await ctx.call(I, op, scope, desired, { dryRun: true, prune: false })) as Obj;
            const writes = ctx.requestsSince(mark).filter((r) => r.method !== 'GET');
            check(writes.length === 0, `${op} with dryRun sent ${writes.length} write request(s): ${writes.map((w) => `${w.method} ${w.path}`).join(', ')}`);
            check(names.every((n) => [...dry.created, ...dry.updated].includes(n)), `${op} dry run does not report ${names.join(', ')} as created or updated: ${show(dry)}`);
            const first = (await ctx.call(I, op, scope, desired, { prune: false })) as Obj;
            check(names.every((n) => [...first.created, ...first.updated].includes(n)), `${op} does not report ${names.join(', ')} as created or updated: ${show(first)}`);
            const second = (await ctx.call(I, op, scope, desired, { prune: false })) as Obj;
            check(second.created.length === 0 && second.updated.length === 0 && second.deleted.length === 0, `a second ${op} with the same desired state changed things: ${show(second)}`);
            if (recipe.list && declared.has(recipe.list.operation)) {
              const all = await ctx.listAll(I, recipe.list.operation, scope, { pageSize: ctx.fake.maxPageSize });
              const have = new Set(all.items.map((i) => i[recipe.list!.nameField]));
              const missing = names.filter((n) => !have.has(n));
              check(missing.length === 0, `${recipe.list.operation} after ${op} lacks ${missing.join(', ')}`);
            }
          },
        },
      ];
    }
    case 'action': {
      const recipe = ACTION_RECIPES[key];
      return [
        {
          ...base,
          id: opId(info, 'roundtrip'),
          title: 'the action succeeds on a seeded object and returns its result in the contract shape',
          async run(ctx) {
            if (!recipe) fail(`the suite has no recipe for ${key}`);
            await recipe.run(ctx);
          },
        },
      ];
    }
    default:
      return [];
  }
}
