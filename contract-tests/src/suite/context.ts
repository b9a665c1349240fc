import {
  getOperationInfo, type CapabilityManifest, type ExternalRef, type InterfaceName, type OperationInfo, type ProviderInstance,
  type WebhookDelivery, type WebhookRequest,
} from '@krate/core';
import type { FakeBackend, FakeScopes, RecordedRequest } from '../kit/types.js';
import { check, checkSchema, fail, show } from './assert.js';
import { kindInfo, type KindInfo } from './object-kinds.js';

/** A page as the contract returns it. */
export interface PageLike {
  items: unknown[];
  nextCursor: string | null;
}

export interface ListAllResult {
  items: Record<string, unknown>[];
  pages: number;
  /** Requests the fake answered during the listing. */
  requests: number;
}

/** Everything a case works with: a fresh fake, a fresh instance, and helpers. */
export interface CaseContext {
  readonly manifest: CapabilityManifest;
  readonly providerType: string;
  readonly fake: FakeBackend;
  /** The instance, observed: results and errors are kept for the secret scan. */
  readonly instance: ProviderInstance;
  /** The instance as the plugin returned it. */
  readonly rawInstance: ProviderInstance;
  /** The time passed to webhook generation and receipt. */
  readonly now: Date;
  /** Calls an operation and checks its result against the operation's schema and the envelope rules. */
  call<T = any>(iface: InterfaceName, operation: string, ...args: unknown[]): Promise<T>;
  /** Lists every page of a listing, guarding against cursors that repeat or never end. */
  listAll(iface: InterfaceName, operation: string, target: unknown, options?: { pageSize?: number; updatedSince?: string; maxPages?: number }): Promise<ListAllResult>;
  /** A scope the fake declares, or a failure naming what the fake lacks. */
  scope(key: keyof FakeScopes): string;
  /** Seeds one object of a kind (parents are seeded first); returns its ref. */
  seedOne(kind: string, overrides?: Record<string, unknown>, parent?: ExternalRef): ExternalRef;
  /** What a listing of `kind` is called with and how to seed more of it there. */
  listTarget(kind: string): { target: string | ExternalRef; seed(overrides?: Record<string, unknown>): ExternalRef };
  /** Receives a delivery through the instance's webhook receiver. */
  receive(request: WebhookRequest): Promise<WebhookDelivery>;
  /** Number of requests recorded so far (a mark for {@link requestsSince}). */
  mark(): number;
  requestsSince(mark: number): RecordedRequest[];
  /** Every value the instance returned and every error it threw during the case. */
  readonly observed: { values: unknown[]; errors: unknown[] };
}

export function refKey(ref: ExternalRef | undefined): string {
  return ref ? `${ref.scope}#${ref.id}` : '(no ref)';
}

/** Checks the envelope rules: native id, URL, version, interface and provider type. */
export function checkEnvelope(object: Record<string, unknown>, iface: InterfaceName, providerType: string, what: string): void {
  const external = object.external as Record<string, unknown> | undefined;
  check(external && typeof external === 'object', `${what} has no external envelope`);
  check(typeof external.nativeId === 'string' && external.nativeId.length > 0, `${what}: external.nativeId is missing`);
  check(typeof external.url === 'string' && external.url.length > 0, `${what}: external.url is missing`);
  const version = (external.version ?? {}) as Record<string, unknown>;
  check(
    ['etag', 'updatedAt', 'sha'].some((k) => typeof version[k] === 'string' && (version[k] as string).length > 0),
    `${what}: external.version has none of etag, updatedAt, sha (${show(version)})`,
  );
  check(external.interface === iface, `${what}: external.interface is ${show(external.interface)}, expected "${iface}"`);
  const ext = external.extensions as Record<string, unknown> | undefined;
  check(ext?.providerType === providerType, `${what}: external.extensions.providerType is ${show(ext?.providerType)}, expected "${providerType}"`);
}

/** Checks a returned value against the operation's `returns` kind. */
export function checkResult(info: OperationInfo, value: unknown, providerType: string): void {
  const where = `${info.interface}.${info.name}`;
  const kind = kindInfo(info.returns);
  const checkOne = (item: unknown, what: string) => {
    checkSchema(kind.schema, item, what);
    if (kind.envelope) checkEnvelope(item as Record<string, unknown>, info.interface, providerType, what);
  };
  if (info.kind === 'list') {
    const page = value as PageLike;
    check(page && typeof page === 'object' && Array.isArray(page.items), `${where} returned ${show(value, 120)}, not a page { items, nextCursor }`);
    check(page.nextCursor === null || (typeof page.nextCursor === 'string' && page.nextCursor.length > 0), `${where}: nextCursor must be null or a non-empty string, got ${show(page.nextCursor)}`);
    page.items.forEach((item, i) => checkOne(item, `${where} item ${i}`));
    return;
  }
  checkOne(value, `${where} result`);
}

export interface ContextInit {
  manifest: CapabilityManifest;
  fake: FakeBackend;
  instance: ProviderInstance;
  now: Date;
}

function observeInstance(instance: ProviderInstance, observed: { values: unknown[]; errors: unknown[] }): ProviderInstance {
  const wrap = <T extends object>(target: T | undefined): T | undefined => {
    if (!target) return undefined;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(target)) {
      const value = (target as Record<string, unknown>)[key];
      out[key] = typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
              observed.values.push(result);
              return result;
            } catch (error) {
              observed.errors.push(error);
              throw error;
            }
          }
        : value;
    }
    return out as T;
  };
  return {
    manifest: instance.manifest,
    providerType: instance.providerType,
    supports: (i, o) => instance.supports(i, o),
    rateLimit: () => instance.rateLimit(),
    ...(instance.issueTracking ? { issueTracking: wrap(instance.issueTracking) } : {}),
    ...(instance.cicd ? { cicd: wrap(instance.cicd) } : {}),
    ...(instance.gitForge ? { gitForge: wrap(instance.gitForge) } : {}),
    ...(instance.webhooks ? { webhooks: wrap(instance.webhooks) } : {}),
  } as ProviderInstance;
}

export function createCaseContext(init: ContextInit): CaseContext {
  const { manifest, fake, now } = init;
  const providerType = manifest.spec.providerType;
  const observed = { values: [] as unknown[], errors: [] as unknown[] };
  const instance = observeInstance(init.instance, observed);
  let counter = 0;

  const operation = (iface: InterfaceName, name: string) => {
    const target = instance[iface] as unknown as Record<string, unknown> | undefined;
    if (!target) fail(`the instance has no ${iface} interface`);
    const fn = target[name];
    if (typeof fn !== 'function') fail(`${iface}.${name} is not a function on the instance`);
    return fn as (...args: unknown[]) => Promise<unknown>;
  };

  const scope = (key: keyof FakeScopes): string => {
    const scopes = fake.scopes;
    const value = scopes[key] ?? (key === 'runners' ? scopes.cicd : undefined) ?? (key === 'repositoryOwner' ? scopes.repository?.split('/')[0] : undefined) ?? (key === 'repository' ? scopes.issueTracking : undefined);
    if (!value) fail(`fake lacks scopes.${key}`);
    return value;
  };

  const seedFn = (info: KindInfo, kind: string) => {
    if (!info.seed) fail(`objects of kind "${kind}" cannot be seeded; the case needs one`);
    const fn = fake.seed[info.seed] as ((target: unknown, input: unknown) => ExternalRef) | undefined;
    if (typeof fn !== 'function') fail(`fake lacks seed.${info.seed}`);
    return (target: unknown, input: unknown) => {
      const ref = fn.call(fake.seed, target, input);
      check(ref && typeof ref.scope === 'string' && typeof ref.id === 'string', `seed.${info.seed} returned ${show(ref)}, not a ref`);
      return ref;
    };
  };

  const seedOne = (kind: string, overrides: Record<string, unknown> = {}, parent?: ExternalRef): ExternalRef => {
    const info = kindInfo(kind);
    const fn = seedFn(info, kind);
    const n = ++counter;
    const input = { ...(info.input?.(n) ?? {}), ...overrides };
    if (kind === 'pullRequest' && typeof fake.seed.gitRef === 'function') {
      fake.seed.gitRef(scope('repository'), { name: String(input.headBranch), kind: 'branch' });
    }
    if (info.parent) return fn(parent ?? seedOne(info.parent), input);
    return fn(scope(info.scope!), input);
  };

  const ctx: CaseContext = {
    manifest,
    providerType,
    fake,
    instance,
    rawInstance: init.instance,
    now,
    observed,
    async call(iface, name, ...args) {
      const info = getOperationInfo(iface, name);
      if (!info) fail(`${iface}.${name} is not a canonical operation`);
      const value = await operation(iface, name)(...args);
      checkResult(info, value, providerType);
      return value as any;
    },
    async listAll(iface, name, target, options = {}) {
      const { maxPages = 500, ...listOptions } = options;
      const items: Record<string, unknown>[] = [];
      const seen = new Set<string>();
      const start = ctx.mark();
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const page = (await ctx.call(iface, name, target, { ...listOptions, ...(cursor ? { cursor } : {}) })) as PageLike;
        pages += 1;
        items.push(...(page.items as Record<string, unknown>[]));
        if (page.nextCursor === null) break;
        if (seen.has(page.nextCursor)) fail(`${iface}.${name}: cursor ${show(page.nextCursor, 60)} repeated after ${pages} page(s); the listing would never end`);
        seen.add(page.nextCursor);
        if (pages >= maxPages) fail(`${iface}.${name}: listing did not end after ${pages} pages`);
        cursor = page.nextCursor;
      }
      return { items, pages, requests: ctx.requestsSince(start).length };
    },
    scope,
    seedOne,
    listTarget(kind) {
      const info = kindInfo(kind);
      if (info.parent) {
        const parentRef = seedOne(info.parent);
        return { target: parentRef, seed: (overrides) => seedOne(kind, overrides, parentRef) };
      }
      return { target: scope(info.scope!), seed: (overrides) => seedOne(kind, overrides) };
    },
    async receive(request) {
      const receiver = instance.webhooks;
      if (!receiver) fail('the manifest declares webhook events but the instance has no webhooks receiver');
      return receiver.receive(request, { now });
    },
    mark: () => fake.requests.length,
    requestsSince: (mark) => fake.requests.slice(mark),
  };
  return ctx;
}
