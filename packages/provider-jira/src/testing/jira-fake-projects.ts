import { json, type FakeRoute } from '@krate/contract-tests/kit';
import { pageBean } from './jira-fake-issues.js';
import type { JiraFakeEnv } from './jira-fake-state.js';

/**
 * Site-wide labels (`PageBeanString`, up to 1000 per page), a project's fix versions
 * (`PageBeanVersion`), the site's fields (the Sprint custom field among them) and a
 * board's sprints (Agile API, up to 50 per page).
 */
export function projectRoutes(env: JiraFakeEnv): FakeRoute[] {
  const { state, objects } = env;
  return [
    {
      method: 'GET',
      path: '/rest/api/3/field',
      handle: () =>
        json([
          { id: 'summary', key: 'summary', name: 'Summary', custom: false, orderable: true, navigable: true, searchable: true, clauseNames: ['summary'], schema: { type: 'string', system: 'summary' } },
          { id: 'fixVersions', key: 'fixVersions', name: 'Fix versions', custom: false, orderable: true, navigable: true, searchable: true, clauseNames: ['fixVersion'], schema: { type: 'array', items: 'version', system: 'fixVersions' } },
          { id: 'customfield_10016', key: 'customfield_10016', name: 'Story point estimate', custom: true, orderable: true, navigable: true, searchable: true, clauseNames: ['cf[10016]'], schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float', customId: 10016 } },
          { id: state.sprintFieldId, key: state.sprintFieldId, name: 'Sprint', custom: true, orderable: true, navigable: true, searchable: true, clauseNames: ['Sprint', 'cf[10020]'], schema: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 } },
        ]),
    },
    {
      method: 'GET',
      path: '/rest/agile/1.0/board/:boardId/sprint',
      handle: ({ params, url }) => {
        const boardId = Number(params.boardId);
        const all = [...state.sprints.values()].filter((s) => s.boardId === boardId).sort((a, b) => a.id - b.id);
        if (all.length === 0 && !state.boards.has(boardId)) return json(objects.errorBody(404, `Board ${boardId} does not exist or you do not have permission to see it.`), { status: 404 });
        const page = pageBean(url, all, 50);
        return json({ maxResults: page.maxResults, startAt: page.startAt, isLast: page.isLast, values: page.values.map((s) => objects.sprint(s)) });
      },
    },
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
