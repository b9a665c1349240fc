import { InvalidInputError, type ExternalRef } from '@krate/core';

/**
 * Scopes and refs of the Buildkite provider:
 *
 * | what | scope | id |
 * | --- | --- | --- |
 * | build (pipeline run) | `org/pipeline` | build number, `42` |
 * | job | `org/pipeline` | `42/<job uuid>` |
 * | job log | `org/pipeline` | `42/<job uuid>/log` (its `jobRef` is the job's ref) |
 * | artifact | `org/pipeline` | `42/<job uuid>/<artifact uuid>` |
 * | agent (runner) | `org` | agent uuid |
 *
 * Listings take `org/pipeline` (the builds of one pipeline) or `org` (the builds of
 * every pipeline of the organization).
 */

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NUMBER = /^[1-9][0-9]{0,15}$/;
const UUID = /^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/;

export interface ScopeRules {
  /** When set, every scope must be in this organization. */
  organization?: string | undefined;
}

export interface PipelineScope {
  org: string;
  pipeline: string;
}

export interface BuildAddress extends PipelineScope {
  number: number;
}

export interface JobAddress extends BuildAddress {
  jobId: string;
}

function checkOrg(org: string, rules: ScopeRules, what: string): void {
  if (rules.organization !== undefined && org.toLowerCase() !== rules.organization.toLowerCase()) {
    throw new InvalidInputError({
      message: `${what} names organization "${org}" but this instance is configured for organization "${rules.organization}"`,
    });
  }
}

function segments(scope: string): string[] {
  return scope.trim().split('/');
}

/** `org` or `org/pipeline`. */
export function parseListScope(scope: string, rules: ScopeRules = {}): { org: string; pipeline?: string } {
  const parts = segments(scope);
  if ((parts.length !== 1 && parts.length !== 2) || !parts.every((p) => SLUG.test(p))) {
    throw new InvalidInputError({ message: `scope "${scope}" is not "org" or "org/pipeline"` });
  }
  const [org, pipeline] = parts as [string, string | undefined];
  checkOrg(org, rules, 'scope');
  return pipeline === undefined ? { org } : { org, pipeline };
}

/** `org` only (agents belong to an organization). */
export function parseOrgScope(scope: string, rules: ScopeRules = {}): string {
  const parts = segments(scope);
  if (parts.length !== 1 || !SLUG.test(parts[0]!)) {
    throw new InvalidInputError({ message: `scope "${scope}" is not an organization slug` });
  }
  checkOrg(parts[0]!, rules, 'scope');
  return parts[0]!;
}

/** `org/pipeline`. */
export function parsePipelineScope(scope: string, rules: ScopeRules = {}): PipelineScope {
  const parts = segments(scope);
  if (parts.length !== 2 || !parts.every((p) => SLUG.test(p))) {
    throw new InvalidInputError({ message: `scope "${scope}" is not "org/pipeline"` });
  }
  const [org, pipeline] = parts as [string, string];
  checkOrg(org, rules, 'ref');
  return { org, pipeline };
}

/** A build ref: `{ scope: 'org/pipeline', id: '42' }`. */
export function parseBuildRef(ref: ExternalRef, rules: ScopeRules = {}): BuildAddress {
  const scope = parsePipelineScope(ref.scope, rules);
  if (!NUMBER.test(ref.id)) throw new InvalidInputError({ message: `build ref id "${ref.id}" is not a build number` });
  return { ...scope, number: Number(ref.id) };
}

/** A job ref: `{ scope: 'org/pipeline', id: '42/<job uuid>' }`. */
export function parseJobRef(ref: ExternalRef, rules: ScopeRules = {}): JobAddress {
  const scope = parsePipelineScope(ref.scope, rules);
  const parts = ref.id.split('/');
  if (parts.length !== 2 || !NUMBER.test(parts[0]!) || !UUID.test(parts[1]!)) {
    throw new InvalidInputError({ message: `job ref id "${ref.id}" is not "<build number>/<job id>"` });
  }
  return { ...scope, number: Number(parts[0]), jobId: parts[1]! };
}

export function buildRef(org: string, pipeline: string, number: number): ExternalRef {
  return { scope: `${org}/${pipeline}`, id: String(number) };
}

export function jobRef(org: string, pipeline: string, number: number, jobId: string): ExternalRef {
  return { scope: `${org}/${pipeline}`, id: `${number}/${jobId}` };
}

export function artifactRef(org: string, pipeline: string, number: number, jobId: string, artifactId: string): ExternalRef {
  return { scope: `${org}/${pipeline}`, id: `${number}/${jobId}/${artifactId}` };
}

export function agentRef(org: string, agentId: string): ExternalRef {
  return { scope: org, id: agentId };
}

/** Path segments, URL-encoded: `pathOf('organizations', org, 'builds')`. */
export function pathOf(...parts: Array<string | number>): string {
  return `/${parts.map((p) => encodeURIComponent(String(p))).join('/')}`;
}

/**
 * Reads `{ org, pipeline, number }` from a build's API URL
 * (`.../organizations/{org}/pipelines/{pipeline}/builds/{number}`), for payloads
 * that carry no pipeline object.
 */
export function addressFromBuildUrl(url: string | null | undefined): BuildAddress | undefined {
  if (!url) return undefined;
  const match = /\/organizations\/([^/]+)\/pipelines\/([^/]+)\/builds\/(\d+)(?:[/?#]|$)/.exec(url);
  if (!match) return undefined;
  try {
    return { org: decodeURIComponent(match[1]!), pipeline: decodeURIComponent(match[2]!), number: Number(match[3]) };
  } catch {
    return undefined;
  }
}

/** Reads the organization from an API URL (`.../organizations/{org}/...`). */
export function orgFromUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const match = /\/organizations\/([^/?#]+)/.exec(url);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
