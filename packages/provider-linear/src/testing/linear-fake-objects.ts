import { randomUUID } from 'node:crypto';

/**
 * The fake's records: Linear's objects with their scalar fields under Linear's names and
 * their relations as ids (`teamId`, `stateId`, ...), which the resolvers follow.
 */
export interface FakeTeam { id: string; key: string; name: string; createdAt: string; updatedAt: string; archivedAt: string | null }
export interface FakeState { id: string; name: string; type: string; position: number; color: string; teamId: string; createdAt: string; updatedAt: string; archivedAt: string | null; description: string | null }
export interface FakeUser { id: string; name: string; displayName: string; email: string; active: boolean; avatarUrl: string | null; createdAt: string; updatedAt: string; archivedAt: string | null }
export interface FakeLabel { id: string; name: string; color: string; description: string | null; isGroup: boolean; teamId: string | null; parentId: string | null; creatorId: string | null; createdAt: string; updatedAt: string; archivedAt: string | null }
export interface FakeCycle { id: string; number: number; name: string | null; description: string | null; startsAt: string; endsAt: string; completedAt: string | null; teamId: string; createdAt: string; updatedAt: string; archivedAt: string | null }
export interface FakeIssue {
  id: string;
  number: number;
  identifier: string;
  title: string;
  description: string | null;
  priority: number;
  teamId: string;
  stateId: string;
  assigneeId: string | null;
  creatorId: string | null;
  cycleId: string | null;
  labelIds: string[];
  previousIdentifiers: string[];
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  trashed: boolean | null;
  startedAt: string | null;
  completedAt: string | null;
  canceledAt: string | null;
  sortOrder: number;
}
export interface FakeComment { id: string; body: string; issueId: string; userId: string | null; createdAt: string; updatedAt: string; editedAt: string | null; archivedAt: string | null }
export interface FakeHistory {
  id: string;
  issueId: string;
  createdAt: string;
  updatedAt: string;
  actorId: string | null;
  fromStateId?: string | null;
  toStateId?: string | null;
  fromAssigneeId?: string | null;
  toAssigneeId?: string | null;
  addedLabelIds?: string[] | null;
  removedLabelIds?: string[] | null;
  fromTitle?: string | null;
  toTitle?: string | null;
  fromTeamId?: string | null;
  toTeamId?: string | null;
  fromCycleId?: string | null;
  toCycleId?: string | null;
  archived?: boolean | null;
  trashed?: boolean | null;
}
export interface FakeProject { id: string; name: string; description: string; teamIds: string[]; createdAt: string; updatedAt: string; archivedAt: string | null; startDate: string | null; targetDate: string | null }

/** The workflow states every fake team starts with (Linear's defaults plus triage and duplicate). */
export const DEFAULT_STATES: ReadonlyArray<{ name: string; type: string; color: string }> = [
  { name: 'Triage', type: 'triage', color: '#fc7840' },
  { name: 'Backlog', type: 'backlog', color: '#bec2c8' },
  { name: 'Todo', type: 'unstarted', color: '#e2e2e2' },
  { name: 'In Progress', type: 'started', color: '#f2c94c' },
  { name: 'In Review', type: 'started', color: '#0f783c' },
  { name: 'Done', type: 'completed', color: '#5e6ad2' },
  { name: 'Canceled', type: 'canceled', color: '#95a2b3' },
  { name: 'Duplicate', type: 'duplicate', color: '#95a2b3' },
];

export const newId = (): string => randomUUID();

/** A colour as Linear stores it (`#rrggbb`, lower case). */
export function linearColor(color: string | undefined, fallback = '#bec2c8'): string {
  if (!color) return fallback;
  return `#${color.replace(/^#/, '').toLowerCase()}`;
}

/** Linear's branch-style slug of a title, as issue URLs carry it. */
export function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'issue';
}
