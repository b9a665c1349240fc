import { OPERATIONS, type ExternalRef, type InterfaceName, type OperationInfo } from '@krate/core';
import { check, fail, show } from '../suite/assert.js';
import type { CaseContext } from '../suite/context.js';
import { KINDS, SSH_KEY, kindInfo, shaFor } from '../suite/object-kinds.js';
import {
  ASSIGNEE, LABELS, RICH_BODY, assigneesProblem, bodyProblem, checkWrites, firstProblem, inspectOrFail, labelsProblem, stateField, writesSince,
} from './semantics.js';

export type Obj = Record<string, any>;

/** Whether objects of a kind can be made with seed functions (parents included). */
export function seedable(kind: string): boolean {
  const info = KINDS[kind];
  if (!info?.seed) return kind === 'logRef';
  return info.parent ? seedable(info.parent) : true;
}

/** Arguments for a read operation (get or list) with what it needs seeded. */
export function prepareRead(ctx: CaseContext, info: OperationInfo): { args: unknown[]; ref?: ExternalRef } {
  if (info.kind === 'list') return { args: [ctx.listTarget(info.returns).target, { pageSize: 2 }] };
  if (info.name === 'getCommit') {
    const ref = ctx.seedOne('commit');
    return { args: [ctx.scope('repository'), ref.id], ref };
  }
  if (info.returns === 'logRef') {
    const ref = ctx.seedOne('job');
    return { args: [ref], ref };
  }
  const ref = ctx.seedOne(info.returns);
  return { args: [ref], ref };
}

/** The same ref with an id that no seeded object has. */
export function missingRef(ref: ExternalRef): ExternalRef {
  if (/^[0-9a-f]{40}$/i.test(ref.id)) return { scope: ref.scope, id: 'dead'.repeat(10) };
  if (/\d+$/.test(ref.id)) return { scope: ref.scope, id: ref.id.replace(/\d+$/, '987654321') };
  return { scope: ref.scope, id: `${ref.id}-missing-987654321` };
}

/** Whether a normalized object carries a text marker in its name field or body. */
export function hasMarker(object: Obj, marker: string): boolean {
  for (const key of ['title', 'name', 'login']) if (object[key] === marker) return true;
  const body = object.body;
  if (typeof body === 'string' && body.includes(marker)) return true;
  if (body && typeof body === 'object' && typeof body.markdown === 'string' && body.markdown.includes(marker)) return true;
  return false;
}

export interface CreateRecipe {
  /** Arguments of the create, and the target a listing of the same kind is called with. */
  prepare(ctx: CaseContext, marker: string, idempotencyKey?: string): { args: unknown[]; listTarget?: string | ExternalRef };
  /** Every other input the create accepts, as the created object and its read-back must show it. */
  check?(object: Obj, args: unknown[]): string | undefined;
}

/** A milestone title the suite seeds where the fake can, for inputs that take one. */
function seededMilestone(ctx: CaseContext, title: string): string | undefined {
  if (typeof ctx.fake.seed.milestone !== 'function') return undefined;
  ctx.fake.seed.milestone(ctx.scope('issueTracking'), { title, state: 'open' });
  return title;
}

const marked = (marker: string) => marker.toLowerCase().replace(/[^a-z0-9._-]/g, '-');

export const CREATE_RECIPES: Record<string, CreateRecipe> = {
  'issueTracking.createIssue': {
    prepare(ctx, marker, key) {
      const scope = ctx.scope('issueTracking');
      const milestone = key ? undefined : seededMilestone(ctx, 'Contract create milestone');
      return {
        args: [{ scope, title: marker, body: `Created by the contract suite: ${marker}\n\n${RICH_BODY}`, ...(key ? { idempotencyKey: key } : { labels: LABELS, assignees: [ASSIGNEE] }), ...(milestone ? { milestone } : {}) }],
        listTarget: scope,
      };
    },
    check(o, args) {
      const input = args[0] as Obj;
      if (!input.labels) return undefined;
      return firstProblem(
        bodyProblem(o.body, RICH_BODY, 'the created issue'),
        labelsProblem(o.labels, LABELS, 'the created issue'),
        assigneesProblem(o.assignees, [ASSIGNEE], 'the created issue'),
        input.milestone === undefined || o.milestone === input.milestone ? undefined : `the created issue has milestone ${show(o.milestone)}, expected ${show(input.milestone)}`,
        o.phase === 'open' ? undefined : `the created issue has phase ${show(o.phase)}`,
      );
    },
  },
  'issueTracking.createComment': {
    prepare(ctx, marker, key) {
      const issue = ctx.seedOne('issue');
      return { args: [issue, { body: marker, ...(key ? { idempotencyKey: key } : {}) }], listTarget: issue };
    },
  },
  'cicd.createCheck': {
    prepare(ctx, marker, key) {
      const scope = ctx.scope('cicd');
      const sha = typeof ctx.fake.seed.commit === 'function' ? ctx.seedOne('commit').id : shaFor(77);
      return { args: [{ scope, name: marker, sha, status: 'in_progress', summary: 'contract check', ...(key ? { externalId: key, idempotencyKey: key } : {}) }] };
    },
    check(o, args) {
      const input = args[0] as Obj;
      return firstProblem(
        o.sha === input.sha ? undefined : `the check's sha is ${show(o.sha)}, expected ${show(input.sha)}`,
        o.phase === 'running' ? undefined : `a check created in_progress has phase ${show(o.phase)}, expected running`,
        o.summary === undefined || o.summary === 'contract check' ? undefined : `summary is ${show(o.summary)}, expected "contract check"`,
      );
    },
  },
  'gitForge.createRepository': {
    prepare(ctx, marker, key) {
      const owner = ctx.scope('repositoryOwner');
      return { args: [{ owner, name: marked(marker), description: `Created by the contract suite`, visibility: 'private', ...(key ? { idempotencyKey: key } : {}) }], listTarget: owner };
    },
  },
  'gitForge.createPullRequest': {
    prepare(ctx, marker, key) {
      const scope = ctx.scope('repository');
      const headBranch = `contract-head-${marked(marker)}`;
      let baseBranch = 'main';
      if (typeof ctx.fake.seed.gitRef === 'function') {
        baseBranch = `contract-base-${marked(marker)}`;
        ctx.fake.seed.gitRef(scope, { name: baseBranch, kind: 'branch', sha: shaFor(4) });
        ctx.fake.seed.gitRef(scope, { name: headBranch, kind: 'branch', sha: shaFor(5) });
      }
      return { args: [{ scope, title: marker, body: `Created by the contract suite\n\n${RICH_BODY}`, headBranch, baseBranch, ...(key ? { idempotencyKey: key } : {}) }], listTarget: scope };
    },
    check(o, args) {
      const input = args[0] as Obj;
      return firstProblem(
        bodyProblem(o.body, RICH_BODY, 'the created pull request'),
        o.headBranch === input.headBranch ? undefined : `headBranch is ${show(o.headBranch)}, expected ${show(input.headBranch)}`,
        o.baseBranch === input.baseBranch ? undefined : `baseBranch is ${show(o.baseBranch)}, expected ${show(input.baseBranch)}`,
      );
    },
  },
};

/** For names that must be valid repository names, the marker as the created object carries it. */
export function markerAsStored(operation: string, marker: string): string {
  return operation === 'createRepository' ? marked(marker) : marker;
}

export interface UpdateRecipe {
  prepare(ctx: CaseContext): Promise<{ ref: ExternalRef; patch: Obj }>;
  /** Every field of the patch as the returned object and the next read must show it. */
  check(object: Obj, patch: Obj): string | undefined;
}

export const UPDATE_RECIPES: Record<string, UpdateRecipe> = {
  'issueTracking.updateIssue': {
    // Seeded with other labels and no assignee, so each field of the patch must change something.
    async prepare(ctx) {
      const ref = ctx.seedOne('issue', { labels: ['contract-before'], body: 'Body before the update' });
      const milestone = seededMilestone(ctx, 'Contract update milestone');
      return { ref, patch: { title: 'Changed by the contract suite', body: RICH_BODY, labels: LABELS, assignees: [ASSIGNEE], ...(milestone ? { milestone } : {}) } };
    },
    check: (o, patch) => firstProblem(
      o.title === 'Changed by the contract suite' ? undefined : `title is ${show(o.title)}`,
      patch.body === undefined ? undefined : bodyProblem(o.body, RICH_BODY, 'the issue'),
      patch.labels === undefined ? undefined : labelsProblem(o.labels, LABELS, 'the issue'),
      patch.assignees === undefined ? undefined : assigneesProblem(o.assignees, [ASSIGNEE], 'the issue'),
      patch.milestone === undefined || o.milestone === patch.milestone ? undefined : `milestone is ${show(o.milestone)}, expected ${show(patch.milestone)}`,
    ),
  },
  'issueTracking.updateComment': {
    prepare: async (ctx) => ({ ref: ctx.seedOne('comment'), patch: { body: 'Comment changed by the contract suite' } }),
    check: (o) => (String(o.body?.markdown ?? '').includes('Comment changed by the contract suite') ? undefined : `body is ${show(o.body)}`),
  },
  'cicd.updateCheck': {
    async prepare(ctx) {
      if (!ctx.instance.supports('cicd', 'createCheck')) fail('updateCheck needs a check: createCheck is not declared and checks cannot be seeded');
      const { args } = CREATE_RECIPES['cicd.createCheck']!.prepare(ctx, 'contract-update-check');
      const created = (await ctx.call('cicd', 'createCheck', ...args)) as Obj;
      return { ref: created.ref as ExternalRef, patch: { status: 'completed', conclusion: 'success', summary: 'done' } };
    },
    check: (o) => (o.conclusion === 'success' && o.phase === 'succeeded' ? (o.summary === undefined || o.summary === 'done' ? undefined : `summary is ${show(o.summary)}, expected "done"`) : `phase ${show(o.phase)}, conclusion ${show(o.conclusion)}`),
  },
  'gitForge.updateRepository': {
    prepare: async (ctx) => ({ ref: ctx.seedOne('repository'), patch: { description: 'Changed by the contract suite' } }),
    check: (o) => (o.description === 'Changed by the contract suite' ? undefined : `description is ${show(o.description)}`),
  },
  'gitForge.updatePullRequest': {
    prepare: async (ctx) => ({ ref: ctx.seedOne('pullRequest'), patch: { title: 'Changed by the contract suite', body: RICH_BODY } }),
    check: (o) => firstProblem(o.title === 'Changed by the contract suite' ? undefined : `title is ${show(o.title)}`, bodyProblem(o.body, RICH_BODY, 'the pull request')),
  },
};

export interface SyncRecipe {
  /** Scope argument and the desired state (two items). */
  prepare(ctx: CaseContext): { scope: string; desired: Obj[]; names: string[] };
  /** The listing that shows the synced objects, where one exists. */
  list?: { operation: string; nameField: string };
}

export const SYNC_RECIPES: Record<string, SyncRecipe> = {
  'issueTracking.syncLabels': {
    prepare: (ctx) => ({
      scope: ctx.scope('issueTracking'),
      desired: [{ name: 'contract-sync-a', color: 'aabbcc' }, { name: 'contract-sync-b', color: 'ddeeff', description: 'synced' }],
      names: ['contract-sync-a', 'contract-sync-b'],
    }),
    list: { operation: 'listLabels', nameField: 'name' },
  },
  'gitForge.syncDeployKeys': {
    prepare: (ctx) => ({
      scope: ctx.scope('repository'),
      desired: [{ title: 'contract-sync-key-a', key: `${SSH_KEY.slice(0, -4)}aaaa`, readOnly: true }, { title: 'contract-sync-key-b', key: `${SSH_KEY.slice(0, -4)}bbbb`, readOnly: false }],
      names: ['contract-sync-key-a', 'contract-sync-key-b'],
    }),
    list: { operation: 'listDeployKeys', nameField: 'title' },
  },
  'gitForge.syncBranchProtection': {
    prepare: (ctx) => {
      const scope = ctx.scope('repository');
      // A second protected branch where branches can be seeded; `main` alone otherwise.
      const second = typeof ctx.fake.seed.gitRef === 'function' ? 'contract-release' : undefined;
      if (second) ctx.fake.seed.gitRef!(scope, { name: second, kind: 'branch', sha: shaFor(6) });
      return {
        scope,
        desired: [{ branch: 'main', requiredApprovingReviews: 1, enforceAdmins: true }, ...(second ? [{ branch: second, requiredStatusChecks: ['ci'] }] : [])],
        names: ['main', ...(second ? [second] : [])],
      };
    },
  },
};

export interface ActionRecipe {
  run(ctx: CaseContext): Promise<void>;
}

export const ACTION_RECIPES: Record<string, ActionRecipe> = {
  'issueTracking.transitionIssue': {
    async run(ctx) {
      const ref = ctx.seedOne('issue');
      const mark = ctx.mark();
      const result = (await ctx.call('issueTracking', 'transitionIssue', ref, { to: 'closed' })) as Obj;
      check(result.phase === 'closed', `transitionIssue to closed returned phase ${show(result.phase)}`);
      check(writesSince(ctx, mark).length >= 1, 'transitionIssue sent no write request');
    },
  },
  'cicd.rerunPipeline': {
    async run(ctx) {
      const ref = ctx.seedOne('pipeline', { status: 'failed' });
      const before = stateField(inspectOrFail(ctx, 'pipeline', ref, 'the rerun case'), 'runs', 'pipeline');
      const mark = ctx.mark();
      const result = (await ctx.call('cicd', 'rerunPipeline', ref, { idempotencyKey: 'contract-rerun-1' })) as Obj;
      checkWrites(ctx, mark, 1, 'rerunPipeline');
      check(result.ref?.scope === ref.scope, `rerunPipeline returned a pipeline in scope ${show(result.ref?.scope)}, expected ${show(ref.scope)}`);
      check(['queued', 'running', 'blocked'].includes(result.phase), `rerunPipeline returned phase ${show(result.phase)}: the rerun should be queued or running, not the finished run it replaced`);
      const after = inspectOrFail(ctx, 'pipeline', ref, 'the rerun case');
      check(after.runs === before + 1, `after rerunPipeline the fake counts ${show(after.runs)} run(s) of ${show(ref)}, expected ${before + 1} (the rerun did not start a new run or attempt)`);
      check(after.status !== 'canceled' && after.status !== 'canceling', `after rerunPipeline the fake shows ${show(ref)} as ${show(after.status)}`);
    },
  },
  'cicd.cancelPipeline': {
    async run(ctx) {
      const ref = ctx.seedOne('pipeline', { status: 'running' });
      const mark = ctx.mark();
      const result = (await ctx.call('cicd', 'cancelPipeline', ref)) as Obj;
      checkWrites(ctx, mark, 1, 'cancelPipeline');
      check(['canceling', 'canceled'].includes(result.phase), `cancelPipeline returned phase ${show(result.phase)}, expected canceling or canceled`);
      const state = stateField(inspectOrFail(ctx, 'pipeline', ref, 'the cancel case'), 'status', 'pipeline');
      check(['canceling', 'canceled'].includes(state), `after cancelPipeline the fake shows the pipeline as ${show(state)}, expected canceling or canceled`);
      if (ctx.instance.supports('cicd', 'getPipeline')) {
        const again = (await ctx.call('cicd', 'getPipeline', ref)) as Obj;
        check(['canceling', 'canceled'].includes(again.phase), `getPipeline after cancel shows phase ${show(again.phase)}`);
      }
    },
  },
  'cicd.registerRunner': {
    async run(ctx) {
      const scope = ctx.scope('runners');
      const result = (await ctx.call('cicd', 'registerRunner', scope, { labels: ['contract'] })) as Obj;
      const token = result.token as string;
      check(typeof token === 'string' && token.length > 0, 'registerRunner returned no token');
      check(!JSON.stringify(result).includes(token), 'JSON.stringify of the runner registration shows the token');
      check(!Object.keys(result).includes('token'), 'the runner registration token is enumerable (use createRunnerRegistration)');
    },
  },
  'gitForge.mergePullRequest': {
    async run(ctx) {
      const ref = ctx.seedOne('pullRequest');
      const mark = ctx.mark();
      // squash, not the vendor default: a merge that ignores the method shows.
      const result = (await ctx.call('gitForge', 'mergePullRequest', ref, { method: 'squash' })) as Obj;
      checkWrites(ctx, mark, 1, 'mergePullRequest');
      check(result.state === 'merged', `mergePullRequest returned state ${show(result.state)}, expected merged`);
      const state = inspectOrFail(ctx, 'pullRequest', ref, 'the merge case');
      check(stateField(state, 'mergeMethod', 'pullRequest') === 'squash', `the fake merged ${show(ref)} with ${show(state.mergeMethod)}, asked for squash`);
      check(state.status === undefined || state.status === 'merged', `after mergePullRequest the fake shows ${show(state.status)}`);
    },
  },
};

/** The get operation of the same interface that returns this kind, if declared. */
export function getOperationFor(declared: Set<string>, iface: InterfaceName, kind: string): OperationInfo | undefined {
  return OPERATIONS.find((o) => o.interface === iface && o.kind === 'get' && o.returns === kind && o.args.length === 2 && declared.has(o.name));
}

/** The list operation of the same interface that returns this kind, if declared. */
export function listOperationFor(declared: Set<string>, iface: InterfaceName, kind: string): OperationInfo | undefined {
  return OPERATIONS.find((o) => o.interface === iface && o.kind === 'list' && o.returns === kind && declared.has(o.name));
}

/** Reads an object back through get (preferred) or a listing. Undefined when it is not found by the listing. */
export async function readBack(ctx: CaseContext, declared: Set<string>, iface: InterfaceName, kind: string, ref: ExternalRef, listTarget?: string | ExternalRef): Promise<Obj | undefined | 'unreadable'> {
  const get = getOperationFor(declared, iface, kind);
  if (get) return (await ctx.call(iface, get.name, ref)) as Obj;
  const list = listOperationFor(declared, iface, kind);
  if (list && listTarget !== undefined) {
    const all = await ctx.listAll(iface, list.name, listTarget, { pageSize: ctx.fake.maxPageSize });
    return all.items.find((i) => (i.ref as ExternalRef).scope === ref.scope && (i.ref as ExternalRef).id === ref.id) as Obj | undefined;
  }
  return 'unreadable';
}
