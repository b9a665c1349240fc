import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProviderPlugin, loadPlugin } from '../src/index.js';

const here = import.meta.url;
const fixtureDir = fileURLToPath(new URL('./fixtures/krate-provider-fixture', here));
let project: string;

beforeAll(() => {
  // A project with the fixture installed as a package (node_modules cannot be committed).
  project = mkdtempSync(join(tmpdir(), 'krate-load-plugin-'));
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(fixtureDir, join(project, 'node_modules', 'krate-provider-fixture'), 'dir');
  mkdirSync(join(project, 'config', 'nested'), { recursive: true });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('loadPlugin', () => {
  it('loads a package by name, choosing its ESM entry, and returns its default export', async () => {
    const plugin = await loadPlugin('krate-provider-fixture', { from: project });
    expect(isProviderPlugin(plugin)).toBe(true);
    expect(plugin.providerType).toBe('fixture');
    const instance = plugin.create({});
    await expect(instance.cicd!.listPipelines('org/pipe')).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('resolves from a file or a nested directory, walking up to node_modules', async () => {
    expect((await loadPlugin('krate-provider-fixture', { from: join(project, 'config', 'nested') })).providerType).toBe('fixture');
    expect((await loadPlugin('krate-provider-fixture', { from: join(project, 'config', 'krate.yaml') })).providerType).toBe('fixture');
  });

  it('takes a named `plugin` export from a subpath', async () => {
    const plugin = await loadPlugin('krate-provider-fixture/named', { from: project });
    expect(plugin.providerType).toBe('fixture');
  });

  it('loads a package directory or a file by path, relative to `from`', async () => {
    expect((await loadPlugin('./fixtures/krate-provider-fixture', { from: here })).providerType).toBe('fixture');
    expect((await loadPlugin('./fixtures/krate-provider-fixture/named.js', { from: new URL('.', here) })).providerType).toBe('fixture');
    expect((await loadPlugin(join(fixtureDir, 'index.js'))).providerType).toBe('fixture');
  });

  it('a missing package is invalid_config saying how to install it', async () => {
    await expect(loadPlugin('krate-provider-does-not-exist', { from: project })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(/cannot find provider package "krate-provider-does-not-exist".*npm install krate-provider-does-not-exist/),
    });
    await expect(loadPlugin('@krate/provider-nowhere', { from: project })).rejects.toMatchObject({
      message: expect.stringContaining('pnpm add @krate/provider-nowhere'),
    });
    await expect(loadPlugin('./fixtures/no-such-dir', { from: here })).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining('cannot find') });
  });

  it('a subpath the package does not export is invalid_config', async () => {
    await expect(loadPlugin('krate-provider-fixture/internal', { from: project })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('does not export "./internal"'),
    });
  });

  it('a module without a plugin is invalid_config naming what it exports', async () => {
    const error = await loadPlugin('./fixtures/not-a-plugin/index.js', { from: here }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_config' });
    const { message } = error as Error;
    expect(message).toContain('does not export a provider plugin');
    expect(message).toContain('name (string)');
    expect(message).toContain('helper (function)');
    expect(message).toContain('default (object)');
  });

  it('a module that throws while loading is invalid_config with the cause kept', async () => {
    const error = await loadPlugin('./fixtures/broken-plugin', { from: here }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('failed to load: this module fails while loading') });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('refuses an empty specifier', async () => {
    await expect(loadPlugin('')).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
