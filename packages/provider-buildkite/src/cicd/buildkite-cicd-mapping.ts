import type {
  ExternalArtifact, ExternalEnvelope, ExternalJob, ExternalPipeline, ExternalRunner, ExternalUser, PluginContext,
} from '@krate/core';
import { ProviderError } from '@krate/core';
import { PROVIDER } from '../buildkite-errors.js';
import { agentRef, artifactRef, buildRef, jobRef } from '../shared/buildkite-scope.js';
import { agentStatus, buildPhase, jobPhase } from '../shared/buildkite-states.js';
import type {
  BuildkiteAgent, BuildkiteArtifact, BuildkiteBuild, BuildkiteJob, BuildkitePipelineSummary, BuildkiteUser,
} from '../shared/buildkite-types.js';

/** `extensions.schemaVersion` of every Buildkite object. */
export const BUILDKITE_SCHEMA_VERSION = 'buildkite-rest-v2';

/** Webhook payloads of some ages print times as `2018-07-01 20:14:38 UTC`; the REST API prints ISO-8601. */
const LEGACY_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) UTC$/;

/** `2015-05-09T21:05:59.874Z` or `2015-05-09T21:05:59Z`: UTC, as the REST API prints times. */
const UTC_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3})?Z$/;

/** An API time as ISO-8601 (UTC, milliseconds), or undefined when absent or unreadable. */
export function toIso(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Fast path for the API's usual forms: no Date round trip on the webhook hot path.
  if ((value.length === 24 || value.length === 20) && UTC_TIME.test(value)) {
    return value.length === 24 ? value : `${value.slice(0, 19)}.000Z`;
  }
  if (value.trim() === '') return undefined;
  const text = value.trim();
  const legacy = LEGACY_TIME.exec(text);
  const ms = Date.parse(legacy ? `${legacy[1]}T${legacy[2]}Z` : text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * The latest of some API times (ISO-8601), or undefined. {@link toIso} prints every
 * time in one fixed-width UTC form, so the latest is the greatest string.
 */
export function latest(...values: Array<string | null | undefined>): string | undefined {
  let best: string | undefined;
  for (const value of values) {
    const iso = toIso(value);
    if (iso !== undefined && (best === undefined || iso > best)) best = iso;
  }
  return best;
}

const SHA = /^[0-9a-f]{7,64}$/i;

/** The commit of a build when it is a SHA (a build can name `HEAD` or a branch instead). */
export function commitSha(commit: string | null | undefined): string | undefined {
  return typeof commit === 'string' && SHA.test(commit) ? commit.toLowerCase() : undefined;
}

function user(raw: BuildkiteUser | null | undefined): ExternalUser | undefined {
  if (!raw || typeof raw.id !== 'string' || raw.id === '') return undefined;
  const out: ExternalUser = { id: raw.id };
  if (raw.name) out.name = raw.name;
  if (raw.email) out.email = raw.email;
  return out;
}

function compact<T extends Record<string, unknown>>(fields: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}

/** When a build was last seen changing: the latest of its timestamps (Buildkite keeps no `updated_at`). */
export function buildUpdatedAt(raw: Pick<BuildkiteBuild, 'created_at' | 'scheduled_at' | 'started_at' | 'failing_at' | 'finished_at'>): string | undefined {
  return latest(raw.created_at, raw.scheduled_at, raw.started_at, raw.failing_at, raw.finished_at);
}

/**
 * What the mappers need besides the vendor object: the instance's provider and binding
 * refs, copied into every envelope. A plugin context is one.
 */
export type BuildkiteMappingContext = Pick<PluginContext, 'providerRef' | 'bindingRef'>;

/** The `external` envelope of a Buildkite object. */
export function buildkiteEnvelope(
m: BuildkiteMappingContext,
  nativeKind: string,
  nativeId: string,
  extra: {
    nativeNumber?: number | undefined;
    nodeId?: string | null | undefined;
    url?: string | null | undefined;
    apiUrl?: string | null | undefined;
    updatedAt?: string | undefined;
    sha?: string | undefined;
    etag?: string | undefined;
    fields?: Record<string, unknown>;
  } = {},
): ExternalEnvelope {
  const envelope: ExternalEnvelope = {
    interface: 'cicd',
    nativeKind,
    nativeId,
    version: compact({ etag: extra.etag, updatedAt: extra.updatedAt, sha: extra.sha }) as ExternalEnvelope['version'],
    extensions: { providerType: PROVIDER, schemaVersion: BUILDKITE_SCHEMA_VERSION, fields: compact(extra.fields ?? {}) },
  };
  if (m.providerRef !== undefined) envelope.providerRef = m.providerRef;
  if (m.bindingRef !== undefined) envelope.bindingRef = m.bindingRef;
  if (extra.nativeNumber !== undefined) envelope.nativeNumber = extra.nativeNumber;
  if (extra.nodeId) envelope.nodeId = extra.nodeId;
  if (extra.url) envelope.url = extra.url;
  if (extra.apiUrl) envelope.apiUrl = extra.apiUrl;
  return envelope;
}

/**
 * A build as an ExternalPipeline. `org`/`pipeline` address it (the pipeline summary in
 * the payload names the pipeline for display).
 */
export function mapBuild(m: BuildkiteMappingContext, raw: BuildkiteBuild, where: { org: string; pipeline: string; summary?: BuildkitePipelineSummary | null | undefined }): ExternalPipeline {
  if (typeof raw?.id !== 'string' || !Number.isInteger(raw.number)) {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, message: 'a build in the answer has no id or number' });
  }
  const summary = where.summary ?? raw.pipeline ?? undefined;
  const { phase, conclusion } = buildPhase(raw.state, raw.blocked);
  const createdAt = toIso(raw.created_at) ?? toIso(raw.scheduled_at) ?? buildUpdatedAt(raw);
  const updatedAt = buildUpdatedAt(raw) ?? createdAt;
  if (createdAt === undefined || updatedAt === undefined) {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, message: `build ${raw.number} has no timestamps` });
  }
  const sha = commitSha(raw.commit);
  const pullRequest = raw.pull_request && Object.keys(raw.pull_request).length > 0 ? raw.pull_request : undefined;
  const out: ExternalPipeline = {
    ref: buildRef(where.org, where.pipeline, raw.number),
    external: buildkiteEnvelope(m, 'build', raw.id, {
      nativeNumber: raw.number,
      nodeId: raw.graphql_id,
      url: raw.web_url,
      apiUrl: raw.url,
      updatedAt,
      sha,
      fields: {
        organization: where.org,
        pipeline: where.pipeline,
        state: raw.state ?? undefined,
        blocked: raw.blocked ?? undefined,
        failing: raw.state === 'failing' || undefined,
        source: raw.source ?? undefined,
        message: raw.message ?? undefined,
        commit: raw.commit ?? undefined,
        tag: raw.tag ?? undefined,
        cancelReason: raw.cancel_reason ?? undefined,
        scheduledAt: toIso(raw.scheduled_at),
        failingAt: toIso(raw.failing_at),
        pullRequest,
        rebuiltFrom: raw.rebuilt_from ?? undefined,
        repository: summary?.repository ?? undefined,
      },
    }),
    name: summary?.name || summary?.slug || where.pipeline,
    number: raw.number,
    phase,
    nativeStatus: raw.state ?? '',
    createdAt,
    updatedAt,
  };
  if (conclusion) out.conclusion = conclusion;
  if (raw.branch) out.branch = raw.branch;
  if (sha) out.sha = sha;
  if (raw.source) out.event = raw.source;
  const actor = user(raw.creator);
  if (actor) out.actor = actor;
  const startedAt = toIso(raw.started_at);
  if (startedAt) out.startedAt = startedAt;
  const finishedAt = toIso(raw.finished_at);
  if (finishedAt) out.finishedAt = finishedAt;
  return out;
}

/**
 * A job as an ExternalJob. Script (command), manual (block step) and trigger jobs
 * are jobs; the name of a block step is its label; the type is kept in
 * `extensions.fields.type`.
 */
export function mapJob(m: BuildkiteMappingContext, raw: BuildkiteJob, where: { org: string; pipeline: string; number: number; buildApiUrl?: string | null | undefined }): ExternalJob {
  if (typeof raw?.id !== 'string' || raw.id === '') {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, message: 'a job in the answer has no id' });
  }
  const { phase, conclusion } = jobPhase(raw.state, { exitStatus: raw.exit_status, softFailed: raw.soft_failed });
  const buildApiUrl = where.buildApiUrl ?? raw.build_url ?? undefined;
  const out: ExternalJob = {
    ref: jobRef(where.org, where.pipeline, where.number, raw.id),
    external: buildkiteEnvelope(m, 'job', raw.id, {
      nodeId: raw.graphql_id,
      url: raw.web_url,
      apiUrl: buildApiUrl && /\/builds\/\d+$/.test(buildApiUrl) ? `${buildApiUrl}/jobs/${raw.id}` : undefined,
      updatedAt: latest(raw.created_at, raw.scheduled_at, raw.runnable_at, raw.started_at, raw.finished_at, raw.unblocked_at, raw.expired_at),
      fields: {
        type: raw.type ?? undefined,
        state: raw.state ?? undefined,
        stepKey: raw.step_key ?? undefined,
        groupKey: raw.group_key ?? undefined,
        exitStatus: raw.exit_status ?? undefined,
        softFailed: raw.soft_failed ?? undefined,
        signalReason: raw.signal_reason ?? undefined,
        retried: raw.retried ?? undefined,
        retriedInJobId: raw.retried_in_job_id ?? undefined,
        retriesCount: raw.retries_count ?? undefined,
        parallelGroupIndex: raw.parallel_group_index ?? undefined,
        parallelGroupTotal: raw.parallel_group_total ?? undefined,
        agentId: raw.agent?.id ?? undefined,
        async: raw.async ?? undefined,
        triggeredBuild: raw.triggered_build ?? undefined,
        unblockedBy: user(raw.unblocked_by),
        logApiUrl: raw.log_url ?? undefined,
      },
    }),
    pipelineRef: buildRef(where.org, where.pipeline, where.number),
    name: raw.name || raw.label || raw.step_key || raw.type || 'job',
    phase,
    nativeStatus: raw.state ?? '',
  };
  if (conclusion) out.conclusion = conclusion;
  if (raw.agent?.name) out.runnerName = raw.agent.name;
  const startedAt = toIso(raw.started_at);
  if (startedAt) out.startedAt = startedAt;
  const finishedAt = toIso(raw.finished_at) ?? toIso(raw.unblocked_at);
  if (finishedAt) out.finishedAt = finishedAt;
  return out;
}

/** An artifact; the digest is the agent's SHA-1 (`sha1:<hex>`), the download URL the API's. */
export function mapArtifact(m: BuildkiteMappingContext, raw: BuildkiteArtifact, where: { org: string; pipeline: string; number: number }): ExternalArtifact {
  if (typeof raw?.id !== 'string' || raw.id === '') {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, message: 'an artifact in the answer has no id' });
  }
  const jobId = raw.job_id ?? '';
  const out: ExternalArtifact = {
    ref: jobId ? artifactRef(where.org, where.pipeline, where.number, jobId, raw.id) : { scope: `${where.org}/${where.pipeline}`, id: `${where.number}/-/${raw.id}` },
    external: buildkiteEnvelope(m, 'artifact', raw.id, {
      // Artifacts have no web page or timestamp of their own: the URL is the API's and the
      // version a synthetic tag over state, size and content digest (it changes when they do).
      url: raw.url ?? raw.download_url,
      apiUrl: raw.url,
      etag: `W/"${raw.state ?? ''}:${raw.file_size ?? ''}:${raw.sha1sum ?? ''}"`,
      fields: {
        state: raw.state ?? undefined,
        jobId: raw.job_id ?? undefined,
        path: raw.path ?? undefined,
        dirname: raw.dirname ?? undefined,
        filename: raw.filename ?? undefined,
        mimeType: raw.mime_type ?? undefined,
      },
    }),
    pipelineRef: buildRef(where.org, where.pipeline, where.number),
    name: raw.path || raw.filename || raw.id,
    expired: raw.state === 'expired' || raw.state === 'deleted',
  };
  if (typeof raw.file_size === 'number' && Number.isInteger(raw.file_size) && raw.file_size >= 0) out.sizeBytes = raw.file_size;
  if (typeof raw.sha1sum === 'string' && /^[0-9a-f]{40}$/i.test(raw.sha1sum)) out.digest = `sha1:${raw.sha1sum.toLowerCase()}`;
  if (raw.download_url) out.downloadUrl = raw.download_url;
  return out;
}

/** An agent as an ExternalRunner; its `key=value` tags are the labels. */
export function mapAgent(m: BuildkiteMappingContext, raw: BuildkiteAgent, where: { org: string }): ExternalRunner {
  if (typeof raw?.id !== 'string' || raw.id === '') {
    throw new ProviderError({ code: 'upstream_unavailable', provider: PROVIDER, message: 'an agent in the answer has no id' });
  }
  const busy = raw.job !== null && raw.job !== undefined;
  const out: ExternalRunner = {
    ref: agentRef(where.org, raw.id),
    external: buildkiteEnvelope(m, 'agent', raw.id, {
      nodeId: raw.graphql_id,
      url: raw.web_url,
      apiUrl: raw.url,
      updatedAt: latest(raw.created_at, raw.last_job_finished_at, raw.job?.started_at),
      fields: {
        connectionState: raw.connection_state ?? undefined,
        hostname: raw.hostname ?? undefined,
        priority: raw.priority ?? undefined,
        jobId: raw.job?.id ?? undefined,
        createdAt: toIso(raw.created_at),
        lastJobFinishedAt: toIso(raw.last_job_finished_at),
      },
    }),
    name: raw.name || raw.hostname || raw.id,
    status: agentStatus(raw.connection_state, busy),
    busy,
    labels: Array.isArray(raw.meta_data) ? raw.meta_data.filter((m): m is string => typeof m === 'string') : [],
  };
  const os = /\(([^;)]+);/.exec(raw.user_agent ?? '')?.[1];
  if (os) out.os = os.trim();
  const version = raw.version ?? /buildkite-agent\/([^\s]+)/.exec(raw.user_agent ?? '')?.[1];
  if (version) out.version = version;
  return out;
}
