/**
 * The seed design's manifest examples, kept verbatim in test/fixtures/manifests,
 * and exactly what the manifest checks say about each of them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CapabilityManifestSchema, InvalidConfigError, OperationSpecSchema, diagnoseManifest, diagnoseManifestText, manifestDiagnosticsOf,
  parseManifest, type ManifestDiagnostic,
} from '../src/index.js';
import { parse as parseYaml } from 'yaml';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/manifests/${name}`, import.meta.url), 'utf8');

/** [severity, code, path, suggestion] of every diagnostic, in document order. */
function summary(diagnostics: ManifestDiagnostic[]) {
  return diagnostics.map((d) => [d.severity, d.code, d.path, d.suggestion]);
}

const WRAP = (name: string) =>
  `wrap it: "apiVersion: krate.a5c.ai/v1alpha1", "kind: ExternalProviderCapabilityManifest", "metadata:" with "name: ${name}", then "spec:" with the current document indented under it`;
const NEED_DISPLAY_NAME = ['error', 'missing-field', 'displayName', 'add "displayName: <the name people see>" (for example GitHub)'];
const NEED_AUTH_MODES = [
  'error', 'missing-field', 'authModes', 'add "authModes: [...]" listing how users authenticate (for example github-app, personal-access-token)',
];
const rename = (path: string, to: string, extra = '') => ['error', 'unknown-operation', path, `use the canonical name "${to}"${extra}`];

describe('seed "Manifest schema" example', () => {
  it('is a valid manifest; its only remark is that it declares no interface', () => {
    const text = fixture('manifest-schema-example.yaml');
    const { diagnostics } = diagnoseManifestText(text);
    expect(summary(diagnostics)).toEqual([
      [
        'warning', 'no-interfaces', 'spec.interfaces',
        'declare at least one of issueTracking, cicd, gitForge with supported: true and its operations',
      ],
    ]);
    expect(diagnostics[0]).toMatchObject({ line: 23, column: 3 });
    const manifest = parseManifest(text);
    expect(manifest.spec.identity).toEqual({
      nativeIdFields: ['id', 'number'], globalIdField: 'node_id', urlField: 'html_url', versionFields: ['etag', 'updated_at', 'head_sha'],
    });
    expect(manifest.spec.api).toEqual({ rest: true, graphql: true, webhook: true });
  });
});

describe('seed "Operation shape" example', () => {
  it('is a valid operation entry, and the manifest check says where it belongs', () => {
    const text = fixture('operation-shape.yaml');
    expect(OperationSpecSchema.safeParse(parseYaml(text)).success).toBe(true);
    expect(summary(diagnoseManifestText(text).diagnostics)).toEqual([
      [
        'error', 'bare-operation', '(root)',
        'put it in the list spec.interfaces.gitForge.operations of a manifest, as "- operation: createPullRequest" with the other keys indented beside it',
      ],
    ]);
  });
});

describe('seed provider sketches (bare specs)', () => {
  it('GitHub: wrap, displayName and authModes missing, and 8 vendor names for cicd operations', () => {
    const { diagnostics } = diagnoseManifestText(fixture('github-sketch.yaml'));
    expect(summary(diagnostics)).toEqual([
      ['error', 'bare-spec', '(root)', WRAP('github-v1')],
      NEED_DISPLAY_NAME,
      NEED_AUTH_MODES,
      rename('interfaces.cicd.operations[0]', 'listPipelines'),
      rename('interfaces.cicd.operations[1]', 'getPipeline'),
      rename('interfaces.cicd.operations[2]', 'listJobs'),
      rename('interfaces.cicd.operations[3]', 'rerunPipeline'),
      rename('interfaces.cicd.operations[4]', 'cancelPipeline'),
      rename('interfaces.cicd.operations[5]', 'listRunners'),
      rename('interfaces.cicd.operations[6]', 'createCheck'),
      rename('interfaces.cicd.operations[7]', 'updateCheck'),
    ]);
    expect(diagnostics[3]).toMatchObject({ message: '"listWorkflowRuns" is not a canonical cicd operation', line: 22, column: 9 });
  });

  it('GitLab: wrap, displayName missing, and three supported interfaces with no operations (warnings)', () => {
    const { diagnostics } = diagnoseManifestText(fixture('gitlab-sketch.yaml'));
    expect(summary(diagnostics).map((d) => d.slice(0, 3))).toEqual([
      ['error', 'bare-spec', '(root)'],
      ['error', 'missing-field', 'displayName'],
      ['warning', 'no-operations', 'interfaces.issueTracking'],
      ['warning', 'no-operations', 'interfaces.cicd'],
      ['warning', 'no-operations', 'interfaces.gitForge'],
    ]);
    expect(diagnostics[2]!.message).toBe('issueTracking is supported but declares no operations, so every issueTracking operation is refused');
    expect(diagnostics[3]!.suggestion).toContain('listPipelines, getPipeline, listJobs, getJobLog');
  });

  it('Jira: wrap, displayName and authModes missing; its operations (transitionIssue too) and notes are fine', () => {
    expect(summary(diagnoseManifestText(fixture('jira-sketch.yaml')).diagnostics)).toEqual([
      ['error', 'bare-spec', '(root)', WRAP('jira-v1')],
      NEED_DISPLAY_NAME,
      NEED_AUTH_MODES,
    ]);
  });

  it('Buildkite: wrap, displayName and authModes missing, and 6 Buildkite words for cicd operations', () => {
    expect(summary(diagnoseManifestText(fixture('buildkite-sketch.yaml')).diagnostics)).toEqual([
      ['error', 'bare-spec', '(root)', WRAP('buildkite-v1')],
      NEED_DISPLAY_NAME,
      NEED_AUTH_MODES,
      rename('interfaces.cicd.operations[1]', 'listPipelines', '; "listPipelines" is already declared at operations[0], so drop this entry'),
      rename('interfaces.cicd.operations[2]', 'getPipeline'),
      rename('interfaces.cicd.operations[4]', 'getJobLog'),
      rename('interfaces.cicd.operations[5]', 'rerunPipeline'),
      rename('interfaces.cicd.operations[6]', 'cancelPipeline'),
      rename('interfaces.cicd.operations[7]', 'listRunners'),
    ]);
  });

  it('custom provider: wrap, displayName and authModes missing; adapterRef (version 1.x) is fine', () => {
    expect(summary(diagnoseManifestText(fixture('custom-sketch.yaml')).diagnostics)).toEqual([
      ['error', 'bare-spec', '(root)', WRAP('custom-v1')],
      NEED_DISPLAY_NAME,
      NEED_AUTH_MODES,
    ]);
  });

  it('provider catalog descriptor: bare verbs read per interface, webhookEvents -> webhooks, version has no place', () => {
    const { diagnostics } = diagnoseManifestText(fixture('catalog-descriptor-sketch.yaml'));
    expect(summary(diagnostics)).toEqual([
      ['error', 'bare-spec', '(root)', WRAP('gitlab-v1')],
      NEED_DISPLAY_NAME,
      [
        'error', 'unknown-key', 'version',
        'a manifest version goes in metadata.name (for example gitlab-v1); the adapter package version goes in adapterRef.version',
      ],
      rename('interfaces.issueTracking.operations[0]', 'listIssues'),
      rename('interfaces.issueTracking.operations[1]', 'getIssue'),
      rename('interfaces.issueTracking.operations[2]', 'createIssue'),
      rename('interfaces.issueTracking.operations[3]', 'updateIssue'),
      rename('interfaces.issueTracking.operations[4]', 'createComment'),
      rename('interfaces.issueTracking.operations[5]', 'syncLabels'),
      rename('interfaces.issueTracking.operations[6]', 'transitionIssue'),
      ['error', 'unknown-key', 'interfaces.issueTracking.webhookEvents', 'did you mean "webhooks"?'],
      rename('interfaces.cicd.operations[0]', 'listPipelines'),
      rename('interfaces.cicd.operations[1]', 'getPipeline'),
      rename('interfaces.cicd.operations[3]', 'getJobLog'),
      rename('interfaces.cicd.operations[4]', 'rerunPipeline'),
      rename('interfaces.cicd.operations[5]', 'cancelPipeline'),
      ['error', 'unknown-key', 'interfaces.cicd.webhookEvents', 'did you mean "webhooks"?'],
      rename('interfaces.gitForge.operations[0]', 'listRepositories'),
      rename('interfaces.gitForge.operations[1]', 'getRepository'),
      rename('interfaces.gitForge.operations[4]', 'mergePullRequest'),
      ['error', 'unknown-key', 'interfaces.gitForge.webhookEvents', 'did you mean "webhooks"?'],
    ]);
  });

  it('a sketch wrapped as suggested, with displayName and authModes added, is valid', () => {
    const spec = parseYaml(fixture('jira-sketch.yaml')) as Record<string, unknown>;
    const manifest = {
      apiVersion: 'krate.a5c.ai/v1alpha1',
      kind: 'ExternalProviderCapabilityManifest',
      metadata: { name: 'jira-v1' },
      spec: { ...spec, displayName: 'Jira', authModes: ['api-token'] },
    };
    expect(diagnoseManifest(manifest)).toEqual([]);
    expect(CapabilityManifestSchema.parse(manifest).spec.notes).toEqual({ bodyFormat: 'atlassian-document-format' });
  });

  it('parseManifest of a sketch throws one InvalidConfigError listing every error', () => {
    let thrown: unknown;
    try {
      parseManifest(fixture('github-sketch.yaml'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidConfigError);
    const message = (thrown as Error).message;
    expect(message).toMatch(/^\[krate\] \[github\] invalid capability manifest \(11 errors\):\n/);
    expect(message).toContain(
      '  - interfaces.cicd.operations[0] (line 22, column 9): "listWorkflowRuns" is not a canonical cicd operation; use the canonical name "listPipelines"',
    );
    expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(11);
    expect(manifestDiagnosticsOf(thrown)).toHaveLength(11);
  });
});
