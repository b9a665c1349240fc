import type { ExternalSyncEvent } from '@krate/core';
import { isoTime } from '../shared/github-mapping.js';
import {
  actionOf,
  objectField,
  optionalObject,
  refEvent,
  requireId,
  type GhPayload,
  type GitHubEventNormalizer,
} from './github-webhook-payload.js';

/**
 * Repository refs (`{ scope: owner, id: name }`) of an installation payload's
 * repository list. These entries only carry id, name, full_name and private: no
 * object is mapped from them.
 */
function repositoryEvents(list: unknown, change: 'upserted' | 'deleted', at: string | undefined): ExternalSyncEvent[] {
  if (!Array.isArray(list)) return [];
  const events: ExternalSyncEvent[] = [];
  for (const entry of list) {
    const repo = entry as GhPayload | null;
    const fullName = repo && typeof repo.full_name === 'string' ? repo.full_name : undefined;
    const slash = fullName ? fullName.indexOf('/') : -1;
    if (!fullName || slash <= 0 || slash === fullName.length - 1) continue;
    events.push(refEvent('gitForge', 'repository', { scope: fullName.slice(0, slash), id: fullName.slice(slash + 1) }, change, at));
  }
  return events;
}

/**
 * `installation` (created, deleted, suspend, unsuspend, new_permissions_accepted):
 * the GitHub App installation, kind `installation`, ref `{ scope: account login, id:
 * installation id }`, upserted or deleted. On `created` and `deleted` the
 * repositories it covers are reported too (upserted: now reachable; deleted: no
 * longer reachable through this installation), so a backfill can start or stop.
 */
export const normalizeInstallation: GitHubEventNormalizer = (_m, payload) => {
  const installation = objectField(payload, 'installation', 'installation');
  const id = requireId(installation.id, 'installation id', 'installation');
  const account = optionalObject(installation, 'account');
  const login = requireId(account?.login ?? account?.slug ?? account?.name, 'installation account', 'installation');
  const action = actionOf(payload);
  const at = isoTime(installation.updated_at);
  const change = action === 'deleted' ? 'deleted' : 'upserted';
  const events: ExternalSyncEvent[] = [refEvent('gitForge', 'installation', { scope: login, id }, change, at)];
  if (action === 'created' || action === 'deleted') events.push(...repositoryEvents(payload.repositories, change, at));
  return events;
};

/**
 * `installation_repositories` (added, removed): the repositories the installation
 * gained (upserted) or lost (deleted).
 */
export const normalizeInstallationRepositories: GitHubEventNormalizer = (_m, payload) => {
  objectField(payload, 'installation', 'installation_repositories');
  const at = isoTime(optionalObject(payload, 'installation')?.updated_at);
  return [
    ...repositoryEvents(payload.repositories_added, 'upserted', at),
    ...repositoryEvents(payload.repositories_removed, 'deleted', at),
  ];
};
