import { ProviderError, WebhookDeliverySchema, declaredWebhooks, type WebhookDelivery, type WebhookRequest } from '@krate/core';
import { fail, show } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import type { ContractCase } from '../suite/types.js';
import type { PlanEnv } from './plan-env.js';

/**
 * Webhook fuzzing: random mutations of the fake's own signed deliveries, received
 * through the instance. A mutation that changes what the signature covers (or the
 * signature itself, or that is not a delivery at all) must be refused with a typed
 * `webhook_signature_invalid` or `webhook_malformed` error; an input that is the same
 * delivery (a copy, re-cased header names, a `Headers` object) must normalize to the
 * same delivery; a mutation of a header the signature does not need may go either way.
 * Nothing may crash, hang or pollute `Object.prototype`.
 */

/** Error codes a webhook receiver may refuse a delivery with. */
export const WEBHOOK_REFUSAL_CODES: ReadonlySet<string> = new Set(['webhook_signature_invalid', 'webhook_malformed']);

/** Mulberry32: a small seeded PRNG, so a failing input can be generated again from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the receiver must do with a mutated input. */
export type FuzzExpectation = 'same' | 'refuse' | 'either';

export interface FuzzInput {
  /** The mutation's name (`body-bitflip`, `sig-nonstring`, ...). */
  kind: string;
  expect: FuzzExpectation;
  request: WebhookRequest;
  /** Index of the base delivery it was made from. */
  base: number;
}

/** A base delivery with what the probes found out about its scheme. */
export interface FuzzBase {
  request: WebhookRequest;
  /** Header names (lower case) the signature needs: removing one is refused. */
  requiredSignatureHeaders: string[];
  /** Whether the credential covers the body (an HMAC), so any body change is refused. */
  bodyBound: boolean;
}

const POLLUTION_KEY = 'krateFuzzPolluted';
const MB = 1024 * 1024;

function plainHeaders(headers: WebhookRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, key) => {
      out[key.toLowerCase()] = value;
    });
    return out;
  }
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') out[key.toLowerCase()] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') out[key.toLowerCase()] = value[0];
  }
  return out;
}

function bodyBytes(raw: string | Uint8Array): Buffer {
  return typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw);
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** The body as a string or as bytes, at random (receivers take both). */
function asBody(random: () => number, bytes: Buffer): string | Uint8Array {
  return random() < 0.5 ? new Uint8Array(bytes) : bytes.toString('utf8');
}

function recase(random: () => number, name: string): string {
  let out = '';
  for (const ch of name) out += random() < 0.5 ? ch.toUpperCase() : ch.toLowerCase();
  return out;
}

/** A value a framework might hand over for a header that is not a string. */
function nonString(random: () => number, valid: string): unknown {
  return pick(random, [null, 42, true, {}, [], [null], [42], [null, valid], { toString: () => valid }, Symbol.iterator] as unknown[]);
}

/** Flips one bit of a string's byte, never a change of letter case only (hex digests compare case-insensitively). */
function flipHeaderBit(random: () => number, value: string): string | undefined {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return undefined;
  for (let tries = 0; tries < 16; tries++) {
    const at = int(random, 0, bytes.length - 1);
    const bit = 1 << int(random, 0, 7);
    const before = bytes[at]!;
    const after = before ^ bit;
    if (bit === 0x20 && /[a-z]/i.test(String.fromCharCode(before))) continue;
    const copy = Buffer.from(bytes);
    copy[at] = after;
    const text = copy.toString('utf8');
    if (text !== value) return text;
  }
  return undefined;
}

/**
 * One mutation of a base delivery. `signed(options)` makes another delivery with the
 * fake (for validly signed malformed bodies).
 */
export function mutateDelivery(random: () => number, base: FuzzBase, index: number, signedMalformed?: () => WebhookRequest): FuzzInput {
  const headers = plainHeaders(base.request.headers);
  const bytes = bodyBytes(base.request.rawBody);
  const sigNames = base.requiredSignatureHeaders.filter((n) => n in headers);
  const otherNames = Object.keys(headers).filter((n) => !sigNames.includes(n));
  const bodyChange: FuzzExpectation = base.bodyBound ? 'refuse' : 'either';
  const make = (kind: string, expect: FuzzExpectation, h: WebhookRequest['headers'], rawBody: unknown): FuzzInput => ({
    kind,
    expect,
    request: { headers: h, rawBody: rawBody as string | Uint8Array },
    base: index,
  });
  const kinds: Array<[string, number]> = [
    ['unchanged', 4],
    ['recase-headers', 5],
    ['headers-instance', 2],
    ['body-bitflip', 14],
    ['body-truncate', 8],
    ['body-append', 3],
    ['body-nonobject', 5],
    ['body-proto', 4],
    ['body-deep', 3],
    ['body-large', 2],
    ['body-huge', 1],
    ['body-empty', 2],
    ['sig-remove', sigNames.length ? 6 : 0],
    ['sig-bitflip', sigNames.length ? 10 : 0],
    ['sig-nonstring', sigNames.length ? 6 : 0],
    ['header-remove', otherNames.length ? 6 : 0],
    ['header-nonstring', otherNames.length ? 6 : 0],
    ['header-proto', 3],
    ['request-shape', 2],
    ['malformed-signed', signedMalformed ? 2 : 0],
  ];
  const total = kinds.reduce((sum, [, w]) => sum + w, 0);
  let roll = random() * total;
  let kind = kinds[0]![0];
  for (const [name, weight] of kinds) {
    if (roll < weight) {
      kind = name;
      break;
    }
    roll -= weight;
  }

  switch (kind) {
    case 'unchanged':
      return make(kind, 'same', { ...headers }, asBody(random, bytes));
    case 'recase-headers': {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) out[recase(random, k)] = v;
      return make(kind, 'same', out, asBody(random, bytes));
    }
    case 'headers-instance':
      return make(kind, 'same', new Headers(headers), asBody(random, bytes));
    case 'body-bitflip': {
      const copy = Buffer.from(bytes);
      const flips = int(random, 1, 3);
      for (let i = 0; i < flips && copy.length > 0; i++) copy[int(random, 0, copy.length - 1)]! ^= 1 << int(random, 0, 7);
      if (copy.equals(bytes)) copy[0]! ^= 1;
      return make(kind, bodyChange, { ...headers }, asBody(random, copy));
    }
    case 'body-truncate':
      return make(kind, bodyChange, { ...headers }, asBody(random, bytes.subarray(0, int(random, 0, Math.max(0, bytes.length - 1)))));
    case 'body-append':
      return make(kind, bodyChange, { ...headers }, asBody(random, Buffer.concat([bytes, Buffer.from(pick(random, [' ', '\n', '}', ',{}', '\u0000', '\uFEFF']))])));
    case 'body-nonobject':
      return make(kind, 'refuse', { ...headers }, pick(random, ['null', '[]', '"text"', '42', 'true', '[{"action":"opened"}]', '']));
    case 'body-proto': {
      const text = bytes.toString('utf8');
      const inject = `"__proto__":{"${POLLUTION_KEY}":true},"constructor":{"prototype":{"${POLLUTION_KEY}":true}},`;
      const mutated = text.startsWith('{') ? `{${inject}${text.slice(1)}` : `{${inject}"x":1}`;
      return make(kind, bodyChange, { ...headers }, asBody(random, Buffer.from(mutated, 'utf8')));
    }
    case 'body-deep': {
      const depth = int(random, 5_000, 100_000);
      return make(kind, bodyChange, { ...headers }, `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    }
    case 'body-large':
      return make(kind, bodyChange, { ...headers }, asBody(random, Buffer.concat([bytes, Buffer.alloc(int(random, 1, 2) * MB, 0x20)])));
    case 'body-huge':
      // Over every default body limit (GitHub caps deliveries at 25 MB).
      return make(kind, 'refuse', { ...headers }, `${bytes.toString('utf8')}${' '.repeat(26 * MB)}`);
    case 'body-empty':
      return make(kind, 'refuse', { ...headers }, random() < 0.5 ? '' : new Uint8Array(0));
    case 'sig-remove': {
      const out = { ...headers };
      delete out[pick(random, sigNames)];
      return make(kind, 'refuse', out, asBody(random, bytes));
    }
    case 'sig-bitflip': {
      const name = pick(random, sigNames);
      const flipped = flipHeaderBit(random, headers[name]!);
      const out = { ...headers, [name]: flipped ?? '' };
      return make(kind, 'refuse', out, asBody(random, bytes));
    }
    case 'sig-nonstring': {
      const name = pick(random, sigNames);
      const out: Record<string, unknown> = { ...headers, [name]: nonString(random, headers[name]!) };
      return make(kind, 'refuse', out as WebhookRequest['headers'], asBody(random, bytes));
    }
    case 'header-remove': {
      const out = { ...headers };
      delete out[pick(random, otherNames)];
      return make(kind, 'either', out, asBody(random, bytes));
    }
    case 'header-nonstring': {
      const name = pick(random, otherNames);
      const out: Record<string, unknown> = { ...headers, [name]: nonString(random, headers[name]!) };
      return make(kind, 'either', out as WebhookRequest['headers'], asBody(random, bytes));
    }
    case 'header-proto': {
      const out: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, headers);
      Object.defineProperty(out, '__proto__', { value: { [POLLUTION_KEY]: true }, enumerable: true, configurable: true, writable: true });
      out['constructor'] = { prototype: { [POLLUTION_KEY]: true } };
      out['hasOwnProperty'] = 'x';
      return make(kind, 'either', out as WebhookRequest['headers'], asBody(random, bytes));
    }
    case 'request-shape': {
      const shape = int(random, 0, 4);
      if (shape === 0) return make(kind, 'refuse', { ...headers }, pick(random, [null, undefined, 42, {}, [bytes.toString('utf8')]]));
      if (shape === 1) return make(kind, 'refuse', null as never, asBody(random, bytes));
      if (shape === 2) return make(kind, 'refuse', 'x-signature: nope' as never, asBody(random, bytes));
      if (shape === 3) return { kind, expect: 'refuse', request: null as never, base: index };
      return make(kind, 'refuse', { ...headers }, new ArrayBuffer(bytes.length));
    }
    default:
      return make('malformed-signed', 'refuse', signedMalformed!().headers, signedMalformed!().rawBody);
  }
}

export interface FuzzFinding {
  seed: number;
  input: number;
  kind: string;
  problem: string;
}

export interface FuzzReport {
  seed: number;
  inputs: number;
  /** Typed refusals, by code. */
  refused: Record<string, number>;
  /** Mutations that normalized to a delivery (allowed only where the expectation is `either`). */
  tolerated: number;
  /** Inputs that were the same delivery and normalized to the same delivery. */
  same: number;
  /** Mutations accepted that must have been refused. */
  accepted: FuzzFinding[];
  /** Errors that are not a ProviderError with a webhook code (crashes, internal errors). */
  untyped: FuzzFinding[];
  /** Same-delivery inputs refused or normalized differently, schema failures, pollution, hangs. */
  other: FuzzFinding[];
  /** Time per input in ms, in input order. */
  timesMs: number[];
  byKind: Record<string, { inputs: number; refused: number; accepted: number }>;
}

/** The p-th percentile (0-100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function comparable(delivery: WebhookDelivery): string {
  return JSON.stringify(delivery);
}

export interface FuzzWebhooksOptions {
  /** Receives one request (the instance's `webhooks.receive`, with the case's clock). */
  receive(request: WebhookRequest): Promise<WebhookDelivery>;
  /** The fake's signed deliveries to mutate, probed ({@link fuzzBasesFromFake}). */
  bases: FuzzBase[];
  /** Validly signed malformed deliveries (the fake's `malformed: true`), one per base, if the fake makes them. */
  malformed?: Array<() => WebhookRequest>;
  /** Number of mutations. Default 200. */
  count?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** An input that takes longer than this is a finding (a hang). Default 5000 ms. */
  maxMsPerInput?: number;
}

function withLimit<T>(promise: Promise<T>, ms: number): Promise<T | typeof HUNG> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<typeof HUNG>((resolve) => {
    timer = setTimeout(() => resolve(HUNG), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const HUNG = Symbol('hung');

/** Probes what the signature covers: which headers it needs, and whether it binds the body. */
export async function probeBase(
  receive: (request: WebhookRequest) => Promise<WebhookDelivery>,
  valid: WebhookRequest,
  unsigned: WebhookRequest,
  malformed: WebhookRequest | undefined,
): Promise<FuzzBase> {
  const headers = plainHeaders(valid.headers);
  const unsignedHeaders = plainHeaders(unsigned.headers);
  const signatureHeaders = Object.keys(headers).filter((name) => !(name in unsignedHeaders));
  const required: string[] = [];
  for (const name of signatureHeaders) {
    const without = { ...headers };
    delete without[name];
    const accepted = await receive({ headers: without, rawBody: valid.rawBody }).then(
      () => true,
      () => false,
    );
    if (!accepted) required.push(name);
  }
  const malformedHeaders = malformed ? plainHeaders(malformed.headers) : undefined;
  // A credential that does not change when the body does (a plain token) does not bind the body.
  const bodyBound = malformedHeaders ? signatureHeaders.some((name) => malformedHeaders[name] !== headers[name]) : true;
  return { request: valid, requiredSignatureHeaders: required, bodyBound };
}

/**
 * Sends `count` mutations of `deliveries` to `receive` and classifies every outcome.
 * Deterministic for a seed (up to the receiver's own randomness).
 */
export async function fuzzWebhooks(options: FuzzWebhooksOptions): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const count = options.count ?? 200;
  const maxMs = options.maxMsPerInput ?? 5_000;
  const random = seededRandom(seed);
  const report: FuzzReport = { seed, inputs: 0, refused: {}, tolerated: 0, same: 0, accepted: [], untyped: [], other: [], timesMs: [], byKind: {} };
  const baselines: string[] = [];
  for (const base of options.bases) baselines.push(comparable(await options.receive(base.request)));
  const protoKeys = Object.getOwnPropertyNames(Object.prototype).join(',');

  for (let i = 0; i < count; i++) {
    const baseIndex = Math.floor(random() * options.bases.length);
    const input = mutateDelivery(random, options.bases[baseIndex]!, baseIndex, options.malformed?.[baseIndex]);
    const finding = (problem: string): FuzzFinding => ({ seed, input: i, kind: input.kind, problem });
    const stats = (report.byKind[input.kind] ??= { inputs: 0, refused: 0, accepted: 0 });
    stats.inputs += 1;
    report.inputs += 1;
    const started = performance.now();
    let outcome: { ok: true; value: WebhookDelivery } | { ok: false; error: unknown } | typeof HUNG;
    try {
      const settled = await withLimit(
        options.receive(input.request).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
        maxMs,
      );
      outcome = settled;
    } catch (error) {
      outcome = { ok: false, error };
    }
    report.timesMs.push(performance.now() - started);

    if (Object.getOwnPropertyNames(Object.prototype).join(',') !== protoKeys || POLLUTION_KEY in Object.prototype) {
      report.other.push(finding('Object.prototype was polluted'));
      delete (Object.prototype as Record<string, unknown>)[POLLUTION_KEY];
    }
    if (outcome === HUNG) {
      report.other.push(finding(`no answer within ${maxMs} ms`));
      continue;
    }
    if (outcome.ok) {
      stats.accepted += 1;
      const parsed = WebhookDeliverySchema.safeParse(outcome.value);
      if (!parsed.success) report.other.push(finding(`accepted, but the delivery does not match WebhookDeliverySchema: ${parsed.error.issues[0]?.message}`));
      if (input.expect === 'refuse') {
        report.accepted.push(finding('a mutation that must be refused was accepted'));
      } else if (input.expect === 'same') {
        if (comparable(outcome.value) === baselines[input.base]) report.same += 1;
        else report.other.push(finding('the same delivery normalized differently from the original'));
      } else {
        report.tolerated += 1;
      }
      continue;
    }
    const error = outcome.error;
    stats.refused += 1;
    if (!ProviderError.isInstance(error) || !WEBHOOK_REFUSAL_CODES.has(error.code) || /unexpected error/.test(error.message)) {
      const what = ProviderError.isInstance(error) ? `ProviderError(${error.code}) ${error.message.slice(0, 160)}` : show(error instanceof Error ? `${error.name}: ${error.message}` : error, 160);
      report.untyped.push(finding(`refused with ${what}, not a typed webhook refusal`));
      continue;
    }
    report.refused[error.code] = (report.refused[error.code] ?? 0) + 1;
    if (input.expect === 'same') report.other.push(finding(`the same delivery was refused: ${error.code}`));
  }
  return report;
}

/** Everything wrong in a report, one line each (empty when the receiver held). */
export function fuzzProblems(report: FuzzReport): string[] {
  const line = (f: FuzzFinding) => `input #${f.input} (${f.kind}, seed ${f.seed}): ${f.problem}`;
  return [...report.accepted, ...report.untyped, ...report.other].map(line);
}

/** Builds the bases of a fuzz run from a fake: one signed delivery per declared event (up to four), probed. */
export async function fuzzBasesFromFake(
  fake: { webhook(event: string, options?: { deliveryId?: string; now?: Date; signature?: 'missing'; malformed?: boolean }): WebhookRequest },
  events: readonly string[],
  receive: (request: WebhookRequest) => Promise<WebhookDelivery>,
  now: Date,
): Promise<{ bases: FuzzBase[]; malformed: Array<() => WebhookRequest> }> {
  const bases: FuzzBase[] = [];
  const malformed: Array<() => WebhookRequest> = [];
  for (const [i, event] of events.slice(0, 4).entries()) {
    const deliveryId = `krate-fuzz-delivery-${i + 1}`;
    const valid = fake.webhook(event, { deliveryId, now });
    const unsigned = fake.webhook(event, { deliveryId, now, signature: 'missing' });
    const bad = fake.webhook(event, { deliveryId, now, malformed: true });
    bases.push(await probeBase(receive, valid, unsigned, bad));
    malformed.push(() => fake.webhook(event, { deliveryId, now, malformed: true }));
  }
  return { bases, malformed };
}

/** The number of fuzz inputs per run: `KRATE_FUZZ_COUNT` or 200. */
function fuzzCount(): number {
  const n = Number(globalThis.process?.env?.KRATE_FUZZ_COUNT);
  return Number.isSafeInteger(n) && n > 0 ? n : 200;
}

/** The fuzz seed: `KRATE_FUZZ_SEED` or 1 (a failure names its seed and input to replay it). */
function fuzzSeed(): number {
  const n = Number(globalThis.process?.env?.KRATE_FUZZ_SEED);
  return Number.isSafeInteger(n) ? n : 1;
}

/** The webhook fuzz case, for every provider that declares webhook events. */
export function webhookFuzzCases(env: PlanEnv): ContractCase[] {
  const events = declaredWebhooks(env.manifest);
  if (events.length === 0) return [];
  const ignored = new Set(env.probe.ignoredWebhookEvents ?? []);
  const chosen = [...events.filter((e) => !ignored.has(e)), ...events.filter((e) => ignored.has(e))];
  return [
    {
      id: 'webhooks.fuzz',
      webhookEvent: chosen[0],
      title: 'random mutations of signed deliveries are refused with a typed error, never accepted, crashing, hanging or polluting prototypes',
      async run(ctx: CaseContext) {
        const receive = (request: WebhookRequest) => ctx.receive(request);
        const { bases, malformed } = await fuzzBasesFromFake(ctx.fake, chosen, receive, ctx.now);
        const report = await fuzzWebhooks({ receive, bases, malformed, count: fuzzCount(), seed: fuzzSeed() });
        const problems = fuzzProblems(report);
        if (problems.length) fail(`${problems.length} of ${report.inputs} fuzz inputs went wrong:\n${problems.slice(0, 8).join('\n')}`);
      },
    },
  ];
}
