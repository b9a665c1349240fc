/**
 * Manifest diagnostics: every problem of a capability manifest as
 * `{ path, message, suggestion?, severity }`, from the zod schema and from the
 * checks the schema cannot express (canonical operation names per interface,
 * duplicates, write flags that contradict the contract, undeclared auth modes).
 */
import type { z } from 'zod';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { getOperationInfo, operationsOf } from '../contracts/catalog.js';
import { INTERFACE_NAMES, type InterfaceName } from '../model/common.js';
import {
  CapabilityManifestSchema, MANIFEST_API_VERSION, MANIFEST_KIND, OperationSpecSchema, operationSpecSchemaFor,
} from './schema.js';
import { checkOperationName, closestName, interfaceForKey, suggestKey } from './suggest.js';

/** Stable identifiers of the problems {@link diagnoseManifest} reports. */
export type ManifestDiagnosticCode =
  | 'yaml-syntax'
  | 'not-a-mapping'
  | 'bare-spec'
  | 'bare-operation'
  | 'missing-field'
  | 'invalid-type'
  | 'invalid-value'
  | 'unknown-key'
  | 'unknown-operation'
  | 'operation-in-wrong-interface'
  | 'duplicate-operation'
  | 'write-mismatch'
  | 'undeclared-auth-mode'
  | 'unconfirmed-webhook'
  | 'duplicate-webhook'
  | 'operations-on-unsupported-interface'
  | 'webhooks-on-unsupported-interface'
  | 'no-operations'
  | 'no-interfaces'
  | 'webhooks-without-api'
  | 'metadata-name-format'
  | 'yaml-warning';

/** One problem found in a manifest. */
export interface ManifestDiagnostic {
  /** Where: `spec.interfaces.cicd.operations[0]`, or `(root)` for the document as a whole. */
  path: string;
  /** What is wrong. */
  message: string;
  /** What to write instead, when there is a likely fix. */
  suggestion?: string;
  /** `error` makes the manifest invalid; `warning` is worth fixing but is accepted. */
  severity: 'error' | 'warning';
  /** A stable identifier of the kind of problem. */
  code: ManifestDiagnosticCode;
  /** 1-based line in the source text (only when diagnosing text). */
  line?: number;
  /** 1-based column in the source text (only when diagnosing text). */
  column?: number;
}

type Segment = string | number;

interface Found {
  segs: Segment[];
  message: string;
  suggestion?: string | undefined;
  severity: 'error' | 'warning';
  code: ManifestDiagnosticCode;
}

const SPEC_KEYS = ['providerType', 'displayName', 'hosting', 'authModes', 'api', 'identity', 'adapterRef', 'interfaces', 'rateLimitModel', 'notes'];
const INTERFACE_ENTRY_KEYS = ['supported', 'objects', 'operations', 'webhooks', 'ownershipModes'];
const OPERATION_KEYS = ['write', 'requires', 'idempotency', 'rateLimitCost', 'webhookConfirmation'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `"${short}"`;
}

/** Formats path segments as `spec.interfaces.cicd.operations[0]`. */
export function formatManifestPath(segs: readonly Segment[]): string {
  if (segs.length === 0) return '(root)';
  let out = '';
  for (const seg of segs) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function typeWord(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}

function expectedWord(expected: string | undefined): string {
  switch (expected) {
    case 'string': return 'text';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return 'true or false';
    case 'array': return 'a list';
    case 'object':
    case 'record': return 'a mapping';
    default: return expected ?? 'another value';
  }
}

function valueAt(root: unknown, segs: readonly Segment[]): { present: boolean; value: unknown } {
  let cur: unknown = root;
  for (const seg of segs) {
    if (typeof seg === 'number' ? Array.isArray(cur) && seg < cur.length : isRecord(cur) && Object.hasOwn(cur, seg)) {
      cur = (cur as Record<string | number, unknown>)[seg];
    } else {
      return { present: false, value: undefined };
    }
  }
  return { present: true, value: cur };
}

// ---- walking the zod schema to learn which keys an object allows ----------------------------

interface ZodDefLike {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  element?: ZodLike;
  valueType?: ZodLike;
  options?: ZodLike[];
  shape?: Record<string, ZodLike>;
  getter?: () => ZodLike;
}
interface ZodLike {
  _zod: { def: ZodDefLike };
}

function unwrap(schema: ZodLike | undefined): ZodLike | undefined {
  let cur = schema;
  for (let i = 0; cur && i < 20; i += 1) {
    const def: ZodDefLike = cur._zod.def;
    if (def.innerType) cur = def.innerType;
    else if (def.type === 'pipe' && def.in) cur = def.in;
    else if (def.type === 'lazy' && def.getter) cur = def.getter();
    else break;
  }
  return cur;
}

function step(schema: ZodLike | undefined, seg: Segment): ZodLike | undefined {
  const cur = unwrap(schema);
  if (!cur) return undefined;
  const def = cur._zod.def;
  if (def.type === 'object' && typeof seg === 'string') return def.shape?.[seg];
  if (def.type === 'array' && typeof seg === 'number') return def.element;
  if (def.type === 'record') return def.valueType;
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const next = step(option, seg);
      if (next) return next;
    }
  }
  return undefined;
}

function allowedKeysAt(schema: ZodLike, segs: readonly Segment[]): string[] {
  let cur: ZodLike | undefined = schema;
  for (const seg of segs) cur = step(cur, seg);
  cur = unwrap(cur);
  if (!cur) return [];
  const def = cur._zod.def;
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const inner = unwrap(option)?._zod.def;
      if (inner?.type === 'object') return Object.keys(inner.shape ?? {});
    }
  }
  return [];
}

// ---- zod issues -> diagnostics ---------------------------------------------------------------

interface Context {
  /** How a spec-relative location is written in suggestions: `spec.` for a manifest, `` for a bare spec. */
  specPrefix: string;
  /** The source text of the value at a path, when diagnosing text. */
  raw?: ((segs: Segment[]) => string | undefined) | undefined;
}

const MISSING_HINTS: Record<string, string> = {
  apiVersion: `add "apiVersion: ${MANIFEST_API_VERSION}"`,
  kind: `add "kind: ${MANIFEST_KIND}"`,
  metadata: 'add "metadata:" with "name: <providerType>-v1" under it',
  name: 'add "name: <providerType>-v1"',
  spec: 'add "spec:" with providerType, displayName, authModes and interfaces under it',
  providerType: 'add "providerType: <lower-case name>" (github, gitlab, jira, buildkite)',
  displayName: 'add "displayName: <the name people see>" (for example GitHub)',
  authModes: 'add "authModes: [...]" listing how users authenticate (for example github-app, personal-access-token)',
  interfaces: 'add "interfaces:" declaring issueTracking, cicd and gitForge (supported: true or false)',
  supported: 'add "supported: true" or "supported: false"',
  operation: 'name the operation with "operation: <canonical name>"',
  mode: 'add "mode:" (natural, synthetic-key, idempotent or none)',
  events: 'add "events: [...]" naming the confirming webhook events',
};

function unknownKeyHint(parent: readonly Segment[], key: string, allowed: string[], ctx: Context): string | undefined {
  const at = formatManifestPath(parent);
  const spec = ctx.specPrefix;
  const isSpec = at === 'spec';
  const isInterfaceEntry = parent.length === 3 && parent[0] === 'spec' && parent[1] === 'interfaces';
  const isOperationObject = parent.length === 5 && parent[3] === 'operations' && typeof parent[4] === 'number';

  if (parent.length === 0 && SPEC_KEYS.includes(key)) return `"${key}" belongs under spec`;
  if (parent.length === 0 && (key === 'name' || key === 'labels')) return `"${key}" belongs under metadata`;
  if (isSpec) {
    const iface = interfaceForKey(key);
    if (iface) return `declare it as ${spec}interfaces.${iface}`;
    if (INTERFACE_ENTRY_KEYS.includes(key)) return `"${key}" is declared per interface: move it under ${spec}interfaces.<issueTracking|cicd|gitForge>`;
    if (key === 'version') {
      return 'a manifest version goes in metadata.name (for example gitlab-v1); the adapter package version goes in adapterRef.version';
    }
  }
  if (isInterfaceEntry && OPERATION_KEYS.includes(key)) {
    return `"${key}" describes one operation: write that operation as an object ("- operation: <name>") with ${key} beside it`;
  }
  if (isOperationObject && INTERFACE_NAMES.some((iface) => getOperationInfo(iface, key))) {
    return `write the operation as "- operation: ${key}" with its fields beside "operation", not nested under the name`;
  }
  const near = suggestKey(key, allowed);
  if (near) return `did you mean "${near}"?`;
  return allowed.length ? `allowed keys here: ${allowed.join(', ')}` : undefined;
}

function slugify(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
}

function fromZodIssue(issue: z.core.$ZodIssue, root: unknown, schema: ZodLike, ctx: Context): Found[] {
  const segs = issue.path.filter((p): p is Segment => typeof p === 'string' || typeof p === 'number');
  const last = segs[segs.length - 1];
  const { present, value } = valueAt(root, segs);
  const zodDefault = /^(Invalid|Too small|Too big)/.test(issue.message);

  if (!present && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return [{
      segs, severity: 'error', code: 'missing-field',
      message: `required field ${typeof last === 'string' ? `"${last}" ` : ''}is missing`,
      suggestion: typeof last === 'string' ? MISSING_HINTS[last] : undefined,
    }];
  }

  switch (issue.code) {
    case 'invalid_type': {
      let suggestion: string | undefined;
      if (issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
        const source = ctx.raw?.(segs);
        suggestion = source !== undefined
          ? `YAML reads ${source} as ${typeof value === 'number' ? 'a number' : 'a boolean'}: quote it to keep it text ("${source}")`
          : `write it as text ("${String(value)}")`;
      } else if (issue.expected === 'array' && (typeof value === 'string' || typeof value === 'number')) {
        suggestion = `write it as a list: [${String(value)}]`;
      } else if (issue.expected === 'boolean' && typeof value === 'string' && /^(true|false|yes|no|on|off)$/i.test(value)) {
        suggestion = `write ${/^(true|yes|on)$/i.test(value) ? 'true' : 'false'} without quotes`;
      } else if (value === null && (issue.expected === 'object' || issue.expected === 'array')) {
        suggestion = `the key has no value: put its ${issue.expected === 'array' ? 'items' : 'fields'} under it, indented`;
      }
      return [{ segs, severity: 'error', code: 'invalid-type', message: `expected ${expectedWord(issue.expected)}, got ${typeWord(value)}`, suggestion }];
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      if (values.length === 1) {
        return [{ segs, severity: 'error', code: 'invalid-value', message: `expected ${quote(values[0])}, got ${typeWord(value)}`, suggestion: `use "${values[0]}"` }];
      }
      const near = typeof value === 'string' ? closestName(value, values) : undefined;
      return [{
        segs, severity: 'error', code: 'invalid-value',
        message: `${typeWord(value)} is not one of: ${values.join(', ')}`,
        suggestion: near ? `did you mean "${near}"?` : undefined,
      }];
    }
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(schema, segs);
      return issue.keys.map((key) => ({
        segs: [...segs, key], severity: 'error' as const, code: 'unknown-key' as const,
        message: `unknown key "${key}"`,
        suggestion: unknownKeyHint(segs, key, allowed, ctx),
      }));
    }
    case 'too_small': {
      let message = issue.message;
      if (zodDefault) {
        if (issue.origin === 'array') message = `must list at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`;
        else if (issue.origin === 'string') message = 'must not be empty';
        else message = `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
      }
      return [{ segs, severity: 'error', code: 'invalid-value', message }];
    }
    case 'invalid_format': {
      const suggestion = last === 'providerType' && typeof value === 'string' && slugify(value) ? `use "${slugify(value)}"` : undefined;
      return [{ segs, severity: 'error', code: 'invalid-value', message: `${typeWord(value)} is not valid: ${issue.message}`, suggestion }];
    }
    case 'invalid_union': {
      // When the value has the shape of exactly one alternative, report that alternative's problems.
      const matching = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (matching.length === 1) {
        return matching[0]!.flatMap((inner) => fromZodIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue, root, schema, ctx));
      }
      const isOperation = segs.length >= 2 && segs[segs.length - 2] === 'operations';
      const alternatives = isOperation
        ? 'an operation name or an operation object (operation: <name>, ...)'
        : [...new Set(issue.errors.map((branch) => expectedWord((branch[0] as { expected?: string } | undefined)?.expected)))].join(' or ');
      return [{ segs, severity: 'error', code: 'invalid-type', message: `expected ${alternatives}, got ${typeWord(value)}` }];
    }
    default:
      return [{ segs, severity: 'error', code: 'invalid-value', message: issue.message }];
  }
}

function schemaDiagnostics(schema: z.ZodType, value: unknown, ctx: Context): Found[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => fromZodIssue(issue, value, schema as unknown as ZodLike, ctx));
}

// ---- checks beyond the schema ----------------------------------------------------------------

function operationNameOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (isRecord(entry) && typeof entry.operation === 'string') return entry.operation;
  return undefined;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

interface OperationContext {
  iface: InterfaceName | undefined;
  path: Segment[];
  authModes: string[] | undefined;
  webhooks: Set<string> | undefined;
  ctx: Context;
}

function checkOperationObject(entry: Record<string, unknown>, name: string | undefined, oc: OperationContext): Found[] {
  const out: Found[] = [];
  const info = name && oc.iface ? getOperationInfo(oc.iface, name) : undefined;
  if (info && typeof entry.write === 'boolean' && entry.write !== info.write) {
    out.push(
      info.write
        ? {
          segs: [...oc.path, 'write'], severity: 'error', code: 'write-mismatch',
          message: `"${info.name}" changes provider state (a ${info.kind} operation), but write is false`,
          suggestion: 'set write: true, or leave write out',
        }
        : {
          segs: [...oc.path, 'write'], severity: 'error', code: 'write-mismatch',
          message: `"${info.name}" only reads (a ${info.kind} operation), but write is true`,
          suggestion: 'set write: false, or leave write out',
        },
    );
  }
  const requires = isRecord(entry.requires) ? entry.requires : undefined;
  const wanted = strings(requires?.authModes);
  if (wanted && oc.authModes) {
    wanted.forEach((mode, i) => {
      if (oc.authModes!.includes(mode)) return;
      const near = closestName(mode, oc.authModes!);
      out.push({
        segs: [...oc.path, 'requires', 'authModes', i], severity: 'error', code: 'undeclared-auth-mode',
        message: `auth mode "${mode}" is not declared in ${oc.ctx.specPrefix}authModes`,
        suggestion: near ? `did you mean "${near}"?` : `add it to ${oc.ctx.specPrefix}authModes, or use one of: ${oc.authModes!.join(', ')}`,
      });
    });
  }
  const confirmation = isRecord(entry.webhookConfirmation) ? entry.webhookConfirmation : undefined;
  const events = strings(confirmation?.events);
  if (events && oc.webhooks) {
    events.forEach((event, i) => {
      if (oc.webhooks!.has(event)) return;
      out.push({
        segs: [...oc.path, 'webhookConfirmation', 'events', i], severity: 'warning', code: 'unconfirmed-webhook',
        message: `webhook event "${event}" is not declared in any interface's webhooks, so nothing will deliver the confirmation`,
        suggestion: `add "${event}" to ${oc.ctx.specPrefix}interfaces.${oc.iface ?? '<interface>'}.webhooks`,
      });
    });
  }
  return out;
}

function operationNameDiagnostic(
  iface: InterfaceName, name: string, segs: Segment[], declared: Map<string, number>, ctx: Context,
): Found | undefined {
  const verdict = checkOperationName(iface, name);
  if (verdict.kind === 'canonical') return undefined;
  if (verdict.kind === 'other-interface') {
    return {
      segs, severity: 'error', code: 'operation-in-wrong-interface',
      message: `"${name}" is a ${verdict.interface} operation, not a ${iface} one`,
      suggestion: `move it to ${ctx.specPrefix}interfaces.${verdict.interface}.operations`,
    };
  }
  let suggestion: string;
  const s = verdict.suggestion;
  if (!s) {
    suggestion = `canonical ${iface} operations: ${operationsOf(iface).join(', ')}`;
  } else if (s.interface !== iface) {
    suggestion = `the canonical operation is "${s.name}", an operation of ${s.interface}: declare it under ${ctx.specPrefix}interfaces.${s.interface}.operations`;
  } else {
    suggestion = s.reason === 'synonym' ? `use the canonical name "${s.name}"` : `did you mean "${s.name}"?`;
    const already = declared.get(s.name);
    if (already !== undefined) suggestion += `; "${s.name}" is already declared at operations[${already}], so drop this entry`;
  }
  return { segs, severity: 'error', code: 'unknown-operation', message: `"${name}" is not a canonical ${iface} operation`, suggestion };
}

function checkSpec(spec: unknown, base: Segment[], ctx: Context): Found[] {
  const out: Found[] = [];
  if (!isRecord(spec) || !isRecord(spec.interfaces)) return out;
  const interfaces = spec.interfaces;
  const authModes = strings(spec.authModes);
  const allWebhooks = new Set<string>();
  for (const iface of INTERFACE_NAMES) {
    const entry = interfaces[iface];
    if (isRecord(entry) && entry.supported !== false) for (const w of strings(entry.webhooks) ?? []) allWebhooks.add(w);
  }

  let declaredAny = false;
  for (const iface of INTERFACE_NAMES) {
    const entry = interfaces[iface];
    if (!isRecord(entry)) continue;
    const ipath = [...base, 'interfaces', iface];
    const operations = Array.isArray(entry.operations) ? (entry.operations as unknown[]) : undefined;
    const webhooks = strings(entry.webhooks);

    if (entry.supported === false) {
      if (operations?.length) {
        out.push({
          segs: [...ipath, 'operations'], severity: 'warning', code: 'operations-on-unsupported-interface',
          message: `${iface} is declared unsupported (supported: false) but lists ${operations.length} operation${operations.length === 1 ? '' : 's'}, which are ignored`,
          suggestion: 'set supported: true, or remove the operations',
        });
      }
      if (webhooks?.length) {
        out.push({
          segs: [...ipath, 'webhooks'], severity: 'warning', code: 'webhooks-on-unsupported-interface',
          message: `${iface} is declared unsupported (supported: false) but lists webhooks, which are ignored`,
          suggestion: 'set supported: true, or remove the webhooks',
        });
      }
      continue;
    }
    // An invalid `supported` is reported by the schema; do not add a cascade of warnings for it.
    if (entry.supported !== true) declaredAny = true;
    if (entry.supported === true) {
      declaredAny = true;
      if (!operations || operations.length === 0) {
        out.push({
          segs: operations ? [...ipath, 'operations'] : ipath, severity: 'warning', code: 'no-operations',
          message: `${iface} is supported but declares no operations, so every ${iface} operation is refused`,
          suggestion: `list the operations the provider implements under operations (canonical: ${operationsOf(iface).join(', ')})`,
        });
      }
    }

    const declared = new Map<string, number>();
    operations?.forEach((op, i) => {
      const name = operationNameOf(op);
      if (name && getOperationInfo(iface, name) && !declared.has(name)) declared.set(name, i);
    });
    const seen = new Map<string, number>();
    operations?.forEach((op, i) => {
      const name = operationNameOf(op);
      const namePath = typeof op === 'string' ? [...ipath, 'operations', i] : [...ipath, 'operations', i, 'operation'];
      if (name) {
        const bad = name.length > 0 ? operationNameDiagnostic(iface, name, namePath, declared, ctx) : undefined;
        if (bad) out.push(bad);
        const first = seen.get(name);
        if (first !== undefined) {
          out.push({
            segs: namePath, severity: 'error', code: 'duplicate-operation',
            message: `"${name}" is declared twice (first at operations[${first}])`,
            suggestion: 'keep one entry per operation',
          });
        } else {
          seen.set(name, i);
        }
      }
      if (isRecord(op)) {
        out.push(...checkOperationObject(op, name, {
          iface, path: [...ipath, 'operations', i], authModes, webhooks: allWebhooks, ctx,
        }));
      }
    });

    const seenHooks = new Set<string>();
    webhooks?.forEach((hook, i) => {
      if (seenHooks.has(hook)) {
        out.push({ segs: [...ipath, 'webhooks', i], severity: 'warning', code: 'duplicate-webhook', message: `webhook event "${hook}" is listed twice` });
      }
      seenHooks.add(hook);
    });
  }

  if (isRecord(spec.api) && spec.api.webhook === false && allWebhooks.size > 0) {
    out.push({
      segs: [...base, 'api', 'webhook'], severity: 'warning', code: 'webhooks-without-api',
      message: 'api.webhook is false, but interfaces declare webhook events',
      suggestion: 'set api.webhook: true, or remove the webhook events',
    });
  }
  if (!declaredAny) {
    out.push({
      segs: [...base, 'interfaces'], severity: 'warning', code: 'no-interfaces',
      message: 'no interface is declared supported, so an instance of this provider offers nothing',
      suggestion: 'declare at least one of issueTracking, cicd, gitForge with supported: true and its operations',
    });
  }
  return out;
}

// ---- document shapes -------------------------------------------------------------------------

function looksLikeBareSpec(value: Record<string, unknown>): boolean {
  return SPEC_KEYS.some((k) => k !== 'notes' && Object.hasOwn(value, k));
}

function diagnoseBareSpec(value: Record<string, unknown>, raw: Context['raw']): Found[] {
  const providerType = typeof value.providerType === 'string' && value.providerType ? value.providerType : 'provider';
  const ctx: Context = { specPrefix: '', raw: raw && ((segs) => raw(segs.slice(1))) };
  const wrapped = { apiVersion: MANIFEST_API_VERSION, kind: MANIFEST_KIND, metadata: { name: `${providerType}-v1` }, spec: value };
  const fromSchema = schemaDiagnostics(CapabilityManifestSchema, wrapped, ctx)
    .filter((d) => d.segs[0] === 'spec')
    .map((d) => ({ ...d, segs: d.segs.slice(1) }));
  return [
    {
      segs: [], severity: 'error', code: 'bare-spec',
      message: 'this is a bare manifest spec: apiVersion, kind and metadata are missing',
      suggestion:
        `wrap it: "apiVersion: ${MANIFEST_API_VERSION}", "kind: ${MANIFEST_KIND}", ` +
        `"metadata:" with "name: ${providerType}-v1", then "spec:" with the current document indented under it`,
    },
    ...fromSchema,
    ...checkSpec(value, [], ctx),
  ];
}

function diagnoseBareOperation(value: Record<string, unknown>, raw: Context['raw']): Found[] {
  const ctx: Context = { specPrefix: 'spec.', raw };
  const name = typeof value.operation === 'string' ? value.operation : undefined;
  const iface = name ? INTERFACE_NAMES.find((i) => getOperationInfo(i, name)) : undefined;
  const out: Found[] = [{
    segs: [], severity: 'error', code: 'bare-operation',
    message: 'this is a single operation entry, not a manifest',
    suggestion: iface
      ? `put it in the list spec.interfaces.${iface}.operations of a manifest, as "- operation: ${name}" with the other keys indented beside it`
      : 'put it in the operations list of an interface (spec.interfaces.<interface>.operations) of a manifest',
  }];
  out.push(...schemaDiagnostics(iface ? operationSpecSchemaFor(iface) : OperationSpecSchema, value, ctx));
  if (name && !iface) {
    const guess = INTERFACE_NAMES.map((i) => checkOperationName(i, name)).find((v) => v.kind === 'unknown' && v.suggestion);
    const s = guess?.kind === 'unknown' ? guess.suggestion : undefined;
    out.push({
      segs: ['operation'], severity: 'error', code: 'unknown-operation',
      message: `"${name}" is not a canonical operation of any interface`,
      suggestion: s ? `did you mean "${s.name}" (an operation of ${s.interface})?` : undefined,
    });
  }
  out.push(...checkOperationObject(value, name, { iface, path: [], authModes: undefined, webhooks: undefined, ctx }));
  return out;
}

function diagnoseFull(value: Record<string, unknown>, raw: Context['raw']): Found[] {
  const ctx: Context = { specPrefix: 'spec.', raw };
  const out = schemaDiagnostics(CapabilityManifestSchema, value, ctx);
  out.push(...checkSpec(value.spec, ['spec'], ctx));
  const metadata = isRecord(value.metadata) ? value.metadata : undefined;
  if (typeof metadata?.name === 'string' && metadata.name && !DNS_LABEL.test(metadata.name)) {
    out.push({
      segs: ['metadata', 'name'], severity: 'warning', code: 'metadata-name-format',
      message: `${quote(metadata.name)} is not a lower-case DNS-style name`,
      suggestion: slugify(metadata.name) ? `use "${slugify(metadata.name)}"` : 'use lower-case letters, digits, dashes and dots',
    });
  }
  return out;
}

function findAll(value: unknown, raw?: Context['raw']): Found[] {
  if (value === null || value === undefined) {
    return [{ segs: [], severity: 'error', code: 'not-a-mapping', message: 'the manifest is empty', suggestion: MISSING_HINTS.apiVersion }];
  }
  if (!isRecord(value)) {
    return [{
      segs: [], severity: 'error', code: 'not-a-mapping',
      message: `a manifest is a mapping with apiVersion, kind, metadata and spec; got ${typeWord(value)}`,
    }];
  }
  const wrapperKeys = ['apiVersion', 'kind', 'metadata', 'spec'];
  if (wrapperKeys.some((k) => Object.hasOwn(value, k))) return diagnoseFull(value, raw);
  if (Object.hasOwn(value, 'operation') && !looksLikeBareSpec(value)) return diagnoseBareOperation(value, raw);
  if (looksLikeBareSpec(value)) return diagnoseBareSpec(value, raw);
  return diagnoseFull(value, raw);
}

/** Pre-order positions of every path present in the value, for sorting by document order. */
function documentOrder(value: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const visit = (v: unknown, segs: Segment[]) => {
    order.set(JSON.stringify(segs), order.size);
    if (Array.isArray(v)) v.forEach((item, i) => visit(item, [...segs, i]));
    else if (isRecord(v)) for (const [k, item] of Object.entries(v)) visit(item, [...segs, k]);
  };
  visit(value, []);
  return order;
}

function finish(found: Found[], value: unknown, locate?: (segs: Segment[]) => { line: number; column: number } | undefined): ManifestDiagnostic[] {
  const order = documentOrder(value);
  const position = (segs: Segment[]): number => {
    for (let n = segs.length; n >= 0; n -= 1) {
      const at = order.get(JSON.stringify(segs.slice(0, n)));
      if (at !== undefined) return n === segs.length ? at : at + 0.5;
    }
    return 0;
  };
  const seen = new Set<string>();
  const unique = found.filter((f) => {
    const key = `${JSON.stringify(f.segs)}|${f.code}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((f, i) => ({ f, i, at: f.segs.length === 0 ? -1 : position(f.segs) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ f }) => {
      const d: ManifestDiagnostic = { path: formatManifestPath(f.segs), message: f.message, severity: f.severity, code: f.code };
      if (f.suggestion) d.suggestion = f.suggestion;
      const where = locate?.(f.segs);
      if (where) {
        d.line = where.line;
        d.column = where.column;
      }
      return d;
    });
}

/**
 * Every problem of a manifest value, errors and warnings, without throwing.
 * Paths are relative to the value given: for a bare spec (a document that starts
 * at `providerType:`) they name the keys as written, without `spec.`.
 */
export function diagnoseManifest(value: unknown): ManifestDiagnostic[] {
  return finish(findAll(value), value);
}

const YAML_HINTS: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'remove or merge the repeated key',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'align the keys of one mapping at the same column',
  MULTIPLE_DOCS: 'keep one manifest per file (remove the --- separator)',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation of this line, or quote a value that contains ": "',
  MULTILINE_IMPLICIT_KEY: 'check the indentation of this line and the one before it',
};

function yamlHint(code: string, message: string): string | undefined {
  if (code === 'MISSING_CHAR') {
    if (/Missing ,/.test(message)) return 'add the missing ","';
    if (/quote/i.test(message)) return 'close the quoted text';
    const closer = /must end with a (\S)/.exec(message)?.[1];
    if (closer) return `close it with "${closer}"`;
  }
  return YAML_HINTS[code];
}

/** The result of reading manifest text: the parsed value (when the text parsed) and every problem. */
export interface ManifestTextDiagnosis {
  value: unknown;
  /** False when the text is not valid YAML or JSON; `value` is then undefined. */
  parsed: boolean;
  diagnostics: ManifestDiagnostic[];
}

/**
 * Reads manifest text (YAML or JSON; JSON is read as YAML, which it is a subset
 * of) and reports every problem with its line and column. Syntax errors stop the
 * check: nothing else is reported for text that does not parse.
 */
export function diagnoseManifestText(text: string): ManifestTextDiagnosis {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.map((error): ManifestDiagnostic => {
      const where = at(error.pos[0]);
      const message = error.code === 'MULTIPLE_DOCS' ? 'the text holds more than one YAML document' : error.message;
      const d: ManifestDiagnostic = {
        path: '(root)', severity: 'error', code: 'yaml-syntax',
        message: `not valid YAML or JSON at line ${where.line}, column ${where.column}: ${message}`,
        ...where,
      };
      const hint = yamlHint(error.code, error.message);
      if (hint) d.suggestion = hint;
      return d;
    });
    return { value: undefined, parsed: false, diagnostics };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { value: undefined, parsed: false, diagnostics: [{ path: '(root)', severity: 'error', code: 'yaml-syntax', message: `not valid YAML: ${message}` }] };
  }
  const nodeAt = (segs: Segment[]): { node: unknown; offset: number | undefined; exact: boolean } => {
    let node: unknown = doc.contents;
    let offset: number | undefined = (node as YamlNode | null)?.range?.[0];
    for (const seg of segs) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
        if (!pair) return { node, offset, exact: false };
        offset = (pair.key as YamlNode | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        node = node.items[seg];
        offset = (node as YamlNode).range?.[0] ?? offset;
      } else {
        return { node, offset, exact: false };
      }
    }
    return { node, offset, exact: true };
  };
  const locate = (segs: Segment[]) => {
    const { offset } = nodeAt(segs);
    return offset === undefined ? undefined : at(offset);
  };
  const raw = (segs: Segment[]) => {
    const { node, exact } = nodeAt(segs);
    const range = exact && isScalar(node) ? node.range : undefined;
    return range ? text.slice(range[0], range[1]) : undefined;
  };
  const diagnostics = finish(findAll(value, raw), value, locate);
  for (const warning of doc.warnings) {
    diagnostics.push({ path: '(root)', severity: 'warning', code: 'yaml-warning', message: warning.message, ...at(warning.pos[0]) });
  }
  return { value, parsed: true, diagnostics };
}

/** One diagnostic as a line: `path (line 3, column 5): message; suggestion`. */
export function formatManifestDiagnostic(d: ManifestDiagnostic): string {
  const where = d.line ? ` (line ${d.line}, column ${d.column ?? 1})` : '';
  const tag = d.severity === 'warning' ? 'warning: ' : '';
  return `${d.path}${where}: ${tag}${d.message}${d.suggestion ? `; ${d.suggestion}` : ''}`;
}
