import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidConfigError } from './errors.js';
import { isProviderPlugin, type ProviderPlugin } from './plugin.js';

export interface LoadPluginOptions {
  /**
   * Where to resolve the specifier from: a directory, a file in it, or a `file:` URL
   * (`import.meta.url`). Default `process.cwd()`.
   */
  from?: string | URL | undefined;
}

/** Export conditions used to pick a package's entry: the ESM build first. */
const CONDITIONS = ['node', 'import', 'module-sync', 'default'];

function toPath(value: string | URL): string {
  if (value instanceof URL) return fileURLToPath(value);
  return value.startsWith('file:') ? fileURLToPath(value) : value;
}

function baseDirOf(from: string | URL | undefined): string {
  const path = resolve(toPath(from ?? process.cwd()));
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    // Not there (yet): a name with an extension is taken as a file, anything else as a directory.
    return extname(path) ? dirname(path) : path;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readPackageJson(dir: string, specifier: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidConfigError({ message: `provider package "${specifier}" has an unreadable package.json`, cause: error });
  }
}

/** Resolves an `exports` target for the given conditions (strings, arrays, condition objects). */
function resolveTarget(target: unknown, wildcard: string | undefined): string | undefined {
  if (typeof target === 'string') return wildcard === undefined ? target : target.split('*').join(wildcard);
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = resolveTarget(item, wildcard);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!CONDITIONS.includes(condition)) continue;
      const found = resolveTarget(value, wildcard);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function resolveExports(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap =
    typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  const map = (isSubpathMap ? exports : { '.': exports }) as Record<string, unknown>;
  if (Object.hasOwn(map, subpath)) return resolveTarget(map[subpath], undefined);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      return resolveTarget(value, subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return undefined;
}

/** The file a package directory's entry (or subpath) points at. */
function packageEntry(pkgDir: string, subpath: string, specifier: string): string {
  const pkg = readPackageJson(pkgDir, specifier);
  if (pkg.exports !== undefined) {
    const target = resolveExports(pkg.exports, subpath);
    if (target === undefined) {
      throw new InvalidConfigError({ message: `provider package "${specifier}" does not export "${subpath}" for import` });
    }
    const file = resolve(pkgDir, target);
    if (!isFile(file)) {
      throw new InvalidConfigError({ message: `provider package "${specifier}" exports "${target}", which does not exist (is it built?)` });
    }
    return file;
  }
  const requireFrom = createRequire(join(pkgDir, 'package.json'));
  try {
    return requireFrom.resolve(subpath === '.' ? pkgDir : join(pkgDir, subpath));
  } catch (error) {
    throw new InvalidConfigError({ message: `provider package "${specifier}" has no entry file (is it built?)`, cause: error });
  }
}

function missing(specifier: string, baseDir: string, name?: string): never {
  const install = name ? ` (install it with: npm install ${name}, or pnpm add ${name})` : '';
  throw new InvalidConfigError({ message: `cannot find provider package "${specifier}" from ${baseDir}${install}` });
}

function resolvePathSpecifier(specifier: string, baseDir: string): string {
  const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolve(baseDir, specifier);
  if (isFile(path)) return path;
  if (isFile(join(path, 'package.json'))) return packageEntry(path, '.', specifier);
  for (const candidate of [`${path}.js`, `${path}.mjs`, `${path}.cjs`, join(path, 'index.js'), join(path, 'index.mjs'), join(path, 'index.cjs')]) {
    if (isFile(candidate)) return candidate;
  }
  return missing(specifier, baseDir);
}

function resolveBareSpecifier(specifier: string, baseDir: string): string {
  const match = /^((?:@[^/]+\/)?[^/@][^/]*)(\/.*)?$/.exec(specifier);
  if (!match?.[1]) throw new InvalidConfigError({ message: `"${specifier}" is not a package name or a path` });
  const name = match[1];
  const subpath = match[2] ? `.${match[2]}` : '.';
  for (let dir = baseDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return packageEntry(candidate, subpath, specifier);
    if (dirname(dir) === dir) break;
  }
  // NODE_PATH, Plug'n'Play and other layouts: ask Node.
  try {
    return createRequire(join(baseDir, 'noop.js')).resolve(specifier);
  } catch {
    return missing(specifier, baseDir, name);
  }
}

/** What a module exports, for an error message. */
function describeExports(mod: Record<string, unknown>): string {
  const names = Object.keys(mod).map((key) => {
    const value = mod[key];
    return `${key} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
  });
  return names.length ? names.join(', ') : 'nothing';
}

/**
 * Loads a provider plugin from a package name or a path: resolves it from `from`
 * (default the working directory, the ESM entry first), imports it and returns its
 * default export or its `plugin` export.
 *
 * A package that cannot be found, or a module without a plugin, is an
 * `InvalidConfigError` that says what to do.
 *
 * @example
 * const plugin = await loadPlugin('@krate/provider-github');
 * registry.register(plugin);
 */
export async function loadPlugin(specifier: string, options: LoadPluginOptions = {}): Promise<ProviderPlugin> {
  if (typeof specifier !== 'string' || specifier.trim() === '') {
    throw new InvalidConfigError({ message: 'loadPlugin needs a package name or a path' });
  }
  const baseDir = baseDirOf(options.from);
  const isPath = specifier.startsWith('.') || specifier.startsWith('file:') || isAbsolute(specifier);
  const file = isPath ? resolvePathSpecifier(specifier, baseDir) : resolveBareSpecifier(specifier, baseDir);
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    real = file;
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(real).href)) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidConfigError({
      message: `provider package "${specifier}" failed to load: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  const fallback = mod.default as Record<string, unknown> | undefined;
  const candidates = [mod.default, mod.plugin];
  if (typeof fallback === 'object' && fallback !== null) candidates.push(fallback.default, fallback.plugin);
  const plugin = candidates.find((candidate) => isProviderPlugin(candidate));
  if (!plugin) {
    throw new InvalidConfigError({
      message:
        `module "${specifier}" does not export a provider plugin (it exports: ${describeExports(mod)}); ` +
        'export the plugin made by definePlugin() as the default export or as "plugin"',
    });
  }
  return plugin as ProviderPlugin;
}
