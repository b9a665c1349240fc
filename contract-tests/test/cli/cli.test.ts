import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, parseArgs } from '../../src/cli/main.js';
import { defaultProviderModules, packageEntry, resolvePackageDir } from '../../src/cli/load-provider.js';
import { buildReferencePackage } from './build-reference.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifests = join(root, 'test/fixtures/manifests');

function capture(cwd = root) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { cwd, color: false, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
}

describe('parseArgs', () => {
  it('reads commands, modules and options', () => {
    expect(parseArgs(['run', 'a', './b', '--json', 'out.json', '--markdown', 'm.md', '--only', 'cicd.'])).toMatchObject({
      command: ['run'], positionals: ['a', './b'], json: 'out.json', markdown: 'm.md', only: ['cicd.'],
    });
    expect(parseArgs(['run', '--json', 'pkg'])).toMatchObject({ positionals: ['pkg'], json: true });
    expect(parseArgs(['manifest', 'validate', 'x.yaml'])).toMatchObject({ command: ['manifest', 'validate'], positionals: ['x.yaml'] });
    expect(() => parseArgs(['run', '--markdown'])).toThrow(/needs a value/);
    expect(() => parseArgs(['run', '--bogus'])).toThrow(/unknown option/);
  });
});

describe('krate-contract manifest validate', () => {
  it('accepts a valid manifest', async () => {
    const { out, io } = capture();
    expect(await main(['manifest', 'validate', join(manifests, 'tracker.yaml')], io)).toBe(0);
    expect(out.stdout).toMatch(/tracker\.yaml: valid/);
  });

  it('lists every problem of an invalid manifest and exits 1', async () => {
    const { out, io } = capture();
    expect(await main(['manifest', 'validate', join(manifests, 'broken.yaml')], io)).toBe(1);
    expect(out.stdout).toMatch(/listIssue/);
    expect(out.stdout).toMatch(/broken\.yaml: invalid \(1 error/);
  });

  it('exits 2 on usage errors', async () => {
    for (const argv of [['manifest', 'validate'], ['manifest', 'validate', 'nope.yaml'], ['frobnicate'], [], ['run', '--bogus']]) {
      const { out, io } = capture();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(out.stderr).toMatch(/Usage: krate-contract/);
    }
  });
});

describe('krate-contract matrix', () => {
  it('prints capabilities from manifest files alone', async () => {
    const { out, io } = capture();
    expect(await main(['matrix', join(manifests, 'tracker.yaml')], io)).toBe(0);
    expect(out.stdout).toMatch(/^issueTracking createIssue\s+yes$/m);
    expect(out.stdout).toMatch(/^issueTracking updateIssue\s+-$/m);
  });
});

describe('module resolution', () => {
  it('lists the @krate/provider-* dependencies of the cwd outside a workspace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'krate-cli-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ devDependencies: { '@krate/provider-jira': '1.0.0', vitest: '4' }, dependencies: { '@krate/provider-github': '1' } }));
    expect(defaultProviderModules(dir)).toEqual(['@krate/provider-github', '@krate/provider-jira']);
  });

  it('lists every packages/provider-* of the workspace the cwd lies in, by path, before the dependencies', () => {
    const root = mkdtempSync(join(tmpdir(), 'krate-cli-ws-'));
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
    for (const name of ['provider-zeta', 'provider-acme', 'core', 'provider-empty']) mkdirSync(join(root, 'packages', name), { recursive: true });
    writeFileSync(join(root, 'packages', 'provider-acme', 'package.json'), JSON.stringify({ name: '@krate/provider-acme' }));
    writeFileSync(join(root, 'packages', 'provider-zeta', 'package.json'), JSON.stringify({ name: '@krate/provider-zeta' }));
    writeFileSync(join(root, 'packages', 'core', 'package.json'), JSON.stringify({ name: '@krate/core' }));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ devDependencies: { '@krate/provider-acme': 'workspace:*', '@krate/provider-jira': '1' } }));
    const nested = join(root, 'packages', 'core');
    expect(defaultProviderModules(root)).toEqual([join(root, 'packages', 'provider-acme'), join(root, 'packages', 'provider-zeta'), '@krate/provider-jira']);
    expect(defaultProviderModules(nested)).toEqual([join(root, 'packages', 'provider-acme'), join(root, 'packages', 'provider-zeta')]);
  });

  it('resolves package names through node resolution and picks the import condition of exports', () => {
    const dir = resolvePackageDir('@krate/core', root);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name).toBe('@krate/core');
    expect(packageEntry(dir, '.')).toBe(join(dir, 'dist/index.js'));
    expect(() => resolvePackageDir('@krate/provider-does-not-exist', root)).toThrow(/cannot be resolved/);
  });
});

describe('krate-contract run', () => {
  let pkg: string;
  beforeAll(async () => {
    pkg = await buildReferencePackage();
  }, 60_000);

  it('runs the suite on a provider package given by path, prints the matrix and writes JSON and Markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krate-cli-run-'));
    const { out, io } = capture(root);
    const json = join(dir, 'report.json');
    const md = join(dir, 'report.md');
    const code = await main(['run', `./${relative(root, pkg)}`, '--only', 'issueTracking.listIssues', '--only', 'webhooks.', '--json', json, '--markdown', md], io);
    expect(out.stderr).not.toMatch(/unexpected/);
    expect(code).toBe(0);
    expect(out.stdout).toMatch(/tracker \(krate-reference-provider\) \.+/);
    expect(out.stdout).toMatch(/^issueTracking listIssues\s+pass$/m);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { reports: Array<{ provider: string; module: string; results: Array<{ id: string; status: string }> }> };
    expect(parsed.reports[0]).toMatchObject({ provider: 'tracker', module: 'krate-reference-provider' });
    expect(parsed.reports[0]!.results.find((r) => r.id === 'webhooks.signature.stale')?.status).toBe('pass');
    expect(readFileSync(md, 'utf8')).toContain('| issueTracking | listIssues | ✅ |');
  }, 60_000);

  it('exits 2 when a named module cannot be loaded, and 1 when a case fails', async () => {
    const missing = capture(root);
    expect(await main(['run', './no/such/provider'], missing.io)).toBe(2);
    expect(missing.out.stderr).toMatch(/no such directory/);

    const broken = join(root, 'node_modules', '.cache', 'krate-broken-provider');
    mkdirSync(join(broken, 'dist'), { recursive: true });
    writeFileSync(join(broken, 'package.json'), JSON.stringify({ name: 'krate-broken-provider', type: 'module', exports: { '.': './dist/index.js', './testing': './dist/testing.js' } }));
    writeFileSync(join(broken, 'dist', 'index.js'), `import { createReferencePlugin } from '${join(pkg, 'dist/index.js')}';\nexport default createReferencePlugin(['skipSignature']);\n`);
    writeFileSync(join(broken, 'dist', 'testing.js'), `export { createFake } from '${join(pkg, 'dist/testing.js')}';\n`);
    const run = capture(root);
    expect(await main(['run', broken, '--only', 'webhooks.signature'], run.io)).toBe(1);
    expect(run.out.stdout).toMatch(/^webhooks \(delivery\)\s+FAIL$/m);
    expect(run.out.stdout).toMatch(/webhooks\.signature\.wrong/);
  }, 60_000);

  it('leaves out default providers that are not installed, and exits 2 when none is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krate-cli-empty-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ devDependencies: { '@krate/provider-nope': '1.0.0' } }));
    const { out, io } = capture(dir);
    // Only names that cannot resolve here, whatever NODE_PATH the test runner sets.
    const defaults = defaultProviderModules(dir).map((m) => m.replace('@krate/provider-', '@krate/provider-absent-'));
    expect(await main(['run'], { ...io, defaultModules: defaults })).toBe(2);
    // Outside a workspace the defaults are the cwd's @krate/provider-* dependencies only.
    expect(defaults).toEqual(['@krate/provider-absent-nope']);
    expect(out.stderr).toMatch(/skipping @krate\/provider-absent-nope: .*cannot be resolved/);
    expect(out.stderr).toMatch(/skipping @krate\/provider-absent-nope/);
    expect(out.stderr).toMatch(/no provider package could be loaded/);

    const broken = capture(root);
    const brokenDir = join(root, 'node_modules', '.cache', 'krate-unloadable-provider');
    mkdirSync(brokenDir, { recursive: true });
    writeFileSync(join(brokenDir, 'package.json'), JSON.stringify({ name: 'krate-unloadable-provider', type: 'module', exports: { '.': './index.js' } }));
    writeFileSync(join(brokenDir, 'index.js'), "import 'a-package-that-is-not-installed';\n");
    expect(await main(['run'], { ...broken.io, defaultModules: [brokenDir] })).toBe(2);
    expect(broken.out.stderr).toMatch(/krate-unloadable-provider.*failed/);
  });

  const cli = join(root, 'dist/cli.js');
  it.skipIf(!existsSync(cli))('runs from the built CLI (dist/cli.js)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'run', pkg, '--only', 'cicd.getPipeline', '--no-color'], { cwd: root });
    expect(stdout).toMatch(/^cicd getPipeline\s+pass$/m);
  }, 60_000);
});
