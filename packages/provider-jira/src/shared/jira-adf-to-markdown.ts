import type { AdfDoc, AdfMark, AdfNode } from './jira-adf.js';

/** The result of rendering ADF as Markdown. */
export interface AdfMarkdown {
  markdown: string;
  /** What Markdown could not carry (mentions, panels, status lozenges, media, expands, ...), one line per kind. */
  renderWarnings: string[];
}

interface Walk {
  warnings: Set<string>;
}

function escapeInline(text: string): string {
  return text.replace(/([\\`*_[\]<>~|])/g, '\\$1');
}

function attr(node: AdfNode, name: string): string | undefined {
  const value = node.attrs?.[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function wrap(text: string, marks: AdfMark[] | undefined, walk: Walk): string {
  if (!marks || marks.length === 0 || text === '') return text;
  let out = text;
  let link: string | undefined;
  for (const mark of marks) {
    switch (mark.type) {
      case 'strong': out = `**${out}**`; break;
      case 'em': out = `*${out}*`; break;
      case 'strike': out = `~~${out}~~`; break;
      case 'code': break;
      case 'link': link = typeof mark.attrs?.href === 'string' ? mark.attrs.href : undefined; break;
      default: walk.warnings.add(`mark "${mark.type}" has no Markdown form: kept as plain text`);
    }
  }
  return link !== undefined ? `[${out}](${link.replace(/[()\s]/g, encodeURIComponent)})` : out;
}

function renderInline(nodes: AdfNode[] | undefined, walk: Walk): string {
  let out = '';
  for (const node of nodes ?? []) {
    switch (node.type) {
      case 'text': {
        const code = node.marks?.some((m) => m.type === 'code');
        const raw = node.text ?? '';
        const body = code ? `\`${raw.replace(/`/g, 'ˋ')}\`` : escapeInline(raw);
        out += wrap(body, node.marks, walk);
        break;
      }
      case 'hardBreak': out += '\\\n'; break;
      case 'mention': {
        walk.warnings.add('mention: rendered as @name; the account id is kept in the ADF source');
        const text = attr(node, 'text') ?? `@${attr(node, 'id') ?? 'unknown'}`;
        out += escapeInline(text.startsWith('@') ? text : `@${text}`);
        break;
      }
      case 'emoji':
        walk.warnings.add('emoji: rendered as its character or :short-name:');
        out += attr(node, 'text') ?? attr(node, 'shortName') ?? '';
        break;
      case 'inlineCard': {
        walk.warnings.add('inlineCard: rendered as a plain link');
        const url = attr(node, 'url');
        out += url ? `<${url}>` : '';
        break;
      }
      case 'date': {
        walk.warnings.add('date: rendered as an ISO date');
        const ts = Number(attr(node, 'timestamp'));
        out += Number.isFinite(ts) ? new Date(ts).toISOString().slice(0, 10) : '';
        break;
      }
      case 'status': {
        walk.warnings.add('status lozenge: rendered as [text]');
        out += `\\[${escapeInline(attr(node, 'text') ?? '')}\\]`;
        break;
      }
      case 'mediaInline': walk.warnings.add('media: attachments are not rendered'); break;
      case 'placeholder': walk.warnings.add('placeholder: dropped'); break;
      case 'inlineExtension': walk.warnings.add('extension: not rendered'); break;
      default:
        walk.warnings.add(`inline node "${node.type}" is unknown: its text is kept`);
        out += escapeInline(renderInline(node.content, walk));
    }
  }
  return out;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}

function renderListItem(item: AdfNode, marker: string, walk: Walk): string {
  const blocks = renderBlocks(item.content, walk, true);
  const pad = ' '.repeat(marker.length + 1);
  const [first = '', ...rest] = blocks.split('\n');
  return [`${marker} ${first}`, ...rest.map((l) => (l === '' ? l : pad + l))].join('\n');
}

function cellText(cell: AdfNode, walk: Walk): string {
  const blocks = cell.content ?? [];
  if (blocks.length > 1 || blocks.some((b) => b.type !== 'paragraph')) walk.warnings.add('table: cells with more than one paragraph are flattened');
  return blocks
    .map((b) => (b.type === 'paragraph' ? renderInline(b.content, walk) : renderBlocks([b], walk, true).replace(/\n+/g, ' ')))
    .join(' ')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
}

function renderTable(node: AdfNode, walk: Walk): string {
  const rows = (node.content ?? []).filter((r) => r.type === 'tableRow');
  if (rows.length === 0) return '';
  const cells = rows.map((r) => (r.content ?? []).map((c) => cellText(c, walk)));
  const width = Math.max(...cells.map((r) => r.length));
  const first = rows[0]!;
  const headed = (first.content ?? []).every((c) => c.type === 'tableHeader');
  if (!headed) walk.warnings.add('table: a table without a header row gets an empty one');
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  const header = headed ? cells[0]! : Array.from({ length: width }, () => '');
  const body = headed ? cells.slice(1) : cells;
  return [line(header), `| ${Array.from({ length: width }, () => '---').join(' | ')} |`, ...body.map(line)].join('\n');
}

function renderBlock(node: AdfNode, walk: Walk): string {
  switch (node.type) {
    case 'paragraph': return renderInline(node.content, walk);
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 1)));
      return `${'#'.repeat(level)} ${renderInline(node.content, walk)}`;
    }
    case 'bulletList': return (node.content ?? []).map((i) => renderListItem(i, '-', walk)).join('\n');
    case 'orderedList': {
      const start = Number(node.attrs?.order ?? 1) || 1;
      return (node.content ?? []).map((i, n) => renderListItem(i, `${start + n}.`, walk)).join('\n');
    }
    case 'taskList':
      return (node.content ?? [])
        .map((i) => (i.type === 'taskList' ? indent(renderBlock(i, walk), '  ') : `- [${attr(i, 'state') === 'DONE' ? 'x' : ' '}] ${renderInline(i.content, walk)}`))
        .join('\n');
    case 'decisionList':
      walk.warnings.add('decision list: rendered as a bullet list');
      return (node.content ?? []).map((i) => `- ${renderInline(i.content, walk)}`).join('\n');
    case 'blockItem':
    case 'blockTaskItem':
      return `- [${attr(node, 'state') === 'DONE' ? 'x' : ' '}] ${renderBlocks(node.content, walk, true)}`;
    case 'codeBlock': {
      const text = (node.content ?? []).map((t) => t.text ?? '').join('');
      const fence = text.includes('```') ? '~~~~' : '```';
      return `${fence}${attr(node, 'language') ?? ''}\n${text}\n${fence}`;
    }
    case 'blockquote': return indent(renderBlocks(node.content, walk), '> ').replace(/^$/gm, '>');
    case 'rule': return '---';
    case 'table': return renderTable(node, walk);
    case 'panel': {
      walk.warnings.add(`panel (${attr(node, 'panelType') ?? 'info'}): rendered as a blockquote`);
      return indent(renderBlocks(node.content, walk), '> ').replace(/^$/gm, '>');
    }
    case 'expand':
    case 'nestedExpand': {
      walk.warnings.add('expand: rendered open, with its title in bold');
      const title = attr(node, 'title');
      return [title ? `**${escapeInline(title)}**` : '', renderBlocks(node.content, walk)].filter(Boolean).join('\n\n');
    }
    case 'mediaSingle':
    case 'mediaGroup': {
      const media = (node.content ?? []).filter((m) => m.type === 'media');
      const links = media.map((m) => (attr(m, 'type') === 'external' && attr(m, 'url') ? `![${escapeInline(attr(m, 'alt') ?? '')}](${attr(m, 'url')})` : ''));
      if (media.some((m) => attr(m, 'type') !== 'external')) walk.warnings.add('media: attachments are not rendered');
      return links.filter(Boolean).join('\n');
    }
    case 'blockCard':
    case 'embedCard': {
      walk.warnings.add(`${node.type}: rendered as a plain link`);
      const url = attr(node, 'url');
      return url ? `<${url}>` : '';
    }
    case 'layoutSection':
      walk.warnings.add('layout: columns are rendered one after the other');
      return (node.content ?? []).map((c) => renderBlocks(c.content, walk)).filter(Boolean).join('\n\n');
    case 'extension':
    case 'bodiedExtension':
    case 'multiBodiedExtension':
    case 'syncBlock':
    case 'bodiedSyncBlock':
      walk.warnings.add(`${node.type}: not rendered`);
      return node.type === 'bodiedExtension' || node.type === 'bodiedSyncBlock' ? renderBlocks(node.content, walk) : '';
    default:
      walk.warnings.add(`block node "${node.type}" is unknown: its text is kept`);
      return node.content ? renderBlocks(node.content, walk) : escapeInline(node.text ?? '');
  }
}

function renderBlocks(nodes: AdfNode[] | undefined, walk: Walk, tight = false): string {
  const parts = (nodes ?? []).map((n) => renderBlock(n, walk));
  // Inside a list item, a paragraph followed by a nested list stays tight (one line break).
  if (tight) {
    let out = '';
    (nodes ?? []).forEach((node, i) => {
      if (i > 0) out += node.type === 'bulletList' || node.type === 'orderedList' || node.type === 'taskList' ? '\n' : '\n\n';
      out += parts[i];
    });
    return out;
  }
  return parts.filter((p, i) => p !== '' || nodes![i]!.type === 'paragraph').join('\n\n');
}

/**
 * ADF to Markdown (CommonMark + GFM tables, strike-through and task lists). What
 * Markdown cannot carry is rendered as closely as it can be and reported in
 * `renderWarnings`: mentions, inline cards, dates, status lozenges, panels, expands,
 * media, layouts, extensions, colours and underline. The ADF itself stays the source
 * (its digest is `sourceDigest`).
 */
export function adfToMarkdown(doc: AdfDoc | null | undefined): AdfMarkdown {
  if (!doc || !Array.isArray(doc.content)) return { markdown: '', renderWarnings: [] };
  const walk: Walk = { warnings: new Set() };
  const markdown = renderBlocks(doc.content, walk).replace(/\n{3,}/g, '\n\n').trimEnd();
  return { markdown, renderWarnings: [...walk.warnings] };
}
