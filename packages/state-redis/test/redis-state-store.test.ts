import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderError } from '@krate/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { describeStateStore } from '../../core/test/helpers/state-store-suite.js';
import { createRedisStateStore, type RedisStateStore } from '../src/index.js';
import { freePort, requireRedisServer, startRedisServer } from './redis-server.js';

const url = inject('redisUrl');
const stores: RedisStateStore[] = [];
function store(options: Parameters<typeof createRedisStateStore>[0] = {}): RedisStateStore {
  const made = createRedisStateStore({ url, keyPrefix: `test:${randomUUID()}:`, cacheMaxBytes: 64 * 1024, ...options });
  stores.push(made);
  return made;
}
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

describeStateStore('redis store', () => store());

describe('redis store', () => {
  it('two stores on the same Redis and prefix share one budget; another prefix is another budget', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const a = store({ keyPrefix });
    const b = store({ keyPrefix });
    const other = store();
    await a.reserveRateLimit('gh:core');
    await a.recordRateLimit('gh:core', { remaining: 10, resetAtMs: Date.now() + 60_000 });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).reserveRateLimit('gh:core')));
    expect(answers.filter((r) => r.granted)).toHaveLength(10);
    expect(await other.reserveRateLimit('gh:core')).toEqual({ granted: true, remaining: undefined });
  });

  it('writes every key under its prefix', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const s = store({ keyPrefix });
    await s.reserveRateLimit('b');
    await s.setCached('page', 'body', 60_000);
    await s.claimDelivery('d', 60_000);
    await s.putIdempotencyRecord('i', { ref: { scope: 'o/r', id: '1' }, createdAtMs: 1 }, 60_000);
    await s.acquireLock('l', 60_000);
    const keys = await s.client.keys('*');
    const mine = keys.filter((k) => k.startsWith(keyPrefix));
    expect(mine.length).toBeGreaterThanOrEqual(6);
    expect(keys.filter((k) => k.includes(keyPrefix.slice(5, 20)) && !k.startsWith(keyPrefix))).toEqual([]);
  });

  it('stores no secret without an encryption key', async () => {
    const s = store();
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    expect(s.storesSecrets).toBe(false);
    expect(await s.putSecret('installation:7', token, 60_000)).toBe(false);
    expect(await s.getSecret('installation:7')).toBeUndefined();
    const raw = new Redis(url);
    try {
      for (const key of await raw.keys('*')) {
        if ((await raw.type(key)) === 'string') expect(await raw.get(key)).not.toContain(token);
      }
    } finally {
      await raw.quit();
    }
  });

  it('with an encryption key, shares a secret sealed with AES-256-GCM that only the same key opens', async () => {
    const keyPrefix = `test:${randomUUID()}:`;
    const encryptionKey = randomBytes(32).toString('base64');
    const a = store({ keyPrefix, encryptionKey });
    const b = store({ keyPrefix, encryptionKey });
    const wrong = store({ keyPrefix, encryptionKey: randomBytes(32).toString('hex') });
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    expect(await a.putSecret('installation:7', token, 60_000)).toBe(true);
    expect(await b.getSecret('installation:7')).toBe(token);
    expect(await wrong.getSecret('installation:7')).toBeUndefined();
    const raw = await a.client.get(`${keyPrefix}secret:installation:7`);
    expect(raw).toMatch(/^v1\./);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(Buffer.from(token).toString('base64'));
    // A sealed value moved under another key does not open (the key is bound in).
    await a.client.set(`${keyPrefix}secret:installation:8`, raw!);
    expect(await b.getSecret('installation:8')).toBeUndefined();
  });

  it('refuses an encryption key that is not 32 bytes, without printing it', () => {
    let caught: unknown;
    try {
      createRedisStateStore({ url, encryptionKey: 'hunter2-is-not-a-key', client: new Redis(url, { lazyConnect: true }) });
    } catch (error) {
      caught = error;
    }
    expect(ProviderError.isInstance(caught)).toBe(true);
    expect((caught as ProviderError).code).toBe('invalid_config');
    expect((caught as ProviderError).message).not.toContain('hunter2');
  });

  it('fails fast with upstream_unavailable while Redis is unreachable', async () => {
    const port = await freePort();
    const s = store({ url: `redis://127.0.0.1:${port}`, commandTimeoutMs: 300 });
    const started = Date.now();
    const error = await s.reserveRateLimit('b').catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect((error as ProviderError).code).toBe('upstream_unavailable');
    expect((error as ProviderError).message).toContain(`127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('works again after Redis restarts, without a new store', async () => {
    const server = await startRedisServer({ persistent: true });
    try {
      const s = store({ url: server.url, commandTimeoutMs: 300 });
      const claim = await s.claimDelivery('d', 60_000);
      expect(claim.outcome).toBe('claimed');
      await server.stop();
      await expect(s.claimDelivery('d', 60_000)).rejects.toMatchObject({ code: 'upstream_unavailable' });
      await server.start();
      let answer: unknown;
      for (let i = 0; i < 40 && answer === undefined; i++) {
        answer = await s.claimDelivery('d', 60_000).catch(() => undefined);
        if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The claim made before the restart is still held (the server keeps an append-only file).
      expect(answer).toMatchObject({ outcome: 'in_progress' });
    } finally {
      await server.dispose();
    }
  });

  it('does not close a client it was given', async () => {
    const client = new Redis(url);
    const s = createRedisStateStore({ client, keyPrefix: `test:${randomUUID()}:` });
    await s.reserveRateLimit('b');
    await s.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });
});

describe('redis store with a restricted ACL user', () => {
  it('needs no more than the commands the README lists, on its own key pattern', async () => {
    const admin = new Redis(url);
    const user = `krate-${randomUUID().slice(0, 8)}`;
    const password = randomBytes(16).toString('hex');
    const keyPrefix = `acl:${randomUUID()}:`;
    try {
      // The README's ACL line, with this test's prefix.
      await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, `~${keyPrefix}*`, '+@read', '+@write', '+@scripting', '-@dangerous', '+ping', '+time', '+info');
      const s = store({ keyPrefix, redisOptions: { username: user, password } });
      await s.reserveRateLimit('b');
      await s.recordRateLimit('b', { remaining: 3, resetAtMs: Date.now() + 60_000 });
      expect(await s.reserveRateLimit('b')).toEqual({ granted: true, remaining: 2 });
      await s.setCached('page', 'body', 60_000);
      expect(await s.getCached('page')).toBe('body');
      const claim = await s.claimDelivery('d', 60_000);
      expect(claim.outcome).toBe('claimed');
      const lock = await s.acquireLock('l', 60_000);
      await lock!.release();
      // Outside its prefix the user may not write.
      const outside = createRedisStateStore({ url, keyPrefix: 'elsewhere:', redisOptions: { username: user, password } });
      stores.push(outside);
      await expect(outside.claimDelivery('d', 60_000)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    } finally {
      await admin.call('ACL', 'DELUSER', user);
      await admin.quit();
    }
  });
});

describe('redis store over TLS', () => {
  it('talks to a TLS-only Redis with the CA given, and refuses one it cannot verify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krate-redis-tls-'));
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    const made = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr}`);
    const server = await startRedisServer({ tls: { certFile, keyFile } });
    try {
      expect(server.url).toMatch(/^rediss:/);
      const trusted = store({ url: server.url, redisOptions: { tls: { ca: readFileSync(certFile) } } });
      expect((await trusted.claimDelivery('d', 60_000)).outcome).toBe('claimed');
      const untrusted = store({ url: server.url, commandTimeoutMs: 500 });
      await expect(untrusted.claimDelivery('d', 60_000)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    } finally {
      await server.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redis store through Sentinel', () => {
  it('finds the master through a Sentinel and works on it', async () => {
    const master = await startRedisServer();
    const dir = mkdtempSync(join(tmpdir(), 'krate-sentinel-'));
    const port = await freePort();
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor krate-test 127.0.0.1 ${master.port} 1`, ''].join('\n'));
    const sentinel = spawn(requireRedisServer(), [conf, '--sentinel'], { stdio: 'ignore' });
    try {
      const s = store({ redisOptions: { sentinels: [{ host: '127.0.0.1', port }], name: 'krate-test', sentinelRetryStrategy: () => 100 } });
      let claim: unknown;
      for (let i = 0; i < 50 && claim === undefined; i++) {
        claim = await s.claimDelivery('d', 60_000).catch(() => undefined);
        if (claim === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(claim).toMatchObject({ outcome: 'claimed' });
      // The claim is on the master the Sentinel named.
      const direct = new Redis(master.url);
      expect((await direct.keys('*claim:d')).length).toBe(1);
      await direct.quit();
    } finally {
      sentinel.kill('SIGTERM');
      await master.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
