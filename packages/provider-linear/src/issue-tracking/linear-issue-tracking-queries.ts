/**
 * Every GraphQL document the issue-tracking interface sends, written by hand and kept
 * small: scalars and the few objects a normalized issue needs, labels as `labelIds`
 * (names come from the per-instance directory), no nested connections in listings.
 * Each listing is one request per page. The complexity of each (Linear: 0.1 point per
 * scalar, 1 per object, a connection multiplies its nodes by `first`) is measured by the
 * fake and by `bench/run.mjs`, and stated in the README; the per-query cap is 10 000.
 */

/**
 * Label names asked for per issue. An issue with more labels has the rest named through
 * the directory (`labelIds` lists them all), at the cost of one more request then.
 */
export const LABELS_PER_ISSUE = 10;

/** The fields of an issue every read selects (about 22 complexity points per issue). */
export const ISSUE_FIELDS = `id identifier number title description url priority
      createdAt updatedAt archivedAt trashed completedAt canceledAt
      previousIdentifiers labelIds
      labels(first: ${LABELS_PER_ISSUE}) { nodes { id name } }
      state { id name type }
      team { id key }
      assignee { id name displayName email url }
      creator { id name displayName email url }
      cycle { id number name }`;

/** One page of a team's issues, oldest created first within Linear's `createdAt` order, optionally archived and trashed ones. */
export const LIST_ISSUES = `query KrateListIssues($filter: IssueFilter, $first: Int!, $after: String, $includeArchived: Boolean) {
  issues(filter: $filter, first: $first, after: $after, includeArchived: $includeArchived, orderBy: createdAt) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ${ISSUE_FIELDS}
    }
  }
}`;

/** One issue by identifier (current or previous) or UUID. */
export const GET_ISSUE = `query KrateGetIssue($id: String!) {
  issue(id: $id) {
    ${ISSUE_FIELDS}
  }
}`;

export const CREATE_ISSUE = `mutation KrateCreateIssue($input: IssueCreateInput!) {
  issueCreate(input: $input) {
    success
    issue {
      ${ISSUE_FIELDS}
    }
  }
}`;

export const UPDATE_ISSUE = `mutation KrateUpdateIssue($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) {
    success
    issue {
      ${ISSUE_FIELDS}
    }
  }
}`;

/**
 * The label creates an issue write starts with, one aliased `issueLabelCreate` per label
 * Linear does not have yet (`$label0`, `$label1`, ...): GraphQL runs the fields of a
 * mutation in order, so the issue write that follows can name their client-supplied ids,
 * and the whole write is one request.
 */
function labelCreates(count: number): { variables: string; fields: string } {
  const indexes = Array.from({ length: count }, (_, i) => i);
  return {
    variables: indexes.map((i) => `, $label${i}: IssueLabelCreateInput!`).join(''),
    fields: indexes.map((i) => `label${i}: issueLabelCreate(input: $label${i}) { success }\n  `).join(''),
  };
}

/** {@link CREATE_ISSUE}, made with `newLabels` labels first in the same request. */
export function createIssueMutation(newLabels: number): string {
  if (newLabels === 0) return CREATE_ISSUE;
  const { variables, fields } = labelCreates(newLabels);
  return CREATE_ISSUE.replace('($input: IssueCreateInput!)', `($input: IssueCreateInput!${variables})`).replace('  issueCreate(', `  ${fields}issueCreate(`);
}

/** {@link UPDATE_ISSUE}, made with `newLabels` labels first in the same request. */
export function updateIssueMutation(newLabels: number): string {
  if (newLabels === 0) return UPDATE_ISSUE;
  const { variables, fields } = labelCreates(newLabels);
  return UPDATE_ISSUE.replace('($id: String!, $input: IssueUpdateInput!)', `($id: String!, $input: IssueUpdateInput!${variables})`).replace('  issueUpdate(', `  ${fields}issueUpdate(`);
}

export const COMMENT_FIELDS = `id body url createdAt updatedAt editedAt archivedAt
      user { id name displayName email url }
      issue { id identifier team { key } }`;

/** One page of an issue's comments (the issue is addressed by identifier, so moved issues resolve). */
export const LIST_COMMENTS = `query KrateListComments($id: String!, $first: Int!, $after: String, $filter: CommentFilter) {
  issue(id: $id) {
    id
    comments(first: $first, after: $after, filter: $filter, orderBy: createdAt) {
      pageInfo { hasNextPage endCursor }
      nodes {
        ${COMMENT_FIELDS}
      }
    }
  }
}`;

export const GET_COMMENT = `query KrateGetComment($id: String!) {
  comment(id: $id) {
    ${COMMENT_FIELDS}
  }
}`;

export const CREATE_COMMENT = `mutation KrateCreateComment($input: CommentCreateInput!) {
  commentCreate(input: $input) {
    success
    comment {
      ${COMMENT_FIELDS}
    }
  }
}`;

export const UPDATE_COMMENT = `mutation KrateUpdateComment($id: String!, $input: CommentUpdateInput!) {
  commentUpdate(id: $id, input: $input) {
    success
    comment {
      ${COMMENT_FIELDS}
    }
  }
}`;

export const LABEL_FIELDS = 'id name color description isGroup createdAt updatedAt archivedAt team { id key } parent { id name }';

/** One page of the labels a team can use: its own and the workspace's. */
export const LIST_LABELS = `query KrateListLabels($filter: IssueLabelFilter, $first: Int!, $after: String) {
  organization { urlKey }
  issueLabels(filter: $filter, first: $first, after: $after, orderBy: createdAt) {
    pageInfo { hasNextPage endCursor }
    nodes { ${LABEL_FIELDS} }
  }
}`;

export const CREATE_LABEL = `mutation KrateCreateLabel($input: IssueLabelCreateInput!) {
  issueLabelCreate(input: $input) {
    success
    issueLabel { ${LABEL_FIELDS} }
  }
}`;

export const UPDATE_LABEL = `mutation KrateUpdateLabel($id: String!, $input: IssueLabelUpdateInput!) {
  issueLabelUpdate(id: $id, input: $input) {
    success
    issueLabel { ${LABEL_FIELDS} }
  }
}`;

export const DELETE_LABEL = `mutation KrateDeleteLabel($id: String!) {
  issueLabelDelete(id: $id) { success entityId }
}`;

/** One page of an issue's history (state, label, assignee, title, team, cycle, archive and trash changes). */
export const LIST_HISTORY = `query KrateListHistory($id: String!, $first: Int!, $after: String) {
  issue(id: $id) {
    id identifier url team { key }
    history(first: $first, after: $after, orderBy: createdAt) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id createdAt updatedAt
        actor { id name displayName email url }
        fromState { id name type }
        toState { id name type }
        fromAssignee { id name displayName }
        toAssignee { id name displayName }
        addedLabelIds removedLabelIds
        addedLabels { id name }
        removedLabels { id name }
        fromTitle toTitle
        fromTeam { key }
        toTeam { key }
        fromCycle { number name }
        toCycle { number name }
        archived trashed autoArchived autoClosed
      }
    }
  }
}`;

/** One page of a team's cycles (Linear's milestones). */
export const LIST_CYCLES = `query KrateListCycles($filter: CycleFilter, $first: Int!, $after: String, $includeArchived: Boolean) {
  organization { urlKey }
  cycles(filter: $filter, first: $first, after: $after, includeArchived: $includeArchived, orderBy: createdAt) {
    pageInfo { hasNextPage endCursor }
    nodes { id number name description startsAt endsAt completedAt createdAt updatedAt archivedAt team { id key } }
  }
}`;

/**
 * Page sizes: Linear allows up to 250 nodes per connection; the provider asks for at
 * most 100 per page in every listing, which keeps an issue page near 2 300 complexity
 * points (a quarter of the per-query cap) and is the default.
 */
export const PAGE_MAX = 100;