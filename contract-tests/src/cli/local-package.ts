import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface PackageJsonLike {
  name?: string;
  keywords?: unknown;
  scripts?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJsonLike | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJsonLike;
  } catch {
    return undefined;
  }
}

/** Package names of provider packages: `@krate/provider-x`, `krate-provider-x`, `@scope/krate-provider-x`. */
const PROVIDER_NAME = /^(?:@krate\/provider-|(?:@[^/]+\/)?krate-provider-)[a-z0-9]/;

/**
 * Whether the folder's package.json describes a provider package, by its name
 * (`@krate/provider-*`, `krate-provider-*`, `@scope/krate-provider-*`) or the
 * `krate-provider` keyword. `krate-contract run` with no argument runs that package.
 */
export function isProviderPackageDir(dir: string): boolean {
  const pkg = readPackageJson(dir);
  if (!pkg) return false;
  const keywords = Array.isArray(pkg.keywords) ? pkg.keywords : [];
  return (typeof pkg.name === 'string' && PROVIDER_NAME.test(pkg.name)) || keywords.includes('krate-provider');
}

/**
 * The package manager a project uses, from the nearest lockfile at or above `dir`; a
 * pnpm-workspace.yaml without any lockfile means pnpm; npm when there is neither.
 */
export function packageManagerOf(dir: string): 'npm' | 'pnpm' | 'yarn' | 'bun' {
  let pnpmWorkspace = false;
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'package-lock.json'))) return 'npm';
    if (existsSync(join(current, 'pnpm-lock.yaml'))) return 'pnpm';
    if (existsSync(join(current, 'yarn.lock'))) return 'yarn';
    if (existsSync(join(current, 'bun.lock')) || existsSync(join(current, 'bun.lockb'))) return 'bun';
    pnpmWorkspace ||= existsSync(join(current, 'pnpm-workspace.yaml'));
    if (dirname(current) === current) return pnpmWorkspace ? 'pnpm' : 'npm';
  }
}

/** The command that builds the package in `dir`, in the words of its package manager. */
export function buildCommand(dir: string): string {
  const hasScript = typeof readPackageJson(dir)?.scripts?.build === 'string';
  if (!hasScript) return 'build it so that its entry files exist';
  const pm = packageManagerOf(dir);
  return `run \`${pm === 'npm' ? 'npm run build' : pm === 'bun' ? 'bun run build' : `${pm} build`}\``;
}
