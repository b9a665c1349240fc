import type { CicdProvider, GitForgeProvider, IssueTrackingProvider } from './contracts/v1.js';
import { InvalidConfigError, type ProviderError } from './errors.js';
import { declaredOperations, declaredWebhooks, isInterfaceSupported } from './manifest/query.js';
import { INTERFACE_NAMES, type InterfaceName } from './model/common.js';
import { OwnershipModeSchema, type OwnershipMode } from './model/lifecycle.js';
import { isProviderPlugin, type PluginContext, type ProviderInstance, type ProviderPlugin } from './plugin.js';

/** What a caller needs from a provider; {@link ProviderRegistry.select} returns the plugins that meet it. */
export interface ProviderRequirement {
  interface: InterfaceName;
  /** Operations of that interface the manifest must declare supported. */
  operations?: string[] | undefined;
  /** Webhook events of that interface the manifest must declare. */
  webhooks?: string[] | undefined;
  /** An auth mode the manifest must list (`app`, `pat`, `oauth`, ...). */
  authMode?: string | undefined;
}

/** A provider to create for one interface of a binding. */
export interface BindingProviderSpec {
  /** The provider type of a registered plugin. */
  provider: string;
  /** The plugin's config (validated by the plugin). */
  config: unknown;
  /** The plugin context; `bindingRef` defaults to the binding's name. */
  context?: PluginContext | undefined;
  /**
   * The provider's own scope for this repository (a Buildkite `org/pipeline`, a Jira
   * project key). Default: the binding's scope.
   */
  scope?: string | undefined;
  /** Who owns the objects of this interface; must be one the manifest lists, when it lists any. */
  ownership?: OwnershipMode | undefined;
}

/** A ready instance, or a provider to create. */
export type BindingTarget = ProviderInstance | BindingProviderSpec;

/** Which provider serves which interface of one repository or org scope. */
export interface BindingSpec {
  /** The binding's name (`bindingRef` in envelopes). Default: the scope. */
  name?: string | undefined;
  /** The repository or org scope the binding is for (`a5c-ai/krate`). */
  scope: string;
  issueTracking?: BindingTarget | undefined;
  cicd?: BindingTarget | undefined;
  gitForge?: BindingTarget | undefined;
  sharingPolicy?: {
    /**
     * Allow a target whose scope is in another org than the binding's (first path
     * segment). Default false: cross-org bindings are rejected.
     */
    allowCrossOrg?: boolean | undefined;
  } | undefined;
}

/** The providers of one binding, one per bound interface. */
export interface ProviderBinding {
  readonly name: string;
  readonly scope: string;
  readonly issueTracking?: IssueTrackingProvider;
  readonly cicd?: CicdProvider;
  readonly gitForge?: GitForgeProvider;
  /** The instance serving an interface, if bound. */
  instanceFor(iface: InterfaceName): ProviderInstance | undefined;
  /** The provider's own scope for an interface, if bound. */
  scopeFor(iface: InterfaceName): string | undefined;
  /** The ownership mode set for an interface, if any. */
  ownershipFor(iface: InterfaceName): OwnershipMode | undefined;
}

/** Holds the plugins a host knows of; creates instances and bindings from them. */
export interface ProviderRegistry {
  /** Adds a plugin. A second plugin with the same provider type is an `invalid_config` error. */
  register(plugin: ProviderPlugin<any>): void;
  get(providerType: string): ProviderPlugin<any> | undefined;
  /** Plugins in registration order. */
  list(): ProviderPlugin<any>[];
  /** Creates an instance; an unknown provider type is an `invalid_config` error listing the registered ones. */
  create(providerType: string, config: unknown, context?: PluginContext): ProviderInstance;
  /** The plugins whose manifests meet a requirement, in registration order. */
  select(requirement: ProviderRequirement): ProviderPlugin<any>[];
  /** Puts providers behind the interfaces of one scope, checking manifests and org boundaries. */
  bind(binding: BindingSpec): ProviderBinding;
}

const BINDING_KEYS = new Set(['name', 'scope', 'issueTracking', 'cicd', 'gitForge', 'sharingPolicy']);

function isProviderInstance(value: unknown): value is ProviderInstance {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ProviderInstance>;
  return typeof v.providerType === 'string' && typeof v.manifest === 'object' && typeof v.supports === 'function';
}

/** The org (owner, group, Buildkite org) of a scope: its first path segment, lower-cased. */
function orgOf(scope: string): string {
  return (scope.split('/')[0] ?? '').trim().toLowerCase();
}

/** Creates a registry, optionally with plugins. */
export function createRegistry(plugins: ProviderPlugin<any>[] = []): ProviderRegistry {
  const byType = new Map<string, ProviderPlugin<any>>();

  const registry: ProviderRegistry = {
    register(plugin) {
      if (!isProviderPlugin(plugin)) {
        throw new InvalidConfigError({ message: 'register() takes a plugin made by definePlugin()' });
      }
      if (byType.has(plugin.providerType)) {
        throw new InvalidConfigError({
          provider: plugin.providerType,
          message: `a provider plugin of type "${plugin.providerType}" is already registered`,
        });
      }
      byType.set(plugin.providerType, plugin);
    },

    get(providerType) {
      return byType.get(providerType);
    },

    list() {
      return [...byType.values()];
    },

    create(providerType, config, context) {
      const plugin = byType.get(providerType);
      if (!plugin) {
        const known = [...byType.keys()];
        throw new InvalidConfigError({
          message: `unknown provider type "${providerType}"; ${known.length ? `registered: ${known.join(', ')}` : 'no provider plugins are registered'}`,
          hint: 'register the provider package\'s plugin (its default export) with the registry',
        });
      }
      return plugin.create(config, context);
    },

    select(requirement) {
      const { interface: iface, operations = [], webhooks = [], authMode } = requirement;
      return [...byType.values()].filter((plugin) => {
        const manifest = plugin.manifest;
        if (!isInterfaceSupported(manifest, iface)) return false;
        const declared = new Set(declaredOperations(manifest, iface).map((o) => o.operation));
        if (!operations.every((op) => declared.has(op))) return false;
        const events = new Set(declaredWebhooks(manifest, iface));
        if (!webhooks.every((event) => events.has(event))) return false;
        if (authMode !== undefined && !manifest.spec.authModes.includes(authMode)) return false;
        return true;
      });
    },

    bind(spec) {
      if (typeof spec !== 'object' || spec === null) throw new InvalidConfigError({ message: 'a binding must be an object' });
      const unknownKeys = Object.keys(spec).filter((key) => !BINDING_KEYS.has(key));
      if (unknownKeys.length) {
        throw new InvalidConfigError({
          message: `binding has unknown setting(s) ${unknownKeys.map((k) => `"${k}"`).join(', ')}; expected ${[...BINDING_KEYS].join(', ')}`,
        });
      }
      if (typeof spec.scope !== 'string' || spec.scope.trim() === '') {
        throw new InvalidConfigError({ message: 'binding needs a non-empty "scope" (the repository or org it is for)' });
      }
      const scope = spec.scope.trim();
      const name = spec.name ?? scope;
      const allowCrossOrg = spec.sharingPolicy?.allowCrossOrg === true;
      const bound = new Map<InterfaceName, { instance: ProviderInstance; scope: string; ownership: OwnershipMode | undefined }>();

      for (const iface of INTERFACE_NAMES) {
        const target = spec[iface];
        if (target === undefined) continue;
        const where = `binding "${name}" ${iface}`;
        let instance: ProviderInstance;
        let targetScope = scope;
        let ownership: OwnershipMode | undefined;
        if (isProviderInstance(target)) {
          instance = target;
        } else if (typeof target === 'object' && target !== null && typeof (target as BindingProviderSpec).provider === 'string') {
          const t = target as BindingProviderSpec;
          if (t.scope !== undefined) {
            if (typeof t.scope !== 'string' || t.scope.trim() === '') {
              throw new InvalidConfigError({ message: `${where}: "scope" must be a non-empty string` });
            }
            targetScope = t.scope.trim();
          }
          if (t.ownership !== undefined) {
            const parsed = OwnershipModeSchema.safeParse(t.ownership);
            if (!parsed.success) {
              throw new InvalidConfigError({
                message: `${where}: unknown ownership "${String(t.ownership)}"; expected one of ${OwnershipModeSchema.options.join(', ')}`,
              });
            }
            ownership = parsed.data;
          }
          const plugin = byType.get(t.provider);
          if (plugin && !isInterfaceSupported(plugin.manifest, iface)) {
            throw unsupported(where, t.provider, plugin.manifest.spec.interfaces);
          }
          instance = registry.create(t.provider, t.config, { ...t.context, bindingRef: t.context?.bindingRef ?? name });
        } else {
          throw new InvalidConfigError({
            message: `${where}: expected a provider instance or { provider, config }`,
          });
        }
        if (!instance.supports(iface)) throw unsupported(where, instance.providerType, instance.manifest.spec.interfaces);
        if (ownership !== undefined) {
          const modes = instance.manifest.spec.interfaces[iface]?.ownershipModes;
          if (modes && !modes.includes(ownership)) {
            throw new InvalidConfigError({
              provider: instance.providerType,
              message: `${where}: ownership "${ownership}" is not one the manifest allows (${modes.join(', ')})`,
            });
          }
        }
        if (!allowCrossOrg && orgOf(targetScope) !== orgOf(scope)) {
          throw new InvalidConfigError({
            provider: instance.providerType,
            message:
              `${where}: scope "${targetScope}" is in org "${orgOf(targetScope)}", not in the binding's org "${orgOf(scope)}"; ` +
              'cross-org bindings are rejected unless the binding sets sharingPolicy: { allowCrossOrg: true } ' +
              '(for example a CI provider such as Buildkite with its own org slug)',
          });
        }
        bound.set(iface, { instance, scope: targetScope, ownership });
      }

      if (bound.size === 0) {
        throw new InvalidConfigError({ message: `binding "${name}" binds no interface; set issueTracking, cicd or gitForge` });
      }

      const binding: Record<string, unknown> = {
        name,
        scope,
        instanceFor: (iface: InterfaceName) => bound.get(iface)?.instance,
        scopeFor: (iface: InterfaceName) => bound.get(iface)?.scope,
        ownershipFor: (iface: InterfaceName) => bound.get(iface)?.ownership,
      };
      for (const [iface, entry] of bound) binding[iface] = entry.instance[iface];
      return Object.freeze(binding) as unknown as ProviderBinding;
    },
  };

  for (const plugin of plugins) registry.register(plugin);
  return registry;
}

function unsupported(where: string, provider: string, interfaces: Partial<Record<InterfaceName, { supported: boolean } | undefined>>): ProviderError {
  const supported = INTERFACE_NAMES.filter((i) => interfaces[i]?.supported);
  return new InvalidConfigError({
    provider,
    message: `${where}: provider "${provider}" does not implement this interface (its manifest declares: ${supported.join(', ') || 'none'})`,
  });
}
