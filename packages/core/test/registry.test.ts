import { describe, expect, it } from 'vitest';
import { createRegistry, ProviderError, type ExternalPipeline, type Page, type PluginContext } from '../src/index.js';
import { testPlugin } from './helpers/test-plugins.js';

const contexts: Record<string, PluginContext[]> = { forge: [], ci: [], tracker: [] };
const pipelinePage = (source: string) => ({ items: [], nextCursor: source }) as unknown as Page<ExternalPipeline>;

const forge = testPlugin(
  'forge',
  {
    issueTracking: { operations: ['listIssues', 'getIssue', 'createIssue'], webhooks: ['issues', 'issue_comment'] },
    cicd: { operations: ['listPipelines'], webhooks: ['workflow_run'] },
    gitForge: { operations: ['listRepositories', 'getRepository'], webhooks: ['push'], ownershipModes: ['external-owned', 'bidirectional'] },
  },
  (_config, context) => {
    contexts.forge!.push(context);
    return { cicd: { listPipelines: async () => pipelinePage('forge') } };
  },
  ['app', 'pat'],
);
const ci = testPlugin(
  'ci',
  { cicd: { operations: ['listPipelines', 'getPipeline', 'rerunPipeline'], webhooks: ['build.finished'] } },
  (_config, context) => {
    contexts.ci!.push(context);
    return { cicd: { listPipelines: async () => pipelinePage('ci') } };
  },
);
const tracker = testPlugin('tracker', { issueTracking: { operations: ['listIssues', 'getIssue', 'transitionIssue'], webhooks: ['jira:issue_updated'] } }, (_c, context) => {
  contexts.tracker!.push(context);
  return {};
});

function registry() {
  return createRegistry([forge, ci, tracker]);
}

describe('registry', () => {
  it('registers, lists in order and gets plugins', () => {
    const r = registry();
    expect(r.list().map((p) => p.providerType)).toEqual(['forge', 'ci', 'tracker']);
    expect(r.get('ci')).toBe(ci);
    expect(r.get('nope')).toBeUndefined();
  });

  it('refuses a duplicate provider type and a value that is not a plugin', () => {
    const r = registry();
    expect(() => r.register(ci)).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('"ci" is already registered') }));
    expect(() => r.register({ providerType: 'fake' } as never)).toThrow(ProviderError);
  });

  it('creates an instance, and names the registered types for an unknown one', () => {
    const r = registry();
    expect(r.create('ci', { token: 't' }).providerType).toBe('ci');
    expect(() => r.create('gitlab', {})).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('registered: forge, ci, tracker') }));
    expect(() => createRegistry().create('gitlab', {})).toThrow(/no provider plugins are registered/);
    expect(() => r.create('ci', {})).toThrow(expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('token') }));
  });

  it('selects providers by interface, operations, webhooks and auth mode', () => {
    const r = registry();
    const types = (req: Parameters<typeof r.select>[0]) => r.select(req).map((p) => p.providerType);
    expect(types({ interface: 'cicd' })).toEqual(['forge', 'ci']);
    expect(types({ interface: 'cicd', operations: ['rerunPipeline'] })).toEqual(['ci']);
    expect(types({ interface: 'issueTracking', operations: ['getIssue'] })).toEqual(['forge', 'tracker']);
    expect(types({ interface: 'issueTracking', operations: ['transitionIssue'] })).toEqual(['tracker']);
    expect(types({ interface: 'issueTracking', webhooks: ['issue_comment'] })).toEqual(['forge']);
    expect(types({ interface: 'cicd', webhooks: ['issues'] })).toEqual([]);
    expect(types({ interface: 'cicd', authMode: 'app' })).toEqual(['forge']);
    expect(types({ interface: 'gitForge', operations: ['mergePullRequest'] })).toEqual([]);
  });
});

describe('bindings', () => {
  it('puts different providers behind the interfaces of one repository', async () => {
    const r = registry();
    const forgeInstance = r.create('forge', { token: 'f' });
    const binding = r.bind({
      name: 'krate',
      scope: 'a5c-ai/krate',
      gitForge: forgeInstance,
      cicd: { provider: 'ci', config: { token: 'c' }, scope: 'a5c-ai/krate-pipeline', ownership: 'read-only' },
      issueTracking: { provider: 'tracker', config: { token: 'j' }, scope: 'KRATE' },
      sharingPolicy: { allowCrossOrg: true },
    });
    expect(binding.name).toBe('krate');
    expect(binding.scope).toBe('a5c-ai/krate');
    expect(binding.gitForge).toBe(forgeInstance.gitForge);
    expect(binding.instanceFor('gitForge')).toBe(forgeInstance);
    expect(binding.instanceFor('cicd')?.providerType).toBe('ci');
    expect(binding.instanceFor('issueTracking')?.providerType).toBe('tracker');
    // The CI interface of the binding is the CI provider's, not the forge's.
    await expect(binding.cicd!.listPipelines('a5c-ai/krate-pipeline')).resolves.toMatchObject({ nextCursor: 'ci' });
    expect(binding.scopeFor('gitForge')).toBe('a5c-ai/krate');
    expect(binding.scopeFor('cicd')).toBe('a5c-ai/krate-pipeline');
    expect(binding.scopeFor('issueTracking')).toBe('KRATE');
    expect(binding.ownershipFor('cicd')).toBe('read-only');
    expect(binding.ownershipFor('gitForge')).toBeUndefined();
    expect(contexts.ci!.at(-1)?.bindingRef).toBe('krate');
  });

  it('leaves unbound interfaces absent', () => {
    const binding = registry().bind({ scope: 'a5c-ai/krate', cicd: { provider: 'ci', config: { token: 'c' } } });
    expect(binding.name).toBe('a5c-ai/krate');
    expect(binding.cicd).toBeDefined();
    expect(binding.issueTracking).toBeUndefined();
    expect(binding.instanceFor('gitForge')).toBeUndefined();
  });

  it('rejects a provider whose manifest does not declare the interface', () => {
    const r = registry();
    expect(() => r.bind({ scope: 'a5c-ai/krate', issueTracking: { provider: 'ci', config: { token: 'c' } } })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('does not implement this interface (its manifest declares: cicd)') }),
    );
    expect(() => r.bind({ scope: 'a5c-ai/krate', gitForge: r.create('tracker', { token: 'j' }) })).toThrow(/does not implement/);
  });

  it('rejects a cross-org target and says how to allow it', () => {
    const r = registry();
    const spec = { scope: 'a5c-ai/krate', cicd: { provider: 'ci', config: { token: 'c' }, scope: 'acme-ci/krate' } };
    let error: unknown;
    try {
      r.bind(spec);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'invalid_config', provider: 'ci' });
    expect((error as Error).message).toContain('"acme-ci"');
    expect((error as Error).message).toContain('sharingPolicy: { allowCrossOrg: true }');
    expect(r.bind({ ...spec, sharingPolicy: { allowCrossOrg: true } }).scopeFor('cicd')).toBe('acme-ci/krate');
  });

  it('compares orgs case-insensitively', () => {
    expect(() => registry().bind({ scope: 'A5C-AI/krate', cicd: { provider: 'ci', config: { token: 'c' }, scope: 'a5c-ai/pipeline' } })).not.toThrow();
  });

  it('rejects bad binding specs', () => {
    const r = registry();
    expect(() => r.bind({ scope: '', cicd: { provider: 'ci', config: { token: 'c' } } })).toThrow(/scope/);
    expect(() => r.bind({ scope: 'a5c-ai/krate' })).toThrow(/binds no interface/);
    expect(() => r.bind({ scope: 'a5c-ai/krate', issuetracking: {} } as never)).toThrow(/unknown setting/);
    expect(() => r.bind({ scope: 'a5c-ai/krate', cicd: { config: {} } as never })).toThrow(/expected a provider instance/);
    expect(() => r.bind({ scope: 'a5c-ai/krate', cicd: { provider: 'nope', config: {} } })).toThrow(/unknown provider type "nope"/);
    expect(() => r.bind({ scope: 'a5c-ai/krate', gitForge: { provider: 'forge', config: { token: 'f' }, ownership: 'krate-owned' } })).toThrow(
      /ownership "krate-owned" is not one the manifest allows/,
    );
    expect(() => r.bind({ scope: 'a5c-ai/krate', gitForge: { provider: 'forge', config: { token: 'f' }, ownership: 'mine' as never } })).toThrow(
      /unknown ownership "mine"/,
    );
  });
});
