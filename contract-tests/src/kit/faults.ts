import type { FaultInjector, FaultOptions } from './types.js';

export type FaultKind = 'rateLimit' | 'serverError' | 'timeout' | 'drop' | 'malformed' | 'status';

export interface PendingFault {
  kind: FaultKind;
  options: FaultOptions & { afterWrite?: boolean };
}

interface QueuedFault extends PendingFault {
  remaining: number;
  toSkip: number;
}

export interface FaultQueue {
  /** What a fake exposes as `fake.faults`. */
  injector: FaultInjector;
  /**
   * The fault that applies to this request, consuming one use of the first pending
   * fault whose filters match (`method`, `path`, `after`, `times`). A `drop({ afterWrite })`
   * fault only matches writes: `info.write`, or any method but GET/HEAD when `info` is absent.
   */
  take(request: Request, path: string, info?: { write?: boolean }): PendingFault | undefined;
  /** Pending faults, oldest first. */
  readonly pending: readonly PendingFault[];
  clear(): void;
}

function checkTimes(options: FaultOptions): number {
  const times = options.times ?? 1;
  if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
    throw new TypeError(`fault option "times" must be a positive integer or Infinity, got ${String(times)}`);
  }
  return times;
}

function matches(fault: QueuedFault, request: Request, path: string, info: { write?: boolean } | undefined): boolean {
  const { method, path: wanted } = fault.options;
  if (fault.kind === 'drop' && fault.options.afterWrite) {
    const write = info?.write ?? !['GET', 'HEAD'].includes(request.method.toUpperCase());
    if (!write) return false;
  }
  if (method !== undefined && method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (wanted !== undefined) {
    if (typeof wanted === 'string' ? wanted !== path : !wanted.test(path)) return false;
  }
  return true;
}

/** A queue of injected faults that a fake server consults on every request. */
export function createFaultQueue(): FaultQueue {
  const queue: QueuedFault[] = [];
  const add = (kind: FaultKind, options: FaultOptions & { afterWrite?: boolean } = {}) => {
    const after = options.after ?? 0;
    if (!Number.isInteger(after) || after < 0) throw new TypeError(`fault option "after" must be a non-negative integer, got ${String(after)}`);
    queue.push({ kind, options: { ...options }, remaining: checkTimes(options), toSkip: after });
  };
  const injector: FaultInjector = {
    rateLimit: (options) => add('rateLimit', options),
    serverError: (options) => add('serverError', options),
    timeout: (options) => add('timeout', options),
    drop: (options) => add('drop', options),
    malformed: (options) => add('malformed', options),
    status(status, options) {
      if (!Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`fault status must be an HTTP status, got ${String(status)}`);
      add('status', { ...options, status });
    },
    clear() {
      queue.length = 0;
    },
  };
  return {
    injector,
    take(request, path, info) {
      for (let i = 0; i < queue.length; i++) {
        const fault = queue[i]!;
        if (!matches(fault, request, path, info)) continue;
        if (fault.toSkip > 0) {
          fault.toSkip -= 1;
          continue;
        }
        fault.remaining -= 1;
        if (fault.remaining <= 0) queue.splice(i, 1);
        return { kind: fault.kind, options: fault.options };
      }
      return undefined;
    },
    get pending() {
      return queue.map(({ kind, options }) => ({ kind, options }));
    },
    clear() {
      queue.length = 0;
    },
  };
}
