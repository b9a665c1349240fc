#!/usr/bin/env node
/**
 * Webhook fuzz benchmark: N random mutations (default 10 000) of each provider fake's own
 * signed deliveries, received through a provider instance built from the published
 * package (dist). The same mutations as the contract suite's `webhooks.fuzz` case (which
 * runs 200), at a volume a unit test should not carry.
 *
 * Reports per provider: inputs, typed refusals by code, accepted mutations that must be
 * refused (must be 0), untyped or internal errors (must be 0), other findings (a copy
 * normalized differently, prototype pollution, a hang), and the time per input (p50, p99,
 * max). Exits 1 when any of the must-be-0 counts is not 0.
 *
 * Build first (`pnpm turbo run build --filter=@krate/provider-github --filter=@krate/provider-buildkite
 * --filter=@krate/contract-tests`), then `pnpm --filter @krate/contract-tests bench`.
 * Environment: FUZZ_COUNT (10000), FUZZ_SEED (1), FUZZ_PROVIDERS (github,buildkite).
 * Writes bench/fuzz-results.json.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { declaredWebhooks } from '@krate/core';
import { setupServer } from 'msw/node';
import { fuzzBasesFromFake, fuzzProblems, fuzzWebhooks, percentile } from '../dist/runner.js';

const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const PROVIDERS = (process.env.FUZZ_PROVIDERS ?? 'github,buildkite').split(',').map((p) => p.trim()).filter(Boolean);

// The providers are resolved from the workspace root, which depends on all of them.
const rootRequire = createRequire(fileURLToPath(new URL('../../package.json', import.meta.url)));

async function load(specifier) {
  let resolved;
  try {
    resolved = rootRequire.resolve(specifier);
  } catch (error) {
    throw new Error(`cannot resolve ${specifier}: build the providers first (${error.message})`);
  }
  // require.resolve picks the CommonJS build; the ESM build sits beside it.
  return import(pathToFileURL(resolved.replace(/\.cjs$/, '.js')).href);
}

async function fuzzProvider(name) {
  const { default: plugin } = await load(`@krate/provider-${name}`);
  const { createFake } = await load(`@krate/provider-${name}/testing`);
  const fake = createFake();
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const instance = plugin.create(fake.config, fake.context);
    const now = new Date();
    const receive = (request) => instance.webhooks.receive(request, { now });
    const ignored = new Set(fake.ignoredWebhookEvents ?? []);
    const events = declaredWebhooks(plugin.manifest);
    const chosen = [...events.filter((e) => !ignored.has(e)), ...events.filter((e) => ignored.has(e))];
    const { bases, malformed } = await fuzzBasesFromFake(fake, chosen, receive, now);
    const started = performance.now();
    const report = await fuzzWebhooks({ receive, bases, malformed, count: COUNT, seed: SEED });
    const wallMs = performance.now() - started;
    const problems = fuzzProblems(report);
    return {
      provider: name,
      events: chosen.slice(0, 4),
      bodyBound: bases.map((b) => b.bodyBound),
      signatureHeaders: bases[0]?.requiredSignatureHeaders ?? [],
      inputs: report.inputs,
      refused: report.refused,
      sameDeliveryAccepted: report.same,
      toleratedHeaderMutations: report.tolerated,
      acceptedMutations: report.accepted.length,
      untypedErrors: report.untyped.length,
      otherFindings: report.other.length,
      p50Ms: Number(percentile(report.timesMs, 50).toFixed(3)),
      p99Ms: Number(percentile(report.timesMs, 99).toFixed(3)),
      maxMs: Number(Math.max(...report.timesMs).toFixed(3)),
      wallMs: Math.round(wallMs),
      byKind: report.byKind,
      firstProblems: problems.slice(0, 10),
    };
  } finally {
    server.close();
  }
}

const results = [];
for (const name of PROVIDERS) {
  const result = await fuzzProvider(name);
  results.push(result);
  console.log(
    `${name}: ${result.inputs} inputs (seed ${SEED}), accepted mutations ${result.acceptedMutations}, untyped/internal errors ${result.untypedErrors}, ` +
      `other findings ${result.otherFindings}; refused ${JSON.stringify(result.refused)}; same delivery accepted ${result.sameDeliveryAccepted}, ` +
      `header mutations tolerated ${result.toleratedHeaderMutations}; per input p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms; wall ${result.wallMs} ms`,
  );
  for (const line of result.firstProblems) console.log(`  ${line}`);
}

const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  count: COUNT,
  seed: SEED,
  results,
};
writeFileSync(fileURLToPath(new URL('./fuzz-results.json', import.meta.url)), `${JSON.stringify(out, null, 2)}\n`);
if (results.some((r) => r.acceptedMutations || r.untypedErrors || r.otherFindings)) process.exitCode = 1;
