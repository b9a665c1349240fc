/**
 * The Buildkite REST API v2 objects this provider reads, as documented on
 * https://buildkite.com/docs/apis/rest-api (builds, jobs, artifacts, agents) and
 * https://buildkite.com/docs/apis/webhooks/pipelines (webhook payloads). Only the
 * fields the provider uses are typed; everything is optional or nullable because
 * webhook payloads and older API versions omit fields.
 */

export interface BuildkiteUser {
  id?: string | null;
  graphql_id?: string | null;
  name?: string | null;
  email?: string | null;
  avatar_url?: string | null;
  created_at?: string | null;
}

export interface BuildkitePipelineSummary {
  id?: string | null;
  graphql_id?: string | null;
  url?: string | null;
  web_url?: string | null;
  name?: string | null;
  slug?: string | null;
  repository?: string | null;
  default_branch?: string | null;
  provider?: { id?: string | null; settings?: Record<string, unknown> | null } | null;
}

export interface BuildkiteAgentSummary {
  id?: string | null;
  graphql_id?: string | null;
  url?: string | null;
  web_url?: string | null;
  name?: string | null;
  connection_state?: string | null;
  hostname?: string | null;
}

export interface BuildkiteJob {
  id: string;
  graphql_id?: string | null;
  /** `script`, `waiter`, `manual` (block step) or `trigger`. */
  type?: string | null;
  name?: string | null;
  /** Block steps (`manual`) carry a label instead of a name. */
  label?: string | null;
  step_key?: string | null;
  group_key?: string | null;
  state?: string | null;
  build_url?: string | null;
  web_url?: string | null;
  log_url?: string | null;
  raw_log_url?: string | null;
  artifacts_url?: string | null;
  soft_failed?: boolean | null;
  exit_status?: number | null;
  signal_reason?: string | null;
  agent?: BuildkiteAgentSummary | null;
  created_at?: string | null;
  scheduled_at?: string | null;
  runnable_at?: string | null;
  started_at?: string | null;
  finished_at?: string | null;
  expired_at?: string | null;
  unblocked_at?: string | null;
  unblocked_by?: BuildkiteUser | null;
  unblockable?: boolean | null;
  retried?: boolean | null;
  retried_in_job_id?: string | null;
  retries_count?: number | null;
  parallel_group_index?: number | null;
  parallel_group_total?: number | null;
  async?: boolean | null;
  triggered_build?: { id?: string | null; number?: number | null; url?: string | null; web_url?: string | null } | null;
}

export interface BuildkiteBuild {
  id: string;
  graphql_id?: string | null;
  url?: string | null;
  web_url?: string | null;
  number: number;
  state?: string | null;
  blocked?: boolean | null;
  cancel_reason?: string | null;
  message?: string | null;
  commit?: string | null;
  branch?: string | null;
  tag?: string | null;
  source?: string | null;
  creator?: BuildkiteUser | null;
  jobs?: BuildkiteJob[] | null;
  created_at?: string | null;
  scheduled_at?: string | null;
  started_at?: string | null;
  failing_at?: string | null;
  finished_at?: string | null;
  meta_data?: Record<string, unknown> | null;
  pull_request?: { id?: string | null; base?: string | null; repository?: string | null; labels?: string[] | null } | Record<string, never> | null;
  rebuilt_from?: { id?: string | null; number?: number | null; url?: string | null } | null;
  pipeline?: BuildkitePipelineSummary | null;
}

/** The body of `GET .../builds/{number}/jobs` (cursor-paginated). */
export interface BuildkiteJobList {
  items: BuildkiteJob[];
  links?: { self?: string | null; next?: string | null } | null;
}

/** The body of `GET .../jobs/{id}/log`. */
export interface BuildkiteJobLog {
  url?: string | null;
  content?: string | null;
  size?: number | null;
  header_times?: number[] | null;
}

export interface BuildkiteArtifact {
  id: string;
  job_id?: string | null;
  url?: string | null;
  download_url?: string | null;
  /** `new`, `error`, `finished`, `deleted` or `expired`. */
  state?: string | null;
  path?: string | null;
  dirname?: string | null;
  filename?: string | null;
  mime_type?: string | null;
  file_size?: number | null;
  sha1sum?: string | null;
}

export interface BuildkiteAgent {
  id: string;
  graphql_id?: string | null;
  url?: string | null;
  web_url?: string | null;
  name?: string | null;
  /** `connected`, `disconnected`, `stopping`, `stopped`, `lost`, `never_connected`. */
  connection_state?: string | null;
  hostname?: string | null;
  ip_address?: string | null;
  user_agent?: string | null;
  version?: string | null;
  creator?: BuildkiteUser | null;
  created_at?: string | null;
  job?: BuildkiteJob | null;
  last_job_finished_at?: string | null;
  priority?: number | null;
  /** `key=value` tags, for example `queue=default`. */
  meta_data?: string[] | null;
}

/** The error body Buildkite answers with: `{ "message": "..." }` (rate limits add scope/limit/reset). */
export interface BuildkiteErrorBody {
  message?: string;
  errors?: unknown[];
  scope?: string;
  limit?: number;
  current?: number;
  reset?: number;
}
