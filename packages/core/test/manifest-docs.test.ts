import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INTERFACE_NAMES, OPERATIONS, diagnoseManifestText, parseManifest } from '../src/index.js';

const doc = readFileSync(new URL('../docs/manifests.md', import.meta.url), 'utf8');
const fixture = (name: string) => readFileSync(new URL(`./fixtures/manifests/${name}`, import.meta.url), 'utf8');

describe('docs/manifests.md', () => {
  it('its first example is a valid manifest', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(diagnoseManifestText(example!).diagnostics).toEqual([]);
    expect(parseManifest(example!).spec.providerType).toBe('github');
  });

  it('lists the canonical operations of each interface, with write and optional marks', () => {
    for (const iface of INTERFACE_NAMES) {
      const expected = OPERATIONS.filter((o) => o.interface === iface)
        .map((o) => `${o.name}${o.write ? '\\*' : ''}${o.optional ? '?' : ''}`)
        .join(', ');
      expect(doc).toContain(`| ${iface} | ${expected} |`);
    }
  });

  it('shows the error message parseManifest really gives', () => {
    const block = /```\n(\[krate\][\s\S]*?)```/.exec(doc)?.[1]?.trimEnd();
    let message = '';
    try {
      parseManifest(fixture('docs-error-example.yaml'));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(block).toBe(message);
  });
});
