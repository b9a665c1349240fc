const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LEGACY_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/;

/**
 * GitLab writes times as ISO-8601 in the REST API (`2026-01-01T00:00:00.000Z`) and as
 * `2017-09-15 16:50:55 UTC` or `2017-09-15 16:50:55 +0200` in webhook payloads. Both
 * become ISO-8601 UTC; anything unreadable becomes undefined.
 */
export function gitlabTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  // The REST API's own form is already what we return.
  if (ISO_UTC_MS.test(value) && !Number.isNaN(Date.parse(value))) return value;
  const text = value.trim();
  // Webhook form in UTC, the most common one: no Date needed.
  const utc = LEGACY_UTC.exec(text);
  if (utc) {
    const iso = `${utc[1]}T${utc[2]}.000Z`;
    if (!Number.isNaN(Date.parse(iso))) return iso;
  }
  const legacy = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*(UTC|Z|[+-]\d{2}:?\d{2})$/.exec(text);
  let ms: number;
  if (legacy) {
    const zone = legacy[3] === 'UTC' || legacy[3] === 'Z' ? 'Z' : legacy[3]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    ms = Date.parse(`${legacy[1]}T${legacy[2]}${zone}`);
  } else {
    ms = Date.parse(text);
  }
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A GitLab due date (`2026-05-01`, no time) as the ISO instant of its start (UTC). */
export function gitlabDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return gitlabTime(value);
  return `${value}T00:00:00.000Z`;
}
