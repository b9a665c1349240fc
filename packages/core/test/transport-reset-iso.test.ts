import { describe, expect, it } from 'vitest';
import { retryAfterFromHeaders } from '../src/index.js';
import { readRateLimitHeaders } from '../src/transport/transport-headers.js';
import { resetHeaderToEpochMs } from '../src/transport/index.js';

const NOW = Date.parse('2026-03-26T15:58:30.000Z');

describe('ISO-8601 reset headers (Jira X-RateLimit-Reset)', () => {
  it('reads a minute-precision ISO instant as that instant, not as "2026 seconds"', () => {
    expect(resetHeaderToEpochMs('2026-03-26T16:00Z', NOW)).toBe(Date.parse('2026-03-26T16:00:00.000Z'));
  });

  it('reads seconds, fractions and numeric offsets', () => {
    expect(resetHeaderToEpochMs('2026-03-26T16:00:15.500Z', NOW)).toBe(Date.parse('2026-03-26T16:00:15.500Z'));
    expect(resetHeaderToEpochMs('2026-03-26T17:00+0100', NOW)).toBe(Date.parse('2026-03-26T16:00:00.000Z'));
    expect(resetHeaderToEpochMs('2026-03-26T17:00:00+01:00', NOW)).toBe(Date.parse('2026-03-26T16:00:00.000Z'));
  });

  it('still reads numbers by size', () => {
    expect(resetHeaderToEpochMs('1774540800', NOW)).toBe(1774540800_000);
    expect(resetHeaderToEpochMs('30', NOW)).toBe(NOW + 30_000);
    expect(resetHeaderToEpochMs('2026-13-45Tnonsense', NOW)).toBe(NOW + 2026_000);
  });

  it('gives the wait until the ISO reset when the remaining count is 0 and no Retry-After came', () => {
    const headers = new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-03-26T16:00Z' });
    expect(retryAfterFromHeaders(headers, NOW)).toBe(90_000);
  });

  it('reports resetAt as the ISO instant', () => {
    const headers = new Headers({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '2026-03-26T16:00Z' });
    expect(readRateLimitHeaders(headers, NOW)).toEqual({ limit: 100, remaining: 5, resetAt: '2026-03-26T16:00:00.000Z' });
  });
});
