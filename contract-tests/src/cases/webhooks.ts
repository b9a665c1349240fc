import { ExternalSyncEventSchema, WebhookDeliverySchema, declaredWebhooks, type InterfaceName, type WebhookDelivery } from '@krate/core';
import { check, checkSchema, expectProviderError, fail, show } from '../suite/assert.js';
import { KINDS } from '../suite/object-kinds.js';
import { seedable } from './recipes.js';
import type { CaseContext } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import type { PlanEnv } from './plan-env.js';

/** The native event name the suite uses for an event the provider cannot know. */
export const UNKNOWN_EVENT = 'krate_unknown_event';

function checkDelivery(ctx: CaseContext, delivery: WebhookDelivery, event: string, what: string): void {
  checkSchema(WebhookDeliverySchema, delivery, what);
  delivery.events.forEach((e, i) => checkSchema(ExternalSyncEventSchema, e, `${what} event ${i}`));
  check(delivery.provider === ctx.providerType, `${what}: provider is ${show(delivery.provider)}, expected ${ctx.providerType}`);
  check(delivery.nativeEvent === event, `${what}: nativeEvent is ${show(delivery.nativeEvent)}, expected ${show(event)}`);
  check(delivery.deliveryId.length > 0 && delivery.dedupeKey.length > 0, `${what}: deliveryId and dedupeKey must be non-empty`);
}

function interfaceOf(env: PlanEnv, event: string): InterfaceName | undefined {
  return (['issueTracking', 'cicd', 'gitForge'] as const).find((i) => declaredWebhooks(env.manifest, i).includes(event));
}

/** Webhook cases: each declared event normalizes; signatures, malformed bodies, unknown events and dedupe keys. */
export function webhookCases(env: PlanEnv): ContractCase[] {
  const events = declaredWebhooks(env.manifest);
  if (events.length === 0) return [];
  const ignored = new Set(env.probe.ignoredWebhookEvents ?? []);
  const cases: ContractCase[] = events.map((event) => ({
    interface: interfaceOf(env, event),
    webhookEvent: event,
    id: `webhooks.${event}.receive`,
    title: ignored.has(event)
      ? 'a signed delivery is verified and parses (the provider documents this event as carrying no change)'
      : 'a signed delivery is verified, parses, and normalizes to at least one event',
    async run(ctx) {
      const delivery = await ctx.receive(ctx.fake.webhook(event, { now: ctx.now }));
      checkDelivery(ctx, delivery, event, `delivery of ${event}`);
      if (!ignored.has(event)) check(delivery.events.length > 0, `delivery of ${event} normalized to no events (list it in fake.ignoredWebhookEvents if the provider documents it as ignored)`);
    },
  }));
  cases.forEach((c) => (c.family = 'webhooks'));
  for (const event of events.filter((e) => !ignored.has(e))) cases.push(actionsCase(env, event));
  const main = events.find((e) => !ignored.has(e)) ?? events[0]!;
  const base = { interface: interfaceOf(env, main), webhookEvent: main };
  for (const mode of ['missing', 'wrong', 'tampered'] as const) {
    cases.push({
      ...base,
      id: `webhooks.signature.${mode}`,
      title: `a delivery with a ${mode} signature is webhook_signature_invalid`,
      async run(ctx) {
        await expectProviderError('webhook_signature_invalid', () => ctx.receive(ctx.fake.webhook(main, { signature: mode, now: ctx.now })), `delivery of ${main} with a ${mode} signature`);
      },
    });
  }
  if (env.probe.signsTimestamp) {
    cases.push({
      ...base,
      id: 'webhooks.signature.stale',
      title: 'a correctly signed delivery with a stale timestamp is webhook_signature_invalid',
      async run(ctx) {
        // A variant with a scheme that signs no timestamp (a plain token) has nothing to be stale.
        if (!ctx.fake.signsTimestamp) return;
        await expectProviderError('webhook_signature_invalid', () => ctx.receive(ctx.fake.webhook(main, { signature: 'stale', now: ctx.now })), `delivery of ${main} with a stale timestamp`);
      },
    });
  }
  cases.push(
    {
      ...base,
      id: 'webhooks.malformed',
      title: 'a validly signed but unparseable body is webhook_malformed',
      async run(ctx) {
        await expectProviderError('webhook_malformed', () => ctx.receive(ctx.fake.webhook(main, { malformed: true, now: ctx.now })), `validly signed truncated delivery of ${main} (the fake must honour WebhookOptions.malformed)`);
      },
    },
    {
      ...base,
      webhookEvent: UNKNOWN_EVENT,
      id: 'webhooks.unknownEvent',
      title: 'a verified delivery of an event the provider does not know normalizes to no events',
      async run(ctx) {
        const delivery = await ctx.receive(ctx.fake.webhook(UNKNOWN_EVENT, { now: ctx.now }));
        checkDelivery(ctx, delivery, UNKNOWN_EVENT, `delivery of ${UNKNOWN_EVENT}`);
        check(delivery.events.length === 0, `delivery of an unknown event normalized to ${delivery.events.length} events, expected none`);
      },
    },
    {
      ...base,
      id: 'webhooks.dedupe',
      title: 'the same delivery twice has the same dedupeKey; different deliveries have different keys',
      async run(ctx) {
        const request = ctx.fake.webhook(main, { deliveryId: 'krate-contract-delivery-1', now: ctx.now });
        const a = await ctx.receive(request);
        const b = await ctx.receive(request);
        check(a.dedupeKey === b.dedupeKey, `the same delivery received twice has dedupeKeys ${show(a.dedupeKey)} and ${show(b.dedupeKey)}`);
        const again = await ctx.receive(ctx.fake.webhook(main, { deliveryId: 'krate-contract-delivery-1', now: ctx.now }));
        check(again.dedupeKey === a.dedupeKey, `a redelivery with the same delivery id has dedupeKey ${show(again.dedupeKey)}, the first ${show(a.dedupeKey)}`);
        const other = await ctx.receive(ctx.fake.webhook(main, { deliveryId: 'krate-contract-delivery-2', now: ctx.now }));
        check(other.dedupeKey !== a.dedupeKey, `two different deliveries share the dedupeKey ${show(a.dedupeKey)}`);
      },
    },
  );
  for (const c of cases) c.family = 'webhooks';
  return cases;
}

/** The object kind a native event reports, from the fake's `webhookEventFor`. */
function kindOfEvent(env: PlanEnv, event: string): string | undefined {
  return Object.keys(KINDS).find((kind) => env.probe.webhookEventFor?.(kind)?.event === event);
}

/** Every documented action of an event, deletions included, normalizes to events with the expected change. */
function actionsCase(env: PlanEnv, event: string): ContractCase {
  return {
    interface: interfaceOf(env, event),
    webhookEvent: event,
    family: 'webhooks',
    id: `webhooks.${event}.actions`,
    title: 'every action the provider documents for the event (deletions included) yields events about the object with the expected change',
    async run(ctx) {
      const webhookActions = ctx.fake.webhookActions;
      if (typeof webhookActions !== 'function') fail(`fake lacks webhookActions(event), which this case needs (list the actions the provider documents for ${event}, each with the change it means)`);
      const actions = webhookActions.call(ctx.fake, event);
      check(actions.length > 0, `fake.webhookActions('${event}') lists no action`);
      const problems: string[] = [];
      for (const a of actions) {
        const kind = a.kind ?? kindOfEvent(env, event);
        const ref = kind && seedable(kind) ? ctx.seedOne(kind) : undefined;
        const label = `${event}${a.action ? `/${a.action}` : ''}`;
        const delivery = await ctx.receive(ctx.fake.webhook(event, { ...(a.action ? { action: a.action } : {}), ...(ref ? { ref } : {}), now: ctx.now }));
        checkDelivery(ctx, delivery, event, `delivery of ${label}`);
        const about = delivery.events.filter((e) => (!kind || e.kind === kind) && (!ref || (e.ref.scope === ref.scope && e.ref.id === ref.id)));
        if (about.length === 0) {
          problems.push(`${label}: no ${kind ?? ''} event${ref ? ` about ${ref.scope}#${ref.id}` : ''} (events: ${delivery.events.map((e) => `${e.kind} ${e.ref.scope}#${e.ref.id} ${e.change}`).join(', ') || 'none'})`);
          continue;
        }
        const wrong = about.filter((e) => e.change !== a.change);
        if (wrong.length) problems.push(`${label}: change is ${show(wrong[0]!.change)}, expected ${show(a.change)}`);
      }
      if (problems.length) fail(`webhook actions of ${event}:\n${problems.join('\n')}`);
    },
  };
}
