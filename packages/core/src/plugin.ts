import { z } from 'zod';
import { getOperationInfo, operationsOf } from './contracts/catalog.js';
import type { CicdProvider, GitForgeProvider, InterfaceContracts, IssueTrackingProvider } from './contracts/v1.js';
import {
  InvalidConfigError, InvalidInputError, ProviderError, UnsupportedOperationError, createSecretRedactor, redactSecrets, type SecretRedactor,
} from './errors.js';
import { type CapabilityManifest, validateManifest } from './manifest/index.js';
import { declaredOperations, isInterfaceSupported } from './manifest/query.js';
import type { ExternalRef, InterfaceName } from './model/common.js';
import type { WebhookDelivery } from './model/sync-event.js';
import type { SecretResolver } from './secrets.js';
import { IDEMPOTENT_WRITES, idempotencyKeyOf, runIdempotentWrite } from './state/idempotent-writes.js';
import { createMemoryStateStore } from './state/memory-state-store.js';
import type { ProviderStateStore } from './state/provider-state-store.js';
import { stateKeyDigest } from './state/state-lock.js';
import { processWebhookDelivery, type ProcessWebhookOptions, type WebhookProcessResult } from './state/webhook-processing.js';
import { findProviderError } from './transport/find-provider-error.js';
import { DEFAULT_WEBHOOK_MAX_BODY_BYTES, assertWebhookBodySize } from './webhooks/webhook-payload.js';
import type { RateLimitSnapshot, RequestHook } from './transport/types.js';

/** What the host gives a plugin when it creates an instance. */
export interface PluginContext {
  /** Resolves `{ secretRef }` credentials. */
  secrets?: SecretResolver | undefined;
  /** The fetch to send requests with (for testing or proxies). Defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
  /** Called after every HTTP request the instance sends (count, time, status; never credentials). */
  onRequest?: RequestHook | undefined;
  /** Names this instance in envelopes (`external.providerRef`). */
  providerRef?: string | undefined;
  /** Names the binding in envelopes (`external.bindingRef`). */
  bindingRef?: string | undefined;
  /**
   * What this instance knows to be secret. Core makes one for every instance (with the
   * plugin's `secretPatterns`) and passes it to the plugin's `create`; the plugin adds
   * every credential it resolves or receives (`secretAccessor(..., { redactor })`), and
   * every error the instance throws is redacted with it. A host may pass its own.
   */
  redactor?: SecretRedactor | undefined;
  /**
   * State shared by the replicas of a fleet (`@krate/state-redis`): with it, the instance
   * reserves every request from a shared rate-limit budget, records writes made with an
   * idempotency key, shares cached pages and installation lookups, and `webhooks.process`
   * claims deliveries fleet-wide. Without it the instance keeps its state in the process,
   * as before.
   */
  state?: ProviderStateStore | undefined;
}

export type HeaderValue = string | string[] | undefined;

/** One webhook request as it arrived. */
export interface WebhookRequest {
  headers: Record<string, HeaderValue> | Headers;
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: string | Uint8Array;
}

export interface WebhookReceiveOptions {
  /** The current time, for timestamp tolerance checks. */
  now?: Date | number | undefined;
  /**
   * The largest body accepted, in bytes; a larger delivery is refused with
   * `webhook_malformed` before it is hashed. Default: the provider's (GitHub caps deliveries
   * at 25 MB; see each provider's README), or 25 MB.
   */
  maxBodyBytes?: number | undefined;
}

/** Verifies and normalizes webhook deliveries of one provider. */
export interface WebhookReceiver {
  /** The provider's default body limit in bytes (see {@link WebhookReceiveOptions.maxBodyBytes}). */
  readonly maxBodyBytes?: number | undefined;
  receive(request: WebhookRequest, options?: WebhookReceiveOptions): Promise<WebhookDelivery>;
}

/** An instance's webhooks: `receive`, plus `process`, which runs a handler once per delivery. */
export interface InstanceWebhooks extends WebhookReceiver {
  /**
   * Verifies and normalizes a delivery (as `receive`), then runs `handler` at most once for
   * it across every replica sharing the instance's state store: a redelivery, or the same
   * delivery arriving at two replicas, is a `duplicate` or `in_progress`. A handler that
   * throws releases its claim, so the redelivery is processed.
   */
  process<T>(
    request: WebhookRequest,
    handler: (delivery: WebhookDelivery) => Promise<T> | T,
    options?: WebhookReceiveOptions & ProcessWebhookOptions,
  ): Promise<WebhookProcessResult<T>>;
}

/** What a plugin's `create` returns: the interfaces it implements. */
export interface ProviderImplementation {
  issueTracking?: Partial<Omit<IssueTrackingProvider, 'specificationVersion'>> | undefined;
  cicd?: Partial<Omit<CicdProvider, 'specificationVersion'>> | undefined;
  gitForge?: Partial<Omit<GitForgeProvider, 'specificationVersion'>> | undefined;
  webhooks?: WebhookReceiver | undefined;
  /** The last rate-limit state the transport saw. */
  rateLimit?: (() => RateLimitSnapshot | undefined) | undefined;
}

/** A configured provider. Interfaces the manifest does not declare are absent. */
export interface ProviderInstance {
  readonly manifest: CapabilityManifest;
  readonly providerType: string;
  readonly issueTracking?: IssueTrackingProvider;
  readonly cicd?: CicdProvider;
  readonly gitForge?: GitForgeProvider;
  readonly webhooks?: InstanceWebhooks;
  /** Whether the manifest declares this operation of this interface. */
  supports(interfaceName: InterfaceName, operation?: string): boolean;
  /** The last rate-limit state the instance saw, if its transport tracks one. */
  rateLimit(): RateLimitSnapshot | undefined;
}

export interface PluginDefinition<Config> {
  manifest: CapabilityManifest;
  /** Validates the user's config; failures are `invalid_config` errors naming the path. */
  configSchema: z.ZodType<Config, any>;
  /**
   * The shapes of the vendor's credentials (e.g. `/\bghp_[A-Za-z0-9]{36}\b/g`): redacted
   * from this provider's errors, logs and records wherever they appear, as are the
   * credential values the instance resolves.
   */
  secretPatterns?: readonly RegExp[];
  /** Makes the implementation; `context.redactor` is always set. */
  create(config: Config, context: PluginContext & { redactor: SecretRedactor }): ProviderImplementation;
}

export interface ProviderPlugin<Config = unknown> {
  readonly kind: 'krate-provider-plugin';
  readonly manifest: CapabilityManifest;
  readonly providerType: string;
  readonly configSchema: z.ZodType<Config, any>;
  create(config: z.input<z.ZodType<Config, any>> | Config, context?: PluginContext): ProviderInstance;
}

const PLUGIN_MARKER = Symbol.for('krate.provider-plugin');

/** Whether a value is a plugin made by {@link definePlugin} (in any copy of core). */
export function isProviderPlugin(value: unknown): value is ProviderPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_MARKER] === true;
}

function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/**
 * Defines a provider plugin. The returned plugin validates config, creates the
 * implementation, and guards it: an operation the manifest does not declare throws
 * `UnsupportedOperationError` before any request; arguments are validated against
 * the contract; any error that escapes is a `ProviderError` with provider and
 * operation set.
 */
export function definePlugin<Config>(definition: PluginDefinition<Config>): ProviderPlugin<Config> {
  const manifest = validateManifest(definition.manifest);
  const providerType = manifest.spec.providerType;
  for (const iface of ['issueTracking', 'cicd', 'gitForge'] as const) {
    for (const op of declaredOperations(manifest, iface)) {
      if (!getOperationInfo(iface, op.operation)) {
        throw new InvalidConfigError({
          provider: providerType,
          message: `manifest declares "${iface}.${op.operation}", which is not a canonical operation`,
        });
      }
    }
  }
  const plugin: ProviderPlugin<Config> = {
    kind: 'krate-provider-plugin',
    manifest,
    providerType,
    configSchema: definition.configSchema,
    create(rawConfig, context = {}) {
      if (typeof context !== 'object' || context === null) {
        throw new InvalidConfigError({ provider: providerType, message: 'the plugin context must be an object' });
      }
      if (context.fetch !== undefined && typeof context.fetch !== 'function') {
        throw new InvalidConfigError({ provider: providerType, message: `context.fetch must be a function (got ${typeof context.fetch})` });
      }
      if (context.state !== undefined && (typeof context.state !== 'object' || context.state === null || typeof context.state.reserveRateLimit !== 'function')) {
        throw new InvalidConfigError({ provider: providerType, message: 'context.state must be a ProviderStateStore (createMemoryStateStore(), createRedisStateStore(...))' });
      }
      const parsed = definition.configSchema.safeParse(rawConfig);
      if (!parsed.success) {
        throw new InvalidConfigError({ provider: providerType, message: `invalid config: ${formatZodIssues(parsed.error)}` });
      }
      const redactor = context.redactor ?? createSecretRedactor({ patterns: definition.secretPatterns });
      let impl: ProviderImplementation;
      try {
        impl = definition.create(parsed.data, { ...context, redactor });
      } catch (error) {
        throw redactError(toProviderError(error, providerType, 'create'), redactor);
      }
      const baseUrl = (parsed.data as { baseUrl?: unknown } | null)?.baseUrl;
      const instanceKey = stateKeyDigest(JSON.stringify([context.providerRef ?? '', typeof baseUrl === 'string' ? baseUrl : '']));
      return buildInstance(manifest, impl, { state: context.state, instanceKey }, redactor);
    },
  };
  Object.defineProperty(plugin, PLUGIN_MARKER, { value: true, enumerable: false });
  return plugin;
}

/** Turns anything thrown into a ProviderError carrying provider and operation. */
export function toProviderError(error: unknown, provider: string, operation?: string): ProviderError {
  if (ProviderError.isInstance(error)) return error.withContext(provider, operation);
  // A vendor SDK wraps what the transport threw (a timeout, a network error) in its own error.
  const wrapped = findProviderError(error);
  if (wrapped) return wrapped.withContext(provider, operation);
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new ProviderError({ code: 'timeout', provider, operation, message: 'the operation timed out', cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new ProviderError({ code: 'timeout', provider, operation, message: 'the operation was aborted', cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    code: 'upstream_unavailable',
    retryable: false,
    provider,
    operation,
    message: `unexpected error: ${redactSecrets(message)}`,
    cause: error,
  });
}

interface InstanceState {
  /** The host's shared store, if any. */
  state: ProviderStateStore | undefined;
  /** Tells this instance's idempotency records from another's in a shared store. */
  instanceKey: string;
}

/**
 * The error with its message, hint and stack, and those of every error in its cause chain
 * (sanitized copies core made, see `sanitizeCause`), passed through the instance's redactor
 * before it reaches the host: `util.inspect(err)` prints all of them.
 */
function redactError(error: ProviderError, redactor: SecretRedactor): ProviderError {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    for (const key of ['message', 'stack'] as const) {
      const value = current[key];
      if (typeof value !== 'string') continue;
      const redacted = redactor.redact(value);
      if (redacted !== value) Object.defineProperty(current, key, { value: redacted, writable: true, configurable: true, enumerable: false });
    }
    const hint = (current as { hint?: unknown }).hint;
    if (typeof hint === 'string') {
      const redacted = redactor.redact(hint);
      if (redacted !== hint) Object.defineProperty(current, 'hint', { value: redacted, writable: false, configurable: true, enumerable: true });
    }
    current = (current as { cause?: unknown }).cause;
  }
  return error;
}

function buildInstance(
  manifest: CapabilityManifest,
  impl: ProviderImplementation,
  shared: InstanceState,
  redactor: SecretRedactor,
): ProviderInstance {
  const providerType = manifest.spec.providerType;
  // Deliveries are claimed in the host's store, or in one of the instance's own.
  const deliveryStore = shared.state ?? createMemoryStateStore();
  const instance: Record<string, unknown> = {
    manifest,
    providerType,
    supports(iface: InterfaceName, operation?: string) {
      if (!isInterfaceSupported(manifest, iface)) return false;
      if (operation === undefined) return true;
      return declaredOperations(manifest, iface).some((o) => o.operation === operation);
    },
    rateLimit() {
      return impl.rateLimit?.();
    },
  };
  for (const iface of ['issueTracking', 'cicd', 'gitForge'] as const) {
    if (!isInterfaceSupported(manifest, iface)) continue;
    instance[iface] = guardInterface(manifest, iface, (impl[iface] ?? {}) as Record<string, unknown>, shared, redactor);
  }
  if (impl.webhooks) {
    const receiver = impl.webhooks;
    const receive = async (request: WebhookRequest, options?: WebhookReceiveOptions) => {
      try {
        const maxBytes = options?.maxBodyBytes ?? receiver.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
        if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 1) {
          throw new InvalidConfigError({ provider: providerType, message: `maxBodyBytes must be a whole number of bytes above 0 (got ${String(maxBytes)})` });
        }
        // Refused before any hashing or parsing: a body over the limit, a request that is not one.
        assertWebhookBodySize(request as { headers?: unknown; rawBody?: unknown }, { maxBytes, provider: providerType });
        return await receiver.receive(request, options);
      } catch (error) {
        throw redactError(toProviderError(error, providerType, 'webhooks.receive'), redactor);
      }
    };
    instance.webhooks = {
      receive,
      async process(request, handler, options) {
        const delivery = await receive(request, options);
        return processWebhookDelivery(deliveryStore, delivery, handler, options);
      },
    } satisfies InstanceWebhooks;
  }
  return Object.freeze(instance) as unknown as ProviderInstance;
}

function guardInterface<I extends InterfaceName>(
  manifest: CapabilityManifest,
  iface: I,
  impl: Record<string, unknown>,
  shared: InstanceState,
  redactor: SecretRedactor,
): InterfaceContracts[I] {
  const providerType = manifest.spec.providerType;
  const declared = new Set(declaredOperations(manifest, iface).map((o) => o.operation));
  const guarded: Record<string, unknown> = { specificationVersion: 'v1' };
  for (const name of operationsOf(iface)) {
    const info = getOperationInfo(iface, name)!;
    guarded[name] = async (...args: unknown[]) => {
      if (!declared.has(name)) {
        throw new UnsupportedOperationError({
          provider: providerType,
          operation: name,
          message: `${iface}.${name} is not supported by this provider (not declared in its manifest)`,
        });
      }
      const fn = impl[name];
      if (typeof fn !== 'function') {
        throw new UnsupportedOperationError({
          provider: providerType,
          operation: name,
          message: `${iface}.${name} is declared in the manifest but not implemented`,
        });
      }
      info.args.forEach((schema, index) => {
        const result = schema.safeParse(args[index]);
        if (!result.success) {
          throw new InvalidInputError({
            provider: providerType,
            operation: name,
            message: `argument ${index + 1} is invalid: ${formatZodIssues(result.error)}`,
          });
        }
      });
      try {
        const call = () => (fn as (...a: unknown[]) => Promise<unknown>).apply(impl, args);
        const write = `${iface}.${name}`;
        const key = shared.state ? idempotencyKeyOf(write, args) : undefined;
        if (shared.state && key !== undefined) {
          // With a shared store, a write carrying an idempotency key runs once across the fleet.
          const readName = IDEMPOTENT_WRITES[write]?.read;
          const read = readName && declared.has(readName) ? impl[readName] : undefined;
          const callOptions = args[args.length - 1];
          return await runIdempotentWrite(shared.state, {
            provider: providerType,
            instanceKey: shared.instanceKey,
            write,
            args,
            key,
            perform: call as () => Promise<{ ref?: ExternalRef }>,
            read:
              typeof read === 'function'
                ? (ref: ExternalRef) => (read as (r: ExternalRef, o?: unknown) => Promise<{ ref?: ExternalRef }>).call(impl, ref, callOptionsOf(callOptions))
                : undefined,
          });
        }
        return await call();
      } catch (error) {
        throw redactError(toProviderError(error, providerType, name), redactor);
      }
    };
  }
  return Object.freeze(guarded) as unknown as InterfaceContracts[I];
}

/** The `{ signal }` of a call's trailing options argument, to pass on to a read. */
function callOptionsOf(value: unknown): { signal?: AbortSignal } | undefined {
  const signal = (value as { signal?: unknown } | null | undefined)?.signal;
  return signal instanceof AbortSignal ? { signal } : undefined;
}
