import { FakeInvalidCursor, type FakeRoute, type FakeRouteContext } from '@krate/contract-tests/kit';
import { errorResponse } from './buildkite-fake-responses.js';
import { agentRoutes } from './buildkite-fake-agents.js';
import { artifactRoutes } from './buildkite-fake-artifacts.js';
import { buildRoutes } from './buildkite-fake-builds.js';
import { jobRoutes } from './buildkite-fake-jobs.js';
import { Answer, type RouteDeps, routeKit } from './buildkite-fake-route-kit.js';

/** The routes of the fake, below the API base path. */
export function buildkiteFakeRoutes(deps: RouteDeps): FakeRoute[] {
  const kit = routeKit(deps);
  const routes: FakeRoute[] = [...buildRoutes(kit), ...jobRoutes(kit), ...artifactRoutes(kit), ...agentRoutes(kit)];


  // Every answer carries the rate-limit headers; `Answer` ends a route early with an error.
  return routes.map((route) => ({
    ...route,
    async handle(ctx: FakeRouteContext) {
      let response: Response;
      try {
        response = await route.handle(ctx);
      } catch (error) {
        if (error instanceof Answer) response = error.response;
        else if (error instanceof FakeInvalidCursor) response = errorResponse(400, 'Invalid cursor value');
        else throw error;
      }
      for (const [name, value] of Object.entries(deps.rateLimitHeaders())) response.headers.set(name, value);
      return response;
    },
  }));
}
