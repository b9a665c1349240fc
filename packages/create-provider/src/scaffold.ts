import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a scaffold is made from. */
export interface ScaffoldOptions {
  /**
   * The provider's name: `acme` or a package name (`krate-provider-acme`,
   * `@acme/krate-provider-tracker`). The provider type is the last word of it.
   */
  name: string;
  /** The folder to write into (default: `./<package folder name>`). Must be empty or absent. */
  directory?: string;
  /** Human-readable vendor name for docs (default: the provider type, capitalised). */
  displayName?: string;
  /**
   * Dependency ranges to write instead of the built-in ones, keyed by package name
   * (default: {@link TEMPLATE_VERSIONS}).
   */
  versions?: Record<string, string>;
}

export interface ScaffoldResult {
  directory: string;
  packageName: string;
  providerType: string;
  files: string[];
  /**
   * The pnpm workspace the package was written into, when there is one above it. The
   * scaffold then leaves out its own pnpm-workspace.yaml (which holds `allowBuilds`),
   * since pnpm reads that setting from the workspace root only.
   */
  pnpmWorkspaceRoot?: string;
}

declare const __TEMPLATE_VERSIONS__: Record<string, string>;

/**
 * The ranges the scaffold writes: `@krate/core` and `@krate/contract-tests` at the
 * versions they had when this tool was built (so a new scaffold always installs the
 * release it was published with), the test peers `@krate/contract-tests` asks for,
 * and the tool versions this package is tested with. Baked in at build time from the
 * packages' package.json files.
 */
export const TEMPLATE_VERSIONS: Readonly<Record<string, string>> = __TEMPLATE_VERSIONS__;

/** The package managers the scaffold knows the commands of. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/**
 * The package manager that started this process, from the `npm_config_user_agent`
 * every package manager sets for the programs it runs (`pnpm/12.4.2 npm/? node/v20.20.2 ...`).
 * `npm` when it is absent or unknown (the tool was run with `node` directly).
 */
export function detectPackageManager(userAgent: string | undefined): PackageManager {
  const name = /^([a-z]+)\//.exec(userAgent ?? '')?.[1];
  return name === 'pnpm' || name === 'yarn' || name === 'bun' ? name : 'npm';
}

/** How to install, test and run the conformance script of a scaffold with a package manager. */
export function commandsFor(packageManager: PackageManager): { install: string; test: string; conformance: string; add: string } {
  switch (packageManager) {
    case 'pnpm':
      return { install: 'pnpm install', test: 'pnpm test', conformance: 'pnpm conformance', add: 'pnpm add' };
    case 'yarn':
      return { install: 'yarn install', test: 'yarn test', conformance: 'yarn conformance', add: 'yarn add' };
    case 'bun':
      return { install: 'bun install', test: 'bun run test', conformance: 'bun run conformance', add: 'bun add' };
    default:
      return { install: 'npm install', test: 'npm test', conformance: 'npm run conformance', add: 'npm install' };
  }
}

/** The folder holding pnpm-workspace.yaml at or above `dir`, if any. */
export function findPnpmWorkspaceRoot(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, 'pnpm-workspace.yaml'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

const NAME_PATTERN = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** Works out the names a scaffold uses from what the user typed. */
export function deriveNames(name: string): { packageName: string; providerType: string; pascal: string; camel: string } {
  const trimmed = name.trim();
  if (!NAME_PATTERN.test(trimmed)) {
    throw new Error(`"${name}" is not a valid package name: use lower-case letters, digits, dots, dashes (optionally @scope/name)`);
  }
  const base = trimmed.includes('/') ? trimmed.split('/')[1]! : trimmed;
  const providerType = base.replace(/^krate-provider-/, '').replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z][a-z0-9-]*$/.test(providerType)) {
    throw new Error(`cannot derive a provider type from "${name}": it must start with a letter`);
  }
  const packageName = trimmed.includes('/') || trimmed.startsWith('krate-provider-') ? trimmed : `krate-provider-${trimmed}`;
  const pascal = providerType.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  const camel = pascal.charAt(0).toLowerCase() + pascal.slice(1);
  return { packageName, providerType, pascal, camel };
}

/** The folder holding the template files, next to the built CLI or the source. */
export function templateDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'templates', 'default'), join(here, '..', '..', 'templates', 'default')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('template folder not found next to create-krate-provider');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** Writes a provider package from the template. Refuses a non-empty target folder. */
export function scaffold(options: ScaffoldOptions): ScaffoldResult {
  const names = deriveNames(options.name);
  const folderName = names.packageName.split('/').pop()!;
  const directory = resolve(options.directory ?? folderName);
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new Error(`${directory} is not empty; choose another folder`);
  }
  const displayName = options.displayName ?? names.pascal;
  const replacements: Array<[RegExp, string]> = [
    [/__PACKAGE_NAME__/g, names.packageName],
    [/__PROVIDER_TYPE__/g, names.providerType],
    [/__PASCAL__/g, names.pascal],
    [/__CAMEL__/g, names.camel],
    [/__DISPLAY_NAME__/g, displayName],
  ];
  const versions: Record<string, string> = { ...TEMPLATE_VERSIONS, ...options.versions };
  const range = (_: string, name: string) => {
    const value = versions[name];
    if (!value) throw new Error(`the template asks for a version of ${name}, which this build of create-krate-provider does not know`);
    return value;
  };
  const pnpmWorkspaceRoot = findPnpmWorkspaceRoot(dirname(directory));
  const templateDir = templateDirectory();
  const files: string[] = [];
  for (const source of walk(templateDir)) {
    let rel = relative(templateDir, source).replace(/\.tmpl$/, '').replace(/^gitignore$/, '.gitignore');
    if (rel === 'pnpm-workspace.yaml' && pnpmWorkspaceRoot) continue;
    for (const [pattern, value] of replacements) rel = rel.replace(pattern, value);
    let text = readFileSync(source, 'utf8');
    for (const [pattern, value] of replacements) text = text.replace(pattern, value);
    text = text.replace(/__RANGE:([@a-z0-9./-]+)__/g, range);
    const target = join(directory, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    files.push(rel);
  }
  return {
    directory,
    packageName: names.packageName,
    providerType: names.providerType,
    files,
    ...(pnpmWorkspaceRoot ? { pnpmWorkspaceRoot } : {}),
  };
}
