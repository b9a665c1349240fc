import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveNames, scaffold } from '../src/scaffold.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const workspace = {
  '@krate/core': join(repoRoot, 'packages/core'),
  '@krate/contract-tests': join(repoRoot, 'contract-tests'),
};

/** The directory of a package as `fromDir` resolves it (through pnpm's symlinks). */
function packageDir(name: string, fromDir: string): string {
  const require = createRequire(join(fromDir, 'package.json'));
  return dirname(realpathSync(require.resolve(`${name}/package.json`)));
}

function link(target: string, modulesDir: string, name: string): void {
  const at = join(modulesDir, name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, 'dir');
}

describe('deriveNames', () => {
  it('derives package name and provider type', () => {
    expect(deriveNames('acme')).toMatchObject({ packageName: 'krate-provider-acme', providerType: 'acme', pascal: 'Acme' });
    expect(deriveNames('krate-provider-big-tracker')).toMatchObject({ providerType: 'big-tracker', pascal: 'BigTracker', camel: 'bigTracker' });
    expect(deriveNames('@acme/krate-provider-jobs')).toMatchObject({ packageName: '@acme/krate-provider-jobs', providerType: 'jobs' });
  });

  it('refuses names that are not package names', () => {
    expect(() => deriveNames('Acme Tracker')).toThrow(/not a valid package name/);
    expect(() => deriveNames('9lives')).toThrow(/must start with a letter/);
  });
});

describe('a scaffolded provider package', () => {
  let root: string;
  let dir: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'krate-scaffold-'));
    dir = join(root, 'krate-provider-acme');
    scaffold({ name: 'acme', directory: dir, displayName: 'Acme Tracker' });
    // Install the package's dependencies from this workspace: the Krate packages
    // themselves and the tool versions the workspace pins.
    const modules = join(dir, 'node_modules');
    for (const [name, path] of Object.entries(workspace)) link(path, modules, name);
    const contractTests = workspace['@krate/contract-tests'];
    link(packageDir('vitest', contractTests), modules, 'vitest');
    link(packageDir('msw', contractTests), modules, 'msw');
    for (const tool of ['tsup', 'typescript', '@types/node']) link(packageDir(tool, here), modules, tool);
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('writes a complete package with names filled in', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('krate-provider-acme');
    expect(pkg.exports['./testing']).toBeDefined();
    for (const file of ['src/index.ts', 'src/acme-manifest.ts', 'src/acme-provider.ts', 'src/acme-context.ts', 'src/acme-errors.ts', 'src/issue-tracking/acme-issue-tracking.ts', 'src/issue-tracking/acme-issue-tracking-mapping.ts', 'src/webhooks/acme-webhooks.ts', 'src/testing/acme-fake.ts', 'src/testing/index.ts', 'test/contract.test.ts', 'README.md']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const sources = ['src/index.ts', 'src/acme-manifest.ts', 'README.md'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(sources).not.toMatch(/__[A-Z_]+__/);
  });

  it('refuses to write into a folder that is not empty', () => {
    expect(() => scaffold({ name: 'acme', directory: dir })).toThrow(/not empty/);
  });

  it('typechecks and builds', () => {
    const tsc = join(dir, 'node_modules/typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', dir], { cwd: dir, stdio: 'pipe' });
    const tsup = join(dir, 'node_modules/tsup/dist/cli-default.js');
    execFileSync(process.execPath, [tsup], { cwd: dir, stdio: 'pipe' });
    expect(existsSync(join(dir, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist/index.cjs'))).toBe(true);
    expect(existsSync(join(dir, 'dist/testing/index.d.ts'))).toBe(true);
  }, 120_000);

  it('passes its contract test on the first run', () => {
    const vitest = join(dir, 'node_modules/vitest/vitest.mjs');
    let output: string;
    try {
      output = execFileSync(process.execPath, [vitest, 'run', '--reporter=verbose'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: 'pipe',
        env: { ...process.env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' },
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`the scaffold's tests failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
    const summary = /Tests\s+(?:(\d+) failed \| )?(\d+) passed/.exec(output);
    expect(summary, output).not.toBeNull();
    expect(summary![1]).toBeUndefined();
    expect(Number(summary![2])).toBeGreaterThan(20);
    writeFileSync(join(root, 'vitest-output.txt'), output);
  }, 240_000);
});
