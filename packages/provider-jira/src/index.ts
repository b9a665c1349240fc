import { jiraPlugin } from './jira-provider.js';

export default jiraPlugin;
export { jiraPlugin, createJiraProvider } from './jira-provider.js';
export { jiraManifest } from './jira-manifest.js';
export {
  JiraConfigSchema,
  JiraAuthSchema,
  JiraBasicAuthSchema,
  JiraOAuthAuthSchema,
  JiraResolutionsSchema,
  ATLASSIAN_GATEWAY,
  jiraApiBaseUrl,
  type JiraConfig,
  type JiraConfigInput,
  type JiraBasicAuth,
  type JiraOAuthAuth,
} from './jira-config.js';
export { mapJiraError, classifyJiraResponse, jiraMessage } from './jira-errors.js';
export { issueTrackingManifest } from './issue-tracking/jira-issue-tracking-manifest.js';
export { createJiraIssueTracking, type JiraIssueTracking } from './issue-tracking/jira-issue-tracking.js';
export { mapIssue, mapComment, mapLabel, mapMilestone, mapSprint, mapIssueEvent, phaseOfStatus, closeReasonOf } from './issue-tracking/jira-issue-tracking-mapping.js';
export { pickTransition, pickByCategory, transitionFields, type JiraTransition } from './issue-tracking/jira-issue-tracking-transitions.js';
export { markdownToAdf } from './shared/jira-markdown-to-adf.js';
export { adfToMarkdown, type AdfMarkdown } from './shared/jira-adf-to-markdown.js';
export type { AdfDoc, AdfNode, AdfMark } from './shared/jira-adf.js';
export { jqlDate } from './shared/jira-time.js';
export { createJiraWebhooks, type JiraWebhooksOptions } from './webhooks/jira-webhooks.js';
export { JIRA_NORMALIZED_EVENTS } from './webhooks/jira-webhook-events.js';
