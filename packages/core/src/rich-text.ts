import { createHash } from 'node:crypto';
import type { RichText } from './model/common.js';

/** `sha256:<hex>` of a text, as used in `RichText.sourceDigest`. */
export function sha256Digest(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/**
 * Wraps provider text as RichText. `markdown` is what Krate shows; `sourceDigest`
 * is over the source as the provider holds it, so a lossy conversion is visible as
 * a digest mismatch plus `renderWarnings`.
 */
export function toRichText(
  markdown: string | null | undefined,
  options: { sourceFormat?: RichText['sourceFormat']; source?: string; renderWarnings?: string[] } = {},
): RichText {
  const text = markdown ?? '';
  return {
    markdown: text,
    sourceFormat: options.sourceFormat ?? 'markdown',
    sourceDigest: sha256Digest(options.source ?? text),
    renderWarnings: options.renderWarnings ?? [],
  };
}
