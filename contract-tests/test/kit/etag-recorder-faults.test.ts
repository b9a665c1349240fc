import { describe, expect, it } from 'vitest';
import { createFaultQueue, createRequestRecorder, etagOf, notModified } from '../../src/kit/index.js';

describe('etag', () => {
  it('is weak, stable and changes with the value', () => {
    expect(etagOf({ a: 1 })).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect(etagOf({ a: 1 })).toBe(etagOf({ a: 1 }));
    expect(etagOf({ a: 2 })).not.toBe(etagOf({ a: 1 }));
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    const tag = etagOf('x');
    const req = (value?: string) => new Request('https://x.test', value ? { headers: { 'if-none-match': value } } : {});
    expect(notModified(req(), tag)).toBe(false);
    expect(notModified(req(tag), tag)).toBe(true);
    expect(notModified(req(tag.slice(2)), tag)).toBe(true);
    expect(notModified(req(`"other", ${tag}`), tag)).toBe(true);
    expect(notModified(req('"other"'), tag)).toBe(false);
    expect(notModified(req('*'), tag)).toBe(true);
  });
});

describe('request recorder', () => {
  const secret = 'ghp_supersecrettokenvalue1234';
  it('redacts credential headers and any secret value in path, query, headers and body', () => {
    const recorder = createRequestRecorder({ secrets: () => [secret], origin: 'https://api.example.com' });
    const request = new Request(`https://api.example.com/api/v3/things/${secret}?q=${secret}&access_token=abc&page=2`, {
      method: 'post',
      headers: { authorization: `token ${secret}`, 'x-goog-token': 'tok', 'x-note': `has ${secret}`, accept: 'application/json' },
    });
    recorder.record(request, 201, { nested: [{ value: `a ${secret} b` }], [secret]: 1 });
    const [entry] = recorder.requests;
    expect(entry).toMatchObject({ method: 'POST', status: 201, path: '/api/v3/things/[REDACTED]' });
    expect(entry!.query).toEqual({ q: '[REDACTED]', access_token: '[REDACTED]', page: '2' });
    expect(entry!.headers.authorization).toBe('[REDACTED]');
    expect(entry!.headers['x-goog-token']).toBe('[REDACTED]');
    expect(entry!.headers['x-note']).toBe('has [REDACTED]');
    expect(entry!.headers.accept).toBe('application/json');
    expect(JSON.stringify(recorder.requests)).not.toContain(secret);
    // The wire log keeps the request as sent, for the suite's scan of where secrets travel.
    const [raw] = recorder.wire;
    expect(raw!.url).toBe(`https://api.example.com/api/v3/things/${secret}?q=${secret}&access_token=abc&page=2`);
    expect(raw!.headers.authorization).toBe(`token ${secret}`);
    expect(raw!.body).toContain(secret);
    recorder.record(new Request('https://api.example.com/x', { method: 'POST' }), 200, { a: 1 }, '{"a": 1, "raw": true}');
    expect(recorder.wire[1]!.body).toBe('{"a": 1, "raw": true}');
    recorder.reset();
    expect(recorder.requests).toHaveLength(0);
    expect(recorder.wire).toHaveLength(0);
  });
});

describe('fault queue', () => {
  const get = (path: string, method = 'GET') => new Request(`https://x.test${path}`, { method });
  it('applies the first matching fault the given number of times', () => {
    const q = createFaultQueue();
    q.injector.status(404, { path: '/a', times: 2 });
    q.injector.serverError({ method: 'post' });
    expect(q.take(get('/b'), '/b')).toBeUndefined();
    expect(q.take(get('/a'), '/a')).toMatchObject({ kind: 'status', options: { status: 404 } });
    expect(q.take(get('/a', 'POST'), '/a')?.kind).toBe('status');
    expect(q.take(get('/a'), '/a')).toBeUndefined();
    expect(q.take(get('/c', 'POST'), '/c')?.kind).toBe('serverError');
    expect(q.pending).toHaveLength(0);
  });

  it('supports Infinity, regex paths, after and clear', () => {
    const q = createFaultQueue();
    q.injector.rateLimit({ times: Infinity, path: /^\/r/ });
    for (let i = 0; i < 5; i++) expect(q.take(get('/r1'), '/r1')?.kind).toBe('rateLimit');
    q.injector.clear();
    expect(q.take(get('/r1'), '/r1')).toBeUndefined();
    q.injector.timeout({ method: 'GET', after: 1 });
    expect(q.take(get('/p'), '/p')).toBeUndefined();
    expect(q.take(get('/p'), '/p')?.kind).toBe('timeout');
    expect(q.take(get('/p'), '/p')).toBeUndefined();
    q.injector.drop({ afterWrite: true });
    expect(q.take(get('/w', 'POST'), '/w')?.options.afterWrite).toBe(true);
  });

  it('rejects invalid options', () => {
    const q = createFaultQueue();
    expect(() => q.injector.status(99)).toThrow(TypeError);
    expect(() => q.injector.serverError({ times: 0 })).toThrow(TypeError);
    expect(() => q.injector.serverError({ after: -1 })).toThrow(TypeError);
  });
});

describe('drop after write', () => {
  it('only matches writes', () => {
    const q = createFaultQueue();
    q.injector.drop({ afterWrite: true });
    const get = new Request('https://x.test/a');
    const post = new Request('https://x.test/a', { method: 'POST' });
    expect(q.take(get, '/a')).toBeUndefined();
    expect(q.take(post, '/a', { write: false })).toBeUndefined();
    expect(q.take(get, '/a', { write: true })?.kind).toBe('drop');
  });
});
