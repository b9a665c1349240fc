import * as crypto from 'node:crypto';
import type { RichText } from './model/common.js';

/** Node's one-shot `crypto.hash` (Node 20.12+), cheaper than a Hash object for one string. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** `sha256:<hex>` of a text, as used in `RichText.sourceDigest`. */
export function sha256Digest(text: string): string {
  const hex = oneShotHash ? oneShotHash('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
  return `sha256:${hex}`;
}

/**
 * Defines `sourceDigest` on a RichText as an own enumerable property computed on first
 * read: listings that never look at it do not hash every body, while reading it,
 * `JSON.stringify`, spreading, `structuredClone` and schema validation see the same
 * string as before. The first read (or a write) turns it into a plain data property.
 */
function defineLazyDigest(target: Omit<RichText, 'sourceDigest'>, source: string): void {
  Object.defineProperty(target, 'sourceDigest', {
    enumerable: true,
    configurable: true,
    get(this: RichText): string {
      const value = sha256Digest(source);
      Object.defineProperty(this, 'sourceDigest', { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set(this: RichText, value: string) {
      Object.defineProperty(this, 'sourceDigest', { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

/**
 * Wraps provider text as RichText. `markdown` is what Krate shows; `sourceDigest`
 * is over the source as the provider holds it, so a lossy conversion is visible as
 * a digest mismatch plus `renderWarnings`. The digest is computed when first read.
 */
export function toRichText(
  markdown: string | null | undefined,
  options: { sourceFormat?: RichText['sourceFormat']; source?: string; renderWarnings?: string[] } = {},
): RichText {
  const text = markdown ?? '';
  const rich = { markdown: text, sourceFormat: options.sourceFormat ?? 'markdown' } as RichText;
  defineLazyDigest(rich, options.source ?? text);
  rich.renderWarnings = options.renderWarnings ?? [];
  return rich;
}
