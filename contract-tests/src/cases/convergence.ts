import { OPERATIONS, declaredWebhooks, type ExternalRef, type InterfaceName } from '@krate/core';
import { check, fail, firstDifference } from '../suite/assert.js';
import { refKey } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import type { PlanEnv } from './plan-env.js';
import { UPDATE_RECIPES, seedable, type Obj } from './recipes.js';

/** Normalized fields of an object: everything but the envelope. */
function fields(object: Obj): Obj {
  const { external: _external, ...rest } = object;
  return JSON.parse(JSON.stringify(rest)) as Obj;
}

/**
 * Objects seeded and changed, reported through webhooks and folded by ref, equal
 * what a fresh backfill lists.
 */
export function convergenceCases(iface: InterfaceName, env: PlanEnv): ContractCase[] {
  const declared = env.declared[iface];
  const events = new Set(declaredWebhooks(env.manifest));
  if (events.size === 0) return [];
  const out: ContractCase[] = [];
  for (const list of OPERATIONS.filter((o) => o.interface === iface && o.kind === 'list' && declared.has(o.name) && seedable(o.returns))) {
    const mapping = env.probe.webhookEventFor?.(list.returns);
    if (!mapping || !events.has(mapping.event)) continue;
    const update = OPERATIONS.find((o) => o.interface === iface && o.kind === 'update' && o.returns === list.returns && declared.has(o.name));
    out.push({
      interface: iface,
      operation: list.name,
      webhookEvent: mapping.event,
      family: 'convergence',
      id: `${iface}.${list.name}.convergence`,
      title: `objects reported by ${mapping.event} deliveries, folded by ref, equal a fresh backfill`,
      async run(ctx) {
        const { target, seed } = ctx.listTarget(list.returns);
        const refs: ExternalRef[] = [seed(), seed(), seed()];
        const recipe = update ? UPDATE_RECIPES[`${iface}.${update.name}`] : undefined;
        if (update && recipe) {
          const { patch } = await recipe.prepare(ctx);
          await ctx.call(iface, update.name, refs[0], patch);
        }
        const folded = new Map<string, Obj | undefined>();
        for (const ref of refs) {
          const delivery = await ctx.receive(ctx.fake.webhook(mapping.event, { ...(mapping.action ? { action: mapping.action } : {}), ref, now: ctx.now }));
          const mine = delivery.events.filter((e) => e.kind === list.returns && e.ref.scope === ref.scope && e.ref.id === ref.id);
          check(mine.length > 0, `a ${mapping.event} delivery about ${refKey(ref)} normalized to no ${list.returns} event for it (events: ${delivery.events.map((e) => `${e.kind} ${refKey(e.ref)}`).join(', ') || 'none'})`);
          for (const e of mine) folded.set(refKey(e.ref), e.object === undefined ? folded.get(refKey(e.ref)) : (e.object as Obj));
        }
        const backfill = await ctx.listAll(iface, list.name, target, { pageSize: ctx.fake.maxPageSize });
        const byRef = new Map(backfill.items.map((i) => [refKey(i.ref as ExternalRef), i as Obj]));
        for (const [key, object] of folded) {
          const listed = byRef.get(key);
          if (!listed) fail(`${key} was reported by a webhook but a backfill does not list it`);
          if (object === undefined) continue;
          const diff = firstDifference(fields(object), fields(listed));
          if (diff) fail(`${key}: the webhook's object and the backfill differ at ${diff}`);
        }
      },
    });
  }
  if (out.length === 0 && !env.probe.webhookEventFor) {
    out.push({
      interface: iface,
      family: 'convergence',
      id: `${iface}.convergence`,
      title: 'webhook deliveries and a backfill converge',
      async run() {
        fail('fake lacks webhookEventFor(kind), which the convergence cases need');
      },
    });
  }
  return out;
}
