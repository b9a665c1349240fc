import { SecretInputSchema, TransportConfigSchema, z } from '@krate/core';

/** Default `User-Agent` of the provider's requests. */
export const JIRA_DEFAULT_USER_AGENT = 'krate-provider-jira/0.1.0';
/** Atlassian's API gateway: scoped API tokens and OAuth 2.0 (3LO) reach a site through it. */
export const ATLASSIAN_GATEWAY = 'https://api.atlassian.com';

const httpUrl = z
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

/**
 * An Atlassian API token with the account's email, sent as HTTP basic auth. A classic
 * token works against the site URL; a scoped token (2025) only works through the
 * gateway: set `cloudId` as well.
 */
export const JiraBasicAuthSchema = z
  .object({
    type: z.literal('basic'),
    /** The Atlassian account's email address. */
    email: z.string().min(3),
    /** The API token, as a value or `{ secretRef }`. */
    apiToken: SecretInputSchema,
  })
  .strict();

/** An OAuth 2.0 (3LO) access token, sent as a bearer token through the gateway (`cloudId` required). */
export const JiraOAuthAuthSchema = z
  .object({
    type: z.literal('oauth2'),
    /** The access token, as a value or `{ secretRef }`. Refreshing it is the host's job. */
    accessToken: SecretInputSchema,
  })
  .strict();

export const JiraAuthSchema = z.discriminatedUnion('type', [JiraBasicAuthSchema, JiraOAuthAuthSchema]);

/** Resolution names per close reason; names are per site, so they can be set. */
export const JiraResolutionsSchema = z
  .object({
    completed: z.array(z.string().min(1)).min(1).default(['Done', 'Fixed']),
    not_planned: z.array(z.string().min(1)).min(1).default(["Won't Do", "Won't Fix", 'Cannot Reproduce']),
    duplicate: z.array(z.string().min(1)).min(1).default(['Duplicate']),
  })
  .strict();

/** Configuration of a Jira Cloud provider instance. */
export const JiraConfigSchema = z
  .object({
    /** How the provider authenticates. */
    auth: JiraAuthSchema,
    /** The site, `https://<site>.atlassian.net`: browse links (`<site>/browse/KEY`) and, without `cloudId`, the API base. */
    siteUrl: httpUrl,
    /**
     * The site's cloud id. With it every request goes through
     * `https://api.atlassian.com/ex/jira/{cloudId}` (required for scoped API tokens and
     * OAuth 2.0). Find it at `https://<site>/_edge/tenant_info`. Default: none (site URL).
     */
    cloudId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be the site\'s cloud id').optional(),
    /** Overrides the API base (a proxy, a test server). Default: the gateway with `cloudId`, else `siteUrl`. */
    apiBaseUrl: httpUrl.optional(),
    /** Secret of the admin webhook (`X-Hub-Signature: sha256=...`), as a value or `{ secretRef }`. Without it every delivery is refused. */
    webhookSecret: SecretInputSchema.optional(),
    /**
     * The IANA time zone of the searching user's Jira profile: JQL dates are read in it.
     * Default: read once from `GET /rest/api/3/myself` when a listing first needs it.
     */
    timeZone: z.string().min(1).optional(),
    /**
     * Where milestones come from: the project's fix versions (`fixVersions`, the default) or
     * the sprints of a Scrum board (`sprints`, with `boardId`; the issue's milestone is its
     * sprint, read from the Sprint custom field).
     */
    milestones: z.enum(['fixVersions', 'sprints']).default('fixVersions'),
    /** The Scrum board whose sprints are the milestones (with `milestones: 'sprints'`). */
    boardId: z.number().int().positive().optional(),
    /**
     * The id of the Sprint custom field (`customfield_10020` on many sites). Default: found
     * once with `GET /rest/api/3/field` (the field whose schema is `gh-sprint`).
     */
    sprintFieldId: z.string().regex(/^customfield_\d+$/, 'must be a custom field id (customfield_NNNNN)').optional(),
    /** Target status name `closeIssue` prefers when a workflow has several "done" statuses. Default `Done`. */
    closeStatus: z.string().min(1).default('Done'),
    /** Resolution names for each close reason, in order of preference. */
    resolutions: JiraResolutionsSchema.default({
      completed: ['Done', 'Fixed'],
      not_planned: ["Won't Do", "Won't Fix", 'Cannot Reproduce'],
      duplicate: ['Duplicate'],
    }),
    /** Issue type of created issues. Default `Task`. */
    issueType: z.string().min(1).default('Task'),
    /** Timeout of one HTTP attempt in ms. Default 30 000. */
    timeoutMs: TransportConfigSchema.shape.timeoutMs,
    /** Retry policy of the shared transport (maxRetries 3, baseDelayMs 500, maxDelayMs 30 000, maxRetryAfterMs 60 000 by default). */
    retry: TransportConfigSchema.shape.retry,
    /** `User-Agent` header of every request. Default `krate-provider-jira/<version>`. */
    userAgent: z.string().min(1).default(JIRA_DEFAULT_USER_AGENT),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.milestones === 'sprints' && config.boardId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['boardId'], message: 'milestones: sprints needs the boardId of the Scrum board' });
    }
    if (config.auth.type === 'oauth2' && !config.cloudId && !config.apiBaseUrl) {
      ctx.addIssue({ code: 'custom', path: ['cloudId'], message: 'OAuth 2.0 reaches Jira only through the gateway: set cloudId' });
    }
  });

/** Configuration as written by the user (defaults optional). */
export type JiraConfigInput = z.input<typeof JiraConfigSchema>;
/** Configuration after validation (defaults filled in). */
export type JiraConfig = z.output<typeof JiraConfigSchema>;
export type JiraBasicAuth = z.output<typeof JiraBasicAuthSchema>;
export type JiraOAuthAuth = z.output<typeof JiraOAuthAuthSchema>;

/** The REST API base of a config: `apiBaseUrl`, else the gateway for `cloudId`, else the site. */
export function jiraApiBaseUrl(config: Pick<JiraConfig, 'apiBaseUrl' | 'cloudId' | 'siteUrl'>): string {
  if (config.apiBaseUrl) return config.apiBaseUrl;
  if (config.cloudId) return `${ATLASSIAN_GATEWAY}/ex/jira/${config.cloudId}`;
  return config.siteUrl;
}
