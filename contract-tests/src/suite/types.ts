import type { CapabilityManifest, InterfaceName, ProviderInstance, ProviderPlugin } from '@krate/core';
import type { ContractSuiteOptions, FakeBackend, FakeVariant } from '../kit/types.js';
import type { CaseContext } from './context.js';

/** How one case ended. `unsupported`: the operation is not declared and the instance refused it correctly. */
export type CaseStatus = 'pass' | 'fail' | 'skip' | 'unsupported';

/**
 * What part of the contract a case checks. Configuration variants rerun the
 * families their aspects can affect (see `FAMILIES_OF_ASPECT`).
 */
export type CaseFamily =
  | 'declaration' | 'listing' | 'roundtrip' | 'fields' | 'idempotency' | 'errors' | 'abort' | 'secrets' | 'convergence' | 'webhooks';

/** One case of the contract suite, shared by the vitest and the program runner. */
export interface ContractCase {
  /** The case family (default `roundtrip`). */
  family?: CaseFamily;
  /**
   * The suite's own time budget for this case in ms (cases that wait on a client
   * timeout or an abort); the runner's `caseTimeoutMs` applies otherwise.
   */
  budgetMs?: number;
  /** Create the case's fake with `options.timeoutMs` set to this (the suite-owned request timeout). */
  requestTimeoutMs?: number;
  /** Stable id, used in skips and reports: `issueTracking.listIssues.pagination`. */
  id: string;
  /** One line on what the case checks. */
  title: string;
  interface?: InterfaceName;
  operation?: string;
  webhookEvent?: string;
  /** Result status when the case passes (default `pass`). */
  passStatus?: 'pass' | 'unsupported';
  run(ctx: CaseContext): Promise<void>;
}

export interface CaseResult {
  id: string;
  title?: string;
  family?: CaseFamily;
  interface?: InterfaceName;
  operation?: string;
  webhookEvent?: string;
  /** The base URL the fake was served at, for runs with `alternateBaseUrls`; absent for the fake's default. */
  baseUrl?: string;
  /** The configuration variant the case ran in; absent for the fake's default configuration. */
  variant?: string;
  status: CaseStatus;
  /** The skip reason. */
  reason?: string;
  /** What failed, with every known secret redacted. */
  error?: string;
  durationMs?: number;
}

export interface ContractReport {
  provider: string;
  /** The package the provider came from, where known. */
  module?: string;
  results: CaseResult[];
  /** The manifest the cases were generated from. */
  manifest?: CapabilityManifest;
  summary?: { pass: number; fail: number; skip: number; unsupported: number };
}

/** Options of {@link runContractSuite} beyond the shared suite options. */
export interface RunContractSuiteOptions<Config = unknown> extends ContractSuiteOptions<Config> {
  /** Called after each case (for progress output). */
  onResult?: (result: CaseResult) => void;
  /** Only run cases whose id starts with one of these prefixes. */
  only?: string[];
  /** Per-case time limit (default 20000 ms). */
  caseTimeoutMs?: number;
  /** Names the provider's package in the report. */
  module?: string;
}

/** What a runner gives the executor of one case. */
export interface CaseEnvironment<Config = unknown> {
  plugin: ProviderPlugin<Config>;
  createFake: ContractSuiteOptions<Config>['createFake'];
  baseUrl?: string;
  /** The configuration variant (its options are passed to `createFake`). */
  variant?: FakeVariant;
  /** Installs a fake's handlers for one case; the runner resets them after the case. */
  use(handlers: FakeBackend['handlers']): void;
  resetHandlers(): void;
  /** Unhandled requests seen by the server since the last reset (method and URL). */
  unhandled: string[];
  caseTimeoutMs?: number;
}

