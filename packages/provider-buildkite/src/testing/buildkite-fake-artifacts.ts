import type { FakeRoute } from '@krate/contract-tests/kit';
import { artifactJson } from './buildkite-fake-objects.js';
import type { RouteKit } from './buildkite-fake-route-kit.js';

/** A build's artifacts in the Buildkite fake. */
export function artifactRoutes({ state, urls, requireBuild, listPage }: RouteKit): FakeRoute[] {
  return [
    {
      method: 'GET',
      path: '/organizations/:org/pipelines/:pipeline/builds/:number/artifacts',
      handle(ctx) {
        const build = requireBuild(ctx.params);
        const items = state.artifacts.list((a) => a.buildId === build.id && a.state !== 'deleted');
        return listPage(ctx, items, (a) => artifactJson(urls, build, a));
      },
    },
  ];
}
