import type { ExternalEnvelope, InterfaceName, ListOptions, Page } from '@krate/core';
import type { Octokit } from '@octokit/rest';

/**
 * What each interface implementation of the GitHub provider is built on. Made once
 * per instance by `createGitHubContext` (github-context-impl.ts).
 */
export interface GitHubContext {
  readonly provider: 'github';
  /** REST API base, e.g. https://api.github.com or https://ghe.example.com/api/v3 (no trailing slash). */
  readonly apiBaseUrl: string;
  /** Web base for html URLs, e.g. https://github.com. */
  readonly webBaseUrl: string;
  /**
   * The Octokit to call for an owner (org or user). With GitHub App auth it carries
   * that owner's installation token (installation looked up once and cached).
   */
  octokitFor(owner: string): Promise<Octokit>;
  /**
   * Runs one operation: maps Octokit / transport errors to ProviderError (GitHub's
   * meanings: secondary rate limits, "Resource not accessible by integration", bad
   * credentials), with provider and operation set.
   */
  call<T>(operation: string, fn: () => Promise<T>): Promise<T>;
  /** Lists one page of a REST collection with Link-header pagination and an opaque cursor. */
  listPage<Raw, Item>(
    operation: string,
    owner: string,
    request: { route: string; params: Record<string, unknown>; options: ListOptions; maxPageSize?: number; itemsKey?: string },
    map: (raw: Raw) => Item | undefined,
  ): Promise<Page<Item>>;
  /** Builds the `external` envelope of a GitHub object. */
  envelope(
    iface: InterfaceName,
    nativeKind: string,
    raw: { id?: number | string; node_id?: string; html_url?: string | null; url?: string; updated_at?: string | null; number?: number; sha?: string },
    extra?: { etag?: string; sha?: string; fields?: Record<string, unknown> },
  ): ExternalEnvelope;
}

/** `owner/repo` -> { owner, repo }; anything else is an invalid_input error. */
export type RepoScope = { owner: string; repo: string };

/** What the mapping functions need from the context: envelopes and URL bases (no network). */
export type GitHubMappingContext = Pick<GitHubContext, 'envelope' | 'apiBaseUrl' | 'webBaseUrl'>;
