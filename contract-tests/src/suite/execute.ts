import { ProviderError } from '@krate/core';
import { findSecretLeaks } from '../cases/secrets.js';
import { inspectSecretLeaks } from '../cases/secrets-inspect.js';
import { scrubString } from '../kit/recorder.js';
import type { CreateFakeOptions, FakeBackend } from '../kit/types.js';
import { ContractAssertionError, describeError } from './assert.js';
import { createCaseContext } from './context.js';
import type { CaseEnvironment, CaseResult, ContractCase } from './types.js';

function baseResult(c: ContractCase, env: CaseEnvironment): Omit<CaseResult, "status"> {
  return {
    id: c.id,
    title: c.title,
    family: c.family ?? 'roundtrip',
    ...(c.interface ? { interface: c.interface } : {}),
    ...(c.operation ? { operation: c.operation } : {}),
    ...(c.webhookEvent ? { webhookEvent: c.webhookEvent } : {}),
    ...(env.baseUrl ? { baseUrl: env.baseUrl } : {}),
    ...(env.variant && !env.variant.name.startsWith('at ') ? { variant: env.variant.name } : {}),
  };
}

/** The options a case's fake is created with: the run's base URL and variant, and the case's request timeout. */
export function fakeOptions(c: Pick<ContractCase, 'requestTimeoutMs'>, env: Pick<CaseEnvironment, 'baseUrl' | 'variant'>): CreateFakeOptions | undefined {
  const options: CreateFakeOptions = {
    ...(env.variant?.options ?? {}),
    ...(env.variant && !env.variant.name.startsWith('at ') ? { variant: env.variant.name } : {}),
    ...(env.baseUrl ? { baseUrl: env.baseUrl } : {}),
    ...(c.requestTimeoutMs ? { timeoutMs: c.requestTimeoutMs } : {}),
  };
  return Object.keys(options).length ? options : undefined;
}

/** The result of a skipped case. */
export function skippedResult(c: ContractCase, env: CaseEnvironment, reason: string): CaseResult {
  return { ...baseResult(c, env), status: 'skip', reason };
}

function withTimeout<T>(promise: Promise<T>, ms: number, id: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ContractAssertionError(`case ${id} did not finish within ${ms} ms (a request that never ends?)`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Runs one case: a fresh fake at the environment's base URL, its handlers
 * installed, a fresh instance, the case, then the secret scan and the check for
 * requests no fake route answered. Failure text has every known secret redacted.
 */
export async function executeCase(c: ContractCase, env: CaseEnvironment): Promise<CaseResult> {
  const started = Date.now();
  const result = baseResult(c, env);
  let fake: FakeBackend | undefined;
  env.unhandled.length = 0;
  try {
    fake = env.createFake(fakeOptions(c, env));
    env.use(fake.handlers);
    const instance = env.plugin.create(fake.config as never, fake.context);
    const ctx = createCaseContext({ manifest: env.plugin.manifest, fake, instance, now: new Date() });
    await withTimeout(c.run(ctx), c.budgetMs ?? env.caseTimeoutMs ?? 20_000, c.id);
    const problems: string[] = [];
    if (env.unhandled.length) problems.push(`requests no fake route answered: ${[...new Set(env.unhandled)].slice(0, 5).join(', ')}`);
    const leaks = [...findSecretLeaks(ctx), ...inspectSecretLeaks(ctx)];
    if (leaks.length) problems.push(`credentials leaked: ${leaks.join('; ')}`);
    if (problems.length) throw new ContractAssertionError(problems.join('\n'));
    return { ...result, status: c.passStatus ?? 'pass', durationMs: Date.now() - started };
  } catch (error) {
    let message = error instanceof ContractAssertionError ? error.message : `unexpected ${describeError(error)}`;
    if (!(error instanceof ContractAssertionError) && ProviderError.isInstance(error) && error.code === 'unsupported_operation') {
      message = `${describeError(error)} (the operation is declared in the manifest, so the case needs it)`;
    }
    if (env.unhandled.length && !message.includes('no fake route')) message += `\nrequests no fake route answered: ${[...new Set(env.unhandled)].slice(0, 5).join(', ')}`;
    const secrets = fake?.secrets ?? [];
    return { ...result, status: 'fail', error: scrubString(message, secrets), durationMs: Date.now() - started };
  } finally {
    env.resetHandlers();
  }
}
