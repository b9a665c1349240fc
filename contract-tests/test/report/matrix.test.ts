import { describe, expect, it } from 'vitest';
import {
  buildManifestMatrix, buildMatrix, hasFailures, renderMatrixJson, renderMatrixMarkdown, renderMatrixText, type ContractReport,
} from '../../src/runner.js';
import { referenceManifest } from '../fixtures/reference-provider/index.js';

const manifest = referenceManifest();

function report(provider: string, results: ContractReport['results']): ContractReport {
  return { provider, manifest: { ...manifest, spec: { ...manifest.spec, providerType: provider } }, results };
}

const good = report('tracker', [
  { id: 'issueTracking.listIssues.pagination', interface: 'issueTracking', operation: 'listIssues', status: 'pass' },
  { id: 'issueTracking.listIssues.updatedSince', interface: 'issueTracking', operation: 'listIssues', status: 'skip', reason: 'no filter upstream' },
  { id: 'issueTracking.getIssue.roundtrip', interface: 'issueTracking', operation: 'getIssue', status: 'pass' },
  { id: 'issueTracking.errors.timeout', interface: 'issueTracking', operation: 'getIssue', status: 'pass' },
  { id: 'issueTracking.syncLabels.unsupported', interface: 'issueTracking', operation: 'syncLabels', status: 'unsupported' },
  { id: 'webhooks.issue.receive', interface: 'issueTracking', webhookEvent: 'issue', status: 'pass' },
  { id: 'webhooks.signature.wrong', interface: 'issueTracking', webhookEvent: 'issue', status: 'pass' },
]);
const bad = report('other', [
  { id: 'issueTracking.listIssues.pagination', interface: 'issueTracking', operation: 'listIssues', status: 'pass' },
  { id: 'issueTracking.getIssue.roundtrip', interface: 'issueTracking', operation: 'getIssue', status: 'fail', error: 'getIssue returned ref {"scope":"x"}' },
  { id: 'issueTracking.getIssue.roundtrip', interface: 'issueTracking', operation: 'getIssue', status: 'pass', baseUrl: 'https://alt.test' },
  { id: 'webhooks.issue.receive', interface: 'issueTracking', webhookEvent: 'issue', status: 'fail', error: 'no events' },
  { id: 'issueTracking.errors.timeout', interface: 'issueTracking', operation: 'getIssue', status: 'fail', error: 'expected timeout' },
]);

const cell = (m: ReturnType<typeof buildMatrix>, group: string, item: string, provider: string) => m.rows.find((r) => r.group === group && r.item === item)?.cells[provider];

describe('buildMatrix', () => {
  const matrix = buildMatrix([good, bad]);

  it('has a cell per provider, interface and operation, failing when any case of it fails at any base URL', () => {
    expect(matrix.providers).toEqual(['tracker', 'other']);
    expect(cell(matrix, 'issueTracking', 'listIssues', 'tracker')).toBe('pass');
    expect(cell(matrix, 'issueTracking', 'getIssue', 'tracker')).toBe('pass');
    expect(cell(matrix, 'issueTracking', 'getIssue', 'other')).toBe('fail');
    expect(cell(matrix, 'issueTracking', 'syncLabels', 'tracker')).toBe('unsupported');
    expect(cell(matrix, 'gitForge', 'listRepositories', 'tracker')).toBe('unsupported');
    expect(cell(matrix, 'gitForge', '(interface)', 'other')).toBe('unsupported');
  });

  it('puts interface-wide cases on the interface row and webhook cases on event rows', () => {
    expect(cell(matrix, 'issueTracking', '(interface)', 'tracker')).toBe('pass');
    expect(cell(matrix, 'issueTracking', '(interface)', 'other')).toBe('fail');
    expect(cell(matrix, 'webhooks', 'issue', 'other')).toBe('fail');
    expect(cell(matrix, 'webhooks', '(delivery)', 'tracker')).toBe('pass');
    expect(matrix.failures.other?.map((f) => f.id)).toEqual(['issueTracking.getIssue.roundtrip', 'webhooks.issue.receive', 'issueTracking.errors.timeout']);
    expect(matrix.skips.tracker?.[0]?.reason).toBe('no filter upstream');
    expect(hasFailures([good])).toBe(false);
    expect(hasFailures([good, bad])).toBe(true);
  });

  it('orders interfaces, then the interface row, then operations in contract order, then webhooks', () => {
    const labels = matrix.rows.map((r) => `${r.group} ${r.item}`);
    expect(labels.indexOf('issueTracking (interface)')).toBeLessThan(labels.indexOf('issueTracking listIssues'));
    expect(labels.indexOf('issueTracking listIssues')).toBeLessThan(labels.indexOf('issueTracking getIssue'));
    expect(labels.indexOf('issueTracking transitionIssue')).toBeLessThan(labels.indexOf('cicd (interface)'));
    expect(labels.at(-1)?.startsWith('webhooks')).toBe(true);
  });
});

describe('renderers', () => {
  const matrix = buildMatrix([good, bad]);

  it('renders aligned text with failures and skips under the table', () => {
    const text = renderMatrixText(matrix);
    expect(text).toMatch(/^\s+tracker\s+other$/m);
    expect(text).toMatch(/^issueTracking getIssue\s+pass\s+FAIL$/m);
    expect(text).toContain('other: 3 failed case(s)');
    expect(text).toContain('getIssue returned ref {"scope":"x"}');
    expect(text).toContain('issueTracking.listIssues.updatedSince: no filter upstream');
    expect(renderMatrixText(matrix, { color: true })).toContain('\u001b[31mFAIL');
  });

  it('renders Markdown with a table and sections', () => {
    const md = renderMatrixMarkdown(matrix, { title: 'Conformance' });
    expect(md.startsWith('# Conformance\n')).toBe(true);
    expect(md).toContain('| interface | operation | tracker | other |');
    expect(md).toContain('| issueTracking | getIssue | ✅ | ❌ |');
    expect(md).toContain('## other: failed cases');
    expect(md).toContain('- `issueTracking.errors.timeout`: expected timeout');
  });

  it('renders JSON that parses back, without manifests', () => {
    const parsed = JSON.parse(renderMatrixJson(matrix, [good, bad])) as { matrix: typeof matrix; reports: ContractReport[] };
    expect(parsed.matrix.providers).toEqual(['tracker', 'other']);
    expect(parsed.reports[1]!.results).toHaveLength(5);
    expect(parsed.reports[0]!.manifest).toBeUndefined();
  });
});

describe('buildManifestMatrix', () => {
  it('marks declared operations and events from manifests alone', () => {
    const matrix = buildManifestMatrix([manifest]);
    expect(cell(matrix, 'issueTracking', 'createIssue', 'tracker')).toBe('declared');
    expect(cell(matrix, 'issueTracking', 'updateComment', 'tracker')).toBe('unsupported');
    expect(cell(matrix, 'cicd', '(interface)', 'tracker')).toBe('declared');
    expect(cell(matrix, 'gitForge', '(interface)', 'tracker')).toBe('unsupported');
    expect(cell(matrix, 'webhooks', 'ping', 'tracker')).toBe('declared');
    expect(renderMatrixText(matrix)).toMatch(/^issueTracking createIssue\s+yes$/m);
  });
});

describe('rows a provider does not declare', () => {
  it('are unsupported for every provider with a manifest', () => {
    const other = { ...manifest, spec: { ...manifest.spec, providerType: 'ci-only', interfaces: { cicd: manifest.spec.interfaces.cicd! } } };
    const matrix = buildManifestMatrix([manifest, other]);
    expect(cell(matrix, 'webhooks', 'issue', 'ci-only')).toBe('unsupported');
    expect(cell(matrix, 'webhooks', 'pipeline', 'ci-only')).toBe('declared');
    const run = buildMatrix([report('tracker', [{ id: 'webhooks.issue.receive', webhookEvent: 'issue', status: 'pass' }]), { provider: 'ci-only', manifest: other, results: [] }]);
    expect(cell(run, 'webhooks', 'issue', 'ci-only')).toBe('unsupported');
  });
});
