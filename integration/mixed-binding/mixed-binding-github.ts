/**
 * The mixed binding with the real providers: GitHub (a GitHub App installation) for the
 * forge of `acme/web`, Buildkite for its CI/CD. Run with the credentials in the
 * environment:
 *
 *   GITHUB_APP_ID=... GITHUB_PRIVATE_KEY="$(cat key.pem)" BUILDKITE_TOKEN=bkua_... \
 *     npx tsx examples/mixed-binding-github.ts 42
 */
import github from '@krate/provider-github';
import { bindRepository, buildsForPullRequest } from './mixed-binding.js';

async function main(): Promise<void> {
  const number = process.argv[2] ?? '1';
  const binding = bindRepository({
    repository: 'acme/web',
    forge: {
      plugin: github,
      config: { auth: { type: 'app', appId: process.env.GITHUB_APP_ID, privateKey: process.env.GITHUB_PRIVATE_KEY } },
    },
    buildkite: { config: { apiToken: process.env.BUILDKITE_TOKEN ?? '', organization: 'acme' }, pipeline: 'acme/web' },
  });
  const { pullRequest, builds } = await buildsForPullRequest(binding, { scope: 'acme/web', id: number });
  console.log(`#${pullRequest.number} ${pullRequest.title} (head ${pullRequest.headSha.slice(0, 7)})`);
  for (const build of builds) console.log(`  build ${build.number}: ${build.phase} ${build.external.url ?? ''}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
