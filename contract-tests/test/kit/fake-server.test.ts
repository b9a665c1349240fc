import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FakeCollection, createFakeHandlers, createFaultQueue, createRequestRecorder, json, keysetPage, linkHeader, pageSlice,
  type FakeRoute, type PendingFault,
} from '../../src/kit/index.js';

const TOKEN = 'sekret-token-value-123';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function makeFake(baseUrl: string) {
  const things = new FakeCollection<{ id: number; name: string }>({ name: 'thing' });
  let nextId = 1;
  const recorder = createRequestRecorder({ secrets: () => [TOKEN], origin: baseUrl });
  const faults = createFaultQueue();
  const routes: FakeRoute[] = [
    {
      method: 'GET',
      path: '/things',
      handle: ({ url }) => {
        const slice = pageSlice(things.list(), { page: url.searchParams.get('page'), perPage: url.searchParams.get('per_page') }, { defaultPerPage: 2, maxPerPage: 3 });
        const link = linkHeader(url, slice.page, slice.totalPages);
        return json(slice.items, { headers: link ? { link } : {} });
      },
    },
    { method: 'GET', path: '/things/:id', handle: ({ params }) => json(things.require(Number(params.id))) },
    {
      method: 'POST',
      path: '/things',
      handle: ({ body }) => json(things.insert({ id: nextId++, name: (body as { name: string }).name }), { status: 201 }),
    },
    { method: 'GET', path: '/files/*', handle: ({ params }) => json({ rest: params['*'] }) },
    { method: 'GET', path: '/cursor', handle: ({ url }) => json(keysetPage([1, 2], { after: url.searchParams.get('after'), maxPageSize: 1, cursorOf: String })) },
  ];
  const renderFault = (fault: PendingFault) => {
    if (fault.kind === 'rateLimit') return json({ message: 'slow down' }, { status: 429, headers: { 'retry-after': String(fault.options.retryAfterSeconds ?? 1) } });
    if (fault.kind === 'malformed') return new Response('{"trunc', { status: 200, headers: { 'content-type': 'application/json' } });
    const status = fault.kind === 'status' ? fault.options.status ?? 400 : fault.options.status ?? 502;
    return json({ message: `error ${status}` }, { status });
  };
  const handlers = createFakeHandlers({
    baseUrl,
    routes,
    recorder,
    faults,
    renderFault,
    authorize: (request) => (request.headers.get('authorization') === `Bearer ${TOKEN}` ? undefined : json({ message: 'Bad credentials' }, { status: 401 })),
    timeoutCapMs: 2000,
  });
  return { things, recorder, faults: faults.injector, handlers, baseUrl };
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe.each(['https://api.example.test', 'https://ghe.example.test:8443/api/v3'])('createFakeHandlers at %s', (baseUrl) => {
  it('routes with params, pages with links and records every request redacted', async () => {
    const fake = makeFake(baseUrl);
    server.use(...fake.handlers);
    for (const name of ['a', 'b', 'c']) {
      const res = await fetch(`${baseUrl}/things`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
      expect(res.status).toBe(201);
    }
    const page1 = await fetch(`${baseUrl}/things?per_page=2`, { headers: auth });
    expect(await page1.json()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get('link') ?? '')?.[1];
    expect(next).toBe(`${baseUrl}/things?per_page=2&page=2`);
    expect(await (await fetch(next!, { headers: auth })).json()).toEqual([{ id: 3, name: 'c' }]);
    expect(await (await fetch(`${baseUrl}/things/2`, { headers: auth })).json()).toEqual({ id: 2, name: 'b' });
    expect(await (await fetch(`${baseUrl}/files/a/b%20c`, { headers: auth })).json()).toEqual({ rest: 'a/b c' });
    const basePath = new URL(baseUrl).pathname.replace(/\/$/, '');
    expect(fake.recorder.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST ${basePath}/things 201`, `POST ${basePath}/things 201`, `POST ${basePath}/things 201`,
      `GET ${basePath}/things 200`, `GET ${basePath}/things 200`, `GET ${basePath}/things/2 200`, `GET ${basePath}/files/a/b c 200`,
    ]);
    expect(fake.recorder.requests[0]!.body).toEqual({ name: 'a' });
    expect(JSON.stringify(fake.recorder.requests)).not.toContain(TOKEN);
  });

  it('answers unknown paths and missing objects with 404, bad credentials with 401, bad JSON with 400, bad cursors with 422', async () => {
    const fake = makeFake(baseUrl);
    server.use(...fake.handlers);
    expect((await fetch(`${baseUrl}/nope`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${baseUrl}/things/99`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${baseUrl}/things`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/things`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":' })).status).toBe(400);
    expect((await fetch(`${baseUrl}/cursor?after=zzz`, { headers: auth })).status).toBe(422);
    expect((await (await fetch(`${baseUrl}/cursor?after=1`, { headers: auth })).json())).toMatchObject({ items: [2], hasNextPage: false });
  });

  it('applies status, rate-limit, malformed and server-error faults in the vendor shape', async () => {
    const fake = makeFake(baseUrl);
    server.use(...fake.handlers);
    fake.faults.status(409);
    expect((await fetch(`${baseUrl}/things`, { headers: auth })).status).toBe(409);
    fake.faults.rateLimit({ retryAfterSeconds: 7 });
    const limited = await fetch(`${baseUrl}/things`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    fake.faults.malformed();
    await expect((await fetch(`${baseUrl}/things`, { headers: auth })).json()).rejects.toThrow();
    fake.faults.serverError({ after: 1 });
    expect((await fetch(`${baseUrl}/things`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${baseUrl}/things`, { headers: auth })).status).toBe(502);
    expect((await fetch(`${baseUrl}/things`, { headers: auth })).status).toBe(200);
  });

  it('times out until the client aborts, and drops connections before or after a write', async () => {
    const fake = makeFake(baseUrl);
    server.use(...fake.handlers);
    fake.faults.timeout();
    const started = Date.now();
    await expect(fetch(`${baseUrl}/things`, { headers: auth, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);

    fake.faults.drop();
    const post = () => fetch(`${baseUrl}/things`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    await expect(post()).rejects.toThrow();
    expect(fake.things.size).toBe(0);

    fake.faults.drop({ afterWrite: true });
    await expect(post()).rejects.toThrow();
    expect(fake.things.size).toBe(1);
    expect(fake.recorder.requests.at(-1)).toMatchObject({ method: 'POST', status: 201 });
  });
});
