import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as core from '@krate/core';

/** One problem of a manifest, as `manifest validate` prints it. */
export interface ManifestProblem {
  path: string;
  message: string;
  suggestion?: string;
  severity: 'error' | 'warning';
  line?: number;
  column?: number;
}

/** Files read as manifest text; everything else with a module extension is imported. */
export const TEXT_MANIFEST = /\.(ya?ml|json)$/i;
export const MODULE_MANIFEST = /\.(m|c)?(j|t)sx?$/i;

/** Every problem of manifest text: the core's diagnostics where available, else parseManifest's error. */
export function validateManifestText(text: string): ManifestProblem[] {
  const diagnose = (core as Record<string, unknown>).diagnoseManifestText as ((t: string) => { diagnostics: ManifestProblem[] }) | undefined;
  if (typeof diagnose === 'function') return diagnose(text).diagnostics;
  try {
    core.parseManifest(text);
    return [];
  } catch (error) {
    return [{ path: '(root)', severity: 'error', message: error instanceof Error ? error.message : String(error) }];
  }
}

/** Every problem of a manifest value (an object exported by a module). */
export function validateManifestValue(value: unknown): ManifestProblem[] {
  const diagnose = (core as Record<string, unknown>).diagnoseManifest as ((v: unknown) => ManifestProblem[]) | undefined;
  if (typeof diagnose === 'function') return diagnose(value);
  try {
    core.validateManifest(value);
    return [];
  } catch (error) {
    return [{ path: '(root)', severity: 'error', message: error instanceof Error ? error.message : String(error) }];
  }
}

/** A module that could not be read as a manifest: the message says why and what to do. */
export class ManifestModuleError extends Error {
  override name = 'ManifestModuleError';
}

function looksLikeManifest(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return record.kind === 'ExternalProviderCapabilityManifest' || (typeof record.apiVersion === 'string' && 'spec' in record);
}

/**
 * The manifest a module exports: its default export, else the one named export that is
 * a manifest, else the manifest of the provider plugin it exports.
 */
export function manifestExportOf(mod: Record<string, unknown>, file: string): unknown {
  if (looksLikeManifest(mod.default)) return mod.default;
  const named = Object.entries(mod).filter(([key, value]) => key !== 'default' && looksLikeManifest(value));
  if (named.length === 1) return named[0]![1];
  if (named.length > 1) throw new ManifestModuleError(`${file} exports several manifests (${named.map(([k]) => k).join(', ')}); export one as default`);
  const plugin = [mod.default, ...Object.values(mod)].find((v) => core.isProviderPlugin(v)) as { manifest?: unknown } | undefined;
  if (plugin?.manifest) return plugin.manifest;
  throw new ManifestModuleError(`${file} exports no capability manifest (an object with apiVersion, kind and spec, or a plugin)`);
}

/** TypeScript's transpiler from the project that holds the file (it is not a dependency of this package). */
function typescriptFor(file: string): { transpileModule: (text: string, options: object) => { outputText: string }; ModuleKind: Record<string, number>; ScriptTarget: Record<string, number> } {
  try {
    return createRequire(file)('typescript');
  } catch {
    throw new ManifestModuleError(`${basename(file)}: reading a TypeScript manifest needs the "typescript" package in the project; install it, or validate the built JavaScript file`);
  }
}

/**
 * Imports a JavaScript or TypeScript module holding a manifest. A TypeScript file is
 * transpiled (types removed, nothing checked) to a temporary module beside it, so that
 * its imports resolve as they do for the file itself, and removed afterwards.
 */
export async function importManifestModule(file: string): Promise<Record<string, unknown>> {
  const ext = extname(file).toLowerCase();
  let target = file;
  let temporary: string | undefined;
  if (ext.includes('t')) {
    const ts = typescriptFor(file);
    const out = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ext === '.cts' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
    });
    temporary = join(dirname(file), `.${basename(file, ext)}.krate-contract-${randomBytes(4).toString('hex')}${ext === '.cts' ? '.cjs' : '.mjs'}`);
    writeFileSync(temporary, out.outputText);
    target = temporary;
  }
  try {
    return (await import(pathToFileURL(target).href)) as Record<string, unknown>;
  } finally {
    if (temporary) rmSync(temporary, { force: true });
  }
}

/**
 * Every problem of the manifest in a file: YAML or JSON text, or a JavaScript or
 * TypeScript module exporting it (a manifest that `defineManifest` rejects while the
 * module loads is reported with the same diagnostics).
 */
export async function validateManifestFile(file: string): Promise<ManifestProblem[]> {
  if (!MODULE_MANIFEST.test(file)) return validateManifestText(readFileSync(file, 'utf8'));
  let mod: Record<string, unknown>;
  try {
    mod = await importManifestModule(file);
  } catch (error) {
    const diagnostics = core.manifestDiagnosticsOf?.(error);
    if (diagnostics) return diagnostics as ManifestProblem[];
    if (error instanceof ManifestModuleError) throw error;
    throw new ManifestModuleError(`${basename(file)}: loading the module failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return validateManifestValue(manifestExportOf(mod, basename(file)));
}

/** The manifest in a file, parsed; throws with every problem when it is invalid. */
export async function readManifestFile(file: string): Promise<core.CapabilityManifest> {
  if (!MODULE_MANIFEST.test(file)) return core.parseManifest(readFileSync(file, 'utf8'));
  return core.validateManifest(manifestExportOf(await importManifestModule(file), basename(file)));
}
