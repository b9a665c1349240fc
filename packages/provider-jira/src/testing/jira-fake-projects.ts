import { json, type FakeRoute } from '@krate/contract-tests/kit';
import { pageBean } from './jira-fake-issues.js';
import type { JiraFakeEnv } from './jira-fake-state.js';

/** Site-wide labels (`PageBeanString`, up to 1000 per page) and a project's fix versions (`PageBeanVersion`). */
export function projectRoutes(env: JiraFakeEnv): FakeRoute[] {
  const { state, objects } = env;
  return [
    {
      method: 'GET',
      path: '/rest/api/3/label',
      handle: ({ url }) => {
        const page = pageBean(url, [...state.labels].sort(), 1000, 1000);
        return json({
          self: `${env.siteUrl}/rest/api/3/label?maxResults=${page.maxResults}&startAt=${page.startAt}`,
          maxResults: page.maxResults,
          startAt: page.startAt,
          total: page.total,
          isLast: page.isLast,
          values: page.values,
        });
      },
    },
    {
      method: 'GET',
      path: '/rest/api/3/project/:key/version',
      handle: ({ params, url }) => {
        const key = params.key!.toUpperCase();
        if (!state.projects.has(key)) return json(objects.errorBody(404, `No project could be found with key '${key}'.`), { status: 404 });
        const all = [...state.versions.values()].filter((v) => v.projectKey === key).sort((a, b) => a.id - b.id);
        const page = pageBean(url, all, 100);
        return json({
          self: `${env.siteUrl}/rest/api/3/project/${key}/version?maxResults=${page.maxResults}&startAt=${page.startAt}`,
          maxResults: page.maxResults,
          startAt: page.startAt,
          total: page.total,
          isLast: page.isLast,
          values: page.values.map((v) => objects.version(v)),
        });
      },
    },
  ];
}
