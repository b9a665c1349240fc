import { randomUUID } from 'node:crypto';
import type { ExternalRef, WebhookRequest } from '@krate/core';
import { flipLastChar, hmac, truncateJson, type WebhookOptions } from '@krate/contract-tests/kit';
import type { FakeComment, FakeIssue, JiraFakeEnv } from './jira-fake-state.js';

type Json = Record<string, unknown>;

/** Options of a Jira delivery beyond the kit's. */
export interface JiraWebhookOptions extends WebhookOptions {
  /** Send only `id`, `self` and `key` of the issue (Jira does this for some events). */
  thin?: boolean;
  /** Changelog items of an `jira:issue_updated` delivery (default: the issue's latest history, else a summary change). */
  changelog?: Json;
}

/**
 * Admin webhook deliveries as Jira sends them: REST v2 shapes (wiki markup bodies,
 * `/rest/api/2/` self links), `X-Hub-Signature: sha256=<hex>` over the raw body and
 * the `X-Atlassian-Webhook-*` headers. The identifier stays the same across retries.
 */
export function createJiraFakeWebhooks(env: JiraFakeEnv, secret: string, seedIssue: (scope: string) => ExternalRef) {
  const { state, objects } = env;

  function issueFor(ref: ExternalRef | undefined, defaultScope: string): FakeIssue {
    if (ref) {
      const byKey = state.findIssue(ref.id) ?? state.findIssue(ref.scope);
      if (byKey) return byKey;
    }
    return state.findIssue(seedIssue(defaultScope).id)!;
  }

  function commentFor(ref: ExternalRef | undefined, defaultScope: string): FakeComment {
    if (ref && /^\d+$/.test(ref.id)) {
      const comment = state.comments.get(Number(ref.id));
      if (comment) return comment;
    }
    const issue = issueFor(ref && !/^\d+$/.test(ref.id) ? ref : undefined, defaultScope);
    const now = state.tick();
    return state.addComment(issue, { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A comment from a webhook' }] }] }, state.me.accountId, now);
  }

  function payload(event: string, options: JiraWebhookOptions, defaultScope: string): Json {
    const base: Json = { timestamp: state.clock.now().getTime(), webhookEvent: event, user: objects.user(state.me.accountId, 2) };
    const issueJson = (issue: FakeIssue) => (options.thin ? { id: String(issue.id), self: `${env.siteUrl}/rest/api/2/issue/${issue.id}`, key: issue.key } : objects.issue(issue, { version: 2 }));
    switch (event) {
      case 'jira:issue_created':
      case 'jira:issue_updated':
      case 'jira:issue_deleted': {
        const issue = issueFor(options.ref, defaultScope);
        const body: Json = { ...base, issue_event_type_name: event === 'jira:issue_created' ? 'issue_created' : event === 'jira:issue_deleted' ? 'issue_deleted' : (options.action ?? 'issue_generic'), issue: issueJson(issue) };
        if (event === 'jira:issue_updated') {
          const latest = [...state.histories.values()].filter((h) => h.issueId === issue.id).sort((a, b) => b.id - a.id)[0];
          body.changelog = options.changelog ?? (latest ? { id: String(latest.id), items: latest.items } : { id: '99999', items: [{ field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, fromString: issue.summary, to: null, toString: issue.summary }] });
        }
        if (event === 'jira:issue_deleted') {
          state.issues.delete(issue.id);
        }
        return body;
      }
      case 'comment_created':
      case 'comment_updated':
      case 'comment_deleted': {
        const comment = commentFor(options.ref, defaultScope);
        const issue = state.issues.get(comment.issueId)!;
        const body: Json = {
          ...base,
          comment: objects.comment(comment, { version: 2 }),
          issue: options.thin ? { id: String(issue.id), self: `${env.siteUrl}/rest/api/2/issue/${issue.id}`, key: issue.key } : { id: String(issue.id), self: `${env.siteUrl}/rest/api/2/issue/${issue.id}`, key: issue.key, fields: { summary: issue.summary, status: objects.statusJson(issue.statusId), issuetype: { name: issue.issueType } } },
        };
        if (event === 'comment_deleted') state.comments.delete(comment.id);
        return body;
      }
      default:
        return base;
    }
  }

  return function webhook(event: string, options: JiraWebhookOptions = {}, defaultScope = 'KRATE'): WebhookRequest {
    const body = JSON.stringify(payload(event, options, defaultScope));
    const signed = options.malformed ? truncateJson(body) : body;
    const signature = `sha256=${hmac('sha256', secret, signed)}`;
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=UTF-8',
      'user-agent': 'Atlassian Webhook HTTP Client',
      'x-atlassian-webhook-identifier': options.deliveryId ?? randomUUID(),
      'x-atlassian-webhook-retry': '0',
      'x-atlassian-webhook-flow': 'Primary',
      'x-atlassian-webhook-trace': randomUUID().replace(/-/g, '').slice(0, 16),
    };
    const mode = options.signature ?? 'valid';
    if (mode === 'wrong') headers['x-hub-signature'] = flipLastChar(signature);
    else if (mode !== 'missing') headers['x-hub-signature'] = signature;
    const rawBody = mode === 'tampered' ? signed.replace(/^\{/, '{"tampered":true,') : signed;
    return { headers, rawBody };
  };
}
