import { randomUUID } from 'node:crypto';
import { flipLastChar, hmac, truncateJson, type WebhookOptions } from '@krate/contract-tests/kit';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER } from '../webhooks/__PROVIDER_TYPE__-webhook-verify.js';
import { publicIssue } from './__PROVIDER_TYPE__-fake-objects.js';
import type { __PASCAL__FakeState } from './__PROVIDER_TYPE__-fake-state.js';

/**
 * A delivery signed as the vendor signs it: `t=<unix seconds>,v1=<HMAC-SHA256 of "<t>.<body>">`.
 * `opts.signature` and `opts.malformed` make the broken deliveries the contract suite sends.
 */
export function signedDelivery(
  state: __PASCAL__FakeState,
  secret: string,
  defaultProject: string,
  event: string,
  opts: WebhookOptions = {},
): { headers: Record<string, string>; rawBody: string } {
  const ref = opts.ref;
  const issue = ref ? state.findIssue(ref.scope, ref.id) : state.insertIssue(defaultProject, { title: 'Delivered issue' });
  const payload = issue ? { project: issue._project, issue: publicIssue(issue) } : { project: ref?.scope ?? defaultProject };
  let body = JSON.stringify(payload);
  const timestamp = Math.floor((opts.now ?? new Date()).getTime() / 1000) - (opts.signature === 'stale' ? 3600 : 0);
  let signature = hmac('sha256', secret, `${timestamp}.${body}`);
  if (opts.signature === 'wrong') signature = flipLastChar(signature);
  if (opts.signature === 'tampered') body = body.replace('"project"', '"projekt"');
  if (opts.malformed) {
    body = truncateJson(body);
    signature = hmac('sha256', secret, `${timestamp}.${body}`);
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    [EVENT_HEADER]: event,
    [DELIVERY_HEADER]: opts.deliveryId ?? randomUUID(),
  };
  if (opts.signature !== 'missing') headers[SIGNATURE_HEADER] = `t=${timestamp},v1=${signature}`;
  return { headers, rawBody: body };
}
