import type { ExternalRef } from '@krate/core';
import type { FakePipelineStatus, GitLabFakeState } from './gitlab-fake-state.js';

/** What the fake's state says about an object, in neutral terms (the contract suite's `inspect`). */
export interface GitLabFakeObjectState {
  status?: string;
  runs?: number;
  closeReason?: string;
  mergeMethod?: string;
  title?: string;
  body?: string;
  labels?: string[];
  assignees?: string[];
  milestone?: string;
}

/** A webhook action and the change its events carry (the contract suite's `webhookActions`). */
export interface GitLabFakeWebhookAction {
  action?: string;
  change: 'upserted' | 'deleted';
  kind?: string;
}

const NEUTRAL_PIPELINE: Record<FakePipelineStatus, string> = {
  created: 'queued', waiting_for_resource: 'queued', preparing: 'queued', pending: 'queued', running: 'running', success: 'succeeded',
  failed: 'failed', canceling: 'canceling', canceled: 'canceled', skipped: 'canceled', manual: 'blocked', scheduled: 'queued',
};

/** The page a person opens for an object on this instance (never an API URL). */
export function gitlabHumanUrl(s: GitLabFakeState, kind: string, ref: ExternalRef): string | undefined {
  const web = s.webUrl;
  switch (kind) {
    case 'issue': return `${web}/${ref.scope}/-/issues/${ref.id}`;
    case 'comment': {
      const [iid, note] = ref.id.split('#note_');
      return `${web}/${ref.scope}/-/issues/${iid}#note_${note}`;
    }
    case 'milestone': {
      const m = s.milestones.get(Number(ref.id));
      return m ? `${web}/${ref.scope}/-/milestones/${m.iid}` : undefined;
    }
    case 'pipeline': return `${web}/${ref.scope}/-/pipelines/${ref.id}`;
    case 'job': return `${web}/${ref.scope}/-/jobs/${ref.id}`;
    case 'logRef': return `${web}/${ref.scope}/-/jobs/${ref.id.replace(/:trace$/, '')}/raw`;
    case 'pullRequest': return `${web}/${ref.scope}/-/merge_requests/${ref.id}`;
    case 'repository': return `${web}/${ref.scope}/${ref.id}`;
    case 'commit': return `${web}/${ref.scope}/-/commit/${ref.id}`;
    case 'collaborator': return `${web}/${ref.id}`;
    default: return undefined;
  }
}

/** The fake's own state of an issue, merge request or pipeline. */
export function gitlabInspect(s: GitLabFakeState, kind: string, ref: ExternalRef): GitLabFakeObjectState | undefined {
  const project = s.findProject(ref.scope);
  if (!project) return undefined;
  if (kind === 'issue') {
    const i = s.issues.list((x) => x.projectId === project.id && x.iid === Number(ref.id))[0];
    if (!i) return undefined;
    const milestone = i.milestoneId ? s.milestones.get(i.milestoneId)?.title : undefined;
    // GitLab stores no close reason; only duplicates leave a trace.
    return {
      status: i.state === 'opened' ? 'open' : 'closed', title: i.title, body: i.description ?? '', labels: i.labels,
      assignees: i.assigneeIds.map((id) => s.users.require(id).username), ...(milestone ? { milestone } : {}),
      ...(i.duplicateOf ? { closeReason: 'duplicate' } : {}),
    };
  }
  if (kind === 'pullRequest') {
    const m = s.mergeRequests.list((x) => x.projectId === project.id && x.iid === Number(ref.id))[0];
    if (!m) return undefined;
    return {
      status: m.state === 'merged' ? 'merged' : m.state === 'opened' || m.state === 'locked' ? 'open' : 'closed', title: m.title, body: m.description ?? '',
      labels: m.labels, assignees: m.assigneeIds.map((id) => s.users.require(id).username), ...(m.mergedWith ? { mergeMethod: m.mergedWith } : {}),
    };
  }
  if (kind === 'pipeline') {
    const p = s.pipelines.get(Number(ref.id));
    if (!p || p.projectId !== project.id) return undefined;
    return { status: NEUTRAL_PIPELINE[p.status], runs: p.runs };
  }
  return undefined;
}

/** Every action GitLab documents for an event the provider declares, and the change it means. */
export function gitlabWebhookActions(event: string): GitLabFakeWebhookAction[] {
  const upserts = (kind: string, actions: string[]): GitLabFakeWebhookAction[] => actions.map((action) => ({ action, change: 'upserted', kind }));
  switch (event) {
    case 'Issue Hook': return upserts('issue', ['open', 'close', 'reopen', 'update']);
    case 'Note Hook': return upserts('comment', ['create', 'update']);
    case 'Milestone Hook': return [...upserts('milestone', ['create', 'close', 'reopen']), { action: 'delete', change: 'deleted', kind: 'milestone' }];
    case 'Merge Request Hook': return upserts('pullRequest', ['open', 'close', 'reopen', 'update', 'approved', 'unapproved', 'merge']);
    case 'Pipeline Hook': return [{ change: 'upserted', kind: 'pipeline' }];
    case 'Job Hook': return [{ change: 'upserted', kind: 'job' }];
    case 'Deployment Hook': return [{ change: 'upserted', kind: 'job' }];
    case 'Push Hook': return [{ change: 'upserted', kind: 'gitRef' }];
    // A tag push and a release are about the tagged commit.
    case 'Tag Push Hook': return [{ change: 'upserted', kind: 'commit' }];
    case 'Release Hook': return upserts('commit', ['create', 'update']);
    default: return [];
  }
}
