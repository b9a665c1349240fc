import type { ContractMatrix, MatrixCell } from './matrix.js';
import type { ContractReport } from '../suite/types.js';

const SYMBOL: Record<MatrixCell, string> = { pass: 'pass', fail: 'FAIL', skip: 'skip', unsupported: '-', declared: 'yes' };

function cellText(cell: MatrixCell | undefined): string {
  return cell ? SYMBOL[cell] : '';
}

function rowLabel(group: string, item: string): string {
  return `${group} ${item}`;
}

/** The matrix as an aligned plain-text table, then failures and skips. */
export function renderMatrixText(matrix: ContractMatrix, options: { color?: boolean } = {}): string {
  const paint = (cell: MatrixCell | undefined, text: string) => {
    if (!options.color || !cell) return text;
    const code = cell === 'pass' || cell === 'declared' ? 32 : cell === 'fail' ? 31 : cell === 'skip' ? 33 : 90;
    return `\u001b[${code}m${text}\u001b[0m`;
  };
  const header = ['', ...matrix.providers];
  const body = matrix.rows.map((row) => [rowLabel(row.group, row.item), ...matrix.providers.map((p) => cellText(row.cells[p]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[], raw?: Array<MatrixCell | undefined>) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : paint(raw?.[i - 1], c.padEnd(widths[i]!)))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  matrix.rows.forEach((row, i) => out.push(line(body[i]!, matrix.providers.map((p) => row.cells[p]))));
  out.push('', `${SYMBOL.pass}: every case passed   ${SYMBOL.fail}: a case failed   ${SYMBOL.skip}: skipped with a reason   ${SYMBOL.unsupported}: not in the manifest${matrix.rows.some((r) => Object.values(r.cells).includes('declared')) ? `   ${SYMBOL.declared}: declared, no case run` : ''}`);
  for (const provider of matrix.providers) {
    const failures = matrix.failures[provider] ?? [];
    if (failures.length) {
      out.push('', `${provider}: ${failures.length} failed case(s)`);
      for (const f of failures) out.push(`  ${f.id}${f.variant ? ` [${f.variant}]` : f.baseUrl ? ` @ ${f.baseUrl}` : ''}`, ...(f.error ?? '').split('\n').map((l) => `      ${l}`));
    }
    const skips = matrix.skips[provider] ?? [];
    if (skips.length) {
      out.push('', `${provider}: ${skips.length} skipped case(s)`);
      for (const s of skips) out.push(`  ${s.id}${s.variant ? ` [${s.variant}]` : s.baseUrl ? ` @ ${s.baseUrl}` : ''}: ${s.reason ?? ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const escapeMd = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The matrix as a Markdown document: the table, then failures and skips. */
export function renderMatrixMarkdown(matrix: ContractMatrix, options: { title?: string } = {}): string {
  const md: Record<MatrixCell, string> = { pass: '✅', fail: '❌', skip: '⏭️ skip', unsupported: '—', declared: '✔️' };
  const out: string[] = [`# ${options.title ?? 'Provider conformance'}`, ''];
  out.push(`| interface | operation | ${matrix.providers.map(escapeMd).join(' | ')} |`);
  out.push(`| --- | --- | ${matrix.providers.map(() => ':---:').join(' | ')} |`);
  for (const row of matrix.rows) {
    out.push(`| ${escapeMd(row.group)} | ${escapeMd(row.item)} | ${matrix.providers.map((p) => (row.cells[p] ? md[row.cells[p]!] : '')).join(' | ')} |`);
  }
  out.push('', `Legend: ${md.pass} pass, ${md.fail} fail, ${md.skip} (reason below), ${md.unsupported} not in the manifest, ${md.declared} declared.`);
  for (const provider of matrix.providers) {
    const failures = matrix.failures[provider] ?? [];
    if (failures.length) {
      out.push('', `## ${provider}: failed cases`, '');
      for (const f of failures) out.push(`- \`${f.id}\`${f.variant ? ` in variant ${f.variant}` : f.baseUrl ? ` at ${f.baseUrl}` : ''}: ${escapeMd(f.error ?? '')}`);
    }
    const skips = matrix.skips[provider] ?? [];
    if (skips.length) {
      out.push('', `## ${provider}: skipped cases`, '');
      for (const s of skips) out.push(`- \`${s.id}\`${s.variant ? ` in variant ${s.variant}` : s.baseUrl ? ` at ${s.baseUrl}` : ''}: ${escapeMd(s.reason ?? '')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Reports and matrix as JSON (manifests left out for size). */
export function renderMatrixJson(matrix: ContractMatrix, reports: ContractReport[] = []): string {
  const slim = reports.map(({ manifest: _manifest, ...rest }) => rest);
  return `${JSON.stringify({ matrix, reports: slim }, null, 2)}\n`;
}
