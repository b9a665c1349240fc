/**
 * Closest-name suggestions for manifest diagnostics: edit distance for typos and
 * a synonym table for the vendor words that providers tend to write instead of
 * the canonical operation names.
 */
import { OPERATIONS, getOperationInfo } from '../contracts/catalog.js';
import { INTERFACE_NAMES, type InterfaceName } from '../model/common.js';

/** Edit distance (optimal string alignment: insert, delete, substitute, swap two neighbours). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The largest edit distance still read as a typo of a name of this length. */
function typoBudget(length: number): number {
  return Math.max(1, Math.min(3, Math.floor(length / 4)));
}

/**
 * The candidate closest to `input` (case-insensitive), when it is close enough to
 * be a typo; undefined otherwise or when two candidates tie.
 */
export function closestName(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance && candidate !== best) {
      tie = true;
    }
  }
  if (best === undefined || tie) return undefined;
  return bestDistance <= typoBudget(Math.max(input.length, best.length)) ? best : undefined;
}

/**
 * Vendor words for canonical operations, any interface. Keys are lower-case.
 * The target's interface comes from the catalog.
 */
const OPERATION_SYNONYMS: Record<string, string> = {
  // issue tracking
  searchissues: 'listIssues',
  editissue: 'updateIssue',
  reopenissue: 'updateIssue',
  listissuecomments: 'listComments',
  getissuecomments: 'listComments',
  getcomments: 'listComments',
  listnotes: 'listComments',
  listissuenotes: 'listComments',
  addcomment: 'createComment',
  createissuecomment: 'createComment',
  createnote: 'createComment',
  createissuenote: 'createComment',
  editcomment: 'updateComment',
  updateissuecomment: 'updateComment',
  updatenote: 'updateComment',
  updateissuenote: 'updateComment',
  listlabelsforrepo: 'listLabels',
  createlabel: 'syncLabels',
  updatelabel: 'syncLabels',
  deletelabel: 'syncLabels',
  setlabels: 'syncLabels',
  addlabels: 'syncLabels',
  listissueevents: 'listEvents',
  listeventsforissue: 'listEvents',
  listtimeline: 'listEvents',
  listissuetimeline: 'listEvents',
  listeventsfortimeline: 'listEvents',
  getchangelog: 'listEvents',
  listchangelog: 'listEvents',
  listversions: 'listMilestones',
  dotransition: 'transitionIssue',
  transitionissues: 'transitionIssue',
  moveissue: 'transitionIssue',
  // ci/cd
  listworkflowruns: 'listPipelines',
  listworkflowrunsforrepo: 'listPipelines',
  listruns: 'listPipelines',
  listbuilds: 'listPipelines',
  listpipelineruns: 'listPipelines',
  getworkflowrun: 'getPipeline',
  getrun: 'getPipeline',
  getbuild: 'getPipeline',
  getpipelinerun: 'getPipeline',
  listworkflowjobs: 'listJobs',
  listjobsforworkflowrun: 'listJobs',
  listbuildjobs: 'listJobs',
  listpipelinejobs: 'listJobs',
  getlog: 'getJobLog',
  getlogs: 'getJobLog',
  getjoblogs: 'getJobLog',
  getjobtrace: 'getJobLog',
  gettrace: 'getJobLog',
  getbuildlog: 'getJobLog',
  downloadjoblogsforworkflowrun: 'getJobLog',
  listworkflowrunartifacts: 'listArtifacts',
  listbuildartifacts: 'listArtifacts',
  listjobartifacts: 'listArtifacts',
  rerunworkflowrun: 'rerunPipeline',
  rerunworkflow: 'rerunPipeline',
  rerunrun: 'rerunPipeline',
  rerun: 'rerunPipeline',
  retry: 'rerunPipeline',
  retrypipeline: 'rerunPipeline',
  retrybuild: 'rerunPipeline',
  rebuild: 'rerunPipeline',
  rebuildbuild: 'rerunPipeline',
  rerunbuild: 'rerunPipeline',
  cancelworkflowrun: 'cancelPipeline',
  cancelrun: 'cancelPipeline',
  cancelbuild: 'cancelPipeline',
  cancel: 'cancelPipeline',
  listselfhostedrunners: 'listRunners',
  listselfhostedrunnersforrepo: 'listRunners',
  listselfhostedrunnersfororg: 'listRunners',
  listagents: 'listRunners',
  createregistrationtoken: 'registerRunner',
  createregistrationtokenforrepo: 'registerRunner',
  createregistrationtokenfororg: 'registerRunner',
  createrunnerregistrationtoken: 'registerRunner',
  createrunner: 'registerRunner',
  registeragent: 'registerRunner',
  createcheckrun: 'createCheck',
  createcommitstatus: 'createCheck',
  createstatus: 'createCheck',
  setcommitstatus: 'createCheck',
  updatecheckrun: 'updateCheck',
  // git forge
  listrepos: 'listRepositories',
  listprojects: 'listRepositories',
  listfororg: 'listRepositories',
  listforuser: 'listRepositories',
  getrepo: 'getRepository',
  getproject: 'getRepository',
  createrepo: 'createRepository',
  createproject: 'createRepository',
  createinorg: 'createRepository',
  updaterepo: 'updateRepository',
  editrepo: 'updateRepository',
  updateproject: 'updateRepository',
  listmergerequests: 'listPullRequests',
  listpulls: 'listPullRequests',
  getmergerequest: 'getPullRequest',
  getpull: 'getPullRequest',
  createmergerequest: 'createPullRequest',
  createpull: 'createPullRequest',
  updatemergerequest: 'updatePullRequest',
  updatepull: 'updatePullRequest',
  acceptmergerequest: 'mergePullRequest',
  mergemergerequest: 'mergePullRequest',
  mergepull: 'mergePullRequest',
  merge: 'mergePullRequest',
  listapprovals: 'listReviews',
  listmergerequestapprovals: 'listReviews',
  listbranches: 'listRefs',
  listtags: 'listRefs',
  listmatchingrefs: 'listRefs',
  getref: 'listRefs',
  getcommitbysha: 'getCommit',
  createdeploykey: 'syncDeployKeys',
  adddeploykey: 'syncDeployKeys',
  deletedeploykey: 'syncDeployKeys',
  listmembers: 'listCollaborators',
  listprojectmembers: 'listCollaborators',
  protectbranch: 'syncBranchProtection',
  setbranchprotection: 'syncBranchProtection',
  updatebranchprotection: 'syncBranchProtection',
  listprotectedbranches: 'syncBranchProtection',
};

/**
 * Bare verbs (as in the seed's capability descriptor: `list`, `get`, `comment`)
 * read in the context of one interface.
 */
const INTERFACE_VERBS: Record<InterfaceName, Record<string, string>> = {
  issueTracking: {
    list: 'listIssues', get: 'getIssue', create: 'createIssue', update: 'updateIssue', close: 'closeIssue',
    comment: 'createComment', comments: 'listComments', label: 'syncLabels', labels: 'listLabels',
    events: 'listEvents', milestones: 'listMilestones', transition: 'transitionIssue',
  },
  cicd: {
    list: 'listPipelines', get: 'getPipeline', jobs: 'listJobs', log: 'getJobLog', logs: 'getJobLog',
    artifacts: 'listArtifacts', runners: 'listRunners', register: 'registerRunner', check: 'createCheck',
  },
  gitForge: {
    list: 'listRepositories', get: 'getRepository', create: 'createRepository', update: 'updateRepository',
    refs: 'listRefs', commit: 'getCommit', collaborators: 'listCollaborators', deploykeys: 'syncDeployKeys',
  },
};

/** How an operation name reads against the catalog. */
export type OperationNameVerdict =
  | { kind: 'canonical' }
  /** Canonical, but an operation of another interface. */
  | { kind: 'other-interface'; interface: InterfaceName }
  /** Not canonical; `suggestion` is the likely canonical name (possibly of another interface). */
  | { kind: 'unknown'; suggestion?: { name: string; interface: InterfaceName; reason: 'synonym' | 'typo' | 'case' } };

function interfaceOf(name: string): InterfaceName | undefined {
  return OPERATIONS.find((o) => o.name === name)?.interface;
}

/** Checks an operation name declared under `iface` and finds the canonical name it most likely means. */
export function checkOperationName(iface: InterfaceName, name: string): OperationNameVerdict {
  if (getOperationInfo(iface, name)) return { kind: 'canonical' };
  const elsewhere = interfaceOf(name);
  if (elsewhere) return { kind: 'other-interface', interface: elsewhere };

  const lower = name.toLowerCase();
  const sameCase = OPERATIONS.filter((o) => o.name.toLowerCase() === lower);
  const caseMatch = sameCase.find((o) => o.interface === iface) ?? sameCase[0];
  if (caseMatch) return { kind: 'unknown', suggestion: { name: caseMatch.name, interface: caseMatch.interface, reason: 'case' } };

  const verb = INTERFACE_VERBS[iface][lower];
  if (verb) return { kind: 'unknown', suggestion: { name: verb, interface: iface, reason: 'synonym' } };
  const synonym = OPERATION_SYNONYMS[lower];
  if (synonym) return { kind: 'unknown', suggestion: { name: synonym, interface: interfaceOf(synonym) ?? iface, reason: 'synonym' } };

  const own = closestName(name, OPERATIONS.filter((o) => o.interface === iface).map((o) => o.name));
  if (own) return { kind: 'unknown', suggestion: { name: own, interface: iface, reason: 'typo' } };
  const any = closestName(name, OPERATIONS.map((o) => o.name));
  if (any) return { kind: 'unknown', suggestion: { name: any, interface: interfaceOf(any) ?? iface, reason: 'typo' } };
  return { kind: 'unknown' };
}

/** Interface keys people write instead of the canonical three. Keys are lower-case. */
const INTERFACE_SYNONYMS: Record<string, InterfaceName> = {
  issues: 'issueTracking', issue: 'issueTracking', issuetracker: 'issueTracking', tracker: 'issueTracking',
  issue_tracking: 'issueTracking', 'issue-tracking': 'issueTracking', workitems: 'issueTracking',
  ci: 'cicd', cd: 'cicd', 'ci-cd': 'cicd', ci_cd: 'cicd', 'ci/cd': 'cicd', pipelines: 'cicd', builds: 'cicd',
  forge: 'gitForge', git: 'gitForge', scm: 'gitForge', vcs: 'gitForge', repositories: 'gitForge', repos: 'gitForge',
  git_forge: 'gitForge', 'git-forge': 'gitForge', gitforge: 'gitForge',
};

/** Object keys people write for a known key, at any level. Keys are lower-case. */
const KEY_SYNONYMS: Record<string, string> = {
  webhookevents: 'webhooks', events: 'webhooks', hooks: 'webhooks', webhook: 'webhooks',
  operation: 'operations', ops: 'operations', object: 'objects', objecttypes: 'objects',
  authmode: 'authModes', auth: 'authModes', auth_modes: 'authModes', 'auth-modes': 'authModes', authentication: 'authModes',
  name: 'displayName', display_name: 'displayName', title: 'displayName',
  type: 'providerType', provider: 'providerType', provider_type: 'providerType',
  interface: 'interfaces', capabilities: 'interfaces',
  ratelimit: 'rateLimitModel', ratelimits: 'rateLimitModel', rate_limit: 'rateLimitModel',
  adapter: 'adapterRef', package: 'adapterRef',
  permission: 'permissions', scopes: 'nativeScopes', oauthscopes: 'nativeScopes',
  idempotent: 'idempotency', cost: 'rateLimitCost', ratelimitcosts: 'rateLimitCost',
  confirmation: 'webhookConfirmation', iswrite: 'write', writes: 'write', enabled: 'supported', support: 'supported',
  apiversion: 'apiVersion', api_version: 'apiVersion', meta: 'metadata',
};

/** The known key an unknown key most likely means, among `allowed`. */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const exact = allowed.find((k) => k.toLowerCase() === lower);
  if (exact) return exact;
  const iface = INTERFACE_SYNONYMS[lower];
  if (iface && allowed.includes(iface)) return iface;
  const synonym = KEY_SYNONYMS[lower];
  if (synonym && allowed.includes(synonym)) return synonym;
  return closestName(key, allowed);
}

/** Whether a key names one of the interfaces, canonically or by a synonym. */
export function interfaceForKey(key: string): InterfaceName | undefined {
  if ((INTERFACE_NAMES as readonly string[]).includes(key)) return key as InterfaceName;
  return INTERFACE_SYNONYMS[key.toLowerCase()];
}
