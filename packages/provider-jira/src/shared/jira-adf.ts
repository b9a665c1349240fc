/**
 * Atlassian Document Format (ADF) types and small helpers shared by the two
 * converters (Markdown -> ADF and ADF -> Markdown).
 */

/** One ADF node. */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: AdfMark[];
  text?: string;
}

/** One ADF mark (strong, em, link, ...). */
export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

/** An ADF document (`{ type: 'doc', version: 1, content }`). */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** Whether a value looks like an ADF document. */
export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'doc' &&
    Array.isArray((value as { content?: unknown }).content)
  );
}

/** An empty ADF document, as Jira stores an empty description. */
function emptyAdfDoc(): AdfDoc {
  return { type: 'doc', version: 1, content: [] };
}

/**
 * The canonical JSON of an ADF value: keys sorted, so the digest of a document does
 * not depend on the order a server or a converter wrote its keys in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
