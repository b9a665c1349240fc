/**
 * JSON.parse that answers undefined for text that is not JSON (the caller reports it).
 * The engine's own parser, not Octokit's BigInt-preserving one (several times slower on
 * Node 20): the integers of GitHub's list items (ids, numbers, counts) stay far below
 * Number.MAX_SAFE_INTEGER.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether a value is a plain object of strings. */
export function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
