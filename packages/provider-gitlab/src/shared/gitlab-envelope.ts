import type { ExternalEnvelope, InterfaceName } from '@krate/core';

/** The schema version of GitLab objects in `external.extensions`. */
export const GITLAB_SCHEMA_VERSION = 'gitlab-rest-v4';

/** What mappers need besides the vendor object: where the instance lives and who it is. */
export interface GitLabMapContext {
  /** `https://gitlab.com/api/v4`. */
  apiUrl: string;
  /** `https://gitlab.com`, or `https://host/gitlab` under a relative URL root. */
  webUrl: string;
  providerRef?: string | undefined;
  bindingRef?: string | undefined;
}

export interface EnvelopeInput {
  iface: InterfaceName;
  nativeKind: string;
  nativeId: string | number;
  nativeNumber?: number | undefined;
  url: string;
  apiUrl?: string | undefined;
  updatedAt?: string | undefined;
  sha?: string | undefined;
  fields?: Record<string, unknown>;
}

export function envelope(ctx: GitLabMapContext, input: EnvelopeInput): ExternalEnvelope {
  const version: ExternalEnvelope['version'] = {};
  if (input.updatedAt) version.updatedAt = input.updatedAt;
  if (input.sha) version.sha = input.sha;
  const out: ExternalEnvelope = {
    interface: input.iface,
    nativeKind: input.nativeKind,
    nativeId: String(input.nativeId),
    url: input.url,
    version,
    extensions: { providerType: 'gitlab', schemaVersion: GITLAB_SCHEMA_VERSION, fields: input.fields ?? {} },
  };
  if (input.nativeNumber !== undefined) out.nativeNumber = input.nativeNumber;
  if (input.apiUrl) out.apiUrl = input.apiUrl;
  if (ctx.providerRef) out.providerRef = ctx.providerRef;
  if (ctx.bindingRef) out.bindingRef = ctx.bindingRef;
  return out;
}

/** The web URL of a project path: `https://gitlab.com/group/sub/project`. */
export function projectWebUrl(ctx: GitLabMapContext, path: string): string {
  return `${ctx.webUrl}/${path}`;
}

/** The API URL of a project path: `https://gitlab.com/api/v4/projects/group%2Fsub%2Fproject`. */
export function projectApiUrl(ctx: GitLabMapContext, path: string): string {
  return `${ctx.apiUrl}/projects/${encodeURIComponent(path)}`;
}

/** The project path of an object with `web_url` (`https://host/group/sub/project/-/issues/1`), given the web root. */
function projectPathFromWebUrl(ctx: GitLabMapContext, webUrl: unknown): string | undefined {
  if (typeof webUrl !== 'string' || !webUrl.startsWith(`${ctx.webUrl}/`)) return undefined;
  const rest = webUrl.slice(ctx.webUrl.length + 1);
  const cut = rest.indexOf('/-/');
  return cut > 0 ? rest.slice(0, cut) : undefined;
}
