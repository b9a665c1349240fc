import { Projects } from '@gitbeaker/rest';
import type { RequesterType, ResourceOptions } from '@gitbeaker/requester-utils';
import type { GitLabAuth } from '../gitlab-config.js';

/**
 * The two auth modes, as gitbeaker sends them: access tokens (personal, project, group;
 * `glpat-...`) as `PRIVATE-TOKEN`, OAuth 2 access tokens as `Authorization: Bearer`. The
 * token is read lazily on every request (a secret reference may rotate it).
 *
 * Returns gitbeaker's requester for the API at `host` (`https://gitlab.com`, or a web root
 * under a relative URL root), built with the given requester function.
 */
export function gitlabRequester(
  auth: GitLabAuth,
  host: string,
  token: () => Promise<string>,
  requesterFn: (serviceOptions: ResourceOptions) => RequesterType,
): RequesterType {
  // One resource is enough: gitbeaker composes `${host}/api/v4` and the auth header for it.
  const resource =
    auth.type === 'oauth'
      ? new Projects({ host, oauthToken: token, requesterFn, rateLimits: {} })
      : new Projects({ host, token, requesterFn, rateLimits: {} });
  return resource.requester;
}
