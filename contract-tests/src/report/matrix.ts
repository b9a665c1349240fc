import {
  INTERFACE_NAMES, OPERATIONS, declaredOperations, declaredWebhooks, isInterfaceSupported, type CapabilityManifest,
} from '@krate/core';
import type { CaseResult, ContractReport } from '../suite/types.js';

/** One cell: what a provider does with one operation or webhook event. `declared`: in the manifest, no case run. */
export type MatrixCell = 'pass' | 'fail' | 'skip' | 'unsupported' | 'declared';

export interface MatrixRow {
  /** `issueTracking`, `cicd`, `gitForge`, or `webhooks`. */
  group: string;
  /** An operation name, `(interface)` for interface-wide cases, a webhook event, or `(delivery)` for signature/dedupe cases. */
  item: string;
  /** Provider type -> cell. */
  cells: Record<string, MatrixCell>;
}

export interface ContractMatrix {
  providers: string[];
  rows: MatrixRow[];
  /** Failed cases per provider, for the detail under the table. */
  failures: Record<string, CaseResult[]>;
  /** Skipped cases per provider, with reasons. */
  skips: Record<string, CaseResult[]>;
}

export const INTERFACE_ROW = '(interface)';
export const DELIVERY_ROW = '(delivery)';

function combine(a: MatrixCell | undefined, b: MatrixCell): MatrixCell {
  if (!a) return b;
  const rank: Record<MatrixCell, number> = { fail: 5, pass: 3, skip: 2, unsupported: 1, declared: 0 };
  // A pass and a skip together is a pass with skips noted; fail always wins.
  return rank[b] > rank[a] ? b : a;
}

function rowKeyOf(result: CaseResult): [string, string] {
  if (result.id.startsWith('webhooks.')) {
    const perEvent = /^webhooks\.(.+)\.receive$/.exec(result.id);
    return ['webhooks', perEvent ? perEvent[1]! : DELIVERY_ROW];
  }
  const iface = result.interface ?? result.id.split('.')[0]!;
  if (/^[^.]+\.(errors|secrets|declared|absent|convergence)(\.|$)/.test(result.id)) return [iface, INTERFACE_ROW];
  return [iface, result.operation ?? INTERFACE_ROW];
}

/** Orders rows: interfaces in contract order (interface row first, then operations in catalog order), then webhooks. */
function sortRows(rows: MatrixRow[]): MatrixRow[] {
  const groupOrder = [...INTERFACE_NAMES, 'webhooks'];
  const opOrder = new Map(OPERATIONS.map((o, i) => [`${o.interface}.${o.name}`, i]));
  const itemRank = (row: MatrixRow) => {
    if (row.item === INTERFACE_ROW || row.item === DELIVERY_ROW) return -1;
    return opOrder.get(`${row.group}.${row.item}`) ?? 10_000;
  };
  return rows.sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group) || itemRank(a) - itemRank(b) || a.item.localeCompare(b.item));
}

function ensureRow(rows: Map<string, MatrixRow>, group: string, item: string): MatrixRow {
  const key = `${group}\u0000${item}`;
  let row = rows.get(key);
  if (!row) {
    row = { group, item, cells: {} };
    rows.set(key, row);
  }
  return row;
}

/** Rows every canonical operation of every interface, so undeclared ones show as unsupported. */
function seedRowsFromManifest(rows: Map<string, MatrixRow>, provider: string, manifest: CapabilityManifest, declaredCell: MatrixCell | undefined): void {
  for (const iface of INTERFACE_NAMES) {
    const declared = new Set(declaredOperations(manifest, iface).map((o) => o.operation));
    for (const info of OPERATIONS.filter((o) => o.interface === iface)) {
      const row = ensureRow(rows, iface, info.name);
      if (!declared.has(info.name)) row.cells[provider] = 'unsupported';
      else if (declaredCell) row.cells[provider] = declaredCell;
    }
    const interfaceRow = ensureRow(rows, iface, INTERFACE_ROW);
    if (isInterfaceSupported(manifest, iface)) {
      if (declaredCell) interfaceRow.cells[provider] = declaredCell;
    } else {
      interfaceRow.cells[provider] = 'unsupported';
    }
  }
  for (const event of declaredWebhooks(manifest)) {
    const row = ensureRow(rows, 'webhooks', event);
    if (declaredCell) row.cells[provider] = declaredCell;
  }
}

/** The conformance matrix of one or more suite runs (provider x interface x operation, plus webhook events). */
export function buildMatrix(reports: ContractReport[]): ContractMatrix {
  const rows = new Map<string, MatrixRow>();
  const providers: string[] = [];
  const failures: Record<string, CaseResult[]> = {};
  const skips: Record<string, CaseResult[]> = {};
  for (const report of reports) {
    const provider = report.provider;
    if (!providers.includes(provider)) providers.push(provider);
    if (report.manifest) seedRowsFromManifest(rows, provider, report.manifest, 'declared');
    for (const result of report.results) {
      const [group, item] = rowKeyOf(result);
      const row = ensureRow(rows, group, item);
      const cell: MatrixCell = result.status;
      row.cells[provider] = combine(row.cells[provider] === 'unsupported' && cell !== 'unsupported' ? undefined : row.cells[provider], cell);
      if (result.status === 'fail') (failures[provider] ??= []).push(result);
      if (result.status === 'skip') (skips[provider] ??= []).push(result);
    }
  }
  fillUnsupported(rows, reports.filter((r) => r.manifest).map((r) => r.provider));
  return { providers, rows: sortRows([...rows.values()]), failures, skips };
}

/** A provider whose manifest is known and that has no cell in a row does not support it. */
function fillUnsupported(rows: Map<string, MatrixRow>, providers: string[]): void {
  for (const row of rows.values()) for (const p of providers) row.cells[p] ??= 'unsupported';
}

/** The capability matrix from manifests alone: declared or unsupported, nothing run. */
export function buildManifestMatrix(manifests: CapabilityManifest[]): ContractMatrix {
  const rows = new Map<string, MatrixRow>();
  const providers: string[] = [];
  for (const manifest of manifests) {
    const provider = manifest.spec.providerType;
    providers.push(provider);
    seedRowsFromManifest(rows, provider, manifest, 'declared');
  }
  fillUnsupported(rows, providers);
  return { providers, rows: sortRows([...rows.values()]), failures: {}, skips: {} };
}

/** Whether any case of any report failed. */
export function hasFailures(reports: ContractReport[]): boolean {
  return reports.some((r) => r.results.some((c) => c.status === 'fail'));
}
