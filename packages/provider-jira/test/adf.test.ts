import { markdownToAdf as marklassian } from 'marklassian';
import { describe, expect, it } from 'vitest';
import { adfToMarkdown } from '../src/shared/jira-adf-to-markdown.js';
import { markdownToAdf } from '../src/shared/jira-markdown-to-adf.js';
import type { AdfDoc, AdfNode } from '../src/shared/jira-adf.js';
import { adfRichText } from '../src/shared/jira-rich-text.js';
import { adfErrors } from './fixtures/adf-schema.js';

const doc = (...content: AdfNode[]): AdfDoc => ({ type: 'doc', version: 1, content });
const p = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content });
const t = (text: string, ...marks: string[]): AdfNode => (marks.length ? { type: 'text', text, marks: marks.map((type) => ({ type })) } : { type: 'text', text });

/** Types of every node in a document. */
function nodeTypes(node: AdfNode | AdfDoc, out = new Set<string>()): Set<string> {
  out.add(node.type);
  for (const child of node.content ?? []) nodeTypes(child, out);
  return out;
}

describe('Markdown -> ADF (marklassian, post-fixed)', () => {
  const samples: Record<string, string> = {
    'heading inside a list item': '- # Heading in a list\n- plain',
    'list nested under a task item': '- [ ] task\n  - sub item\n- [x] done',
    'nested blockquotes': '> a\n> > b',
    'blockquote inside a list item': '- item\n  > quoted',
    'code with other marks': '**`code`** and *`more`*',
    'empty list item': '- \n- b',
    'list mixing task and plain items': '- [ ] todo\n- plain\n  - [x] nested done\n  - nested plain\n- [x] done',
    everything: '# Title\n\nText with **bold**, *em*, ~~strike~~, `code` and [a link](https://example.com).\n\n1. one\n2. two\n   - nested\n\n```ts\nconst a = 1;\n```\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n\n![img](https://example.com/i.png)',
    empty: '',
  };

  it('marklassian alone produces invalid ADF for the known cases (what the post-fix repairs)', () => {
    expect(adfErrors(marklassian(samples['heading inside a list item']!))).toBeDefined();
    expect(adfErrors(marklassian(samples['list nested under a task item']!))).toBeDefined();
    expect(adfErrors(marklassian(samples['nested blockquotes']!))).toBeDefined();
  });

  for (const [name, markdown] of Object.entries(samples)) {
    it(`${name}: the output validates against the ADF schema`, () => {
      const adf = markdownToAdf(markdown);
      expect(adfErrors(adf)).toBeUndefined();
    });
  }

  it('is deterministic: task list ids do not change between runs', () => {
    expect(JSON.stringify(markdownToAdf(samples['list nested under a task item']!))).toBe(JSON.stringify(markdownToAdf(samples['list nested under a task item']!)));
  });

  it('keeps what it repairs: the heading text is bold, the nested list follows its task', () => {
    const heading = markdownToAdf(samples['heading inside a list item']!);
    expect(JSON.stringify(heading)).toContain('"text":"Heading in a list","marks":[{"type":"strong"}]');
    const tasks = markdownToAdf(samples['list nested under a task item']!);
    expect(tasks.content.map((n) => n.type)).toEqual(['taskList', 'bulletList', 'taskList']);
    expect(adfToMarkdown(tasks).markdown).toBe('- [ ] task\n\n- sub item\n\n- [x] done');
  });

  it('keeps the checkboxes of a list that mixes task and plain items (marklassian drops them)', () => {
    const adf = markdownToAdf('- [ ] todo\n- plain\n- [x] done\n\n```\n- [ ] in code\n- not a list\n```');
    expect(adf.content.map((n) => n.type)).toEqual(['taskList', 'bulletList', 'taskList', 'codeBlock']);
    expect(adfToMarkdown(adf).markdown).toBe('- [ ] todo\n\n- plain\n\n- [x] done\n\n```text\n- [ ] in code\n- not a list\n```');
  });

  it('an empty string is an empty document', () => {
    expect(markdownToAdf('')).toEqual({ type: 'doc', version: 1, content: [] });
  });
});

/**
 * One document per node type of the ADF schema (the `*_node` definitions of full.json):
 * each must validate, and its Markdown must either carry it (the node type comes back
 * from Markdown -> ADF) or report it in renderWarnings.
 */
const mediaSingle: AdfNode = { type: 'mediaSingle', attrs: { layout: 'center' }, content: [{ type: 'media', attrs: { type: 'file', id: '6e7c7f2c-dd7a-499c-bceb-6f32bfbf30b5', collection: 'jira-10001' } }] };
const NODE_SAMPLES: Record<string, { doc: AdfDoc; carried: boolean }> = {
  paragraph: { doc: doc(p(t('plain'))), carried: true },
  text: { doc: doc(p(t('bold', 'strong'), t(' '), t('em', 'em'), t(' '), t('gone', 'strike'), t(' '), t('code', 'code'))), carried: true },
  heading: { doc: doc({ type: 'heading', attrs: { level: 2 }, content: [t('Heading')] }), carried: true },
  bulletList: { doc: doc({ type: 'bulletList', content: [{ type: 'listItem', content: [p(t('a'))] }, { type: 'listItem', content: [p(t('b'))] }] }), carried: true },
  orderedList: { doc: doc({ type: 'orderedList', attrs: { order: 1 }, content: [{ type: 'listItem', content: [p(t('a'))] }] }), carried: true },
  listItem: { doc: doc({ type: 'bulletList', content: [{ type: 'listItem', content: [p(t('x')), { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('y'))] }] }] }] }), carried: true },
  taskList: { doc: doc({ type: 'taskList', attrs: { localId: 'l1' }, content: [{ type: 'taskItem', attrs: { localId: 'i1', state: 'DONE' }, content: [t('done')] }] }), carried: true },
  taskItem: { doc: doc({ type: 'taskList', attrs: { localId: 'l1' }, content: [{ type: 'taskItem', attrs: { localId: 'i1', state: 'TODO' }, content: [t('todo')] }] }), carried: true },
  codeBlock: { doc: doc({ type: 'codeBlock', attrs: { language: 'ts' }, content: [t('const a = 1;')] }), carried: true },
  blockquote: { doc: doc({ type: 'blockquote', content: [p(t('quoted'))] }), carried: true },
  rule: { doc: doc(p(t('a')), { type: 'rule' }, p(t('b'))), carried: true },
  hardBreak: { doc: doc(p(t('line 1'), { type: 'hardBreak' }, t('line 2'))), carried: true },
  table: {
    doc: doc({
      type: 'table',
      attrs: { isNumberColumnEnabled: false, layout: 'default' },
      content: [
        { type: 'tableRow', content: [{ type: 'tableHeader', attrs: {}, content: [p(t('h'))] }] },
        { type: 'tableRow', content: [{ type: 'tableCell', attrs: {}, content: [p(t('c'))] }] },
      ],
    }),
    carried: true,
  },
  emoji: { doc: doc(p({ type: 'emoji', attrs: { shortName: ':smile:', id: '1f604', text: '😄' } })), carried: false },
  mention: { doc: doc(p({ type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: '@Krate Bot', accessLevel: '' } })), carried: false },
  inlineCard: { doc: doc(p({ type: 'inlineCard', attrs: { url: 'https://krate.atlassian.net/browse/KRATE-1' } })), carried: false },
  date: { doc: doc(p({ type: 'date', attrs: { timestamp: '1767225600000' } })), carried: false },
  status: { doc: doc(p({ type: 'status', attrs: { text: 'In review', color: 'blue', localId: 's1' } })), carried: false },
  panel: { doc: doc({ type: 'panel', attrs: { panelType: 'warning' }, content: [p(t('careful'))] }), carried: false },
  expand: { doc: doc({ type: 'expand', attrs: { title: 'Details' }, content: [p(t('hidden'))] }), carried: false },
  nestedExpand: { doc: doc({ type: 'table', attrs: { isNumberColumnEnabled: false, layout: 'default' }, content: [{ type: 'tableRow', content: [{ type: 'tableCell', attrs: {}, content: [{ type: 'nestedExpand', attrs: { title: 'more' }, content: [p(t('inner'))] }] }] }] }), carried: false },
  mediaSingle: { doc: doc(mediaSingle), carried: false },
  mediaGroup: { doc: doc({ type: 'mediaGroup', content: [{ type: 'media', attrs: { type: 'file', id: '6e7c7f2c-dd7a-499c-bceb-6f32bfbf30b5', collection: 'jira-10001' } }] }), carried: false },
  mediaInline: { doc: doc(p({ type: 'mediaInline', attrs: { id: '6e7c7f2c-dd7a-499c-bceb-6f32bfbf30b5', collection: 'jira-10001', type: 'file' } })), carried: false },
  decisionList: { doc: doc({ type: 'decisionList', attrs: { localId: 'd1' }, content: [{ type: 'decisionItem', attrs: { localId: 'd2', state: 'DECIDED' }, content: [t('we ship')] }] }), carried: false },
  blockCard: { doc: doc({ type: 'blockCard', attrs: { url: 'https://example.com' } }), carried: false },
  embedCard: { doc: doc({ type: 'embedCard', attrs: { url: 'https://example.com', layout: 'wide' } }), carried: false },
  layoutSection: {
    doc: doc({ type: 'layoutSection', content: [{ type: 'layoutColumn', attrs: { width: 50 }, content: [p(t('left'))] }, { type: 'layoutColumn', attrs: { width: 50 }, content: [p(t('right'))] }] }),
    carried: false,
  },
  extension: { doc: doc({ type: 'extension', attrs: { extensionType: 'com.atlassian.macro', extensionKey: 'toc' } }), carried: false },
  bodiedExtension: { doc: doc({ type: 'bodiedExtension', attrs: { extensionType: 'com.atlassian.macro', extensionKey: 'box' }, content: [p(t('inside'))] }), carried: false },
  inlineExtension: { doc: doc(p({ type: 'inlineExtension', attrs: { extensionType: 'com.atlassian.macro', extensionKey: 'x' } })), carried: false },
  placeholder: { doc: doc(p({ type: 'placeholder', attrs: { text: 'Type here' } })), carried: false },
  underline: { doc: doc(p(t('under', 'underline'))), carried: false },
  textColor: { doc: doc(p({ type: 'text', text: 'red', marks: [{ type: 'textColor', attrs: { color: '#ff0000' } }] })), carried: false },
};

describe('ADF -> Markdown (our walker): every node type', () => {
  for (const [type, sample] of Object.entries(NODE_SAMPLES)) {
    it(`${type}: schema-valid sample, ${sample.carried ? 'carried through Markdown and back' : 'reported in renderWarnings'}`, () => {
      expect(adfErrors(sample.doc)).toBeUndefined();
      const { markdown, renderWarnings } = adfToMarkdown(sample.doc);
      if (sample.carried) {
        expect(renderWarnings).toEqual([]);
        const back = markdownToAdf(markdown);
        expect(adfErrors(back)).toBeUndefined();
        const types = nodeTypes(sample.doc);
        for (const wanted of types) expect(nodeTypes(back), `${type}: ${markdown}`).toContain(wanted);
        expect(adfToMarkdown(back).markdown).toBe(markdown);
      } else {
        expect(renderWarnings.length).toBeGreaterThan(0);
      }
    });
  }

  it('covers every *_node definition of the schema (or names why a node is left out)', async () => {
    const { readFileSync } = await import('node:fs');
    const schema = JSON.parse(readFileSync(new URL('./fixtures/adf-full-schema.json', import.meta.url), 'utf8')) as { definitions: Record<string, unknown> };
    const notStandalone: Record<string, string> = {
      doc: 'the root of every sample',
      media: 'only inside mediaSingle / mediaGroup (sampled there)',
      caption: 'only inside mediaSingle',
      layoutColumn: 'only inside layoutSection (sampled there)',
      tableRow: 'only inside table (sampled there)',
      tableCell: 'only inside tableRow (sampled there)',
      tableHeader: 'only inside tableRow (sampled there)',
      decisionItem: 'only inside decisionList (sampled there)',
      blockTaskItem: 'a task item holding blocks (stage-0): rendered as a task by the walker',
      code_inline: 'the code mark on text (sampled in text)',
      formatted_text_inline: 'a group of inline nodes, not a node type',
      inline: 'a group of inline nodes, not a node type',
      table_row: 'tableRow (sampled in table)',
      table_cell: 'tableCell (sampled in table)',
      table_header: 'tableHeader (sampled in table)',
      multiBodiedExtension: 'Confluence only',
      extensionFrame: 'Confluence only',
      syncBlock: 'Confluence only; rendered with a warning',
      bodiedSyncBlock: 'Confluence only; rendered with a warning',
    };
    const nodeNames = new Set(Object.keys(schema.definitions).filter((d) => d.endsWith('_node')).map((d) => d.replace(/_node$/, '').replace(/_(with|root|full|caption).*$/, '')));
    const missing = [...nodeNames].filter((n) => !(n in NODE_SAMPLES) && !(n in notStandalone));
    expect(missing).toEqual([]);
  });

  it('the rich text keeps the ADF: sourceFormat adf, digest over canonical JSON, warnings, and the same digest for reordered keys', () => {
    const a = adfRichText(NODE_SAMPLES.mention!.doc);
    expect(a.text.sourceFormat).toBe('adf');
    expect(a.lossy).toBe(true);
    expect(a.text.renderWarnings.join(' ')).toMatch(/mention/);
    const reordered = JSON.parse(JSON.stringify({ content: NODE_SAMPLES.mention!.doc.content, version: 1, type: 'doc' }));
    expect(adfRichText(reordered).text.sourceDigest).toBe(a.text.sourceDigest);
  });

  it('renders a mixed document readably', () => {
    const { markdown } = adfToMarkdown(doc({ type: 'heading', attrs: { level: 1 }, content: [t('Title')] }, p(t('a '), t('b', 'strong'), t(' '), { type: 'text', text: 'link', marks: [{ type: 'link', attrs: { href: 'https://x.test/a' } }] })));
    expect(markdown).toBe('# Title\n\na **b** [link](https://x.test/a)');
  });
});
