export {
  createFake,
  LINEAR_FAKE_API_URL,
  LINEAR_FAKE_TEAM,
  LINEAR_FAKE_OTHER_TEAM,
  LINEAR_FAKE_API_KEY,
  LINEAR_FAKE_OAUTH_TOKEN,
  LINEAR_FAKE_WEBHOOK_SECRET,
  type LinearFake,
  type LinearFakeOptions,
} from './linear-fake.js';
export { LinearFakeState, FAKE_ORGANIZATION } from './linear-fake-state.js';
export { linearSchema, queryComplexity, LINEAR_MAX_COMPLEXITY } from './linear-fake-schema.js';
export type { InvalidQuery, QueryCostRecord, LinearFakeBudgets } from './linear-fake-graphql.js';
export type {
  FakeComment, FakeCycle, FakeHistory, FakeIssue, FakeLabel, FakeProject, FakeState, FakeTeam, FakeUser,
} from './linear-fake-objects.js';

/**
 * Base URLs the contract suite runs again with (a proxy in front of Linear's API);
 * `krate-contract run` reads this export.
 */
export const alternateBaseUrls: string[] = ['https://linear-proxy.example.com/graphql'];
