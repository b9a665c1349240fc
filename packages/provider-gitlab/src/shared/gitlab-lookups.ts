import { InvalidInputError, type CallOptions as ContractCallOptions } from '@krate/core';
import { encodePath, type GitLabContext } from '../gitlab-context.js';
import { PROVIDER } from '../gitlab-errors.js';

/** User ids of usernames (`GET /users?username=`), one request each. An unknown username is `invalid_input`. */
export async function userIds(ctx: GitLabContext, operation: string, usernames: readonly string[], options: ContractCallOptions = {}): Promise<number[]> {
  const ids: number[] = [];
  for (const username of usernames) {
    const login = username.replace(/^@/, '');
    const users = await ctx.get<Array<{ id: number; username: string }>>(operation, 'users', { query: { username: login }, signal: options.signal });
    const user = users.find((u) => u.username.toLowerCase() === login.toLowerCase());
    if (!user) throw new InvalidInputError({ provider: PROVIDER, operation, message: `no GitLab user "${login}"` });
    ids.push(user.id);
  }
  return ids;
}

/** The id of a project milestone by title or id (`GET /projects/:id/milestones?title=`). */
export async function milestoneId(ctx: GitLabContext, operation: string, project: string, milestone: string, options: ContractCallOptions = {}): Promise<number> {
  const list = await ctx.get<Array<{ id: number; iid: number; title: string }>>(operation, `projects/${encodePath(project)}/milestones`, {
    query: /^\d+$/.test(milestone) ? { iids: [milestone] } : { title: milestone },
    signal: options.signal,
  });
  const found = list.find((m) => m.title === milestone || String(m.iid) === milestone);
  if (!found) throw new InvalidInputError({ provider: PROVIDER, operation, message: `no milestone "${milestone}" in ${project}` });
  return found.id;
}

/** The numeric id of a project path (`GET /projects/:path`). */
export async function projectNumericId(ctx: GitLabContext, operation: string, project: string, options: ContractCallOptions = {}): Promise<number> {
  if (/^\d+$/.test(project)) return Number(project);
  const data = await ctx.get<{ id: number }>(operation, `projects/${encodePath(project)}`, { signal: options.signal });
  return data.id;
}
