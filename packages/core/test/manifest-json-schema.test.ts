import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { INTERFACE_NAMES, MANIFEST_JSON_SCHEMA_ID, diagnoseManifest, manifestJsonSchema, operationsOf } from '../src/index.js';
import { MANIFEST_SCHEMA_OUTPUT, writeManifestJsonSchema } from '../scripts/generate-json-schema.mjs';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/manifests/${name}`, import.meta.url), 'utf8');
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
  files: string[];
  scripts: Record<string, string>;
};

type Json = Record<string, any>;

let dir: string;
let schema: Json;
let validate: ValidateFunction;

beforeAll(() => {
  // Generate the file the way the build does, from source, so the test does not depend on a build.
  dir = mkdtempSync(join(tmpdir(), 'krate-manifest-schema-'));
  const file = writeManifestJsonSchema(dir, manifestJsonSchema());
  schema = JSON.parse(readFileSync(file, 'utf8')) as Json;
  validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const COMPLETE = ['valid-github.yaml', 'valid-gitlab.yaml', 'valid-jira.yaml', 'valid-buildkite.yaml', 'valid-custom.json'];
const SEED = [
  'manifest-schema-example.yaml', 'github-sketch.yaml', 'gitlab-sketch.yaml', 'jira-sketch.yaml', 'buildkite-sketch.yaml',
  'custom-sketch.yaml', 'catalog-descriptor-sketch.yaml', 'operation-shape.yaml',
];
const MALFORMED = ['invalid-types.yaml', 'invalid-unknown-keys.yaml', 'invalid-operations.yaml', 'invalid-wrapper.yaml'];

describe('generated JSON Schema', () => {
  it('is written where package.json exports it from, and the build writes it', () => {
    expect(MANIFEST_SCHEMA_OUTPUT).toBe('schema/manifest.schema.json');
    expect(packageJson.exports['./manifest.schema.json']).toBe(`./${MANIFEST_SCHEMA_OUTPUT}`);
    expect(packageJson.files).toContain(MANIFEST_SCHEMA_OUTPUT.split('/')[0]);
    expect(packageJson.scripts.build).toContain('node scripts/generate-json-schema.mjs');
  });

  it('is draft-07 with an $id and a title', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(MANIFEST_JSON_SCHEMA_ID);
    expect(schema.title).toBe('ExternalProviderCapabilityManifest (krate.a5c.ai/v1alpha1)');
    expect(schema.additionalProperties).toBe(false);
  });

  it.each(COMPLETE)('accepts the complete manifest %s', (name) => {
    const value = parseYaml(fixture(name)) as unknown;
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts the seed "Manifest schema" example and rejects the bare sketches (no apiVersion, kind, metadata)', () => {
    for (const name of SEED) {
      const ok = validate(parseYaml(fixture(name)));
      expect(ok, name).toBe(name === 'manifest-schema-example.yaml');
      if (!ok) expect(validate.errors?.some((e) => e.keyword === 'required' && e.params.missingProperty === 'apiVersion'), name).toBe(true);
    }
  });

  it.each(MALFORMED)('rejects %s, as validateManifest does', (name) => {
    const value = parseYaml(fixture(name)) as unknown;
    expect(validate(value)).toBe(false);
    expect(diagnoseManifest(value).some((d) => d.severity === 'error')).toBe(true);
  });

  it('limits operation names to the canonical names of each interface', () => {
    for (const iface of INTERFACE_NAMES) {
      const operations = schema.properties.spec.properties.interfaces.properties[iface].properties.operations;
      const [nameForm, objectForm] = operations.items.anyOf as Json[];
      expect(nameForm!.enum).toEqual(operationsOf(iface));
      expect(objectForm!.properties.operation.enum).toEqual(operationsOf(iface));
      expect(objectForm!.additionalProperties).toBe(false);
    }
    const withOperations = (iface: string, operations: unknown[]) => ({
      apiVersion: 'krate.a5c.ai/v1alpha1',
      kind: 'ExternalProviderCapabilityManifest',
      metadata: { name: 'acme-v1' },
      spec: { providerType: 'acme', displayName: 'Acme', authModes: ['api-token'], interfaces: { [iface]: { supported: true, operations } } },
    });
    expect(validate(withOperations('cicd', ['listPipelines', { operation: 'cancelPipeline', write: true }]))).toBe(true);
    expect(validate(withOperations('cicd', ['listWorkflowRuns']))).toBe(false);
    expect(validate(withOperations('cicd', ['createPullRequest']))).toBe(false);
    expect(validate(withOperations('cicd', [{ operation: 'getBuild' }]))).toBe(false);
    expect(validate(withOperations('gitForge', ['createPullRequest']))).toBe(true);
  });

  it('describes the fields editors show', () => {
    const spec = schema.properties.spec;
    for (const key of ['providerType', 'displayName', 'hosting', 'authModes', 'api', 'identity', 'adapterRef', 'interfaces', 'rateLimitModel', 'notes']) {
      expect(typeof spec.properties[key].description, key).toBe('string');
    }
    const operation = spec.properties.interfaces.properties.gitForge.properties.operations.items.anyOf[1];
    for (const key of ['operation', 'supported', 'write', 'requires', 'idempotency', 'rateLimitCost', 'webhookConfirmation']) {
      expect(typeof operation.properties[key].description, key).toBe('string');
    }
    expect(operation.properties.idempotency.properties.mode.enum).toEqual(['natural', 'synthetic-key', 'idempotent', 'none']);
    expect(operation.properties.supported.default).toBe(true);
    expect(operation.required).toEqual(['operation']);
  });
});
