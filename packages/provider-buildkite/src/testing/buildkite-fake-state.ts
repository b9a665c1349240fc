import { createHash } from 'node:crypto';
import { FakeClock, FakeCollection, createSequence } from '@krate/contract-tests/kit';

/**
 * The fake's state: pipelines, builds with their jobs, artifacts and agents, kept as
 * records and serialized in the shapes of the Buildkite REST API v2 documentation
 * (https://buildkite.com/docs/apis/rest-api).
 */

export interface FakePipeline {
  id: string;
  org: string;
  slug: string;
  name: string;
  repository: string;
  createdAt: string;
}

export interface FakeJob {
  id: string;
  type: 'script' | 'waiter' | 'manual' | 'trigger';
  name: string;
  stepKey: string | null;
  state: string;
  exitStatus: number | null;
  softFailed: boolean;
  agentId: string | null;
  log: string;
  createdAt: string;
  scheduledAt: string | null;
  runnableAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  retried: boolean;
  retriedInJobId: string | null;
  retriesCount: number | null;
}

export interface FakeBuild {
  id: string;
  org: string;
  pipeline: string;
  number: number;
  state: string;
  blocked: boolean;
  message: string;
  commit: string;
  branch: string;
  source: string;
  cancelReason: string | null;
  createdAt: string;
  scheduledAt: string;
  startedAt: string | null;
  failingAt: string | null;
  finishedAt: string | null;
  rebuiltFrom: { id: string; number: number } | null;
  /** For a pull request build: its number (as a string), base branch and repository. */
  pullRequest?: { id: string; base: string; repository: string } | null;
  jobs: FakeJob[];
}

export interface FakeArtifact {
  id: string;
  buildId: string;
  jobId: string;
  path: string;
  size: number;
  sha1: string;
  state: string;
  mimeType: string;
}

export interface FakeAgent {
  id: string;
  org: string;
  name: string;
  connectionState: string;
  hostname: string;
  version: string;
  metaData: string[];
  job: { id: string; name: string; buildId: string | null } | null;
  createdAt: string;
  lastJobFinishedAt: string | null;
}

/** Neutral seed status -> the build state and fields Buildkite reports for it. */
export const SEED_BUILD_STATES: Record<string, { state: string; blocked?: boolean; started: boolean; finished: boolean }> = {
  queued: { state: 'scheduled', started: false, finished: false },
  running: { state: 'running', started: true, finished: false },
  succeeded: { state: 'passed', started: true, finished: true },
  failed: { state: 'failed', started: true, finished: true },
  canceled: { state: 'canceled', started: true, finished: true },
  // A build waiting at a block step keeps its last state and sets `blocked`.
  blocked: { state: 'passed', blocked: true, started: true, finished: true },
};

/** Neutral seed status -> the job state (REST `passed`/`failed` aliases) and exit status. */
export const SEED_JOB_STATES: Record<string, { state: string; exitStatus: number | null; started: boolean; finished: boolean; type?: FakeJob['type'] }> = {
  queued: { state: 'scheduled', exitStatus: null, started: false, finished: false },
  running: { state: 'running', exitStatus: null, started: true, finished: false },
  succeeded: { state: 'passed', exitStatus: 0, started: true, finished: true },
  failed: { state: 'failed', exitStatus: 1, started: true, finished: true },
  canceled: { state: 'canceled', exitStatus: null, started: true, finished: true },
  blocked: { state: 'blocked', exitStatus: null, started: false, finished: false, type: 'manual' },
};

/** Build states the `state` filter's `finished` shortcut stands for. */
export const FINISHED_FILTER = ['passed', 'failed', 'blocked', 'canceled'];

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width);
}

export class BuildkiteFakeState {
  readonly clock = new FakeClock();
  readonly pipelines = new FakeCollection<FakePipeline>({ name: 'pipeline' });
  readonly builds = new FakeCollection<FakeBuild>({ name: 'build' });
  readonly artifacts = new FakeCollection<FakeArtifact>({ name: 'artifact' });
  readonly agents = new FakeCollection<FakeAgent>({ name: 'agent' });
  /** Organizations that exist (others answer 404). */
  readonly organizations = new Set<string>();
  readonly #ids = createSequence();
  readonly #numbers = new Map<string, number>();

  /** A UUID in Buildkite's format; the kind digit keeps ids of different kinds apart. */
  uuid(kind: 'pipeline' | 'build' | 'job' | 'artifact' | 'agent' | 'user' | 'request'): string {
    const digit = { pipeline: 1, build: 2, job: 3, artifact: 4, agent: 5, user: 6, request: 7 }[kind];
    return `0190${hex(digit, 4)}-${hex(0, 4)}-4000-8000-${hex(this.#ids(), 12)}`;
  }

  /** A 40-hex commit SHA derived from a seed value. */
  sha(seed: string): string {
    return createHash('sha1').update(seed).digest('hex');
  }

  ensureOrg(org: string): void {
    this.organizations.add(org);
  }

  ensurePipeline(org: string, slug: string): FakePipeline {
    this.ensureOrg(org);
    const existing = this.findPipeline(org, slug);
    if (existing) return existing;
    const name = slug.split(/[-_]/).map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' ');
    return this.pipelines.insert({
      id: this.uuid('pipeline'),
      org,
      slug,
      name,
      repository: `git@github.com:${org}/${slug}.git`,
      createdAt: this.clock.iso(),
    });
  }

  findPipeline(org: string, slug: string): FakePipeline | undefined {
    return this.pipelines.list((p) => p.org === org && p.slug === slug)[0];
  }

  nextNumber(org: string, slug: string): number {
    const key = `${org}/${slug}`;
    const next = (this.#numbers.get(key) ?? 0) + 1;
    this.#numbers.set(key, next);
    return next;
  }

  findBuild(org: string, slug: string, number: number): FakeBuild | undefined {
    return this.builds.list((b) => b.org === org && b.pipeline === slug && b.number === number)[0];
  }

  /** Builds of a pipeline or organization, newest first (as Buildkite lists them). */
  listBuilds(org: string, slug?: string): FakeBuild[] {
    return this.builds
      .list((b) => b.org === org && (slug === undefined || b.pipeline === slug))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.pipeline === b.pipeline ? b.number - a.number : a.pipeline < b.pipeline ? -1 : 1));
  }

  /** Replaces a build (builds are stored by id). */
  saveBuild(build: FakeBuild): FakeBuild {
    return this.builds.insert(build);
  }

  newJob(fields: Partial<FakeJob> & { name: string }): FakeJob {
    const now = this.clock.iso();
    return {
      id: this.uuid('job'),
      type: 'script',
      stepKey: null,
      state: 'scheduled',
      exitStatus: null,
      softFailed: false,
      agentId: null,
      log: '',
      createdAt: now,
      scheduledAt: now,
      runnableAt: null,
      startedAt: null,
      finishedAt: null,
      retried: false,
      retriedInJobId: null,
      retriesCount: null,
      ...fields,
    };
  }

  findJob(build: FakeBuild, jobId: string): FakeJob | undefined {
    return build.jobs.find((j) => j.id === jobId);
  }
}
