import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isProviderPlugin, type ProviderPlugin } from '@krate/core';
import type { ContractSkips, CreateFake, FakeVariant } from '../kit/types.js';

/** A provider package loaded for the CLI. */
export interface LoadedProvider {
  /** What the user named (package name or path). */
  spec: string;
  /** The package name from its package.json, or the path. */
  name: string;
  plugin: ProviderPlugin;
  /** From `<module>/testing`; absent when the package has no testing entry (enough for `matrix`). */
  createFake?: CreateFake;
  /** `contractSkips` exported by the testing entry. */
  skip?: ContractSkips;
  /** `alternateBaseUrls` exported by the testing entry. */
  alternateBaseUrls?: string[];
  /** `contractVariants` exported by the testing entry (configuration variants beyond the fake's own `variants`). */
  variants?: FakeVariant[];
}

export class ModuleLoadError extends Error {
  /** `not-installed`: the module cannot be resolved at all; `invalid`: it resolves but does not load or lacks an entry. */
  readonly kind: 'not-installed' | 'invalid';
  constructor(message: string, kind: 'not-installed' | 'invalid' = 'invalid') {
    super(message);
    this.name = 'ModuleLoadError';
    this.kind = kind;
  }
}

interface PackageJson {
  name?: string;
  main?: string;
  module?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

function isPathSpec(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || spec.startsWith('~');
}

/** The directory of a package named by name (resolved from `cwd`) or by path. */
export function resolvePackageDir(spec: string, cwd: string): string {
  if (isPathSpec(spec)) {
    const dir = resolve(cwd, spec);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ModuleLoadError(`${spec}: no such directory`, 'not-installed');
    return dir;
  }
  const require = createRequire(join(cwd, 'noop.js'));
  try {
    return dirname(require.resolve(`${spec}/package.json`));
  } catch {
    // package.json is not exported: walk up from the main entry.
  }
  let entry: string;
  try {
    entry = require.resolve(spec);
  } catch {
    throw new ModuleLoadError(`${spec}: cannot be resolved from ${cwd} (is it installed?)`, 'not-installed');
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    if (readPackageJson(dir)?.name === spec) return dir;
  }
  throw new ModuleLoadError(`${spec}: found ${entry} but not its package.json`);
}

function pickConditions(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = pickConditions(t);
      if (found) return found;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    const record = target as Record<string, unknown>;
    for (const condition of ['import', 'node', 'default', 'require']) {
      if (condition in record) {
        const found = pickConditions(record[condition]);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** The file a package subpath (`.` or `./testing`) points at, through `exports` or conventional names. */
export function packageEntry(dir: string, subpath: '.' | './testing'): string | undefined {
  const pkg = readPackageJson(dir);
  let relative: string | undefined;
  if (pkg?.exports !== undefined) {
    const exportsField = pkg.exports;
    const keyed = exportsField && typeof exportsField === 'object' && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith('.'));
    if (keyed) relative = pickConditions((exportsField as Record<string, unknown>)[subpath]);
    else if (subpath === '.') relative = pickConditions(exportsField);
    if (relative) return resolve(dir, relative);
    return undefined;
  }
  const candidates = subpath === '.'
    ? [pkg?.module, pkg?.main, 'index.js', 'dist/index.js'].filter((c): c is string => typeof c === 'string')
    : ['testing.js', 'testing/index.js', 'dist/testing.js', 'dist/testing/index.js'];
  for (const candidate of candidates) {
    const file = resolve(dir, candidate);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

function findPlugin(mod: Record<string, unknown>): ProviderPlugin | undefined {
  const candidates = [mod.default, (mod.default as Record<string, unknown> | undefined)?.default, mod.plugin, ...Object.values(mod)];
  return candidates.find((c) => isProviderPlugin(c)) as ProviderPlugin | undefined;
}

/** Loads a provider package: its plugin (default export) and, when `withTesting`, `createFake` from `<module>/testing`. */
export async function loadProvider(spec: string, cwd: string, options: { withTesting: boolean }): Promise<LoadedProvider> {
  const dir = resolvePackageDir(spec, cwd);
  const name = readPackageJson(dir)?.name ?? spec;
  const main = packageEntry(dir, '.');
  if (!main) throw new ModuleLoadError(`${spec}: the package has no main entry`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(main).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleLoadError(`${spec}: loading ${main} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const plugin = findPlugin(mod);
  if (!plugin) throw new ModuleLoadError(`${spec}: the default export is not a provider plugin (made with definePlugin)`);
  const loaded: LoadedProvider = { spec, name, plugin };
  if (!options.withTesting) return loaded;
  const testingFile = packageEntry(dir, './testing');
  if (!testingFile) throw new ModuleLoadError(`${spec}: the package has no ./testing entry with createFake`);
  let testing: Record<string, unknown>;
  try {
    testing = (await import(pathToFileURL(testingFile).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleLoadError(`${spec}/testing: loading ${testingFile} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const source = (typeof testing.createFake === 'function' ? testing : (testing.default as Record<string, unknown> | undefined)) ?? {};
  if (typeof source.createFake !== 'function') throw new ModuleLoadError(`${spec}/testing does not export createFake`);
  loaded.createFake = source.createFake as CreateFake;
  if (source.contractSkips && typeof source.contractSkips === 'object') loaded.skip = source.contractSkips as ContractSkips;
  if (Array.isArray(source.alternateBaseUrls)) loaded.alternateBaseUrls = source.alternateBaseUrls as string[];
  if (Array.isArray(source.contractVariants)) loaded.variants = source.contractVariants as FakeVariant[];
  return loaded;
}

/**
 * The provider packages of the workspace `cwd` lies in: every `packages/provider-*` folder
 * with a package.json, below the nearest folder holding `pnpm-workspace.yaml` (walking up).
 * Given as paths, so they load without being installed at the root. Empty outside a workspace.
 */
export function workspaceProviderModules(cwd: string): string[] {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) {
      const packagesDir = join(dir, 'packages');
      if (!existsSync(packagesDir)) return [];
      return readdirSync(packagesDir)
        .filter((entry) => entry.startsWith('provider-') && existsSync(join(packagesDir, entry, 'package.json')))
        .sort()
        .map((entry) => join(packagesDir, entry));
    }
    if (dir === dirname(dir)) return [];
  }
}

/** The workspace's provider packages, then every `@krate/provider-*` the cwd's package.json depends on. */
export function defaultProviderModules(cwd: string): string[] {
  const pkg = readPackageJson(cwd);
  const listed = Object.keys({ ...(pkg?.dependencies ?? {}), ...(pkg?.devDependencies ?? {}) }).filter((n) => n.startsWith('@krate/provider-'));
  const workspace = workspaceProviderModules(cwd);
  const workspaceNames = new Set(workspace.map((dir) => readPackageJson(dir)?.name));
  return [...new Set([...workspace, ...listed.filter((name) => !workspaceNames.has(name))])];
}
