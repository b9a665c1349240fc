import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as core from '@krate/core';
import { buildManifestMatrix, buildMatrix, hasFailures } from '../report/matrix.js';
import { renderMatrixJson, renderMatrixMarkdown, renderMatrixText } from '../report/render.js';
import { runContractSuite } from '../suite/run.js';
import type { ContractReport, RunContractSuiteOptions } from '../suite/types.js';
import { ModuleLoadError, defaultProviderModules, loadProvider, type LoadedProvider } from './load-provider.js';
import { isProviderPackageDir } from './local-package.js';
import { ManifestModuleError, MODULE_MANIFEST, TEXT_MANIFEST, readManifestFile, validateManifestFile } from './manifest-file.js';
import { FamilyProgress, providerSummary } from './progress.js';


export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color: boolean;
  /**
   * Whether the output is a terminal: `run` then prints a progress line per provider and case
   * family (to stderr); otherwise it prints only each provider's summary and the matrix.
   */
  interactive?: boolean;
  /** Progress lines on a terminal (default: stderr). */
  progress?: (text: string) => void;
  /**
   * The providers `run` and `matrix` use without modules (default: the package in the current
   * folder when its package.json names a provider, else the workspace's provider packages plus @krate/provider-* of ./package.json).
   */
  defaultModules?: string[];
}

export const USAGE = `Usage: krate-contract <command> [options]

Commands:
  run [module...]              Run the contract suite against provider packages and print the
                               conformance matrix. A module is a package name or a path, resolved
                               from the current directory; its default export is the plugin and
                               <module>/testing exports createFake. The package's build (dist) is
                               loaded, so build it first. Without modules: the package in the
                               current directory when its package.json names a provider
                               (krate-provider-*, @krate/provider-* or the keyword krate-provider),
                               else every packages/provider-* of the pnpm workspace the current
                               directory is in and any @krate/provider-* in ./package.json.
  matrix [module|file...]      The capability matrix from manifests alone (nothing is run). A file
                               ending in .yaml, .yml, .json, .js or .ts is read as a manifest.
  manifest validate <file...>  Check capability manifest files and list every problem: YAML or
                               JSON, or a JavaScript or TypeScript module that exports the
                               manifest (default export, a single named one, or a plugin's).

Options:
  --json [file.json]   Write the reports and matrix as JSON (to stdout without a file).
  --markdown <file>    Write the matrix as Markdown.
  --only <prefix>      run: only cases whose id starts with the prefix (repeatable).
  --no-color           Plain output.
  -h, --help           This help.

Exit codes: 0 all passed, 1 a case failed or a manifest is invalid, 2 usage or loading error.
`;

class UsageError extends Error {}

interface ParsedArgs {
  command: string[];
  positionals: string[];
  json?: string | true;
  markdown?: string;
  only: string[];
  color?: boolean;
  help: boolean;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = { command: [], positionals: [], only: [], help: false };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (name: string) => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('-')) throw new UsageError(`${name} needs a value`);
      i++;
      return next;
    };
    switch (flag) {
      case '-h':
      case '--help':
        out.help = true;
        break;
      case '--json': {
        if (inline !== undefined) out.json = inline;
        else if (argv[i + 1]?.endsWith('.json')) out.json = argv[++i]!;
        else out.json = true;
        break;
      }
      case '--markdown':
      case '--md':
        out.markdown = value('--markdown');
        break;
      case '--only':
        out.only.push(value('--only'));
        break;
      case '--no-color':
        out.color = false;
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        words.push(arg);
    }
  }
  const [first, second, ...rest] = words;
  if (first === 'manifest') {
    out.command = ['manifest', second ?? ''];
    out.positionals = rest;
  } else {
    out.command = first ? [first] : [];
    out.positionals = second !== undefined ? [second, ...rest] : [];
  }
  return out;
}

function writeOutputs(args: ParsedArgs, io: CliIo, json: () => string, markdown: () => string): boolean {
  let wroteJsonToStdout = false;
  if (args.json === true) {
    io.stdout(json());
    wroteJsonToStdout = true;
  } else if (typeof args.json === 'string') {
    writeFileSync(resolve(io.cwd, args.json), json());
    io.stderr(`wrote ${args.json}\n`);
  }
  if (args.markdown) {
    writeFileSync(resolve(io.cwd, args.markdown), markdown());
    io.stderr(`wrote ${args.markdown}\n`);
  }
  return wroteJsonToStdout;
}

async function loadAll(specs: string[], io: CliIo, withTesting: boolean): Promise<LoadedProvider[]> {
  // The package in the current folder is named as surely as a module given on the command line.
  const local = specs.length === 0 && !io.defaultModules && isProviderPackageDir(io.cwd);
  const explicit = specs.length > 0 || local;
  const modules = specs.length > 0 ? specs : local ? ['.'] : (io.defaultModules ?? defaultProviderModules(io.cwd));
  const loaded: LoadedProvider[] = [];
  for (const spec of modules) {
    try {
      loaded.push(await loadProvider(spec, io.cwd, { withTesting }));
    } catch (error) {
      // A default provider that is not installed is left out; one that is installed but broken is an error.
      if (explicit || !(error instanceof ModuleLoadError) || error.kind !== 'not-installed') throw error;
      io.stderr(`skipping ${spec}: ${error.message}\n`);
    }
  }
  if (loaded.length === 0) throw new ModuleLoadError(`no provider package could be loaded from ${io.cwd}; name one: krate-contract run <package-or-path>`);
  return loaded;
}

async function commandRun(args: ParsedArgs, io: CliIo): Promise<number> {
  const providers = await loadAll(args.positionals, io, true);
  const summaries = args.json === true ? io.stderr : io.stdout;
  const reports: ContractReport[] = [];
  for (const provider of providers) {
    const started = Date.now();
    const label = `${provider.plugin.providerType} (${provider.name})`;
    const progress = io.interactive ? new FamilyProgress(label, { write: io.progress ?? io.stderr, color: io.color }) : undefined;
    const report = await runContractSuite({
      plugin: provider.plugin,
      createFake: provider.createFake!,
      module: provider.name,
      ...(provider.skip ? { skip: provider.skip } : {}),
      ...(provider.alternateBaseUrls ? { alternateBaseUrls: provider.alternateBaseUrls } : {}),
      ...(provider.variants ? { variants: provider.variants } : {}),
      ...(args.only.length ? { only: args.only } : {}),
      ...((provider.options ?? {}) as Partial<RunContractSuiteOptions>),
      onResult(result) {
        progress?.add(result);
      },
    });
    progress?.flush();
    summaries(providerSummary(label, report.results, Date.now() - started));
    reports.push(report);
  }
  const matrix = buildMatrix(reports);
  const toStdout = writeOutputs(args, io, () => renderMatrixJson(matrix, reports), () => renderMatrixMarkdown(matrix, { title: 'Provider conformance' }));
  if (!toStdout) io.stdout(`\n${renderMatrixText(matrix, { color: io.color })}`);
  return hasFailures(reports) ? 1 : 0;
}

async function commandMatrix(args: ParsedArgs, io: CliIo): Promise<number> {
  const manifests: core.CapabilityManifest[] = [];
  const modules: string[] = [];
  for (const spec of args.positionals) {
    const file = resolve(io.cwd, spec);
    if ((TEXT_MANIFEST.test(spec) || MODULE_MANIFEST.test(spec)) && existsSync(file) && statSync(file).isFile()) manifests.push(await readManifestFile(file));
    else modules.push(spec);
  }
  if (modules.length > 0 || manifests.length === 0) {
    for (const provider of await loadAll(modules, io, false)) manifests.push(provider.plugin.manifest);
  }
  const matrix = buildManifestMatrix(manifests);
  const toStdout = writeOutputs(args, io, () => renderMatrixJson(matrix), () => renderMatrixMarkdown(matrix, { title: 'Provider capabilities' }));
  if (!toStdout) io.stdout(renderMatrixText(matrix, { color: io.color }));
  return 0;
}

async function commandManifestValidate(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length === 0) throw new UsageError('manifest validate needs a file');
  let failed = false;
  for (const file of args.positionals) {
    const path = resolve(io.cwd, file);
    if (!existsSync(path)) throw new UsageError(`${file}: no such file`);
    const diagnostics = await validateManifestFile(path);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    for (const d of diagnostics) {
      const where = d.line !== undefined ? `${file}:${d.line}:${d.column ?? 1}` : file;
      io.stdout(`${where}: ${d.severity}: ${d.path}: ${d.message}${d.suggestion ? ` (${d.suggestion})` : ''}\n`);
    }
    if (errors.length) {
      failed = true;
      io.stdout(`${file}: invalid (${errors.length} error${errors.length === 1 ? '' : 's'}, ${diagnostics.length - errors.length} warning${diagnostics.length - errors.length === 1 ? '' : 's'})\n`);
    } else {
      io.stdout(`${file}: valid${diagnostics.length ? ` (${diagnostics.length} warning${diagnostics.length === 1 ? '' : 's'})` : ''}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.stderr(`krate-contract: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.color === false) io = { ...io, color: false };
  if (args.help || args.command.length === 0) {
    (args.help ? io.stdout : io.stderr)(USAGE);
    return args.help ? 0 : 2;
  }
  try {
    const [command, sub] = args.command;
    if (command === 'run') return await commandRun(args, io);
    if (command === 'matrix') return await commandMatrix(args, io);
    if (command === 'manifest' && sub === 'validate') return await commandManifestValidate(args, io);
    throw new UsageError(`unknown command "${args.command.join(' ').trim()}"`);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ModuleLoadError || error instanceof ManifestModuleError) {
      io.stderr(`krate-contract: ${error.message}\n${error instanceof UsageError ? `\n${USAGE}` : ''}`);
      return 2;
    }
    throw error;
  }
}
