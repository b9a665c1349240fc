import type {
  FakeBranch, FakeCommit, FakeDeployKey, FakeIssue, FakeJob, FakeLabel, FakeMember, FakeMergeRequest, FakeMilestone, FakeNote,
  FakePipeline, FakeProject, FakeProtectedBranch, FakeRunner, FakeStatus, FakeTag, FakeUser, GitLabFakeState,
} from './gitlab-fake-state.js';

/**
 * Builders of GitLab's REST JSON objects from the fake's state, with the fields and
 * shapes of GitLab's API (snake_case, ISO times, `web_url`s under the web root).
 */

export function userJson(s: GitLabFakeState, user: FakeUser | number): Record<string, unknown> {
  const u = typeof user === 'number' ? s.users.require(user) : user;
  return { id: u.id, username: u.username, name: u.name, state: 'active', locked: false, avatar_url: null, web_url: `${s.webUrl}/${u.username}` };
}

export function projectJson(s: GitLabFakeState, p: FakeProject): Record<string, unknown> {
  const group = s.groups.require(p.namespaceId);
  const web = `${s.webUrl}/${p.path}`;
  const host = new URL(s.webUrl).host;
  return {
    id: p.id, description: p.description, name: p.name, name_with_namespace: p.path.split('/').join(' / '), path: p.name, path_with_namespace: p.path,
    created_at: p.createdAt, updated_at: p.updatedAt, default_branch: p.defaultBranch, visibility: p.visibility, archived: p.archived,
    ssh_url_to_repo: `git@${host}:${p.path}.git`, http_url_to_repo: `${web}.git`, web_url: web, last_activity_at: p.lastActivityAt,
    namespace: { id: group.id, name: group.name, path: group.path.split('/').pop(), kind: 'group', full_path: group.path, parent_id: group.parentId, web_url: `${s.webUrl}/groups/${group.path}` },
    only_allow_merge_if_pipeline_succeeds: p.onlyAllowMergeIfPipelineSucceeds, merge_method: p.mergeMethod, issues_enabled: true, merge_requests_enabled: true,
    _links: { self: `${s.apiUrl}/projects/${p.id}` },
  };
}

export function issueJson(s: GitLabFakeState, i: FakeIssue): Record<string, unknown> {
  const p = s.projects.require(i.projectId);
  const milestone = i.milestoneId ? s.milestones.get(i.milestoneId) : undefined;
  const assignees = i.assigneeIds.map((id) => userJson(s, id));
  return {
    id: i.id, iid: i.iid, project_id: i.projectId, title: i.title, description: i.description, state: i.state,
    created_at: i.createdAt, updated_at: i.updatedAt, closed_at: i.closedAt, closed_by: i.closedAt ? userJson(s, i.authorId) : null,
    labels: i.labels, milestone: milestone ? milestoneJson(s, milestone) : null, assignees, assignee: assignees[0] ?? null,
    author: userJson(s, i.authorId), type: 'ISSUE', issue_type: 'issue', user_notes_count: s.notes.list((n) => n.noteableType === 'Issue' && n.projectId === i.projectId && n.noteableIid === i.iid && !n.system).length,
    merge_requests_count: 0, upvotes: 0, downvotes: 0, due_date: null, confidential: false, discussion_locked: null,
    web_url: `${s.webUrl}/${p.path}/-/issues/${i.iid}`, moved_to_id: i.movedToId, service_desk_reply_to: null,
    references: { short: `#${i.iid}`, relative: `#${i.iid}`, full: `${p.path}#${i.iid}` },
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    task_completion_status: { count: 0, completed_count: 0 },
    _links: { self: `${s.apiUrl}/projects/${i.projectId}/issues/${i.iid}`, notes: `${s.apiUrl}/projects/${i.projectId}/issues/${i.iid}/notes`, project: `${s.apiUrl}/projects/${i.projectId}` },
    ...(i.duplicateOf ? { closed_as_duplicate_of: `${s.webUrl}/${p.path}/-/issues/${i.duplicateOf}` } : {}),
  };
}

export function noteJson(s: GitLabFakeState, n: FakeNote): Record<string, unknown> {
  const noteable = n.noteableType === 'Issue'
    ? s.issues.list((i) => i.projectId === n.projectId && i.iid === n.noteableIid)[0]
    : s.mergeRequests.list((m) => m.projectId === n.projectId && m.iid === n.noteableIid)[0];
  return {
    id: n.id, type: null, body: n.body, attachment: null, author: userJson(s, n.authorId), created_at: n.createdAt, updated_at: n.updatedAt,
    system: n.system, noteable_id: noteable?.id ?? null, noteable_type: n.noteableType, project_id: n.projectId, noteable_iid: n.noteableIid,
    resolvable: false, confidential: false, internal: false, commands_changes: {},
  };
}

export function labelJson(s: GitLabFakeState, l: FakeLabel, projectId?: number): Record<string, unknown> {
  const open = s.issues.list((i) => i.state === 'opened' && i.labels.includes(l.name) && (projectId === undefined || i.projectId === projectId)).length;
  return {
    id: l.id, name: l.name, color: l.color, text_color: '#FFFFFF', description: l.description, description_html: l.description ?? '',
    open_issues_count: open, closed_issues_count: 0, open_merge_requests_count: 0, subscribed: false, priority: null,
    is_project_label: l.projectId !== null,
  };
}

export function milestoneJson(s: GitLabFakeState, m: FakeMilestone): Record<string, unknown> {
  const p = s.projects.require(m.projectId);
  return {
    id: m.id, iid: m.iid, project_id: m.projectId, title: m.title, description: m.description, state: m.state, created_at: m.createdAt,
    updated_at: m.updatedAt, due_date: m.dueDate, start_date: null, expired: false, web_url: `${s.webUrl}/${p.path}/-/milestones/${m.iid}`,
  };
}

export function pipelineJson(s: GitLabFakeState, pl: FakePipeline, detail = false): Record<string, unknown> {
  const p = s.projects.require(pl.projectId);
  const base: Record<string, unknown> = {
    id: pl.id, iid: pl.iid, project_id: pl.projectId, sha: pl.sha, ref: pl.ref, status: pl.status, source: pl.source, name: pl.name,
    created_at: pl.createdAt, updated_at: pl.updatedAt, web_url: `${s.webUrl}/${p.path}/-/pipelines/${pl.id}`,
  };
  if (!detail) return base;
  const duration = pl.startedAt && pl.finishedAt ? Math.round((Date.parse(pl.finishedAt) - Date.parse(pl.startedAt)) / 1000) : null;
  return {
    ...base, before_sha: '0000000000000000000000000000000000000000', tag: false, yaml_errors: null, user: userJson(s, pl.userId),
    started_at: pl.startedAt, finished_at: pl.finishedAt, committed_at: null, duration, queued_duration: null, coverage: null,
    detailed_status: { icon: `status_${pl.status}`, text: pl.status, label: pl.status, group: pl.status, details_path: `/${p.path}/-/pipelines/${pl.id}` },
  };
}

export function runnerJson(s: GitLabFakeState, r: FakeRunner, detail = false): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: r.id, description: r.description, ip_address: null, active: !r.paused, paused: r.paused, is_shared: r.runnerType === 'instance_type',
    runner_type: r.runnerType, name: 'gitlab-runner', online: r.status === 'online', status: r.status,
  };
  if (!detail) return base;
  return { ...base, tag_list: r.tagList, version: r.version, platform: r.platform, architecture: null, run_untagged: r.tagList.length === 0, locked: false, maximum_timeout: null, access_level: 'not_protected', projects: r.projectIds.map((id) => ({ id, path_with_namespace: s.projects.get(id)?.path })) };
}

export function jobJson(s: GitLabFakeState, j: FakeJob): Record<string, unknown> {
  const p = s.projects.require(j.projectId);
  const pl = s.pipelines.require(j.pipelineId);
  const runner = j.runnerId ? s.runners.get(j.runnerId) : undefined;
  const duration = j.startedAt && j.finishedAt ? (Date.parse(j.finishedAt) - Date.parse(j.startedAt)) / 1000 : null;
  const out: Record<string, unknown> = {
    id: j.id, status: j.status, stage: j.stage, name: j.name, ref: pl.ref, tag: false, coverage: null, allow_failure: j.allowFailure,
    created_at: j.createdAt, started_at: j.startedAt, finished_at: j.finishedAt, erased_at: null, duration, queued_duration: null,
    user: userJson(s, pl.userId), commit: { id: pl.sha, short_id: pl.sha.slice(0, 8), title: 'Commit', message: 'Commit' },
    pipeline: { id: pl.id, iid: pl.iid, project_id: pl.projectId, ref: pl.ref, sha: pl.sha, status: pl.status, source: pl.source, created_at: pl.createdAt, updated_at: pl.updatedAt, web_url: `${s.webUrl}/${p.path}/-/pipelines/${pl.id}` },
    web_url: `${s.webUrl}/${p.path}/-/jobs/${j.id}`, project: { ci_job_token_scope_enabled: false },
  };
  if (j.bridge) {
    out.downstream_pipeline = null;
    return out;
  }
  out.failure_reason = j.status === 'failed' ? 'script_failure' : undefined;
  out.artifacts = j.artifacts;
  out.artifacts_file = j.artifacts.find((a) => a.file_type === 'archive') ? { filename: j.artifacts.find((a) => a.file_type === 'archive')!.filename, size: j.artifacts.find((a) => a.file_type === 'archive')!.size } : undefined;
  out.artifacts_expire_at = j.artifactsExpireAt;
  out.runner = runner ? runnerJson(s, runner) : null;
  out.archived = false;
  out.tag_list = [];
  return out;
}

export function statusJson(s: GitLabFakeState, st: FakeStatus): Record<string, unknown> {
  return {
    id: st.id, sha: st.sha, ref: st.ref, status: st.status, name: st.name, target_url: st.targetUrl, description: st.description,
    created_at: st.createdAt, started_at: st.startedAt, finished_at: st.finishedAt, allow_failure: false, coverage: null, pipeline_id: st.pipelineId,
    author: userJson(s, s.user('krate-bot')),
  };
}

export function commitJson(s: GitLabFakeState, c: FakeCommit): Record<string, unknown> {
  const p = s.projects.require(c.projectId);
  const title = c.message.split('\n')[0];
  return {
    id: c.sha, short_id: c.sha.slice(0, 8), title, message: c.message, parent_ids: c.parents, author_name: c.authorName, author_email: c.authorEmail,
    authored_date: c.authoredAt, committer_name: c.authorName, committer_email: c.authorEmail, committed_date: c.committedAt, created_at: c.committedAt,
    trailers: {}, extended_trailers: {}, web_url: `${s.webUrl}/${p.path}/-/commit/${c.sha}`,
  };
}

export function branchJson(s: GitLabFakeState, b: FakeBranch): Record<string, unknown> {
  const p = s.projects.require(b.projectId);
  const c = s.commits.get(`${b.projectId}:${b.sha}`);
  const protectedBranch = s.protectedBranches.list((x) => x.projectId === b.projectId && x.name === b.name)[0];
  return {
    name: b.name, merged: false, protected: !!protectedBranch, default: p.defaultBranch === b.name, developers_can_push: false, developers_can_merge: false,
    can_push: true, web_url: `${s.webUrl}/${p.path}/-/tree/${encodeURIComponent(b.name)}`, commit: c ? commitJson(s, c) : { id: b.sha },
  };
}

export function tagJson(s: GitLabFakeState, t: FakeTag): Record<string, unknown> {
  const c = s.commits.get(`${t.projectId}:${t.sha}`);
  return { name: t.name, message: t.message, target: t.sha, commit: c ? commitJson(s, c) : { id: t.sha }, release: null, protected: false, created_at: null };
}

export function mergeRequestJson(s: GitLabFakeState, m: FakeMergeRequest): Record<string, unknown> {
  const p = s.projects.require(m.projectId);
  const assignees = m.assigneeIds.map((id) => userJson(s, id));
  const draft = /^\s*(\[draft\]|\(draft\)|draft:|draft\s-\s|draft\s|wip:|\[wip\])/i.test(m.title);
  return {
    id: m.id, iid: m.iid, project_id: m.projectId, title: m.title, description: m.description, state: m.state, created_at: m.createdAt,
    updated_at: m.updatedAt, merged_by: null, merge_user: null, merged_at: m.mergedAt, closed_by: null, closed_at: m.closedAt,
    target_branch: m.targetBranch, source_branch: m.sourceBranch, user_notes_count: 0, upvotes: 0, downvotes: 0, author: userJson(s, m.authorId),
    assignees, assignee: assignees[0] ?? null, reviewers: m.reviewerIds.map((id) => userJson(s, id)), source_project_id: m.projectId, target_project_id: m.projectId,
    labels: m.labels, draft, work_in_progress: draft, milestone: null, merge_when_pipeline_succeeds: false,
    merge_status: m.detailedMergeStatus === 'mergeable' ? 'can_be_merged' : m.detailedMergeStatus === 'checking' ? 'checking' : 'cannot_be_merged',
    detailed_merge_status: m.detailedMergeStatus, sha: m.sha, merge_commit_sha: m.mergeCommitSha, squash_commit_sha: m.squashCommitSha,
    discussion_locked: null, should_remove_source_branch: null, force_remove_source_branch: false, prepared_at: m.createdAt,
    reference: `!${m.iid}`, references: { short: `!${m.iid}`, relative: `!${m.iid}`, full: `${p.path}!${m.iid}` },
    web_url: `${s.webUrl}/${p.path}/-/merge_requests/${m.iid}`, time_stats: { time_estimate: 0, total_time_spent: 0 }, squash: false, squash_on_merge: false,
    task_completion_status: { count: 0, completed_count: 0 }, has_conflicts: m.detailedMergeStatus === 'conflict', blocking_discussions_resolved: true,
  };
}

export function deployKeyJson(k: FakeDeployKey): Record<string, unknown> {
  return { id: k.id, title: k.title, key: k.key, fingerprint_sha256: `SHA256:${Buffer.from(k.key).toString('base64').slice(0, 43)}`, created_at: k.createdAt, expires_at: k.expiresAt, can_push: k.canPush };
}

export function memberJson(s: GitLabFakeState, m: FakeMember): Record<string, unknown> {
  return { ...userJson(s, m.userId), access_level: m.accessLevel, created_at: m.createdAt, expires_at: null, membership_state: 'active' };
}

export function protectedBranchJson(b: FakeProtectedBranch): Record<string, unknown> {
  const level = (n: number) => [{ id: b.id * 10 + n, access_level: n, access_level_description: n >= 40 ? 'Maintainers' : n >= 30 ? 'Developers + Maintainers' : 'No one', deploy_key_id: null, user_id: null, group_id: null }];
  return {
    id: b.id, name: b.name, push_access_levels: level(b.pushAccessLevel), merge_access_levels: level(b.mergeAccessLevel), unprotect_access_levels: [],
    allow_force_push: b.allowForcePush, code_owner_approval_required: b.codeOwnerApprovalRequired,
  };
}
