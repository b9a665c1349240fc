// One replica of a fleet: a real GitHub provider instance (the built package) with either
// the Redis store or its own in-memory store, driven by the parent test over IPC.
import { createMemoryStateStore, ProviderError } from '@krate/core';
import { createGitHubProvider } from '@krate/provider-github';
import { createRedisStateStore } from '@krate/state-redis';

const worker = Number(process.env.FLEET_WORKER ?? '0');
let instance;
let store;

const describeError = (error) =>
  ProviderError.isInstance(error)
    ? { typed: true, code: error.code, retryAfterMs: error.retryAfterMs, message: error.message }
    : { typed: false, message: String(error?.stack ?? error) };

async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/** Runs `count` calls, `concurrency` at a time. */
async function many(count, concurrency, call) {
  const results = [];
  let next = 0;
  async function lane() {
    while (next < count) {
      next += 1;
      results.push(await settle(call()));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results.map((r) => (r.ok ? { ok: true } : r));
}

const commands = {
  async init({ config, state }) {
    await store?.close?.();
    store =
      state.kind === 'redis'
        ? createRedisStateStore({ url: state.url, keyPrefix: state.keyPrefix, commandTimeoutMs: 500 })
        : createMemoryStateStore();
    instance = createGitHubProvider(config, { state: store });
    return { kind: store.kind };
  },
  async list({ scope, count, concurrency }) {
    return many(count, concurrency, () => instance.issueTracking.listIssues(scope, { pageSize: 5 }));
  },
  async webhook({ request, fail, holdMs }) {
    const outcome = await settle(
      instance.webhooks.process(
        request,
        async (delivery) => {
          process.send({ event: 'processing', deliveryId: delivery.deliveryId, worker });
          if (holdMs) await new Promise((resolve) => setTimeout(resolve, holdMs));
          if (fail) throw new Error('the handler failed');
          process.send({ event: 'processed', deliveryId: delivery.deliveryId, worker });
          return worker;
        },
        { confirmRetryMs: 10_000 },
      ),
    );
    return outcome.ok ? { ok: true, outcome: outcome.value.outcome } : outcome;
  },
  async create({ input }) {
    const outcome = await settle(instance.issueTracking.createIssue(input));
    return outcome.ok ? { ok: true, ref: outcome.value.ref } : outcome;
  },
  async exit() {
    await store?.close?.();
    setImmediate(() => process.exit(0));
    return true;
  },
};

process.on('message', async (message) => {
  const { id, cmd, ...args } = message;
  try {
    const result = await commands[cmd](args);
    process.send({ id, result });
  } catch (error) {
    process.send({ id, error: describeError(error) });
  }
});
process.send({ event: 'ready', worker });
