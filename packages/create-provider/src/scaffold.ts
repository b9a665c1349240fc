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
  /** Version ranges written for the Krate packages (default: the version of this tool's release line). */
  krateVersion?: string;
}

export interface ScaffoldResult {
  directory: string;
  packageName: string;
  providerType: string;
  files: string[];
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
    [/__KRATE_VERSION__/g, options.krateVersion ?? '^0.1.0'],
  ];
  const templateDir = templateDirectory();
  const files: string[] = [];
  for (const source of walk(templateDir)) {
    let rel = relative(templateDir, source).replace(/\.tmpl$/, '').replace(/^gitignore$/, '.gitignore');
    for (const [pattern, value] of replacements) rel = rel.replace(pattern, value);
    let text = readFileSync(source, 'utf8');
    for (const [pattern, value] of replacements) text = text.replace(pattern, value);
    const target = join(directory, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    files.push(rel);
  }
  return { directory, packageName: names.packageName, providerType: names.providerType, files };
}
