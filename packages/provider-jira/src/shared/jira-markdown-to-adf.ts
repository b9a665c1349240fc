import { markdownToAdf as marklassian } from 'marklassian';
import type { AdfDoc, AdfMark, AdfNode } from './jira-adf.js';

/** Block nodes a `listItem` may hold (ADF schema `listItem_node`). */
const LIST_ITEM_BLOCKS = new Set(['paragraph', 'bulletList', 'orderedList', 'taskList', 'codeBlock', 'mediaSingle', 'extension']);
/** Block nodes a `blockquote` may hold (ADF schema `blockquote_node`). */
const BLOCKQUOTE_BLOCKS = new Set(['paragraph', 'orderedList', 'bulletList', 'codeBlock', 'mediaSingle', 'mediaGroup', 'extension']);
const LISTS = new Set(['bulletList', 'orderedList']);

function textOf(node: AdfNode): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(textOf).join('');
}

/** `code` combines only with `link` in ADF: other marks on code text are dropped. */
function fixMarks(marks: AdfMark[] | undefined): AdfMark[] | undefined {
  if (!marks || marks.length === 0) return undefined;
  if (marks.some((m) => m.type === 'code')) {
    const kept = marks.filter((m) => m.type === 'code' || m.type === 'link');
    return kept;
  }
  return marks;
}

function withStrong(nodes: AdfNode[]): AdfNode[] {
  return nodes.map((n) => {
    if (n.type !== 'text') return n;
    const marks = n.marks ?? [];
    if (marks.some((m) => m.type === 'strong' || m.type === 'code')) return n;
    return { ...n, marks: [...marks, { type: 'strong' }] };
  });
}

/** Blocks inside a list item, made valid: a heading becomes a bold paragraph, a blockquote gives up its content. */
function fixListItemContent(blocks: AdfNode[]): AdfNode[] {
  const out: AdfNode[] = [];
  for (const block of blocks) {
    if (block.type === 'heading') {
      out.push({ type: 'paragraph', content: withStrong(block.content ?? []) });
    } else if (block.type === 'blockquote') {
      out.push(...fixListItemContent(block.content ?? []));
    } else if (LIST_ITEM_BLOCKS.has(block.type)) {
      out.push(block);
    } else if (block.type === 'rule') {
      continue;
    } else {
      // A table or anything else a list item cannot hold: its text as a paragraph.
      const text = textOf(block);
      if (text) out.push({ type: 'paragraph', content: [{ type: 'text', text }] });
    }
  }
  // A list item must start with a paragraph (or another allowed first block): an empty one gets an empty paragraph.
  if (out.length === 0 || (out[0]!.type !== 'paragraph' && out[0]!.type !== 'codeBlock' && out[0]!.type !== 'mediaSingle')) {
    out.unshift({ type: 'paragraph', content: [] });
  }
  return out;
}

/** Blocks inside a blockquote, made valid: nested quotes are flattened, headings become bold paragraphs. */
function fixBlockquoteContent(blocks: AdfNode[]): AdfNode[] {
  const out: AdfNode[] = [];
  for (const block of blocks) {
    if (block.type === 'blockquote') out.push(...fixBlockquoteContent(block.content ?? []));
    else if (block.type === 'heading') out.push({ type: 'paragraph', content: withStrong(block.content ?? []) });
    else if (BLOCKQUOTE_BLOCKS.has(block.type)) out.push(block);
    else {
      const text = textOf(block);
      if (text) out.push({ type: 'paragraph', content: [{ type: 'text', text }] });
    }
  }
  if (out.length === 0) out.push({ type: 'paragraph', content: [] });
  return out;
}

/**
 * A task list whose items hold blocks (a list nested under a task item, which ADF does
 * not allow) is split: the task items keep their inline content, each nested list
 * follows its task list at the same level, and the tasks after it start a new task list.
 */
function splitTaskList(list: AdfNode): AdfNode[] {
  const out: AdfNode[] = [];
  let current: AdfNode[] = [];
  const flush = () => {
    if (current.length > 0) out.push({ ...list, content: current });
    current = [];
  };
  for (const item of list.content ?? []) {
    if (item.type === 'taskList') {
      current.push(item);
      continue;
    }
    const inline: AdfNode[] = [];
    const blocks: AdfNode[] = [];
    for (const child of item.content ?? []) {
      if (child.type === 'text' || child.type === 'hardBreak' || child.type === 'mention' || child.type === 'emoji' || child.type === 'inlineCard' || child.type === 'date' || child.type === 'status') inline.push(child);
      else if (child.type === 'paragraph') inline.push(...(child.content ?? []));
      else blocks.push(child);
    }
    current.push({ ...item, content: inline });
    if (blocks.length > 0) {
      flush();
      out.push(...blocks);
    }
  }
  flush();
  return out;
}

function fixBlocks(nodes: AdfNode[], ids: { next: number }): AdfNode[] {
  const out: AdfNode[] = [];
  for (const node of nodes) {
    const fixed = fixNode(node, ids);
    if (fixed.type === 'taskList') out.push(...splitTaskList(fixed));
    else out.push(fixed);
  }
  return out;
}

function fixNode(node: AdfNode, ids: { next: number }): AdfNode {
  if (node.type === 'text') {
    const marks = fixMarks(node.marks);
    const { marks: _old, ...rest } = node;
    return marks && marks.length > 0 ? { ...rest, marks } : rest;
  }
  const next: AdfNode = { ...node };
  if (node.type === 'taskList' || node.type === 'taskItem' || node.type === 'decisionList' || node.type === 'decisionItem') {
    // marklassian gives random UUIDs: position-based ids keep the output (and its digest) deterministic.
    next.attrs = { ...node.attrs, localId: `krate-${node.type}-${ids.next++}` };
  }
  if (node.content) {
    let content = node.type === 'taskList' ? node.content.map((c) => fixNode(c, ids)) : fixBlocks(node.content, ids);
    if (node.type === 'listItem') content = fixListItemContent(content);
    if (node.type === 'blockquote') content = fixBlockquoteContent(content);
    if (LISTS.has(node.type)) content = content.filter((c) => c.type === 'listItem');
    next.content = content;
  }
  return next;
}

const LIST_ITEM = /^(\s*)(?:[-*+]|\d{1,9}[.)])\s+(\[[ xX]\]\s)?/;
const FENCE = /^\s*(```|~~~)/;

/**
 * marklassian turns a list that mixes task items (`- [ ] a`) and plain items into a plain
 * list and drops the checkboxes. Before converting, such a list is cut where an item's
 * kind changes (an HTML comment between them, which ends a list and is itself dropped), so
 * the task runs become task lists and the plain runs plain lists.
 */
function splitMixedTaskLists(markdown: string): string {
  if (!/\[[ xX]\]/.test(markdown)) return markdown;
  const out: string[] = [];
  const lastKind = new Map<number, boolean>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (FENCE.test(line)) fenced = !fenced;
    const match = fenced ? null : LIST_ITEM.exec(line);
    if (match) {
      const indent = match[1]!.length;
      const task = match[2] !== undefined;
      for (const level of [...lastKind.keys()]) if (level > indent) lastKind.delete(level);
      const previous = lastKind.get(indent);
      if (previous !== undefined && previous !== task) out.push('', `${' '.repeat(indent)}<!-- -->`, '');
      lastKind.set(indent, task);
    } else if (!fenced && line.trim() !== '' && !/^\s/.test(line)) {
      lastKind.clear();
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Stands in for a tab inside a line while marklassian runs (it collapses every whitespace run to one space). */
const TAB = '\uE000';

/** Tabs after the first non-blank character of a line (indentation keeps its Markdown meaning). */
function protectTabs(markdown: string): string {
  if (!markdown.includes('\t')) return markdown;
  return markdown
    .split('\n')
    .map((line) => line.replace(/(\S)([^\n]*)$/, (_m, first: string, rest: string) => first + rest.replace(/\t/g, TAB)))
    .join('\n');
}

function restoreTabs(node: AdfNode): AdfNode {
  if (node.type === 'text' && node.text?.includes(TAB)) return { ...node, text: node.text.split(TAB).join('\t') };
  return node.content ? { ...node, content: node.content.map(restoreTabs) } : node;
}

/**
 * Markdown to ADF: `marklassian`, then a pass that repairs what it gets wrong for
 * Atlassian's schema: a heading or blockquote inside a list item, a list nested under
 * a task item, nested blockquotes, `code` combined with marks other than `link`, empty
 * list items, tabs inside a line (marklassian turns them into spaces); and random
 * `localId`s replaced by deterministic ones. An empty string is
 * an empty document.
 */
export function markdownToAdf(markdown: string): AdfDoc {
  const source = protectTabs(markdown ?? '');
  const raw = marklassian(splitMixedTaskLists(source)) as AdfDoc;
  const ids = { next: 1 };
  const content = fixBlocks(raw.content ?? [], ids);
  return { type: 'doc', version: 1, content: source === markdown ? content : content.map(restoreTabs) };
}
