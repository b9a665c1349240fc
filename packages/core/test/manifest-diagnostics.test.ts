import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  CapabilityManifestSchema, INTERFACE_NAMES, InvalidConfigError, OPERATIONS, ProviderError, checkOperationName, declaredOperations, defineManifest,
  diagnoseManifest, diagnoseManifestText, formatManifestDiagnostic, manifestDiagnosticsOf, operationsOf, parseManifest,
  validateManifest, type ManifestDiagnostic,
} from '../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/manifests/${name}`, import.meta.url), 'utf8');
const summary = (diagnostics: ManifestDiagnostic[]) => diagnostics.map((d) => [d.severity, d.code, d.path, d.suggestion]);

function caught(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

function minimal(spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'krate.a5c.ai/v1alpha1',
    kind: 'ExternalProviderCapabilityManifest',
    metadata: { name: 'acme-v1' },
    spec: {
      providerType: 'acme',
      displayName: 'Acme',
      authModes: ['api-token'],
      interfaces: { issueTracking: { supported: true, operations: ['listIssues'] } },
      ...spec,
    },
  };
}

describe('complete manifests', () => {
  it.each(['valid-github.yaml', 'valid-gitlab.yaml', 'valid-jira.yaml', 'valid-buildkite.yaml', 'valid-custom.json'])(
    '%s has no diagnostics and parses',
    (name) => {
      const text = fixture(name);
      expect(diagnoseManifestText(text).diagnostics).toEqual([]);
      const manifest = parseManifest(text);
      expect(manifest.apiVersion).toBe('krate.a5c.ai/v1alpha1');
      expect(validateManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
    },
  );

  it('applies defaults: an operation object without supported is supported', () => {
    const manifest = parseManifest(fixture('valid-github.yaml'));
    const createIssue = manifest.spec.interfaces.issueTracking!.operations!.find((o) => typeof o !== 'string' && o.operation === 'createIssue');
    expect(createIssue).toMatchObject({ operation: 'createIssue', supported: true, idempotency: { mode: 'synthetic-key', key: 'body marker' } });
  });

  it('reads JSON input, and an operation declared supported: false is not declared', () => {
    const manifest = parseManifest(fixture('valid-custom.json'));
    expect(declaredOperations(manifest, 'issueTracking').map((o) => o.operation)).toEqual(['listIssues', 'getIssue']);
    expect(manifest.$schema).toBe('../../../schema/manifest.schema.json');
    expect(manifest.spec.adapterRef).toEqual({ package: '@a5c-ai/krate-provider-acme', version: '1.x' });
  });

  it('accepts rateLimitModel as a name or as an object', () => {
    expect(parseManifest(fixture('valid-jira.yaml')).spec.rateLimitModel).toBe('provider-specific');
    expect(parseManifest(fixture('valid-buildkite.yaml')).spec.rateLimitModel).toEqual({
      kind: 'requests', headers: ['RateLimit-Remaining', 'RateLimit-Limit', 'RateLimit-Reset'], limit: 200, windowSeconds: 60,
    });
  });

  it('warnings alone do not make a manifest invalid', () => {
    const value = minimal({ interfaces: { issueTracking: { supported: true, operations: ['listIssues'] }, cicd: { supported: false, operations: ['listPipelines'] } } });
    expect(summary(diagnoseManifest(value))).toEqual([
      ['warning', 'operations-on-unsupported-interface', 'spec.interfaces.cicd.operations', 'set supported: true, or remove the operations'],
    ]);
    expect(validateManifest(value).spec.providerType).toBe('acme');
    expect(defineManifest(value).metadata.name).toBe('acme-v1');
  });
});

describe('malformed manifests', () => {
  it('YAML syntax errors name line and column and stop the check', () => {
    const result = diagnoseManifestText(fixture('invalid-yaml-indent.yaml'));
    expect(result.parsed).toBe(false);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['yaml-syntax', 6, 17], ['yaml-syntax', 6, 17]]);
    expect(result.diagnostics[0]!.message).toBe('not valid YAML or JSON at line 6, column 17: Nested mappings are not allowed in compact mappings');
    expect(result.diagnostics[0]!.suggestion).toBe('check the indentation of this line, or quote a value that contains ": "');
    const error = caught(() => parseManifest(fixture('invalid-yaml-indent.yaml')));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('(root) (line 6, column 17): not valid YAML or JSON at line 6, column 17');
  });

  it('a repeated YAML key is an error, not a silent overwrite', () => {
    expect(summary(diagnoseManifestText(fixture('invalid-yaml-duplicate-key.yaml')).diagnostics)).toEqual([
      ['error', 'yaml-syntax', '(root)', 'remove or merge the repeated key'],
    ]);
    expect(diagnoseManifestText(fixture('invalid-yaml-duplicate-key.yaml')).diagnostics[0]).toMatchObject({ line: 13, column: 5 });
  });

  it('JSON syntax errors name line and column', () => {
    expect(diagnoseManifestText(fixture('invalid-json-syntax.json')).diagnostics).toEqual([
      {
        path: '(root)', severity: 'error', code: 'yaml-syntax', line: 8, column: 5,
        message: 'not valid YAML or JSON at line 8, column 5: Missing , between flow map items', suggestion: 'add the missing ","',
      },
    ]);
  });

  it('more than one document, tabs and alias bombs are reported, not crashed on', () => {
    expect(diagnoseManifestText('a: 1\n---\nb: 2\n').diagnostics[0]).toMatchObject({
      code: 'yaml-syntax', line: 2, message: 'not valid YAML or JSON at line 2, column 1: the text holds more than one YAML document',
    });
    expect(diagnoseManifestText('spec:\n\tproviderType: x\n').diagnostics[0]).toMatchObject({ code: 'yaml-syntax', suggestion: 'indent with spaces, not tabs' });
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => {
      const prev = i === 0 ? 'a' : `l${i - 1}`;
      return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
    })].join('\n');
    const result = diagnoseManifestText(bomb);
    expect(result.parsed).toBe(false);
    expect(result.diagnostics[0]!.code).toBe('yaml-syntax');
  });

  it('wrong types say what was expected and what was found', () => {
    expect(summary(diagnoseManifestText(fixture('invalid-types.yaml')).diagnostics)).toEqual([
      ['error', 'invalid-type', 'spec.authModes', 'write it as a list: [api-token]'],
      ['error', 'invalid-type', 'spec.hosting', 'the key has no value: put its items under it, indented'],
      ['error', 'invalid-type', 'spec.adapterRef.version', 'YAML reads 1.10 as a number: quote it to keep it text ("1.10")'],
      ['error', 'invalid-type', 'spec.interfaces.issueTracking.supported', 'write true without quotes'],
      ['error', 'invalid-type', 'spec.interfaces.issueTracking.operations[1]', undefined],
      ['error', 'invalid-type', 'spec.interfaces.issueTracking.operations[2].rateLimitCost.restRequests', undefined],
      ['error', 'invalid-value', 'spec.interfaces.issueTracking.operations[2].idempotency.mode', undefined],
    ]);
    const messages = diagnoseManifestText(fixture('invalid-types.yaml')).diagnostics.map((d) => d.message);
    expect(messages).toEqual([
      'expected a list, got the text "api-token"',
      'expected a list, got an empty value',
      'expected text, got the number 1.1',
      'expected true or false, got the text "true"',
      'expected an operation name or an operation object (operation: <name>, ...), got the number 42',
      'expected a whole number, got the number 1.5',
      'the text "sometimes" is not one of: natural, synthetic-key, idempotent, none',
    ]);
  });

  it('unknown keys suggest the key meant or where it belongs', () => {
    expect(summary(diagnoseManifestText(fixture('invalid-unknown-keys.yaml')).diagnostics)).toEqual([
      ['error', 'unknown-key', 'providerType', '"providerType" belongs under spec'],
      ['error', 'missing-field', 'spec.displayName', 'add "displayName: <the name people see>" (for example GitHub)'],
      ['error', 'unknown-key', 'spec.displayname', 'did you mean "displayName"?'],
      ['error', 'unknown-key', 'spec.issues', 'declare it as spec.interfaces.issueTracking'],
      [
        'error', 'unknown-key', 'spec.interfaces.cicd.write',
        '"write" describes one operation: write that operation as an object ("- operation: <name>") with write beside it',
      ],
      ['error', 'missing-field', 'spec.interfaces.cicd.operations[1].operation', 'name the operation with "operation: <canonical name>"'],
      [
        'error', 'unknown-key', 'spec.interfaces.cicd.operations[1].getPipeline',
        'write the operation as "- operation: getPipeline" with its fields beside "operation", not nested under the name',
      ],
      ['error', 'unknown-key', 'spec.interfaces.cicd.webhookEvents', 'did you mean "webhooks"?'],
    ]);
  });

  it('operation problems: typos, wrong interface, duplicates, write flags, auth modes, webhooks', () => {
    const { diagnostics } = diagnoseManifestText(fixture('invalid-operations.yaml'));
    expect(summary(diagnostics)).toEqual([
      ['error', 'unknown-operation', 'spec.interfaces.issueTracking.operations[0]', 'did you mean "listIssues"?'],
      ['error', 'duplicate-operation', 'spec.interfaces.issueTracking.operations[2]', 'keep one entry per operation'],
      [
        'error', 'unknown-operation', 'spec.interfaces.issueTracking.operations[3]',
        'the canonical operation is "listPullRequests", an operation of gitForge: declare it under spec.interfaces.gitForge.operations',
      ],
      ['error', 'unknown-operation', 'spec.interfaces.issueTracking.operations[4]', `canonical issueTracking operations: ${operationsOf('issueTracking').join(', ')}`],
      ['error', 'write-mismatch', 'spec.interfaces.issueTracking.operations[5].write', 'set write: true, or leave write out'],
      ['error', 'undeclared-auth-mode', 'spec.interfaces.issueTracking.operations[5].requires.authModes[0]', 'did you mean "github-app"?'],
      [
        'warning', 'unconfirmed-webhook', 'spec.interfaces.issueTracking.operations[5].webhookConfirmation.events[0]',
        'add "issue_opened" to spec.interfaces.issueTracking.webhooks',
      ],
      ['error', 'write-mismatch', 'spec.interfaces.issueTracking.operations[6].write', 'set write: false, or leave write out'],
      ['warning', 'duplicate-webhook', 'spec.interfaces.issueTracking.webhooks[1]', undefined],
      ['error', 'operation-in-wrong-interface', 'spec.interfaces.cicd.operations[0]', 'move it to spec.interfaces.gitForge.operations'],
      ['warning', 'operations-on-unsupported-interface', 'spec.interfaces.gitForge.operations', 'set supported: true, or remove the operations'],
    ]);
    expect(diagnostics.map((d) => d.message).slice(0, 2)).toEqual([
      '"listIssue" is not a canonical issueTracking operation',
      '"getIssue" is declared twice (first at operations[1])',
    ]);
    expect(diagnostics[4]!.message).toBe('"createIssue" changes provider state (a create operation), but write is false');
    expect(diagnostics[9]!.message).toBe('"createPullRequest" is a gitForge operation, not a cicd one');
  });

  it('wrapper fields: wrong apiVersion and kind, providerType and metadata.name casing', () => {
    expect(summary(diagnoseManifestText(fixture('invalid-wrapper.yaml')).diagnostics)).toEqual([
      ['error', 'invalid-value', 'apiVersion', 'use "krate.a5c.ai/v1alpha1"'],
      ['error', 'invalid-value', 'kind', 'use "ExternalProviderCapabilityManifest"'],
      ['warning', 'metadata-name-format', 'metadata.name', 'use "github-v1"'],
      ['error', 'invalid-value', 'spec.providerType', 'use "github"'],
    ]);
  });

  it('the same problems are found in a value, in YAML and in JSON text', () => {
    const value = parseYaml(fixture('invalid-operations.yaml')) as unknown;
    const fromValue = diagnoseManifest(value);
    const fromJson = diagnoseManifestText(JSON.stringify(value, null, 2)).diagnostics;
    const fromYaml = diagnoseManifestText(fixture('invalid-operations.yaml')).diagnostics;
    const strip = (ds: ManifestDiagnostic[]) => ds.map(({ line: _l, column: _c, ...rest }) => rest);
    expect(fromValue.some((d) => d.line !== undefined)).toBe(false);
    expect(strip(fromJson)).toEqual(fromValue);
    expect(strip(fromYaml)).toEqual(fromValue);
    expect(fromJson[0]).toMatchObject({ line: 21, column: 11 });
  });

  it('documents that are not mappings', () => {
    expect(summary(diagnoseManifestText('').diagnostics)).toEqual([['error', 'not-a-mapping', '(root)', 'add "apiVersion: krate.a5c.ai/v1alpha1"']]);
    expect(diagnoseManifest(null)[0]!.message).toBe('the manifest is empty');
    expect(diagnoseManifest(['a'])[0]!.message).toBe('a manifest is a mapping with apiVersion, kind, metadata and spec; got a list');
    expect(diagnoseManifestText('just text').diagnostics[0]!.message).toBe(
      'a manifest is a mapping with apiVersion, kind, metadata and spec; got the text "just text"',
    );
    expect(summary(diagnoseManifest({})).map((d) => d.slice(0, 3))).toEqual([
      ['error', 'missing-field', 'apiVersion'], ['error', 'missing-field', 'kind'],
      ['error', 'missing-field', 'metadata'], ['error', 'missing-field', 'spec'],
    ]);
  });

  it('quotes keys that are not identifiers in paths', () => {
    const value = minimal();
    (value.metadata as Record<string, unknown>).labels = { 'krate.a5c.ai/provider': 7 };
    expect(diagnoseManifest(value).map((d) => d.path)).toEqual(['metadata.labels["krate.a5c.ai/provider"]']);
  });

  it('an interface with invalid supported does not also warn about missing interfaces', () => {
    const value = minimal({ interfaces: { issueTracking: { supported: 'yes', operations: ['listIssue'] } } });
    expect(summary(diagnoseManifest(value)).map((d) => d.slice(0, 3))).toEqual([
      ['error', 'invalid-type', 'spec.interfaces.issueTracking.supported'],
      ['error', 'unknown-operation', 'spec.interfaces.issueTracking.operations[0]'],
    ]);
  });

  it('warns when webhook events are declared but api.webhook is false', () => {
    const value = minimal({ api: { webhook: false }, interfaces: { issueTracking: { supported: true, operations: ['listIssues'], webhooks: ['issues'] } } });
    expect(summary(diagnoseManifest(value))).toEqual([
      ['warning', 'webhooks-without-api', 'spec.api.webhook', 'set api.webhook: true, or remove the webhook events'],
    ]);
  });
});

describe('validateManifest and parseManifest errors', () => {
  it('throw InvalidConfigError listing every error as path: problem; suggestion', () => {
    const value = minimal({ displayName: '', interfaces: { cicd: { supported: true, operations: ['listIssue', 'getBuild'] } } });
    const error = caught(() => validateManifest(value));
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(error.provider).toBe('acme');
    expect(error.message).toBe(
      [
        '[krate] [acme] invalid capability manifest (3 errors):',
        '  - spec.displayName: displayName must not be empty',
        '  - spec.interfaces.cicd.operations[0]: "listIssue" is not a canonical cicd operation; the canonical operation is "listIssues", an operation of issueTracking: declare it under spec.interfaces.issueTracking.operations',
        '  - spec.interfaces.cicd.operations[1]: "getBuild" is not a canonical cicd operation; use the canonical name "getPipeline"',
      ].join('\n'),
    );
    expect(manifestDiagnosticsOf(error)?.map((d) => d.code)).toEqual(['invalid-value', 'unknown-operation', 'unknown-operation']);
    expect(Object.keys(error.toJSON())).not.toContain('diagnostics');
    expect(manifestDiagnosticsOf(new Error('x'))).toBeUndefined();
  });

  it('defineManifest refuses what validateManifest refuses', () => {
    expect(() => defineManifest(minimal({ interfaces: { issueTracking: { supported: true, operations: ['listTickets'] } } }))).toThrow(
      /"listTickets" is not a canonical issueTracking operation/,
    );
  });

  it('formats warnings with their tag', () => {
    const warning = diagnoseManifest(minimal({ interfaces: {} }))[0]!;
    expect(formatManifestDiagnostic(warning)).toBe(
      'spec.interfaces: warning: no interface is declared supported, so an instance of this provider offers nothing; declare at least one of issueTracking, cicd, gitForge with supported: true and its operations',
    );
  });
});

describe('operation name suggestions', () => {
  const vendorWords: Array<[string, string]> = [
    ['listWorkflowRuns', 'listPipelines'], ['listBuilds', 'listPipelines'],
    ['getWorkflowRun', 'getPipeline'], ['getBuild', 'getPipeline'],
    ['listWorkflowJobs', 'listJobs'],
    ['rerunWorkflowRun', 'rerunPipeline'], ['rebuildBuild', 'rerunPipeline'], ['retryPipeline', 'rerunPipeline'],
    ['cancelWorkflowRun', 'cancelPipeline'], ['cancelBuild', 'cancelPipeline'],
    ['listSelfHostedRunners', 'listRunners'], ['listAgents', 'listRunners'],
    ['createCheckRun', 'createCheck'], ['updateCheckRun', 'updateCheck'], ['createCommitStatus', 'createCheck'],
    ['getLog', 'getJobLog'], ['getJobTrace', 'getJobLog'], ['listWorkflowRunArtifacts', 'listArtifacts'],
    ['createRegistrationToken', 'registerRunner'],
  ];
  it.each(vendorWords)('cicd %s -> %s', (vendor, canonical) => {
    expect(checkOperationName('cicd', vendor)).toEqual({ kind: 'unknown', suggestion: { name: canonical, interface: 'cicd', reason: 'synonym' } });
  });

  it.each([
    ['gitForge', 'listMergeRequests', 'listPullRequests'], ['gitForge', 'acceptMergeRequest', 'mergePullRequest'],
    ['gitForge', 'listProjects', 'listRepositories'], ['gitForge', 'listBranches', 'listRefs'],
    ['gitForge', 'listApprovals', 'listReviews'], ['gitForge', 'protectBranch', 'syncBranchProtection'],
    ['issueTracking', 'listNotes', 'listComments'], ['issueTracking', 'createNote', 'createComment'],
    ['issueTracking', 'doTransition', 'transitionIssue'], ['issueTracking', 'listIssueEvents', 'listEvents'],
  ] as const)('%s %s -> %s', (iface, vendor, canonical) => {
    expect(checkOperationName(iface, vendor)).toMatchObject({ kind: 'unknown', suggestion: { name: canonical, interface: iface } });
  });

  it.each([
    ['issueTracking', 'listIssue', 'listIssues'], ['issueTracking', 'getIsue', 'getIssue'], ['cicd', 'getPipline', 'getPipeline'],
    ['gitForge', 'creatPullRequest', 'createPullRequest'], ['gitForge', 'listRepositorys', 'listRepositories'],
    ['cicd', 'lsitJobs', 'listJobs'],
  ] as const)('typo %s %s -> %s', (iface, typo, canonical) => {
    expect(checkOperationName(iface, typo)).toEqual({ kind: 'unknown', suggestion: { name: canonical, interface: iface, reason: 'typo' } });
  });

  it('fixes casing', () => {
    expect(checkOperationName('issueTracking', 'ListIssues')).toEqual({ kind: 'unknown', suggestion: { name: 'listIssues', interface: 'issueTracking', reason: 'case' } });
  });

  it('offers nothing for a name unlike any operation', () => {
    expect(checkOperationName('cicd', 'frobnicate')).toEqual({ kind: 'unknown' });
    expect(checkOperationName('gitForge', 'x')).toEqual({ kind: 'unknown' });
  });

  it('every canonical operation is canonical in its interface and elsewhere points back to it', () => {
    for (const op of OPERATIONS) {
      for (const iface of INTERFACE_NAMES) {
        expect(checkOperationName(iface, op.name)).toEqual(iface === op.interface ? { kind: 'canonical' } : { kind: 'other-interface', interface: op.interface });
      }
    }
  });

  it('every suggestion is a canonical operation of the interface it names', () => {
    const probes = [...vendorWords.map(([v]) => v), 'list', 'get', 'create', 'update', 'merge', 'retry', 'cancel', 'comment', 'label', 'listRepos', 'getRepo', 'listRuns'];
    for (const iface of INTERFACE_NAMES) {
      for (const probe of probes) {
        const verdict = checkOperationName(iface, probe);
        if (verdict.kind === 'unknown' && verdict.suggestion) {
          expect(operationsOf(verdict.suggestion.interface)).toContain(verdict.suggestion.name);
        }
      }
    }
  });
});

describe('robustness', () => {
  it('diagnoseManifest never throws and validateManifest only throws invalid_config, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const diagnostics = diagnoseManifest(value);
        expect(diagnostics.every((d) => (d.severity === 'error' || d.severity === 'warning') && d.path.length > 0)).toBe(true);
        if (!CapabilityManifestSchema.safeParse(value).success) expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
        try {
          validateManifest(value);
        } catch (error) {
          expect((error as ProviderError).code).toBe('invalid_config');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random edits of a valid manifest: every schema failure is reported, and errors beyond the schema are semantic ones', () => {
    const base = parseYaml(fixture('valid-gitlab.yaml')) as Record<string, unknown>;
    const spec = base.spec as Record<string, unknown>;
    const keys = [...Object.keys(spec), 'extraKey'];
    const semantic = new Set(['unknown-operation', 'operation-in-wrong-interface', 'duplicate-operation', 'write-mismatch', 'undeclared-auth-mode']);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, replacement) => {
        const edited = { ...base, spec: { ...spec, [key]: replacement } };
        const errors = diagnoseManifest(edited).filter((d) => d.severity === 'error');
        if (!CapabilityManifestSchema.safeParse(edited).success) {
          expect(errors.length).toBeGreaterThan(0);
          expect(() => validateManifest(edited)).toThrow(InvalidConfigError);
        } else {
          expect(errors.every((d) => semantic.has(d.code))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('diagnoseManifestText never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = diagnoseManifestText(text);
        expect(Array.isArray(result.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
