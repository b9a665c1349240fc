import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { declaredOperations, declaredWebhooks, getDeclaredOperation, isInterfaceSupported, parseManifest } from '../src/index.js';

const load = (name: string) => parseManifest(readFileSync(new URL(`./fixtures/manifests/${name}`, import.meta.url), 'utf8'));

describe('manifest queries', () => {
  const github = load('valid-github.yaml');
  const jira = load('valid-jira.yaml');
  const custom = load('valid-custom.json');

  it('isInterfaceSupported follows supported', () => {
    expect(isInterfaceSupported(github, 'cicd')).toBe(true);
    expect(isInterfaceSupported(jira, 'issueTracking')).toBe(true);
    expect(isInterfaceSupported(jira, 'cicd')).toBe(false);
    expect(isInterfaceSupported(load('manifest-schema-example.yaml'), 'gitForge')).toBe(false);
  });

  it('declaredOperations gives names and objects in one shape, in manifest order', () => {
    const ops = declaredOperations(github, 'cicd');
    expect(ops.map((o) => o.operation)).toEqual([
      'listPipelines', 'getPipeline', 'listJobs', 'getJobLog', 'listArtifacts', 'rerunPipeline', 'cancelPipeline', 'listRunners',
      'registerRunner', 'createCheck', 'updateCheck',
    ]);
    expect(ops[0]).toEqual({ operation: 'listPipelines', supported: true });
    expect(declaredOperations(jira, 'cicd')).toEqual([]);
    expect(declaredOperations(custom, 'issueTracking').map((o) => o.operation)).toEqual(['listIssues', 'getIssue']);
  });

  it('getDeclaredOperation returns the full shape, or undefined when not declared supported', () => {
    expect(getDeclaredOperation(github, 'gitForge', 'createPullRequest')).toMatchObject({
      write: true,
      requires: { nativeScopes: ['pull_requests:write'] },
      idempotency: { mode: 'synthetic-key' },
      webhookConfirmation: { events: ['pull_request'] },
    });
    expect(getDeclaredOperation(custom, 'issueTracking', 'createIssue')).toBeUndefined();
    expect(getDeclaredOperation(github, 'cicd', 'createPullRequest')).toBeUndefined();
  });

  it('declaredWebhooks lists the events of supported interfaces', () => {
    expect(declaredWebhooks(jira)).toEqual(['issue_created', 'issue_updated', 'issue_deleted', 'comment_created', 'comment_updated']);
    expect(declaredWebhooks(github, 'cicd')).toEqual(['workflow_run', 'workflow_job', 'check_run', 'check_suite', 'status']);
    expect(declaredWebhooks(github)).toHaveLength(4 + 5 + 9);
  });
});
