import { toRichText, type RichText } from '@krate/core';
import { canonicalJson, isAdfDoc, type AdfDoc } from './jira-adf.js';
import { adfToMarkdown } from './jira-adf-to-markdown.js';

/**
 * ADF as the contract's RichText: Markdown from our walker, `sourceFormat: 'adf'`, the
 * digest over the canonical ADF JSON, and what Markdown could not carry as
 * `renderWarnings`. A missing body is an empty document.
 */
export function adfRichText(value: unknown): { text: RichText; lossy: boolean } {
  const doc: AdfDoc = isAdfDoc(value) ? value : { type: 'doc', version: 1, content: [] };
  const { markdown, renderWarnings } = adfToMarkdown(doc);
  return {
    text: toRichText(markdown, { sourceFormat: 'adf', source: canonicalJson(doc), renderWarnings }),
    lossy: renderWarnings.length > 0,
  };
}
