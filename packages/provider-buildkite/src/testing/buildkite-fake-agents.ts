import { json, type FakeRoute } from '@krate/contract-tests/kit';
import { agentJson } from './buildkite-fake-objects.js';
import { type RouteKit, notFound } from './buildkite-fake-route-kit.js';

/** An organization's agents in the Buildkite fake. */
export function agentRoutes({ state, urls, requireOrg, listPage }: RouteKit): FakeRoute[] {
  return [
    {
      method: 'GET',
      path: '/organizations/:org/agents',
      handle(ctx) {
        requireOrg(ctx.params.org!);
        // Buildkite lists connected agents only.
        const agents = state.agents.list((a) => a.org === ctx.params.org && (a.connectionState === 'connected' || a.connectionState === 'stopping'));
        return listPage(ctx, agents, (a) => agentJson(state, urls, a));
      },
    },
    {
      method: 'GET',
      path: '/organizations/:org/agents/:id',
      handle(ctx) {
        requireOrg(ctx.params.org!);
        const agent = state.agents.get(ctx.params.id!);
        if (!agent || agent.org !== ctx.params.org) notFound();
        return json(agentJson(state, urls, agent));
      },
    },
  ];
}
