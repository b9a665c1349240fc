import { ProviderError, getDeclaredOperation, type ExternalRef, type OperationInfo } from '@krate/core';
import { check, describeError, fail, show } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import { opId, type PlanEnv } from './plan-env.js';
import { CREATE_RECIPES, hasMarker, listOperationFor, markerAsStored, type Obj } from './recipes.js';

/**
 * A create whose response is lost after the write happened, retried with the same
 * idempotency key, must leave exactly one object.
 */
export function idempotencyCases(info: OperationInfo, env: PlanEnv): ContractCase[] {
  if (info.kind !== 'create') return [];
  const I = info.interface;
  const op = info.name;
  const declared = env.declared[I];
  return [
    {
      interface: I,
      operation: op,
      family: 'idempotency',
      id: opId(info, 'idempotency'),
      title: 'a create whose response is dropped after the write, retried with the same idempotencyKey, creates one object',
      async run(ctx) {
        const recipe = CREATE_RECIPES[`${I}.${op}`];
        if (!recipe) fail(`the suite has no recipe for ${I}.${op}`);
        const mode = getDeclaredOperation(ctx.manifest, I, op)?.idempotency?.mode;
        const marker = `contract-idempotent-${op}`;
        const key = 'krate-contract-idempotency-key-1';
        const { args, listTarget } = recipe.prepare(ctx, marker, key);
        const stored = markerAsStored(op, marker);
        const list = listOperationFor(declared, I, info.returns);
        const mark = ctx.mark();
        const count = async (): Promise<number> => {
          if (list && listTarget !== undefined) {
            const all = await ctx.listAll(I, list.name, listTarget, { pageSize: ctx.fake.maxPageSize });
            return all.items.filter((i) => hasMarker(i, stored)).length;
          }
          return ctx.requestsSince(mark).filter((r) => r.method !== 'GET' && r.status >= 200 && r.status < 300).length;
        };

        ctx.fake.faults.drop({ afterWrite: true });
        let first: Obj | undefined;
        try {
          first = (await ctx.call(I, op, ...args)) as Obj;
        } catch (error) {
          if (!ProviderError.isInstance(error)) fail(`${op} after a dropped response threw ${describeError(error)}, not a ProviderError`);
        }
        ctx.fake.faults.clear();
        const afterFirst = await count();
        check(afterFirst === 1, `${op} with a response dropped after the write left ${afterFirst} objects, expected 1 (a write must never be repeated blindly)`);
        if (mode === 'none') return;

        let second: Obj | undefined;
        try {
          second = (await ctx.call(I, op, ...args)) as Obj;
        } catch (error) {
          const accepted = mode === 'natural' && ProviderError.isInstance(error) && error.code === 'conflict';
          if (!accepted) fail(`retrying ${op} with the same idempotencyKey failed: ${describeError(error)}`);
        }
        const afterSecond = await count();
        check(afterSecond === 1, `retrying ${op} with the same idempotencyKey left ${afterSecond} objects, expected 1 (manifest idempotency mode: ${mode ?? 'not declared'})`);
        const firstRef = first?.ref as ExternalRef | undefined;
        const secondRef = second?.ref as ExternalRef | undefined;
        if (firstRef && secondRef) {
          check(firstRef.scope === secondRef.scope && firstRef.id === secondRef.id, `the retried ${op} returned ${show(secondRef)}, the first call ${show(firstRef)}`);
        }
      },
    },
  ];
}

