/**
 * The `./testing` entry of `@krate/provider-jira`: the stateful MSW fake of Jira Cloud
 * the contract suite and the provider's own tests run against.
 */
export {
  createFake, JIRA_FAKE_SITE, JIRA_FAKE_CLOUD_ID, JIRA_FAKE_GATEWAY, JIRA_FAKE_PROJECT,
  type JiraFake, type JiraFakeOptions,
} from './jira-fake.js';
export { JiraFakeState, type FakeIssue, type FakeComment, type FakeHistory, type FakeVersion, type FakeTransition, type FakeStatus, type FakeUser } from './jira-fake-state.js';
export { parseJql, jqlDateToEpochMs, JIRA_FAKE_SEARCH_MAX } from './jira-fake-search.js';
export { adfToWiki } from './jira-fake-objects.js';
export type { JiraWebhookOptions } from './jira-fake-webhooks.js';

/** Base URLs the contract suite runs again with: the api.atlassian.com gateway (scoped tokens, OAuth 2.0). */
export const alternateBaseUrls = ['https://api.atlassian.com/ex/jira/7c2f9a44-1b3e-4d5f-8a6b-0c1d2e3f4a5b'];

/**
 * Contract cases this provider skips, each with the reason (the CLI and
 * `describeProviderContract` both read it).
 */
export const contractSkips: Record<string, string> = {
  'issueTracking.syncLabels.roundtrip':
    'Jira has no API to create a label (a label exists while an issue carries it): syncLabels reports missing labels as drift and writes nothing',
};
