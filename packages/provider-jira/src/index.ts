/**
 * @krate/provider-jira: the Jira Cloud provider for Krate (issue tracking), with Markdown <-> ADF conversion.
 *
 * The fake and its types are at `@krate/provider-jira/testing`.
 */
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
  type JiraConfig,
  type JiraConfigInput,
  type JiraBasicAuth,
  type JiraOAuthAuth,
} from './jira-config.js';
export { markdownToAdf } from './shared/jira-markdown-to-adf.js';
export { adfToMarkdown, type AdfMarkdown } from './shared/jira-adf-to-markdown.js';
export type { AdfDoc, AdfNode, AdfMark } from './shared/jira-adf.js';
