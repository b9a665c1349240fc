import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GITHUB_DEFAULT_USER_AGENT, GitHubConfigSchema } from '../src/github-config.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('User-Agent', () => {
  it('names this package at the version in its package.json', () => {
    expect(GITHUB_DEFAULT_USER_AGENT).toBe(`krate-provider-github/${version}`);
    expect(GitHubConfigSchema.parse({ auth: { type: 'token', token: 't' } }).userAgent).toBe(`krate-provider-github/${version}`);
  });
});
