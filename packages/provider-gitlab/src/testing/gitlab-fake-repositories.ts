import type { ExternalRef } from '@krate/core';
import { FakeNotFound, json, type FakeRoute } from '@krate/contract-tests/kit';
import {
  branchJson, commitJson, userJson, deployKeyJson, memberJson, mergeRequestJson, projectJson, protectedBranchJson, tagJson,
} from './gitlab-fake-objects.js';
import {
  bodyOf, glError, hookTime, listAnswer, ordered, shaOf, updatedFilter, type FakeMergeRequest, type GitLabFakeModule, type GitLabFakeState,
} from './gitlab-fake-state.js';

const PERMISSION_LEVEL = { read: 10, triage: 20, write: 30, maintain: 40, admin: 50 } as const;

function mrOf(s: GitLabFakeState, projectId: number, iid: string | number): FakeMergeRequest {
  const found = s.mergeRequests.list((m) => m.projectId === projectId && m.iid === Number(iid))[0];
  if (!found) throw new FakeNotFound(iid, 'merge request');
  return found;
}

/** A merge request's mergeability once GitLab has checked it. */
function computedStatus(s: GitLabFakeState, m: FakeMergeRequest): string {
  if (m.state !== 'opened') return 'not_open';
  if (/^\s*(draft:|\[draft\]|\(draft\)|wip:)/i.test(m.title)) return 'draft_status';
  if (!s.branches.get(`${m.projectId}:${m.sourceBranch}`)) return 'conflict';
  return 'mergeable';
}

/** Reading a merge request advances GitLab's asynchronous mergeability check. */
function read(s: GitLabFakeState, m: FakeMergeRequest): FakeMergeRequest {
  if (m.checksPending > 0) return s.mergeRequests.update(m.id, { checksPending: m.checksPending - 1 });
  if (m.detailedMergeStatus === 'checking' || m.detailedMergeStatus === 'unchecked') return s.mergeRequests.update(m.id, { detailedMergeStatus: computedStatus(s, m) });
  return m;
}

function projectsOfNamespace(s: GitLabFakeState, namespaceId: number) {
  return s.projects.list((p) => p.namespaceId === namespaceId);
}

/** Projects, namespaces, merge requests, branches, tags, commits, deploy keys, members and protected branches. */
export const gitlabFakeRepositories: GitLabFakeModule = {
  routes(s): FakeRoute[] {
    const listProjects = (url: URL, items: ReturnType<typeof projectsOfNamespace>) => {
      const inUpdated = updatedFilter(url);
      const archived = url.searchParams.get('archived');
      const filtered = items.filter((p) => inUpdated(p.updatedAt) && (archived === null || String(p.archived) === archived));
      return listAnswer(url, ordered(url, filtered, 'id'), (p) => projectJson(s, p));
    };
    return [
      { method: 'GET', path: '/projects/:id', handle: ({ params }) => json(projectJson(s, s.project(params.id!))) },
      {
        method: 'POST', path: '/projects',
        handle: ({ body, url }) => {
          const b = bodyOf(body, url);
          const name = typeof b.name === 'string' ? b.name : typeof b.path === 'string' ? b.path : '';
          if (!name) return json({ error: 'name is missing, path is missing, at least one parameter must be provided' }, { status: 400 });
          const group = b.namespace_id !== undefined ? s.groups.get(Number(b.namespace_id)) : s.ensureGroup(s.user('krate-bot').username);
          if (!group) return glError(404, '404 Namespace Not Found');
          const path = `${group.path}/${typeof b.path === 'string' ? b.path : name}`;
          if (s.findProject(path)) return json({ message: { name: ['has already been taken'], path: ['has already been taken'] } }, { status: 400 });
          const at = s.tick();
          const p = s.ensureProject(path, { description: typeof b.description === 'string' ? b.description : null, visibility: (b.visibility as 'private') ?? 'private', createdAt: at, updatedAt: at });
          return json(projectJson(s, p), { status: 201 });
        },
      },
      {
        method: 'PUT', path: '/projects/:id',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const b = bodyOf(body, url);
          const patch: Record<string, unknown> = { updatedAt: s.tick() };
          if (typeof b.description === 'string') patch.description = b.description;
          if (typeof b.visibility === 'string') patch.visibility = b.visibility;
          if (typeof b.default_branch === 'string') {
            if (!s.branches.get(`${p.id}:${b.default_branch}`)) return json({ message: { default_branch: ['is invalid'] } }, { status: 400 });
            patch.defaultBranch = b.default_branch;
          }
          if (typeof b.only_allow_merge_if_pipeline_succeeds === 'boolean') patch.onlyAllowMergeIfPipelineSucceeds = b.only_allow_merge_if_pipeline_succeeds;
          if (typeof b.merge_method === 'string') patch.mergeMethod = b.merge_method;
          return json(projectJson(s, s.projects.update(p.id, patch)));
        },
      },
      { method: 'POST', path: '/projects/:id/archive', handle: ({ params }) => json(projectJson(s, s.projects.update(s.project(params.id!).id, { archived: true, updatedAt: s.tick() })), { status: 201 }) },
      { method: 'POST', path: '/projects/:id/unarchive', handle: ({ params }) => json(projectJson(s, s.projects.update(s.project(params.id!).id, { archived: false, updatedAt: s.tick() })), { status: 201 }) },
      {
        method: 'GET', path: '/groups/:id/projects',
        handle: ({ params, url }) => {
          const group = /^\d+$/.test(params.id!) ? s.groups.get(Number(params.id)) : s.groups.list((g) => g.path === params.id)[0];
          if (!group) return glError(404, '404 Group Not Found');
          return listProjects(url, projectsOfNamespace(s, group.id));
        },
      },
      { method: 'GET', path: '/users/:id/projects', handle: () => glError(404, '404 User Not Found') },
      {
        method: 'GET', path: '/namespaces/:id',
        handle: ({ params }) => {
          const group = /^\d+$/.test(params.id!) ? s.groups.get(Number(params.id)) : s.groups.list((g) => g.path === params.id)[0];
          if (!group) return glError(404, '404 Namespace Not Found');
          return json({ id: group.id, name: group.name, path: group.path.split('/').pop(), kind: 'group', full_path: group.path, parent_id: group.parentId, web_url: `${s.webUrl}/groups/${group.path}` });
        },
      },
      {
        method: 'GET', path: '/projects/:id/merge_requests',
        handle: ({ params, url }) => {
          const p = s.project(params.id!);
          const state = url.searchParams.get('state');
          const source = url.searchParams.get('source_branch');
          const target = url.searchParams.get('target_branch');
          const inUpdated = updatedFilter(url);
          const items = s.mergeRequests.list((m) => m.projectId === p.id && (!state || state === 'all' || m.state === state) && (!source || m.sourceBranch === source) && (!target || m.targetBranch === target) && inUpdated(m.updatedAt));
          return listAnswer(url, ordered(url, items), (m) => mergeRequestJson(s, m));
        },
      },
      { method: 'GET', path: '/projects/:id/merge_requests/:iid', handle: ({ params }) => json(mergeRequestJson(s, read(s, mrOf(s, s.project(params.id!).id, params.iid!)))) },
      {
        method: 'POST', path: '/projects/:id/merge_requests',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const b = bodyOf(body, url);
          for (const field of ['source_branch', 'target_branch', 'title']) if (typeof b[field] !== 'string' || !b[field]) return json({ error: `${field} is missing` }, { status: 400 });
          const source = s.branches.get(`${p.id}:${b.source_branch}`);
          if (!source || !s.branches.get(`${p.id}:${b.target_branch}`)) return json({ message: ['Source branch does not exist'] }, { status: 400 });
          const open = s.mergeRequests.list((m) => m.projectId === p.id && m.state === 'opened' && m.sourceBranch === b.source_branch && m.targetBranch === b.target_branch)[0];
          if (open) return json({ message: [`Another open merge request already exists for this source branch: !${open.iid}`] }, { status: 409 });
          const at = s.tick();
          const mr = s.mergeRequests.insert({
            id: s.nextId(), projectId: p.id, iid: s.nextIid(s.mergeRequests, p.id), title: String(b.title), description: typeof b.description === 'string' ? b.description : null,
            state: 'opened', sourceBranch: String(b.source_branch), targetBranch: String(b.target_branch), sha: source.sha, mergeCommitSha: null, squashCommitSha: null,
            detailedMergeStatus: 'unchecked', labels: [], assigneeIds: [], reviewerIds: [], authorId: s.user('krate-bot').id, createdAt: at, updatedAt: at, mergedAt: null, closedAt: null, checksPending: 1,
          });
          return json(mergeRequestJson(s, mr), { status: 201 });
        },
      },
      {
        method: 'PUT', path: '/projects/:id/merge_requests/:iid',
        handle: ({ params, body, url }) => {
          const mr = mrOf(s, s.project(params.id!).id, params.iid!);
          const b = bodyOf(body, url);
          const at = s.tick();
          const patch: Partial<FakeMergeRequest> = { updatedAt: at };
          if (typeof b.title === 'string') patch.title = b.title;
          if (typeof b.description === 'string') patch.description = b.description;
          if (typeof b.target_branch === 'string') patch.targetBranch = b.target_branch;
          if (b.state_event === 'close' && mr.state === 'opened') Object.assign(patch, { state: 'closed', closedAt: at, detailedMergeStatus: 'not_open' });
          if (b.state_event === 'reopen' && mr.state === 'closed') Object.assign(patch, { state: 'opened', closedAt: null, detailedMergeStatus: 'checking', checksPending: 0 });
          if (patch.title !== undefined && mr.state === 'opened') Object.assign(patch, { detailedMergeStatus: 'checking', checksPending: 0 });
          return json(mergeRequestJson(s, s.mergeRequests.update(mr.id, patch)));
        },
      },
      {
        method: 'PUT', path: '/projects/:id/merge_requests/:iid/merge',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const mr = read(s, mrOf(s, p.id, params.iid!));
          const b = bodyOf(body, url);
          const status = mr.detailedMergeStatus === 'checking' || mr.detailedMergeStatus === 'unchecked' ? computedStatus(s, mr) : mr.detailedMergeStatus;
          if (mr.state !== 'opened' || status === 'draft_status' || status === 'not_approved' || status === 'ci_must_pass') return glError(405, '405 Method Not Allowed');
          if (status === 'conflict') return glError(406, 'Branch cannot be merged');
          if (typeof b.sha === 'string' && b.sha !== mr.sha) return glError(409, 'SHA does not match HEAD of source branch: ' + mr.sha);
          const at = s.tick();
          const target = s.branches.require(`${p.id}:${mr.targetBranch}`);
          const message = typeof b.merge_commit_message === 'string' ? b.merge_commit_message : typeof b.squash_commit_message === 'string' ? b.squash_commit_message : `Merge branch '${mr.sourceBranch}' into '${mr.targetBranch}'`;
          const merge = s.addCommit(p.id, { message, parents: b.squash === true ? [target.sha] : [target.sha, mr.sha] });
          s.setBranch(p.id, mr.targetBranch, merge.sha);
          return json(mergeRequestJson(s, s.mergeRequests.update(mr.id, { state: 'merged', mergedAt: at, updatedAt: at, mergeCommitSha: b.squash === true ? null : merge.sha, squashCommitSha: b.squash === true ? merge.sha : null, detailedMergeStatus: 'not_open', mergedWith: b.squash === true ? 'squash' : 'merge' })));
        },
      },
      {
        method: 'GET', path: '/projects/:id/merge_requests/:iid/reviewers',
        handle: ({ params }) => {
          const mr = mrOf(s, s.project(params.id!).id, params.iid!);
          const reviews = s.approvals.list((a) => a.projectId === mr.projectId && a.mrIid === mr.iid);
          return json(reviews.map((a) => ({ user: userJson(s, a.userId), state: a.state, created_at: a.createdAt })));
        },
      },
      {
        method: 'GET', path: '/projects/:id/repository/branches',
        handle: ({ params, url }) => {
          const p = s.project(params.id!);
          return listAnswer(url, s.branches.list((b) => b.projectId === p.id).sort((a, b) => a.name.localeCompare(b.name)), (b) => branchJson(s, b));
        },
      },
      {
        method: 'GET', path: '/projects/:id/repository/tags',
        handle: ({ params, url }) => {
          const p = s.project(params.id!);
          return listAnswer(url, s.tags.list((t) => t.projectId === p.id), (t) => tagJson(s, t));
        },
      },
      {
        method: 'GET', path: '/projects/:id/repository/commits/:sha',
        handle: ({ params }) => {
          const p = s.project(params.id!);
          const commit = s.commits.get(`${p.id}:${params.sha}`) ?? s.commits.list((c) => c.projectId === p.id && c.sha.startsWith(params.sha!))[0];
          if (!commit) return glError(404, '404 Commit Not Found');
          return json(commitJson(s, commit));
        },
      },
      {
        method: 'GET', path: '/projects/:id/deploy_keys',
        handle: ({ params, url }) => listAnswer(url, s.deployKeys.list((k) => k.projectId === s.project(params.id!).id), deployKeyJson),
      },
      {
        method: 'POST', path: '/projects/:id/deploy_keys',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const b = bodyOf(body, url);
          if (typeof b.title !== 'string' || typeof b.key !== 'string') return json({ error: 'key is missing, title is missing' }, { status: 400 });
          if (s.deployKeys.list((k) => k.projectId === p.id && k.key === b.key).length) return json({ message: { 'deploy_key.fingerprint_sha256': ['has already been taken'] } }, { status: 400 });
          const key = s.deployKeys.insert({ id: s.nextId(), projectId: p.id, title: b.title, key: b.key, canPush: b.can_push === true, createdAt: s.tick(), expiresAt: null });
          return json(deployKeyJson(key), { status: 201 });
        },
      },
      {
        method: 'PUT', path: '/projects/:id/deploy_keys/:key_id',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const key = s.deployKeys.require(Number(params.key_id));
          if (key.projectId !== p.id) throw new FakeNotFound(params.key_id!, 'deploy key');
          const b = bodyOf(body, url);
          return json(deployKeyJson(s.deployKeys.update(key.id, { ...(typeof b.title === 'string' ? { title: b.title } : {}), ...(typeof b.can_push === 'boolean' ? { canPush: b.can_push } : {}) })));
        },
      },
      {
        method: 'DELETE', path: '/projects/:id/deploy_keys/:key_id',
        handle: ({ params }) => {
          const p = s.project(params.id!);
          const key = s.deployKeys.require(Number(params.key_id));
          if (key.projectId !== p.id) throw new FakeNotFound(params.key_id!, 'deploy key');
          s.deployKeys.delete(key.id);
          return new Response(null, { status: 204 });
        },
      },
      {
        method: 'GET', path: '/projects/:id/members/all',
        handle: ({ params, url }) => listAnswer(url, s.members.list((m) => m.projectId === s.project(params.id!).id), (m) => memberJson(s, m)),
      },
      {
        method: 'GET', path: '/projects/:id/protected_branches',
        handle: ({ params, url }) => listAnswer(url, s.protectedBranches.list((b) => b.projectId === s.project(params.id!).id), protectedBranchJson),
      },
      {
        method: 'POST', path: '/projects/:id/protected_branches',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const b = bodyOf(body, url);
          if (typeof b.name !== 'string') return json({ error: 'name is missing' }, { status: 400 });
          if (s.protectedBranches.list((x) => x.projectId === p.id && x.name === b.name).length) return json({ message: 'Protected branch \'' + b.name + '\' already exists' }, { status: 409 });
          const branch = s.protectedBranches.insert({
            id: s.nextId(), projectId: p.id, name: b.name, pushAccessLevel: Number(b.push_access_level ?? 40), mergeAccessLevel: Number(b.merge_access_level ?? 40),
            allowForcePush: b.allow_force_push === true, codeOwnerApprovalRequired: b.code_owner_approval_required === true,
          });
          return json(protectedBranchJson(branch), { status: 201 });
        },
      },
      {
        method: 'PATCH', path: '/projects/:id/protected_branches/:name',
        handle: ({ params, body, url }) => {
          const p = s.project(params.id!);
          const branch = s.protectedBranches.list((x) => x.projectId === p.id && x.name === params.name)[0];
          if (!branch) throw new FakeNotFound(params.name!, 'protected branch');
          const b = bodyOf(body, url);
          return json(protectedBranchJson(s.protectedBranches.update(branch.id, {
            ...(typeof b.allow_force_push === 'boolean' ? { allowForcePush: b.allow_force_push } : {}),
            ...(typeof b.code_owner_approval_required === 'boolean' ? { codeOwnerApprovalRequired: b.code_owner_approval_required } : {}),
          })));
        },
      },
      {
        method: 'DELETE', path: '/projects/:id/protected_branches/:name',
        handle: ({ params }) => {
          const p = s.project(params.id!);
          const branch = s.protectedBranches.list((x) => x.projectId === p.id && x.name === params.name)[0];
          if (!branch) throw new FakeNotFound(params.name!, 'protected branch');
          s.protectedBranches.delete(branch.id);
          return new Response(null, { status: 204 });
        },
      },
    ];
  },

  seeds(s) {
    return {
      repository(owner: string, input): ExternalRef {
        const at = input.createdAt ? new Date(input.createdAt).toISOString() : s.tick();
        const p = s.ensureProject(`${owner}/${input.name}`, {
          description: input.description ?? null, visibility: input.visibility ?? 'private', defaultBranch: input.defaultBranch ?? 'main', archived: input.archived ?? false,
          createdAt: at, updatedAt: input.updatedAt ? new Date(input.updatedAt).toISOString() : at,
        });
        return { scope: owner, id: p.name };
      },
      pullRequest(repoScope: string, input): ExternalRef {
        const p = s.ensureProject(repoScope);
        const source = s.branches.get(`${p.id}:${input.headBranch}`) ?? s.setBranch(p.id, input.headBranch, shaOf(s.nextId()));
        const base = input.baseBranch ?? p.defaultBranch;
        if (!s.branches.get(`${p.id}:${base}`)) s.setBranch(p.id, base);
        const at = input.createdAt ? new Date(input.createdAt).toISOString() : s.tick();
        const state = input.state === 'merged' ? 'merged' : input.state === 'closed' ? 'closed' : 'opened';
        const mr = s.mergeRequests.insert({
          id: s.nextId(), projectId: p.id, iid: s.nextIid(s.mergeRequests, p.id), title: input.draft ? `Draft: ${input.title}` : input.title, description: input.body ?? null,
          state, sourceBranch: input.headBranch, targetBranch: base, sha: source.sha, mergeCommitSha: null, squashCommitSha: null,
          detailedMergeStatus: state === 'opened' ? (input.draft ? 'draft_status' : 'mergeable') : 'not_open', labels: [], assigneeIds: [], reviewerIds: [],
          authorId: s.user('krate-bot').id, createdAt: at, updatedAt: input.updatedAt ? new Date(input.updatedAt).toISOString() : at,
          mergedAt: state === 'merged' ? at : null, closedAt: state === 'closed' ? at : null, checksPending: 0,
        });
        return { scope: p.path, id: String(mr.iid) };
      },
      review(pullRequestRef: ExternalRef, input): ExternalRef {
        const p = s.project(pullRequestRef.scope);
        const mr = mrOf(s, p.id, pullRequestRef.id);
        const user = s.user(input.author ?? `reviewer-${s.nextId()}`);
        const state = { approved: 'approved', changes_requested: 'requested_changes', commented: 'reviewed' }[input.state];
        s.approvals.insert({ id: s.nextId(), projectId: p.id, mrIid: mr.iid, userId: user.id, state, createdAt: s.tick() });
        s.mergeRequests.update(mr.id, { reviewerIds: [...new Set([...mr.reviewerIds, user.id])] });
        return { scope: p.path, id: `${mr.iid}:${user.id}` };
      },
      gitRef(repoScope: string, input): ExternalRef {
        const p = s.ensureProject(repoScope);
        if (input.kind === 'tag') {
          const sha = input.sha ?? s.branches.require(`${p.id}:${p.defaultBranch}`).sha;
          if (!s.commits.get(`${p.id}:${sha}`)) s.addCommit(p.id, { message: `Commit ${sha.slice(0, 8)}`, sha });
          s.tags.insert({ id: `${p.id}:${input.name}`, projectId: p.id, name: input.name, sha, message: null });
          return { scope: p.path, id: `refs/tags/${input.name}` };
        }
        s.setBranch(p.id, input.name, input.sha);
        return { scope: p.path, id: `refs/heads/${input.name}` };
      },
      commit(repoScope: string, input): ExternalRef {
        const p = s.ensureProject(repoScope);
        const commit = s.addCommit(p.id, { message: input.message, ...(input.sha ? { sha: input.sha } : {}), parents: input.parents ?? [], ...(input.authorName ? { authorName: input.authorName } : {}), ...(input.authorEmail ? { authorEmail: input.authorEmail } : {}) });
        return { scope: p.path, id: commit.sha };
      },
      deployKey(repoScope: string, input): ExternalRef {
        const p = s.ensureProject(repoScope);
        const key = s.deployKeys.insert({ id: s.nextId(), projectId: p.id, title: input.title, key: input.key, canPush: input.readOnly === false, createdAt: s.tick(), expiresAt: null });
        return { scope: p.path, id: String(key.id) };
      },
      collaborator(repoScope: string, input): ExternalRef {
        const p = s.ensureProject(repoScope);
        const user = s.user(input.login);
        s.members.insert({ id: `${p.id}:${user.id}`, projectId: p.id, userId: user.id, accessLevel: PERMISSION_LEVEL[input.permission ?? 'write'], inherited: false, createdAt: s.tick() });
        return { scope: p.path, id: user.username };
      },
      branchProtection(repoScope: string, input): ExternalRef {
        const p = s.ensureProject(repoScope);
        if (!s.branches.get(`${p.id}:${input.branch}`)) s.setBranch(p.id, input.branch);
        s.protectedBranches.insert({ id: s.nextId(), projectId: p.id, name: input.branch, pushAccessLevel: 40, mergeAccessLevel: 40, allowForcePush: false, codeOwnerApprovalRequired: false });
        return { scope: p.path, id: input.branch };
      },
    };
  },

  webhooks(s) {
    const projectHook = (projectId: number) => {
      const p = s.projects.require(projectId);
      const host = new URL(s.webUrl).host;
      return {
        id: p.id, name: p.name, description: p.description ?? '', web_url: `${s.webUrl}/${p.path}`, avatar_url: null, git_ssh_url: `git@${host}:${p.path}.git`,
        git_http_url: `${s.webUrl}/${p.path}.git`, namespace: p.path.split('/').slice(0, -1).join('/'), visibility_level: p.visibility === 'public' ? 20 : 0,
        path_with_namespace: p.path, default_branch: p.defaultBranch, homepage: `${s.webUrl}/${p.path}`, url: `git@${host}:${p.path}.git`, ssh_url: `git@${host}:${p.path}.git`, http_url: `${s.webUrl}/${p.path}.git`,
      };
    };
    const hookUser = (id: number) => {
      const u = s.users.require(id);
      return { id: u.id, name: u.name, username: u.username, avatar_url: null, email: '[REDACTED]' };
    };
    const pushHook = (kind: 'branch' | 'tag', options: { ref?: ExternalRef; action?: string }) => {
      const p = options.ref ? s.project(options.ref.scope) : s.project('krate-group/platform/web');
      // A ref names a branch or tag; a commit sha names what a new tag points at.
      const aboutCommit = options.ref !== undefined && /^[0-9a-f]{40}$/.test(options.ref.id);
      const name = aboutCommit ? `v-${options.ref!.id.slice(0, 8)}` : options.ref?.id.replace(/^refs\/(heads|tags)\//, '') ?? (kind === 'tag' ? 'v1.0.0' : p.defaultBranch);
      let sha: string;
      if (kind === 'tag') {
        const target = aboutCommit ? options.ref!.id : s.branches.require(`${p.id}:${p.defaultBranch}`).sha;
        sha = (s.tags.get(`${p.id}:${name}`) ?? s.tags.insert({ id: `${p.id}:${name}`, projectId: p.id, name, sha: target, message: null })).sha;
      } else {
        sha = (s.branches.get(`${p.id}:${name}`) ?? s.setBranch(p.id, name, aboutCommit ? options.ref!.id : undefined)).sha;
      }
      const commit = s.commits.get(`${p.id}:${sha}`);
      const user = s.user('krate-bot');
      return {
        object_kind: kind === 'tag' ? 'tag_push' : 'push', event_name: kind === 'tag' ? 'tag_push' : 'push', before: '0000000000000000000000000000000000000000', after: sha,
        ref: `refs/${kind === 'tag' ? 'tags' : 'heads'}/${name}`, ref_protected: false, checkout_sha: sha, message: null, user_id: user.id, user_name: user.name,
        user_username: user.username, user_email: '', user_avatar: null, project_id: p.id, project: projectHook(p.id),
        commits: commit ? [{ id: commit.sha, message: commit.message, title: commit.message.split('\n')[0], timestamp: commit.committedAt, url: `${s.webUrl}/${p.path}/-/commit/${commit.sha}`, author: { name: commit.authorName, email: commit.authorEmail }, added: [], modified: ['README.md'], removed: [] }] : [],
        total_commits_count: commit ? 1 : 0, push_options: {}, repository: { name: p.name, url: `git@${new URL(s.webUrl).host}:${p.path}.git`, description: p.description ?? '', homepage: `${s.webUrl}/${p.path}` },
      };
    };
    return {
      'Push Hook': (options) => pushHook('branch', options),
      'Tag Push Hook': (options) => pushHook('tag', options),
      'Merge Request Hook': (options) => {
        let mr: FakeMergeRequest;
        if (options.ref) {
          mr = mrOf(s, s.project(options.ref.scope).id, options.ref.id);
        } else {
          const ref = gitlabFakeRepositories.seeds(s).pullRequest!('krate-group/platform/web', { title: 'Merge request from a webhook', headBranch: `hook-${s.nextId()}` });
          mr = mrOf(s, s.project(ref.scope).id, ref.id);
        }
        const p = s.projects.require(mr.projectId);
        const commit = s.commits.get(`${p.id}:${mr.sha}`);
        return {
          object_kind: 'merge_request', event_type: 'merge_request', user: hookUser(mr.authorId), project: projectHook(p.id),
          object_attributes: {
            assignee_id: mr.assigneeIds[0] ?? null, author_id: mr.authorId, created_at: hookTime(mr.createdAt), description: mr.description, draft: /^\s*(draft:|\[draft\]|\(draft\)|wip:)/i.test(mr.title),
            head_pipeline_id: null, id: mr.id, iid: mr.iid, last_edited_at: null, last_edited_by_id: null, merge_commit_sha: mr.mergeCommitSha, merge_error: null,
            merge_params: { force_remove_source_branch: '0' }, merge_status: mr.detailedMergeStatus === 'mergeable' ? 'can_be_merged' : 'unchecked', merge_user_id: null,
            merge_when_pipeline_succeeds: false, milestone_id: null, source_branch: mr.sourceBranch, source_project_id: p.id, state_id: mr.state === 'opened' ? 1 : mr.state === 'closed' ? 2 : 3,
            target_branch: mr.targetBranch, target_project_id: p.id, time_estimate: 0, title: mr.title, updated_at: hookTime(mr.updatedAt), updated_by_id: null,
            url: `${s.webUrl}/${p.path}/-/merge_requests/${mr.iid}`, source: projectHook(p.id), target: projectHook(p.id),
            last_commit: { id: mr.sha, message: commit?.message ?? '', title: commit?.message.split('\n')[0] ?? '', timestamp: commit?.committedAt ?? mr.createdAt, url: `${s.webUrl}/${p.path}/-/commit/${mr.sha}`, author: { name: commit?.authorName ?? '', email: commit?.authorEmail ?? '' } },
            work_in_progress: /^\s*(draft:|\[draft\]|\(draft\)|wip:)/i.test(mr.title), total_time_spent: 0, time_change: 0, human_total_time_spent: null, human_time_change: null, human_time_estimate: null,
            assignee_ids: mr.assigneeIds, reviewer_ids: mr.reviewerIds, labels: [], state: mr.state, blocking_discussions_resolved: true, first_contribution: false,
            detailed_merge_status: mr.detailedMergeStatus, action: options.action ?? 'update',
            ...(mr.mergedAt ? { merged_at: hookTime(mr.mergedAt) } : {}), ...(mr.closedAt ? { closed_at: hookTime(mr.closedAt) } : {}),
          },
          labels: [], changes: {}, repository: { name: p.name, url: `git@${new URL(s.webUrl).host}:${p.path}.git`, description: p.description ?? '', homepage: `${s.webUrl}/${p.path}` },
          assignees: mr.assigneeIds.map(hookUser), reviewers: mr.reviewerIds.map(hookUser),
        };
      },
      'Release Hook': (options) => {
        const hook = pushHook('tag', options);
        const p = s.projects.require(hook.project_id);
        const tag = hook.ref.replace('refs/tags/', '');
        return {
          object_kind: 'release', id: s.nextId(), created_at: hookTime(s.now()), description: `Release ${tag}`, name: tag, released_at: hookTime(s.now()), tag,
          project: hook.project, url: `${s.webUrl}/${p.path}/-/releases/${tag}`, action: options.action ?? 'create',
          assets: { count: 0, links: [], sources: [] }, commit: { id: hook.after, message: '', title: '', timestamp: s.now(), url: `${s.webUrl}/${p.path}/-/commit/${hook.after}`, author: { name: '', email: '' } },
        };
      },
    };
  },

  webhookEventFor: {
    pullRequest: { event: 'Merge Request Hook', action: 'update' },
    gitRef: { event: 'Push Hook' },
  },
};
