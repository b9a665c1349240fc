import { InvalidConfigError, WebhookSignatureInvalidError } from '../errors.js';

export interface VerifyTimestampOptions {
  /** The current time (a Date or ms since the epoch). Default: now. */
  now?: Date | number | undefined;
  /** How far the timestamp may be from now, either way. Default 300 s. */
  toleranceSeconds?: number | undefined;
  /** The timestamp's unit: seconds (default) or milliseconds since the epoch. */
  unit?: 's' | 'ms' | undefined;
  /** The provider type, for error messages. */
  provider?: string | undefined;
}

/**
 * Checks the signed timestamp of a delivery against the clock, for schemes that sign
 * one (replay protection). A missing, unreadable, stale or future timestamp beyond the
 * tolerance throws `WebhookSignatureInvalidError`.
 */
export function verifyTimestamp(timestamp: string | number | undefined, options: VerifyTimestampOptions = {}): void {
  const { provider, toleranceSeconds = 300, unit = 's' } = options;
  // Fail closed: a clock or tolerance that is not a finite number would let every timestamp pass.
  if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new InvalidConfigError({
      provider,
      message: `webhook timestamp tolerance must be a finite number of seconds, at least 0 (got ${String(toleranceSeconds)}); the delivery is refused`,
    });
  }
  if (unit !== 's' && unit !== 'ms') {
    throw new InvalidConfigError({ provider, message: `webhook timestamp unit must be "s" or "ms" (got ${String(unit)})` });
  }
  if (timestamp === undefined || timestamp === null || timestamp === '') {
    throw new WebhookSignatureInvalidError({ provider, message: 'webhook delivery has no signed timestamp' });
  }
  const value =
    typeof timestamp === 'number'
      ? timestamp
      : typeof timestamp === 'string' && timestamp.length <= 32 && /^\s*\d+(?:\.\d+)?\s*$/.test(timestamp)
        ? Number(timestamp)
        : Number.NaN;
  if (!Number.isFinite(value)) {
    throw new WebhookSignatureInvalidError({ provider, message: 'webhook timestamp is not a number' });
  }
  const nowMs =
    options.now === undefined
      ? Date.now()
      : typeof options.now === 'number'
        ? options.now
        : options.now instanceof Date
          ? options.now.getTime()
          : Number.NaN;
  if (!Number.isFinite(nowMs)) {
    throw new InvalidConfigError({
      provider,
      message: 'the current time given to the webhook timestamp check is not a valid time; the delivery is refused',
    });
  }
  const sentMs = unit === 'ms' ? value : value * 1000;
  const skewSeconds = (nowMs - sentMs) / 1000;
  if (skewSeconds > toleranceSeconds) {
    throw new WebhookSignatureInvalidError({
      provider,
      message: `webhook timestamp is ${Math.round(skewSeconds)} s old (tolerance ${toleranceSeconds} s); a replayed or delayed delivery is refused`,
    });
  }
  if (-skewSeconds > toleranceSeconds) {
    throw new WebhookSignatureInvalidError({
      provider,
      message: `webhook timestamp is ${Math.round(-skewSeconds)} s in the future (tolerance ${toleranceSeconds} s)`,
    });
  }
}
